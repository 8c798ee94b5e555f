/*
 * wfsim.c - the command-line tool: `wfsim COMMAND [OPTIONS]`.
 *
 * A thin layer over include/wfsim.h (the only header it uses): it parses
 * options, loads inputs, runs, and turns a wf_status into the exit code.
 * Exit codes: 0 success, 2 bad input (census, configuration, tables),
 * 3 a file could not be read or written, 4 out of memory, 5 the model
 * refused a state or a child step failed, 64 bad command line.
 * Messages go to stderr as "wfsim: FILE:LINE:COLUMN: what is wrong".
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wfsim.h"
#include "wfsim_cli.h"

static const char main_help[] =
    "usage: wfsim COMMAND [OPTIONS]\n"
    "\n"
    "Simulates an employer's workforce and 401(k) plan year by year and writes\n"
    "the events as Hive-partitioned Parquet (model: MODEL.md, docs/).\n"
    "\n"
    "commands:\n"
    "  census    write a deterministic synthetic census CSV\n"
    "  events    simulate the years of a census and write the events (fast mode)\n"
    "  config    check a configuration file and print its canonical JSON\n"
    "  run       the whole job: events (fast or SQL mode), then dbt state,\n"
    "            metrics and tests, then a summary\n"
    "  parity    run both modes and compare their events and snapshots\n"
    "\n"
    "`wfsim COMMAND --help` describes each command's options.\n"
    "Exit status: 0 ok, 2 bad input, 3 file error, 4 out of memory,\n"
    "5 model refusal or failed step, 64 bad command line.\n";

int cli_fail(const wf_error *err)
{
    char msg[2048];
    wf_error_format(err, msg, sizeof msg);
    fprintf(stderr, "wfsim: %s\n", msg);
    return err->status ? (int)err->status : 1;
}

int cli_usage(const char *command, const char *fmt, const char *arg)
{
    fprintf(stderr, "wfsim %s: ", command);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\ntry `wfsim %s --help`\n", command);
    return WF_EUSAGE;
}

int cli_parse_long(const char *command, const char *name, const char *text,
                   long min, long max, long *out)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < min || v > max) {
        fprintf(stderr, "wfsim %s: --%s takes a whole number from %ld to %ld, not '%s'\n",
                command, name, min, max, text);
        return WF_EUSAGE;
    }
    *out = v;
    return 0;
}

double cli_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int cli_choose_threads(const char *command, long flag, const wf_config *cfg,
                       int *out)
{
    if (flag > 0) {
        *out = (int)flag;
        return 0;
    }
    const char *env = getenv("WFSIM_THREADS");
    if (env && *env) {
        long v;
        if (cli_parse_long(command, "threads (from WFSIM_THREADS)", env, 1, 1024, &v))
            return WF_EUSAGE;
        *out = (int)v;
        return 0;
    }
    *out = wf_config_threads(cfg);
    return 0;
}

int cli_override_option(cli_overrides *ov, int c, const char *arg)
{
    static const struct {
        int code;
        const char *key, *option;
    } map[] = {
        {CLI_OPT_START, "simulation.start_year", "--start"},
        {CLI_OPT_END, "simulation.end_year", "--end"},
        {CLI_OPT_SEED, "simulation.random_seed", "--seed"},
        {CLI_OPT_SCENARIO, "simulation.scenario_id", "--scenario"},
        {CLI_OPT_PLAN, "simulation.plan_design_id", "--plan"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (map[i].code != c)
            continue;
        /* A repeated option replaces the earlier one and counts as the
         * later override, so there is at most one entry per key. */
        int j = 0;
        while (j < ov->n && strcmp(ov->item[j].key, map[i].key) != 0)
            j++;
        if (j < ov->n)
            memmove(&ov->item[j], &ov->item[j + 1], (size_t)(ov->n - j - 1) * sizeof ov->item[0]);
        else
            ov->n++;
        ov->item[ov->n - 1] = (wf_config_override){map[i].key, arg, map[i].option};
        return 1;
    }
    return 0;
}

int cli_load_config(const char *path, const cli_overrides *ov, wf_config **out)
{
    wf_error err = {0};
    wf_config *cfg = NULL;
    if (wf_config_load_with(path, ov->item, (size_t)ov->n, &cfg, &err) != WF_OK)
        return cli_fail(&err);
    *out = cfg;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(main_help, stderr);
        return WF_EUSAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(main_help, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("wfsim %s (model version %d)\n", WF_VERSION, WF_MODEL_VERSION);
        return 0;
    }
    for (size_t i = 0; i < cli_command_count; i++)
        if (!strcmp(cmd, cli_commands[i].name))
            return cli_commands[i].main(argc - 1, argv + 1);
    fprintf(stderr, "wfsim: unknown command '%s'\n\n%s", cmd, main_help);
    return WF_EUSAGE;
}
