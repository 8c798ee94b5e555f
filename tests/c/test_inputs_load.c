/*
 * test_inputs_load.c - the loaders on well-formed input: the shipped
 * defaults (configuration and tables equal docs/model.md 2.2 and 2.3), the
 * golden census and alt configuration, and the canonical JSON of
 * docs/config.md.
 */
#include <stdio.h>
#include <stdlib.h>

#include "wf_test.h"

#include "wf_date.h"
#include "wf_model_int.h"

TEST(inputs_config_defaults_equal_model)
{
    wf_error err = {0};
    wf_config *c = NULL;
    ASSERT_EQ(wf_config_load(NULL, &c, &err), WF_OK);
    ASSERT_EQ(c->start_year, 2025);
    ASSERT_EQ(c->end_year, 2029);
    ASSERT_EQ(c->random_seed, 12345);
    ASSERT_STREQ(c->scenario_id, "default");
    ASSERT_STREQ(c->plan_design_id, "default");
    ASSERT_EQ(c->target_growth_ppm, 30000);
    ASSERT_EQ(c->termination_ppm, 120000);
    ASSERT_EQ(c->new_hire_termination_ppm, 250000);
    ASSERT_EQ(c->retirement_age, 65);
    ASSERT_DEQ(c->retirement_probability, 0.30);
    ASSERT_DEQ(c->cola_rate, 0.01);
    ASSERT_DEQ(c->merit_probability, 0.90);
    ASSERT_DEQ(c->salary_structure_growth, 0.02);
    ASSERT_DEQ(c->promotion_raise_mean, 0.10);
    ASSERT_DEQ(c->promotion_raise_spread, 0.04);
    ASSERT_DEQ(c->new_hire_salary_spread, 0.10);
    ASSERT_EQ(c->promotion_date.month, 2);
    ASSERT_EQ(c->promotion_date.day, 1);
    ASSERT_EQ(c->merit_date.month, 4);
    ASSERT_EQ(c->merit_date.day, 1);
    ASSERT_EQ(c->minimum_age, 21);
    ASSERT_EQ(c->waiting_period_days, 0);
    ASSERT_TRUE(c->ae_enabled);
    ASSERT_TRUE(!c->ae_cutoff_set);
    ASSERT_EQ(wf_config_ae_cutoff(c), wf_date_from_ymd(2025, 1, 1));
    ASSERT_EQ(c->ae_default_deferral_bp, 600);
    ASSERT_EQ(c->ae_window_days, 45);
    ASSERT_EQ(c->ae_opt_out_grace_days, 30);
    ASSERT_TRUE(c->ve_enabled);
    ASSERT_EQ(c->ve_enrollment_date.month, 1);
    ASSERT_EQ(c->ve_enrollment_date.day, 15);
    ASSERT_TRUE(c->esc_enabled);
    ASSERT_EQ(c->esc_scope, WF_ESC_AUTO_ENROLLED);
    ASSERT_EQ(c->esc_increment_bp, 100);
    ASSERT_EQ(c->esc_cap_bp, 1000);
    ASSERT_EQ(c->esc_delay_years, 1);
    ASSERT_EQ(c->esc_effective_date.month, 1);
    ASSERT_EQ(c->esc_effective_date.day, 1);
    ASSERT_EQ(wf_config_start_year(c), 2025);
    ASSERT_EQ(wf_config_end_year(c), 2029);
    ASSERT_EQ(wf_config_mode(c), 0);
    ASSERT_EQ(wf_config_threads(c), 0);
    wf_config_free(c);
}

TEST(inputs_config_golden_alt)
{
    wf_error err = {0};
    wf_config *c = NULL;
    ASSERT_EQ(wf_config_load(wf_test_vector("golden/alt_config.yaml"), &c, &err),
              WF_OK);
    ASSERT_EQ(c->start_year, 2025);
    ASSERT_EQ(c->end_year, 2027);
    ASSERT_EQ(c->random_seed, 31337);
    ASSERT_STREQ(c->scenario_id, "golden-alt");
    ASSERT_STREQ(c->plan_design_id, "plan.A");
    ASSERT_EQ(c->target_growth_ppm, 50000);
    ASSERT_EQ(c->termination_ppm, 150000);
    ASSERT_EQ(c->new_hire_termination_ppm, 200000);
    ASSERT_EQ(c->retirement_age, 60);
    ASSERT_DEQ(c->retirement_probability, 0.5);
    ASSERT_DEQ(c->cola_rate, 0.02);
    ASSERT_DEQ(c->merit_probability, 0.6);
    ASSERT_DEQ(c->salary_structure_growth, 0.03);
    ASSERT_DEQ(c->promotion_raise_mean, 0.12);
    ASSERT_DEQ(c->promotion_raise_spread, 0.02);
    ASSERT_DEQ(c->new_hire_salary_spread, 0.05);
    ASSERT_EQ(c->promotion_date.month, 1);
    ASSERT_EQ(c->promotion_date.day, 1);
    ASSERT_EQ(c->merit_date.month, 10);
    ASSERT_EQ(c->merit_date.day, 1);
    ASSERT_EQ(c->minimum_age, 21);
    ASSERT_EQ(c->waiting_period_days, 30);
    ASSERT_TRUE(c->ae_enabled);
    ASSERT_TRUE(c->ae_cutoff_set);
    ASSERT_EQ(wf_config_ae_cutoff(c), wf_date_from_ymd(2024, 1, 1));
    ASSERT_EQ(c->ae_default_deferral_bp, 300);
    ASSERT_EQ(c->ae_window_days, 60);
    ASSERT_EQ(c->ae_opt_out_grace_days, 45);
    ASSERT_TRUE(c->ve_enabled);
    ASSERT_EQ(c->ve_enrollment_date.month, 2);
    ASSERT_EQ(c->ve_enrollment_date.day, 15);
    ASSERT_TRUE(c->esc_enabled);
    ASSERT_EQ(c->esc_scope, WF_ESC_ALL_ENROLLED);
    ASSERT_EQ(c->esc_increment_bp, 200);
    ASSERT_EQ(c->esc_cap_bp, 1500);
    ASSERT_EQ(c->esc_delay_years, 1);
    ASSERT_EQ(c->esc_effective_date.month, 4);
    ASSERT_EQ(c->esc_effective_date.day, 1);
    wf_config_free(c);
}

TEST(inputs_config_canonical_json_of_defaults)
{
    static const char expected[] =
        "{\"simulation\":{\"start_year\":2025,\"end_year\":2029,\"random_seed\":12345,"
        "\"scenario_id\":\"default\",\"plan_design_id\":\"default\"},"
        "\"workforce\":{\"target_growth_rate_ppm\":30000,\"termination_rate_ppm\":120000,"
        "\"new_hire_termination_rate_ppm\":250000,\"retirement_age\":65,"
        "\"retirement_probability\":0.3},"
        "\"compensation\":{\"cola_rate\":0.01,\"merit_probability\":0.9,"
        "\"salary_structure_growth\":0.02,\"promotion_raise_mean\":0.1,"
        "\"promotion_raise_spread\":0.04,\"new_hire_salary_spread\":0.1,"
        "\"promotion_date\":\"02-01\",\"merit_date\":\"04-01\"},"
        "\"eligibility\":{\"minimum_age\":21,\"waiting_period_days\":0},"
        "\"auto_enrollment\":{\"enabled\":true,\"hire_date_cutoff\":\"2025-01-01\","
        "\"default_deferral_rate_bp\":600,\"window_days\":45,\"opt_out_grace_days\":30},"
        "\"voluntary_enrollment\":{\"enabled\":true,\"enrollment_date\":\"01-15\"},"
        "\"auto_escalation\":{\"enabled\":true,\"scope\":\"auto_enrolled\","
        "\"increment_bp\":100,\"cap_bp\":1000,\"delay_years\":1,"
        "\"effective_date\":\"01-01\"}}";
    wf_error err = {0};
    wf_config *c = NULL;
    ASSERT_EQ(wf_config_load(NULL, &c, &err), WF_OK);
    char *json = wf_config_to_json(c);
    ASSERT_STREQ(json, expected);
    free(json);
    char hex[65];
    wf_config_digest(c, hex);
    ASSERT_EQ(strlen(hex), 64);
    wf_config_free(c);
}

TEST(inputs_tables_defaults_equal_model)
{
    wf_error err = {0};
    wf_tables *t = NULL;
    ASSERT_EQ(wf_tables_load(NULL, &t, &err), WF_OK);
    ASSERT_EQ(t->n_levels, 5);
    ASSERT_EQ(t->levels[0].id, 1);
    ASSERT_STREQ(t->levels[0].name, "Staff");
    ASSERT_EQ(t->levels[0].min_cents, 5000000);
    ASSERT_EQ(t->levels[0].max_cents, 8500000);
    ASSERT_DEQ(t->levels[0].termination_base, 0.14);
    ASSERT_DEQ(t->levels[3].new_hire_percentile, 0.40);
    ASSERT_EQ(t->levels[3].new_hire_mix_ppm, 25000);
    ASSERT_EQ(t->levels[4].new_hire_mix_ppm, 5000);
    ASSERT_EQ(t->levels[4].max_cents, 50000000);
    ASSERT_DEQ(t->levels[4].promotion_base, 0.0);
    ASSERT_EQ(t->n_age_bands, 6);
    ASSERT_STREQ(t->age_bands[0].label, "<25");
    ASSERT_EQ(t->age_bands[5].min, 65);
    ASSERT_EQ(t->age_bands[5].max, 999);
    ASSERT_EQ(t->n_tenure_bands, 5);
    ASSERT_STREQ(t->tenure_bands[4].label, "20+");
    ASSERT_DEQ(t->term_age_mult[0], 1.5);
    ASSERT_DEQ(t->promo_age_mult[5], 0.1);
    ASSERT_DEQ(t->term_tenure_mult[0], 1.8);
    ASSERT_DEQ(t->promo_tenure_mult[2], 1.8);
    ASSERT_EQ(t->n_hire_ages, 8);
    ASSERT_EQ(t->hire_ages[0], 22);
    ASSERT_EQ(t->hire_age_cum_ppm[0], 50000);
    ASSERT_EQ(t->hire_age_cum_ppm[1], 200000);
    ASSERT_EQ(t->hire_age_total_ppm, 1000000);
    ASSERT_EQ(t->n_age_segments, 4);
    ASSERT_EQ(t->n_income_segments, 4);
    ASSERT_EQ(t->income_segments[3].max, 1000000000);
    const wf_behaviour *b = &t->behaviour[3 * 4 + 3];   /* senior, executive */
    ASSERT_DEQ(b->voluntary, 1.0);
    ASSERT_DEQ(b->conversion, 0.10);
    ASSERT_EQ(b->deferral_bp, 1200);
    ASSERT_DEQ(b->opt_out, 0.02);
    b = &t->behaviour[0];                               /* young, low */
    ASSERT_DEQ(b->voluntary, 0.21);
    ASSERT_EQ(b->deferral_bp, 200);
    ASSERT_EQ(wf_band_index(t->age_bands, t->n_age_bands, 24), 0);
    ASSERT_EQ(wf_band_index(t->age_bands, t->n_age_bands, 25), 1);
    ASSERT_EQ(wf_band_index(t->age_bands, t->n_age_bands, 64), 4);
    ASSERT_EQ(wf_band_index(t->age_bands, t->n_age_bands, 65), 5);
    ASSERT_EQ(wf_band_index(t->age_bands, t->n_age_bands, 5000), 5);
    ASSERT_EQ(wf_band_index(t->age_bands, t->n_age_bands, -3), 0);
    wf_tables_free(t);
}

TEST(inputs_census_golden)
{
    wf_error err = {0};
    wf_config *c = NULL;
    wf_tables *t = NULL;
    wf_census *cen = NULL;
    ASSERT_EQ(wf_config_load(NULL, &c, &err), WF_OK);
    ASSERT_EQ(wf_tables_load(NULL, &t, &err), WF_OK);
    wf_status st = wf_census_load(wf_test_vector("golden/census.csv"), c, t, &cen,
                                  &err);
    char msg[2048];
    wf_error_format(&err, msg, sizeof msg);
    ASSERT_STREQ(msg, "");
    ASSERT_EQ(st, WF_OK);
    ASSERT_EQ(wf_census_count(cen), 60);
    /* EMP_000001,1967-09-02,2016-03-25,130682.72,3,0,false */
    ASSERT_STREQ(cen->emp[0].id, "EMP_000001");
    ASSERT_EQ(cen->emp[0].birth_day, wf_date_from_ymd(1967, 9, 2));
    ASSERT_EQ(cen->emp[0].hire_day, wf_date_from_ymd(2016, 3, 25));
    ASSERT_EQ(cen->emp[0].salary_cents, 13068272);
    ASSERT_EQ(cen->emp[0].level, 3);
    ASSERT_EQ(cen->emp[0].deferral_bp, 0);
    ASSERT_TRUE(!cen->emp[0].esc_opt_out);
    /* EMP_000002,...,406831.88,5,0.0851,false */
    ASSERT_STREQ(cen->emp[1].id, "EMP_000002");
    ASSERT_EQ(cen->emp[1].salary_cents, 40683188);
    ASSERT_EQ(cen->emp[1].deferral_bp, 851);
    ASSERT_STREQ(cen->emp[59].id, "EMP_000060");
    wf_census_free(cen);
    wf_tables_free(t);
    wf_config_free(c);
}
