/*
 * wf_rejects.h - the census rows a load refused, kept for the report.
 *
 * A loader that collects row errors instead of stopping at the first one
 * (census.c; docs/inputs.md "Every error at once") records each refused
 * row here: its first physical line, the column of the broken rule, the
 * reason (the text strict mode prints) and, when asked for, the row's
 * fields as read, so OUT/rejected_rows.csv can give them back to be fixed
 * and fed again. Texts live in one growing arena and are referenced by
 * offset; nothing is allocated per row. Rows are added as they come and
 * put in file order by wf_rejects_sort (a duplicated id can reject an
 * earlier row late).
 */
#ifndef WF_REJECTS_H
#define WF_REJECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "wf_csv.h"

#define WF_REJECT_NO_FIELDS ((size_t)-1)

typedef struct wf_reject {
    long line;          /* the row's first physical line */
    long field_line;    /* the line of the field the reason is about */
    long column;        /* its column (0: the row as a whole) */
    bool duplicate;     /* refused for a duplicated id */
    size_t pos, end;    /* bytes [pos, end) of the file hold the row first
                           (set by the loader for rows it reads again) */
    size_t reason;      /* offset of the NUL-terminated reason in text */
    size_t fields;      /* offset of n_fields NUL-terminated fields, or
                           WF_REJECT_NO_FIELDS */
} wf_reject;

typedef struct wf_rejects {
    wf_reject *rows;
    size_t n, cap;
    char *text;
    size_t len, text_cap;
    size_t n_fields;    /* fields of a row: the header's */
    size_t header;      /* offset of the header's fields, or WF_REJECT_NO_FIELDS */
} wf_rejects;

/* An empty list (everything zero, header WF_REJECT_NO_FIELDS). */
void wf_rejects_init(wf_rejects *r);
void wf_rejects_free(wf_rejects *r);
/* Keeps the header's n fields (n_fields becomes n). False: out of memory. */
bool wf_rejects_set_header(wf_rejects *r, const wf_csv_field *h, size_t n);
/* Appends a row without fields; *index gets its number. False: no memory. */
bool wf_rejects_add(wf_rejects *r, long line, long field_line, long column,
                    const char *reason, size_t *index);
/* Gives row i a new reason (a duplicate id outranks the row's
 * own error). False: out of memory. */
bool wf_rejects_set_reason(wf_rejects *r, size_t i, const char *reason);
/* Copies the row's n fields (n == n_fields) into row i. */
bool wf_rejects_set_fields(wf_rejects *r, size_t i, const wf_csv_field *f, size_t n);
/* Puts the rows in ascending line order. */
void wf_rejects_sort(wf_rejects *r);
/* Strict mode's listing: the first `shown` rows' errors to f, one a line
 * ("file:line:column: reason"), then "... and N more; T rows with errors
 * in all" when some were not shown, or "T rows with errors in all" when
 * there are several. f may be NULL (nothing printed). */
void wf_rejects_report(FILE *f, const char *file, const wf_rejects *r, size_t shown);
/* Sets err to row i's error (WF_EINPUT at file, line, column). */
wf_status wf_rejects_error(const wf_rejects *r, size_t i, const char *file, wf_error *err);
/* Row i's reason; its fields one after another, each NUL-terminated. */
const char *wf_rejects_reason(const wf_rejects *r, size_t i);
const char *wf_rejects_fields(const wf_rejects *r, size_t i);

#endif
