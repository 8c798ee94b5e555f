/*
 * census_arrow.c - a census from an Arrow stream (wf_census_load_arrow).
 *
 * A notebook holds its census as a table (pyarrow, Polars, pandas), and
 * hands it over through the Arrow C stream interface. The rules of docs/model.md
 * 2.1 must be the CSV loader's, word for word, so this file does not check
 * a single cell: it turns each cell into the text a CSV export of the table
 * would hold and feeds census.c's row loop (census_rows.h), which judges
 * it. Dates become text in census.date_format (YYYY-MM-DD by default), integers and decimals their digits, floats
 * the shortest text that reads back to the same double, booleans
 * true/false, nulls (and float NaN, pandas' null) an empty cell.
 *
 * Positions: the "line" of an error is the 1-based data row over the whole
 * stream, the "column" the 1-based position of the column in the schema
 * (the message starts with the column's name); the header is row 0.
 *
 * Types read: strings (utf8, large utf8, string view), dates (32 and 64),
 * timestamps (their date when the time of day is midnight, else date and
 * time, which the date rule then refuses), integers of every width,
 * decimals (32, 64 and 128 bit), float and double, booleans, the null
 * type, and dictionary-encoded columns of any of these. Anything else is
 * refused by name when the schema is read.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "census_rows.h"
#include "wf_date.h"
#include "wf_error.h"
#include "wf_grow.h"

#define MAX_COLUMNS 4096

typedef enum kind {
    K_STR, K_LSTR, K_VSTR, K_DATE32, K_DATE64, K_TS, K_INT, K_UINT,
    K_DEC, K_F32, K_F64, K_BOOL, K_NULL
} kind;

/* How to read one column: a value type, for a dictionary column the index
 * type too. */
typedef struct coltype {
    kind k;
    int width;              /* bytes of an integer, or decimal bit width / 8 */
    int scale;              /* decimals */
    int64_t ts_per_day;     /* timestamps: units in a day */
    bool dict;              /* values through a dictionary */
    kind index_k;           /* the index: K_INT or K_UINT */
    int index_width;
} coltype;

typedef struct arrow_src {
    struct ArrowArrayStream *stream;
    const char *name;
    struct ArrowSchema schema;
    coltype *types;
    int64_t ncols;
    struct ArrowArray batch;    /* current, batch.release NULL when none */
    int64_t row;                /* next row of the batch */
    long line;                  /* rows handed out so far */
    bool header_done, ended;
    wf_csv_field *fields;
    char **names;
    char *text;                 /* this row's cells, NUL-separated */
    size_t text_cap, text_len;
    size_t *cell_off;
    wf_date_format_id date_format; /* census.date_format: typed dates are written in it */
} arrow_src;

/* ---- schema --------------------------------------------------------------- */

static bool int_format(char f, kind *k, int *width)
{
    static const char fmts[] = "cCsSiIlL";
    const char *p = strchr(fmts, f);
    if (!f || !p)
        return false;
    int i = (int)(p - fmts);
    *k = i % 2 ? K_UINT : K_INT;
    *width = 1 << (i / 2);
    return true;
}

static bool value_type(const char *f, coltype *t)
{
    int p, s, bits = 128;
    char unit;
    if (int_format(f[0], &t->k, &t->width) && !f[1])
        return true;
    if (!strcmp(f, "u") || !strcmp(f, "U") || !strcmp(f, "vu")) {
        t->k = f[0] == 'u' ? K_STR : f[0] == 'U' ? K_LSTR : K_VSTR;
        return true;
    }
    if (!strcmp(f, "tdD") || !strcmp(f, "tdm")) {
        t->k = f[2] == 'D' ? K_DATE32 : K_DATE64;
        return true;
    }
    if (sscanf(f, "ts%c:", &unit) == 1 && f[3] == ':') {
        static const char units[] = "smun";
        static const int64_t per_day[] = {86400LL, 86400000LL, 86400000000LL,
                                          86400000000000LL};
        const char *u = strchr(units, unit);
        if (!u)
            return false;
        t->k = K_TS;
        t->ts_per_day = per_day[u - units];
        return true;
    }
    if (f[0] == 'd' && f[1] == ':' &&
        (sscanf(f, "d:%d,%d,%d", &p, &s, &bits) == 3 || sscanf(f, "d:%d,%d", &p, &s) == 2) &&
        (bits == 32 || bits == 64 || bits == 128) && s >= 0 && s <= 38) {
        t->k = K_DEC;
        t->width = bits / 8;
        t->scale = s;
        return true;
    }
    if (!strcmp(f, "f") || !strcmp(f, "g")) {
        t->k = f[0] == 'f' ? K_F32 : K_F64;
        return true;
    }
    if (!strcmp(f, "b") || !strcmp(f, "n")) {
        t->k = f[0] == 'b' ? K_BOOL : K_NULL;
        return true;
    }
    return false;
}

static wf_status read_schema(arrow_src *a, wf_error *err)
{
    struct ArrowSchema *sc = &a->schema;
    if (a->stream->get_schema(a->stream, sc) != 0) {
        const char *m = a->stream->get_last_error(a->stream);
        sc->release = NULL;
        return wf_error_set(err, WF_EINPUT, a->name, 0, 0,
                            "the table's schema could not be read: %s", m ? m : "no reason given");
    }
    if (strcmp(sc->format, "+s") != 0)
        return wf_error_set(err, WF_EINPUT, a->name, 0, 0,
                            "expected a table (a stream of struct arrays), got Arrow format '%s'",
                            sc->format);
    if (sc->n_children < 1 || sc->n_children > MAX_COLUMNS)
        return wf_error_set(err, WF_EINPUT, a->name, 0, 0,
                            "the table has %" PRId64 " columns; expected 1 to %d",
                            sc->n_children, MAX_COLUMNS);
    a->ncols = sc->n_children;
    size_t n = (size_t)a->ncols;
    a->types = calloc(n, sizeof *a->types);
    a->fields = calloc(n, sizeof *a->fields);
    a->names = calloc(n, sizeof *a->names);
    a->cell_off = calloc(n, sizeof *a->cell_off);
    if (!a->types || !a->fields || !a->names || !a->cell_off)
        return wf_error_nomem(err, "census columns");
    for (size_t c = 0; c < n; c++) {
        const struct ArrowSchema *ch = sc->children[c];
        coltype *t = &a->types[c];
        const char *vf = ch->format;
        if (ch->dictionary) {
            t->dict = true;
            if (!int_format(ch->format[0], &t->index_k, &t->index_width) || ch->format[1])
                vf = "";
            else
                vf = ch->dictionary->format;
        }
        a->names[c] = (char *)(ch->name ? ch->name : "");
        if (!value_type(vf, t) || (t->dict && t->k == K_NULL))
            return wf_error_set(err, WF_EINPUT, a->name, 0, (long)c + 1,
                                "column '%s': Arrow type '%s'%s is not one a census cell "
                                "can hold (strings, dates, timestamps, integers, decimals, "
                                "floats, booleans)", a->names[c], ch->format,
                                ch->dictionary ? " (dictionary)" : "");
    }
    return WF_OK;
}

/* ---- cells ---------------------------------------------------------------- */

static bool is_valid(const struct ArrowArray *arr, int64_t i)
{
    const uint8_t *bits = arr->n_buffers > 0 ? arr->buffers[0] : NULL;
    if (arr->null_count == 0 || !bits)
        return true;
    i += arr->offset;
    return bits[i >> 3] >> (i & 7) & 1;
}

static int64_t int_at(const void *buf, kind k, int width, int64_t i)
{
    switch (width) {
    case 1: return k == K_INT ? (int64_t)((const int8_t *)buf)[i]
                              : (int64_t)((const uint8_t *)buf)[i];
    case 2: return k == K_INT ? (int64_t)((const int16_t *)buf)[i]
                              : (int64_t)((const uint16_t *)buf)[i];
    case 4: return k == K_INT ? (int64_t)((const int32_t *)buf)[i]
                              : (int64_t)((const uint32_t *)buf)[i];
    default: return ((const int64_t *)buf)[i];
    }
}

static bool put(arrow_src *a, const char *s, size_t len)
{
    if (!wf_grow((void **)&a->text, &a->text_cap, a->text_len + len + 1, 1))
        return false;
    memcpy(a->text + a->text_len, s, len);
    a->text_len += len;
    a->text[a->text_len] = '\0';
    return true;
}

static bool put_date(arrow_src *a, int64_t day)
{
    char buf[64];
    /* 0001-01-01 .. 9999-12-31; outside, text the date rule refuses */
    if (day < -719162 || day > 2932896)
        snprintf(buf, sizeof buf, "day %" PRId64, day);
    else {
        /* in the census's date_format, which the row checks then read */
        int y, m, d;
        wf_date_to_ymd((int32_t)day, &y, &m, &d);
        switch (a->date_format) {
        case WF_DF_US: snprintf(buf, sizeof buf, "%02d/%02d/%04d", m, d, y); break;
        case WF_DF_EU: snprintf(buf, sizeof buf, "%02d/%02d/%04d", d, m, y); break;
        case WF_DF_COMPACT: snprintf(buf, sizeof buf, "%04d%02d%02d", y, m, d); break;
        case WF_DF_DOTTED: snprintf(buf, sizeof buf, "%02d.%02d.%04d", d, m, y); break;
        default: wf_date_format((int32_t)day, buf); break;
        }
    }
    return put(a, buf, strlen(buf));
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return q - (a % b != 0 && (a < 0) != (b < 0));
}

static bool put_timestamp(arrow_src *a, int64_t v, int64_t per_day)
{
    int64_t day = floor_div(v, per_day), rest = v - day * per_day;
    if (!put_date(a, day))
        return false;
    if (rest == 0)
        return true;
    int64_t per_s = per_day / 86400, s = rest / per_s;
    char buf[64];
    snprintf(buf, sizeof buf, " %02d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60),
             (int)(s % 60));
    return put(a, buf, strlen(buf));
}

/* The shortest %g text that reads back as v. */
static bool put_double(arrow_src *a, double v)
{
    char buf[64];
    if (isnan(v))
        return true; /* pandas' null */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return put(a, buf, strlen(buf));
}

__extension__ typedef unsigned __int128 u128; /* gcc and clang */

/* The unscaled value as decimal digits with `scale` of them after a point. */
static bool put_decimal(arrow_src *a, const uint8_t *p, int width, int scale)
{
    u128 u = 0;
    for (int i = width - 1; i >= 0; i--)
        u = u << 8 | p[i];
    bool neg = p[width - 1] & 0x80;
    if (neg) {
        if (width < 16)
            u |= ~(u128)0 << (width * 8);
        u = ~u + 1;
    }
    char digits[64];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    while (n <= scale)
        digits[n++] = '0';
    char buf[72];
    size_t len = 0;
    if (neg)
        buf[len++] = '-';
    for (int i = n - 1; i >= 0; i--) {
        buf[len++] = digits[i];
        if (i == scale && scale > 0)
            buf[len++] = '.';
    }
    return put(a, buf, len);
}

/* bytes[from, to) of a string array (bytes may be NULL when every string
 * is empty; offsets that go backwards give the empty text). */
static bool put_bytes(arrow_src *a, const void *bytes, int64_t from, int64_t to)
{
    if (!bytes || to <= from)
        return put(a, "", 0);
    return put(a, (const char *)bytes + from, (size_t)(to - from));
}

/* Appends the text of value i (an index already past any offset) of an
 * array of type t (a dictionary's values, or the column itself). */
static bool put_value(arrow_src *a, const coltype *t, const struct ArrowArray *arr, int64_t i)
{
    if (!is_valid(arr, i - arr->offset))
        return true;
    const void *buf = arr->n_buffers > 1 ? arr->buffers[1] : NULL;
    char tmp[64];
    switch (t->k) {
    case K_STR: {
        const int32_t *off = buf;
        return put_bytes(a, arr->buffers[2], off[i], off[i + 1]);
    }
    case K_LSTR: {
        const int64_t *off = buf;
        return put_bytes(a, arr->buffers[2], off[i], off[i + 1]);
    }
    case K_VSTR: {
        /* 16-byte views: length, then 12 bytes inline or prefix, buffer
         * index, offset (the data buffers follow the views) */
        const uint8_t *v = (const uint8_t *)buf + 16 * i;
        int32_t len, bi, off;
        memcpy(&len, v, 4);
        if (len <= 12)
            return put(a, (const char *)v + 4, (size_t)len);
        memcpy(&bi, v + 8, 4);
        memcpy(&off, v + 12, 4);
        if (bi < 0 || 2 + (int64_t)bi >= arr->n_buffers)
            return put(a, "", 0);
        return put(a, (const char *)arr->buffers[2 + bi] + off, (size_t)len);
    }
    case K_DATE32:
        return put_date(a, ((const int32_t *)buf)[i]);
    case K_DATE64:
        return put_date(a, floor_div(((const int64_t *)buf)[i], 86400000));
    case K_TS:
        return put_timestamp(a, ((const int64_t *)buf)[i], t->ts_per_day);
    case K_INT:
        snprintf(tmp, sizeof tmp, "%" PRId64, int_at(buf, K_INT, t->width, i));
        return put(a, tmp, strlen(tmp));
    case K_UINT:
        snprintf(tmp, sizeof tmp, "%" PRIu64, (uint64_t)int_at(buf, K_UINT, t->width, i));
        return put(a, tmp, strlen(tmp));
    case K_DEC:
        return put_decimal(a, (const uint8_t *)buf + (size_t)t->width * (size_t)i, t->width,
                           t->scale);
    case K_F32:
        return put_double(a, ((const float *)buf)[i]);
    case K_F64:
        return put_double(a, ((const double *)buf)[i]);
    case K_BOOL: {
        bool b = ((const uint8_t *)buf)[i >> 3] >> (i & 7) & 1;
        return b ? put(a, "true", 4) : put(a, "false", 5);
    }
    case K_NULL:
        return true;
    }
    return true;
}

static bool put_cell(arrow_src *a, const coltype *t, const struct ArrowArray *col, int64_t r)
{
    if (t->k == K_NULL)
        return true;
    if (!t->dict)
        return put_value(a, t, col, col->offset + r);
    if (!is_valid(col, r))
        return true;
    int64_t k = int_at(col->buffers[1], t->index_k, t->index_width, col->offset + r);
    const struct ArrowArray *d = col->dictionary;
    if (!d || k < 0 || k >= d->length)
        return true;
    return put_value(a, t, d, d->offset + k);
}

/* ---- the row source ---------------------------------------------------------- */

/* Buffers an array of kind k needs (validity included). */
static int64_t buffers_needed(kind k)
{
    return k == K_STR || k == K_LSTR || k == K_VSTR ? (k == K_VSTR ? 2 : 3)
           : k == K_NULL                           ? 0
                                                   : 2;
}

/* The shape of each column of a new batch: enough buffers and rows, a
 * dictionary where the schema said so. A producer that breaks the C data
 * interface gets an error, not a crash. */
static wf_status check_batch(const arrow_src *a, wf_error *err)
{
    for (int64_t c = 0; c < a->ncols; c++) {
        const coltype *t = &a->types[c];
        const struct ArrowArray *col = a->batch.children[c];
        const struct ArrowArray *vals = t->dict ? col->dictionary : col;
        bool ok = col->offset >= 0 && col->length >= a->batch.length &&
                  (!t->dict || (vals && col->n_buffers >= 2)) &&
                  vals->n_buffers >= buffers_needed(t->k);
        for (int64_t b = 1; ok && b < buffers_needed(t->k); b++)
            ok = vals->buffers[b] != NULL || vals->length == 0 ||
                 (b == 2 && t->k != K_VSTR); /* no string bytes: all empty */
        if (!ok)
            return wf_error_set(err, WF_EINPUT, a->name, a->line + 1, (long)c + 1,
                                "column '%s': the Arrow array is malformed (buffers, "
                                "length or dictionary missing)", a->names[c]);
    }
    return WF_OK;
}

static wf_status next_batch(arrow_src *a, wf_error *err)
{
    for (;;) {
        if (a->batch.release)
            a->batch.release(&a->batch);
        a->batch.release = NULL;
        a->row = 0;
        if (a->stream->get_next(a->stream, &a->batch) != 0) {
            const char *m = a->stream->get_last_error(a->stream);
            a->batch.release = NULL;
            return wf_error_set(err, WF_EINPUT, a->name, a->line, 0,
                                "the table's next batch could not be read: %s",
                                m ? m : "no reason given");
        }
        if (!a->batch.release) {
            a->ended = true;
            return WF_OK;
        }
        if (a->batch.n_children != a->ncols)
            return wf_error_set(err, WF_EINPUT, a->name, a->line, 0,
                                "a batch has %" PRId64 " columns; the schema %" PRId64,
                                a->batch.n_children, a->ncols);
        wf_status st = check_batch(a, err);
        if (st != WF_OK || a->batch.length > 0)
            return st;
    }
}

static wf_status arrow_next(void *ctx, wf_csv_field **row, size_t *n, long *line,
                            wf_error *err)
{
    arrow_src *a = ctx;
    size_t nc = (size_t)a->ncols;
    *row = a->fields;
    *n = 0;
    if (!a->header_done) {
        a->header_done = true;
        for (size_t c = 0; c < nc; c++)
            a->fields[c] = (wf_csv_field){a->names[c], strlen(a->names[c]), 0, (long)c + 1,
                                          false};
        *n = nc;
        *line = 0;
        return WF_OK;
    }
    if (a->ended || (a->row >= a->batch.length && next_batch(a, err) != WF_OK))
        return err->status;
    if (a->ended)
        return WF_OK;
    a->text_len = 0;
    int64_t r = a->row++;
    *line = ++a->line;
    for (size_t c = 0; c < nc; c++) {
        a->cell_off[c] = a->text_len;
        if (!put_cell(a, &a->types[c], a->batch.children[c], r) || !put(a, "", 0))
            return wf_error_nomem(err, "census cells");
        a->text_len++; /* past the NUL */
    }
    for (size_t c = 0; c < nc; c++) {
        char *s = a->text + a->cell_off[c];
        a->fields[c] = (wf_csv_field){s, strlen(s), a->line, (long)c + 1, false};
    }
    *n = nc;
    return WF_OK;
}

wf_status wf_census_load_arrow(struct ArrowArrayStream *stream, const char *name,
                               const wf_config *cfg, const wf_tables *tab,
                               wf_census **out, wf_error *err)
{
    *out = NULL;
    arrow_src a = {.stream = stream, .name = name ? name : "",
                   .date_format = cfg ? cfg->census_date_format : WF_DF_ISO};
    wf_status st = read_schema(&a, err);
    if (st == WF_OK) {
        wf_census_rows src = {&a, arrow_next, NULL, NULL};
        st = wf_census_load_rows(a.name, a.name[0] ? a.name : "(arrow table)", &src, cfg,
                                 tab, NULL, out, err);
    }
    if (a.batch.release)
        a.batch.release(&a.batch);
    if (a.schema.release)
        a.schema.release(&a.schema);
    free(a.types);
    free(a.fields);
    free(a.names);
    free(a.text);
    free(a.cell_off);
    return st;
}
