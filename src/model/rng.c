/*
 * rng.c - keyed draws: MD5 of the key text, first four bytes (see rng.h).
 *
 * The hashing is the project's MD5 (src/common/wf_md5.h): one key at a
 * time for wf_rng_x; for wf_rng_x_batch GROUP keys at a time through
 * the multi-lane path (16 or 8 keys per SIMD compression); for
 * wf_rng_x_keys GROUP pairs of blocks (the entity's key block and the
 * stream's tail block for its length) through wf_md5_xor_x, or, when all
 * keys of a group have one head length, the key blocks and that length's
 * one tail block through wf_md5_xor_x_head. nettle's MD5
 * stays as the oracle the tests compare with (wf_rng_key_x_nettle). Keys
 * are assembled on the stack, so a draw never allocates.
 */
#include "rng.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <nettle/md5.h>

#include "wf_md5.h"

/* Keys of one batch are hashed GROUP at a time (a multiple of the lanes). */
#define GROUP 64
#define KEY_MAX (sizeof ((wf_rng_stream *)0)->head + WF_RNG_ENTITY_MAX + \
                 sizeof ((wf_rng_stream *)0)->tail)

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
    memset(s->tail_blk, 0, sizeof s->tail_blk);
    for (size_t p = 0; p + (size_t)t <= 55; p++) {
        uint8_t *b = s->tail_blk[p];
        memcpy(b + p, s->tail, (size_t)t);
        b[p + (size_t)t] = 0x80;
        uint64_t bits = (uint64_t)(p + (size_t)t) * 8;
        for (int i = 0; i < 8; i++)
            b[56 + i] = (uint8_t)(bits >> (8 * i));
        b[63] ^= (uint8_t)p;
    }
}

/* The longest "{seed}|{entity}" a key block takes (a one-block key has
 * at most 55 bytes, and every tail has more than one). Whether a draw's
 * whole key fits is decided per stream, in wf_rng_x_keys. */
#define KEY_PREFIX_MAX 54

void wf_rng_key_init(wf_rng_key *k, const wf_rng_stream *s, const char *entity,
                     size_t len)
{
    assert(len <= WF_RNG_ENTITY_MAX);
    memset(k->b, 0, sizeof k->b);
    size_t p = s->head_len + len;
    if (p > KEY_PREFIX_MAX)
        return; /* byte 63 stays 0 */
    memcpy(k->b, s->head, s->head_len);
    memcpy(k->b + s->head_len, entity, len);
    k->b[63] = (uint8_t)p;
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
    uint32_t st[4];
    wf_md5(key, len, st);
    return wf_md5_x(st);
}

/* Assembles "{head}{entity}{tail}" into key; returns its length. */
static size_t make_key(const wf_rng_stream *s, const char *entity, size_t len,
                       char *key)
{
    assert(len <= WF_RNG_ENTITY_MAX);
    /* Whole arrays for head and tail: fixed-size copies are a few moves;
     * key has room for them (KEY_MAX). */
    memcpy(key, s->head, sizeof s->head);
    memcpy(key + s->head_len, entity, len);
    memcpy(key + s->head_len + len, s->tail, sizeof s->tail);
    return s->head_len + len + s->tail_len;
}

uint32_t wf_rng_x(const wf_rng_stream *s, const char *entity, size_t len)
{
    char key[KEY_MAX];
    uint32_t st[4];
    wf_md5(key, make_key(s, entity, len, key), st);
    return wf_md5_x(st);
}

void wf_rng_x_batch(const wf_rng_stream *s, const char *const *ids,
                    const uint8_t *lens, const uint32_t *idx, size_t n,
                    uint32_t *out)
{
    char keys[GROUP][KEY_MAX];
    const char *msg[GROUP];
    size_t klen[GROUP];
    uint32_t st[GROUP][4];
    for (size_t g = 0; g < n; g += GROUP) {
        size_t m = n - g < GROUP ? n - g : GROUP;
        for (size_t k = 0; k < m; k++) {
            size_t j = idx ? idx[g + k] : g + k;
            klen[k] = make_key(s, ids[j], lens ? lens[j] : strlen(ids[j]), keys[k]);
            msg[k] = keys[k];
        }
        wf_md5_many(msg, klen, m, st);
        for (size_t k = 0; k < m; k++)
            out[g + k] = wf_md5_x(st[k]);
    }
}

/* wf_rng_x_keys: GROUP keys at a time, as pairs of blocks for
 * wf_md5_xor_x, or for wf_md5_xor_x_head when all of the group's keys
 * have one head length (the usual case: the first pass only gathers the
 * key blocks and compares their lengths); a key longer than one block
 * hashes a zero block there and is keyed from its text after. */
void wf_rng_x_keys(const wf_rng_stream *s, const wf_rng_key *keys,
                   const char *const *ids, const uint8_t *lens,
                   const uint32_t *idx, size_t n, uint32_t *out)
{
    static const uint8_t zero[64];
    const uint8_t *kb[GROUP], *tb[GROUP];
    uint32_t slow[GROUP]; /* positions in the group keyed from the text */
    const size_t tail = s->tail_len;
    wf_md5_head head;
    unsigned head_p = 0; /* the length head is for (0: none yet) */
    for (size_t g = 0; g < n; g += GROUP) {
        size_t m = n - g < GROUP ? n - g : GROUP, ns = 0;
        unsigned differ = 0, p0 = keys[idx ? idx[g] : g].b[63];
        if (idx)
            for (size_t k = 0; k < m; k++) {
                kb[k] = keys[idx[g + k]].b;
                differ |= kb[k][63] ^ p0;
            }
        else
            for (size_t k = 0; k < m; k++) {
                kb[k] = keys[g + k].b;
                differ |= kb[k][63] ^ p0;
            }
        /* One head length p0: the blocks agree from word ceil(p0 / 4) on
         * (what they share is worked out once per length in a call). */
        if (!differ && p0 != 0 && p0 + tail <= 55) {
            if (p0 != head_p) {
                wf_md5_head_init(&head, kb[0], s->tail_blk[p0], (int)(p0 + 3) / 4);
                head_p = p0;
            }
            wf_md5_xor_x_head(&head, kb, m, out + g);
            continue;
        }
        for (size_t k = 0; k < m; k++) {
            size_t p = kb[k][63];
            tb[k] = s->tail_blk[p];
            if (p == 0 || p + tail > 55) { /* not one block */
                slow[ns++] = (uint32_t)k;
                kb[k] = tb[k] = zero;
            }
        }
        wf_md5_xor_x(kb, tb, m, out + g);
        for (size_t q = 0; q < ns; q++) {
            size_t k = slow[q], j = idx ? idx[g + k] : g + k;
            out[g + k] = wf_rng_x(s, ids[j], lens ? lens[j] : strlen(ids[j]));
        }
    }
}
