/*
 * rng.c - keyed draws: MD5 of the key text, first four bytes (see rng.h).
 *
 * The scalar path uses nettle's MD5. Keys are assembled on the stack from
 * the stream's constant head and tail around the entity, so a draw never
 * allocates. wf_rng_x_batch is the one loop a vectorised MD5 would replace.
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

uint32_t wf_rng_key_x(const char *key, size_t len)
{
    struct md5_ctx ctx;
    uint8_t digest[MD5_DIGEST_SIZE];
    md5_init(&ctx);
    md5_update(&ctx, len, (const uint8_t *)key);
    md5_digest(&ctx, sizeof digest, digest);
    return (uint32_t)digest[0] << 24 | (uint32_t)digest[1] << 16 |
           (uint32_t)digest[2] << 8 | (uint32_t)digest[3];
}

uint32_t wf_rng_x(const wf_rng_stream *s, const char *entity, size_t len)
{
    char key[sizeof s->head + WF_RNG_ENTITY_MAX + sizeof s->tail];
    assert(len <= WF_RNG_ENTITY_MAX);
    memcpy(key, s->head, s->head_len);
    memcpy(key + s->head_len, entity, len);
    memcpy(key + s->head_len + len, s->tail, s->tail_len);
    return wf_rng_key_x(key, s->head_len + len + s->tail_len);
}

void wf_rng_x_batch(const wf_rng_stream *s, const char *const *ids,
                    const uint32_t *idx, size_t n, uint32_t *out)
{
    for (size_t i = 0; i < n; i++) {
        const char *id = ids[idx ? idx[i] : i];
        out[i] = wf_rng_x(s, id, strlen(id));
    }
}
