/*
 * fuzz_parquet.c - fuzz target: the Parquet writer on random schemas and
 * values.
 *
 * The input bytes are read as a recipe: 1-6 columns of random physical and
 * logical types (every combination pq_writer.h allows, nullable or not,
 * dictionary or not, decimals of every precision and scale), writer options
 * (row-group rows, page and dictionary bounds small enough that files have
 * many row groups, pages and dictionary fallbacks; zstd level),
 * up to 512 rows of values (doubles from raw bits, so NaN, infinities and
 * -0.0 occur; strings from 0 to 5000 bytes) and the batch size of the
 * appends. Every recipe describes valid data, so pq_writer_close must
 * succeed, and the file must be framed as Parquet ("PAR1" at both ends, a
 * footer length that fits). The same rows are then written a second way,
 * row group by row group through pq_encode and pq_writer_put, dictionary
 * byte-array columns as codes into the row group's distinct values, and
 * the two files must be byte-identical. When the input runs out, the
 * remaining bytes read as 0.
 *
 * The values themselves are checked outside: with WF_FUZZ_DUMP=DIR set,
 * input number N is written to DIR/N.parquet (N counted from 0 in replay
 * order) with DIR/N.json holding the schema and the expected values, and
 * tests/py/test_reliability_fuzz.py reads each file back with DuckDB and
 * compares. The JSON gives integers (dates as days, timestamps as
 * microseconds, decimals unscaled) as numbers, doubles as the hex of their
 * 64 bits, byte arrays as hex, nulls as null.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "pq_writer.h"

#define MAX_COLS 6
#define MAX_ROWS 512

typedef struct recipe {
    const uint8_t *p;
    size_t n, i;
} recipe;

/* The next `bytes` bytes, big-endian; 0 once the input is used up. */
static uint64_t take(recipe *r, int bytes)
{
    uint64_t v = 0;
    for (int k = 0; k < bytes; k++)
        v = v << 8 | (r->i < r->n ? r->p[r->i++] : 0);
    return v;
}

typedef struct kind {
    pq_physical physical;
    pq_logical logical;
    const char *phys_name, *logical_name;
} kind;

static const kind kinds[] = {
    {PQ_BOOLEAN, PQ_LT_NONE, "BOOLEAN", "NONE"},
    {PQ_INT32, PQ_LT_NONE, "INT32", "NONE"},
    {PQ_INT64, PQ_LT_NONE, "INT64", "NONE"},
    {PQ_DOUBLE, PQ_LT_NONE, "DOUBLE", "NONE"},
    {PQ_BYTE_ARRAY, PQ_LT_NONE, "BYTE_ARRAY", "NONE"},
    {PQ_BYTE_ARRAY, PQ_LT_STRING, "BYTE_ARRAY", "STRING"},
    {PQ_INT32, PQ_LT_DATE, "INT32", "DATE"},
    {PQ_INT32, PQ_LT_DECIMAL, "INT32", "DECIMAL"},
    {PQ_INT64, PQ_LT_DECIMAL, "INT64", "DECIMAL"},
    {PQ_INT64, PQ_LT_TIMESTAMP_MICROS, "INT64", "TIMESTAMP"},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

typedef struct column {
    const kind *k;
    pq_column_spec spec;
    char name[16];
    int64_t ints[MAX_ROWS];     /* every integer-like type, widened */
    int32_t i32[MAX_ROWS];
    uint8_t b8[MAX_ROWS];
    double dbl[MAX_ROWS];
    int64_t offsets[MAX_ROWS + 1];
    char *bytes;
    size_t nbytes, cap;
    uint8_t valid[MAX_ROWS];
} column;

static column cols[MAX_COLS];

static const int64_t DAY_US = 86400000000LL;
/* Dates and timestamps stay within years 1..9999 so that every reader can
 * show them: day -719162 is 0001-01-01. */
static const int64_t MIN_DAY = -719162, DAY_SPAN = 3600000;

static void add_byte(column *c, uint8_t b)
{
    if (c->nbytes == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->bytes = realloc(c->bytes, c->cap);
        FUZZ_CHECK(c->bytes != NULL);
    }
    c->bytes[c->nbytes++] = (char)b;
}

static void fill_value(column *c, size_t row, recipe *r)
{
    const kind *k = c->k;
    int64_t p10 = 1;
    switch (k->logical) {
    case PQ_LT_DATE:
        c->i32[row] = (int32_t)(MIN_DAY + (int64_t)(take(r, 4) % DAY_SPAN));
        c->ints[row] = c->i32[row];
        return;
    case PQ_LT_TIMESTAMP_MICROS:
        c->ints[row] = MIN_DAY * DAY_US + (int64_t)(take(r, 8) % (uint64_t)(DAY_SPAN * DAY_US));
        return;
    case PQ_LT_DECIMAL: {
        for (int d = 0; d < c->spec.precision; d++)
            p10 *= 10;
        uint64_t raw = take(r, 8);
        int64_t v = (int64_t)((raw >> 1) % (uint64_t)p10);
        c->ints[row] = raw & 1 ? -v : v;
        c->i32[row] = (int32_t)c->ints[row];
        return;
    }
    default:
        break;
    }
    switch (k->physical) {
    case PQ_BOOLEAN:
        c->b8[row] = (uint8_t)(take(r, 1) & 1);
        break;
    case PQ_INT32:
        c->i32[row] = (int32_t)(uint32_t)take(r, 4);
        c->ints[row] = c->i32[row];
        break;
    case PQ_INT64:
        c->ints[row] = (int64_t)take(r, 8);
        break;
    case PQ_DOUBLE: {
        uint64_t bits = take(r, 8);
        memcpy(&c->dbl[row], &bits, sizeof bits);
        break;
    }
    case PQ_BYTE_ARRAY: {
        size_t len = take(r, 1);
        len = len >= 250 ? 4000 + (len - 250) * 200 : len % 40;
        for (size_t j = 0; j < len; j++) {
            uint8_t b = (uint8_t)take(r, 1);
            if (k->logical != PQ_LT_STRING) {
                add_byte(c, b);
            } else if (b < 0xC0) {      /* strings stay valid UTF-8 */
                add_byte(c, (uint8_t)(' ' + b % 95));
            } else {
                add_byte(c, 0xC3);
                add_byte(c, 0xA9);
            }
        }
        break;
    }
    }
}

static const void *values_of(column *c, size_t from)
{
    switch (c->k->physical) {
    case PQ_BOOLEAN: return c->b8 + from;
    case PQ_INT32: return c->i32 + from;
    case PQ_INT64: return c->ints + from;
    case PQ_DOUBLE: return c->dbl + from;
    default: return NULL;
    }
}

static void dump_json(FILE *f, int ncols, size_t nrows)
{
    fprintf(f, "{\"rows\": %zu, \"columns\": [", nrows);
    for (int j = 0; j < ncols; j++) {
        column *c = &cols[j];
        fprintf(f, "%s\n {\"name\": \"%s\", \"physical\": \"%s\", \"logical\": \"%s\", "
                "\"precision\": %d, \"scale\": %d, \"utc\": %s, \"nullable\": %s, \"values\": [",
                j ? "," : "", c->name, c->k->phys_name, c->k->logical_name,
                c->spec.precision, c->spec.scale, c->spec.utc_adjusted ? "true" : "false",
                c->spec.nullable ? "true" : "false");
        for (size_t i = 0; i < nrows; i++) {
            fputs(i ? ", " : "", f);
            if (!c->valid[i]) {
                fputs("null", f);
                continue;
            }
            switch (c->k->physical) {
            case PQ_BOOLEAN:
                fputs(c->b8[i] ? "true" : "false", f);
                break;
            case PQ_DOUBLE: {
                uint64_t bits;
                memcpy(&bits, &c->dbl[i], sizeof bits);
                fprintf(f, "\"%016" PRIx64 "\"", bits);
                break;
            }
            case PQ_BYTE_ARRAY:
                fputc('"', f);
                for (int64_t b = c->offsets[i]; b < c->offsets[i + 1]; b++)
                    fprintf(f, "%02x", (unsigned)(uint8_t)c->bytes[b]);
                fputc('"', f);
                break;
            default:
                fprintf(f, "%" PRId64, c->ints[i]);
            }
        }
        fputs("]}", f);
    }
    fputs("]}\n", f);
}

/* ---- the same rows through pq_encode / pq_writer_put --------------------- */

/* One column of one row group in the writer's layout (pq_chunk_data). */
typedef struct packed {
    uint8_t def[MAX_ROWS];
    int32_t i32[MAX_ROWS];
    int64_t i64[MAX_ROWS];
    double dbl[MAX_ROWS];
    uint8_t b8[MAX_ROWS];
    uint64_t off[MAX_ROWS + 1];
    char *bytes;                /* the valid rows' byte arrays, contiguous */
    uint32_t code[MAX_ROWS];
    uint64_t dict_off[MAX_ROWS + 1];
    char *dict;                 /* the distinct values, contiguous */
    uint32_t dict_n;
} packed;

static packed packs[MAX_COLS];

/* The entry of v among the distinct values so far, added when new. */
static uint32_t code_of(packed *p, const char *v, size_t len)
{
    for (uint32_t k = 0; k < p->dict_n; k++)
        if (p->dict_off[k + 1] - p->dict_off[k] == len &&
            memcmp(p->dict + p->dict_off[k], v, len) == 0)
            return k;
    memcpy(p->dict + p->dict_off[p->dict_n], v, len);
    p->dict_off[p->dict_n + 1] = p->dict_off[p->dict_n] + len;
    return p->dict_n++;
}

/* Rows [from, from + n) of column c into p, described by d. The caller
 * frees p->bytes and p->dict once the row group is put. */
static void pack_column(const column *c, packed *p, size_t from, size_t n,
                        pq_chunk_data *d)
{
    bool is_bytes = c->k->physical == PQ_BYTE_ARRAY;
    size_t span = (size_t)(c->offsets[from + n] - c->offsets[from]) + 1;
    p->bytes = malloc(span);
    p->dict = malloc(span);
    FUZZ_CHECK(p->bytes && p->dict);
    p->off[0] = p->dict_off[0] = 0;
    p->dict_n = 0;
    size_t k = 0;
    for (size_t i = from; i < from + n; i++) {
        p->def[i - from] = c->valid[i];
        if (!c->valid[i])
            continue;
        p->i32[k] = c->i32[i];
        p->i64[k] = c->ints[i];
        p->dbl[k] = c->dbl[i];
        p->b8[k] = c->b8[i];
        p->off[k + 1] = p->off[k];
        if (is_bytes) {
            /* a column of empty strings has no byte buffer at all */
            const char *v = c->bytes ? c->bytes + c->offsets[i] : "";
            size_t len = (size_t)(c->offsets[i + 1] - c->offsets[i]);
            memcpy(p->bytes + p->off[k], v, len);
            p->off[k + 1] += len;
            p->code[k] = code_of(p, v, len);
        }
        k++;
    }
    *d = (pq_chunk_data){.def = c->spec.nullable ? p->def : NULL};
    switch (c->k->physical) {
    case PQ_BOOLEAN: d->values = p->b8; break;
    case PQ_INT32: d->values = p->i32; break;
    case PQ_INT64: d->values = p->i64; break;
    case PQ_DOUBLE: d->values = p->dbl; break;
    case PQ_BYTE_ARRAY:
        if (c->spec.dictionary && p->dict_n > 0) {
            d->codes = p->code;
            d->dict_offsets = p->dict_off;
            d->dict_bytes = (const uint8_t *)p->dict;
            d->dict_n = p->dict_n;
        } else {
            d->offsets = p->off;
            d->bytes = (const uint8_t *)p->bytes;
        }
        break;
    }
}

/* A memory file made once per process (slot 0: the append path, 1: the
 * put path), emptied for each input: two memfd_create and close calls per
 * input cost more than the writing of a small file. */
static int scratch_file(int slot)
{
    static int fds[2] = {-1, -1};
    if (fds[slot] < 0) {
        char path[64];
        fds[slot] = fuzz_memfile(NULL, 0, path, sizeof path);
        FUZZ_CHECK(fds[slot] >= 0);
    }
    FUZZ_CHECK(ftruncate(fds[slot], 0) == 0 && lseek(fds[slot], 0, SEEK_SET) == 0);
    return fds[slot];
}

/* Writes the rows again through pq_encode/pq_writer_put, in row groups of
 * the append path's size, into a memory file; returns its descriptor. */
static int write_put(const pq_column_spec *specs, int ncols, const pq_options *opt,
                     size_t nrows)
{
    char errbuf[512];
    int fd = scratch_file(1);
    pq_writer *w = pq_writer_open(fd, specs, ncols, opt);
    pq_encoder *e = pq_encoder_new();
    FUZZ_CHECK(fd >= 0 && w && e);
    for (size_t from = 0; from < nrows; from += opt->row_group_rows) {
        size_t n = nrows - from < opt->row_group_rows ? nrows - from : opt->row_group_rows;
        pq_chunk_data cd[MAX_COLS];
        for (int j = 0; j < ncols; j++)
            pack_column(&cols[j], &packs[j], from, n, &cd[j]);
        pq_encode(w, e, cd, n);
        pq_writer_put(w, e);
        for (int j = 0; j < ncols; j++) {
            free(packs[j].bytes);
            free(packs[j].dict);
        }
    }
    pq_encoder_free(e);
    int rc = pq_writer_close(w, errbuf, sizeof errbuf);
    if (rc != 0)
        fprintf(stderr, "fuzz_parquet: put path: close failed: %s\n", errbuf);
    FUZZ_CHECK(rc == 0);
    return fd;
}

/* Whether the files behind two descriptors hold the same bytes. */
static bool same_bytes(int a, int b)
{
    off_t na = lseek(a, 0, SEEK_END), nb = lseek(b, 0, SEEK_END);
    if (na != nb)
        return false;
    uint8_t x[4096], y[4096];
    for (off_t at = 0; at < na; at += (off_t)sizeof x) {
        size_t n = na - at < (off_t)sizeof x ? (size_t)(na - at) : sizeof x;
        if (pread(a, x, n, at) != (ssize_t)n || pread(b, y, n, at) != (ssize_t)n ||
            memcmp(x, y, n) != 0)
            return false;
    }
    return true;
}

/* Where this input's file goes: a memory file, or DIR/N.parquet. */
static int open_output(const char *dump, unsigned n, char *path, size_t size)
{
    if (!dump)
        return scratch_file(0);
    snprintf(path, size, "%s/%04u.parquet", dump, n);
    return open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned counter;
    recipe r = {data, size, 0};
    int ncols = 1 + (int)(take(&r, 1) % MAX_COLS);
    pq_column_spec specs[MAX_COLS];
    for (int j = 0; j < ncols; j++) {
        column *c = &cols[j];
        c->nbytes = 0;
        c->k = &kinds[take(&r, 1) % N_KINDS];
        unsigned flags = (unsigned)take(&r, 1);
        snprintf(c->name, sizeof c->name, "c%d", j);
        memset(&c->spec, 0, sizeof c->spec);
        c->spec.name = c->name;
        c->spec.physical = c->k->physical;
        c->spec.logical = c->k->logical;
        c->spec.nullable = flags & 1;
        c->spec.dictionary = flags & 2;
        c->spec.utc_adjusted = c->k->logical == PQ_LT_TIMESTAMP_MICROS && (flags & 4);
        if (c->k->logical == PQ_LT_DECIMAL) {
            int max = c->k->physical == PQ_INT32 ? 9 : 18;
            c->spec.precision = 1 + (int)(take(&r, 1) % (uint64_t)max);
            c->spec.scale = (int)(take(&r, 1) % (uint64_t)(c->spec.precision + 1));
        }
        specs[j] = c->spec;
    }
    pq_options opt = {0};
    opt.row_group_rows = 1 + take(&r, 1) % 64;
    opt.page_bytes = 64 + take(&r, 2) % 8192;
    opt.dict_max_bytes = 16 + take(&r, 2) % 4096;
    opt.zstd_level = (int)(take(&r, 1) % 5) - 1;
    if (opt.zstd_level == 0)
        opt.zstd_level = 1;
    size_t nrows = take(&r, 2) % (MAX_ROWS + 1);
    size_t batch = 1 + take(&r, 2) % (nrows + 1);

    for (size_t i = 0; i < nrows; i++)
        for (int j = 0; j < ncols; j++) {
            column *c = &cols[j];
            c->offsets[i] = (int64_t)c->nbytes;
            c->valid[i] = !c->spec.nullable || take(&r, 1) % 4 != 0;
            if (c->valid[i])
                fill_value(c, i, &r);
            c->offsets[i + 1] = (int64_t)c->nbytes;
        }
    for (int j = 0; j < ncols; j++)
        cols[j].offsets[nrows] = (int64_t)cols[j].nbytes;

    const char *dump = getenv("WF_FUZZ_DUMP");
    unsigned n = counter++;
    char path[4096];
    int fd = open_output(dump, n, path, sizeof path);
    FUZZ_CHECK(fd >= 0);
    pq_writer *w = pq_writer_open(fd, specs, ncols, &opt);
    FUZZ_CHECK(w != NULL);
    for (size_t from = 0; from < nrows; from += batch) {
        size_t count = nrows - from < batch ? nrows - from : batch;
        pq_column_data cd[MAX_COLS];
        for (int j = 0; j < ncols; j++) {
            column *c = &cols[j];
            cd[j].values = values_of(c, from);
            cd[j].offsets = c->k->physical == PQ_BYTE_ARRAY ? c->offsets + from : NULL;
            cd[j].bytes = c->bytes ? c->bytes : "";  /* the writer wants a pointer */
            cd[j].valid = c->spec.nullable ? c->valid + from : NULL;
        }
        pq_writer_append(w, cd, count);
    }
    char errbuf[512];
    int rc = pq_writer_close(w, errbuf, sizeof errbuf);
    if (rc != 0)
        fprintf(stderr, "fuzz_parquet: close failed: %s\n", errbuf);
    FUZZ_CHECK(rc == 0);

    /* Framing: PAR1 ... footer, footer length, PAR1. */
    off_t end = lseek(fd, 0, SEEK_END);
    FUZZ_CHECK(end >= 12);
    uint8_t head[4], tail[8];
    FUZZ_CHECK(pread(fd, head, 4, 0) == 4 && pread(fd, tail, 8, end - 8) == 8);
    FUZZ_CHECK(memcmp(head, "PAR1", 4) == 0 && memcmp(tail + 4, "PAR1", 4) == 0);
    uint32_t footer = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 |
                      (uint32_t)tail[2] << 16 | (uint32_t)tail[3] << 24;
    FUZZ_CHECK(footer > 0 && (off_t)footer <= end - 12);
    int put_fd = write_put(specs, ncols, &opt, nrows);
    FUZZ_CHECK(same_bytes(fd, put_fd));
    if (dump)
        close(fd);

    if (dump) {
        char jpath[4096];
        snprintf(jpath, sizeof jpath, "%s/%04u.json", dump, n);
        FILE *f = fopen(jpath, "w");
        FUZZ_CHECK(f != NULL);
        dump_json(f, ncols, nrows);
        FUZZ_CHECK(fclose(f) == 0);
    }
    return 0;
}
