/*
 * pq_writer.c - the Parquet writer's public API (pq_writer.h): buffering
 * rows, cutting row groups, writing column chunks, the footer.
 *
 * Rows appended are copied, column by column, into the current row
 * group's buffers: definition levels (one byte per row) for OPTIONAL
 * columns, and the values of non-null rows only, fixed-width values packed
 * in an array, byte arrays as one byte run plus 64-bit offsets. When the
 * row group is full it is encoded with pq_chunk_encode, one column chunk
 * at a time, the chunks are written in column order and the metadata is
 * recorded.
 *
 * Threads. The appending path runs on the caller's thread alone: it is
 * the plain reference that tests and the fuzz target compare the parallel
 * path with. Parallel writing is the caller's: row groups encoded apart
 * (pq_encode, on any thread, each with its own pq_encoder) and written in
 * order (pq_writer_put), as src/output/wf_table_writer.c does. The bytes
 * written depend on nothing but the rows and the options.
 *
 * Each written row group's metadata (a Thrift RowGroup struct) is
 * serialised at once into `rowgroups` - the statistics point into the
 * buffers that are about to be reused - and the footer splices these bytes
 * into the FileMetaData list at close. The file offset is counted here
 * rather than asked of the fd, so pipes work.
 *
 * Error discipline: w->error holds the first failure; every
 * entry point checks it first and does nothing once set, and close then
 * skips the footer, so an incomplete file never ends with a valid footer.
 */
#include "pq_int.h"
#include "pq_thrift.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zstd.h>

/* The buffered rows of one column in one row group. */
typedef struct pq_colbuf {
    pq_buf def;             /* one byte per row (OPTIONAL only) */
    pq_buf vals;            /* fixed-width values of non-null rows */
    pq_buf offs;            /* byte arrays: uint64 offsets, nvalues + 1 */
    pq_buf bytes;           /* byte arrays: the values' bytes */
    size_t nvalues;
} pq_colbuf;

/* The buffered row group. */
typedef struct pq_rg {
    pq_colbuf *cols;
    size_t rows;
} pq_rg;

/* A row group encoded apart (pq_encode), waiting for pq_writer_put. */
struct pq_encoder {
    pq_chunk_work work;
    pq_chunk_out *outs;     /* one per column */
    int nouts;
    size_t nrows;
    char error[512];        /* "" or the first problem of the row group */
};

struct pq_writer {
    int fd;
    pq_options opt;         /* defaults filled in; created_by owned */
    int ncols;
    pq_column_spec *cols;   /* names are owned copies */
    pq_chunk_out *outs;     /* the chunks of the row group being written */
    pq_rg rg;               /* receives appended rows */
    int64_t rows_done;      /* rows in row groups flushed or put */
    pq_chunk_work work;     /* scratch and ZSTD context of the appending path */
    bool work_ready;
    pq_buf kv;              /* serialised KeyValue structs for the footer */
    size_t nkv;
    char error[512];        /* the first error */
    int64_t offset;         /* bytes written so far */
    int64_t total_rows;     /* rows in row groups written */
    pq_buf rowgroups;       /* serialised RowGroup structs */
    int64_t nrowgroups;
};

static void vset(char *dst, size_t size, const char *fmt, va_list ap)
{
    if (dst[0])
        return;
    vsnprintf(dst, size, fmt, ap);
    if (!dst[0])
        snprintf(dst, size, "error");
}

static void set_error(pq_writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_error(pq_writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(w->error, sizeof w->error, fmt, ap);
    va_end(ap);
}

/* ---- opening: options and spec checks ---------------------------------- */

static void fill_options(pq_writer *w, const pq_options *opt)
{
    pq_options o = opt ? *opt : (pq_options){0};
    if (o.zstd_level == 0)
        o.zstd_level = -3; /* docs/parquet.md: fast level, Huffman literals */
    if (o.row_group_rows == 0)
        o.row_group_rows = (size_t)1 << 20;
    if (o.page_bytes == 0)
        o.page_bytes = (size_t)1 << 20;
    if (o.dict_max_bytes == 0)
        o.dict_max_bytes = (size_t)1 << 20;
    o.created_by = strdup(o.created_by ? o.created_by : "wfsim parquet writer");
    if (!o.created_by)
        set_error(w, "out of memory");
    if (o.zstd_level < ZSTD_minCLevel() || o.zstd_level > ZSTD_maxCLevel())
        set_error(w, "zstd_level %d is outside %d..%d", o.zstd_level,
                  ZSTD_minCLevel(), ZSTD_maxCLevel());
    w->opt = o;
}

/* Checks one column spec; the message names the column. */
static void check_spec(pq_writer *w, const pq_column_spec *c, int i)
{
    if (!c->name || !c->name[0]) {
        set_error(w, "column %d: empty name", i);
        return;
    }
    if ((unsigned)c->physical > PQ_BYTE_ARRAY) {
        set_error(w, "column \"%s\": unknown physical type %d", c->name, (int)c->physical);
        return;
    }
    const char *need = NULL;
    switch (c->logical) {
    case PQ_LT_NONE: break;
    case PQ_LT_STRING: if (c->physical != PQ_BYTE_ARRAY) need = "STRING needs BYTE_ARRAY"; break;
    case PQ_LT_DATE: if (c->physical != PQ_INT32) need = "DATE needs INT32"; break;
    case PQ_LT_TIMESTAMP_MICROS:
        if (c->physical != PQ_INT64) need = "TIMESTAMP needs INT64";
        break;
    case PQ_LT_DECIMAL: {
        int maxp = c->physical == PQ_INT32 ? 9 : c->physical == PQ_INT64 ? 18 : 0;
        if (!maxp)
            need = "DECIMAL needs INT32 or INT64";
        else if (c->precision < 1 || c->precision > maxp || c->scale < 0 ||
                 c->scale > c->precision) {
            set_error(w, "column \"%s\": DECIMAL(%d,%d) on %s needs 1 <= precision "
                      "<= %d and 0 <= scale <= precision", c->name, c->precision,
                      c->scale, pq_physical_name(c->physical), maxp);
            return;
        }
        break;
    }
    default: need = "unknown logical type"; break;
    }
    if (need)
        set_error(w, "column \"%s\": %s (it is %s)", c->name, need,
                  pq_physical_name(c->physical));
    for (int j = 0; j < i; j++)
        if (strcmp(w->cols[j].name, c->name) == 0)
            set_error(w, "column \"%s\": name used twice (columns %d and %d)",
                      c->name, j, i);
}

/* Writes n bytes at the end of the file. */
static bool write_all(pq_writer *w, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n > 0 && !w->error[0]) {
        ssize_t k = write(w->fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            set_error(w, "write failed after %lld bytes: %s",
                     (long long)w->offset, strerror(errno));
        else if (k == 0)
            set_error(w, "write failed after %lld bytes: no progress",
                     (long long)w->offset);
        else {
            b += k;
            n -= (size_t)k;
            w->offset += k;
        }
    }
    return !w->error[0];
}

static void reset_rg(pq_rg *rg, int ncols)
{
    for (int c = 0; c < ncols; c++) {
        pq_colbuf *b = &rg->cols[c];
        b->def.len = b->vals.len = b->bytes.len = b->offs.len = 0;
        b->nvalues = 0;
        uint64_t zero = 0;
        pq_buf_put(&b->offs, &zero, sizeof zero);
    }
    rg->rows = 0;
}

pq_writer *pq_writer_open(int fd, const pq_column_spec *cols, int ncols,
                          const pq_options *opt)
{
    pq_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->fd = fd;
    fill_options(w, opt);
    if (!cols || ncols <= 0) {
        set_error(w, "no columns");
        return w;
    }
    w->cols = calloc((size_t)ncols, sizeof *w->cols);
    w->outs = calloc((size_t)ncols, sizeof *w->outs);
    w->rg.cols = calloc((size_t)ncols, sizeof *w->rg.cols);
    if (!w->cols || !w->outs || !w->rg.cols) {
        set_error(w, "out of memory");
        return w;
    }
    for (int i = 0; i < ncols && !w->error[0]; i++) {
        check_spec(w, &cols[i], i);
        w->cols[i] = cols[i];
        w->cols[i].name = strdup(cols[i].name ? cols[i].name : "");
        w->ncols = i + 1;
        if (!w->cols[i].name)
            set_error(w, "out of memory");
    }
    reset_rg(&w->rg, w->ncols);
    w->work_ready = pq_chunk_work_init(&w->work);
    if (!w->work_ready)
        set_error(w, "out of memory for a zstd context");
    if (!w->error[0])
        write_all(w, "PAR1", 4);
    return w;
}

/* ---- appending ------------------------------------------------------- */

/* Checks a batch before anything is copied: nulls only where allowed,
 * offsets that do not decrease, values within PQ_MAX_VALUE_BYTES. */
static void check_batch(pq_writer *w, const pq_column_data *d, size_t nrows)
{
    long long base = (long long)(w->rows_done + (int64_t)w->rg.rows);
    for (int c = 0; c < w->ncols && !w->error[0]; c++) {
        const pq_column_spec *s = &w->cols[c];
        const uint8_t *valid = d[c].valid;
        if (s->physical == PQ_BYTE_ARRAY ? !d[c].offsets || !d[c].bytes : !d[c].values) {
            set_error(w, "column \"%s\": no %s given", s->name,
                      s->physical == PQ_BYTE_ARRAY ? "offsets/bytes" : "values");
            return;
        }
        if (valid && !s->nullable)
            for (size_t i = 0; i < nrows; i++)
                if (!valid[i]) {
                    set_error(w, "column \"%s\": row %lld is null but the column "
                              "is not nullable", s->name, base + (long long)i);
                    return;
                }
        if (s->physical != PQ_BYTE_ARRAY)
            continue;
        const int64_t *off = d[c].offsets;
        if (off[0] < 0)
            set_error(w, "column \"%s\": offsets[0] is negative", s->name);
        for (size_t i = 0; i < nrows && !w->error[0]; i++) {
            int64_t n = off[i + 1] - off[i];
            if (n < 0)
                set_error(w, "column \"%s\": row %lld: offsets decrease (%lld then %lld)",
                          s->name, base + (long long)i, (long long)off[i],
                          (long long)off[i + 1]);
            else if (n > PQ_MAX_VALUE_BYTES && (!valid || valid[i]))
                set_error(w, "column \"%s\": row %lld: value of %lld bytes is longer "
                          "than %lld", s->name, base + (long long)i, (long long)n,
                          (long long)PQ_MAX_VALUE_BYTES);
        }
    }
}

/* How many of the k rows from `from` fit the byte cap of every string
 * column (at least one row). Offsets are known not to decrease. */
static size_t fit_bytes(const pq_writer *w, const pq_column_data *d, size_t from, size_t k)
{
    for (int c = 0; c < w->ncols; c++) {
        if (w->cols[c].physical != PQ_BYTE_ARRAY)
            continue;
        size_t have = w->rg.cols[c].bytes.len;
        const int64_t *off = d[c].offsets + from;
        size_t room = have < PQ_ROW_GROUP_MAX_BYTES ? PQ_ROW_GROUP_MAX_BYTES - have : 0;
        if ((uint64_t)(off[k] - off[0]) <= room)
            continue;
        size_t lo = 0, hi = k; /* largest m with off[m] - off[0] <= room */
        while (lo < hi) {
            size_t mid = lo + (hi - lo + 1) / 2;
            if ((uint64_t)(off[mid] - off[0]) <= room)
                lo = mid;
            else
                hi = mid - 1;
        }
        k = lo ? lo : 1;
    }
    return k;
}

static void copy_fixed(pq_colbuf *col, pq_physical type, const pq_column_data *d,
                       size_t from, size_t k)
{
    size_t width = pq_physical_width(type);
    const uint8_t *src = (const uint8_t *)d->values + from * width;
    const uint8_t *valid = d->valid ? d->valid + from : NULL;
    if (!valid && type != PQ_BOOLEAN) {
        pq_buf_put(&col->vals, src, k * width);
        col->nvalues += k;
        return;
    }
    if (!pq_buf_reserve(&col->vals, k * width))
        return;
    uint8_t *dst = col->vals.p + col->vals.len;
    for (size_t i = 0; i < k; i++) {
        if (valid && !valid[i])
            continue;
        if (width == 1)
            *dst++ = src[i] != 0;
        else {
            memcpy(dst, src + i * width, width);
            dst += width;
        }
    }
    size_t n = (size_t)(dst - (col->vals.p + col->vals.len)) / width;
    col->vals.len += n * width;
    col->nvalues += n;
}

static void copy_bytes(pq_colbuf *col, const pq_column_data *d, size_t from, size_t k)
{
    const int64_t *off = d->offsets + from;
    const uint8_t *valid = d->valid ? d->valid + from : NULL;
    /* + 1: the byte buffer exists even when every value is empty, so that
     * memcpy never sees a null pointer */
    if (!pq_buf_reserve(&col->offs, k * 8) ||
        !pq_buf_reserve(&col->bytes, (size_t)(off[k] - off[0]) + 1))
        return;
    uint64_t *o = (uint64_t *)(void *)(col->offs.p + col->offs.len);
    uint64_t at = col->bytes.len;
    if (!valid) {
        memcpy(col->bytes.p + at, d->bytes + off[0], (size_t)(off[k] - off[0]));
        for (size_t i = 1; i <= k; i++)
            *o++ = at + (uint64_t)(off[i] - off[0]);
        col->nvalues += k;
        col->offs.len += k * 8;
        col->bytes.len += (size_t)(off[k] - off[0]);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < k; i++) {
        if (!valid[i])
            continue;
        size_t len = (size_t)(off[i + 1] - off[i]);
        memcpy(col->bytes.p + at, d->bytes + off[i], len);
        at += len;
        o[n++] = at;
    }
    col->nvalues += n;
    col->offs.len += n * 8;
    col->bytes.len = at;
}

static void copy_rows(pq_writer *w, const pq_column_data *d, size_t from, size_t k)
{
    for (int c = 0; c < w->ncols; c++) {
        const pq_column_spec *spec = &w->cols[c];
        pq_colbuf *col = &w->rg.cols[c];
        if (spec->nullable && pq_buf_reserve(&col->def, k)) {
            uint8_t *def = col->def.p + col->def.len;
            const uint8_t *valid = d[c].valid;
            for (size_t i = 0; i < k; i++)
                def[i] = valid ? valid[from + i] != 0 : 1;
            col->def.len += k;
        }
        if (spec->physical == PQ_BYTE_ARRAY)
            copy_bytes(col, &d[c], from, k);
        else
            copy_fixed(col, spec->physical, &d[c], from, k);
        if (col->def.failed || col->vals.failed || col->offs.failed || col->bytes.failed)
            set_error(w, "column \"%s\": out of memory buffering rows", spec->name);
    }
}

static void flush_row_group(pq_writer *w);

/* Grows b to hold extra more bytes if memory allows; never fails (a later
 * pq_buf_reserve still does the checked growth). */
static void try_reserve(pq_buf *b, size_t extra)
{
    if (b->failed || b->cap - b->len >= extra || extra > PQ_BUF_MAX - b->len)
        return;
    uint8_t *p = realloc(b->p, b->len + extra);
    if (p) {
        b->p = p;
        b->cap = b->len + extra;
    }
}

/* With opt.expected_rows, sizes the current row group's buffers for the
 * rows it will get, at its first append (byte arrays: at this batch's
 * average length plus an eighth). */
static void presize(pq_writer *w, const pq_column_data *d, size_t nrows)
{
    pq_rg *rg = &w->rg;
    uint64_t done = (uint64_t)w->rows_done;
    if (rg->rows != 0 || w->opt.expected_rows <= done || nrows == 0)
        return;
    size_t n = (size_t)(w->opt.expected_rows - done);
    if (n > w->opt.row_group_rows)
        n = w->opt.row_group_rows;
    if (n <= nrows)
        return;
    for (int c = 0; c < w->ncols; c++) {
        const pq_column_spec *s = &w->cols[c];
        pq_colbuf *b = &rg->cols[c];
        if (s->nullable)
            try_reserve(&b->def, n);
        if (s->physical != PQ_BYTE_ARRAY) {
            try_reserve(&b->vals, n * pq_physical_width(s->physical));
            continue;
        }
        size_t avg = (size_t)(d[c].offsets[nrows] - d[c].offsets[0]) / nrows + 1;
        size_t bytes = avg * n + avg * n / 8;
        if (bytes > PQ_ROW_GROUP_MAX_BYTES)
            bytes = PQ_ROW_GROUP_MAX_BYTES;
        try_reserve(&b->offs, n * 8);
        try_reserve(&b->bytes, bytes);
    }
}

void pq_writer_append(pq_writer *w, const pq_column_data *cols, size_t nrows)
{
    if (!w || w->error[0] || nrows == 0)
        return;
    if (!cols) {
        set_error(w, "pq_writer_append: no column data");
        return;
    }
    check_batch(w, cols, nrows);
    if (!w->error[0])
        presize(w, cols, nrows);
    size_t done = 0;
    while (done < nrows && !w->error[0]) {
        pq_rg *rg = &w->rg;
        size_t k = nrows - done, room = w->opt.row_group_rows - rg->rows;
        k = fit_bytes(w, cols, done, k < room ? k : room);
        copy_rows(w, cols, done, k);
        rg->rows += k;
        done += k;
        /* Rows left over mean the row bound or a byte cap stopped us. */
        bool full = rg->rows >= w->opt.row_group_rows || done < nrows;
        for (int c = 0; c < w->ncols && !full; c++)
            full = rg->cols[c].bytes.len >= PQ_ROW_GROUP_MAX_BYTES;
        if (full)
            flush_row_group(w);
    }
}

void pq_writer_set_metadata(pq_writer *w, const char *key, const char *value)
{
    if (!w || w->error[0])
        return;
    if (!key || !value) {
        set_error(w, "pq_writer_set_metadata: no key or value");
        return;
    }
    pq_tc t;
    pq_tc_begin(&t, &w->kv);                     /* KeyValue */
    pq_tc_string(&t, 1, key);
    pq_tc_string(&t, 2, value);
    pq_tc_end(&t);
    w->nkv++;
    if (w->kv.failed)
        set_error(w, "out of memory for key/value metadata");
}

const char *pq_writer_error(const pq_writer *w)
{
    return w ? w->error : "no writer";
}

/* ---- encoding and writing a row group ----------------------------------- */

/* Encodes the buffered row group, one column chunk at a time. */
static void encode_all(pq_writer *w)
{
    const pq_rg *rg = &w->rg;
    for (int c = 0; c < w->ncols; c++) {
        const pq_column_spec *spec = &w->cols[c];
        const pq_colbuf *b = &rg->cols[c];
        pq_chunk_in in = {
            .spec = spec,
            .nrows = rg->rows,
            .nvalues = b->nvalues,
            .d = {
                .def = spec->nullable ? b->def.p : NULL,
                .values = b->vals.p,
                .offsets = (const uint64_t *)(const void *)b->offs.p,
                .bytes = b->bytes.p,
            },
        };
        pq_chunk_encode(&in, &w->opt, &w->work, &w->outs[c]);
    }
}

static void put_encoding_stats(pq_tc *t, const pq_chunk_out *o)
{
    size_t n = (o->dict_count > 0) + (o->pages_dict > 0) + (o->pages_plain > 0);
    pq_tc_list(t, 13, PQ_TC_STRUCT, n);
    struct { bool on; int type, enc, count; } e[3] = {
        {o->dict_count > 0, PQ_PAGE_DICTIONARY, PQ_ENC_PLAIN, 1},
        {o->pages_plain > 0, PQ_PAGE_DATA, PQ_ENC_PLAIN, o->pages_plain},
        {o->pages_dict > 0, PQ_PAGE_DATA, PQ_ENC_RLE_DICTIONARY, o->pages_dict},
    };
    for (int k = 0; k < 3; k++) {
        if (!e[k].on)
            continue;
        pq_tc_elem_struct(t);
        pq_tc_i32(t, 1, e[k].type);
        pq_tc_i32(t, 2, e[k].enc);
        pq_tc_i32(t, 3, e[k].count);
        pq_tc_end(t);
    }
}

/* One ColumnChunk struct (a list element) for a column, whose dictionary
 * page starts at dict_off (-1: none) and data pages at data_off. */
static void put_column_chunk(pq_tc *t, const pq_column_spec *spec,
                             const pq_chunk_out *o, int64_t start,
                             int64_t dict_off, int64_t data_off)
{
    pq_tc_elem_struct(t);
    pq_tc_i64(t, 2, start);
    pq_tc_struct(t, 3);                           /* ColumnMetaData */
    pq_tc_i32(t, 1, pq_physical_thrift(spec->physical));
    bool plain = o->dict_count > 0 || o->pages_plain > 0;
    int encs[3], n = 0;
    if (plain)
        encs[n++] = PQ_ENC_PLAIN;
    if (spec->nullable)
        encs[n++] = PQ_ENC_RLE;
    if (o->pages_dict > 0)
        encs[n++] = PQ_ENC_RLE_DICTIONARY;
    pq_tc_list(t, 2, PQ_TC_I32, (size_t)n);
    for (int k = 0; k < n; k++)
        pq_tc_elem_i32(t, encs[k]);
    pq_tc_list(t, 3, PQ_TC_BINARY, 1);
    pq_tc_elem_string(t, spec->name);
    pq_tc_i32(t, 4, PQ_CODEC_ZSTD);
    pq_tc_i64(t, 5, o->num_values);
    pq_tc_i64(t, 6, o->uncompressed);
    pq_tc_i64(t, 7, (int64_t)(o->dict.len + o->data.len));
    pq_tc_i64(t, 9, data_off);
    if (dict_off >= 0)
        pq_tc_i64(t, 11, dict_off);
    pq_tc_struct(t, 12);                          /* Statistics */
    pq_tc_i64(t, 3, o->stats.null_count);
    if (o->stats.has_minmax) {
        pq_tc_binary(t, 5, o->stats.max, o->stats.max_len);
        pq_tc_binary(t, 6, o->stats.min, o->stats.min_len);
        pq_tc_bool(t, 7, true);
        pq_tc_bool(t, 8, true);
    }
    pq_tc_end(t);
    put_encoding_stats(t, o);
    pq_tc_end(t);                                 /* ColumnMetaData */
    pq_tc_end(t);                                 /* ColumnChunk */
}

/* Writes an encoded row group of `rows` rows - the chunk of column c in
 * out[c] - in column order and records its metadata. */
static void write_row_group(pq_writer *w, const pq_chunk_out *out, size_t rows)
{
    for (int c = 0; c < w->ncols; c++)
        if (out[c].error[0]) {
            set_error(w, "row group %lld: %s", (long long)w->nrowgroups, out[c].error);
            return;
        }
    pq_tc t;
    pq_tc_begin(&t, &w->rowgroups);              /* RowGroup */
    pq_tc_list(&t, 1, PQ_TC_STRUCT, (size_t)w->ncols);
    int64_t first = w->offset, unc = 0;
    for (int c = 0; c < w->ncols; c++) {
        const pq_chunk_out *o = &out[c];
        int64_t start = w->offset, dict_off = -1;
        if (o->dict.len) {
            dict_off = w->offset;
            write_all(w, o->dict.p, o->dict.len);
        }
        int64_t data_off = w->offset;
        write_all(w, o->data.p, o->data.len);
        put_column_chunk(&t, &w->cols[c], o, start, dict_off, data_off);
        unc += o->uncompressed;
    }
    pq_tc_i64(&t, 2, unc);
    pq_tc_i64(&t, 3, (int64_t)rows);
    pq_tc_i64(&t, 5, first);
    pq_tc_i64(&t, 6, w->offset - first);
    if (w->nrowgroups <= INT16_MAX) {
        pq_tc_field(&t, 7, PQ_TC_I16);
        pq_buf_uvarint(&w->rowgroups, pq_zigzag(w->nrowgroups));
    }
    pq_tc_end(&t);
    if (w->rowgroups.failed)
        set_error(w, "out of memory for the row group metadata");
    w->nrowgroups++;
    w->total_rows += (int64_t)rows;
}

/* Encodes, writes and empties the buffered row group. */
static void flush_row_group(pq_writer *w)
{
    pq_rg *rg = &w->rg;
    if (w->error[0] || rg->rows == 0)
        return;
    encode_all(w);
    write_row_group(w, w->outs, rg->rows);
    w->rows_done += (int64_t)rg->rows;
    reset_rg(rg, w->ncols);
}

/* ---- row groups encoded apart ---------------------------------------------- */

pq_encoder *pq_encoder_new(void)
{
    pq_encoder *e = calloc(1, sizeof *e);
    if (e && !pq_chunk_work_init(&e->work)) {
        free(e);
        e = NULL;
    }
    return e;
}

void pq_encoder_free(pq_encoder *e)
{
    if (!e)
        return;
    pq_chunk_work_free(&e->work);
    for (int c = 0; c < e->nouts; c++)
        pq_chunk_out_free(&e->outs[c]);
    free(e->outs);
    free(e);
}

static void enc_fail(pq_encoder *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void enc_fail(pq_encoder *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(e->error, sizeof e->error, fmt, ap);
    va_end(ap);
}

/* Checks one column of a row group given to pq_encode and describes it
 * for pq_chunk_encode; false (error in e) when it does not fit the spec. */
static bool chunk_input(pq_encoder *e, const pq_column_spec *s,
                        const pq_chunk_data *d, size_t nrows, pq_chunk_in *in)
{
    *in = (pq_chunk_in){.spec = s, .nrows = nrows, .nvalues = nrows};
    if (s->nullable != (d->def != NULL)) {
        enc_fail(e, "column \"%s\": %s", s->name, s->nullable
                 ? "definition levels missing (the column is nullable)"
                 : "definition levels given but the column is not nullable");
        return false;
    }
    if (d->def) {
        size_t ones = 0;
        uint8_t any = 0;
        for (size_t i = 0; i < nrows; i++) {
            ones += d->def[i];
            any |= d->def[i];
        }
        if (any > 1) {
            enc_fail(e, "column \"%s\": a definition level is not 0 or 1", s->name);
            return false;
        }
        in->nvalues = ones;
    }
    size_t nv = in->nvalues;
    in->d = *d;
    if (s->physical != PQ_BYTE_ARRAY) {
        in->d.codes = NULL;
        if (!d->values && nv) {
            enc_fail(e, "column \"%s\": no values given", s->name);
            return false;
        }
        return true;
    }
    if (d->codes) {
        const uint64_t *o = d->dict_offsets;
        if (d->dict_n == 0 || d->dict_n > PQ_CODED_MAX || !o || !d->dict_bytes) {
            enc_fail(e, "column \"%s\": a coded column needs a dictionary of 1 to %d "
                     "entries", s->name, PQ_CODED_MAX);
            return false;
        }
        for (uint32_t c = 0; c < d->dict_n; c++) {
            if (o[c + 1] < o[c] || o[c + 1] - o[c] > (uint64_t)PQ_MAX_VALUE_BYTES) {
                enc_fail(e, "column \"%s\": dictionary entry %u: bad offsets", s->name, c);
                return false;
            }
            for (uint32_t k = 0; k < c; k++)
                if (pq_bytes_cmp(d->dict_bytes + o[c], o[c + 1] - o[c],
                                 d->dict_bytes + o[k], o[k + 1] - o[k]) == 0) {
                    enc_fail(e, "column \"%s\": dictionary entries %u and %u are equal",
                             s->name, k, c);
                    return false;
                }
        }
        uint32_t hi = 0;
        for (size_t i = 0; i < nv; i++)
            hi = d->codes[i] > hi ? d->codes[i] : hi;
        if (nv && hi >= d->dict_n) {
            enc_fail(e, "column \"%s\": code %u is outside the dictionary of %u entries",
                     s->name, hi, d->dict_n);
            return false;
        }
        return true;
    }
    if (!d->offsets || !d->bytes) {
        enc_fail(e, "column \"%s\": no offsets/bytes given", s->name);
        return false;
    }
    for (size_t i = 0; i < nv; i++)
        if (d->offsets[i + 1] < d->offsets[i] ||
            d->offsets[i + 1] - d->offsets[i] > (uint64_t)PQ_MAX_VALUE_BYTES) {
            enc_fail(e, "column \"%s\": value %zu: offsets decrease or the value is "
                     "longer than %lld bytes", s->name, i, (long long)PQ_MAX_VALUE_BYTES);
            return false;
        }
    return true;
}

void pq_encode_begin(const pq_writer *w, pq_encoder *e, size_t nrows)
{
    e->error[0] = '\0';
    e->nrows = nrows;
    if (!w || w->ncols == 0) {
        enc_fail(e, "pq_encode: no writer or no columns");
        return;
    }
    if (e->nouts < w->ncols) {
        pq_chunk_out *o = realloc(e->outs, (size_t)w->ncols * sizeof *o);
        if (!o) {
            enc_fail(e, "out of memory for a row group");
            return;
        }
        memset(o + e->nouts, 0, (size_t)(w->ncols - e->nouts) * sizeof *o);
        e->outs = o;
        e->nouts = w->ncols;
    }
}

void pq_encode_columns(const pq_writer *w, pq_encoder *e, const pq_chunk_data *cols,
                       int c0, int c1)
{
    if (e->error[0] || e->nrows == 0)
        return;
    if (!w || !cols || c0 < 0 || c1 > w->ncols || c0 > c1) {
        enc_fail(e, "pq_encode: no columns, or columns %d..%d out of range", c0, c1);
        return;
    }
    for (int c = c0; c < c1 && !e->error[0]; c++) {
        pq_chunk_in in;
        if (chunk_input(e, &w->cols[c], &cols[c], e->nrows, &in))
            pq_chunk_encode(&in, &w->opt, &e->work, &e->outs[c]);
        if (e->outs[c].error[0])
            enc_fail(e, "%s", e->outs[c].error);
    }
}

void pq_encode(const pq_writer *w, pq_encoder *e, const pq_chunk_data *cols,
               size_t nrows)
{
    pq_encode_begin(w, e, nrows);
    if (!e->error[0] && !cols)
        enc_fail(e, "pq_encode: no writer or no columns");
    if (!e->error[0])
        pq_encode_columns(w, e, cols, 0, w->ncols);
}

void pq_writer_put(pq_writer *w, pq_encoder *e)
{
    if (!w || w->error[0])
        return;
    if (!e) {
        set_error(w, "pq_writer_put: no encoder");
        return;
    }
    flush_row_group(w);
    if (w->error[0])
        return;
    if (e->error[0]) {
        set_error(w, "row group %lld: %s", (long long)w->nrowgroups, e->error);
        return;
    }
    if (e->nrows == 0)
        return;
    if (e->nouts < w->ncols) {
        set_error(w, "pq_writer_put: the encoder holds no row group of this writer");
        return;
    }
    write_row_group(w, e->outs, e->nrows);
    w->rows_done += (int64_t)e->nrows;
}

/* ---- footer and closing -------------------------------------------------- */

static void put_schema_element(pq_tc *t, const pq_column_spec *s)
{
    pq_tc_elem_struct(t);
    pq_tc_i32(t, 1, pq_physical_thrift(s->physical));
    pq_tc_i32(t, 3, s->nullable ? PQ_OPTIONAL : PQ_REQUIRED);
    pq_tc_string(t, 4, s->name);
    switch (s->logical) {
    case PQ_LT_STRING:
        pq_tc_i32(t, 6, PQ_CT_UTF8);
        pq_tc_struct(t, 10);
        pq_tc_empty_struct(t, 1);                 /* StringType */
        pq_tc_end(t);
        break;
    case PQ_LT_DATE:
        pq_tc_i32(t, 6, PQ_CT_DATE);
        pq_tc_struct(t, 10);
        pq_tc_empty_struct(t, 6);                 /* DateType */
        pq_tc_end(t);
        break;
    case PQ_LT_DECIMAL:
        pq_tc_i32(t, 6, PQ_CT_DECIMAL);
        pq_tc_i32(t, 7, s->scale);
        pq_tc_i32(t, 8, s->precision);
        pq_tc_struct(t, 10);
        pq_tc_struct(t, 5);                       /* DecimalType */
        pq_tc_i32(t, 1, s->scale);
        pq_tc_i32(t, 2, s->precision);
        pq_tc_end(t);
        pq_tc_end(t);
        break;
    case PQ_LT_TIMESTAMP_MICROS:
        /* TIMESTAMP_MICROS means UTC-adjusted; local timestamps carry only
         * the LogicalType, as the LogicalTypes spec asks. */
        if (s->utc_adjusted)
            pq_tc_i32(t, 6, PQ_CT_TIMESTAMP_MICROS);
        pq_tc_struct(t, 10);
        pq_tc_struct(t, 8);                       /* TimestampType */
        pq_tc_bool(t, 1, s->utc_adjusted);
        pq_tc_struct(t, 2);                       /* TimeUnit */
        pq_tc_empty_struct(t, 2);                 /* MICROS */
        pq_tc_end(t);
        pq_tc_end(t);
        pq_tc_end(t);
        break;
    case PQ_LT_NONE:
        break;
    }
    pq_tc_end(t);
}

static void write_footer(pq_writer *w)
{
    pq_buf meta = {0};
    pq_tc t;
    pq_tc_begin(&t, &meta);                       /* FileMetaData */
    pq_tc_i32(&t, 1, 2);
    pq_tc_list(&t, 2, PQ_TC_STRUCT, (size_t)w->ncols + 1);
    pq_tc_elem_struct(&t);                        /* the root */
    pq_tc_string(&t, 4, "schema");
    pq_tc_i32(&t, 5, w->ncols);
    pq_tc_end(&t);
    for (int c = 0; c < w->ncols; c++)
        put_schema_element(&t, &w->cols[c]);
    pq_tc_i64(&t, 3, w->total_rows);
    pq_tc_list(&t, 4, PQ_TC_STRUCT, (size_t)w->nrowgroups);
    pq_buf_put(&meta, w->rowgroups.p, w->rowgroups.len);
    if (w->nkv) {
        pq_tc_list(&t, 5, PQ_TC_STRUCT, w->nkv);
        pq_buf_put(&meta, w->kv.p, w->kv.len);
    }
    pq_tc_string(&t, 6, w->opt.created_by);
    pq_tc_list(&t, 7, PQ_TC_STRUCT, (size_t)w->ncols);
    for (int c = 0; c < w->ncols; c++) {
        pq_tc_elem_struct(&t);                    /* ColumnOrder */
        pq_tc_empty_struct(&t, 1);                /* TYPE_ORDER */
        pq_tc_end(&t);
    }
    pq_tc_end(&t);
    if (meta.failed || meta.len > UINT32_MAX) {
        set_error(w, "out of memory for the footer");
    } else if (write_all(w, meta.p, meta.len)) {
        pq_buf_u32le(&meta, (uint32_t)meta.len);
        pq_buf_put(&meta, "PAR1", 4);
        if (!meta.failed)
            write_all(w, meta.p + meta.len - 8, 8);
        else
            set_error(w, "out of memory for the footer");
    }
    pq_buf_free(&meta);
}

static void free_writer(pq_writer *w)
{
    for (int c = 0; c < w->ncols; c++) {
        free((char *)w->cols[c].name);
        pq_chunk_out_free(&w->outs[c]);
        if (w->rg.cols) {
            pq_colbuf *b = &w->rg.cols[c];
            pq_buf_free(&b->def);
            pq_buf_free(&b->vals);
            pq_buf_free(&b->offs);
            pq_buf_free(&b->bytes);
        }
    }
    free(w->rg.cols);
    if (w->work_ready)
        pq_chunk_work_free(&w->work);
    free(w->cols);
    free(w->outs);
    free((char *)w->opt.created_by);
    pq_buf_free(&w->rowgroups);
    pq_buf_free(&w->kv);
    free(w);
}

int pq_writer_close(pq_writer *w, char *errbuf, size_t errlen)
{
    if (!w) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "no writer (out of memory at open)");
        return -1;
    }
    flush_row_group(w);
    if (!w->error[0])
        write_footer(w);
    int rc = w->error[0] ? -1 : 0;
    if (errbuf && errlen)
        snprintf(errbuf, errlen, "%s", w->error);
    free_writer(w);
    return rc;
}

void pq_writer_abort(pq_writer *w)
{
    if (w)
        free_writer(w);
}
