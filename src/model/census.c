/*
 * census.c - the census CSV of docs/model.md 2.1 (wf_census_load).
 *
 * The file is read whole by wf_csv and walked row by row (the rows of an
 * Arrow table come the same way, as text, from census_arrow.c: one row
 * loop, census_rows.h, judges both). Columns are found
 * through the configuration's census.columns mapping, else by name,
 * case-insensitively, through WF_CENSUS_COLUMNS (name, alias, required); a
 * recognised column twice, or a name beside its alias, is an error,
 * unknown columns are ignored. Each row is checked where it stands so
 * every error carries the file, the line and the column (characters, as
 * wf_csv.h defines them) of the offending cell and what was expected.
 *
 * Every row is read, even after a bad one (docs/inputs.md "Every error at
 * once"): a row's first error is kept in a wf_rejects list and the row is
 * left out. Every row of a duplicated id is refused; the first one was
 * read long before the second showed up, so its reason is replaced (a
 * duplicate outranks a bad cell) and its position and fields are found
 * again at the end from the byte offset kept with each id (settle_rows).
 * Then strict mode refuses the file with the list, and skip mode keeps the
 * list for OUT/rejected_rows.csv. Problems of the file as a whole (header,
 * CSV syntax, encoding, field count) stop at once, as before.
 *
 * Rows with a termination date, or with a false `active`, are skipped
 * after their employee_id alone is checked (valid and unique). Everything
 * else is converted once into the units of wf_model_int.h: day numbers,
 * cents and basis points from the exact decimal text (wf_decimal), the
 * level derived from the salary when the column or the cell is empty.
 *
 * Speed matters (a million rows in about a hundred milliseconds): no
 * allocation per row or field. Ids are copied into one growing arena and
 * referenced by offset until the end, when the arena stops moving and the
 * employees get their pointers. Uniqueness costs nothing while the ids
 * come in ascending byte order (as exports sorted by id do): each need only
 * be above the previous one. From the first id out of order on, an id is
 * looked up by binary search in that ascending prefix (often nearly the
 * whole file: EMP_1000000 sorts before EMP_999999) and in an
 * open-addressing hash set over the entries after it.
 *
 * Cells in their usual spelling (YYYY-MM-DD, plain digits with an optional
 * fraction, lower-case true/false) are read by fast paths that give the
 * same value as wf_date_parse and wf_decimal; anything else, and every
 * value out of range, goes the general way, which words the error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <fcntl.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "wf_csv.h"
#include "wf_date.h"
#include "wf_decimal.h"
#include "wf_error.h"
#include "wf_grow.h"
#include "wf_model_int.h"
#include "wf_rejects.h"
#include "wf_sim.h"
#include "census_rows.h"

#define MAX_SALARY_CENTS WF_SALARY_MAX_CENTS
#define BIG_CENSUS (4u << 20)     /* bytes from which arrays are sized up front */

#define N_COLS WF_CC_COUNT
#define ROWS_SHOWN 100            /* strict mode lists this many rows' errors */

typedef struct col_def {
    const char *name, *alias;
    bool required;
} col_def;

#define COL_ROW(e, name, alias, req) {name, alias, req},
static const col_def cols[N_COLS] = {WF_CENSUS_COLUMNS(COL_ROW)};
#undef COL_ROW

/* Where an entry's row starts: its first line and its byte offset in the
 * file (to read it again, see find_late). */
typedef struct entry_where {
    long line;
    size_t pos;                    /* << 1, | 1 when the record was plain */
} entry_where;

/* Everything one load needs; freed in one place. */
typedef struct loader {
    const char *path;
    const wf_tables *tab;
    const wf_config *cfg;          /* NULL: the defaults */
    bool skip_mode;                /* census.invalid_rows: skip */
    wf_date_format_id date_format;
    FILE *report;                  /* strict mode's list of row errors, or NULL */
    int32_t census_day;            /* C */
    int census_y, census_m, census_d;
    wf_decimal zero, one;          /* bounds of deferral_rate */
    long col[N_COLS];              /* header position, -1 when absent */
    bool by_alias[N_COLS];
    /* the id arena and its entries (every row, skipped ones too) */
    char *arena;
    size_t arena_len, arena_cap;
    size_t *entry_off;
    entry_where *entry_at;         /* each entry's row: line and byte offset */
    size_t n_entries, entries_cap;
    bool unsorted;                 /* an id came below its predecessor */
    size_t n_sorted;               /* then: entries [0, n_sorted) ascend */
    uint64_t *slots;               /* hash tag << 32 | (entry + 1); 0 = empty */
    size_t n_slots;                /* power of two */
    /* active employees, ids as entry numbers until the end */
    wf_census_employee *emp;
    size_t *emp_entry;
    size_t n_emp, emp_cap;
    /* counts, and the rows refused (both modes collect them) */
    size_t n_rows, n_skipped;
    wf_rejects rej;
    /* Only once a row is refused: entry -> its reject, so that a duplicate
     * can reach an earlier row. A hash of (entry + 1) << 32 | (reject + 1)
     * (0: empty), sized to the refusals, not to the file. */
    uint64_t *marks;
    size_t n_marks, marks_cap;     /* marks_cap: 0 or a power of two */
    /* the entries of first rows refused late (they may have been accepted) */
    size_t *late_entry;
    size_t n_late_entry, late_entry_cap;
    size_t n_late;                 /* first rows of duplicated ids, refused late */
    size_t n_fields;               /* fields of a row (the header's) */
    /* A source without a file (an Arrow table) in skip mode: every row's
     * cells as text, NUL after each, so that the first row of a duplicated
     * id can be written to rejected_rows.csv (entry_at's pos is the offset
     * here, shifted as the file's). */
    char *kept;
    size_t kept_len, kept_cap;
    /* a date cell's error, its format's name in it (cell_date) */
    char not_a_date[96];
} loader;

/* "col: " then fmt with detail: one format per refused cell, since skip
 * mode pays for each of them (bench_census --dirty). */
static wf_status field_error(const loader *l, const wf_csv_field *f, const char *col,
                             const char *fmt, const char *detail, wf_error *err)
{
    char msg[512];
    size_t n = strlen(col);
    if (n > 64)
        n = 64;
    memcpy(msg, col, n);
    memcpy(msg + n, ": ", 2);
    snprintf(msg + n + 2, sizeof msg - n - 2, fmt, detail);
    return wf_error_set(err, WF_EINPUT, l->path, f->line, f->column, "%s", msg);
}

/* ---- header ---------------------------------------------------------------- */

/* census.columns: each mapped column is the header of that name (case-
 * insensitive), which no other column may then claim by its own name. */
static wf_status map_configured(loader *l, const wf_csv_field *h, size_t n, bool *claimed,
                                wf_error *err)
{
    for (int c = 0; c < N_COLS; c++) {
        const char *want = l->cfg ? l->cfg->census_columns[c] : "";
        if (!want[0])
            continue;
        for (size_t i = 0; i < n; i++) {
            if (strcasecmp(h[i].s, want) != 0)
                continue;
            if (l->col[c] >= 0)
                return wf_error_set(err, WF_EINPUT, l->path, h[i].line, h[i].column,
                                    "column '%s' appears twice", h[i].s);
            l->col[c] = (long)i;
            claimed[i] = true;
        }
        if (l->col[c] < 0) {
            wf_error_set(err, WF_EINPUT, l->path, h[0].line, 0,
                         "the census has no column '%s' (census.columns maps %s to it)",
                         want, cols[c].name);
            if (err && !err->key[0])
                snprintf(err->key, sizeof err->key, "census.columns.%s", cols[c].name);
            return WF_EINPUT;
        }
    }
    return WF_OK;
}

static wf_status map_header(loader *l, const wf_csv_field *h, size_t n, wf_error *err)
{
    for (int c = 0; c < N_COLS; c++)
        l->col[c] = -1;
    bool *claimed = calloc(n, sizeof *claimed);
    if (!claimed)
        return wf_error_nomem(err, "census header");
    wf_status st = map_configured(l, h, n, claimed, err);
    for (size_t i = 0; st == WF_OK && i < n; i++) {
        for (int c = 0; !claimed[i] && c < N_COLS; c++) {
            if (l->cfg && l->cfg->census_columns[c][0])
                continue;
            bool is_name = strcasecmp(h[i].s, cols[c].name) == 0;
            bool is_alias = cols[c].alias && strcasecmp(h[i].s, cols[c].alias) == 0;
            if (!is_name && !is_alias)
                continue;
            if (l->col[c] >= 0 && l->by_alias[c] != is_alias) {
                st = wf_error_set(err, WF_EINPUT, l->path, h[i].line, h[i].column,
                                  "both '%s' and its alias '%s' are present; keep one",
                                  cols[c].name, cols[c].alias);
                break;
            }
            if (l->col[c] >= 0) {
                st = wf_error_set(err, WF_EINPUT, l->path, h[i].line, h[i].column,
                                  "column '%s' appears twice", h[i].s);
                break;
            }
            l->col[c] = (long)i;
            l->by_alias[c] = is_alias;
        }
    }
    free(claimed);
    if (st != WF_OK)
        return st;
    for (int c = 0; c < N_COLS; c++)
        if (cols[c].required && l->col[c] < 0) {
            char alias[96] = "";
            if (cols[c].alias)
                snprintf(alias, sizeof alias, " (or its alias '%s')", cols[c].alias);
            return wf_error_set(err, WF_EINPUT, l->path, h[0].line, 0,
                                "missing required column '%s'%s", cols[c].name, alias);
        }
    return WF_OK;
}

/* ---- ids -------------------------------------------------------------------- */

static uint64_t hash_id(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;          /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}


/* The hash set over the entries after the ascending prefix, with room for
 * as many as the entry arrays hold (sized up front for a big census, so
 * it is built once, not doubled a dozen times). */
static wf_status rehash(loader *l, wf_error *err)
{
    size_t n = 1u << 12;
    size_t room = l->entries_cap > l->n_entries ? l->entries_cap : l->n_entries;
    while (n < (room - l->n_sorted + 1) * 2)
        n *= 2;
    uint64_t *s = calloc(n, sizeof *s);
    if (!s)
        return wf_error_nomem(err, "census id index");
    wf_advise_huge(s, n * sizeof *s);
    for (size_t e = l->n_sorted; e < l->n_entries; e++) {
        const char *id = l->arena + l->entry_off[e];
        uint64_t h = hash_id(id, strlen(id));
        size_t i = h & (n - 1);
        while (s[i])
            i = (i + 1) & (n - 1);
        s[i] = (h >> 32) << 32 | (uint64_t)(e + 1);
    }
    free(l->slots);
    l->slots = s;
    l->n_slots = n;
    return WF_OK;
}

/* The entry of id s in the ascending prefix, or -1. */
static long find_sorted(const loader *l, const char *s)
{
    size_t lo = 0, hi = l->n_sorted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s, l->arena + l->entry_off[mid]);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}


/* A-Z a-z 0-9 _ . - as a table: one load a character. */
const bool wf_id_chars[256] = {
    ['-'] = 1, ['.'] = 1, ['_'] = 1,
    ['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['A'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['a'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

bool wf_id_valid(const char *s, size_t len)
{
    if (len < 1 || len > WF_ID_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!wf_id_char((unsigned char)s[i]))
            return false;
    return true;
}

static wf_status grow_buf(void **p, size_t *cap, size_t need, size_t es, wf_error *err)
{
    if (need <= *cap)
        return WF_OK;
    size_t nc = *cap ? *cap : 1024;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc * es);
    if (!q)
        return wf_error_nomem(err, "census");
    *p = q;
    *cap = nc;
    return WF_OK;
}


/* Room for `rows` rows and `id_bytes` of ids up front, so nothing grows
 * while rows are read; best effort: when it cannot be had, the arrays
 * grow as rows come. */
static void reserve(loader *l, size_t rows, size_t id_bytes)
{
    char *arena = malloc(id_bytes);
    size_t *off = malloc(rows * sizeof *off), *emp_entry = malloc(rows * sizeof *emp_entry);
    entry_where *line = malloc(rows * sizeof *line);
    wf_census_employee *emp = malloc(rows * sizeof *emp);
    if (!arena || !off || !emp_entry || !line || !emp) {
        free(arena);
        free(off);
        free(emp_entry);
        free(line);
        free(emp);
        return;
    }
    wf_advise_huge(arena, id_bytes);
    wf_advise_huge(off, rows * sizeof *off);
    wf_advise_huge(emp_entry, rows * sizeof *emp_entry);
    wf_advise_huge(line, rows * sizeof *line);
    wf_advise_huge(emp, rows * sizeof *emp);
    l->arena = arena;
    l->arena_cap = id_bytes;
    l->entry_off = off;
    l->entry_at = line;
    l->entries_cap = rows;
    l->emp = emp;
    l->emp_entry = emp_entry;
    l->emp_cap = rows;
}

/* Checks the id cell's text: length, characters, the NH_ prefix. */
static wf_status check_id(const loader *l, const wf_csv_field *f, wf_error *err)
{
    if (f->len == 0 || f->len > WF_ID_MAX)
        return field_error(l, f, "employee_id", "'%.80s' is not 1-64 characters long",
                           f->s, err);
    for (size_t i = 0; i < f->len; i++)
        if (!wf_id_char((unsigned char)f->s[i]))
            return field_error(l, f, "employee_id",
                               "'%.80s' holds a character outside A-Z a-z 0-9 _ . -",
                               f->s, err);
    if (f->len >= 3 && memcmp(f->s, "NH_", 3) == 0)
        return field_error(l, f, "employee_id",
                           "'%.80s' starts with NH_, which is reserved for new hires",
                           f->s, err);
    return WF_OK;
}

/* Once the hash set is in use, a shuffled census spends most of its time
 * waiting for the one slot each id looks at: read_rows asks for it here,
 * reads the rest of the row, and only then looks it up (add_id). */
static void prefetch_id(const loader *l, const wf_csv_field *f)
{
    if (l->slots)
        __builtin_prefetch(&l->slots[hash_id(f->s, f->len) & (l->n_slots - 1)]);
}

/* Records the checked id cell and sets *entry to its entry number, unless
 * the id is taken: then *dup is the entry of its first row (else -1) and
 * nothing is recorded. Errors: memory, too many rows. */
static wf_status add_id(loader *l, const wf_csv_field *f, long line, size_t pos,
                        size_t *entry, long *dup, wf_error *err)
{
    wf_status st;
    size_t i = 0;
    uint64_t tag = 0;
    *dup = -1;
    if (!l->unsorted && l->n_entries > 0) {
        /* Ascending so far: unique exactly when above the previous id. */
        size_t last = l->n_entries - 1;
        int c = strcmp(f->s, l->arena + l->entry_off[last]);
        if (c == 0) {
            *dup = (long)last;
            return WF_OK;
        }
        if (c < 0) {
            l->unsorted = true;
            l->n_sorted = l->n_entries;
        }
    }
    if (!l->unsorted)
        goto append;
    /* From the first id out of order on: a binary search of the ascending
     * prefix (often nearly the whole file), a hash set for the rest. */
    long e = find_sorted(l, f->s);
    if (e >= 0) {
        *dup = e;
        return WF_OK;
    }
    if ((l->n_entries - l->n_sorted + 1) * 2 > l->n_slots && (st = rehash(l, err)) != WF_OK)
        return st;
    uint64_t h = hash_id(f->s, f->len);
    tag = (h >> 32) << 32;
    for (i = h & (l->n_slots - 1); l->slots[i]; i = (i + 1) & (l->n_slots - 1)) {
        if ((l->slots[i] & 0xFFFFFFFF00000000ULL) != tag)
            continue;
        size_t other = (size_t)(l->slots[i] & 0xFFFFFFFFu) - 1;
        if (memcmp(l->arena + l->entry_off[other], f->s, f->len + 1) == 0) {
            *dup = (long)other;
            return WF_OK;
        }
    }
append:;
    size_t old_cap = l->entries_cap;
    if ((st = grow_buf((void **)&l->arena, &l->arena_cap, l->arena_len + f->len + 1, 1,
                       err)) != WF_OK ||
        (st = grow_buf((void **)&l->entry_off, &l->entries_cap, l->n_entries + 1,
                       sizeof(size_t), err)) != WF_OK)
        return st;
    if (l->entries_cap != old_cap) {     /* entry_at follows entry_off */
        entry_where *nl = realloc(l->entry_at, l->entries_cap * sizeof *nl);
        if (!nl)
            return wf_error_nomem(err, "census");
        l->entry_at = nl;
    }
    if (l->n_entries >= UINT32_MAX - 1)
        return wf_error_set(err, WF_EINPUT, l->path, line, 0, "too many rows");
    memcpy(l->arena + l->arena_len, f->s, f->len + 1);
    l->entry_off[l->n_entries] = l->arena_len;
    l->entry_at[l->n_entries] = (entry_where){line, pos};
    l->arena_len += f->len + 1;
    if (l->slots)
        l->slots[i] = tag | (uint64_t)(l->n_entries + 1);
    *entry = l->n_entries++;
    return WF_OK;
}

/* ---- cells ---------------------------------------------------------------------- */

/* 1 true, 0 false, -1 not a boolean (docs/model.md 2.1's spellings, any case). */
static int parse_bool(const char *s)
{
    static const char *const yes[] = {"true", "t", "yes", "y", "1"};
    static const char *const no[] = {"false", "f", "no", "n", "0"};
    for (int i = 0; i < 5; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

/* parse_bool, with the spellings exports write answered first. */
static int cell_bool(const wf_csv_field *f)
{
    if (f->len == 5 && memcmp(f->s, "false", 5) == 0)
        return 0;
    if (f->len == 4 && memcmp(f->s, "true", 4) == 0)
        return 1;
    return parse_bool(f->s);
}

static const char *const bool_words = "true/false/t/f/yes/no/y/n/1/0";

/* ---- fast paths --------------------------------------------------------------------
 * Each reads only the usual spelling of a cell and answers false for
 * anything else, including values out of range; the caller then takes
 * the general path (wf_date_parse, wf_decimal), which decides and words
 * any error. Where they answer true they give exactly the general path's
 * value. */

static inline unsigned digit_at(const char *s, size_t i)
{
    return (unsigned)(unsigned char)s[i] - '0';   /* > 9 when not a digit */
}

typedef struct ymd {
    int y, m, d;
} ymd;

/* wf_date_parse's grammar and checks, keeping the year, month and day. */
static bool parse_ymd(const char *s, size_t len, ymd *out)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    unsigned y0 = digit_at(s, 0), y1 = digit_at(s, 1), y2 = digit_at(s, 2),
             y3 = digit_at(s, 3), m0 = digit_at(s, 5), m1 = digit_at(s, 6),
             d0 = digit_at(s, 8), d1 = digit_at(s, 9);
    if (y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9)
        return false;
    int y = (int)(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
    int m = (int)(m0 * 10 + m1), d = (int)(d0 * 10 + d1);
    if (y < 1 || m < 1 || m > 12 || d < 1 || (d > 28 && d > wf_days_in_month(y, m)))
        return false;
    out->y = y;
    out->m = m;
    out->d = d;
    return true;
}

/* Unsigned digits [.digits] with 1..max_int integer digits: the integer
 * part, and the fraction scaled by 10^scale rounded half up on the next
 * digit (wf_decimal_scaled's rounding for a positive value). *frac_zero
 * tells whether every fraction digit is 0. */
static bool parse_fixed(const char *s, size_t len, size_t max_int, int scale,
                        uint64_t *int_part, uint64_t *frac, bool *frac_zero)
{
    size_t i = 0;
    uint64_t v = 0, fr = 0;
    unsigned dg;
    for (; i < len && (dg = digit_at(s, i)) <= 9; i++)
        v = v * 10 + dg;
    if (i == 0 || i > max_int)
        return false;
    int k = 0;
    bool zero = true, up = false;
    if (i < len) {
        if (s[i++] != '.')
            return false;
        for (; i < len; i++, k++) {
            if ((dg = digit_at(s, i)) > 9)
                return false;
            zero = zero && dg == 0;
            if (k < scale)
                fr = fr * 10 + dg;
            else if (k == scale)
                up = dg >= 5;
        }
    }
    for (; k < scale; k++)
        fr *= 10;
    *int_part = v;
    *frac = fr + up;
    *frac_zero = zero;
    return true;
}

static bool fast_salary(const wf_csv_field *f, int64_t *cents)
{
    uint64_t v, fr;
    bool zero;
    if (!parse_fixed(f->s, f->len, 15, 2, &v, &fr, &zero))
        return false;
    uint64_t c = v * 100 + fr;           /* < 10^17 + 101: no overflow */
    if (c == 0 || c > (uint64_t)MAX_SALARY_CENTS)
        return false;
    *cents = (int64_t)c;
    return true;
}

static bool fast_deferral(const wf_csv_field *f, int32_t *bp)
{
    uint64_t v, fr;
    bool zero;
    if (!parse_fixed(f->s, f->len, 9, 4, &v, &fr, &zero) || v > 1 || (v == 1 && !zero))
        return false;
    *bp = (int32_t)(v * 10000 + fr);
    return true;
}

static bool fast_level(const loader *l, const wf_csv_field *f, int32_t *level)
{
    if (f->len == 0 || f->len > 9)
        return false;
    int32_t v = 0;
    for (size_t i = 0; i < f->len; i++) {
        unsigned dg = digit_at(f->s, i);
        if (dg > 9)
            return false;
        v = v * 10 + (int32_t)dg;
    }
    if (v < 1 || v > l->tab->n_levels)
        return false;
    *level = v;
    return true;
}

/* ---- general paths ---------------------------------------------------------------- */

/* 1 or 2 digits (a month or a day written with a separator after it). */
static bool small_number(const char *s, size_t len, int *v)
{
    if (len < 1 || len > 2 || digit_at(s, 0) > 9 || (len == 2 && digit_at(s, 1) > 9))
        return false;
    *v = (int)(len == 2 ? digit_at(s, 0) * 10 + digit_at(s, 1) : digit_at(s, 0));
    return true;
}

/* The census.date_format other than YYYY-MM-DD. YYYYMMDD is 8 digits;
 * the others are day or month of 1-2 digits and a 4-digit year, with the
 * format's separator. Never guessed: a value that does not fit the
 * format, or names no real date, is refused. */
static bool parse_formatted(wf_date_format_id fmt, const char *s, size_t len, ymd *out)
{
    int y = 0, m = 0, d = 0;
    if (fmt == WF_DF_COMPACT) {
        if (len != 8)
            return false;
        for (size_t i = 0; i < 8; i++)
            if (digit_at(s, i) > 9)
                return false;
        y = (int)(digit_at(s, 0) * 1000 + digit_at(s, 1) * 100 + digit_at(s, 2) * 10 +
                  digit_at(s, 3));
        m = (int)(digit_at(s, 4) * 10 + digit_at(s, 5));
        d = (int)(digit_at(s, 6) * 10 + digit_at(s, 7));
    } else {
        char sep = fmt == WF_DF_DOTTED ? '.' : '/';
        const char *a = memchr(s, sep, len);
        const char *b = a ? memchr(a + 1, sep, len - (size_t)(a + 1 - s)) : NULL;
        if (!a || !b)
            return false;
        int first, second;
        size_t ylen = len - (size_t)(b + 1 - s);
        if (!small_number(s, (size_t)(a - s), &first) ||
            !small_number(a + 1, (size_t)(b - a - 1), &second) || ylen != 4)
            return false;
        for (size_t i = 0; i < 4; i++)
            if (digit_at(b + 1, i) > 9)
                return false;
        y = (int)(digit_at(b + 1, 0) * 1000 + digit_at(b + 1, 1) * 100 +
                  digit_at(b + 1, 2) * 10 + digit_at(b + 1, 3));
        m = fmt == WF_DF_US ? first : second;
        d = fmt == WF_DF_US ? second : first;
    }
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > wf_days_in_month(y, m))
        return false;
    *out = (ymd){y, m, d};
    return true;
}

static wf_status cell_date(const loader *l, const wf_csv_field *f, const char *col,
                           int32_t *day, ymd *date, wf_error *err)
{
    bool ok = l->date_format == WF_DF_ISO ? parse_ymd(f->s, f->len, date)
                                          : parse_formatted(l->date_format, f->s, f->len, date);
    if (!ok)
        return field_error(l, f, col, l->not_a_date, f->s, err);
    *day = wf_date_from_ymd(date->y, date->m, date->d);
    return WF_OK;
}

static wf_status cell_salary(const loader *l, const wf_csv_field *f, int64_t *cents,
                             wf_error *err)
{
    if (fast_salary(f, cents))
        return WF_OK;
    wf_decimal d;
    if (!wf_decimal_parse(f->s, f->len, &d))
        return field_error(l, f, "salary",
                           "'%.80s' is not a decimal number (digits, optional fraction "
                           "and exponent; no separators or currency signs)", f->s, err);
    if (!wf_decimal_scaled(&d, 2, cents) || *cents > MAX_SALARY_CENTS)
        return field_error(l, f, "salary",
                           "'%.80s' is too large: at most 2^53-1 cents "
                           "(90071992547409.91)", f->s, err);
    if (*cents <= 0)
        return field_error(l, f, "salary",
                           "'%.80s' is not above 0 once rounded to cents", f->s, err);
    return WF_OK;
}

static wf_status cell_level(const loader *l, const wf_csv_field *f, int32_t *level,
                            wf_error *err)
{
    if (fast_level(l, f, level))
        return WF_OK;
    wf_decimal d;
    int64_t v = 0;
    if (!wf_decimal_is_digits(f->s, f->len) || !wf_decimal_parse(f->s, f->len, &d) ||
        !wf_decimal_scaled(&d, 0, &v) || v < 1 || v > l->tab->n_levels) {
        char what[64];
        snprintf(what, sizeof what, "a level of the level table (1..%d)",
                 l->tab->n_levels);
        return wf_error_set(err, WF_EINPUT, l->path, f->line, f->column,
                            "level_id: '%.80s' is not %s", f->s, what);
    }
    *level = (int32_t)v;
    return WF_OK;
}

static wf_status cell_deferral(const loader *l, const wf_csv_field *f, int32_t *bp,
                               wf_error *err)
{
    if (fast_deferral(f, bp))
        return WF_OK;
    wf_decimal d;
    int64_t v;
    if (!wf_decimal_parse(f->s, f->len, &d) || wf_decimal_cmp(&d, &l->zero) < 0 ||
        wf_decimal_cmp(&d, &l->one) > 0 || !wf_decimal_scaled(&d, 4, &v))
        return field_error(l, f, "deferral_rate",
                           "'%.80s' is not a fraction in [0, 1]", f->s, err);
    *bp = (int32_t)v;
    return WF_OK;
}

static int32_t derive_level(const wf_tables *tab, int64_t cents)
{
    for (int i = 0; i < tab->n_levels; i++)
        if (tab->levels[i].max_cents > cents)
            return tab->levels[i].id;
    return tab->levels[tab->n_levels - 1].id;
}

/* ---- rows -------------------------------------------------------------------------- */

static const wf_csv_field *opt(const loader *l, const wf_csv_field *row, int c)
{
    if (l->col[c] < 0 || row[l->col[c]].len == 0)
        return NULL;
    return &row[l->col[c]];
}

static wf_status read_employee(loader *l, const wf_csv_field *row,
                               wf_census_employee *e, wf_error *err)
{
    const wf_csv_field *fb = &row[l->col[WF_CC_BIRTH]], *fh = &row[l->col[WF_CC_HIRE]];
    const wf_csv_field *f;
    wf_status st;
    ymd b, h;
    if ((st = cell_date(l, fb, "birth_date", &e->birth_day, &b, err)) != WF_OK ||
        (st = cell_date(l, fh, "hire_date", &e->hire_day, &h, err)) != WF_OK ||
        (st = cell_salary(l, &row[l->col[WF_CC_SALARY]], &e->salary_cents, err)) != WF_OK)
        return st;
    /* wf_years_between and wf_date_add_years on the parsed parts: the
     * dates are valid, so comparing (y, m, d) compares the days. */
    int age = l->census_y - b.y -
              (b.m > l->census_m || (b.m == l->census_m && b.d > l->census_d));
    if (age < 14 || age > 100) {
        char detail[128];
        snprintf(detail, sizeof detail, "%s gives age %d at the census date", fb->s, age);
        return field_error(l, fb, "birth_date", "%s; expected 14..100", detail, err);
    }
    if (e->hire_day > l->census_day)
        return field_error(l, fh, "hire_date",
                           "%s is after the census date (December 31 before start_year)",
                           fh->s, err);
    int y14 = b.y + 14, d14 = b.m == 2 && b.d == 29 && !wf_is_leap(y14) ? 28 : b.d;
    if (h.y < y14 || (h.y == y14 && (h.m < b.m || (h.m == b.m && h.d < d14))))
        return field_error(l, fh, "hire_date", "%s is before the 14th birthday", fh->s,
                           err);
    e->level = 0;
    if ((f = opt(l, row, WF_CC_LEVEL)) && (st = cell_level(l, f, &e->level, err)) != WF_OK)
        return st;
    e->level_from_salary = !f;
    if (!f)
        e->level = derive_level(l->tab, e->salary_cents);
    e->deferral_bp = 0;
    if ((f = opt(l, row, WF_CC_DEFERRAL)) &&
        (st = cell_deferral(l, f, &e->deferral_bp, err)) != WF_OK)
        return st;
    e->esc_opt_out = false;
    if ((f = opt(l, row, WF_CC_ESC))) {
        int yes = cell_bool(f);
        if (yes < 0)
            return field_error(l, f, "auto_escalation_opt_out",
                               "'%.80s' is not a boolean (true/false/t/f/yes/no/y/n/1/0)",
                               f->s, err);
        e->esc_opt_out = yes == 1;
    }
    return WF_OK;
}

/* Is this row skipped (terminated or not active)? Errors on a bad `active`
 * of a row without termination date. */
static wf_status is_skipped(const loader *l, const wf_csv_field *row, bool *skip,
                            wf_error *err)
{
    *skip = opt(l, row, WF_CC_TERM) != NULL;
    const wf_csv_field *f = opt(l, row, WF_CC_ACTIVE);
    if (*skip || !f)
        return WF_OK;
    int b = cell_bool(f);
    if (b < 0)
        return wf_error_set(err, WF_EINPUT, l->path, f->line, f->column,
                            "active: '%.80s' is not a boolean (%s)", f->s, bool_words);
    *skip = b == 0;
    return WF_OK;
}

/* Room in emp and emp_entry for one more employee. */
static wf_status room_for_one(loader *l, wf_error *err)
{
    size_t old_cap = l->emp_cap;
    wf_status st = grow_buf((void **)&l->emp, &l->emp_cap, l->n_emp + 1, sizeof *l->emp, err);
    if (st != WF_OK)
        return st;
    if (l->emp_cap != old_cap) {     /* emp_entry follows emp */
        size_t *ne = realloc(l->emp_entry, l->emp_cap * sizeof *ne);
        if (!ne)
            return wf_error_nomem(err, "census");
        l->emp_entry = ne;
    }
    return WF_OK;
}

/* ---- refused rows ---------------------------------------------------------------
 * Both modes collect every refused row (one reason a row: its first broken
 * rule in the order of checks, a duplicated id before anything else) and
 * go on reading; strict mode then refuses the file listing them, skip
 * mode leaves them out and keeps them for OUT/rejected_rows.csv. Nothing
 * of this runs for a clean file but the test of one status per row. */

/* Fibonacci hashing: the product's top bits, as many as cap needs. */
static size_t mark_slot(size_t entry, size_t cap)
{
    return (size_t)(((uint64_t)entry * 0x9E3779B97F4A7C15u) >> (64 - __builtin_ctzll(cap)));
}

/* entry's reject + 1, or 0 when its row is not refused. */
static uint32_t reject_of(const loader *l, size_t entry)
{
    if (!l->marks_cap)
        return 0;
    uint64_t key = (uint64_t)(entry + 1) << 32;
    for (size_t s = mark_slot(entry, l->marks_cap);; s = (s + 1) & (l->marks_cap - 1)) {
        if (!l->marks[s])
            return 0;
        if ((l->marks[s] & ~(uint64_t)UINT32_MAX) == key)
            return (uint32_t)l->marks[s];
    }
}

static void put_mark(uint64_t *marks, size_t cap, uint64_t m)
{
    size_t s = mark_slot((size_t)(m >> 32) - 1, cap);
    while (marks[s] && (marks[s] >> 32) != (m >> 32))
        s = (s + 1) & (cap - 1);
    marks[s] = m;
}

/* Remembers that entry's row is refused as reject r. */
static bool mark_entry(loader *l, size_t entry, size_t r)
{
    if ((l->n_marks + 1) * 2 > l->marks_cap) {
        size_t cap = l->marks_cap ? l->marks_cap * 2 : 1024;
        uint64_t *m = calloc(cap, sizeof *m);
        if (!m)
            return false;
        for (size_t i = 0; i < l->marks_cap; i++)
            if (l->marks[i])
                put_mark(m, cap, l->marks[i]);
        free(l->marks);
        l->marks = m;
        l->marks_cap = cap;
    }
    if (!reject_of(l, entry))
        l->n_marks++;
    put_mark(l->marks, l->marks_cap, (uint64_t)(entry + 1) << 32 | (uint32_t)(r + 1));
    return true;
}

/* Records row (n fields, first line `line`) as refused for why; entry is
 * its id's entry when the id was recorded, else NULL. */
static wf_status reject(loader *l, const wf_csv_field *row, size_t n, long line,
                        const wf_error *why, const size_t *entry, size_t *index,
                        wf_error *err)
{
    size_t i;
    if (!wf_rejects_add(&l->rej, line, why->line, why->column, why->message, &i) ||
        (l->skip_mode && row && !wf_rejects_set_fields(&l->rej, i, row, n)) ||
        (entry && !mark_entry(l, *entry, i)))
        return wf_error_nomem(err, "the census's refused rows");
    if (index)
        *index = i;
    return WF_OK;
}

/* Row `line` repeats the id of entry `first`: this row is refused, and so
 * is the first row of the id (nothing says which is right). That row was
 * read long ago: its reason becomes the duplicate, and its column (and,
 * in skip mode, its fields) are found again after the pass (find_late). */
static wf_status reject_duplicate(loader *l, const wf_csv_field *row, size_t n, long line,
                                  size_t pos, const wf_csv_field *id, size_t first,
                                  wf_error *err)
{
    wf_error why;
    why.status = WF_OK;
    wf_error_set(&why, WF_EINPUT, l->path, id->line, id->column,
                 "employee_id: duplicate '%s' (first on line %ld)", id->s,
                 l->entry_at[first].line);
    size_t i;
    wf_status st = reject(l, row, n, line, &why, NULL, &i, err);
    if (st != WF_OK)
        return st;
    l->rej.rows[i].duplicate = true;
    char reason[256];
    snprintf(reason, sizeof reason, "employee_id: duplicate '%s' (again on line %ld)",
             id->s, line);
    uint32_t r = reject_of(l, first);
    if (r && l->rej.rows[r - 1].duplicate)
        return WF_OK;                      /* a third row of the id */
    if (r) {
        if (!wf_rejects_set_reason(&l->rej, r - 1, reason))
            return wf_error_nomem(err, "the census's refused rows");
    } else {
        why.status = WF_OK;
        wf_error_set(&why, WF_EINPUT, l->path, l->entry_at[first].line, 0, "%s", reason);
        if ((st = reject(l, NULL, 0, l->entry_at[first].line, &why, &first, &i, err)) != WF_OK)
            return st;
        r = (uint32_t)(i + 1);
        if (!wf_grow((void **)&l->late_entry, &l->late_entry_cap, l->n_late_entry + 1,
                     sizeof *l->late_entry))
            return wf_error_nomem(err, "the census's refused rows");
        l->late_entry[l->n_late_entry++] = first;   /* it may have been accepted */
    }
    /* The first row lies between its offset and the next row with an id
     * (entries come in file order), or this row when none came between. */
    wf_reject *fr = &l->rej.rows[r - 1];
    fr->duplicate = true;
    fr->column = -1;                       /* to be found again */
    fr->pos = l->entry_at[first].pos;      /* offset << 1 | plain */
    fr->end = first + 1 < l->n_entries ? l->entry_at[first + 1].pos >> 1 : pos;
    l->n_late++;
    return WF_OK;
}

/* Reads the first row of a duplicated id again, from the bytes of the
 * file that hold it: the id cell's position and, in skip mode, the fields.
 * Those bytes are whole records, so the first one is the row. */
static wf_status read_late(loader *l, int fd, size_t k, wf_error *err)
{
    wf_reject *r = &l->rej.rows[k];
    size_t at = r->pos >> 1, len = r->end - at, got = 0;
    char *buf = malloc(len ? len : 1);
    if (!buf)
        return wf_error_nomem(err, "census row");
    while (got < len) {
        ssize_t n = pread(fd, buf + got, len - got, (off_t)(at + got));
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    wf_csv *csv = NULL;
    wf_csv_field *row;
    size_t n = 0;
    wf_error ignored = {0};
    wf_status st = WF_OK;
    if (got == len && wf_csv_open_mem(l->path, buf, len, &csv, &ignored) == WF_OK &&
        wf_csv_next(csv, &row, &n, &ignored) == WF_OK && l->col[WF_CC_ID] < (long)n &&
        n == l->n_fields) {
        const wf_csv_field *id = &row[l->col[WF_CC_ID]];
        r->field_line = r->line + id->line - 1;
        r->column = id->column;
        if (l->skip_mode && r->fields == WF_REJECT_NO_FIELDS &&
            !wf_rejects_set_fields(&l->rej, k, row, n))
            st = wf_error_nomem(err, "the census's refused rows");
    } else {
        st = wf_error_set(err, WF_EIO, l->path, r->line, 0,
                          "the file changed while it was read");
    }
    wf_csv_close(csv);
    free(buf);
    return st;
}

/* A plain record (wf_csv_record_plain) is still whole in the reader's
 * buffer: its fields are taken from there. */
static wf_status plain_late(loader *l, const wf_csv *csv, size_t k, wf_csv_field *f,
                            wf_error *err)
{
    wf_reject *r = &l->rej.rows[k];
    wf_csv_plain_fields(csv, r->pos >> 1, r->line, f, l->n_fields);
    r->field_line = r->line;
    r->column = f[l->col[WF_CC_ID]].column;
    if (l->skip_mode && r->fields == WF_REJECT_NO_FIELDS &&
        !wf_rejects_set_fields(&l->rej, k, f, l->n_fields))
        return wf_error_nomem(err, "the census's refused rows");
    return WF_OK;
}

/* A source without a file: a row's cells are kept as text (keep_fields). */
static wf_status keep_fields(loader *l, const wf_csv_field *row, size_t n, size_t *pos,
                             wf_error *err)
{
    size_t need = l->kept_len;
    for (size_t c = 0; c < n; c++)
        need += row[c].len + 1;
    if (!wf_grow((void **)&l->kept, &l->kept_cap, need, 1))
        return wf_error_nomem(err, "the census's kept rows");
    *pos = l->kept_len << 1;
    for (size_t c = 0; c < n; c++) {
        memcpy(l->kept + l->kept_len, row[c].s, row[c].len);
        l->kept_len += row[c].len;
        l->kept[l->kept_len++] = '\0';
    }
    return WF_OK;
}

/* The first row of a duplicated id from a source without a file: its
 * position is the row and the id's column number; in skip mode its cells
 * come from the kept text. */
static wf_status kept_late(loader *l, size_t k, wf_csv_field *f, wf_error *err)
{
    wf_reject *r = &l->rej.rows[k];
    r->field_line = r->line;
    r->column = l->col[WF_CC_ID] + 1;
    if (!l->skip_mode || r->fields != WF_REJECT_NO_FIELDS)
        return WF_OK;
    char *s = l->kept + (r->pos >> 1);
    for (size_t c = 0; c < l->n_fields; c++) {
        size_t len = strlen(s);
        f[c] = (wf_csv_field){s, len, r->line, (long)c + 1, false};
        s += len + 1;
    }
    if (!wf_rejects_set_fields(&l->rej, k, f, l->n_fields))
        return wf_error_nomem(err, "the census's refused rows");
    return WF_OK;
}

/* The first rows of duplicated ids (rejects with column -1), read again:
 * from the reader's buffer when plain, else from the file; from the kept
 * text when there is no file (csv NULL). */
static wf_status find_late(loader *l, const wf_csv *csv, wf_error *err)
{
    int fd = -1;
    wf_status st = WF_OK;
    wf_csv_field *f = malloc(l->n_fields * sizeof *f);
    if (!f)
        return wf_error_nomem(err, "census row");
    for (size_t k = 0; st == WF_OK && k < l->rej.n; k++) {
        const wf_reject *r = &l->rej.rows[k];
        if (r->column >= 0)
            continue;
        if (!csv) {
            st = kept_late(l, k, f, err);
            continue;
        }
        if (r->pos & 1) {
            st = plain_late(l, csv, k, f, err);
            continue;
        }
        if (fd < 0 && (fd = open(l->path, O_RDONLY | O_CLOEXEC)) < 0)
            st = wf_error_errno(err, "open", l->path);
        else
            st = read_late(l, fd, k, err);
    }
    if (fd >= 0)
        close(fd);
    free(f);
    return st;
}

/* Each employee's id from the arena, now that it has stopped moving; the
 * accepted employees whose row was refused late (the first row of a
 * duplicated id) dropped on the way. */
static int by_entry(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static void place_employees(loader *l)
{
    /* emp_entry ascends (file order): a merge with the sorted late entries */
    if (l->n_late_entry > 1) /* qsort wants a non-null array, even empty */
        qsort(l->late_entry, l->n_late_entry, sizeof *l->late_entry, by_entry);
    size_t w = 0, d = 0;
    for (size_t i = 0; i < l->n_emp; i++) {
        size_t e = l->emp_entry[i];
        while (d < l->n_late_entry && l->late_entry[d] < e)
            d++;
        if (d < l->n_late_entry && l->late_entry[d] == e)
            continue;
        if (w != i)
            l->emp[w] = l->emp[i];
        l->emp[w++].id = l->arena + l->entry_off[e];
    }
    l->n_emp = w;
}

/* Strict mode's refusal: the first ROWS_SHOWN rows' errors to l->report,
 * then the total; err gets the first. */
static wf_status refuse(const loader *l, wf_error *err)
{
    wf_rejects_report(l->report, l->path, &l->rej, ROWS_SHOWN);
    return wf_rejects_error(&l->rej, 0, l->path, err);
}

static wf_status read_rows(loader *l, const wf_census_rows *src, wf_error *err)
{
    wf_csv_field *row;
    size_t n;
    long line;
    wf_status st;
    while ((st = src->next(src->ctx, &row, &n, &line, err)) == WF_OK && n > 0) {
        const wf_csv_field *id = &row[l->col[WF_CC_ID]];
        size_t entry = 0;
        long dup;
        bool skip = false;
        wf_error row_err;
        row_err.status = WF_OK;    /* all wf_error_set looks at */
        l->n_rows++;
        if (check_id(l, id, &row_err) != WF_OK) {
            if ((st = reject(l, row, n, line, &row_err, NULL, NULL, err)) != WF_OK)
                return st;
            continue;
        }
        prefetch_id(l, id);
        /* The row is read before its id is looked up, but a duplicate id
         * is what the row is refused for even when a later cell is bad
         * too: the row's error is held apart (errors are sticky) and only
         * counts when the id is new. */
        wf_status row_st = is_skipped(l, row, &skip, &row_err);
        if (row_st == WF_OK && !skip && (st = room_for_one(l, err)) != WF_OK)
            return st;
        if (row_st == WF_OK && !skip)
            row_st = read_employee(l, row, &l->emp[l->n_emp], &row_err);
        size_t off = 0, pos = 0;
        if (src->csv) {
            off = wf_csv_record_offset(src->csv);
            pos = off << 1 | wf_csv_record_plain(src->csv);
        } else if (l->skip_mode && (st = keep_fields(l, row, n, &pos, err)) != WF_OK) {
            return st;
        }
        if ((st = add_id(l, id, line, pos, &entry, &dup, err)) != WF_OK)
            return st;
        if (dup >= 0)
            st = reject_duplicate(l, row, n, line, off, id, (size_t)dup, err);
        else if (row_st != WF_OK)
            st = reject(l, row, n, line, &row_err, &entry, NULL, err);
        else if (!skip)
            l->emp_entry[l->n_emp++] = entry;
        else
            l->n_skipped++;
        if (st != WF_OK)
            return st;
    }
    return st;
}

/* After the pass: the late rows found again, refused employees dropped,
 * then strict mode refuses a file with any refused row. */
static wf_status settle_rows(loader *l, const wf_csv *csv, wf_error *err)
{
    wf_rejects_sort(&l->rej);
    wf_status st = l->n_late ? find_late(l, csv, err) : WF_OK;
    if (st == WF_OK)
        place_employees(l);
    if (st == WF_OK && l->rej.n && !l->skip_mode)
        return refuse(l, err);
    if (st == WF_OK && l->n_emp == 0 && l->rej.n)
        return wf_error_set(err, WF_EINPUT, l->path, 0, 0,
                            "no active employee left once %zu of %zu rows were "
                            "rejected: a census needs at least one",
                            l->rej.n, l->n_rows);
    return st;
}
/* ---- public ------------------------------------------------------------------------ */

/* The CSV file as a row source. */
typedef struct csv_src {
    wf_csv *csv;
} csv_src;

static wf_status csv_next(void *ctx, wf_csv_field **row, size_t *n, long *line,
                          wf_error *err)
{
    csv_src *c = ctx;
    wf_status st = wf_csv_next(c->csv, row, n, err);
    *line = wf_csv_record_line(c->csv);
    return st;
}

static void csv_sizes(void *ctx, size_t *rows, size_t *bytes)
{
    csv_src *c = ctx;
    if (wf_csv_size(c->csv) >= BIG_CENSUS) {
        /* each id and its NUL fit in the bytes of its field and delimiter */
        *rows = wf_csv_records_left(c->csv);
        *bytes = wf_csv_size(c->csv) + 1;
    }
}

wf_status wf_census_load(const char *path, const wf_config *cfg, const wf_tables *tab,
                         wf_census **out, wf_error *err)
{
    return wf_census_load_report(path, cfg, tab, NULL, out, err);
}

wf_status wf_census_load_report(const char *path, const wf_config *cfg,
                                const wf_tables *tab, FILE *report, wf_census **out,
                                wf_error *err)
{
    *out = NULL;
    csv_src c = {NULL};
    wf_status st = wf_csv_open(path, &c.csv, err);
    if (st == WF_OK) {
        wf_census_rows src = {&c, csv_next, csv_sizes, c.csv};
        st = wf_census_load_rows(path, path, &src, cfg, tab, report, out, err);
    }
    wf_csv_close(c.csv);
    return st;
}

wf_status wf_census_load_rows(const char *name, const char *label,
                              const wf_census_rows *src, const wf_config *cfg,
                              const wf_tables *tab, FILE *report, wf_census **out,
                              wf_error *err)
{
    *out = NULL;
    loader l;
    memset(&l, 0, sizeof l);
    l.path = name;
    l.tab = tab;
    l.cfg = cfg;
    l.skip_mode = cfg && cfg->census_skip;
    l.date_format = cfg ? cfg->census_date_format : WF_DF_ISO;
    snprintf(l.not_a_date, sizeof l.not_a_date, "'%%.80s' is not a date %s",
             wf_date_format_names[l.date_format]);
    l.report = report;
    wf_rejects_init(&l.rej);
    wf_tables *own_tab = NULL;
    int start_year = cfg ? cfg->start_year : 2025;
    l.census_day = wf_date_from_ymd(start_year - 1, 12, 31);
    wf_date_to_ymd(l.census_day, &l.census_y, &l.census_m, &l.census_d);
    wf_decimal_parse("0", 1, &l.zero);
    wf_decimal_parse("1", 1, &l.one);
    wf_census *cen = NULL;
    wf_csv_field *h;
    size_t n = 0;
    long hline;
    wf_status st = WF_OK;
    if (!tab && (st = wf_tables_load(NULL, &own_tab, err)) == WF_OK)
        l.tab = own_tab;
    if (st == WF_OK && (st = src->next(src->ctx, &h, &n, &hline, err)) == WF_OK && n == 0)
        st = wf_error_set(err, WF_EINPUT, name, 1, 0, "empty file: expected a header row");
    if (st == WF_OK)
        st = map_header(&l, h, n, err);
    l.n_fields = n;
    if (st == WF_OK && l.skip_mode && !wf_rejects_set_header(&l.rej, h, n))
        st = wf_error_nomem(err, "census header");
    size_t rows = 0, bytes = 0;
    if (st == WF_OK && src->sizes)
        src->sizes(src->ctx, &rows, &bytes);
    if (rows)
        reserve(&l, rows, bytes);
    if (st == WF_OK)
        st = read_rows(&l, src, err);
    if (st == WF_OK)
        st = settle_rows(&l, src->csv, err);
    if (st == WF_OK && l.n_emp == 0)
        st = wf_error_set(err, WF_EINPUT, name, 0, 0,
                          "no active employee: a census needs at least one");
    if (st == WF_OK && (!(cen = calloc(1, sizeof *cen)) || !(cen->path = strdup(label))))
        st = wf_error_nomem(err, "census");
    if (st != WF_OK)
        goto done;
    cen->n = l.n_emp;
    cen->emp = l.emp;
    cen->id_arena = l.arena;
    cen->rows = l.n_rows;
    cen->skipped = l.n_skipped;
    cen->skip_mode = l.skip_mode;
    cen->rej = l.rej;
    wf_rejects_init(&l.rej);
    l.emp = NULL;
    l.arena = NULL;
    *out = cen;
    cen = NULL;
done:
    wf_tables_free(own_tab);
    if (cen)
        wf_census_free(cen);
    free(l.arena);
    free(l.entry_off);
    free(l.entry_at);
    free(l.kept);
    free(l.slots);
    free(l.emp);
    free(l.emp_entry);
    free(l.marks);
    free(l.late_entry);
    wf_rejects_free(&l.rej);
    return st;
}

const char *wf_census_path(const wf_census *cen)
{
    return cen->path;
}

size_t wf_census_count(const wf_census *cen)
{
    return cen->n;
}

void wf_census_free(wf_census *cen)
{
    if (!cen)
        return;
    free(cen->path);
    free(cen->emp);
    free(cen->id_arena);
    wf_rejects_free(&cen->rej);
    free(cen);
}

void wf_census_get_info(const wf_census *cen, wf_census_info *info)
{
    *info = (wf_census_info){
        .rows = cen->rows,
        .employees = cen->n,
        .skipped = cen->skipped,
        .rejected = cen->rej.n,
        .skip_mode = cen->skip_mode,
    };
}

/* ---- the digest of the accepted rows ------------------------------------------------ */

/* Unsigned v in decimal at p; returns the end. */
static char *put_u64(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* v / 10^scale with exactly `scale` decimals (v >= 0). */
static char *put_fixed(char *p, int64_t v, int scale)
{
    uint64_t unit = scale == 2 ? 100 : 10000;
    p = put_u64(p, (uint64_t)v / unit);
    *p++ = '.';
    uint64_t f = (uint64_t)v % unit;
    for (uint64_t d = unit / 10; d; d /= 10) {
        *p++ = (char)('0' + f / d);
        f %= d;
    }
    return p;
}

/* One employee's normalised row, as the digest reads it (wfsim.h). */
static size_t digest_row(const wf_census_employee *e, char *p0)
{
    char *p = p0;
    size_t n = strlen(e->id);
    memcpy(p, e->id, n);
    p += n;
    *p++ = ',';
    wf_date_format(e->birth_day, p);
    p += 10;
    *p++ = ',';
    wf_date_format(e->hire_day, p);
    p += 10;
    *p++ = ',';
    p = put_fixed(p, e->salary_cents, 2);
    *p++ = ',';
    p = put_u64(p, (uint64_t)e->level);
    *p++ = ',';
    p = put_fixed(p, e->deferral_bp, 4);
    *p++ = ',';
    n = e->esc_opt_out ? 4 : 5;
    memcpy(p, e->esc_opt_out ? "true" : "false", n);
    p += n;
    *p++ = '\n';
    return (size_t)(p - p0);
}

void wf_census_digest(const wf_census *cen, char hex[65])
{
    enum { ROW_MAX = WF_ID_MAX + 96, BUF = 1 << 16 };
    char buf[BUF];
    size_t len = 0;
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    for (size_t i = 0; i < cen->n; i++) {
        if (len + ROW_MAX > sizeof buf) {
            sha256_update(&ctx, len, (const uint8_t *)buf);
            len = 0;
        }
        len += digest_row(&cen->emp[i], buf + len);
    }
    sha256_update(&ctx, len, (const uint8_t *)buf);
    sha256_digest(&ctx, sizeof d, d);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", d[i]);
    hex[64] = '\0';
}

void wf_census_normalised(const wf_census *cen, wf_census_row *out)
{
    for (size_t i = 0; i < cen->n; i++) {
        const wf_census_employee *e = &cen->emp[i];
        out[i] = (wf_census_row){e->id, e->birth_day, e->hire_day, e->salary_cents,
                                 e->level, e->deferral_bp, e->level_from_salary,
                                 e->esc_opt_out};
    }
}

const wf_rejects *wf_census_rejects(const wf_census *cen)
{
    return &cen->rej;
}
