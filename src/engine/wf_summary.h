/*
 * wf_summary.h - generation_summary.json (docs/model.md 5.3), for both runs.
 *
 * wf_events_run writes it beside the Parquet files; the in-memory run
 * (wf_memrun.c) hands its text to the host and writes it with the files
 * when asked. One writer, so the two never drift apart.
 */
#ifndef WF_SUMMARY_H
#define WF_SUMMARY_H

#include "wf_events.h"
#include "wf_sim.h"

typedef struct wf_summary {
    const wf_config *cfg;
    const char *census_path;
    int64_t census_employees;
    /* The census section when census is not NULL: how it was read
     * (census.invalid_rows, census.date_format), rows read, skipped and
     * rejected, and census_sha256, the accepted rows' SHA-256
     * (wf_census_digest). */
    const wf_census_info *census;
    const char *census_sha256;
    int threads;
    double wall_s, write_s;
    int64_t total_events;
    const wf_year_summary *years; /* n_years, start_year first */
    int n_years;
} wf_summary;

/* The JSON text, malloc'ed (caller frees); NULL when out of memory. */
char *wf_summary_json(const wf_summary *s);
/* Writes DIR/generation_summary.json. Errors: WF_EIO, WF_ENOMEM. */
wf_status wf_summary_write(const wf_summary *s, const char *dir, wf_error *err);

#endif
