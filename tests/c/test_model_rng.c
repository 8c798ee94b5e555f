/*
 * test_model_rng.c - keyed draws (rng.h) against tests/vectors/rng.csv and
 * workforce needs (needs.h) against tests/vectors/workforce_needs.csv,
 * plus hand-computed needs for a shrinking and an empty workforce.
 */
#include "wf_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "needs.h"
#include "rng.h"

/* Splits line (without newline) into at most max fields from the right, so
 * that the first field may hold anything; returns the field count. */
static int split_right(char *line, char **f, int max)
{
    int n = 0;
    char *end = line + strlen(line);
    while (n < max - 1) {
        char *c = end;
        while (c > line && c[-1] != ',')
            c--;
        if (c == line)
            break;
        c[-1] = '\0';
        f[max - 1 - n++] = c;
        end = c - 1;
    }
    f[max - 1 - n] = line;
    n++;
    memmove(f, f + (max - n), (size_t)n * sizeof *f);
    return n;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

TEST(model_rng_vectors)
{
    FILE *fp = fopen(wf_test_vector("rng.csv"), "r");
    char line[512];
    int rows = 0;
    ASSERT_TRUE(fp != NULL);
    ASSERT_TRUE(fgets(line, sizeof line, fp) != NULL); /* header */
    while (fgets(line, sizeof line, fp)) {
        char *f[5];
        chomp(line);
        if (split_right(line, f, 5) != 5) {
            fclose(fp);
            ASSERT_TRUE(0);
        }
        uint32_t x = wf_rng_key_x(f[0], strlen(f[0]));
        unsigned long long want_x = strtoull(f[1], NULL, 10);
        double want_u = strtod(f[2], NULL);
        if (x != want_x || wf_rng_u(x) != want_u ||
            wf_rng_pick(x, 365) != strtoul(f[3], NULL, 10) ||
            wf_rng_pick(x, 1000) != strtoul(f[4], NULL, 10)) {
            wf_test_fail(__FILE__, __LINE__, "key \"%s\": x %u", f[0], x);
            fclose(fp);
            return;
        }
        rows++;
    }
    fclose(fp);
    ASSERT_EQ(rows, 60);
}

TEST(model_rng_stream_key_layout)
{
    /* "42|EMP_000001|2025|termination" is a row of rng.csv. */
    wf_rng_stream s;
    wf_rng_stream_init(&s, 42, 2025, WF_STREAM_TERMINATION);
    ASSERT_UEQ(wf_rng_x(&s, "EMP_000001", 10), 2462227004u);
    const char *ids[3] = {"EMP_000001", "x", "EMP_000001"};
    uint32_t idx[2] = {2, 1}, out[2];
    wf_rng_x_batch(&s, ids, NULL, idx, 2, out);
    ASSERT_UEQ(out[0], 2462227004u);
    ASSERT_UEQ(out[1], wf_rng_key_x("42|x|2025|termination", 21));
    uint8_t lens[3] = {10, 1, 3}; /* lengths may cut an id short */
    uint32_t all[3];
    wf_rng_x_batch(&s, ids, lens, NULL, 3, all);
    ASSERT_UEQ(all[0], 2462227004u);
    ASSERT_UEQ(all[1], out[1]);
    ASSERT_UEQ(all[2], wf_rng_key_x("42|EMP|2025|termination", 23));
    /* Largest seed and a 64-character id fit the key buffers. */
    char id[65];
    memset(id, 'A', 64);
    id[64] = '\0';
    char key[200];
    int n = snprintf(key, sizeof key, "9223372036854775807|%s|2200|new_hire_termination_date", id);
    wf_rng_stream_init(&s, INT64_MAX, 2200, WF_STREAM_NEW_HIRE_TERMINATION_DATE);
    ASSERT_UEQ(wf_rng_x(&s, id, 64), wf_rng_key_x(key, (size_t)n));
}

TEST(model_rng_pick_bounds)
{
    ASSERT_UEQ(wf_rng_pick(0xffffffffu, 365), 364);
    ASSERT_UEQ(wf_rng_pick(0, 365), 0);
    ASSERT_UEQ(wf_rng_pick(0xffffffffu, 2147483648u), 2147483647u);
    ASSERT_DEQ(wf_rng_u(0x80000000u), 0.5);
}

TEST(model_needs_vectors)
{
    FILE *fp = fopen(wf_test_vector("workforce_needs.csv"), "r");
    char line[512];
    int rows = 0;
    ASSERT_TRUE(fp != NULL);
    ASSERT_TRUE(fgets(line, sizeof line, fp) != NULL);
    while (fgets(line, sizeof line, fp)) {
        long long v[12];
        char *p = line;
        for (int i = 0; i < 12; i++) {
            v[i] = strtoll(p, &p, 10);
            if (*p == ',')
                p++;
        }
        wf_needs o = wf_needs_compute(v[0], v[1], v[2], v[3], v[4], v[5]);
        if (o.target != v[6] || o.Q != v[7] || o.Te != v[8] || o.net != v[9] ||
            o.H != v[10] || o.Tnh != v[11]) {
            wf_test_fail(__FILE__, __LINE__,
                         "row %d: got %lld %lld %lld %lld %lld %lld", rows + 2,
                         (long long)o.target, (long long)o.Q, (long long)o.Te,
                         (long long)o.net, (long long)o.H, (long long)o.Tnh);
            fclose(fp);
            return;
        }
        rows++;
    }
    fclose(fp);
    ASSERT_TRUE(rows >= 10);
}

TEST(model_needs_by_hand)
{
    /* Empty workforce: nothing at all. */
    wf_needs o = wf_needs_compute(0, 0, 0, 30000, 120000, 250000);
    ASSERT_EQ(o.target, 0);
    ASSERT_EQ(o.H, 0);
    ASSERT_EQ(o.Te, 0);
    /* Growth: N=100, P=20, R=2, g=3%, te=12%, tnh=25%.
     * target = floor((100*1030000+500000)/1e6) = 103; Q = floor((80*120000 +
     * 20*250000)/1e6) = floor(14.6) = 14; Te = 12; net = 103-(100-2-12) = 17;
     * H = ceil(17e6/750000) = ceil(22.67) = 23; Tnh = 6. */
    o = wf_needs_compute(100, 20, 2, 30000, 120000, 250000);
    ASSERT_EQ(o.target, 103);
    ASSERT_EQ(o.Q, 14);
    ASSERT_EQ(o.Te, 12);
    ASSERT_EQ(o.net, 17);
    ASSERT_EQ(o.H, 23);
    ASSERT_EQ(o.Tnh, 6);
    /* Shrinking by half: N=10, P=0, R=1, g=-50%, te=10%.
     * target = floor((10*500000+500000)/1e6) = 5; Q = 1; Te = 0;
     * net = 5-(10-1-0) = -4; Te = min(9, 0+4) = 4; H = Tnh = 0. */
    o = wf_needs_compute(10, 0, 1, -500000, 100000, 250000);
    ASSERT_EQ(o.target, 5);
    ASSERT_EQ(o.Q, 1);
    ASSERT_EQ(o.net, -4);
    ASSERT_EQ(o.Te, 4);
    ASSERT_EQ(o.H, 0);
    ASSERT_EQ(o.Tnh, 0);
    /* Shrinking past the retirements: Te capped at N - R. */
    o = wf_needs_compute(10, 0, 9, -999999, 0, 0);
    ASSERT_EQ(o.target, 0);
    ASSERT_EQ(o.Te, 1);
    /* Big values do not overflow 64 bits in the products. */
    /* N * (1e6 + g) = 4e12 * 1000999999 is about 4e21 > 2^63. */
    o = wf_needs_compute(INT64_C(4000000000000), 0, 0, 999999999, 0, 500000);
    ASSERT_EQ(o.target, INT64_C(4003999996000000));
    ASSERT_EQ(o.net, INT64_C(3999999996000000));
    ASSERT_EQ(o.H, INT64_C(7999999992000000));
    ASSERT_EQ(o.Tnh, INT64_C(3999999996000000));
}

TEST(model_rng_one_block_matches_nettle)
{
    /* Every key length from 0 to 130 (one and two MD5 blocks, both sides
     * of the 55/56-byte padding edge), random bytes from a seeded LCG. */
    uint64_t s = wf_test_seed(7);
    char key[131];
    for (int round = 0; round < 20; round++)
        for (size_t len = 0; len <= 130; len++) {
            for (size_t i = 0; i < len; i++) {
                s = s * 6364136223846793005ull + 1442695040888963407ull;
                key[i] = (char)(s >> 56);
            }
            if (wf_rng_key_x(key, len) != wf_rng_key_x_nettle(key, len)) {
                wf_test_fail(__FILE__, __LINE__, "length %zu round %d", len, round);
                return;
            }
        }
}
