# wfsim build.
#
#   make demo    install what is missing, build, run the built-in default job
#   make test    install what is missing, build, run every test
#   make         build build/wfsim and build/libwfsim.a only
#
# Sources are found by wildcard: a new .c file under src/<subsystem>/ joins
# the library, a new tests/c/test_*.c joins the one C test runner.
# Warnings are errors everywhere (CI builds exactly this).

CC       ?= gcc
OPT      ?= -O2 -g
SANITIZE ?=
BUILD    ?= build

WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wvla -Werror
# -ffp-contract=off: MODEL.md 0.2 forbids fused multiply-add in decisions.
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE -ffp-contract=off -pthread $(OPT) $(WARN) \
             $(SANITIZE) -Iinclude -Isrc/common -Isrc/parquet -Isrc/model \
             -Isrc/output -Isrc/engine -I$(BUILD)/gen -MMD -MP $(CFLAGS)
LDLIBS_ALL = -lzstd -lyaml -lnettle -lm -pthread $(SANITIZE) $(LDLIBS)

SUBSYS   = common parquet model output engine
LIB_SRC  = $(foreach d,$(SUBSYS),$(wildcard src/$(d)/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/default_tables.o
CLI_SRC  = $(wildcard src/cli/*.c)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC = $(wildcard tests/c/*.c)
TEST_OBJ = $(TEST_SRC:%.c=$(BUILD)/obj/%.o)
SEEDS    = $(sort $(wildcard dbt/seeds/*.csv))
# Helper programs for the Python tests (tests/tools/NAME.c -> BUILD/tests/NAME)
# and benchmark programs (bench/NAME.c -> BUILD/bench/NAME).
TOOL_SRC = $(wildcard tests/tools/*.c)
TOOLS    = $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/%)
BENCH_SRC = $(wildcard bench/*.c)
BENCHES  = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

PYTHON   = .venv/bin/python

.PHONY: all deps venv test check check-c check-py demo bench clean

all: $(BUILD)/wfsim $(BUILD)/libwfsim.a $(TOOLS) $(BENCHES)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# The parameter tables live once, as the dbt seeds; the engine embeds them.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 $(WARN) $< -o $@

$(BUILD)/gen/default_tables.c: $(BUILD)/tools/embed $(SEEDS)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $(SEEDS) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/default_tables.o: $(BUILD)/gen/default_tables.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libwfsim.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/wfsim: $(CLI_OBJ) $(BUILD)/libwfsim.a
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_ALL)

$(BUILD)/wfsim_tests: $(TEST_OBJ) $(BUILD)/libwfsim.a
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_ALL)

$(BUILD)/tests/%: $(BUILD)/obj/tests/tools/%.o $(BUILD)/libwfsim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_ALL)

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(BUILD)/libwfsim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_ALL)

# Missing Debian packages (run as root) and the pinned Python environment.
deps:
	@sh scripts/install-deps.sh

venv: .venv/.installed

.venv/.installed: requirements.txt
	@sh scripts/make-venv.sh

check-c: $(BUILD)/wfsim_tests $(BUILD)/wfsim
	$(BUILD)/wfsim_tests

check-py: all
	WFSIM_BUILD=$(BUILD) $(PYTHON) -m pytest -q tests/py

check: check-c check-py

test:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory venv
	@$(MAKE) --no-print-directory check

demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory venv
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh

bench:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory venv
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
