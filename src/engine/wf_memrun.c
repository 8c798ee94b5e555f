/*
 * wf_memrun.c - wf_run_memory: the model's years kept in memory, handed
 * out as Arrow (the Python package's engine; docs/python.md).
 *
 * The model hands each year's batches to the sink below, which keeps two
 * things of them before the model reuses its buffers:
 *
 *   - the year's rows (events, snapshot rows, the employee ids and band
 *     labels they point to), copied as wf_run.c's writer thread copies
 *     them, so that wf_result_write can give them to the Parquet writer
 *     and produce the very files of `wfsim events`;
 *   - the year's Arrow columns (wf_arrow_out.h), built from those rows in
 *     chunks of at most CHUNK_ROWS rows: the one copy between the model's
 *     rows and Arrow's columns.
 *
 * After wf_run_memory returns, a result never changes: any number of
 * streams, from any threads, read it without a lock, and the arrays they
 * hand out point into its chunks (no copy). A result is reference-
 * counted: the caller holds one reference, and every stream, schema-less
 * array and child array one more, so a consumer may keep arrays after the
 * host dropped the result.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wf_arrow_out.h"
#include "wf_arrow_rejects.h"
#include "wf_error.h"
#include "wf_grow.h"
#include "wf_outdir.h"
#include "wf_sim.h"
#include "wf_summary.h"
#include "wf_table_writer.h"

#define CHUNK_ROWS ((size_t)1 << 20)

/* One year: owned copies of the model's rows, and their Arrow chunks. */
typedef struct year_data {
    wf_event_batch eb;
    wf_event *ev;
    const char **ids;
    char *id_bytes;
    bool has_snap;
    wf_snapshot_batch sb;
    wf_snapshot_row *snap;
    wf_arrow_chunk **chunks[2];     /* WF_ARROW_EVENTS, WF_ARROW_SNAPSHOT */
    size_t n_chunks[2];
} year_data;

struct wf_result {
    atomic_long refs;
    wf_config *cfg;                 /* a copy: scenario and plan ids live here */
    char *census_path;
    int64_t census_employees;
    wf_census_info census_info;    /* the census section of the summary */
    char census_sha256[65];
    wf_rejects rejects;             /* the census rows skip mode left out */
    int threads;
    bool snapshots;
    int64_t created_at_us;
    double wall_s;
    int64_t total_events;
    int n_years;
    wf_year_summary *summary;
    year_data *years;
    const char **labels;            /* age band labels, then tenure band labels */
    char *label_bytes;
    size_t n_age_bands;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int64_t wall_clock_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- copies of the model's rows ------------------------------------------- */

/* n strings into one block: *ptrs (n pointers) into *bytes. */
static bool copy_strings(const char *const *src, size_t n, const char ***ptrs, char **bytes)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(src[i]) + 1;
    const char **p = malloc((n ? n : 1) * sizeof *p);
    char *b = malloc(total ? total : 1);
    if (!p || !b) {
        free(p);
        free(b);
        return false;
    }
    char *at = b;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(src[i]) + 1;
        memcpy(at, src[i], len);
        p[i] = at;
        at += len;
    }
    free(*ptrs);
    free(*bytes);
    *ptrs = p;
    *bytes = b;
    return true;
}

/* The band labels come from the tables, which the caller may free once
 * the run is over: copied once, at the first batch. */
static bool copy_labels(wf_result *r, const wf_tables *tab, const wf_event_batch *b)
{
    if (r->labels)
        return true;
    size_t na = (size_t)wf_tables_age_band_count(tab);
    size_t nt = (size_t)wf_tables_tenure_band_count(tab);
    const char **all = malloc((na + nt) * sizeof *all);
    if (!all)
        return false;
    memcpy(all, b->age_band_labels, na * sizeof *all);
    memcpy(all + na, b->tenure_band_labels, nt * sizeof *all);
    bool ok = copy_strings(all, na + nt, &r->labels, &r->label_bytes);
    free(all);
    r->n_age_bands = na;
    return ok;
}

static bool build_chunks(year_data *y, wf_arrow_table t, size_t n, int64_t created_at)
{
    size_t k = n / CHUNK_ROWS + (n % CHUNK_ROWS != 0);
    y->chunks[t] = calloc(k ? k : 1, sizeof *y->chunks[t]);
    if (!y->chunks[t])
        return false;
    for (size_t i = 0; i < k; i++) {
        size_t first = i * CHUNK_ROWS, m = n - first < CHUNK_ROWS ? n - first : CHUNK_ROWS;
        wf_arrow_chunk *c = t == WF_ARROW_EVENTS
                                ? wf_arrow_events_chunk(&y->eb, first, m, created_at)
                                : wf_arrow_snapshot_chunk(&y->sb, first, m);
        if (!c)
            return false;
        y->chunks[t][y->n_chunks[t]++] = c;
    }
    return true;
}

/* ---- the model's sink --------------------------------------------------------- */

typedef struct memrun_ctx {
    wf_result *r;
    const wf_tables *tab;
    int start_year;
} memrun_ctx;

static year_data *year_of(memrun_ctx *m, int year, wf_error *err)
{
    int i = year - m->start_year;
    if (i < 0 || i >= m->r->n_years) {
        wf_error_set(err, WF_ERUNTIME, NULL, 0, 0,
                     "the model reported year %d outside the run", year);
        return NULL;
    }
    return &m->r->years[i];
}

static wf_status on_year(void *ctx, const wf_year_summary *s, wf_error *err)
{
    memrun_ctx *m = ctx;
    if (!year_of(m, s->year, err))
        return WF_ERUNTIME;
    m->r->summary[s->year - m->start_year] = *s;
    return WF_OK;
}

static wf_status on_events(void *ctx, const wf_event_batch *b, wf_error *err)
{
    memrun_ctx *m = ctx;
    wf_result *r = m->r;
    year_data *y = year_of(m, b->year, err);
    if (!y)
        return WF_ERUNTIME;
    /* events name rows by index: the id table covers rows 0 .. the largest */
    size_t n_ids = 0;
    for (size_t k = 0; k < b->n; k++)
        if (b->events[k].emp + (size_t)1 > n_ids)
            n_ids = b->events[k].emp + (size_t)1;
    y->ev = malloc((b->n ? b->n : 1) * sizeof *y->ev);
    if (!y->ev || !copy_labels(r, m->tab, b) ||
        !copy_strings(b->emp_ids, n_ids, &y->ids, &y->id_bytes))
        return wf_error_nomem(err, "the events kept in memory");
    if (b->n)
        memcpy(y->ev, b->events, b->n * sizeof *y->ev);
    y->eb = *b;
    y->eb.events = y->ev;
    y->eb.emp_ids = y->ids;
    y->eb.age_band_labels = r->labels;
    y->eb.tenure_band_labels = r->labels + r->n_age_bands;
    y->eb.scenario_id = wf_config_scenario_id(r->cfg);
    y->eb.plan_design_id = wf_config_plan_design_id(r->cfg);
    r->total_events += (int64_t)b->n;
    if (!build_chunks(y, WF_ARROW_EVENTS, b->n, r->created_at_us))
        return wf_error_nomem(err, "the events' Arrow columns");
    return WF_OK;
}

static wf_status on_snapshot(void *ctx, const wf_snapshot_batch *b, wf_error *err)
{
    memrun_ctx *m = ctx;
    year_data *y = year_of(m, b->year, err);
    if (!y)
        return WF_ERUNTIME;
    /* The snapshot covers every row: its id table serves the events too. */
    y->snap = malloc((b->n ? b->n : 1) * sizeof *y->snap);
    if (!y->snap || !copy_strings(b->emp_ids, b->n, &y->ids, &y->id_bytes))
        return wf_error_nomem(err, "the snapshot kept in memory");
    if (b->n)
        memcpy(y->snap, b->rows, b->n * sizeof *y->snap);
    y->sb = *b;
    y->sb.rows = y->snap;
    y->sb.emp_ids = y->ids;
    y->eb.emp_ids = y->ids;
    y->has_snap = true;
    if (!build_chunks(y, WF_ARROW_SNAPSHOT, b->n, 0))
        return wf_error_nomem(err, "the snapshot's Arrow columns");
    return WF_OK;
}

/* ---- the result ----------------------------------------------------------------- */

static void result_retain(void *ctx)
{
    wf_result *r = ctx;
    atomic_fetch_add(&r->refs, 1);
}

static void result_release(void *ctx)
{
    wf_result_free(ctx);
}

void wf_result_free(wf_result *r)
{
    if (!r || atomic_fetch_sub(&r->refs, 1) != 1)
        return;
    for (int i = 0; r->years && i < r->n_years; i++) {
        year_data *y = &r->years[i];
        for (int t = 0; t < 2; t++) {
            for (size_t k = 0; k < y->n_chunks[t]; k++)
                wf_arrow_chunk_free(y->chunks[t][k]);
            free(y->chunks[t]);
        }
        free(y->ev);
        free(y->ids);
        free(y->id_bytes);
        free(y->snap);
    }
    free(r->years);
    free(r->summary);
    free(r->labels);
    free(r->label_bytes);
    free(r->census_path);
    wf_rejects_free(&r->rejects);
    wf_config_free(r->cfg);
    free(r);
}

static int cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

wf_status wf_run_memory(const wf_config *cfg, const wf_tables *tab,
                        const wf_census *cen, const wf_memrun_options *opt,
                        wf_result **out, wf_error *err)
{
    double t0 = now_seconds();
    *out = NULL;
    wf_result *r = calloc(1, sizeof *r);
    if (!r)
        return wf_error_nomem(err, "the run's result");
    atomic_init(&r->refs, 1);
    r->cfg = wf_config_copy(cfg);
    r->threads = opt && opt->threads > 0 ? opt->threads : cores();
    r->snapshots = opt && opt->snapshots;
    r->created_at_us = opt && opt->created_at_us >= 0 ? opt->created_at_us : wall_clock_us();
    r->census_employees = (int64_t)wf_census_count(cen);
    wf_census_get_info(cen, &r->census_info);
    wf_census_digest(cen, r->census_sha256);
    r->n_years = wf_config_end_year(cfg) - wf_config_start_year(cfg) + 1;
    r->census_path = strdup(wf_census_path(cen));
    r->summary = calloc((size_t)r->n_years, sizeof *r->summary);
    r->years = calloc((size_t)r->n_years, sizeof *r->years);
    bool rejects_ok = wf_rejects_copy(&r->rejects, wf_census_rejects(cen));
    wf_status st = WF_OK;
    if (!r->cfg || !r->census_path || !r->summary || !r->years || !rejects_ok)
        st = wf_error_nomem(err, "the run's result");
    if (st == WF_OK) {
        memrun_ctx m = {r, tab, wf_config_start_year(cfg)};
        wf_sim_sink sink = {&m, on_year, on_events, on_snapshot, NULL, NULL};
        st = wf_sim_run(cfg, tab, cen, r->threads, r->snapshots, &sink, err);
    }
    if (st != WF_OK) {
        wf_result_free(r);
        return st;
    }
    r->wall_s = now_seconds() - t0;
    *out = r;
    return WF_OK;
}

int wf_result_has_snapshot(const wf_result *r)
{
    return r->snapshots;
}

int64_t wf_result_event_count(const wf_result *r)
{
    return r->total_events;
}

static wf_summary summary_of(const wf_result *r, double write_s)
{
    return (wf_summary){
        .cfg = r->cfg,
        .census_path = r->census_path,
        .census_employees = r->census_employees,
        .census = &r->census_info,
        .census_sha256 = r->census_sha256,
        .threads = r->threads,
        .wall_s = r->wall_s + write_s,
        .write_s = write_s,
        .total_events = r->total_events,
        .years = r->summary,
        .n_years = r->n_years,
    };
}

char *wf_result_summary_json(const wf_result *r)
{
    wf_summary s = summary_of(r, 0);
    return wf_summary_json(&s);
}

/* ---- Arrow streams ------------------------------------------------------------- */

typedef struct stream_priv {
    wf_result *r;
    wf_arrow_table table;
    int year;                   /* the next chunk: years[year].chunks[table][chunk] */
    size_t chunk;
    char error[128];
} stream_priv;

static int stream_schema(struct ArrowArrayStream *s, struct ArrowSchema *out)
{
    stream_priv *p = s->private_data;
    if (wf_arrow_schema(p->table, out))
        return 0;
    snprintf(p->error, sizeof p->error, "out of memory (Arrow schema)");
    return 12; /* ENOMEM */
}

static int stream_next(struct ArrowArrayStream *s, struct ArrowArray *out)
{
    stream_priv *p = s->private_data;
    const wf_result *r = p->r;
    while (p->year < r->n_years && p->chunk >= r->years[p->year].n_chunks[p->table]) {
        p->year++;
        p->chunk = 0;
    }
    if (p->year >= r->n_years) {
        out->release = NULL; /* the end */
        return 0;
    }
    const wf_arrow_chunk *c = r->years[p->year].chunks[p->table][p->chunk];
    wf_arrow_owner owner = {result_retain, result_release, p->r};
    if (!wf_arrow_export(c, &owner, out)) {
        snprintf(p->error, sizeof p->error, "out of memory (Arrow array)");
        return 12;
    }
    p->chunk++;
    return 0;
}

static const char *stream_error(struct ArrowArrayStream *s)
{
    stream_priv *p = s->private_data;
    return p->error[0] ? p->error : NULL;
}

static void stream_release(struct ArrowArrayStream *s)
{
    stream_priv *p = s->private_data;
    wf_result_free(p->r);
    free(p);
    s->release = NULL;
}

static wf_status open_stream(wf_result *r, wf_arrow_table t, struct ArrowArrayStream *out,
                             wf_error *err)
{
    stream_priv *p = calloc(1, sizeof *p);
    if (!p)
        return wf_error_nomem(err, "Arrow stream");
    p->r = r;
    p->table = t;
    result_retain(r);
    *out = (struct ArrowArrayStream){stream_schema, stream_next, stream_error,
                                     stream_release, p};
    return WF_OK;
}

wf_status wf_result_events(wf_result *r, struct ArrowArrayStream *out, wf_error *err)
{
    return open_stream(r, WF_ARROW_EVENTS, out, err);
}

wf_status wf_result_snapshot(wf_result *r, struct ArrowArrayStream *out, wf_error *err)
{
    if (!r->snapshots)
        return wf_error_set(err, WF_EUSAGE, NULL, 0, 0,
                            "this run kept no snapshot: simulate with snapshots");
    return open_stream(r, WF_ARROW_SNAPSHOT, out, err);
}

wf_status wf_result_rejected_rows(wf_result *r, struct ArrowArrayStream *out, wf_error *err)
{
    if (!r->census_info.skip_mode)
        return wf_error_set(err, WF_EUSAGE, NULL, 0, 0,
                            "this run did not skip invalid rows: simulate with "
                            "census.invalid_rows: skip");
    return wf_arrow_rejects_stream(&r->rejects, out, err);
}

/* ---- Parquet ---------------------------------------------------------------------- */

static wf_status write_year(wf_outdir *od, wf_table_writer *tw, const year_data *y,
                            bool snapshot, wf_error *err)
{
    char rel[96], dir[4400], path[4500];
    if (snapshot)
        snprintf(rel, sizeof rel, "workforce_snapshot/simulation_year=%d", y->sb.year);
    else
        snprintf(rel, sizeof rel, "simulation_year=%d", y->eb.year);
    wf_status st = wf_outdir_mkdir(od, rel, dir, sizeof dir, err);
    if (st != WF_OK)
        return st;
    snprintf(path, sizeof path, "%s/part-00000.parquet", dir);
    return snapshot ? wf_table_writer_snapshot(tw, path, &y->sb, err)
                    : wf_table_writer_events(tw, path, &y->eb, err);
}

wf_status wf_result_write(wf_result *r, const char *out_dir, int threads, wf_error *err)
{
    double t0 = now_seconds();
    wf_table_options topt = {.created_at_us = r->created_at_us,
                             .threads = threads > 0 ? threads : r->threads};
    wf_table_writer *tw = wf_table_writer_new(&topt);
    if (!tw)
        return wf_error_nomem(err, "the Parquet writer");
    wf_outdir od;
    wf_status st = wf_outdir_begin(&od, out_dir, err);
    for (int i = 0; st == WF_OK && i < r->n_years; i++) {
        st = write_year(&od, tw, &r->years[i], false, err);
        if (st == WF_OK && r->years[i].has_snap)
            st = write_year(&od, tw, &r->years[i], true, err);
    }
    if (st == WF_OK) {
        wf_summary s = summary_of(r, now_seconds() - t0);
        st = wf_summary_write(&s, od.staging, err);
    }
    if (st == WF_OK)
        st = wf_outdir_commit(&od, err);
    if (st != WF_OK)
        wf_outdir_abort(&od);
    wf_table_writer_free(tw);
    return st;
}
