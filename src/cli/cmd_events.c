/*
 * cmd_events.c - `wfsim events`: fast mode, census to partitioned Parquet.
 */
#include <getopt.h>
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
    "Simulates every year of MODEL.md for the census and writes\n"
    "  DIR/simulation_year=YYYY/part-00000.parquet   the events (MODEL.md 5.1)\n"
    "  DIR/generation_summary.json                   per-year figures (5.3)\n"
    "  DIR/census.parquet                            the census as read (normalised)\n"
    "DIR is replaced as a whole only when everything was written: a failed run\n"
    "leaves an existing DIR as it was. A per-year table goes to stdout.\n"
    "\n"
    "  --census FILE   census CSV (MODEL.md 2.1)\n"
    "  --out DIR       output folder (its parent must exist)\n"
    "  --config FILE   YAML configuration (default: MODEL.md's defaults)\n"
    "  --tables DIR    parameter tables (default: the built-in copies of dbt/seeds)\n"
    "  --start, --end, --seed, --scenario, --plan\n"
    "                  override simulation.start_year, end_year, random_seed,\n"
    "                  scenario_id, plan_design_id of the configuration\n"
    "  --threads N     worker threads (default: $WFSIM_THREADS, then the\n"
    "                  configuration's performance.threads, then all cores);\n"
    "                  the output does not depend on it\n"
    "  --snapshots     also write DIR/workforce_snapshot/ (MODEL.md 5.2)\n"
    "  --debug-csv     also write DIR/debug/events.csv and snapshot.csv\n"
    "  --skip-invalid-rows\n"
    "                  leave out census rows that break a rule (every row of a\n"
    "                  duplicated employee_id among them) and list them in\n"
    "                  DIR/rejected_rows.csv, as census.invalid_rows: skip does;\n"
    "                  by default a census with bad rows is refused, its errors\n"
    "                  listed (the first 100 rows' and the total)\n"
    "  --quiet         print nothing but errors\n"
    "  --verbose       print each stage on stderr\n"
    "\n"
    "created_at is the run's start time, or $SOURCE_DATE_EPOCH when set (then\n"
    "repeated runs give byte-identical files). $WFSIM_ZSTD_LEVEL (-7..-1 or\n"
    "1..19, default -3) sets the ZSTD level of the Parquet pages: other bytes,\n"
    "the same values.\n";

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
    else if (p->tty)
        fprintf(stderr, "\rwfsim: %d %s (%d/%d)   ", year, stage, done, p->years);
}

int cmd_events(int argc, char **argv)
{
    static const struct option opts[] = {
        {"census", required_argument, 0, 'C'},
        {"config", required_argument, 0, 'c'},
        {"tables", required_argument, 0, 't'},
        {"out", required_argument, 0, 'o'},
        {"start", required_argument, 0, 's'},
        {"end", required_argument, 0, 'e'},
        {"seed", required_argument, 0, 'r'},
        {"scenario", required_argument, 0, 'S'},
        {"plan", required_argument, 0, 'P'},
        {"threads", required_argument, 0, 'T'},
        {"snapshots", no_argument, 0, 'n'},
        {"debug-csv", no_argument, 0, 'd'},
        {"skip-invalid-rows", no_argument, 0, 'K'},
        {"quiet", no_argument, 0, 'q'},
        {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *census = NULL, *config = NULL, *tables = NULL, *out = NULL;
    cli_overrides ov = {0};
    long threads = 0;
    int snapshots = 0, debug_csv = 0, quiet = 0, verbose = 0, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
        int rc = 0;
        switch (c) {
        case 'C': census = optarg; break;
        case 'c': config = optarg; break;
        case 't': tables = optarg; break;
        case 'o': out = optarg; break;
        case 's': cli_override(&ov, "simulation.start_year", optarg); break;
        case 'e': cli_override(&ov, "simulation.end_year", optarg); break;
        case 'r': cli_override(&ov, "simulation.random_seed", optarg); break;
        case 'S': cli_override(&ov, "simulation.scenario_id", optarg); break;
        case 'P': cli_override(&ov, "simulation.plan_design_id", optarg); break;
        case 'T': rc = cli_parse_long("events", "threads", optarg, 1, 1024, &threads); break;
        case 'n': snapshots = 1; break;
        case 'd': debug_csv = 1; break;
        case 'K': cli_override(&ov, "census.invalid_rows", "skip"); break;
        case 'q': quiet = 1; break;
        case 'v': verbose = 1; break;
        case 'h': fputs(help, stdout); return 0;
        default: return cli_usage("events", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return cli_usage("events", "unexpected argument '%s'", argv[optind]);
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
            };
            st = wf_events_run(cfg, tab, cen, &opt, &err);
        }
        if (ps.tty && !ps.verbose)
            fputs("\r\033[K", stderr);
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
