/*
 * wf_table_writer.c - event and snapshot batches to Parquet (see the header).
 *
 * The schemas are the X-macro tables EVENT_COLUMNS and SNAPSHOT_COLUMNS:
 * name, physical type, logical type, precision, scale, nullable, dictionary.
 * Low-cardinality strings (ids of scenario and plan, types, categories,
 * bands, statuses) ask for dictionary encoding; ids and event ids are PLAIN.
 * Money is DECIMAL(18,2) on INT64 (cents), deferral rates DECIMAL(9,4) on
 * INT32 (basis points): the model's integer units are the unscaled values,
 * so no conversion and no rounding happens here.
 */
#include "wf_table_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pq_writer.h"
#include "wf_error.h"
#include "wf_md5.h"

#define SLICE_ROWS 8192
#define SMALL_FILE_ROWS 65536   /* written on the caller's thread alone */
#define ID_GROUP 64             /* event ids hashed per wf_md5_many call */
#define WF_ID_HEAD_MAX 512      /* "scenario|plan|seed|" */
#define WF_ID_EMP_MAX 64        /* employee ids are at most 64 bytes */

#define STR PQ_BYTE_ARRAY, PQ_LT_STRING, 0, 0
#define I32 PQ_INT32, PQ_LT_NONE, 0, 0
#define I64 PQ_INT64, PQ_LT_NONE, 0, 0
#define DATE PQ_INT32, PQ_LT_DATE, 0, 0
#define MONEY PQ_INT64, PQ_LT_DECIMAL, 18, 2
#define RATE PQ_INT32, PQ_LT_DECIMAL, 9, 4
#define F64 PQ_DOUBLE, PQ_LT_NONE, 0, 0
#define BOOL PQ_BOOLEAN, PQ_LT_NONE, 0, 0
#define TS PQ_INT64, PQ_LT_TIMESTAMP_MICROS, 0, 0

/* name, type (4 fields), nullable, dictionary */
#define EVENT_COLUMNS(X)                                  \
    X(event_id, STR, false, false)                        \
    X(scenario_id, STR, false, true)                      \
    X(plan_design_id, STR, false, true)                   \
    X(random_seed, I64, false, false)                     \
    X(employee_id, STR, false, false)                     \
    X(event_type, STR, false, true)                       \
    X(event_category, STR, false, true)                   \
    X(event_date, DATE, false, false)                     \
    X(event_sequence, I32, false, false)                  \
    X(level_id, I32, false, false)                        \
    X(previous_level_id, I32, true, false)                \
    X(compensation_amount, MONEY, false, false)           \
    X(previous_compensation, MONEY, true, false)          \
    X(employee_deferral_rate, RATE, true, false)          \
    X(prev_employee_deferral_rate, RATE, true, false)     \
    X(employee_age, I32, false, false)                    \
    X(employee_tenure, I32, false, false)                 \
    X(age_band, STR, false, true)                         \
    X(tenure_band, STR, false, true)                      \
    X(event_probability, F64, true, false)                \
    X(created_at, TS, false, false)

#define SNAPSHOT_COLUMNS(X)                               \
    X(employee_id, STR, false, false)                     \
    X(employment_status, STR, false, true)                \
    X(birth_date, DATE, false, false)                     \
    X(hire_date, DATE, false, false)                      \
    X(termination_date, DATE, true, false)                \
    X(level_id, I32, false, false)                        \
    X(salary, MONEY, false, false)                        \
    X(eligibility_date, DATE, false, false)               \
    X(is_enrolled, BOOL, false, false)                    \
    X(deferral_rate, RATE, false, false)                  \
    X(enrollment_source, STR, true, true)                 \
    X(ever_opted_out, BOOL, false, false)

/* The indirection lets the type shorthands expand into their four fields. */
#define SPEC(name, ...) SPEC_(name, __VA_ARGS__)
#define SPEC_(name, phys, logi, prec, scale, nullable, dict) \
    {#name, phys, logi, prec, scale, false, nullable, dict},

static const pq_column_spec event_specs[] = {EVENT_COLUMNS(SPEC)};
static const pq_column_spec snapshot_specs[] = {SNAPSHOT_COLUMNS(SPEC)};

#define EV_ENUM(name, ...) EC_##name,
#define SN_ENUM(name, ...) SC_##name,
enum { EVENT_COLUMNS(EV_ENUM) EC_COUNT };
enum { SNAPSHOT_COLUMNS(SN_ENUM) SC_COUNT };

/* One column's slice buffers, reused from slice to slice. */
typedef struct colbuf {
    union {
        int32_t i32[SLICE_ROWS];
        int64_t i64[SLICE_ROWS];
        double f64[SLICE_ROWS];
        uint8_t b[SLICE_ROWS];
    } v;
    uint8_t valid[SLICE_ROWS];
    int64_t offsets[SLICE_ROWS + 1];
    char *bytes;
    size_t nbytes, cap;
    int any_null;
} colbuf;

static int put_str(colbuf *c, size_t row, const char *s, size_t len)
{
    if (c->nbytes + len > c->cap) {
        size_t cap = c->cap ? c->cap : 65536;
        while (cap < c->nbytes + len)
            cap *= 2;
        char *p = realloc(c->bytes, cap);
        if (!p)
            return -1;
        c->bytes = p;
        c->cap = cap;
    }
    memcpy(c->bytes + c->nbytes, s, len);
    c->nbytes += len;
    c->offsets[row + 1] = (int64_t)c->nbytes;
    c->valid[row] = 1;
    return 0;
}

static void put_null(colbuf *c, size_t row)
{
    c->valid[row] = 0;
    c->any_null = 1;
    c->offsets[row + 1] = (int64_t)c->nbytes;
}

static void put_i32(colbuf *c, size_t row, int32_t v, int is_null)
{
    if (is_null)
        put_null(c, row);
    else {
        c->v.i32[row] = v;
        c->valid[row] = 1;
    }
}

static void put_i64(colbuf *c, size_t row, int64_t v, int is_null)
{
    if (is_null)
        put_null(c, row);
    else {
        c->v.i64[row] = v;
        c->valid[row] = 1;
    }
}

static void reset(colbuf *cols, int ncols)
{
    for (int i = 0; i < ncols; i++) {
        cols[i].nbytes = 0;
        cols[i].offsets[0] = 0;
        cols[i].any_null = 0;
    }
}

static void to_data(colbuf *cols, int ncols, pq_column_data *data)
{
    for (int i = 0; i < ncols; i++)
        data[i] = (pq_column_data){
            .values = &cols[i].v,
            .offsets = cols[i].offsets,
            .bytes = cols[i].bytes,
            .valid = cols[i].any_null ? cols[i].valid : NULL,
        };
}

/* The event_id key "scenario|plan|seed|employee_id|year|type" (MODEL.md
 * 5.1) in three parts: the batch's constant head "scenario|plan|seed|",
 * the employee id, and "|year|type". */
typedef struct id_keys {
    char head[WF_ID_HEAD_MAX];
    size_t head_len;
    char tail[WF_EV_COUNT][32];
    size_t tail_len[WF_EV_COUNT];
    size_t max_len;             /* longest key of the batch */
} id_keys;

/* False when the head does not fit (ids of scenario and plan that long are
 * refused by the configuration loader long before). */
static bool id_keys_init(id_keys *k, const wf_event_batch *b)
{
    int n = snprintf(k->head, sizeof k->head, "%s|%s|%lld|", b->scenario_id,
                     b->plan_design_id, (long long)b->random_seed);
    if (n < 0 || (size_t)n >= sizeof k->head)
        return false;
    k->head_len = (size_t)n;
    size_t longest = 0;
    for (int t = 0; t < WF_EV_COUNT; t++) {
        int m = snprintf(k->tail[t], sizeof k->tail[t], "|%d|%s", b->year,
                         wf_event_type_names[t]);
        k->tail_len[t] = (size_t)m;
        if ((size_t)m > longest)
            longest = (size_t)m;
    }
    k->max_len = k->head_len + WF_ID_EMP_MAX + longest;
    return true;
}

/* Writes the key of ev into key (k->max_len bytes); returns its length. */
static size_t id_key(const id_keys *k, const wf_event_batch *b,
                     const wf_event *ev, char *key)
{
    const char *emp = b->emp_ids[ev->emp];
    size_t el = strnlen(emp, WF_ID_EMP_MAX);
    memcpy(key, k->head, k->head_len);
    memcpy(key + k->head_len, emp, el);
    memcpy(key + k->head_len + el, k->tail[ev->type], k->tail_len[ev->type]);
    return k->head_len + el + k->tail_len[ev->type];
}

void wf_event_id(const wf_event_batch *b, const wf_event *ev, char hex[33])
{
    id_keys k;
    char key[WF_ID_HEAD_MAX + WF_ID_EMP_MAX + 32];
    uint32_t st[4];
    if (id_keys_init(&k, b)) {
        wf_md5(key, id_key(&k, b, ev, key), st);
    } else { /* not reached with loaded configurations */
        char *big = NULL;
        int n = asprintf(&big, "%s|%s|%lld|%s|%d|%s", b->scenario_id,
                         b->plan_design_id, (long long)b->random_seed,
                         b->emp_ids[ev->emp], b->year, wf_event_type_names[ev->type]);
        wf_md5(big ? big : "", n > 0 ? (size_t)n : 0, st);
        free(big);
    }
    wf_md5_hex(st, hex);
}

/* The event_id column of n events from ev into c (32 bytes a row): keys
 * assembled in `keys` (ID_GROUP keys of k->max_len bytes), hashed
 * ID_GROUP at a time by the multi-lane MD5. */
static int put_event_ids(colbuf *c, const id_keys *k, const wf_event_batch *b,
                         const wf_event *ev, size_t n, char *keys)
{
    const char *msg[ID_GROUP];
    size_t len[ID_GROUP];
    uint32_t st[ID_GROUP][4];
    if (c->cap < n * 32) {
        char *p = realloc(c->bytes, n * 32);
        if (!p)
            return -1;
        c->bytes = p;
        c->cap = n * 32;
    }
    for (size_t g = 0; g < n; g += ID_GROUP) {
        size_t m = n - g < ID_GROUP ? n - g : ID_GROUP;
        for (size_t j = 0; j < m; j++) {
            msg[j] = keys + j * k->max_len;
            len[j] = id_key(k, b, &ev[g + j], keys + j * k->max_len);
        }
        wf_md5_many(msg, len, m, st);
        for (size_t j = 0; j < m; j++) {
            char hex[33];
            wf_md5_hex(st[j], hex);
            memcpy(c->bytes + (g + j) * 32, hex, 32);
        }
    }
    for (size_t r = 0; r < n; r++) {
        c->offsets[r + 1] = (int64_t)(r + 1) * 32;
        c->valid[r] = 1;
    }
    c->nbytes = n * 32;
    return 0;
}

static int put_cstr(colbuf *c, size_t row, const char *s)
{
    return put_str(c, row, s, strlen(s));
}

/* Fills the event columns for rows [first, first + n) of the batch. */
static int fill_events(colbuf *c, const wf_event_batch *b, size_t first,
                       size_t n, int64_t created_at)
{
    id_keys k;
    char keys[ID_GROUP * (WF_ID_HEAD_MAX + WF_ID_EMP_MAX + 32)];
    if (!id_keys_init(&k, b) ||
        put_event_ids(&c[EC_event_id], &k, b, b->events + first, n, keys) != 0)
        return -1;
    /* The constant strings' lengths, once a slice rather than once a row. */
    size_t scenario_len = strlen(b->scenario_id);
    size_t plan_len = strlen(b->plan_design_id);
    size_t type_len[WF_EV_COUNT], cat_len[WF_CAT_COUNT];
    for (int i = 0; i < WF_EV_COUNT; i++)
        type_len[i] = strlen(wf_event_type_names[i]);
    for (int i = 0; i < WF_CAT_COUNT; i++)
        cat_len[i] = strlen(wf_event_category_names[i]);
    for (size_t r = 0; r < n; r++) {
        const wf_event *e = &b->events[first + r];
        if (put_str(&c[EC_scenario_id], r, b->scenario_id, scenario_len) ||
            put_str(&c[EC_plan_design_id], r, b->plan_design_id, plan_len) ||
            put_cstr(&c[EC_employee_id], r, b->emp_ids[e->emp]) ||
            put_str(&c[EC_event_type], r, wf_event_type_names[e->type],
                    type_len[e->type]) ||
            put_str(&c[EC_event_category], r, wf_event_category_names[e->category],
                    cat_len[e->category]) ||
            put_cstr(&c[EC_age_band], r, b->age_band_labels[e->age_band]) ||
            put_cstr(&c[EC_tenure_band], r, b->tenure_band_labels[e->tenure_band]))
            return -1;
        put_i64(&c[EC_random_seed], r, b->random_seed, 0);
        put_i32(&c[EC_event_date], r, e->date, 0);
        put_i32(&c[EC_event_sequence], r, e->seq, 0);
        put_i32(&c[EC_level_id], r, e->level, 0);
        put_i32(&c[EC_previous_level_id], r, e->prev_level, e->prev_level == 0);
        put_i64(&c[EC_compensation_amount], r, e->comp_cents, 0);
        put_i64(&c[EC_previous_compensation], r, e->prev_comp_cents,
                e->prev_comp_cents == WF_NULL_I64);
        put_i32(&c[EC_employee_deferral_rate], r, e->deferral_bp,
                e->deferral_bp == WF_NULL_I32);
        put_i32(&c[EC_prev_employee_deferral_rate], r, e->prev_deferral_bp,
                e->prev_deferral_bp == WF_NULL_I32);
        put_i32(&c[EC_employee_age], r, e->age, 0);
        put_i32(&c[EC_employee_tenure], r, e->tenure, 0);
        if (isnan(e->probability))
            put_null(&c[EC_event_probability], r);
        else {
            c[EC_event_probability].v.f64[r] = e->probability;
            c[EC_event_probability].valid[r] = 1;
        }
        put_i64(&c[EC_created_at], r, created_at, 0);
    }
    return 0;
}

static int fill_snapshot(colbuf *c, const wf_snapshot_batch *b, size_t first,
                         size_t n)
{
    for (size_t r = 0; r < n; r++) {
        const wf_snapshot_row *s = &b->rows[first + r];
        if (put_cstr(&c[SC_employee_id], r, b->emp_ids[s->emp]) ||
            put_cstr(&c[SC_employment_status], r, s->active ? "active" : "terminated"))
            return -1;
        if (s->source == WF_SRC_NONE)
            put_null(&c[SC_enrollment_source], r);
        else if (put_cstr(&c[SC_enrollment_source], r,
                          wf_enrollment_source_names[s->source]))
            return -1;
        put_i32(&c[SC_birth_date], r, s->birth_day, 0);
        put_i32(&c[SC_hire_date], r, s->hire_day, 0);
        put_i32(&c[SC_termination_date], r, s->termination_day,
                s->termination_day == WF_NULL_I32);
        put_i32(&c[SC_level_id], r, s->level, 0);
        put_i64(&c[SC_salary], r, s->salary_cents, 0);
        put_i32(&c[SC_eligibility_date], r, s->eligibility_day, 0);
        c[SC_is_enrolled].v.b[r] = s->enrolled;
        c[SC_is_enrolled].valid[r] = 1;
        put_i32(&c[SC_deferral_rate], r, s->deferral_bp, 0);
        c[SC_ever_opted_out].v.b[r] = s->ever_opted_out;
        c[SC_ever_opted_out].valid[r] = 1;
    }
    return 0;
}

typedef int (*fill_fn)(colbuf *c, const void *batch, size_t first, size_t n,
                       int64_t created_at);

static int fill_events_cb(colbuf *c, const void *b, size_t first, size_t n,
                          int64_t created_at)
{
    return fill_events(c, b, first, n, created_at);
}

static int fill_snapshot_cb(colbuf *c, const void *b, size_t first, size_t n,
                            int64_t created_at)
{
    (void)created_at;
    return fill_snapshot(c, b, first, n);
}

/* Writes nrows rows of `batch` through `fill` into PATH.tmp, then renames. */
static wf_status write_table(const char *path, const pq_column_spec *specs,
                             int ncols, const void *batch, size_t nrows,
                             fill_fn fill, const wf_table_options *opt,
                             wf_error *err)
{
    wf_status st = WF_OK;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    colbuf *cols = calloc((size_t)ncols, sizeof *cols);
    pq_column_data *data = calloc((size_t)ncols, sizeof *data);
    int fd = -1;
    pq_writer *w = NULL;
    if (!cols || !data) {
        st = wf_error_nomem(err, "Parquet column buffers");
        goto done;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        st = wf_error_errno(err, "create", tmp);
        goto done;
    }
    pq_options po = {
        .zstd_level = opt->zstd_level,
        .row_group_rows = opt->row_group_rows,
        .created_by = "wfsim version " WF_VERSION,
        /* A file smaller than a row group has nothing to overlap: threads
         * would only add start-up and hand-over latency. Same bytes. */
        .threads = nrows < SMALL_FILE_ROWS ? 1 : opt->threads,
        .expected_rows = nrows,
    };
    w = pq_writer_open(fd, specs, ncols, &po);
    if (!w) {
        st = wf_error_nomem(err, "Parquet writer");
        goto done;
    }
    for (size_t first = 0; first < nrows; first += SLICE_ROWS) {
        size_t n = nrows - first < SLICE_ROWS ? nrows - first : SLICE_ROWS;
        reset(cols, ncols);
        if (fill(cols, batch, first, n, opt->created_at_us) != 0) {
            st = wf_error_nomem(err, "Parquet string buffers");
            goto done;
        }
        to_data(cols, ncols, data);
        pq_writer_append(w, data, n);
    }
    char msg[512];
    int rc = pq_writer_close(w, msg, sizeof msg);
    w = NULL;
    if (rc != 0) {
        st = wf_error_set(err, WF_EIO, tmp, 0, 0, "writing Parquet failed: %s", msg);
        goto done;
    }
    if (close(fd) != 0) {
        fd = -1;
        st = wf_error_errno(err, "write", tmp);
        goto done;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        st = wf_error_errno(err, "rename into place", path);
done:
    if (w)
        pq_writer_abort(w);
    if (fd >= 0)
        close(fd);
    if (st != WF_OK)
        unlink(tmp);
    if (cols)
        for (int i = 0; i < ncols; i++)
            free(cols[i].bytes);
    free(cols);
    free(data);
    return st;
}

wf_status wf_write_events_parquet(const char *path, const wf_event_batch *batch,
                                  const wf_table_options *opt, wf_error *err)
{
    return write_table(path, event_specs, EC_COUNT, batch, batch->n,
                       fill_events_cb, opt, err);
}

wf_status wf_write_snapshot_parquet(const char *path,
                                    const wf_snapshot_batch *batch,
                                    const wf_table_options *opt, wf_error *err)
{
    return write_table(path, snapshot_specs, SC_COUNT, batch, batch->n,
                       fill_snapshot_cb, opt, err);
}
