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
