/*
 * plan_design.c - the plan_design section: its nested shape checked, its
 * defaults, and its JSON for dbt (docs/config.md "Plan design").
 *
 * config.c hands over the section as a tree of cfg_node (config_int.h);
 * this file walks that tree against the one shape the documentation
 * shows: mappings with known keys only, lists of mappings for the tiers
 * and the graded core, a word or a list of percentages for vesting. Each
 * value is typed by the core-schema rules config.c uses for every other
 * key, and each error names the full key path with list positions from 0
 * (`plan_design.match.tiers[1].rate`) and the value's line and column.
 *
 * Beyond each value's range, the rules across values are those that make
 * a plan: tiers and service bands strictly ascending; a vesting list that
 * never decreases and ends at 100; one way to grade the core (by service
 * or by age, and then no flat rate); a formula fixed by law (the safe
 * harbors) or none takes no tiers, and a tiers or stretch formula written
 * out brings its own. The first problem found is the one reported.
 *
 * The JSON has the section's own shape with every key present, so the
 * dbt macros read one form whatever the file wrote (dbt/macros/plan_design.sql).
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "plan_design.h"
#include "wf_decimal.h"
#include "wf_fmt.h"

#define FORMULA_NAME(e, name) name,
static const char *const formula_names[WF_PD_FORMULA_COUNT] = {WF_PD_FORMULAS(FORMULA_NAME)};
#undef FORMULA_NAME

void wf_pd_defaults(wf_plan_design *pd)
{
    memset(pd, 0, sizeof *pd);
    pd->match_formula = WF_PD_TIERS;
    pd->match_tiers.n = 2;
    pd->match_tiers.up_to[0] = 0.03, pd->match_tiers.rate[0] = 1.0;
    pd->match_tiers.up_to[1] = 0.05, pd->match_tiers.rate[1] = 0.5;
    pd->match_max_dollars = NAN;
    snprintf(pd->vesting_match.name, sizeof pd->vesting_match.name, "immediate");
    snprintf(pd->vesting_core.name, sizeof pd->vesting_core.name, "immediate");
}

/* ---- reading ----------------------------------------------------------------- */

typedef struct reader {
    const char *file;
    wf_error *err;
} reader;

/* Key paths fit wf_error's key field. */
#define PATH_SIZE 128

static wf_status bad(reader *r, const char *path, const cfg_node *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static wf_status bad(reader *r, const char *path, const cfg_node *n, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cfg_error(r->err, r->file, path, n->s.line, n->s.column, "%s", msg);
}

static bool is_null(const cfg_node *n)
{
    return n->type == CFG_SCALAR && cfg_resolve(&n->s) == Y_NULL;
}

static bool text_is(const scalar *v, const char *s)
{
    return strlen(s) == v->len && memcmp(v->text, s, v->len) == 0;
}

/* What a node is, for "expected X, got Y". */
static const char *what(const cfg_node *n, char buf[120])
{
    if (n->type == CFG_MAP)
        return "a mapping";
    if (n->type == CFG_SEQ)
        return "a list";
    char b[80];
    snprintf(buf, 120, "%s ('%s')", cfg_type_name(cfg_resolve(&n->s), n->s.quoted),
             cfg_show(&n->s, b));
    return buf;
}

static void names_text(const char *const names[], int count, char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < count && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%s",
                              i == 0 ? "" : i == count - 1 ? " or " : ", ", names[i]);
}

/* The values of mapping n's keys, out[i] for names[i] (NULL: not given).
 * A null n is an empty mapping. Unknown and duplicate keys are errors. */
static wf_status fields(reader *r, const char *path, const cfg_node *n,
                        const char *const names[], int count, const cfg_node *out[])
{
    const cfg_node *at[8] = {NULL};
    char list[160], w[120], b[80], sub[PATH_SIZE];
    assert(count <= 8);
    for (int i = 0; i < count; i++)
        out[i] = NULL;
    if (is_null(n))
        return WF_OK;
    names_text(names, count, list, sizeof list);
    if (n->type != CFG_MAP)
        return bad(r, path, n, "expected a mapping of %s, got %s", list, what(n, w));
    for (size_t i = 0; i < n->n; i++) {
        const cfg_node *k = &n->kids[2 * i];
        int j = 0;
        if (k->type != CFG_SCALAR || cfg_resolve(&k->s) != Y_STR)
            return bad(r, path, k, "expected a key (%s), got %s", list, what(k, w));
        while (j < count && !text_is(&k->s, names[j]))
            j++;
        snprintf(sub, sizeof sub, "%s.%s", path, cfg_show(&k->s, b));
        if (j == count)
            return bad(r, sub, k, "unknown key '%s'; expected %s", cfg_show(&k->s, b), list);
        if (at[j])
            return bad(r, sub, k, "duplicate key '%s' (first at line %ld)", names[j],
                       at[j]->s.line);
        at[j] = k;
        out[j] = &n->kids[2 * i + 1];
    }
    return WF_OK;
}

static wf_status get_number(reader *r, const char *path, const cfg_node *n, const char *lo,
                            bool lo_open, const char *hi, double *out)
{
    char w[120], b[80], rt[96];
    wf_decimal d;
    double x = 0;
    ytype t = n->type == CFG_SCALAR ? cfg_resolve(&n->s) : Y_STR;
    if (n->type != CFG_SCALAR || (t != Y_INT && t != Y_FLOAT) ||
        !wf_decimal_parse(n->s.text, n->s.len, &d))
        return bad(r, path, n, "expected a decimal number, got %s", what(n, w));
    wf_decimal_range range = {lo, lo_open, hi, false};
    if (!wf_decimal_in_range(&d, &range) || !wf_decimal_to_double(&d, &x) ||
        !wf_double_in_range(x, &range)) {
        wf_decimal_range_text(&range, rt, sizeof rt);
        return bad(r, path, n, "%s is out of range: expected a value %s", cfg_show(&n->s, b),
                   rt);
    }
    *out = x == 0 ? 0.0 : x;   /* no "-0" in the JSON */
    return WF_OK;
}

static wf_status get_int(reader *r, const char *path, const cfg_node *n, int lo, int hi,
                         int *out)
{
    char w[120], b[80];
    wf_decimal d;
    int64_t x;
    if (n->type != CFG_SCALAR || cfg_resolve(&n->s) != Y_INT ||
        !wf_decimal_is_digits(n->s.text, n->s.len))
        return bad(r, path, n, "expected whole years written as plain digits, got %s",
                   what(n, w));
    wf_decimal_parse(n->s.text, n->s.len, &d);
    if (!wf_decimal_scaled(&d, 0, &x) || x < lo || x > hi)
        return bad(r, path, n, "%s is out of range: expected a whole number in [%d, %d]",
                   cfg_show(&n->s, b), lo, hi);
    *out = (int)x;
    return WF_OK;
}

static wf_status get_bool(reader *r, const char *path, const cfg_node *n, bool *out)
{
    char w[120];
    if (n->type != CFG_SCALAR || cfg_resolve(&n->s) != Y_BOOL)
        return bad(r, path, n, "expected a boolean (true or false), got %s", what(n, w));
    *out = n->s.text[0] == 't' || n->s.text[0] == 'T';
    return WF_OK;
}

/* One of names[0..count) as a plain or quoted string: its index. */
static wf_status get_word(reader *r, const char *path, const cfg_node *n,
                          const char *const names[], int count, int *out)
{
    char w[120], list[200];
    if (n->type == CFG_SCALAR && cfg_resolve(&n->s) == Y_STR)
        for (int i = 0; i < count; i++)
            if (text_is(&n->s, names[i])) {
                *out = i;
                return WF_OK;
            }
    names_text(names, count, list, sizeof list);
    return bad(r, path, n, "expected %s, got %s", list, what(n, w));
}

/* A list of two-key mappings (names[0], names[1]), at most max of them:
 * each item's path ("path[i]") and both its values go to item(); an item
 * without one of the keys is refused here, named `one` ("a tier"). */
typedef wf_status (*pair_fn)(reader *r, const char *path, const char *item, size_t i,
                             const cfg_node *const f[2], void *ctx);

static wf_status read_pairs(reader *r, const char *path, const cfg_node *n,
                            const char *const names[2], const char *one, const char *many,
                            size_t max, pair_fn item_fn, void *ctx)
{
    char w[120], item[PATH_SIZE];
    if (n->type != CFG_SEQ)
        return bad(r, path, n, "expected a list of {%s, %s} mappings, got %s", names[0],
                   names[1], what(n, w));
    if (n->n > max)
        return bad(r, path, n, "at most %zu %s, got %zu", max, many, n->n);
    for (size_t i = 0; i < n->n; i++) {
        const cfg_node *f[2], *it = &n->kids[i];
        wf_status st;
        snprintf(item, sizeof item, "%s[%zu]", path, i);
        if ((st = fields(r, item, it, names, 2, f)) != WF_OK)
            return st;
        for (int j = 0; j < 2; j++)
            if (!f[j])
                return bad(r, item, it, "%s needs %s and %s; %s is missing", one, names[0],
                           names[1], names[j]);
        if ((st = item_fn(r, path, item, i, f, ctx)) != WF_OK)
            return st;
    }
    return WF_OK;
}

/* A tier {up_to, rate}: up_to a fraction of pay in (0, 1], strictly
 * ascending; rate in [0, 10] (1.0 = 100 % of the deferral). */
static wf_status tier_item(reader *r, const char *path, const char *item, size_t i,
                           const cfg_node *const f[2], void *ctx)
{
    wf_pd_tiers *t = ctx;
    char w[120], sub[PATH_SIZE + 32];
    wf_status st;
    snprintf(sub, sizeof sub, "%s.up_to", item);
    if ((st = get_number(r, sub, f[0], "0", true, "1", &t->up_to[i])) != WF_OK)
        return st;
    if (i > 0 && t->up_to[i] <= t->up_to[i - 1])
        return bad(r, sub, f[0], "tiers must ascend: %s is not above %s[%zu].up_to",
                   cfg_show(&f[0]->s, w), path, i - 1);
    snprintf(sub, sizeof sub, "%s.rate", item);
    if ((st = get_number(r, sub, f[1], "0", false, "10", &t->rate[i])) != WF_OK)
        return st;
    t->n = (int)i + 1;
    return WF_OK;
}

static wf_status read_tiers(reader *r, const char *path, const cfg_node *n, wf_pd_tiers *t)
{
    static const char *const names[] = {"up_to", "rate"};
    t->n = 0;
    return is_null(n) ? WF_OK
                      : read_pairs(r, path, n, names, "a tier", "tiers", WF_PD_TIERS_MAX,
                                   tier_item, t);
}

/* match.by_service: {min_years, tiers}, min_years in [1, 60] strictly
 * ascending. */
static wf_status band_item(reader *r, const char *path, const char *item, size_t i,
                           const cfg_node *const f[2], void *ctx)
{
    wf_plan_design *pd = ctx;
    char sub[PATH_SIZE + 32];
    wf_status st;
    snprintf(sub, sizeof sub, "%s.min_years", item);
    if ((st = get_int(r, sub, f[0], 1, 60, &pd->band_min_years[i])) != WF_OK)
        return st;
    if (i > 0 && pd->band_min_years[i] <= pd->band_min_years[i - 1])
        return bad(r, sub, f[0], "service bands must ascend: %d is not above %s[%zu]."
                   "min_years", pd->band_min_years[i], path, i - 1);
    snprintf(sub, sizeof sub, "%s.tiers", item);
    if ((st = read_tiers(r, sub, f[1], &pd->band_tiers[i])) != WF_OK)
        return st;
    pd->n_bands = (int)i + 1;
    return WF_OK;
}

static wf_status read_bands(reader *r, const char *path, const cfg_node *n, wf_plan_design *pd)
{
    static const char *const names[] = {"min_years", "tiers"};
    pd->n_bands = 0;
    return is_null(n) ? WF_OK
                      : read_pairs(r, path, n, names, "a service band", "service bands",
                                   WF_PD_BANDS_MAX, band_item, pd);
}

/* core.by_service / core.by_age: {min_years | min_age, rate}, the minimum
 * whole years in [0, 120] strictly ascending, rate in [0, 1]. */
typedef struct steps_ctx {
    const char *min_name;
    wf_pd_steps *s;
} steps_ctx;

static wf_status step_item(reader *r, const char *path, const char *item, size_t i,
                           const cfg_node *const f[2], void *ctx)
{
    const steps_ctx *c = ctx;
    wf_pd_steps *s = c->s;
    char sub[PATH_SIZE + 32];
    wf_status st;
    snprintf(sub, sizeof sub, "%s.%s", item, c->min_name);
    if ((st = get_int(r, sub, f[0], 0, 120, &s->min[i])) != WF_OK)
        return st;
    if (i > 0 && s->min[i] <= s->min[i - 1])
        return bad(r, sub, f[0], "steps must ascend: %d is not above %s[%zu].%s",
                   s->min[i], path, i - 1, c->min_name);
    snprintf(sub, sizeof sub, "%s.rate", item);
    if ((st = get_number(r, sub, f[1], "0", false, "1", &s->rate[i])) != WF_OK)
        return st;
    s->n = (int)i + 1;
    return WF_OK;
}

static wf_status read_steps(reader *r, const char *path, const cfg_node *n,
                            const char *min_name, wf_pd_steps *s)
{
    const char *const names[] = {min_name, "rate"};
    steps_ctx c = {min_name, s};
    s->n = 0;
    return is_null(n) ? WF_OK
                      : read_pairs(r, path, n, names, "a step", "steps", WF_PD_STEPS_MAX,
                                   step_item, &c);
}

static wf_status read_requires(reader *r, const char *path, const cfg_node *n,
                               wf_pd_requires *q)
{
    static const char *const names[] = {"min_service_years", "active_at_year_end"};
    const cfg_node *f[2];
    char sub[PATH_SIZE];
    wf_status st = fields(r, path, n, names, 2, f);
    snprintf(sub, sizeof sub, "%s.min_service_years", path);
    if (st == WF_OK && f[0])
        st = get_int(r, sub, f[0], 0, 60, &q->min_service_years);
    snprintf(sub, sizeof sub, "%s.active_at_year_end", path);
    if (st == WF_OK && f[1])
        st = get_bool(r, sub, f[1], &q->active_at_year_end);
    return st;
}

/* immediate | cliff_N (N 1..10) | graded_N (N 2..10), or a list of whole
 * percentages by completed years 0, 1, ... (at most 20, non-decreasing,
 * ending at 100). */
static wf_status read_vesting(reader *r, const char *path, const cfg_node *n, wf_pd_vesting *v)
{
    char w[120], sub[PATH_SIZE];
    if (n->type == CFG_SEQ) {
        if (n->n == 0 || n->n > WF_PD_VEST_MAX)
            return bad(r, path, n, "a vesting list has 1 to %d percentages (years 0, 1, "
                       "...), got %zu", WF_PD_VEST_MAX, n->n);
        for (size_t i = 0; i < n->n; i++) {
            int prev = i ? v->pct[i - 1] : 0;
            wf_status st;
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            if ((st = get_int(r, sub, &n->kids[i], 0, 100, &v->pct[i])) != WF_OK)
                return st;
            if (v->pct[i] < prev)
                return bad(r, sub, &n->kids[i], "a vesting list must not decrease: %d is "
                           "below %d (year %zu)", v->pct[i], prev, i - 1);
        }
        if (v->pct[n->n - 1] != 100)
            return bad(r, path, n, "a vesting list must end at 100 (fully vested), not %d",
                       v->pct[n->n - 1]);
        v->name[0] = '\0';
        v->n = (int)n->n;
        return WF_OK;
    }
    if (n->type == CFG_SCALAR && cfg_resolve(&n->s) == Y_STR) {
        const scalar *s = &n->s;
        if (text_is(s, "immediate")) {
            snprintf(v->name, sizeof v->name, "immediate");
            v->n = 0;
            return WF_OK;
        }
        for (int g = 0; g < 2; g++) {
            const char *pre = g ? "graded_" : "cliff_";
            size_t pl = strlen(pre);
            if (s->len <= pl || memcmp(s->text, pre, pl) != 0)
                continue;
            int years = -1;
            if (s->len - pl <= 2 && wf_decimal_is_digits(s->text + pl, s->len - pl))
                years = atoi(s->text + pl);
            if (years < (g ? 2 : 1) || years > 10)
                return bad(r, path, n, "%s: expected %sN with N whole years in [%d, 10]",
                           cfg_show(s, w), pre, g ? 2 : 1);
            snprintf(v->name, sizeof v->name, "%s%d", pre, years);
            v->n = 0;
            return WF_OK;
        }
    }
    return bad(r, path, n, "expected immediate, cliff_N, graded_N or a list of whole "
               "percentages by completed years, got %s", what(n, w));
}

static bool formula_has_tiers(wf_pd_formula f)
{
    return f == WF_PD_TIERS || f == WF_PD_STRETCH;
}

static wf_status read_match(reader *r, const cfg_node *n, wf_plan_design *pd)
{
    static const char *const names[] = {"formula", "tiers", "by_service", "max_dollars",
                                        "true_up", "requires"};
    const char *base = "plan_design.match";
    const cfg_node *f[6];
    char sub[PATH_SIZE];
    int formula = pd->match_formula;
    wf_status st = fields(r, base, n, names, 6, f);
    if (st == WF_OK && f[0])
        st = get_word(r, "plan_design.match.formula", f[0], formula_names,
                      WF_PD_FORMULA_COUNT, &formula);
    pd->match_formula = (wf_pd_formula)formula;
    if (st == WF_OK && f[1])
        st = read_tiers(r, "plan_design.match.tiers", f[1], &pd->match_tiers);
    if (st == WF_OK && f[2])
        st = read_bands(r, "plan_design.match.by_service", f[2], pd);
    if (st == WF_OK && f[3] && !is_null(f[3]))
        st = get_number(r, "plan_design.match.max_dollars", f[3], "0", false, "1000000000",
                        &pd->match_max_dollars);   /* dbt holds it as DECIMAL(18, 2) */
    if (st == WF_OK && f[4])
        st = get_bool(r, "plan_design.match.true_up", f[4], &pd->match_true_up);
    snprintf(sub, sizeof sub, "%s.requires", base);
    if (st == WF_OK && f[5])
        st = read_requires(r, sub, f[5], &pd->match_requires);
    if (st != WF_OK)
        return st;
    if (!formula_has_tiers(pd->match_formula)) {
        for (int j = 1; j <= 2; j++)
            if (f[j])
                return bad(r, j == 1 ? "plan_design.match.tiers" : "plan_design.match.by_service",
                           f[j], "the %s formula %s: remove %s", formula_names[formula],
                           pd->match_formula == WF_PD_NONE ? "matches nothing"
                                                           : "has its tiers fixed by law",
                           names[j]);
        pd->match_tiers.n = 0;
        pd->n_bands = 0;
    } else if (f[0] && !f[1]) {
        return bad(r, "plan_design.match.formula", f[0], "the %s formula needs its tiers: "
                   "add match.tiers, a list of {up_to, rate}", formula_names[formula]);
    }
    return WF_OK;
}

static wf_status read_core(reader *r, const cfg_node *n, wf_plan_design *pd)
{
    static const char *const names[] = {"rate", "by_service", "by_age", "requires"};
    const cfg_node *f[4];
    wf_status st = fields(r, "plan_design.core", n, names, 4, f);
    if (st != WF_OK)
        return st;
    if (f[1] && f[2])
        return bad(r, "plan_design.core.by_age", f[2], "core.by_service and core.by_age "
                   "exclude each other: grade the core by one of them");
    if (f[0] && (f[1] || f[2]))
        return bad(r, "plan_design.core.rate", f[0], "core.rate and core.%s exclude each "
                   "other: the steps give the rate", f[1] ? "by_service" : "by_age");
    if (f[0])
        st = get_number(r, "plan_design.core.rate", f[0], "0", false, "1", &pd->core_rate);
    if (st == WF_OK && f[1])
        st = read_steps(r, "plan_design.core.by_service", f[1], "min_years",
                        &pd->core_by_service);
    if (st == WF_OK && f[2])
        st = read_steps(r, "plan_design.core.by_age", f[2], "min_age", &pd->core_by_age);
    if (st == WF_OK && f[3])
        st = read_requires(r, "plan_design.core.requires", f[3], &pd->core_requires);
    return st;
}

wf_status wf_pd_read(const cfg_node *sec, const char *file, wf_plan_design *pd,
                     wf_error *err)
{
    static const char *const names[] = {"match", "core", "vesting", "forfeiture_policy",
                                        "nondiscrimination"};
    static const char *const sources[] = {"match", "core"};
    static const char *const policies[] = {"offset_next_year", "pay_expenses"};
    static const char *const ndt[] = {"method", "top_paid_group"};
    static const char *const methods[] = {"prior_year", "current_year"};
    reader r = {file, err};
    const cfg_node *f[5], *v[2], *t[2];
    int word;
    wf_status st = fields(&r, "plan_design", sec, names, 5, f);
    if (st == WF_OK && f[0])
        st = read_match(&r, f[0], pd);
    if (st == WF_OK && f[1])
        st = read_core(&r, f[1], pd);
    if (st == WF_OK && f[2] && (st = fields(&r, "plan_design.vesting", f[2], sources, 2, v)) == WF_OK) {
        if (v[0])
            st = read_vesting(&r, "plan_design.vesting.match", v[0], &pd->vesting_match);
        if (st == WF_OK && v[1])
            st = read_vesting(&r, "plan_design.vesting.core", v[1], &pd->vesting_core);
    }
    if (st == WF_OK && f[3] &&
        (st = get_word(&r, "plan_design.forfeiture_policy", f[3], policies, 2, &word)) == WF_OK)
        pd->forfeit_pay_expenses = word == 1;
    if (st == WF_OK && f[4] &&
        (st = fields(&r, "plan_design.nondiscrimination", f[4], ndt, 2, t)) == WF_OK) {
        if (t[0] && (st = get_word(&r, "plan_design.nondiscrimination.method", t[0], methods,
                                   2, &word)) == WF_OK)
            pd->ndt_current_year = word == 1;
        if (st == WF_OK && t[1])
            st = get_bool(&r, "plan_design.nondiscrimination.top_paid_group", t[1],
                          &pd->hce_top_paid_group);
    }
    return st;
}

/* ---- JSON -------------------------------------------------------------------- */

/* A fixed buffer large enough for the largest design (see wf_pd_json). */
typedef struct out {
    char *p;
    size_t n, cap;
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(o->p + o->n, o->cap - o->n, fmt, ap);
    va_end(ap);
    assert(k >= 0 && (size_t)k < o->cap - o->n);  /* the buffer is sized for the maxima */
    o->n += (size_t)k;
}

static void put_double(out *o, double x)
{
    char b[WF_FMT_DOUBLE_MAX];
    if (isnan(x)) {
        put(o, "null");
        return;
    }
    wf_fmt_double(x, true, b);
    put(o, "%s", b);
}

static void put_tiers(out *o, const wf_pd_tiers *t)
{
    put(o, "[");
    for (int i = 0; i < t->n; i++) {
        put(o, "%s{\"up_to\":", i ? "," : "");
        put_double(o, t->up_to[i]);
        put(o, ",\"rate\":");
        put_double(o, t->rate[i]);
        put(o, "}");
    }
    put(o, "]");
}

static void put_steps(out *o, const wf_pd_steps *s, const char *min_name)
{
    put(o, "[");
    for (int i = 0; i < s->n; i++) {
        put(o, "%s{\"%s\":%d,\"rate\":", i ? "," : "", min_name, s->min[i]);
        put_double(o, s->rate[i]);
        put(o, "}");
    }
    put(o, "]");
}

static void put_requires(out *o, const wf_pd_requires *q)
{
    put(o, "\"requires\":{\"min_service_years\":%d,\"active_at_year_end\":%s}",
        q->min_service_years, q->active_at_year_end ? "true" : "false");
}

static void put_vesting(out *o, const wf_pd_vesting *v)
{
    if (v->name[0]) {
        put(o, "\"%s\"", v->name);
        return;
    }
    put(o, "[");
    for (int i = 0; i < v->n; i++)
        put(o, "%s%d", i ? "," : "", v->pct[i]);
    put(o, "]");
}

char *wf_pd_json(const wf_plan_design *pd)
{
    /* A tier is at most 2 * 32 + 20 bytes: the base tiers and every band's
     * stay under (1 + WF_PD_BANDS_MAX) * (WF_PD_TIERS_MAX * 90 + 40), the
     * core steps under 2 * WF_PD_STEPS_MAX * 60, the rest under 1 KiB. */
    out o = {NULL, 0, (1 + WF_PD_BANDS_MAX) * (WF_PD_TIERS_MAX * 90 + 40) +
                          2 * WF_PD_STEPS_MAX * 60 + 1024};
    if (!(o.p = malloc(o.cap)))
        return NULL;
    put(&o, "{\"match\":{\"formula\":\"%s\",\"tiers\":", formula_names[pd->match_formula]);
    put_tiers(&o, &pd->match_tiers);
    put(&o, ",\"by_service\":[");
    for (int i = 0; i < pd->n_bands; i++) {
        put(&o, "%s{\"min_years\":%d,\"tiers\":", i ? "," : "", pd->band_min_years[i]);
        put_tiers(&o, &pd->band_tiers[i]);
        put(&o, "}");
    }
    put(&o, "],\"max_dollars\":");
    put_double(&o, pd->match_max_dollars);
    put(&o, ",\"true_up\":%s,", pd->match_true_up ? "true" : "false");
    put_requires(&o, &pd->match_requires);
    put(&o, "},\"core\":{\"rate\":");
    put_double(&o, pd->core_rate);
    put(&o, ",\"by_service\":");
    put_steps(&o, &pd->core_by_service, "min_years");
    put(&o, ",\"by_age\":");
    put_steps(&o, &pd->core_by_age, "min_age");
    put(&o, ",");
    put_requires(&o, &pd->core_requires);
    put(&o, "},\"vesting\":{\"match\":");
    put_vesting(&o, &pd->vesting_match);
    put(&o, ",\"core\":");
    put_vesting(&o, &pd->vesting_core);
    put(&o, "},\"forfeiture_policy\":\"%s\",\"nondiscrimination\":{\"method\":\"%s\","
            "\"top_paid_group\":%s}}",
        pd->forfeit_pay_expenses ? "pay_expenses" : "offset_next_year",
        pd->ndt_current_year ? "current_year" : "prior_year",
        pd->hce_top_paid_group ? "true" : "false");
    return o.p;
}
