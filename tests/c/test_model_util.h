/*
 * test_model_util.h - helpers shared by the model's tests: loading inputs,
 * comparing files, a sink that keeps every batch, and hand-built inputs.
 */
#ifndef TEST_MODEL_UTIL_H
#define TEST_MODEL_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "wf_events.h"
#include "wf_model_int.h"
#include "wf_sim.h"

/* Loads config (NULL: defaults; else a path), the built-in tables and the
 * census at tests/vectors/<census_rel> (or an absolute path). */
wf_status wf_model_test_load(const char *config, const char *census_rel,
                             wf_config **cfg, wf_tables **tab, wf_census **cen,
                             wf_error *err);
/* True when equal; otherwise reports the first differing line. */
bool wf_model_test_same_file(const char *got, const char *want, const char *what);

/* A sink that keeps a copy of everything it is given. */
typedef struct wf_kept_year {
    wf_year_summary sum;
    wf_event *ev;
    size_t n_ev;
    char **ev_ids;           /* employee id of each event */
    wf_snapshot_row *snap;
    size_t n_snap;
    char **snap_ids;
} wf_kept_year;

typedef struct wf_keep_sink {
    wf_kept_year years[32];
    int n;
} wf_keep_sink;

wf_sim_sink wf_keep_sink_make(wf_keep_sink *k);
void wf_keep_sink_free(wf_keep_sink *k);

/* Runs the model and keeps everything; returns the status. */
wf_status wf_model_test_run(const wf_config *cfg, const wf_tables *tab,
                            const wf_census *cen, int threads, wf_keep_sink *k,
                            wf_error *err);

/* A census held in memory, built row by row (ids copied). */
typedef struct wf_test_census {
    wf_census cen;
    size_t cap;
} wf_test_census;

void wf_test_census_add(wf_test_census *c, const char *id, const char *birth,
                        const char *hire, long long salary_cents, int level,
                        int deferral_bp);
void wf_test_census_free(wf_test_census *c);

/* Events of one employee in a kept year, in order; returns the count and
 * fills out (up to max). */
size_t wf_kept_events(const wf_kept_year *y, const char *id,
                      const wf_event **out, size_t max);

#endif
