/*
 * test_parquet_encode.c - the small encodings of the Parquet writer
 * (pq_encode.c): varints, zigzag, the RLE/bit-packed hybrid, PLAIN
 * booleans and the statistics orderings. Known byte strings come from the
 * format specification's examples or are worked out by hand in comments;
 * random sequences are round-tripped through a decoder written here from
 * the specification.
 */
#include "wf_test.h"

#include <math.h>
#include <stdlib.h>

#include "pq_int.h"

#define ASSERT_BYTES(buf, ...)                                            \
    do {                                                                  \
        static const uint8_t want_[] = {__VA_ARGS__};                     \
        ASSERT_UEQ((buf).len, sizeof want_);                              \
        for (size_t k_ = 0; k_ < sizeof want_; k_++)                      \
            ASSERT_UEQ((buf).p[k_], want_[k_]);                           \
    } while (0)

TEST(parquet_uvarint)
{
    uint8_t b[10];
    ASSERT_UEQ(pq_uvarint(b, 0), 1);
    ASSERT_UEQ(b[0], 0);
    ASSERT_UEQ(pq_uvarint(b, 127), 1);
    ASSERT_UEQ(b[0], 0x7f);
    ASSERT_UEQ(pq_uvarint(b, 128), 2);
    ASSERT_UEQ(b[0], 0x80);
    ASSERT_UEQ(b[1], 0x01);
    ASSERT_UEQ(pq_uvarint(b, 300), 2); /* 300 = 0b10_0101100 */
    ASSERT_UEQ(b[0], 0xac);
    ASSERT_UEQ(b[1], 0x02);
    ASSERT_UEQ(pq_uvarint(b, UINT64_MAX), 10);
    for (int k = 0; k < 9; k++)
        ASSERT_UEQ(b[k], 0xff);
    ASSERT_UEQ(b[9], 0x01);
}

TEST(parquet_zigzag)
{
    ASSERT_UEQ(pq_zigzag(0), 0);
    ASSERT_UEQ(pq_zigzag(-1), 1);
    ASSERT_UEQ(pq_zigzag(1), 2);
    ASSERT_UEQ(pq_zigzag(-2), 3);
    ASSERT_UEQ(pq_zigzag(2147483647), 4294967294u);
    ASSERT_UEQ(pq_zigzag(-2147483647 - 1), 4294967295u);
    ASSERT_UEQ(pq_zigzag(INT64_MAX), UINT64_MAX - 1);
    ASSERT_UEQ(pq_zigzag(INT64_MIN), UINT64_MAX);
}

TEST(parquet_bit_width)
{
    ASSERT_EQ(pq_bit_width(0), 0);
    ASSERT_EQ(pq_bit_width(1), 1);
    ASSERT_EQ(pq_bit_width(2), 2);
    ASSERT_EQ(pq_bit_width(7), 3);
    ASSERT_EQ(pq_bit_width(8), 4);
    ASSERT_EQ(pq_bit_width(UINT32_MAX), 32);
}

TEST(parquet_rle_spec_example_bitpacked)
{
    /* Encodings.md: 0..7 at width 3 bit-pack to 10001000 11000110 11111010. */
    uint32_t v[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    pq_buf b = {0};
    pq_rle_encode_u32(&b, v, 8, 3);
    ASSERT_BYTES(b, 0x03, 0x88, 0xc6, 0xfa);
    pq_buf_free(&b);
}

TEST(parquet_rle_runs)
{
    pq_buf b = {0};
    uint32_t ten4[10] = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4};
    pq_rle_encode_u32(&b, ten4, 10, 3);      /* header 10 << 1, value byte */
    ASSERT_BYTES(b, 0x14, 0x04);
    b.len = 0;
    uint32_t wide[8] = {300, 300, 300, 300, 300, 300, 300, 300};
    pq_rle_encode_u32(&b, wide, 8, 9);       /* value in 2 bytes */
    ASSERT_BYTES(b, 0x10, 0x2c, 0x01);
    b.len = 0;
    /* a run of 8, then 2 3 0 bit-packed and zero-padded: 2 | 3<<2 = 0x0e */
    uint32_t mix[11] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 0};
    pq_rle_encode_u32(&b, mix, 11, 2);
    ASSERT_BYTES(b, 0x10, 0x01, 0x03, 0x0e, 0x00);
    b.len = 0;
    uint8_t ones[1000];
    memset(ones, 1, sizeof ones);
    pq_rle_encode_u8(&b, ones, 1000, 1);      /* 2000 = 0xd0 0x0f as varint */
    ASSERT_BYTES(b, 0xd0, 0x0f, 0x01);
    b.len = 0;
    uint8_t def[5] = {1, 0, 1, 1, 0};
    pq_rle_encode_u8(&b, def, 5, 1);          /* 0b01101 */
    ASSERT_BYTES(b, 0x03, 0x0d);
    pq_buf_free(&b);
}

/* Decodes the hybrid from the specification: returns values decoded (at
 * most max), or -1 on malformed input. */
static long rle_decode(const uint8_t *p, size_t len, int width, uint32_t *out, size_t max)
{
    size_t at = 0, n = 0;
    while (at < len && n < max) {
        uint64_t h = 0;
        int shift = 0;
        do {
            if (at >= len)
                return -1;
            h |= (uint64_t)(p[at] & 0x7f) << shift;
            shift += 7;
        } while (p[at++] & 0x80);
        if (h & 1) {
            size_t count = (size_t)(h >> 1) * 8, bit = at * 8;
            if (at + (h >> 1) * (uint64_t)width > len)
                return -1;
            for (size_t k = 0; k < count; k++) {
                uint32_t v = 0;
                for (int j = 0; j < width; j++, bit++)
                    v |= (uint32_t)((p[bit / 8] >> (bit % 8)) & 1) << j;
                if (n < max)
                    out[n++] = v;
            }
            at += (size_t)(h >> 1) * (size_t)width;
        } else {
            uint32_t v = 0;
            for (int j = 0; j < (width + 7) / 8; j++)
                v |= (uint32_t)p[at++] << (8 * j);
            for (uint64_t k = 0; k < (h >> 1) && n < max; k++)
                out[n++] = v;
        }
    }
    return (long)n;
}

static uint64_t next_rand(uint64_t *s)
{
    *s += 0x9e3779b97f4a7c15ULL;
    uint64_t z = *s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

TEST(parquet_rle_random_round_trip)
{
    uint64_t seed = wf_test_seed(20261124), s = seed;
    wf_test_note("seed %llu (replay with WF_TEST_SEED)", (unsigned long long)seed);
    enum { MAXN = 5000 };
    uint32_t *v = malloc(MAXN * sizeof *v), *back = malloc((MAXN + 8) * sizeof *back);
    uint8_t *v8 = malloc(MAXN);
    pq_buf b = {0};
    ASSERT_TRUE(v && back && v8);
    for (int round = 0; round < 300; round++) {
        size_t n = (size_t)(next_rand(&s) % MAXN);
        int width = 1 + (int)(next_rand(&s) % 32);
        uint64_t mask = width == 32 ? UINT32_MAX : ((uint64_t)1 << width) - 1;
        int runny = (int)(next_rand(&s) % 3); /* 0: noise, 1: runs, 2: mixed */
        for (size_t i = 0; i < n; i++) {
            bool repeat = i > 0 && (runny == 1 || (runny == 2 && next_rand(&s) % 4 != 0));
            v[i] = repeat && next_rand(&s) % 50 ? v[i - 1] : (uint32_t)(next_rand(&s) & mask);
            v8[i] = (uint8_t)(v[i] & 1);
        }
        b.len = 0;
        pq_rle_encode_u32(&b, v, n, width);
        ASSERT_TRUE(!b.failed);
        ASSERT_EQ(rle_decode(b.p, b.len, width, back, n), (long)n);
        for (size_t i = 0; i < n; i++)
            ASSERT_UEQ(back[i], v[i]);
        b.len = 0;
        pq_rle_encode_u8(&b, v8, n, 1);
        ASSERT_EQ(rle_decode(b.p, b.len, 1, back, n), (long)n);
        for (size_t i = 0; i < n; i++)
            ASSERT_UEQ(back[i], v8[i]);
    }
    pq_buf_free(&b);
    free(v);
    free(back);
    free(v8);
}

TEST(parquet_plain_bool)
{
    uint8_t v[9] = {1, 0, 1, 1, 0, 0, 0, 0, 7};
    pq_buf b = {0};
    pq_plain_bool(&b, v, 9);                  /* LSB first, nonzero is true */
    ASSERT_BYTES(b, 0x0d, 0x01);
    pq_buf_free(&b);
}

TEST(parquet_bytes_order)
{
    ASSERT_TRUE(pq_bytes_cmp("", 0, "a", 1) < 0);
    ASSERT_TRUE(pq_bytes_cmp("a", 1, "ab", 2) < 0);
    ASSERT_TRUE(pq_bytes_cmp("b", 1, "ab", 2) > 0);
    ASSERT_TRUE(pq_bytes_cmp("\x80", 1, "\x7f", 1) > 0); /* unsigned */
    ASSERT_TRUE(pq_bytes_cmp("\xc3\xa9", 2, "z", 1) > 0); /* "é" > "z" */
    ASSERT_EQ(pq_bytes_cmp("abc", 3, "abc", 3), 0);
}

TEST(parquet_double_min_max)
{
    double lo, hi;
    double a[] = {NAN, 3.5, -2.0, NAN, INFINITY};
    ASSERT_TRUE(pq_minmax_double(a, 5, &lo, &hi));
    ASSERT_DEQ(lo, -2.0);
    ASSERT_DEQ(hi, INFINITY);
    double z[] = {0.0, 0.0, 1.0};
    ASSERT_TRUE(pq_minmax_double(z, 3, &lo, &hi));
    ASSERT_TRUE(lo == 0 && signbit(lo));      /* a zero minimum is -0.0 */
    double nz[] = {-0.0, -1.0, -0.0};
    ASSERT_TRUE(pq_minmax_double(nz, 3, &lo, &hi));
    ASSERT_DEQ(lo, -1.0);
    ASSERT_TRUE(hi == 0 && !signbit(hi));     /* a zero maximum is +0.0 */
    double nan2[] = {NAN, NAN};
    ASSERT_TRUE(!pq_minmax_double(nan2, 2, &lo, &hi));
    ASSERT_TRUE(!pq_minmax_double(nan2, 0, &lo, &hi));
}

TEST(parquet_buf_failure_sticks)
{
    pq_buf b = {0};
    pq_buf_put(&b, "abc", 3);
    ASSERT_UEQ(b.len, 3);
    ASSERT_TRUE(!pq_buf_reserve(&b, PQ_BUF_MAX)); /* past the cap */
    ASSERT_TRUE(b.failed);
    pq_buf_put(&b, "d", 1);                        /* dropped */
    ASSERT_UEQ(b.len, 3);
    pq_buf_free(&b);
}
