/*
 * rng.c - keyed draws: MD5 of the key text, first four bytes (see rng.h).
 *
 * Almost every key ("{seed}|{id}|{year}|{stream}") fits in one MD5 block
 * (at most 55 bytes of message). For those, the block is padded here and
 * run through one MD5 compression written from RFC 1321, and only the
 * first state word is kept: that skips the buffering and bookkeeping of a
 * general MD5 interface. Longer keys (long ids with a long seed) go through
 * nettle's MD5, which is also the oracle the tests compare the one-block
 * path with. Keys are assembled on the stack, so a draw never allocates.
 * wf_rng_x_batch is the one loop a multi-lane MD5 would replace.
 */
#include "rng.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <nettle/md5.h>

const char *const wf_stream_names[WF_STREAM_COUNT] = {
#define X(name, text) text,
    WF_STREAMS(X)
#undef X
};

void wf_rng_stream_init(wf_rng_stream *s, int64_t seed, int year,
                        wf_stream stream)
{
    int h = snprintf(s->head, sizeof s->head, "%lld|", (long long)seed);
    int t = snprintf(s->tail, sizeof s->tail, "|%d|%s", year,
                     wf_stream_names[stream]);
    assert(h > 0 && (size_t)h < sizeof s->head);
    assert(t > 0 && (size_t)t < sizeof s->tail);
    s->head_len = (unsigned char)h;
    s->tail_len = (unsigned char)t;
}

/* RFC 1321's four auxiliary functions and one step; the constants are
 * T[i] = floor(2^32 * |sin(i + 1)|), written out in the steps below. */
#define F(x, y, z) (((x) & (y)) | (~(x) & (z)))
#define G(x, y, z) (((x) & (z)) | ((y) & ~(z)))
#define H(x, y, z) ((x) ^ (y) ^ (z))
#define I(x, y, z) ((y) ^ ((x) | ~(z)))
#define STEP(f, a, b, c, d, w, t, s)                       \
    do {                                                   \
        (a) += f((b), (c), (d)) + (w) + (t);               \
        (a) = ((a) << (s) | (a) >> (32 - (s))) + (b);      \
    } while (0)

/* Pads a message of len <= 55 bytes already at the start of blk. */
static void pad_block(unsigned char blk[64], size_t len)
{
    uint64_t bits = (uint64_t)len * 8;
    blk[len] = 0x80;
    memset(blk + len + 1, 0, 56 - len - 1);
    for (int i = 0; i < 8; i++)
        blk[56 + i] = (unsigned char)(bits >> (8 * i));
}

/* The first digest word (as x, big-endian) of one padded block. */
static uint32_t md5_block_x(const unsigned char blk[64])
{
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)blk[4 * i] | (uint32_t)blk[4 * i + 1] << 8 |
               (uint32_t)blk[4 * i + 2] << 16 | (uint32_t)blk[4 * i + 3] << 24;
    uint32_t a = 0x67452301u, b = 0xefcdab89u, c = 0x98badcfeu, d = 0x10325476u;
    STEP(F, a, b, c, d, m[0], 0xd76aa478u, 7);
    STEP(F, d, a, b, c, m[1], 0xe8c7b756u, 12);
    STEP(F, c, d, a, b, m[2], 0x242070dbu, 17);
    STEP(F, b, c, d, a, m[3], 0xc1bdceeeu, 22);
    STEP(F, a, b, c, d, m[4], 0xf57c0fafu, 7);
    STEP(F, d, a, b, c, m[5], 0x4787c62au, 12);
    STEP(F, c, d, a, b, m[6], 0xa8304613u, 17);
    STEP(F, b, c, d, a, m[7], 0xfd469501u, 22);
    STEP(F, a, b, c, d, m[8], 0x698098d8u, 7);
    STEP(F, d, a, b, c, m[9], 0x8b44f7afu, 12);
    STEP(F, c, d, a, b, m[10], 0xffff5bb1u, 17);
    STEP(F, b, c, d, a, m[11], 0x895cd7beu, 22);
    STEP(F, a, b, c, d, m[12], 0x6b901122u, 7);
    STEP(F, d, a, b, c, m[13], 0xfd987193u, 12);
    STEP(F, c, d, a, b, m[14], 0xa679438eu, 17);
    STEP(F, b, c, d, a, m[15], 0x49b40821u, 22);
    STEP(G, a, b, c, d, m[1], 0xf61e2562u, 5);
    STEP(G, d, a, b, c, m[6], 0xc040b340u, 9);
    STEP(G, c, d, a, b, m[11], 0x265e5a51u, 14);
    STEP(G, b, c, d, a, m[0], 0xe9b6c7aau, 20);
    STEP(G, a, b, c, d, m[5], 0xd62f105du, 5);
    STEP(G, d, a, b, c, m[10], 0x02441453u, 9);
    STEP(G, c, d, a, b, m[15], 0xd8a1e681u, 14);
    STEP(G, b, c, d, a, m[4], 0xe7d3fbc8u, 20);
    STEP(G, a, b, c, d, m[9], 0x21e1cde6u, 5);
    STEP(G, d, a, b, c, m[14], 0xc33707d6u, 9);
    STEP(G, c, d, a, b, m[3], 0xf4d50d87u, 14);
    STEP(G, b, c, d, a, m[8], 0x455a14edu, 20);
    STEP(G, a, b, c, d, m[13], 0xa9e3e905u, 5);
    STEP(G, d, a, b, c, m[2], 0xfcefa3f8u, 9);
    STEP(G, c, d, a, b, m[7], 0x676f02d9u, 14);
    STEP(G, b, c, d, a, m[12], 0x8d2a4c8au, 20);
    STEP(H, a, b, c, d, m[5], 0xfffa3942u, 4);
    STEP(H, d, a, b, c, m[8], 0x8771f681u, 11);
    STEP(H, c, d, a, b, m[11], 0x6d9d6122u, 16);
    STEP(H, b, c, d, a, m[14], 0xfde5380cu, 23);
    STEP(H, a, b, c, d, m[1], 0xa4beea44u, 4);
    STEP(H, d, a, b, c, m[4], 0x4bdecfa9u, 11);
    STEP(H, c, d, a, b, m[7], 0xf6bb4b60u, 16);
    STEP(H, b, c, d, a, m[10], 0xbebfbc70u, 23);
    STEP(H, a, b, c, d, m[13], 0x289b7ec6u, 4);
    STEP(H, d, a, b, c, m[0], 0xeaa127fau, 11);
    STEP(H, c, d, a, b, m[3], 0xd4ef3085u, 16);
    STEP(H, b, c, d, a, m[6], 0x04881d05u, 23);
    STEP(H, a, b, c, d, m[9], 0xd9d4d039u, 4);
    STEP(H, d, a, b, c, m[12], 0xe6db99e5u, 11);
    STEP(H, c, d, a, b, m[15], 0x1fa27cf8u, 16);
    STEP(H, b, c, d, a, m[2], 0xc4ac5665u, 23);
    STEP(I, a, b, c, d, m[0], 0xf4292244u, 6);
    STEP(I, d, a, b, c, m[7], 0x432aff97u, 10);
    STEP(I, c, d, a, b, m[14], 0xab9423a7u, 15);
    STEP(I, b, c, d, a, m[5], 0xfc93a039u, 21);
    STEP(I, a, b, c, d, m[12], 0x655b59c3u, 6);
    STEP(I, d, a, b, c, m[3], 0x8f0ccc92u, 10);
    STEP(I, c, d, a, b, m[10], 0xffeff47du, 15);
    STEP(I, b, c, d, a, m[1], 0x85845dd1u, 21);
    STEP(I, a, b, c, d, m[8], 0x6fa87e4fu, 6);
    STEP(I, d, a, b, c, m[15], 0xfe2ce6e0u, 10);
    STEP(I, c, d, a, b, m[6], 0xa3014314u, 15);
    STEP(I, b, c, d, a, m[13], 0x4e0811a1u, 21);
    STEP(I, a, b, c, d, m[4], 0xf7537e82u, 6);
    STEP(I, d, a, b, c, m[11], 0xbd3af235u, 10);
    STEP(I, c, d, a, b, m[2], 0x2ad7d2bbu, 15);
    STEP(I, b, c, d, a, m[9], 0xeb86d391u, 21);
    a += 0x67452301u;
    return (a & 0xffu) << 24 | (a & 0xff00u) << 8 | (a >> 8 & 0xff00u) | a >> 24;
}

uint32_t wf_rng_key_x_nettle(const char *key, size_t len)
{
    struct md5_ctx ctx;
    uint8_t digest[MD5_DIGEST_SIZE];
    md5_init(&ctx);
    md5_update(&ctx, len, (const uint8_t *)key);
    md5_digest(&ctx, sizeof digest, digest);
    return (uint32_t)digest[0] << 24 | (uint32_t)digest[1] << 16 |
           (uint32_t)digest[2] << 8 | (uint32_t)digest[3];
}

uint32_t wf_rng_key_x(const char *key, size_t len)
{
    unsigned char blk[64];
    if (len > 55)
        return wf_rng_key_x_nettle(key, len);
    memcpy(blk, key, len);
    pad_block(blk, len);
    return md5_block_x(blk);
}

uint32_t wf_rng_x(const wf_rng_stream *s, const char *entity, size_t len)
{
    size_t n = s->head_len + len + s->tail_len;
    assert(len <= WF_RNG_ENTITY_MAX);
    if (n <= 55) {
        /* The common case: the key is assembled in the block itself. */
        unsigned char blk[64];
        memcpy(blk, s->head, s->head_len);
        memcpy(blk + s->head_len, entity, len);
        memcpy(blk + s->head_len + len, s->tail, s->tail_len);
        pad_block(blk, n);
        return md5_block_x(blk);
    }
    char key[sizeof s->head + WF_RNG_ENTITY_MAX + sizeof s->tail];
    memcpy(key, s->head, s->head_len);
    memcpy(key + s->head_len, entity, len);
    memcpy(key + s->head_len + len, s->tail, s->tail_len);
    return wf_rng_key_x_nettle(key, n);
}

void wf_rng_x_batch(const wf_rng_stream *s, const char *const *ids,
                    const uint8_t *lens, const uint32_t *idx, size_t n,
                    uint32_t *out)
{
    for (size_t k = 0; k < n; k++) {
        size_t j = idx ? idx[k] : k;
        out[k] = wf_rng_x(s, ids[j], lens ? lens[j] : strlen(ids[j]));
    }
}
