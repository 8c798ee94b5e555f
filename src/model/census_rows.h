/*
 * census_rows.h - the census loader's rows, from wherever they come.
 *
 * census.c checks a census row by row, each cell as text, so that every
 * rule of docs/model.md 2.1 is written once. Its rows come from a source: the
 * CSV reader (wf_census_load) or an Arrow stream (census_arrow.c, which
 * turns each cell into the text a CSV export would hold). A source hands
 * out the header first, then one record at a time, with the position
 * errors should name: for a CSV the line and column; for a table the row
 * and column numbers.
 */
#ifndef CENSUS_ROWS_H
#define CENSUS_ROWS_H

#include <stdio.h>

#include "wf_csv.h"
#include "wf_model_int.h"

typedef struct wf_census_rows {
    void *ctx;
    /* The next record (the header first): *n fields at *row, valid until
     * the next call, *n == 0 at the end; *line the record's position. */
    wf_status (*next)(void *ctx, wf_csv_field **row, size_t *n, long *line,
                      wf_error *err);
    /* Optional, called once after the header: room worth reserving up
     * front (rows, bytes of ids), or left 0. */
    void (*sizes)(void *ctx, size_t *rows, size_t *bytes);
    /* The CSV reader when the rows come from a file, else NULL. The first
     * row of a duplicated id is found again by its byte offset in the file;
     * a source without a file has its rows' cells kept as text instead
     * (skip mode only, where rejected_rows.csv needs them). */
    wf_csv *csv;
} wf_census_rows;

/* Loads the census from src: `name` goes into errors as the file, `label`
 * into the census (the summary's census_path). As wf_census_load_report
 * (report may be NULL). */
wf_status wf_census_load_rows(const char *name, const char *label,
                              const wf_census_rows *src, const wf_config *cfg,
                              const wf_tables *tab, FILE *report, wf_census **out,
                              wf_error *err);

#endif
