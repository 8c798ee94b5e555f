/*
 * test_perf_md5.c - the project's MD5 (wf_md5.h) against nettle's, on
 * every implementation this CPU has (scalar, 8 and 16 lanes), for every
 * length from 0 to 300 bytes, random bytes, mixed lengths in one batch (the
 * lane path groups one- and two-block messages and sends longer ones to
 * the scalar path), batches that do not fill the last lane group, and the
 * keyed draws and event ids built on it.
 */
#include <nettle/md5.h>
#include <stdio.h>
#include <stdlib.h>

#include "rng.h"
#include "wf_md5.h"
#include "wf_table_writer.h"
#include "wf_test.h"

static void nettle_state(const void *msg, size_t len, uint32_t st[4])
{
    struct md5_ctx c;
    uint8_t d[16];
    md5_init(&c);
    md5_update(&c, len, msg);
    md5_digest(&c, sizeof d, d);
    for (int w = 0; w < 4; w++)
        st[w] = (uint32_t)d[4 * w] | (uint32_t)d[4 * w + 1] << 8 |
                (uint32_t)d[4 * w + 2] << 16 | (uint32_t)d[4 * w + 3] << 24;
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

#define N 700

/* Every length 0..299 plus random lengths, in a shuffled order. */
static int check_lanes(int want, uint64_t seed, int *lanes_used)
{
    static char data[N][320];
    static const char *msg[N];
    static size_t len[N];
    static uint32_t got[N][4];
    uint64_t s = seed | 1;
    for (int k = 0; k < N; k++) {
        len[k] = k < 300 ? (size_t)k : (size_t)(next(&s) % 320);
        for (size_t b = 0; b < len[k]; b++)
            data[k][b] = (char)next(&s);
        msg[k] = data[k];
    }
    *lanes_used = wf_md5_set_lanes(want);
    int bad = 0;
    /* Batches of every size 1..37 cover partial lane groups. */
    for (size_t at = 0, step = 1; at < N; at += step, step = step % 37 + 1) {
        size_t n = N - at < step ? N - at : step;
        wf_md5_many(msg + at, len + at, n, got + at);
    }
    for (int k = 0; k < N; k++) {
        uint32_t want_st[4], one[4];
        nettle_state(msg[k], len[k], want_st);
        wf_md5(msg[k], len[k], one);
        if (memcmp(want_st, got[k], 16) != 0 || memcmp(want_st, one, 16) != 0)
            bad++;
    }
    return bad;
}

TEST(perf_md5_all_lanes_match_nettle)
{
    uint64_t seed = wf_test_seed(20261124);
    wf_test_note("seed %llu (replay with WF_TEST_SEED)", (unsigned long long)seed);
    int before = wf_md5_lanes();
    for (int want = 1; want <= 16; want *= 2) {
        int used;
        int bad = check_lanes(want, seed + (uint64_t)want, &used);
        wf_test_note("lanes %d (asked %d): %d mismatches", used, want, bad);
        ASSERT_EQ(bad, 0);
        ASSERT_TRUE(used <= want || used == 1);
    }
    ASSERT_EQ(wf_md5_set_lanes(before), before);
}

TEST(perf_md5_hex_and_x)
{
    uint32_t st[4];
    char hex[33];
    wf_md5("abc", 3, st); /* RFC 1321 A.5 */
    wf_md5_hex(st, hex);
    ASSERT_STREQ(hex, "900150983cd24fb0d6963f7d28e17f72");
    ASSERT_UEQ(wf_md5_x(st), 0x90015098u);
    wf_md5("", 0, st);
    wf_md5_hex(st, hex);
    ASSERT_STREQ(hex, "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(perf_md5_hex_matches_printf_on_every_byte)
{
    /* wf_md5_hex converts 4 bytes at a time with arithmetic: every byte
     * value in every position against printf */
    for (uint32_t b = 0; b < 256; b++) {
        uint32_t st[4] = {b, b << 8 | 0x5a, b << 16 | 0xa5a5, b << 24 | 0x0f0f0f};
        char hex[33], want[33];
        wf_md5_hex(st, hex);
        for (int i = 0; i < 16; i++)
            snprintf(want + 2 * i, 3, "%02x", st[i / 4] >> (8 * (i % 4)) & 0xffu);
        ASSERT_STREQ(hex, want);
    }
}

TEST(perf_md5_draw_batch_matches_nettle_on_every_lane_count)
{
    enum { M = 1000 };
    static char ids[M][70];
    static const char *p[M];
    static uint8_t lens[M];
    static uint32_t x[M], idx[M];
    for (int k = 0; k < M; k++) {
        /* ids of 1 to 64 bytes: keys of one block, two blocks and longer */
        int n = snprintf(ids[k], sizeof ids[k], "E%d", k);
        while (n < 1 + k % 64)
            ids[k][n++] = (char)('a' + k % 26);
        ids[k][n] = '\0';
        p[k] = ids[k];
        lens[k] = (uint8_t)n;
        idx[k] = (uint32_t)(M - 1 - k);
    }
    int before = wf_md5_lanes();
    const long long seeds[] = {42, -1234567890123LL};
    for (int want = 1; want <= 16; want *= 2) {
        wf_md5_set_lanes(want);
        for (int si = 0; si < 2; si++) {
            wf_rng_stream s;
            wf_rng_stream_init(&s, seeds[si], 2031, WF_STREAM_NEW_HIRE_TERMINATION_DATE);
            wf_rng_x_batch(&s, p, lens, idx, M, x);
            for (int k = 0; k < M; k++) {
                char key[200];
                int n = snprintf(key, sizeof key, "%lld|%s|2031|new_hire_termination_date",
                                 seeds[si], ids[idx[k]]);
                ASSERT_UEQ(x[k], wf_rng_key_x_nettle(key, (size_t)n));
                ASSERT_UEQ(wf_rng_x(&s, ids[idx[k]], lens[idx[k]]), x[k]);
            }
        }
    }
    wf_md5_set_lanes(before);
}

TEST(perf_md5_event_id_matches_nettle)
{
    const char *emp[] = {"E1", "NH_2025_000001",
                         "a-very-long-employee-identifier-of-sixty-four-bytes-0123456789ab"};
    const char *age[] = {"<25"}, *ten[] = {"<2"};
    wf_event_batch b = {.year = 2027, .emp_ids = emp, .age_band_labels = age,
                        .tenure_band_labels = ten, .scenario_id = "baseline",
                        .plan_design_id = "standard_401k", .random_seed = 42};
    for (int e = 0; e < 3; e++)
        for (int t = 0; t < WF_EV_COUNT; t++) {
            wf_event ev = {.emp = (uint32_t)e, .type = (uint8_t)t};
            char key[300], hex[33], want[33];
            int n = snprintf(key, sizeof key, "baseline|standard_401k|42|%s|2027|%s",
                             emp[e], wf_event_type_names[t]);
            uint32_t st[4];
            nettle_state(key, (size_t)n, st);
            wf_md5_hex(st, want);
            wf_event_id(&b, &ev, hex);
            ASSERT_STREQ(hex, want);
        }
}

/* The padded block of a message of len <= 55 bytes. */
static void pad_block(const uint8_t *msg, size_t len, uint8_t blk[64])
{
    memset(blk, 0, 64);
    memcpy(blk, msg, len);
    blk[len] = 0x80;
    for (int i = 0; i < 8; i++)
        blk[56 + i] = (uint8_t)((uint64_t)len * 8 >> (8 * i));
}

TEST(perf_md5_xor_kernel_matches_nettle_on_every_level_and_count)
{
    /* wf_md5_xor_x and wf_md5_xor: every one-block length 0..55, random bytes split at
     * random into two XORed halves, batches of every size 1..70 (full
     * groups of 32 and 16, and every rest), at every SIMD level */
    enum { M = 600 };
    static uint8_t msg[M][56], xs[M][64], ys[M][64];
    static const uint8_t *px[M], *py[M];
    static size_t len[M];
    static uint32_t got[M], want[M], got_st[M][4], want_st[M][4];
    uint64_t s = wf_test_seed(20261205) | 1;
    wf_test_note("seed %llu (replay with WF_TEST_SEED)", (unsigned long long)s);
    for (int k = 0; k < M; k++) {
        len[k] = k < 56 ? (size_t)k : (size_t)(next(&s) % 56);
        for (size_t b = 0; b < len[k]; b++)
            msg[k][b] = (uint8_t)next(&s);
        uint8_t blk[64];
        pad_block(msg[k], len[k], blk);
        for (int b = 0; b < 64; b++) {
            xs[k][b] = (uint8_t)next(&s);
            ys[k][b] = blk[b] ^ xs[k][b];
        }
        px[k] = xs[k];
        py[k] = ys[k];
        nettle_state(msg[k], len[k], want_st[k]);
        want[k] = wf_md5_x(want_st[k]);
    }
    int before = wf_md5_lanes();
    static const int levels[] = {1, 8, 16}; /* scalar, AVX2, AVX-512 */
    for (int v = 0; v < 3; v++) {
        int lv = levels[v], used = wf_md5_set_lanes(lv);
        if (used != lv) {
            wf_test_note("level %d: not on this CPU (using %d)", lv, used);
            continue;
        }
        int bad = 0;
        memset(got, 0, sizeof got);
        memset(got_st, 0, sizeof got_st);
        for (size_t at = 0, step = 1; at < M; at += step, step = step % 70 + 1) {
            size_t n = M - at < step ? M - at : step;
            wf_md5_xor_x(px + at, py + at, n, got + at);
            wf_md5_xor(px + at, py + at, n, got_st + at); /* the whole state */
        }
        for (int k = 0; k < M; k++)
            bad += got[k] != want[k] || memcmp(got_st[k], want_st[k], 16) != 0;
        wf_test_note("level %d: %d mismatches", used, bad);
        ASSERT_EQ(bad, 0);
    }
    wf_md5_set_lanes(before);
}

TEST(perf_md5_key_block_draws_match_nettle_on_every_level)
{
    /* wf_rng_x_keys: ids of 1..64 bytes with short and 19-digit seeds, so
     * keys of one block (prefixes of every length) and of two or more
     * (keyed from the text), in batches of every size 1..80 through idx, at
     * every SIMD level, on the longest and the shortest stream name */
    enum { M = 900 };
    static char ids[M][70];
    static const char *p[M];
    static uint8_t lens[M];
    static wf_rng_key keys[M];
    static uint32_t x[M], idx[M];
    for (int k = 0; k < M; k++) {
        int n = snprintf(ids[k], sizeof ids[k], "E%d", k);
        while (n < 1 + k % 64)
            ids[k][n++] = (char)('a' + k % 26);
        ids[k][n] = '\0';
        p[k] = ids[k];
        lens[k] = (uint8_t)n;
        idx[k] = (uint32_t)((k * 7919) % M);
    }
    const long long seeds[] = {7, 9223372036854775807LL};
    const wf_stream streams[] = {WF_STREAM_NEW_HIRE_TERMINATION_DATE, WF_STREAM_MERIT};
    int before = wf_md5_lanes();
    static const int levels[] = {1, 8, 16}; /* scalar, AVX2, AVX-512 */
    for (int v = 0; v < 3; v++) {
        int lv = levels[v], used = wf_md5_set_lanes(lv);
        if (used != lv)
            continue; /* not on this CPU */
        int bad = 0, slow = 0;
        for (int si = 0; si < 2; si++)
            for (int st = 0; st < 2; st++) {
                wf_rng_stream s;
                wf_rng_stream_init(&s, seeds[si], 2034, streams[st]);
                for (int k = 0; k < M; k++)
                    wf_rng_key_init(&keys[k], &s, ids[k], lens[k]);
                memset(x, 0, sizeof x);
                for (size_t at = 0, step = 1; at < M; at += step, step = step % 80 + 1) {
                    size_t n = M - at < step ? M - at : step;
                    wf_rng_x_keys(&s, keys, p, lens, idx + at, n, x + at);
                }
                for (int k = 0; k < M; k++) {
                    char key[200];
                    int n = snprintf(key, sizeof key, "%lld|%s|2034|%s", seeds[si],
                                     ids[idx[k]], wf_stream_names[streams[st]]);
                    bad += x[k] != wf_rng_key_x_nettle(key, (size_t)n);
                    slow += n > 55;
                }
                /* without idx: the rows in order */
                wf_rng_x_keys(&s, keys, p, lens, NULL, M, x);
                for (int k = 0; k < M; k++)
                    bad += x[k] != wf_rng_x(&s, ids[k], lens[k]);
            }
        wf_test_note("level %d: %d mismatches (%d keys of two blocks or more)", used,
                     bad, slow);
        ASSERT_EQ(bad, 0);
        ASSERT_TRUE(slow > 0 && slow < 4 * M);
    }
    wf_md5_set_lanes(before);
}

TEST(perf_md5_head_kernel_matches_the_xor_kernel_on_every_level_width_and_count)
{
    /* wf_md5_xor_x_head (wf_rng_x_keys' path when a group's keys have one
     * head length): blocks equal to x[0] from word nw on, random before,
     * XORed with one random y; every nw 1..16 (each head kernel, the
     * rounding up between them, the general kernel past them) and batches
     * of every size 1..70, at every SIMD level */
    enum { M = 400 };
    static uint8_t xs[M][64], y[64];
    static const uint8_t *px[M], *py[M];
    static uint32_t got[M], want[M];
    uint64_t s = wf_test_seed(20261206) | 1;
    wf_test_note("seed %llu (replay with WF_TEST_SEED)", (unsigned long long)s);
    int before = wf_md5_lanes();
    static const int levels[] = {1, 8, 16}; /* scalar, AVX2, AVX-512 */
    for (int nw = 1; nw <= 16; nw++) {
        for (int b = 0; b < 64; b++)
            y[b] = (uint8_t)next(&s);
        for (int k = 0; k < M; k++) {
            for (int b = 0; b < 64; b++)
                xs[k][b] = k == 0 || b < 4 * nw ? (uint8_t)next(&s) : xs[0][b];
            px[k] = xs[k];
            py[k] = y;
        }
        /* the reference: the scalar XOR kernel, checked against nettle
         * above (any 64 bytes are a block to the compression) */
        wf_md5_set_lanes(1);
        wf_md5_xor_x(px, py, M, want);
        for (int v = 0; v < 3; v++) {
            int lv = levels[v], used = wf_md5_set_lanes(lv);
            if (used != lv)
                continue;
            int bad = 0;
            memset(got, 0, sizeof got);
            wf_md5_head h;
            wf_md5_head_init(&h, xs[0], y, nw);
            for (size_t at = 0, step = 1; at < M; at += step, step = step % 70 + 1) {
                size_t n = M - at < step ? M - at : step;
                wf_md5_xor_x_head(&h, px + at, n, got + at);
            }
            for (int k = 0; k < M; k++)
                bad += got[k] != want[k];
            if (bad)
                wf_test_note("level %d, nw %d: %d mismatches", used, nw, bad);
            ASSERT_EQ(bad, 0);
        }
    }
    wf_md5_set_lanes(before);
}

TEST(perf_md5_one_length_key_draws_match_nettle_on_every_level)
{
    /* wf_rng_x_keys on ids of one length per run (the census's and the
     * hires' ids: groups of one head length take wf_md5_xor_x_head), for
     * every length 1..50 with a short and a long seed (heads of every
     * width, one block and not), runs of 100 ids then a run of the next
     * length (groups across the change take the general kernel), in
     * batches of every size 1..80, in order and through idx */
    enum { R = 100, L = 50, M = R * L };
    static char ids[M][56];
    static const char *p[M];
    static uint8_t lens[M];
    static wf_rng_key keys[M];
    static uint32_t x[M], idx[M];
    for (int k = 0; k < M; k++) {
        int n = 1 + k / R;
        for (int c = 0; c < n; c++)
            ids[k][c] = (char)('A' + (k * 31 + c * 7) % 26);
        ids[k][n] = '\0';
        p[k] = ids[k];
        lens[k] = (uint8_t)n;
        idx[k] = (uint32_t)(k < M / 2 ? k : (k * 7919) % M); /* in order, then not */
    }
    const long long seeds[] = {7, 9223372036854775807LL};
    int before = wf_md5_lanes();
    static const int levels[] = {1, 8, 16};
    for (int v = 0; v < 3; v++) {
        int lv = levels[v], used = wf_md5_set_lanes(lv);
        if (used != lv)
            continue;
        int bad = 0;
        for (int si = 0; si < 2; si++) {
            wf_rng_stream s;
            wf_rng_stream_init(&s, seeds[si], 2027, WF_STREAM_TERMINATION);
            for (int k = 0; k < M; k++)
                wf_rng_key_init(&keys[k], &s, ids[k], lens[k]);
            for (int pass = 0; pass < 2; pass++) {
                const uint32_t *ix = pass ? idx : NULL;
                memset(x, 0, sizeof x);
                for (size_t at = 0, step = 1; at < M; at += step, step = step % 80 + 1) {
                    size_t n = M - at < step ? M - at : step;
                    if (ix)
                        wf_rng_x_keys(&s, keys, p, lens, ix + at, n, x + at);
                    else
                        wf_rng_x_keys(&s, keys + at, p + at, lens + at, NULL, n, x + at);
                }
                for (int k = 0; k < M; k++) {
                    char key[120];
                    int j = ix ? (int)ix[k] : k;
                    int n = snprintf(key, sizeof key, "%lld|%s|2027|termination",
                                     seeds[si], ids[j]);
                    bad += x[k] != wf_rng_key_x_nettle(key, (size_t)n);
                }
            }
        }
        wf_test_note("level %d: %d mismatches", used, bad);
        ASSERT_EQ(bad, 0);
    }
    wf_md5_set_lanes(before);
}

TEST(perf_md5_event_id_batches_match_one_by_one_on_every_level)
{
    /* wf_event_ids (the id column's path: key heads XORed with tail blocks
     * for keys of one block, assembled keys otherwise) against wf_event_id
     * and nettle, employees with 1 to 3 events and ids of 1 to 64 bytes,
     * every event type, short and long scenario ids, at every level */
    enum { E = 700 };
    static char ids[E][70];
    static const char *emp[E];
    static wf_event ev[E];
    static char hex[E * 32];
    size_t nev = 0;
    for (int k = 0; k < E && nev < E; k++) {
        int n = snprintf(ids[k], sizeof ids[k], "E%d", k);
        while (n < 1 + k % 64)
            ids[k][n++] = (char)('a' + k % 26);
        ids[k][n] = '\0';
        emp[k] = ids[k];
        for (int e = 0; e <= k % 3 && nev < E; e++)
            ev[nev++] = (wf_event){.emp = (uint32_t)k,
                                   .type = (uint8_t)((k + e) % WF_EV_COUNT)};
    }
    const char *age[] = {"<25"}, *ten[] = {"<2"};
    const char *scen[] = {"s", "a-scenario-id-of-some-length"};
    int before = wf_md5_lanes();
    static const int levels[] = {1, 8, 16};
    for (int v = 0; v < 3; v++) {
        if (wf_md5_set_lanes(levels[v]) != levels[v])
            continue;
        for (int si = 0; si < 2; si++) {
            wf_event_batch b = {.year = 2031, .emp_ids = emp, .age_band_labels = age,
                                .tenure_band_labels = ten, .scenario_id = scen[si],
                                .plan_design_id = "p1", .random_seed = 123456789};
            int bad = 0;
            for (size_t at = 0, step = 1; at < nev; at += step, step = step % 90 + 1) {
                size_t n = nev - at < step ? nev - at : step;
                ASSERT_TRUE(wf_event_ids(&b, ev + at, n, hex + 32 * at));
            }
            for (size_t i = 0; i < nev; i++) {
                char one[33], key[300];
                wf_event_id(&b, &ev[i], one);
                int n = snprintf(key, sizeof key, "%s|p1|123456789|%s|2031|%s", scen[si],
                                 emp[ev[i].emp], wf_event_type_names[ev[i].type]);
                uint32_t st[4];
                char want[33];
                nettle_state(key, (size_t)n, st);
                wf_md5_hex(st, want);
                bad += memcmp(hex + 32 * i, want, 32) != 0 || strcmp(one, want) != 0;
            }
            wf_test_note("level %d, scenario %s: %d mismatches", levels[v], scen[si], bad);
            ASSERT_EQ(bad, 0);
        }
    }
    wf_md5_set_lanes(before);
}
