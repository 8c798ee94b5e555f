# wfsim build.
#
#   make demo    install what is missing, build, run the built-in default job
#   make test    install what is missing, build, run every test
#   make         build build/wfsim, build/libwfsim.a and build/libwfsim.so
#   make install [PREFIX=/usr/local] [DESTDIR=]   (and make uninstall)
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
# -ffp-contract=off: docs/model.md 0.2 forbids fused multiply-add in decisions.
# -fPIC: the same objects make libwfsim.a and libwfsim.so; with
# -fno-semantic-interposition the compiler still inlines and calls the
# library's own functions directly (nothing is meant to interpose them).
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE -ffp-contract=off -fPIC -fno-semantic-interposition \
             -pthread $(OPT) $(WARN) \
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
# The Python package (docs/python.md): built with CMake through
# scikit-build-core and installed into .venv whenever a source changes.
PKG_SRC  = pyproject.toml CMakeLists.txt $(shell find python -name '*.py' -o -name '*.pyi' \
           -o -name '*.c' 2>/dev/null) $(LIB_SRC) $(wildcard src/*/*.h include/*.h) $(SEEDS)
SCHEMA_GEN = dbt/macros/wfsim_schema.sql python/wfsim_schema.py
# Replaces $@ by $@.tmp when they differ; an equal copy is only touched.
SCHEMA_PUT = if cmp -s $@.tmp $@; then rm $@.tmp; touch $@; else mv $@.tmp $@; fi

# The library's version is WF_VERSION of include/wfsim.h; the shared
# library's soname carries its major number (libwfsim.so.0 for 0.x.y).
VERSION  = $(shell sed -n 's/^\#define WF_VERSION "\(.*\)"/\1/p' include/wfsim.h)
SOMAJOR  = $(firstword $(subst ., ,$(VERSION)))
SONAME   = libwfsim.so.$(SOMAJOR)
SHLIB    = libwfsim.so.$(VERSION)

.PHONY: all deps venv test check check-c check-py demo bench clean install uninstall python-package

all: $(BUILD)/wfsim $(BUILD)/libwfsim.a $(BUILD)/$(SHLIB) $(TOOLS) $(BENCHES) $(SCHEMA_GEN)

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

# The lists that cross languages live once, in src/common/wf_schema.h; C
# includes it, tools/gen_schema.c copies it for dbt and Python. The copies
# are committed (dbt and Python read them from the tree in a fresh clone)
# and rewritten here when the header changes; tests/py/test_schema.py
# fails when a committed copy differs from what the generator writes.
$(BUILD)/tools/gen_schema: tools/gen_schema.c src/common/wf_schema.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 $(WARN) -Isrc/common $< -o $@

dbt/macros/wfsim_schema.sql: $(BUILD)/tools/gen_schema
	$(BUILD)/tools/gen_schema dbt > $@.tmp && $(SCHEMA_PUT)

python/wfsim_schema.py: $(BUILD)/tools/gen_schema
	$(BUILD)/tools/gen_schema python > $@.tmp && $(SCHEMA_PUT)

$(BUILD)/obj/gen/default_tables.o: $(BUILD)/gen/default_tables.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libwfsim.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The shared library exports the functions declared in include/wfsim.h and
# nothing else (a version script made from the header).
$(BUILD)/wfsim.map: include/wfsim.h
	@mkdir -p $(dir $@)
	{ echo 'WFSIM_$(SOMAJOR) {'; echo '  global:'; \
	  grep -v '^[ /*]' $< | grep -o '\bwf_[a-z0-9_]*(' | tr -d '(' | sed 's/.*/    &;/'; \
	  echo '  local: *;'; echo '};'; } > $@.tmp && mv $@.tmp $@

$(BUILD)/$(SHLIB): $(LIB_OBJ) $(BUILD)/wfsim.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script,$(BUILD)/wfsim.map \
	    -Wl,--no-undefined $(LIB_OBJ) -o $@ $(LDLIBS_ALL)
	ln -sf $(SHLIB) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libwfsim.so

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

# --no-build-isolation: scikit-build-core is pinned in requirements.txt, so
# nothing is fetched; the CMake build folder (build/python/) is kept, so a
# change recompiles only what changed.
$(BUILD)/python-package.installed: $(PKG_SRC) .venv/.installed
	@mkdir -p $(dir $@)
	$(PYTHON) -m pip install -q --no-build-isolation --no-deps --disable-pip-version-check .
	@touch $@

python-package: $(BUILD)/python-package.installed

check-py: all $(BUILD)/python-package.installed
	WFSIM_BUILD=$(BUILD) $(PYTHON) -m pytest -q tests/py

check: check-c check-py

# The report tests drive headless Chromium (docs/report.md); it is large, so
# only `make test` asks for it, not `make demo`.
TEST_DEPS = chromium fonts-dejavu-core

test:
	@sh scripts/install-deps.sh $(TEST_DEPS)
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
	@$(MAKE) --no-print-directory all python-package
	@sh bench/run.sh

clean:
	rm -rf $(BUILD)

# ---- installing (issue 12) ----
# PREFIX/bin/wfsim, PREFIX/lib/libwfsim.{a,so*}, PREFIX/lib/pkgconfig/wfsim.pc,
# PREFIX/include/wfsim.h, PREFIX/share/man/man1/wfsim.1, PREFIX/share/doc/wfsim/
# (README.md and docs/*.md, the model's specification among them), and
# PREFIX/share/wfsim/ (the dbt project, the helper scripts and requirements.txt)
# that `wfsim run` and `wfsim parity` find beside the installed binary
# (docs/install.md).
# DESTDIR stages the whole tree elsewhere (for packaging); the paths inside
# the files are those of PREFIX.
PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share/wfsim
DOCDIR     ?= $(PREFIX)/share/doc/wfsim
DBT_FILES   = dbt/dbt_project.yml dbt/profiles.yml \
              $(shell find dbt/macros dbt/models dbt/seeds dbt/tests -type f 2>/dev/null | sort)
DATA_FILES  = $(DBT_FILES) $(wildcard scripts/*.py) $(wildcard python/*.py) $(wildcard python/wfsim/*.py) \
              $(shell find python/wfsim/report -type f ! -name "*.pyc" 2>/dev/null) requirements.txt

# wfsim.pc is written at install time: it names PREFIX's folders.
install: $(BUILD)/wfsim $(BUILD)/libwfsim.a $(BUILD)/$(SHLIB)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)
	install -m 755 $(BUILD)/wfsim $(DESTDIR)$(BINDIR)/wfsim
	install -m 644 $(BUILD)/libwfsim.a $(DESTDIR)$(LIBDIR)/libwfsim.a
	install -m 755 $(BUILD)/$(SHLIB) $(DESTDIR)$(LIBDIR)/$(SHLIB)
	ln -sf $(SHLIB) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libwfsim.so
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
	    'Name: wfsim' \
	    'Description: workforce and retirement-plan event simulation (the wfsim engine)' \
	    'Version: $(VERSION)' \
	    'Cflags: -I$${includedir}' \
	    'Libs: -L$${libdir} -lwfsim' \
	    'Libs.private: -lzstd -lyaml -lnettle -lm -pthread' \
	    > $(DESTDIR)$(LIBDIR)/pkgconfig/wfsim.pc
	install -m 644 include/wfsim.h $(DESTDIR)$(INCLUDEDIR)/wfsim.h
	install -m 644 man/wfsim.1 $(DESTDIR)$(MANDIR)/man1/wfsim.1
	@for f in $(DATA_FILES); do \
	    install -D -m 644 $$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done
	install -m 644 README.md $(wildcard docs/*.md) $(DESTDIR)$(DOCDIR)
	@echo "wfsim: installed under $(DESTDIR)$(PREFIX) (runtime files in $(DATADIR))"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wfsim $(DESTDIR)$(LIBDIR)/libwfsim.a \
	    $(DESTDIR)$(LIBDIR)/$(SHLIB) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	    $(DESTDIR)$(LIBDIR)/libwfsim.so $(DESTDIR)$(LIBDIR)/pkgconfig/wfsim.pc \
	    $(DESTDIR)$(INCLUDEDIR)/wfsim.h $(DESTDIR)$(MANDIR)/man1/wfsim.1
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- sanitizers and fuzzing (issue 7) ----
# docs/reliability.md describes these targets.
#   make check-fuzz-replay  the committed corpora (tests/fuzz/corpus/TARGET/)
#                           through replay programs built with $(CC); part
#                           of `make check`
#   make fuzz               each libFuzzer target (clang) for FUZZ_SECONDS,
#                           with tests/fuzz/dict/TARGET.dict when there is
#                           one; new inputs kept in BUILD/fuzz-work/TARGET
#   make fuzz-merge         minimizes corpus + fuzz-work into the corpus
#                           (a set cover of the edges: a few dozen files;
#                           seed-* and regress-* files stay as they are)
#   make fuzz-parity MINUTES=N  random configurations and censuses through
#                           both modes and the parity gate (tests/py/randconfig.py)
#   make test-sanitize      the C tests, the corpora and a CLI run under
#                           ASan+UBSan; the C tests (threaded ones included)
#                           and a 4-thread `wfsim events` under TSan

FUZZ_TARGETS  = census config parquet tables scenarios
FUZZ_SECONDS ?= 120
# Extra libFuzzer options for `make fuzz` (e.g. FUZZ_FLAGS=-runs=10000000),
# after the fixed ones. -entropic=0: libFuzzer's entropic scheduling spent
# about half of each execution updating feature frequencies (perf, issue
# 20); without it fuzz_census ran 2.2 times the executions per CPU second
# and reached the same coverage over 30,000 runs. -timeout=30: an input
# that takes 30 s is a finding (the slowest take milliseconds).
FUZZ_FLAGS   ?=
FUZZ_CC      ?= clang
FUZZ_BUILD    = $(BUILD)/fuzz-clang
FUZZ_REPLAYS  = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
ASAN_BUILD    = $(BUILD)/asan
TSAN_BUILD    = $(BUILD)/tsan
ASAN_FLAGS    = -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_ENV       = ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1 \
                UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
                TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1

.PHONY: check-fuzz-replay fuzz fuzz-build fuzz-merge test-sanitize asan-wfsim fuzz-parity
.SECONDARY: $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/fuzz/*.c))

# One source, two builds: replay_TARGET (any compiler, replay_main.c) and
# fuzz_TARGET (clang's libFuzzer main).
$(BUILD)/fuzz/replay_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/fuzz_util.o \
                        $(BUILD)/obj/tests/fuzz/replay_main.o $(BUILD)/libwfsim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_ALL)

$(BUILD)/fuzz/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/fuzz_util.o \
                      $(BUILD)/libwfsim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer $^ -o $@ $(LDLIBS_ALL)

check-fuzz-replay: $(FUZZ_REPLAYS)
	@for t in $(FUZZ_TARGETS); do \
	    $(BUILD)/fuzz/replay_$$t tests/fuzz/corpus/$$t || exit 1; done

check: check-fuzz-replay
# tests/py/test_reliability_fuzz.py replays every corpus (and reads what
# replay_parquet writes): the replay programs are built fresh first.
check-py: $(FUZZ_REPLAYS)

# Two fuzz builds. The parsers' targets (FUZZ_BUILD, -O1) keep clang's
# comparison tracing, which finds the keywords and delimiters they branch
# on. The writer's target (fuzz_parquet, FUZZ_BUILD_WRITER, -O2) is
# driven by a recipe whose every byte is a value taken modulo a range:
# there is no comparison to solve, and the tracing hooks took 28 % of its
# time (with the Thrift encoder in the ignorelist: 577 -> 912 executions
# a second, 1,090 at -O2; issue 20).
FUZZ_WRITERS      = parquet
FUZZ_BUILD_WRITER = $(FUZZ_BUILD)-writer
FUZZ_SAN          = -fsanitize=address,undefined -fsanitize=fuzzer-no-link \
                    -fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt
# the build that holds target $$t, in a shell loop
FUZZ_DIR_OF_T     = d=$(FUZZ_BUILD); case " $(FUZZ_WRITERS) " in *" $$t "*) d=$(FUZZ_BUILD_WRITER);; esac

fuzz-build:
	@sh scripts/install-deps.sh clang
	@# the ignorelist changes the code of every object: a new one rebuilds them
	@for d in $(FUZZ_BUILD) $(FUZZ_BUILD_WRITER); do \
	    if [ ! -e $$d/ignorelist.stamp ] || [ tests/fuzz/coverage-ignore.txt -nt $$d/ignorelist.stamp ]; then \
	        rm -rf $$d/obj $$d/libwfsim.a; mkdir -p $$d; touch $$d/ignorelist.stamp; fi; done
	@parsers="$(filter-out $(FUZZ_WRITERS),$(FUZZ_TARGETS))"; test -z "$$parsers" || \
	    $(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) OPT="-O1 -g" \
	        CFLAGS="$(CFLAGS) -Wno-unused-function" SANITIZE="$(FUZZ_SAN)" \
	        $$(for t in $$parsers; do echo $(FUZZ_BUILD)/fuzz/fuzz_$$t; done)
	@writers="$(filter $(FUZZ_WRITERS),$(FUZZ_TARGETS))"; test -z "$$writers" || \
	    $(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD_WRITER) CC=$(FUZZ_CC) OPT="-O2 -g" \
	        CFLAGS="$(CFLAGS) -Wno-unused-function" \
	        SANITIZE="$(FUZZ_SAN) -fno-sanitize-coverage=trace-cmp" \
	        $$(for t in $$writers; do echo $(FUZZ_BUILD_WRITER)/fuzz/fuzz_$$t; done)

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	    $(FUZZ_DIR_OF_T); \
	    mkdir -p $(BUILD)/fuzz-work/$$t; \
	    echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	    $$d/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	        $$(test -f tests/fuzz/dict/$$t.dict && echo -dict=tests/fuzz/dict/$$t.dict) \
	        -entropic=0 -timeout=30 -artifact_prefix=$(BUILD)/fuzz-work/$$t- $(FUZZ_FLAGS) \
	        -print_final_stats=1 $(BUILD)/fuzz-work/$$t tests/fuzz/corpus/$$t \
	        2> $(BUILD)/fuzz-work/$$t.log || { tail -40 $(BUILD)/fuzz-work/$$t.log; exit 1; }; \
	    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
	        $(BUILD)/fuzz-work/$$t.log; \
	done

fuzz-merge: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	    $(FUZZ_DIR_OF_T); \
	    rm -rf $(BUILD)/fuzz-merge/$$t && mkdir -p $(BUILD)/fuzz-merge/$$t $(BUILD)/fuzz-work/$$t; \
	    $$d/fuzz/fuzz_$$t -use_counters=0 -set_cover_merge=1 \
	        $(BUILD)/fuzz-merge/$$t tests/fuzz/corpus/$$t \
	        $(BUILD)/fuzz-work/$$t 2> $(BUILD)/fuzz-merge/$$t.log || exit 1; \
	    find tests/fuzz/corpus/$$t -type f ! -name 'seed-*' ! -name 'regress-*' -delete; \
	    cp $(BUILD)/fuzz-merge/$$t/* tests/fuzz/corpus/$$t/; \
	    echo "$$t: $$(ls tests/fuzz/corpus/$$t | wc -l) corpus files"; \
	done

# The ASan+UBSan wfsim alone: tests/py/test_parity_random.py runs each
# random case's engine under it.
asan-wfsim:
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) OPT="-O1 -g" SANITIZE="$(ASAN_FLAGS)" \
	    $(ASAN_BUILD)/wfsim

# Random-configuration parity (tests/py/randconfig.py): cases from SEED
# (default: the clock) until MINUTES have passed; stops at the first case
# where the modes disagree and prints its seed and files.
MINUTES ?= 10
fuzz-parity: all asan-wfsim
	$(PYTHON) tests/py/randconfig.py --build $(BUILD) --minutes $(MINUTES) $(if $(SEED),--seed $(SEED))

test-sanitize:
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) OPT="-O1 -g" SANITIZE="$(ASAN_FLAGS)" \
	    $(ASAN_BUILD)/wfsim_tests $(ASAN_BUILD)/wfsim $(FUZZ_TARGETS:%=$(ASAN_BUILD)/fuzz/replay_%)
	$(SAN_ENV) $(ASAN_BUILD)/wfsim_tests
	@for t in $(FUZZ_TARGETS); do \
	    $(SAN_ENV) $(ASAN_BUILD)/fuzz/replay_$$t tests/fuzz/corpus/$$t || exit 1; done
	$(SAN_ENV) $(ASAN_BUILD)/wfsim census --employees 3000 --out $(ASAN_BUILD)/census.csv
	$(SAN_ENV) SOURCE_DATE_EPOCH=1700000000 $(ASAN_BUILD)/wfsim events --quiet --threads 3 \
	    --census $(ASAN_BUILD)/census.csv --out $(ASAN_BUILD)/events-out --snapshots --debug-csv
	@$(MAKE) --no-print-directory BUILD=$(TSAN_BUILD) OPT="-O1 -g" SANITIZE="-fsanitize=thread" \
	    $(TSAN_BUILD)/wfsim_tests $(TSAN_BUILD)/wfsim
	$(SAN_ENV) $(TSAN_BUILD)/wfsim_tests
	$(SAN_ENV) $(TSAN_BUILD)/wfsim census --employees 20000 --out $(TSAN_BUILD)/census.csv
	$(SAN_ENV) SOURCE_DATE_EPOCH=1700000000 $(TSAN_BUILD)/wfsim events --quiet --threads 4 \
	    --census $(TSAN_BUILD)/census.csv --out $(TSAN_BUILD)/events-out --snapshots
	@echo "test-sanitize: no findings"
# The sanitizers are part of `make test`: about 0.5-1 min from scratch on
# 2 cores; the whole `make -j2 check` with them took 6 min (11 min when the
# machine was busy).
check: test-sanitize
