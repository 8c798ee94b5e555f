/*
 * pq_int.h - internals shared by the files of src/parquet (nothing outside
 * src/parquet and its tests includes this).
 *
 * The writer is layered:
 *   pq_encode.c   byte buffers, varints, the RLE/bit-packed hybrid, PLAIN
 *                 booleans, statistics orderings - pure functions;
 *   pq_thrift.c   the Thrift compact-protocol encoder for the metadata;
 *   pq_chunk.c    one column chunk of one row group: pages, dictionary,
 *                 ZSTD, statistics - no file I/O, so chunks of a row group
 *                 can be encoded on several threads;
 *   pq_writer.c   the public API: buffering rows, cutting row groups,
 *                 writing chunks in column order, the footer.
 *
 * Numbers are written little-endian as the format requires; the code
 * copies host integers, so it assumes a little-endian host (checked at
 * compile time below).
 */
#ifndef PQ_INT_H
#define PQ_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pq_writer.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the Parquet writer assumes a little-endian host"
#endif

/* ---- enumerations of parquet.thrift ------------------------------------- */

/* The physical types: pq_physical value, parquet.thrift Type, bytes per
 * buffered value (0: variable), name. */
#define PQ_PHYSICAL_TYPES(X)                \
    X(PQ_BOOLEAN, 0, 1, "BOOLEAN")          \
    X(PQ_INT32, 1, 4, "INT32")              \
    X(PQ_INT64, 2, 8, "INT64")              \
    X(PQ_DOUBLE, 5, 8, "DOUBLE")            \
    X(PQ_BYTE_ARRAY, 6, 0, "BYTE_ARRAY")

int pq_physical_thrift(pq_physical t);
size_t pq_physical_width(pq_physical t);
const char *pq_physical_name(pq_physical t);
enum { PQ_REQUIRED = 0, PQ_OPTIONAL = 1 };
enum { PQ_CT_UTF8 = 0, PQ_CT_DECIMAL = 5, PQ_CT_DATE = 6,
       PQ_CT_TIMESTAMP_MICROS = 10 };
enum { PQ_ENC_PLAIN = 0, PQ_ENC_RLE = 3, PQ_ENC_RLE_DICTIONARY = 8 };
enum { PQ_CODEC_ZSTD = 6 };
enum { PQ_PAGE_DATA = 0, PQ_PAGE_DICTIONARY = 2 };

/* Longest BYTE_ARRAY value, and the buffered string bytes that cut a row
 * group early. */
#define PQ_MAX_VALUE_BYTES ((int64_t)1 << 30)
#define PQ_ROW_GROUP_MAX_BYTES ((size_t)256 << 20)
/* Most rows in one data page (all-null pages would otherwise be unbounded). */
#define PQ_PAGE_MAX_ROWS ((size_t)1 << 20)
/* Statistics bounds of byte arrays longer than this are left out. */
#define PQ_STATS_MAX_BYTES 4096
/* No buffer grows beyond this (a page must fit an i32 size anyway). */
#define PQ_BUF_MAX ((size_t)1 << 34)

/* ---- growable byte buffer ------------------------------------------------ */

/* A byte buffer that remembers failure: once an allocation fails (or the
 * cap PQ_BUF_MAX would be passed) `failed` is set and further writes are
 * dropped, so encoders write freely and the caller checks once. */
typedef struct pq_buf {
    uint8_t *p;
    size_t len, cap;
    bool failed;
} pq_buf;

/* Makes room for `extra` more bytes; false (and failed set) if it cannot. */
bool pq_buf_grow(pq_buf *b, size_t extra);
void pq_buf_free(pq_buf *b);

static inline bool pq_buf_reserve(pq_buf *b, size_t extra)
{
    return (b->cap - b->len >= extra && !b->failed) || pq_buf_grow(b, extra);
}

static inline void pq_buf_put(pq_buf *b, const void *src, size_t n)
{
    if (n && pq_buf_reserve(b, n)) {
        memcpy(b->p + b->len, src, n);
        b->len += n;
    }
}

static inline void pq_buf_byte(pq_buf *b, uint8_t v)
{
    if (pq_buf_reserve(b, 1))
        b->p[b->len++] = v;
}

static inline void pq_buf_u32le(pq_buf *b, uint32_t v)
{
    uint8_t t[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                    (uint8_t)(v >> 24)};
    pq_buf_put(b, t, 4);
}

/* ---- varints ----------------------------------------------------------- */

/* ULEB128 of v into out (at most 10 bytes); returns the byte count. */
size_t pq_uvarint(uint8_t out[10], uint64_t v);
void pq_buf_uvarint(pq_buf *b, uint64_t v);

static inline uint64_t pq_zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* ---- RLE / bit-packed hybrid (parquet Encodings.md) --------------------- */

/* Bits needed for values up to max_value (0 for 0). */
int pq_bit_width(uint64_t max_value);

/* Appends the hybrid encoding of v[0..n) at bit_width (1..32) to out,
 * without a length prefix. Runs of 8 or more equal values become RLE runs;
 * the rest are bit-packed in groups of 8 (the last group zero-padded). The
 * values must fit bit_width. */
void pq_rle_encode_u32(pq_buf *out, const uint32_t *v, size_t n, int bit_width);
void pq_rle_encode_u8(pq_buf *out, const uint8_t *v, size_t n, int bit_width);

/* PLAIN booleans: one bit each, LSB first; v[i] != 0 is true. */
void pq_plain_bool(pq_buf *out, const uint8_t *v, size_t n);

/* ---- statistics -------------------------------------------------------- */

/* Unsigned byte-wise order, a proper prefix first (BYTE_ARRAY order). */
int pq_bytes_cmp(const void *a, size_t alen, const void *b, size_t blen);

/* Min and max of n doubles in the type-defined order: NaN is ignored, and
 * a zero minimum is written -0.0, a zero maximum +0.0 (Parquet's rules).
 * Returns false when there is no non-NaN value. */
bool pq_minmax_double(const double *v, size_t n, double *min, double *max);

/* The same, one value at a time. */
typedef struct pq_dminmax {
    bool found;
    double lo, hi;
} pq_dminmax;

static inline void pq_dminmax_add(pq_dminmax *m, double x)
{
    if (x != x) /* NaN */
        return;
    if (!m->found) {
        m->lo = m->hi = x;
        m->found = true;
    }
    m->lo = x < m->lo ? x : m->lo;
    m->hi = x > m->hi ? x : m->hi;
}

bool pq_dminmax_finish(const pq_dminmax *m, double *min, double *max);

/* Statistics of one column chunk, ready to serialise: min/max are the PLAIN
 * encodings of the bounds (byte arrays without length prefix); for byte
 * arrays they point into the chunk's values. */
typedef struct pq_stats {
    int64_t null_count;
    bool has_minmax;
    const uint8_t *min, *max;
    size_t min_len, max_len;
    uint8_t min_fixed[8], max_fixed[8];
} pq_stats;

/* ---- column chunk encoding (pq_chunk.c) --------------------------------- */

/* The rows of one column in one row group, in the layout of pq_chunk_data
 * (pq_writer.h): values compacted to the non-null rows, def[r] 1 for a
 * value and 0 for a null (NULL for a REQUIRED column), byte arrays as
 * offsets into bytes or as codes into a dictionary of distinct strings. */
typedef struct pq_chunk_in {
    const pq_column_spec *spec;
    size_t nrows, nvalues;
    pq_chunk_data d;          /* checked against spec (pq_writer.c) */
} pq_chunk_in;

/* Per-thread scratch: reused from chunk to chunk so that encoding does not
 * allocate once buffers have reached their working size. */
typedef struct pq_chunk_work {
    void *zstd;               /* ZSTD_CCtx */
    int zstd_level;           /* the level its parameters are set for, 0 = none */
    pq_buf page;              /* one uncompressed page */
    pq_buf comp;              /* its compressed form */
    pq_buf dict_vals;         /* dictionary entries, PLAIN-encoded (fixed) */
    uint32_t *idx;            /* dictionary indices of one page */
    size_t idx_cap;
    uint64_t *table;          /* open-addressing hash; a slot holds the high
                                 32 bits of the hash and entry + 1 in the low
                                 32 bits (so most misses need no entry), 0 =
                                 empty */
    size_t table_cap;         /* power of two */
    uint64_t *entry_key;      /* fixed: value bits; bytes: offset */
    uint32_t *entry_len;      /* bytes: length */
    uint64_t *entry_hash;
    size_t entry_cap;
    uint32_t remap[PQ_CODED_MAX];  /* coded columns: code -> entry + 1, 0 = none */
} pq_chunk_work;

/* What a chunk encoding produced. The dictionary page (if any) goes to the
 * file before the data pages. Offsets of the metadata are filled in by the
 * writer once it knows where the chunk lands. */
typedef struct pq_chunk_out {
    pq_buf dict;              /* header + compressed dictionary page, or empty */
    pq_buf data;              /* headers + compressed data pages */
    int64_t num_values;       /* rows, nulls included */
    int64_t uncompressed;     /* page sizes + header sizes, as in the spec */
    int32_t dict_count;       /* dictionary entries */
    int32_t pages_plain, pages_dict;
    pq_stats stats;
    char error[256];          /* "" or what went wrong */
} pq_chunk_out;

bool pq_chunk_work_init(pq_chunk_work *w);
void pq_chunk_work_free(pq_chunk_work *w);
void pq_chunk_out_free(pq_chunk_out *o);

/* Encodes one column chunk. Thread-safe for distinct work/out pairs. On
 * failure out->error is set (the outputs are then unusable). */
void pq_chunk_encode(const pq_chunk_in *in, const pq_options *opt,
                     pq_chunk_work *work, pq_chunk_out *out);

#endif
