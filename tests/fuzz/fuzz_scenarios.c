/*
 * fuzz_scenarios.c - fuzz target: an ensemble's scenario files and the
 * checks across them (wf_ensemble_run, include/wfsim.h).
 *
 * The input is up to 8 scenario files, separated by lines "%%", each
 * parsed with wf_config_parse as "scenario-N.yaml". A refused file must be
 * named with a message, and nothing else happens. When every file is
 * accepted, the target works out itself whether the scenarios may run
 * together (every scenario the years of the first, no scenario_id twice)
 * and wf_ensemble_run must agree:
 *
 * - when they may not, it refuses them as input (WF_EINPUT, a message
 *   about the scenarios) before anything is written;
 * - when they may, it gets past the checks to the output folder, which
 *   is given under a parent that does not exist (WF_EIO, naming it), so
 *   no replicate runs; except for ensembles of at most 2 one-year
 *   scenarios with a target growth of at most 10 (at most 44 employees),
 *   which run for real (1 seed, 1 thread, a fixed 4-employee census) into
 *   a folder made once per process in /dev/shm: each must succeed or be
 *   refused by the model (WF_ERUNTIME), and then hold one folder per
 *   scenario. (A growth of 1.3e8 asks for 5e8 hires: the engine answers
 *   "out of memory (hires)", exit 4, but under libFuzzer an allocation
 *   above -malloc_limit_mb is a crash, so such runs are left out.)
 */
#include <ftw.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "wfsim.h"

#define MAX_SCEN 8

static char dir[256], out[300];
static wf_tables *tab;
static wf_census *cen;

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

/* Removes the folder this process made, whatever the runs left in it. */
static void teardown(void)
{
    if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
        fprintf(stderr, "fuzz_scenarios: could not remove %s\n", dir);
    wf_census_free(cen);
    wf_tables_free(tab);
}

static void setup(void)
{
    if (dir[0])
        return;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/wfsim-fuzz-scen-XXXXXX", base && *base ? base : "/tmp");
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    snprintf(out, sizeof out, "%s/ens", dir);
    wf_error err = {0};
    FUZZ_CHECK(wf_tables_load(NULL, &tab, &err) == WF_OK);
    static const char census[] =
        "employee_id,birth_date,hire_date,salary,deferral_rate\n"
        "A1,1980-01-01,2010-06-01,52000,0.06\n"
        "A2,1995-05-05,2020-01-01,88000,0\n"
        "A3,1965-12-31,1990-01-01,250000,0.15\n"
        "A4,1930-01-01,1960-01-01,31000,0.03\n";
    char path[64];
    int fd = fuzz_memfile((const uint8_t *)census, sizeof census - 1, path, sizeof path);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(wf_census_load(path, NULL, tab, &cen, &err) == WF_OK);
    close(fd);
    atexit(teardown);
}

/* Whether the scenarios may run together, by the rule of wf_ensemble_run. */
static bool compatible(wf_config *const *scen, int n)
{
    for (int i = 1; i < n; i++) {
        if (wf_config_start_year(scen[i]) != wf_config_start_year(scen[0]) ||
            wf_config_end_year(scen[i]) != wf_config_end_year(scen[0]))
            return false;
        for (int j = 0; j < i; j++)
            if (strcmp(wf_config_scenario_id(scen[i]), wf_config_scenario_id(scen[j])) == 0)
                return false;
    }
    return true;
}

static void run(wf_config *const *scen, int n, bool real)
{
    wf_ensemble_options opt = {0};
    opt.out_dir = real ? out : "/nonexistent-wfsim-fuzz/ens";
    opt.run.created_at_set = 1;
    opt.run.created_at_us = 1700000000000000LL;
    /* the baseline's seed, as `wfsim ensemble` takes it; the one seed
     * after it must exist too (2^63 - 1 has none) */
    int64_t seed = wf_config_random_seed(scen[0]);
    opt.first_seed = seed < INT64_MAX ? seed : 0;
    opt.n_seeds = 1;
    opt.threads = 1;
    wf_error err = {0};
    wf_status st = wf_ensemble_run((const wf_config *const *)scen, n, tab, cen, &opt, &err);
    FUZZ_CHECK(err.message[0] != '\0' || st == WF_OK);
    if (!compatible(scen, n)) {
        FUZZ_CHECK(st == WF_EINPUT && strstr(err.message, "scenario") != NULL);
        return;
    }
    if (!real) {
        FUZZ_CHECK(st == WF_EIO && strstr(err.message, "/nonexistent-wfsim-fuzz") != NULL);
        return;
    }
    FUZZ_CHECK(st == WF_OK || st == WF_ERUNTIME);
    if (st != WF_OK)
        return;
    for (int i = 0; i < n; i++) {
        char path[4096];
        struct stat sb;
        snprintf(path, sizeof path, "%s/scenario_id=%s", out, wf_config_scenario_id(scen[i]));
        FUZZ_CHECK(stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
    }
}

/* workforce.target_growth_rate in ppm, from the canonical JSON (there is
 * no getter). */
static long long growth_ppm(const wf_config *cfg)
{
    static const char key[] = "\"target_growth_rate_ppm\":";
    char *json = wf_config_to_json(cfg);
    FUZZ_CHECK(json != NULL);
    const char *at = strstr(json, key);
    FUZZ_CHECK(at != NULL);
    long long g = strtoll(at + strlen(key), NULL, 10);
    free(json);
    return g;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    wf_config *scen[MAX_SCEN] = {0};
    int n = 0;
    bool refused = false;
    for (size_t at = 0; at <= size && n < MAX_SCEN && !refused;) {
        size_t end = at, next = size + 1;
        for (; end < size; end++)
            if ((end == 0 || data[end - 1] == '\n') && end + 2 <= size &&
                data[end] == '%' && data[end + 1] == '%' &&
                (end + 2 == size || data[end + 2] == '\n')) {
                next = end + 2 < size ? end + 3 : size;
                break;
            }
        char name[32];
        snprintf(name, sizeof name, "scenario-%d.yaml", n + 1);
        wf_error err = {0};
        wf_status st = wf_config_parse(name, (const char *)data + at, end - at, &scen[n], &err);
        FUZZ_CHECK(st == WF_OK || st == WF_EINPUT);
        if (st != WF_OK) {
            FUZZ_CHECK(scen[n] == NULL && strcmp(err.file, name) == 0 && err.message[0] != '\0');
            refused = true;
        } else {
            n++;
        }
        if (next > size)
            break;
        at = next;
    }
    if (!refused && n > 0) {
        bool real = n <= 2 && wf_config_start_year(scen[0]) == wf_config_end_year(scen[0]);
        for (int i = 0; i < n && real; i++)
            real = growth_ppm(scen[i]) <= 10000000;
        run(scen, n, real);
    }
    for (int i = 0; i < n; i++)
        wf_config_free(scen[i]);
    return 0;
}
