/*
 * wf_arrow_rejects.h - the census rows skip mode rejected, as an Arrow
 * stream (the in-memory run's counterpart of OUT/rejected_rows.csv).
 *
 * The columns are those of the file (wf_rejects_csv.h): line and column
 * (int64), reason, then the census's own columns under its header's names
 * (utf8, each field as read; a row kept without its fields has empty
 * strings there, as the file has). One record batch holding every row, in
 * file order, or none when no row was rejected.
 */
#ifndef WF_ARROW_REJECTS_H
#define WF_ARROW_REJECTS_H

#include "wf_rejects.h"
#include "wfsim.h"

/* A deep copy of src into dst (dst's old contents are not freed). False:
 * out of memory (dst is then empty). */
bool wf_rejects_copy(wf_rejects *dst, const wf_rejects *src);

/* The stream of r's rows into *out; it holds its own copy of r, so it
 * outlives r, and so does every batch it hands out. */
wf_status wf_arrow_rejects_stream(const wf_rejects *r, struct ArrowArrayStream *out,
                                  wf_error *err);

#endif
