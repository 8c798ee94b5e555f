/*
 * wf_debug_csv.c - see wf_debug_csv.h.
 *
 * Rows are formatted into a stack buffer field by field and written with
 * one fwrite, so a batch costs no allocation. Text fields are quoted only
 * when they hold a comma, a quote or a line break (ids never do; table
 * labels might).
 *
 * The columns, their order and the header are wf_schema.h's: a FIELD
 * column is written from its field by its kind, an OWN column by
 * own_event / own_snapshot, so a new FIELD column needs nothing here.
 */
#include "wf_debug_csv.h"

#include <assert.h>
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
#define CSV_NAME(name, kind, nullable, dict, compared, ...) {#name, compared},

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

/* A FIELD column of wf_schema.h is written from its field by its kind
 * (nothing when null); OWN columns by own_event / own_snapshot. Only
 * compared columns are written (not created_at). */
static void put_kind_int(line *l, int64_t v)
{
    put_int(l, v);
}

static void put_kind_double(line *l, double v)
{
    char tmp[WF_FMT_DOUBLE_MAX];
    put_raw(l, tmp, (size_t)wf_fmt_double(v, true, tmp));
}

#define PUT_INT32(l, v) put_kind_int(l, v)
#define PUT_INT64(l, v) put_kind_int(l, v)
#define PUT_DATE(l, v) put_date(l, v)
#define PUT_MONEY(l, v) put_scaled(l, v, 2)
#define PUT_RATE(l, v) put_scaled(l, v, 4)
#define PUT_DOUBLE(l, v) put_kind_double(l, v)
#define PUT_BOOL(l, v) put_bool(l, v)

#define PUT_FIELD(table, name, kind, nullable, row, member)                   \
    do {                                                                      \
        WF_FIELD_CTYPE_##kind v_ = (WF_FIELD_CTYPE_##kind)(row->member);      \
        sep(l);                                                               \
        if (!(nullable) || !WF_FIELD_NULL_##kind(v_))                         \
            PUT_##kind(l, v_);                                                \
    } while (0);
#define PUT_OWN(table, name, kind, nullable, row, member) \
    sep(l), own_##table(l, table##_##name, b, row);
#define PUT_SKIP(...)
#define IF_COMPARED_1(how) PUT_##how
#define IF_COMPARED_0(how) PUT_SKIP
#define PUT_EVENT(name, kind, nullable, dict, compared, how, member) \
    IF_COMPARED_##compared(how)(event, name, kind, nullable, ev, member)
#define PUT_SNAPSHOT(name, kind, nullable, dict, compared, how, member) \
    IF_COMPARED_##compared(how)(snapshot, name, kind, nullable, r, member)

#define EV_ENUM(name, ...) event_##name,
#define SN_ENUM(name, ...) snapshot_##name,
enum { WF_EVENT_COLUMNS(EV_ENUM) };
enum { WF_SNAPSHOT_COLUMNS(SN_ENUM) };

static void own_event(line *l, int col, const wf_event_batch *b, const wf_event *ev)
{
    char hex[33];
    switch (col) {
    case event_event_id:
        wf_debug_csv_event_id(b, ev, hex);
        put_raw(l, hex, 32);
        break;
    case event_scenario_id:
        put_text(l, b->scenario_id);
        break;
    case event_plan_design_id:
        put_text(l, b->plan_design_id);
        break;
    case event_random_seed:
        put_int(l, b->random_seed);
        break;
    case event_employee_id:
        put_text(l, b->emp_ids[ev->emp]);
        break;
    case event_event_type:
        put_text(l, wf_event_type_names[ev->type]);
        break;
    case event_event_category:
        put_text(l, wf_event_category_names[ev->category]);
        break;
    case event_previous_level_id:
        if (ev->prev_level) /* 0 is null */
            put_int(l, ev->prev_level);
        break;
    case event_age_band:
        put_text(l, b->age_band_labels[ev->age_band]);
        break;
    case event_tenure_band:
        put_text(l, b->tenure_band_labels[ev->tenure_band]);
        break;
    default:
        assert(!"an OWN event column without its writer");
    }
}

static void event_row(line *l, const wf_event_batch *b, const wf_event *ev)
{
    l->n = 0;
    put_int(l, b->year);
    WF_EVENT_COLUMNS(PUT_EVENT)
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

static void own_snapshot(line *l, int col, const wf_snapshot_batch *b,
                         const wf_snapshot_row *r)
{
    switch (col) {
    case snapshot_employee_id:
        put_text(l, b->emp_ids[r->emp]);
        break;
    case snapshot_employment_status:
        put_text(l, wf_employment_status_names[r->active ? WF_STATUS_ACTIVE
                                                         : WF_STATUS_TERMINATED]);
        break;
    case snapshot_enrollment_source:
        put_text(l, wf_enrollment_source_names[r->source]); /* NONE is "" */
        break;
    default:
        assert(!"an OWN snapshot column without its writer");
    }
}

static void snapshot_row(line *l, const wf_snapshot_batch *b,
                         const wf_snapshot_row *r)
{
    l->n = 0;
    put_int(l, b->year);
    WF_SNAPSHOT_COLUMNS(PUT_SNAPSHOT)
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
