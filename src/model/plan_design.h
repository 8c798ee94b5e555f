/*
 * plan_design.h - the plan_design section of the configuration
 * (docs/config.md "Plan design"): the employer's match and core formulas,
 * vesting, the forfeiture policy and the nondiscrimination options.
 *
 * The events never depend on it: only the dbt plan models read it, from
 * the JSON wf_pd_json writes (the runners pass it as a dbt var). It is a
 * flat value (fixed arrays), so a wf_config holding one is still copied by
 * assignment. Rates are the nearest doubles of the written decimals, and
 * the JSON prints each as the shortest decimal that reads back to it, so
 * dbt sees the text the user wrote (0.03, not 0.029999...).
 */
#ifndef WF_PLAN_DESIGN_H
#define WF_PLAN_DESIGN_H

#include <stdbool.h>

#define WF_PD_TIERS_MAX 10   /* tiers of one match tier list */
#define WF_PD_BANDS_MAX 10   /* match.by_service entries */
#define WF_PD_STEPS_MAX 20   /* core.by_service / core.by_age entries */
#define WF_PD_VEST_MAX 20    /* percentages of a vesting list (years 0..19) */

/* X(enum, name): the match formulas, in the order docs/config.md lists them. */
#define WF_PD_FORMULAS(X)                                                     \
    X(WF_PD_NONE, "none") X(WF_PD_TIERS, "tiers") X(WF_PD_STRETCH, "stretch") \
    X(WF_PD_SH_BASIC, "safe_harbor_basic")                                    \
    X(WF_PD_SH_ENHANCED, "safe_harbor_enhanced")                              \
    X(WF_PD_QACA, "qaca_safe_harbor")

#define WF_PD_FORMULA_ENUM(e, name) e,
typedef enum wf_pd_formula { WF_PD_FORMULAS(WF_PD_FORMULA_ENUM) WF_PD_FORMULA_COUNT } wf_pd_formula;
#undef WF_PD_FORMULA_ENUM

/* Deferral up to up_to[i] (a fraction of pay, ascending) matched at rate[i]. */
typedef struct wf_pd_tiers {
    int n;
    double up_to[WF_PD_TIERS_MAX], rate[WF_PD_TIERS_MAX];
} wf_pd_tiers;

/* From min[i] completed years (of service or of age, ascending), rate[i]. */
typedef struct wf_pd_steps {
    int n;
    int min[WF_PD_STEPS_MAX];
    double rate[WF_PD_STEPS_MAX];
} wf_pd_steps;

/* name: "immediate", "cliff_N" or "graded_N"; "" for a list of n whole
 * percentages by completed years (non-decreasing, ending at 100). */
typedef struct wf_pd_vesting {
    char name[16];
    int n;
    int pct[WF_PD_VEST_MAX];
} wf_pd_vesting;

/* Who gets a contribution: enough completed years of service and, when
 * active_at_year_end, still employed on December 31. */
typedef struct wf_pd_requires {
    int min_service_years;
    bool active_at_year_end;
} wf_pd_requires;

typedef struct wf_plan_design {
    wf_pd_formula match_formula;
    wf_pd_tiers match_tiers;                   /* tiers and stretch only */
    int n_bands;                               /* match.by_service */
    int band_min_years[WF_PD_BANDS_MAX];       /* ascending, >= 1 */
    wf_pd_tiers band_tiers[WF_PD_BANDS_MAX];
    double match_max_dollars;                  /* NaN: no cap */
    bool match_true_up;
    wf_pd_requires match_requires;
    double core_rate;                          /* when no steps are given */
    wf_pd_steps core_by_service, core_by_age;  /* at most one has n > 0 */
    wf_pd_requires core_requires;
    wf_pd_vesting vesting_match, vesting_core;
    bool forfeit_pay_expenses;                 /* else offset_next_year */
    bool ndt_current_year;                     /* else prior_year */
    bool hce_top_paid_group;
} wf_plan_design;

/* The defaults: the plan wfsim always had (100 % of the first 3 % of pay
 * deferred plus 50 % of the next 2 %, no core, immediate vesting). */
void wf_pd_defaults(wf_plan_design *pd);

/* The design as one line of JSON in the section's own nested shape, every
 * key present (docs/config.md); malloc'd, the caller frees; NULL when out
 * of memory. */
char *wf_pd_json(const wf_plan_design *pd);

#endif
