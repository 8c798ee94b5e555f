/*
 * test_model_steps.c - one step of docs/model.md 4 at a time, on tiny censuses
 * built in the test.
 *
 * Each test starts from a quiet configuration (no growth, no separations,
 * no raises, no promotions, no enrollment behaviour) and switches on the
 * step it looks at, often with a probability of 0 or 1 so the outcome is
 * fixed. Where a draw decides, the test computes the draw itself from the
 * key of docs/model.md 1 and works out the expected event from the formula.
 */
#include "wf_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "sim_int.h"
#include "test_model_util.h"
#include "wf_date.h"

typedef struct fx {
    wf_config *cfg;
    wf_tables *tab;
    wf_test_census tc;
    wf_keep_sink k;
    wf_error err;
} fx;

static void set_behaviour(wf_tables *t, double vol, double conv, double opt,
                          int32_t deferral_bp)
{
    for (int i = 0; i < t->n_age_segments * t->n_income_segments; i++) {
        t->behaviour[i].voluntary = vol;
        t->behaviour[i].conversion = conv;
        t->behaviour[i].opt_out = opt;
        t->behaviour[i].deferral_bp = deferral_bp;
    }
}

/* Defaults, one year (2025), and every step quiet. */
static bool fx_init(fx *f)
{
    memset(f, 0, sizeof *f);
    if (wf_config_load(NULL, &f->cfg, &f->err) != WF_OK ||
        wf_tables_load(NULL, &f->tab, &f->err) != WF_OK)
        return false;
    wf_config *c = f->cfg;
    c->end_year = c->start_year;
    c->target_growth_ppm = 0;
    c->termination_ppm = 0;
    c->new_hire_termination_ppm = 0;
    c->retirement_probability = 0.0;
    c->merit_probability = 0.0;
    c->cola_rate = 0.0;
    c->ae_enabled = false;
    c->ve_enabled = false;
    c->esc_enabled = false;
    for (int l = 0; l < f->tab->n_levels; l++)
        f->tab->levels[l].promotion_base = 0.0;
    set_behaviour(f->tab, 0.0, 0.0, 0.0, 500);
    return true;
}

static wf_status fx_run(fx *f)
{
    return wf_model_test_run(f->cfg, f->tab, &f->tc.cen, 1, &f->k, &f->err);
}

static void fx_free(fx *f)
{
    wf_keep_sink_free(&f->k);
    wf_test_census_free(&f->tc);
    wf_tables_free(f->tab);
    wf_config_free(f->cfg);
}

static void add(fx *f, const char *id, const char *birth, const char *hire,
                long long cents, int level, int deferral_bp)
{
    wf_test_census_add(&f->tc, id, birth, hire, cents, level, deferral_bp);
}

/* The one event of `type` for id in kept year y (index into f->k), or NULL. */
static const wf_event *find(const fx *f, int y, const char *id, wf_event_type type)
{
    const wf_kept_year *ky = &f->k.years[y];
    for (size_t i = 0; i < ky->n_ev; i++)
        if (ky->ev[i].type == type && strcmp(ky->ev_ids[i], id) == 0)
            return &ky->ev[i];
    return NULL;
}

static size_t count(const fx *f, int y, const char *id)
{
    const wf_event *tmp[1];
    return wf_kept_events(&f->k.years[y], id, tmp, 0);
}

static const wf_snapshot_row *snap(const fx *f, int y, const char *id)
{
    const wf_kept_year *ky = &f->k.years[y];
    for (size_t i = 0; i < ky->n_snap; i++)
        if (strcmp(ky->snap_ids[i], id) == 0)
            return &ky->snap[i];
    return NULL;
}

static uint32_t drawx(const fx *f, const char *id, int year, wf_stream s)
{
    wf_rng_stream st;
    wf_rng_stream_init(&st, f->cfg->random_seed, year, s);
    return wf_rng_x(&st, id, strlen(id));
}

static int32_t D(const char *s)
{
    int32_t d = 0;
    if (!wf_date_parse(s, strlen(s), &d))
        abort();
    return d;
}

/* ---- 4.1: retirement --------------------------------------------------- */

TEST(model_step_retirement)
{
    fx f;
    ASSERT_TRUE(fx_init(&f));
    f.cfg->retirement_age = 60;
    f.cfg->retirement_probability = 0.5;
    char id[16];
    for (int i = 0; i < 8; i++) {
        snprintf(id, sizeof id, "OLD%d", i);
        add(&f, id, "1962-05-05", "2000-01-01", 6000000, 1, 0);
    }
    add(&f, "YOUNG", "1990-01-01", "2015-01-01", 6000000, 1, 0);
    ASSERT_EQ(fx_run(&f), WF_OK);
    int retired = 0;
    for (int i = 0; i < 8; i++) {
        snprintf(id, sizeof id, "OLD%d", i);
        bool want = wf_rng_u(drawx(&f, id, 2025, WF_STREAM_RETIREMENT)) < 0.5;
        const wf_event *e = find(&f, 0, id, WF_EV_TERMINATION);
        ASSERT_EQ(e != NULL, want);
        if (!e)
            continue;
        retired++;
        int32_t day = D("2025-01-01") +
                      (int32_t)wf_rng_pick(drawx(&f, id, 2025, WF_STREAM_TERMINATION_DATE), 365);
        ASSERT_EQ(e->category, WF_CAT_RETIREMENT);
        ASSERT_EQ(e->date, day);
        ASSERT_DEQ(e->probability, 0.5);
        ASSERT_EQ(e->seq, 1);
        ASSERT_EQ(e->age, wf_years_between(D("1962-05-05"), day));
        ASSERT_EQ(count(&f, 0, id), 1);
        ASSERT_TRUE(!snap(&f, 0, id)->active);
    }
    ASSERT_TRUE(retired > 0 && retired < 8); /* the draws split this seed */
    ASSERT_TRUE(find(&f, 0, "YOUNG", WF_EV_TERMINATION) == NULL);
    const wf_year_summary *s = &f.k.years[0].sum;
    ASSERT_EQ(s->R, retired);
    /* N = 9, target 9, Q = 0: every retiree is replaced. */
    ASSERT_EQ(s->H, retired);
    ASSERT_EQ(s->year_end_headcount, 9);
    fx_free(&f);
}

/* ---- 4.2: experienced terminations --------------------------------------- */

TEST(model_step_select_ties_by_index)
{
    wf_sim_rank v[6] = {{1.0, 4}, {1.0, 0}, {0.5, 5}, {1.0, 2}, {2.0, 1}, {1.0, 3}};
    wf_sim_select(v, 6, 3);
    /* the three smallest by (key, idx): (0.5,5), (1,0), (1,2) */
    bool seen[6] = {false};
    for (int i = 0; i < 3; i++)
        seen[v[i].idx] = true;
    ASSERT_TRUE(seen[5] && seen[0] && seen[2]);
    ASSERT_TRUE(!seen[3] && !seen[4] && !seen[1]);
}

typedef struct ranked {
    double k, h;
    char id[32];
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    return strcmp(x->id, y->id);
}

TEST(model_step_experienced_terminations)
{
    fx f;
    ranked r[40];
    ASSERT_TRUE(fx_init(&f));
    f.cfg->termination_ppm = 250000;
    const wf_tables *t = f.tab;
    for (int i = 0; i < 40; i++) {
        char birth[16], hire[16];
        int age = 22 + i, ten = i % 25, level = 1 + i % 5;
        snprintf(r[i].id, sizeof r[i].id, "T%02d", 39 - i);
        snprintf(birth, sizeof birth, "%d-03-01", 2024 - age);
        snprintf(hire, sizeof hire, "%d-06-01", 2023 - ten);
        add(&f, r[i].id, birth, hire, t->levels[level - 1].min_cents + 100, level, 0);
        int a = wf_years_between(D(birth), D("2025-01-01"));
        int n = wf_years_between(D(hire), D("2025-01-01"));
        r[i].h = t->levels[level - 1].termination_base *
                 t->term_age_mult[wf_band_index(t->age_bands, t->n_age_bands, a)] *
                 t->term_tenure_mult[wf_band_index(t->tenure_bands, t->n_tenure_bands, n)];
        r[i].k = wf_rng_u(drawx(&f, r[i].id, 2025, WF_STREAM_TERMINATION)) / r[i].h;
    }
    ASSERT_EQ(fx_run(&f), WF_OK);
    /* N = 40, P = 0: Q = 10 = Te; net = 10 hires. */
    ASSERT_EQ(f.k.years[0].sum.Te, 10);
    ASSERT_EQ(f.k.years[0].sum.H, 10);
    qsort(r, 40, sizeof *r, cmp_ranked);
    for (int i = 0; i < 40; i++) {
        const wf_event *e = find(&f, 0, r[i].id, WF_EV_TERMINATION);
        ASSERT_EQ(e != NULL, i < 10);
        if (!e)
            continue;
        ASSERT_EQ(e->category, WF_CAT_EXPERIENCED_TERMINATION);
        ASSERT_DEQ(e->probability, r[i].h);
        ASSERT_EQ(e->date, D("2025-01-01") + (int32_t)wf_rng_pick(
                               drawx(&f, r[i].id, 2025, WF_STREAM_TERMINATION_DATE), 365));
    }
    fx_free(&f);
}

/* ---- 4.3 and 4.6: promotion, then merit on the new level ------------------ */

TEST(model_step_promotion)
{
    fx f;
    ASSERT_TRUE(fx_init(&f));
    wf_tables *t = f.tab;
    for (int l = 0; l < t->n_levels; l++)
        t->levels[l].promotion_base = 1.0;
    for (int i = 0; i < t->n_age_bands; i++)
        t->promo_age_mult[i] = 100.0; /* p = 1 for anyone eligible */
    for (int i = 0; i < t->n_tenure_bands; i++)
        t->promo_tenure_mult[i] = 100.0;
    f.cfg->merit_probability = 1.0;
    f.cfg->cola_rate = 0.01;
    add(&f, "P1", "1994-06-01", "2021-06-01", 6000000, 1, 0);
    add(&f, "P65", "1959-06-01", "2000-06-01", 6000000, 1, 0);  /* age 65 */
    add(&f, "PNEW", "1990-06-01", "2024-06-01", 6000000, 1, 0); /* tenure 0 */
    add(&f, "PTOP", "1980-06-01", "2010-06-01", 30000000, 5, 0); /* top level */
    ASSERT_EQ(fx_run(&f), WF_OK);
    const wf_event *p = find(&f, 0, "P1", WF_EV_PROMOTION);
    ASSERT_TRUE(p != NULL);
    double u = wf_rng_u(drawx(&f, "P1", 2025, WF_STREAM_PROMOTION_RAISE));
    double rate = 0.10 + 0.04 * (2.0 * u - 1.0);
    int64_t promoted = llround(6000000.0 * (1.0 + rate));
    ASSERT_EQ(p->date, D("2025-02-01"));
    ASSERT_EQ(p->level, 2);
    ASSERT_EQ(p->prev_level, 1);
    ASSERT_EQ(p->comp_cents, promoted);
    ASSERT_EQ(p->prev_comp_cents, 6000000);
    ASSERT_DEQ(p->probability, 1.0);
    ASSERT_EQ(p->seq, 1);
    /* Merit on April 1 uses level 2's rate (0.028) on the promoted salary. */
    const wf_event *m = find(&f, 0, "P1", WF_EV_RAISE);
    ASSERT_TRUE(m != NULL);
    ASSERT_EQ(m->category, WF_CAT_MERIT);
    ASSERT_EQ(m->prev_comp_cents, promoted);
    ASSERT_EQ(m->comp_cents, llround((double)promoted * ((1.0 + 0.028) + 0.01)));
    ASSERT_EQ(m->level, 2);
    ASSERT_EQ(m->seq, 2);
    ASSERT_TRUE(find(&f, 0, "P65", WF_EV_PROMOTION) == NULL);
    ASSERT_TRUE(find(&f, 0, "PNEW", WF_EV_PROMOTION) == NULL);
    ASSERT_TRUE(find(&f, 0, "PTOP", WF_EV_PROMOTION) == NULL);
    ASSERT_EQ(snap(&f, 0, "P1")->level, 2);
    fx_free(&f);
}

TEST(model_step_merit_versus_cola)
{
    fx f;
    ASSERT_TRUE(fx_init(&f));
    f.cfg->merit_probability = 1.0;
    f.cfg->cola_rate = 0.01;
    f.cfg->end_year = 2026;
    add(&f, "LOW", "1980-01-01", "2010-01-01", 6000000, 1, 0);
    add(&f, "AT", "1980-01-01", "2010-01-01", 8500000, 1, 0);  /* = band max */
    add(&f, "HIGH", "1980-01-01", "2010-01-01", 9000000, 1, 0);
    ASSERT_EQ(fx_run(&f), WF_OK);
    const wf_event *e = find(&f, 0, "LOW", WF_EV_RAISE);
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(e->category, WF_CAT_MERIT);
    ASSERT_EQ(e->comp_cents, 6210000); /* 60000 * 1.035 */
    ASSERT_DEQ(e->probability, 1.0);
    ASSERT_EQ(e->date, D("2025-04-01"));
    e = find(&f, 0, "AT", WF_EV_RAISE);
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(e->category, WF_CAT_COLA);
    ASSERT_EQ(e->comp_cents, 8585000);
    ASSERT_TRUE(isnan(e->probability));
    e = find(&f, 0, "HIGH", WF_EV_RAISE);
    ASSERT_EQ(e->category, WF_CAT_COLA);
    ASSERT_EQ(e->comp_cents, 9090000);
    /* 2026: band max 85000 * 1.02 = 86700; AT (85850) is below it again. */
    e = find(&f, 1, "AT", WF_EV_RAISE);
    ASSERT_EQ(e->category, WF_CAT_MERIT);
    ASSERT_EQ(e->comp_cents, llround(8585000.0 * 1.035));
    ASSERT_EQ(find(&f, 1, "HIGH", WF_EV_RAISE)->category, WF_CAT_COLA);
    fx_free(&f);

    /* No COLA and no merit: the salary does not change, no event. */
    ASSERT_TRUE(fx_init(&f));
    add(&f, "LOW", "1980-01-01", "2010-01-01", 6000000, 1, 0);
    ASSERT_EQ(fx_run(&f), WF_OK);
    ASSERT_EQ(count(&f, 0, "LOW"), 0);
    fx_free(&f);
}

/* ---- 4.4: hires ------------------------------------------------------------ */

static void add_staff(fx *f, int n)
{
    char id[16];
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "E%03d", i);
        add(f, id, "1980-01-01", "2010-01-01", 6000000, 1, 0);
    }
}

static int hire_level(const fx *f, int s)
{
    char id[32];
    snprintf(id, sizeof id, "NH_2025_%06d", s);
    const wf_event *e = find(f, 0, id, WF_EV_HIRE);
    return e ? e->level : -1;
}

TEST(model_step_hire_levels_largest_remainder)
{
    fx f;
    ASSERT_TRUE(fx_init(&f));
    f.cfg->target_growth_ppm = 100000;
    add_staff(&f, 100);
    ASSERT_EQ(fx_run(&f), WF_OK);
    ASSERT_EQ(f.k.years[0].sum.H, 10);
    /* 10 x (0.70, 0.20, 0.07, 0.025, 0.005): 7, 2, 0 + remainder 0.7 -> 1 */
    int want[10] = {1, 1, 1, 1, 1, 1, 1, 2, 2, 3};
    for (int s = 1; s <= 10; s++)
        ASSERT_EQ(hire_level(&f, s), want[s - 1]);
    /* Attributes of NH_2025_000008 (level 2) from its draws. */
    const char *id = "NH_2025_000008";
    const wf_tables *t = f.tab;
    int32_t hire = D("2025-01-01") +
                   (int32_t)wf_rng_pick(drawx(&f, id, 2025, WF_STREAM_HIRE_DATE), 365);
    uint32_t ra = wf_rng_pick(drawx(&f, id, 2025, WF_STREAM_HIRE_AGE),
                              (uint32_t)t->hire_age_total_ppm);
    int a = 0;
    while (t->hire_age_cum_ppm[a] <= ra)
        a++;
    int32_t birth = wf_date_add_years(hire, -t->hire_ages[a]) -
                    (int32_t)wf_rng_pick(drawx(&f, id, 2025, WF_STREAM_HIRE_BIRTH_DAY), 365);
    double fr = 0.30 + 0.10 * (2.0 * wf_rng_u(drawx(&f, id, 2025, WF_STREAM_HIRE_SALARY)) - 1.0);
    int64_t salary = llround(7000000.0 + 5000000.0 * fr);
    const wf_event *e = find(&f, 0, id, WF_EV_HIRE);
    ASSERT_EQ(e->date, hire);
    ASSERT_EQ(e->comp_cents, salary);
    ASSERT_EQ(e->age, t->hire_ages[a]);
    ASSERT_EQ(e->tenure, 0);
    ASSERT_EQ(e->category, WF_CAT_NEW_HIRE);
    ASSERT_EQ(snap(&f, 0, id)->birth_day, birth);
    ASSERT_EQ(find(&f, 0, id, WF_EV_RAISE) == NULL, 1); /* no raise in the hire year */
    fx_free(&f);

    /* Equal weights, H = 4: 1, 1, 1 and the tied remainder to level 1. */
    ASSERT_TRUE(fx_init(&f));
    f.cfg->target_growth_ppm = 100000;
    for (int l = 0; l < f.tab->n_levels; l++)
        f.tab->levels[l].new_hire_mix_ppm = l < 3 ? 1 : 0;
    add_staff(&f, 40);
    ASSERT_EQ(fx_run(&f), WF_OK);
    ASSERT_EQ(f.k.years[0].sum.H, 4);
    ASSERT_EQ(hire_level(&f, 1), 1);
    ASSERT_EQ(hire_level(&f, 2), 1);
    ASSERT_EQ(hire_level(&f, 3), 2);
    ASSERT_EQ(hire_level(&f, 4), 3);
    fx_free(&f);
}

/* ---- 4.5: new-hire terminations -------------------------------------------- */

TEST(model_step_new_hire_terminations)
{
    fx f;
    ASSERT_TRUE(fx_init(&f));
    f.cfg->target_growth_ppm = 100000;
    f.cfg->new_hire_termination_ppm = 250000;
    add_staff(&f, 100);
    ASSERT_EQ(fx_run(&f), WF_OK);
    /* net 10, H = ceil(10 / 0.75) = 14, Tnh = 4 */
    ASSERT_EQ(f.k.years[0].sum.H, 14);
    ASSERT_EQ(f.k.years[0].sum.Tnh, 4);
    ranked r[14];
    int32_t hire[14];
    int n = 0;
    int32_t dec31 = D("2025-12-31");
    for (int s = 1; s <= 14; s++) {
        ranked *x = &r[n];
        snprintf(x->id, sizeof x->id, "NH_2025_%06d", s);
        hire[s - 1] = D("2025-01-01") +
                      (int32_t)wf_rng_pick(drawx(&f, x->id, 2025, WF_STREAM_HIRE_DATE), 365);
        if (hire[s - 1] >= dec31)
            continue;
        x->k = wf_rng_u(drawx(&f, x->id, 2025, WF_STREAM_NEW_HIRE_TERMINATION));
        x->h = s - 1;
        n++;
    }
    qsort(r, (size_t)n, sizeof *r, cmp_ranked);
    int terminated = 0;
    for (int i = 0; i < n; i++) {
        const wf_event *e = find(&f, 0, r[i].id, WF_EV_TERMINATION);
        ASSERT_EQ(e != NULL, i < 4);
        if (!e)
            continue;
        int32_t h = hire[(int)r[i].h];
        terminated++;
        ASSERT_EQ(e->category, WF_CAT_NEW_HIRE_TERMINATION);
        ASSERT_TRUE(isnan(e->probability));
        ASSERT_EQ(e->date, h + 1 + (int32_t)wf_rng_pick(
                               drawx(&f, r[i].id, 2025, WF_STREAM_NEW_HIRE_TERMINATION_DATE),
                               (uint32_t)(dec31 - h)));
        ASSERT_TRUE(e->date > h && e->date <= dec31);
    }
    ASSERT_EQ(terminated, 4);
    ASSERT_EQ(f.k.years[0].sum.year_end_headcount, 110);
    fx_free(&f);
}

/* ---- 4.7: eligibility ------------------------------------------------------- */

TEST(model_step_eligibility)
{
    fx f;
    ASSERT_TRUE(fx_init(&f));
    f.cfg->waiting_period_days = 100;
    add(&f, "TURN21", "2004-07-10", "2023-01-01", 6000000, 1, 0);
    add(&f, "WAITS", "1985-01-01", "2024-11-01", 6000000, 1, 0);
    add(&f, "BEFORE", "1985-01-01", "2010-01-01", 6000000, 1, 0);
    ASSERT_EQ(fx_run(&f), WF_OK);
    const wf_event *e = find(&f, 0, "TURN21", WF_EV_ELIGIBILITY);
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(e->date, D("2025-07-10"));
    ASSERT_EQ(e->age, 21);
    ASSERT_EQ(e->category, WF_CAT_ELIGIBILITY);
    e = find(&f, 0, "WAITS", WF_EV_ELIGIBILITY);
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(e->date, D("2024-11-01") + 100);
    ASSERT_EQ(count(&f, 0, "BEFORE"), 0);
    ASSERT_EQ(snap(&f, 0, "BEFORE")->eligibility_day, D("2010-01-01") + 100);
    fx_free(&f);
}

/* ---- 4.8 and 4.9: enrollment and escalation -------------------------------- */

static void ae_setup(fx *f, int delay)
{
    f->cfg->end_year = 2026;
    f->cfg->ae_enabled = true;
    f->cfg->ae_cutoff_set = true;
    f->cfg->ae_hire_date_cutoff = D("2024-01-01");
    f->cfg->waiting_period_days = 300;
    f->cfg->ae_window_days = 250;
    f->cfg->ae_opt_out_grace_days = 60;
    f->cfg->esc_enabled = true;
    f->cfg->esc_delay_years = delay;
    set_behaviour(f->tab, 0.0, 0.0, 1.0, 500);
    /* elig = 2024-06-01 + 300 = 2025-03-28; A = 2025-12-03; O = 2026-02-01 */
    add(f, "AE1", "1990-03-03", "2024-06-01", 6000000, 1, 0);
    /* hired before the cutoff: never auto-enrolled */
    add(f, "OLDHIRE", "1990-03-03", "2023-06-01", 6000000, 1, 0);
}

TEST(model_step_auto_enrollment_opt_out_next_year)
{
    fx f;
    ASSERT_TRUE(fx_init(&f));
    ae_setup(&f, 1);
    ASSERT_EQ(fx_run(&f), WF_OK);
    ASSERT_EQ(f.k.years[0].sum.year, 2025);
    ASSERT_EQ(count(&f, 0, "AE1"), 2);
    const wf_event *e = find(&f, 0, "AE1", WF_EV_ENROLLMENT);
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(e->date, D("2025-12-03"));
    ASSERT_EQ(e->category, WF_CAT_AUTO_ENROLLMENT);
    ASSERT_EQ(e->deferral_bp, 600);
    ASSERT_EQ(e->prev_deferral_bp, 0);
    ASSERT_TRUE(isnan(e->probability));
    ASSERT_EQ(e->seq, 2);
    ASSERT_TRUE(find(&f, 0, "AE1", WF_EV_ENROLLMENT_CHANGE) == NULL);
    const wf_snapshot_row *s = snap(&f, 0, "AE1");
    ASSERT_TRUE(s->enrolled && s->deferral_bp == 600 && s->source == WF_SRC_AUTO);
    /* The opt-out decided in 2025 is dated and partitioned in 2026. */
    ASSERT_EQ(count(&f, 1, "AE1"), 1);
    e = find(&f, 1, "AE1", WF_EV_ENROLLMENT_CHANGE);
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(e->date, D("2026-02-01"));
    ASSERT_EQ(e->category, WF_CAT_OPT_OUT);
    ASSERT_EQ(e->deferral_bp, 0);
    ASSERT_EQ(e->prev_deferral_bp, 600);
    ASSERT_DEQ(e->probability, 1.0);
    ASSERT_EQ(e->seq, 1);
    s = snap(&f, 1, "AE1");
    ASSERT_TRUE(!s->enrolled && s->deferral_bp == 0 && s->ever_opted_out);
    ASSERT_EQ(s->source, WF_SRC_AUTO);
    ASSERT_EQ(count(&f, 0, "OLDHIRE") + count(&f, 1, "OLDHIRE"), 0);
    fx_free(&f);
}

TEST(model_step_escalation_before_opt_out)
{
    fx f;
    ASSERT_TRUE(fx_init(&f));
    ae_setup(&f, 0);
    ASSERT_EQ(fx_run(&f), WF_OK);
    /* 2026-01-01 escalation 600 -> 700 comes before the 2026-02-01 opt-out. */
    const wf_event *esc = find(&f, 1, "AE1", WF_EV_DEFERRAL_ESCALATION);
    const wf_event *opt = find(&f, 1, "AE1", WF_EV_ENROLLMENT_CHANGE);
    ASSERT_TRUE(esc && opt);
    ASSERT_EQ(esc->date, D("2026-01-01"));
    ASSERT_EQ(esc->prev_deferral_bp, 600);
    ASSERT_EQ(esc->deferral_bp, 700);
    ASSERT_EQ(esc->seq, 1);
    ASSERT_EQ(opt->seq, 2);
    ASSERT_EQ(opt->prev_deferral_bp, 700);
    fx_free(&f);

    /* Effective date after the opt-out: no escalation (not enrolled). */
    ASSERT_TRUE(fx_init(&f));
    ae_setup(&f, 0);
    f.cfg->esc_effective_date.month = 3;
    ASSERT_EQ(fx_run(&f), WF_OK);
    ASSERT_TRUE(find(&f, 1, "AE1", WF_EV_DEFERRAL_ESCALATION) == NULL);
    ASSERT_TRUE(find(&f, 1, "AE1", WF_EV_ENROLLMENT_CHANGE) != NULL);
    fx_free(&f);
}

TEST(model_step_voluntary_enrollment)
{
    fx f;
    ASSERT_TRUE(fx_init(&f));
    f.cfg->ve_enabled = true;
    f.cfg->end_year = 2026;
    f.cfg->ae_enabled = true;
    f.cfg->ae_cutoff_set = true;
    f.cfg->ae_hire_date_cutoff = D("2024-01-01");
    set_behaviour(f.tab, 1.0, 0.0, 0.0, 450);
    /* Not in the auto-enrollment population (hired before the cutoff). */
    add(&f, "V21", "2004-07-10", "2023-01-01", 6000000, 1, 0);
    /* In it, but A = 2025-12-01 + 45 falls in 2026: the voluntary draw
     * happens in 2025 and auto-enrollment later finds them enrolled. */
    add(&f, "AEV", "2004-12-01", "2024-03-01", 6000000, 1, 0);
    ASSERT_EQ(fx_run(&f), WF_OK);
    const wf_event *e = find(&f, 0, "V21", WF_EV_ENROLLMENT);
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(e->date, D("2025-07-10"));
    ASSERT_EQ(e->category, WF_CAT_VOLUNTARY_ENROLLMENT);
    ASSERT_EQ(e->deferral_bp, 450);
    ASSERT_EQ(e->prev_deferral_bp, 0);
    ASSERT_DEQ(e->probability, 1.0);
    ASSERT_EQ(e->seq, 2); /* after the eligibility event of the same day */
    e = find(&f, 0, "AEV", WF_EV_ENROLLMENT);
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(e->date, D("2025-12-01"));
    ASSERT_EQ(e->category, WF_CAT_VOLUNTARY_ENROLLMENT);
    ASSERT_EQ(snap(&f, 0, "AEV")->source, WF_SRC_VOLUNTARY);
    ASSERT_TRUE(find(&f, 1, "AEV", WF_EV_ENROLLMENT) == NULL);
    fx_free(&f);

    ASSERT_TRUE(fx_init(&f));
    f.cfg->ve_enabled = true;
    add(&f, "V21", "2004-07-10", "2023-01-01", 6000000, 1, 0);
    ASSERT_EQ(fx_run(&f), WF_OK); /* voluntary probability 0 */
    ASSERT_TRUE(find(&f, 0, "V21", WF_EV_ENROLLMENT) == NULL);
    ASSERT_TRUE(find(&f, 0, "V21", WF_EV_ELIGIBILITY) != NULL);
    fx_free(&f);
}

TEST(model_step_conversion)
{
    fx f;
    ASSERT_TRUE(fx_init(&f));
    f.cfg->ve_enabled = true;
    set_behaviour(f.tab, 0.0, 1.0, 0.0, 450);
    add(&f, "C1", "1980-01-01", "2010-01-01", 6000000, 1, 0);
    add(&f, "C2", "1980-01-01", "2010-01-01", 6000000, 1, 300);
    ASSERT_EQ(fx_run(&f), WF_OK);
    const wf_event *e = find(&f, 0, "C1", WF_EV_ENROLLMENT);
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(e->date, D("2025-01-15"));
    ASSERT_EQ(e->category, WF_CAT_VOLUNTARY_ENROLLMENT);
    ASSERT_EQ(e->deferral_bp, 450);
    ASSERT_DEQ(e->probability, 1.0);
    const wf_snapshot_row *s = snap(&f, 0, "C1");
    ASSERT_TRUE(s->enrolled && s->source == WF_SRC_VOLUNTARY && s->deferral_bp == 450);
    ASSERT_EQ(count(&f, 0, "C2"), 0);
    ASSERT_EQ(snap(&f, 0, "C2")->source, WF_SRC_CENSUS);
    fx_free(&f);
}

TEST(model_step_escalation_scope_cap_and_opt_out_flag)
{
    fx f;
    ASSERT_TRUE(fx_init(&f));
    f.cfg->end_year = 2027;
    f.cfg->esc_enabled = true;
    f.cfg->esc_scope = WF_ESC_ALL_ENROLLED;
    add(&f, "E1", "1980-01-01", "2010-01-01", 6000000, 1, 950);
    add(&f, "E2", "1980-01-01", "2010-01-01", 6000000, 1, 300);
    f.tc.cen.emp[1].esc_opt_out = true;
    ASSERT_EQ(fx_run(&f), WF_OK);
    /* Enrolled at C = 2024-12-31: first due on 2026-01-01 (delay 1). */
    ASSERT_TRUE(find(&f, 0, "E1", WF_EV_DEFERRAL_ESCALATION) == NULL);
    const wf_event *e = find(&f, 1, "E1", WF_EV_DEFERRAL_ESCALATION);
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(e->date, D("2026-01-01"));
    ASSERT_EQ(e->prev_deferral_bp, 950);
    ASSERT_EQ(e->deferral_bp, 1000); /* capped */
    ASSERT_TRUE(find(&f, 2, "E1", WF_EV_DEFERRAL_ESCALATION) == NULL);
    for (int y = 0; y < 3; y++)
        ASSERT_EQ(count(&f, y, "E2"), 0);
    fx_free(&f);

    /* Scope auto_enrolled: a census enrollee is never escalated. */
    ASSERT_TRUE(fx_init(&f));
    f.cfg->end_year = 2026;
    f.cfg->esc_enabled = true;
    add(&f, "E1", "1980-01-01", "2010-01-01", 6000000, 1, 500);
    ASSERT_EQ(fx_run(&f), WF_OK);
    ASSERT_EQ(count(&f, 1, "E1"), 0);
    fx_free(&f);
}

/* ---- the top income segment is a run-time refusal --------------------------- */

TEST(model_step_salary_above_top_segment)
{
    fx f;
    ASSERT_TRUE(fx_init(&f));
    add(&f, "RICH", "1980-01-01", "2010-01-01",
        f.tab->income_segments[f.tab->n_income_segments - 1].max * 100, 5, 0);
    wf_sim_sink s = wf_keep_sink_make(&f.k);
    ASSERT_EQ(wf_sim_run(f.cfg, f.tab, &f.tc.cen, 1, false, &s, &f.err), WF_ERUNTIME);
    ASSERT_CONTAINS(f.err.message, "RICH");
    ASSERT_CONTAINS(f.err.message, "2025");
    fx_free(&f);
}

TEST(model_step_new_hire_termination_shortfall)
{
    /* tnh = 99.9 %: H = 1000 x net and Tnh = 999 x net exceeds the hires
     * who can leave (those hired before December 31): all of them leave,
     * and the difference is reported as the shortfall. */
    fx f;
    ASSERT_TRUE(fx_init(&f));
    f.cfg->target_growth_ppm = 100000;
    f.cfg->new_hire_termination_ppm = 999000;
    add_staff(&f, 10);
    ASSERT_EQ(fx_run(&f), WF_OK);
    const wf_year_summary *s = &f.k.years[0].sum;
    ASSERT_EQ(s->H, 1000);
    ASSERT_EQ(s->Tnh, 999);
    int64_t last_day = 0, left = 0;
    int32_t dec31 = D("2025-12-31");
    char id[32];
    for (int k = 1; k <= 1000; k++) {
        snprintf(id, sizeof id, "NH_2025_%06d", k);
        const wf_event *h = find(&f, 0, id, WF_EV_HIRE);
        ASSERT_TRUE(h != NULL);
        last_day += h->date == dec31;
        left += find(&f, 0, id, WF_EV_TERMINATION) != NULL;
    }
    ASSERT_TRUE(last_day > 1); /* this seed hires more than one on Dec 31 */
    ASSERT_EQ(left, 1000 - last_day);
    ASSERT_EQ(s->Tnh_actual, left);
    ASSERT_EQ(s->tnh_shortfall, 999 - left);
    ASSERT_EQ(s->year_end_headcount, 10 + last_day);
    fx_free(&f);
}

/* wf_sim_sink.draws: the draws the model used, per year and stream, agree
 * with the decisions they made (every hire draws each hire stream once,
 * every leaver one termination day, every promoted employee one raise),
 * and do not depend on the thread count. */
TEST(model_draw_tally_matches_decisions)
{
    wf_config *cfg = NULL;
    wf_tables *tab = NULL;
    wf_census *cen = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_model_test_load(NULL, "golden/census.csv", &cfg, &tab,
                                 &cen, &err), WF_OK);
    int years = cfg->end_year - cfg->start_year + 1;
    ASSERT_TRUE(years >= 2 && years <= 32);
    uint64_t one[32 * WF_STREAM_COUNT] = {0}, three[32 * WF_STREAM_COUNT] = {0};
    wf_keep_sink k;
    wf_sim_sink s = wf_keep_sink_make(&k);
    s.draws = one;
    ASSERT_EQ(wf_sim_run(cfg, tab, cen, 1, false, &s, &err), WF_OK);
    ASSERT_EQ(k.n, years);
    for (int y = 0; y < years; y++) {
        const wf_year_summary *sum = &k.years[y].sum;
        const uint64_t *d = &one[(size_t)y * WF_STREAM_COUNT];
        uint64_t promoted = 0;
        for (size_t e = 0; e < k.years[y].n_ev; e++)
            promoted += k.years[y].ev[e].type == WF_EV_PROMOTION;
        wf_test_note("year %d: H %lld, leavers %lld, promoted %llu", sum->year,
                     (long long)sum->H_actual,
                     (long long)(sum->R_actual + sum->Te_actual + sum->Tnh_actual),
                     (unsigned long long)promoted);
        ASSERT_UEQ(d[WF_STREAM_HIRE_DATE], (uint64_t)sum->H_actual);
        ASSERT_UEQ(d[WF_STREAM_HIRE_AGE], (uint64_t)sum->H_actual);
        ASSERT_UEQ(d[WF_STREAM_HIRE_BIRTH_DAY], (uint64_t)sum->H_actual);
        ASSERT_UEQ(d[WF_STREAM_HIRE_SALARY], (uint64_t)sum->H_actual);
        ASSERT_UEQ(d[WF_STREAM_TERMINATION_DATE],
                   (uint64_t)(sum->R_actual + sum->Te_actual));
        ASSERT_UEQ(d[WF_STREAM_NEW_HIRE_TERMINATION_DATE], (uint64_t)sum->Tnh_actual);
        ASSERT_UEQ(d[WF_STREAM_PROMOTION_RAISE], promoted);
        ASSERT_UEQ(d[WF_STREAM_TERMINATION],
                   sum->Te > 0 ? (uint64_t)(sum->N - sum->R) : 0);
        ASSERT_TRUE(d[WF_STREAM_RETIREMENT] >= (uint64_t)sum->R_actual);
        ASSERT_TRUE(d[WF_STREAM_PROMOTION] >= promoted);
    }
    wf_keep_sink_free(&k);
    s = wf_keep_sink_make(&k);
    s.draws = three;
    ASSERT_EQ(wf_sim_run(cfg, tab, cen, 3, false, &s, &err), WF_OK);
    ASSERT_TRUE(memcmp(one, three, sizeof one) == 0);
    wf_keep_sink_free(&k);
    wf_census_free(cen);
    wf_tables_free(tab);
    wf_config_free(cfg);
}
