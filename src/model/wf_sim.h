/*
 * wf_sim.h - the simulation driver (docs/model.md 4).
 *
 * wf_sim_run simulates start_year..end_year of a loaded configuration,
 * tables and census, and hands each year's results to a sink, in year
 * order, from the calling thread: first the year's summary, then the
 * partition's events, then (when asked) the snapshot. The batches are valid
 * only during the call. A sink callback that returns an error stops the run
 * and its status is returned. The run keeps memory proportional to the
 * workforce, not to the events of all years.
 *
 * This header is the model's interface to the engine (src/engine): with
 * the opaque handles of wfsim.h and the accessors below, the engine never
 * sees the model's structs (wf_model_int.h, for src/model only).
 */
#ifndef WF_SIM_H
#define WF_SIM_H

#include <stdbool.h>

#include "wf_events.h"
#include "wf_rejects.h"
#include "wfsim.h"

/* What the engine reads of the loaded inputs (the simulation years are
 * wf_config_start_year / end_year of wfsim.h). Pure accessors. */
int64_t wf_config_random_seed(const wf_config *cfg);
const char *wf_config_scenario_id(const wf_config *cfg);
const char *wf_config_plan_design_id(const wf_config *cfg);
int wf_tables_age_band_count(const wf_tables *tab);
int wf_tables_tenure_band_count(const wf_tables *tab);
const char *wf_census_path(const wf_census *cen);
/* census.date_format as written ("MM/DD/YYYY"). */
const char *wf_config_census_date_format(const wf_config *cfg);
/* The loaded employees, normalised, into out[0..wf_census_count). */
void wf_census_normalised(const wf_census *cen, wf_census_row *out);
/* The rows skip mode rejected, in file order (none in strict mode). */
const wf_rejects *wf_census_rejects(const wf_census *cen);

typedef struct wf_sim_sink {
    void *ctx;
    wf_status (*on_year)(void *ctx, const wf_year_summary *summary, wf_error *err);
    wf_status (*on_events)(void *ctx, const wf_event_batch *batch, wf_error *err);
    wf_status (*on_snapshot)(void *ctx, const wf_snapshot_batch *batch, wf_error *err);
    /* Optional (benchmarks, tests): the draws the model used, added to
     * draws[(year - start_year) * WF_STREAM_COUNT + stream] (rng.h's
     * streams) at the end of each year; NULL counts nothing. */
    uint64_t *draws;
    /* Optional: called once a year after on_events and on_snapshot
     * returned WF_OK. The sink may keep the year's event array (*events,
     * room for *cap events, malloc'd: the batch's events) and put in its
     * place a malloc'd array of its own (or NULL with *cap 0), which the
     * model fills next year and frees at the end. A writer thread takes the
     * events this way instead of copying them. NULL: the model keeps its
     * array. */
    void (*swap_events)(void *ctx, wf_event **events, size_t *cap);
} wf_sim_sink;

/* threads >= 1. want_snapshots: build and pass snapshot batches.
 * Errors: WF_ERUNTIME for a model refusal (names employee and year),
 * WF_ENOMEM, or whatever a sink returned. */
wf_status wf_sim_run(const wf_config *cfg, const wf_tables *tab,
                     const wf_census *cen, int threads, bool want_snapshots,
                     const wf_sim_sink *sink, wf_error *err);

#endif
