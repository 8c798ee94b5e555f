/*
 * cmd_events.c - `wfsim events`: fast mode, census to partitioned Parquet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wfsim_cli.h"

static const char help[] =
    "usage: wfsim events --census FILE --out DIR [--config FILE] [--tables DIR]\n"
    "                    [--start Y] [--end Y] [--seed S] [--scenario ID]\n"
    "                    [--plan ID] [--threads N] [--snapshots] [--debug-csv]\n"
    "                    [--skip-invalid-rows] [--quiet | --verbose]\n"
    "\n"
    "Simulates every year of the model (docs/model.md) for the census and writes\n"
    "  DIR/simulation_year=YYYY/part-00000.parquet   the events (model 5.1)\n"
    "  DIR/generation_summary.json                   per-year figures (5.3)\n"
    "  DIR/census.parquet                            the census as read (normalised)\n"
    "DIR is replaced as a whole only when everything was written: a failed run\n"
    "leaves an existing DIR as it was. A per-year table goes to stdout.\n"
    "\n"
    "  --census FILE   census CSV (docs/model.md 2.1)\n"
    "  --out DIR       output folder (its parent must exist)\n"
    "  --config FILE   YAML configuration (default: the model's defaults, 2.2)\n"
    "  --tables DIR    parameter tables (default: the built-in copies of dbt/seeds)\n"
    CLI_OVERRIDE_HELP
    "  --threads N     worker threads (default: $WFSIM_THREADS, then the\n"
    "                  configuration's performance.threads, then all cores);\n"
    "                  the output does not depend on it\n"
    "  --snapshots     also write DIR/workforce_snapshot/ (model 5.2)\n"
    "  --debug-csv     also write DIR/debug/events.csv and snapshot.csv\n"
    "  --skip-invalid-rows\n"
    "                  leave out census rows that break a rule (every row of a\n"
    "                  duplicated employee_id among them) and list them in\n"
    "                  DIR/rejected_rows.csv, as census.invalid_rows: skip does;\n"
    "                  by default a census with bad rows is refused, its errors\n"
    "                  listed (the first 100 rows' and the total)\n"
    "  --quiet         print nothing but errors\n"
    "  --verbose       print each stage on stderr, and the events of each year\n"
    "                  by type after the per-year table\n"
    "\n"
    "created_at is the run's start time, or $SOURCE_DATE_EPOCH when set (then\n"
    "repeated runs give byte-identical files). $WFSIM_ZSTD_LEVEL (-7..-1 or\n"
    "1..19, default -3) sets the ZSTD level of the Parquet pages: other bytes,\n"
    "the same values. $WFSIM_MD5_LANES (1, 8 or 16) caps the MD5 lanes of the\n"
    "draws and event ids (scalar, AVX2, AVX-512; default the best the CPU has):\n"
    "the same bytes at every level, for tests and benchmarks.\n";

typedef struct progress_state {
    int tty, verbose;
    int start_year, years;
    double t0;
} progress_state;

static void on_progress(void *ctx, const char *stage, int year, double fraction)
{
    progress_state *p = ctx;
    (void)fraction;
    int done = year - p->start_year + 1;
    if (p->verbose)
        fprintf(stderr, "wfsim: %d %s (%d/%d, %.2f s)\n", year, stage, done,
                p->years, cli_seconds() - p->t0);
    else if (p->tty && done < p->years)
        fprintf(stderr, "\rwfsim: %d %s (%d/%d)   ", year, stage, done, p->years);
    else if (p->tty)
        /* The last year is written: the per-year table comes next, on a
         * clean line (stdout and stderr share the terminal). */
        fputs("\r\033[K", stderr);
}

int cmd_events(int argc, char **argv)
{
    const char *census = NULL, *config = NULL, *tables = NULL, *out = NULL;
    cli_overrides ov = {0};
    long threads = 0;
    int snapshots = 0, debug_csv = 0, quiet = 0, verbose = 0, skip_invalid = 0;
    const cli_opt opts[] = {
        {"census", 0, CLI_TEXT, &census, NULL, 0, 0},
        {"config", 0, CLI_TEXT, &config, NULL, 0, 0},
        {"tables", 0, CLI_TEXT, &tables, NULL, 0, 0},
        {"out", 0, CLI_TEXT, &out, NULL, 0, 0},
        CLI_SIMULATION_OVERRIDES(&ov),
        {"threads", 0, CLI_LONG, &threads, NULL, 1, 1024},
        {"snapshots", 0, CLI_FLAG, &snapshots, NULL, 0, 0},
        {"debug-csv", 0, CLI_FLAG, &debug_csv, NULL, 0, 0},
        {"skip-invalid-rows", 0, CLI_FLAG, &skip_invalid, NULL, 0, 0},
        {"quiet", 'q', CLI_FLAG, &quiet, NULL, 0, 0},
        {"verbose", 'v', CLI_FLAG, &verbose, NULL, 0, 0},
        {NULL, 0, 0, NULL, NULL, 0, 0},
    };
    int prc = cli_parse_options("events", help, opts, argc, argv);
    if (prc)
        return prc == CLI_HELP_SHOWN ? 0 : prc;
    if (skip_invalid)
        cli_override(&ov, "census.invalid_rows", "skip", "skip-invalid-rows");
    if (!census || !out)
        return cli_usage("events", "%s", "--census and --out are required");

    wf_config *cfg = NULL;
    wf_tables *tab = NULL;
    wf_census *cen = NULL;
    wf_error err = {0};
    int rc = cli_load_config(config, &ov, &cfg);
    if (rc)
        return rc;
    int nthreads;
    rc = cli_choose_threads("events", threads, cfg, &nthreads);
    progress_state ps = {
        .tty = !quiet && isatty(STDERR_FILENO),
        .verbose = verbose && !quiet,
        .start_year = wf_config_start_year(cfg),
        .years = wf_config_end_year(cfg) - wf_config_start_year(cfg) + 1,
        .t0 = cli_seconds(),
    };
    wf_status st = WF_OK;
    if (rc == 0) {
        if ((rc = cli_load_tables(tables, &tab)) != 0)
            goto done;
        char rejects[4200];
        snprintf(rejects, sizeof rejects, "%s/rejected_rows.csv", out);
        if (st == WF_OK && (rc = cli_load_census(census, cfg, tab, rejects, quiet, &cen)) != 0)
            goto done;
        if (st == WF_OK && ps.verbose)
            fprintf(stderr, "wfsim: census loaded: %zu active employees (%.2f s)\n",
                    wf_census_count(cen), cli_seconds() - ps.t0);
        if (st == WF_OK) {
            wf_run_options opt = {
                .out_dir = out,
                .threads = nthreads,
                .snapshots = snapshots,
                .debug_csv = debug_csv,
                .progress = on_progress,
                .progress_ctx = &ps,
                .report = quiet ? NULL : stdout,
                .report_by_type = verbose,
            };
            rc = cli_run_environment(&opt);
            if (rc == 0)
                st = wf_events_run(cfg, tab, cen, &opt, &err);
        }
        if (ps.tty && !ps.verbose)
            fputs("\r\033[K", stderr);
        if (rc == 0)
            rc = st == WF_OK ? 0 : cli_fail(&err);
        if (rc == 0 && ps.verbose)
            fprintf(stderr, "wfsim: wrote %s (%.2f s)\n", out, cli_seconds() - ps.t0);
    }
done:
    wf_census_free(cen);
    wf_tables_free(tab);
    wf_config_free(cfg);
    return rc;
}
