/*
 * wf_md5.c - MD5 of short keys, one at a time or many lanes at once (see
 * wf_md5.h).
 *
 * The 64 steps of RFC 1321 are written once, as the table MD5_STEPS, and
 * expanded twice: over uint32_t for the scalar compression, and over GCC
 * vector types of 8 or 16 lanes inside functions compiled for AVX2 or
 * AVX-512 (target attributes, so the rest of the build stays portable x86-64
 * and the choice is made at run time with __builtin_cpu_supports). The
 * constants are T[i] = floor(2^32 * |sin(i + 1)|).
 *
 * The lane path stages each message, padded, into a per-call buffer of
 * lanes x blocks; messages are grouped by block count (one block up to 55
 * bytes, two up to 119) so that all lanes of a compression run the same
 * number of blocks. The words are transposed into lane order right before
 * each block. Unused lanes of the last group are zero blocks whose results
 * are dropped. The draws' kernels (wf_md5_xor_x, wf_md5_xor_x_head) hash
 * single blocks given as two halves to XOR, two lane groups interleaved;
 * the head kernels serve blocks that differ only in their first words and
 * transpose only those (see "blocks that differ only in their first
 * words" below).
 */
#include "wf_md5.h"

#include <string.h>

#define F(x, y, z) (((x) & (y)) | (~(x) & (z)))
#define G(x, y, z) (((x) & (z)) | ((y) & ~(z)))
#define H(x, y, z) ((x) ^ (y) ^ (z))
#define I(x, y, z) ((y) ^ ((x) | ~(z)))
/* a + m + t first: only f(b, c, d), the rotation and + b wait for the
 * previous step (the chain of dependent instructions per step). */
#define STEP(f, a, b, c, d, k, t, s)                       \
    do {                                                   \
        (a) += m[k] + (t);                                 \
        (a) += f((b), (c), (d));                           \
        (a) = ((a) << (s) | (a) >> (32 - (s))) + (b);      \
    } while (0)

/* The 64 steps over variables a, b, c, d and message words m[0..15]. */
#define MD5_STEPS                                          \
    STEP(F, a, b, c, d, 0, 0xd76aa478u, 7);                \
    STEP(F, d, a, b, c, 1, 0xe8c7b756u, 12);               \
    STEP(F, c, d, a, b, 2, 0x242070dbu, 17);               \
    STEP(F, b, c, d, a, 3, 0xc1bdceeeu, 22);               \
    STEP(F, a, b, c, d, 4, 0xf57c0fafu, 7);                \
    STEP(F, d, a, b, c, 5, 0x4787c62au, 12);               \
    STEP(F, c, d, a, b, 6, 0xa8304613u, 17);               \
    STEP(F, b, c, d, a, 7, 0xfd469501u, 22);               \
    STEP(F, a, b, c, d, 8, 0x698098d8u, 7);                \
    STEP(F, d, a, b, c, 9, 0x8b44f7afu, 12);               \
    STEP(F, c, d, a, b, 10, 0xffff5bb1u, 17);              \
    STEP(F, b, c, d, a, 11, 0x895cd7beu, 22);              \
    STEP(F, a, b, c, d, 12, 0x6b901122u, 7);               \
    STEP(F, d, a, b, c, 13, 0xfd987193u, 12);              \
    STEP(F, c, d, a, b, 14, 0xa679438eu, 17);              \
    STEP(F, b, c, d, a, 15, 0x49b40821u, 22);              \
    STEP(G, a, b, c, d, 1, 0xf61e2562u, 5);                \
    STEP(G, d, a, b, c, 6, 0xc040b340u, 9);                \
    STEP(G, c, d, a, b, 11, 0x265e5a51u, 14);              \
    STEP(G, b, c, d, a, 0, 0xe9b6c7aau, 20);               \
    STEP(G, a, b, c, d, 5, 0xd62f105du, 5);                \
    STEP(G, d, a, b, c, 10, 0x02441453u, 9);               \
    STEP(G, c, d, a, b, 15, 0xd8a1e681u, 14);              \
    STEP(G, b, c, d, a, 4, 0xe7d3fbc8u, 20);               \
    STEP(G, a, b, c, d, 9, 0x21e1cde6u, 5);                \
    STEP(G, d, a, b, c, 14, 0xc33707d6u, 9);               \
    STEP(G, c, d, a, b, 3, 0xf4d50d87u, 14);               \
    STEP(G, b, c, d, a, 8, 0x455a14edu, 20);               \
    STEP(G, a, b, c, d, 13, 0xa9e3e905u, 5);               \
    STEP(G, d, a, b, c, 2, 0xfcefa3f8u, 9);                \
    STEP(G, c, d, a, b, 7, 0x676f02d9u, 14);               \
    STEP(G, b, c, d, a, 12, 0x8d2a4c8au, 20);              \
    STEP(H, a, b, c, d, 5, 0xfffa3942u, 4);                \
    STEP(H, d, a, b, c, 8, 0x8771f681u, 11);               \
    STEP(H, c, d, a, b, 11, 0x6d9d6122u, 16);              \
    STEP(H, b, c, d, a, 14, 0xfde5380cu, 23);              \
    STEP(H, a, b, c, d, 1, 0xa4beea44u, 4);                \
    STEP(H, d, a, b, c, 4, 0x4bdecfa9u, 11);               \
    STEP(H, c, d, a, b, 7, 0xf6bb4b60u, 16);               \
    STEP(H, b, c, d, a, 10, 0xbebfbc70u, 23);              \
    STEP(H, a, b, c, d, 13, 0x289b7ec6u, 4);               \
    STEP(H, d, a, b, c, 0, 0xeaa127fau, 11);               \
    STEP(H, c, d, a, b, 3, 0xd4ef3085u, 16);               \
    STEP(H, b, c, d, a, 6, 0x04881d05u, 23);               \
    STEP(H, a, b, c, d, 9, 0xd9d4d039u, 4);                \
    STEP(H, d, a, b, c, 12, 0xe6db99e5u, 11);              \
    STEP(H, c, d, a, b, 15, 0x1fa27cf8u, 16);              \
    STEP(H, b, c, d, a, 2, 0xc4ac5665u, 23);               \
    STEP(I, a, b, c, d, 0, 0xf4292244u, 6);                \
    STEP(I, d, a, b, c, 7, 0x432aff97u, 10);               \
    STEP(I, c, d, a, b, 14, 0xab9423a7u, 15);              \
    STEP(I, b, c, d, a, 5, 0xfc93a039u, 21);               \
    STEP(I, a, b, c, d, 12, 0x655b59c3u, 6);               \
    STEP(I, d, a, b, c, 3, 0x8f0ccc92u, 10);               \
    STEP(I, c, d, a, b, 10, 0xffeff47du, 15);              \
    STEP(I, b, c, d, a, 1, 0x85845dd1u, 21);               \
    STEP(I, a, b, c, d, 8, 0x6fa87e4fu, 6);                \
    STEP(I, d, a, b, c, 15, 0xfe2ce6e0u, 10);              \
    STEP(I, c, d, a, b, 6, 0xa3014314u, 15);               \
    STEP(I, b, c, d, a, 13, 0x4e0811a1u, 21);              \
    STEP(I, a, b, c, d, 4, 0xf7537e82u, 6);                \
    STEP(I, d, a, b, c, 11, 0xbd3af235u, 10);              \
    STEP(I, c, d, a, b, 2, 0x2ad7d2bbu, 15);               \
    STEP(I, b, c, d, a, 9, 0xeb86d391u, 21)

#define A0 0x67452301u
#define B0 0xefcdab89u
#define C0 0x98badcfeu
#define D0 0x10325476u

static inline uint32_t le32(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
#else
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
#endif
}

static void compress(uint32_t st[4], const uint8_t blk[64])
{
    uint32_t m[16];
    for (int w = 0; w < 16; w++)
        m[w] = le32(blk + 4 * w);
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
    MD5_STEPS;
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
}

void wf_md5(const void *msg, size_t len, uint32_t state[4])
{
    const uint8_t *p = msg;
    uint8_t tail[128];
    state[0] = A0, state[1] = B0, state[2] = C0, state[3] = D0;
    size_t whole = len / 64;
    for (size_t k = 0; k < whole; k++)
        compress(state, p + 64 * k);
    size_t rest = len - whole * 64, nb = rest <= 55 ? 1 : 2;
    if (rest)
        memcpy(tail, p + whole * 64, rest);
    uint64_t bits = (uint64_t)len * 8; /* the whole message's length */
    tail[rest] = 0x80;
    memset(tail + rest + 1, 0, nb * 64 - 8 - rest - 1);
    for (int i = 0; i < 8; i++)
        tail[nb * 64 - 8 + i] = (uint8_t)(bits >> (8 * i));
    for (size_t k = 0; k < nb; k++)
        compress(state, tail + 64 * k);
}

/* Lower hex of the 4 bytes of w (little-endian, as MD5 lays out its
 * state) as 8 characters in one 64-bit word: the bytes are spread two
 * apart, split into nibbles, and a nibble n becomes '0' + n, plus 39 more
 * ('a' - '0' - 10) where n > 9 - all 8 at once. */
static uint64_t hex8(uint32_t w)
{
    uint64_t x = w;
    x = (x | x << 16) & 0x0000ffff0000ffffULL;
    x = (x | x << 8) & 0x00ff00ff00ff00ffULL;
    uint64_t n = (x >> 4 & 0x000f000f000f000fULL) | (x & 0x000f000f000f000fULL) << 8;
    uint64_t above9 = (n + 0x0606060606060606ULL) >> 4 & 0x0101010101010101ULL;
    return n + 0x3030303030303030ULL + above9 * 39;
}

void wf_md5_hex(const uint32_t state[4], char hex[33])
{
    for (int i = 0; i < 4; i++) {
        uint64_t v = hex8(state[i]);
        memcpy(hex + 8 * i, &v, 8);
    }
    hex[32] = '\0';
}

/* ---- lanes ---------------------------------------------------------------- */

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define WF_MD5_SIMD 1

#include <immintrin.h>

/* The lane functions hash L messages at once. Each block's 16 words are
 * loaded as whole vectors, one or two per message, and transposed in
 * registers into the 16 message-word vectors m[0..15] of the compression
 * (word w of every lane). lanes8 / lanes16: messages of nb blocks, block j
 * of message l at blk + l * stride + j * 64, into st[w][l] (state word w
 * of lane l). The *x2 forms hash two sets of single blocks, each block the
 * XOR of two 64-byte blocks (see wf_md5_xor_x), with the steps of the two
 * compressions interleaved: one compression's steps wait on each other,
 * two keep the vector units busy; they return the A words only. */

/* The rounds over L lanes, from vectors m[16] of message words. */
#define LANES_ROUNDS(vec)                                                      \
    vec a0 = a, b0 = b, c0 = c, d0 = d;                                        \
    MD5_STEPS;                                                                 \
    a += a0;                                                                   \
    b += b0;                                                                   \
    c += c0;                                                                   \
    d += d0

/* One step on two sets of variables (x and x##_2) at once. */
#define STEP2(f, a, b, c, d, k, t, s)                                          \
    do {                                                                       \
        (a) += m[k] + (t);                                                     \
        a##_2 += m_2[k] + (t);                                                 \
        (a) += f((b), (c), (d));                                               \
        a##_2 += f(b##_2, c##_2, d##_2);                                       \
        (a) = ((a) << (s) | (a) >> (32 - (s))) + (b);                          \
        a##_2 = (a##_2 << (s) | a##_2 >> (32 - (s))) + b##_2;                  \
    } while (0)

typedef uint32_t vec8 __attribute__((vector_size(32)));
typedef uint32_t vec16 __attribute__((vector_size(64)));

/* AVX2: rows r[0..7] (words 0-7 of 8 messages, or words 8-15) into
 * m[0..7] of those words. */
__attribute__((target("avx2"), always_inline)) static inline void
transpose8(const __m256i r[8], vec8 m[8])
{
    __m256i t[8], u[8];
    _Pragma("GCC unroll 8")
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm256_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
    }
    /* u[4i + k], 128-bit half q: word 4q + k of messages 4i..4i+3 */
    _Pragma("GCC unroll 8")
    for (int i = 0; i < 2; i++) {
        u[4 * i] = _mm256_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
        u[4 * i + 1] = _mm256_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
        u[4 * i + 2] = _mm256_unpacklo_epi64(t[4 * i + 1], t[4 * i + 3]);
        u[4 * i + 3] = _mm256_unpackhi_epi64(t[4 * i + 1], t[4 * i + 3]);
    }
    _Pragma("GCC unroll 8")
    for (int k = 0; k < 4; k++) {
        m[k] = (vec8)_mm256_permute2x128_si256(u[k], u[4 + k], 0x20);
        m[4 + k] = (vec8)_mm256_permute2x128_si256(u[k], u[4 + k], 0x31);
    }
}

/* AVX-512: rows r[0..15] (the 16 words of 16 messages) into m[0..15]. */
__attribute__((target("avx512f"), always_inline)) static inline void
transpose16(const __m512i r[16], vec16 m[16])
{
    __m512i t[16], u[16];
    _Pragma("GCC unroll 16")
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
    }
    /* u[4i + k], 128-bit quarter q: word 4q + k of messages 4i..4i+3 */
    _Pragma("GCC unroll 16")
    for (int i = 0; i < 4; i++) {
        u[4 * i] = _mm512_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
        u[4 * i + 1] = _mm512_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
        u[4 * i + 2] = _mm512_unpacklo_epi64(t[4 * i + 1], t[4 * i + 3]);
        u[4 * i + 3] = _mm512_unpackhi_epi64(t[4 * i + 1], t[4 * i + 3]);
    }
    /* word 4q + k: quarter q of u[k], u[4 + k], u[8 + k], u[12 + k] */
    _Pragma("GCC unroll 16")
    for (int k = 0; k < 4; k++) {
        __m512i c0 = _mm512_shuffle_i32x4(u[k], u[4 + k], 0x44);
        __m512i c1 = _mm512_shuffle_i32x4(u[k], u[4 + k], 0xee);
        __m512i d0 = _mm512_shuffle_i32x4(u[8 + k], u[12 + k], 0x44);
        __m512i d1 = _mm512_shuffle_i32x4(u[8 + k], u[12 + k], 0xee);
        m[k] = (vec16)_mm512_shuffle_i32x4(c0, d0, 0x88);
        m[4 + k] = (vec16)_mm512_shuffle_i32x4(c0, d0, 0xdd);
        m[8 + k] = (vec16)_mm512_shuffle_i32x4(c1, d1, 0x88);
        m[12 + k] = (vec16)_mm512_shuffle_i32x4(c1, d1, 0xdd);
    }
}

__attribute__((target("avx2"))) static void lanes8(const uint8_t *blk, size_t stride,
                                                    int nb, uint32_t st[4][8])
{
    typedef vec8 vec;
    vec a = (vec){0} + A0, b = (vec){0} + B0, c = (vec){0} + C0, d = (vec){0} + D0;
    for (int j = 0; j < nb; j++) {
        vec m[16];
        _Pragma("GCC unroll 2")
        for (int h = 0; h < 2; h++) {
            __m256i r[8];
            _Pragma("GCC unroll 8")
            for (int l = 0; l < 8; l++)
                r[l] = _mm256_loadu_si256((const __m256i *)(const void *)(
                    blk + (size_t)l * stride + (size_t)j * 64 + (size_t)h * 32));
            transpose8(r, m + 8 * h);
        }
        LANES_ROUNDS(vec);
    }
    memcpy(st[0], &a, sizeof a);
    memcpy(st[1], &b, sizeof b);
    memcpy(st[2], &c, sizeof c);
    memcpy(st[3], &d, sizeof d);
}

__attribute__((target("avx512f"))) static void lanes16(const uint8_t *blk,
                                                        size_t stride, int nb,
                                                        uint32_t st[4][16])
{
    typedef vec16 vec;
    vec a = (vec){0} + A0, b = (vec){0} + B0, c = (vec){0} + C0, d = (vec){0} + D0;
    for (int j = 0; j < nb; j++) {
        __m512i r[16];
        vec m[16];
        _Pragma("GCC unroll 16")
        for (int l = 0; l < 16; l++)
            r[l] = _mm512_loadu_si512((const void *)(blk + (size_t)l * stride +
                                                     (size_t)j * 64));
        transpose16(r, m);
        LANES_ROUNDS(vec);
    }
    memcpy(st[0], &a, sizeof a);
    memcpy(st[1], &b, sizeof b);
    memcpy(st[2], &c, sizeof c);
    memcpy(st[3], &d, sizeof d);
}

#undef STEP
#define STEP STEP2

/* 2 x 8 messages: block l is x[l] ^ y[l]; out[w][l] = its state word w. */
__attribute__((target("avx2"))) static void lanes8x2(const uint8_t *const *x,
                                                      const uint8_t *const *y,
                                                      uint32_t out[4][32])
{
    typedef vec8 vec;
    vec m[16], m_2[16];
    _Pragma("GCC unroll 4")
    for (int q = 0; q < 4; q++) { /* set q / 2, words 8 * (q % 2) .. */
        __m256i r[8];
        size_t h = (size_t)(q % 2) * 32;
        _Pragma("GCC unroll 8")
        for (int l = 0; l < 8; l++) {
            int i = 8 * (q / 2) + l;
            r[l] = _mm256_xor_si256(
                _mm256_loadu_si256((const __m256i *)(const void *)(x[i] + h)),
                _mm256_loadu_si256((const __m256i *)(const void *)(y[i] + h)));
        }
        transpose8(r, (q < 2 ? m : m_2) + 8 * (q % 2));
    }
    vec a = (vec){0} + A0, b = (vec){0} + B0, c = (vec){0} + C0, d = (vec){0} + D0;
    vec a_2 = a, b_2 = b, c_2 = c, d_2 = d;
    MD5_STEPS;
    a += A0, b += B0, c += C0, d += D0;
    a_2 += A0, b_2 += B0, c_2 += C0, d_2 += D0;
    memcpy(out[0], &a, sizeof a);
    memcpy(out[0] + 8, &a_2, sizeof a_2);
    memcpy(out[1], &b, sizeof b);
    memcpy(out[1] + 8, &b_2, sizeof b_2);
    memcpy(out[2], &c, sizeof c);
    memcpy(out[2] + 8, &c_2, sizeof c_2);
    memcpy(out[3], &d, sizeof d);
    memcpy(out[3] + 8, &d_2, sizeof d_2);
}

/* 2 x 16 messages: block l is x[l] ^ y[l]; out[w][l] = its state word w. */
__attribute__((target("avx512f"))) static void lanes16x2(const uint8_t *const *x,
                                                          const uint8_t *const *y,
                                                          uint32_t out[4][32])
{
    typedef vec16 vec;
    vec m[16], m_2[16];
    _Pragma("GCC unroll 2")
    for (int q = 0; q < 2; q++) {
        __m512i r[16];
        _Pragma("GCC unroll 16")
        for (int l = 0; l < 16; l++)
            r[l] = _mm512_xor_si512(_mm512_loadu_si512((const void *)x[16 * q + l]),
                                    _mm512_loadu_si512((const void *)y[16 * q + l]));
        transpose16(r, q ? m_2 : m);
    }
    vec a = (vec){0} + A0, b = (vec){0} + B0, c = (vec){0} + C0, d = (vec){0} + D0;
    vec a_2 = a, b_2 = b, c_2 = c, d_2 = d;
    MD5_STEPS;
    a += A0, b += B0, c += C0, d += D0;
    a_2 += A0, b_2 += B0, c_2 += C0, d_2 += D0;
    memcpy(out[0], &a, sizeof a);
    memcpy(out[0] + 16, &a_2, sizeof a_2);
    memcpy(out[1], &b, sizeof b);
    memcpy(out[1] + 16, &b_2, sizeof b_2);
    memcpy(out[2], &c, sizeof c);
    memcpy(out[2] + 16, &c_2, sizeof c_2);
    memcpy(out[3], &d, sizeof d);
    memcpy(out[3] + 16, &d_2, sizeof d_2);
}

/* ---- blocks that differ only in their first words ------------------------
 *
 * The draws of one stream whose keys have one head length p share every
 * word of their block from word ceil(p / 4) on: the key blocks are zero
 * there but for p in byte 63, and the tail block is one block for all of
 * them. Only the first nw words are lane vectors, loaded 4 words (16
 * bytes) per lane and transposed; every other word is the same in all
 * lanes, so its step adds one constant (the word plus the step's T,
 * computed once per call: ut) broadcast from memory instead of a
 * transposed vector plus T. Only the model's x is returned (A with its
 * bytes swapped, in vector registers), so the last three steps, which
 * only change B, C and D, are left out by the compiler. */

/* STEP for the head kernels: word k of step i_ is lane vectors (k < NW) or
 * the shared ut[i_]; two compressions interleaved as in STEP2. */
#define STEPH(f, a, b, c, d, k, t, s)                                          \
    do {                                                                       \
        if ((k) < NW) {                                                        \
            (a) += m[k] + (t);                                                 \
            a##_2 += m_2[k] + (t);                                             \
        } else {                                                               \
            (a) += ut[i_];                                                     \
            a##_2 += ut[i_];                                                   \
        }                                                                      \
        i_++;                                                                  \
        (a) += f((b), (c), (d));                                               \
        a##_2 += f(b##_2, c##_2, d##_2);                                       \
        (a) = ((a) << (s) | (a) >> (32 - (s))) + (b);                          \
        a##_2 = (a##_2 << (s) | a##_2 >> (32 - (s))) + b##_2;                  \
    } while (0)

#undef STEP
#define STEP STEPH

/* The bytes of every lane swapped: the model's x from the A word. */
#define BSWAP_LANES(v) (((v) << 8 | (v) >> 24) & 0x00ff00ffu) | (((v) >> 8 | (v) << 24) & 0xff00ff00u)

/* The body of head16x2 and head8x2 (vec the L-lane vector type): two
 * groups of L messages, their words XORed with y's, then the first MD5
 * word of each, byte-swapped, to out[0 .. 2L). */
#define HEAD_X2_BODY(words, L)                                                 \
    vec m[16], m_2[16];                                                        \
    _Pragma("GCC unroll 4")                                                    \
    for (int g = 0; g < 4; g++)                                                \
        if (4 * g < NW) {                                                      \
            words(x, g, m + 4 * g);                                            \
            words(x + (L), g, m_2 + 4 * g);                                    \
        }                                                                      \
    _Pragma("GCC unroll 16")                                                   \
    for (int k = 0; k < 16; k++) {                                             \
        if (k < NW) {                                                          \
            m[k] ^= yw[k];                                                     \
            m_2[k] ^= yw[k];                                                   \
        } else { /* not read */                                                \
            m[k] = m_2[k] = (vec){0};                                          \
        }                                                                      \
    }                                                                          \
    vec a = (vec){0} + A0, b = (vec){0} + B0, c = (vec){0} + C0, d = (vec){0} + D0; \
    vec a_2 = a, b_2 = b, c_2 = c, d_2 = d;                                    \
    int i_ = 0;                                                                \
    MD5_STEPS;                                                                 \
    (void)i_, (void)b, (void)b_2, (void)c, (void)c_2, (void)d, (void)d_2;      \
    a += A0;                                                                   \
    a_2 += A0;                                                                 \
    a = BSWAP_LANES(a);                                                        \
    a_2 = BSWAP_LANES(a_2);                                                    \
    memcpy(out, &a, sizeof a);                                                 \
    memcpy(out + (L), &a_2, sizeof a_2)

/* AVX-512, 2 x 16 messages: m[4g .. 4g + 3] = words 4g.. of x[0..15],
 * the lanes' 16-byte rows gathered four to a vector (quarter q of z[j] is
 * message 4q + j) and transposed within quarters. */
__attribute__((target("avx512f"), always_inline)) static inline void
head_words16(const uint8_t *const *x, int g, vec16 m[4])
{
    __m512i z[4], t[4];
    _Pragma("GCC unroll 4")
    for (int j = 0; j < 4; j++) {
        const uint8_t *r0 = x[j] + 16 * g, *r1 = x[4 + j] + 16 * g;
        const uint8_t *r2 = x[8 + j] + 16 * g, *r3 = x[12 + j] + 16 * g;
        z[j] = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *)(const void *)r0));
        z[j] = _mm512_inserti32x4(z[j], _mm_loadu_si128((const __m128i *)(const void *)r1), 1);
        z[j] = _mm512_inserti32x4(z[j], _mm_loadu_si128((const __m128i *)(const void *)r2), 2);
        z[j] = _mm512_inserti32x4(z[j], _mm_loadu_si128((const __m128i *)(const void *)r3), 3);
    }
    t[0] = _mm512_unpacklo_epi32(z[0], z[1]);
    t[1] = _mm512_unpackhi_epi32(z[0], z[1]);
    t[2] = _mm512_unpacklo_epi32(z[2], z[3]);
    t[3] = _mm512_unpackhi_epi32(z[2], z[3]);
    m[0] = (vec16)_mm512_unpacklo_epi64(t[0], t[2]);
    m[1] = (vec16)_mm512_unpackhi_epi64(t[0], t[2]);
    m[2] = (vec16)_mm512_unpacklo_epi64(t[1], t[3]);
    m[3] = (vec16)_mm512_unpackhi_epi64(t[1], t[3]);
}

/* out[0..32) = x of the blocks x[l] ^ y (y's words yw); words NW..15 of
 * every x[l] are those of x[0] (yw, ut: wf_md5_head). */
__attribute__((target("avx512f"), always_inline)) static inline void
head16x2(const uint8_t *const *x, const uint32_t yw[16], const uint32_t ut[64],
         const int NW, uint32_t *out)
{
    typedef vec16 vec;
    HEAD_X2_BODY(head_words16, 16);
}

/* AVX2, 2 x 8 messages: as head_words16 with halves (half h of z[j] is
 * message 4h + j). */
__attribute__((target("avx2"), always_inline)) static inline void
head_words8(const uint8_t *const *x, int g, vec8 m[4])
{
    __m256i z[4], t[4];
    _Pragma("GCC unroll 4")
    for (int j = 0; j < 4; j++) {
        const uint8_t *r0 = x[j] + 16 * g, *r1 = x[4 + j] + 16 * g;
        z[j] = _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)r0));
        z[j] = _mm256_inserti128_si256(z[j], _mm_loadu_si128((const __m128i *)(const void *)r1), 1);
    }
    t[0] = _mm256_unpacklo_epi32(z[0], z[1]);
    t[1] = _mm256_unpackhi_epi32(z[0], z[1]);
    t[2] = _mm256_unpacklo_epi32(z[2], z[3]);
    t[3] = _mm256_unpackhi_epi32(z[2], z[3]);
    m[0] = (vec8)_mm256_unpacklo_epi64(t[0], t[2]);
    m[1] = (vec8)_mm256_unpackhi_epi64(t[0], t[2]);
    m[2] = (vec8)_mm256_unpacklo_epi64(t[1], t[3]);
    m[3] = (vec8)_mm256_unpackhi_epi64(t[1], t[3]);
}

/* out[0..16) = x of the blocks x[l] ^ y, as head16x2. */
__attribute__((target("avx2"), always_inline)) static inline void
head8x2(const uint8_t *const *x, const uint32_t yw[16], const uint32_t ut[64],
        const int NW, uint32_t *out)
{
    typedef vec8 vec;
    HEAD_X2_BODY(head_words8, 8);
}

/* One function per head width in words: exact for heads of 9 to 24 bytes
 * (a seed and an employee or hire id: each lane word costs its transpose
 * and one more add in each of its 4 steps), then 8 and 12; a narrower head
 * rounds up to the next, a wider one takes the XOR kernel's general path.
 * About 6 KB of code each at 16 lanes, 5 KB at 8. */
#define HEAD_WIDTHS(X) X(3) X(4) X(5) X(6) X(8) X(12)
#define HEAD_FN(nw)                                                            \
    __attribute__((target("avx512f"))) static void head16x2_##nw(              \
        const uint8_t *const *x, const uint32_t yw[16], const uint32_t ut[64],  \
        uint32_t *out)                                                         \
    {                                                                          \
        head16x2(x, yw, ut, nw, out);                                          \
    }                                                                          \
    __attribute__((target("avx2"))) static void head8x2_##nw(                  \
        const uint8_t *const *x, const uint32_t yw[16], const uint32_t ut[64],  \
        uint32_t *out)                                                         \
    {                                                                          \
        head8x2(x, yw, ut, nw, out);                                           \
    }
HEAD_WIDTHS(HEAD_FN)
#undef HEAD_FN

typedef void head_fn(const uint8_t *const *x, const uint32_t yw[16],
                     const uint32_t ut[64], uint32_t *out);

/* The kernel for nw words at `lanes` lanes, NULL past the widest. */
static head_fn *head_kernel(int lanes, int nw)
{
#define HEAD_PICK(w)                                                           \
    if (nw <= (w))                                                             \
        return lanes == 16 ? head16x2_##w : head8x2_##w;
    HEAD_WIDTHS(HEAD_PICK)
#undef HEAD_PICK
    return NULL;
}

#undef STEP
#define STEP(f, a, b, c, d, k, t, s)                       \
    do {                                                   \
        (a) += m[k] + (t);                                 \
        (a) += f((b), (c), (d));                           \
        (a) = ((a) << (s) | (a) >> (32 - (s))) + (b);      \
    } while (0)
#endif

static int g_lanes; /* 0 until chosen */

static int cpu_lanes(void)
{
#ifdef WF_MD5_SIMD
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return 16;
    if (__builtin_cpu_supports("avx2"))
        return 8;
#endif
    return 1;
}

int wf_md5_lanes(void)
{
    int n = __atomic_load_n(&g_lanes, __ATOMIC_RELAXED);
    if (n == 0) {
        n = cpu_lanes();
        __atomic_store_n(&g_lanes, n, __ATOMIC_RELAXED);
    }
    return n;
}

int wf_md5_set_lanes(int lanes)
{
    int best = cpu_lanes();
    int n = lanes >= 16 ? 16 : lanes >= 8 ? 8 : 1;
    if (n > best)
        n = best;
    __atomic_store_n(&g_lanes, n, __ATOMIC_RELAXED);
    return n;
}

/* Messages staged for one lane compression: all of nb blocks. */
typedef struct group {
    uint8_t blk[WF_MD5_LANES_MAX * 128];
    size_t who[WF_MD5_LANES_MAX];
    int n;
} group;

/* One lane compression of `lanes` messages (see lanes8, lanes16). */
static void lanes_run(int lanes, const uint8_t *blk, size_t stride, int nb,
                      uint32_t st[4][WF_MD5_LANES_MAX])
{
#ifdef WF_MD5_SIMD
    if (lanes == 16) {
        lanes16(blk, stride, nb, st);
    } else {
        uint32_t s8[4][8];
        lanes8(blk, stride, nb, s8);
        for (int w = 0; w < 4; w++)
            memcpy(st[w], s8[w], sizeof s8[w]);
    }
#else
    (void)lanes, (void)blk, (void)stride, (void)nb, (void)st;
#endif
}

static void run_group(group *g, int nb, int lanes, uint32_t (*state)[4])
{
    uint32_t st[4][WF_MD5_LANES_MAX];
    if (g->n == 0)
        return;
    if (g->n < lanes) /* defined bytes in the unused lanes */
        memset(g->blk + (size_t)g->n * (size_t)nb * 64, 0,
               (size_t)(lanes - g->n) * (size_t)nb * 64);
    lanes_run(lanes, g->blk, (size_t)nb * 64, nb, st);
    for (int l = 0; l < g->n; l++)
        for (int w = 0; w < 4; w++)
            state[g->who[l]][w] = st[w][l];
    g->n = 0;
}

void wf_md5_many(const char *const *msg, const size_t *len, size_t n,
                 uint32_t (*state)[4])
{
    int lanes = wf_md5_lanes();
    if (lanes == 1) {
        for (size_t k = 0; k < n; k++)
            wf_md5(msg[k], len[k], state[k]);
        return;
    }
    group g[2];
    g[0].n = g[1].n = 0;
    for (size_t k = 0; k < n; k++) {
        if (len[k] > WF_MD5_BATCH_BYTES) {
            wf_md5(msg[k], len[k], state[k]);
            continue;
        }
        int nb = len[k] <= 55 ? 1 : 2;
        group *gr = &g[nb - 1];
        uint8_t *p = gr->blk + (size_t)gr->n * (size_t)nb * 64;
        /* Fixed-size clears are a few vector stores; then the message, the
         * 0x80 byte and the bit length (MD5's padding). */
        if (nb == 1)
            memset(p, 0, 64);
        else
            memset(p, 0, 128);
        memcpy(p, msg[k], len[k]);
        p[len[k]] = 0x80;
        uint64_t bits = (uint64_t)len[k] * 8;
        for (int i = 0; i < 8; i++)
            p[(size_t)nb * 64 - 8 + (size_t)i] = (uint8_t)(bits >> (8 * i));
        gr->who[gr->n++] = k;
        if (gr->n == lanes)
            run_group(gr, nb, lanes, state);
    }
    run_group(&g[0], 1, lanes, state);
    run_group(&g[1], 2, lanes, state);
}

/* ---- single blocks made of two halves ------------------------------------- */

static inline uint32_t bswap32(uint32_t a)
{
    return (a & 0xffu) << 24 | (a & 0xff00u) << 8 | (a >> 8 & 0xff00u) | a >> 24;
}

/* The state of the block x ^ y, by the scalar compression. */
static void xor_scalar(const uint8_t *x, const uint8_t *y, uint32_t st[4])
{
    uint8_t blk[64];
    for (int i = 0; i < 64; i++)
        blk[i] = x[i] ^ y[i];
    st[0] = A0, st[1] = B0, st[2] = C0, st[3] = D0;
    compress(st, blk);
}

/* out[k] = the model's x (x_only) or, into state[k], the whole state of
 * the block x[k] ^ y[k]. */
static void xor_run(const uint8_t *const *x, const uint8_t *const *y, size_t n,
                    uint32_t *out, uint32_t (*state)[4])
{
    size_t k = 0;
    uint32_t st[4][32];
#define XOR_PUT(at, l)                                                         \
    do {                                                                       \
        if (out)                                                               \
            out[at] = bswap32(st[0][l]);                                       \
        else                                                                   \
            for (int w_ = 0; w_ < 4; w_++)                                     \
                state[at][w_] = st[w_][l];                                     \
    } while (0)
#ifdef WF_MD5_SIMD
    static const uint8_t zero[64];
    int lanes = wf_md5_lanes();
    const uint8_t *px[32], *py[32];
    if (lanes == 16)
        for (; n - k >= 32; k += 32) {
            lanes16x2(x + k, y + k, st);
            for (int l = 0; l < 32; l++)
                XOR_PUT(k + (size_t)l, l);
        }
    if (lanes >= 8) /* and what 16 lanes left over */
        for (; n - k >= 16; k += 16) {
            lanes8x2(x + k, y + k, st);
            for (int l = 0; l < 16; l++)
                XOR_PUT(k + (size_t)l, l);
        }
    /* A short rest fills a lane group with zero blocks when that costs
     * less than hashing it one by one (a group of 32 on 16 lanes takes
     * about as long as 3 scalar blocks, a group of 16 on 8 lanes about 6). */
    size_t r = n - k;
    if (r && lanes >= 8 && r >= (lanes == 16 ? 3u : 6u)) {
        size_t g = lanes == 16 && r > 16 ? 32 : 16;
        for (size_t l = 0; l < g; l++) {
            px[l] = l < r ? x[k + l] : zero;
            py[l] = l < r ? y[k + l] : zero;
        }
        if (g == 32)
            lanes16x2(px, py, st);
        else
            lanes8x2(px, py, st);
        for (size_t l = 0; l < r; l++)
            XOR_PUT(k + l, l);
        k = n;
    }
#endif
    for (; k < n; k++) {
        uint32_t one[4];
        xor_scalar(x[k], y[k], one);
        for (int w = 0; w < 4; w++)
            st[w][0] = one[w];
        XOR_PUT(k, 0);
    }
#undef XOR_PUT
}

void wf_md5_xor_x(const uint8_t *const *x, const uint8_t *const *y, size_t n,
                  uint32_t *out)
{
    xor_run(x, y, n, out, NULL);
}

void wf_md5_xor(const uint8_t *const *x, const uint8_t *const *y, size_t n,
                uint32_t (*state)[4])
{
    xor_run(x, y, n, NULL, state);
}

void wf_md5_head_init(wf_md5_head *h, const uint8_t *x0, const uint8_t *y, int nw)
{
    uint32_t m[16];
    int i_ = 0;
    h->y = y;
    h->nw = nw;
    for (int w = 0; w < 16; w++) {
        h->yw[w] = le32(y + 4 * w);
        m[w] = le32(x0 + 4 * w) ^ h->yw[w];
    }
#undef STEP
#define STEP(f, a, b, c, d, k, t, s) h->ut[i_++] = m[k] + (t)
    MD5_STEPS;
#undef STEP
}

void wf_md5_xor_x_head(const wf_md5_head *h, const uint8_t *const *x, size_t n,
                       uint32_t *out)
{
    size_t k = 0;
#ifdef WF_MD5_SIMD
    int lanes = wf_md5_lanes();
    head_fn *fn = lanes >= 8 && n ? head_kernel(lanes, h->nw) : NULL;
    if (fn) {
        size_t g = lanes == 16 ? 32 : 16;
        for (; n - k >= g; k += g)
            fn(x + k, h->yw, h->ut, out + k);
        /* The rest as in xor_run, its unused lanes copies of x[0]. */
        size_t r = n - k;
        if (r >= (lanes == 16 ? 3u : 6u)) {
            const uint8_t *px[32];
            uint32_t o[32];
            for (size_t l = 0; l < g; l++)
                px[l] = x[l < r ? k + l : 0];
            fn(px, h->yw, h->ut, o);
            memcpy(out + k, o, r * sizeof *o);
            k = n;
        }
    } else if (lanes >= 8) { /* wider heads: the general kernel */
        const uint8_t *ys[64];
        for (int l = 0; l < 64; l++)
            ys[l] = h->y;
        for (; k < n; k += 64)
            xor_run(x + k, ys, n - k < 64 ? n - k : 64, out + k, NULL);
    }
#endif
    for (; k < n; k++) {
        uint32_t st[4];
        xor_scalar(x[k], h->y, st);
        out[k] = bswap32(st[0]);
    }
}
