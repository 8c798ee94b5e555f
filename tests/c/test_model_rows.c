/*
 * test_model_rows.c - the workforce's column moves (sim_rows.c).
 *
 * wf_sim_rows_keep and wf_sim_rows_merge move whole columns at a time; they
 * must leave the rows exactly as moving one row at a time with
 * wf_sim_rows_copy does. Checked on random rows, random drops and hires
 * that interleave with the rows (ids that sort before, between and after
 * the existing ones), not only the usual case of hires sorting last.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_int.h"
#include "wf_test.h"

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Row i of r gets values derived from v in every column. */
static void fill_row(wf_sim_rows *r, size_t i, const char *id, uint64_t v)
{
    r->id[i] = id;
    r->id_len[i] = (uint8_t)strlen(id);
    r->birth[i] = (int32_t)(v % 40000);
    r->hire[i] = (int32_t)(v % 30000) + 1;
    r->elig[i] = (int32_t)(v % 20000) + 2;
    r->salary[i] = (int64_t)(v % 10000000);
    r->deferral[i] = (int32_t)(v % 1500);
    r->birth_y[i] = (int16_t)(v % 100 + 1950);
    r->hire_y[i] = (int16_t)(v % 50 + 1990);
    r->birth_md[i] = (uint16_t)(v % 400);
    r->hire_md[i] = (uint16_t)(v % 399);
    r->enroll_day[i] = (int32_t)(v % 1234);
    r->pend_opt_day[i] = (int32_t)(v % 4321);
    r->pend_opt_prob[i] = (double)(v % 97) / 97.0;
    r->level[i] = (uint8_t)(v % 5 + 1);
    r->enrolled[i] = (uint8_t)(v % 2);
    r->source[i] = (uint8_t)(v % 3);
    r->opted_out[i] = (uint8_t)(v >> 3 & 1);
    r->esc_opt_out[i] = (uint8_t)(v >> 4 & 1);
    r->term_cat[i] = (uint8_t)(v >> 5 & 1 ? WF_CAT_NEW_HIRE : WF_CAT_RETIREMENT);
    r->is_hire[i] = (uint8_t)(v >> 6 & 1);
    r->age_y[i] = (int16_t)(v % 70);
    r->ten_y[i] = (int16_t)(v % 40);
    r->term_prob[i] = (double)(v % 89) / 89.0;
}

static bool same_row(const wf_sim_rows *a, const wf_sim_rows *b, size_t i)
{
    return a->id[i] == b->id[i] && a->id_len[i] == b->id_len[i] &&
           a->birth[i] == b->birth[i] && a->hire[i] == b->hire[i] &&
           a->elig[i] == b->elig[i] && a->salary[i] == b->salary[i] &&
           a->deferral[i] == b->deferral[i] && a->birth_y[i] == b->birth_y[i] &&
           a->hire_y[i] == b->hire_y[i] && a->birth_md[i] == b->birth_md[i] &&
           a->hire_md[i] == b->hire_md[i] && a->enroll_day[i] == b->enroll_day[i] &&
           a->pend_opt_day[i] == b->pend_opt_day[i] &&
           a->pend_opt_prob[i] == b->pend_opt_prob[i] && a->level[i] == b->level[i] &&
           a->enrolled[i] == b->enrolled[i] && a->source[i] == b->source[i] &&
           a->opted_out[i] == b->opted_out[i] &&
           a->esc_opt_out[i] == b->esc_opt_out[i] &&
           a->term_cat[i] == b->term_cat[i] && a->is_hire[i] == b->is_hire[i] &&
           a->age_y[i] == b->age_y[i] && a->ten_y[i] == b->ten_y[i] &&
           a->term_prob[i] == b->term_prob[i];
}

TEST(model_rows_keep_matches_row_copies)
{
    uint64_t seed = wf_test_seed(0x5eed0001), st = seed;
    wf_test_note("seed %llu", (unsigned long long)seed);
    for (int round = 0; round < 50; round++) {
        size_t n = (size_t)(next(&st) % 300);
        wf_sim_rows a = {0}, b = {0};
        ASSERT_TRUE(wf_sim_rows_reserve(&a, n + 1) && wf_sim_rows_reserve(&b, n + 1));
        for (size_t i = 0; i < n; i++) {
            uint64_t v = next(&st);
            if (round % 5 == 0) /* some rounds drop nobody or everybody */
                v = (v & ~(uint64_t)32) | (round % 10 == 0 ? 32 : 0);
            fill_row(&a, i, "x", v);
            fill_row(&b, i, "x", v);
        }
        a.n = b.n = n;
        size_t out = 0;
        for (size_t i = 0; i < n; i++)
            if (b.term_cat[i] == WF_CAT_NEW_HIRE)
                wf_sim_rows_copy(&b, out++, &b, i);
        b.n = out;
        uint32_t keep[300];
        wf_sim_rows_keep(&a, keep, 1 + (int)(n % 3));
        ASSERT_EQ(a.n, b.n);
        for (size_t i = 0; i < a.n; i++) { /* the carried columns only */
            a.term_cat[i] = b.term_cat[i];
            a.is_hire[i] = b.is_hire[i];
            a.age_y[i] = b.age_y[i];
            a.ten_y[i] = b.ten_y[i];
            a.term_prob[i] = b.term_prob[i];
            ASSERT_TRUE(same_row(&a, &b, i));
        }
        wf_sim_rows_free(&a);
        wf_sim_rows_free(&b);
    }
}

TEST(model_rows_merge_matches_row_copies)
{
    enum { MAXN = 200, MAXH = 120 };
    static char ids[MAXN + MAXH][16];
    uint64_t seed = wf_test_seed(0x5eed0002), st = seed;
    wf_test_note("seed %llu", (unsigned long long)seed);
    for (int round = 0; round < 50; round++) {
        size_t n = (size_t)(next(&st) % MAXN), m = (size_t)(next(&st) % MAXH) + 1;
        /* Distinct ids: even numbers for the rows, odd for the hires, so
         * hires fall anywhere among the rows; every third round the hires
         * all sort last (the usual case). */
        bool last = round % 3 == 0;
        for (size_t i = 0; i < n; i++)
            snprintf(ids[i], sizeof ids[i], "E%06zu", 2 * i * 3 + 2);
        for (size_t k = 0; k < m; k++) {
            size_t v = last ? 10000000 + k : (size_t)(next(&st) % (6 * MAXN + 8));
            snprintf(ids[n + k], sizeof ids[n + k], "E%06zu", v | 1);
        }
        wf_sim_rows a = {0}, b = {0}, h = {0};
        ASSERT_TRUE(wf_sim_rows_reserve(&a, n + m) && wf_sim_rows_reserve(&b, n + m) &&
                    wf_sim_rows_reserve(&h, m));
        for (size_t i = 0; i < n; i++) {
            uint64_t v = next(&st);
            fill_row(&a, i, ids[i], v);
            fill_row(&b, i, ids[i], v);
        }
        for (size_t k = 0; k < m; k++)
            fill_row(&h, k, ids[n + k], next(&st));
        a.n = b.n = n;
        h.n = m;
        /* perm: the hires in id order (ties, from duplicate odd numbers,
         * by index: any order is fine for the comparison). */
        uint32_t perm[MAXH], pos[MAXH];
        for (size_t k = 0; k < m; k++)
            perm[k] = (uint32_t)k;
        for (size_t x = 1; x < m; x++)
            for (size_t y = x; y > 0 && strcmp(h.id[perm[y - 1]], h.id[perm[y]]) > 0; y--) {
                uint32_t t = perm[y];
                perm[y] = perm[y - 1];
                perm[y - 1] = t;
            }
        /* Reference: the backward merge one row at a time. */
        size_t i = n, j = m, out = n + m;
        while (j > 0) {
            const char *hid = h.id[perm[j - 1]];
            if (i > 0 && strcmp(b.id[i - 1], hid) > 0)
                wf_sim_rows_copy(&b, --out, &b, --i);
            else
                wf_sim_rows_copy(&b, --out, &h, perm[--j]);
        }
        b.n = n + m;
        i = n;
        for (size_t k = m; k-- > 0;) {
            while (i > 0 && strcmp(a.id[i - 1], h.id[perm[k]]) > 0)
                i--;
            pos[k] = (uint32_t)(i + k);
        }
        wf_sim_rows_merge(&a, &h, perm, pos, 1 + (int)(m % 3));
        ASSERT_EQ(a.n, b.n);
        for (size_t r = 0; r < a.n; r++)
            ASSERT_TRUE(same_row(&a, &b, r));
        wf_sim_rows_free(&a);
        wf_sim_rows_free(&b);
        wf_sim_rows_free(&h);
    }
}

static int cmp_rank(const void *a, const void *b)
{
    const wf_sim_rank *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* wf_sim_select against a full sort, on arrays long enough for its sampled
 * pivots, with ties (few distinct keys) and infinite keys (the unranked),
 * for k near both ends and in between. */
TEST(model_rows_select_matches_sort)
{
    enum { MAXN = 200000 };
    static wf_sim_rank v[MAXN], w[MAXN];
    static bool in[MAXN];
    uint64_t seed = wf_test_seed(0x5eed0003), st = seed;
    wf_test_note("seed %llu", (unsigned long long)seed);
    for (int round = 0; round < 12; round++) {
        size_t n = round < 2 ? (size_t)(next(&st) % 100) + 1
                             : (size_t)(next(&st) % MAXN) + 1;
        int distinct = round % 3 == 0 ? 7 : 0; /* 0: continuous keys */
        for (size_t i = 0; i < n; i++) {
            uint64_t x = next(&st);
            double key = distinct ? (double)(x % (uint64_t)distinct)
                                  : (double)(x >> 11) / 9007199254740992.0;
            if (x % 10 == 0)
                key = INFINITY;
            v[i].key = key;
            v[i].idx = (uint32_t)(n - 1 - i); /* ids not in array order */
        }
        size_t ks[4] = {1, n / 10, n / 2, n - 1};
        for (int t = 0; t < 4; t++) {
            size_t k = ks[t];
            if (k == 0 || k >= n)
                continue;
            memcpy(w, v, n * sizeof *w);
            wf_sim_select(w, n, k);
            memset(in, 0, n);
            for (size_t j = 0; j < k; j++)
                in[w[j].idx] = true;
            memcpy(w, v, n * sizeof *w);
            qsort(w, n, sizeof *w, cmp_rank);
            for (size_t j = 0; j < n; j++)
                if (in[w[j].idx] != (j < k)) {
                    wf_test_fail(__FILE__, __LINE__, "n %zu k %zu: rank %zu wrong", n,
                                 k, j);
                    return;
                }
        }
    }
}

/* wf_sim_llround is llround: halves, values near them, negatives, the
 * 2^52 boundary and random salaries times random factors. */
TEST(model_rows_llround_matches_libm)
{
    static const double fixed[] = {
        0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994,
        -0.49999999999999994, 4503599627370495.5, -4503599627370495.5,
        4503599627370496.0, -4503599627370496.0, 9007199254740993.0,
        1e18, -1e18, 12345678.5, 12345678.499999998, 12345678.500000002};
    for (size_t j = 0; j < sizeof fixed / sizeof fixed[0]; j++)
        ASSERT_EQ(wf_sim_llround(fixed[j]), llround(fixed[j]));
    uint64_t seed = wf_test_seed(0x5eed0004), st = seed;
    wf_test_note("seed %llu", (unsigned long long)seed);
    for (int k = 0; k < 2000000; k++) {
        uint64_t v = next(&st);
        double cents = (double)(v % 100000000);
        double factor = 1.0 + (double)((v >> 32) % 200000) / 1e6 - 0.05;
        double x = k % 2 ? cents * factor : cents + 0.5 * (double)(k % 7) - 1.5;
        if (wf_sim_llround(x) != llround(x)) {
            wf_test_fail(__FILE__, __LINE__, "x %.17g: %lld != %lld", x,
                         (long long)wf_sim_llround(x), (long long)llround(x));
            return;
        }
    }
}
