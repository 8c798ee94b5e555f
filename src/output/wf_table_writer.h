/*
 * wf_table_writer.h - event and snapshot batches to Parquet files.
 *
 * The columns of docs/model.md 5.1 (events) and 5.2 (workforce snapshot) are
 * X-macro tables in wf_table_writer.c: the Parquet schema, the column order
 * and the conversion from wf_event / wf_snapshot_row come from them.
 *
 * A batch is cut into row groups of at most row_group_rows rows, the
 * layout depending only on the number of rows. Each row group's columns
 * are built straight in the Parquet writer's layout and encoded by one of
 * `threads` workers (pq_encode), and the encoded row groups are written in
 * order, so the bytes do not depend on the threads. Label columns (ids of
 * scenario and plan, event types and categories, bands, statuses) go to
 * the writer as codes into small dictionaries.
 *
 * Each call writes one complete file: to "PATH.tmp", then renamed to PATH
 * after the Parquet writer closed cleanly, so a file under its final name
 * is always whole.
 *
 * A wf_table_writer keeps its workers' buffers and ZSTD contexts from file
 * to file (a run writes one file a year); it is used by one thread at a
 * time and starts its worker threads per file.
 */
#ifndef WF_TABLE_WRITER_H
#define WF_TABLE_WRITER_H

#include <stdbool.h>

#include "wf_events.h"
#include "wfsim.h"

typedef struct wf_table_options {
    int64_t created_at_us; /* value of the created_at column */
    int zstd_level;        /* 0: the writer's default */
    int threads;           /* row groups encoded at once (0/1: the caller's
                              thread only) */
    size_t row_group_rows; /* most rows in a row group; 0: 1,048,576 */
} wf_table_options;

typedef struct wf_table_writer wf_table_writer;

/* A writer with options *opt (copied); NULL when out of memory. */
wf_table_writer *wf_table_writer_new(const wf_table_options *opt);
void wf_table_writer_free(wf_table_writer *tw);

/* One file of a batch's rows; the batch is only read, and may be freed on
 * return. Errors (I/O, memory) name the file. */
wf_status wf_table_writer_events(wf_table_writer *tw, const char *path,
                                 const wf_event_batch *batch, wf_error *err);
wf_status wf_table_writer_snapshot(wf_table_writer *tw, const char *path,
                                   const wf_snapshot_batch *batch, wf_error *err);

/* The normalised census: rows[0..n) in their order, one file. */
wf_status wf_table_writer_census(wf_table_writer *tw, const char *path,
                                 const wf_census_row *rows, size_t n, wf_error *err);

/* The lower-hex MD5 event_id of docs/model.md 5.1 into hex (33 bytes). */
void wf_event_id(const wf_event_batch *batch, const wf_event *ev, char hex[33]);
/* The event_ids of ev[0..n) (events of batch), 32 characters each, back
 * to back into hex (32 * n bytes, no NUL), hashed many at a time. False
 * when out of memory. */
bool wf_event_ids(const wf_event_batch *batch, const wf_event *ev, size_t n, char *hex);

#endif
