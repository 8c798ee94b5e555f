/*
 * wf_debug_csv.c - see wf_debug_csv.h.
 *
 * Rows are formatted into a stack buffer field by field and written with
 * one fwrite, so a batch costs no allocation. Text fields are quoted only
 * when they hold a comma, a quote or a line break (ids never do; table
 * labels might).
 */
#include "wf_debug_csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/md5.h>

#include "wf_date.h"
#include "wf_error.h"
#include "wf_fmt.h"

struct wf_debug_csv {
    FILE *events, *snapshot;
    char *events_path, *snapshot_path;
    wf_status status;
};

typedef struct line {
    char buf[2048];
    size_t n;
} line;

static void put_raw(line *l, const char *s, size_t len)
{
    if (l->n + len + 2 > sizeof l->buf)
        len = sizeof l->buf - l->n - 2; /* cannot happen for valid batches */
    memcpy(l->buf + l->n, s, len);
    l->n += len;
}

static void sep(line *l)
{
    l->buf[l->n++] = ',';
}

static void put_text(line *l, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        put_raw(l, s, strlen(s));
        return;
    }
    put_raw(l, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            put_raw(l, "\"\"", 2);
        else
            put_raw(l, p, 1);
    }
    put_raw(l, "\"", 1);
}

static void put_int(line *l, long long v)
{
    char tmp[32];
    put_raw(l, tmp, (size_t)snprintf(tmp, sizeof tmp, "%lld", v));
}

static void put_scaled(line *l, int64_t v, int scale)
{
    char tmp[48];
    put_raw(l, tmp, (size_t)wf_fmt_scaled(v, scale, tmp));
}

static void put_date(line *l, int32_t d)
{
    char tmp[16];
    if (d == WF_NULL_I32)
        return;
    wf_date_format(d, tmp);
    put_raw(l, tmp, strlen(tmp));
}

static void put_bool(line *l, bool b)
{
    put_text(l, b ? "true" : "false");
}

static void finish(line *l)
{
    l->buf[l->n++] = '\n';
}

void wf_debug_csv_event_id(const wf_event_batch *b, const wf_event *ev,
                           char hex[33])
{
    char key[512];
    uint8_t d[MD5_DIGEST_SIZE];
    struct md5_ctx ctx;
    int n = snprintf(key, sizeof key, "%s|%s|%lld|%s|%d|%s", b->scenario_id,
                     b->plan_design_id, (long long)b->random_seed,
                     b->emp_ids[ev->emp], b->year, wf_event_type_names[ev->type]);
    md5_init(&ctx);
    md5_update(&ctx, (size_t)n, (const uint8_t *)key);
    md5_digest(&ctx, sizeof d, d);
    for (int i = 0; i < MD5_DIGEST_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* The header lines: simulation_year, then the compared columns of
 * wf_schema.h (created_at is a run's time stamp, not a value). */
#define CSV_NAME(name, kind, nullable, dict, compared) {#name, compared},

typedef struct csv_column {
    const char *name;
    bool compared;
} csv_column;

static const csv_column event_columns[] = {WF_EVENT_COLUMNS(CSV_NAME)};
static const csv_column snapshot_columns[] = {WF_SNAPSHOT_COLUMNS(CSV_NAME)};

static bool put_header(FILE *fp, const csv_column *cols, size_t n)
{
    bool ok = fputs("simulation_year", fp) >= 0;
    for (size_t i = 0; i < n; i++)
        if (cols[i].compared)
            ok = ok && fprintf(fp, ",%s", cols[i].name) >= 0;
    return ok && fputs("\n", fp) >= 0;
}

bool wf_debug_csv_event_header(FILE *fp)
{
    return put_header(fp, event_columns, sizeof event_columns / sizeof *event_columns);
}

static void event_row(line *l, const wf_event_batch *b, const wf_event *ev)
{
    char hex[33];
    wf_debug_csv_event_id(b, ev, hex);
    l->n = 0;
    put_int(l, b->year), sep(l);
    put_raw(l, hex, 32), sep(l);
    put_text(l, b->scenario_id), sep(l);
    put_text(l, b->plan_design_id), sep(l);
    put_int(l, b->random_seed), sep(l);
    put_text(l, b->emp_ids[ev->emp]), sep(l);
    put_text(l, wf_event_type_names[ev->type]), sep(l);
    put_text(l, wf_event_category_names[ev->category]), sep(l);
    put_date(l, ev->date), sep(l);
    put_int(l, ev->seq), sep(l);
    put_int(l, ev->level), sep(l);
    if (ev->prev_level)
        put_int(l, ev->prev_level);
    sep(l);
    put_scaled(l, ev->comp_cents, 2), sep(l);
    if (ev->prev_comp_cents != WF_NULL_I64)
        put_scaled(l, ev->prev_comp_cents, 2);
    sep(l);
    if (ev->deferral_bp != WF_NULL_I32)
        put_scaled(l, ev->deferral_bp, 4);
    sep(l);
    if (ev->prev_deferral_bp != WF_NULL_I32)
        put_scaled(l, ev->prev_deferral_bp, 4);
    sep(l);
    put_int(l, ev->age), sep(l);
    put_int(l, ev->tenure), sep(l);
    put_text(l, b->age_band_labels[ev->age_band]), sep(l);
    put_text(l, b->tenure_band_labels[ev->tenure_band]), sep(l);
    if (!isnan(ev->probability)) {
        char tmp[WF_FMT_DOUBLE_MAX];
        put_raw(l, tmp, (size_t)wf_fmt_double(ev->probability, true, tmp));
    }
    finish(l);
}

bool wf_debug_csv_event_rows(FILE *fp, const wf_event_batch *b)
{
    line l;
    for (size_t i = 0; i < b->n; i++) {
        event_row(&l, b, &b->events[i]);
        if (fwrite(l.buf, 1, l.n, fp) != l.n)
            return false;
    }
    return true;
}

bool wf_debug_csv_snapshot_header(FILE *fp)
{
    return put_header(fp, snapshot_columns,
                      sizeof snapshot_columns / sizeof *snapshot_columns);
}

static void snapshot_row(line *l, const wf_snapshot_batch *b,
                         const wf_snapshot_row *r)
{
    l->n = 0;
    put_int(l, b->year), sep(l);
    put_text(l, b->emp_ids[r->emp]), sep(l);
    put_text(l, wf_employment_status_names[r->active ? WF_STATUS_ACTIVE
                                                      : WF_STATUS_TERMINATED]), sep(l);
    put_date(l, r->birth_day), sep(l);
    put_date(l, r->hire_day), sep(l);
    put_date(l, r->termination_day), sep(l);
    put_int(l, r->level), sep(l);
    put_scaled(l, r->salary_cents, 2), sep(l);
    put_date(l, r->eligibility_day), sep(l);
    put_bool(l, r->enrolled), sep(l);
    put_scaled(l, r->deferral_bp, 4), sep(l);
    put_text(l, wf_enrollment_source_names[r->source]), sep(l);
    put_bool(l, r->ever_opted_out);
    finish(l);
}

bool wf_debug_csv_snapshot_rows(FILE *fp, const wf_snapshot_batch *b)
{
    line l;
    for (size_t i = 0; i < b->n; i++) {
        snapshot_row(&l, b, &b->rows[i]);
        if (fwrite(l.buf, 1, l.n, fp) != l.n)
            return false;
    }
    return true;
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

wf_status wf_debug_csv_open(const char *events_path, const char *snapshot_path,
                            wf_debug_csv **out, wf_error *err)
{
    wf_debug_csv *w = calloc(1, sizeof *w);
    *out = NULL;
    if (!w)
        return wf_error_nomem(err, "debug CSV writer");
    w->events_path = dup(events_path);
    w->snapshot_path = snapshot_path ? dup(snapshot_path) : NULL;
    if (!w->events_path || (snapshot_path && !w->snapshot_path)) {
        wf_debug_csv_close(w, NULL);
        return wf_error_nomem(err, "debug CSV writer");
    }
    w->events = fopen(events_path, "wb");
    if (!w->events || !wf_debug_csv_event_header(w->events)) {
        wf_error_errno(err, "create", events_path);
        wf_debug_csv_close(w, NULL);
        return WF_EIO;
    }
    if (snapshot_path) {
        w->snapshot = fopen(snapshot_path, "wb");
        if (!w->snapshot || !wf_debug_csv_snapshot_header(w->snapshot)) {
            wf_error_errno(err, "create", snapshot_path);
            wf_debug_csv_close(w, NULL);
            return WF_EIO;
        }
    }
    *out = w;
    return WF_OK;
}

wf_status wf_debug_csv_events(wf_debug_csv *w, const wf_event_batch *b,
                              wf_error *err)
{
    if (w->status != WF_OK)
        return w->status;
    if (!wf_debug_csv_event_rows(w->events, b))
        w->status = wf_error_errno(err, "write", w->events_path);
    return w->status;
}

wf_status wf_debug_csv_snapshot(wf_debug_csv *w, const wf_snapshot_batch *b,
                                wf_error *err)
{
    if (w->status != WF_OK)
        return w->status;
    if (!w->snapshot)
        return wf_error_set(err, WF_EUSAGE, NULL, 0, 0,
                            "debug CSV writer opened without a snapshot file");
    if (!wf_debug_csv_snapshot_rows(w->snapshot, b))
        w->status = wf_error_errno(err, "write", w->snapshot_path);
    return w->status;
}

static void close_one(wf_debug_csv *w, FILE *fp, const char *path, wf_error *err)
{
    if (!fp)
        return;
    int bad = ferror(fp);
    if (fclose(fp) != 0)
        bad = 1;
    if (bad && w->status == WF_OK)
        w->status = wf_error_errno(err, "write", path);
}

wf_status wf_debug_csv_close(wf_debug_csv *w, wf_error *err)
{
    if (!w)
        return WF_OK;
    close_one(w, w->events, w->events_path, err);
    close_one(w, w->snapshot, w->snapshot_path, err);
    wf_status st = w->status;
    free(w->events_path);
    free(w->snapshot_path);
    free(w);
    return st;
}
