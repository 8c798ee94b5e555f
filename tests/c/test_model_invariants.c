/*
 * test_model_invariants.c - properties of a multi-year run on a larger
 * synthetic census, and determinism across thread counts.
 *
 * The census (20,000 employees, several chunks of the parallel phases) is
 * generated from WF_TEST_SEED. Every year must satisfy: year-end headcount
 * equals the target when no quota fell short, and next year starts from
 * it; events sorted by (employee_id, event_sequence) with sequences 1..n;
 * at most one event per employee, year and type; every date inside its
 * partition year; nothing after a termination, that year or later; the
 * snapshot holds the workforce of the year in id order. The same run with
 * 1, 2, 4 and 8 threads gives identical batches.
 */
#include "wf_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_model_util.h"
#include "wf_date.h"

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void make_census(wf_test_census *tc, const wf_tables *t, size_t n,
                        uint64_t seed)
{
    uint64_t s = seed | 1;
    int32_t c = wf_date_from_ymd(2024, 12, 31);
    for (size_t i = 0; i < n; i++) {
        char id[32], birth[16], hire[16];
        int age = 20 + (int)(next(&s) % 45);
        int ten = (int)(next(&s) % (uint64_t)(age - 17));
        int level = next(&s) % 100 < 55 ? 1 : 1 + (int)(next(&s) % 5);
        const wf_level *l = &t->levels[level - 1];
        /* unique by the row number; the suffix varies the id order a bit */
        snprintf(id, sizeof id, "S%06zu_%02llu", i, (unsigned long long)(next(&s) % 100));
        wf_date_format(c - age * 365 - (int32_t)(next(&s) % 365), birth);
        wf_date_format(c - ten * 365 - (int32_t)(next(&s) % 365), hire);
        if (strcmp(hire, birth) < 0)
            memcpy(hire, "2024-12-31", 11);
        long long cents = l->min_cents + (long long)(next(&s) % (uint64_t)(l->max_cents - l->min_cents));
        int def = next(&s) % 3 == 0 ? 200 + (int)(next(&s) % 900) : 0;
        wf_test_census_add(tc, id, birth, hire, cents, level, def);
    }
}

typedef struct world {
    wf_config *cfg;
    wf_tables *tab;
    wf_test_census tc;
    wf_error err;
} world;

static bool world_init(world *w, int64_t growth_ppm)
{
    memset(w, 0, sizeof *w);
    if (wf_config_load(NULL, &w->cfg, &w->err) != WF_OK ||
        wf_tables_load(NULL, &w->tab, &w->err) != WF_OK)
        return false;
    uint64_t seed = wf_test_seed(20251124);
    wf_test_note("census seed %llu", (unsigned long long)seed);
    w->cfg->target_growth_ppm = growth_ppm;
    w->cfg->retirement_age = 60;
    w->cfg->retirement_probability = 0.4;
    w->cfg->ae_cutoff_set = true;
    w->cfg->ae_hire_date_cutoff = wf_date_from_ymd(2020, 1, 1);
    w->cfg->esc_scope = WF_ESC_ALL_ENROLLED;
    w->cfg->esc_delay_years = 0;
    w->cfg->esc_effective_date = (wf_md){3, 1};
    w->cfg->ae_window_days = 200;
    w->cfg->ae_opt_out_grace_days = 90;
    make_census(&w->tc, w->tab, 20000, seed);
    return true;
}

static void world_free(world *w)
{
    wf_test_census_free(&w->tc);
    wf_tables_free(w->tab);
    wf_config_free(w->cfg);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool gone(char **left, size_t n, const char *id)
{
    return n && bsearch(&id, left, n, sizeof *left, cmp_str) != NULL;
}

/* Checks one kept year; `left`/`n_left` are the ids terminated in earlier
 * years (sorted). Returns false after reporting. */
static bool check_year(const wf_kept_year *y, char **left, size_t n_left)
{
    const wf_year_summary *s = &y->sum;
    int32_t jan1 = wf_date_from_ymd(s->year, 1, 1), dec31 = wf_date_from_ymd(s->year, 12, 31);
    if (s->te_shortfall == 0 && s->tnh_shortfall == 0 &&
        s->year_end_headcount != s->target) {
        wf_test_note("%d: year end %lld, target %lld", s->year,
                     (long long)s->year_end_headcount, (long long)s->target);
        return false;
    }
    if ((int64_t)y->n_snap != s->workforce_of_year || (int64_t)y->n_ev != s->events)
        return false;
    unsigned seen = 0;
    bool terminated = false;
    for (size_t i = 0; i < y->n_ev; i++) {
        const wf_event *e = &y->ev[i];
        bool first = i == 0 || strcmp(y->ev_ids[i - 1], y->ev_ids[i]) != 0;
        if (!first && strcmp(y->ev_ids[i - 1], y->ev_ids[i]) > 0)
            return wf_test_note("%d: ids out of order at %s", s->year, y->ev_ids[i]), false;
        if (first) {
            seen = 0;
            terminated = false;
        }
        if (e->seq != (first ? 1 : y->ev[i - 1].seq + 1))
            return wf_test_note("%d: %s sequence %d", s->year, y->ev_ids[i], e->seq), false;
        if (!first && (e->date < y->ev[i - 1].date ||
                       (e->date == y->ev[i - 1].date && e->type <= y->ev[i - 1].type)))
            return wf_test_note("%d: %s events out of order", s->year, y->ev_ids[i]), false;
        if (seen & (1u << e->type))
            return wf_test_note("%d: %s two events of type %d", s->year, y->ev_ids[i], e->type), false;
        seen |= 1u << e->type;
        if (terminated)
            return wf_test_note("%d: %s event after its termination", s->year, y->ev_ids[i]), false;
        terminated = e->type == WF_EV_TERMINATION;
        if (e->date < jan1 || e->date > dec31)
            return wf_test_note("%d: %s dated outside the year", s->year, y->ev_ids[i]), false;
        if (gone(left, n_left, y->ev_ids[i]))
            return wf_test_note("%d: %s has an event after leaving", s->year, y->ev_ids[i]), false;
    }
    int64_t active = 0;
    for (size_t i = 0; i < y->n_snap; i++) {
        if (i && strcmp(y->snap_ids[i - 1], y->snap_ids[i]) >= 0)
            return wf_test_note("%d: snapshot out of order", s->year), false;
        if (gone(left, n_left, y->snap_ids[i]))
            return wf_test_note("%d: %s in the snapshot after leaving", s->year, y->snap_ids[i]), false;
        active += y->snap[i].active;
    }
    return active == s->year_end_headcount;
}

static void check_run(world *w)
{
    wf_keep_sink k;
    ASSERT_EQ(wf_model_test_run(w->cfg, w->tab, &w->tc.cen, 2, &k, &w->err), WF_OK);
    ASSERT_EQ(k.n, w->cfg->end_year - w->cfg->start_year + 1);
    char **left = NULL;
    size_t n_left = 0;
    bool ok = true;
    int64_t by_type[WF_EV_COUNT] = {0};
    for (int y = 0; y < k.n && ok; y++) {
        ok = check_year(&k.years[y], left, n_left);
        if (y + 1 < k.n && k.years[y + 1].sum.N != k.years[y].sum.year_end_headcount)
            ok = false;
        for (int t = 0; t < WF_EV_COUNT; t++)
            by_type[t] += k.years[y].sum.by_type[t];
        for (size_t i = 0; i < k.years[y].n_snap; i++)
            if (!k.years[y].snap[i].active) {
                left = realloc(left, (n_left + 1) * sizeof *left);
                left[n_left++] = k.years[y].snap_ids[i];
            }
        qsort(left, n_left, sizeof *left, cmp_str);
    }
    free(left);
    wf_keep_sink_free(&k);
    ASSERT_TRUE(ok);
    /* The run exercised every event type. */
    for (int t = 0; t < WF_EV_COUNT; t++)
        ASSERT_TRUE(by_type[t] > 0);
}

TEST(model_invariants_growing)
{
    world w;
    ASSERT_TRUE(world_init(&w, 30000));
    check_run(&w);
    world_free(&w);
}

TEST(model_invariants_shrinking)
{
    world w;
    ASSERT_TRUE(world_init(&w, -100000));
    w.cfg->end_year = 2027;
    check_run(&w);
    world_free(&w);
}

static bool same_event(const wf_event *a, const wf_event *b)
{
    bool pa = isnan(a->probability), pb = isnan(b->probability);
    return a->emp == b->emp && a->date == b->date && a->comp_cents == b->comp_cents &&
           a->prev_comp_cents == b->prev_comp_cents && pa == pb &&
           (pa || a->probability == b->probability) && a->deferral_bp == b->deferral_bp &&
           a->prev_deferral_bp == b->prev_deferral_bp && a->age == b->age &&
           a->tenure == b->tenure && a->seq == b->seq && a->type == b->type &&
           a->category == b->category && a->level == b->level &&
           a->prev_level == b->prev_level && a->age_band == b->age_band &&
           a->tenure_band == b->tenure_band;
}

static bool same_row(const wf_snapshot_row *a, const wf_snapshot_row *b)
{
    return a->emp == b->emp && a->birth_day == b->birth_day && a->hire_day == b->hire_day &&
           a->termination_day == b->termination_day &&
           a->eligibility_day == b->eligibility_day && a->salary_cents == b->salary_cents &&
           a->deferral_bp == b->deferral_bp && a->level == b->level &&
           a->source == b->source && a->active == b->active && a->enrolled == b->enrolled &&
           a->ever_opted_out == b->ever_opted_out;
}

static bool same_runs(const wf_keep_sink *a, const wf_keep_sink *b)
{
    if (a->n != b->n)
        return false;
    for (int y = 0; y < a->n; y++) {
        const wf_kept_year *p = &a->years[y], *q = &b->years[y];
        if (memcmp(&p->sum, &q->sum, sizeof p->sum) != 0 || p->n_ev != q->n_ev ||
            p->n_snap != q->n_snap)
            return false;
        for (size_t i = 0; i < p->n_ev; i++)
            if (!same_event(&p->ev[i], &q->ev[i]) || strcmp(p->ev_ids[i], q->ev_ids[i]))
                return false;
        for (size_t i = 0; i < p->n_snap; i++)
            if (!same_row(&p->snap[i], &q->snap[i]) || strcmp(p->snap_ids[i], q->snap_ids[i]))
                return false;
    }
    return true;
}

TEST(model_determinism_threads)
{
    world w;
    wf_keep_sink one, other;
    ASSERT_TRUE(world_init(&w, 30000));
    w.cfg->end_year = 2027;
    ASSERT_EQ(wf_model_test_run(w.cfg, w.tab, &w.tc.cen, 1, &one, &w.err), WF_OK);
    ASSERT_TRUE(one.years[0].sum.events > 0);
    static const int threads[3] = {2, 4, 8};
    for (int t = 0; t < 3; t++) {
        ASSERT_EQ(wf_model_test_run(w.cfg, w.tab, &w.tc.cen, threads[t], &other, &w.err), WF_OK);
        bool same = same_runs(&one, &other);
        wf_keep_sink_free(&other);
        if (!same)
            wf_test_note("threads %d differ from 1", threads[t]);
        ASSERT_TRUE(same);
    }
    wf_keep_sink_free(&one);
    world_free(&w);
}
