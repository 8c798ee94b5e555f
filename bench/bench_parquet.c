/*
 * bench_parquet.c - throughput of wfsim's Parquet writer.
 *
 *     bench_parquet [ROWS [ZSTD_LEVEL [OUT]]]     (default 10000000, 1)
 *
 * Writes a six-column table shaped like the event output - int32, int64,
 * double, date, a low-cardinality string (dictionary) and a
 * high-cardinality string (dictionary tried, falls back to PLAIN) - in
 * batches of 65536 rows through pq_writer_append (one thread: the
 * writer's own path; the engine's parallel writing is measured by
 * bench.py), and prints the wall time and MB/s of raw column data (the
 * values' own bytes: 4 + 8 + 8 + 4 bytes a row plus the string bytes), the
 * CPU time, the ZSTD level and the file size. The data are generated
 * before timing starts. OUT defaults to a file in $TMPDIR (or /tmp),
 * removed afterwards.
 */
#include "pq_writer.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { BATCH = 65536 };

typedef struct data {
    size_t rows;
    int32_t *i32, *day;
    int64_t *i64;
    double *f64;
    int64_t *low_off, *high_off;
    char *low_bytes, *high_bytes;
    size_t raw_bytes;
} data;

static const char *LOW[] = {"hire", "termination", "promotion", "raise",
                            "enrollment", "enrollment_change",
                            "deferral_escalation", "eligibility"};

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "bench_parquet: out of memory\n");
        exit(1);
    }
    return p;
}

static void generate(data *d, size_t rows)
{
    d->rows = rows;
    d->i32 = xmalloc(rows * 4);
    d->day = xmalloc(rows * 4);
    d->i64 = xmalloc(rows * 8);
    d->f64 = xmalloc(rows * 8);
    d->low_off = xmalloc((rows + 1) * 8);
    d->high_off = xmalloc((rows + 1) * 8);
    d->low_bytes = xmalloc(rows * 20);
    d->high_bytes = xmalloc(rows * 24);
    d->low_off[0] = d->high_off[0] = 0;
    for (size_t i = 0; i < rows; i++) {
        uint64_t r = mix(i);
        d->i32[i] = (int32_t)(i / 8);                    /* employee-like ids */
        d->i64[i] = (int64_t)(r % 20000000) + 3000000;   /* salary cents */
        d->f64[i] = (double)(r >> 40) / 1048576.0;       /* rates */
        d->day[i] = 20089 + (int32_t)(r % 1826);         /* 2025-2029 */
        const char *s = LOW[(r >> 20) % 8];
        size_t n = strlen(s);
        memcpy(d->low_bytes + d->low_off[i], s, n);
        d->low_off[i + 1] = d->low_off[i] + (int64_t)n;
        int m = snprintf(d->high_bytes + d->high_off[i], 24, "EMP_%012llu",
                         (unsigned long long)(r % 1000000000000ULL));
        d->high_off[i + 1] = d->high_off[i] + m;
    }
    d->raw_bytes = rows * (4 + 8 + 8 + 4) + (size_t)d->low_off[rows] +
                   (size_t)d->high_off[rows];
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

static const pq_column_spec SPECS[6] = {
    {.name = "employee_id", .physical = PQ_INT32},
    {.name = "salary_cents", .physical = PQ_INT64, .logical = PQ_LT_DECIMAL,
     .precision = 18, .scale = 2},
    {.name = "rate", .physical = PQ_DOUBLE},
    {.name = "effective_date", .physical = PQ_INT32, .logical = PQ_LT_DATE},
    {.name = "event_type", .physical = PQ_BYTE_ARRAY, .logical = PQ_LT_STRING,
     .dictionary = true},
    {.name = "employee_key", .physical = PQ_BYTE_ARRAY, .logical = PQ_LT_STRING,
     .dictionary = true},
};

/* Writes the table; returns wall seconds (and CPU seconds in *cpu), or -1
 * on error. */
static double run(const data *d, const char *path, int level, double *cpu)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror(path);
        return -1;
    }
    pq_options opt = {.zstd_level = level,
                      .created_by = "wfsim bench_parquet"};
    double t0 = now(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    pq_writer *w = pq_writer_open(fd, SPECS, 6, &opt);
    for (size_t at = 0; at < d->rows; at += BATCH) {
        size_t n = d->rows - at < BATCH ? d->rows - at : BATCH;
        pq_column_data cols[6] = {
            {.values = d->i32 + at},
            {.values = d->i64 + at},
            {.values = d->f64 + at},
            {.values = d->day + at},
            {.offsets = d->low_off + at, .bytes = d->low_bytes},
            {.offsets = d->high_off + at, .bytes = d->high_bytes},
        };
        pq_writer_append(w, cols, n);
    }
    char err[256];
    int rc = pq_writer_close(w, err, sizeof err);
    double t = now() - t0;
    *cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    close(fd);
    if (rc != 0) {
        fprintf(stderr, "bench_parquet: %s\n", err);
        return -1;
    }
    return t;
}

int main(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
                     strtoull(argv[1], NULL, 10) == 0)) {
        printf("usage: bench_parquet [ROWS [ZSTD_LEVEL [FILE]]]\n"
               "Writes a ROWS x 6 table (default 10,000,000; level 1) on one thread\n"
               "and prints MB/s of raw column data; FILE is kept when given.\n");
        return strcmp(argv[1], "--help") && strcmp(argv[1], "-h") ? 64 : 0;
    }
    size_t rows = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000;
    int level = argc > 2 ? atoi(argv[2]) : 1;  /* the writer's default */
    char path[4096];
    const char *tmp = getenv("TMPDIR");
    if (argc > 3)
        snprintf(path, sizeof path, "%s", argv[3]);
    else
        snprintf(path, sizeof path, "%s/bench_parquet_%d.parquet", tmp ? tmp : "/tmp",
                 (int)getpid());
    data d;
    generate(&d, rows);
    printf("bench_parquet: %zu rows, 6 columns, %.1f MB raw column data, zstd level %d\n",
           rows, d.raw_bytes / 1e6, level);
    double cpu = 0, t = run(&d, path, level, &cpu);
    if (t < 0)
        return 1;
    struct stat st;
    stat(path, &st);
    printf("  %.3f s wall, %.1f MB/s raw; %.3f s CPU (%.1f MB/s per CPU second); "
           "file %.1f MB (%.2fx smaller)\n",
           t, d.raw_bytes / 1e6 / t, cpu, d.raw_bytes / 1e6 / cpu,
           st.st_size / 1e6, (double)d.raw_bytes / (double)st.st_size);
    if (argc <= 3)
        unlink(path);
    return 0;
}
