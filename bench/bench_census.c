/*
 * bench_census.c - how long wf_census_load takes.
 *
 *     bench_census [--sort] FILE [TIMES]     (default 11 times)
 *
 * Loads the census FILE (as `wfsim census` writes it) TIMES times with the
 * built-in parameter tables and the default configuration, after one
 * untimed load that warms the page cache, and prints the median, min and
 * max of the wall time and of the CPU time (the process's: user + sys)
 * per load, with rows per second at the median. The tables are loaded once
 * before timing. With --sort, each timed load is followed by the id sort
 * the simulation does first (sim.c's load_census: qsort_r by strcmp),
 * timed on its own, so both serial steps before the years start are seen.
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
    bool with_sort = false;
    if (a < argc && !strcmp(argv[a], "--sort")) {
        with_sort = true;
        a++;
    }
    if (a >= argc || !strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
        printf("usage: bench_census [--sort] FILE [TIMES]\n"
               "Loads the census FILE TIMES times (default 11) after one warm-up load\n"
               "and prints median, min and max seconds (wall and CPU) per load;\n"
               "--sort also times the simulation's id sort of the loaded census.\n");
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
