/*
 * wf_arrow_out.h - event and snapshot batches as Arrow columns.
 *
 * The in-memory run (src/engine/wf_memrun.c) keeps every year as Arrow
 * record batches and hands them out through the Arrow C data interface
 * (include/wfsim.h). This writer builds the columns of docs/model.md 5.1 and
 * 5.2, plus simulation_year (the Parquet layout's Hive partition), in
 * Arrow's layout: strings as utf8 (int32 offsets), money as
 * decimal128(18,2) and rates as decimal128(9,4) on the model's integer
 * units, dates as date32 (the model's day numbers), created_at as
 * timestamp[us], nulls as validity bitmaps. The model keeps rows, not
 * columns, so building them is the one copy; handing them out copies
 * nothing: exported arrays point into a chunk and keep its owner alive.
 *
 * A chunk is immutable once built and may be exported from any number of
 * threads at once.
 */
#ifndef WF_ARROW_OUT_H
#define WF_ARROW_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "wf_events.h"
#include "wfsim.h"

/* Who keeps a chunk's memory: exported arrays and schemas call retain
 * when made and release when the consumer releases them. */
typedef struct wf_arrow_owner {
    void (*retain)(void *ctx);
    void (*release)(void *ctx);
    void *ctx;
} wf_arrow_owner;

typedef enum wf_arrow_table { WF_ARROW_EVENTS, WF_ARROW_SNAPSHOT } wf_arrow_table;

typedef struct wf_arrow_chunk wf_arrow_chunk;

/* Rows [first, first + n) of a batch as a chunk. created_at_us is the
 * created_at column's value. NULL when out of memory, or when one string
 * column of the chunk would pass 2 GiB (chunks are sized far below). */
wf_arrow_chunk *wf_arrow_events_chunk(const wf_event_batch *b, size_t first, size_t n,
                                      int64_t created_at_us);
wf_arrow_chunk *wf_arrow_snapshot_chunk(const wf_snapshot_batch *b, size_t first,
                                        size_t n);
void wf_arrow_chunk_free(wf_arrow_chunk *c);
int64_t wf_arrow_chunk_rows(const wf_arrow_chunk *c);

/* The table's schema into *out (a struct of the columns; it refers to
 * static strings only). False when out of memory. */
bool wf_arrow_schema(wf_arrow_table t, struct ArrowSchema *out);
/* The chunk as a struct array into *out, pointing into the chunk: the
 * parent and each child call owner->retain once when made, and release
 * when the consumer releases them. False when out of memory. */
bool wf_arrow_export(const wf_arrow_chunk *c, const wf_arrow_owner *owner,
                     struct ArrowArray *out);

#endif
