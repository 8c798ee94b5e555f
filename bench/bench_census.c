/*
 * bench_census.c - how long wf_census_load takes.
 *
 *     bench_census [--sort] FILE [TIMES]     (default 11 times)
 *     bench_census --dirty FILE [TIMES]
 *
 * Loads the census FILE (as `wfsim census` writes it) TIMES times with the
 * built-in parameter tables and the default configuration, after one
 * untimed load that warms the page cache, and prints the median, min and
 * max of the wall time and of the CPU time (the process's: user + sys)
 * per load, with rows per second at the median. The tables are loaded once
 * before timing. With --sort, each timed load is followed by the id sort
 * the simulation does first (sim.c's load_census: qsort_r by strcmp),
 * timed on its own, so both serial steps before the years start are seen.
 *
 * With --dirty (issue 13), two copies of FILE are written beside it, the
 * same way (write_copy says why): a plain one, and one with one row
 * in a hundred broken (a hire date in month 13, or every 500th row a
 * duplicate of the row before it, so both kinds of refusal are paid for),
 * and loads of the plain copy in strict mode alternate with loads of the
 * copy in skip mode (census.invalid_rows: skip), TIMES each. It prints
 * both medians and the ratio of the rates in rows per second: skip mode on
 * the dirty file should keep at least 90% of the clean file's rate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wf_model_int.h"
#include "wfsim.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void summary(const char *what, double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    printf("  %-10s median %.5f s (min %.5f, max %.5f)\n", what, med, v[0], v[n - 1]);
}

static int cmp_id(const void *a, const void *b, void *arg)
{
    const wf_census *cen = arg;
    return strcmp(cen->emp[*(const uint32_t *)a].id, cen->emp[*(const uint32_t *)b].id);
}

static double sort_ids(const wf_census *cen)
{
    uint32_t *order = malloc((cen->n ? cen->n : 1) * sizeof *order);
    if (!order) {
        fprintf(stderr, "bench_census: out of memory\n");
        exit(1);
    }
    double t0 = clock_s(CLOCK_MONOTONIC);
    for (size_t i = 0; i < cen->n; i++)
        order[i] = (uint32_t)i;
    qsort_r(order, cen->n, sizeof *order, cmp_id, (void *)cen);
    double t = clock_s(CLOCK_MONOTONIC) - t0;
    free(order);
    return t;
}

/* FILE's copy with 1% of its rows broken (every one when `broken`, none
 * else); returns the rows broken. Both copies are written the same way,
 * because how a file was written changes how fast it is read back: the
 * page cache holds a file written in small pieces in small folios, and
 * reading those costs the kernel more (measured: 8% of a load). */
static long write_copy(const char *path, const char *dirty, bool broken_rows)
{
    FILE *in = fopen(path, "rb"), *out = fopen(dirty, "wb");
    if (!in || !out) {
        fprintf(stderr, "bench_census: cannot open %s or %s\n", path, dirty);
        exit(1);
    }
    static char buf[1 << 20];
    setvbuf(out, buf, _IOFBF, sizeof buf);
    char line[4096], prev[4096] = "";
    long row = -1, broken = 0;
    while (fgets(line, sizeof line, in)) {
        row++;
        if (!broken_rows) {
            /* a plain copy */
        } else if (row > 0 && row % 500 == 0 && prev[0]) {
            fputs(prev, out);              /* the previous row's id again */
            broken++;
        } else if (row > 0 && row % 100 == 0) {
            char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
            if (c2 && strlen(c2) > 8)
                memcpy(c2 + 6, "13", 2);   /* ",YYYY-13-DD": no such month */
            broken++;
        }
        fputs(line, out);
        snprintf(prev, sizeof prev, "%s", line);
    }
    fclose(in);
    if (fclose(out) != 0) {
        fprintf(stderr, "bench_census: cannot write %s\n", dirty);
        exit(1);
    }
    return broken;
}

static double timed_load(const char *path, const wf_config *cfg, const wf_tables *tab,
                         size_t *rows)
{
    wf_census *cen = NULL;
    wf_error err = {0};
    double t0 = clock_s(CLOCK_MONOTONIC);
    if (wf_census_load(path, cfg, tab, &cen, &err) != WF_OK) {
        fprintf(stderr, "bench_census: %s:%ld: %s\n", path, err.line, err.message);
        exit(1);
    }
    double t = clock_s(CLOCK_MONOTONIC) - t0;
    wf_census_info info;
    wf_census_get_info(cen, &info);
    *rows = info.rows;
    wf_census_free(cen);
    return t;
}

static int dirty_compare(const char *path, int times, const wf_tables *tab)
{
    char clean[4200], dirty[4200];
    snprintf(clean, sizeof clean, "%s.clean.csv", path);
    snprintf(dirty, sizeof dirty, "%s.dirty.csv", path);
    write_copy(path, clean, false);
    long broken = write_copy(path, dirty, true);
    wf_config *strict = NULL, *skip = NULL;
    wf_error err = {0};
    if (wf_config_load(NULL, &strict, &err) != WF_OK || wf_config_load(NULL, &skip, &err) != WF_OK ||
        wf_config_set(skip, "census.invalid_rows", "skip", &err) != WF_OK) {
        fprintf(stderr, "bench_census: %s\n", err.message);
        return 1;
    }
    double *a = malloc((size_t)times * sizeof *a), *b = malloc((size_t)times * sizeof *b);
    size_t rows_a = 0, rows_b = 0;
    if (!a || !b)
        return 1;
    timed_load(clean, strict, tab, &rows_a);        /* warm-up of both files */
    timed_load(dirty, skip, tab, &rows_b);
    for (int i = 0; i < times; i++) {
        a[i] = timed_load(clean, strict, tab, &rows_a);
        b[i] = timed_load(dirty, skip, tab, &rows_b);
    }
    qsort(a, (size_t)times, sizeof *a, cmp_double);
    qsort(b, (size_t)times, sizeof *b, cmp_double);
    double ra = (double)rows_a / a[times / 2], rb = (double)rows_b / b[times / 2];
    printf("bench_census --dirty: %zu rows clean (strict), %zu rows with %ld broken (skip), "
           "%d loads each\n", rows_a, rows_b, broken, times);
    printf("  clean, strict  median %.5f s  %.2f M rows/s\n", a[times / 2], ra / 1e6);
    printf("  dirty, skip    median %.5f s  %.2f M rows/s\n", b[times / 2], rb / 1e6);
    printf("  skip-mode rate / clean rate: %.3f (target >= 0.90)\n", rb / ra);
    free(a);
    free(b);
    wf_config_free(strict);
    wf_config_free(skip);
    remove(clean);
    remove(dirty);
    return 0;
}

static int load(const char *path, const wf_tables *tab, size_t *n)
{
    wf_census *cen = NULL;
    wf_error err;
    if (wf_census_load(path, NULL, tab, &cen, &err) != WF_OK) {
        fprintf(stderr, "bench_census: %s\n", err.message);
        return -1;
    }
    *n = wf_census_count(cen);
    wf_census_free(cen);
    return 0;
}

int main(int argc, char **argv)
{
    int a = 1;
    bool with_sort = false, dirty = false;
    if (a < argc && !strcmp(argv[a], "--sort")) {
        with_sort = true;
        a++;
    } else if (a < argc && !strcmp(argv[a], "--dirty")) {
        dirty = true;
        a++;
    }
    if (a >= argc || !strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
        printf("usage: bench_census [--sort | --dirty] FILE [TIMES]\n"
               "Loads the census FILE TIMES times (default 11) after one warm-up load\n"
               "and prints median, min and max seconds (wall and CPU) per load;\n"
               "--sort also times the simulation's id sort of the loaded census;\n"
               "--dirty compares FILE (strict) with a copy with 1%% of its rows broken\n"
               "(skip mode) and prints the ratio of their rows per second.\n");
        return a < argc ? 0 : 64;
    }
    const char *path = argv[a];
    int times = a + 1 < argc ? atoi(argv[a + 1]) : 11;
    if (times < 1)
        times = 1;
    wf_tables *tab = NULL;
    wf_error err;
    if (wf_tables_load(NULL, &tab, &err) != WF_OK) {
        fprintf(stderr, "bench_census: %s\n", err.message);
        return 1;
    }
    if (dirty) {
        int rc = dirty_compare(path, times, tab);
        wf_tables_free(tab);
        return rc;
    }
    size_t n = 0;
    if (load(path, tab, &n) != 0)
        return 1;
    double *wall = malloc((size_t)times * sizeof *wall);
    double *cpu = malloc((size_t)times * sizeof *cpu);
    double *srt = malloc((size_t)times * sizeof *srt);
    if (!wall || !cpu || !srt)
        return 1;
    for (int i = 0; i < times; i++) {
        double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        wf_census *cen = NULL;
        if (wf_census_load(path, NULL, tab, &cen, &err) != WF_OK) {
            fprintf(stderr, "bench_census: %s\n", err.message);
            return 1;
        }
        wall[i] = clock_s(CLOCK_MONOTONIC) - t0;
        cpu[i] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        srt[i] = with_sort ? sort_ids(cen) : 0;
        wf_census_free(cen);
    }
    printf("bench_census: %s, %zu active employees, %d loads\n", path, n, times);
    summary("wall", wall, times);
    double med_wall = wall[times / 2];
    summary("CPU", cpu, times);
    if (with_sort)
        summary("id sort", srt, times);
    printf("  %.1f M rows/s at the median wall time\n", (double)n / med_wall / 1e6);
    free(wall);
    free(cpu);
    free(srt);
    wf_tables_free(tab);
    return 0;
}
