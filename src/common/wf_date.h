/*
 * wf_date.h - civil dates as whole days (docs/model.md 3).
 *
 * A date is an int32_t count of days since 1970-01-01 (the Parquet DATE
 * encoding), proleptic Gregorian. All functions are pure and thread-safe.
 */
#ifndef WF_DATE_H
#define WF_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WF_DATE_NULL INT32_MIN  /* "no date" (e.g. not terminated) */

bool wf_is_leap(int year);
int wf_days_in_year(int year);              /* 365 or 366 */
int wf_days_in_month(int year, int month);
/* Day number of (year, month, day); the date must exist. */
int32_t wf_date_from_ymd(int year, int month, int day);
void wf_date_to_ymd(int32_t day, int *year, int *month, int *dom);
int wf_date_year(int32_t day);
/* Same month and day n years later (n may be negative); 29 Feb -> 28 Feb. */
int32_t wf_date_add_years(int32_t day, int n);
/* The same from a date already split into (year, month, day): one
 * conversion instead of two. */
int32_t wf_date_add_years_ymd(int year, int month, int dom, int n);
/* The last day e with wf_date_add_years(e, n) <= d, so that
 * "wf_date_add_years(x, n) <= d" is "x <= e" for every day x. */
int32_t wf_date_last_years_before(int32_t d, int n);
/* Completed years from `from` to `d` (docs/model.md 3), negative if d < from. */
int wf_years_between(int32_t from, int32_t d);
/* Strict "YYYY-MM-DD" (exactly 10 characters, a real date, year 0001-9999).
 * Returns false for anything else. */
bool wf_date_parse(const char *s, size_t len, int32_t *out);
/* Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void wf_date_format(int32_t day, char *buf);

#endif
