/*
 * test_inputs_tables.c - the parameter tables (docs/model.md 2.3 and the
 * "Tables" and "Smaller points" of docs/model.md 6). Each case copies the
 * shipped tables into a fresh directory, replaces one file with a broken
 * version, and asserts WF_EINPUT naming that file, the line and column
 * (0 when the rule concerns a whole row or a missing one) and the rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "wf_test.h"

#include "wf_embedded.h"
#include "wf_model_int.h"

static void write_text(const char *dir, const char *name, const char *text, size_t len)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    fwrite(text, 1, len, f);
    fclose(f);
}

/* A directory holding the shipped tables, with `name` replaced by text. */
static const char *table_dir(const char *name, const char *text)
{
    const char *dir = wf_test_tmpdir();
    for (size_t i = 0; i < wf_default_tables_count; i++) {
        const wf_embedded_file *e = &wf_default_tables[i];
        if (name && strcmp(e->name, name) == 0)
            write_text(dir, e->name, text, strlen(text));
        else
            write_text(dir, e->name, (const char *)e->data, e->size);
    }
    return dir;
}

static void remove_dir(const char *dir)
{
    char path[4400];
    for (size_t i = 0; i < wf_default_tables_count; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, wf_default_tables[i].name);
        unlink(path);
    }
    rmdir(dir);
}

typedef struct bad_case {
    const char *file, *text;
    long line, column;
    const char *needle;
} bad_case;

#define LEVELS "level_id,name,min_compensation,max_compensation,termination_base," \
               "promotion_base,merit_rate,new_hire_percentile,new_hire_mix\n"
#define L1 "1,Staff,50000,85000,0.14,0.10,0.025,0.25,0.70\n"
#define L2 "2,Manager,70000,120000,0.11,0.07,0.028,0.30,0.20\n"
#define L3 "3,SrMgr,100000,165000,0.09,0.05,0.030,0.35,0.10\n"
#define AGE_HEAD "band_label,min_value,max_value\n"
#define HAZ_HEAD "hazard,dimension,band_label,multiplier\n"
#define HAZ_TERM_AGE "termination,age,<25,1.5\ntermination,age,25-34,1.2\n" \
    "termination,age,35-44,0.9\ntermination,age,45-54,0.8\ntermination,age,55-64,1.1\n" \
    "termination,age,65+,1.0\n"
#define HAZ_REST "termination,tenure,<2,1.8\ntermination,tenure,2-4,1.0\n" \
    "termination,tenure,5-9,0.7\ntermination,tenure,10-19,0.5\ntermination,tenure,20+,0.4\n" \
    "promotion,age,<25,1.6\npromotion,age,25-34,1.4\npromotion,age,35-44,1.1\n" \
    "promotion,age,45-54,0.7\npromotion,age,55-64,0.3\npromotion,age,65+,0.1\n" \
    "promotion,tenure,<2,0.5\npromotion,tenure,2-4,1.5\npromotion,tenure,5-9,1.8\n" \
    "promotion,tenure,10-19,0.8\npromotion,tenure,20+,0.2\n"
#define BEH_HEAD "age_segment,income_segment,voluntary_probability," \
    "conversion_probability,voluntary_deferral_rate,opt_out_probability\n"

static const bad_case bad_cases[] = {
    /* levels */
    {"levels.csv", LEVELS L1 L2 "4,SrMgr,100000,165000,0.09,0.05,0.030,0.35,0.10\n", 4, 0,
     "level_id 4: level ids must be 1..3 with none missing (3 is missing)"},
    {"levels.csv", LEVELS L1 L2 L2, 4, 0, "duplicate level_id 2 (also on line 3)"},
    {"levels.csv", LEVELS L1 "2,Manager,70000,70000,0.11,0.07,0.028,0.30,0.20\n", 3, 17,
     "max_compensation 70000 must be above min_compensation 70000"},
    {"levels.csv", LEVELS L1 "2,Manager,40000,120000,0.11,0.07,0.028,0.30,0.20\n", 3, 0,
     "level 2: min_compensation and max_compensation must both be above those of level 1"},
    {"levels.csv", LEVELS L1 "2,Manager,70000,85000,0.11,0.07,0.028,0.30,0.20\n", 3, 0,
     "must both be above"},
    {"levels.csv", LEVELS "1,Staff,50000,85000,0,0.10,0.025,0.25,0.70\n", 2, 21,
     "termination_base: '0' is not a number > 0"},
    {"levels.csv", LEVELS "1,Staff,50000,85000,1e-400,0.10,0.025,0.25,0.70\n", 2, 21,
     "termination_base: '1e-400' is not a number > 0"},
    {"levels.csv", LEVELS "1,Staff,50000,85000,0.14,-0.1,0.025,0.25,0.70\n", 2, 26,
     "promotion_base: '-0.1' is not a number >= 0"},
    {"levels.csv", LEVELS "1,Staff,50000,85000,0.14,0.1,-0.025,0.25,0.70\n", 2, 30,
     "merit_rate"},
    {"levels.csv", LEVELS "1,Staff,50000,85000,0.14,0.1,0.025,1.5,0.70\n", 2, 36,
     "new_hire_percentile: '1.5' is not a number in [0, 1]"},
    {"levels.csv", LEVELS "1,Staff,50000,85000,0.14,0.1,0.025,0.5,-0.1\n", 2, 40,
     "new_hire_mix: '-0.1' is not a number >= 0 (also once rounded to ppm)"},
    {"levels.csv", LEVELS "1,Staff,50000,85000,0.14,0.1,0.025,0.5,0.0000004\n", 2, 0,
     "the new_hire_mix weights sum to 0 ppm"},
    {"levels.csv", LEVELS "1,,50000,85000,0.14,0.1,0.025,0.5,1\n", 2, 3,
     "name: '' is not a label"},
    {"levels.csv", LEVELS "1.0,Staff,50000,85000,0.14,0.1,0.025,0.5,1\n", 2, 1,
     "level_id: '1.0' is not a whole number (plain digits)"},
    {"levels.csv", LEVELS "1,Staff,50000.5,85000,0.14,0.1,0.025,0.5,1\n", 2, 9,
     "min_compensation: '50000.5' is not a whole number"},
    {"levels.csv", LEVELS "1,Staff,50000,90071992547410,0.14,0.1,0.025,0.5,1\n", 2, 15,
     "max_compensation"},
    {"levels.csv", LEVELS, 0, 0, "no levels"},
    {"levels.csv", "level_id,name,min_compensation,max_compensation,termination_base,"
                   "promotion_base,merit_rate,new_hire_percentile\n" L1, 1, 0,
     "missing column 'new_hire_mix'"},
    {"levels.csv", "level_id,name,min_compensation,max_compensation,termination_base,"
                   "promotion_base,merit_rate,new_hire_percentile,new_hire_mix,NAME\n"
                   "1,Staff,50000,85000,0.14,0.10,0.025,0.25,0.70,x\n", 1, 125,
     "column 'name' appears twice"},
    /* bands */
    {"age_bands.csv", AGE_HEAD "<25,0,25\n25-34,26,35\n35+,35,999\n", 3, 0,
     "'25-34' starts at 26 but leaves a gap after the previous one"},
    {"age_bands.csv", AGE_HEAD "<25,0,25\n25-34,24,35\n35+,35,999\n", 3, 0,
     "overlaps the previous one"},
    {"age_bands.csv", AGE_HEAD "<25,1,25\n25+,25,999\n", 2, 0, "the first must start at 0"},
    {"age_bands.csv", AGE_HEAD "<25,0,25\n25+,25,998\n", 3, 0,
     "the last band_label '25+' ends at 998; expected 999"},
    {"age_bands.csv", AGE_HEAD "<25,0,25\n<25,25,999\n", 3, 1, "duplicate band_label '<25'"},
    {"age_bands.csv", AGE_HEAD "<25,0,25\nx,25,25\ny,25,999\n", 3, 6,
     "max_value 25 must be above min_value 25"},
    {"age_bands.csv", AGE_HEAD " ,0,999\n", 2, 1, "band_label: '' is not a label"},
    {"age_bands.csv", AGE_HEAD "all,0,1000\n", 2, 7, "a whole number (plain digits) in 0..999"},
    {"tenure_bands.csv", AGE_HEAD "<2,0,2\n2+,3,999\n", 3, 0, "gap"},
    {"tenure_bands.csv", AGE_HEAD, 0, 0, "no rows"},
    {"age_segments.csv", "age_segment,min_age,max_age\nyoung,0,30\nold,30,99\n", 3, 0,
     "ends at 99; expected 999"},
    {"income_segments.csv", "income_segment,min_salary,max_salary\nlow,0,50000\n"
                            "high,60000,100000\n", 3, 0, "gap"},
    {"income_segments.csv", "income_segment,min_salary,max_salary\nlow,100,50000\n", 2, 0,
     "the first must start at 0"},
    /* hazard multipliers */
    {"hazard_multipliers.csv", HAZ_HEAD HAZ_REST, 0, 0,
     "missing row (termination, age, <25): every band needs a multiplier (the band is on "
     "line 2 of age_bands.csv)"},
    {"hazard_multipliers.csv", HAZ_HEAD HAZ_TERM_AGE "termination,age,<25,1.5\n" HAZ_REST, 8,
     0, "duplicate row for (termination, age, <25); first on line 2"},
    {"hazard_multipliers.csv", HAZ_HEAD "termination,age,<26,1.5\n", 2, 17,
     "band_label: '<26' is not a band_label of age_bands.csv"},
    {"hazard_multipliers.csv", HAZ_HEAD "retention,age,<25,1.5\n", 2, 1,
     "hazard: 'retention' is not termination or promotion"},
    {"hazard_multipliers.csv", HAZ_HEAD "termination,Age,<25,1.5\n", 2, 13,
     "dimension: 'Age' is not age or tenure"},
    {"hazard_multipliers.csv", HAZ_HEAD "termination,age,<25,0\n", 2, 21,
     "multiplier: '0' is not a number > 0"},
    {"hazard_multipliers.csv", HAZ_HEAD "termination,age,<25,1e-400\n", 2, 21,
     "multiplier: '1e-400' is not a number > 0"},
    {"hazard_multipliers.csv", HAZ_HEAD "termination,age,<25,1e400\n", 2, 21, "multiplier"},
    /* new-hire ages */
    {"new_hire_ages.csv", "age,weight\n13,1\n", 2, 1, "age: '13' is not a whole number "
                                                      "(plain digits) in 14..100"},
    {"new_hire_ages.csv", "age,weight\n101,1\n", 2, 1, "14..100"},
    {"new_hire_ages.csv", "age,weight\n22,0.5\n30,0.5\n22,0.1\n", 4, 1,
     "duplicate age 22 (first on line 2)"},
    {"new_hire_ages.csv", "age,weight\n22,0\n30,0.0000004\n", 0, 0,
     "the weights sum to 0 ppm; expected 1..2147483648 ppm"},
    {"new_hire_ages.csv", "age,weight\n22,-0.1\n30,1\n", 2, 4, "weight: '-0.1' is not"},
    {"new_hire_ages.csv", "age,weight\n22,2000\n30,1000\n", 0, 0,
     "the weights sum to 3000000000 ppm"},
    {"new_hire_ages.csv", "age,weight\n22,3000\n", 2, 4, "weight: '3000' is not a number in"},
    {"new_hire_ages.csv", "age,weight\n", 0, 0, "no rows"},
    /* enrollment behaviour */
    {"enrollment_behaviour.csv", BEH_HEAD "young,low,0.21,0.02,0.02,0.21\n", 0, 0,
     "missing row for age_segment 'young' and income_segment 'moderate'"},
    {"enrollment_behaviour.csv", BEH_HEAD "young,low,0.21,0.02,0.02,0.21\n"
                                          "young,low,0.21,0.02,0.02,0.21\n", 3, 0,
     "duplicate row for (young, low); first on line 2"},
    {"enrollment_behaviour.csv", BEH_HEAD "youth,low,0.21,0.02,0.02,0.21\n", 2, 1,
     "age_segment: 'youth' is not an age_segment of age_segments.csv"},
    {"enrollment_behaviour.csv", BEH_HEAD "young,poor,0.21,0.02,0.02,0.21\n", 2, 7,
     "income_segment: 'poor' is not an income_segment"},
    {"enrollment_behaviour.csv", BEH_HEAD "young,low,1.01,0.02,0.02,0.21\n", 2, 11,
     "voluntary_probability: '1.01' is not a number in [0, 1]"},
    {"enrollment_behaviour.csv", BEH_HEAD "young,low,0.2,0.02,0,0.21\n", 2, 20,
     "voluntary_deferral_rate: '0' is not a number in (0, 1]"},
    {"enrollment_behaviour.csv", BEH_HEAD "young,low,0.2,0.02,0.00004,0.21\n", 2, 20,
     "(also once rounded to bp)"},
    {"enrollment_behaviour.csv", BEH_HEAD "young,low,0.2,0.02,0.02,-0.5\n", 2, 25,
     "opt_out_probability"},
    {"enrollment_behaviour.csv", BEH_HEAD "young,low,0.2,0.02,0.02,0.1,\n", 2, 29,
     "more fields than the header"},
};

TEST(inputs_tables_refusals)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case *c = &bad_cases[i];
        const char *dir = table_dir(c->file, c->text);
        char want_file[4400];
        snprintf(want_file, sizeof want_file, "%s/%s", dir, c->file);
        wf_tables *t = NULL;
        wf_error err = {0};
        wf_status st = wf_tables_load(dir, &t, &err);
        bool ok = st == WF_EINPUT && t == NULL && strcmp(err.file, want_file) == 0 &&
                  err.line == c->line && err.column == c->column &&
                  strstr(err.message, c->needle);
        if (!ok)
            wf_test_fail(__FILE__, __LINE__,
                         "case %zu (%s): want %ld:%ld \"%s\"; got status %d, %s %ld:%ld \"%s\"",
                         i, c->file, c->line, c->column, c->needle, (int)st, err.file,
                         err.line, err.column, err.message);
        remove_dir(dir);
        if (!ok)
            return;
    }
}

TEST(inputs_tables_directory_equals_builtin)
{
    const char *dir = table_dir(NULL, NULL);
    wf_tables *a = NULL, *b = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_tables_load(dir, &a, &err), WF_OK);
    ASSERT_EQ(wf_tables_load(NULL, &b, &err), WF_OK);
    remove_dir(dir);
    ASSERT_EQ(a->n_levels, b->n_levels);
    for (int i = 0; i < a->n_levels; i++) {
        const wf_level *x = &a->levels[i], *y = &b->levels[i];
        ASSERT_EQ(x->id, y->id);
        ASSERT_STREQ(x->name, y->name);
        ASSERT_EQ(x->min_cents, y->min_cents);
        ASSERT_EQ(x->max_cents, y->max_cents);
        ASSERT_DEQ(x->termination_base, y->termination_base);
        ASSERT_DEQ(x->promotion_base, y->promotion_base);
        ASSERT_DEQ(x->merit_rate, y->merit_rate);
        ASSERT_DEQ(x->new_hire_percentile, y->new_hire_percentile);
        ASSERT_EQ(x->new_hire_mix_ppm, y->new_hire_mix_ppm);
    }
    ASSERT_TRUE(memcmp(a->behaviour, b->behaviour,
                       (size_t)(a->n_age_segments * a->n_income_segments) *
                           sizeof *a->behaviour) == 0);
    ASSERT_EQ(a->hire_age_total_ppm, b->hire_age_total_ppm);
    wf_tables_free(a);
    wf_tables_free(b);
}

TEST(inputs_tables_order_case_unknown_columns)
{
    /* rows shuffled, header case and blanks changed, extra columns, CRLF */
    const char *dir = table_dir("levels.csv",
        "Notes,LEVEL_ID,Name,Min_Compensation,max_compensation,termination_base,"
        "promotion_base,merit_rate,new_hire_percentile,new_hire_mix,notes\r\n"
        "c,3,SrMgr,100000,165000,0.09,0.05,0.030,0.35,0.07,x\r\n"
        "a,1,Staff,50000,85000,0.14,0.10,0.025,0.25,0.70,y\r\n"
        "b,2,Staff,70000,120000,0.11,0.07,0.028,0.30,0.23,z\r\n");
    static const char bands[] = AGE_HEAD "65+,65,999\n<25,0,25\n25-34,25,35\n35-44,35,45\n"
                                         "45-54,45,55\n55-64,55,65\n";
    static const char ages[] = "weight,age\n1,50\n0,22\n3,30\n";
    write_text(dir, "age_bands.csv", bands, sizeof bands - 1);
    write_text(dir, "new_hire_ages.csv", ages, sizeof ages - 1);
    wf_tables *t = NULL;
    wf_error err = {0};
    wf_status st = wf_tables_load(dir, &t, &err);
    remove_dir(dir);
    ASSERT_STREQ(err.message, "");
    ASSERT_EQ(st, WF_OK);
    ASSERT_EQ(t->n_levels, 3);
    ASSERT_EQ(t->levels[2].id, 3);
    ASSERT_STREQ(t->levels[1].name, "Staff");          /* names need not be unique */
    ASSERT_EQ(t->levels[1].new_hire_mix_ppm, 230000);
    ASSERT_STREQ(t->age_bands[0].label, "<25");
    ASSERT_STREQ(t->age_bands[5].label, "65+");
    ASSERT_DEQ(t->term_age_mult[5], 1.0);                /* follows its band */
    ASSERT_DEQ(t->term_age_mult[0], 1.5);
    ASSERT_EQ(t->n_hire_ages, 3);
    ASSERT_EQ(t->hire_ages[0], 22);
    ASSERT_EQ(t->hire_age_cum_ppm[0], 0);
    ASSERT_EQ(t->hire_ages[1], 30);
    ASSERT_EQ(t->hire_age_cum_ppm[1], 3000000);
    ASSERT_EQ(t->hire_age_total_ppm, 4000000);
    wf_tables_free(t);
}

TEST(inputs_tables_missing_file)
{
    const char *dir = table_dir(NULL, NULL);
    char path[4400];
    snprintf(path, sizeof path, "%s/income_segments.csv", dir);
    unlink(path);
    wf_tables *t = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_tables_load(dir, &t, &err), WF_EIO);
    ASSERT_STREQ(err.file, path);
    remove_dir(dir);
}

/* Every bad row of a table at once: both bad rows of levels.csv are
 * listed, in file order, with the total; err is the first; the rules over
 * the whole table (ids 1..n) are not checked while rows are bad. */
TEST(inputs_tables_list_every_bad_row)
{
    const char *dir = table_dir("levels.csv", LEVELS
                                "1,Staff,50000,85000,0.14,-0.10,0.025,0.25,0.70\n" L2
                                "3,SrMgr,100000,165000,0.09,0.05,0.030,1.35,0.10\n");
    char *listing = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&listing, &len);
    wf_tables *tab = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_tables_load_report(dir, f, &tab, &err), WF_EINPUT);
    fclose(f);
    ASSERT_EQ(err.line, 2);
    ASSERT_EQ(err.column, 26);
    ASSERT_CONTAINS(err.message, "promotion_base");
    ASSERT_CONTAINS(listing, "levels.csv:2:26: promotion_base: '-0.10'");
    ASSERT_CONTAINS(listing, "levels.csv:4:");
    ASSERT_CONTAINS(listing, "new_hire_percentile: '1.35'");
    ASSERT_CONTAINS(listing, "\n2 rows with errors in all\n");
    ASSERT_TRUE(strstr(listing, "levels.csv:2:") < strstr(listing, "levels.csv:4:"));
    free(listing);
    remove_dir(dir);
}
