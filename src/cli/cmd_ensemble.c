/*
 * cmd_ensemble.c - `wfsim ensemble`: scenarios x seeds, one dbt build.
 *
 * Every scenario (a configuration file; the first is the baseline) runs
 * with the same seeds, so the paired differences between scenarios carry
 * no sampling noise of their own (common random numbers, docs/model.md 0.1).
 * The engine writes every replicate into DIR/events in one process
 * (wf_ensemble_run), then one `dbt build` makes the state, the metrics,
 * the ensemble marts (models/ensemble/) and runs every data test over all
 * replicates at once; the per-scenario, per-year summary printed at the
 * end comes from the mart ensemble_summary, written as CSV by its
 * post-hook.
 *
 * The scenarios are checked here, before anything is written: each file
 * through the engine's loader (file, line, column, key), then together
 * (distinct scenario_id, the same years), naming the files and keys.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"

#define MAX_SCENARIOS 64

static const char help[] =
    "usage: wfsim ensemble --census FILE --scenario FILE [--scenario FILE ...]\n"
    "                      [--seeds N] [--seed S] [--start Y] [--end Y]\n"
    "                      [--threads N] [--out DIR] [--events-only] [--no-report]\n"
    "                      [--skip-invalid-rows] [--quiet | --verbose]\n"
    "                      [--cluster tcp://HOST:PORT [--batch-size N]]\n"
    "                      [--check | --from-metrics FILE | --from-events]\n"
    "\n"
    "Runs every scenario with the same N seeds (common random numbers: with\n"
    "one seed, two scenarios differ only by their parameters), all replicates\n"
    "in one process, then one dbt build over all of them, and prints per\n"
    "scenario and year the median and P10-P90 of the key metrics, the median\n"
    "paired difference to the baseline and sd_unpaired / sd_paired.\n"
    "\n"
    "  --census FILE     census CSV (docs/model.md 2.1), loaded once\n"
    "  --scenario FILE   a YAML configuration (docs/model.md 2.2); repeat it; the\n"
    "                    first is the baseline; scenario_id values must differ\n"
    "  --seeds N         seeds per scenario (default 1)\n"
    "  --seed S          the first seed (default: the baseline's random_seed);\n"
    "                    the seeds are S .. S + N - 1\n"
    "  --start, --end    override every scenario's simulation.start_year and\n"
    "                    end_year (otherwise they must be equal)\n"
    "  --threads N       replicates run at once (default: $WFSIM_THREADS, the\n"
    "                    baseline's performance.threads, then all cores); the\n"
    "                    output does not depend on it\n"
    "  --out DIR         the ensemble's folder (default: ens); it holds\n"
    "                    events/scenario_id=S/plan_design_id=P/random_seed=R/\n"
    "                    simulation_year=Y/*.parquet, wfsim.duckdb (the marts\n"
    "                    fct_replicate_metrics, fct_metric_distributions,\n"
    "                    fct_scenario_differences, fct_threshold_probabilities),\n"
    "                    logs/, ensemble_summary.csv, run_summary.json,\n"
    "                    report.html and report.xlsx\n"
    "  --events-only     write DIR/events only (no dbt build, no report)\n"
    "  --no-report       do not write DIR/report.html and DIR/report.xlsx\n"
    "                    (`wfsim report DIR`, docs/report.md)\n"
    "  --skip-invalid-rows\n"
    "                    leave out census rows that break a rule and list them\n"
    "                    in DIR/census/rejected_rows.csv (census.invalid_rows:\n"
    "                    skip); every replicate and dbt read the accepted rows,\n"
    "                    normalised, from DIR/census/census.parquet\n"
    "  --cluster ADDR    run the replicates on a Dask cluster (its scheduler's\n"
    "                    address): batches of seeds as Dask tasks, each running\n"
    "                    this command on a worker into DIR; DIR, the census,\n"
    "                    the scenario files and wfsim must be on a file system\n"
    "                    every worker sees (docs/scaling.md); marts and report\n"
    "                    equal a local run's. $WFSIM_CLUSTER_TIMEOUT (s, default\n"
    "                    30) bounds the wait for the scheduler (else exit 3)\n"
    "  --batch-size N    seeds per Dask task (default: from the workforce size,\n"
    "                    docs/scaling.md); the result does not depend on it\n"
    "  --check           check the census and scenarios, print `first_seed S`,\n"
    "                    `start_year Y`, `end_year Y`, `scenarios N` (one a\n"
    "                    line) and write nothing\n"
    "  --from-metrics F  build the ensemble marts from F (Parquet rows of\n"
    "                    fct_replicate_metrics, as a cluster run's batches\n"
    "                    write them) instead of from events\n"
    "  --from-events     DIR/events and DIR/census/census.parquet are written\n"
    "                    (wfsim.ensemble does that): build, summary, report\n"
    "  --quiet           print nothing but errors\n"
    "  --verbose         copy dbt's output to stderr\n"
    "\n"
    "Thresholds for P(metric > threshold) come from each scenario's\n"
    "`thresholds` section (docs/config.md), else from the baseline's.\n"
    "Every event's created_at is the ensemble's start time, or\n"
    "$SOURCE_DATE_EPOCH when set; $WFSIM_ZSTD_LEVEL as for `wfsim events`.\n"
    "Exit status as `wfsim run`; bad or inconsistent scenarios exit 2.\n";

typedef struct ens_args {
    cli_list files;
    const char **file;          /* files.item */
    wf_config *cfg[MAX_SCENARIOS];
    int n;
    long seeds;
    const char *seed, *census, *out;
    int events_only, no_report, check, skip_invalid, from_events;
    const char *cluster, *from_metrics;
    long batch_size;
    cli_overrides ov;
} ens_args;

static void say(const run_state *rs, const char *fmt, const char *arg)
{
    if (rs->quiet)
        return;
    fprintf(stderr, "wfsim ensemble: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
}

static void on_progress(void *ctx, int done, int total)
{
    const run_state *rs = ctx;
    if (rs->verbose)
        fprintf(stderr, "wfsim ensemble: replicate %d/%d written (%.2f s)\n", done,
                total, cli_seconds() - rs->t0);
    else if (!rs->quiet && isatty(STDERR_FILENO))
        fprintf(stderr, "\rwfsim ensemble: %d/%d replicates   ", done, total);
}

/* Distinct scenario ids, equal years (after --start/--end). 0 or 2. */
static int check_scenarios(const ens_args *a)
{
    for (int i = 1; i < a->n; i++) {
        const char *key = NULL;
        int mine = 0, base = 0;
        if (wf_config_start_year(a->cfg[i]) != wf_config_start_year(a->cfg[0])) {
            key = "simulation.start_year";
            mine = wf_config_start_year(a->cfg[i]);
            base = wf_config_start_year(a->cfg[0]);
        } else if (wf_config_end_year(a->cfg[i]) != wf_config_end_year(a->cfg[0])) {
            key = "simulation.end_year";
            mine = wf_config_end_year(a->cfg[i]);
            base = wf_config_end_year(a->cfg[0]);
        }
        if (key) {
            fprintf(stderr, "wfsim: %s: %s: %d differs from %d in %s (the baseline); "
                            "every scenario needs the same years (or give --start/--end)\n",
                    a->file[i], key, mine, base, a->file[0]);
            return WF_EINPUT;
        }
    }
    for (int i = 0; i < a->n; i++)
        for (int j = 0; j < i; j++)
            if (!strcmp(wf_config_scenario_id(a->cfg[i]), wf_config_scenario_id(a->cfg[j]))) {
                fprintf(stderr, "wfsim: %s, %s: simulation.scenario_id: both are '%s'; "
                                "every scenario needs its own id\n",
                        a->file[j], a->file[i], wf_config_scenario_id(a->cfg[i]));
                return WF_EINPUT;
            }
    return 0;
}

/* Parses the command line into a; 0, or the exit code (-1: --help shown). */
static int parse_args(int argc, char **argv, ens_args *a, run_state *rs, long *threads)
{
    const cli_opt opts[] = {
        {"census", 0, CLI_TEXT, &a->census, NULL, 0, 0},
        {"scenario", 0, CLI_LIST, &a->files, NULL, 0, 0},
        {"seeds", 0, CLI_LONG, &a->seeds, NULL, 1, 1000000},
        {"seed", 0, CLI_TEXT, &a->seed, NULL, 0, 0},
        {"start", 0, CLI_OVERRIDE, &a->ov, "simulation.start_year", 0, 0},
        {"end", 0, CLI_OVERRIDE, &a->ov, "simulation.end_year", 0, 0},
        {"threads", 0, CLI_LONG, threads, NULL, 1, 1024},
        {"out", 0, CLI_TEXT, &a->out, NULL, 0, 0},
        {"events-only", 0, CLI_FLAG, &a->events_only, NULL, 0, 0},
        {"skip-invalid-rows", 0, CLI_FLAG, &a->skip_invalid, NULL, 0, 0},
        {"no-report", 0, CLI_FLAG, &a->no_report, NULL, 0, 0},
        {"cluster", 0, CLI_TEXT, &a->cluster, NULL, 0, 0},
        {"batch-size", 0, CLI_LONG, &a->batch_size, NULL, 1, 1000000},
        {"check", 0, CLI_FLAG, &a->check, NULL, 0, 0},
        {"from-metrics", 0, CLI_TEXT, &a->from_metrics, NULL, 0, 0},
        {"from-events", 0, CLI_FLAG, &a->from_events, NULL, 0, 0},
        {"quiet", 'q', CLI_FLAG, &rs->quiet, NULL, 0, 0},
        {"verbose", 'v', CLI_FLAG, &rs->verbose, NULL, 0, 0},
        {NULL, 0, 0, NULL, NULL, 0, 0},
    };
    int rc = cli_parse_options("ensemble", help, opts, argc, argv);
    if (rc)
        return rc;
    if (a->skip_invalid)
        cli_override(&a->ov, "census.invalid_rows", "skip", "skip-invalid-rows");
    a->file = a->files.item;
    a->n = a->files.n;
    if (!a->census || a->n == 0)
        return cli_usage("ensemble", "%s", "--census and at least one --scenario are required");
    if (a->batch_size && !a->cluster)
        return cli_usage("ensemble", "%s", "--batch-size goes with --cluster");
    if (a->cluster && (a->check || a->from_metrics || a->events_only || a->from_events))
        return cli_usage("ensemble", "%s", "--cluster does not go with --check, "
                                           "--from-metrics, --from-events or --events-only");
    if (a->from_events && (a->check || a->from_metrics || a->events_only))
        return cli_usage("ensemble", "%s", "--from-events does not go with --check, "
                                           "--from-metrics or --events-only");
    return 0;
}

/* The first seed: --seed (checked as the configuration key), else the
 * baseline's random_seed (read back from its canonical form). */
static int first_seed(const ens_args *a, int64_t *seed)
{
    if (a->seed) {
        wf_error err = {0};
        if (wf_config_set(a->cfg[0], "simulation.random_seed", a->seed, &err) != WF_OK)
            return cli_fail(&err);
    }
    *seed = wf_config_random_seed(a->cfg[0]);
    return 0;
}

/* ---- the dbt build -------------------------------------------------------- */

/* Appends printf-style text to a growing string; NULL stays NULL. */
static char *append(char *s, size_t *cap, const char *text)
{
    if (!s)
        return NULL;
    size_t n = strlen(s), m = strlen(text);
    if (n + m + 1 > *cap) {
        size_t want = (n + m + 1) * 2;
        char *t = realloc(s, want);
        if (!t) {
            free(s);
            return NULL;
        }
        s = t;
        *cap = want;
    }
    memcpy(s + n, text, m + 1);
    return s;
}

static char *append_str(char *s, size_t *cap, const char *text)
{
    char buf[2 * PATH_MAX + 8] = "";
    cli_json_str(buf, sizeof buf, text);
    return append(s, cap, buf);
}

/* Appends json_of(cfg) of every scenario, comma-separated; NULL (s freed)
 * when one of them is out of memory. */
static char *append_json_each(char *s, size_t *cap, const ens_args *a,
                              char *(*json_of)(const wf_config *))
{
    for (int i = 0; i < a->n && s; i++) {
        char *json = json_of(a->cfg[i]);
        if (!json) {
            free(s);
            return NULL;
        }
        s = append(s, cap, i ? ", " : "");
        s = append(s, cap, json);
        free(json);
    }
    return s;
}

/* Thresholds of scenario i: its own, else the baseline's, as
 * {"metric": value, ...}. */
static char *append_thresholds(char *s, size_t *cap, const ens_args *a, int i)
{
    const char *name[16], *base_name[16];
    double value[16], base_value[16];
    int n = wf_config_thresholds(a->cfg[i], name, value, 16);
    int nb = wf_config_thresholds(a->cfg[0], base_name, base_value, 16);
    s = append(s, cap, "{");
    int first = 1;
    char buf[128];
    for (int k = 0; k < nb; k++) {
        double v = base_value[k];
        for (int m = 0; m < n; m++)
            if (!strcmp(name[m], base_name[k]))
                v = value[m];
        snprintf(buf, sizeof buf, "%s\"%s\": %.17g", first ? "" : ", ", base_name[k], v);
        s = append(s, cap, buf);
        first = 0;
    }
    for (int m = 0; m < n; m++) {
        int in_base = 0;
        for (int k = 0; k < nb; k++)
            in_base |= !strcmp(name[m], base_name[k]);
        if (in_base)
            continue;
        snprintf(buf, sizeof buf, "%s\"%s\": %.17g", first ? "" : ", ", name[m], value[m]);
        s = append(s, cap, buf);
        first = 0;
    }
    return append(s, cap, "}");
}

/* The --vars of the build: paths, every scenario's canonical configuration,
 * the baseline, the seeds run and the thresholds. */
static char *ensemble_vars(const run_state *rs, const ens_args *a)
{
    size_t cap = 4096;
    char *s = calloc(1, cap), path[PATH_MAX + 64], buf[64];
    s = append(s, &cap, "{\"events_path\": ");
    snprintf(path, sizeof path, "%s/events", rs->out);
    s = append_str(s, &cap, path);
    s = append(s, &cap, ", \"events_glob\": \"scenario_id=*/plan_design_id=*/random_seed=*/"
                        "simulation_year=*/*.parquet\", \"snapshot_path\": \"\", \"census_path\": ");
    s = append_str(s, &cap, rs->census_input[0] ? rs->census_input : rs->census);
    s = append(s, &cap, ", \"ensemble_summary_csv\": ");
    snprintf(path, sizeof path, "%s/ensemble_summary.csv", rs->out);
    s = append_str(s, &cap, path);
    if (a->from_metrics) {
        s = append(s, &cap, ", \"replicate_metrics_path\": ");
        s = append_str(s, &cap, a->from_metrics);
    }
    snprintf(buf, sizeof buf, ", \"expected_seeds\": %ld", a->seeds);
    s = append(s, &cap, buf);
    s = append(s, &cap, ", \"wfsim_scenarios\": [");
    s = append_json_each(s, &cap, a, wf_config_to_json);
    s = append(s, &cap, "], \"wfsim_plan_designs\": [");
    s = append_json_each(s, &cap, a, wf_config_plan_design_json);
    s = append(s, &cap, "], \"wfsim_thresholds\": [");
    for (int i = 0; i < a->n; i++) {
        s = append(s, &cap, i ? ", " : "");
        s = append_thresholds(s, &cap, a, i);
    }
    return append(s, &cap, "]}");
}

static int dbt_build(run_state *rs, const ens_args *a)
{
    char *vars = ensemble_vars(rs, a);
    if (!vars) {
        fprintf(stderr, "wfsim ensemble: out of memory\n");
        return WF_ENOMEM;
    }
    char *all[] = {rs->dbt, "build", "--select", "+state", "metrics", "ensemble",
                   "--project-dir", rs->project, "--profiles-dir", rs->project,
                   "--vars", vars, NULL};
    /* from the batches' metrics: the ensemble marts and their tests only */
    char *marts[] = {rs->dbt, "build", "--select", "ensemble", "--project-dir", rs->project,
                     "--profiles-dir", rs->project, "--vars", vars, NULL};
    char **argv = a->from_metrics ? marts : all;
    char log[PATH_MAX + 64];
    snprintf(log, sizeof log, "%s/logs/dbt_build.log", rs->out);
    say(rs, "%s", "dbt build (state, metrics, ensemble marts, data tests)");
    double t = cli_seconds();
    int rc = cli_spawn(argv, log, rs->verbose);
    rs->stage_seconds[rs->n_stages] = cli_seconds() - t;
    snprintf(rs->stage_label[rs->n_stages++], sizeof rs->stage_label[0], "dbt build");
    free(vars);
    if (rc != 0) {
        fprintf(stderr, "wfsim ensemble: dbt build failed (dbt exit status %d):\n", rc);
        cli_show_failure(log);
        if (!a->from_metrics)
            fprintf(stderr, "wfsim ensemble: the events in %s/events are complete and were "
                            "kept; only the dbt step failed\n", rs->out);
        return WF_ERUNTIME;
    }
    return 0;
}

/* ---- the summary ------------------------------------------------------------ */

/* Prints DIR/ensemble_summary.csv (scenario, year, metric, median, P10,
 * P90, median paired difference, sd_unpaired / sd_paired) as a table. */
static void print_summary(const run_state *rs)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/ensemble_summary.csv", rs->out);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "wfsim ensemble: no %s to print\n", path);
        return;
    }
    static const int width[] = {-14, -6, -24, 14, 29, 14, 10};
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        int col = 0;
        for (char *field = strtok(line, ","); field; field = strtok(NULL, ","), col++)
            printf("%s%*s", col ? " " : "", col < 7 ? width[col] : 12, field);
        putchar('\n');
    }
    fclose(f);
}

static void write_run_summary(const run_state *rs, const ens_args *a, int rc)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/run_summary.json", rs->out);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fprintf(f, "{\n  \"command\": \"ensemble\",\n  \"status\": %d,\n  \"scenarios\": %d,\n"
               "  \"seeds\": %ld,\n  \"start_year\": %d,\n  \"end_year\": %d,\n"
               "  \"threads\": %d,\n  \"stages\": [",
            rc, a->n, a->seeds, rs->start_year, rs->end_year, rs->threads);
    for (int i = 0; i < rs->n_stages; i++)
        fprintf(f, "%s\n    {\"stage\": \"%s\", \"seconds\": %.3f}", i ? "," : "",
                rs->stage_label[i], rs->stage_seconds[i]);
    fprintf(f, "\n  ],\n  \"total_seconds\": %.3f\n}\n", cli_seconds() - rs->t0);
    fclose(f);
}

/* ---- on a Dask cluster -------------------------------------------------------- */

/* Hands the whole command line to the Python driver (python/wfsim/cluster.py,
 * run by the repository's .venv or $WFSIM_PYTHON), which checks the inputs
 * with --check, runs the batches on the cluster and the marts with
 * --from-metrics. It replaces this process; returns only when it cannot. */
static int run_on_cluster(int argc, char **argv)
{
    char python[PATH_MAX], pypath[PATH_MAX + 1024], self[PATH_MAX];
    /* wfsim's Python environment, as for `wfsim report`: $WFSIM_PYTHON,
     * $WFSIM_VENV, DATA/venv (installed) or the tree's .venv, then PATH */
    int rc = cli_find_tool("ensemble", "python", "WFSIM_PYTHON", python, sizeof python);
    if (rc != 0)
        return rc;
    /* the package's pure-Python files: python/ of the tree, or
     * PREFIX/share/wfsim/python of an install */
    if (cli_repo_path("python", pypath, PATH_MAX) != 0) {
        fprintf(stderr, "wfsim ensemble: cannot locate the repository's python folder\n");
        return WF_EIO;
    }
    const char *old = getenv("PYTHONPATH");
    if (old && *old) {
        size_t n = strlen(pypath);
        snprintf(pypath + n, sizeof pypath - n, ":%s", old);
    }
    setenv("PYTHONPATH", pypath, 1);
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        setenv("WFSIM_BIN", self, 1);
    }
    char **args = calloc((size_t)argc + 4, sizeof *args);
    if (!args) {
        fprintf(stderr, "wfsim ensemble: out of memory\n");
        return WF_ENOMEM;
    }
    int k = 0;
    args[k++] = python;
    args[k++] = "-c";
    args[k++] = "import sys; from wfsim.cluster import main; sys.exit(main(sys.argv[1:]))";
    for (int i = 1; i < argc; i++)
        args[k++] = argv[i];
    args[k] = NULL;
    fflush(NULL);
    execvp(python, args);
    fprintf(stderr, "wfsim ensemble: cannot run %s: %s\n", python, strerror(errno));
    free(args);
    return WF_EIO;
}

/* ---- the command -------------------------------------------------------------- */

/* --from-events: the events and the accepted census someone else wrote
 * into DIR (wfsim.ensemble, with wf_ensemble_run and wf_census_write). */
static int given_events(run_state *rs)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/events/ensemble_summary.json", rs->out);
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "wfsim ensemble: --from-events: %s: %s\n", path, strerror(errno));
        return WF_EIO;
    }
    snprintf(path, sizeof path, "%s/census/census.parquet", rs->out);
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "wfsim ensemble: --from-events: %s: %s\n", path, strerror(errno));
        return WF_EIO;
    }
    snprintf(rs->census_input, sizeof rs->census_input, "%s", path);
    return 0;
}

static int run_engine(run_state *rs, const ens_args *a, int64_t seed)
{
    wf_tables *tab = NULL;
    wf_census *cen = NULL;
    int rc = cli_load_inputs(rs, a->cfg[0], &tab, &cen);
    if (rc)
        return rc;
    char census_dir[PATH_MAX + 16];     /* what dbt reads: the accepted rows */
    snprintf(census_dir, sizeof census_dir, "%s/census", rs->out);
    if ((rc = cli_write_census(rs, cen, census_dir)) != 0) {
        wf_census_free(cen);
        wf_tables_free(tab);
        return rc;
    }
    char events[PATH_MAX + 16];
    snprintf(events, sizeof events, "%s/events", rs->out);
    char what[96];
    snprintf(what, sizeof what, "%d scenario(s) x %ld seed(s), from seed %lld", a->n,
             a->seeds, (long long)seed);
    say(rs, "events: %s", what);
    wf_ensemble_options opt = {.out_dir = events, .first_seed = seed,
                               .n_seeds = (int)a->seeds, .threads = rs->threads,
                               .progress = on_progress, .progress_ctx = rs};
    if ((rc = cli_run_environment(&opt.run)) != 0) {
        wf_census_free(cen);
        wf_tables_free(tab);
        return rc;
    }
    wf_error err = {0};
    double t = cli_seconds();
    wf_status st = wf_ensemble_run((const wf_config *const *)a->cfg, a->n, tab, cen,
                                   &opt, &err);
    if (!rs->quiet && !rs->verbose && isatty(STDERR_FILENO))
        fputs("\r\033[K", stderr);
    rs->stage_seconds[rs->n_stages] = cli_seconds() - t;
    snprintf(rs->stage_label[rs->n_stages++], sizeof rs->stage_label[0], "events");
    wf_census_free(cen);
    wf_tables_free(tab);
    return st == WF_OK ? 0 : cli_fail(&err);
}

int cmd_ensemble(int argc, char **argv)
{
    static run_state rs;
    static ens_args a;
    memset(&rs, 0, sizeof rs);
    memset(&a, 0, sizeof a);
    a.seeds = 1;
    a.out = "ens";
    rs.t0 = cli_seconds();
    long threads = 0;
    int rc = parse_args(argc, argv, &a, &rs, &threads);
    if (rc)
        return rc == CLI_HELP_SHOWN ? 0 : rc;
    if (a.cluster)
        return run_on_cluster(argc, argv);
    int loaded = 0;
    for (; loaded < a.n; loaded++)
        if ((rc = cli_load_config(a.file[loaded], &a.ov, &a.cfg[loaded])) != 0)
            goto done;
    int64_t seed = 0;
    if ((rc = check_scenarios(&a)) != 0 || (rc = first_seed(&a, &seed)) != 0 ||
        (rc = cli_choose_threads("ensemble", threads, a.cfg[0], &rs.threads)) != 0)
        goto done;
    if (seed > INT64_MAX - a.seeds) {
        fprintf(stderr, "wfsim: simulation.random_seed: %lld + %ld seeds passes 2^63 - 1\n",
                (long long)seed, a.seeds);
        rc = WF_EINPUT;
        goto done;
    }
    rs.start_year = wf_config_start_year(a.cfg[0]);
    rs.end_year = wf_config_end_year(a.cfg[0]);
    if (!realpath(a.census, rs.census)) {
        fprintf(stderr, "wfsim: %s: cannot open: %s\n", a.census, strerror(errno));
        rc = WF_EIO;
        goto done;
    }
    if (a.check) {
        wf_tables *tab = NULL;
        wf_census *cen = NULL;
        if ((rc = cli_load_inputs(&rs, a.cfg[0], &tab, &cen)) == 0)
            printf("first_seed %lld\nstart_year %d\nend_year %d\nscenarios %d\n",
                   (long long)seed, rs.start_year, rs.end_year, a.n);
        wf_census_free(cen);
        wf_tables_free(tab);
        goto done;
    }
    if (cli_mkdir_p(a.out) != 0 || !realpath(a.out, rs.out)) {
        fprintf(stderr, "wfsim ensemble: cannot create %s: %s\n", a.out, strerror(errno));
        rc = WF_EIO;
        goto done;
    }
    char logs[PATH_MAX + 8];
    snprintf(logs, sizeof logs, "%s/logs", rs.out);
    if (!a.events_only && ((rc = cli_locate_dbt(&rs)) != 0 ||
                           (cli_mkdir_p(logs) != 0 && (rc = WF_EIO))))
        goto done;
    cli_remove_report(rs.out);
    if (a.from_events)
        rc = given_events(&rs);
    else if (!a.from_metrics)
        rc = run_engine(&rs, &a, seed);
    if (rc == 0 && !a.events_only) {
        rc = dbt_build(&rs, &a);
        if (rc == 0 && !rs.quiet)
            print_summary(&rs);
    }
    write_run_summary(&rs, &a, rc);
    if (rc == 0 && !a.events_only && !a.no_report) {
        rc = cli_write_report(rs.out, rs.quiet, rs.verbose);
        if (rc != 0)
            fprintf(stderr, "wfsim ensemble: the events and the database in %s are complete; "
                            "only the report failed (`wfsim report %s` retries it)\n",
                    rs.out, rs.out);
        write_run_summary(&rs, &a, rc);
    }
done:
    for (int i = 0; i < loaded; i++)
        wf_config_free(a.cfg[i]);
    return rc;
}
