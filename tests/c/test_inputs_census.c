/*
 * test_inputs_census.c - the census loader (docs/model.md 2.1 and 6) and the
 * synthetic census generator. Each rule gets a malformed file written into
 * a fresh temporary directory, and the test asserts WF_EINPUT with the
 * exact line and column (characters, 1-based) and a phrase of the message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "wf_test.h"

#include "wf_date.h"
#include "wf_decimal.h"
#include "wf_model_int.h"

#define H "employee_id,birth_date,hire_date,salary\n"

typedef struct loaded {
    wf_status st;
    wf_error err;
    wf_census *cen;
    char path[4200];
    char *report;              /* strict mode's list of row errors */
    size_t report_len;
} loaded;

/* Writes text into a fresh directory and loads it with the configuration
 * yaml (NULL: defaults). */
static void load_text_cfg(const char *text, const char *yaml, loaded *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->path, sizeof out->path, "%s/census.csv", wf_test_tmpdir());
    FILE *f = fopen(out->path, "wb");
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    char cfg_path[4300];
    snprintf(cfg_path, sizeof cfg_path, "%s.yaml", out->path);
    if (yaml) {
        f = fopen(cfg_path, "wb");
        fputs(yaml, f);
        fclose(f);
    }
    wf_config *cfg = NULL;
    wf_tables *tab = NULL;
    wf_error e = {0};
    if (wf_config_load(yaml ? cfg_path : NULL, &cfg, &e) != WF_OK ||
        wf_tables_load(NULL, &tab, &e) != WF_OK)
        abort();
    unlink(cfg_path);
    FILE *rep = open_memstream(&out->report, &out->report_len);
    out->st = wf_census_load_report(out->path, cfg, tab, rep, &out->cen, &out->err);
    fclose(rep);
    wf_tables_free(tab);
    wf_config_free(cfg);
}

/* The message strict mode reported for the row error at `line`, or "". */
static const char *row_error(const loaded *l, long line)
{
    char at[64];
    snprintf(at, sizeof at, "census.csv:%ld:", line);
    const char *p = strstr(l->report, at);
    return p ? p + strlen(at) : "";
}

/* Writes text into a fresh directory and loads it with defaults. */
static void load_text(const char *text, loaded *out)
{
    load_text_cfg(text, NULL, out);
}

static void done(loaded *l)
{
    wf_census_free(l->cen);
    free(l->report);
    unlink(l->path);
    char *slash = strrchr(l->path, '/');
    *slash = '\0';
    rmdir(l->path);
}

typedef struct bad_case {
    const char *text;
    long line, column;
    const char *needle;
} bad_case;

static const bad_case bad_cases[] = {
    /* employee_id */
    {H ",1980-01-01,2010-01-01,50000\n", 2, 1, "employee_id: '' is not 1-64"},
    {H "E 1,1980-01-01,2010-01-01,50000\n", 2, 1, "outside A-Z a-z 0-9 _ . -"},
    {H "E\xC3\xA9,1980-01-01,2010-01-01,50000\n", 2, 1, "outside A-Z"},
    {H "A234567890123456789012345678901234567890123456789012345678901234X,"
       "1980-01-01,2010-01-01,50000\n", 2, 1, "1-64 characters"},
    {H "NH_1,1980-01-01,2010-01-01,50000\n", 2, 1, "reserved for new hires"},
    {H "E1,1980-01-01,2010-01-01,50000\nE2,1980-01-01,2010-01-01,50000\n"
       "E1,1980-01-01,2010-01-01,50000\n", 2, 1, "duplicate 'E1' (again on line 4)"},
    /* dates */
    {H "E1,1980-02-30,2010-01-01,50000\n", 2, 4, "birth_date: '1980-02-30' is not a date"},
    {H "E1,1980-01-01,2010/01/01,50000\n", 2, 15, "hire_date: '2010/01/01' is not a date"},
    {H "E1,80-01-01,2010-01-01,50000\n", 2, 4, "not a date YYYY-MM-DD"},
    {H "E1,,2010-01-01,50000\n", 2, 4, "birth_date: '' is not a date"},
    {H "E1,2011-01-01,2025-01-01,50000\n", 2, 4, "age 13 at the census date; expected 14..100"},
    {H "E1,1923-12-31,1990-01-01,50000\n", 2, 4, "age 101 at the census date"},
    {H "E1,1980-01-01,2025-01-01,50000\n", 2, 15, "after the census date"},
    {H "E1,1980-06-01,1994-05-31,50000\n", 2, 15, "before the 14th birthday"},
    /* salary */
    {H "E1,1980-01-01,2010-01-01,0.004\n", 2, 26, "not above 0 once rounded to cents"},
    {H "E1,1980-01-01,2010-01-01,-5\n", 2, 26, "not above 0"},
    {H "E1,1980-01-01,2010-01-01,\"1,000\"\n", 2, 26, "not a decimal number"},
    {H "E1,1980-01-01,2010-01-01,$5\n", 2, 26, "not a decimal number"},
    {H "E1,1980-01-01,2010-01-01,inf\n", 2, 26, "not a decimal number"},
    {H "E1,1980-01-01,2010-01-01,nan\n", 2, 26, "not a decimal number"},
    {H "E1,1980-01-01,2010-01-01,\n", 2, 26, "not a decimal number"},
    {H "E1,1980-01-01,2010-01-01,90071992547409.92\n", 2, 26, "at most 2^53-1 cents"},
    {H "E1,1980-01-01,2010-01-01,1e400\n", 2, 26, "at most 2^53-1 cents"},
    /* optional columns */
    {"employee_id,birth_date,hire_date,salary,level_id\n"
     "E1,1980-01-01,2010-01-01,50000,6\n", 2, 32, "level_id: '6' is not a level of the level table (1..5)"},
    {"employee_id,birth_date,hire_date,salary,level_id\n"
     "E1,1980-01-01,2010-01-01,50000,0\n", 2, 32, "not a level"},
    {"employee_id,birth_date,hire_date,salary,level_id\n"
     "E1,1980-01-01,2010-01-01,50000,2.0\n", 2, 32, "not a level"},
    {"employee_id,birth_date,hire_date,salary,deferral_rate\n"
     "E1,1980-01-01,2010-01-01,50000,1.0001\n", 2, 32, "not a fraction in [0, 1]"},
    {"employee_id,birth_date,hire_date,salary,deferral_rate\n"
     "E1,1980-01-01,2010-01-01,50000,1.00000000000000000001\n", 2, 32, "in [0, 1]"},
    {"employee_id,birth_date,hire_date,salary,deferral_rate\n"
     "E1,1980-01-01,2010-01-01,50000,-0.01\n", 2, 32, "in [0, 1]"},
    {"employee_id,birth_date,hire_date,salary,deferral_rate\n"
     "E1,1980-01-01,2010-01-01,50000,6%\n", 2, 32, "in [0, 1]"},
    {"employee_id,birth_date,hire_date,salary,auto_escalation_opt_out\n"
     "E1,1980-01-01,2010-01-01,50000,maybe\n", 2, 32, "not a boolean"},
    {"employee_id,birth_date,hire_date,salary,auto_escalation_opt_out\n"
     "E1,1980-01-01,2010-01-01,50000,2\n", 2, 32, "not a boolean"},
    {"employee_id,active,birth_date,hire_date,salary\n"
     "E1,oui,1980-01-01,2010-01-01,50000\n", 2, 4, "active: 'oui' is not a boolean"},
    /* skipped rows: only the id is checked */
    {"employee_id,birth_date,hire_date,salary,termination_date\n"
     "E 1,x,y,z,2020-01-01\nE2,1980-01-01,2010-01-01,50000,\n", 2, 1, "employee_id"},
    {"employee_id,birth_date,hire_date,salary,termination_date\n"
     "E1,x,y,z,2020-01-01\nE1,1980-01-01,2010-01-01,50000,\n", 2, 1,
     "duplicate 'E1' (again on line 3)"},
    /* header */
    {"employee_id,birth_date,hire_date\nE1,1980-01-01,2010-01-01\n", 1, 0,
     "missing required column 'salary' (or its alias 'employee_gross_compensation')"},
    {"employee_id,birth_date,hire_date,salary,EMPLOYEE_GROSS_COMPENSATION\n"
     "E1,1980-01-01,2010-01-01,50000,50000\n", 1, 41, "both 'salary' and its alias"},
    {"employee_id,birth_date,hire_date,salary,Birth_Date\n"
     "E1,1980-01-01,2010-01-01,50000,1980-01-01\n", 1, 41, "column 'Birth_Date' appears twice"},
    {"", 1, 0, "empty file"},
    /* no active employee */
    {H, 0, 0, "no active employee"},
    {"employee_id,birth_date,hire_date,salary,active\n"
     "E1,1980-01-01,2010-01-01,50000,false\nE2,1980-01-01,2010-01-01,50000,N\n", 0, 0,
     "no active employee"},
    /* CSV shape */
    {H "E1,1980-01-01,2010-01-01,50000,\n", 2, 32, "more fields than the header"},
    {H "E1,1980-01-01,2010-01-01\n", 2, 15, "3 fields, but the header has 4"},
};

TEST(inputs_census_refusals)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case *c = &bad_cases[i];
        loaded l;
        load_text(c->text, &l);
        bool ok = l.st == WF_EINPUT && strcmp(l.err.file, l.path) == 0 &&
                  l.err.line == c->line && l.err.column == c->column &&
                  strstr(l.err.message, c->needle);
        if (!ok)
            wf_test_fail(__FILE__, __LINE__,
                         "case %zu: want %ld:%ld \"%s\"; got status %d at %ld:%ld \"%s\"", i,
                         c->line, c->column, c->needle, (int)l.st, l.err.line, l.err.column,
                         l.err.message);
        done(&l);
        if (!ok)
            return;
    }
}

TEST(inputs_census_error_format)
{
    loaded l;
    load_text(H "E1,1980-01-01,2010/01/01,50000\n", &l);
    char msg[2048], want[4400];
    wf_error_format(&l.err, msg, sizeof msg);
    snprintf(want, sizeof want, "%s:2:15: hire_date: '2010/01/01' is not a date YYYY-MM-DD",
             l.path);
    done(&l);
    ASSERT_STREQ(msg, want);
}

TEST(inputs_census_columns_aliases_and_defaults)
{
    loaded l;
    load_text("\xEF\xBB\xBF" "Employee_ID , EMPLOYEE_BIRTH_DATE,employee_hire_date,"
              "employee_gross_compensation,notes,notes,employee_deferral_rate,"
              "employee_termination_date,ACTIVE,level_id,auto_escalation_opt_out\r\n"
              "\r\n"
              "a.b-c_1, 1980-01-01 ,2010-01-01,\"84999.99\",\"x, \"\"y\"\"\",,0.06,,T,,yes\r\n"
              "E2,1980-01-01,2010-01-01,85000,,,,,,,\r\n"
              "E3,1980-01-01,2010-01-01,600000,,,.00005,,,,N\r\n"
              "E4,1980-01-01,2010-01-01,50000.005,,,1,2020-01-01,true,9,bad\r\n"
              "E5,bad,bad,bad,,,bad,,0,bad,bad\r\n"
              "nh_6,1980-02-29,1994-03-01,50000,,,0.00004,,1,3,0\r\n", &l);
    ASSERT_EQ(l.st, WF_OK);
    ASSERT_EQ(wf_census_count(l.cen), 4);
    const wf_census_employee *e = l.cen->emp;
    ASSERT_STREQ(e[0].id, "a.b-c_1");
    ASSERT_EQ(e[0].birth_day, wf_date_from_ymd(1980, 1, 1));
    ASSERT_EQ(e[0].salary_cents, 8499999);
    ASSERT_EQ(e[0].level, 1);             /* derived: Staff max 85000 is above */
    ASSERT_EQ(e[0].deferral_bp, 600);
    ASSERT_TRUE(e[0].esc_opt_out);
    ASSERT_STREQ(e[1].id, "E2");
    ASSERT_EQ(e[1].level, 2);             /* 85000 is not below Staff's max */
    ASSERT_EQ(e[1].deferral_bp, 0);
    ASSERT_TRUE(!e[1].esc_opt_out);
    ASSERT_STREQ(e[2].id, "E3");
    ASSERT_EQ(e[2].level, 5);             /* above every maximum: the top level */
    ASSERT_EQ(e[2].deferral_bp, 1);       /* half a bp rounds away from zero */
    ASSERT_STREQ(e[3].id, "nh_6");        /* the NH_ prefix is case-sensitive */
    ASSERT_EQ(e[3].level, 3);
    ASSERT_EQ(e[3].deferral_bp, 0);
    ASSERT_EQ(e[3].hire_day, wf_date_from_ymd(1994, 3, 1));
    done(&l);
}

TEST(inputs_census_salary_rounding_and_limits)
{
    loaded l;
    load_text(H "E1,1980-01-01,2010-01-01,0.005\n"
                "E2,1980-01-01,2010-01-01,90071992547409.91\n"
                "E3,1980-01-01,2010-01-01,1.5e4\n"
                "E4,1980-01-01,2010-01-01,-0.0\n", &l);
    ASSERT_EQ(l.st, WF_EINPUT);             /* -0.0 is not above 0 */
    ASSERT_EQ(l.err.line, 5);
    done(&l);
    load_text(H "E1,1980-01-01,2010-01-01,0.005\n"
                "E2,1980-01-01,2010-01-01,90071992547409.91\n"
                "E3,1980-01-01,2010-01-01,1.5e4\n"
                "E4,1924-01-01,1944-01-01,+.125\n", &l);
    ASSERT_EQ(l.st, WF_OK);
    ASSERT_EQ(l.cen->emp[0].salary_cents, 1);
    ASSERT_EQ(l.cen->emp[1].salary_cents, 9007199254740991LL);
    ASSERT_EQ(l.cen->emp[2].salary_cents, 1500000);
    ASSERT_EQ(l.cen->emp[3].salary_cents, 13);
    done(&l);
}

TEST(inputs_census_date_follows_start_year)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/c.csv", wf_test_tmpdir());
    FILE *f = fopen(path, "wb");
    fputs(H "E1,1980-01-01,2025-06-30,50000\n", f);
    fclose(f);
    wf_config *cfg = NULL;
    wf_census *cen = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_config_load(NULL, &cfg, &err), WF_OK);
    ASSERT_EQ(wf_census_load(path, cfg, NULL, &cen, &err), WF_EINPUT);
    ASSERT_CONTAINS(err.message, "after the census date");
    memset(&err, 0, sizeof err);
    ASSERT_EQ(wf_config_set(cfg, "simulation.start_year", "2026", &err), WF_OK);
    ASSERT_EQ(wf_census_load(path, cfg, NULL, &cen, &err), WF_OK);
    ASSERT_EQ(wf_census_count(cen), 1);
    ASSERT_STREQ(cen->path, path);
    wf_census_free(cen);
    wf_config_free(cfg);
    unlink(path);
    *strrchr(path, '/') = '\0';
    rmdir(path);
}

TEST(inputs_census_missing_file)
{
    wf_census *cen = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_census_load("/nonexistent/census.csv", NULL, NULL, &cen, &err), WF_EIO);
    ASSERT_STREQ(err.file, "/nonexistent/census.csv");
}

/* ---- generator ------------------------------------------------------------------ */


TEST(inputs_census_generate_loads_and_is_deterministic)
{
    const char *dir = wf_test_tmpdir();
    char a[4200], b[4200], c[4200];
    snprintf(a, sizeof a, "%s/a.csv", dir);
    snprintf(b, sizeof b, "%s/b.csv", dir);
    snprintf(c, sizeof c, "%s/c.csv", dir);
    uint64_t seed = wf_test_seed(7);
    wf_test_note("seed %llu", (unsigned long long)seed);
    wf_error err = {0};
    wf_tables *tab = NULL;
    wf_config *cfg = NULL;
    ASSERT_EQ(wf_tables_load(NULL, &tab, &err), WF_OK);
    ASSERT_EQ(wf_config_load(NULL, &cfg, &err), WF_OK);
    ASSERT_EQ(wf_census_generate(a, 5000, seed, 2025, tab, &err), WF_OK);
    ASSERT_EQ(wf_census_generate(b, 5000, seed, 2025, tab, &err), WF_OK);
    ASSERT_EQ(wf_census_generate(c, 5000, seed + 1, 2025, tab, &err), WF_OK);
    size_t la, lb, lc;
    char *ta = wf_test_slurp(a, &la), *tb = wf_test_slurp(b, &lb), *tc = wf_test_slurp(c, &lc);
    ASSERT_TRUE(ta && tb && tc);
    bool same = la == lb && memcmp(ta, tb, la) == 0;
    bool differ = la != lc || memcmp(ta, tc, la) != 0;
    free(ta);
    free(tb);
    free(tc);
    ASSERT_TRUE(same);
    ASSERT_TRUE(differ);
    wf_census *cen = NULL;
    wf_status st = wf_census_load(a, cfg, tab, &cen, &err);
    ASSERT_STREQ(err.message, "");
    ASSERT_EQ(st, WF_OK);
    ASSERT_EQ(wf_census_count(cen), 5000);
    ASSERT_STREQ(cen->emp[0].id, "EMP_000001");
    ASSERT_STREQ(cen->emp[4999].id, "EMP_005000");
    /* roughly a pyramid, three quarters enrolled, salaries inside the bands */
    int per_level[6] = {0}, enrolled = 0, opt_out = 0;
    int32_t census_day = wf_date_from_ymd(2024, 12, 31);
    for (size_t i = 0; i < cen->n; i++) {
        const wf_census_employee *e = &cen->emp[i];
        const wf_level *lv = &tab->levels[e->level - 1];
        per_level[e->level]++;
        enrolled += e->deferral_bp > 0;
        opt_out += e->esc_opt_out;
        int age = wf_years_between(e->birth_day, census_day);
        ASSERT_TRUE(age >= 22 && age <= 64);
        ASSERT_TRUE(e->salary_cents >= lv->min_cents && e->salary_cents < lv->max_cents);
        ASSERT_TRUE(e->deferral_bp == 0 || (e->deferral_bp >= 100 && e->deferral_bp <= 1500));
    }
    ASSERT_TRUE(per_level[1] > per_level[2] && per_level[2] > per_level[3] &&
                per_level[3] > per_level[4] && per_level[4] > per_level[5]);
    ASSERT_TRUE(enrolled > 3500 && enrolled < 4000);
    ASSERT_TRUE(opt_out > 100 && opt_out < 400);
    wf_census_free(cen);
    /* a census generated for a later start year loads under that year */
    ASSERT_EQ(wf_census_generate(a, 3000, seed, 2031, tab, &err), WF_OK);
    ASSERT_EQ(wf_census_load(a, cfg, tab, &cen, &err), WF_EINPUT);  /* hires after 2024 */
    memset(&err, 0, sizeof err);
    ASSERT_EQ(wf_config_set(cfg, "simulation.end_year", "2035", &err), WF_OK);
    ASSERT_EQ(wf_config_set(cfg, "simulation.start_year", "2031", &err), WF_OK);
    ASSERT_EQ(wf_census_load(a, cfg, tab, &cen, &err), WF_OK);
    ASSERT_EQ(wf_census_count(cen), 3000);
    wf_census_free(cen);
    ASSERT_EQ(wf_census_generate(a, 0, seed, 2025, tab, &err), WF_EUSAGE);
    wf_tables_free(tab);
    wf_config_free(cfg);
    unlink(a);
    unlink(b);
    unlink(c);
    rmdir(dir);
}

TEST(inputs_census_duplicate_ids_any_order)
{
    /* ascending ids (no index needed), then descending (the hash index),
     * with a duplicate far from its first occurrence in each */
    size_t cap = 400000, n = 0;
    char *text = malloc(cap);
    for (int order = 0; order < 2; order++) {
        n = (size_t)snprintf(text, cap, H);
        for (int i = 0; i < 5000; i++) {
            int id = order == 0 ? i : 5000 - i;
            n += (size_t)snprintf(text + n, cap - n, "E%05d,1980-01-01,2010-01-01,50000\n", id);
        }
        loaded l;
        load_text(text, &l);
        ASSERT_EQ(l.st, WF_OK);
        ASSERT_EQ(wf_census_count(l.cen), 5000);
        done(&l);
        n += (size_t)snprintf(text + n, cap - n, "E00017,1980-01-01,2010-01-01,50000\n");
        load_text(text, &l);
        long first = order == 0 ? 2 + 17 : 2 + (5000 - 17);
        char want[80];
        snprintf(want, sizeof want, "duplicate 'E00017' (first on line %ld)", first);
        ASSERT_EQ(l.st, WF_EINPUT);
        ASSERT_EQ(l.err.line, first);     /* every row of the id, the first first */
        ASSERT_CONTAINS(l.err.message, "duplicate 'E00017' (again on line 5002)");
        ASSERT_CONTAINS(row_error(&l, 5002), want);
        done(&l);
    }
    free(text);
}

/* The fast paths of census.c (dates, salary, deferral_rate, level_id)
 * against the general parsers: every spelling below must load to what
 * wf_date_parse and wf_decimal give. */
TEST(inputs_census_fast_paths_agree_with_the_general_parsers)
{
    static const char *const births[] = {"1970-01-31", "1980-02-29", "1984-12-31",
                                          "1989-09-09", "1960-10-01", "1976-04-30"};
    static const char *const hires[] = {"2004-02-29", "2010-01-01", "2024-12-31",
                                        "2015-06-30", "2003-09-09"};
    static const char *const salaries[] = {
        "50000", "50000.", "50000.5", "50000.125", "50000.135", "50000.994", "50000.995",
        "050000.10", "1e5", "+50000", "12345678.999", "0.01", "0.005", "0.00999",
        "90071992547409.91", "999999999999.994999", "1.5E3", ".75", "12345678901234.565"};
    static const char *const deferrals[] = {
        "0", "0.", "0.0", "1", "1.0000", "1.000000000000e0", "0.06", "0.00005", "0.00004999",
        "0.99995", "00.5", ".25", "1e-2", "-0", "0.123456789", "000000001.000", "+0.5"};
    static const char *const levels[] = {"1", "2", "3", "4", "5", "01", "005", "0000000004"};
    size_t cap = 1 << 16, n = 0;
    char *text = malloc(cap);
    n += (size_t)snprintf(text, cap, "employee_id,birth_date,hire_date,salary,"
                                     "deferral_rate,level_id\n");
    enum { ROWS = 400 };
    for (int i = 0; i < ROWS; i++)
        n += (size_t)snprintf(text + n, cap - n, "E%04d,%s,%s,%s,%s,%s\n", i,
                              births[i % 6], hires[i % 5], salaries[i % 19],
                              deferrals[i % 17], levels[i % 8]);
    loaded l;
    load_text(text, &l);
    ASSERT_STREQ(l.err.message, "");
    ASSERT_EQ(l.st, WF_OK);
    ASSERT_EQ(wf_census_count(l.cen), ROWS);
    done(&l);
    /* birth dates 1925-01-01 to 2010-12-31, every 13th day: each day of
     * each month, leap days, century years */
    int32_t from = wf_date_from_ymd(1925, 1, 1), to = wf_date_from_ymd(2010, 12, 31);
    size_t dcap = (size_t)(to - from) / 13 * 48 + 4096, dn = 0;
    char *dates = malloc(dcap);
    dn += (size_t)snprintf(dates, dcap, "employee_id,birth_date,hire_date,salary\n");
    for (int32_t day = from; day <= to; day += 13) {
        char ds[11];
        wf_date_format(day, ds);
        dn += (size_t)snprintf(dates + dn, dcap - dn, "E%d,%s,2024-12-31,5e4\n", day - from, ds);
    }
    load_text(dates, &l);
    ASSERT_STREQ(l.err.message, "");
    for (size_t i = 0; i < wf_census_count(l.cen); i++)
        ASSERT_EQ(l.cen->emp[i].birth_day, from + 13 * (int32_t)i);
    ASSERT_EQ(wf_census_count(l.cen), (size_t)(to - from) / 13 + 1);
    free(dates);
    done(&l);
    load_text(text, &l);
    for (int i = 0; i < ROWS; i++) {
        const wf_census_employee *e = &l.cen->emp[i];
        int32_t birth, hire;
        int64_t cents, bp, level;
        wf_decimal d;
        ASSERT_TRUE(wf_date_parse(births[i % 6], 10, &birth));
        ASSERT_TRUE(wf_date_parse(hires[i % 5], 10, &hire));
        const char *s = salaries[i % 19];
        ASSERT_TRUE(wf_decimal_parse(s, strlen(s), &d) && wf_decimal_scaled(&d, 2, &cents));
        s = deferrals[i % 17];
        ASSERT_TRUE(wf_decimal_parse(s, strlen(s), &d) && wf_decimal_scaled(&d, 4, &bp));
        s = levels[i % 8];
        ASSERT_TRUE(wf_decimal_parse(s, strlen(s), &d) && wf_decimal_scaled(&d, 0, &level));
        ASSERT_EQ(e->birth_day, birth);
        ASSERT_EQ(e->hire_day, hire);
        ASSERT_EQ(e->salary_cents, cents);
        ASSERT_EQ(e->deferral_bp, bp);
        ASSERT_EQ(e->level, level);
    }
    done(&l);
    free(text);
}

/* Ids in ascending order, then out of order: a duplicate of an id of the
 * ascending prefix (found by binary search) and of one after it (found in
 * the hash set) are both refused with the line of the first one. */
TEST(inputs_census_duplicate_ids_after_an_ascending_prefix)
{
    static const struct {
        const char *tail;
        long line;                 /* of the error, 0 for none */
        const char *want;
    } cases[] = {
        {"E00005\n", 2002, "duplicate 'E00005' (first on line 7)"},
        {"E01999\n", 2002, "duplicate 'E01999' (first on line 2001)"},
        {"E00000\n", 2002, "duplicate 'E00000' (first on line 2)"},
        {"D1\nD0\nE02000\nD1\n", 2005, "duplicate 'D1' (first on line 2002)"},
        {"D1\nD0\nE00999\n", 2004, "duplicate 'E00999' (first on line 1001)"},
        {"D1\nD0\nE02000\nC5\nE01999x\n", 0, NULL},
        /* the row is read before its id is looked up: still the id's error */
        {"D1\nD0\nD1,bad\n", 2004, "duplicate 'D1' (first on line 2002)"},
        {"D1\nD0\nE00007,bad\n", 2004, "duplicate 'E00007' (first on line 9)"},
        {"E01999,bad\n", 2002, "duplicate 'E01999' (first on line 2001)"},
        {"D1\nD0\nD2,bad\n", 2004, "birth_date: 'bad' is not a date"},
    };
    size_t cap = 200000;
    char *text = malloc(cap);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t n = (size_t)snprintf(text, cap, "employee_id,birth_date,hire_date,salary\n");
        for (int i = 0; i < 2000; i++)
            n += (size_t)snprintf(text + n, cap - n, "E%05d,1980-01-01,2010-01-01,5e4\n", i);
        for (const char *t = cases[c].tail; *t;) {
            const char *nl = strchr(t, '\n'), *comma = memchr(t, ',', (size_t)(nl - t));
            if (comma)             /* an id with a bad birth date */
                n += (size_t)snprintf(text + n, cap - n, "%.*s,2010-01-01,5e4\n",
                                      (int)(nl - t), t);
            else
                n += (size_t)snprintf(text + n, cap - n, "%.*s,1980-01-01,2010-01-01,5e4\n",
                                      (int)(nl - t), t);
            t = nl + 1;
        }
        loaded l;
        load_text(text, &l);
        if (!cases[c].want) {
            ASSERT_EQ(l.st, WF_OK);
            ASSERT_EQ(wf_census_count(l.cen), 2005);
        } else {
            /* the row's own reason; the first row of a duplicated id is
             * refused too, so it comes first */
            ASSERT_EQ(l.st, WF_EINPUT);
            char at[32];
            snprintf(at, sizeof at, "%d: ", strstr(cases[c].want, "birth") ? 4 : 1);
            ASSERT_TRUE(strncmp(row_error(&l, cases[c].line), at, strlen(at)) == 0);
            ASSERT_CONTAINS(row_error(&l, cases[c].line), cases[c].want);
            if (strstr(cases[c].want, "duplicate"))
                ASSERT_CONTAINS(l.err.message, "(again on line");
        }
        done(&l);
    }
    free(text);
}

/* A census big enough for the arrays sized up front (4 MB and more): the
 * same rows with LF line ends (the CSV reader's fast path) and with CRLF
 * (its general path) load alike, and a duplicate at the very end is found. */
TEST(inputs_census_big_file_fast_and_general_paths_agree)
{
    const char *dir = wf_test_tmpdir();
    char lf[4200], crlf[4200];
    snprintf(lf, sizeof lf, "%s/lf.csv", dir);
    snprintf(crlf, sizeof crlf, "%s/crlf.csv", dir);
    wf_error err = {0};
    wf_tables *tab = NULL;
    ASSERT_EQ(wf_tables_load(NULL, &tab, &err), WF_OK);
    ASSERT_EQ(wf_census_generate(lf, 90000, wf_test_seed(11), 2025, tab, &err), WF_OK);
    size_t len;
    char *t = wf_test_slurp(lf, &len);
    ASSERT_TRUE(t && len > (4u << 20));
    FILE *f = fopen(crlf, "wb");
    for (size_t i = 0; i < len; i++) {
        if (t[i] == '\n')
            fputc('\r', f);
        fputc(t[i], f);
    }
    fclose(f);
    wf_census *a = NULL, *b = NULL;
    ASSERT_EQ(wf_census_load(lf, NULL, tab, &a, &err), WF_OK);
    ASSERT_EQ(wf_census_load(crlf, NULL, tab, &b, &err), WF_OK);
    ASSERT_EQ(a->n, 90000);
    ASSERT_EQ(b->n, a->n);
    bool same = true;
    for (size_t i = 0; i < a->n; i++) {
        const wf_census_employee *x = &a->emp[i], *y = &b->emp[i];
        same = same && strcmp(x->id, y->id) == 0 && x->birth_day == y->birth_day &&
               x->hire_day == y->hire_day && x->salary_cents == y->salary_cents &&
               x->level == y->level && x->deferral_bp == y->deferral_bp &&
               x->esc_opt_out == y->esc_opt_out;
    }
    ASSERT_TRUE(same);
    f = fopen(lf, "ab");
    const char *first = t + strcspn(t, "\n") + 1;
    fwrite(first, 1, strcspn(first, "\n") + 1, f);   /* the first row again */
    fclose(f);
    wf_census *c = NULL;
    ASSERT_EQ(wf_census_load(lf, NULL, tab, &c, &err), WF_EINPUT);
    ASSERT_EQ(err.line, 2);
    ASSERT_CONTAINS(err.message, "(again on line 90002)");
    wf_census_free(a);
    wf_census_free(b);
    wf_tables_free(tab);
    free(t);
    unlink(lf);
    unlink(crlf);
    rmdir(dir);
}

/* ---- every error at once, skip mode, column mapping, date formats ---------- */

/* Strict mode reads on after a bad row: 250 bad rows among good ones are
 * listed, the first 100 in file order, then the total; err is the first. */
TEST(inputs_census_strict_lists_every_bad_row)
{
    size_t cap = 1 << 16, n = 0;
    char *text = malloc(cap);
    n += (size_t)snprintf(text, cap, H);
    for (int i = 0; i < 500; i++)
        n += (size_t)snprintf(text + n, cap - n, "E%03d,1980-01-01,%s,50000\n", i,
                              i % 2 ? "2010-13-01" : "2010-01-01");
    loaded l;
    load_text(text, &l);
    ASSERT_EQ(l.st, WF_EINPUT);
    ASSERT_EQ(l.err.line, 3);
    ASSERT_EQ(l.err.column, 17);
    size_t lines = 0;
    for (const char *p = l.report; (p = strchr(p, '\n')); p++)
        lines++;
    ASSERT_EQ(lines, 101);
    ASSERT_CONTAINS(row_error(&l, 3), "17: hire_date: '2010-13-01' is not a date YYYY-MM-DD");
    ASSERT_CONTAINS(row_error(&l, 201), "hire_date");       /* the 100th bad row */
    ASSERT_STREQ(row_error(&l, 203), "");                   /* the 101st: not shown */
    ASSERT_CONTAINS(l.report, "\n... and 150 more; 250 rows with errors in all\n");
    done(&l);
    free(text);
}

#define SKIP "census:\n  invalid_rows: skip\n"

/* Skip mode: exactly the bad rows are left out, every row of a duplicated
 * id among them (the first too, found again with its fields), the rest
 * load as a clean file would; rejects carry line, column, reason, fields. */
TEST(inputs_census_skip_mode_rejects_exactly_the_bad_rows)
{
    const char *text =
        "employee_id,birth_date,hire_date,salary,termination_date\n"
        "E1,1980-01-01,2010-01-01,50000,\n"          /* 2: duplicated later */
        "E2,1980-01-01,2010-13-01,50000,\n"          /* 3: bad hire date */
        "E3,1980-01-01,2010-01-01,\"1,000\",\n"      /* 4: bad salary */
        "E4,1980-01-01,2010-01-01,50000,\n"          /* 5: fine */
        "E1,1980-01-01,2010-01-01,60000,\n"          /* 6: duplicate of 2 */
        "E 5,1980-01-01,2010-01-01,50000,\n"         /* 7: bad id */
        "E6,x,y,z,2020-01-01\n"                      /* 8: terminated: skipped */
        "E1,1980-01-01,2010-01-01,70000,\n"          /* 9: third E1 */
        "E3,1980-01-01,2010-01-01,50000,\n"          /* 10: duplicate of a bad row */
        "E7,1980-01-01,2010-01-01,50000,\n";         /* 11: fine */
    loaded l;
    load_text_cfg(text, SKIP, &l);
    ASSERT_STREQ(l.err.message, "");
    ASSERT_EQ(l.st, WF_OK);
    ASSERT_EQ(wf_census_count(l.cen), 2);
    ASSERT_STREQ(l.cen->emp[0].id, "E4");
    ASSERT_STREQ(l.cen->emp[1].id, "E7");
    wf_census_info info;
    wf_census_get_info(l.cen, &info);
    ASSERT_EQ(info.rows, 10);
    ASSERT_EQ(info.skipped, 1);
    ASSERT_EQ(info.rejected, 7);
    ASSERT_EQ(info.skip_mode, 1);
    static const struct { long line, column; const char *reason, *salary; } want[] = {
        {2, 1, "employee_id: duplicate 'E1' (again on line 6)", "50000"},
        {3, 15, "hire_date: '2010-13-01' is not a date YYYY-MM-DD", "50000"},
        {4, 1, "employee_id: duplicate 'E3' (again on line 10)", "1,000"},
        {6, 1, "employee_id: duplicate 'E1' (first on line 2)", "60000"},
        {7, 1, "employee_id: 'E 5' holds a character outside", "50000"},
        {9, 1, "employee_id: duplicate 'E1' (first on line 2)", "70000"},
        {10, 1, "employee_id: duplicate 'E3' (first on line 4)", "50000"},
    };
    const wf_rejects *r = &l.cen->rej;
    ASSERT_EQ(r->n, 7);
    ASSERT_EQ(r->n_fields, 5);
    for (size_t i = 0; i < r->n; i++) {
        ASSERT_EQ(r->rows[i].line, want[i].line);
        ASSERT_EQ(r->rows[i].column, want[i].column);
        ASSERT_CONTAINS(wf_rejects_reason(r, i), want[i].reason);
        const char *f = wf_rejects_fields(r, i);
        ASSERT_TRUE(f != NULL);
        for (int k = 0; k < 3; k++)
            f += strlen(f) + 1;
        ASSERT_STREQ(f, want[i].salary);
    }
    done(&l);
    /* the same rows removed by hand load to the same employees */
    load_text(H "E4,1980-01-01,2010-01-01,50000\nE7,1980-01-01,2010-01-01,50000\n", &l);
    ASSERT_EQ(l.st, WF_OK);
    ASSERT_EQ(wf_census_count(l.cen), 2);
    char a[65];
    wf_census_digest(l.cen, a);
    done(&l);
    load_text_cfg(text, SKIP, &l);
    char b[65];
    wf_census_digest(l.cen, b);
    ASSERT_STREQ(a, b);
    done(&l);
    /* nothing left: refused */
    load_text_cfg(H "E1,1980-01-01,2010-13-01,50000\n", SKIP, &l);
    ASSERT_EQ(l.st, WF_EINPUT);
    ASSERT_CONTAINS(l.err.message, "no active employee left once 1 of 1 rows were rejected");
    done(&l);
    /* problems of the file as a whole still stop at once */
    load_text_cfg(H "E1,1980-01-01,2010-01-01,50000\nE2,\"1980\n", SKIP, &l);
    ASSERT_EQ(l.st, WF_EINPUT);
    ASSERT_CONTAINS(l.err.message, "unterminated quoted field");
    done(&l);
}

/* The digest is SHA-256 of the normalised rows (wfsim.h), here computed
 * by hand for one employee. */
TEST(inputs_census_digest_is_of_the_normalised_rows)
{
    loaded l;
    load_text("employee_id,birth_date,hire_date,salary,deferral_rate,auto_escalation_opt_out\n"
              "E1,1980-01-01,2010-01-01,5e4,.06,Y\n", &l);
    ASSERT_EQ(l.st, WF_OK);
    char hex[65], want[65];
    wf_census_digest(l.cen, hex);
    static const char row[] = "E1,1980-01-01,2010-01-01,50000.00,1,0.0600,true\n";
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, sizeof row - 1, (const uint8_t *)row);
    sha256_digest(&ctx, sizeof d, d);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(want + 2 * i, "%02x", d[i]);
    ASSERT_STREQ(hex, want);
    done(&l);
}

/* census.columns and census.date_format: an export's headers and US dates
 * load to the employees of the canonical file; a value that does not fit
 * the format is a row error, never guessed. */
TEST(inputs_census_column_mapping_and_date_formats)
{
    static const char *const canon =
        H "E1,1980-02-29,2010-01-31,50000\nE2,1975-12-01,2001-07-04,62000.5\n";
    static const char *const cfg =
        "census:\n  date_format: MM/DD/YYYY\n  columns:\n"
        "    employee_id: Employee Number\n    birth_date: Date of Birth\n"
        "    hire_date: Hire Dt\n    salary: \"Annual Base Salary\"\n";
    loaded a, b;
    load_text(canon, &a);
    load_text_cfg("Employee Number,Date of Birth,Hire Dt,Annual Base Salary,salary\n"
                  "E1,02/29/1980,1/31/2010,50000,x\nE2,12/01/1975,07/04/2001,62000.5,y\n",
                  cfg, &b);
    ASSERT_STREQ(b.err.message, "");
    ASSERT_EQ(b.st, WF_OK);
    char da[65], db[65];
    wf_census_digest(a.cen, da);
    wf_census_digest(b.cen, db);
    ASSERT_STREQ(da, db);
    done(&a);
    done(&b);
    static const struct { const char *fmt, *date; bool ok; } dates[] = {
        {"MM/DD/YYYY", "13/01/2010", false}, {"MM/DD/YYYY", "01/13/2010", true},
        {"MM/DD/YYYY", "02/30/2010", false}, {"MM/DD/YYYY", "2010-01-01", false},
        {"DD/MM/YYYY", "13/01/2010", true},  {"DD/MM/YYYY", "01/13/2010", false},
        {"YYYYMMDD", "20100131", true},      {"YYYYMMDD", "2010131", false},
        {"DD.MM.YYYY", "31.1.2010", true},   {"DD.MM.YYYY", "31/01/2010", false},
        {"DD.MM.YYYY", "31.01.10", false},   {"YYYY-MM-DD", "01/31/2010", false},
    };
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        char text[256], yaml[128];
        snprintf(text, sizeof text, H "E1,%s,%s,50000\n",
                 strcmp(dates[i].fmt, "YYYYMMDD") == 0 ? "19800101"
                 : dates[i].fmt[0] == 'D' ? (dates[i].fmt[2] == '.' ? "01.01.1980" : "01/01/1980")
                 : dates[i].fmt[0] == 'M' ? "01/01/1980" : "1980-01-01",
                 dates[i].date);
        snprintf(yaml, sizeof yaml, "census:\n  date_format: %s\n", dates[i].fmt);
        load_text_cfg(text, yaml, &a);
        if (dates[i].ok != (a.st == WF_OK))
            wf_test_fail(__FILE__, __LINE__, "%s %s: status %d (%s)", dates[i].fmt,
                         dates[i].date, (int)a.st, a.err.message);
        if (!dates[i].ok) {
            char want[80];
            snprintf(want, sizeof want, "hire_date: '%s' is not a date %s", dates[i].date,
                     dates[i].fmt);
            ASSERT_CONTAINS(a.err.message, want);
        }
        done(&a);
    }
    /* a mapping that names a header the file lacks names the key */
    load_text_cfg(H "E1,1980-01-01,2010-01-01,50000\n",
                  "census:\n  columns:\n    salary: Annual Base Salary\n", &a);
    ASSERT_EQ(a.st, WF_EINPUT);
    ASSERT_STREQ(a.err.key, "census.columns.salary");
    ASSERT_EQ(a.err.line, 1);
    ASSERT_CONTAINS(a.err.message, "no column 'Annual Base Salary'");
    done(&a);
}

/* The census section belongs to the runner: it changes neither the
 * canonical JSON nor the digest; its own keys are checked. */
TEST(inputs_config_census_section)
{
    const char *dir = wf_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/c.yaml", dir);
    static const struct { const char *yaml, *key, *needle; } bad[] = {
        {"census:\n  invalid_rows: lenient\n", "census.invalid_rows", "expected strict or skip"},
        {"census:\n  date_format: M/D/Y\n", "census.date_format", "expected YYYY-MM-DD"},
        {"census:\n  columns:\n    salry: Pay\n", "census.columns.salry", "not a census column"},
        {"census:\n  columns:\n    salary: Pay\n    hire_date: pay\n", "census.columns.hire_date",
         "already mapped to salary"},
        {"census:\n  columns:\n    salary: 12\n", "census.columns.salary", "quote it"},
        {"census:\n  columns: Pay\n", "census.columns", "expected a mapping"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        FILE *f = fopen(path, "w");
        fputs(bad[i].yaml, f);
        fclose(f);
        wf_config *cfg = NULL;
        wf_error err = {0};
        ASSERT_EQ(wf_config_load(path, &cfg, &err), WF_EINPUT);
        ASSERT_STREQ(err.key, bad[i].key);
        ASSERT_CONTAINS(err.message, bad[i].needle);
    }
    FILE *f = fopen(path, "w");
    fputs("census:\n  invalid_rows: skip\n  date_format: DD.MM.YYYY\n"
          "  columns: {salary: Pay}\n", f);
    fclose(f);
    wf_config *a = NULL, *b = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_config_load(path, &a, &err), WF_OK);
    ASSERT_EQ(wf_config_load(NULL, &b, &err), WF_OK);
    ASSERT_TRUE(a->census_skip);
    ASSERT_EQ(a->census_date_format, WF_DF_DOTTED);
    ASSERT_STREQ(a->census_columns[WF_CC_SALARY], "Pay");
    char da[65], db[65];
    wf_config_digest(a, da);
    wf_config_digest(b, db);
    ASSERT_STREQ(da, db);
    ASSERT_EQ(wf_config_set(b, "census.invalid_rows", "skip", &err), WF_OK);
    ASSERT_TRUE(b->census_skip);
    wf_config_free(a);
    wf_config_free(b);
    unlink(path);
    rmdir(dir);
}
