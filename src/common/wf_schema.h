/*
 * wf_schema.h - the one declaration of every list that crosses languages.
 *
 * C, dbt and Python all need the same lists: the event types in
 * event_sequence order, the event categories, the enrollment sources and
 * employment statuses, the columns of the event and snapshot Parquet, the
 * random streams and the per-year fields of generation_summary.json. They
 * are declared here once, as X-macro tables, and nowhere else:
 *
 *   - C includes this header: wf_events.h makes the enums and names
 *     (WF_EV_*, WF_CAT_*, WF_SRC_*, WF_STATUS_*) and the year summary's
 *     fields, rng.h the streams (WF_STREAM_*), wf_table_writer.c the
 *     Parquet column specs, wf_debug_csv.c the CSV headers.
 *   - tools/gen_schema.c includes it too and writes, into the source tree,
 *     dbt/macros/wfsim_schema.sql (the lists as a dbt macro, read by the
 *     helpers of dbt/macros/wfsim_lists.sql: type ranks, column lists,
 *     accepted values) and python/wfsim_schema.py (the module the parity
 *     gate, the tests and the benchmarks import). Both files are committed
 *     so that dbt and Python work in a fresh clone; `make` regenerates
 *     them and tests/py/test_schema.py fails when a committed copy differs
 *     from what the generator writes.
 *
 * This header holds macros only (no declarations, no includes), so the
 * generator, a host program, can include it without the library.
 *
 * Order matters: the event types' order is the tie order of
 * event_sequence (docs/model.md 5.1; the rank is the position from 1), and
 * the columns' order is the order of the Parquet files and the debug CSV.
 * Adding a type or a column here renumbers and re-lists every generated
 * copy at once; docs/architecture.md says which hand-written files follow.
 */
#ifndef WF_SCHEMA_H
#define WF_SCHEMA_H

/* Event types, in event_sequence order: X(NAME, "text"). */
#define WF_EVENT_TYPES(X)                           \
    X(HIRE, "hire")                                 \
    X(ELIGIBILITY, "eligibility")                   \
    X(ENROLLMENT, "enrollment")                     \
    X(ENROLLMENT_CHANGE, "enrollment_change")       \
    X(DEFERRAL_ESCALATION, "deferral_escalation")   \
    X(PROMOTION, "promotion")                       \
    X(RAISE, "raise")                               \
    X(TERMINATION, "termination")

/* Event categories: X(NAME, "text"). */
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

/* Snapshot enrollment_source; the first entry (empty text) is the null. */
#define WF_ENROLLMENT_SOURCES(X) \
    X(NONE, "")                  \
    X(CENSUS, "census")          \
    X(AUTO, "auto")              \
    X(VOLUNTARY, "voluntary")

/* Snapshot employment_status. */
#define WF_EMPLOYMENT_STATUSES(X) \
    X(ACTIVE, "active")           \
    X(TERMINATED, "terminated")

/* Random streams (docs/model.md 1): X(NAME, "text"), the text is the key's
 * last part. */
#define WF_STREAMS(X)                                           \
    X(RETIREMENT, "retirement")                                 \
    X(TERMINATION, "termination")                               \
    X(TERMINATION_DATE, "termination_date")                     \
    X(HIRE_DATE, "hire_date")                                   \
    X(HIRE_AGE, "hire_age")                                     \
    X(HIRE_BIRTH_DAY, "hire_birth_day")                         \
    X(HIRE_SALARY, "hire_salary")                               \
    X(NEW_HIRE_TERMINATION, "new_hire_termination")             \
    X(NEW_HIRE_TERMINATION_DATE, "new_hire_termination_date")   \
    X(PROMOTION, "promotion")                                   \
    X(PROMOTION_RAISE, "promotion_raise")                       \
    X(MERIT, "merit")                                           \
    X(VOLUNTARY_ENROLLMENT, "voluntary_enrollment")             \
    X(ENROLLMENT_CONVERSION, "enrollment_conversion")           \
    X(OPT_OUT, "opt_out")

/*
 * Column kinds: WF_KIND_<KIND>(X) calls
 * X(KIND, physical, logical, precision, scale, "SQL type"); a column
 * names its kind, and a user of the column list expands WF_KIND_##kind.
 * physical and logical are the suffixes of the Parquet writer's PQ_* and
 * PQ_LT_* names (pq_writer.h); the SQL type is DuckDB's. Money is cents
 * (the unscaled DECIMAL(18,2)), rates basis points (DECIMAL(9,4)).
 */
#define WF_KIND_STRING(X) X(STRING, BYTE_ARRAY, STRING, 0, 0, "VARCHAR")
#define WF_KIND_INT32(X) X(INT32, INT32, NONE, 0, 0, "INTEGER")
#define WF_KIND_INT64(X) X(INT64, INT64, NONE, 0, 0, "BIGINT")
#define WF_KIND_DATE(X) X(DATE, INT32, DATE, 0, 0, "DATE")
#define WF_KIND_MONEY(X) X(MONEY, INT64, DECIMAL, 18, 2, "DECIMAL(18,2)")
#define WF_KIND_RATE(X) X(RATE, INT32, DECIMAL, 9, 4, "DECIMAL(9,4)")
#define WF_KIND_DOUBLE(X) X(DOUBLE, DOUBLE, NONE, 0, 0, "DOUBLE")
#define WF_KIND_BOOL(X) X(BOOL, BOOLEAN, NONE, 0, 0, "BOOLEAN")
#define WF_KIND_TIMESTAMP(X) X(TIMESTAMP, INT64, TIMESTAMP_MICROS, 0, 0, "TIMESTAMP")

/*
 * Event columns (docs/model.md 5.1), in file order:
 * X(name, KIND, nullable, dictionary, compared, how, member).
 * dictionary: a low-cardinality label the writer dictionary-codes.
 * compared: 1 for a value of the model, which the parity gate compares
 * and the debug CSV holds; 0 for created_at, the run's time stamp.
 * how, member: FIELD when the value is the wf_event field `member`
 * (wf_events.h), null when it holds its kind's null (WF_FIELD_NULL_*);
 * the writers handle such a column from this line alone. OWN when the
 * writers compose the value themselves (ids, labels, batch constants).
 * simulation_year is not a column of the files: it is the partition.
 */
#define WF_EVENT_COLUMNS(X)                                                \
    X(event_id, STRING, 0, 0, 1, OWN, _)                                   \
    X(scenario_id, STRING, 0, 1, 1, OWN, _)                                \
    X(plan_design_id, STRING, 0, 1, 1, OWN, _)                             \
    X(random_seed, INT64, 0, 0, 1, OWN, _)                                 \
    X(employee_id, STRING, 0, 0, 1, OWN, _)                                \
    X(event_type, STRING, 0, 1, 1, OWN, _)                                 \
    X(event_category, STRING, 0, 1, 1, OWN, _)                             \
    X(event_date, DATE, 0, 0, 1, FIELD, date)                              \
    X(event_sequence, INT32, 0, 0, 1, FIELD, seq)                          \
    X(level_id, INT32, 0, 0, 1, FIELD, level)                              \
    X(previous_level_id, INT32, 1, 0, 1, OWN, _)                           \
    X(compensation_amount, MONEY, 0, 0, 1, FIELD, comp_cents)              \
    X(previous_compensation, MONEY, 1, 0, 1, FIELD, prev_comp_cents)       \
    X(employee_deferral_rate, RATE, 1, 0, 1, FIELD, deferral_bp)           \
    X(prev_employee_deferral_rate, RATE, 1, 0, 1, FIELD, prev_deferral_bp) \
    X(employee_age, INT32, 0, 0, 1, FIELD, age)                            \
    X(employee_tenure, INT32, 0, 0, 1, FIELD, tenure)                      \
    X(age_band, STRING, 0, 1, 1, OWN, _)                                   \
    X(tenure_band, STRING, 0, 1, 1, OWN, _)                                \
    X(event_probability, DOUBLE, 1, 0, 1, FIELD, probability)              \
    X(created_at, TIMESTAMP, 0, 0, 0, OWN, _)

/* Snapshot columns (docs/model.md 5.2), in file order; same fields, `member`
 * naming a field of wf_snapshot_row. */
#define WF_SNAPSHOT_COLUMNS(X)                                             \
    X(employee_id, STRING, 0, 0, 1, OWN, _)                                \
    X(employment_status, STRING, 0, 1, 1, OWN, _)                          \
    X(birth_date, DATE, 0, 0, 1, FIELD, birth_day)                         \
    X(hire_date, DATE, 0, 0, 1, FIELD, hire_day)                           \
    X(termination_date, DATE, 1, 0, 1, FIELD, termination_day)             \
    X(level_id, INT32, 0, 0, 1, FIELD, level)                              \
    X(salary, MONEY, 0, 0, 1, FIELD, salary_cents)                         \
    X(eligibility_date, DATE, 0, 0, 1, FIELD, eligibility_day)             \
    X(is_enrolled, BOOL, 0, 0, 1, FIELD, enrolled)                         \
    X(deferral_rate, RATE, 0, 0, 1, FIELD, deferral_bp)                    \
    X(enrollment_source, STRING, 1, 1, 1, OWN, _)                          \
    X(ever_opted_out, BOOL, 0, 0, 1, FIELD, ever_opted_out)

/* The normalised census, OUT/census.parquet (docs/inputs.md), in file
 * order; same fields, `member` naming a field of wf_census_row. SQL mode
 * and the dbt state models read it by these names. */
#define WF_NORMALISED_CENSUS_COLUMNS(X)                                    \
    X(employee_id, STRING, 0, 0, 1, OWN, _)                                \
    X(birth_date, DATE, 0, 0, 1, FIELD, birth_day)                         \
    X(hire_date, DATE, 0, 0, 1, FIELD, hire_day)                           \
    X(salary, MONEY, 0, 0, 1, FIELD, salary_cents)                         \
    X(level_id, INT32, 0, 0, 1, FIELD, level)                              \
    X(level_from_salary, BOOL, 0, 0, 1, FIELD, level_from_salary)          \
    X(deferral_rate, RATE, 0, 0, 1, FIELD, deferral_bp)                    \
    X(auto_escalation_opt_out, BOOL, 0, 0, 1, FIELD, esc_opt_out)

/*
 * The per-year figures of generation_summary.json (docs/model.md 4.1, 5.3),
 * int64 each, in file order after "year": F(member, "json key") (F, not
 * X: one member is named X). The
 * member is the field of wf_year_summary; events_by_type and
 * events_by_category follow, keyed by the type and category names.
 */
#define WF_SUMMARY_FIELDS(F)                                        \
    F(N, "N")                                                       \
    F(P, "P")                                                       \
    F(X, "X")                                                       \
    F(target, "target")                                             \
    F(R, "R")                                                       \
    F(Q, "Q")                                                       \
    F(Te, "Te")                                                     \
    F(net, "net")                                                   \
    F(H, "H")                                                       \
    F(Tnh, "Tnh")                                                   \
    F(R_actual, "R_actual")                                         \
    F(Te_actual, "Te_actual")                                       \
    F(H_actual, "H_actual")                                         \
    F(Tnh_actual, "Tnh_actual")                                     \
    F(te_shortfall, "experienced_termination_shortfall")            \
    F(tnh_shortfall, "nh_termination_shortfall")                    \
    F(workforce_of_year, "workforce_of_year")                       \
    F(year_end_headcount, "year_end_headcount")                     \
    F(events, "events")

#endif
