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
    const char *key[16], *value[16];
} cli_overrides;

void cli_override(cli_overrides *ov, const char *key, const char *value);
/* Loads path (NULL: defaults) and applies the overrides in order; on error
 * prints it and returns the exit code, else 0. */
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
/* What the load did, as a JSON object (rows, rejected rows, the accepted
 * rows' SHA-256) into buf. */
void cli_census_json(const wf_census *cen, char *buf, size_t size);

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
