/*
 * fuzz_tables.c - fuzz target: the parameter tables (docs/model.md 2.3), and the
 * model run on whatever tables the loader accepts.
 *
 * Input: byte 0 picks one of the table files (modulo their number), the
 * rest is that file's text; every other file is the built-in copy. The
 * folder is made once per process in /dev/shm (else $TMPDIR or /tmp), with
 * a small fixed census beside it, and only the fuzzed file is written and
 * put back per input, so the set-up costs two small writes, not a folder.
 *
 * wf_tables_load must answer WF_OK or WF_EINPUT; a refusal names a file of
 * the folder and a line and column inside it (or line 0 for a rule about a
 * whole table). Accepted tables then run the model for two years on the
 * census (one thread, no output): the census may be refused as input
 * (levels derived from other bands), the run may be refused by the model
 * (WF_ERUNTIME: a salary at or above the top income segment, or past
 * 2^53 - 1 cents), and nothing else; every salary the sink sees is in
 * [0, 2^53 - 1] cents. Zero is a salary the model gives: a level whose
 * band starts at 0 (the tables require only min < max) hires at
 * round(min + (max - min) * f) with f clamped to [0, 1] (docs/model.md), so
 * f = 0 hires at 0 cents; census salaries are > 0.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "wf_embedded.h"
#include "wf_sim.h"
#include "wfsim.h"

#define SALARY_MAX 9007199254740991LL   /* 2^53 - 1 cents */

static char dir[256];
static wf_config *cfg;

static bool put_file(const char *name, const void *data, size_t size)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok;
}

static void remove_dir(void)
{
    char path[512];
    for (size_t i = 0; i < wf_default_tables_count; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, wf_default_tables[i].name);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/census.csv", dir);
    unlink(path);
    rmdir(dir);
    wf_config_free(cfg);
}

static void setup(void)
{
    if (dir[0])
        return;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/wfsim-fuzz-tables-XXXXXX", base && *base ? base : "/tmp");
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    for (size_t i = 0; i < wf_default_tables_count; i++)
        FUZZ_CHECK(put_file(wf_default_tables[i].name, wf_default_tables[i].data,
                            wf_default_tables[i].size));
    /* levels derived from the salaries, ages and tenures across the bands */
    char census[4096];
    size_t n = (size_t)snprintf(census, sizeof census,
                                "employee_id,birth_date,hire_date,salary,deferral_rate\n");
    static const char *const rows[] = {
        "A1,2000-01-01,2020-06-01,0.01,0",       "A2,1995-05-05,2015-01-01,52000,0.06",
        "A3,1985-02-28,2010-03-01,88000,0.1",     "A4,1975-07-07,2000-07-07,130000,0",
        "A5,1965-12-31,1990-01-01,250000,0.15",   "A6,1960-01-01,1985-01-01,480000,1",
        "A7,1930-01-01,1960-01-01,999999,0.03",   "A8,2010-12-31,2024-12-31,45000,0",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        n += (size_t)snprintf(census + n, sizeof census - n, "%s\n", rows[i]);
    FUZZ_CHECK(put_file("census.csv", census, n));
    wf_error err = {0};
    FUZZ_CHECK(wf_config_load(NULL, &cfg, &err) == WF_OK);
    FUZZ_CHECK(wf_config_set(cfg, "simulation.end_year", "2026", &err) == WF_OK);
    atexit(remove_dir);
}

static wf_status check_events(void *ctx, const wf_event_batch *b, wf_error *err)
{
    (void)ctx, (void)err;
    for (size_t i = 0; i < b->n; i++) {
        const wf_event *e = &b->events[i];
        FUZZ_CHECK(e->comp_cents >= 0 && e->comp_cents <= SALARY_MAX);
        FUZZ_CHECK(e->prev_comp_cents == WF_NULL_I64 ||
                   (e->prev_comp_cents >= 0 && e->prev_comp_cents <= SALARY_MAX));
    }
    return WF_OK;
}

static wf_status check_snapshot(void *ctx, const wf_snapshot_batch *b, wf_error *err)
{
    (void)ctx, (void)err;
    for (size_t i = 0; i < b->n; i++)
        FUZZ_CHECK(b->rows[i].salary_cents >= 0 && b->rows[i].salary_cents <= SALARY_MAX);
    return WF_OK;
}

static void run_model(const wf_tables *tab)
{
    char path[512];
    snprintf(path, sizeof path, "%s/census.csv", dir);
    wf_error err = {0};
    wf_census *cen = NULL;
    wf_status st = wf_census_load(path, cfg, tab, &cen, &err);
    FUZZ_CHECK(st == WF_OK || st == WF_EINPUT);
    if (st != WF_OK)
        return;
    wf_sim_sink sink = {.on_events = check_events, .on_snapshot = check_snapshot};
    memset(&err, 0, sizeof err);
    st = wf_sim_run(cfg, tab, cen, 1, true, &sink, &err);
    FUZZ_CHECK(st == WF_OK || st == WF_ERUNTIME);
    if (st == WF_ERUNTIME)
        FUZZ_CHECK(strstr(err.message, "year 202") != NULL);
    wf_census_free(cen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    if (size == 0)
        return 0;
    const wf_embedded_file *f = &wf_default_tables[data[0] % wf_default_tables_count];
    FUZZ_CHECK(put_file(f->name, data + 1, size - 1));
    wf_error err = {0};
    wf_tables *tab = NULL;
    wf_status st = wf_tables_load(dir, &tab, &err);
    FUZZ_CHECK(st == WF_OK || st == WF_EINPUT);
    if (st == WF_OK) {
        FUZZ_CHECK(tab != NULL);
        run_model(tab);
    } else {
        FUZZ_CHECK(tab == NULL);
        FUZZ_CHECK(strncmp(err.file, dir, strlen(dir)) == 0);
        FUZZ_CHECK(err.message[0] != '\0');
        FUZZ_CHECK(err.line >= 0 && (size_t)err.line <= size + 1);
        FUZZ_CHECK(err.column >= 0 && (size_t)err.column <= size + 1);
    }
    wf_tables_free(tab);
    FUZZ_CHECK(put_file(f->name, f->data, f->size));
    return 0;
}
