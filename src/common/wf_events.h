/*
 * wf_events.h - the event table: what the model hands to the writers.
 *
 * The model (src/model) produces, for each partition year, a batch of event
 * rows sorted by (employee_id, event_sequence); optionally a batch of
 * workforce snapshot rows; and the year's summary figures. The writers
 * (src/output: Parquet, CSV, JSON) consume these and know nothing of the
 * model. Event types, categories, enrollment sources, employment statuses
 * and the summary's fields are the X-macro tables of wf_schema.h, so the
 * enums, the names, the Parquet columns and the dbt and Python copies come
 * from one list.
 *
 * The type order is the tie order of event_sequence (docs/model.md 5.1):
 * events of one employee on one date are numbered in this order.
 */
#ifndef WF_EVENTS_H
#define WF_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wf_schema.h"

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

typedef enum wf_employment_status {
#define X(name, text) WF_STATUS_##name,
    WF_EMPLOYMENT_STATUSES(X)
#undef X
    WF_STATUS_COUNT
} wf_employment_status;

extern const char *const wf_event_type_names[WF_EV_COUNT];
extern const char *const wf_event_category_names[WF_CAT_COUNT];
extern const char *const wf_enrollment_source_names[WF_SRC_COUNT];
extern const char *const wf_employment_status_names[WF_STATUS_COUNT];

#define WF_NULL_I32 INT32_MIN   /* null for int32 columns */
#define WF_NULL_I64 INT64_MIN   /* null for int64 / money columns */

/* A FIELD column (wf_schema.h) of each kind: the C type the writers take
 * its value as (WF_FIELD_CTYPE_*), and its null as the field holds it
 * (WF_FIELD_NULL_*: true when v is null; false for kinds never null in a
 * field). */
#define WF_FIELD_CTYPE_INT32 int32_t
#define WF_FIELD_CTYPE_DATE int32_t
#define WF_FIELD_CTYPE_RATE int32_t
#define WF_FIELD_CTYPE_INT64 int64_t
#define WF_FIELD_CTYPE_MONEY int64_t
#define WF_FIELD_CTYPE_DOUBLE double
#define WF_FIELD_CTYPE_BOOL uint8_t
#define WF_FIELD_NULL_INT32(v) ((v) == WF_NULL_I32)
#define WF_FIELD_NULL_DATE(v) ((v) == WF_NULL_I32)
#define WF_FIELD_NULL_RATE(v) ((v) == WF_NULL_I32)
#define WF_FIELD_NULL_INT64(v) ((v) == WF_NULL_I64)
#define WF_FIELD_NULL_MONEY(v) ((v) == WF_NULL_I64)
#define WF_FIELD_NULL_DOUBLE(v) ((v) != (v))  /* NaN */
#define WF_FIELD_NULL_BOOL(v) ((void)(v), false)

/* One event (docs/model.md 5.1). The event_id is not stored: writers compute it
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

/* One row of the workforce snapshot (docs/model.md 5.2). */
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

/* The figures of one simulation year (docs/model.md 4.1 and 5.3). */
typedef struct wf_year_summary {
    int year;
    /* N, P, X, target, R, Q, Te, net, H, Tnh; R_actual .. Tnh_actual;
     * te_shortfall, tnh_shortfall (quota minus actual, >= 0);
     * workforce_of_year (N + H); year_end_headcount (|S(year + 1)|);
     * events (in partition `year`): one int64 each, wf_schema.h */
#define WF_SUMMARY_MEMBER(member, key) int64_t member;
    WF_SUMMARY_FIELDS(WF_SUMMARY_MEMBER)
#undef WF_SUMMARY_MEMBER
    int64_t by_type[WF_EV_COUNT];
    int64_t by_category[WF_CAT_COUNT];
} wf_year_summary;

#endif
