/*
 * md5_floor.c - the hashing floor of a run, and the simulation's own time
 * (item 3 of bench/run.sh).
 *
 *     md5_floor CENSUS YEARS THREADS [REPEATS]
 *
 * 1. Counts the draws of the run: the simulation runs once on one thread
 *    with the sink's draw table (wf_sim_sink.draws), output dropped. It counts
 *    the draws the model uses; draws the engine computes ahead in batches
 *    and then does not need (a few percent) are left out of the floor.
 * 2. Times the simulation alone (wf_sim_run with a sink that only counts
 *    events: no Parquet) on THREADS threads, REPEATS times.
 * 3. Times the floor: the same number of draws per (year, stream), keyed
 *    exactly as the model keys them ("{seed}|{id}|{year}|{stream}"; ids of
 *    the census for the workforce's streams, NH_{year}_{nnnnnn} ids for the
 *    hires' streams, so the keys have the run's lengths and block counts),
 *    hashed as the simulation hashes them: from each id's key block
 *    (wf_rng_key_init, built before the clock starts, as the simulation
 *    builds them once per employee) through wf_rng_x_keys - the best MD5
 *    this CPU has (wf_md5_lanes) - split evenly over THREADS threads;
 *    nothing else is done. Also the event-id floor: one MD5 per event of
 *    the run, keyed like docs/model.md 5.1.
 * 4. The draw floor again at every SIMD level this CPU has (scalar, 8
 *    lanes AVX2, 16 lanes AVX-512; wf_md5_set_lanes), on one thread, as
 *    draws per second per core: draws_per_s_core_L1, _L8, _L16.
 *
 * Prints one line of key=value pairs; times are medians of REPEATS runs
 * (wall clock and CPU time of the process). Not a test: figures depend on
 * the machine.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rng.h"
#include "wf_error.h"
#include "wf_md5.h"
#include "wf_model_int.h"
#include "wf_sim.h"

#define PIECE 4096
#define MAX_REPEATS 15

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- the simulation without writers ---------------------------------------- */

typedef struct counter {
    int64_t events;
    int64_t per_year[256];
    int first_year;
} counter;

static wf_status on_events(void *ctx, const wf_event_batch *b, wf_error *err)
{
    (void)err;
    counter *c = ctx;
    c->events += (int64_t)b->n;
    c->per_year[(b->year - c->first_year) & 255] = (int64_t)b->n;
    return WF_OK;
}

/* ---- the floor ------------------------------------------------------------ */

/* One (year, stream) of draws: count keys over the ids ids[0..n_ids). */
typedef struct job {
    wf_rng_stream st;
    const char *const *ids;
    const uint8_t *lens;
    const wf_rng_key *keys;
    size_t n_ids;
    uint64_t count;
} job;

typedef struct work {
    const job *jobs;
    size_t n_jobs;
    int t, threads;
    uint32_t sink;
    /* event ids */
    const char *const *ids;
    const uint8_t *lens;
    size_t n_ids;
    uint64_t n_events;
    char head[256];
    size_t head_len;
    int first_year;
} work;

static void run_draws(work *w)
{
    uint32_t x[PIECE];
    for (size_t j = 0; j < w->n_jobs; j++) {
        const job *jb = &w->jobs[j];
        uint64_t b = jb->count * (uint64_t)w->t / (uint64_t)w->threads;
        uint64_t e = jb->count * (uint64_t)(w->t + 1) / (uint64_t)w->threads;
        while (b < e) {
            size_t at = (size_t)(b % jb->n_ids);
            size_t n = (size_t)(e - b);
            if (n > PIECE)
                n = PIECE;
            if (n > jb->n_ids - at)
                n = jb->n_ids - at;
            wf_rng_x_keys(&jb->st, jb->keys + at, jb->ids + at, jb->lens + at, NULL,
                          n, x);
            w->sink ^= x[0] ^ x[n - 1];
            b += n;
        }
    }
}

/* Event-id keys "scenario|plan|seed|id|year|raise", hashed 64 at a time. */
static void run_ids(work *w)
{
    enum { G = 64 };
    char keys[G][256];
    const char *msg[G];
    size_t len[G];
    uint32_t st[G][4];
    uint64_t b = w->n_events * (uint64_t)w->t / (uint64_t)w->threads;
    uint64_t e = w->n_events * (uint64_t)(w->t + 1) / (uint64_t)w->threads;
    for (; b < e; b += G) {
        size_t m = e - b < G ? (size_t)(e - b) : G;
        for (size_t k = 0; k < m; k++) {
            size_t i = (size_t)((b + k) % w->n_ids);
            char *p = keys[k];
            memcpy(p, w->head, w->head_len);
            memcpy(p + w->head_len, w->ids[i], w->lens[i]);
            size_t n = w->head_len + w->lens[i];
            memcpy(p + n, "|2025|raise", 11);
            len[k] = n + 11;
            msg[k] = p;
        }
        wf_md5_many(msg, len, m, st);
        w->sink ^= st[0][0];
    }
}

static void *draws_thread(void *arg)
{
    run_draws(arg);
    return NULL;
}

static void *ids_thread(void *arg)
{
    run_ids(arg);
    return NULL;
}

static double run_threads(work *w, int threads, void *(*fn)(void *), double *cpu)
{
    pthread_t tid[64];
    double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), t0 = clock_s(CLOCK_MONOTONIC);
    for (int t = 1; t < threads; t++)
        pthread_create(&tid[t], NULL, fn, &w[t]);
    fn(&w[0]);
    for (int t = 1; t < threads; t++)
        pthread_join(tid[t], NULL);
    *cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    return clock_s(CLOCK_MONOTONIC) - t0;
}

static bool is_hire_stream(int s)
{
    return s == WF_STREAM_HIRE_DATE || s == WF_STREAM_HIRE_AGE ||
           s == WF_STREAM_HIRE_BIRTH_DAY || s == WF_STREAM_HIRE_SALARY ||
           s == WF_STREAM_NEW_HIRE_TERMINATION ||
           s == WF_STREAM_NEW_HIRE_TERMINATION_DATE;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: md5_floor CENSUS YEARS THREADS [REPEATS]\n");
        return 64;
    }
    int years = atoi(argv[2]), threads = atoi(argv[3]);
    int repeats = argc > 4 ? atoi(argv[4]) : 3;
    if (years < 1 || years > 200 || threads < 1 || threads > 64 || repeats < 1 ||
        repeats > MAX_REPEATS) {
        fprintf(stderr, "md5_floor: bad YEARS, THREADS or REPEATS\n");
        return 64;
    }
    wf_error err = {0};
    wf_config *cfg = NULL;
    wf_tables *tab = NULL;
    wf_census *cen = NULL;
    char end[16];
    if (wf_config_load(NULL, &cfg, &err) != WF_OK)
        goto fail;
    snprintf(end, sizeof end, "%d", cfg->start_year + years - 1);
    if (wf_config_set(cfg, "simulation.end_year", end, &err) != WF_OK ||
        wf_tables_load(NULL, &tab, &err) != WF_OK ||
        wf_census_load(argv[1], cfg, tab, &cen, &err) != WF_OK)
        goto fail;

    /* 1. the draws of the run */
    uint64_t *counts = calloc((size_t)years * WF_STREAM_COUNT, sizeof *counts);
    counter cnt = {.first_year = cfg->start_year};
    wf_sim_sink sink = {&cnt, NULL, on_events, NULL, counts, NULL};
    if (wf_sim_run(cfg, tab, cen, 1, false, &sink, &err) != WF_OK)
        goto fail;
    uint64_t draws = 0;
    for (int k = 0; k < years * WF_STREAM_COUNT; k++)
        draws += counts[k];

    /* 2. the simulation alone */
    double sim_wall[MAX_REPEATS], sim_cpu[MAX_REPEATS];
    for (int r = 0; r < repeats; r++) {
        counter c2 = {.first_year = cfg->start_year};
        wf_sim_sink s2 = {&c2, NULL, on_events, NULL, NULL, NULL};
        double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), t0 = clock_s(CLOCK_MONOTONIC);
        if (wf_sim_run(cfg, tab, cen, threads, false, &s2, &err) != WF_OK)
            goto fail;
        sim_wall[r] = clock_s(CLOCK_MONOTONIC) - t0;
        sim_cpu[r] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }

    /* 3. the floor: ids prepared before the clock starts */
    size_t n_ids = cen->n, max_hires = 1;
    const char **ids = malloc(n_ids * sizeof *ids);
    uint8_t *lens = malloc(n_ids);
    wf_rng_key *keys = malloc(n_ids * sizeof *keys);
    wf_rng_stream seed_st;
    wf_rng_stream_init(&seed_st, cfg->random_seed, cfg->start_year, (wf_stream)0);
    for (size_t i = 0; i < n_ids; i++) {
        ids[i] = cen->emp[i].id;
        lens[i] = (uint8_t)strlen(ids[i]);
        wf_rng_key_init(&keys[i], &seed_st, ids[i], lens[i]);
    }
    for (int y = 0; y < years; y++)
        for (int s = 0; s < WF_STREAM_COUNT; s++)
            if (is_hire_stream(s) && counts[y * WF_STREAM_COUNT + s] > max_hires)
                max_hires = counts[y * WF_STREAM_COUNT + s];
    char *harena = malloc((size_t)years * max_hires * 16);
    const char **hids = malloc((size_t)years * max_hires * sizeof *hids);
    uint8_t *hlens = malloc((size_t)years * max_hires);
    wf_rng_key *hkeys = malloc((size_t)years * max_hires * sizeof *hkeys);
    job *jobs = calloc((size_t)years * WF_STREAM_COUNT, sizeof *jobs);
    size_t n_jobs = 0;
    for (int y = 0; y < years; y++) {
        size_t base = (size_t)y * max_hires;
        for (size_t j = 0; j < max_hires; j++) {
            char *p = harena + (base + j) * 16;
            hlens[base + j] = (uint8_t)snprintf(p, 16, "NH_%d_%06zu",
                                                cfg->start_year + y, j + 1);
            hids[base + j] = p;
            wf_rng_key_init(&hkeys[base + j], &seed_st, p, hlens[base + j]);
        }
        for (int s = 0; s < WF_STREAM_COUNT; s++) {
            uint64_t c = counts[y * WF_STREAM_COUNT + s];
            if (!c)
                continue;
            job *jb = &jobs[n_jobs++];
            wf_rng_stream_init(&jb->st, cfg->random_seed, cfg->start_year + y,
                               (wf_stream)s);
            jb->count = c;
            jb->ids = is_hire_stream(s) ? hids + base : ids;
            jb->lens = is_hire_stream(s) ? hlens + base : lens;
            jb->keys = is_hire_stream(s) ? hkeys + base : keys;
            jb->n_ids = is_hire_stream(s) ? max_hires : n_ids;
        }
    }
    work w[64];
    for (int t = 0; t < threads; t++) {
        w[t] = (work){.jobs = jobs, .n_jobs = n_jobs, .t = t, .threads = threads,
                      .ids = ids, .lens = lens, .n_ids = n_ids,
                      .n_events = (uint64_t)cnt.events};
        w[t].head_len = (size_t)snprintf(w[t].head, sizeof w[t].head, "%s|%s|%lld|",
                                         cfg->scenario_id, cfg->plan_design_id,
                                         (long long)cfg->random_seed);
    }
    double fd_wall[MAX_REPEATS], fd_cpu[MAX_REPEATS];
    double fi_wall[MAX_REPEATS], fi_cpu[MAX_REPEATS];
    uint32_t sinkx = 0;
    for (int r = 0; r < repeats; r++) {
        fd_wall[r] = run_threads(w, threads, draws_thread, &fd_cpu[r]);
        fi_wall[r] = run_threads(w, threads, ids_thread, &fi_cpu[r]);
    }
    /* 4. every SIMD level on one thread */
    int best = wf_md5_lanes();
    double per_level[3] = {0, 0, 0};
    static const int levels[3] = {1, 8, 16};
    for (int v = 0; v < 3; v++) {
        if (wf_md5_set_lanes(levels[v]) != levels[v])
            continue; /* not on this CPU */
        double lw[MAX_REPEATS], lc[MAX_REPEATS];
        work one = w[0];
        one.t = 0;
        one.threads = 1;
        for (int r = 0; r < repeats; r++) {
            lw[r] = run_threads(&one, 1, draws_thread, &lc[r]);
        }
        sinkx ^= one.sink;
        double cpu = median(lc, repeats);
        per_level[v] = cpu > 0 ? (double)draws / cpu : 0;
        (void)lw;
    }
    wf_md5_set_lanes(best);
    for (int t = 0; t < threads; t++) /* printed, so the hashing is kept */
        sinkx ^= w[t].sink;
    printf("employees=%zu years=%d threads=%d lanes=%d draws=%llu events=%lld "
           "sim_wall_s=%.4f sim_cpu_s=%.4f floor_draws_wall_s=%.4f "
           "floor_draws_cpu_s=%.4f floor_ids_wall_s=%.4f floor_ids_cpu_s=%.4f "
           "draws_per_s_core_L1=%.0f draws_per_s_core_L8=%.0f "
           "draws_per_s_core_L16=%.0f check=%08x\n",
           cen->n, years, threads, wf_md5_lanes(), (unsigned long long)draws,
           (long long)cnt.events, median(sim_wall, repeats), median(sim_cpu, repeats),
           median(fd_wall, repeats), median(fd_cpu, repeats),
           median(fi_wall, repeats), median(fi_cpu, repeats), per_level[0],
           per_level[1], per_level[2], sinkx);
    /* the draws by stream, on stderr */
    for (int k = 0; k < WF_STREAM_COUNT; k++) {
        uint64_t c = 0;
        for (int y = 0; y < years; y++)
            c += counts[y * WF_STREAM_COUNT + k];
        fprintf(stderr, "%s%s=%llu", k ? " " : "draws by stream: ", wf_stream_names[k],
                (unsigned long long)c);
    }
    fputc('\n', stderr);
    free(counts);
    free(ids);
    free(lens);
    free(harena);
    free(hids);
    free(hlens);
    free(keys);
    free(hkeys);
    free(jobs);
    wf_census_free(cen);
    wf_tables_free(tab);
    wf_config_free(cfg);
    return 0;
fail: {
    char msg[512];
    wf_error_format(&err, msg, sizeof msg);
    fprintf(stderr, "md5_floor: %s\n", msg);
    return 1;
}
}
