/*
 * test_perf_writer.c - the overlapped writer of wf_run.c gives the same
 * files as writing inline.
 *
 * wf_events_run writes on the calling thread with one thread, and on a
 * writer thread overlapping the next year's simulation otherwise, each
 * file's row groups filled and encoded by several workers
 * (docs/performance.md). Both paths run here on one census (with
 * snapshots and the debug CSV, so the snapshot copies and the CSV order
 * are covered), and every file but the summary (it holds timings) must be
 * byte-identical.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wf_test.h"
#include "wfsim.h"


static int same_file(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *x = wf_test_slurp(a, &na), *y = wf_test_slurp(b, &nb);
    int same = x && y && na == nb && na > 0 && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

TEST(perf_writer_thread_matches_inline_writing)
{
    const char *dir = wf_test_tmpdir();
    char census[600], out1[600], out3[600];
    snprintf(census, sizeof census, "%s/census.csv", dir);
    snprintf(out1, sizeof out1, "%s/one", dir);
    snprintf(out3, sizeof out3, "%s/three", dir);
    wf_error err = {0};
    wf_config *cfg = NULL;
    wf_tables *tab = NULL;
    wf_census *cen = NULL;
    ASSERT_EQ(wf_config_load(NULL, &cfg, &err), WF_OK);
    ASSERT_EQ(wf_config_set(cfg, "simulation.end_year", "2026", &err), WF_OK);
    ASSERT_EQ(wf_tables_load(NULL, &tab, &err), WF_OK);
    /* years of more than 2 x 65,536 events: two row groups a file, filled
     * and encoded by two of the three workers at once */
    ASSERT_EQ(wf_census_generate(census, 60000, 11, 2025, tab, &err), WF_OK);
    ASSERT_EQ(wf_census_load(census, cfg, tab, &cen, &err), WF_OK);
    wf_run_options o1 = {.out_dir = out1, .threads = 1, .snapshots = 1, .debug_csv = 1,
                         .created_at_set = 1, .created_at_us = 1700000000000000};
    wf_run_options o3 = o1;
    o3.out_dir = out3;
    o3.threads = 3;
    ASSERT_EQ(wf_events_run(cfg, tab, cen, &o1, &err), WF_OK);
    ASSERT_EQ(wf_events_run(cfg, tab, cen, &o3, &err), WF_OK);
    static const char *files[] = {
        "simulation_year=2025/part-00000.parquet",
        "simulation_year=2026/part-00000.parquet",
        "workforce_snapshot/simulation_year=2025/part-00000.parquet",
        "workforce_snapshot/simulation_year=2026/part-00000.parquet",
        "debug/events.csv",
        "debug/snapshot.csv",
    };
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        char a[800], b[800];
        snprintf(a, sizeof a, "%s/%s", out1, files[k]);
        snprintf(b, sizeof b, "%s/%s", out3, files[k]);
        if (!same_file(a, b))
            wf_test_note("differs: %s", files[k]);
        ASSERT_TRUE(same_file(a, b));
    }
    wf_census_free(cen);
    wf_tables_free(tab);
    wf_config_free(cfg);
}
