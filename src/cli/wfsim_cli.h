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
/* The run options the library takes from the environment through the
 * tool: created_at from $SOURCE_DATE_EPOCH (whole seconds from 0 up to
 * year 9999; anything else is ignored, the wall clock is used), the ZSTD
 * level from $WFSIM_ZSTD_LEVEL (-7..-1 or 1..19, else a message and exit
 * status 2). 0 or the exit status. */
int cli_run_environment(wf_run_options *opt);

/* Configuration keys set from the command line (--start, --seed, ...),
 * in the order given; a repeated option replaces its earlier entry. */
typedef struct cli_overrides {
    int n;
    wf_config_override item[8];   /* at most one per key */
    char origin[8][40];           /* "--start": item[i].origin points here */
} cli_overrides;

/* The options of one command, as a table that cli_parse_options reads:
 * every command parses, rejects unknown options and stray arguments, and
 * answers --help / -h the same way. */
typedef enum cli_opt_kind {
    CLI_TEXT,        /* const char **dest: the argument */
    CLI_FLAG,        /* int *dest: set to 1 */
    CLI_LONG,        /* long *dest: a whole number in [min, max] */
    CLI_OVERRIDE,    /* cli_overrides *dest: (key, the argument) */
    CLI_LIST         /* cli_list *dest: the argument appended (repeatable) */
} cli_opt_kind;

/* The arguments of a repeatable option, in order (at most 64). */
typedef struct cli_list {
    int n;
    const char *item[64];
} cli_list;

typedef struct cli_opt {
    const char *name;    /* the long name, without "--"; NULL ends a table */
    char letter;         /* a short form (-q), or 0 */
    cli_opt_kind kind;
    void *dest;
    const char *key;     /* CLI_OVERRIDE: the configuration key */
    long min, max;       /* CLI_LONG */
} cli_opt;

/* --start, --end, --seed, --scenario, --plan: the simulation section. */
#define CLI_SIMULATION_OVERRIDES(ov)                                         \
    {"start", 0, CLI_OVERRIDE, (ov), "simulation.start_year", 0, 0},         \
    {"end", 0, CLI_OVERRIDE, (ov), "simulation.end_year", 0, 0},             \
    {"seed", 0, CLI_OVERRIDE, (ov), "simulation.random_seed", 0, 0},         \
    {"scenario", 0, CLI_OVERRIDE, (ov), "simulation.scenario_id", 0, 0},     \
    {"plan", 0, CLI_OVERRIDE, (ov), "simulation.plan_design_id", 0, 0}

/* Their help lines, the same in every command that takes them. */
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

#define CLI_HELP_SHOWN (-1)

/* Parses argv[1..argc) (argv[0] is the command name) against opts (at
 * most 32, ended by a NULL name) plus --help / -h. Returns 0, or
 * CLI_HELP_SHOWN after printing help to stdout (the command then exits
 * 0), or 64 after a usage message naming the command (an unknown or
 * incomplete option, a bad number, an argument that is not an option). */
int cli_parse_options(const char *command, const char *help, const cli_opt *opts,
                      int argc, char **argv);

/* Records key = value, given as option `name` (without "--"). */
void cli_override(cli_overrides *ov, const char *key, const char *value,
                  const char *name);
/* Loads path (NULL: defaults), applies the overrides in order and checks
 * the configuration's cross-key rules once on the result
 * (wf_config_load_with); on error prints it and returns the exit code,
 * else 0. */
int cli_load_config(const char *path, const cli_overrides *ov, wf_config **out);

/* Loads the census under cfg's census section with the tables; strict
 * mode's refusal lists every bad row (the first 100 and the total), skip
 * mode prints "census: N employees loaded, M rows rejected (rejects_path)"
 * unless quiet. 0, or the exit code after printing the errors. */
int cli_load_census(const char *path, const wf_config *cfg, const wf_tables *tab,
                    const char *rejects_path, int quiet, wf_census **out);
/* Loads the parameter tables of dir (NULL: built-in); a table with bad
 * rows is refused listing them. 0, or the exit code after the errors. */
int cli_load_tables(const char *dir, wf_tables **out);
/* What the load did (rows, rejected rows, the accepted rows' SHA-256): as
 * a JSON object into buf, and as two lines for people into line (each under 100 columns). */
void cli_census_json(const wf_census *cen, char *buf, size_t size, char *line,
                     size_t line_size);

/* The path of `rel` inside wfsim's data folder (cli_locate.c): PREFIX/share/
 * wfsim for an installed wfsim, else the source tree the binary was built in
 * (BUILD/wfsim -> REPO/rel). 0 on success (the file need not exist). */
int cli_repo_path(const char *rel, char *buf, size_t size);
/* Finds `tool` (dbt, python) of wfsim's Python environment: $env_var, then
 * $WFSIM_VENV/bin, the data folder's venv, then PATH. 0 with the program's
 * path in buf, else WF_ERUNTIME after a message (naming `command`) that says
 * what is missing, where it was looked for and how to install it (command
 * NULL: the message starts "wfsim:"). */
int cli_find_tool(const char *command, const char *tool, const char *env_var,
                  char *buf, size_t size);
/* Runs argv (argv[0] looked up in PATH when it has no slash) with stdin from
 * /dev/null and stdout+stderr into log_path (also to stderr when echo).
 * Returns the exit status, 128+signal, or -1 when it could not start. */
int cli_spawn(char *const argv[], const char *log_path, int echo);
/* cli_spawn with the child's working directory cwd (NULL: this one's). */
int cli_spawn_in(char *const argv[], const char *log_path, int echo, const char *cwd);
/* After a failed step: prints the log's error lines (or its tail). */
void cli_show_failure(const char *log_path);
/* Writes DIR/report.html and DIR/report.xlsx (python -m wfsim.report, its
 * output in DIR/logs/report.log); `wfsim run` and `wfsim ensemble` call it
 * at the end. 0 or an exit code, after a message. */
int cli_write_report(const char *dir, int quiet, int verbose);
/* Removes DIR/report.html and DIR/report.xlsx: a run or ensemble into a
 * folder that holds an earlier report calls it before making anything, so
 * that no report describes other data. */
void cli_remove_report(const char *dir);

int cmd_census(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_parity(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_ensemble(int argc, char **argv);

#endif
