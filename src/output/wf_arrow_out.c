/*
 * wf_arrow_out.c - event and snapshot batches as Arrow columns (see the
 * header).
 *
 * The columns are those of the Parquet files, from wf_schema.h
 * (WF_EVENT_COLUMNS, WF_SNAPSHOT_COLUMNS: name, kind, nullable, and how the
 * value is had), then simulation_year, the files' partition. A column's
 * kind gives its Arrow format (ARROW_FMT_*); a FIELD column is filled from
 * its wf_event / wf_snapshot_row member by the schema's line alone, OWN
 * columns (ids, labels, batch constants) by hand below. Every column of a
 * chunk is one allocation per buffer (validity, values or offsets, string
 * bytes), owned by the chunk; export hands out pointers to them.
 *
 * Exported arrays follow the C data interface's ownership rules: the
 * parent and each child are allocated on their own, each holds one
 * reference to the owner (the run's result), and a child moved out by a
 * consumer stays valid after its parent is released.
 */
#include "wf_arrow_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wf_grow.h"
#include "wf_table_writer.h"

/* The Arrow format of each column kind of wf_schema.h. */
#define ARROW_FMT_STRING "u"
#define ARROW_FMT_INT32 "i"
#define ARROW_FMT_INT64 "l"
#define ARROW_FMT_DATE "tdD"
#define ARROW_FMT_MONEY "d:18,2"
#define ARROW_FMT_RATE "d:9,4"
#define ARROW_FMT_DOUBLE "g"
#define ARROW_FMT_BOOL "b"
#define ARROW_FMT_TIMESTAMP "tsu:"

typedef struct col_spec {
    const char *name, *format;
    bool nullable;
} col_spec;

/* The columns of the Parquet files (wf_schema.h), then simulation_year,
 * the files' partition, as a column. */
#define SPEC(name, kind, nullable, ...) {#name, ARROW_FMT_##kind, nullable},
static const col_spec event_cols[] = {
    WF_EVENT_COLUMNS(SPEC) {"simulation_year", ARROW_FMT_INT32, false}};
static const col_spec snapshot_cols[] = {
    WF_SNAPSHOT_COLUMNS(SPEC) {"simulation_year", ARROW_FMT_INT32, false}};
#undef SPEC

#define EV_ENUM(name, ...) E_##name,
#define SN_ENUM(name, ...) S_##name,
enum { WF_EVENT_COLUMNS(EV_ENUM) E_simulation_year, E_COUNT };
enum { WF_SNAPSHOT_COLUMNS(SN_ENUM) S_simulation_year, S_COUNT };
#undef EV_ENUM
#undef SN_ENUM

#define MAX_COLS ((int)E_COUNT > (int)S_COUNT ? (int)E_COUNT : (int)S_COUNT)

/* One column: buf[0] validity (NULL: no nulls), buf[1] values or offsets,
 * buf[2] string bytes. */
typedef struct column {
    int64_t null_count;
    int n_buffers;
    void *buf[3];
    size_t bytes_cap;           /* string bytes, while building */
} column;

struct wf_arrow_chunk {
    wf_arrow_table table;
    const col_spec *spec;
    int ncols;
    int64_t n;
    column col[MAX_COLS];
};

/* ---- building ------------------------------------------------------------- */

static wf_arrow_chunk *chunk_new(wf_arrow_table t, size_t n)
{
    wf_arrow_chunk *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->table = t;
    c->spec = t == WF_ARROW_EVENTS ? event_cols : snapshot_cols;
    c->ncols = t == WF_ARROW_EVENTS ? E_COUNT : S_COUNT;
    c->n = (int64_t)n;
    for (int k = 0; k < c->ncols; k++) {
        column *col = &c->col[k];
        const char *f = c->spec[k].format;
        size_t width = f[0] == 'u' ? 4 : f[0] == 'd' ? 16 : f[0] == 'b' ? 0 :
                       f[0] == 'l' || f[0] == 'g' || (f[0] == 't' && f[1] == 's') ? 8 : 4;
        size_t vals = f[0] == 'u' ? (n + 1) * 4 : f[0] == 'b' ? (n + 7) / 8 : n * width;
        col->n_buffers = f[0] == 'u' ? 3 : 2;
        /* validity for nullable columns (dropped when nothing is null) */
        if (c->spec[k].nullable && !(col->buf[0] = calloc((n + 7) / 8 + 1, 1)))
            goto fail;
        if (!(col->buf[1] = calloc(vals + 8, 1)))
            goto fail;
    }
    return c;
fail:
    wf_arrow_chunk_free(c);
    return NULL;
}

static void set_valid(column *col, size_t i, bool valid)
{
    uint8_t *bits = col->buf[0];
    if (valid)
        bits[i >> 3] |= (uint8_t)(1u << (i & 7));
    else
        col->null_count++;
}

/* Drops the validity bitmaps of columns without a null. */
static void trim_validity(wf_arrow_chunk *c)
{
    for (int k = 0; k < c->ncols; k++)
        if (c->col[k].buf[0] && c->col[k].null_count == 0) {
            free(c->col[k].buf[0]);
            c->col[k].buf[0] = NULL;
        }
}

/* Appends s as value i of a string column (offsets[i] set). */
static bool put_str(column *col, size_t i, const char *s, size_t len)
{
    int32_t *off = col->buf[1];
    size_t at = (size_t)off[i];
    if (at + len > INT32_MAX)
        return false;
    if (at + len + 1 > col->bytes_cap &&
        !wf_grow(&col->buf[2], &col->bytes_cap, at + len + 65536, 1))
        return false;
    memcpy((char *)col->buf[2] + at, s, len);
    off[i + 1] = (int32_t)(at + len);
    return true;
}

static bool put_cstr(column *col, size_t i, const char *s)
{
    return put_str(col, i, s, strlen(s));
}

/* An int64 as a little-endian decimal128: the low word, then the sign. */
static void put_dec(column *col, size_t i, int64_t v)
{
    int64_t *p = (int64_t *)col->buf[1] + 2 * i;
    p[0] = v;
    p[1] = v < 0 ? -1 : 0;
}

#define I32(k) ((int32_t *)c->col[k].buf[1])
#define I64(k) ((int64_t *)c->col[k].buf[1])
#define F64(k) ((double *)c->col[k].buf[1])

static bool fill_event_ids(wf_arrow_chunk *c, const wf_event_batch *b, const wf_event *ev,
                           size_t n)
{
    column *col = &c->col[E_event_id];
    if (n * 32 > INT32_MAX || !wf_grow(&col->buf[2], &col->bytes_cap, n * 32 + 1, 1) ||
        !wf_event_ids(b, ev, n, col->buf[2]))
        return false;
    for (size_t i = 0; i <= n; i++)
        I32(E_event_id)[i] = (int32_t)(i * 32);
    return true;
}

/* A FIELD column (wf_schema.h) from its member: value i, or a null when
 * the column is nullable and the member holds its kind's null. */
static inline void put_field_i32(column *col, size_t i, int32_t v, bool is_null)
{
    ((int32_t *)col->buf[1])[i] = is_null ? 0 : v;
    if (col->buf[0])
        set_valid(col, i, !is_null);
}

static inline void put_field_i64(column *col, size_t i, int64_t v, bool is_null)
{
    ((int64_t *)col->buf[1])[i] = is_null ? 0 : v;
    if (col->buf[0])
        set_valid(col, i, !is_null);
}

static inline void put_field_dec(column *col, size_t i, int64_t v, bool is_null)
{
    put_dec(col, i, is_null ? 0 : v);
    if (col->buf[0])
        set_valid(col, i, !is_null);
}

static inline void put_field_f64(column *col, size_t i, double v, bool is_null)
{
    ((double *)col->buf[1])[i] = is_null ? 0 : v;
    if (col->buf[0])
        set_valid(col, i, !is_null);
}

static inline void put_field_bool(column *col, size_t i, bool v, bool is_null)
{
    (void)is_null;
    if (v)
        ((uint8_t *)col->buf[1])[i >> 3] |= (uint8_t)(1u << (i & 7));
}

#define PUT_INT32 put_field_i32
#define PUT_DATE put_field_i32
#define PUT_INT64 put_field_i64
#define PUT_MONEY put_field_dec
#define PUT_RATE put_field_dec
#define PUT_DOUBLE put_field_f64
#define PUT_BOOL put_field_bool

/* Every FIELD column of a row, from the schema's lines alone; OWN columns
 * are filled by hand below. */
#define FILL_OWN(c, kind, nullable, src)
#define FILL_FIELD(c, kind, nullable, src)                                \
    do {                                                                  \
        WF_FIELD_CTYPE_##kind v_ = (WF_FIELD_CTYPE_##kind)(src);          \
        PUT_##kind(&col[c], i, v_, (nullable) && WF_FIELD_NULL_##kind(v_)); \
    } while (0);
#define EV_FILL(name, kind, nullable, dict, compared, how, member) \
    FILL_##how(E_##name, kind, nullable, e->member)
#define SN_FILL(name, kind, nullable, dict, compared, how, member) \
    FILL_##how(S_##name, kind, nullable, s->member)

static bool event_row(wf_arrow_chunk *c, const wf_event_batch *b, const wf_event *e,
                      size_t i, int64_t created_at_us)
{
    column *col = c->col;
    WF_EVENT_COLUMNS(EV_FILL)
    I64(E_random_seed)[i] = b->random_seed;
    I32(E_previous_level_id)[i] = e->prev_level;
    set_valid(&col[E_previous_level_id], i, e->prev_level != 0);
    I64(E_created_at)[i] = created_at_us;
    I32(E_simulation_year)[i] = b->year;
    return put_cstr(&col[E_scenario_id], i, b->scenario_id) &&
           put_cstr(&col[E_plan_design_id], i, b->plan_design_id) &&
           put_cstr(&col[E_employee_id], i, b->emp_ids[e->emp]) &&
           put_cstr(&col[E_event_type], i, wf_event_type_names[e->type]) &&
           put_cstr(&col[E_event_category], i, wf_event_category_names[e->category]) &&
           put_cstr(&col[E_age_band], i, b->age_band_labels[e->age_band]) &&
           put_cstr(&col[E_tenure_band], i, b->tenure_band_labels[e->tenure_band]);
}

wf_arrow_chunk *wf_arrow_events_chunk(const wf_event_batch *b, size_t first, size_t n,
                                      int64_t created_at_us)
{
    wf_arrow_chunk *c = chunk_new(WF_ARROW_EVENTS, n);
    if (!c)
        return NULL;
    const wf_event *ev = b->events + first;
    bool ok = fill_event_ids(c, b, ev, n);
    for (size_t i = 0; ok && i < n; i++)
        ok = event_row(c, b, &ev[i], i, created_at_us);
    if (!ok) {
        wf_arrow_chunk_free(c);
        return NULL;
    }
    trim_validity(c);
    return c;
}

wf_arrow_chunk *wf_arrow_snapshot_chunk(const wf_snapshot_batch *b, size_t first, size_t n)
{
    wf_arrow_chunk *c = chunk_new(WF_ARROW_SNAPSHOT, n);
    if (!c)
        return NULL;
    column *col = c->col;
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        const wf_snapshot_row *s = &b->rows[first + i];
        WF_SNAPSHOT_COLUMNS(SN_FILL)
        I32(S_simulation_year)[i] = b->year;
        set_valid(&col[S_enrollment_source], i, s->source != WF_SRC_NONE);
        I32(S_enrollment_source)[i + 1] = I32(S_enrollment_source)[i];
        ok = put_cstr(&col[S_employee_id], i, b->emp_ids[s->emp]) &&
             put_cstr(&col[S_employment_status], i,
                      wf_employment_status_names[s->active ? WF_STATUS_ACTIVE
                                                           : WF_STATUS_TERMINATED]) &&
             (s->source == WF_SRC_NONE ||
              put_cstr(&col[S_enrollment_source], i, wf_enrollment_source_names[s->source]));
    }
    if (!ok) {
        wf_arrow_chunk_free(c);
        return NULL;
    }
    trim_validity(c);
    return c;
}

#undef I32
#undef I64
#undef F64

void wf_arrow_chunk_free(wf_arrow_chunk *c)
{
    if (!c)
        return;
    for (int k = 0; k < c->ncols; k++)
        for (int b = 0; b < 3; b++)
            free(c->col[k].buf[b]);
    free(c);
}

int64_t wf_arrow_chunk_rows(const wf_arrow_chunk *c)
{
    return c->n;
}

/* ---- export ---------------------------------------------------------------- */

static void schema_child_release(struct ArrowSchema *s)
{
    s->release = NULL;
}

/* The parent's private data: its children, allocated with it. */
typedef struct schema_priv {
    struct ArrowSchema *child_ptr[MAX_COLS];
    struct ArrowSchema child[MAX_COLS];
} schema_priv;

static void schema_release(struct ArrowSchema *s)
{
    schema_priv *p = s->private_data;
    for (int64_t k = 0; k < s->n_children; k++)
        if (p->child[k].release)
            p->child[k].release(&p->child[k]);
    free(p);
    s->release = NULL;
}

bool wf_arrow_schema(wf_arrow_table t, struct ArrowSchema *out)
{
    const col_spec *spec = t == WF_ARROW_EVENTS ? event_cols : snapshot_cols;
    int n = t == WF_ARROW_EVENTS ? E_COUNT : S_COUNT;
    schema_priv *p = calloc(1, sizeof *p);
    if (!p)
        return false;
    /* Formats and names are static strings; a child moved out by the
     * consumer needs nothing of the parent. */
    for (int k = 0; k < n; k++) {
        p->child[k] = (struct ArrowSchema){
            .format = spec[k].format,
            .name = spec[k].name,
            .flags = spec[k].nullable ? ARROW_FLAG_NULLABLE : 0,
            .release = schema_child_release,
        };
        p->child_ptr[k] = &p->child[k];
    }
    *out = (struct ArrowSchema){
        .format = "+s",
        .name = "",
        .n_children = n,
        .children = p->child_ptr,
        .release = schema_release,
        .private_data = p,
    };
    return true;
}

/* An exported array (parent or child) and what it keeps alive. */
typedef struct array_priv {
    wf_arrow_owner owner;
    const void *buffers[3];
    struct ArrowArray *child_ptr[MAX_COLS];
} array_priv;

static void array_release(struct ArrowArray *a)
{
    array_priv *p = a->private_data;
    for (int64_t k = 0; k < a->n_children; k++) {
        struct ArrowArray *ch = p->child_ptr[k];
        if (ch->release)
            ch->release(ch);
        free(ch);
    }
    p->owner.release(p->owner.ctx);
    free(p);
    a->release = NULL;
}

static array_priv *priv_new(const wf_arrow_owner *owner)
{
    array_priv *p = calloc(1, sizeof *p);
    if (p) {
        p->owner = *owner;
        owner->retain(owner->ctx);
    }
    return p;
}

bool wf_arrow_export(const wf_arrow_chunk *c, const wf_arrow_owner *owner,
                     struct ArrowArray *out)
{
    array_priv *p = priv_new(owner);
    if (!p)
        return false;
    *out = (struct ArrowArray){
        .length = c->n,
        .n_buffers = 1,
        .buffers = p->buffers,  /* no validity: every row is a row */
        .n_children = 0,
        .children = p->child_ptr,
        .release = array_release,
        .private_data = p,
    };
    for (int k = 0; k < c->ncols; k++) {
        const column *col = &c->col[k];
        struct ArrowArray *ch = malloc(sizeof *ch);
        array_priv *cp = ch ? priv_new(owner) : NULL;
        if (!cp) {
            free(ch);
            array_release(out);
            return false;
        }
        for (int b = 0; b < col->n_buffers; b++)
            cp->buffers[b] = col->buf[b];
        if (col->n_buffers == 3 && !cp->buffers[2])
            cp->buffers[2] = cp->buffers; /* no bytes at all: any valid pointer */
        *ch = (struct ArrowArray){
            .length = c->n,
            .null_count = col->null_count,
            .n_buffers = col->n_buffers,
            .buffers = cp->buffers,
            .release = array_release,
            .private_data = cp,
        };
        p->child_ptr[k] = ch;
        out->n_children = k + 1;
    }
    return true;
}
