/*
 * config.c - the YAML configuration of docs/model.md 2.2 (wf_config_* of wfsim.h).
 *
 * Every key lives once, in the WF_CONFIG_KEYS table below: its section, its
 * kind (how the scalar is typed and stored), its range and its default as
 * text. Defaults are applied by feeding those texts through the very same
 * setter a YAML value goes through, so a default can never break a rule
 * the file would be held to, and docs/config.md's canonical JSON is printed
 * from the same table in the same order.
 *
 * Typing follows YAML 1.2's core schema, done here from the scalar's text
 * and style (libyaml reports both, but resolves nothing): a quoted scalar
 * is a string; a plain one is null (``, `~`, `null`), a boolean
 * (`true`/`false` in its three spellings), an integer, a float, or else a
 * string. On top of the schema, docs/model.md 6 narrows integers to plain
 * digits and numbers to its decimal grammar. Explicit tags, aliases and
 * several documents are refused rather than half supported.
 *
 * Ranges are checked on the exact written decimal (wf_decimal) and again
 * on the stored value (the ppm or bp integer, or the double), so
 * `0.9999996` is refused for [0, 1) in ppm and `1.0000000000000001` for
 * [0, 1] as a double. Cross-key rules (start_year <= end_year, promotion
 * date <= merit date, 0 <= promotion_raise_mean - spread <= 2^53 - 2) run
 * once on the final values: after the whole file and every command-line
 * override (wf_config_load_with), and again after each wf_config_set; a
 * value not written in this file or override is taken as the shortest
 * decimal of its double.
 *
 * The plan_design section is nested (lists of mappings) where every other
 * section is flat: it is copied into a node tree (config_int.h) and read
 * by plan_design.c against its own shape, with the same scalar typing and
 * errors. It has no keys in the table, so no override reaches it.
 *
 * A command-line override is text, not YAML: an id is exactly the text
 * given (`--scenario 123` is the id "123", `--scenario '"q"'` is refused by
 * the id rule), an integer or seed plain digits.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include <nettle/sha2.h>

#include "wf_date.h"
#include "wf_decimal.h"
#include "wf_fmt.h"
#include "wf_error.h"
#include "config_int.h"
#include "wf_model_int.h"
#include "wf_sim.h"

typedef enum kind {
    K_INT,    /* int, plain digits */
    K_SEED,   /* int64_t, plain digits */
    K_ID,     /* char[WF_ID_MAX + 1], id characters */
    K_PPM,    /* int64_t ppm from a decimal */
    K_BP,     /* int32_t bp from a decimal */
    K_DBL,    /* double from a decimal */
    K_BOOL,   /* bool */
    K_MD,     /* wf_md "MM-DD", not 02-29 */
    K_DATE,   /* hire_date_cutoff: "YYYY-MM-DD" or null */
    K_SCOPE,  /* wf_esc_scope */
    K_MODE,   /* performance mode: fast | sql */
    K_LIMIT,  /* a threshold: double from a decimal, or null (NaN) */
    K_ROWS,   /* census.invalid_rows: strict | skip */
    K_DATEFMT,/* census.date_format: one of wf_date_format_names */
    K_COLMAP  /* census.columns: a mapping model column -> header, or null */
} kind;

/* X(section, key, kind, field, low, low_open, high, high_open, default):
 * low/high are decimal texts (NULL: unbounded); *_open excludes the bound. */
#define WF_CONFIG_KEYS(X)                                                         \
    X(simulation, start_year, K_INT, start_year, "1900", 0, "2200", 0, "2025")    \
    X(simulation, end_year, K_INT, end_year, "1900", 0, "2200", 0, "2029")        \
    X(simulation, random_seed, K_SEED, random_seed, "0", 0,                       \
      "9223372036854775807", 0, "12345")                                          \
    X(simulation, scenario_id, K_ID, scenario_id, NULL, 0, NULL, 0, "default")    \
    X(simulation, plan_design_id, K_ID, plan_design_id, NULL, 0, NULL, 0,         \
      "default")                                                                  \
    X(workforce, target_growth_rate, K_PPM, target_growth_ppm, "-1", 1, NULL, 0,  \
      "0.03")                                                                     \
    X(workforce, termination_rate, K_PPM, termination_ppm, "0", 0, "1", 1,        \
      "0.12")                                                                     \
    X(workforce, new_hire_termination_rate, K_PPM, new_hire_termination_ppm,      \
      "0", 0, "1", 1, "0.25")                                                     \
    X(workforce, retirement_age, K_INT, retirement_age, "40", 0, "100", 0, "65")  \
    X(workforce, retirement_probability, K_DBL, retirement_probability, "0", 0,   \
      "1", 0, "0.30")                                                             \
    X(compensation, cola_rate, K_DBL, cola_rate, "0", 0, "1", 0, "0.01")          \
    X(compensation, merit_probability, K_DBL, merit_probability, "0", 0, "1", 0,  \
      "0.90")                                                                     \
    X(compensation, salary_structure_growth, K_DBL, salary_structure_growth,      \
      "0", 0, "1", 0, "0.02")                                                     \
    X(compensation, promotion_raise_mean, K_DBL, promotion_raise_mean, NULL, 0,   \
      NULL, 0, "0.10")                                                            \
    X(compensation, promotion_raise_spread, K_DBL, promotion_raise_spread, "0",   \
      0, NULL, 0, "0.04")                                                         \
    X(compensation, new_hire_salary_spread, K_DBL, new_hire_salary_spread, "0",   \
      0, "1", 0, "0.10")                                                          \
    X(compensation, promotion_date, K_MD, promotion_date, NULL, 0, NULL, 0,       \
      "02-01")                                                                    \
    X(compensation, merit_date, K_MD, merit_date, NULL, 0, NULL, 0, "04-01")      \
    X(eligibility, minimum_age, K_INT, minimum_age, "0", 0, "100", 0, "21")       \
    X(eligibility, waiting_period_days, K_INT, waiting_period_days, "0", 0,       \
      "3650", 0, "0")                                                             \
    X(auto_enrollment, enabled, K_BOOL, ae_enabled, NULL, 0, NULL, 0, "true")     \
    X(auto_enrollment, hire_date_cutoff, K_DATE, ae_hire_date_cutoff, NULL, 0,    \
      NULL, 0, "null")                                                            \
    X(auto_enrollment, default_deferral_rate, K_BP, ae_default_deferral_bp, "0",  \
      1, "1", 0, "0.06")                                                          \
    X(auto_enrollment, window_days, K_INT, ae_window_days, "0", 0, "365", 0,      \
      "45")                                                                       \
    X(auto_enrollment, opt_out_grace_days, K_INT, ae_opt_out_grace_days, "0", 0,  \
      "365", 0, "30")                                                             \
    X(voluntary_enrollment, enabled, K_BOOL, ve_enabled, NULL, 0, NULL, 0,        \
      "true")                                                                     \
    X(voluntary_enrollment, enrollment_date, K_MD, ve_enrollment_date, NULL, 0,   \
      NULL, 0, "01-15")                                                           \
    X(auto_escalation, enabled, K_BOOL, esc_enabled, NULL, 0, NULL, 0, "true")    \
    X(auto_escalation, scope, K_SCOPE, esc_scope, NULL, 0, NULL, 0,               \
      "auto_enrolled")                                                            \
    X(auto_escalation, increment, K_BP, esc_increment_bp, "0", 1, "1", 0, "0.01") \
    X(auto_escalation, cap, K_BP, esc_cap_bp, "0", 1, "1", 0, "0.10")             \
    X(auto_escalation, delay_years, K_INT, esc_delay_years, "0", 0, "10", 0, "1") \
    X(auto_escalation, effective_date, K_MD, esc_effective_date, NULL, 0, NULL,   \
      0, "01-01")                                                                 \
    X(performance, event_generation_mode, K_MODE, perf_mode, NULL, 0, NULL, 0, "fast") \
    X(performance, threads, K_INT, perf_threads, "0", 0, "4096", 0, "0")         \
    X(census, invalid_rows, K_ROWS, census_skip, NULL, 0, NULL, 0, "strict")     \
    X(census, date_format, K_DATEFMT, census_date_format, NULL, 0, NULL, 0,      \
      "YYYY-MM-DD")                                                              \
    X(census, columns, K_COLMAP, census_columns, NULL, 0, NULL, 0, "null")       \
    WF_THRESHOLD_KEYS(X)

/* The `thresholds` section (the ensemble's, not the model's): one optional
 * threshold per metric of fct_replicate_metrics (docs/config.md). */
#define THRESHOLD_ROW(X, metric) \
    X(thresholds, metric, K_LIMIT, thr_##metric, NULL, 0, NULL, 0, "null")
#define WF_THRESHOLD_KEYS(X)                                                      \
    THRESHOLD_ROW(X, headcount_end) THRESHOLD_ROW(X, hires)                       \
    THRESHOLD_ROW(X, terminations) THRESHOLD_ROW(X, avg_salary)                   \
    THRESHOLD_ROW(X, participation_rate) THRESHOLD_ROW(X, avg_deferral_rate)      \
    THRESHOLD_ROW(X, employee_contributions) THRESHOLD_ROW(X, employer_match)     \
    THRESHOLD_ROW(X, employer_core) THRESHOLD_ROW(X, employer_cost)

typedef struct key_def {
    const char *section, *name, *dotted;
    kind kind;
    size_t offset;
    const char *low, *high;
    bool low_open, high_open;
    const char *def;
} key_def;

#define KEY_ROW(sec, key, k, field, lo, lo_open, hi, hi_open, def) \
    {#sec, #key, #sec "." #key, k, offsetof(wf_config, field), lo, hi, lo_open, hi_open, def},
static const key_def keys[] = {WF_CONFIG_KEYS(KEY_ROW)};
#undef KEY_ROW

#define KEY_ENUM(sec, key, ...) KEY_##sec##_##key,
enum { WF_CONFIG_KEYS(KEY_ENUM) N_KEYS };
#undef KEY_ENUM

static const char *const sections[] = {
    "simulation", "workforce", "compensation", "eligibility", "auto_enrollment",
    "voluntary_enrollment", "auto_escalation", "performance", "plan_design",
    "thresholds", "census"};

#define WF_DF_NAME(e, text) text,
const char *const wf_date_format_names[WF_DF_COUNT] = {WF_DATE_FORMATS(WF_DF_NAME)};
#undef WF_DF_NAME

/* The sections that belong to the runner: not in the canonical JSON. */
static bool runner_section(const char *section)
{
    return strcmp(section, "performance") == 0 || strcmp(section, "census") == 0 ||
           strcmp(section, "thresholds") == 0 || strcmp(section, "plan_design") == 0;
}
#define N_SECTIONS (sizeof sections / sizeof sections[0])

/* ---- scalars and their core-schema type --------------------------------- */

static bool text_is(const scalar *v, const char *s)
{
    return strlen(s) == v->len && memcmp(v->text, s, v->len) == 0;
}

static bool all_chars(const char *s, size_t len, const char *set)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!strchr(set, s[i]))
            return false;
    return true;
}

static bool core_int(const char *s, size_t len)
{
    if (len > 2 && s[0] == '0' && s[1] == 'o')
        return all_chars(s + 2, len - 2, "01234567");
    if (len > 2 && s[0] == '0' && s[1] == 'x')
        return all_chars(s + 2, len - 2, "0123456789abcdefABCDEF");
    if (len > 0 && (s[0] == '+' || s[0] == '-'))
        s++, len--;
    return wf_decimal_is_digits(s, len);
}

ytype cfg_resolve(const scalar *v)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    static const char *const bools[] = {"true", "True", "TRUE", "false", "False", "FALSE"};
    static const char *const specials[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf",
                                           "+.INF", "-.inf", "-.Inf", "-.INF",
                                           ".nan", ".NaN", ".NAN"};
    if (v->quoted)
        return Y_STR;
    for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++)
        if (text_is(v, nulls[i]))
            return Y_NULL;
    for (size_t i = 0; i < sizeof bools / sizeof *bools; i++)
        if (text_is(v, bools[i]))
            return Y_BOOL;
    if (core_int(v->text, v->len))
        return Y_INT;
    wf_decimal d;
    if (wf_decimal_parse(v->text, v->len, &d))
        return Y_FLOAT;
    for (size_t i = 0; i < sizeof specials / sizeof *specials; i++)
        if (text_is(v, specials[i]))
            return Y_FLOAT;
    return Y_STR;
}

const char *cfg_type_name(ytype t, bool quoted)
{
    switch (t) {
    case Y_NULL: return "null";
    case Y_BOOL: return "a boolean";
    case Y_INT: return "an integer";
    case Y_FLOAT: return "a float";
    case Y_STR: return quoted ? "a quoted string" : "a string";
    }
    return "?";
}

/* ---- errors -------------------------------------------------------------- */

wf_status cfg_error(wf_error *err, const char *file, const char *key,
                           long line, long column, const char *fmt, ...)
{
    if (!err || err->status != WF_OK)
        return WF_EINPUT;
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wf_error_set(err, WF_EINPUT, file, line, column, "%s", msg);
    snprintf(err->key, sizeof err->key, "%s", key ? key : "");
    return WF_EINPUT;
}

/* A printable copy of a scalar's text for messages (cut at 60 bytes). */
const char *cfg_show(const scalar *v, char buf[80])
{
    size_t n = v->len > 60 ? 60 : v->len;
    snprintf(buf, 80, "%.*s%s", (int)n, v->text, v->len > 60 ? "..." : "");
    return buf;
}

/* ---- range checks ---------------------------------------------------------- */

/* The key's range, as the rule of wf_decimal.h. */
static wf_decimal_range key_range(const key_def *k)
{
    wf_decimal_range r = {k->low, k->low_open, k->high, k->high_open};
    return r;
}

static void range_text(const key_def *k, char *buf, size_t size)
{
    wf_decimal_range r = key_range(k);
    wf_decimal_range_text(&r, buf, size);
}

/* Is d inside the key's range? Exact, on the written decimal. */
static bool decimal_in_range(const key_def *k, const wf_decimal *d)
{
    wf_decimal_range r = key_range(k);
    return wf_decimal_in_range(d, &r);
}

/* Same rule for the converted value: scaled integer (scale 0, 4 or 6). */
static bool scaled_in_range(const key_def *k, int64_t v, int scale)
{
    int64_t unit = 1;
    for (int i = 0; i < scale; i++)
        unit *= 10;
    if (k->low) {
        int64_t b = strtoll(k->low, NULL, 10) * unit;
        if (v < b || (v == b && k->low_open))
            return false;
    }
    if (k->high) {
        int64_t b = strtoll(k->high, NULL, 10) * unit;
        if (v > b || (v == b && k->high_open))
            return false;
    }
    return true;
}

static bool double_in_range(const key_def *k, double x)
{
    wf_decimal_range r = key_range(k);
    return wf_double_in_range(x, &r);
}

/* ---- the setter ------------------------------------------------------------- */

typedef struct load_ctx {
    const char *file;          /* for messages; "" for overrides */
    bool written[N_KEYS];
    long line[N_KEYS], column[N_KEYS];
    wf_decimal dec[N_KEYS];    /* written decimals of K_DBL keys */
    /* Keys set by wf_config_load_with's overrides: how the user gave them
     * ("--start"), and the override's position + 1 (0: not overridden). */
    const char *origin[N_KEYS];
    int override_no[N_KEYS];
} load_ctx;

static bool parse_md(const char *s, size_t len, wf_md *out)
{
    if (len != 5 || s[2] != '-' || !wf_decimal_is_digits(s, 2) ||
        !wf_decimal_is_digits(s + 3, 2))
        return false;
    int m = (s[0] - '0') * 10 + (s[1] - '0'), d = (s[3] - '0') * 10 + (s[4] - '0');
    if (m < 1 || m > 12 || d < 1 || d > wf_days_in_month(2023, m))
        return false;
    out->month = m;
    out->day = d;
    return true;
}

static wf_status want(load_ctx *cx, const key_def *k, const scalar *v, ytype t,
                      const char *expected, wf_error *err)
{
    char b[80];
    return cfg_error(err, cx->file, k->dotted, v->line, v->column,
                     "expected %s, got %s ('%s')%s", expected,
                     cfg_type_name(t, v->quoted), cfg_show(v, b),
                     v->quoted && t == Y_STR && k->kind != K_ID && k->kind != K_MD &&
                             k->kind != K_DATE && k->kind != K_SCOPE && k->kind != K_MODE &&
                             k->kind < K_ROWS
                         ? "; remove the quotes"
                         : "");
}

static wf_status out_of_range(load_ctx *cx, const key_def *k, const scalar *v,
                              const char *what, wf_error *err)
{
    char r[96], b[80];
    range_text(k, r, sizeof r);
    return cfg_error(err, cx->file, k->dotted, v->line, v->column,
                     "%s%s is out of range: expected a value %s", cfg_show(v, b), what, r);
}

static wf_status set_integer(load_ctx *cx, wf_config *cfg, const key_def *k,
                             const scalar *v, ytype t, wf_error *err)
{
    if (t != Y_INT || !wf_decimal_is_digits(v->text, v->len))
        return want(cx, k, v, t, "an integer written as plain digits", err);
    wf_decimal d;
    int64_t x;
    wf_decimal_parse(v->text, v->len, &d);
    if (!decimal_in_range(k, &d) || !wf_decimal_scaled(&d, 0, &x))
        return out_of_range(cx, k, v, "", err);
    char *field = (char *)cfg + k->offset;
    if (k->kind == K_SEED)
        *(int64_t *)(void *)field = x;
    else
        *(int *)(void *)field = (int)x;
    return WF_OK;
}

static wf_status set_number(load_ctx *cx, wf_config *cfg, const key_def *k,
                            const scalar *v, ytype t, wf_error *err)
{
    wf_decimal d;
    if ((t != Y_INT && t != Y_FLOAT) || !wf_decimal_parse(v->text, v->len, &d))
        return want(cx, k, v, t, "a decimal number", err);
    if (!decimal_in_range(k, &d))
        return out_of_range(cx, k, v, "", err);
    char *field = (char *)cfg + k->offset;
    if (k->kind == K_DBL || k->kind == K_LIMIT) {
        double x;
        if (!wf_decimal_to_double(&d, &x) || !double_in_range(k, x))
            return out_of_range(cx, k, v, " (as a double)", err);
        *(double *)(void *)field = x == 0 ? 0.0 : x;   /* no "-0" in the JSON */
        cx->dec[k - keys] = d;
        cx->dec[k - keys].text = NULL;
        cx->dec[k - keys].len = 0;
        return WF_OK;
    }
    int scale = k->kind == K_PPM ? 6 : 4;
    int64_t x;
    if (!wf_decimal_scaled(&d, scale, &x) || !scaled_in_range(k, x, scale))
        return out_of_range(cx, k, v, k->kind == K_PPM ? " (rounded to ppm)"
                                                       : " (rounded to basis points)", err);
    if (k->kind == K_PPM)
        *(int64_t *)(void *)field = x;
    else
        *(int32_t *)(void *)field = (int32_t)x;
    return WF_OK;
}

static wf_status set_string(load_ctx *cx, wf_config *cfg, const key_def *k,
                            const scalar *v, ytype t, wf_error *err)
{
    char *field = (char *)cfg + k->offset;
    if (k->kind == K_DATE && t == Y_NULL) {
        cfg->ae_cutoff_set = false;
        cfg->ae_hire_date_cutoff = 0;
        return WF_OK;
    }
    char b[80];
    switch (k->kind) {
    case K_ID:
        if (t != Y_STR)
            return want(cx, k, v, t, "a string id (quote it)", err);
        if (!wf_id_valid(v->text, v->len))
            return cfg_error(err, cx->file, k->dotted, v->line, v->column,
                             "'%s' is not a valid id: expected 1-%d characters "
                             "from A-Z a-z 0-9 _ . -", cfg_show(v, b), WF_ID_MAX);
        memcpy(field, v->text, v->len);
        field[v->len] = '\0';
        return WF_OK;
    case K_MD:
        if (t != Y_STR || !parse_md(v->text, v->len, (wf_md *)(void *)field))
            return cfg_error(err, cx->file, k->dotted, v->line, v->column,
                             "expected a month-day \"MM-DD\" (not 02-29), got '%s'",
                             cfg_show(v, b));
        return WF_OK;
    case K_DATE:
        if (t != Y_STR || !wf_date_parse(v->text, v->len, &cfg->ae_hire_date_cutoff))
            return cfg_error(err, cx->file, k->dotted, v->line, v->column,
                             "expected a date \"YYYY-MM-DD\" or null, got '%s'",
                             cfg_show(v, b));
        cfg->ae_cutoff_set = true;
        return WF_OK;
    case K_SCOPE:
        if (t == Y_STR && text_is(v, "auto_enrolled"))
            cfg->esc_scope = WF_ESC_AUTO_ENROLLED;
        else if (t == Y_STR && text_is(v, "all_enrolled"))
            cfg->esc_scope = WF_ESC_ALL_ENROLLED;
        else
            return cfg_error(err, cx->file, k->dotted, v->line, v->column,
                             "expected auto_enrolled or all_enrolled, got '%s'",
                             cfg_show(v, b));
        return WF_OK;
    case K_MODE:
        if (t == Y_STR && text_is(v, "fast"))
            cfg->perf_mode = 0;
        else if (t == Y_STR && text_is(v, "sql"))
            cfg->perf_mode = 1;
        else
            return cfg_error(err, cx->file, k->dotted, v->line, v->column,
                             "expected fast or sql, got '%s'", cfg_show(v, b));
        return WF_OK;
    case K_ROWS:
        if (t == Y_STR && (text_is(v, "strict") || text_is(v, "skip")))
            cfg->census_skip = text_is(v, "skip");
        else
            return cfg_error(err, cx->file, k->dotted, v->line, v->column,
                             "expected strict or skip, got '%s'", cfg_show(v, b));
        return WF_OK;
    case K_DATEFMT:
        for (int f = 0; t == Y_STR && f < WF_DF_COUNT; f++)
            if (text_is(v, wf_date_format_names[f])) {
                cfg->census_date_format = (wf_date_format_id)f;
                return WF_OK;
            }
        return cfg_error(err, cx->file, k->dotted, v->line, v->column,
                         "expected YYYY-MM-DD, MM/DD/YYYY, DD/MM/YYYY, YYYYMMDD or "
                         "DD.MM.YYYY, got '%s'", cfg_show(v, b));
    case K_COLMAP:
        /* a scalar here: only null (no mapping); the mapping itself is
         * read by walk_columns */
        if (t != Y_NULL)
            return cfg_error(err, cx->file, k->dotted, v->line, v->column,
                             "expected a mapping of census columns to the file's "
                             "headers (employee_id: \"Employee Number\", ...), got '%s'",
                             cfg_show(v, b));
        memset(cfg->census_columns, 0, sizeof cfg->census_columns);
        return WF_OK;
    default:
        assert(0);
        return WF_EINPUT;
    }
}

static wf_status set_key(load_ctx *cx, wf_config *cfg, const key_def *k,
                         const scalar *v, wf_error *err)
{
    ytype t = cfg_resolve(v);
    switch (k->kind) {
    case K_INT:
    case K_SEED:
        return set_integer(cx, cfg, k, v, t, err);
    case K_LIMIT:
        if (t == Y_NULL) {
            *(double *)(void *)((char *)cfg + k->offset) = NAN;
            return WF_OK;
        }
        return set_number(cx, cfg, k, v, t, err);
    case K_PPM:
    case K_BP:
    case K_DBL:
        return set_number(cx, cfg, k, v, t, err);
    case K_BOOL:
        if (t != Y_BOOL)
            return want(cx, k, v, t, "a boolean (true or false)", err);
        *(bool *)(void *)((char *)cfg + k->offset) = v->text[0] == 't' || v->text[0] == 'T';
        return WF_OK;
    default:
        return set_string(cx, cfg, k, v, t, err);
    }
}

/* ---- cross-key rules -------------------------------------------------------- */

static void value_decimal(const load_ctx *cx, const wf_config *cfg, int key,
                          wf_decimal *d, char buf[32])
{
    if (cx->written[key]) {
        *d = cx->dec[key];
        return;
    }
    double x = *(const double *)(const void *)((const char *)cfg + keys[key].offset);
    int n = wf_fmt_double(x, false, buf);
    wf_decimal_parse(buf, (size_t)n, d);
}

static int md_cmp(wf_md a, wf_md b)
{
    return a.month != b.month ? a.month - b.month : a.day - b.day;
}

/* The key a broken two-key rule names: the one an override just set
 * (`blame`, for wf_config_set), else the one set by the later override,
 * else the only one of the two written in the file, else b. */
static int pick_blame(const load_ctx *cx, int blame, int a, int b)
{
    if (blame == a || blame == b)
        return blame;
    if (cx->override_no[a] || cx->override_no[b])
        return cx->override_no[a] > cx->override_no[b] ? a : b;
    if (cx->written[a] && !cx->written[b])
        return a;
    return b;
}

/* Where key k's value came from, for a rule that an override broke. */
static void origin_text(const load_ctx *cx, int k, char *buf, size_t size)
{
    if (cx->override_no[k])
        snprintf(buf, size, "%.40s", cx->origin[k] ? cx->origin[k] : "an override");
    else if (cx->written[k] && cx->file[0])
        snprintf(buf, size, "%.80s line %ld", cx->file, cx->line[k]);
    else
        snprintf(buf, size, "the default");
}

/* A promotion multiplies a salary by 1 + r with r >= mean - spread, and a
 * salary is at least 1 cent: past this every promotion of every salary
 * would leave the model's range (docs/model.md 6: at most 2^53 - 1 cents). The
 * test is the engine's own double arithmetic (u = 0, salary 1 cent); for
 * doubles above 2^52, which are whole numbers, round(x) > 2^53 - 1 exactly
 * when x > 2^53 - 1. */
static bool promotion_overflow_certain(const wf_config *cfg)
{
    double rate = cfg->promotion_raise_mean + cfg->promotion_raise_spread * (2.0 * 0.0 - 1.0);
    return 1.0 * (1.0 + rate) > (double)WF_SALARY_MAX_CENTS;
}

/* The cross-key rules, on the final values (after the file and every
 * override). a and b are the keys a broken rule involves, k the one named. */
static wf_status cross_check(const load_ctx *cx, const wf_config *cfg, int blame,
                             wf_error *err)
{
    int k = -1, a = -1, b = -1;
    char msg[768] = "";
    if (cfg->start_year > cfg->end_year) {
        a = KEY_simulation_start_year, b = KEY_simulation_end_year;
        snprintf(msg, sizeof msg, "end_year %d is before start_year %d",
                 cfg->end_year, cfg->start_year);
    } else if (md_cmp(cfg->promotion_date, cfg->merit_date) > 0) {
        a = KEY_compensation_promotion_date, b = KEY_compensation_merit_date;
        snprintf(msg, sizeof msg, "promotion_date %02d-%02d is after merit_date %02d-%02d",
                 cfg->promotion_date.month, cfg->promotion_date.day,
                 cfg->merit_date.month, cfg->merit_date.day);
    } else {
        wf_decimal m, s;
        char bm[32], bs[32];
        value_decimal(cx, cfg, KEY_compensation_promotion_raise_mean, &m, bm);
        value_decimal(cx, cfg, KEY_compensation_promotion_raise_spread, &s, bs);
        if (wf_decimal_cmp(&m, &s) < 0 ||
            !(cfg->promotion_raise_mean - cfg->promotion_raise_spread >= 0)) {
            a = KEY_compensation_promotion_raise_spread;
            b = KEY_compensation_promotion_raise_mean;
            snprintf(msg, sizeof msg,
                     "promotion_raise_mean - promotion_raise_spread must be >= 0 "
                     "(mean %.17g, spread %.17g)",
                     cfg->promotion_raise_mean, cfg->promotion_raise_spread);
        } else if (promotion_overflow_certain(cfg)) {
            a = KEY_compensation_promotion_raise_spread;
            b = KEY_compensation_promotion_raise_mean;
            snprintf(msg, sizeof msg,
                     "promotion_raise_mean - promotion_raise_spread must be at most "
                     "9007199254740990 (mean %.17g, spread %.17g): beyond it every "
                     "promotion of every salary would exceed the largest salary, "
                     "2^53 - 1 cents",
                     cfg->promotion_raise_mean, cfg->promotion_raise_spread);
        }
    }
    if (a < 0)
        return WF_OK;
    k = pick_blame(cx, blame, a, b);
    if (cx->override_no[a] || cx->override_no[b]) {
        char oa[128], ob[128];
        size_t n = strlen(msg);
        origin_text(cx, a, oa, sizeof oa);
        origin_text(cx, b, ob, sizeof ob);
        if (n < sizeof msg)
            snprintf(msg + n, sizeof msg - n, " (%.40s from %s, %.40s from %s)",
                     keys[a].name, oa, keys[b].name, ob);
    }
    if (cx->override_no[k])
        return cfg_error(err, "", keys[k].dotted, 0, 0, "%s", msg);
    return cfg_error(err, cx->file, keys[k].dotted, cx->line[k], cx->column[k],
                     "%s", msg);
}

/* ---- key lookup and suggestions ------------------------------------------- */

static int find_key(const char *section, const char *name)
{
    for (int i = 0; i < N_KEYS; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
            return i;
    return -1;
}

static int find_section(const char *name)
{
    for (size_t i = 0; i < N_SECTIONS; i++)
        if (strcmp(sections[i], name) == 0)
            return (int)i;
    return -1;
}

/* Levenshtein distance of two short strings (capped at 127 characters),
 * or `limit` when it is >= limit: the rows stop as soon as every entry
 * reaches the limit, so a long misspelt key costs little against the keys
 * it cannot match (the fuzzers spent most of their time here). */
static int edit_distance(const char *a, const char *b, int limit)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 127) la = 127;
    if (lb > 127) lb = 127;
    if (la - lb >= limit || lb - la >= limit)
        return limit;
    int row[128];
    for (int j = 0; j <= lb; j++)
        row[j] = j;
    for (int i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = i;
        int low = row[0];
        for (int j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
            if (best < low)
                low = best;
        }
        if (low >= limit)
            return limit;
    }
    return row[lb] < limit ? row[lb] : limit;
}

/* The valid dotted key nearest to `dotted` (a section when want_section).
 * Ties go to the first in table order. */
static const char *nearest(const char *dotted, bool want_section)
{
    const char *best = NULL;
    int best_d = 1 << 30;
    if (want_section) {
        for (size_t i = 0; i < N_SECTIONS; i++) {
            int d = edit_distance(dotted, sections[i], best_d);
            if (d < best_d)
                best_d = d, best = sections[i];
        }
        return best;
    }
    const char *dot = strchr(dotted, '.');
    for (int i = 0; i < N_KEYS; i++) {
        /* the right name in the wrong section is the likeliest slip */
        if (dot && strcmp(dot + 1, keys[i].name) == 0) {
            if (best_d > 0)
                best_d = 0, best = keys[i].dotted;
            continue;
        }
        int d = edit_distance(dotted, keys[i].dotted, best_d);
        int dn = edit_distance(dotted, keys[i].name, (d < best_d ? d : best_d) - 1) + 1;
        if (dn < d)
            d = dn;  /* section left out */
        if (d < best_d)
            best_d = d, best = keys[i].dotted;
    }
    return best;
}

/* ---- the YAML walk ------------------------------------------------------------ */

typedef struct walker {
    yaml_parser_t parser;
    yaml_event_t ev;
    bool have_ev;
    load_ctx *cx;
    wf_config *cfg;
    wf_error *err;
    const unsigned char *text; /* the input, for reader errors' positions */
    size_t len;
} walker;

static wf_status next_event(walker *w)
{
    if (w->have_ev)
        yaml_event_delete(&w->ev);
    w->have_ev = false;
    if (!yaml_parser_parse(&w->parser, &w->ev)) {
        yaml_mark_t m = w->parser.problem_mark;
        if (w->parser.error == YAML_READER_ERROR && w->text) {
            /* libyaml gives a byte offset, not a mark, for bad encodings. */
            size_t end = w->parser.problem_offset < w->len ? w->parser.problem_offset : w->len;
            m.line = 0, m.column = 0;
            for (size_t i = 0; i < end; i++) {
                if (w->text[i] == '\n')
                    m.line++, m.column = 0;
                else if ((w->text[i] & 0xC0) != 0x80)
                    m.column++;
            }
        }
        return cfg_error(w->err, w->cx->file, NULL, (long)m.line + 1, (long)m.column + 1,
                         "YAML syntax error: %s%s%s",
                         w->parser.problem ? w->parser.problem : "unknown problem",
                         w->parser.context ? " " : "",
                         w->parser.context ? w->parser.context : "");
    }
    w->have_ev = true;
    return WF_OK;
}

static long ev_line(const walker *w)
{
    return (long)w->ev.start_mark.line + 1;
}

static long ev_col(const walker *w)
{
    return (long)w->ev.start_mark.column + 1;
}

/* The current event as a scalar, or an error naming what was expected. */
static wf_status ev_scalar(walker *w, const char *key, const char *what, scalar *v)
{
    yaml_event_t *e = &w->ev;
    if (e->type == YAML_ALIAS_EVENT)
        return cfg_error(w->err, w->cx->file, key, ev_line(w), ev_col(w),
                         "YAML aliases are not supported here; expected %s", what);
    if (e->type != YAML_SCALAR_EVENT)
        return cfg_error(w->err, w->cx->file, key, ev_line(w), ev_col(w),
                         "expected %s, got a %s", what,
                         e->type == YAML_MAPPING_START_EVENT ? "mapping" : "sequence");
    if (e->data.scalar.tag)
        return cfg_error(w->err, w->cx->file, key, ev_line(w), ev_col(w),
                         "explicit YAML tags (%s) are not supported",
                         (const char *)e->data.scalar.tag);
    v->text = (const char *)e->data.scalar.value;
    v->len = e->data.scalar.length;
    v->quoted = e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    v->line = ev_line(w);
    v->column = ev_col(w);
    return WF_OK;
}

/* census.columns: model column -> the file's header, each a string of
 * 1..WF_HEADER_MAX bytes; a column or a header named twice is an error. */
static wf_status walk_columns(walker *w)
{
    static const char *const names[WF_CC_COUNT] = {
#define CC_NAME(e, name, alias, req) name,
        WF_CENSUS_COLUMNS(CC_NAME)
#undef CC_NAME
    };
    char (*map)[WF_HEADER_MAX + 1] = w->cfg->census_columns;
    long at[WF_CC_COUNT] = {0};
    char dotted[256], b[80];
    memset(map, 0, sizeof w->cfg->census_columns);
    for (;;) {
        wf_status st = next_event(w);
        if (st != WF_OK)
            return st;
        if (w->ev.type == YAML_MAPPING_END_EVENT)
            return WF_OK;
        scalar kv, v;
        if ((st = ev_scalar(w, "census.columns.?", "a census column", &kv)) != WF_OK)
            return st;
        snprintf(dotted, sizeof dotted, "census.columns.%.*s",
                 (int)(kv.len > 100 ? 100 : kv.len), kv.text);
        int c = 0;
        while (c < WF_CC_COUNT && !text_is(&kv, names[c]))
            c++;
        if (c == WF_CC_COUNT || cfg_resolve(&kv) != Y_STR)
            return cfg_error(w->err, w->cx->file, dotted, kv.line, kv.column,
                             "'%s' is not a census column (employee_id, birth_date, "
                             "hire_date, salary, termination_date, active, level_id, "
                             "deferral_rate, auto_escalation_opt_out)", cfg_show(&kv, b));
        if (at[c])
            return cfg_error(w->err, w->cx->file, dotted, kv.line, kv.column,
                             "column '%s' is mapped twice (first at line %ld)", names[c],
                             at[c]);
        at[c] = kv.line ? kv.line : 1;
        if ((st = next_event(w)) != WF_OK ||
            (st = ev_scalar(w, dotted, "a header name", &v)) != WF_OK)
            return st;
        if (cfg_resolve(&v) != Y_STR || v.len == 0 || v.len > WF_HEADER_MAX ||
            memchr(v.text, '\0', v.len))
            return cfg_error(w->err, w->cx->file, dotted, v.line, v.column,
                             "expected the census header's name as a string of 1-%d "
                             "bytes (quote it), got '%s'", WF_HEADER_MAX, cfg_show(&v, b));
        for (int o = 0; o < WF_CC_COUNT; o++)
            if (map[o][0] && strlen(map[o]) == v.len &&
                strncasecmp(map[o], v.text, v.len) == 0)
                return cfg_error(w->err, w->cx->file, dotted, v.line, v.column,
                                 "header '%s' is already mapped to %s", cfg_show(&v, b),
                                 names[o]);
        memcpy(map[c], v.text, v.len);
        map[c][v.len] = '\0';
    }
}

static wf_status walk_section(walker *w, const char *section)
{
    char dotted[256];
    for (;;) {
        wf_status st = next_event(w);
        if (st != WF_OK)
            return st;
        if (w->ev.type == YAML_MAPPING_END_EVENT)
            return WF_OK;
        scalar kv;
        snprintf(dotted, sizeof dotted, "%s.?", section);
        if ((st = ev_scalar(w, dotted, "a key", &kv)) != WF_OK)
            return st;
        snprintf(dotted, sizeof dotted, "%s.%.*s", section, (int)(kv.len > 100 ? 100 : kv.len),
                 kv.text);
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(kv.len > 100 ? 100 : kv.len), kv.text);
        int k = memchr(kv.text, '\0', kv.len) ? -1 : find_key(section, name);
        if (k < 0)
            return cfg_error(w->err, w->cx->file, dotted, kv.line, kv.column,
                             "unknown key '%s'; did you mean '%s'?", dotted,
                             nearest(dotted, false));
        if (w->cx->written[k])
            return cfg_error(w->err, w->cx->file, keys[k].dotted, kv.line, kv.column,
                             "duplicate key '%s' (first at line %ld)", keys[k].dotted,
                             w->cx->line[k]);
        w->cx->written[k] = true;
        w->cx->line[k] = kv.line;
        w->cx->column[k] = kv.column;
        if ((st = next_event(w)) != WF_OK)
            return st;
        if (keys[k].kind == K_COLMAP && w->ev.type == YAML_MAPPING_START_EVENT) {
            if ((st = walk_columns(w)) != WF_OK)
                return st;
            continue;
        }
        scalar v;
        if ((st = ev_scalar(w, keys[k].dotted, "a scalar value", &v)) != WF_OK)
            return st;
        if ((st = set_key(w->cx, w->cfg, &keys[k], &v, w->err)) != WF_OK)
            return st;
    }
}

/* ---- nested sections: a tree for plan_design.c ------------------------------ */

void cfg_node_free(cfg_node *node)
{
    if (node->type == CFG_SCALAR) {
        free((char *)node->s.text);
        return;
    }
    size_t kids = node->type == CFG_MAP ? 2 * node->n : node->n;
    for (size_t i = 0; i < kids; i++)
        cfg_node_free(&node->kids[i]);
    free(node->kids);
}

/* A plan design is small: deeper or larger input is refused, not read. */
#define TREE_DEPTH_MAX 8
#define TREE_KIDS_MAX 1000

/* The node starting at the current event, into *out (which the caller
 * frees with cfg_node_free, also after an error). */
static wf_status collect(walker *w, int depth, cfg_node *out)
{
    memset(out, 0, sizeof *out);
    out->type = CFG_SCALAR;
    out->s.line = ev_line(w);
    out->s.column = ev_col(w);
    yaml_event_type_t t = w->ev.type;
    if (t != YAML_MAPPING_START_EVENT && t != YAML_SEQUENCE_START_EVENT) {
        scalar v;
        wf_status st = ev_scalar(w, "plan_design", "a value", &v);
        if (st != WF_OK)
            return st;
        char *copy = malloc(v.len + 1);
        if (!copy)
            return wf_error_nomem(w->err, "plan_design");
        memcpy(copy, v.text, v.len);
        copy[v.len] = '\0';
        out->s = v;
        out->s.text = copy;
        return WF_OK;
    }
    if (depth >= TREE_DEPTH_MAX)
        return cfg_error(w->err, w->cx->file, "plan_design", out->s.line, out->s.column,
                         "nested deeper than %d levels", TREE_DEPTH_MAX);
    out->type = t == YAML_MAPPING_START_EVENT ? CFG_MAP : CFG_SEQ;
    yaml_event_type_t end = t == YAML_MAPPING_START_EVENT ? YAML_MAPPING_END_EVENT
                                                          : YAML_SEQUENCE_END_EVENT;
    size_t cap = 0, used = 0;
    for (;;) {
        wf_status st = next_event(w);
        if (st != WF_OK)
            return st;
        if (w->ev.type == end)
            break;
        if (used >= TREE_KIDS_MAX)
            return cfg_error(w->err, w->cx->file, "plan_design", ev_line(w), ev_col(w),
                             "more than %d entries in one mapping or list", TREE_KIDS_MAX / 2);
        if (used == cap) {
            size_t ncap = cap ? 2 * cap : 8;
            cfg_node *nk = realloc(out->kids, ncap * sizeof *nk);
            if (!nk)
                return wf_error_nomem(w->err, "plan_design");
            memset(nk + cap, 0, (ncap - cap) * sizeof *nk);  /* freeable as empty */
            out->kids = nk;
            cap = ncap;
        }
        used++;
        /* n counts a key whose value is not read yet, so that an error
         * from here on (in its value, or the YAML after it) frees it; its
         * partner is zeroed (cap is even, so it exists) */
        out->n = out->type == CFG_MAP ? (used + 1) / 2 : used;
        if ((st = collect(w, depth + 1, &out->kids[used - 1])) != WF_OK)
            return st;
    }
    assert(out->type != CFG_MAP || used % 2 == 0);
    out->n = out->type == CFG_MAP ? used / 2 : used;
    return WF_OK;
}

/* plan_design: the mapping at the current event, read by plan_design.c. */
static wf_status walk_plan_design(walker *w)
{
    cfg_node tree;
    wf_status st = collect(w, 0, &tree);
    if (st == WF_OK)
        st = wf_pd_read(&tree, w->cx->file, &w->cfg->pd, w->err);
    cfg_node_free(&tree);
    return st;
}

static wf_status walk_top(walker *w)
{
    bool seen[N_SECTIONS] = {false};
    long seen_line[N_SECTIONS] = {0};
    for (;;) {
        wf_status st = next_event(w);
        if (st != WF_OK)
            return st;
        if (w->ev.type == YAML_MAPPING_END_EVENT)
            return WF_OK;
        scalar kv;
        if ((st = ev_scalar(w, NULL, "a section name", &kv)) != WF_OK)
            return st;
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(kv.len > 100 ? 100 : kv.len), kv.text);
        int s = memchr(kv.text, '\0', kv.len) ? -1 : find_section(name);
        if (s < 0)
            return cfg_error(w->err, w->cx->file, name, kv.line, kv.column,
                             "unknown section '%s'; did you mean '%s'?", name,
                             nearest(name, true));
        if (seen[s])
            return cfg_error(w->err, w->cx->file, name, kv.line, kv.column,
                             "duplicate section '%s' (first at line %ld)", name,
                             seen_line[s]);
        seen[s] = true;
        seen_line[s] = kv.line;
        if ((st = next_event(w)) != WF_OK)
            return st;
        if (w->ev.type == YAML_MAPPING_START_EVENT && strcmp(sections[s], "plan_design") == 0) {
            if ((st = walk_plan_design(w)) != WF_OK)
                return st;
            continue;
        }
        if (w->ev.type == YAML_MAPPING_START_EVENT) {
            if ((st = walk_section(w, sections[s])) != WF_OK)
                return st;
            continue;
        }
        scalar v;
        if ((st = ev_scalar(w, name, "a mapping of keys", &v)) != WF_OK)
            return st;
        if (cfg_resolve(&v) != Y_NULL)
            return cfg_error(w->err, w->cx->file, name, v.line, v.column,
                             "expected a mapping of keys for section '%s'", name);
    }
}

static wf_status walk_stream(walker *w)
{
    wf_status st;
    if ((st = next_event(w)) != WF_OK)        /* stream start */
        return st;
    if ((st = next_event(w)) != WF_OK)
        return st;
    if (w->ev.type == YAML_STREAM_END_EVENT)
        return WF_OK;                          /* an empty file: all defaults */
    if ((st = next_event(w)) != WF_OK)        /* after document start */
        return st;
    if (w->ev.type == YAML_MAPPING_START_EVENT) {
        if ((st = walk_top(w)) != WF_OK)
            return st;
    } else {
        scalar v;
        if ((st = ev_scalar(w, NULL, "a mapping of sections", &v)) != WF_OK)
            return st;
        if (cfg_resolve(&v) != Y_NULL)
            return cfg_error(w->err, w->cx->file, NULL, v.line, v.column,
                             "expected a mapping of sections (simulation:, workforce:, ...)");
    }
    if ((st = next_event(w)) != WF_OK)        /* document end */
        return st;
    if ((st = next_event(w)) != WF_OK)
        return st;
    if (w->ev.type != YAML_STREAM_END_EVENT)
        return cfg_error(w->err, w->cx->file, NULL, ev_line(w), ev_col(w),
                         "expected a single YAML document");
    return WF_OK;
}

/* ---- public ------------------------------------------------------------------- */

static void apply_defaults(wf_config *cfg)
{
    load_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.file = "";
    memset(cfg, 0, sizeof *cfg);
    wf_pd_defaults(&cfg->pd);
    for (int i = 0; i < N_KEYS; i++) {
        scalar v = {keys[i].def, strlen(keys[i].def), false, 0, 0};
        wf_status st = set_key(&cx, cfg, &keys[i], &v, NULL);
        assert(st == WF_OK);
        (void)st;
    }
}

static wf_status read_file(const char *path, unsigned char **buf, size_t *len,
                           wf_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return wf_error_errno(err, "open", path);
    size_t cap = 1 << 14, n = 0;
    unsigned char *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (cap >= (64u << 20)) {        /* a configuration is small */
            free(b);
            fclose(f);
            return wf_error_set(err, WF_EINPUT, path, 0, 0,
                                "configuration file larger than 64 MiB");
        }
        unsigned char *nb = realloc(b, cap * 2);
        if (!nb)
            free(b);
        b = nb;
        cap *= 2;
    }
    if (!b) {
        fclose(f);
        return wf_error_nomem(err, path);
    }
    if (ferror(f)) {
        free(b);
        fclose(f);
        return wf_error_errno(err, "read", path);
    }
    fclose(f);
    *buf = b;
    *len = n;
    return WF_OK;
}

/* Sets key `ov->key` from the command-line text `ov->value`: an id is the
 * text itself (checked by the id rule), anything else is typed as a plain
 * YAML scalar would be, without YAML's syntax (no quotes, comments or
 * flow values), so an integer or seed must be plain digits. */
static wf_status apply_override(load_ctx *cx, wf_config *cfg, const wf_config_override *ov,
                                int no, wf_error *err)
{
    char section[128];
    const char *dot = ov->key ? strchr(ov->key, '.') : NULL;
    int k = -1;
    if (dot && (size_t)(dot - ov->key) < sizeof section) {
        snprintf(section, sizeof section, "%.*s", (int)(dot - ov->key), ov->key);
        k = find_key(section, dot + 1);
    }
    if (k < 0)
        return cfg_error(err, "", ov->key, 0, 0, "unknown key '%s'; did you mean '%s'?",
                         ov->key ? ov->key : "", nearest(ov->key ? ov->key : "", false));
    const char *value = ov->value ? ov->value : "";
    scalar v = {value, strlen(value), keys[k].kind == K_ID, 0, 0};
    const char *file = cx->file;
    cx->file = "";
    wf_status st;
    if ((keys[k].kind == K_INT || keys[k].kind == K_SEED) &&
        !wf_decimal_is_digits(v.text, v.len)) {
        char b[80];
        st = cfg_error(err, "", keys[k].dotted, 0, 0, "expected plain digits 0-9, got '%s'",
                       cfg_show(&v, b));
    } else {
        st = set_key(cx, cfg, &keys[k], &v, err);
    }
    cx->file = file;
    if (st != WF_OK) {
        size_t n = strlen(err->message);
        snprintf(err->message + n, sizeof err->message - n, " (given as %s)",
                 ov->origin ? ov->origin : "an override");
        return st;
    }
    cx->written[k] = true;
    cx->line[k] = cx->column[k] = 0;
    cx->origin[k] = ov->origin;
    cx->override_no[k] = no + 1;
    return WF_OK;
}

/* text[0..len) as the configuration named `name` (NULL text: the
 * defaults), then the overrides in order, then the cross-key rules once on
 * the final values. */
static wf_status parse_text(const char *name, const unsigned char *text, size_t len,
                            const wf_config_override *ov, size_t n_ov,
                            wf_config **out, wf_error *err)
{
    *out = NULL;
    walker w;
    bool parser_ready = false;
    memset(&w, 0, sizeof w);
    wf_status st = WF_OK;
    wf_config *cfg = malloc(sizeof *cfg);
    load_ctx *cx = calloc(1, sizeof *cx);
    if (!cfg || !cx) {
        st = wf_error_nomem(err, "configuration");
        goto done;
    }
    apply_defaults(cfg);
    cx->file = name ? name : "";
    if (text) {
        if (!(parser_ready = yaml_parser_initialize(&w.parser))) {
            st = wf_error_nomem(err, "YAML parser");
            goto done;
        }
        w.cx = cx;
        w.cfg = cfg;
        w.err = err;
        w.text = text;
        w.len = len;
        yaml_parser_set_input_string(&w.parser, text, len);
        if ((st = walk_stream(&w)) != WF_OK)
            goto done;
    }
    for (size_t i = 0; i < n_ov && st == WF_OK; i++)
        st = apply_override(cx, cfg, &ov[i], (int)i, err);
    if (st == WF_OK)
        st = cross_check(cx, cfg, -1, err);
done:
    if (w.have_ev)
        yaml_event_delete(&w.ev);
    if (parser_ready)
        yaml_parser_delete(&w.parser);
    free(cx);
    if (st != WF_OK) {
        free(cfg);
        return st;
    }
    *out = cfg;
    return WF_OK;
}

wf_status wf_config_load_with(const char *path, const wf_config_override *ov, size_t n_ov,
                              wf_config **out, wf_error *err)
{
    unsigned char *text = NULL;
    size_t len = 0;
    *out = NULL;
    if (path) {
        wf_status st = read_file(path, &text, &len, err);
        if (st != WF_OK)
            return st;
    }
    wf_status st = parse_text(path, text, len, ov, n_ov, out, err);
    free(text);
    return st;
}

wf_status wf_config_load(const char *path, wf_config **out, wf_error *err)
{
    return wf_config_load_with(path, NULL, 0, out, err);
}

wf_status wf_config_parse(const char *name, const char *text, size_t len,
                          wf_config **out, wf_error *err)
{
    static const unsigned char empty[1] = "";
    *out = NULL;
    return parse_text(name ? name : "", text ? (const unsigned char *)text : empty, len,
                      NULL, 0, out, err);
}

/* Parses an override value as a one-scalar YAML document and sets it. */
static wf_status set_from_text(load_ctx *cx, wf_config *cfg, int k,
                               const char *value, wf_error *err)
{
    walker w;
    memset(&w, 0, sizeof w);
    if (!yaml_parser_initialize(&w.parser))
        return wf_error_nomem(err, "YAML parser");
    w.cx = cx;
    w.cfg = cfg;
    w.err = err;
    yaml_parser_set_input_string(&w.parser, (const unsigned char *)value, strlen(value));
    wf_status st = next_event(&w);               /* stream start */
    if (st == WF_OK)
        st = next_event(&w);
    if (st == WF_OK && w.ev.type == YAML_STREAM_END_EVENT) {
        scalar v = {"", 0, false, 0, 0};             /* empty text: null */
        st = set_key(cx, cfg, &keys[k], &v, err);
    } else if (st == WF_OK && (st = next_event(&w)) == WF_OK) {
        scalar v;
        st = ev_scalar(&w, keys[k].dotted, "a scalar value", &v);
        if (st == WF_OK) {
            v.line = v.column = 0;
            st = set_key(cx, cfg, &keys[k], &v, err);
        }
        if (st == WF_OK && (st = next_event(&w)) == WF_OK &&
            (st = next_event(&w)) == WF_OK && w.ev.type != YAML_STREAM_END_EVENT)
            st = cfg_error(err, "", keys[k].dotted, 0, 0, "expected a single value");
    }
    if (w.have_ev)
        yaml_event_delete(&w.ev);
    yaml_parser_delete(&w.parser);
    return st;
}

wf_status wf_config_set(wf_config *cfg, const char *key, const char *value,
                        wf_error *err)
{
    char section[128];
    const char *dot = strchr(key, '.');
    int k = -1;
    if (dot && (size_t)(dot - key) < sizeof section) {
        snprintf(section, sizeof section, "%.*s", (int)(dot - key), key);
        k = find_key(section, dot + 1);
    }
    if (k < 0)
        return cfg_error(err, "", key, 0, 0, "unknown key '%s'; did you mean '%s'?",
                         key, nearest(key, false));
    load_ctx *cx = calloc(1, sizeof *cx);
    if (!cx)
        return wf_error_nomem(err, "configuration override");
    cx->file = "";
    cx->written[k] = true;
    wf_config tmp = *cfg;
    wf_status st = set_from_text(cx, &tmp, k, value, err);
    if (st == WF_OK)
        st = cross_check(cx, &tmp, k, err);
    if (st == WF_OK)
        *cfg = tmp;
    free(cx);
    return st;
}

wf_config *wf_config_copy(const wf_config *cfg)
{
    wf_config *copy = malloc(sizeof *copy);
    if (copy)
        *copy = *cfg; /* a flat struct: ids are arrays, nothing is shared */
    return copy;
}

void wf_config_free(wf_config *cfg)
{
    free(cfg);
}

int32_t wf_config_ae_cutoff(const wf_config *cfg)
{
    return cfg->ae_cutoff_set ? cfg->ae_hire_date_cutoff
                              : wf_date_from_ymd(cfg->start_year, 1, 1);
}

int wf_config_thresholds(const wf_config *cfg, const char **metric,
                         double *value, int max)
{
    int n = 0;
    for (int i = 0; i < N_KEYS; i++) {
        if (keys[i].kind != K_LIMIT)
            continue;
        double x = *(const double *)(const void *)((const char *)cfg + keys[i].offset);
        if (isnan(x))
            continue;
        if (n < max) {
            metric[n] = keys[i].name;
            value[n] = x;
        }
        n++;
    }
    return n;
}

int64_t wf_config_random_seed(const wf_config *cfg)
{
    return cfg->random_seed;
}

const char *wf_config_scenario_id(const wf_config *cfg)
{
    return cfg->scenario_id;
}

const char *wf_config_plan_design_id(const wf_config *cfg)
{
    return cfg->plan_design_id;
}

int wf_config_start_year(const wf_config *cfg)
{
    return cfg->start_year;
}

int wf_config_end_year(const wf_config *cfg)
{
    return cfg->end_year;
}

const char *wf_config_census_date_format(const wf_config *cfg)
{
    return wf_date_format_names[cfg->census_date_format];
}

int wf_config_mode(const wf_config *cfg)
{
    return cfg->perf_mode;
}

int wf_config_threads(const wf_config *cfg)
{
    return cfg->perf_threads;
}

/* ---- canonical JSON (docs/config.md) --------------------------------------- */

/* Appends one key's "name":value; buf is large enough by construction. */
static size_t json_value(const wf_config *cfg, const key_def *k, char *p)
{
    const char *field = (const char *)cfg + k->offset;
    const char *suffix = k->kind == K_PPM ? "_ppm" : k->kind == K_BP ? "_bp" : "";
    size_t n = (size_t)sprintf(p, "\"%s%s\":", k->name, suffix);
    char tmp[40];
    switch (k->kind) {
    case K_INT:
        return n + (size_t)sprintf(p + n, "%d", *(const int *)(const void *)field);
    case K_SEED:
    case K_PPM:
        return n + (size_t)sprintf(p + n, "%lld",
                                   (long long)*(const int64_t *)(const void *)field);
    case K_BP:
        return n + (size_t)sprintf(p + n, "%d", (int)*(const int32_t *)(const void *)field);
    case K_DBL: {
        wf_fmt_double(*(const double *)(const void *)field, true, tmp);
        return n + (size_t)sprintf(p + n, "%s", tmp);
    }
    case K_BOOL:
        return n + (size_t)sprintf(p + n, "%s",
                                   *(const bool *)(const void *)field ? "true" : "false");
    case K_ID:
        return n + (size_t)sprintf(p + n, "\"%s\"", field);
    case K_MD: {
        const wf_md *md = (const wf_md *)(const void *)field;
        return n + (size_t)sprintf(p + n, "\"%02d-%02d\"", md->month, md->day);
    }
    case K_DATE:
        wf_date_format(wf_config_ae_cutoff(cfg), tmp);
        return n + (size_t)sprintf(p + n, "\"%s\"", tmp);
    case K_SCOPE:
        return n + (size_t)sprintf(p + n, "\"%s\"", cfg->esc_scope == WF_ESC_ALL_ENROLLED
                                                       ? "all_enrolled" : "auto_enrolled");
    case K_MODE:
        return n + (size_t)sprintf(p + n, "\"%s\"", cfg->perf_mode ? "sql" : "fast");
    case K_LIMIT:
        break;  /* never part of the canonical form */
    case K_ROWS:
    case K_DATEFMT:
    case K_COLMAP:
        break;                   /* runner keys: never in the canonical JSON */
    }
    return n;
}

char *wf_config_to_json(const wf_config *cfg)
{
    char *buf = malloc(8192);   /* about 1 KiB in practice; keys are fixed */
    if (!buf)
        return NULL;
    size_t n = 0;
    const char *open = NULL;
    buf[n++] = '{';
    for (int i = 0; i < N_KEYS; i++) {
        const key_def *k = &keys[i];
        if (runner_section(k->section) || k->kind == K_LIMIT)
            continue;
        if (!open || strcmp(open, k->section) != 0) {
            if (open)
                buf[n++] = '}', buf[n++] = ',';
            n += (size_t)sprintf(buf + n, "\"%s\":{", k->section);
            open = k->section;
        } else {
            buf[n++] = ',';
        }
        n += json_value(cfg, k, buf + n);
    }
    buf[n++] = '}';
    buf[n++] = '}';
    buf[n] = '\0';
    return buf;
}

char *wf_config_plan_design_json(const wf_config *cfg)
{
    return wf_pd_json(&cfg->pd);
}

void wf_config_digest(const wf_config *cfg, char hex[65])
{
    char *json = wf_config_to_json(cfg);
    if (!json)
        abort();                  /* a few KiB: only an OS failure */
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(json), (const uint8_t *)json);
    sha256_digest(&ctx, sizeof d, d);
    free(json);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", d[i]);
    hex[64] = '\0';
}
