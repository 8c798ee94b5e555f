/*
 * tables.c - the parameter tables of docs/model.md 2.3 (wf_tables_load).
 *
 * Eight CSV files, named as the dbt seeds are (levels.csv, age_bands.csv,
 * ...), read from a directory or from the copies the build embedded
 * (wf_embedded.h), so the engine's defaults are byte for byte what dbt
 * seeds. Each file goes through the same small reader: the header maps the
 * wanted columns (case-insensitive; unknown columns ignored, a wanted one
 * twice is an error), then each row's cells are typed and range-checked
 * where they stand, so an error names file, line and column. Whole-table
 * rules (bands tiling [0, 999), level ids 1..n, a hazard row for every
 * band, a behaviour row for every segment pair) run once the file is read
 * and name the line of the row that breaks them, or, for a missing row,
 * the file and the row that is missing.
 *
 * Numbers follow docs/model.md 6: whole numbers (ids, ages, bounds, dollars)
 * are plain digits; rates are exact decimals checked as written and again
 * as the double or the ppm / bp integer they become.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wf_csv.h"
#include "wf_decimal.h"
#include "wf_embedded.h"
#include "wf_error.h"
#include "wf_model_int.h"
#include "wf_rejects.h"
#include "wf_sim.h"

#define MAX_COLS 9
#define MAX_ROWS 100000              /* a parameter table is small */
#define MAX_DOLLARS 90071992547409LL /* (2^53 - 1) cents, in whole dollars */
#define BAND_END 999
#define ROWS_SHOWN 100

/* Where the tables come from, and where a table's row errors are listed
 * (wf_tables_load_report). */
typedef struct source {
    const char *dir;                 /* NULL: the built-in copies */
    FILE *report;
} source;

typedef struct reader {
    wf_csv *csv;
    char file[600];                  /* name used in messages */
    const char *const *names;
    int ncols;
    size_t idx[MAX_COLS];            /* header position of names[i] */
    wf_csv_field *row;               /* current row */
    long line;
    bool in_row;                     /* an error now is the row's */
    FILE *report;
    wf_rejects errs;                 /* the rows refused so far */
} reader;

/* A range on a decimal cell: the rule of wf_decimal.h. */
typedef wf_decimal_range range;

static const range R_POS = {"0", true, NULL, false};      /* > 0 */
static const range R_NONNEG = {"0", false, NULL, false};  /* >= 0 */
static const range R_UNIT = {"0", false, "1", false};     /* [0, 1] */
static const range R_BP = {"0", true, "1", false};        /* (0, 1] */

static wf_status open_reader(reader *r, const source *src, const char *base,
                             const char *const *names, int ncols, wf_error *err)
{
    const char *dir = src->dir;
    memset(r, 0, sizeof *r);
    r->names = names;
    r->ncols = ncols;
    r->report = src->report;
    wf_rejects_init(&r->errs);
    wf_status st;
    if (dir) {
        snprintf(r->file, sizeof r->file, "%s/%s", dir, base);
        st = wf_csv_open(r->file, &r->csv, err);
    } else {
        const wf_embedded_file *e = wf_embedded_find(base);
        snprintf(r->file, sizeof r->file, "(built-in)/%s", base);
        if (!e)
            return wf_error_set(err, WF_EINPUT, r->file, 0, 0, "no built-in table");
        st = wf_csv_open_mem(r->file, (const char *)e->data, e->size, &r->csv, err);
    }
    if (st != WF_OK)
        return st;
    wf_csv_field *h;
    size_t n;
    if ((st = wf_csv_next(r->csv, &h, &n, err)) != WF_OK)
        return st;
    if (n == 0)
        return wf_error_set(err, WF_EINPUT, r->file, 1, 0,
                            "empty file: expected a header row");
    for (int c = 0; c < ncols; c++) {
        bool found = false;
        for (size_t i = 0; i < n; i++) {
            if (strcasecmp(h[i].s, names[c]) != 0)
                continue;
            if (found)
                return wf_error_set(err, WF_EINPUT, r->file, h[i].line, h[i].column,
                                    "column '%s' appears twice", names[c]);
            found = true;
            r->idx[c] = i;
        }
        if (!found)
            return wf_error_set(err, WF_EINPUT, r->file, 1, 0,
                                "missing column '%s'", names[c]);
    }
    return WF_OK;
}

/* Next row into r->row; *more false at the end. */
static wf_status next_row(reader *r, bool *more, long *count, wf_error *err)
{
    size_t n;
    wf_status st = wf_csv_next(r->csv, &r->row, &n, err);
    *more = st == WF_OK && n > 0;
    if (*more) {
        r->line = wf_csv_record_line(r->csv);
        if (++*count > MAX_ROWS)
            return wf_error_set(err, WF_EINPUT, r->file, r->line, 0,
                                "more than %d rows", MAX_ROWS);
    }
    return st;
}

/* The loop over a table's rows, reading every row: an error of the row
 * just read (a cell, or a rule of the row) is noted and reading goes on
 * with the next row; any other error stops. False at the end of the rows
 * or on such an error (then *st says which). */
static bool next_ok(reader *r, wf_status *st, bool *more, long *count, wf_error *err)
{
    if (*st == WF_EINPUT && r->in_row && err) {
        size_t at;
        if (!wf_rejects_add(&r->errs, r->line, err->line, err->column, err->message, &at)) {
            err->status = WF_OK;
            *st = wf_error_nomem(err, "table errors");
            return false;
        }
        err->status = WF_OK;
        *st = WF_OK;
    }
    r->in_row = false;
    if (*st != WF_OK)
        return false;
    *st = next_row(r, more, count, err);
    r->in_row = *st == WF_OK && *more;
    return r->in_row;
}

/* After the loop: a table with refused rows is refused, listing them
 * (wf_rejects_report); the rules over the whole table are not checked. */
static wf_status rows_done(reader *r, wf_status st, wf_error *err)
{
    if (st != WF_OK || r->errs.n == 0)
        return st;
    wf_rejects_report(r->report, r->file, &r->errs, ROWS_SHOWN);
    return wf_rejects_error(&r->errs, 0, r->file, err);
}

static void close_reader(reader *r)
{
    wf_csv_close(r->csv);
    wf_rejects_free(&r->errs);
}

static wf_csv_field *cell(const reader *r, int c)
{
    return &r->row[r->idx[c]];
}

static wf_status cell_error(const reader *r, int c, const char *expected,
                            wf_error *err)
{
    const wf_csv_field *f = cell(r, c);
    return wf_error_set(err, WF_EINPUT, r->file, f->line, f->column,
                        "%s: '%.60s' is not %s", r->names[c], f->s, expected);
}

static wf_status cell_label(const reader *r, int c, char out[WF_LABEL_MAX + 1],
                            wf_error *err)
{
    const wf_csv_field *f = cell(r, c);
    if (f->len == 0 || f->len > WF_LABEL_MAX)
        return cell_error(r, c, "a label of 1-63 bytes", err);
    memcpy(out, f->s, f->len + 1);
    return WF_OK;
}

static wf_status cell_whole(const reader *r, int c, int64_t lo, int64_t hi,
                            int64_t *out, wf_error *err)
{
    const wf_csv_field *f = cell(r, c);
    wf_decimal d;
    int64_t v;
    char what[96];
    snprintf(what, sizeof what, "a whole number (plain digits) in %lld..%lld",
             (long long)lo, (long long)hi);
    if (!wf_decimal_is_digits(f->s, f->len) || !wf_decimal_parse(f->s, f->len, &d) ||
        !wf_decimal_scaled(&d, 0, &v) || v < lo || v > hi)
        return cell_error(r, c, what, err);
    *out = v;
    return WF_OK;
}

static void range_text(const range *g, char *buf, size_t size)
{
    static const char prefix[] = "a number ";
    snprintf(buf, size, "%s", prefix);
    if (size > sizeof prefix - 1)
        wf_decimal_range_text(g, buf + sizeof prefix - 1, size - (sizeof prefix - 1));
}

static wf_status cell_double(const reader *r, int c, const range *g, double *out,
                             wf_error *err)
{
    const wf_csv_field *f = cell(r, c);
    wf_decimal d;
    char what[96];
    range_text(g, what, sizeof what);
    if (!wf_decimal_parse(f->s, f->len, &d) || !wf_decimal_in_range(&d, g) ||
        !wf_decimal_to_double(&d, out) || !wf_double_in_range(*out, g))
        return cell_error(r, c, what, err);
    return WF_OK;
}

/* A decimal converted to 10^-scale units (6: ppm, 4: bp), the rule held by
 * the written value and by the integer. */
static wf_status cell_scaled(const reader *r, int c, int scale, const range *g,
                             int64_t *out, wf_error *err)
{
    const wf_csv_field *f = cell(r, c);
    wf_decimal d;
    char what[128];
    range_text(g, what, sizeof what);
    strncat(what, scale == 6 ? " (also once rounded to ppm)" : " (also once rounded to bp)",
            sizeof what - strlen(what) - 1);
    int64_t v, lo = 0, hi = 0;
    if (!wf_decimal_parse(f->s, f->len, &d) || !wf_decimal_in_range(&d, g) ||
        !wf_decimal_scaled(&d, scale, &v))
        return cell_error(r, c, what, err);
    if (g->lo && (!wf_decimal_parse(g->lo, strlen(g->lo), &d) ||
                  !wf_decimal_scaled(&d, scale, &lo) || v < lo || (g->lo_open && v == lo)))
        return cell_error(r, c, what, err);
    if (g->hi && (!wf_decimal_parse(g->hi, strlen(g->hi), &d) ||
                  !wf_decimal_scaled(&d, scale, &hi) || v > hi || (g->hi_open && v == hi)))
        return cell_error(r, c, what, err);
    *out = v;
    return WF_OK;
}

/* Grows *arr (element size es) to hold at least n + 1 elements. */
static wf_status grow(void **arr, int *cap, int n, size_t es, wf_error *err)
{
    if (n < *cap)
        return WF_OK;
    int nc = *cap ? *cap * 2 : 8;
    void *p = realloc(*arr, (size_t)nc * es);
    if (!p)
        return wf_error_nomem(err, "parameter table");
    *arr = p;
    *cap = nc;
    return WF_OK;
}

/* ---- bands and segments --------------------------------------------------- */

typedef struct band_row {
    wf_band b;
    long line;
} band_row;

static int cmp_band_row(const void *a, const void *b)
{
    const band_row *x = a, *y = b;   /* ties in file order: stable errors */
    if (x->b.min != y->b.min)
        return x->b.min < y->b.min ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Reads label/min/max rows; sorted rows must tile [0, end) (end 0: up to
 * the last maximum). *lines gets each sorted row's line (caller frees). */
static wf_status load_bands(const source *src, const char *base, const char *const *names,
                            int64_t max_value, int64_t end, wf_band **out, long **lines,
                            int *count, wf_error *err)
{
    reader r;
    band_row *rows = NULL;
    int n = 0, cap = 0;
    long total = 0;
    bool more = false;
    wf_status st = open_reader(&r, src, base, names, 3, err);
    while (next_ok(&r, &st, &more, &total, err)) {
        if ((st = grow((void **)&rows, &cap, n, sizeof *rows, err)) != WF_OK)
            continue;
        band_row *b = &rows[n];
        memset(b, 0, sizeof *b);
        b->line = r.line;
        if ((st = cell_label(&r, 0, b->b.label, err)) != WF_OK ||
            (st = cell_whole(&r, 1, 0, max_value, &b->b.min, err)) != WF_OK ||
            (st = cell_whole(&r, 2, 0, max_value, &b->b.max, err)) != WF_OK)
            continue;
        if (b->b.min >= b->b.max) {
            st = wf_error_set(err, WF_EINPUT, r.file, r.line, cell(&r, 2)->column,
                              "%s %lld must be above %s %lld", names[2],
                              (long long)b->b.max, names[1], (long long)b->b.min);
            continue;
        }
        for (int i = 0; i < n && st == WF_OK; i++)
            if (strcmp(rows[i].b.label, b->b.label) == 0)
                st = wf_error_set(err, WF_EINPUT, r.file, r.line, cell(&r, 0)->column,
                                  "duplicate %s '%s' (first on line %ld)", names[0],
                                  b->b.label, rows[i].line);
        if (st != WF_OK)
            continue;
        n++;
    }
    st = rows_done(&r, st, err);
    if (st == WF_OK && n == 0)
        st = wf_error_set(err, WF_EINPUT, r.file, 0, 0, "no rows");
    if (st == WF_OK) {
        qsort(rows, (size_t)n, sizeof *rows, cmp_band_row);
        for (int i = 0; i < n && st == WF_OK; i++) {
            int64_t want = i == 0 ? 0 : rows[i - 1].b.max;
            if (rows[i].b.min != want)
                st = wf_error_set(err, WF_EINPUT, r.file, rows[i].line, 0,
                                  "%s '%s' starts at %lld but %s; the rows must tile "
                                  "[0, %s) without gaps or overlaps",
                                  names[0], rows[i].b.label, (long long)rows[i].b.min,
                                  i == 0 ? "the first must start at 0"
                                  : rows[i].b.min > want ? "leaves a gap after the previous one"
                                                         : "overlaps the previous one",
                                  end ? "999" : "last maximum");
        }
        if (st == WF_OK && end && rows[n - 1].b.max != end)
            st = wf_error_set(err, WF_EINPUT, r.file, rows[n - 1].line, 0,
                              "the last %s '%s' ends at %lld; expected %lld",
                              names[0], rows[n - 1].b.label,
                              (long long)rows[n - 1].b.max, (long long)end);
    }
    if (st == WF_OK) {
        *out = malloc((size_t)n * sizeof **out);
        *lines = malloc((size_t)n * sizeof **lines);
        if (!*out || !*lines)
            st = wf_error_nomem(err, "bands");
        for (int i = 0; st == WF_OK && i < n; i++) {
            (*out)[i] = rows[i].b;
            (*lines)[i] = rows[i].line;
        }
        *count = n;
    }
    free(rows);
    close_reader(&r);
    return st;
}

static int find_band(const wf_band *b, int n, const char *label)
{
    for (int i = 0; i < n; i++)
        if (strcmp(b[i].label, label) == 0)
            return i;
    return -1;
}

int wf_band_index(const wf_band *bands, int n, int64_t v)
{
    if (v < bands[0].min)
        return 0;
    for (int i = 0; i < n; i++)
        if (v < bands[i].max)
            return i;
    return n - 1;
}

/* ---- levels ---------------------------------------------------------------- */

static const char *const level_cols[] = {
    "level_id", "name", "min_compensation", "max_compensation", "termination_base",
    "promotion_base", "merit_rate", "new_hire_percentile", "new_hire_mix"};

typedef struct level_row {
    wf_level l;
    long line;
} level_row;

static int cmp_level_row(const void *a, const void *b)
{
    const level_row *x = a, *y = b;  /* ties in file order: stable errors */
    if (x->l.id != y->l.id)
        return x->l.id - y->l.id;
    return x->line < y->line ? -1 : x->line > y->line;
}

static wf_status read_level(reader *r, level_row *lr, wf_error *err)
{
    wf_level *l = &lr->l;
    int64_t id, mn, mx;
    wf_status st;
    memset(lr, 0, sizeof *lr);
    lr->line = r->line;
    if ((st = cell_whole(r, 0, 1, MAX_ROWS, &id, err)) != WF_OK ||
        (st = cell_label(r, 1, l->name, err)) != WF_OK ||
        (st = cell_whole(r, 2, 0, MAX_DOLLARS, &mn, err)) != WF_OK ||
        (st = cell_whole(r, 3, 0, MAX_DOLLARS, &mx, err)) != WF_OK ||
        (st = cell_double(r, 4, &R_POS, &l->termination_base, err)) != WF_OK ||
        (st = cell_double(r, 5, &R_NONNEG, &l->promotion_base, err)) != WF_OK ||
        (st = cell_double(r, 6, &R_NONNEG, &l->merit_rate, err)) != WF_OK ||
        (st = cell_double(r, 7, &R_UNIT, &l->new_hire_percentile, err)) != WF_OK ||
        (st = cell_scaled(r, 8, 6, &R_NONNEG, &l->new_hire_mix_ppm, err)) != WF_OK)
        return st;
    if (mn >= mx)
        return wf_error_set(err, WF_EINPUT, r->file, r->line, cell(r, 3)->column,
                            "max_compensation %lld must be above min_compensation %lld",
                            (long long)mx, (long long)mn);
    l->id = (int)id;
    l->min_cents = mn * 100;
    l->max_cents = mx * 100;
    return WF_OK;
}

static wf_status check_levels(const char *file, level_row *rows, int n, wf_error *err)
{
    int64_t mix = 0;
    qsort(rows, (size_t)n, sizeof *rows, cmp_level_row);
    for (int i = 0; i < n; i++) {
        if (rows[i].l.id != i + 1) {
            if (i > 0 && rows[i].l.id == rows[i - 1].l.id)
                return wf_error_set(err, WF_EINPUT, file, rows[i].line, 0,
                                    "duplicate level_id %d (also on line %ld)",
                                    rows[i].l.id, rows[i - 1].line);
            return wf_error_set(err, WF_EINPUT, file, rows[i].line, 0,
                                "level_id %d: level ids must be 1..%d with none "
                                "missing (%d is missing)", rows[i].l.id, n, i + 1);
        }
        if (i > 0 && (rows[i].l.min_cents <= rows[i - 1].l.min_cents ||
                      rows[i].l.max_cents <= rows[i - 1].l.max_cents))
            return wf_error_set(err, WF_EINPUT, file, rows[i].line, 0,
                                "level %d: min_compensation and max_compensation must "
                                "both be above those of level %d", i + 1, i);
        mix += rows[i].l.new_hire_mix_ppm;
    }
    if (mix <= 0)
        return wf_error_set(err, WF_EINPUT, file, rows[n - 1].line, 0,
                            "the new_hire_mix weights sum to 0 ppm; expected more "
                            "than 0");
    return WF_OK;
}

static wf_status load_levels(wf_tables *t, const source *src, wf_error *err)
{
    reader r;
    level_row *rows = NULL;
    int n = 0, cap = 0;
    long total = 0;
    bool more = false;
    wf_status st = open_reader(&r, src, "levels.csv", level_cols, 9, err);
    while (next_ok(&r, &st, &more, &total, err)) {
        if ((st = grow((void **)&rows, &cap, n, sizeof *rows, err)) != WF_OK ||
            (st = read_level(&r, &rows[n], err)) != WF_OK)
            continue;
        n++;
    }
    st = rows_done(&r, st, err);
    if (st == WF_OK && n == 0)
        st = wf_error_set(err, WF_EINPUT, r.file, 0, 0, "no levels");
    if (st == WF_OK)
        st = check_levels(r.file, rows, n, err);
    if (st == WF_OK && !(t->levels = malloc((size_t)n * sizeof *t->levels)))
        st = wf_error_nomem(err, "levels");
    for (int i = 0; st == WF_OK && i < n; i++)
        t->levels[i] = rows[i].l;
    if (st == WF_OK)
        t->n_levels = n;
    free(rows);
    close_reader(&r);
    return st;
}

/* ---- hazard multipliers ---------------------------------------------------- */

static const char *const hazard_cols[] = {"hazard", "dimension", "band_label",
                                          "multiplier"};

static wf_status load_hazards(wf_tables *t, const source *src, long *const band_lines[2],
                              wf_error *err)
{
    reader r;
    long total = 0;
    bool more = false;
    double *mult[2][2] = {{t->term_age_mult, t->term_tenure_mult},
                          {t->promo_age_mult, t->promo_tenure_mult}};
    const wf_band *bands[2] = {t->age_bands, t->tenure_bands};
    int nb[2] = {t->n_age_bands, t->n_tenure_bands};
    long *seen[2][2] = {{NULL, NULL}, {NULL, NULL}};
    wf_status st = open_reader(&r, src, "hazard_multipliers.csv", hazard_cols, 4, err);
    for (int h = 0; h < 2 && st == WF_OK; h++)
        for (int d = 0; d < 2 && st == WF_OK; d++)
            if (!(seen[h][d] = calloc((size_t)nb[d], sizeof(long))))
                st = wf_error_nomem(err, "hazard multipliers");
    while (next_ok(&r, &st, &more, &total, err)) {
        const char *hz = cell(&r, 0)->s, *dim = cell(&r, 1)->s;
        int h = strcmp(hz, "termination") == 0 ? 0 : strcmp(hz, "promotion") == 0 ? 1 : -1;
        int d = strcmp(dim, "age") == 0 ? 0 : strcmp(dim, "tenure") == 0 ? 1 : -1;
        if (h < 0) {
            st = cell_error(&r, 0, "termination or promotion", err);
            continue;
        }
        if (d < 0) {
            st = cell_error(&r, 1, "age or tenure", err);
            continue;
        }
        int b = find_band(bands[d], nb[d], cell(&r, 2)->s);
        if (b < 0) {
            st = cell_error(&r, 2, d == 0 ? "a band_label of age_bands.csv"
                                          : "a band_label of tenure_bands.csv", err);
            continue;
        }
        if (seen[h][d][b]) {
            st = wf_error_set(err, WF_EINPUT, r.file, r.line, 0,
                              "duplicate row for (%s, %s, %s); first on line %ld",
                              hz, dim, bands[d][b].label, seen[h][d][b]);
            continue;
        }
        seen[h][d][b] = r.line;
        if ((st = cell_double(&r, 3, &R_POS, &mult[h][d][b], err)) != WF_OK)
            continue;
    }
    st = rows_done(&r, st, err);
    static const char *const hn[2] = {"termination", "promotion"};
    static const char *const dn[2] = {"age", "tenure"};
    for (int h = 0; h < 2 && st == WF_OK; h++)
        for (int d = 0; d < 2 && st == WF_OK; d++)
            for (int b = 0; b < nb[d] && st == WF_OK; b++)
                if (!seen[h][d][b])
                    st = wf_error_set(err, WF_EINPUT, r.file, 0, 0,
                                      "missing row (%s, %s, %s): every band needs a "
                                      "multiplier (the band is on line %ld of %s_bands.csv)",
                                      hn[h], dn[d], bands[d][b].label, band_lines[d][b],
                                      dn[d]);
    for (int h = 0; h < 2; h++)
        for (int d = 0; d < 2; d++)
            free(seen[h][d]);
    close_reader(&r);
    return st;
}

/* ---- new-hire ages ----------------------------------------------------------- */

static const char *const age_cols[] = {"age", "weight"};

typedef struct age_row {
    int32_t age;
    int64_t ppm;
    long line;
} age_row;

static int cmp_age_row(const void *a, const void *b)
{
    const age_row *x = a, *y = b;
    return x->age - y->age;
}

static wf_status load_hire_ages(wf_tables *t, const source *src, wf_error *err)
{
    static const range weight = {"0", false, "2147.483648", false};
    reader r;
    age_row *rows = NULL;
    int n = 0, cap = 0;
    long total = 0;
    bool more = false;
    wf_status st = open_reader(&r, src, "new_hire_ages.csv", age_cols, 2, err);
    while (next_ok(&r, &st, &more, &total, err)) {
        int64_t age;
        if ((st = grow((void **)&rows, &cap, n, sizeof *rows, err)) != WF_OK ||
            (st = cell_whole(&r, 0, 14, 100, &age, err)) != WF_OK ||
            (st = cell_scaled(&r, 1, 6, &weight, &rows[n].ppm, err)) != WF_OK)
            continue;
        rows[n].age = (int32_t)age;
        rows[n].line = r.line;
        for (int i = 0; i < n && st == WF_OK; i++)
            if (rows[i].age == age)
                st = wf_error_set(err, WF_EINPUT, r.file, r.line, cell(&r, 0)->column,
                                  "duplicate age %d (first on line %ld)", (int)age,
                                  rows[i].line);
        if (st != WF_OK)
            continue;
        n++;
    }
    st = rows_done(&r, st, err);
    if (st == WF_OK && n == 0)
        st = wf_error_set(err, WF_EINPUT, r.file, 0, 0, "no rows");
    if (st == WF_OK) {
        qsort(rows, (size_t)n, sizeof *rows, cmp_age_row);
        t->hire_ages = malloc((size_t)n * sizeof *t->hire_ages);
        t->hire_age_cum_ppm = malloc((size_t)n * sizeof *t->hire_age_cum_ppm);
        if (!t->hire_ages || !t->hire_age_cum_ppm)
            st = wf_error_nomem(err, "new-hire ages");
    }
    int64_t sum = 0;
    for (int i = 0; st == WF_OK && i < n; i++) {
        sum += rows[i].ppm;
        t->hire_ages[i] = rows[i].age;
        t->hire_age_cum_ppm[i] = sum;
    }
    if (st == WF_OK && (sum < 1 || sum > (int64_t)1 << 31))
        st = wf_error_set(err, WF_EINPUT, r.file, 0, 0,
                          "the weights sum to %lld ppm; expected 1..2147483648 ppm",
                          (long long)sum);
    if (st == WF_OK) {
        t->n_hire_ages = n;
        t->hire_age_total_ppm = sum;
    }
    free(rows);
    close_reader(&r);
    return st;
}

/* ---- enrollment behaviour ------------------------------------------------------ */

static const char *const beh_cols[] = {"age_segment", "income_segment",
                                       "voluntary_probability", "conversion_probability",
                                       "voluntary_deferral_rate", "opt_out_probability"};

static wf_status load_behaviour(wf_tables *t, const source *src, wf_error *err)
{
    reader r;
    long total = 0;
    bool more = false;
    int na = t->n_age_segments, ni = t->n_income_segments;
    long *seen = calloc((size_t)(na * ni), sizeof *seen);
    t->behaviour = calloc((size_t)(na * ni), sizeof *t->behaviour);
    if (!seen || !t->behaviour) {
        free(seen);
        return wf_error_nomem(err, "enrollment behaviour");
    }
    wf_status st = open_reader(&r, src, "enrollment_behaviour.csv", beh_cols, 6, err);
    while (next_ok(&r, &st, &more, &total, err)) {
        int a = find_band(t->age_segments, na, cell(&r, 0)->s);
        int i = find_band(t->income_segments, ni, cell(&r, 1)->s);
        if (a < 0) {
            st = cell_error(&r, 0, "an age_segment of age_segments.csv", err);
            continue;
        }
        if (i < 0) {
            st = cell_error(&r, 1, "an income_segment of income_segments.csv", err);
            continue;
        }
        if (seen[a * ni + i]) {
            st = wf_error_set(err, WF_EINPUT, r.file, r.line, 0,
                              "duplicate row for (%s, %s); first on line %ld",
                              t->age_segments[a].label, t->income_segments[i].label,
                              seen[a * ni + i]);
            continue;
        }
        seen[a * ni + i] = r.line;
        wf_behaviour *b = &t->behaviour[a * ni + i];
        int64_t bp;
        if ((st = cell_double(&r, 2, &R_UNIT, &b->voluntary, err)) != WF_OK ||
            (st = cell_double(&r, 3, &R_UNIT, &b->conversion, err)) != WF_OK ||
            (st = cell_scaled(&r, 4, 4, &R_BP, &bp, err)) != WF_OK ||
            (st = cell_double(&r, 5, &R_UNIT, &b->opt_out, err)) != WF_OK)
            continue;
        b->deferral_bp = (int32_t)bp;
    }
    st = rows_done(&r, st, err);
    for (int a = 0; a < na && st == WF_OK; a++)
        for (int i = 0; i < ni && st == WF_OK; i++)
            if (!seen[a * ni + i])
                st = wf_error_set(err, WF_EINPUT, r.file, 0, 0,
                                  "missing row for age_segment '%s' and income_segment "
                                  "'%s': every pair needs one",
                                  t->age_segments[a].label, t->income_segments[i].label);
    free(seen);
    close_reader(&r);
    return st;
}

/* ---- public -------------------------------------------------------------------- */

static const char *const age_band_cols[] = {"band_label", "min_value", "max_value"};
static const char *const age_seg_cols[] = {"age_segment", "min_age", "max_age"};
static const char *const income_cols[] = {"income_segment", "min_salary", "max_salary"};

static wf_status alloc_mults(wf_tables *t, wf_error *err)
{
    t->term_age_mult = calloc((size_t)t->n_age_bands, sizeof(double));
    t->promo_age_mult = calloc((size_t)t->n_age_bands, sizeof(double));
    t->term_tenure_mult = calloc((size_t)t->n_tenure_bands, sizeof(double));
    t->promo_tenure_mult = calloc((size_t)t->n_tenure_bands, sizeof(double));
    if (!t->term_age_mult || !t->promo_age_mult || !t->term_tenure_mult ||
        !t->promo_tenure_mult)
        return wf_error_nomem(err, "hazard multipliers");
    return WF_OK;
}

wf_status wf_tables_load(const char *dir, wf_tables **out, wf_error *err)
{
    return wf_tables_load_report(dir, NULL, out, err);
}

wf_status wf_tables_load_report(const char *dir, FILE *report, wf_tables **out,
                                wf_error *err)
{
    *out = NULL;
    const source src = {dir, report};
    wf_tables *t = calloc(1, sizeof *t);
    long *age_lines = NULL, *tenure_lines = NULL, *seg_lines = NULL, *inc_lines = NULL;
    if (!t)
        return wf_error_nomem(err, "parameter tables");
    wf_status st = load_levels(t, &src, err);
    if (st == WF_OK)
        st = load_bands(&src, "age_bands.csv", age_band_cols, BAND_END, BAND_END,
                        &t->age_bands, &age_lines, &t->n_age_bands, err);
    if (st == WF_OK)
        st = load_bands(&src, "tenure_bands.csv", age_band_cols, BAND_END, BAND_END,
                        &t->tenure_bands, &tenure_lines, &t->n_tenure_bands, err);
    if (st == WF_OK)
        st = alloc_mults(t, err);
    if (st == WF_OK) {
        long *const lines[2] = {age_lines, tenure_lines};
        st = load_hazards(t, &src, lines, err);
    }
    if (st == WF_OK)
        st = load_hire_ages(t, &src, err);
    if (st == WF_OK)
        st = load_bands(&src, "age_segments.csv", age_seg_cols, BAND_END, BAND_END,
                        &t->age_segments, &seg_lines, &t->n_age_segments, err);
    if (st == WF_OK)
        st = load_bands(&src, "income_segments.csv", income_cols, MAX_DOLLARS, 0,
                        &t->income_segments, &inc_lines, &t->n_income_segments, err);
    if (st == WF_OK)
        st = load_behaviour(t, &src, err);
    free(age_lines);
    free(tenure_lines);
    free(seg_lines);
    free(inc_lines);
    if (st != WF_OK) {
        wf_tables_free(t);
        return st;
    }
    *out = t;
    return WF_OK;
}

void wf_tables_free(wf_tables *t)
{
    if (!t)
        return;
    free(t->levels);
    free(t->age_bands);
    free(t->tenure_bands);
    free(t->term_age_mult);
    free(t->term_tenure_mult);
    free(t->promo_age_mult);
    free(t->promo_tenure_mult);
    free(t->hire_ages);
    free(t->hire_age_cum_ppm);
    free(t->age_segments);
    free(t->income_segments);
    free(t->behaviour);
    free(t);
}

int wf_tables_age_band_count(const wf_tables *tab)
{
    return tab->n_age_bands;
}

int wf_tables_tenure_band_count(const wf_tables *tab)
{
    return tab->n_tenure_bands;
}
