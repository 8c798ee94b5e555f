/*
 * wf_ensemble.c - wf_ensemble_run: every (scenario, seed) replicate of an
 * ensemble in one process.
 *
 * A replicate is one scenario's configuration with random_seed set to one
 * of the seeds. Because every draw is keyed by (seed, employee, year,
 * stream) (docs/model.md 1), two scenarios run with the same seed give the same
 * draws to the same employee: their difference is the effect of their
 * parameters, not noise (common random numbers). Nothing here changes the
 * model; this file only decides which replicates run where.
 *
 * Work. Replicates are numbered scenario-major (replicate i is scenario
 * i / n_seeds with seed first_seed + i % n_seeds). K = min(threads,
 * replicates) worker threads each claim the next number under a lock and
 * run it with wf_events_run, the very call behind `wfsim events`, with
 * threads / K threads of its own, into the replicate's folder
 *
 *     OUT/scenario_id=S/plan_design_id=P/random_seed=R/
 *
 * inside the ensemble's staging directory, all with one created_at. So a
 * replicate is, file for file, the output of `wfsim events` with that
 * configuration, seed and created_at, and
 * since a replicate's bytes do not depend on its threads, and each writes
 * only its own folder, the whole output does not depend on the thread
 * count or on which worker ran what. The census and tables are loaded once
 * and only read. Memory follows the K replicates in flight (each frees its
 * workforce and buffers when done), not the number of replicates.
 *
 * Failure. The first failing replicate (lowest number among those run)
 * stops the claiming of new ones; the others in flight finish, and the
 * staging directory is removed, so OUT is replaced whole or not at all.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wf_error.h"
#include "wf_json.h"
#include "wf_outdir.h"
#include "wf_sim.h"

typedef struct ens_ctx {
    const wf_config *const *scen;
    int n_scen;
    const wf_tables *tab;
    const wf_census *cen;
    const wf_ensemble_options *opt;
    wf_outdir out;
    int total;                  /* replicates */
    int inner_threads;          /* each replicate's own threads */
    int64_t created_at_us;      /* every replicate's created_at */
    pthread_mutex_t mu;
    int next;                   /* the next replicate to claim */
    int done;                   /* replicates written */
    int failed;                 /* lowest failed replicate, total if none */
    wf_status st;               /* its status and error */
    wf_error err;
} ens_ctx;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int64_t replicate_seed(const ens_ctx *ec, int i)
{
    return ec->opt->first_seed + i % ec->opt->n_seeds;
}

/* Replicate i: a copy of its scenario's configuration with its seed. */
static wf_status replicate_config(const ens_ctx *ec, int i, wf_config **cfg,
                                  wf_error *err)
{
    *cfg = wf_config_copy(ec->scen[i / ec->opt->n_seeds]);
    if (!*cfg)
        return wf_error_nomem(err, "a replicate's configuration");
    char seed[32];
    snprintf(seed, sizeof seed, "%lld", (long long)replicate_seed(ec, i));
    wf_status st = wf_config_set(*cfg, "simulation.random_seed", seed, err);
    if (st != WF_OK) {
        wf_config_free(*cfg);
        *cfg = NULL;
    }
    return st;
}

static wf_status run_replicate(ens_ctx *ec, int i, wf_error *err)
{
    wf_config *cfg;
    wf_status st = replicate_config(ec, i, &cfg, err);
    if (st != WF_OK)
        return st;
    char rel[512], dir[4400], path[4500];
    snprintf(rel, sizeof rel, "scenario_id=%s/plan_design_id=%s", wf_config_scenario_id(cfg),
             wf_config_plan_design_id(cfg));
    st = wf_outdir_mkdir(&ec->out, rel, dir, sizeof dir, err);
    if (st == WF_OK) {
        snprintf(path, sizeof path, "%s/random_seed=%lld", dir,
                 (long long)wf_config_random_seed(cfg));
        wf_run_options ro = ec->opt->run;
        ro.out_dir = path;
        ro.threads = ec->inner_threads;
        ro.created_at_set = 1;
        ro.created_at_us = ec->created_at_us;
        ro.progress = NULL;
        ro.report = NULL;
        ro.no_census_files = 1;      /* written once, beside the replicates */
        st = wf_events_run(cfg, ec->tab, ec->cen, &ro, err);
    }
    wf_config_free(cfg);
    return st;
}

/* Adds "(scenario S, seed R)" to a replicate's error message. */
static void name_replicate(const ens_ctx *ec, int i, wf_error *e)
{
    size_t n = strlen(e->message);
    if (n < sizeof e->message)
        snprintf(e->message + n, sizeof e->message - n, " (scenario %s, seed %lld)",
                 wf_config_scenario_id(ec->scen[i / ec->opt->n_seeds]),
                 (long long)replicate_seed(ec, i));
}

static void *worker_main(void *arg)
{
    ens_ctx *ec = arg;
    for (;;) {
        pthread_mutex_lock(&ec->mu);
        int i = ec->next;
        bool stop = i >= ec->total || ec->failed < ec->total;
        if (!stop)
            ec->next++;
        pthread_mutex_unlock(&ec->mu);
        if (stop)
            break;
        wf_error e = {0};
        wf_status st = run_replicate(ec, i, &e);
        if (st != WF_OK)
            name_replicate(ec, i, &e);
        pthread_mutex_lock(&ec->mu);
        if (st != WF_OK && i < ec->failed) {
            ec->failed = i;
            ec->st = st;
            ec->err = e;
        } else if (st == WF_OK) {
            ec->done++;
            if (ec->opt->progress)
                ec->opt->progress(ec->opt->progress_ctx, ec->done, ec->total);
        }
        pthread_mutex_unlock(&ec->mu);
    }
    return NULL;
}

/* Scenario ids unique, years equal: the partitions and the paired
 * comparisons need both. */
static wf_status check_scenarios(const wf_config *const *scen, int n, wf_error *err)
{
    for (int i = 0; i < n; i++) {
        if (wf_config_start_year(scen[i]) != wf_config_start_year(scen[0]) ||
            wf_config_end_year(scen[i]) != wf_config_end_year(scen[0]))
            return wf_error_set(err, WF_EINPUT, NULL, 0, 0,
                                "scenario %d ('%s') runs %d-%d, the first one %d-%d: "
                                "every scenario must have the same years",
                                i + 1, wf_config_scenario_id(scen[i]),
                                wf_config_start_year(scen[i]), wf_config_end_year(scen[i]),
                                wf_config_start_year(scen[0]), wf_config_end_year(scen[0]));
        for (int j = 0; j < i; j++)
            if (strcmp(wf_config_scenario_id(scen[i]), wf_config_scenario_id(scen[j])) == 0)
                return wf_error_set(err, WF_EINPUT, NULL, 0, 0,
                                    "scenarios %d and %d have the same scenario_id '%s'",
                                    j + 1, i + 1, wf_config_scenario_id(scen[i]));
    }
    return WF_OK;
}

/* Runs the workers (or, with one, the calling thread alone). */
static void run_workers(ens_ctx *ec, int k)
{
    pthread_t tid[64];
    int started = 0;
    for (; started < k - 1 && started < 64; started++)
        if (pthread_create(&tid[started], NULL, worker_main, ec) != 0)
            break;                    /* fewer workers: the same output */
    worker_main(ec);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
}

static wf_status write_ensemble_summary(const ens_ctx *ec, int threads, double wall,
                                        wf_error *err)
{
    const wf_ensemble_options *opt = ec->opt;
    wf_json j;
    wf_json_init(&j);
    wf_json_open(&j, NULL, '{');
    wf_json_str(&j, "engine_version", "wfsim " WF_VERSION);
    wf_json_int(&j, "model_version", WF_MODEL_VERSION);
    wf_json_str(&j, "census_path", wf_census_path(ec->cen));
    wf_json_int(&j, "census_employees", (int64_t)wf_census_count(ec->cen));
    wf_json_int(&j, "start_year", wf_config_start_year(ec->scen[0]));
    wf_json_int(&j, "end_year", wf_config_end_year(ec->scen[0]));
    wf_json_int(&j, "first_seed", opt->first_seed);
    wf_json_int(&j, "n_seeds", opt->n_seeds);
    wf_json_str(&j, "baseline_scenario_id", wf_config_scenario_id(ec->scen[0]));
    wf_json_open(&j, "scenarios", '[');
    for (int i = 0; i < ec->n_scen; i++) {
        char digest[65];
        wf_config_digest(ec->scen[i], digest);
        char *canonical = wf_config_to_json(ec->scen[i]);
        wf_json_open(&j, NULL, '{');
        wf_json_str(&j, "scenario_id", wf_config_scenario_id(ec->scen[i]));
        wf_json_str(&j, "plan_design_id", wf_config_plan_design_id(ec->scen[i]));
        wf_json_str(&j, "config_digest", digest);
        wf_json_raw(&j, "config", canonical ? canonical : "null");
        wf_json_close(&j, '}');
        free(canonical);
    }
    wf_json_close(&j, ']');
    wf_json_int(&j, "replicates", ec->total);
    wf_json_int(&j, "threads", threads);
    wf_json_double(&j, "wall_time_s", wall);
    wf_json_close(&j, '}');
    char *text = wf_json_finish(&j);
    if (!text)
        return wf_error_nomem(err, "ensemble summary");
    char path[4400];
    snprintf(path, sizeof path, "%s/ensemble_summary.json", ec->out.staging);
    FILE *f = fopen(path, "w");
    wf_status st = WF_OK;
    if (!f || fputs(text, f) == EOF)
        st = wf_error_errno(err, "write", "ensemble_summary.json");
    if (f && fclose(f) != 0 && st == WF_OK)
        st = wf_error_errno(err, "write", "ensemble_summary.json");
    free(text);
    return st;
}

wf_status wf_ensemble_run(const wf_config *const *scenarios, int n_scenarios,
                          const wf_tables *tab, const wf_census *cen,
                          const wf_ensemble_options *opt, wf_error *err)
{
    double t0 = now_seconds();
    if (n_scenarios < 1 || opt->n_seeds < 1 ||
        (long long)n_scenarios * opt->n_seeds > 1000000000LL)
        return wf_error_set(err, WF_EUSAGE, NULL, 0, 0,
                            "an ensemble needs 1 to 10^9 replicates, not %d scenarios x %d seeds",
                            n_scenarios, opt->n_seeds);
    if (opt->first_seed < 0 || opt->first_seed > INT64_MAX - opt->n_seeds)
        return wf_error_set(err, WF_EINPUT, NULL, 0, 0,
                            "seeds from %lld: the last seed would exceed 2^63 - 1",
                            (long long)opt->first_seed);
    wf_status st = check_scenarios(scenarios, n_scenarios, err);
    if (st != WF_OK)
        return st;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = opt->threads > 0 ? opt->threads : cores > 0 ? (int)cores : 1;
    ens_ctx ec = {.scen = scenarios, .n_scen = n_scenarios, .tab = tab, .cen = cen,
                  .opt = opt, .total = n_scenarios * opt->n_seeds};
    int k = threads < ec.total ? threads : ec.total;
    if (k > 64)
        k = 64;
    ec.inner_threads = threads / k > 0 ? threads / k : 1;
    ec.failed = ec.total;
    if (opt->run.created_at_set) {
        ec.created_at_us = opt->run.created_at_us;
    } else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ec.created_at_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    }
    if ((st = wf_outdir_begin(&ec.out, opt->out_dir, err)) != WF_OK)
        return st;
    pthread_mutex_init(&ec.mu, NULL);
    run_workers(&ec, k);
    pthread_mutex_destroy(&ec.mu);
    if (ec.failed < ec.total) {
        st = ec.st;
        *err = ec.err;
    }
    if (st == WF_OK)
        st = write_ensemble_summary(&ec, threads, now_seconds() - t0, err);
    if (st == WF_OK)
        st = wf_outdir_commit(&ec.out, err);
    if (st != WF_OK)
        wf_outdir_abort(&ec.out);
    return st;
}
