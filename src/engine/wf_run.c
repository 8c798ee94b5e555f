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
 *     OUT/census.parquet, OUT/rejected_rows.csv              the census read
 *                                                            (wf_census_out.h)
 *
 * all inside a staging directory that replaces OUT only when everything was
 * written (wf_outdir.h). A year's events are written as soon as the model
 * has them and then dropped, so memory does not grow with the years.
 *
 * Overlap. With two or more threads, files are written by a writer thread
 * while the model simulates the next year. The writer's one job slot takes
 * the year's event array from the model without copying it (the sink's
 * swap_events: the model gets the array the writer finished with, to fill
 * next) and copies what else the batch points to and the model owns (the
 * row -> employee id table and the id strings, the band label tables, the
 * snapshot rows: the model may reuse or free them once the sink returns).
 * The model waits for the slot only when it is a whole year ahead of the
 * writer, so memory holds two years of events (the one written, the one
 * simulated) and nothing is copied on the writer's path. The writer takes
 * jobs one at a time, in year order, so the files, the debug CSV and the
 * bytes are those of the single-threaded run. The writer's first error
 * stops the run at the next hand-over or at the end; progress is reported
 * from the calling thread once a year's files are complete.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wf_census_out.h"
#include "wf_debug_csv.h"
#include "wf_error.h"
#include "wf_grow.h"
#include "wf_md5.h"
#include "wf_outdir.h"
#include "wf_sim.h"
#include "wf_summary.h"
#include "wf_table_writer.h"

/* One year's output, owned copies of what the model will overwrite. */
typedef struct job {
    wf_event_batch eb;
    wf_snapshot_batch sb;
    bool has_snap;
    wf_event *ev;
    size_t ev_cap;
    const char **ids;
    size_t ids_cap;
    char *arena;                /* the id strings */
    size_t arena_cap;
    const char **labels;        /* age band labels, then tenure band labels */
    size_t labels_cap;
    wf_snapshot_row *snap;
    size_t snap_cap;
} job;

typedef struct writer {
    bool on;                    /* a writer thread runs */
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job slot;                   /* filled by the model's thread */
    job *todo;                  /* handed over, not yet taken */
    job *current;               /* being written, or NULL */
    bool stop;                  /* the thread must end */
    int done_year;              /* last year written, 0 = none yet */
    int reported_year;          /* last year reported as written (from
                                   start_year - 1) */
    wf_status st;               /* the writer's first error, in werr */
    wf_error werr;
} writer;

typedef struct run_ctx {
    const wf_config *cfg;
    const wf_tables *tab;
    const wf_run_options *opt;
    wf_outdir out;
    wf_table_writer *tables;    /* the Parquet files' writer */
    wf_year_summary *years;     /* one per simulated year */
    int n_years;
    int64_t total_events;
    wf_debug_csv *debug;
    double write_seconds;       /* time spent writing (writer thread's) */
    bool want_snap;             /* the model passes snapshot batches */
    writer w;
} run_ctx;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* created_at: the caller's (opt->created_at_set), else the wall clock at
 * the start of the run. */
static int64_t created_at_us(const wf_run_options *opt)
{
    if (opt->created_at_set)
        return opt->created_at_us;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The Parquet pages' ZSTD level: 0 (the writer's default), -7..-1 (zstd's
 * fast levels) or 1..19. Any level changes the Parquet bytes, never the
 * values. */
static wf_status check_zstd_level(int level, wf_error *err)
{
    if (level < -7 || level > 19)
        return wf_error_set(err, WF_EINPUT, NULL, 0, 0,
                            "ZSTD level %d: expected an integer from -7 to -1 or 1 to 19",
                            level);
    return WF_OK;
}

static void progress(run_ctx *rc, const char *stage, int year, double fraction)
{
    if (rc->opt->progress)
        rc->opt->progress(rc->opt->progress_ctx, stage, year, fraction);
}

static wf_status on_year(void *ctx, const wf_year_summary *s, wf_error *err)
{
    run_ctx *rc = ctx;
    int i = s->year - wf_config_start_year(rc->cfg);
    if (i < 0 || i >= rc->n_years)
        return wf_error_set(err, WF_ERUNTIME, NULL, 0, 0,
                            "the model reported year %d outside the run", s->year);
    rc->years[i] = *s;
    return WF_OK;
}

/* Writes one year's events (and then its snapshot). */
static wf_status write_events(run_ctx *rc, const wf_event_batch *b, wf_error *err)
{
    char dir[4400], path[4500];
    char rel[64];
    snprintf(rel, sizeof rel, "simulation_year=%d", b->year);
    wf_status st = wf_outdir_mkdir(&rc->out, rel, dir, sizeof dir, err);
    if (st != WF_OK)
        return st;
    snprintf(path, sizeof path, "%s/part-00000.parquet", dir);
    st = wf_table_writer_events(rc->tables, path, b, err);
    if (st == WF_OK && rc->debug)
        st = wf_debug_csv_events(rc->debug, b, err);
    return st;
}

static wf_status write_snapshot(run_ctx *rc, const wf_snapshot_batch *b, wf_error *err)
{
    char dir[4400], path[4500];
    char rel[96];
    wf_status st = WF_OK;
    if (rc->opt->snapshots) {
        snprintf(rel, sizeof rel, "workforce_snapshot/simulation_year=%d", b->year);
        st = wf_outdir_mkdir(&rc->out, rel, dir, sizeof dir, err);
        if (st != WF_OK)
            return st;
        snprintf(path, sizeof path, "%s/part-00000.parquet", dir);
        st = wf_table_writer_snapshot(rc->tables, path, b, err);
    }
    if (st == WF_OK && rc->debug)
        st = wf_debug_csv_snapshot(rc->debug, b, err);
    return st;
}

/* ---- the writer thread -------------------------------------------------- */

static void *writer_main(void *arg)
{
    run_ctx *rc = arg;
    writer *w = &rc->w;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->todo && !w->stop)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->todo)
            break;
        job *j = w->todo;
        w->todo = NULL;
        w->current = j;
        bool failed = w->st != WF_OK;
        pthread_mutex_unlock(&w->mu);
        double t0 = now_seconds();
        wf_error e = {0};
        wf_status st = WF_OK;
        if (!failed) {
            st = write_events(rc, &j->eb, &e);
            if (st == WF_OK && j->has_snap)
                st = write_snapshot(rc, &j->sb, &e);
        }
        double dt = now_seconds() - t0;
        pthread_mutex_lock(&w->mu);
        rc->write_seconds += dt;
        if (st != WF_OK && w->st == WF_OK) {
            w->st = st;
            w->werr = e;
        }
        if (!failed)
            w->done_year = j->eb.year;
        w->current = NULL;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Waits until the writer holds slot j no more (j NULL: until it has
 * nothing to do); reports the year it finished last (from this, the
 * calling thread) and passes on its error. */
static wf_status writer_wait(run_ctx *rc, const job *j, wf_error *err)
{
    writer *w = &rc->w;
    pthread_mutex_lock(&w->mu);
    while (j ? w->todo == j || w->current == j : w->todo || w->current)
        pthread_cond_wait(&w->cv, &w->mu);
    int done = w->done_year;
    wf_status st = w->st;
    if (st != WF_OK && err && err->status == WF_OK)
        *err = w->werr;
    pthread_mutex_unlock(&w->mu);
    /* years are written in order: every year up to `done` is complete */
    for (; done && w->reported_year < done; w->reported_year++)
        progress(rc, "events written", w->reported_year + 1, 1.0);
    return st;
}

/* ids[0..n) and their strings into the slot (the model frees the strings
 * of hires when the run ends, perhaps before the writer is done). */
static bool copy_ids(job *j, const char *const *ids, size_t n)
{
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += strlen(ids[i]) + 1;
    if (!wf_grow((void **)&j->ids, &j->ids_cap, n ? n : 1, sizeof *j->ids) ||
        !wf_grow((void **)&j->arena, &j->arena_cap, bytes ? bytes : 1, 1))
        return false;
    char *p = j->arena;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(ids[i]) + 1;
        memcpy(p, ids[i], len);
        j->ids[i] = p;
        p += len;
    }
    return true;
}

/* The model's batch into the slot but its events (on_swap takes them).
 * Events of a row refer to it by index, so the id table covers rows 0 ..
 * the largest index. */
static wf_status copy_events(run_ctx *rc, job *j, const wf_event_batch *b,
                             wf_error *err)
{
    size_t n_ids = 0;
    for (size_t k = 0; k < b->n; k++)
        if (b->events[k].emp + (size_t)1 > n_ids)
            n_ids = b->events[k].emp + (size_t)1;
    size_t na = (size_t)wf_tables_age_band_count(rc->tab);
    size_t nt = (size_t)wf_tables_tenure_band_count(rc->tab);
    if (!wf_grow((void **)&j->labels, &j->labels_cap, na + nt, sizeof *j->labels) ||
        !copy_ids(j, b->emp_ids, n_ids))
        return wf_error_nomem(err, "the writer's copy of a year");
    memcpy(j->labels, b->age_band_labels, na * sizeof *j->labels);
    memcpy(j->labels + na, b->tenure_band_labels, nt * sizeof *j->labels);
    j->eb = *b; /* events: the model's array, taken in on_swap */
    j->eb.emp_ids = j->ids;
    j->eb.age_band_labels = j->labels;
    j->eb.tenure_band_labels = j->labels + na;
    j->has_snap = false;
    return WF_OK;
}

/* Hands the filled slot to the writer (which was done with it). */
static void hand_over(run_ctx *rc)
{
    writer *w = &rc->w;
    pthread_mutex_lock(&w->mu);
    w->todo = &w->slot;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

static bool writer_start(run_ctx *rc)
{
    writer *w = &rc->w;
    w->reported_year = wf_config_start_year(rc->cfg) - 1;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->on = pthread_create(&w->tid, NULL, writer_main, rc) == 0;
    if (!w->on) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
    }
    return w->on;
}

/* Writes what is left, ends the thread and frees the slots. */
static wf_status writer_finish(run_ctx *rc, wf_error *err)
{
    writer *w = &rc->w;
    wf_status st = WF_OK;
    if (w->on) {
        st = writer_wait(rc, NULL, err);
        pthread_mutex_lock(&w->mu);
        w->stop = true;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->tid, NULL);
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        w->on = false;
    }
    free(w->slot.ev);
    free(w->slot.ids);
    free(w->slot.arena);
    free(w->slot.labels);
    free(w->slot.snap);
    return st;
}

/* ---- the model's sink ------------------------------------------------------ */

static wf_status on_events(void *ctx, const wf_event_batch *b, wf_error *err)
{
    run_ctx *rc = ctx;
    rc->total_events += (int64_t)b->n;
    if (!rc->w.on) {
        double t0 = now_seconds();
        wf_status st = write_events(rc, b, err);
        rc->write_seconds += now_seconds() - t0;
        progress(rc, "events written", b->year, 1.0);
        return st;
    }
    /* The writer may still write year y - 1: year y waits for the slot. */
    job *j = &rc->w.slot;
    wf_status st = writer_wait(rc, j, err);
    if (st == WF_OK)
        st = copy_events(rc, j, b, err);
    return st;
}

/* The year's events change hands: the slot takes the model's array and
 * gives back the one it wrote last (or none), then goes to the writer. */
static void on_swap(void *ctx, wf_event **events, size_t *cap)
{
    run_ctx *rc = ctx;
    if (!rc->w.on)
        return;
    job *j = &rc->w.slot;
    wf_event *ev = j->ev;
    size_t ev_cap = j->ev_cap;
    j->ev = *events;
    j->ev_cap = *cap;
    *events = ev;
    *cap = ev_cap;
    j->eb.events = j->ev;
    hand_over(rc);
}

static wf_status on_snapshot(void *ctx, const wf_snapshot_batch *b, wf_error *err)
{
    run_ctx *rc = ctx;
    if (!rc->w.on) {
        double t0 = now_seconds();
        wf_status st = write_snapshot(rc, b, err);
        rc->write_seconds += now_seconds() - t0;
        return st;
    }
    job *j = &rc->w.slot;
    /* The snapshot covers every row: its id table serves the events too. */
    if (!wf_grow((void **)&j->snap, &j->snap_cap, b->n ? b->n : 1, sizeof *j->snap) ||
        !copy_ids(j, b->emp_ids, b->n))
        return wf_error_nomem(err, "the writer's copy of a snapshot");
    if (b->n)
        memcpy(j->snap, b->rows, b->n * sizeof *j->snap);
    j->sb = *b;
    j->sb.rows = j->snap;
    j->sb.emp_ids = j->ids;
    j->eb.emp_ids = j->ids; /* may have moved */
    j->has_snap = true;
    return WF_OK;
}

static wf_status write_summary(run_ctx *rc, const wf_census *cen, const char *census_digest,
                               int threads, double wall, wf_error *err)
{
    wf_census_info info;
    wf_census_get_info(cen, &info);
    wf_summary s = {
        .cfg = rc->cfg,
        .census_path = wf_census_path(cen),
        .census_employees = (int64_t)wf_census_count(cen),
        .census = &info,
        .census_sha256 = census_digest,
        .threads = threads,
        .wall_s = wall,
        .write_s = rc->write_seconds,
        .total_events = rc->total_events,
        .years = rc->years,
        .n_years = rc->n_years,
    };
    return wf_summary_write(&s, rc->out.staging, err);
}

/* The per-year tables of `wfsim events` and `make demo`: headcounts and the
 * year's events, then (by_type) the events by type; each fits 80 columns. */
static void print_report(FILE *f, const run_ctx *rc, int by_type)
{
    static const int cols[] = {WF_EV_HIRE, WF_EV_TERMINATION, WF_EV_PROMOTION,
                               WF_EV_RAISE, WF_EV_ELIGIBILITY, WF_EV_ENROLLMENT,
                               WF_EV_ENROLLMENT_CHANGE, WF_EV_DEFERRAL_ESCALATION};
    static const char *const heads[] = {"hire", "term", "promo", "raise",
                                        "elig", "enrol", "change", "escal"};
    enum { N_COLS = sizeof cols / sizeof *cols };
    fprintf(f, "%-6s %9s %8s %8s %9s %9s %9s %10s\n", "year", "start", "hires",
            "terms", "end", "target", "shortfall", "events");
    for (int y = 0; y < rc->n_years; y++) {
        const wf_year_summary *s = &rc->years[y];
        long long events = 0;
        for (size_t i = 0; i < N_COLS; i++)
            events += (long long)s->by_type[cols[i]];
        fprintf(f, "%-6d %9lld %8lld %8lld %9lld %9lld %9lld %10lld\n", s->year,
                (long long)s->N, (long long)s->H_actual,
                (long long)(s->R_actual + s->Te_actual + s->Tnh_actual),
                (long long)s->year_end_headcount, (long long)s->target,
                (long long)(s->te_shortfall + s->tnh_shortfall), events);
    }
    if (!by_type)
        return;
    fprintf(f, "\n%-6s", "year");
    for (size_t i = 0; i < N_COLS; i++)
        fprintf(f, " %8s", heads[i]);
    fputc('\n', f);
    for (int y = 0; y < rc->n_years; y++) {
        fprintf(f, "%-6d", rc->years[y].year);
        for (size_t i = 0; i < N_COLS; i++)
            fprintf(f, " %8lld", (long long)rc->years[y].by_type[cols[i]]);
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

/* The writers allocate and free buffers of tens to hundreds of MB for each
 * file (row groups, pages, column slices). glibc serves blocks that large
 * with fresh mmap()s and unmaps them on free, so every year would fault the
 * same memory in again (a quarter of the CPU time of a 1,000,000-employee
 * run went to page faults). Raising the mmap and trim thresholds keeps
 * freed blocks in the heap for the next year's file. Process-wide, once;
 * glibc only (mallopt is a GNU extension). */
static void keep_freed_memory(void)
{
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, INT32_MAX);
#endif
}

wf_status wf_events_run(const wf_config *cfg, const wf_tables *tab,
                        const wf_census *cen, const wf_run_options *opt,
                        wf_error *err)
{
    double t0 = now_seconds();
    keep_freed_memory();
    int threads = opt->threads > 0 ? opt->threads : cores();
    run_ctx rc = {.cfg = cfg, .tab = tab, .opt = opt};
    rc.n_years = wf_config_end_year(cfg) - wf_config_start_year(cfg) + 1;
    /* T threads fill and encode T row groups of a file at once (the
     * bytes do not depend on it). */
    wf_status zst = check_zstd_level(opt->zstd_level, err);
    if (zst != WF_OK)
        return zst;
    if (opt->md5_lanes != 0 && opt->md5_lanes != 1 && opt->md5_lanes != 8 &&
        opt->md5_lanes != 16)
        return wf_error_set(err, WF_EINPUT, NULL, 0, 0,
                            "MD5 lanes %d: expected 1, 8 or 16", opt->md5_lanes);
    if (opt->md5_lanes)
        wf_md5_set_lanes(opt->md5_lanes);
    wf_table_options topt = {.created_at_us = created_at_us(opt),
                             .threads = threads, .zstd_level = opt->zstd_level};
    rc.tables = wf_table_writer_new(&topt);
    if (!rc.tables)
        return wf_error_nomem(err, "the Parquet writer");
    rc.years = calloc((size_t)rc.n_years, sizeof *rc.years);
    if (!rc.years) {
        wf_table_writer_free(rc.tables);
        return wf_error_nomem(err, "year summaries");
    }
    wf_status st = wf_outdir_begin(&rc.out, opt->out_dir, err);
    /* The census files and digest, beside the simulation. */
    wf_census_out co;
    bool census_started = st == WF_OK;
    if (census_started)
        wf_census_out_start(&co, cen, opt->no_census_files ? NULL : rc.out.staging);
    if (st == WF_OK && opt->debug_csv)
        st = open_debug(&rc, err);
    rc.want_snap = opt->snapshots || opt->debug_csv;
    /* With two threads or more, even a small run overlaps: on 2 idle cores
     * 5,000 x 5 takes 25 ms this way against 31 ms inline. */
    if (st == WF_OK && threads >= 2)
        writer_start(&rc); /* else (or if it cannot start) write inline */
    if (st == WF_OK) {
        wf_sim_sink sink = {&rc, on_year, on_events, on_snapshot, NULL, on_swap};
        st = wf_sim_run(cfg, tab, cen, threads, rc.want_snap, &sink, err);
    }
    wf_status wst = writer_finish(&rc, err);
    if (st == WF_OK)
        st = wst;
    wf_status cst = wf_debug_csv_close(rc.debug, err);
    if (st == WF_OK)
        st = cst;
    if (census_started && wf_census_out_finish(&co) != WF_OK && st == WF_OK) {
        if (err && err->status == WF_OK)
            *err = co.err;
        st = co.status;
    }
    if (st == WF_OK)
        st = write_summary(&rc, cen, co.digest, threads, now_seconds() - t0, err);
    if (st == WF_OK)
        st = wf_outdir_commit(&rc.out, err);
    if (st != WF_OK)
        wf_outdir_abort(&rc.out);
    else if (opt->report)
        print_report(opt->report, &rc, opt->report_by_type);
    wf_table_writer_free(rc.tables);
    free(rc.years);
    return st;
}
