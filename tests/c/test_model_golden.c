/*
 * test_model_golden.c - the worked example of tests/vectors/golden.
 *
 * The default and the alternative configuration are simulated on the
 * golden census, written through wf_debug_csv, and compared byte for byte
 * with events.csv and snapshot.csv; the figures N, P, X, target, R, Q, Te,
 * net, H and Tnh of every year are compared with summary.json. A failure
 * names the first differing line.
 */
#include "wf_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_model_util.h"
#include "wf_debug_csv.h"
#include "wf_sim.h"

typedef struct golden_sink {
    wf_debug_csv *csv;
    wf_year_summary years[16];
    int n_years;
} golden_sink;

static wf_status on_year(void *ctx, const wf_year_summary *s, wf_error *err)
{
    golden_sink *g = ctx;
    (void)err;
    if (g->n_years < 16)
        g->years[g->n_years++] = *s;
    return WF_OK;
}

static wf_status on_events(void *ctx, const wf_event_batch *b, wf_error *err)
{
    return wf_debug_csv_events(((golden_sink *)ctx)->csv, b, err);
}

static wf_status on_snapshot(void *ctx, const wf_snapshot_batch *b, wf_error *err)
{
    return wf_debug_csv_snapshot(((golden_sink *)ctx)->csv, b, err);
}

/* Reads "key": <integer> from the JSON text starting at *p; advances *p. */
static bool json_int(const char **p, const char *key, long long *out)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *q = strstr(*p, pat);
    if (!q)
        return false;
    *out = strtoll(q + strlen(pat), NULL, 10);
    *p = q + strlen(pat);
    return true;
}

static void run_golden(const char *name, const char *config)
{
    char dir[4096], ev[4200], sn[4200], want[4200], what[128];
    wf_error err = {0};
    wf_config *cfg = NULL;
    wf_tables *tab = NULL;
    wf_census *cen = NULL;
    golden_sink g;
    memset(&g, 0, sizeof g);
    snprintf(dir, sizeof dir, "%s", wf_test_tmpdir());
    snprintf(ev, sizeof ev, "%s/events.csv", dir);
    snprintf(sn, sizeof sn, "%s/snapshot.csv", dir);
    ASSERT_EQ(wf_model_test_load(config, "golden/census.csv", &cfg, &tab,
                                 &cen, &err), WF_OK);
    ASSERT_EQ(wf_debug_csv_open(ev, sn, &g.csv, &err), WF_OK);
    wf_sim_sink sink = {&g, on_year, on_events, on_snapshot, NULL, NULL};
    wf_status st = wf_sim_run(cfg, tab, cen, 1, true, &sink, &err);
    wf_status st2 = wf_debug_csv_close(g.csv, &err);
    if (st != WF_OK)
        wf_test_note("wf_sim_run: %s", err.message);
    ASSERT_EQ(st, WF_OK);
    ASSERT_EQ(st2, WF_OK);

    snprintf(want, sizeof want, "golden/%s/events.csv", name);
    snprintf(what, sizeof what, "%s events", name);
    ASSERT_TRUE(wf_model_test_same_file(ev, wf_test_vector(want), what));
    snprintf(want, sizeof want, "golden/%s/snapshot.csv", name);
    snprintf(what, sizeof what, "%s snapshot", name);
    ASSERT_TRUE(wf_model_test_same_file(sn, wf_test_vector(want), what));

    snprintf(want, sizeof want, "golden/%s/summary.json", name);
    char *json = wf_test_slurp(wf_test_vector(want), NULL);
    ASSERT_TRUE(json != NULL);
    const char *p = strstr(json, "\"per_year\"");
    int years = 0;
    long long v;
    while (p && json_int(&p, "year", &v)) {
        const wf_year_summary *s = &g.years[years];
        long long got[10] = {s->N, s->P, s->X, s->target, s->R, s->Q, s->Te,
                             s->net, s->H, s->Tnh};
        static const char *const keys[10] = {"N", "P", "X", "target", "R",
                                             "Q", "Te", "net", "H", "Tnh"};
        if (years >= g.n_years || s->year != v) {
            free(json);
            wf_test_fail(__FILE__, __LINE__, "%s: year %lld missing", name, v);
            return;
        }
        for (int k = 0; k < 10; k++) {
            long long w;
            if (!json_int(&p, keys[k], &w) || w != got[k]) {
                free(json);
                wf_test_fail(__FILE__, __LINE__, "%s %lld %s: got %lld want %lld",
                             name, v, keys[k], got[k], w);
                return;
            }
        }
        years++;
    }
    free(json);
    ASSERT_EQ(years, g.n_years);
    ASSERT_TRUE(years >= 3);
    wf_census_free(cen);
    wf_tables_free(tab);
    wf_config_free(cfg);
}

TEST(model_golden_default)
{
    run_golden("default", NULL);
}

TEST(model_golden_alt)
{
    run_golden("alt", wf_test_vector("golden/alt_config.yaml"));
}
