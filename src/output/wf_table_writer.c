/*
 * wf_table_writer.c - event and snapshot batches to Parquet (see the header).
 *
 * The schemas are wf_schema.h's X-macro tables WF_EVENT_COLUMNS and
 * WF_SNAPSHOT_COLUMNS: name, kind (physical and logical type, precision,
 * scale), nullable, dictionary. A FIELD column is filled from its field
 * by FILL_FIELD, so a new one needs nothing here; OWN columns (ids,
 * labels, batch constants) are filled by hand.
 * Low-cardinality strings (ids of scenario and plan, types, categories,
 * bands, statuses) ask for dictionary encoding; ids and event ids are PLAIN.
 * Money is DECIMAL(18,2) on INT64 (cents), deferral rates DECIMAL(9,4) on
 * INT32 (basis points): the model's integer units are the unscaled values,
 * so no conversion and no rounding happens here.
 *
 * Columns are built in the Parquet writer's own layout (pq_chunk_data):
 * the values of non-null rows packed, definition levels for nullable
 * columns, event ids hashed straight into their column, and dictionary
 * columns as codes into dictionaries of their labels (the model's
 * indexes, mapped once to distinct strings), so that no string of a label
 * column is copied, hashed or compared per row. Nothing is copied again
 * before the pages.
 *
 * Threads. A file's row groups are numbered; `threads` workers take the
 * next number, fill and encode that row group with their own buffers and
 * ZSTD context, then wait for its turn and write it (pq_writer_put), so
 * row groups land in order and the bytes are those of one worker. The row
 * groups of a file are evened out (row_groups below) so that two workers
 * finish together; the layout depends on the row count alone.
 */
#include "wf_table_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pq_writer.h"
#include "wf_error.h"
#include "wf_grow.h"
#include "wf_md5.h"

#define SMALL_FILE_ROWS 65536   /* written on the caller's thread alone */
#define SPLIT_ROWS 65536        /* a file of twice this gets 2+ row groups */
#define GROUP_ROWS_DEFAULT ((size_t)1 << 18) /* docs/parquet.md: a worker's buffers */
#define MAX_WORKERS 64
#define ID_GROUP 64             /* event ids hashed per wf_md5_many call */
#define WF_ID_HEAD_MAX 512      /* "scenario|plan|seed|" */
#define WF_ID_EMP_MAX 64        /* employee ids are at most 64 bytes */

/* The columns are wf_schema.h's WF_EVENT_COLUMNS and WF_SNAPSHOT_COLUMNS;
 * a column's kind (WF_KIND_*) names its Parquet types. */
#define PQ_TYPES(kind, phys, logi, prec, scale, sql) PQ_##phys, PQ_LT_##logi, prec, scale
#define SPEC(name, kind, nullable, dict, compared, ...) \
    {#name, WF_KIND_##kind(PQ_TYPES), false, nullable, dict},

static const pq_column_spec event_specs[] = {WF_EVENT_COLUMNS(SPEC)};
static const pq_column_spec snapshot_specs[] = {WF_SNAPSHOT_COLUMNS(SPEC)};
static const pq_column_spec census_specs[] = {WF_NORMALISED_CENSUS_COLUMNS(SPEC)};

#define EV_ENUM(name, ...) EC_##name,
#define SN_ENUM(name, ...) SC_##name,
#define CE_ENUM(name, ...) CE_##name,
enum { WF_EVENT_COLUMNS(EV_ENUM) EC_COUNT };
enum { WF_SNAPSHOT_COLUMNS(SN_ENUM) SC_COUNT };
enum { WF_NORMALISED_CENSUS_COLUMNS(CE_ENUM) CE_COUNT };

#define MAX_COLS ((int)EC_COUNT > (int)SC_COUNT ? (int)EC_COUNT : (int)SC_COUNT)

/* ---- dictionaries of labels ------------------------------------------------ */

/* The distinct strings of a label column, as pq_chunk_data wants them. */
typedef struct dict {
    uint64_t off[PQ_CODED_MAX + 1];
    char *bytes;
    size_t cap;
    uint32_t n;
} dict;

/* Sets d to the distinct strings of labels[0..n), in order of first
 * appearance, and code[i] to label i's entry. False when out of memory or
 * when there are more than PQ_CODED_MAX distinct labels. */
static bool dict_build(dict *d, const char *const *labels, size_t n, uint32_t *code)
{
    d->n = 0;
    d->off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = labels[i];
        size_t len = strlen(s);
        uint32_t k = 0;
        while (k < d->n && !(d->off[k + 1] - d->off[k] == len &&
                             memcmp(d->bytes + d->off[k], s, len) == 0))
            k++;
        if (k == d->n) {
            if (d->n == PQ_CODED_MAX ||
                !wf_grow((void **)&d->bytes, &d->cap, d->off[k] + len + 1, 1))
                return false;
            memcpy(d->bytes + d->off[k], s, len);
            d->off[k + 1] = d->off[k] + len;
            d->n++;
        }
        code[i] = k;
    }
    return true;
}

static void dict_set(pq_chunk_data *c, const dict *d)
{
    c->dict_offsets = d->off;
    c->dict_bytes = (const uint8_t *)d->bytes;
    c->dict_n = d->n;
}

/* ---- workers and their column buffers -------------------------------------- */

/* One column of one row group, reused from row group to row group. */
typedef struct colbuf {
    void *vals;
    size_t vals_cap;            /* bytes: columns of any width share it */
    uint8_t *def;
    size_t def_cap;
    uint64_t *offs;
    size_t offs_cap;
    char *bytes;
    size_t bytes_cap;
    uint32_t *codes;
    size_t codes_cap;
} colbuf;

typedef struct worker {
    pq_encoder *enc;
    colbuf col[MAX_COLS];
    pq_chunk_data data[MAX_COLS];
    dict band[2];                       /* age and tenure band labels */
    uint32_t *band_code[2];
    size_t band_code_cap[2];
    char keys[ID_GROUP * (WF_ID_HEAD_MAX + WF_ID_EMP_MAX + 32)];
    uint8_t pre[ID_GROUP][64];          /* event ids' key heads (id_group) */
} worker;

struct wf_table_writer {
    wf_table_options opt;
    worker *workers[MAX_WORKERS];
};

static void worker_free(worker *wk)
{
    if (!wk)
        return;
    pq_encoder_free(wk->enc);
    for (int c = 0; c < MAX_COLS; c++) {
        colbuf *b = &wk->col[c];
        free(b->vals);
        free(b->def);
        free(b->offs);
        free(b->bytes);
        free(b->codes);
    }
    for (int k = 0; k < 2; k++) {
        free(wk->band[k].bytes);
        free(wk->band_code[k]);
    }
    free(wk);
}

static worker *worker_new(void)
{
    worker *wk = calloc(1, sizeof *wk);
    if (wk && !(wk->enc = pq_encoder_new())) {
        free(wk);
        wk = NULL;
    }
    return wk;
}

/* Sizes a worker's buffers for n rows of the columns `specs` and points
 * wk->data at them (a label column - spec.dictionary - gets codes; the
 * byte runs of other strings grow as they are filled). */
static bool prepare_range(worker *wk, const pq_column_spec *specs, int c0, int c1,
                          size_t n)
{
    static const size_t width[] = {[PQ_BOOLEAN] = 1, [PQ_INT32] = 4,
                                   [PQ_INT64] = 8, [PQ_DOUBLE] = 8};
    for (int c = c0; c < c1; c++) {
        const pq_column_spec *s = &specs[c];
        colbuf *b = &wk->col[c];
        bool ok = !s->nullable || wf_grow((void **)&b->def, &b->def_cap, n, 1);
        if (s->physical != PQ_BYTE_ARRAY)
            ok = ok && wf_grow(&b->vals, &b->vals_cap, n * width[s->physical], 1);
        else if (s->dictionary)
            ok = ok && wf_grow((void **)&b->codes, &b->codes_cap, n, sizeof *b->codes);
        else
            ok = ok && wf_grow((void **)&b->offs, &b->offs_cap, n + 1, sizeof *b->offs);
        if (!ok)
            return false;
        wk->data[c] = (pq_chunk_data){
            .def = s->nullable ? b->def : NULL,
            .values = b->vals,
            .offsets = b->offs,
            .bytes = (const uint8_t *)b->bytes,
            .codes = s->dictionary ? b->codes : NULL,
        };
    }
    return true;
}

static bool prepare(worker *wk, const pq_column_spec *specs, int ncols, size_t n)
{
    return prepare_range(wk, specs, 0, ncols, n);
}

/* Frees the buffers of columns [c0, c1) (encoded: their chunks are in
 * wk->enc), so that the next group of columns reuses the memory. Byte
 * runs stay: an encoded chunk's statistics point into them until
 * pq_writer_put. */
static void release_range(worker *wk, int c0, int c1)
{
    for (int c = c0; c < c1; c++) {
        colbuf *b = &wk->col[c];
        free(b->vals);
        free(b->def);
        free(b->offs);
        free(b->codes);
        b->vals = b->def = NULL;
        b->offs = NULL;
        b->codes = NULL;
        b->vals_cap = b->def_cap = b->offs_cap = b->codes_cap = 0;
    }
}

/* Appends len bytes of s as value i of a byte-array column (offs[0] set). */
static bool put_str(colbuf *b, size_t i, const char *s, size_t len)
{
    uint64_t at = b->offs[i];
    if (at + len > b->bytes_cap &&
        !wf_grow((void **)&b->bytes, &b->bytes_cap, at + len + 65536, 1))
        return false;
    memcpy(b->bytes + at, s, len);
    b->offs[i + 1] = at + len;
    return true;
}

/* Codes of a band column: the labels of indexes 0..max into the worker's
 * dictionary k, and codes[0..n) (label indexes) mapped to its entries. */
static bool band_codes(worker *wk, int k, const char *const *labels, unsigned max,
                       uint32_t *codes, size_t n, pq_chunk_data *c)
{
    if (!wf_grow((void **)&wk->band_code[k], &wk->band_code_cap[k], max + 1,
                 sizeof *wk->band_code[k]) ||
        !dict_build(&wk->band[k], labels, max + 1, wk->band_code[k]))
        return false;
    const uint32_t *map = wk->band_code[k];
    bool identity = true;
    for (unsigned i = 0; i <= max; i++)
        identity = identity && map[i] == i;
    if (!identity) /* two bands share a label: one entry for both */
        for (size_t i = 0; i < n; i++)
            codes[i] = map[codes[i]];
    dict_set(c, &wk->band[k]);
    return true;
}

/* ---- event ids ---------------------------------------------------------------- */

/* The event_id key "scenario|plan|seed|employee_id|year|type" (docs/model.md
 * 5.1) in three parts: the batch's constant head "scenario|plan|seed|",
 * the employee id, and "|year|type". */
typedef struct id_keys {
    char head[WF_ID_HEAD_MAX];
    size_t head_len;
    char tail[WF_EV_COUNT][32];
    size_t tail_len[WF_EV_COUNT];
    size_t max_len;             /* longest key of the batch */
    /* Keys of one block (at most 55 bytes) are hashed as the XOR of their
     * head "scenario|plan|seed|employee_id" (p bytes, zero-padded to 64)
     * and tail_blk[type][p]: zeros, the tail at byte p, 0x80, zeros, the
     * bit length in bytes 56..63 (wf_md5_xor). NULL: every key is
     * assembled (wf_md5_many). */
    uint8_t (*tail_blk)[56][64];
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
    k->tail_blk = NULL;
    return true;
}

/* Fills tail_blk (WF_EV_COUNT x 56 blocks) for k and points k at it. */
static void id_keys_blocks(id_keys *k, uint8_t (*tail_blk)[56][64])
{
    memset(tail_blk, 0, sizeof(uint8_t[WF_EV_COUNT][56][64]));
    for (int t = 0; t < WF_EV_COUNT; t++)
        for (size_t p = 0; p + k->tail_len[t] <= 55; p++) {
            uint8_t *b = tail_blk[t][p];
            memcpy(b + p, k->tail[t], k->tail_len[t]);
            b[p + k->tail_len[t]] = 0x80;
            uint64_t bits = (uint64_t)(p + k->tail_len[t]) * 8;
            for (int i = 0; i < 8; i++)
                b[56 + i] = (uint8_t)(bits >> (8 * i));
        }
    k->tail_blk = tail_blk;
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

/* The MD5 states of the ids of m <= ID_GROUP events ev[0..m). With
 * k->tail_blk, a key of one block is the XOR of its head, built once per
 * employee (events come sorted by employee) in pre[], and its tail block;
 * the others are assembled in keys (ID_GROUP keys of k->max_len bytes) and
 * hashed by wf_md5_many. */
static void id_group(const id_keys *k, const wf_event_batch *b, const wf_event *ev,
                     size_t m, uint8_t (*pre)[64], char *keys, uint32_t (*st)[4])
{
    static const uint8_t zero[64];
    const uint8_t *x[ID_GROUP], *y[ID_GROUP];
    const char *msg[ID_GROUP];
    size_t len[ID_GROUP], slow[ID_GROUP], ns = 0, np = 0, plen = 0;
    uint32_t slow_st[ID_GROUP][4];
    uint32_t last = UINT32_MAX;
    for (size_t j = 0; j < m; j++) {
        size_t tl = k->tail_len[ev[j].type];
        if (k->tail_blk && ev[j].emp != last) { /* the next employee's head */
            last = ev[j].emp;
            const char *emp = b->emp_ids[last];
            size_t el = strnlen(emp, WF_ID_EMP_MAX);
            plen = k->head_len + el;
            if (plen <= 55) {
                uint8_t *h = pre[np++];
                memset(h, 0, 64);
                memcpy(h, k->head, k->head_len);
                memcpy(h + k->head_len, emp, el);
            } else {
                plen = 0;
            }
        }
        if (k->tail_blk && plen && plen + tl <= 55) {
            x[j] = pre[np - 1];
            y[j] = k->tail_blk[ev[j].type][plen];
        } else {
            x[j] = y[j] = zero;
            char *key = keys + ns * k->max_len;
            msg[ns] = key;
            len[ns] = id_key(k, b, &ev[j], key);
            slow[ns++] = j;
        }
    }
    if (ns < m)
        wf_md5_xor(x, y, m, st);
    if (ns) {
        wf_md5_many(msg, len, ns, slow_st);
        for (size_t q = 0; q < ns; q++)
            memcpy(st[slow[q]], slow_st[q], sizeof slow_st[q]);
    }
}

/* The event_id column of n events from ev into b (32 bytes a row), hashed
 * ID_GROUP at a time (id_group), hex written in place. */
static bool put_event_ids(colbuf *b, const id_keys *k, const wf_event_batch *batch,
                          const wf_event *ev, size_t n, worker *wk)
{
    uint32_t st[ID_GROUP][4];
    if (!wf_grow((void **)&b->bytes, &b->bytes_cap, n * 32 + 1, 1))
        return false;
    for (size_t g = 0; g < n; g += ID_GROUP) {
        size_t m = n - g < ID_GROUP ? n - g : ID_GROUP;
        id_group(k, batch, ev + g, m, wk->pre, wk->keys, st);
        for (size_t j = 0; j < m; j++)
            wf_md5_hex(st[j], b->bytes + (g + j) * 32); /* its NUL is overwritten */
    }
    for (size_t r = 0; r <= n; r++)
        b->offs[r] = (uint64_t)r * 32;
    return true;
}

/* ---- the event table --------------------------------------------------------- */

/* What every row group of an event file shares. */
typedef struct event_file {
    const wf_event_batch *b;
    int64_t created_at;
    id_keys keys;
    uint8_t tail_blk[WF_EV_COUNT][56][64]; /* keys.tail_blk */
    dict scenario, plan, type, category;
    uint32_t one_code[1];
    uint32_t type_code[WF_EV_COUNT], category_code[WF_CAT_COUNT];
} event_file;

static bool event_file_init(event_file *f, const wf_event_batch *b, int64_t created_at)
{
    f->b = b;
    f->created_at = created_at;
    memset(&f->scenario, 0, sizeof f->scenario);
    memset(&f->plan, 0, sizeof f->plan);
    memset(&f->type, 0, sizeof f->type);
    memset(&f->category, 0, sizeof f->category);
    if (!id_keys_init(&f->keys, b))
        return false;
    id_keys_blocks(&f->keys, f->tail_blk);
    return dict_build(&f->scenario, &b->scenario_id, 1, f->one_code) &&
           dict_build(&f->plan, &b->plan_design_id, 1, f->one_code) &&
           dict_build(&f->type, wf_event_type_names, WF_EV_COUNT, f->type_code) &&
           dict_build(&f->category, wf_event_category_names, WF_CAT_COUNT,
                      f->category_code);
}

static void event_file_free(event_file *f)
{
    free(f->scenario.bytes);
    free(f->plan.bytes);
    free(f->type.bytes);
    free(f->category.bytes);
}

#define VALS(c, type) ((type *)wk->col[c].vals)

/* A FIELD column of wf_schema.h is copied from its wf_event or
 * wf_snapshot_row field as the C type of its kind's Parquet values; a
 * nullable one writes the value at the next free place and keeps it when
 * the row has one (n_set counts the kept values). OWN columns are filled
 * by hand in fill_events and fill_snapshot. */
#define FILL_OWN(c, kind, nullable, src)
#define FILL_FIELD(c, kind, nullable, src)                                    \
    if (nullable) {                                                           \
        WF_FIELD_CTYPE_##kind v_ = (WF_FIELD_CTYPE_##kind)(src);              \
        VALS(c, WF_FIELD_CTYPE_##kind)[n_set[c]] = v_;                        \
        n_set[c] += wk->col[c].def[r] = !WF_FIELD_NULL_##kind(v_);            \
    } else {                                                                  \
        VALS(c, WF_FIELD_CTYPE_##kind)[r] = (WF_FIELD_CTYPE_##kind)(src);     \
    }
#define FILL_EVENT_IN(name, kind, nullable, dict, compared, how, member) \
    if (IN(EC_##name)) {                                                  \
        FILL_##how(EC_##name, kind, nullable, e->member)                  \
    }
#define FILL_SNAPSHOT(name, kind, nullable, dict, compared, how, member) \
    FILL_##how(SC_##name, kind, nullable, s->member)

/* Columns [c0, c1) of rows [first, first + n) of the file's batch into
 * wk's columns (fill_events: all of them). */
static bool fill_event_columns(worker *wk, const event_file *f, size_t first, size_t n,
                               int c0, int c1)
{
    const wf_event_batch *b = f->b;
    const wf_event *ev = b->events + first;
#define IN(c) ((c) >= c0 && (c) < c1)
    if (!prepare_range(wk, event_specs, c0, c1, n) ||
        (IN(EC_event_id) &&
         !put_event_ids(&wk->col[EC_event_id], &f->keys, b, ev, n, wk)))
        return false;
    colbuf *emp = &wk->col[EC_employee_id];
    if (IN(EC_employee_id))
        emp->offs[0] = 0;
    uint32_t *type = wk->col[EC_event_type].codes, *cat = wk->col[EC_event_category].codes;
    uint32_t *age_band = wk->col[EC_age_band].codes, *ten_band = wk->col[EC_tenure_band].codes;
    uint8_t *pl_def = wk->col[EC_previous_level_id].def;
    size_t n_pl = 0, n_set[EC_COUNT] = {0};
    unsigned max_age = 0, max_ten = 0;
    /* the columns other than the event ids, when this range has any */
    bool rows = false;
    for (int c = c0; c < c1; c++)
        rows = rows || c != EC_event_id;
    for (size_t r = 0; rows && r < n; r++) {
        const wf_event *e = &ev[r];
        if (IN(EC_employee_id)) {
            const char *id = b->emp_ids[e->emp];
            if (!put_str(emp, r, id, strlen(id)))
                return false;
        }
        if (IN(EC_event_type))
            type[r] = f->type_code[e->type];
        if (IN(EC_event_category))
            cat[r] = f->category_code[e->category];
        if (IN(EC_age_band)) {
            age_band[r] = e->age_band;
            max_age = e->age_band > max_age ? e->age_band : max_age;
        }
        if (IN(EC_tenure_band)) {
            ten_band[r] = e->tenure_band;
            max_ten = e->tenure_band > max_ten ? e->tenure_band : max_ten;
        }
        if (IN(EC_random_seed))
            VALS(EC_random_seed, int64_t)[r] = b->random_seed;
        if (IN(EC_created_at))
            VALS(EC_created_at, int64_t)[r] = f->created_at;
        if (IN(EC_previous_level_id)) {
            VALS(EC_previous_level_id, int32_t)[n_pl] = e->prev_level; /* 0 is null */
            n_pl += pl_def[r] = e->prev_level != 0;
        }
        WF_EVENT_COLUMNS(FILL_EVENT_IN)
    }
    if (IN(EC_scenario_id) || IN(EC_plan_design_id)) {
        /* scenario and plan: one label, code 0 on every row (the plan's
         * codes are the scenario's, which must then be in the range) */
        uint32_t *zero = wk->col[EC_scenario_id].codes;
        if (!IN(EC_scenario_id) || (IN(EC_plan_design_id) && !zero))
            return false; /* the column groups keep them together */
        memset(zero, 0, n * sizeof *zero);
        dict_set(&wk->data[EC_scenario_id], &f->scenario);
        if (IN(EC_plan_design_id)) {
            wk->data[EC_plan_design_id].codes = zero;
            dict_set(&wk->data[EC_plan_design_id], &f->plan);
        }
    }
    if (IN(EC_event_type))
        dict_set(&wk->data[EC_event_type], &f->type);
    if (IN(EC_event_category))
        dict_set(&wk->data[EC_event_category], &f->category);
    if (IN(EC_employee_id))
        wk->data[EC_employee_id].bytes = (const uint8_t *)emp->bytes;
    if (IN(EC_event_id))
        wk->data[EC_event_id].bytes = (const uint8_t *)wk->col[EC_event_id].bytes;
    return (!IN(EC_age_band) || band_codes(wk, 0, b->age_band_labels, max_age, age_band,
                                            n, &wk->data[EC_age_band])) &&
           (!IN(EC_tenure_band) || band_codes(wk, 1, b->tenure_band_labels, max_ten,
                                               ten_band, n, &wk->data[EC_tenure_band]));
#undef IN
}

/* The event table's columns in groups, filled, encoded and freed one
 * group at a time (work), so that a worker holds one group's buffers
 * instead of a whole row group's (about 187 bytes a row): the event ids;
 * the scenario, plan, seed and employee ids; the codes and integers up to
 * the compensation; the rest. Boundaries are column numbers. */
static const int event_groups[] = {0, EC_scenario_id, EC_event_type,
                                   EC_previous_compensation, EC_COUNT};
_Static_assert(EC_event_id == 0 && EC_scenario_id == 1 && EC_plan_design_id == 2 &&
                   EC_random_seed == 3 && EC_employee_id == 4 && EC_event_type == 5 &&
                   EC_previous_compensation > EC_event_type &&
                   EC_previous_compensation < EC_COUNT,
               "event_groups follows WF_EVENT_COLUMNS' order");

static bool fill_events_group(worker *wk, const void *file, size_t first, size_t n,
                              int c0, int c1)
{
    return fill_event_columns(wk, file, first, n, c0, c1);
}

/* ---- the snapshot table ------------------------------------------------------ */

typedef struct snapshot_file {
    const wf_snapshot_batch *b;
    dict status, source;
    uint32_t status_code[WF_STATUS_COUNT], source_code[WF_SRC_COUNT];
} snapshot_file;

static bool snapshot_file_init(snapshot_file *f, const wf_snapshot_batch *b)
{
    *f = (snapshot_file){.b = b};
    /* WF_SRC_NONE is the null: entries from the first real source on */
    return dict_build(&f->status, wf_employment_status_names, WF_STATUS_COUNT,
                      f->status_code) &&
           dict_build(&f->source, wf_enrollment_source_names + 1, WF_SRC_COUNT - 1,
                      f->source_code + 1);
}

static void snapshot_file_free(snapshot_file *f)
{
    free(f->status.bytes);
    free(f->source.bytes);
}

static bool fill_snapshot(worker *wk, const void *file, size_t first, size_t n)
{
    const snapshot_file *f = file;
    const wf_snapshot_batch *b = f->b;
    const wf_snapshot_row *rows = b->rows + first;
    if (!prepare(wk, snapshot_specs, SC_COUNT, n))
        return false;
    colbuf *emp = &wk->col[SC_employee_id];
    emp->offs[0] = 0;
    uint32_t *status = wk->col[SC_employment_status].codes;
    uint32_t *source = wk->col[SC_enrollment_source].codes;
    uint8_t *src_def = wk->col[SC_enrollment_source].def;
    size_t n_src = 0, n_set[SC_COUNT] = {0};
    for (size_t r = 0; r < n; r++) {
        const wf_snapshot_row *s = &rows[r];
        const char *id = b->emp_ids[s->emp];
        if (!put_str(emp, r, id, strlen(id)))
            return false;
        status[r] = f->status_code[s->active ? WF_STATUS_ACTIVE : WF_STATUS_TERMINATED];
        source[n_src] = f->source_code[s->source];
        n_src += src_def[r] = s->source != WF_SRC_NONE;
        WF_SNAPSHOT_COLUMNS(FILL_SNAPSHOT)
    }
    wk->data[SC_employee_id].bytes = (const uint8_t *)emp->bytes;
    dict_set(&wk->data[SC_employment_status], &f->status);
    dict_set(&wk->data[SC_enrollment_source], &f->source);
    return true;
}

static bool fill_census(worker *wk, const void *file, size_t first, size_t n)
{
    const wf_census_row *rows = (const wf_census_row *)file + first;
    if (!prepare(wk, census_specs, CE_COUNT, n))
        return false;
    colbuf *emp = &wk->col[CE_employee_id];
    emp->offs[0] = 0;
    for (size_t r = 0; r < n; r++) {
        const wf_census_row *c = &rows[r];
        if (!put_str(emp, r, c->id, strlen(c->id)))
            return false;
        VALS(CE_birth_date, int32_t)[r] = c->birth_day;
        VALS(CE_hire_date, int32_t)[r] = c->hire_day;
        VALS(CE_salary, int64_t)[r] = c->salary_cents;
        VALS(CE_level_id, int32_t)[r] = c->level;
        VALS(CE_level_from_salary, uint8_t)[r] = c->level_from_salary;
        VALS(CE_deferral_rate, int32_t)[r] = c->deferral_bp;
        VALS(CE_auto_escalation_opt_out, uint8_t)[r] = c->esc_opt_out;
    }
    wk->data[CE_employee_id].bytes = (const uint8_t *)emp->bytes;
    return true;
}

#undef VALS

/* ---- files: row groups over workers ----------------------------------------- */

/* Rows per row group for a file of n rows: at most max_rows, and an even
 * number of groups (at least two from 2 * SPLIT_ROWS rows) of equal size,
 * so that two workers share the work evenly. Depends on n alone. */
static size_t row_group_rows(size_t n, size_t max_rows)
{
    size_t groups = n / max_rows + (n % max_rows != 0);
    if (groups < 2 && n >= 2 * SPLIT_ROWS)
        groups = 2;
    if (groups > 1 && groups % 2)
        groups++;
    return groups ? n / groups + (n % groups != 0) : max_rows;
}

typedef bool (*fill_fn)(worker *wk, const void *file, size_t first, size_t n);
typedef bool (*fill_group_fn)(worker *wk, const void *file, size_t first, size_t n,
                              int c0, int c1);

/* One file being written: row group g is rows [g * group_rows, ...). With
 * fill_group, a row group's columns are filled, encoded and freed in the
 * groups [groups[i], groups[i + 1]) for i < ncol_groups; else fill fills
 * them all before one encode. */
typedef struct file_job {
    pq_writer *w;
    fill_fn fill;
    fill_group_fn fill_group;
    const int *groups;
    int ncol_groups;
    const void *file;
    size_t nrows, group_rows, ngroups;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next;        /* next row group to take */
    size_t turn;        /* next row group to write */
    bool failed;        /* stop: a fill ran out of memory or a write failed */
    bool nomem;
} file_job;

/* Takes row groups until none is left: fill, encode, wait for the turn,
 * write. Encoding runs beside other workers; writing is one at a time. */
static void work(file_job *j, worker *wk)
{
    for (;;) {
        pthread_mutex_lock(&j->mu);
        size_t g = j->next++;
        bool stop = j->failed || g >= j->ngroups;
        pthread_mutex_unlock(&j->mu);
        if (stop)
            return;
        size_t first = g * j->group_rows;
        size_t n = j->nrows - first < j->group_rows ? j->nrows - first : j->group_rows;
        bool ok = true;
        if (j->fill_group) {
            pq_encode_begin(j->w, wk->enc, n);
            for (int i = 0; i < j->ncol_groups && ok; i++) {
                int c0 = j->groups[i], c1 = j->groups[i + 1];
                ok = j->fill_group(wk, j->file, first, n, c0, c1);
                if (ok)
                    pq_encode_columns(j->w, wk->enc, wk->data, c0, c1);
                release_range(wk, c0, c1);
            }
        } else {
            ok = j->fill(wk, j->file, first, n);
            if (ok)
                pq_encode(j->w, wk->enc, wk->data, n);
        }
        pthread_mutex_lock(&j->mu);
        if (!ok)
            j->failed = j->nomem = true;
        while (j->turn != g && !j->failed)
            pthread_cond_wait(&j->cv, &j->mu);
        bool mine = !j->failed;
        pthread_mutex_unlock(&j->mu);
        if (mine) /* the turn is ours: no other thread touches the writer */
            pq_writer_put(j->w, wk->enc);
        pthread_mutex_lock(&j->mu);
        if (mine && pq_writer_error(j->w)[0])
            j->failed = true;
        j->turn = g + 1;
        pthread_cond_broadcast(&j->cv);
        pthread_mutex_unlock(&j->mu);
    }
}

typedef struct helper {
    file_job *job;
    worker *wk;
} helper;

static void *helper_main(void *arg)
{
    helper *h = arg;
    work(h->job, h->wk);
    return NULL;
}

/* Fills, encodes and writes every row group of the file with up to
 * tw->opt.threads workers (one for a small file). False when memory for
 * the workers or their buffers ran out. */
static bool write_row_groups(wf_table_writer *tw, file_job *j)
{
    size_t k = (size_t)(tw->opt.threads > 1 ? tw->opt.threads : 1);
    if (k > MAX_WORKERS)
        k = MAX_WORKERS;
    if (j->nrows < SMALL_FILE_ROWS)
        k = 1;
    if (k > j->ngroups)
        k = j->ngroups ? j->ngroups : 1;
    for (size_t i = 0; i < k; i++)
        if (!tw->workers[i] && !(tw->workers[i] = worker_new()))
            return false;
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    pthread_t tid[MAX_WORKERS];
    helper h[MAX_WORKERS];
    size_t started = 0;
    for (size_t i = 1; i < k; i++) {
        h[started] = (helper){j, tw->workers[i]};
        if (pthread_create(&tid[started], NULL, helper_main, &h[started]) == 0)
            started++; /* else fewer workers: the same bytes */
    }
    work(j, tw->workers[0]);
    for (size_t i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->cv);
    return !j->nomem;
}

/* Writes nrows rows of `file` through `fill` into PATH.tmp, then renames. */
static wf_status write_table(wf_table_writer *tw, const char *path,
                             const pq_column_spec *specs, int ncols,
                             const void *file, size_t nrows, fill_fn fill,
                             fill_group_fn fill_group, const int *groups,
                             int ncol_groups, wf_error *err)
{
    wf_status st = WF_OK;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    pq_writer *w = NULL;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return wf_error_errno(err, "create", tmp);
    pq_options po = {
        .zstd_level = tw->opt.zstd_level,
        .created_by = "wfsim version " WF_VERSION,
    };
    w = pq_writer_open(fd, specs, ncols, &po);
    if (!w) {
        st = wf_error_nomem(err, "Parquet writer");
        goto done;
    }
    size_t max_rows = tw->opt.row_group_rows ? tw->opt.row_group_rows : GROUP_ROWS_DEFAULT;
    file_job j = {.w = w, .fill = fill, .fill_group = fill_group, .groups = groups,
                  .ncol_groups = ncol_groups, .file = file, .nrows = nrows,
                  .group_rows = row_group_rows(nrows, max_rows)};
    j.ngroups = nrows / j.group_rows + (nrows % j.group_rows != 0);
    if (!write_row_groups(tw, &j)) {
        st = wf_error_nomem(err, "Parquet column buffers");
        goto done;
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
    return st;
}

/* ---- public -------------------------------------------------------------------- */

wf_table_writer *wf_table_writer_new(const wf_table_options *opt)
{
    wf_table_writer *tw = calloc(1, sizeof *tw);
    if (tw && opt)
        tw->opt = *opt;
    return tw;
}

void wf_table_writer_free(wf_table_writer *tw)
{
    if (!tw)
        return;
    for (int i = 0; i < MAX_WORKERS; i++)
        worker_free(tw->workers[i]);
    free(tw);
}

wf_status wf_table_writer_events(wf_table_writer *tw, const char *path,
                                 const wf_event_batch *batch, wf_error *err)
{
    event_file f;
    wf_status st;
    if (!event_file_init(&f, batch, tw->opt.created_at_us))
        st = wf_error_set(err, WF_ERUNTIME, path, 0, 0,
                          "out of memory, or ids of scenario and plan longer than "
                          "%d bytes, or more than %d labels", WF_ID_HEAD_MAX - 32,
                          PQ_CODED_MAX);
    else
        st = write_table(tw, path, event_specs, EC_COUNT, &f, batch->n, NULL,
                         fill_events_group, event_groups,
                         (int)(sizeof event_groups / sizeof *event_groups) - 1, err);
    event_file_free(&f);
    return st;
}

wf_status wf_table_writer_snapshot(wf_table_writer *tw, const char *path,
                                   const wf_snapshot_batch *batch, wf_error *err)
{
    snapshot_file f;
    wf_status st;
    if (!snapshot_file_init(&f, batch))
        st = wf_error_nomem(err, "Parquet label dictionaries");
    else
        st = write_table(tw, path, snapshot_specs, SC_COUNT, &f, batch->n,
                         fill_snapshot, NULL, NULL, 0, err);
    snapshot_file_free(&f);
    return st;
}

wf_status wf_table_writer_census(wf_table_writer *tw, const char *path,
                                 const wf_census_row *rows, size_t n, wf_error *err)
{
    return write_table(tw, path, census_specs, CE_COUNT, rows, n, fill_census, NULL,
                       NULL, 0, err);
}

bool wf_event_ids(const wf_event_batch *batch, const wf_event *ev, size_t n, char *hex)
{
    id_keys k;
    if (!id_keys_init(&k, batch)) { /* not reached with loaded configurations */
        for (size_t i = 0; i < n; i++) {
            char one[33];
            wf_event_id(batch, &ev[i], one);
            memcpy(hex + 32 * i, one, 32);
        }
        return true;
    }
    char *keys = malloc(ID_GROUP * k.max_len);
    uint8_t(*tail_blk)[56][64] = malloc(sizeof(uint8_t[WF_EV_COUNT][56][64]));
    uint8_t(*pre)[64] = malloc(ID_GROUP * sizeof *pre);
    if (!keys || !tail_blk || !pre) {
        free(keys);
        free(tail_blk);
        free(pre);
        return false;
    }
    id_keys_blocks(&k, tail_blk);
    uint32_t st[ID_GROUP][4];
    char one[33];
    for (size_t g = 0; g < n; g += ID_GROUP) {
        size_t m = n - g < ID_GROUP ? n - g : ID_GROUP;
        id_group(&k, batch, ev + g, m, pre, keys, st);
        for (size_t j = 0; j < m; j++) {
            wf_md5_hex(st[j], one);
            memcpy(hex + 32 * (g + j), one, 32);
        }
    }
    free(keys);
    free(tail_blk);
    free(pre);
    return true;
}
