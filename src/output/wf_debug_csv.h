/*
 * wf_debug_csv.h - events and snapshots as plain CSV (`--debug-csv`).
 *
 * The format is the one of the golden example (tests/vectors/golden): a header row, then
 * one row per event (or snapshot row) with `simulation_year` first; money
 * with 2 decimals, deferral rates with 4, event_probability as the shortest
 * text that reads back to the same double, null as an empty field, dates
 * as YYYY-MM-DD, booleans true/false. Rows come in the order of the batches
 * (the model hands them sorted by employee_id, event_sequence), so a run's
 * files compare byte for byte with the golden ones.
 *
 * A writer is used from one thread. Errors are sticky: the first write
 * error is kept and reported again by every later call and by close.
 */
#ifndef WF_DEBUG_CSV_H
#define WF_DEBUG_CSV_H

#include <stdio.h>

#include "wf_events.h"
#include "wfsim.h"

typedef struct wf_debug_csv wf_debug_csv;

/* Creates events_path and, when snapshot_path is not NULL, snapshot_path,
 * and writes their header rows. On success *out is the caller's, to be
 * given to wf_debug_csv_close. WF_EIO names the file that failed. */
wf_status wf_debug_csv_open(const char *events_path, const char *snapshot_path,
                            wf_debug_csv **out, wf_error *err);
/* Appends the rows of one partition year. */
wf_status wf_debug_csv_events(wf_debug_csv *w, const wf_event_batch *b,
                              wf_error *err);
/* Appends one year's snapshot rows; WF_EUSAGE when opened without a
 * snapshot path. */
wf_status wf_debug_csv_snapshot(wf_debug_csv *w, const wf_snapshot_batch *b,
                                wf_error *err);
/* Flushes, closes and frees w (NULL is allowed); returns the first error. */
wf_status wf_debug_csv_close(wf_debug_csv *w, wf_error *err);

/* The building blocks, for writers that own their FILE: header rows and
 * rows of a batch. They return false when a write failed. */
bool wf_debug_csv_event_header(FILE *fp);
bool wf_debug_csv_event_rows(FILE *fp, const wf_event_batch *b);
bool wf_debug_csv_snapshot_header(FILE *fp);
bool wf_debug_csv_snapshot_rows(FILE *fp, const wf_snapshot_batch *b);

/* Lower-hex MD5 event_id of docs/model.md 5.1 into hex (33 bytes). */
void wf_debug_csv_event_id(const wf_event_batch *b, const wf_event *ev,
                           char hex[33]);

#endif
