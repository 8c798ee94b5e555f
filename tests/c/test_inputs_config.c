/*
 * test_inputs_config.c - the YAML configuration (docs/model.md 2.2 and the
 * "Configuration typing" of docs/model.md 6): every rule with a malformed file
 * whose error must name the key, line and column; YAML 1.2 core-schema
 * typing; command-line overrides (wf_config_set); the canonical JSON and
 * its digest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "wf_test.h"

#include "wf_date.h"
#include "wf_model_int.h"

/* Loads yaml text from a temporary file; *path gets the file name. */
static wf_status load_yaml(const char *text, wf_config **cfg, wf_error *err,
                           char path[4200])
{
    snprintf(path, 4200, "%s/config.yaml", wf_test_tmpdir());
    FILE *f = fopen(path, "wb");
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    *cfg = NULL;
    memset(err, 0, sizeof *err);
    return wf_config_load(path, cfg, err);
}

static void remove_file(char path[4200])
{
    unlink(path);
    *strrchr(path, '/') = '\0';
    rmdir(path);
}

typedef struct bad_case {
    const char *yaml, *key;
    long line, column;
    const char *needle;
} bad_case;

static const bad_case bad_cases[] = {
    /* unknown keys and sections, with the nearest valid key */
    {"workforce:\n  terminaton_rate: 0.1\n", "workforce.terminaton_rate", 2, 3,
     "did you mean 'workforce.termination_rate'?"},
    {"simulation:\n  cola_rate: 0.1\n", "simulation.cola_rate", 2, 3,
     "did you mean 'compensation.cola_rate'?"},
    {"simulaton:\n  start_year: 2025\n", "simulaton", 1, 1, "did you mean 'simulation'?"},
    {"auto_escalation:\n  capp: 0.1\n", "auto_escalation.capp", 2, 3,
     "did you mean 'auto_escalation.cap'?"},
    /* duplicates */
    {"simulation:\n  start_year: 2025\n  start_year: 2026\n", "simulation.start_year", 3, 3,
     "duplicate key 'simulation.start_year' (first at line 2)"},
    {"simulation: {}\nworkforce: {}\nsimulation:\n  end_year: 2030\n", "simulation", 3, 1,
     "duplicate section 'simulation'"},
    /* integers */
    {"simulation:\n  start_year: 2030.0\n", "simulation.start_year", 2, 15,
     "expected an integer written as plain digits, got a float"},
    {"simulation:\n  start_year: \"2030\"\n", "simulation.start_year", 2, 15,
     "got a quoted string"},
    {"auto_enrollment:\n  window_days: +30\n", "auto_enrollment.window_days", 2, 16,
     "plain digits, got an integer ('+30')"},
    {"auto_enrollment:\n  window_days: 0x1F\n", "auto_enrollment.window_days", 2, 16,
     "plain digits"},
    {"auto_enrollment:\n  window_days: 366\n", "auto_enrollment.window_days", 2, 16,
     "366 is out of range: expected a value in [0, 365]"},
    {"simulation:\n  start_year: 1899\n", "simulation.start_year", 2, 15, "in [1900, 2200]"},
    {"simulation:\n  end_year: 2201\n", "simulation.end_year", 2, 13, "in [1900, 2200]"},
    {"simulation:\n  start_year: 2030\n", "simulation.start_year", 2, 3,
     "end_year 2029 is before start_year 2030"},
    {"simulation:\n  end_year: 2026\n  start_year: 2027\n", "simulation.end_year", 2, 3,
     "before start_year"},
    {"simulation:\n  random_seed: 9223372036854775808\n", "simulation.random_seed", 2, 16,
     "out of range"},
    {"simulation:\n  random_seed: -1\n", "simulation.random_seed", 2, 16, "plain digits"},
    {"workforce:\n  retirement_age: 39\n", "workforce.retirement_age", 2, 19, "[40, 100]"},
    {"eligibility:\n  minimum_age: 101\n", "eligibility.minimum_age", 2, 16, "[0, 100]"},
    {"eligibility:\n  waiting_period_days: 3651\n", "eligibility.waiting_period_days", 2, 24,
     "[0, 3650]"},
    {"auto_escalation:\n  delay_years: 11\n", "auto_escalation.delay_years", 2, 16, "[0, 10]"},
    {"simulation:\n  start_year: null\n", "simulation.start_year", 2, 15, "got null"},
    {"simulation:\n  start_year:\n", "simulation.start_year", 2, 14, "got null"},
    /* rates */
    {"compensation:\n  cola_rate: \"0.1\"\n", "compensation.cola_rate", 2, 14,
     "expected a decimal number, got a quoted string ('0.1'); remove the quotes"},
    {"compensation:\n  cola_rate: 10%\n", "compensation.cola_rate", 2, 14, "got a string"},
    {"compensation:\n  cola_rate: .inf\n", "compensation.cola_rate", 2, 14, "got a float"},
    {"compensation:\n  cola_rate: true\n", "compensation.cola_rate", 2, 14, "got a boolean"},
    {"compensation:\n  cola_rate: 1.0000000000000001\n", "compensation.cola_rate", 2, 14,
     "expected a value in [0, 1]"},
    {"compensation:\n  merit_probability: -0.0000001\n", "compensation.merit_probability",
     2, 22, "[0, 1]"},
    {"workforce:\n  retirement_probability: 1e400\n", "workforce.retirement_probability", 2,
     27, "[0, 1]"},
    {"compensation:\n  promotion_raise_mean: 1e400\n", "compensation.promotion_raise_mean",
     2, 25, "(as a double)"},
    {"compensation:\n  promotion_raise_spread: -0.01\n",
     "compensation.promotion_raise_spread", 2, 27, ">= 0"},
    {"compensation:\n  promotion_raise_mean: 0.03\n", "compensation.promotion_raise_mean", 2,
     3, "promotion_raise_mean - promotion_raise_spread must be >= 0"},
    {"compensation:\n  promotion_raise_mean: 0.05\n  promotion_raise_spread: "
     "0.05000000000000000001\n", "compensation.promotion_raise_mean", 2, 3, "must be >= 0"},
    {"compensation:\n  new_hire_salary_spread: 1.5\n", "compensation.new_hire_salary_spread",
     2, 27, "[0, 1]"},
    /* ppm and bp: the written decimal and the integer */
    {"workforce:\n  termination_rate: 1\n", "workforce.termination_rate", 2, 21, "[0, 1)"},
    {"workforce:\n  termination_rate: 0.9999996\n", "workforce.termination_rate", 2, 21,
     "0.9999996 (rounded to ppm) is out of range: expected a value in [0, 1)"},
    {"workforce:\n  new_hire_termination_rate: 0.9999995\n",
     "workforce.new_hire_termination_rate", 2, 30, "(rounded to ppm)"},
    {"workforce:\n  termination_rate: -0.0000001\n", "workforce.termination_rate", 2, 21,
     "[0, 1)"},
    {"workforce:\n  target_growth_rate: -1\n", "workforce.target_growth_rate", 2, 23, "> -1"},
    {"workforce:\n  target_growth_rate: -0.9999999\n", "workforce.target_growth_rate", 2, 23,
     "(rounded to ppm)"},
    {"workforce:\n  target_growth_rate: 1e20\n", "workforce.target_growth_rate", 2, 23,
     "(rounded to ppm)"},
    {"auto_enrollment:\n  default_deferral_rate: 0\n", "auto_enrollment.default_deferral_rate",
     2, 26, "(0, 1]"},
    {"auto_enrollment:\n  default_deferral_rate: 0.00004\n",
     "auto_enrollment.default_deferral_rate", 2, 26, "(rounded to basis points)"},
    {"auto_escalation:\n  increment: 1.00001\n", "auto_escalation.increment", 2, 14,
     "(0, 1]"},
    {"auto_escalation:\n  cap: 1.00004\n", "auto_escalation.cap", 2, 8, "(0, 1]"},
    /* strings: ids, month-days, dates, enums */
    {"simulation:\n  scenario_id: 123\n", "simulation.scenario_id", 2, 16,
     "expected a string id (quote it), got an integer"},
    {"simulation:\n  scenario_id: \"a b\"\n", "simulation.scenario_id", 2, 16,
     "'a b' is not a valid id"},
    {"simulation:\n  plan_design_id: \"\"\n", "simulation.plan_design_id", 2, 19,
     "not a valid id"},
    {"simulation:\n  plan_design_id: "
     "A234567890123456789012345678901234567890123456789012345678901234X\n",
     "simulation.plan_design_id", 2, 19, "not a valid id"},
    {"compensation:\n  promotion_date: 02-29\n", "compensation.promotion_date", 2, 19,
     "expected a month-day \"MM-DD\" (not 02-29), got '02-29'"},
    {"compensation:\n  merit_date: 4-1\n", "compensation.merit_date", 2, 15, "MM-DD"},
    {"compensation:\n  merit_date: 13-01\n", "compensation.merit_date", 2, 15, "MM-DD"},
    {"compensation:\n  merit_date: 04-31\n", "compensation.merit_date", 2, 15, "MM-DD"},
    {"compensation:\n  promotion_date: 05-01\n", "compensation.promotion_date", 2, 3,
     "promotion_date 05-01 is after merit_date 04-01"},
    {"voluntary_enrollment:\n  enrollment_date: 0115\n",
     "voluntary_enrollment.enrollment_date", 2, 20, "MM-DD"},
    {"auto_escalation:\n  effective_date: 02-29\n", "auto_escalation.effective_date", 2, 19,
     "not 02-29"},
    {"auto_enrollment:\n  hire_date_cutoff: 2024-02-30\n", "auto_enrollment.hire_date_cutoff",
     2, 21, "expected a date \"YYYY-MM-DD\" or null"},
    {"auto_enrollment:\n  hire_date_cutoff: 20240101\n", "auto_enrollment.hire_date_cutoff",
     2, 21, "YYYY-MM-DD"},
    {"auto_escalation:\n  scope: everyone\n", "auto_escalation.scope", 2, 10,
     "expected auto_enrolled or all_enrolled, got 'everyone'"},
    {"performance:\n  event_generation_mode: turbo\n", "performance.event_generation_mode", 2, 26, "expected fast or sql"},
    /* booleans: YAML 1.2 core only */
    {"auto_enrollment:\n  enabled: yes\n", "auto_enrollment.enabled", 2, 12,
     "expected a boolean (true or false), got a string ('yes')"},
    {"auto_enrollment:\n  enabled: \"true\"\n", "auto_enrollment.enabled", 2, 12,
     "got a quoted string"},
    {"auto_escalation:\n  enabled: 1\n", "auto_escalation.enabled", 2, 12, "got an integer"},
    {"voluntary_enrollment:\n  enabled: tRUE\n", "voluntary_enrollment.enabled", 2, 12,
     "expected a boolean"},
    /* structure */
    {"simulation:\n  start_year: [2025]\n", "simulation.start_year", 2, 15,
     "expected a scalar value, got a sequence"},
    {"simulation:\n  start_year: {a: 1}\n", "simulation.start_year", 2, 15, "got a mapping"},
    {"simulation: 5\n", "simulation", 1, 13, "expected a mapping of keys"},
    {"- a\n- b\n", "", 1, 1, "expected a mapping of sections, got a sequence"},
    {"simulation:\n  start_year: &y 2025\n  end_year: *y\n", "simulation.end_year", 3, 13,
     "aliases are not supported"},
    {"simulation:\n  start_year: !!int 2025\n", "simulation.start_year", 2, 15,
     "explicit YAML tags"},
    {"simulation:\n  start_year: 2025\n---\nworkforce: {}\n", "", 3, 1,
     "a single YAML document"},
    {"simulation:\n  start_year: 2025\n end_year: 2026\n", "", 3, 2, "YAML syntax error"},
    {"simulation:\n  scenario_id: \"abc\n", "", 3, 1, "YAML syntax error"},
    /* plan_design: the nested shape (plan_design.c), key paths with list
     * positions; the errors inside lists and after partial reads also prove
     * the half-built tree is freed (the sanitizer build runs these) */
    {"plan_design:\n  match:\n    tiers:\n      - {up_to: 0.03, rate: 1.0}\n"
     "      - {up_to: 0.05, rate: 10.5}\n",
     "plan_design.match.tiers[1].rate", 5, 29, "out of range: expected a value in [0, 10]"},
    {"plan_design:\n  match:\n    tiers: [{up_to: 0.05, rate: 1}, {up_to: 0.05, rate: 1}]\n",
     "plan_design.match.tiers[1].up_to", 3, 45, "tiers must ascend"},
    {"plan_design:\n  match:\n    by_service: [{min_years: 5, tiers: [{up_to: 0.06, rat: 1}]}]\n",
     "plan_design.match.by_service[0].tiers[0].rat", 3, 55, "unknown key 'rat'"},
    {"plan_design:\n  core: {by_service: [], by_age: []}\n", "plan_design.core.by_age", 2, 34,
     "exclude each other"},
    {"plan_design:\n  vesting: {core: [0, 50, 90]}\n", "plan_design.vesting.core", 2, 19,
     "must end at 100"},
    {"plan_design:\n  vesting: {core: cliff_11}\n", "plan_design.vesting.core", 2, 19,
     "cliff_N with N whole years in [1, 10]"},
    {"plan_design:\n  match_formula: tiers\n", "plan_design.match_formula", 2, 3,
     "unknown key 'match_formula'; expected match, core"},
    {"plan_design:\n  match: {tiers: [{up_to: 0.03, rate: &r 1}, {up_to: 0.05, rate: *r}]}\n",
     "plan_design", 2, 66, "aliases are not supported"},
    {"plan_design:\n  match:\n    tiers:\n      - {up_to: 0.03, rate: 1.0\n      - x\n", "", 6, 1,
     "YAML syntax error"},
    {"plan_design:\n  match:\n    tiers:\n      - up_to: 0.03\n        rate: 1\n   bad: 1\n", "",
     6, 4, "YAML syntax error"},
};

TEST(inputs_config_refusals)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case *c = &bad_cases[i];
        wf_config *cfg;
        wf_error err;
        char path[4200];
        wf_status st = load_yaml(c->yaml, &cfg, &err, path);
        bool ok = st == WF_EINPUT && cfg == NULL && strcmp(err.file, path) == 0 &&
                  strcmp(err.key, c->key) == 0 && err.line == c->line &&
                  err.column == c->column && strstr(err.message, c->needle);
        if (!ok)
            wf_test_fail(__FILE__, __LINE__,
                         "case %zu: want %s %ld:%ld \"%s\"; got status %d, %s %ld:%ld \"%s\"",
                         i, c->key, c->line, c->column, c->needle, (int)st, err.key,
                         err.line, err.column, err.message);
        wf_config_free(cfg);
        remove_file(path);
        if (!ok)
            return;
    }
}

TEST(inputs_config_plan_design_json)
{
    wf_config *cfg;
    wf_error err;
    char path[4200];
    ASSERT_EQ(load_yaml("", &cfg, &err, path), WF_OK);
    char *json = wf_config_plan_design_json(cfg);
    ASSERT_STREQ(json,
                 "{\"match\":{\"formula\":\"tiers\",\"tiers\":[{\"up_to\":0.03,\"rate\":1.0},"
                 "{\"up_to\":0.05,\"rate\":0.5}],\"by_service\":[],\"max_dollars\":null,"
                 "\"true_up\":false,\"requires\":{\"min_service_years\":0,"
                 "\"active_at_year_end\":false}},\"core\":{\"rate\":0.0,\"by_service\":[],"
                 "\"by_age\":[],\"requires\":{\"min_service_years\":0,\"active_at_year_end\":false}},"
                 "\"vesting\":{\"match\":\"immediate\",\"core\":\"immediate\"},"
                 "\"forfeiture_policy\":\"offset_next_year\",\"nondiscrimination\":"
                 "{\"method\":\"prior_year\",\"top_paid_group\":false}}");
    free(json);
    wf_config_free(cfg);
    remove_file(path);
    ASSERT_EQ(load_yaml("plan_design:\n"
                        "  match:\n"
                        "    formula: stretch\n"
                        "    tiers: [{up_to: .06, rate: 0.50}]\n"
                        "    by_service:\n"
                        "      - min_years: 5\n"
                        "        tiers: [{up_to: 0.06, rate: 1}]\n"
                        "    max_dollars: 5000\n"
                        "    true_up: true\n"
                        "  core:\n"
                        "    by_age: [{min_age: 50, rate: 0.03}]\n"
                        "    requires: {active_at_year_end: true}\n"
                        "  vesting: {match: [0, 25, 100], core: graded_6}\n"
                        "  forfeiture_policy: pay_expenses\n"
                        "  nondiscrimination: {method: current_year, top_paid_group: true}\n",
                        &cfg, &err, path), WF_OK);
    json = wf_config_plan_design_json(cfg);
    ASSERT_STREQ(json,
                 "{\"match\":{\"formula\":\"stretch\",\"tiers\":[{\"up_to\":0.06,\"rate\":0.5}],"
                 "\"by_service\":[{\"min_years\":5,\"tiers\":[{\"up_to\":0.06,\"rate\":1.0}]}],"
                 "\"max_dollars\":5000.0,\"true_up\":true,\"requires\":{\"min_service_years\":0,"
                 "\"active_at_year_end\":false}},\"core\":{\"rate\":0.0,\"by_service\":[],"
                 "\"by_age\":[{\"min_age\":50,\"rate\":0.03}],\"requires\":{\"min_service_years\":0,"
                 "\"active_at_year_end\":true}},\"vesting\":{\"match\":[0,25,100],\"core\":\"graded_6\"},"
                 "\"forfeiture_policy\":\"pay_expenses\",\"nondiscrimination\":"
                 "{\"method\":\"current_year\",\"top_paid_group\":true}}");
    free(json);
    /* the section is not part of the canonical JSON (nor of the digest) */
    char *canon = wf_config_to_json(cfg);
    ASSERT_TRUE(strstr(canon, "plan_design\"") == NULL && strstr(canon, "stretch") == NULL);
    free(canon);
    wf_config_free(cfg);
    remove_file(path);
}

TEST(inputs_config_error_format_names_key)
{
    wf_config *cfg;
    wf_error err;
    char path[4200], msg[2048], want[4400];
    ASSERT_EQ(load_yaml("workforce:\n  terminaton_rate: 0.1\n", &cfg, &err, path), WF_EINPUT);
    wf_error_format(&err, msg, sizeof msg);
    snprintf(want, sizeof want,
             "%s:2:3: workforce.terminaton_rate: unknown key 'workforce.terminaton_rate'; "
             "did you mean 'workforce.termination_rate'?", path);
    remove_file(path);
    ASSERT_STREQ(msg, want);
}

TEST(inputs_config_typing_accepted)
{
    wf_config *cfg;
    wf_error err;
    char path[4200];
    ASSERT_EQ(load_yaml("# comment\n"
                        "simulation:\n"
                        "  start_year: 2026\n"
                        "  end_year: 2026\n"
                        "  random_seed: 9223372036854775807\n"
                        "  scenario_id: NH_scenario.1\n"
                        "  plan_design_id: 'p-2'\n"
                        "workforce:\n"
                        "  target_growth_rate: -0.999999\n"
                        "  termination_rate: 0.9999994\n"
                        "  new_hire_termination_rate: 0\n"
                        "  retirement_age: 40\n"
                        "  retirement_probability: 1\n"
                        "compensation: {cola_rate: .5e-1, merit_probability: 1.0,"
                        " promotion_raise_mean: 0.04, promotion_raise_spread: 0.04,"
                        " promotion_date: \"04-01\", merit_date: '04-01'}\n"
                        "eligibility:\n"
                        "auto_enrollment:\n"
                        "  enabled: False\n"
                        "  hire_date_cutoff: ~\n"
                        "  default_deferral_rate: 0.00005\n"
                        "voluntary_enrollment: {}\n"
                        "auto_escalation:\n"
                        "  enabled: FALSE\n"
                        "  cap: 1\n"
                        "  increment: 1e-4\n"
                        "performance:\n"
                        "  event_generation_mode: sql\n"
                        "  threads: 8\n",
                        &cfg, &err, path), WF_OK);
    remove_file(path);
    ASSERT_EQ(cfg->start_year, 2026);
    ASSERT_EQ(cfg->random_seed, INT64_MAX);
    ASSERT_STREQ(cfg->scenario_id, "NH_scenario.1");
    ASSERT_STREQ(cfg->plan_design_id, "p-2");
    ASSERT_EQ(cfg->target_growth_ppm, -999999);
    ASSERT_EQ(cfg->termination_ppm, 999999);
    ASSERT_EQ(cfg->new_hire_termination_ppm, 0);
    ASSERT_EQ(cfg->retirement_age, 40);
    ASSERT_DEQ(cfg->retirement_probability, 1.0);
    ASSERT_DEQ(cfg->cola_rate, 0.05);
    ASSERT_DEQ(cfg->promotion_raise_spread, 0.04);
    ASSERT_EQ(cfg->merit_date.month, 4);
    ASSERT_EQ(cfg->minimum_age, 21);      /* empty section: defaults */
    ASSERT_TRUE(!cfg->ae_enabled);
    ASSERT_TRUE(!cfg->ae_cutoff_set);
    ASSERT_EQ(wf_config_ae_cutoff(cfg), wf_date_from_ymd(2026, 1, 1));
    ASSERT_EQ(cfg->ae_default_deferral_bp, 1);
    ASSERT_TRUE(cfg->ve_enabled);
    ASSERT_TRUE(!cfg->esc_enabled);
    ASSERT_EQ(cfg->esc_cap_bp, 10000);
    ASSERT_EQ(cfg->esc_increment_bp, 1);
    ASSERT_EQ(wf_config_mode(cfg), 1);
    ASSERT_EQ(wf_config_threads(cfg), 8);
    wf_config_free(cfg);

    /* an empty file and a file of only a comment are all defaults */
    ASSERT_EQ(load_yaml("", &cfg, &err, path), WF_OK);
    remove_file(path);
    ASSERT_EQ(cfg->end_year, 2029);
    wf_config_free(cfg);
    ASSERT_EQ(load_yaml("# nothing\n", &cfg, &err, path), WF_OK);
    remove_file(path);
    wf_config_free(cfg);
    /* a null hire_date_cutoff, a plain date */
    ASSERT_EQ(load_yaml("auto_enrollment:\n  hire_date_cutoff: null\n", &cfg, &err, path),
              WF_OK);
    remove_file(path);
    ASSERT_TRUE(!cfg->ae_cutoff_set);
    wf_config_free(cfg);
    ASSERT_EQ(load_yaml("auto_enrollment:\n  hire_date_cutoff: 2019-02-28\n", &cfg, &err,
                        path), WF_OK);
    remove_file(path);
    ASSERT_EQ(wf_config_ae_cutoff(cfg), wf_date_from_ymd(2019, 2, 28));
    wf_config_free(cfg);
}

TEST(inputs_config_missing_file)
{
    wf_config *cfg = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_config_load("/nonexistent/x.yaml", &cfg, &err), WF_EIO);
    ASSERT_STREQ(err.file, "/nonexistent/x.yaml");
    ASSERT_TRUE(cfg == NULL);
}

TEST(inputs_config_set_overrides)
{
    wf_config *cfg = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_config_load(NULL, &cfg, &err), WF_OK);
    ASSERT_EQ(wf_config_set(cfg, "simulation.start_year", "2026", &err), WF_OK);
    ASSERT_EQ(cfg->start_year, 2026);
    ASSERT_EQ(wf_config_ae_cutoff(cfg), wf_date_from_ymd(2026, 1, 1));
    ASSERT_EQ(wf_config_set(cfg, "workforce.termination_rate", "0.2", &err), WF_OK);
    ASSERT_EQ(cfg->termination_ppm, 200000);
    ASSERT_EQ(wf_config_set(cfg, "simulation.scenario_id", "\"high growth\"", &err),
              WF_EINPUT);
    memset(&err, 0, sizeof err);
    ASSERT_EQ(wf_config_set(cfg, "simulation.scenario_id", "high-growth", &err), WF_OK);
    ASSERT_STREQ(cfg->scenario_id, "high-growth");
    ASSERT_EQ(wf_config_set(cfg, "auto_enrollment.hire_date_cutoff", "2020-05-05", &err),
              WF_OK);
    ASSERT_EQ(wf_config_ae_cutoff(cfg), wf_date_from_ymd(2020, 5, 5));
    ASSERT_EQ(wf_config_set(cfg, "auto_enrollment.hire_date_cutoff", "", &err), WF_OK);
    ASSERT_TRUE(!cfg->ae_cutoff_set);
    ASSERT_EQ(wf_config_set(cfg, "performance.threads", "3", &err), WF_OK);
    ASSERT_EQ(wf_config_threads(cfg), 3);

    /* a refused override names the key and leaves the configuration as it was */
    ASSERT_EQ(wf_config_set(cfg, "simulation.start_year", "2030", &err), WF_EINPUT);
    ASSERT_STREQ(err.key, "simulation.start_year");
    ASSERT_CONTAINS(err.message, "end_year 2029 is before start_year 2030");
    ASSERT_EQ(cfg->start_year, 2026);
    memset(&err, 0, sizeof err);
    ASSERT_EQ(wf_config_set(cfg, "workforce.termination_rate", "\"0.1\"", &err), WF_EINPUT);
    ASSERT_STREQ(err.key, "workforce.termination_rate");
    ASSERT_CONTAINS(err.message, "got a quoted string");
    ASSERT_EQ(cfg->termination_ppm, 200000);
    memset(&err, 0, sizeof err);
    ASSERT_EQ(wf_config_set(cfg, "workforce.termination_rat", "0.1", &err), WF_EINPUT);
    ASSERT_STREQ(err.key, "workforce.termination_rat");
    ASSERT_CONTAINS(err.message, "did you mean 'workforce.termination_rate'?");
    memset(&err, 0, sizeof err);
    ASSERT_EQ(wf_config_set(cfg, "start_year", "2025", &err), WF_EINPUT);
    ASSERT_CONTAINS(err.message, "did you mean 'simulation.start_year'?");
    memset(&err, 0, sizeof err);
    ASSERT_EQ(wf_config_set(cfg, "compensation.promotion_raise_spread", "0.11", &err),
              WF_EINPUT);
    ASSERT_STREQ(err.key, "compensation.promotion_raise_spread");
    ASSERT_CONTAINS(err.message, "must be >= 0");
    memset(&err, 0, sizeof err);
    ASSERT_EQ(wf_config_set(cfg, "compensation.promotion_raise_spread", "0.1", &err), WF_OK);
    ASSERT_EQ(wf_config_set(cfg, "compensation.promotion_date", "05-01", &err), WF_EINPUT);
    ASSERT_STREQ(err.key, "compensation.promotion_date");
    memset(&err, 0, sizeof err);
    ASSERT_EQ(wf_config_set(cfg, "simulation.end_year", "[1]", &err), WF_EINPUT);
    ASSERT_CONTAINS(err.message, "expected a scalar value");
    memset(&err, 0, sizeof err);
    ASSERT_EQ(wf_config_set(cfg, "simulation.end_year", "2030\n---\n2031", &err), WF_EINPUT);
    ASSERT_CONTAINS(err.message, "a single value");
    char msg[2048];
    wf_error_format(&err, msg, sizeof msg);
    ASSERT_STREQ(msg, "simulation.end_year: expected a single value");
    wf_config_free(cfg);
}

static void sha256_hex(const char *s, char hex[65])
{
    struct sha256_ctx c;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&c);
    sha256_update(&c, strlen(s), (const uint8_t *)s);
    sha256_digest(&c, sizeof d, d);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", d[i]);
}

TEST(inputs_config_json_alt_and_digest)
{
    wf_config *cfg = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_config_load(wf_test_vector("golden/alt_config.yaml"), &cfg, &err),
              WF_OK);
    char *json = wf_config_to_json(cfg);
    ASSERT_STREQ(json,
                 "{\"simulation\":{\"start_year\":2025,\"end_year\":2027,\"random_seed\":31337,"
                 "\"scenario_id\":\"golden-alt\",\"plan_design_id\":\"plan.A\"},"
                 "\"workforce\":{\"target_growth_rate_ppm\":50000,\"termination_rate_ppm\":150000,"
                 "\"new_hire_termination_rate_ppm\":200000,\"retirement_age\":60,"
                 "\"retirement_probability\":0.5},"
                 "\"compensation\":{\"cola_rate\":0.02,\"merit_probability\":0.6,"
                 "\"salary_structure_growth\":0.03,\"promotion_raise_mean\":0.12,"
                 "\"promotion_raise_spread\":0.02,\"new_hire_salary_spread\":0.05,"
                 "\"promotion_date\":\"01-01\",\"merit_date\":\"10-01\"},"
                 "\"eligibility\":{\"minimum_age\":21,\"waiting_period_days\":30},"
                 "\"auto_enrollment\":{\"enabled\":true,\"hire_date_cutoff\":\"2024-01-01\","
                 "\"default_deferral_rate_bp\":300,\"window_days\":60,\"opt_out_grace_days\":45},"
                 "\"voluntary_enrollment\":{\"enabled\":true,\"enrollment_date\":\"02-15\"},"
                 "\"auto_escalation\":{\"enabled\":true,\"scope\":\"all_enrolled\","
                 "\"increment_bp\":200,\"cap_bp\":1500,\"delay_years\":1,"
                 "\"effective_date\":\"04-01\"}}");
    char hex[65], want[65];
    sha256_hex(json, want);
    wf_config_digest(cfg, hex);
    ASSERT_STREQ(hex, want);
    free(json);
    /* the performance section is not part of the digest; a model key is */
    ASSERT_EQ(wf_config_set(cfg, "performance.event_generation_mode", "sql", &err), WF_OK);
    wf_config_digest(cfg, hex);
    ASSERT_STREQ(hex, want);
    ASSERT_EQ(wf_config_set(cfg, "simulation.random_seed", "31338", &err), WF_OK);
    wf_config_digest(cfg, hex);
    ASSERT_TRUE(strcmp(hex, want) != 0);
    /* doubles: whole numbers get ".0", tiny ones keep %g's exponent */
    ASSERT_EQ(wf_config_set(cfg, "compensation.cola_rate", "1", &err), WF_OK);
    ASSERT_EQ(wf_config_set(cfg, "compensation.merit_probability", "0.0000001", &err), WF_OK);
    json = wf_config_to_json(cfg);
    ASSERT_CONTAINS(json, "\"cola_rate\":1.0,\"merit_probability\":1e-07,");
    free(json);
    ASSERT_EQ(wf_config_set(cfg, "compensation.cola_rate", "-0.0", &err), WF_OK);
    json = wf_config_to_json(cfg);
    ASSERT_CONTAINS(json, "\"cola_rate\":0.0,");
    free(json);
    wf_config_free(cfg);
}

/* Issue 20: every override is applied first, the cross-key rules run once
 * on the final values, and a broken rule names the override that broke it. */
TEST(inputs_config_load_with_checks_final_values)
{
    wf_config *cfg = NULL;
    wf_error err = {0};
    const wf_config_override both[] = {
        {"simulation.start_year", "2030", "--start"},
        {"simulation.end_year", "2030", "--end"},
    };
    ASSERT_EQ(wf_config_load_with(NULL, both, 2, &cfg, &err), WF_OK);
    ASSERT_EQ(wf_config_start_year(cfg), 2030);
    ASSERT_EQ(wf_config_end_year(cfg), 2030);
    wf_config_free(cfg);

    /* a file with end_year 2020, overridden to 2019..2020 */
    char path[4200];
    /* (alone it is refused: start_year defaults to 2025) */
    ASSERT_EQ(load_yaml("simulation:\n  end_year: 2020\n", &cfg, &err, path), WF_EINPUT);
    memset(&err, 0, sizeof err);
    const wf_config_override earlier[] = {
        {"simulation.start_year", "2019", "--start"},
        {"simulation.end_year", "2020", "--end"},
    };
    ASSERT_EQ(wf_config_load_with(path, earlier, 2, &cfg, &err), WF_OK);
    ASSERT_EQ(wf_config_start_year(cfg), 2019);
    wf_config_free(cfg);

    /* --start past the file's end_year: named as the option's key, the
     * message says where each value came from */
    const wf_config_override late[] = {{"simulation.start_year", "2021", "--start"}};
    ASSERT_EQ(wf_config_load_with(path, late, 1, &cfg, &err), WF_EINPUT);
    ASSERT_TRUE(cfg == NULL);
    ASSERT_STREQ(err.key, "simulation.start_year");
    ASSERT_STREQ(err.file, "");
    ASSERT_CONTAINS(err.message, "end_year 2020 is before start_year 2021");
    ASSERT_CONTAINS(err.message, "start_year from --start");
    ASSERT_CONTAINS(err.message, "config.yaml line 2");
    remove_file(path);

    /* two overrides that disagree: the later one is named */
    memset(&err, 0, sizeof err);
    const wf_config_override crossed[] = {
        {"simulation.end_year", "2026", "--end"},
        {"simulation.start_year", "2027", "--start"},
    };
    ASSERT_EQ(wf_config_load_with(NULL, crossed, 2, &cfg, &err), WF_EINPUT);
    ASSERT_STREQ(err.key, "simulation.start_year");
    ASSERT_CONTAINS(err.message, "end_year from --end");
}

TEST(inputs_config_load_with_ids_are_text)
{
    static const char *const ids[] = {"123", "true", "null", "1e5", "0x1F", "NH_1", "a.b-c_d"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        wf_config *cfg = NULL;
        wf_error err = {0};
        const wf_config_override ov[] = {
            {"simulation.scenario_id", ids[i], "--scenario"},
            {"simulation.plan_design_id", ids[i], "--plan"},
        };
        ASSERT_EQ(wf_config_load_with(NULL, ov, 2, &cfg, &err), WF_OK);
        ASSERT_STREQ(cfg->scenario_id, ids[i]);
        ASSERT_STREQ(cfg->plan_design_id, ids[i]);
        wf_config_free(cfg);
    }
    static const char *const bad[] = {"\"q\"", "'q'", "", "a b", "x\n", "q # c"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wf_config *cfg = NULL;
        wf_error err = {0};
        const wf_config_override ov[] = {{"simulation.scenario_id", bad[i], "--scenario"}};
        ASSERT_EQ(wf_config_load_with(NULL, ov, 1, &cfg, &err), WF_EINPUT);
        ASSERT_STREQ(err.key, "simulation.scenario_id");
        ASSERT_CONTAINS(err.message, "is not a valid id");
        ASSERT_CONTAINS(err.message, "(given as --scenario)");
    }
}

TEST(inputs_config_load_with_seeds_are_digits)
{
    wf_config *cfg = NULL;
    wf_error err = {0};
    const wf_config_override big[] = {{"simulation.random_seed", "9223372036854775807", "--seed"}};
    ASSERT_EQ(wf_config_load_with(NULL, big, 1, &cfg, &err), WF_OK);
    ASSERT_EQ(cfg->random_seed, INT64_MAX);
    wf_config_free(cfg);
    static const char *const bad[] = {"0x1F", "1e5", "+5", " 5", "5 ", "-1", "", "5.0",
                                      "9223372036854775808"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        const wf_config_override ov[] = {{"simulation.random_seed", bad[i], "--seed"}};
        ASSERT_EQ(wf_config_load_with(NULL, ov, 1, &cfg, &err), WF_EINPUT);
        ASSERT_STREQ(err.key, "simulation.random_seed");
        ASSERT_CONTAINS(err.message, "(given as --seed)");
    }
}

/* The bound that makes promotion overflow certain for every salary. */
TEST(inputs_config_promotion_raise_bound)
{
    wf_config *cfg = NULL;
    wf_error err = {0};
    char path[4200];
    ASSERT_EQ(load_yaml("compensation:\n  promotion_raise_mean: 9007199254740990\n",
                        &cfg, &err, path), WF_OK);
    wf_config_free(cfg);
    ASSERT_EQ(load_yaml("compensation:\n  promotion_raise_mean: 9007199254740992\n"
                        "  promotion_raise_spread: 1\n", &cfg, &err, path), WF_EINPUT);
    ASSERT_STREQ(err.key, "compensation.promotion_raise_mean");
    ASSERT_CONTAINS(err.message, "at most 9007199254740990");
    memset(&err, 0, sizeof err);
    ASSERT_EQ(load_yaml("compensation:\n  promotion_raise_mean: 1e30\n", &cfg, &err, path),
              WF_EINPUT);
    ASSERT_EQ(err.line, 2);
    memset(&err, 0, sizeof err);
    /* a spread that keeps small raises possible is accepted */
    ASSERT_EQ(load_yaml("compensation:\n  promotion_raise_mean: 1e30\n"
                        "  promotion_raise_spread: 1e30\n", &cfg, &err, path), WF_OK);
    wf_config_free(cfg);
    remove_file(path);
}
