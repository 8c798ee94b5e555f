/*
 * test_parquet_writer.c - the Parquet writer as a whole (pq_writer.c) and
 * one column chunk at a time (pq_chunk.c): statistics in each type's
 * order, dictionary and fallback page counts, spec and data errors, write
 * errors, the file layout, and byte-identical output for any thread count
 * and for a pipe. Reading values back is the Python tests' job
 * (tests/py/test_parquet_*.py, through DuckDB, pyarrow and Polars).
 */
#include "wf_test.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pq_int.h"

/* ---- one chunk ------------------------------------------------------- */

typedef struct chunk_fixture {
    pq_column_spec spec;
    pq_chunk_work work;
    pq_chunk_out out;
    pq_options opt;
} chunk_fixture;

static void encode(chunk_fixture *f, const pq_chunk_in *in)
{
    if (!f->opt.zstd_level)
        f->opt = (pq_options){.zstd_level = 3, .page_bytes = 1 << 20,
                              .dict_max_bytes = 1 << 20};
    if (!f->work.zstd)
        pq_chunk_work_init(&f->work);
    pq_chunk_encode(in, &f->opt, &f->work, &f->out);
}

static void release(chunk_fixture *f)
{
    pq_chunk_work_free(&f->work);
    pq_chunk_out_free(&f->out);
}

static int64_t le_int(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t k = 0; k < n; k++)
        v |= (uint64_t)p[k] << (8 * k);
    if (n == 4)
        return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

TEST(parquet_chunk_int_stats_are_signed)
{
    chunk_fixture f = {.spec = {.name = "a", .physical = PQ_INT32, .nullable = true}};
    int32_t v[] = {3, -5, 2};
    uint8_t def[] = {1, 0, 1, 0, 1};
    pq_chunk_in in = {.spec = &f.spec, .nrows = 5, .nvalues = 3, .d = {.def = def, .values = v}};
    encode(&f, &in);
    ASSERT_STREQ(f.out.error, "");
    ASSERT_TRUE(f.out.stats.has_minmax);
    ASSERT_UEQ(f.out.stats.min_len, 4);
    ASSERT_EQ(le_int(f.out.stats.min, 4), -5);
    ASSERT_EQ(le_int(f.out.stats.max, 4), 3);
    ASSERT_EQ(f.out.stats.null_count, 2);
    ASSERT_EQ(f.out.num_values, 5);
    ASSERT_EQ(f.out.pages_plain, 1);
    ASSERT_EQ(f.out.dict.len, 0);
    release(&f);
}

TEST(parquet_chunk_string_stats_are_bytewise_unsigned)
{
    chunk_fixture f = {.spec = {.name = "s", .physical = PQ_BYTE_ARRAY,
                                .logical = PQ_LT_STRING}};
    const char bytes[] = "zb\xc3\xa9" "ab";  /* "z", "b", "é", "", "ab" */
    uint64_t off[] = {0, 1, 2, 4, 4, 6};
    pq_chunk_in in = {.spec = &f.spec, .nrows = 5, .nvalues = 5,
                      .d = {.offsets = off, .bytes = (const uint8_t *)bytes}};
    encode(&f, &in);
    ASSERT_TRUE(f.out.stats.has_minmax);
    ASSERT_UEQ(f.out.stats.min_len, 0);                       /* "" */
    ASSERT_UEQ(f.out.stats.max_len, 2);                       /* "é" */
    ASSERT_TRUE(memcmp(f.out.stats.max, "\xc3\xa9", 2) == 0);
    release(&f);
}

TEST(parquet_chunk_long_string_has_no_bounds)
{
    chunk_fixture f = {.spec = {.name = "s", .physical = PQ_BYTE_ARRAY}};
    size_t n = PQ_STATS_MAX_BYTES + 1;
    uint8_t *bytes = calloc(n + 1, 1);
    ASSERT_TRUE(bytes != NULL);
    uint64_t off[] = {0, 1, n + 1};
    pq_chunk_in in = {.spec = &f.spec, .nrows = 2, .nvalues = 2,
                      .d = {.offsets = off, .bytes = bytes}};
    encode(&f, &in);
    ASSERT_STREQ(f.out.error, "");
    ASSERT_TRUE(!f.out.stats.has_minmax);
    ASSERT_EQ(f.out.stats.null_count, 0);
    release(&f);
    free(bytes);
}

TEST(parquet_chunk_bool_and_double_stats)
{
    chunk_fixture f = {.spec = {.name = "b", .physical = PQ_BOOLEAN}};
    uint8_t b[] = {1, 1, 1};
    pq_chunk_in in = {.spec = &f.spec, .nrows = 3, .nvalues = 3, .d = {.values = b}};
    encode(&f, &in);
    ASSERT_UEQ(f.out.stats.min[0], 1);
    ASSERT_UEQ(f.out.stats.max[0], 1);
    release(&f);

    chunk_fixture g = {.spec = {.name = "x", .physical = PQ_DOUBLE}};
    double x[] = {NAN, 0.0, 2.5};
    in = (pq_chunk_in){.spec = &g.spec, .nrows = 3, .nvalues = 3, .d = {.values = x}};
    encode(&g, &in);
    double lo, hi;
    memcpy(&lo, g.out.stats.min, 8);
    memcpy(&hi, g.out.stats.max, 8);
    ASSERT_TRUE(lo == 0 && signbit(lo));
    ASSERT_DEQ(hi, 2.5);
    release(&g);
}

TEST(parquet_chunk_decimal_out_of_precision)
{
    chunk_fixture f = {.spec = {.name = "amount", .physical = PQ_INT64,
                                .logical = PQ_LT_DECIMAL, .precision = 4, .scale = 2}};
    int64_t v[] = {9999, -10000};
    pq_chunk_in in = {.spec = &f.spec, .nrows = 2, .nvalues = 2, .d = {.values = v}};
    encode(&f, &in);
    ASSERT_CONTAINS(f.out.error, "column \"amount\": value -10000 does not fit DECIMAL(4,2)");
    release(&f);
}

TEST(parquet_chunk_dictionary_and_fallback)
{
    enum { N = 20000 };
    int64_t *v = malloc(N * sizeof *v);
    ASSERT_TRUE(v != NULL);
    for (int i = 0; i < N; i++)
        v[i] = i % 5 * 1000003;
    chunk_fixture f = {.spec = {.name = "k", .physical = PQ_INT64, .dictionary = true},
                       .opt = {.zstd_level = 3, .page_bytes = 8000, .dict_max_bytes = 400}};
    pq_chunk_in in = {.spec = &f.spec, .nrows = N, .nvalues = N, .d = {.values = v}};
    encode(&f, &in);
    ASSERT_EQ(f.out.dict_count, 5);
    ASSERT_EQ(f.out.pages_plain, 0);
    ASSERT_EQ(f.out.pages_dict, N * 8 / 8000);
    ASSERT_TRUE(f.out.dict.len > 0);
    /* now distinct values from row 10000 on: 400 bytes hold 50 entries */
    for (int i = N / 2; i < N; i++)
        v[i] = i;
    encode(&f, &in);
    ASSERT_EQ(f.out.pages_dict, 10);
    ASSERT_EQ(f.out.pages_plain, 10);
    ASSERT_EQ(f.out.dict_count, 5);  /* the failed page's entries are dropped */
    release(&f);
    free(v);
}

/* ---- whole files --------------------------------------------------------- */

enum { ROWS = 5000 };

typedef struct table {
    int32_t i32[ROWS];
    int64_t i64[ROWS];
    double f64[ROWS];
    uint8_t flag[ROWS], valid[ROWS];
    int64_t off[ROWS + 1];
    char bytes[ROWS * 12];
} table;

static const pq_column_spec SPECS[] = {
    {.name = "day", .physical = PQ_INT32, .logical = PQ_LT_DATE, .nullable = true},
    {.name = "amount", .physical = PQ_INT64, .logical = PQ_LT_DECIMAL,
     .precision = 18, .scale = 2},
    {.name = "rate", .physical = PQ_DOUBLE, .nullable = true, .dictionary = true},
    {.name = "flag", .physical = PQ_BOOLEAN},
    {.name = "name", .physical = PQ_BYTE_ARRAY, .logical = PQ_LT_STRING,
     .nullable = true, .dictionary = true},
};

static void fill(table *t)
{
    t->off[0] = 0;
    for (int i = 0; i < ROWS; i++) {
        t->i32[i] = 19000 + i % 400;
        t->i64[i] = (int64_t)i * 104729 - 1000000;
        t->f64[i] = (i % 7) / 100.0;
        t->flag[i] = i % 3 == 0;
        t->valid[i] = i % 11 != 0;
        int n = snprintf(t->bytes + t->off[i], 12, "e%d", i % 97);
        t->off[i + 1] = t->off[i] + n;
    }
}

/* Writes the table to fd in batches of `batch` rows with options *opt;
 * returns close's rc. */
static int write_table_opt(int fd, const table *t, const pq_options *opt, size_t batch,
                           char *err, size_t errlen)
{
    pq_writer *w = pq_writer_open(fd, SPECS, 5, opt);
    for (size_t at = 0; at < ROWS; at += batch) {
        size_t n = ROWS - at < batch ? ROWS - at : batch;
        pq_column_data d[5] = {
            {.values = t->i32 + at, .valid = t->valid + at},
            {.values = t->i64 + at},
            {.values = t->f64 + at, .valid = t->valid + at},
            {.values = t->flag + at},
            {.offsets = t->off + at, .bytes = t->bytes, .valid = t->valid + at},
        };
        pq_writer_append(w, d, n);
    }
    return pq_writer_close(w, err, errlen);
}

/* The options of the whole-file tests: many row groups and pages. */
static pq_options file_options(void)
{
    return (pq_options){.row_group_rows = 1500, .page_bytes = 2000,
                        .created_by = "wfsim test"};
}

static int write_table(int fd, const table *t, size_t batch, char *err, size_t errlen)
{
    pq_options opt = file_options();
    return write_table_opt(fd, t, &opt, batch, err, errlen);
}


/* The table appended in batches of `batch` rows into a file; its bytes. */
static uint8_t *append_to_file(const table *t, const pq_options *opt, size_t batch,
                               size_t *len)
{
    char path[4200], err[256];
    snprintf(path, sizeof path, "%s/t.parquet", wf_test_tmpdir());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return NULL;
    int rc = write_table_opt(fd, t, opt, batch, err, sizeof err);
    close(fd);
    return rc == 0 ? (uint8_t *)wf_test_slurp(path, len) : NULL;
}

static uint8_t *write_to_file(const table *t, size_t batch, size_t *len)
{
    pq_options opt = file_options();
    return append_to_file(t, &opt, batch, len);
}

TEST(parquet_file_layout)
{
    table *t = malloc(sizeof *t);
    ASSERT_TRUE(t != NULL);
    fill(t);
    size_t len = 0;
    uint8_t *p = write_to_file(t, ROWS, &len);
    ASSERT_TRUE(p != NULL);
    ASSERT_TRUE(len > 12);
    ASSERT_TRUE(memcmp(p, "PAR1", 4) == 0);
    ASSERT_TRUE(memcmp(p + len - 4, "PAR1", 4) == 0);
    uint32_t footer = (uint32_t)le_int(p + len - 8, 4);
    ASSERT_TRUE(footer > 0 && footer < len - 12);
    /* the footer names the writer and every column */
    ASSERT_TRUE(memmem(p + len - 8 - footer, footer, "wfsim test", 10) != NULL);
    ASSERT_TRUE(memmem(p + len - 8 - footer, footer, "amount", 6) != NULL);
    free(p);
    free(t);
}

TEST(parquet_output_independent_of_batches_and_fd)
{
    table *t = malloc(sizeof *t);
    ASSERT_TRUE(t != NULL);
    fill(t);
    size_t len1 = 0, lenb = 0;
    uint8_t *one = write_to_file(t, ROWS, &len1);
    uint8_t *batched = write_to_file(t, 333, &lenb);
    ASSERT_TRUE(one && batched);
    ASSERT_UEQ(len1, lenb);
    ASSERT_TRUE(memcmp(one, batched, len1) == 0);
    /* through a pipe: same bytes (offsets are counted, not asked of the fd) */
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    ASSERT_TRUE(len1 < 65536);  /* fits the pipe buffer: no reader thread */
    char err[256];
    ASSERT_EQ(write_table(fds[1], t, ROWS, err, sizeof err), 0);
    close(fds[1]);
    uint8_t *piped = malloc(len1 + 1);
    size_t got = 0;
    for (ssize_t k; (k = read(fds[0], piped + got, len1 + 1 - got)) > 0;)
        got += (size_t)k;
    close(fds[0]);
    ASSERT_UEQ(got, len1);
    ASSERT_TRUE(memcmp(one, piped, len1) == 0);
    free(piped);
    free(one);
    free(batched);
    free(t);
}

TEST(parquet_write_error_is_reported_at_close)
{
    int fd = open("/dev/full", O_WRONLY);
    ASSERT_TRUE(fd >= 0);
    table *t = malloc(sizeof *t);
    ASSERT_TRUE(t != NULL);
    fill(t);
    char err[256];
    ASSERT_EQ(write_table(fd, t, 1000, err, sizeof err), -1);
    ASSERT_CONTAINS(err, "write failed after 0 bytes");
    close(fd);
    free(t);
}

TEST(parquet_spec_errors)
{
    char err[256];
    pq_column_spec bad[] = {
        {.name = "ok", .physical = PQ_INT32},
        {.name = "amount", .physical = PQ_INT32, .logical = PQ_LT_DECIMAL,
         .precision = 10, .scale = 2},
    };
    pq_writer *w = pq_writer_open(-1, bad, 2, NULL);
    ASSERT_TRUE(w != NULL);
    ASSERT_CONTAINS(pq_writer_error(w), "column \"amount\": DECIMAL(10,2) on INT32");
    int32_t v[1] = {1};
    pq_column_data d[2] = {{.values = v}, {.values = v}};
    pq_writer_append(w, d, 1);  /* ignored after the error */
    ASSERT_EQ(pq_writer_close(w, err, sizeof err), -1);
    ASSERT_CONTAINS(err, "DECIMAL(10,2)");

    w = pq_writer_open(-1, bad, 0, NULL);
    ASSERT_EQ(pq_writer_close(w, err, sizeof err), -1);
    ASSERT_STREQ(err, "no columns");

    pq_options opt = {.zstd_level = 99};
    w = pq_writer_open(-1, bad, 1, &opt);
    ASSERT_EQ(pq_writer_close(w, err, sizeof err), -1);
    ASSERT_CONTAINS(err, "zstd_level 99");

    ASSERT_EQ(pq_writer_close(NULL, err, sizeof err), -1);
}

TEST(parquet_data_errors_name_column_and_row)
{
    char path[4200], err[256];
    snprintf(path, sizeof path, "%s/t.parquet", wf_test_tmpdir());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_TRUE(fd >= 0);
    pq_column_spec spec[] = {{.name = "who", .physical = PQ_BYTE_ARRAY}};
    pq_writer *w = pq_writer_open(fd, spec, 1, NULL);
    int64_t off[] = {0, 2, 4, 3};
    pq_column_data d[] = {{.offsets = off, .bytes = "abcd"}};
    pq_writer_append(w, d, 2);
    pq_writer_append(w, d + 0, 3);
    ASSERT_CONTAINS(pq_writer_error(w), "column \"who\": row 4: offsets decrease (4 then 3)");
    ASSERT_EQ(pq_writer_close(w, err, sizeof err), -1);
    close(fd);
    size_t len = 0;
    uint8_t *p = (uint8_t *)wf_test_slurp(path, &len);
    ASSERT_TRUE(p != NULL);
    ASSERT_UEQ(len, 4);  /* the magic only: no footer, nothing looks complete */
    free(p);
}

TEST(parquet_write_error_sticks)
{
    /* The fd turns read-only after the magic: the first row group's write
     * fails; the error sticks (later appends do nothing), close reports it
     * and no footer follows. */
    char path[4200], err[256];
    snprintf(path, sizeof path, "%s/t.parquet", wf_test_tmpdir());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_TRUE(fd >= 0);
    pq_column_spec spec[] = {{.name = "n", .physical = PQ_INT64}};
    pq_options opt = {.row_group_rows = 100};
    pq_writer *w = pq_writer_open(fd, spec, 1, &opt);
    ASSERT_STREQ(pq_writer_error(w), "");
    int ro = open(path, O_RDONLY);
    ASSERT_TRUE(ro >= 0);
    ASSERT_TRUE(dup2(ro, fd) == fd);
    int64_t v[1000];
    for (int i = 0; i < 1000; i++)
        v[i] = i;
    pq_column_data d[] = {{.values = v}};
    for (int k = 0; k < 10; k++)
        pq_writer_append(w, d, 100);
    ASSERT_CONTAINS(pq_writer_error(w), "write failed after 4 bytes");
    ASSERT_EQ(pq_writer_close(w, err, sizeof err), -1);
    ASSERT_CONTAINS(err, "write failed after 4 bytes");
    close(fd);
    close(ro);
    size_t len = 0;
    uint8_t *p = (uint8_t *)wf_test_slurp(path, &len);
    ASSERT_TRUE(p != NULL);
    ASSERT_UEQ(len, 4);
    free(p);
}

/* ---- row groups encoded apart (pq_encode, pq_writer_put) ----------------- */

/* The table's rows [at, at + n) in the writer's layout: nullable columns
 * packed, "name" in full or as codes into the dictionary "e0".."e96". */
typedef struct packed {
    uint8_t def[ROWS];
    int32_t day[ROWS];
    double rate[ROWS];
    uint64_t off[ROWS + 1];
    char bytes[ROWS * 12];
    uint32_t code[ROWS];
    uint64_t dict_off[98];
    char dict[97 * 4];
    pq_chunk_data d[5];
} packed;

static void pack(packed *p, const table *t, size_t at, size_t n, bool coded)
{
    size_t k = 0;
    p->off[0] = 0;
    p->dict_off[0] = 0;
    for (int c = 0; c < 97; c++) {
        int len = snprintf(p->dict + p->dict_off[c], 5, "e%d", c);
        p->dict_off[c + 1] = p->dict_off[c] + (uint64_t)len;
    }
    for (size_t i = 0; i < n; i++) {
        size_t r = at + i;
        p->def[i] = t->valid[r];
        if (!t->valid[r])
            continue;
        p->day[k] = t->i32[r];
        p->rate[k] = t->f64[r];
        size_t len = (size_t)(t->off[r + 1] - t->off[r]);
        memcpy(p->bytes + p->off[k], t->bytes + t->off[r], len);
        p->off[k + 1] = p->off[k] + len;
        p->code[k] = (uint32_t)(r % 97);
        k++;
    }
    p->d[0] = (pq_chunk_data){.def = p->def, .values = p->day};
    p->d[1] = (pq_chunk_data){.values = t->i64 + at};
    p->d[2] = (pq_chunk_data){.def = p->def, .values = p->rate};
    p->d[3] = (pq_chunk_data){.values = t->flag + at};
    p->d[4] = coded ? (pq_chunk_data){.def = p->def, .codes = p->code,
                                      .dict_offsets = p->dict_off,
                                      .dict_bytes = (const uint8_t *)p->dict, .dict_n = 97}
                    : (pq_chunk_data){.def = p->def, .offsets = p->off,
                                      .bytes = (const uint8_t *)p->bytes};
}

/* Writes the table through pq_encode/pq_writer_put in row groups of
 * opt->row_group_rows, the last one encoded first on a second encoder
 * (encoding order must not matter, only the order of puts). */
static uint8_t *put_to_file(const table *t, const pq_options *opt, bool coded, size_t *len)
{
    char path[4200], err[256];
    snprintf(path, sizeof path, "%s/put.parquet", wf_test_tmpdir());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    packed *p = malloc(sizeof *p), *last = malloc(sizeof *last);
    pq_encoder *e = pq_encoder_new(), *e_last = pq_encoder_new();
    if (fd < 0 || !p || !last || !e || !e_last)
        return NULL;
    pq_writer *w = pq_writer_open(fd, SPECS, 5, opt);
    size_t g = opt->row_group_rows, final = (ROWS - 1) / g * g;
    pack(last, t, final, ROWS - final, coded);
    pq_encode(w, e_last, last->d, ROWS - final);
    for (size_t at = 0; at < final; at += g) {
        pack(p, t, at, g, coded);
        pq_encode(w, e, p->d, g);
        pq_writer_put(w, e);
    }
    pq_writer_put(w, e_last);
    int rc = pq_writer_close(w, err, sizeof err);
    close(fd);
    pq_encoder_free(e);
    pq_encoder_free(e_last);
    free(p);
    free(last);
    return rc == 0 ? (uint8_t *)wf_test_slurp(path, len) : NULL;
}

TEST(parquet_put_gives_the_bytes_of_append_coded_or_not)
{
    table *t = malloc(sizeof *t);
    ASSERT_TRUE(t != NULL);
    fill(t);
    /* dict_max_bytes 200: "name"'s dictionary overflows mid-chunk, so the
     * coded column's PLAIN fallback is compared too */
    size_t dict_max[] = {0, 200};
    for (int k = 0; k < 2; k++) {
        pq_options opt = file_options();
        opt.dict_max_bytes = dict_max[k];
        size_t la = 0, lp = 0, lc = 0;
        uint8_t *a = append_to_file(t, &opt, 777, &la);
        uint8_t *plain = put_to_file(t, &opt, false, &lp);
        uint8_t *coded = put_to_file(t, &opt, true, &lc);
        ASSERT_TRUE(a && plain && coded);
        ASSERT_UEQ(lp, la);
        ASSERT_TRUE(memcmp(a, plain, la) == 0);
        ASSERT_UEQ(lc, la);
        ASSERT_TRUE(memcmp(a, coded, la) == 0);
        free(a);
        free(plain);
        free(coded);
    }
    free(t);
}

/* One put of a one-column row group; returns close's rc and message. */
static int put_one(const pq_column_spec *spec, const pq_chunk_data *d, size_t nrows,
                   char *err, size_t errlen)
{
    int fd = open("/dev/null", O_WRONLY);
    pq_writer *w = pq_writer_open(fd, spec, 1, NULL);
    pq_encoder *e = pq_encoder_new();
    pq_encode(w, e, d, nrows);
    pq_writer_put(w, e);
    pq_encoder_free(e);
    int rc = pq_writer_close(w, err, errlen);
    close(fd);
    return rc;
}

TEST(parquet_put_rejects_bad_row_groups)
{
    char err[512];
    pq_column_spec label = {.name = "label", .physical = PQ_BYTE_ARRAY,
                            .logical = PQ_LT_STRING, .dictionary = true};
    uint64_t off[] = {0, 1, 2, 3};
    uint32_t codes[] = {0, 2, 3};
    pq_chunk_data d = {.codes = codes, .dict_offsets = off,
                       .dict_bytes = (const uint8_t *)"abc", .dict_n = 3};
    ASSERT_EQ(put_one(&label, &d, 3, err, sizeof err), -1);
    ASSERT_CONTAINS(err, "column \"label\": code 3 is outside the dictionary of 3 entries");

    d.dict_bytes = (const uint8_t *)"aba";
    codes[2] = 1;
    ASSERT_EQ(put_one(&label, &d, 3, err, sizeof err), -1);
    ASSERT_CONTAINS(err, "dictionary entries 0 and 2 are equal");

    pq_column_spec opt_col = {.name = "n", .physical = PQ_INT32, .nullable = true};
    int32_t v[] = {1, 2};
    pq_chunk_data nd = {.values = v};
    ASSERT_EQ(put_one(&opt_col, &nd, 2, err, sizeof err), -1);
    ASSERT_CONTAINS(err, "column \"n\": definition levels missing");

    uint8_t def[] = {1, 2};
    nd.def = def;
    ASSERT_EQ(put_one(&opt_col, &nd, 2, err, sizeof err), -1);
    ASSERT_CONTAINS(err, "a definition level is not 0 or 1");

    pq_column_spec req = {.name = "r", .physical = PQ_INT32};
    def[1] = 1;
    ASSERT_EQ(put_one(&req, &nd, 2, err, sizeof err), -1);
    ASSERT_CONTAINS(err, "column \"r\": definition levels given but the column is not nullable");

    pq_column_spec str = {.name = "s", .physical = PQ_BYTE_ARRAY};
    uint64_t back[] = {0, 2, 1};
    pq_chunk_data sd = {.offsets = back, .bytes = (const uint8_t *)"ab"};
    ASSERT_EQ(put_one(&str, &sd, 2, err, sizeof err), -1);
    ASSERT_CONTAINS(err, "column \"s\": value 1: offsets decrease");
}
