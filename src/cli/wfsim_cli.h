/*
 * wfsim_cli.h - what the command files of the `wfsim` tool share.
 *
 * Each command lives in its own cmd_*.c with a `int cmd_NAME(argc, argv)`
 * entry (argv[0] is the command name) and a help text; the table in
 * cli_commands.c lists them for main().
 */
#ifndef WFSIM_CLI_H
#define WFSIM_CLI_H

#include "wfsim.h"

typedef struct cli_command {
    const char *name;
    int (*main)(int argc, char **argv);
} cli_command;

extern const cli_command cli_commands[];
extern const size_t cli_command_count;

/* Prints "wfsim: <formatted error>" and returns the exit code for it. */
int cli_fail(const wf_error *err);
/* Prints a usage complaint (fmt has one %s for arg) and returns 64. */
int cli_usage(const char *command, const char *fmt, const char *arg);
/* Parses a whole number option in [min, max]; 0 or 64 (after a message). */
int cli_parse_long(const char *command, const char *name, const char *text,
                   long min, long max, long *out);

/* Seconds on the monotonic clock, for progress lines and stage timings. */
double cli_seconds(void);
/* Engine threads: the --threads value when > 0, else $WFSIM_THREADS (a
 * whole number 1..1024, else a usage error naming the command), else the
 * configuration's performance.threads (0: all cores). 0 or 64. */
int cli_choose_threads(const char *command, long flag, const wf_config *cfg,
                       int *out);

/* Configuration keys set from the command line (--start, --seed, ...). */
typedef struct cli_overrides {
    int n;
    wf_config_override item[8];   /* one per key of CLI_OVERRIDE_OPTIONS */
} cli_overrides;

/* The options every command that loads a configuration takes to override
 * simulation keys: entries for its getopt_long table, their help lines,
 * and cli_override_option to record one. */
enum { CLI_OPT_START = 0x1000, CLI_OPT_END, CLI_OPT_SEED, CLI_OPT_SCENARIO, CLI_OPT_PLAN };
#define CLI_OVERRIDE_OPTIONS                                  \
    {"start", required_argument, 0, CLI_OPT_START},           \
    {"end", required_argument, 0, CLI_OPT_END},               \
    {"seed", required_argument, 0, CLI_OPT_SEED},             \
    {"scenario", required_argument, 0, CLI_OPT_SCENARIO},     \
    {"plan", required_argument, 0, CLI_OPT_PLAN}
#define CLI_OVERRIDE_HELP                                                          \
    "  --start Y, --end Y\n"                                                    \
    "                  override simulation.start_year, end_year (plain digits);\n"\
    "                  every override is applied first, then 1900 <= start <=\n"  \
    "                  end <= 2200 is checked on the result\n"                     \
    "  --seed S        override simulation.random_seed (plain digits,\n"          \
    "                  0..9223372036854775807)\n"                                  \
    "  --scenario ID, --plan ID\n"                                               \
    "                  override simulation.scenario_id, plan_design_id; the id\n" \
    "                  is the text given (`--scenario 123` is \"123\"): 1-64\n"   \
    "                  characters from A-Z a-z 0-9 _ . -\n"

/* Records the override of option code c (one of CLI_OPT_*) with its text;
 * returns 1 when c was one of them, else 0. */
int cli_override_option(cli_overrides *ov, int c, const char *arg);
/* Loads path (NULL: defaults), applies the overrides in order and checks
 * the configuration's cross-key rules once on the result; on error prints
 * it and returns the exit code, else 0. */
int cli_load_config(const char *path, const cli_overrides *ov, wf_config **out);

/* The path of `rel` inside the repository the running binary was built in
 * (BUILD/wfsim -> REPO/rel). 0 on success. */
int cli_repo_path(const char *rel, char *buf, size_t size);
/* Runs argv (argv[0] looked up in PATH when it has no slash) with stdin from
 * /dev/null and stdout+stderr into log_path (also to stderr when echo).
 * Returns the exit status, 128+signal, or -1 when it could not start. */
int cli_spawn(char *const argv[], const char *log_path, int echo);
/* After a failed step: prints the log's error lines (or its tail). */
void cli_show_failure(const char *log_path);

int cmd_census(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_parity(int argc, char **argv);

#endif
