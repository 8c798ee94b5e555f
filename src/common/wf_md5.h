/*
 * wf_md5.h - MD5 (RFC 1321) for the short texts of the model: the keys of
 * the draws (docs/model.md 1) and the event ids (docs/model.md 5.1).
 *
 * Both hash millions of keys of a few dozen bytes, so the cost is the
 * compression function, not buffering. wf_md5 hashes one message of any
 * length on the calling thread. wf_md5_many hashes a batch: messages of one
 * or two blocks (at most 119 bytes) are padded into lanes and compressed
 * 16 (AVX-512) or 8 (AVX2) at a time with one SIMD instruction stream,
 * chosen once at run time from what the CPU supports; longer messages and
 * CPUs without AVX2 take the scalar path. wf_md5_xor_x is the draws'
 * kernel: one-block messages given as two 64-byte halves to XOR, two lane
 * groups compressed at once. Blocks are loaded whole and transposed in
 * registers. Every path gives the same digest (tests/c/test_perf_md5.c
 * checks each level against nettle).
 *
 * Digests are returned as the four MD5 state words (A, B, C, D): the digest
 * bytes are those words in little-endian order, and the model's draw x is
 * A with its bytes swapped (wf_md5_x).
 *
 * Thread safety: every function is reentrant and allocates nothing; the
 * implementation choice is made once (racing first calls agree).
 */
#ifndef WF_MD5_H
#define WF_MD5_H

#include <stddef.h>
#include <stdint.h>

#define WF_MD5_LANES_MAX 16
#define WF_MD5_BATCH_BYTES 119 /* longest message of the lane path */

/* The state words of the MD5 of len bytes at msg. */
void wf_md5(const void *msg, size_t len, uint32_t state[4]);

/* state[k] = the MD5 of msg[k][0 .. len[k]) for k < n. No allocation. */
void wf_md5_many(const char *const *msg, const size_t *len, size_t n,
                 uint32_t (*state)[4]);

/* The draws' kernel: out[k] = the model's x (wf_md5_x) of the MD5 of the
 * one-block message whose padded 64-byte block (the message, 0x80, zeros,
 * the bit length little-endian in bytes 56..63) is x[k] XOR y[k]. The
 * draws keep each entity's key head as one block and each stream's tail,
 * padding and length as another (rng.h), so a key is never assembled:
 * both are loaded, XORed and transposed in registers. Groups of 32 (16
 * lanes) or 16 (8 lanes) go through the SIMD lanes, the rest one by one. */
void wf_md5_xor_x(const uint8_t *const *x, const uint8_t *const *y, size_t n,
                  uint32_t *out);
/* The same when every block has one second half y and the x[k] differ
 * only in their first nw words (1..16): bytes 4 * nw .. 63 of every x[k]
 * are those of x0. The draws of one stream whose keys have one head
 * length (rng.c): only those words are loaded and transposed, the others
 * are one constant for all lanes (a kernel each for 3, 4, 5, 6, 8 and 12
 * words, a narrower head taking the next; wider heads take
 * wf_md5_xor_x's). wf_md5_head holds what the
 * blocks share (y's words, and for each of the 64 steps the shared word it
 * reads plus the step's constant), made once by wf_md5_head_init for any
 * number of calls; y must outlive it. */
typedef struct wf_md5_head {
    uint32_t yw[16], ut[64];
    const uint8_t *y;
    int nw;
} wf_md5_head;
void wf_md5_head_init(wf_md5_head *h, const uint8_t *x0, const uint8_t *y, int nw);
void wf_md5_xor_x_head(const wf_md5_head *h, const uint8_t *const *x, size_t n,
                       uint32_t *out);
/* The same with the whole state: state[k] = the MD5 of that message (the
 * event ids). */
void wf_md5_xor(const uint8_t *const *x, const uint8_t *const *y, size_t n,
                uint32_t (*state)[4]);

/* The first four digest bytes read big-endian (the model's x). */
static inline uint32_t wf_md5_x(const uint32_t state[4])
{
    uint32_t a = state[0];
    return (a & 0xffu) << 24 | (a & 0xff00u) << 8 | (a >> 8 & 0xff00u) | a >> 24;
}

/* The 32 lower-case hex digits of a digest, plus a NUL (33 bytes). */
void wf_md5_hex(const uint32_t state[4], char hex[33]);

/* Lanes wf_md5_many uses: 16, 8 or 1 (scalar). */
int wf_md5_lanes(void);

/* Tests and benchmarks: use at most `lanes` lanes (1, 8 or 16; clamped to
 * what the CPU supports); returns the lanes now in use. Not thread-safe
 * against concurrent hashing. */
int wf_md5_set_lanes(int lanes);

#endif
