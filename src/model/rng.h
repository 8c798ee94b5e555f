/*
 * rng.h - keyed draws (docs/model.md 1).
 *
 * Every random number of the model is a pure function of the text key
 * "{seed}|{entity}|{year}|{stream}": x is the first four bytes of the key's
 * MD5 read big-endian, u = x / 2^32 and pick(n) = (x * n) >> 32. There is no
 * generator state, so draws can be computed in any order, on any thread.
 *
 * The hashing sits behind three functions: wf_rng_x for one entity,
 * wf_rng_x_batch for many entities of one stream from their id texts
 * (through wf_md5_many), and wf_rng_x_keys, the simulation's, for many
 * entities from their key blocks (wf_rng_key, built once per entity): a
 * key is then the XOR of the entity's block and the stream's tail block,
 * hashed by wf_md5_xor_x (2 x 16 lanes AVX-512, 2 x 8 AVX2, or scalar)
 * without being assembled (wf_md5_xor_x_head for a group whose keys have
 * one head length: only the head's words differ between lanes). All give the same x for the same key text. A
 * wf_rng_stream holds the key's constant parts for one (seed, year,
 * stream); it is immutable after wf_rng_stream_init and may be shared
 * between threads. Nothing here
 * counts draws or keeps any other state: the simulation tallies the draws
 * it uses (wf_sim_sink.draws), away from the hashing.
 */
#ifndef WF_RNG_H
#define WF_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "wf_schema.h"

/* The streams, WF_STREAMS(X), are declared in wf_schema.h. */
typedef enum wf_stream {
#define X(name, text) WF_STREAM_##name,
    WF_STREAMS(X)
#undef X
    WF_STREAM_COUNT
} wf_stream;

extern const char *const wf_stream_names[WF_STREAM_COUNT];

/* The constant parts of the keys of one (seed, year, stream). */
typedef struct wf_rng_stream {
    char head[24];          /* "{seed}|" */
    char tail[48];          /* "|{year}|{stream}" */
    unsigned char head_len, tail_len;
    /* tail_blk[p]: the rest of a one-block key whose "{seed}|{entity}"
     * has p bytes, to be XORed with that entity's key block (wf_rng_key):
     * zeros, the tail at byte p, 0x80, zeros, the key's bit length in
     * bytes 56..63, and p XORed into byte 63 (which cancels the length
     * the key block keeps there). Set for p + tail_len <= 55. */
    uint8_t tail_blk[56][64];
} wf_rng_stream;

/* An entity's key block: "{seed}|{entity}" at the start of a zeroed
 * 64-byte MD5 block and its length p in byte 63, built once per entity
 * (wf_rng_key_init). A draw's padded MD5 block is this block XORed with
 * its stream's tail_blk[p] ("|{year}|{stream}", the 0x80 byte and the bit
 * length), so a key is never assembled in memory: wf_md5_xor_x loads
 * both, XORs and transposes them in registers. Length 0 in byte 63: "{seed}|{entity}" is longer than 54 bytes.
 * A draw whose whole key is longer than 55 bytes (one block) is keyed from
 * the entity text instead, with the same result. */
typedef struct wf_rng_key {
    uint8_t b[64];
} wf_rng_key;

/* Longest entity the key buffers accept (employee ids are at most 64). */
#define WF_RNG_ENTITY_MAX 64

void wf_rng_stream_init(wf_rng_stream *s, int64_t seed, int year,
                        wf_stream stream);

/* The key block of entity (len bytes, at most WF_RNG_ENTITY_MAX) for the
 * seed of s (any stream and year of that seed). */
void wf_rng_key_init(wf_rng_key *k, const wf_rng_stream *s, const char *entity,
                     size_t len);

/* x for n entities of one stream, from their key blocks: out[k] = wf_rng_x(s,
 * ids[j], lens[j]) with j = idx[k], or j = k when idx is NULL. keys[j] must
 * be wf_rng_key_init(a stream of s's seed, ids[j], lens[j]); ids and lens serve the
 * keys longer than one block. Thread-safe; no allocation. */
void wf_rng_x_keys(const wf_rng_stream *s, const wf_rng_key *keys,
                   const char *const *ids, const uint8_t *lens,
                   const uint32_t *idx, size_t n, uint32_t *out);

/* x of an arbitrary key text (used by the test vectors). */
uint32_t wf_rng_key_x(const char *key, size_t len);
/* The same through nettle's general MD5: the oracle of the fast path. */
uint32_t wf_rng_key_x_nettle(const char *key, size_t len);

/* x of (stream, entity); entity is at most WF_RNG_ENTITY_MAX bytes. */
uint32_t wf_rng_x(const wf_rng_stream *s, const char *entity, size_t len);

/* x for n entities of one stream: out[k] = wf_rng_x(s, ids[j], lens[j])
 * with j = idx[k], or j = k when idx is NULL; lens NULL means strlen.
 * Thread-safe; no allocation. This is the shape a multi-lane MD5 fills. */
void wf_rng_x_batch(const wf_rng_stream *s, const char *const *ids,
                    const uint8_t *lens, const uint32_t *idx, size_t n,
                    uint32_t *out);


/* u = x / 2^32, exact in a double. */
static inline double wf_rng_u(uint32_t x)
{
    return (double)x / 4294967296.0;
}

/* pick(n) = (x * n) >> 32 for 1 <= n <= 2^31. */
static inline uint32_t wf_rng_pick(uint32_t x, uint32_t n)
{
    return (uint32_t)(((uint64_t)x * n) >> 32);
}

#endif
