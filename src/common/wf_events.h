/*
 * wf_events.h - the event table: what the model hands to the writers.
 *
 * The model (src/model) produces, for each partition year, a batch of event
 * rows sorted by (employee_id, event_sequence); optionally a batch of
 * workforce snapshot rows; and the year's summary figures. The writers
 * (src/output: Parquet, CSV, JSON) consume these and know nothing of the
 * model. Event types and categories are X-macro tables, so the enum, the
 * names and the accepted values come from one list.
 *
 * The type order below is the tie order of event_sequence (MODEL.md 5.1):
 * events of one employee on one date are numbered in this order.
 */
#ifndef WF_EVENTS_H
#define WF_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WF_EVENT_TYPES(X)                           \
    X(HIRE, "hire")                                 \
    X(ELIGIBILITY, "eligibility")                   \
    X(ENROLLMENT, "enrollment")                     \
    X(ENROLLMENT_CHANGE, "enrollment_change")       \
    X(DEFERRAL_ESCALATION, "deferral_escalation")   \
    X(PROMOTION, "promotion")                       \
    X(RAISE, "raise")                               \
    X(TERMINATION, "termination")

#define WF_EVENT_CATEGORIES(X)                              \
    X(NEW_HIRE, "new_hire")                                 \
    X(RETIREMENT, "retirement")                             \
    X(EXPERIENCED_TERMINATION, "experienced_termination")   \
    X(NEW_HIRE_TERMINATION, "new_hire_termination")         \
    X(PROMOTION, "promotion")                               \
    X(MERIT, "merit")                                       \
    X(COLA, "cola")                                         \
    X(ELIGIBILITY, "eligibility")                           \
    X(AUTO_ENROLLMENT, "auto_enrollment")                   \
    X(VOLUNTARY_ENROLLMENT, "voluntary_enrollment")         \
    X(OPT_OUT, "opt_out")                                   \
    X(AUTO_ESCALATION, "auto_escalation")

#define WF_ENROLLMENT_SOURCES(X) \
    X(NONE, "")                  \
    X(CENSUS, "census")          \
    X(AUTO, "auto")              \
    X(VOLUNTARY, "voluntary")

typedef enum wf_event_type {
#define X(name, text) WF_EV_##name,
    WF_EVENT_TYPES(X)
#undef X
    WF_EV_COUNT
} wf_event_type;

typedef enum wf_event_category {
#define X(name, text) WF_CAT_##name,
    WF_EVENT_CATEGORIES(X)
#undef X
    WF_CAT_COUNT
} wf_event_category;

typedef enum wf_enrollment_source {
#define X(name, text) WF_SRC_##name,
    WF_ENROLLMENT_SOURCES(X)
#undef X
    WF_SRC_COUNT
} wf_enrollment_source;

extern const char *const wf_event_type_names[WF_EV_COUNT];
extern const char *const wf_event_category_names[WF_CAT_COUNT];
extern const char *const wf_enrollment_source_names[WF_SRC_COUNT];

#define WF_NULL_I32 INT32_MIN   /* null for int32 columns */
#define WF_NULL_I64 INT64_MIN   /* null for int64 / money columns */

/* One event (MODEL.md 5.1). The event_id is not stored: writers compute it
 * from (scenario, plan, seed, employee_id, year of event_date, type). */
typedef struct wf_event {
    uint32_t emp;               /* index into the batch's emp_ids */
    int32_t date;               /* event_date, day number */
    int64_t comp_cents;         /* compensation_amount */
    int64_t prev_comp_cents;    /* previous_compensation or WF_NULL_I64 */
    double probability;         /* event_probability, NAN when null */
    int32_t deferral_bp;        /* employee_deferral_rate or WF_NULL_I32 */
    int32_t prev_deferral_bp;   /* prev_employee_deferral_rate or WF_NULL_I32 */
    int16_t age, tenure;        /* completed years on the event date */
    int16_t seq;                /* event_sequence, 1.. per (employee, year) */
    uint8_t type;               /* wf_event_type */
    uint8_t category;           /* wf_event_category */
    uint8_t level;              /* level_id after the event */
    uint8_t prev_level;         /* previous_level_id, 0 when null */
    uint8_t age_band, tenure_band; /* indexes into the batch's labels */
} wf_event;

/* The events of one partition year: every event_date is in `year`. */
typedef struct wf_event_batch {
    int year;
    size_t n;
    const wf_event *events;     /* sorted by (employee_id, seq) */
    const char *const *emp_ids; /* emp index -> employee_id */
    const char *const *age_band_labels;
    const char *const *tenure_band_labels;
    const char *scenario_id, *plan_design_id;
    int64_t random_seed;
} wf_event_batch;

/* One row of the workforce snapshot (MODEL.md 5.2). */
typedef struct wf_snapshot_row {
    uint32_t emp;               /* index into the batch's emp_ids */
    int32_t birth_day, hire_day;
    int32_t termination_day;    /* WF_NULL_I32 when active at year end */
    int32_t eligibility_day;
    int64_t salary_cents;
    int32_t deferral_bp;
    uint8_t level;
    uint8_t source;             /* wf_enrollment_source; NONE -> null */
    bool active, enrolled, ever_opted_out;
} wf_snapshot_row;

typedef struct wf_snapshot_batch {
    int year;
    size_t n;
    const wf_snapshot_row *rows; /* sorted by employee_id */
    const char *const *emp_ids;
} wf_snapshot_batch;

/* One employee of the normalised census (OUT/census.parquet, docs/inputs.md):
 * the model's values as the loader accepted them. */
typedef struct wf_census_row {
    const char *id;
    int32_t birth_day, hire_day;   /* day numbers */
    int64_t salary_cents;
    int32_t level, deferral_bp;
    bool level_from_salary, esc_opt_out;
} wf_census_row;

/* The figures of one simulation year (MODEL.md 4.1 and 5.3). */
typedef struct wf_year_summary {
    int year;
    int64_t N, P, X, target, R, Q, Te, net, H, Tnh;
    int64_t R_actual, Te_actual, H_actual, Tnh_actual;
    int64_t te_shortfall, tnh_shortfall;   /* quota minus actual, >= 0 */
    int64_t workforce_of_year;             /* N + H */
    int64_t year_end_headcount;            /* |S(year + 1)| */
    int64_t events;                        /* events in partition `year` */
    int64_t by_type[WF_EV_COUNT];
    int64_t by_category[WF_CAT_COUNT];
} wf_year_summary;

#endif
