/*
 * wf_census_out.h - the census files of an output folder.
 *
 *     DIR/census.parquet        the accepted census, normalised: what SQL
 *                               mode and the dbt models read
 *     DIR/rejected_rows.csv     skip mode only: the rows left out
 *
 * wf_census_write (wfsim.h) is this with one thread; wf_events_run writes
 * the files into its staging folder on a thread of their own, beside the
 * simulation, together with the digest of the accepted rows.
 */
#ifndef WF_CENSUS_OUT_H
#define WF_CENSUS_OUT_H

#include <pthread.h>
#include <stdbool.h>

#include "wfsim.h"

/* Writes the census files into dir (which exists). */
wf_status wf_census_out_write(const wf_census *cen, const char *dir, wf_error *err);

/* The same, and the digest, on a thread of its own. */
typedef struct wf_census_out {
    const wf_census *cen;
    char dir[4096];
    char digest[65];
    wf_error err;
    wf_status status;
    pthread_t thread;
    bool started;
} wf_census_out;

/* Starts the work on a thread (or, when none can start, does it at once);
 * dir NULL: the digest only, no files. */
void wf_census_out_start(wf_census_out *co, const wf_census *cen, const char *dir);
/* Waits for it; its status, with co->err filled on failure. */
wf_status wf_census_out_finish(wf_census_out *co);

#endif
