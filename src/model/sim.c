/*
 * sim.c - the year loop of docs/model.md 4 (wf_sim_run).
 *
 * Each year runs these phases over the workforce rows (sim_int.h), which
 * are kept in employee_id order:
 *
 *   A  parallel   age and tenure for the year, last year's hires (P),
 *                 retirement draws (R), termination keys k = u / h;
 *      serial     workforce needs (needs.c); selection of the first Te
 *                 by (k, id) (keys unused when Te = 0);
 *   H  parallel   the hires' attributes and new-hire termination keys;
 *      serial     selection of the first Tnh, merge of the hires into the
 *                 rows (a backward merge, in place);
 *   B  parallel   every employee's events of the year (sim_employee.c);
 *      serial     events of the chunks concatenated in chunk order, handed
 *                 to the sink with the summary and the snapshot; the rows
 *                 of those who left are dropped; bands grow.
 *
 * The model's steps (docs/model.md 4) and where each is:
 *
 *   4.1  retirements          retirements (phase A), workforce needs in
 *                             needs.c (wf_needs_compute)
 *   4.2  experienced          experienced_termination_keys (phase A),
 *        terminations         experienced_terminations; the day in
 *                             sim_employee.c (termination_day)
 *   4.3  promotions           sim_employee.c (list_promotion)
 *   4.4  hires                hires: hire_levels, make_hire_ids, phase_h,
 *                             merge_hires
 *   4.5  new-hire             new_hire_terminations (keys in phase_h); the
 *        terminations         day in sim_employee.c (termination_day)
 *   4.6-4.9                   sim_employee.c, one function per step
 *   4.7  eligibility day      eligibility_day (census rows and hires)
 *   4.10 year end             year_end
 *
 * Draws are pure functions of their keys, so some are computed ahead, in
 * batches, for rows that may use them (phase B, the termination keys);
 * rng.c's counters count only those the model uses. Parallel phases write
 * only the rows and buffers of their own chunk, and everything serial runs
 * in row order, so results do not depend on the thread count.
 */
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "needs.h"
#include "sim_int.h"
#include "wf_date.h"
#include "wf_error.h"
#include "wf_grow.h"

#define CHUNK_ROWS WF_SIM_CHUNK_ROWS

typedef struct sim {
    const wf_config *cfg;
    const wf_tables *tab;
    int threads;
    wf_sim_rows rows, hires;
    wf_sim_ctx ctx;
    wf_sim_chunk *chunks;
    size_t n_chunks;
    wf_sim_rank *rank;
    size_t rank_cap;
    uint32_t *perm, *inv, *pos;     /* the hires' id order, its inverse,
                                       and where they go in the rows */
    size_t perm_cap;
    uint32_t *keep;                 /* year end: the rows that stay */
    size_t keep_cap;
    char **arenas;                  /* hire ids, one arena per year */
    size_t n_arenas;
    wf_event *year_ev;
    size_t year_ev_cap, year_n;
    /* phase B's commit in chunk order (commit_ready) */
    pthread_mutex_t commit_lock;
    size_t b_chunks, committed;     /* chunks of the phase, committed */
    bool commit_failed;             /* year_ev could not grow */
    wf_event **pool_ev;             /* free event buffers, n_pool of them */
    size_t *pool_cap, n_pool;
    wf_snapshot_row *snap;
    size_t snap_cap;
    const char **age_labels, **ten_labels;
    size_t n_s;                     /* |S(y)| while a year runs */
    int64_t te_quota, tnh_quota;
    uint64_t year_draws[WF_STREAM_COUNT]; /* draws used this year */
} sim;

/* ---- small helpers -------------------------------------------------------- */

static int32_t md_day(int year, wf_md md)
{
    return wf_date_from_ymd(year, md.month, md.day);
}

/* docs/model.md 4.7: eligible from the later of hire + waiting period and the
 * day the minimum age is reached (adult: that day, computed by the
 * caller from whichever calendar fields it has). */
static int32_t eligibility_day(const wf_config *cfg, int32_t hire, int32_t adult)
{
    int32_t waited = hire + cfg->waiting_period_days;
    return waited > adult ? waited : adult;
}

static size_t chunks_for(size_t n)
{
    return (n + CHUNK_ROWS - 1) / CHUNK_ROWS;
}

static bool reserve_chunks(sim *s, size_t n)
{
    if (n <= s->n_chunks)
        return true;
    wf_sim_chunk *p = realloc(s->chunks, n * sizeof *p);
    if (!p)
        return false;
    s->chunks = p;
    /* The pool holds at most every chunk's buffer. */
    wf_event **pe = realloc(s->pool_ev, n * sizeof *pe);
    if (!pe)
        return false;
    s->pool_ev = pe;
    size_t *pc = realloc(s->pool_cap, n * sizeof *pc);
    if (!pc)
        return false;
    s->pool_cap = pc;
    memset(p + s->n_chunks, 0, (n - s->n_chunks) * sizeof *p);
    s->chunks = p;
    for (; s->n_chunks < n; s->n_chunks++) {
        wf_sim_chunk *c = &p[s->n_chunks];
        c->idx = malloc(CHUNK_ROWS * sizeof *c->idx);
        c->x = malloc(CHUNK_ROWS * sizeof *c->x);
        c->term_day = malloc(CHUNK_ROWS * sizeof *c->term_day);
        if (!c->idx || !c->x || !wf_sim_chunk_pre_init(c) || !c->term_day) {
            s->n_chunks++; /* freed with the others */
            return false;
        }
    }
    return true;
}

static void chunk_range(size_t k, size_t n, size_t *b, size_t *e)
{
    *b = k * CHUNK_ROWS;
    *e = *b + CHUNK_ROWS < n ? *b + CHUNK_ROWS : n;
}

/* ---- setup ---------------------------------------------------------------- */

static int cmp_census(const void *a, const void *b, void *arg)
{
    const wf_census *cen = arg;
    return strcmp(cen->emp[*(const uint32_t *)a].id,
                  cen->emp[*(const uint32_t *)b].id);
}

static wf_status load_census(sim *s, const wf_census *cen, wf_error *err)
{
    wf_sim_rows *r = &s->rows;
    int32_t census_day = s->ctx.census_day;
    wf_rng_stream seed_st; /* the seed's key head, for the ids' key blocks */
    wf_rng_stream_init(&seed_st, s->cfg->random_seed, s->cfg->start_year,
                       (wf_stream)0);
    uint32_t *order = malloc((cen->n ? cen->n : 1) * sizeof *order);
    /* Room for twice the census up front: the workforce of a year (the
     * survivors and the year's hires) stays under it for years at the
     * usual growth, so the columns are not moved by a realloc when the
     * first hires arrive. Pages never written cost no memory. */
    if (!order || !wf_sim_rows_reserve(r, 2 * cen->n)) {
        free(order);
        return wf_error_nomem(err, "workforce");
    }
    for (size_t i = 0; i < cen->n; i++)
        order[i] = (uint32_t)i;
    qsort_r(order, cen->n, sizeof *order, cmp_census, (void *)cen);
    for (size_t i = 0; i < cen->n; i++) {
        const wf_census_employee *e = &cen->emp[order[i]];
        r->id[i] = e->id;
        r->id_len[i] = (uint8_t)strlen(e->id);
        wf_rng_key_init(&r->key[i], &seed_st, e->id, r->id_len[i]);
        r->birth[i] = e->birth_day;
        r->hire[i] = e->hire_day;
        wf_sim_rows_cache_dates(r, i);
        r->elig[i] = eligibility_day(s->cfg, e->hire_day,
                                     wf_date_add_years(e->birth_day, s->cfg->minimum_age));
        r->salary[i] = e->salary_cents;
        r->level[i] = (uint8_t)e->level;
        r->deferral[i] = e->deferral_bp;
        r->enrolled[i] = e->deferral_bp > 0;
        r->source[i] = e->deferral_bp > 0 ? WF_SRC_CENSUS : WF_SRC_NONE;
        r->enroll_day[i] = e->deferral_bp > 0 ? census_day : WF_DATE_NULL;
        r->pend_opt_day[i] = WF_DATE_NULL;
        r->pend_opt_prob[i] = NAN;
        r->opted_out[i] = 0;
        r->esc_opt_out[i] = e->esc_opt_out;
    }
    r->n = cen->n;
    free(order);
    return WF_OK;
}

static void build_luts(sim *s)
{
    const wf_tables *t = s->tab;
    for (int v = 0; v < WF_SIM_LUT; v++) {
        s->ctx.age_band[v] = (uint8_t)wf_band_index(t->age_bands, t->n_age_bands, v);
        s->ctx.ten_band[v] = (uint8_t)wf_band_index(t->tenure_bands, t->n_tenure_bands, v);
        s->ctx.age_seg[v] = (uint8_t)wf_band_index(t->age_segments, t->n_age_segments, v);
    }
}

static wf_status setup(sim *s, const wf_census *cen, wf_error *err)
{
    const wf_tables *t = s->tab;
    wf_sim_ctx *c = &s->ctx;
    c->cfg = s->cfg;
    c->tab = t;
    c->rows = &s->rows;
    c->census_day = wf_date_from_ymd(s->cfg->start_year - 1, 12, 31);
    c->ae_cutoff = wf_config_ae_cutoff(s->cfg);
    /* Levels, bands and segments are stored as bytes in the event table. */
    if (t->n_levels > 255 || t->n_age_bands > 255 || t->n_tenure_bands > 255 ||
        t->n_age_segments > 255)
        return wf_error_set(err, WF_EINPUT, NULL, 0, 0,
                            "the parameter tables have more than 255 levels, "
                            "bands or segments");
    c->band_min = malloc((size_t)t->n_levels * sizeof *c->band_min);
    c->band_max = malloc((size_t)t->n_levels * sizeof *c->band_max);
    c->income_min_cents = malloc((size_t)t->n_income_segments * sizeof(int64_t));
    s->age_labels = malloc((size_t)t->n_age_bands * sizeof *s->age_labels);
    s->ten_labels = malloc((size_t)t->n_tenure_bands * sizeof *s->ten_labels);
    if (!c->band_min || !c->band_max || !c->income_min_cents || !s->age_labels ||
        !s->ten_labels)
        return wf_error_nomem(err, "tables");
    for (int l = 0; l < t->n_levels; l++) {
        c->band_min[l] = t->levels[l].min_cents;
        c->band_max[l] = t->levels[l].max_cents;
    }
    for (int i = 0; i < t->n_income_segments; i++)
        c->income_min_cents[i] = t->income_segments[i].min * 100;
    c->income_top_cents = t->income_segments[t->n_income_segments - 1].max * 100;
    for (int i = 0; i < t->n_age_bands; i++)
        s->age_labels[i] = t->age_bands[i].label;
    for (int i = 0; i < t->n_tenure_bands; i++)
        s->ten_labels[i] = t->tenure_bands[i].label;
    build_luts(s);
    return load_census(s, cen, err);
}

static void begin_year(sim *s, int y)
{
    const wf_config *cfg = s->cfg;
    wf_sim_ctx *c = &s->ctx;
    c->year = y;
    c->jan1 = wf_date_from_ymd(y, 1, 1);
    c->prev_jan1 = wf_date_from_ymd(y - 1, 1, 1);
    c->dec31 = wf_date_from_ymd(y, 12, 31);
    c->promo_day = md_day(y, cfg->promotion_date);
    c->merit_day = md_day(y, cfg->merit_date);
    c->enroll_day = md_day(y, cfg->ve_enrollment_date);
    c->esc_day = md_day(y, cfg->esc_effective_date);
    for (int k = 0; k < WF_STREAM_COUNT; k++)
        wf_rng_stream_init(&c->st[k], cfg->random_seed, y, (wf_stream)k);
    for (int d = 0; d < wf_days_in_year(y); d++) {
        int yy, m, dd;
        wf_date_to_ymd(c->jan1 + d, &yy, &m, &dd);
        c->md_of_doy[d] = (uint16_t)WF_SIM_MD(m, dd);
    }
    /* escalation_due's "enrolled at least delay years before esc_day" as
     * one comparison of the enrollment day. */
    c->esc_enrolled_by = wf_date_last_years_before(c->esc_day, cfg->esc_delay_years);
}

/* Moves the chunks' draw tallies into the year's (serial, after a
 * parallel phase). */
static void tally_draws(sim *s)
{
    for (size_t k = 0; k < s->n_chunks; k++)
        for (int t = 0; t < WF_STREAM_COUNT; t++) {
            s->year_draws[t] += s->chunks[k].used[t];
            s->chunks[k].used[t] = 0;
        }
}

/* The year's draws into the sink's table, when it keeps one. */
static void report_draws(sim *s, const wf_sim_sink *sink)
{
    if (!sink || !sink->draws)
        return;
    size_t y = (size_t)(s->ctx.year - s->cfg->start_year);
    for (int t = 0; t < WF_STREAM_COUNT; t++)
        sink->draws[y * WF_STREAM_COUNT + (size_t)t] += s->year_draws[t];
}

/* ---- phase A: the year's ages, P and retirements -------------------------- */

/* 4.2: termination keys k = u / h of the rows of chunk k, made in
 * phase A while the chunk's rows are in the cache rather than in a pass of
 * their own. They are needed whenever Te > 0, that is in about every year;
 * computed ahead, so their draws count only when experienced_terminations
 * ranks them. h is the row's event_probability should it terminate. */
static void experienced_termination_keys(sim *s, size_t k)
{
    const wf_sim_ctx *c = &s->ctx;
    const wf_tables *t = s->tab;
    wf_sim_rows *r = &s->rows;
    uint32_t *idx = s->chunks[k].idx, *x = s->chunks[k].x;
    size_t b, e, n = 0;
    chunk_range(k, s->n_s, &b, &e);
    for (size_t i = b; i < e; i++) {
        s->rank[i].idx = (uint32_t)i;
        s->rank[i].key = INFINITY; /* retirees are not ranked */
        if (r->term_cat[i] != WF_CAT_RETIREMENT)
            idx[n++] = (uint32_t)i;
    }
    wf_rng_x_keys(&c->st[WF_STREAM_TERMINATION], r->key, (const char *const *)r->id,
                  r->id_len, idx, n, x);
    for (size_t j = 0; j < n; j++) {
        size_t i = idx[j];
        double h = t->levels[r->level[i] - 1].termination_base *
                   t->term_age_mult[c->age_band[wf_sim_clamp_lut(r->age_y[i])]] *
                   t->term_tenure_mult[c->ten_band[wf_sim_clamp_lut(r->ten_y[i])]];
        s->rank[i].key = wf_rng_u(x[j]) / h;
        r->term_prob[i] = h;
    }
}

/* 4.1: everyone of retirement age draws (one batch: ch->idx[0..n) holds
 * them); those under the probability retire. Counts R into ch. */
static void retirements(sim *s, wf_sim_chunk *ch, size_t n)
{
    const wf_sim_ctx *c = &s->ctx;
    wf_sim_rows *r = &s->rows;
    wf_rng_x_keys(&c->st[WF_STREAM_RETIREMENT], r->key, (const char *const *)r->id,
                  r->id_len, ch->idx, n, ch->x);
    ch->used[WF_STREAM_RETIREMENT] += n;
    for (size_t j = 0; j < n; j++)
        if (wf_rng_u(ch->x[j]) < s->cfg->retirement_probability) {
            size_t i = ch->idx[j];
            r->term_cat[i] = WF_CAT_RETIREMENT;
            r->term_prob[i] = s->cfg->retirement_probability;
            ch->R++;
        }
}

/* Phase A for chunk k: the year's ages and tenures (docs/model.md 3), P,
 * retirements (4.1) and the termination keys (4.2). */
static void phase_a(void *arg, size_t k)
{
    sim *s = arg;
    const wf_sim_ctx *c = &s->ctx;
    wf_sim_rows *r = &s->rows;
    wf_sim_chunk *ch = &s->chunks[k];
    size_t b, e;
    chunk_range(k, s->n_s, &b, &e);
    size_t n = 0;
    ch->R = ch->P = 0;
    for (size_t i = b; i < e; i++) {
        /* At January 1; hires of S(y) are before it. */
        int age = wf_sim_years(c->year, WF_SIM_MD_JAN1, r->birth_y[i], r->birth_md[i]);
        r->age_y[i] = (int16_t)age;
        r->ten_y[i] = (int16_t)wf_sim_years(c->year, WF_SIM_MD_JAN1, r->hire_y[i], r->hire_md[i]);
        r->is_hire[i] = 0;
        r->term_cat[i] = WF_SIM_STAYS;
        r->term_prob[i] = NAN;
        ch->P += r->hire[i] >= c->prev_jan1 && r->hire[i] < c->jan1;
        ch->idx[n] = (uint32_t)i;
        n += age >= s->cfg->retirement_age;
    }
    retirements(s, ch, n);
    experienced_termination_keys(s, k);
}

/* 4.2: the first te by (k, id) terminate (keys from phase A); R retirees. */
static int64_t experienced_terminations(sim *s, int64_t te, int64_t R)
{
    wf_sim_rows *r = &s->rows;
    size_t n = s->n_s;
    if (te <= 0)
        return 0;
    /* Every row but the retirees drew its key. */
    s->year_draws[WF_STREAM_TERMINATION] += (uint64_t)((int64_t)n - R);
    if ((size_t)te > n)
        te = (int64_t)n;
    wf_sim_select(s->rank, n, (size_t)te);
    int64_t done = 0;
    for (int64_t j = 0; j < te; j++) {
        uint32_t i = s->rank[j].idx;
        if (r->term_cat[i] != WF_SIM_STAYS)
            continue; /* a retiree; only possible when te > N - R */
        r->term_cat[i] = WF_CAT_EXPERIENCED_TERMINATION;
        done++;
    }
    return done;
}

/* ---- hires ------------------------------------------------------------------ */

/* Hires per level by largest remainder (docs/model.md 4.4), into q. */
static void hire_levels(const wf_tables *t, int64_t H, int64_t *q)
{
    __extension__ typedef __int128 i128;
    int64_t W = 0, left = H;
    int64_t rem[256];
    for (int l = 0; l < t->n_levels; l++)
        W += t->levels[l].new_hire_mix_ppm;
    for (int l = 0; l < t->n_levels; l++) {
        i128 p = (i128)H * t->levels[l].new_hire_mix_ppm;
        q[l] = (int64_t)(p / W);
        rem[l] = (int64_t)(p % W);
        left -= q[l];
    }
    while (left-- > 0) {
        int best = 0;
        for (int l = 1; l < t->n_levels; l++)
            if (rem[l] > rem[best])
                best = l;
        q[best]++;
        rem[best] = -1;
    }
}

/* x of one stream for the hires [b, b + n) of chunk k, into x. */
static void hire_draws(sim *s, size_t k, wf_stream st, size_t b, size_t n,
                       uint32_t *x)
{
    const wf_sim_rows *h = &s->hires;
    wf_rng_x_keys(&s->ctx.st[st], h->key + b, (const char *const *)h->id + b,
                  h->id_len + b, NULL, n, x);
    s->chunks[k].used[st] += n;
}

/* The hires' attributes (docs/model.md 4.4), one stream at a time so that each
 * stream's draws are one batch. */
static void phase_h(void *arg, size_t k)
{
    sim *s = arg;
    const wf_sim_ctx *c = &s->ctx;
    const wf_config *cfg = s->cfg;
    const wf_tables *t = s->tab;
    wf_sim_rows *h = &s->hires;
    uint32_t *x = s->chunks[k].x, *idx = s->chunks[k].idx;
    size_t b, e;
    chunk_range(k, h->n, &b, &e);
    size_t n = e - b;
    hire_draws(s, k, WF_STREAM_HIRE_DATE, b, n, x);
    for (size_t j = b; j < e; j++) {
        uint32_t doy = wf_rng_pick(x[j - b], (uint32_t)wf_days_in_year(c->year));
        h->hire[j] = c->jan1 + (int32_t)doy;
        h->hire_y[j] = (int16_t)c->year;
        h->hire_md[j] = c->md_of_doy[doy];
    }
    hire_draws(s, k, WF_STREAM_HIRE_AGE, b, n, x);
    for (size_t j = b; j < e; j++) {
        uint32_t ra = wf_rng_pick(x[j - b], (uint32_t)t->hire_age_total_ppm);
        int a = 0;
        while (a < t->n_hire_ages - 1 && t->hire_age_cum_ppm[a] <= ra)
            a++;
        h->age_y[j] = (int16_t)t->hire_ages[a];
    }
    hire_draws(s, k, WF_STREAM_HIRE_BIRTH_DAY, b, n, x);
    for (size_t j = b; j < e; j++) {
        /* Dates from the calendar fields where they are known already:
         * the same days as wf_date_add_years and wf_sim_rows_cache_dates
         * give, with one conversion to (year, month, day) instead of
         * four. */
        int by, bm, bd;
        h->birth[j] = wf_date_add_years_ymd(c->year, h->hire_md[j] / 32,
                                            h->hire_md[j] % 32, -h->age_y[j]) -
                      (int32_t)wf_rng_pick(x[j - b], 365);
        wf_date_to_ymd(h->birth[j], &by, &bm, &bd);
        h->birth_y[j] = (int16_t)by;
        h->birth_md[j] = (uint16_t)WF_SIM_MD(bm, bd);
        h->elig[j] = eligibility_day(cfg, h->hire[j],
                                     wf_date_add_years_ymd(by, bm, bd, cfg->minimum_age));
        /* The age for the year is the age at hire: the drawn age, since
         * the birth day moves back less than a year. */
    }
    hire_draws(s, k, WF_STREAM_HIRE_SALARY, b, n, x);
    for (size_t j = b; j < e; j++) {
        int l = h->level[j] - 1;
        double f = t->levels[l].new_hire_percentile +
                   cfg->new_hire_salary_spread * (2.0 * wf_rng_u(x[j - b]) - 1.0);
        f = f < 0.0 ? 0.0 : f > 1.0 ? 1.0 : f;
        double sal = (double)c->band_min[l] + (double)(c->band_max[l] - c->band_min[l]) * f;
        /* In [min, max] of band(y), which end_year checked against the
         * largest salary: a hire's salary always fits. */
        assert(wf_sim_salary_fits(sal));
        h->salary[j] = wf_sim_llround(sal);
    }
    /* New-hire termination keys; non-candidates (hired on December 31)
     * rank last. */
    size_t m = 0;
    for (size_t j = b; j < e; j++) {
        s->rank[j].idx = s->inv[j];
        s->rank[j].key = INFINITY;
        if (h->hire[j] < c->dec31)
            idx[m++] = (uint32_t)j;
    }
    wf_rng_x_keys(&c->st[WF_STREAM_NEW_HIRE_TERMINATION], h->key,
                  (const char *const *)h->id, h->id_len, idx, m, x);
    s->chunks[k].used[WF_STREAM_NEW_HIRE_TERMINATION] += m;
    for (size_t j = 0; j < m; j++)
        s->rank[idx[j]].key = wf_rng_u(x[j]);
}

static int cmp_hire(const void *a, const void *b, void *arg)
{
    const wf_sim_rows *h = arg;
    return strcmp(h->id[*(const uint32_t *)a], h->id[*(const uint32_t *)b]);
}

/* Writes v in decimal, zero-padded to at least six digits (printf's
 * "%06lld" for v >= 0), and a NUL; returns the digits written. */
static int format_hire_no(char *p, int64_t v)
{
    char d[24];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n < 6)
        d[n++] = '0';
    for (int k = 0; k < n; k++)
        p[k] = d[n - 1 - k];
    p[n] = '\0';
    return n;
}

/* The hires' ids "NH_{year}_{nnnnnn}" (docs/model.md 4.4), numbered 1..H in
 * level order, and perm, their id order. The prefix is formatted once and
 * the number by hand: snprintf for each of a year's ~260,000 hires (at
 * 1,000,000 employees) was 4% of the simulation. */
static wf_status make_hire_ids(sim *s, int64_t H, wf_error *err)
{
    wf_sim_rows *h = &s->hires;
    int y = s->ctx.year;
    char prefix[32], tmp[24];
    int plen = snprintf(prefix, sizeof prefix, "NH_%d_", y);
    int stride = plen + format_hire_no(tmp, H) + 1;
    char **ap = realloc(s->arenas, (s->n_arenas + 1) * sizeof *ap);
    if (!ap)
        return wf_error_nomem(err, "hire ids");
    s->arenas = ap;
    char *arena = malloc((size_t)H * (size_t)stride);
    if (!arena)
        return wf_error_nomem(err, "hire ids");
    s->arenas[s->n_arenas++] = arena;
    int64_t q[256];
    hire_levels(s->tab, H, q);
    int lvl = 0;
    int64_t used = 0;
    char num[24]; /* the number j + 1, counted up in decimal */
    int nlen = format_hire_no(num, 1);
    for (int64_t j = 0; j < H; j++) {
        char *id = arena + (size_t)j * (size_t)stride;
        memcpy(id, prefix, (size_t)plen);
        memcpy(id + plen, num, (size_t)nlen + 1);
        int len = plen + nlen;
        int d = nlen - 1;
        while (d >= 0 && num[d] == '9')
            num[d--] = '0';
        if (d >= 0)
            num[d]++;
        else /* 99..9 + 1: one digit more */
            nlen = format_hire_no(num, j + 2);
        while (used == q[lvl]) {
            lvl++;
            used = 0;
        }
        used++;
        h->id[j] = id;
        h->id_len[j] = (uint8_t)len;
        wf_rng_key_init(&h->key[j], &s->ctx.st[0], id, (size_t)len);
        h->level[j] = (uint8_t)(lvl + 1);
        h->deferral[j] = 0;
        h->enroll_day[j] = WF_DATE_NULL;
        h->pend_opt_day[j] = WF_DATE_NULL;
        h->pend_opt_prob[j] = NAN;
        h->enrolled[j] = h->opted_out[j] = h->esc_opt_out[j] = 0;
        h->source[j] = WF_SRC_NONE;
        h->term_cat[j] = WF_SIM_STAYS;
        h->is_hire[j] = 1;
        h->ten_y[j] = 0;
        h->term_prob[j] = NAN;
        s->perm[j] = (uint32_t)j;
    }
    h->n = (size_t)H;
    /* Below a million hires every number has six digits, so the ids all
     * have one length and their byte order is their number order: perm
     * stays the identity and the sort is not needed. */
    if (H > 999999)
        qsort_r(s->perm, (size_t)H, sizeof *s->perm, cmp_hire, h);
    for (int64_t k = 0; k < H; k++)
        s->inv[s->perm[k]] = (uint32_t)k;
    return WF_OK;
}

/* Merges the hires (in id order through perm) into the sorted rows: first
 * where each goes (one comparison per hire when, as usual, the new ids
 * sort after every id there is), then the columns move. */
static void merge_hires(sim *s)
{
    const wf_sim_rows *r = &s->rows, *h = &s->hires;
    size_t i = r->n;
    for (size_t k = h->n; k-- > 0;) {
        const char *hid = h->id[s->perm[k]];
        while (i > 0 && strcmp(r->id[i - 1], hid) > 0)
            i--;
        s->pos[k] = (uint32_t)(i + k);
    }
    wf_sim_rows_merge(&s->rows, h, s->perm, s->pos, s->threads);
}

/* 4.5: the first tnh of the hires by their keys (from phase_h) leave
 * this year; returns how many (fewer when fewer are candidates). */
static int64_t new_hire_terminations(sim *s, int64_t tnh)
{
    wf_sim_rows *h = &s->hires;
    if (tnh <= 0)
        return 0;
    size_t cand = 0;
    for (size_t j = 0; j < h->n; j++)
        cand += s->rank[j].key != INFINITY;
    int64_t n = tnh < (int64_t)cand ? tnh : (int64_t)cand;
    wf_sim_select(s->rank, h->n, (size_t)n);
    for (int64_t k = 0; k < n; k++)
        h->term_cat[s->perm[s->rank[k].idx]] = WF_CAT_NEW_HIRE_TERMINATION;
    return n;
}

/* 4.4 and 4.5: the year's H hires, their attributes and the new-hire
 * terminations among them, merged into the rows. */
static wf_status hires(sim *s, int64_t H, int64_t tnh, int64_t *tnh_done,
                       wf_error *err)
{
    wf_sim_rows *h = &s->hires;
    *tnh_done = 0;
    if (H <= 0) {
        h->n = 0;
        return WF_OK;
    }
    if ((uint64_t)H > UINT32_MAX - s->rows.n ||
        !wf_sim_rows_reserve(h, (size_t)H) ||
        !wf_sim_rows_reserve(&s->rows, s->rows.n + (size_t)H) ||
        !wf_grow((void **)&s->perm, &s->perm_cap, (size_t)H, sizeof *s->perm) ||
        !wf_grow((void **)&s->rank, &s->rank_cap, (size_t)H, sizeof *s->rank))
        return wf_error_nomem(err, "hires");
    uint32_t *inv = realloc(s->inv, s->perm_cap * sizeof *inv);
    if (!inv)
        return wf_error_nomem(err, "hires");
    s->inv = inv;
    uint32_t *pos = realloc(s->pos, s->perm_cap * sizeof *pos);
    if (!pos)
        return wf_error_nomem(err, "hires");
    s->pos = pos;
    if (!reserve_chunks(s, chunks_for((size_t)H)))
        return wf_error_nomem(err, "hires");
    wf_status st = make_hire_ids(s, H, err);
    if (st != WF_OK)
        return st;
    wf_sim_parallel(s->threads, chunks_for(h->n), phase_h, s);
    tally_draws(s);
    *tnh_done = new_hire_terminations(s, tnh);
    merge_hires(s);
    return WF_OK;
}

/* ---- phase B and the year's output ---------------------------------------- */

/* Phase B's events reach year_ev in chunk order as chunks finish: the
 * thread that finishes chunk k, once every chunk before k is done, copies
 * k and whatever finished after it into place, while the events are still
 * in its cache (copying them all at the end read them back from memory),
 * and gives their buffers back to a pool that the next chunks take from:
 * a few buffers in use at a time instead of one per chunk, so the year's
 * events are touched twice, not three times. Chunks finish in about the
 * order they start, so little waits. Everything below is under
 * s->commit_lock; the chunks' own work is not. */
static void commit_ready(sim *s)
{
    while (s->committed < s->b_chunks && s->chunks[s->committed].done) {
        wf_sim_chunk *c = &s->chunks[s->committed++];
        if (c->n && !s->commit_failed) {
            if (wf_grow((void **)&s->year_ev, &s->year_ev_cap, s->year_n + c->n,
                        sizeof *s->year_ev)) {
                memcpy(s->year_ev + s->year_n, c->ev, c->n * sizeof *c->ev);
                s->year_n += c->n;
            } else {
                s->commit_failed = true;
            }
        }
        s->pool_ev[s->n_pool] = c->ev;
        s->pool_cap[s->n_pool++] = c->cap;
        c->ev = NULL;
        c->cap = 0;
    }
}

static void phase_b(void *arg, size_t k)
{
    sim *s = arg;
    wf_sim_chunk *c = &s->chunks[k];
    size_t b, e;
    chunk_range(k, s->rows.n, &b, &e);
    pthread_mutex_lock(&s->commit_lock);
    if (s->n_pool > 0) {
        s->n_pool--;
        c->ev = s->pool_ev[s->n_pool];
        c->cap = s->pool_cap[s->n_pool];
    }
    pthread_mutex_unlock(&s->commit_lock);
    c->n = 0;
    c->status = WF_OK;
    wf_sim_employees(&s->ctx, b, e, c);
    pthread_mutex_lock(&s->commit_lock);
    c->done = true;
    commit_ready(s);
    pthread_mutex_unlock(&s->commit_lock);
}

/* Runs phase B over nch chunks; the events end in year_ev[0, year_n). */
static bool run_phase_b(sim *s, size_t nch)
{
    for (size_t k = 0; k < nch; k++)
        s->chunks[k].done = false;
    /* About two events a row (1.8 at 1,000,000 x 10): room for them before
     * the phase, so year_ev does not grow by steps, copying what it holds,
     * while the first year's chunks commit. More is grown as needed. */
    size_t cap = s->year_ev_cap;
    if (cap < 2 * s->rows.n) { /* a fresh array: nothing in it to keep */
        free(s->year_ev);
        s->year_ev = NULL;
        s->year_ev_cap = cap = 0;
    }
    if (!wf_grow((void **)&s->year_ev, &s->year_ev_cap, 2 * s->rows.n,
                 sizeof *s->year_ev))
        return false;
    if (s->year_ev_cap != cap)
        wf_advise_huge(s->year_ev, s->year_ev_cap * sizeof *s->year_ev);
    s->b_chunks = nch;
    s->committed = 0;
    s->year_n = 0;
    s->commit_failed = false;
    wf_sim_parallel(s->threads, nch, phase_b, s);
    return !s->commit_failed;
}

static wf_status gather(sim *s, size_t nch, wf_year_summary *sum, wf_error *err)
{
    for (size_t k = 0; k < nch; k++)
        if (s->chunks[k].status != WF_OK)
            return wf_error_set(err, s->chunks[k].status, NULL, 0, 0, "%s",
                                s->chunks[k].message);
    sum->events = (int64_t)s->year_n;
    for (size_t k = 0; k < nch; k++) {
        for (int t = 0; t < WF_EV_COUNT; t++)
            sum->by_type[t] += s->chunks[k].by_type[t];
        for (int t = 0; t < WF_CAT_COUNT; t++)
            sum->by_category[t] += s->chunks[k].by_category[t];
    }
    return WF_OK;
}

static wf_status hand_over(sim *s, const wf_sim_sink *sink, wf_year_summary *sum,
                           bool want_snap, wf_error *err)
{
    wf_status st = WF_OK;
    wf_event_batch eb = {
        s->ctx.year, (size_t)sum->events, s->year_ev,
        (const char *const *)s->rows.id,
        (const char *const *)s->age_labels,
        (const char *const *)s->ten_labels, s->cfg->scenario_id,
        s->cfg->plan_design_id, s->cfg->random_seed};
    wf_snapshot_batch sb = {s->ctx.year, s->rows.n, s->snap,
                          (const char *const *)s->rows.id};
    if (sink && sink->on_year)
        st = sink->on_year(sink->ctx, sum, err);
    if (st == WF_OK && sink && sink->on_events)
        st = sink->on_events(sink->ctx, &eb, err);
    if (st == WF_OK && want_snap && sink && sink->on_snapshot)
        st = sink->on_snapshot(sink->ctx, &sb, err);
    if (st == WF_OK && sink && sink->swap_events)
        sink->swap_events(sink->ctx, &s->year_ev, &s->year_ev_cap);
    if (st != WF_OK && err && err->status == WF_OK)
        wf_error_set(err, st, NULL, 0, 0, "the output sink failed in year %d",
                     s->ctx.year);
    return st;
}

/* 4.10: those who left are dropped; the salary bands grow. */
static wf_status year_end(sim *s, wf_error *err)
{
    if (!wf_grow((void **)&s->keep, &s->keep_cap, s->rows.n, sizeof *s->keep))
        return wf_error_nomem(err, "workforce");
    wf_sim_rows_keep(&s->rows, s->keep, s->threads);
    if (s->ctx.year >= s->cfg->end_year)
        return WF_OK;                   /* no band(end_year + 1) */
    /* band(y + 1); a band past the largest salary refuses the run, before
     * a hire's salary or a merit test can use it. */
    double g = 1.0 + s->cfg->salary_structure_growth;
    for (int l = 0; l < s->tab->n_levels; l++) {
        double lo = (double)s->ctx.band_min[l] * g, hi = (double)s->ctx.band_max[l] * g;
        if (!wf_sim_salary_fits(lo) || !wf_sim_salary_fits(hi)) {
            char who[64];
            snprintf(who, sizeof who, "salary band of level %d", s->tab->levels[l].id);
            char msg[512];
            wf_sim_salary_refusal(msg, sizeof msg, who, s->ctx.year + 1,
                                  "salary structure growth",
                                  wf_sim_salary_fits(lo) ? hi : lo);
            return wf_error_set(err, WF_ERUNTIME, NULL, 0, 0, "%s", msg);
        }
        s->ctx.band_min[l] = wf_sim_llround(lo);
        s->ctx.band_max[l] = wf_sim_llround(hi);
    }
    return WF_OK;
}

static wf_status run_year(sim *s, int y, bool want_snap, const wf_sim_sink *sink,
                          wf_error *err)
{
    const wf_config *cfg = s->cfg;
    wf_year_summary sum;
    memset(&sum, 0, sizeof sum);
    begin_year(s, y);
    s->n_s = s->rows.n;
    size_t nch = chunks_for(s->n_s);
    if (!reserve_chunks(s, nch) ||
        !wf_grow((void **)&s->rank, &s->rank_cap, s->n_s, sizeof *s->rank))
        return wf_error_nomem(err, "workforce");
    memset(s->year_draws, 0, sizeof s->year_draws);
    wf_sim_parallel(s->threads, nch, phase_a, s);
    tally_draws(s);
    for (size_t k = 0; k < nch; k++) {
        sum.R += s->chunks[k].R;
        sum.P += s->chunks[k].P;
    }
    sum.year = y;
    sum.N = (int64_t)s->n_s;
    sum.X = sum.N - sum.P;
    wf_needs nd = wf_needs_compute(sum.N, sum.P, sum.R, cfg->target_growth_ppm,
                                   cfg->termination_ppm,
                                   cfg->new_hire_termination_ppm);
    sum.target = nd.target;
    sum.Q = nd.Q;
    sum.Te = nd.Te;
    sum.net = nd.net;
    sum.H = nd.H;
    sum.Tnh = nd.Tnh;
    sum.R_actual = sum.R;
    sum.Te_actual = experienced_terminations(s, nd.Te, sum.R);
    wf_status st = hires(s, nd.H, nd.Tnh, &sum.Tnh_actual, err);
    if (st != WF_OK)
        return st;
    sum.H_actual = nd.H;
    sum.te_shortfall = sum.Te - sum.Te_actual;
    sum.tnh_shortfall = sum.Tnh - sum.Tnh_actual;
    sum.workforce_of_year = (int64_t)s->rows.n;
    nch = chunks_for(s->rows.n);
    if (!reserve_chunks(s, nch) ||
        (want_snap && !wf_grow((void **)&s->snap, &s->snap_cap, s->rows.n, sizeof *s->snap)))
        return wf_error_nomem(err, "workforce");
    s->ctx.snap = want_snap ? s->snap : NULL;
    if (!run_phase_b(s, nch))
        return wf_error_nomem(err, "events");
    tally_draws(s);
    report_draws(s, sink);
    st = gather(s, nch, &sum, err);
    if (st != WF_OK)
        return st;
    sum.year_end_headcount = sum.workforce_of_year - sum.R_actual -
                             sum.Te_actual - sum.Tnh_actual;
    st = hand_over(s, sink, &sum, want_snap, err);
    if (st != WF_OK)
        return st;
    return year_end(s, err);
}

static void sim_free(sim *s)
{
    wf_sim_rows_free(&s->rows);
    wf_sim_rows_free(&s->hires);
    for (size_t k = 0; k < s->n_chunks; k++) {
        free(s->chunks[k].ev); /* NULL unless a phase stopped early */
        free(s->chunks[k].idx);
        free(s->chunks[k].x);
        wf_sim_chunk_pre_free(&s->chunks[k]);
        free(s->chunks[k].term_day);
    }
    free(s->chunks);
    for (size_t k = 0; k < s->n_pool; k++)
        free(s->pool_ev[k]);
    free(s->pool_ev);
    free(s->pool_cap);
    pthread_mutex_destroy(&s->commit_lock);
    free(s->rank);
    free(s->perm);
    free(s->inv);
    free(s->pos);
    free(s->keep);
    for (size_t k = 0; k < s->n_arenas; k++)
        free(s->arenas[k]);
    free(s->arenas);
    free(s->year_ev);
    free(s->snap);
    free(s->age_labels);
    free(s->ten_labels);
    free(s->ctx.band_min);
    free(s->ctx.band_max);
    free(s->ctx.income_min_cents);
}

wf_status wf_sim_run(const wf_config *cfg, const wf_tables *tab,
                     const wf_census *cen, int threads, bool want_snapshots,
                     const wf_sim_sink *sink, wf_error *err)
{
    sim s;
    memset(&s, 0, sizeof s);
    s.cfg = cfg;
    s.tab = tab;
    s.threads = threads < 1 ? 1 : threads;
    pthread_mutex_init(&s.commit_lock, NULL);
    wf_status st = setup(&s, cen, err);
    if (st != WF_OK)
        goto done;
    for (int y = cfg->start_year; y <= cfg->end_year; y++) {
        st = run_year(&s, y, want_snapshots, sink, err);
        if (st != WF_OK)
            goto done;
    }
done:
    sim_free(&s);
    return st;
}
