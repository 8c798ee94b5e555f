/*
 * pq_encode.c - the small encodings of the Parquet format: growable
 * buffers, ULEB128 varints, the RLE/bit-packed hybrid, PLAIN booleans, and
 * the orderings the statistics follow.
 *
 * The hybrid (parquet Encodings.md, "RLE") is a series of runs. An RLE run
 * is the varint (count << 1) and the repeated value in ceil(width / 8)
 * little-endian bytes; a bit-packed run is the varint (groups << 1 | 1) and
 * groups * 8 values packed LSB first, width bits each. Our encoder takes
 * any stretch of 8 or more equal values as an RLE run and bit-packs the
 * rest, at most 63 groups per run (one header byte), so a bit-packed run
 * only ever holds padding after the last value. The choice is a heuristic;
 * any mix of runs decodes to the same values.
 */
#include "pq_int.h"

#include <math.h>
#include <stdlib.h>

/* ---- physical types ------------------------------------------------------ */

int pq_physical_thrift(pq_physical t)
{
    switch (t) {
#define X(e, code, width, name) case e: return code;
    PQ_PHYSICAL_TYPES(X)
#undef X
    }
    return -1;
}

size_t pq_physical_width(pq_physical t)
{
    switch (t) {
#define X(e, code, width, name) case e: return width;
    PQ_PHYSICAL_TYPES(X)
#undef X
    }
    return 0;
}

const char *pq_physical_name(pq_physical t)
{
    switch (t) {
#define X(e, code, width, name) case e: return name;
    PQ_PHYSICAL_TYPES(X)
#undef X
    }
    return "?";
}

/* ---- buffers ----------------------------------------------------------- */

bool pq_buf_grow(pq_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->cap - b->len >= extra)
        return true;
    if (extra > PQ_BUF_MAX - b->len) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > PQ_BUF_MAX / 2 ? PQ_BUF_MAX : cap * 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void pq_buf_free(pq_buf *b)
{
    free(b->p);
    *b = (pq_buf){0};
}

/* ---- varints ----------------------------------------------------------- */

size_t pq_uvarint(uint8_t out[10], uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

void pq_buf_uvarint(pq_buf *b, uint64_t v)
{
    uint8_t t[10];
    pq_buf_put(b, t, pq_uvarint(t, v));
}

int pq_bit_width(uint64_t max_value)
{
    return max_value ? 64 - __builtin_clzll(max_value) : 0;
}

/* ---- RLE / bit-packed hybrid ------------------------------------------- */

/* Packs 8 values of `width` bits (values already masked) into width bytes. */
static void pack8(pq_buf *out, const uint32_t g[8], int width)
{
    if (!pq_buf_reserve(out, (size_t)width))
        return;
    uint8_t *dst = out->p + out->len;
    uint64_t acc = 0;
    int bits = 0;
    for (int k = 0; k < 8; k++) {
        acc |= (uint64_t)g[k] << bits;
        bits += width;
        while (bits >= 8) {
            *dst++ = (uint8_t)acc;
            acc >>= 8;
            bits -= 8;
        }
    }
    out->len += (size_t)width;
}

static void rle_run(pq_buf *out, uint32_t value, size_t count, int width)
{
    pq_buf_uvarint(out, (uint64_t)count << 1);
    for (int k = 0; k < (width + 7) / 8; k++)
        pq_buf_byte(out, (uint8_t)(value >> (8 * k)));
}

/* The two element types share one body; T is the element type. */
#define PQ_RLE_BODY(T)                                                   \
    size_t i = 0;                                                        \
    while (i < n) {                                                      \
        size_t r = 1;                                                    \
        while (i + r < n && v[i + r] == v[i])                            \
            r++;                                                         \
        if (r >= 8) {                                                    \
            rle_run(out, v[i], r, bit_width);                            \
            i += r;                                                      \
            continue;                                                    \
        }                                                                \
        /* Bit-pack groups until a run of 8 starts at a group boundary. */ \
        size_t start = i, groups = 0;                                    \
        do {                                                             \
            groups++;                                                    \
            i += 8;                                                      \
            if (i >= n || groups == 63)                                  \
                break;                                                   \
            size_t k = 1;                                                \
            while (k < 8 && i + k < n && v[i + k] == v[i])               \
                k++;                                                     \
            if (k == 8)                                                  \
                break;                                                   \
        } while (1);                                                     \
        pq_buf_uvarint(out, (uint64_t)groups << 1 | 1);                  \
        for (size_t g = 0; g < groups; g++) {                            \
            uint32_t grp[8];                                             \
            for (size_t k = 0; k < 8; k++) {                             \
                size_t at = start + g * 8 + k;                           \
                grp[k] = at < n ? (uint32_t)v[at] : 0;                   \
            }                                                            \
            pack8(out, grp, bit_width);                                  \
        }                                                                \
        if (i > n)                                                       \
            i = n;                                                       \
    }

void pq_rle_encode_u32(pq_buf *out, const uint32_t *v, size_t n, int bit_width)
{
    PQ_RLE_BODY(uint32_t)
}

void pq_rle_encode_u8(pq_buf *out, const uint8_t *v, size_t n, int bit_width)
{
    PQ_RLE_BODY(uint8_t)
}

void pq_plain_bool(pq_buf *out, const uint8_t *v, size_t n)
{
    if (!pq_buf_reserve(out, (n + 7) / 8))
        return;
    uint8_t *dst = out->p + out->len;
    for (size_t i = 0; i < n; i += 8) {
        uint8_t byte = 0;
        for (size_t k = 0; k < 8 && i + k < n; k++)
            byte |= (uint8_t)((v[i + k] != 0) << k);
        *dst++ = byte;
    }
    out->len += (n + 7) / 8;
}

/* ---- orderings --------------------------------------------------------- */

int pq_bytes_cmp(const void *a, size_t alen, const void *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

bool pq_dminmax_finish(const pq_dminmax *m, double *min, double *max)
{
    if (!m->found)
        return false;
    *min = m->lo == 0 ? -0.0 : m->lo;
    *max = m->hi == 0 ? 0.0 : m->hi;
    return true;
}

bool pq_minmax_double(const double *v, size_t n, double *min, double *max)
{
    pq_dminmax m = {0};
    for (size_t i = 0; i < n; i++)
        pq_dminmax_add(&m, v[i]);
    return pq_dminmax_finish(&m, min, max);
}
