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
#include <errno.h>
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
    "the events as Hive-partitioned Parquet. The model is specified in\n"
    "docs/model.md (installed as PREFIX/share/doc/wfsim/model.md); `man wfsim`\n"
    "describes every command.\n"
    "\n"
    "commands:\n"
    "  census    write a deterministic synthetic census CSV\n"
    "  events    simulate the years of a census and write the events (fast mode)\n"
    "  config    check a configuration file and print its canonical JSON\n"
    "  run       the whole job: events (fast or SQL mode), then dbt state,\n"
    "            metrics and tests, then a summary and the report\n"
    "  parity    run both modes and compare their events and snapshots\n"
    "  report    write a run's report.html (charts and tables) and report.xlsx\n"
    "  ensemble  scenarios x seeds with common random numbers, one dbt build,\n"
    "            distributions and paired differences\n"
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

int cli_run_environment(wf_run_options *opt)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (!*end && errno == 0 && v >= 0 && v < 253402300800LL) {
            opt->created_at_set = 1;
            opt->created_at_us = (int64_t)v * 1000000;
        }
    }
    const char *z = getenv("WFSIM_ZSTD_LEVEL");
    opt->zstd_level = 0;
    if (z && *z) {
        char *end;
        errno = 0;
        long n = strtol(z, &end, 10);
        if (end == z || *end || errno || n < -7 || n > 19 || n == 0) {
            wf_error err = {.status = WF_EINPUT};
            snprintf(err.message, sizeof err.message,
                     "WFSIM_ZSTD_LEVEL=%.900s: expected an integer from -7 to -1 or 1 to 19", z);
            return cli_fail(&err);
        }
        opt->zstd_level = (int)n;
    }
    const char *l = getenv("WFSIM_MD5_LANES");
    opt->md5_lanes = 0;
    if (l && *l) {
        if (strcmp(l, "1") && strcmp(l, "8") && strcmp(l, "16")) {
            wf_error err = {.status = WF_EINPUT};
            snprintf(err.message, sizeof err.message,
                     "WFSIM_MD5_LANES=%.900s: expected 1 (scalar), 8 (AVX2) or 16 (AVX-512)", l);
            return cli_fail(&err);
        }
        opt->md5_lanes = atoi(l);
    }
    return 0;
}

int cli_parse_options(const char *command, const char *help, const cli_opt *opts,
                      int argc, char **argv)
{
    enum { MAX_OPTS = 32, LONG_ONLY = 256 };
    struct option lo[MAX_OPTS + 2];
    char letters[2 * MAX_OPTS + 2] = "h";
    size_t n = 0, nl = 1;
    for (; opts[n].name; n++) {
        if (n == MAX_OPTS)
            abort(); /* a command's table, not input */
        lo[n].name = opts[n].name;
        lo[n].has_arg = opts[n].kind == CLI_FLAG ? no_argument : required_argument;
        lo[n].flag = NULL;
        lo[n].val = LONG_ONLY + (int)n;
        if (opts[n].letter) {
            letters[nl++] = opts[n].letter;
            if (opts[n].kind != CLI_FLAG)
                letters[nl++] = ':';
        }
    }
    letters[nl] = '\0';
    lo[n] = (struct option){"help", no_argument, NULL, 'h'};
    lo[n + 1] = (struct option){0, 0, 0, 0};
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, letters, lo, NULL)) != -1) {
        if (c == 'h') {
            fputs(help, stdout);
            return CLI_HELP_SHOWN;
        }
        size_t k = n;
        if (c >= LONG_ONLY)
            k = (size_t)(c - LONG_ONLY);
        else
            for (size_t j = 0; j < n; j++)
                if (opts[j].letter == c)
                    k = j;
        if (k >= n)
            return cli_usage(command, "unknown or incomplete option '%s'", argv[optind - 1]);
        const cli_opt *o = &opts[k];
        int rc = 0;
        switch (o->kind) {
        case CLI_TEXT: *(const char **)o->dest = optarg; break;
        case CLI_FLAG: *(int *)o->dest = 1; break;
        case CLI_LONG: rc = cli_parse_long(command, o->name, optarg, o->min, o->max, o->dest); break;
        case CLI_OVERRIDE: cli_override(o->dest, o->key, optarg, o->name); break;
        case CLI_LIST: {
            cli_list *l = o->dest;
            if (l->n == (int)(sizeof l->item / sizeof l->item[0]))
                return cli_usage(command, "too many of one option: '%s' is one more than 64",
                                 optarg);
            l->item[l->n++] = optarg;
            break;
        }
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return cli_usage(command, "unexpected argument '%s'", argv[optind]);
    return 0;
}

void cli_override(cli_overrides *ov, const char *key, const char *value,
                  const char *name)
{
    int j = 0;
    while (j < ov->n && strcmp(ov->item[j].key, key) != 0)
        j++;
    if (j == (int)(sizeof ov->item / sizeof ov->item[0]))
        abort(); /* more keys than the tables of the commands hold */
    /* A repeated option replaces the earlier one and counts as the later
     * override (the one a broken cross-key rule names). */
    for (; j + 1 < ov->n; j++) {
        ov->item[j] = ov->item[j + 1];
        memcpy(ov->origin[j], ov->origin[j + 1], sizeof ov->origin[j]);
    }
    if (j == ov->n)
        ov->n++;
    snprintf(ov->origin[j], sizeof ov->origin[j], "--%s", name);
    for (int i = 0; i < ov->n; i++)
        ov->item[i].origin = ov->origin[i];
    ov->item[j].key = key;
    ov->item[j].value = value;
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
