/*
 * pq_chunk.c - encoding one column chunk: the rows of one column in one
 * row group become ZSTD-compressed pages, plus statistics.
 *
 * Pages. Rows are cut into data pages (v1) of about opt->page_bytes of
 * PLAIN-encoded values, a null counting one byte (at most PQ_PAGE_MAX_ROWS
 * rows); a value larger than that gets a page of its own. A
 * page holds, before compression: for an OPTIONAL column the definition
 * levels (4-byte little-endian length, then the RLE/bit-packed hybrid at
 * width 1), then the values of the non-null rows - PLAIN, or for a
 * dictionary page the index bit width in one byte followed by the indices
 * in the hybrid encoding.
 *
 * Dictionary. When the spec asks for one, values are looked up in an
 * open-addressing hash table (entries are value bits for fixed-width types,
 * offsets into the row group's bytes for byte arrays, so nothing is copied)
 * page by page. If a page would push the dictionary's PLAIN size past
 * dict_max_bytes, that page's new entries are dropped again and that page
 * and every later page of the chunk are PLAIN; the dictionary page written
 * before the data pages holds what the dictionary had before. A page with
 * no values (all null) is PLAIN: it needs no dictionary.
 *
 * Coded columns. A byte-array column may come as codes into a small
 * dictionary of distinct strings given by the caller (pq_chunk_data.codes)
 * instead of bytes and offsets: the caller knows its labels, so nothing is
 * hashed or compared per row. Entries are numbered in order of first
 * appearance through `remap`, exactly as the hash table numbers them, so a
 * coded column gives the same bytes as the same strings given in full;
 * pages, fallback and statistics follow the same rules.
 *
 * Statistics are computed after the pages: when every value went through
 * the dictionary, its entries are exactly the distinct values and the
 * bounds come from them (a few comparisons, not one or two per row).
 * Repeats of the previous value (sorted or clustered data) skip the hash
 * lookup. Neither changes a byte of the output.
 *
 * Output goes to two buffers of pq_chunk_out (dictionary page, data pages)
 * because the dictionary is only complete after the last data page; the
 * writer writes them in that order. Nothing here touches the file, so the
 * chunks of a row group may be encoded in parallel, one pq_chunk_work per
 * thread; the result depends only on the input and the options.
 */
#include "pq_int.h"
#include "pq_thrift.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
/* ZSTD_c_literalCompressionMode is in zstd.h's experimental section; the
 * shared library takes it like any parameter. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

typedef struct enc {
    const pq_chunk_in *in;
    const pq_options *opt;
    pq_chunk_work *w;
    pq_chunk_out *o;
    size_t width;        /* bytes per fixed-width value; 0 for byte arrays */
    bool use_dict;       /* still dictionary-encoding this chunk */
    size_t nentries;     /* dictionary entries */
    size_t dict_bytes;   /* their PLAIN size */
    size_t plain_values; /* values written in PLAIN pages */
} enc;

static void fail(enc *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(enc *e, const char *fmt, ...)
{
    if (e->o->error[0])
        return;
    int n = snprintf(e->o->error, sizeof e->o->error, "column \"%s\": ",
                     e->in->spec->name);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof e->o->error)
        vsnprintf(e->o->error + n, sizeof e->o->error - (size_t)n, fmt, ap);
    va_end(ap);
}

/* ---- work areas -------------------------------------------------------- */

bool pq_chunk_work_init(pq_chunk_work *w)
{
    *w = (pq_chunk_work){0};
    w->zstd = ZSTD_createCCtx();
    return w->zstd != NULL;
}

void pq_chunk_work_free(pq_chunk_work *w)
{
    ZSTD_freeCCtx(w->zstd);
    pq_buf_free(&w->page);
    pq_buf_free(&w->comp);
    pq_buf_free(&w->dict_vals);
    free(w->idx);
    free(w->table);
    free(w->entry_key);
    free(w->entry_len);
    free(w->entry_hash);
    *w = (pq_chunk_work){0};
}

void pq_chunk_out_free(pq_chunk_out *o)
{
    pq_buf_free(&o->dict);
    pq_buf_free(&o->data);
}

/* Makes room for n dictionary indices; false when out of memory. Growth
 * doubles, so a chunk reallocates O(log n) times at most. */
static bool idx_reserve(pq_chunk_work *w, size_t n)
{
    if (n <= w->idx_cap)
        return true;
    size_t c = w->idx_cap ? w->idx_cap : 1024;
    while (c < n)
        c *= 2;
    uint32_t *q = realloc(w->idx, c * sizeof *q);
    if (!q)
        return false;
    w->idx = q;
    w->idx_cap = c;
    return true;
}

/* ---- byte-array values ---------------------------------------------------- */

/* Value j of a byte-array chunk, coded or not. */
static inline const uint8_t *value_at(const pq_chunk_in *in, size_t j, size_t *len)
{
    if (in->d.codes) {
        const uint64_t *o = in->d.dict_offsets + in->d.codes[j];
        *len = (size_t)(o[1] - o[0]);
        return in->d.dict_bytes + o[0];
    }
    *len = (size_t)(in->d.offsets[j + 1] - in->d.offsets[j]);
    return in->d.bytes + in->d.offsets[j];
}

/* Dictionary entry k of a byte-array chunk: entry_key is the offset into
 * the chunk's bytes, or for a coded column the code. */
static inline const uint8_t *entry_at(const enc *e, size_t k)
{
    const pq_chunk_in *in = e->in;
    uint64_t key = e->w->entry_key[k];
    return in->d.codes ? in->d.dict_bytes + in->d.dict_offsets[key] : in->d.bytes + key;
}

/* The first 8 bytes of a byte array as a big-endian number, missing bytes
 * 0: a smaller prefix means a smaller array in the unsigned byte-wise
 * order, so most comparisons need no memcmp. Equal prefixes decide
 * nothing. */
static inline uint64_t order_prefix(const uint8_t *p, size_t n)
{
    uint64_t x = 0;
    if (n >= 8) {
        memcpy(&x, p, 8);
        return __builtin_bswap64(x);
    }
    for (size_t k = 0; k < n; k++)
        x |= (uint64_t)p[k] << (56 - 8 * k);
    return x;
}

/* ---- statistics -------------------------------------------------------- */

static void put_le(uint8_t *dst, uint64_t v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        dst[k] = (uint8_t)(v >> (8 * k));
}

/* Bounds of an integer chunk into s, and the DECIMAL precision check. */
static void finish_int(enc *e, pq_stats *s, int64_t lo, int64_t hi)
{
    put_le(s->min_fixed, (uint64_t)lo, e->width);
    put_le(s->max_fixed, (uint64_t)hi, e->width);
    const pq_column_spec *sp = e->in->spec;
    if (sp->logical == PQ_LT_DECIMAL) {
        int64_t bound = 1;
        for (int k = 0; k < sp->precision; k++)
            bound *= 10;
        if (hi >= bound || lo <= -bound)
            fail(e, "value %" PRId64 " does not fit DECIMAL(%d,%d)",
                 hi >= bound ? hi : lo, sp->precision, sp->scale);
    }
}

static void stats_int(enc *e, pq_stats *s)
{
    const pq_chunk_in *in = e->in;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    if (e->width == 4) {
        const int32_t *v = in->d.values;
        int32_t lo32 = INT32_MAX, hi32 = INT32_MIN;
        for (size_t i = 0; i < in->nvalues; i++) {
            lo32 = v[i] < lo32 ? v[i] : lo32;
            hi32 = v[i] > hi32 ? v[i] : hi32;
        }
        lo = lo32;
        hi = hi32;
    } else {
        const int64_t *v = in->d.values;
        for (size_t i = 0; i < in->nvalues; i++) {
            lo = v[i] < lo ? v[i] : lo;
            hi = v[i] > hi ? v[i] : hi;
        }
    }
    finish_int(e, s, lo, hi);
}

static void finish_bytes(pq_stats *s)
{
    if (s->min_len > PQ_STATS_MAX_BYTES || s->max_len > PQ_STATS_MAX_BYTES)
        s->has_minmax = false;
}

/* Bounds of byte arrays; the big-endian prefixes settle most comparisons
 * (the result is the pq_bytes_cmp order either way). */
static void stats_bytes(enc *e, pq_stats *s)
{
    const pq_chunk_in *in = e->in;
    size_t lo_len, hi_len;
    const uint8_t *lo = value_at(in, 0, &lo_len), *hi = lo;
    hi_len = lo_len;
    uint64_t lo_pre = order_prefix(lo, lo_len), hi_pre = lo_pre;
    for (size_t i = 1; i < in->nvalues; i++) {
        size_t n;
        const uint8_t *p = value_at(in, i, &n);
        uint64_t pre = order_prefix(p, n);
        if (pre < lo_pre || (pre == lo_pre && pq_bytes_cmp(p, n, lo, lo_len) < 0)) {
            lo = p;  /* below the min, so not above the max */
            lo_len = n;
            lo_pre = pre;
        } else if (pre > hi_pre || (pre == hi_pre && pq_bytes_cmp(p, n, hi, hi_len) > 0)) {
            hi = p;
            hi_len = n;
            hi_pre = pre;
        }
    }
    s->min = lo;
    s->min_len = lo_len;
    s->max = hi;
    s->max_len = hi_len;
    finish_bytes(s);
}

/* Bounds from the dictionary entries, which are exactly the distinct
 * values when every value of the chunk went through the dictionary: a few
 * comparisons instead of one or two per row. */
static void stats_from_dict(enc *e, pq_stats *s)
{
    const pq_chunk_work *w = e->w;
    size_t n = e->nentries;
    switch (e->in->spec->physical) {
    case PQ_INT32:
    case PQ_INT64: {
        int64_t lo = INT64_MAX, hi = INT64_MIN;
        for (size_t k = 0; k < n; k++) {
            int64_t x = e->width == 4 ? (int32_t)(uint32_t)w->entry_key[k]
                                      : (int64_t)w->entry_key[k];
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
        finish_int(e, s, lo, hi);
        break;
    }
    case PQ_DOUBLE: {
        pq_dminmax m = {0};
        for (size_t k = 0; k < n; k++) {
            double x;
            memcpy(&x, &w->entry_key[k], 8);
            pq_dminmax_add(&m, x);
        }
        double lo, hi;
        s->has_minmax = pq_dminmax_finish(&m, &lo, &hi);
        memcpy(s->min_fixed, &lo, 8);
        memcpy(s->max_fixed, &hi, 8);
        break;
    }
    case PQ_BYTE_ARRAY: {
        size_t lo = 0, hi = 0;
        for (size_t k = 1; k < n; k++) {
            const uint8_t *p = entry_at(e, k);
            if (pq_bytes_cmp(p, w->entry_len[k], entry_at(e, lo), w->entry_len[lo]) < 0)
                lo = k;
            else if (pq_bytes_cmp(p, w->entry_len[k], entry_at(e, hi), w->entry_len[hi]) > 0)
                hi = k;
        }
        s->min = entry_at(e, lo);
        s->min_len = w->entry_len[lo];
        s->max = entry_at(e, hi);
        s->max_len = w->entry_len[hi];
        finish_bytes(s);
        return;
    }
    case PQ_BOOLEAN:
        break;
    }
    s->min = s->min_fixed;
    s->max = s->max_fixed;
    s->min_len = s->max_len = e->width;
}

/* The chunk's statistics; after the pages, so that a chunk encoded wholly
 * through the dictionary can take its bounds from the dictionary. */
static void compute_stats(enc *e)
{
    const pq_chunk_in *in = e->in;
    pq_stats *s = &e->o->stats;
    *s = (pq_stats){0};
    s->null_count = (int64_t)(in->nrows - in->nvalues);
    if (in->nvalues == 0)
        return;
    s->has_minmax = true;
    if (e->nentries > 0 && e->plain_values == 0) {
        stats_from_dict(e, s);
        return;
    }
    switch (in->spec->physical) {
    case PQ_BOOLEAN: {
        const uint8_t *v = in->d.values;
        uint8_t any[2] = {0, 0};
        for (size_t i = 0; i < in->nvalues; i++)
            any[v[i] != 0] = 1;
        s->min_fixed[0] = any[0] ? 0 : 1;
        s->max_fixed[0] = any[1] ? 1 : 0;
        break;
    }
    case PQ_INT32:
    case PQ_INT64:
        stats_int(e, s);
        break;
    case PQ_DOUBLE: {
        double lo, hi;
        s->has_minmax = pq_minmax_double(in->d.values, in->nvalues, &lo, &hi);
        memcpy(s->min_fixed, &lo, 8);
        memcpy(s->max_fixed, &hi, 8);
        break;
    }
    case PQ_BYTE_ARRAY:
        stats_bytes(e, s);
        return;
    }
    s->min = s->min_fixed;
    s->max = s->max_fixed;
    s->min_len = s->max_len = e->width;
}

/* ---- dictionary -------------------------------------------------------- */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t word;
        memcpy(&word, p + i, 8);
        h = (h ^ word) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    uint64_t tail = 0;
    for (size_t k = n; k > i; k--)  /* fewer than 8 bytes: no memcpy call */
        tail = tail << 8 | p[k - 1];
    return mix64(h ^ tail);
}

static uint64_t fixed_key(const enc *e, size_t j)
{
    const uint8_t *v = e->in->d.values;
    if (e->width == 4) {
        uint32_t k32;
        memcpy(&k32, v + j * 4, 4);
        return k32;
    }
    uint64_t key;
    memcpy(&key, v + j * 8, 8);
    return key;
}

/* Whether value j equals value j - 1: sorted or clustered data repeats,
 * and a repeat needs no hash lookup. */
static bool same_as_previous(const enc *e, size_t j)
{
    if (e->width)
        return fixed_key(e, j) == fixed_key(e, j - 1);
    const uint64_t *off = e->in->d.offsets;
    size_t n = off[j + 1] - off[j];
    return n == off[j] - off[j - 1] &&
           memcmp(e->in->d.bytes + off[j], e->in->d.bytes + off[j - 1], n) == 0;
}

#define TAG_MASK 0xffffffff00000000ULL

/* Rebuilds the table at twice the size (or first size) for the entries. */
static bool table_grow(enc *e)
{
    pq_chunk_work *w = e->w;
    size_t cap = w->table_cap ? w->table_cap * 2 : 4096;
    uint64_t *t = calloc(cap, sizeof *t);
    if (!t)
        return false;
    for (size_t k = 0; k < e->nentries; k++) {
        size_t slot = w->entry_hash[k] & (cap - 1);
        while (t[slot])
            slot = (slot + 1) & (cap - 1);
        t[slot] = (w->entry_hash[k] & TAG_MASK) | (k + 1);
    }
    free(w->table);
    w->table = t;
    w->table_cap = cap;
    return true;
}

/* Doubles the three entry arrays together (they share entry_cap). */
static bool entries_grow(pq_chunk_work *w)
{
    size_t cap = w->entry_cap ? w->entry_cap * 2 : 1024;
    uint64_t *key = realloc(w->entry_key, cap * sizeof *key);
    if (key)
        w->entry_key = key;
    uint32_t *len = realloc(w->entry_len, cap * sizeof *len);
    if (len)
        w->entry_len = len;
    uint64_t *hash = realloc(w->entry_hash, cap * sizeof *hash);
    if (hash)
        w->entry_hash = hash;
    if (!key || !len || !hash)
        return false;
    w->entry_cap = cap;
    return true;
}

/* Index of value j in the dictionary, adding it if new. Returns -1 when
 * adding it would pass dict_max_bytes, -2 when out of memory. */
static int64_t dict_lookup(enc *e, size_t j)
{
    pq_chunk_work *w = e->w;
    const pq_chunk_in *in = e->in;
    uint64_t key, h;
    uint32_t len = 0;
    if (e->width) {
        key = fixed_key(e, j);
        h = mix64(key);
    } else {
        key = in->d.offsets[j];
        len = (uint32_t)(in->d.offsets[j + 1] - key);
        h = hash_bytes(in->d.bytes + key, len);
    }
    size_t mask = w->table_cap - 1, slot = h & mask;
    for (uint64_t t; (t = w->table[slot]) != 0; slot = (slot + 1) & mask) {
        if ((t ^ h) & TAG_MASK)
            continue;
        size_t k = (uint32_t)t - 1;
        if (e->width ? w->entry_key[k] == key
                     : (w->entry_len[k] == len &&
                        memcmp(in->d.bytes + w->entry_key[k], in->d.bytes + key, len) == 0))
            return (int64_t)k;
    }
    size_t add = e->width ? e->width : 4 + (size_t)len;
    if (e->dict_bytes + add > e->opt->dict_max_bytes)
        return -1;
    if (e->nentries == w->entry_cap && !entries_grow(w))
        return -2;
    size_t k = e->nentries++;
    w->entry_key[k] = key;
    w->entry_len[k] = len;
    w->entry_hash[k] = h;
    w->table[slot] = (h & TAG_MASK) | (k + 1);
    e->dict_bytes += add;
    if (e->nentries * 2 > w->table_cap && !table_grow(e))
        return -2;
    return (int64_t)k;
}

/* Dictionary indices of a coded column's values [v0, v1) into w->idx:
 * entries numbered by first appearance, as dict_lookup numbers them.
 * False when the dictionary would pass dict_max_bytes (this page's new
 * entries are dropped again) or memory ran out (error set). */
static bool coded_indices(enc *e, size_t v0, size_t v1)
{
    pq_chunk_work *w = e->w;
    const pq_chunk_in *in = e->in;
    size_t mark = e->nentries, mark_bytes = e->dict_bytes;
    for (size_t j = v0; j < v1; j++) {
        uint32_t c = in->d.codes[j];
        uint32_t k = w->remap[c];
        if (k == 0) {
            size_t len = (size_t)(in->d.dict_offsets[c + 1] - in->d.dict_offsets[c]);
            bool full = e->dict_bytes + 4 + len > e->opt->dict_max_bytes;
            if (!full && e->nentries == w->entry_cap && !entries_grow(w)) {
                fail(e, "out of memory for the dictionary");
                full = true;
            }
            if (full) {
                for (size_t q = mark; q < e->nentries; q++)
                    w->remap[w->entry_key[q]] = 0;
                e->nentries = mark;
                e->dict_bytes = mark_bytes;
                return false;
            }
            w->entry_key[e->nentries] = c;
            w->entry_len[e->nentries] = (uint32_t)len;
            k = (uint32_t)++e->nentries;
            w->remap[c] = k;
            e->dict_bytes += 4 + len;
        }
        w->idx[j - v0] = k - 1;
    }
    return true;
}

/* Dictionary indices of hashed values [v0, v1) into w->idx, entries added
 * as they first appear; same contract as coded_indices. */
static bool hashed_indices(enc *e, size_t v0, size_t v1)
{
    pq_chunk_work *w = e->w;
    size_t mark = e->nentries, mark_bytes = e->dict_bytes;
    for (size_t j = v0; j < v1; j++) {
        if (j > v0 && same_as_previous(e, j)) {
            w->idx[j - v0] = w->idx[j - v0 - 1];
            continue;
        }
        int64_t k = dict_lookup(e, j);
        if (k < 0) {
            if (k == -2)
                fail(e, "out of memory for the dictionary");
            e->nentries = mark;
            e->dict_bytes = mark_bytes;
            return false;
        }
        w->idx[j - v0] = (uint32_t)k;
    }
    return true;
}

/* Appends the dictionary-encoded values [v0, v1) to the page buffer.
 * Returns false when the dictionary would overflow (the entries this page
 * added are dropped again) or memory ran out (error set). */
static bool encode_dict_values(enc *e, size_t v0, size_t v1)
{
    pq_chunk_work *w = e->w;
    size_t n = v1 - v0;
    if (!idx_reserve(w, n)) {
        fail(e, "out of memory for dictionary indices");
        return false;
    }
    if (!(e->in->d.codes ? coded_indices(e, v0, v1) : hashed_indices(e, v0, v1)))
        return false;
    int bw = pq_bit_width(e->nentries - 1);
    if (bw == 0)
        bw = 1;
    pq_buf_byte(&w->page, (uint8_t)bw);
    pq_rle_encode_u32(&w->page, w->idx, n, bw);
    return true;
}

/* ---- PLAIN values -------------------------------------------------------- */

static void encode_plain_values(enc *e, size_t v0, size_t v1)
{
    const pq_chunk_in *in = e->in;
    pq_buf *p = &e->w->page;
    if (in->spec->physical == PQ_BOOLEAN) {
        pq_plain_bool(p, (const uint8_t *)in->d.values + v0, v1 - v0);
    } else if (e->width) {
        pq_buf_put(p, (const uint8_t *)in->d.values + v0 * e->width,
                   (v1 - v0) * e->width);
    } else if (in->d.codes) {
        for (size_t j = v0; j < v1; j++) {
            size_t n;
            const uint8_t *b = value_at(in, j, &n);
            uint32_t n32 = (uint32_t)n;
            pq_buf_put(p, &n32, 4);
            pq_buf_put(p, b, n);
        }
    } else {
        const uint64_t *off = in->d.offsets;
        if (!pq_buf_reserve(p, 4 * (v1 - v0) + (off[v1] - off[v0])))
            return;
        uint8_t *dst = p->p + p->len;
        for (size_t j = v0; j < v1; j++) {
            uint32_t n = (uint32_t)(off[j + 1] - off[j]);
            memcpy(dst, &n, 4);
            memcpy(dst + 4, in->d.bytes + off[j], n);
            dst += 4 + (size_t)n;
        }
        p->len = (size_t)(dst - p->p);
    }
}

/* ---- pages ------------------------------------------------------------- */

/* Compresses the page - `len` bytes at `src`, or the page buffer when src
 * is NULL - and appends header + compressed bytes to dst. `type` is
 * PQ_PAGE_DATA or PQ_PAGE_DICTIONARY; count is num_values. */
static void emit_page_from(enc *e, pq_buf *dst, int type, size_t count, int encoding,
                           const void *src, size_t len)
{
    pq_chunk_work *w = e->w;
    if (!src && w->page.failed) {
        fail(e, "out of memory for a page");
        return;
    }
    if (!src) {
        src = w->page.p;
        len = w->page.len;
    }
    size_t bound = ZSTD_compressBound(len);
    w->comp.len = 0;
    if (!pq_buf_reserve(&w->comp, bound)) {
        fail(e, "out of memory for a compressed page");
        return;
    }
    if (w->zstd_level != e->opt->zstd_level) {
        /* Literals are always Huffman-coded: zstd's fast (negative) levels
         * would store them raw, and string pages (hex ids, names) are
         * mostly literals. */
        ZSTD_CCtx_reset(w->zstd, ZSTD_reset_parameters);
        ZSTD_CCtx_setParameter(w->zstd, ZSTD_c_compressionLevel, e->opt->zstd_level);
        ZSTD_CCtx_setParameter(w->zstd, ZSTD_c_literalCompressionMode, ZSTD_ps_enable);
        w->zstd_level = e->opt->zstd_level;
    }
    size_t clen = ZSTD_compress2(w->zstd, w->comp.p, bound, src, len);
    if (ZSTD_isError(clen)) {
        fail(e, "zstd: %s", ZSTD_getErrorName(clen));
        return;
    }
    if (len > INT32_MAX || clen > INT32_MAX || count > INT32_MAX) {
        fail(e, "page too large (%zu bytes)", len);
        return;
    }
    size_t before = dst->len;
    pq_tc t;
    pq_tc_begin(&t, dst);
    pq_tc_i32(&t, 1, type);
    pq_tc_i32(&t, 2, (int32_t)len);
    pq_tc_i32(&t, 3, (int32_t)clen);
    if (type == PQ_PAGE_DATA) {
        pq_tc_struct(&t, 5);                    /* DataPageHeader */
        pq_tc_i32(&t, 1, (int32_t)count);
        pq_tc_i32(&t, 2, encoding);
        pq_tc_i32(&t, 3, PQ_ENC_RLE);           /* definition levels */
        pq_tc_i32(&t, 4, PQ_ENC_RLE);           /* repetition levels */
        pq_tc_end(&t);
    } else {
        pq_tc_struct(&t, 7);                    /* DictionaryPageHeader */
        pq_tc_i32(&t, 1, (int32_t)count);
        pq_tc_i32(&t, 2, PQ_ENC_PLAIN);
        pq_tc_end(&t);
    }
    pq_tc_end(&t);
    e->o->uncompressed += (int64_t)(dst->len - before + len);
    pq_buf_put(dst, w->comp.p, clen);
    if (dst->failed)
        fail(e, "out of memory for the column chunk");
}

static void emit_page(enc *e, pq_buf *dst, int type, size_t count, int encoding)
{
    emit_page_from(e, dst, type, count, encoding, NULL, 0);
}

/* Ends the page after rows [r0, ...) / values [v0, ...): the first row
 * where the PLAIN size reaches page_bytes (at least one row). */
static void page_end(const enc *e, size_t r0, size_t v0, size_t *r1, size_t *v1)
{
    const pq_chunk_in *in = e->in;
    size_t budget = e->opt->page_bytes, r = r0, v = v0, acc = 0;
    if (!in->d.def && e->width) {
        size_t rows = budget / e->width ? budget / e->width : 1;
        rows = rows < PQ_PAGE_MAX_ROWS ? rows : PQ_PAGE_MAX_ROWS;
        r = r0 + (in->nrows - r0 < rows ? in->nrows - r0 : rows);
        *r1 = r;
        *v1 = v0 + (r - r0);
        return;
    }
    if (!in->d.def && !in->d.codes) {
        /* Byte arrays without nulls: the PLAIN size of rows [r0, r) is
         * 4 (r - r0) + offsets[r] - offsets[r0], growing with r, so binary
         * search the first r where it reaches the budget - the row the loop
         * below would stop at. */
        const uint64_t *off = in->d.offsets + v0;
        size_t lo = 1, hi = in->nrows - r0 < PQ_PAGE_MAX_ROWS ? in->nrows - r0 : PQ_PAGE_MAX_ROWS;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (4 * mid + (off[mid] - off[0]) >= budget)
                hi = mid;
            else
                lo = mid + 1;
        }
        *r1 = r0 + lo;
        *v1 = v0 + lo;
        return;
    }
    size_t end = in->nrows - r0 < PQ_PAGE_MAX_ROWS ? in->nrows : r0 + PQ_PAGE_MAX_ROWS;
    if (e->width) {
        /* Fixed width with nulls: def is 0/1, so no branch per row. */
        for (; r < end && acc < budget; r++) {
            size_t d = in->d.def[r];
            acc += 1 + d * (e->width - 1);
            v += d;
        }
        *r1 = r;
        *v1 = v;
        return;
    }
    while (r < end && acc < budget) {
        if (!in->d.def || in->d.def[r]) {
            size_t n = 0;
            if (!e->width)
                value_at(in, v, &n);
            acc += e->width ? e->width : 4 + n;
            v++;
        } else {
            acc++; /* a null counts one byte, so pages have bounded rows */
        }
        r++;
    }
    *r1 = r;
    *v1 = v;
}

static void encode_data_page(enc *e, size_t r0, size_t r1, size_t v0, size_t v1)
{
    pq_buf *p = &e->w->page;
    p->len = 0;
    if (e->in->d.def) {
        pq_buf_u32le(p, 0);
        size_t at = p->len;
        pq_rle_encode_u8(p, e->in->d.def + r0, r1 - r0, 1);
        if (!p->failed) {
            uint32_t n = (uint32_t)(p->len - at);
            memcpy(p->p + at - 4, &n, 4);
        }
    }
    size_t values_at = p->len;
    int encoding = PQ_ENC_PLAIN;
    if (e->use_dict && v1 > v0) {
        if (encode_dict_values(e, v0, v1)) {
            encoding = PQ_ENC_RLE_DICTIONARY;
        } else {
            e->use_dict = false;
            p->len = values_at;
        }
    }
    if (e->o->error[0])
        return;
    if (encoding == PQ_ENC_PLAIN && !e->in->d.def && e->width &&
        e->in->spec->physical != PQ_BOOLEAN) {
        /* a REQUIRED fixed-width PLAIN page is the values as they are:
         * compressed in place, not copied first */
        e->plain_values += v1 - v0;
        emit_page_from(e, &e->o->data, PQ_PAGE_DATA, r1 - r0, encoding,
                       (const uint8_t *)e->in->d.values + v0 * e->width,
                       (v1 - v0) * e->width);
        e->o->pages_plain++;
        return;
    }
    if (encoding == PQ_ENC_PLAIN) {
        encode_plain_values(e, v0, v1);
        e->plain_values += v1 - v0;
    }
    emit_page(e, &e->o->data, PQ_PAGE_DATA, r1 - r0, encoding);
    if (encoding == PQ_ENC_PLAIN)
        e->o->pages_plain++;
    else
        e->o->pages_dict++;
}

static void encode_dict_page(enc *e)
{
    pq_chunk_work *w = e->w;
    pq_buf *p = &w->page;
    p->len = 0;
    if (!pq_buf_reserve(p, e->dict_bytes)) {
        fail(e, "out of memory for the dictionary page");
        return;
    }
    for (size_t k = 0; k < e->nentries; k++) {
        if (e->width) {
            memcpy(p->p + p->len, &w->entry_key[k], e->width);
            p->len += e->width;
        } else {
            uint32_t n = w->entry_len[k];
            memcpy(p->p + p->len, &n, 4);
            memcpy(p->p + p->len + 4, entry_at(e, k), n);
            p->len += 4 + (size_t)n;
        }
    }
    emit_page(e, &e->o->dict, PQ_PAGE_DICTIONARY, e->nentries, PQ_ENC_PLAIN);
    e->o->dict_count = (int32_t)e->nentries;
}

void pq_chunk_encode(const pq_chunk_in *in, const pq_options *opt,
                     pq_chunk_work *work, pq_chunk_out *out)
{
    enc e = {.in = in, .opt = opt, .w = work, .o = out,
             .width = pq_physical_width(in->spec->physical)};
    out->dict.len = out->data.len = 0;
    out->dict.failed = out->data.failed = false;
    work->page.failed = work->comp.failed = false;
    out->num_values = (int64_t)in->nrows;
    out->uncompressed = 0;
    out->dict_count = out->pages_plain = out->pages_dict = 0;
    out->error[0] = '\0';
    e.use_dict = in->spec->dictionary && in->spec->physical != PQ_BOOLEAN &&
                 in->nvalues > 0;
    if (in->d.codes) {
        /* codes are checked by the caller; a dictionary column or not, the
         * remap table starts empty */
        memset(work->remap, 0, sizeof work->remap);
    } else if (e.use_dict) {
        if (work->table_cap == 0 && !table_grow(&e)) {
            fail(&e, "out of memory for the dictionary");
            return;
        }
        memset(work->table, 0, work->table_cap * sizeof *work->table);
    }
    size_t r = 0, v = 0;
    while (r < in->nrows && !out->error[0]) {
        size_t r1, v1;
        page_end(&e, r, v, &r1, &v1);
        encode_data_page(&e, r, r1, v, v1);
        r = r1;
        v = v1;
    }
    if (!out->error[0])
        compute_stats(&e);
    if (!out->error[0] && out->pages_dict > 0)
        encode_dict_page(&e);
}
