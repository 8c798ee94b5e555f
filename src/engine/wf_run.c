/*
 * wf_run.c - wf_events_run: the model's years, written to an output folder.
 *
 * This is the one place where the model (src/model) meets the writers
 * (src/output): the simulation hands each year's summary, events and
 * snapshot to the sink below, which writes
 *
 *     OUT/simulation_year=YYYY/part-00000.parquet            events (5.1)
 *     OUT/workforce_snapshot/simulation_year=YYYY/...        --snapshots (5.2)
 *     OUT/debug/events.csv, OUT/debug/snapshot.csv           --debug-csv
 *     OUT/generation_summary.json                            summary (5.3)
 *
 * all inside a staging directory that replaces OUT only when everything was
 * written (wf_outdir.h). A year's events are written as soon as the model
 * has them and then dropped, so memory does not grow with the years.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wf_debug_csv.h"
#include "wf_error.h"
#include "wf_json.h"
#include "wf_outdir.h"
#include "wf_sim.h"
#include "wf_table_writer.h"

typedef struct run_ctx {
    const wf_config *cfg;
    const wf_run_options *opt;
    wf_outdir out;
    wf_table_options table;
    wf_year_summary *years;     /* one per simulated year */
    int n_years;
    int64_t total_events;
    wf_debug_csv *debug;
    double write_seconds;
} run_ctx;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* created_at: SOURCE_DATE_EPOCH when set (reproducible builds' convention),
 * else the wall clock at the start of the run. */
static int64_t created_at_us(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (!*end && errno == 0 && v >= 0 && v < 253402300800LL)
            return (int64_t)v * 1000000;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void progress(run_ctx *rc, const char *stage, int year, double fraction)
{
    if (rc->opt->progress)
        rc->opt->progress(rc->opt->progress_ctx, stage, year, fraction);
}

static wf_status on_year(void *ctx, const wf_year_summary *s, wf_error *err)
{
    run_ctx *rc = ctx;
    int i = s->year - rc->cfg->start_year;
    if (i < 0 || i >= rc->n_years)
        return wf_error_set(err, WF_ERUNTIME, NULL, 0, 0,
                            "the model reported year %d outside the run", s->year);
    rc->years[i] = *s;
    return WF_OK;
}

static wf_status on_events(void *ctx, const wf_event_batch *b, wf_error *err)
{
    run_ctx *rc = ctx;
    double t0 = now_seconds();
    char dir[4400], path[4500];
    char rel[64];
    snprintf(rel, sizeof rel, "simulation_year=%d", b->year);
    wf_status st = wf_outdir_mkdir(&rc->out, rel, dir, sizeof dir, err);
    if (st != WF_OK)
        return st;
    snprintf(path, sizeof path, "%s/part-00000.parquet", dir);
    st = wf_write_events_parquet(path, b, &rc->table, err);
    if (st == WF_OK && rc->debug)
        st = wf_debug_csv_events(rc->debug, b, err);
    rc->total_events += (int64_t)b->n;
    rc->write_seconds += now_seconds() - t0;
    progress(rc, "events written", b->year, 1.0);
    return st;
}

static wf_status on_snapshot(void *ctx, const wf_snapshot_batch *b, wf_error *err)
{
    run_ctx *rc = ctx;
    double t0 = now_seconds();
    char dir[4400], path[4500];
    char rel[96];
    wf_status st = WF_OK;
    if (rc->opt->snapshots) {
        snprintf(rel, sizeof rel, "workforce_snapshot/simulation_year=%d", b->year);
        st = wf_outdir_mkdir(&rc->out, rel, dir, sizeof dir, err);
        if (st != WF_OK)
            return st;
        snprintf(path, sizeof path, "%s/part-00000.parquet", dir);
        st = wf_write_snapshot_parquet(path, b, &rc->table, err);
    }
    if (st == WF_OK && rc->debug)
        st = wf_debug_csv_snapshot(rc->debug, b, err);
    rc->write_seconds += now_seconds() - t0;
    return st;
}

static void json_year(wf_json *j, const wf_year_summary *s)
{
    wf_json_open(j, NULL, '{');
    wf_json_int(j, "year", s->year);
#define FIELD(name) wf_json_int(j, #name, s->name);
    FIELD(N) FIELD(P) FIELD(X) FIELD(target) FIELD(R) FIELD(Q) FIELD(Te)
    FIELD(net) FIELD(H) FIELD(Tnh) FIELD(R_actual) FIELD(Te_actual)
    FIELD(H_actual) FIELD(Tnh_actual)
#undef FIELD
    wf_json_int(j, "experienced_termination_shortfall", s->te_shortfall);
    wf_json_int(j, "nh_termination_shortfall", s->tnh_shortfall);
    wf_json_int(j, "workforce_of_year", s->workforce_of_year);
    wf_json_int(j, "year_end_headcount", s->year_end_headcount);
    wf_json_int(j, "events", s->events);
    wf_json_open(j, "events_by_type", '{');
    for (int t = 0; t < WF_EV_COUNT; t++)
        wf_json_int(j, wf_event_type_names[t], s->by_type[t]);
    wf_json_close(j, '}');
    wf_json_open(j, "events_by_category", '{');
    for (int c = 0; c < WF_CAT_COUNT; c++)
        wf_json_int(j, wf_event_category_names[c], s->by_category[c]);
    wf_json_close(j, '}');
    wf_json_close(j, '}');
}

static wf_status write_summary(run_ctx *rc, const wf_census *cen, int threads,
                               double wall, wf_error *err)
{
    const wf_config *cfg = rc->cfg;
    char digest[65];
    wf_config_digest(cfg, digest);
    wf_json j;
    wf_json_init(&j);
    wf_json_open(&j, NULL, '{');
    wf_json_str(&j, "engine_version", "wfsim " WF_VERSION);
    wf_json_int(&j, "model_version", WF_MODEL_VERSION);
    wf_json_str(&j, "census_path", cen->path);
    wf_json_int(&j, "census_employees", (int64_t)cen->n);
    wf_json_int(&j, "start_year", cfg->start_year);
    wf_json_int(&j, "end_year", cfg->end_year);
    wf_json_int(&j, "random_seed", cfg->random_seed);
    wf_json_str(&j, "scenario_id", cfg->scenario_id);
    wf_json_str(&j, "plan_design_id", cfg->plan_design_id);
    wf_json_str(&j, "config_digest", digest);
    char *canonical = wf_config_to_json(cfg);
    wf_json_raw(&j, "config", canonical ? canonical : "null");
    free(canonical);
    wf_json_int(&j, "threads", threads);
    wf_json_double(&j, "wall_time_s", wall);
    wf_json_double(&j, "write_time_s", rc->write_seconds);
    wf_json_int(&j, "total_events", rc->total_events);
    wf_json_double(&j, "events_per_second", wall > 0 ? (double)rc->total_events / wall : 0);
    wf_json_open(&j, "per_year", '[');
    for (int i = 0; i < rc->n_years; i++)
        json_year(&j, &rc->years[i]);
    wf_json_close(&j, ']');
    wf_json_close(&j, '}');
    char *text = wf_json_finish(&j);
    if (!text)
        return wf_error_nomem(err, "summary");
    char path[4400];
    snprintf(path, sizeof path, "%s/generation_summary.json", rc->out.staging);
    FILE *f = fopen(path, "w");
    wf_status st = WF_OK;
    if (!f || fputs(text, f) == EOF)
        st = wf_error_errno(err, "write", "generation_summary.json");
    if (f && fclose(f) != 0 && st == WF_OK)
        st = wf_error_errno(err, "write", "generation_summary.json");
    free(text);
    return st;
}

/* The per-year table of `wfsim events` and `make demo`. */
static void print_report(FILE *f, const run_ctx *rc)
{
    static const int cols[] = {WF_EV_HIRE, WF_EV_TERMINATION, WF_EV_PROMOTION,
                               WF_EV_RAISE, WF_EV_ELIGIBILITY, WF_EV_ENROLLMENT,
                               WF_EV_ENROLLMENT_CHANGE, WF_EV_DEFERRAL_ESCALATION};
    static const char *const heads[] = {"hire", "term", "promo", "raise",
                                        "elig", "enrol", "change", "escal"};
    fprintf(f, "%-6s %9s %8s %8s %9s %9s %9s |", "year", "start", "hires",
            "terms", "end", "target", "shortfall");
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
        fprintf(f, " %8s", heads[i]);
    fputc('\n', f);
    for (int y = 0; y < rc->n_years; y++) {
        const wf_year_summary *s = &rc->years[y];
        fprintf(f, "%-6d %9lld %8lld %8lld %9lld %9lld %9lld |", s->year,
                (long long)s->N, (long long)s->H_actual,
                (long long)(s->R_actual + s->Te_actual + s->Tnh_actual),
                (long long)s->year_end_headcount, (long long)s->target,
                (long long)(s->te_shortfall + s->tnh_shortfall));
        for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
            fprintf(f, " %8lld", (long long)s->by_type[cols[i]]);
        fputc('\n', f);
    }
}

static int cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static wf_status open_debug(run_ctx *rc, wf_error *err)
{
    char dir[4400], events[4500], snapshot[4500];
    wf_status st = wf_outdir_mkdir(&rc->out, "debug", dir, sizeof dir, err);
    if (st != WF_OK)
        return st;
    snprintf(events, sizeof events, "%s/events.csv", dir);
    snprintf(snapshot, sizeof snapshot, "%s/snapshot.csv", dir);
    return wf_debug_csv_open(events, snapshot, &rc->debug, err);
}

wf_status wf_events_run(const wf_config *cfg, const wf_tables *tab,
                        const wf_census *cen, const wf_run_options *opt,
                        wf_error *err)
{
    double t0 = now_seconds();
    int threads = opt->threads > 0 ? opt->threads : cores();
    run_ctx rc = {.cfg = cfg, .opt = opt};
    rc.n_years = cfg->end_year - cfg->start_year + 1;
    rc.table = (wf_table_options){.created_at_us = created_at_us(),
                                  .threads = threads};
    rc.years = calloc((size_t)rc.n_years, sizeof *rc.years);
    if (!rc.years)
        return wf_error_nomem(err, "year summaries");
    wf_status st = wf_outdir_begin(&rc.out, opt->out_dir, err);
    if (st == WF_OK && opt->debug_csv)
        st = open_debug(&rc, err);
    if (st == WF_OK) {
        wf_sim_sink sink = {&rc, on_year, on_events, on_snapshot};
        st = wf_sim_run(cfg, tab, cen, threads,
                        opt->snapshots || opt->debug_csv, &sink, err);
    }
    wf_status cst = wf_debug_csv_close(rc.debug, err);
    if (st == WF_OK)
        st = cst;
    if (st == WF_OK)
        st = write_summary(&rc, cen, threads, now_seconds() - t0, err);
    if (st == WF_OK)
        st = wf_outdir_commit(&rc.out, err);
    if (st != WF_OK)
        wf_outdir_abort(&rc.out);
    else if (opt->report)
        print_report(opt->report, &rc);
    free(rc.years);
    return st;
}
