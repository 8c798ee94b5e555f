/*
 * test_engine_ensemble.c - wf_ensemble_run's refusals and the thresholds
 * section of the configuration. (The replicates themselves, their layout
 * and their equality with `wfsim events` are tested through the command
 * in tests/py/test_ensemble.py.)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_model_util.h"
#include "wf_test.h"

static wf_config *config_with(const char *key1, const char *v1, const char *key2,
                              const char *v2)
{
    wf_config *cfg = NULL;
    wf_error err = {0};
    if (wf_config_load(NULL, &cfg, &err) != WF_OK)
        return NULL;
    if (key1 && wf_config_set(cfg, key1, v1, &err) != WF_OK)
        wf_test_fail(__FILE__, __LINE__, "%s", err.message);
    if (key2 && wf_config_set(cfg, key2, v2, &err) != WF_OK)
        wf_test_fail(__FILE__, __LINE__, "%s", err.message);
    return cfg;
}

/* Runs an ensemble of two scenarios into a fresh folder, named in out;
 * the status and whether the folder exists afterwards. */
static wf_status run_two(wf_config *a, wf_config *b, char out[4096], wf_error *err,
                         bool *exists)
{
    wf_config *cfg = NULL;
    wf_tables *tab = NULL;
    wf_census *cen = NULL;
    wf_error e = {0};
    wf_status st = wf_model_test_load(NULL, "golden/census.csv", &cfg, &tab, &cen, &e);
    if (st != WF_OK) {
        *err = e;
        return st;
    }
    snprintf(out, 4096, "%s/ens", wf_test_tmpdir());
    const wf_config *scen[2] = {a, b};
    wf_ensemble_options opt = {.out_dir = out, .first_seed = 1, .n_seeds = 2, .threads = 2};
    st = wf_ensemble_run(scen, 2, tab, cen, &opt, err);
    struct stat sb;
    *exists = stat(out, &sb) == 0;
    wf_census_free(cen);
    wf_tables_free(tab);
    wf_config_free(cfg);
    return st;
}

TEST(engine_ensemble_refuses_repeated_scenario_ids)
{
    wf_config *a = config_with("simulation.scenario_id", "same", NULL, NULL);
    wf_config *b = config_with("simulation.scenario_id", "same", "auto_enrollment.enabled", "false");
    char out[4096];
    wf_error err = {0};
    bool exists = true;
    ASSERT_EQ(run_two(a, b, out, &err, &exists), WF_EINPUT);
    ASSERT_TRUE(strstr(err.message, "scenarios 1 and 2 have the same scenario_id 'same'") != NULL);
    ASSERT_TRUE(!exists);
    wf_config_free(a);
    wf_config_free(b);
}

TEST(engine_ensemble_refuses_different_years)
{
    wf_config *a = config_with("simulation.scenario_id", "a", NULL, NULL);
    wf_config *b = config_with("simulation.scenario_id", "b", "simulation.end_year", "2027");
    char out[4096];
    wf_error err = {0};
    bool exists = true;
    ASSERT_EQ(run_two(a, b, out, &err, &exists), WF_EINPUT);
    ASSERT_TRUE(strstr(err.message, "every scenario must have the same years") != NULL);
    ASSERT_TRUE(!exists);
    wf_config_free(a);
    wf_config_free(b);
}

TEST(engine_ensemble_writes_every_replicate)
{
    wf_config *a = config_with("simulation.scenario_id", "a", "simulation.end_year", "2026");
    wf_config *b = config_with("simulation.scenario_id", "b", "simulation.end_year", "2026");
    char out[4096];
    wf_error err = {0};
    bool exists = false;
    ASSERT_EQ(run_two(a, b, out, &err, &exists), WF_OK);
    ASSERT_TRUE(exists);
    const char *scen[] = {"a", "b"};
    for (int s = 0; s < 2; s++)
        for (int seed = 1; seed <= 2; seed++)
            for (int y = 2025; y <= 2026; y++) {
                char path[8300];
                snprintf(path, sizeof path, "%s/scenario_id=%s/plan_design_id=default/"
                         "random_seed=%d/simulation_year=%d/part-00000.parquet",
                         out, scen[s], seed, y);
                struct stat sb;
                ASSERT_TRUE(stat(path, &sb) == 0 && sb.st_size > 0);
            }
    wf_config_free(a);
    wf_config_free(b);
}

TEST(engine_config_thresholds_outside_the_canonical_form)
{
    wf_config *plain = config_with(NULL, NULL, NULL, NULL);
    wf_config *cfg = config_with("thresholds.employer_cost", "2500000.5",
                                 "thresholds.participation_rate", "0.85");
    const char *name[16];
    double value[16];
    ASSERT_EQ(wf_config_thresholds(plain, name, value, 16), 0);
    ASSERT_EQ(wf_config_thresholds(cfg, name, value, 16), 2);
    /* in the section's fixed order */
    ASSERT_STREQ(name[0], "participation_rate");
    ASSERT_DEQ(value[0], 0.85);
    ASSERT_STREQ(name[1], "employer_cost");
    ASSERT_DEQ(value[1], 2500000.5);
    char *j1 = wf_config_to_json(plain), *j2 = wf_config_to_json(cfg);
    ASSERT_STREQ(j1, j2);
    free(j1);
    free(j2);
    wf_error err = {0};
    ASSERT_EQ(wf_config_set(cfg, "thresholds.employer_cost", "null", &err), WF_OK);
    ASSERT_EQ(wf_config_thresholds(cfg, name, value, 16), 1);
    ASSERT_EQ(wf_config_set(cfg, "thresholds.employer_costs", "1", &err), WF_EINPUT);
    ASSERT_STREQ(err.key, "thresholds.employer_costs");
    wf_config_free(plain);
    wf_config_free(cfg);
}
