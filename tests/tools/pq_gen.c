/*
 * pq_gen.c - writes a Parquet file with wfsim's writer from a text
 * description on stdin; the Python tests (tests/py/test_parquet_*.py) use
 * it to produce files they then read back with DuckDB, pyarrow and Polars.
 *
 *     pq_gen OUT.parquet < spec      (OUT "-" writes to stdout)
 *
 * The description, one item per line:
 *
 *     option NAME VALUE      zstd_level, row_group_rows, page_bytes,
 *                            dict_max_bytes, batch (rows per
 *                            pq_writer_append call, default all),
 *                            created_by (the rest of the line)
 *     column NAME PHYSICAL LOGICAL [nullable] [dict] [utc] [p=N] [s=N]
 *                            PHYSICAL: BOOLEAN INT32 INT64 DOUBLE BYTE_ARRAY
 *                            LOGICAL: NONE STRING DATE DECIMAL TIMESTAMP
 *     meta KEY VALUE         a key_value_metadata pair (VALUE: rest of line)
 *     rows N
 *     then N value lines for the first column, N for the second, ...
 *
 * A value line is "N" for null; an integer (booleans 0/1); a double as
 * strtod reads it (nan, inf, -0.0 included); or, for BYTE_ARRAY, "x"
 * followed by the bytes in hex ("x" alone is the empty string).
 *
 * Exit status 0 when pq_writer_close succeeded, 1 with the writer's error
 * on stderr when it failed, 2 for a bad description.
 */
#include "pq_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct col {
    pq_column_spec spec;
    void *values;          /* int32/int64/double/uint8 per row */
    int64_t *offsets;
    char *bytes;
    size_t nbytes, cap;
    uint8_t *valid;
    bool any_null;         /* passes valid even to a REQUIRED column */
} col;

static void die(const char *msg, long line)
{
    fprintf(stderr, "pq_gen: stdin:%ld: %s\n", line, msg);
    exit(2);
}

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    for (size_t k; buf && (k = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += k;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
    }
    if (!buf)
        die("out of memory", 0);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Splits the text into lines in place; returns the next line or NULL. */
static char *next_line(char **cur, char *end, long *lineno)
{
    if (*cur >= end)
        return NULL;
    char *s = *cur, *nl = memchr(s, '\n', (size_t)(end - s));
    if (nl) {
        *nl = '\0';
        *cur = nl + 1;
    } else {
        *cur = end;
    }
    (*lineno)++;
    return s;
}

static int parse_physical(const char *s)
{
    static const char *names[] = {"BOOLEAN", "INT32", "INT64", "DOUBLE", "BYTE_ARRAY"};
    for (int i = 0; i < 5; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static int parse_logical(const char *s)
{
    static const char *names[] = {"NONE", "STRING", "DATE", "DECIMAL", "TIMESTAMP"};
    for (int i = 0; i < 5; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static void parse_column(col *c, char *line, long lineno)
{
    char *save = NULL;
    strtok_r(line, " ", &save);
    char *name = strtok_r(NULL, " ", &save);
    char *phys = strtok_r(NULL, " ", &save);
    char *logi = strtok_r(NULL, " ", &save);
    if (!name || !phys || !logi)
        die("column NAME PHYSICAL LOGICAL [flags]", lineno);
    int p = parse_physical(phys), l = parse_logical(logi);
    if (p < 0 || l < 0)
        die("unknown physical or logical type", lineno);
    c->spec.name = strcmp(name, "-") == 0 ? "" : strdup(name);
    c->spec.physical = (pq_physical)p;
    c->spec.logical = (pq_logical)l;
    for (char *f; (f = strtok_r(NULL, " ", &save)) != NULL;) {
        if (strcmp(f, "nullable") == 0)
            c->spec.nullable = true;
        else if (strcmp(f, "dict") == 0)
            c->spec.dictionary = true;
        else if (strcmp(f, "utc") == 0)
            c->spec.utc_adjusted = true;
        else if (strncmp(f, "p=", 2) == 0)
            c->spec.precision = atoi(f + 2);
        else if (strncmp(f, "s=", 2) == 0)
            c->spec.scale = atoi(f + 2);
        else
            die("unknown column flag", lineno);
    }
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

static void parse_value(col *c, size_t i, const char *s, long lineno)
{
    if (strcmp(s, "N") == 0) {
        c->valid[i] = 0;
        c->any_null = true;
        if (c->spec.physical == PQ_BYTE_ARRAY)
            c->offsets[i + 1] = c->offsets[i];
        return;
    }
    c->valid[i] = 1;
    char *end = NULL;
    errno = 0;
    switch (c->spec.physical) {
    case PQ_BOOLEAN:
        ((uint8_t *)c->values)[i] = (uint8_t)strtol(s, &end, 10);
        break;
    case PQ_INT32:
        ((int32_t *)c->values)[i] = (int32_t)strtol(s, &end, 10);
        break;
    case PQ_INT64:
        ((int64_t *)c->values)[i] = strtoll(s, &end, 10);
        break;
    case PQ_DOUBLE:
        ((double *)c->values)[i] = strtod(s, &end);
        break;
    case PQ_BYTE_ARRAY: {
        size_t n = strlen(s);
        if (s[0] != 'x' || (n - 1) % 2)
            die("a BYTE_ARRAY value is x followed by hex", lineno);
        size_t len = (n - 1) / 2;
        if (c->nbytes + len > c->cap) {
            c->cap = (c->nbytes + len) * 2 + 64;
            c->bytes = realloc(c->bytes, c->cap);
            if (!c->bytes)
                die("out of memory", lineno);
        }
        for (size_t k = 0; k < len; k++) {
            int hi = hexval(s[1 + 2 * k]), lo = hexval(s[2 + 2 * k]);
            if (hi < 0 || lo < 0)
                die("bad hex digit", lineno);
            c->bytes[c->nbytes++] = (char)(hi << 4 | lo);
        }
        c->offsets[i + 1] = (int64_t)c->nbytes;
        return;
    }
    }
    if (end == s || *end || errno)
        die("bad number", lineno);
}

static size_t width_of(pq_physical p)
{
    return p == PQ_BOOLEAN ? 1 : p == PQ_INT32 ? 4 : 8;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pq_gen OUT.parquet < spec\n");
        return 2;
    }
    size_t len;
    char *text = read_all(stdin, &len), *cur = text, *end = text + len, *line;
    long lineno = 0;
    pq_options opt = {0};
    size_t batch = 0, nrows = 0;
    int ncols = 0;
    col cols[256];
    memset(cols, 0, sizeof cols);
    bool have_rows = false;
    char *meta[64][2];
    int nmeta = 0;
    while (!have_rows && (line = next_line(&cur, end, &lineno)) != NULL) {
        if (strncmp(line, "option ", 7) == 0) {
            char *name = line + 7, *val = strchr(name, ' ');
            if (!val)
                die("option NAME VALUE", lineno);
            *val++ = '\0';
            if (strcmp(name, "zstd_level") == 0) opt.zstd_level = atoi(val);
            else if (strcmp(name, "row_group_rows") == 0) opt.row_group_rows = strtoull(val, NULL, 10);
            else if (strcmp(name, "page_bytes") == 0) opt.page_bytes = strtoull(val, NULL, 10);
            else if (strcmp(name, "dict_max_bytes") == 0) opt.dict_max_bytes = strtoull(val, NULL, 10);
            else if (strcmp(name, "batch") == 0) batch = strtoull(val, NULL, 10);
            else if (strcmp(name, "created_by") == 0) opt.created_by = val;
            else die("unknown option", lineno);
        } else if (strncmp(line, "column ", 7) == 0) {
            if (ncols == 256)
                die("too many columns", lineno);
            parse_column(&cols[ncols++], line, lineno);
        } else if (strncmp(line, "meta ", 5) == 0) {
            char *key = line + 5, *val = strchr(key, ' ');
            if (!val || nmeta == 64)
                die("meta KEY VALUE (at most 64)", lineno);
            *val++ = '\0';
            meta[nmeta][0] = key;
            meta[nmeta++][1] = val;
        } else if (strncmp(line, "rows ", 5) == 0) {
            nrows = strtoull(line + 5, NULL, 10);
            have_rows = true;
        } else if (line[0]) {
            die("expected option, column or rows", lineno);
        }
    }
    for (int c = 0; c < ncols; c++) {
        col *k = &cols[c];
        k->valid = malloc(nrows + 1);
        k->values = calloc(nrows + 1, width_of(k->spec.physical));
        k->offsets = calloc(nrows + 1, sizeof *k->offsets);
        if (!k->valid || !k->values || !k->offsets)
            die("out of memory", lineno);
        for (size_t i = 0; i < nrows; i++) {
            line = next_line(&cur, end, &lineno);
            if (!line)
                die("missing value lines", lineno);
            parse_value(k, i, line, lineno);
        }
    }
    int fd = strcmp(argv[1], "-") == 0 ? 1 : open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fprintf(stderr, "pq_gen: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    pq_column_spec specs[256];
    for (int c = 0; c < ncols; c++)
        specs[c] = cols[c].spec;
    pq_writer *w = pq_writer_open(fd, specs, ncols, &opt);
    for (int k = 0; k < nmeta; k++)
        pq_writer_set_metadata(w, meta[k][0], meta[k][1]);
    if (batch == 0)
        batch = nrows ? nrows : 1;
    pq_column_data data[256];
    for (size_t at = 0; at < nrows; at += batch) {
        size_t n = nrows - at < batch ? nrows - at : batch;
        for (int c = 0; c < ncols; c++) {
            col *k = &cols[c];
            data[c] = (pq_column_data){
                .values = (const uint8_t *)k->values + at * width_of(k->spec.physical),
                .offsets = k->offsets + at,
                .bytes = k->bytes ? k->bytes : "",
                .valid = k->spec.nullable || k->any_null ? k->valid + at : NULL,
            };
        }
        pq_writer_append(w, data, n);
    }
    char err[512];
    int rc = pq_writer_close(w, err, sizeof err);
    if (fd != 1)
        close(fd);
    if (rc != 0) {
        fprintf(stderr, "pq_gen: %s\n", err);
        return 1;
    }
    for (int c = 0; c < ncols; c++) {
        free(cols[c].valid);
        free(cols[c].values);
        free(cols[c].offsets);
        free(cols[c].bytes);
        if (cols[c].spec.name[0])
            free((char *)cols[c].spec.name);
    }
    free(text);
    return 0;
}
