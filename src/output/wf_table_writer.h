/*
 * wf_table_writer.h - event and snapshot batches to Parquet files.
 *
 * The columns of MODEL.md 5.1 (events) and 5.2 (workforce snapshot) are
 * X-macro tables in wf_table_writer.c: the Parquet schema, the column order
 * and the conversion from wf_event / wf_snapshot_row come from them. A batch
 * is converted in slices of a few thousand rows into reusable column
 * buffers, so memory stays bounded whatever the batch size.
 *
 * Each call writes one complete file: to "PATH.tmp", then renamed to PATH
 * after the Parquet writer closed cleanly, so a file under its final name is
 * always whole.
 */
#ifndef WF_TABLE_WRITER_H
#define WF_TABLE_WRITER_H

#include "wf_events.h"
#include "wfsim.h"

typedef struct wf_table_options {
    int64_t created_at_us; /* value of the created_at column */
    int zstd_level;        /* 0: the writer's default */
    int threads;           /* Parquet encoding threads (0/1: caller's only) */
    size_t row_group_rows; /* 0: the writer's default */
} wf_table_options;

wf_status wf_write_events_parquet(const char *path, const wf_event_batch *batch,
                                  const wf_table_options *opt, wf_error *err);
wf_status wf_write_snapshot_parquet(const char *path,
                                    const wf_snapshot_batch *batch,
                                    const wf_table_options *opt, wf_error *err);

/* The lower-hex MD5 event_id of MODEL.md 5.1 into hex (33 bytes). */
void wf_event_id(const wf_event_batch *batch, const wf_event *ev, char hex[33]);

#endif
