/*
 * sim_employee.c - one employee's year: docs/model.md 4.2 to 4.9, per row.
 *
 * By the time this runs, the global steps are done: every row of the
 * workforce of the year knows whether and why it terminates this year
 * (term_cat), hires are merged in, and band(year) is known. What is left is
 * local to one employee, so rows are processed in parallel chunks.
 *
 * Steps and where they are (docs/model.md 4; sim.c has the global steps):
 *   1    keyed draws      pre_draws / draw_pre, behind one "who may draw"
 *                         predicate per step and stream
 *   4.2, 4.5 dates        leaves_experienced, leaves_as_new_hire,
 *                         termination_day
 *   4.3  promotions       promotion_may_draw, promoted, list_promotion,
 *                         apply (the raise)
 *   4.6  raises           merit_may_draw, list_raise, apply_raise
 *   4.7  eligibility      eligibility_event, list_eligibility
 *   4.8  enrollment       auto_enrolls, voluntary_decision, list_enrollment
 *   4.9  escalation       list_escalation, escalation_due
 *   4.10 year-end state   the walk (emit) and snapshot_row
 *
 * For each employee the candidate events of the year are listed with their
 * dates first. Decisions that docs/model.md takes on the state at January 1
 * (auto-enrollment, voluntary enrollment, conversion) and the draws of
 * promotion are made while listing. The list is then sorted by (date, type)
 * - the event_sequence order of docs/model.md 5.1 - and walked in that order,
 * which applies the chronology rule (0.4): each event sees the state after
 * the events before it. Conditions that depend on that state (the merit
 * cap after a promotion, escalation after an opt-out or an enrollment, an
 * opt-out needing the employee still enrolled) are decided during the walk,
 * and so are the values "before" and "after" that the event row carries.
 *
 * Invariants: an employee has at most one candidate per type and year, so
 * the list has at most WF_EV_COUNT entries (an opt-out carried from last
 * year and a new auto-enrollment exclude each other: the first needs the
 * employee enrolled at January 1, the second not); nothing is listed on or
 * after the termination date except the termination itself.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_int.h"
#include "wf_date.h"

typedef struct cand {
    int32_t date;
    uint8_t type, category;
    double prob;            /* the p compared with, NAN when none */
    int32_t deferral;       /* enrollment: the new deferral */
    uint8_t source;         /* enrollment: the new source */
} cand;

typedef struct emp_year {   /* one employee's working values for the year */
    const wf_sim_ctx *ctx;
    wf_sim_chunk *ch;       /* the chunk's precomputed draws */
    size_t i;
    int32_t term;           /* termination day or WF_DATE_NULL */
    cand c[WF_EV_COUNT];
    int64_t order[WF_EV_COUNT]; /* (date, type, index into c), sortable */
    int n;
} emp_year;

static bool active_on(const wf_sim_rows *r, size_t i, int32_t term, int32_t d)
{
    return r->hire[i] <= d && (term == WF_DATE_NULL || d < term);
}

/* d falls in the simulated year (WF_DATE_NULL never does). */
static bool in_year(const wf_sim_ctx *ctx, int32_t d)
{
    return d >= ctx->jan1 && d <= ctx->dec31;
}

static inline __attribute__((always_inline)) void
add(emp_year *e, int32_t date, wf_event_type type, wf_event_category cat,
    double prob)
{
    assert(e->n < WF_EV_COUNT);
    e->order[e->n] = (int64_t)date * 65536 + (int64_t)type * 256 + e->n;
    cand *c = &e->c[e->n++];
    c->date = date;
    c->type = (uint8_t)type;
    c->category = (uint8_t)cat;
    c->prob = prob;
    c->deferral = 0;
    c->source = WF_SRC_NONE;
}

/* ---- draws computed ahead (docs/model.md 1) ------------------------------------
 *
 * Every draw of phase B is computed for the whole chunk up front in
 * batches (the multi-lane MD5) by pre_draws, for the rows that the step's
 * "who may draw" predicate below admits; the decision then reads it with
 * draw_pre, behind the same predicate. A precomputed draw that ends up
 * unused changes nothing, draws being pure functions; the used ones are
 * tallied per chunk (c->used, summed by sim.c for wf_sim_sink.draws).
 * Debug builds tag each slot with the chunk's pass and the stream, and
 * draw_pre asserts the tag: a decision that reads a draw made for another
 * row, stream or pass fails at once instead of only in the parity gate. */
static uint32_t draw_pre(wf_sim_chunk *ch, size_t i, wf_stream s)
{
    assert(ch->pre[s]);
    assert(ch->pre_tag[s][i - ch->begin] == (ch->pass << 5 | (uint32_t)s));
    ch->used[s]++;
    return ch->pre[s][i - ch->begin];
}

/* Streams that no row draws both of share a slot: a termination date or
 * a new-hire termination date; a voluntary enrollment or a conversion. */
static const struct {
    unsigned char stream, slot;
} pre_slots[] = {
    {WF_STREAM_TERMINATION_DATE, 0},
    {WF_STREAM_NEW_HIRE_TERMINATION_DATE, 0},
    {WF_STREAM_PROMOTION, 1},
    {WF_STREAM_PROMOTION_RAISE, 2},
    {WF_STREAM_MERIT, 3},
    {WF_STREAM_VOLUNTARY_ENROLLMENT, 4},
    {WF_STREAM_ENROLLMENT_CONVERSION, 4},
    {WF_STREAM_OPT_OUT, 5},
};
_Static_assert(WF_STREAM_COUNT <= 32, "a debug tag keeps the stream in 5 bits");

bool wf_sim_chunk_pre_init(wf_sim_chunk *c)
{
    size_t slot = WF_SIM_CHUNK_ROWS;
    c->pre_buf = malloc(WF_SIM_PRE_SLOTS * slot * sizeof *c->pre_buf);
#ifndef NDEBUG
    /* Zeroed: pass 0 is never current, so an unfilled slot fails. */
    c->pre_tag_buf = calloc(WF_SIM_PRE_SLOTS * slot, sizeof *c->pre_tag_buf);
    c->pass = 0;
    if (!c->pre_tag_buf)
        return false;
#endif
    if (!c->pre_buf)
        return false;
    for (int s = 0; s < WF_STREAM_COUNT; s++)
        c->pre[s] = NULL;
    for (size_t k = 0; k < sizeof pre_slots / sizeof pre_slots[0]; k++) {
        assert(pre_slots[k].slot < WF_SIM_PRE_SLOTS);
        c->pre[pre_slots[k].stream] = c->pre_buf + pre_slots[k].slot * slot;
#ifndef NDEBUG
        c->pre_tag[pre_slots[k].stream] = c->pre_tag_buf + pre_slots[k].slot * slot;
#endif
    }
    return true;
}

void wf_sim_chunk_pre_free(wf_sim_chunk *c)
{
    free(c->pre_buf);
    c->pre_buf = NULL;
#ifndef NDEBUG
    free(c->pre_tag_buf);
    c->pre_tag_buf = NULL;
#endif
}

/* Hashes stream s for the n rows idx[0..n) into c->x (in list order) and
 * files the draws by row in c->pre[s]. */
static void pre_draw(const wf_sim_ctx *ctx, wf_sim_chunk *c, wf_stream s,
                     const uint32_t *idx, size_t n)
{
    const wf_sim_rows *r = ctx->rows;
    wf_rng_x_keys(&ctx->st[s], r->key, (const char *const *)r->id, r->id_len,
                  idx, n, c->x);
    uint32_t *dst = c->pre[s] - c->begin;
    for (size_t k = 0; k < n; k++)
        dst[idx[k]] = c->x[k];
#ifndef NDEBUG
    uint32_t *tag = c->pre_tag[s] - c->begin;
    for (size_t k = 0; k < n; k++)
        tag[idx[k]] = c->pass << 5 | (uint32_t)s;
#endif
}

/* ---- who may draw, step by step ----------------------------------------------
 *
 * One predicate per step and stream, used by both pre_draws (which rows
 * get the draw) and the step's decision below (which rows read it). Each
 * takes the row's termination day (WF_DATE_NULL: stays) where "active on
 * the day" matters; they see the state at January 1. */

/* 4.2 and 4.5: the termination day is drawn by those who leave, on the
 * stream of their kind of termination. */
static inline bool leaves_experienced(uint8_t term_cat)
{
    return term_cat != WF_SIM_STAYS && term_cat != WF_CAT_NEW_HIRE_TERMINATION;
}

static inline bool leaves_as_new_hire(uint8_t term_cat)
{
    return term_cat == WF_CAT_NEW_HIRE_TERMINATION;
}

/* 4.3: a promotion candidate, active on the promotion date. */
static inline bool promotion_may_draw(const wf_sim_ctx *ctx, size_t i, int32_t term)
{
    const wf_sim_rows *r = ctx->rows;
    return !r->is_hire[i] && r->level[i] < ctx->tab->n_levels &&
           r->ten_y[i] >= 1 && r->age_y[i] < WF_SIM_PROMOTION_AGE_LIMIT &&
           active_on(r, i, term, ctx->promo_day);
}

/* 4.3: the promotion probability of row i (a promotion candidate). */
static inline double promotion_p(const wf_sim_ctx *ctx, size_t i)
{
    const wf_sim_rows *r = ctx->rows;
    const wf_tables *t = ctx->tab;
    double p = t->levels[r->level[i] - 1].promotion_base *
               t->promo_age_mult[ctx->age_band[wf_sim_clamp_lut(r->age_y[i])]] *
               t->promo_tenure_mult[ctx->ten_band[wf_sim_clamp_lut(r->ten_y[i])]];
    return p > 1.0 ? 1.0 : p;
}

/* 4.3: a candidate whose promotion draw x is under p is promoted, and
 * draws its raise. */
static inline bool promoted(const wf_sim_ctx *ctx, size_t i, uint32_t x)
{
    return wf_rng_u(x) < promotion_p(ctx, i);
}

/* 4.6: the raise of everyone but the year's hires, active on the merit
 * date; whether the merit applies (salary under the band's top after a
 * promotion) is decided in the walk. */
static inline bool merit_may_draw(const wf_sim_ctx *ctx, size_t i, int32_t term)
{
    const wf_sim_rows *r = ctx->rows;
    return !r->is_hire[i] && active_on(r, i, term, ctx->merit_day);
}

/* 4.7: eligibility reached in the year, active on the day. */
static inline bool eligibility_event(const wf_sim_ctx *ctx, size_t i, int32_t term)
{
    const wf_sim_rows *r = ctx->rows;
    return in_year(ctx, r->elig[i]) && active_on(r, i, term, r->elig[i]);
}

/* 4.8: auto-enrolled this year (and so drawing the opt-out), on the
 * state at January 1. */
static inline bool auto_enrolls(const wf_sim_ctx *ctx, size_t i, int32_t term)
{
    const wf_config *cfg = ctx->cfg;
    const wf_sim_rows *r = ctx->rows;
    int32_t a = r->elig[i] + cfg->ae_window_days;
    return cfg->ae_enabled && r->hire[i] >= ctx->ae_cutoff && !r->enrolled[i] &&
           !r->opted_out[i] && in_year(ctx, a) && active_on(r, i, term, a);
}

/* 4.8: the voluntary decision a row not enrolled (nor auto-enrolled now)
 * takes: voluntary enrollment on its eligibility day when that falls in
 * the year, conversion on the enrollment date when it was eligible
 * before; none when the day is not in its employment. */
typedef enum voluntary_kind {
    VOLUNTARY_NONE,
    VOLUNTARY_AT_ELIGIBILITY,   /* stream voluntary_enrollment */
    VOLUNTARY_CONVERSION        /* stream enrollment_conversion */
} voluntary_kind;

static inline voluntary_kind voluntary_decision(const wf_sim_ctx *ctx, size_t i,
                                                int32_t term)
{
    const wf_sim_rows *r = ctx->rows;
    if (!ctx->cfg->ve_enabled || r->enrolled[i] || auto_enrolls(ctx, i, term))
        return VOLUNTARY_NONE;
    if (in_year(ctx, r->elig[i]))
        return active_on(r, i, term, r->elig[i]) ? VOLUNTARY_AT_ELIGIBILITY
                                                 : VOLUNTARY_NONE;
    if (r->elig[i] < ctx->jan1 && active_on(r, i, term, ctx->enroll_day))
        return VOLUNTARY_CONVERSION;
    return VOLUNTARY_NONE;
}

/* ---- the batched draws ---------------------------------------------------------
 *
 * pre_draws fills every slot phase B reads for the rows [begin, end), using
 * the predicates above. Lists are built without branches; two streams whose
 * rows exclude each other share c->idx, one list from each end (together
 * they never hold more than the chunk's rows, and where the two ends meet
 * both write the same row). */
static int32_t termination_day(const wf_sim_ctx *ctx, wf_sim_chunk *ch,
                               size_t i);

static void pre_draws(const wf_sim_ctx *ctx, size_t begin, size_t end,
                      wf_sim_chunk *c)
{
    const wf_config *cfg = ctx->cfg;
    const wf_sim_rows *r = ctx->rows;
    uint32_t *lo = c->idx, *hi = c->idx + WF_SIM_CHUNK_ROWS;
    const int32_t *term = c->term_day - begin;
    size_t a = 0, b = 0;
    for (size_t i = begin; i < end; i++) {
        uint8_t t = r->term_cat[i];
        lo[a] = hi[-1 - (ptrdiff_t)b] = (uint32_t)i;
        a += leaves_experienced(t);
        b += leaves_as_new_hire(t);
    }
    pre_draw(ctx, c, WF_STREAM_TERMINATION_DATE, lo, a);
    pre_draw(ctx, c, WF_STREAM_NEW_HIRE_TERMINATION_DATE, hi - b, b);
    /* Termination days first: the predicates below need them. */
    for (size_t i = begin; i < end; i++)
        c->term_day[i - begin] = termination_day(ctx, c, i);

    a = 0;
    for (size_t i = begin; i < end; i++) {
        lo[a] = (uint32_t)i;
        a += promotion_may_draw(ctx, i, term[i]);
    }
    pre_draw(ctx, c, WF_STREAM_PROMOTION, lo, a);
    b = 0; /* the promoted (in place: b <= k) draw their raise */
    for (size_t k = 0; k < a; k++) {
        uint32_t i = lo[k];
        lo[b] = i;
        b += promoted(ctx, i, c->x[k]);
    }
    pre_draw(ctx, c, WF_STREAM_PROMOTION_RAISE, lo, b);

    a = 0;
    for (size_t i = begin; i < end; i++) {
        lo[a] = (uint32_t)i;
        a += merit_may_draw(ctx, i, term[i]);
    }
    pre_draw(ctx, c, WF_STREAM_MERIT, lo, a);

    if (cfg->ve_enabled) {
        a = b = 0;
        for (size_t i = begin; i < end; i++) {
            voluntary_kind k = voluntary_decision(ctx, i, term[i]);
            lo[a] = hi[-1 - (ptrdiff_t)b] = (uint32_t)i;
            a += k == VOLUNTARY_AT_ELIGIBILITY;
            b += k == VOLUNTARY_CONVERSION;
        }
        pre_draw(ctx, c, WF_STREAM_VOLUNTARY_ENROLLMENT, lo, a);
        pre_draw(ctx, c, WF_STREAM_ENROLLMENT_CONVERSION, hi - b, b);
    }

    if (cfg->ae_enabled) {
        a = 0;
        for (size_t i = begin; i < end; i++) {
            lo[a] = (uint32_t)i;
            a += auto_enrolls(ctx, i, term[i]);
        }
        pre_draw(ctx, c, WF_STREAM_OPT_OUT, lo, a);
    }
}

/* ---- the steps' decisions ------------------------------------------------------ */

/* 4.2 and 4.5: the termination day of a row that leaves (who leaves was
 * decided in sim.c); WF_DATE_NULL for one that stays. */
static int32_t termination_day(const wf_sim_ctx *ctx, wf_sim_chunk *ch,
                               size_t i)
{
    const wf_sim_rows *r = ctx->rows;
    uint8_t t = r->term_cat[i];
    if (leaves_as_new_hire(t)) {
        uint32_t x = draw_pre(ch, i, WF_STREAM_NEW_HIRE_TERMINATION_DATE);
        uint32_t d = (uint32_t)(ctx->dec31 - r->hire[i]);
        return r->hire[i] + 1 + (int32_t)wf_rng_pick(x, d);
    }
    if (leaves_experienced(t)) {
        uint32_t x = draw_pre(ch, i, WF_STREAM_TERMINATION_DATE);
        return ctx->jan1 + (int32_t)wf_rng_pick(x, (uint32_t)wf_days_in_year(ctx->year));
    }
    return WF_DATE_NULL;
}

/* 4.3: promotion candidates and their draw. */
static void list_promotion(emp_year *e)
{
    const wf_sim_ctx *ctx = e->ctx;
    size_t i = e->i;
    if (!promotion_may_draw(ctx, i, e->term))
        return;
    if (promoted(ctx, i, draw_pre(e->ch, i, WF_STREAM_PROMOTION)))
        add(e, ctx->promo_day, WF_EV_PROMOTION, WF_CAT_PROMOTION, promotion_p(ctx, i));
}

/* 4.6: the raise is listed for everyone who may draw its merit. */
static void list_raise(emp_year *e)
{
    if (merit_may_draw(e->ctx, e->i, e->term))
        add(e, e->ctx->merit_day, WF_EV_RAISE, WF_CAT_MERIT, NAN);
}

/* 4.7 */
static void list_eligibility(emp_year *e)
{
    if (eligibility_event(e->ctx, e->i, e->term))
        add(e, e->ctx->rows->elig[e->i], WF_EV_ELIGIBILITY, WF_CAT_ELIGIBILITY, NAN);
}

/* 4.8: the enrollment decisions of the year, on the state at January 1. */
static void list_enrollment(emp_year *e, const wf_behaviour *b, int32_t *pend)
{
    const wf_sim_ctx *ctx = e->ctx;
    const wf_config *cfg = ctx->cfg;
    wf_sim_rows *r = ctx->rows;
    size_t i = e->i;
    *pend = WF_DATE_NULL;

    if (r->pend_opt_day[i] != WF_DATE_NULL) {
        if (in_year(ctx, r->pend_opt_day[i]))
            add(e, r->pend_opt_day[i], WF_EV_ENROLLMENT_CHANGE, WF_CAT_OPT_OUT,
                r->pend_opt_prob[i]);
        r->pend_opt_day[i] = WF_DATE_NULL;
    }
    if (auto_enrolls(ctx, i, e->term)) {
        int32_t a = r->elig[i] + cfg->ae_window_days;
        add(e, a, WF_EV_ENROLLMENT, WF_CAT_AUTO_ENROLLMENT, NAN);
        e->c[e->n - 1].deferral = cfg->ae_default_deferral_bp;
        e->c[e->n - 1].source = WF_SRC_AUTO;
        if (wf_rng_u(draw_pre(e->ch, i, WF_STREAM_OPT_OUT)) < b->opt_out) {
            int32_t o = a + cfg->ae_opt_out_grace_days;
            if (in_year(ctx, o))
                add(e, o, WF_EV_ENROLLMENT_CHANGE, WF_CAT_OPT_OUT, b->opt_out);
            else
                *pend = o;
        }
        return; /* no voluntary decision for the auto-enrolled */
    }
    int32_t d;
    wf_stream s;
    double p;
    switch (voluntary_decision(ctx, i, e->term)) {
    case VOLUNTARY_AT_ELIGIBILITY:
        d = r->elig[i];
        s = WF_STREAM_VOLUNTARY_ENROLLMENT;
        p = b->voluntary;
        break;
    case VOLUNTARY_CONVERSION:
        d = ctx->enroll_day;
        s = WF_STREAM_ENROLLMENT_CONVERSION;
        p = b->conversion;
        break;
    default:
        return;
    }
    if (wf_rng_u(draw_pre(e->ch, i, s)) < p) {
        add(e, d, WF_EV_ENROLLMENT, WF_CAT_VOLUNTARY_ENROLLMENT, p);
        e->c[e->n - 1].deferral = b->deferral_bp;
        e->c[e->n - 1].source = WF_SRC_VOLUNTARY;
    }
}

/* 4.9: listed for everyone active on the effective date; whether it is
 * due is decided in the walk (escalation_due). */
static void list_escalation(emp_year *e)
{
    const wf_sim_ctx *ctx = e->ctx;
    if (ctx->cfg->esc_enabled && active_on(ctx->rows, e->i, e->term, ctx->esc_day))
        add(e, ctx->esc_day, WF_EV_DEFERRAL_ESCALATION, WF_CAT_AUTO_ESCALATION, NAN);
}

/* The year's candidates of one employee, step by step. */
static void list_events(emp_year *e, const wf_behaviour *b, int32_t *pend)
{
    const wf_sim_rows *r = e->ctx->rows;
    size_t i = e->i;
    if (r->is_hire[i])                                  /* 4.4 */
        add(e, r->hire[i], WF_EV_HIRE, WF_CAT_NEW_HIRE, NAN);
    if (e->term != WF_DATE_NULL)                        /* 4.1, 4.2, 4.5 */
        add(e, e->term, WF_EV_TERMINATION, r->term_cat[i], r->term_prob[i]);
    list_promotion(e);                                  /* 4.3 */
    list_raise(e);                                      /* 4.6 */
    list_eligibility(e);                                /* 4.7 */
    list_enrollment(e, b, pend);                        /* 4.8 */
    list_escalation(e);                                 /* 4.9 */
}

/* Orders the candidates by (date, type), the event_sequence order. The
 * sort moves one integer per candidate (date, type and index packed into
 * e->order; an employee has one candidate per type, so no two are equal),
 * not the candidates: moving those, just written field by field, stalled
 * on store forwarding. */
_Static_assert(WF_EV_COUNT <= 256, "type and index take a byte each in order");

static void sort_cands(emp_year *e)
{
    for (int a = 1; a < e->n; a++) {
        int64_t k = e->order[a];
        int b = a;
        while (b > 0 && e->order[b - 1] > k) {
            e->order[b] = e->order[b - 1];
            b--;
        }
        e->order[b] = k;
    }
}

/* 4.9: is the escalation due on d (always esc_day), on the state after
 * the earlier events? enroll_day + delay years <= d is enroll_day <=
 * esc_enrolled_by (sim.c, begin_year). */
static bool escalation_due(const wf_sim_ctx *ctx, size_t i, int32_t d)
{
    assert(d == ctx->esc_day);
    (void)d;
    const wf_config *cfg = ctx->cfg;
    const wf_sim_rows *r = ctx->rows;
    return r->enrolled[i] &&
           (cfg->esc_scope == WF_ESC_ALL_ENROLLED || r->source[i] == WF_SRC_AUTO) &&
           r->deferral[i] > 0 && r->deferral[i] < cfg->esc_cap_bp &&
           r->enroll_day[i] <= ctx->esc_enrolled_by &&
           !r->esc_opt_out[i];
}

/* A salary step's result round(x), or false after failing the chunk with
 * the model's refusal when it would exceed the largest salary (docs/model.md 6:
 * 2^53 - 1 cents). The state is left as it was. */
static bool salary_step(const wf_sim_ctx *ctx, wf_sim_chunk *ch, size_t i,
                        const char *step, double x, int64_t *out)
{
    if (!wf_sim_salary_fits(x)) {
        if (ch->status == WF_OK) {
            ch->status = WF_ERUNTIME;
            char who[WF_ID_MAX + 16];
            snprintf(who, sizeof who, "employee %s", ctx->rows->id[i]);
            wf_sim_salary_refusal(ch->message, sizeof ch->message, who, ctx->year, step, x);
        }
        return false;
    }
    *out = wf_sim_llround(x);
    return true;
}

/* 4.6: applies merit or COLA; false when the salary does not change (or
 * the run is refused). */
static bool apply_raise(const wf_sim_ctx *ctx, wf_sim_chunk *ch, size_t i,
                        cand *c, int64_t *prev)
{
    const wf_config *cfg = ctx->cfg;
    wf_sim_rows *r = ctx->rows;
    int lv = r->level[i];
    double m = 0.0;
    if (r->salary[i] < ctx->band_max[lv - 1] &&
        wf_rng_u(draw_pre(ch, i, WF_STREAM_MERIT)) < cfg->merit_probability)
        m = ctx->tab->levels[lv - 1].merit_rate;
    double factor = (1.0 + m) + cfg->cola_rate;
    int64_t s;
    if (!salary_step(ctx, ch, i, m > 0.0 ? "merit raise" : "cost-of-living raise",
                     (double)r->salary[i] * factor, &s))
        return false;
    if (s == r->salary[i])
        return false;
    *prev = r->salary[i];
    r->salary[i] = s;
    c->category = m > 0.0 ? WF_CAT_MERIT : WF_CAT_COLA;
    c->prob = m > 0.0 ? cfg->merit_probability : NAN;
    return true;
}

/* Applies candidate c to the state; fills the event's before/after values.
 * Returns false when the event does not happen after all. */
static bool apply(const wf_sim_ctx *ctx, wf_sim_chunk *ch, size_t i,
                  int32_t term, cand *c,
                  wf_event *ev)
{
    const wf_config *cfg = ctx->cfg;
    wf_sim_rows *r = ctx->rows;
    switch ((wf_event_type)c->type) {
    case WF_EV_ENROLLMENT:
        ev->prev_deferral_bp = r->deferral[i];
        r->enrolled[i] = 1;
        r->deferral[i] = c->deferral;
        r->source[i] = c->source;
        r->enroll_day[i] = c->date;
        ev->deferral_bp = r->deferral[i];
        return true;
    case WF_EV_ENROLLMENT_CHANGE:
        if (!r->enrolled[i] || !active_on(r, i, term, c->date))
            return false;
        ev->prev_deferral_bp = r->deferral[i];
        r->enrolled[i] = 0;
        r->deferral[i] = 0;
        r->opted_out[i] = 1;
        ev->deferral_bp = 0;
        return true;
    case WF_EV_DEFERRAL_ESCALATION:
        if (!escalation_due(ctx, i, c->date))
            return false;
        ev->prev_deferral_bp = r->deferral[i];
        r->deferral[i] += cfg->esc_increment_bp;
        if (r->deferral[i] > cfg->esc_cap_bp)
            r->deferral[i] = cfg->esc_cap_bp;
        ev->deferral_bp = r->deferral[i];
        return true;
    case WF_EV_PROMOTION: {
        double u = wf_rng_u(draw_pre(ch, i, WF_STREAM_PROMOTION_RAISE));
        double rate = cfg->promotion_raise_mean +
                      cfg->promotion_raise_spread * (2.0 * u - 1.0);
        int64_t s;
        if (!salary_step(ctx, ch, i, "promotion", (double)r->salary[i] * (1.0 + rate), &s))
            return false;
        ev->prev_level = r->level[i];
        ev->prev_comp_cents = r->salary[i];
        r->level[i]++;
        r->salary[i] = s;
        return true;
    }
    case WF_EV_RAISE:
        return apply_raise(ctx, ch, i, c, &ev->prev_comp_cents);
    default:
        return true;
    }
}

/* Walks the sorted candidates, writing each event that happens straight
 * into the chunk's buffer (room for all of them is made first, so the
 * walk neither calls out nor copies an event twice). */
static bool emit(const wf_sim_ctx *ctx, emp_year *e, wf_sim_chunk *out)
{
    const wf_sim_rows *r = ctx->rows;
    size_t i = e->i;
    int16_t seq = 0;
    if (e->n == 0)
        return true;
    if (!wf_sim_chunk_reserve(out, (size_t)e->n))
        return false;
    for (int k = 0; k < e->n; k++) {
        cand *c = &e->c[e->order[k] & 0xff];
        wf_event *ev = &out->ev[out->n];
        ev->emp = (uint32_t)i;
        ev->date = c->date;
        ev->prev_comp_cents = WF_NULL_I64;
        ev->deferral_bp = WF_NULL_I32;
        ev->prev_deferral_bp = WF_NULL_I32;
        ev->prev_level = 0;
        if (!apply(ctx, out, i, e->term, c, ev)) {
            if (out->status != WF_OK)
                return true;        /* refused: the caller stops the chunk */
            continue;
        }
        int md = ctx->md_of_doy[c->date - ctx->jan1];
        int age = wf_sim_years(ctx->year, md, r->birth_y[i], r->birth_md[i]);
        int ten = r->hire[i] > c->date ? 0
                  : wf_sim_years(ctx->year, md, r->hire_y[i], r->hire_md[i]);
        ev->comp_cents = r->salary[i];
        ev->probability = c->prob;
        ev->age = (int16_t)age;
        ev->tenure = (int16_t)ten;
        ev->seq = ++seq;
        ev->type = c->type;
        ev->category = c->category;
        ev->level = r->level[i];
        ev->age_band = ctx->age_band[wf_sim_clamp_lut(age)];
        ev->tenure_band = ctx->ten_band[wf_sim_clamp_lut(ten)];
        out->by_type[c->type]++;
        out->by_category[c->category]++;
        out->n++;
    }
    return true;
}

static void snapshot_row(const wf_sim_ctx *ctx, size_t i, int32_t term)
{
    const wf_sim_rows *r = ctx->rows;
    wf_snapshot_row *s = &ctx->snap[i];
    s->emp = (uint32_t)i;
    s->birth_day = r->birth[i];
    s->hire_day = r->hire[i];
    s->termination_day = term == WF_DATE_NULL ? WF_NULL_I32 : term;
    s->eligibility_day = r->elig[i];
    s->salary_cents = r->salary[i];
    s->deferral_bp = r->deferral[i];
    s->level = r->level[i];
    s->source = r->source[i];
    s->active = term == WF_DATE_NULL;
    s->enrolled = r->enrolled[i];
    s->ever_opted_out = r->opted_out[i];
}

void wf_sim_salary_refusal(char *buf, size_t size, const char *who, int year,
                           const char *step, double x)
{
    snprintf(buf, size,
             "%s, year %d, %s: %.17g cents would exceed the model's largest salary, "
             "2^53 - 1 cents (90071992547409.91 dollars)", who, year, step, x);
}

static void fail(wf_sim_chunk *c, wf_status st, const char *msg)
{
    if (c->status == WF_OK) {
        c->status = st;
        snprintf(c->message, sizeof c->message, "%s", msg);
    }
}

/* Segments of the year (docs/model.md 3): age for the year, salary at January 1
 * or at hire. Refuses a salary at or above the top income segment. */
static const wf_behaviour *segments(const wf_sim_ctx *ctx, size_t i,
                                    wf_sim_chunk *c)
{
    const wf_sim_rows *r = ctx->rows;
    const wf_tables *t = ctx->tab;
    int64_t s = r->salary[i];
    if (s >= ctx->income_top_cents) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "employee %s, year %d: salary %lld.%02lld is at or above the "
                 "top income segment's maximum (%lld)",
                 r->id[i], ctx->year, (long long)(s / 100), (long long)(s % 100),
                 (long long)(ctx->income_top_cents / 100));
        fail(c, WF_ERUNTIME, msg);
        return NULL;
    }
    int inc = t->n_income_segments - 1;
    while (inc > 0 && s < ctx->income_min_cents[inc])
        inc--;
    int a = ctx->age_seg[wf_sim_clamp_lut(r->age_y[i])];
    return &t->behaviour[a * t->n_income_segments + inc];
}

void wf_sim_employees(const wf_sim_ctx *ctx, size_t begin, size_t end,
                      wf_sim_chunk *c)
{
    wf_sim_rows *r = ctx->rows;
    c->begin = begin;
    memset(c->by_type, 0, sizeof c->by_type);
    memset(c->by_category, 0, sizeof c->by_category);
#ifndef NDEBUG
    c->pass++;
#endif
    pre_draws(ctx, begin, end, c);
    for (size_t i = begin; i < end && c->status == WF_OK; i++) {
        emp_year e;
        int32_t pend;
        const wf_behaviour *b = segments(ctx, i, c);
        if (!b)
            return;
        e.ctx = ctx;
        e.ch = c;
        e.i = i;
        e.n = 0;
        e.term = c->term_day[i - begin];
        list_events(&e, b, &pend);
        sort_cands(&e);
        if (!emit(ctx, &e, c)) {
            fail(c, WF_ENOMEM, "out of memory (event buffer)");
            return;
        }
        if (c->status != WF_OK)
            return;
        if (pend != WF_DATE_NULL && e.term == WF_DATE_NULL) {
            r->pend_opt_day[i] = pend;
            r->pend_opt_prob[i] = b->opt_out;
        }
        if (ctx->snap)
            snapshot_row(ctx, i, e.term);
    }
}
