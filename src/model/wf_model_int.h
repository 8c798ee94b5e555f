/*
 * wf_model_int.h - the model's inputs, as the simulation sees them.
 *
 * The opaque handles of wfsim.h (wf_config, wf_tables, wf_census) are
 * defined here, for the files of the model subsystem only. Loaders
 * (config.c, tables.c, census.c) turn text into these structs once, in the
 * units docs/model.md 0.2 prescribes: money in cents, deferral rates in basis
 * points, workforce rates and weights in ppm, dates as day numbers
 * (wf_date.h). After loading, every value has passed its rule of docs/model.md
 * 2 and 6, so the simulation never re-checks input.
 */
#ifndef WF_MODEL_INT_H
#define WF_MODEL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan_design.h"
#include "wf_rejects.h"
#include "wfsim.h"

#define WF_ID_MAX 64     /* employee, scenario and plan ids: 1..64 chars */

/* The id rule of employee, scenario and plan ids (docs/model.md 2.1, 2.2):
 * 1..WF_ID_MAX characters from A-Z a-z 0-9 _ . - (one table, in census.c:
 * a load per character on the census's hot path). */
extern const bool wf_id_chars[256];
static inline bool wf_id_char(unsigned char c)
{
    return wf_id_chars[c];
}
bool wf_id_valid(const char *s, size_t len);
#define WF_LABEL_MAX 63  /* band and segment labels */
/* The largest salary of the model, in cents (docs/model.md 6: 2^53 - 1, so that
 * every salary is exact as a double). */
#define WF_SALARY_MAX_CENTS 9007199254740991LL

typedef struct wf_md {   /* a month-day such as promotion_date "02-01" */
    int month, day;
} wf_md;

/* The census columns of docs/model.md 2.1, X(enum, name, alias or NULL,
 * required): census.c finds them in the header, config.c takes them as
 * the keys of `census.columns`. */
#define WF_CENSUS_COLUMNS(X)                                             \
    X(WF_CC_ID, "employee_id", NULL, true)                               \
    X(WF_CC_BIRTH, "birth_date", "employee_birth_date", true)            \
    X(WF_CC_HIRE, "hire_date", "employee_hire_date", true)               \
    X(WF_CC_SALARY, "salary", "employee_gross_compensation", true)       \
    X(WF_CC_TERM, "termination_date", "employee_termination_date", false)\
    X(WF_CC_ACTIVE, "active", NULL, false)                               \
    X(WF_CC_LEVEL, "level_id", NULL, false)                              \
    X(WF_CC_DEFERRAL, "deferral_rate", "employee_deferral_rate", false)  \
    X(WF_CC_ESC, "auto_escalation_opt_out", NULL, false)

#define WF_CC_ENUM(e, name, alias, req) e,
enum { WF_CENSUS_COLUMNS(WF_CC_ENUM) WF_CC_COUNT };
#undef WF_CC_ENUM

#define WF_HEADER_MAX 127  /* a header named by census.columns, in bytes */

/* census.date_format: how every date cell of the census is written. */
#define WF_DATE_FORMATS(X)                \
    X(WF_DF_ISO, "YYYY-MM-DD")            \
    X(WF_DF_US, "MM/DD/YYYY")             \
    X(WF_DF_EU, "DD/MM/YYYY")             \
    X(WF_DF_COMPACT, "YYYYMMDD")          \
    X(WF_DF_DOTTED, "DD.MM.YYYY")

#define WF_DF_ENUM(e, text) e,
typedef enum wf_date_format_id { WF_DATE_FORMATS(WF_DF_ENUM) WF_DF_COUNT } wf_date_format_id;
#undef WF_DF_ENUM

extern const char *const wf_date_format_names[WF_DF_COUNT];

typedef enum wf_esc_scope {
    WF_ESC_AUTO_ENROLLED = 0,
    WF_ESC_ALL_ENROLLED = 1
} wf_esc_scope;

struct wf_config {
    /* simulation */
    int start_year, end_year;
    int64_t random_seed;
    char scenario_id[WF_ID_MAX + 1], plan_design_id[WF_ID_MAX + 1];
    /* workforce */
    int64_t target_growth_ppm, termination_ppm, new_hire_termination_ppm;
    int retirement_age;
    double retirement_probability;
    /* compensation */
    double cola_rate, merit_probability, salary_structure_growth;
    double promotion_raise_mean, promotion_raise_spread, new_hire_salary_spread;
    wf_md promotion_date, merit_date;
    /* eligibility */
    int minimum_age, waiting_period_days;
    /* auto_enrollment */
    bool ae_enabled;
    bool ae_cutoff_set;          /* false: January 1 of start_year */
    int32_t ae_hire_date_cutoff; /* day number, when ae_cutoff_set */
    int32_t ae_default_deferral_bp;
    int ae_window_days, ae_opt_out_grace_days;
    /* voluntary_enrollment */
    bool ve_enabled;
    wf_md ve_enrollment_date;
    /* auto_escalation */
    bool esc_enabled;
    wf_esc_scope esc_scope;
    int32_t esc_increment_bp, esc_cap_bp;
    int esc_delay_years;
    wf_md esc_effective_date;
    /* performance: the runner's, not the model's */
    int perf_mode;               /* 0 fast, 1 sql */
    int perf_threads;            /* 0 = all cores */
    /* plan_design: the dbt plan models', not the events' (docs/config.md) */
    wf_plan_design pd;
    /* thresholds: the ensemble's, not the model's; NaN = none */
    double thr_headcount_end, thr_hires, thr_terminations, thr_avg_salary;
    double thr_participation_rate, thr_avg_deferral_rate;
    double thr_employee_contributions, thr_employer_match, thr_employer_core;
    double thr_employer_cost;
    /* census: the runner's too (how the census file is read) */
    bool census_skip;            /* invalid_rows: skip (else strict) */
    wf_date_format_id census_date_format;
    char census_columns[WF_CC_COUNT][WF_HEADER_MAX + 1]; /* "" = by name */
};

/* hire_date_cutoff resolved (January 1 of start_year when not set). */
int32_t wf_config_ae_cutoff(const wf_config *cfg);

typedef struct wf_band {         /* [min, max) */
    char label[WF_LABEL_MAX + 1];
    int64_t min, max;
} wf_band;

typedef struct wf_level {
    int id;                      /* 1..n_levels; levels[i].id == i + 1 */
    char name[WF_LABEL_MAX + 1];
    int64_t min_cents, max_cents;/* the table's whole dollars * 100 */
    double termination_base, promotion_base, merit_rate, new_hire_percentile;
    int64_t new_hire_mix_ppm;
} wf_level;

typedef struct wf_behaviour {
    double voluntary, conversion, opt_out;  /* probabilities */
    int32_t deferral_bp;                    /* voluntary_deferral_rate */
} wf_behaviour;

struct wf_tables {
    int n_levels;
    wf_level *levels;            /* levels[0] is level 1 */
    /* Bands sorted ascending by min; they tile [0, 999). The multipliers
     * are parallel arrays: term_age_mult[i] belongs to age_bands[i]. */
    int n_age_bands, n_tenure_bands;
    wf_band *age_bands, *tenure_bands;
    double *term_age_mult, *term_tenure_mult;
    double *promo_age_mult, *promo_tenure_mult;
    /* new_hire_ages sorted ascending by age; cum_ppm[i] is the sum of the
     * weights of ages[0..i]; total = cum_ppm[n - 1] (1 .. 2^31). */
    int n_hire_ages;
    int32_t *hire_ages;
    int64_t *hire_age_cum_ppm;
    int64_t hire_age_total_ppm;
    /* Segments sorted ascending; income bounds in whole dollars. */
    int n_age_segments, n_income_segments;
    wf_band *age_segments, *income_segments;
    /* behaviour[a * n_income_segments + i] for age segment a, income i. */
    wf_behaviour *behaviour;
};

typedef struct wf_census_employee {
    const char *id;              /* NUL-terminated, in the census's arena */
    int32_t birth_day, hire_day; /* day numbers */
    int64_t salary_cents;        /* > 0 */
    int32_t level;               /* 1..n_levels (derived when absent) */
    int32_t deferral_bp;         /* 0..10000; > 0 means enrolled at C */
    bool esc_opt_out;            /* auto_escalation_opt_out */
    bool level_from_salary;      /* level derived, not written in the file */
} wf_census_employee;

struct wf_census {
    char *path;                  /* as given to wf_census_load */
    size_t n;                    /* active employees only, in file order */
    wf_census_employee *emp;
    char *id_arena;              /* owns every emp[i].id */
    size_t rows;                 /* data rows of the file */
    size_t skipped;              /* rows without error not active */
    bool skip_mode;              /* read with census.invalid_rows: skip */
    wf_rejects rej;              /* the rows rejected (skip mode), in file order */
};

/* Index of the band holding v (bands tile [0, 999)); v < 0 or >= 999
 * gives the first or last band. */
int wf_band_index(const wf_band *bands, int n, int64_t v);

#endif
