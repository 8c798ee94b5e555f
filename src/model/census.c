/*
 * census.c - the census CSV of MODEL.md 2.1 (wf_census_load).
 *
 * The file is read whole by wf_csv and walked row by row (the rows of an
 * Arrow table come the same way, as text, from census_arrow.c: one row
 * loop, census_rows.h, judges both). Columns are found
 * by name, case-insensitively, through the CENSUS_COLS table (name, alias,
 * required); a recognised column twice, or a name beside its alias, is an
 * error, unknown columns are ignored. Each row is checked where it stands
 * so every error carries the file, the line and the column (characters,
 * as wf_csv.h defines them) of the offending cell and what was expected.
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

#include "wf_csv.h"
#include "wf_date.h"
#include "wf_decimal.h"
#include "wf_error.h"
#include "wf_grow.h"
#include "wf_model_int.h"
#include "wf_sim.h"
#include "census_rows.h"

#define MAX_SALARY_CENTS WF_SALARY_MAX_CENTS
#define BIG_CENSUS (4u << 20)     /* bytes from which arrays are sized up front */

/* X(enum, name, alias or NULL, required) */
#define CENSUS_COLS(X)                                                   \
    X(C_ID, "employee_id", NULL, true)                                   \
    X(C_BIRTH, "birth_date", "employee_birth_date", true)                \
    X(C_HIRE, "hire_date", "employee_hire_date", true)                   \
    X(C_SALARY, "salary", "employee_gross_compensation", true)           \
    X(C_TERM, "termination_date", "employee_termination_date", false)    \
    X(C_ACTIVE, "active", NULL, false)                                   \
    X(C_LEVEL, "level_id", NULL, false)                                  \
    X(C_DEFERRAL, "deferral_rate", "employee_deferral_rate", false)      \
    X(C_ESC, "auto_escalation_opt_out", NULL, false)

#define COL_ENUM(e, name, alias, req) e,
enum { CENSUS_COLS(COL_ENUM) N_COLS };
#undef COL_ENUM

typedef struct col_def {
    const char *name, *alias;
    bool required;
} col_def;

#define COL_ROW(e, name, alias, req) {name, alias, req},
static const col_def cols[N_COLS] = {CENSUS_COLS(COL_ROW)};
#undef COL_ROW

/* Everything one load needs; freed in one place. */
typedef struct loader {
    const char *path;
    const wf_tables *tab;
    int32_t census_day;            /* C */
    int census_y, census_m, census_d;
    wf_decimal zero, one;          /* bounds of deferral_rate */
    long col[N_COLS];              /* header position, -1 when absent */
    bool by_alias[N_COLS];
    /* the id arena and its entries (every row, skipped ones too) */
    char *arena;
    size_t arena_len, arena_cap;
    size_t *entry_off;
    long *entry_line;
    size_t n_entries, entries_cap;
    bool unsorted;                 /* an id came below its predecessor */
    size_t n_sorted;               /* then: entries [0, n_sorted) ascend */
    uint64_t *slots;               /* hash tag << 32 | (entry + 1); 0 = empty */
    size_t n_slots;                /* power of two */
    /* active employees, ids as entry numbers until the end */
    wf_census_employee *emp;
    size_t *emp_entry;
    size_t n_emp, emp_cap;
} loader;

static wf_status field_error(const loader *l, const wf_csv_field *f, const char *col,
                             const char *fmt, const char *detail, wf_error *err)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, detail);
    return wf_error_set(err, WF_EINPUT, l->path, f->line, f->column, "%s: %s", col, msg);
}

/* ---- header ---------------------------------------------------------------- */

static wf_status map_header(loader *l, const wf_csv_field *h, size_t n, wf_error *err)
{
    for (int c = 0; c < N_COLS; c++)
        l->col[c] = -1;
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < N_COLS; c++) {
            bool is_name = strcasecmp(h[i].s, cols[c].name) == 0;
            bool is_alias = cols[c].alias && strcasecmp(h[i].s, cols[c].alias) == 0;
            if (!is_name && !is_alias)
                continue;
            if (l->col[c] >= 0 && l->by_alias[c] != is_alias)
                return wf_error_set(err, WF_EINPUT, l->path, h[i].line, h[i].column,
                                    "both '%s' and its alias '%s' are present; keep one",
                                    cols[c].name, cols[c].alias);
            if (l->col[c] >= 0)
                return wf_error_set(err, WF_EINPUT, l->path, h[i].line, h[i].column,
                                    "column '%s' appears twice", h[i].s);
            l->col[c] = (long)i;
            l->by_alias[c] = is_alias;
        }
    }
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

static wf_status duplicate(const loader *l, const wf_csv_field *f, size_t first,
                           wf_error *err)
{
    return wf_error_set(err, WF_EINPUT, l->path, f->line, f->column,
                        "employee_id: duplicate '%s' (first on line %ld)", f->s,
                        l->entry_line[first]);
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
    long *line = malloc(rows * sizeof *line);
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
    l->entry_line = line;
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

/* Records the checked id cell, unless it is a duplicate; *entry gets its
 * entry number. */
static wf_status add_id(loader *l, const wf_csv_field *f, long line, size_t *entry,
                        wf_error *err)
{
    wf_status st;
    size_t i = 0;
    uint64_t tag = 0;
    if (!l->unsorted && l->n_entries > 0) {
        /* Ascending so far: unique exactly when above the previous id. */
        size_t last = l->n_entries - 1;
        int c = strcmp(f->s, l->arena + l->entry_off[last]);
        if (c == 0)
            return duplicate(l, f, last, err);
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
    if (e >= 0)
        return duplicate(l, f, (size_t)e, err);
    if ((l->n_entries - l->n_sorted + 1) * 2 > l->n_slots && (st = rehash(l, err)) != WF_OK)
        return st;
    uint64_t h = hash_id(f->s, f->len);
    tag = (h >> 32) << 32;
    for (i = h & (l->n_slots - 1); l->slots[i]; i = (i + 1) & (l->n_slots - 1)) {
        if ((l->slots[i] & 0xFFFFFFFF00000000ULL) != tag)
            continue;
        size_t other = (size_t)(l->slots[i] & 0xFFFFFFFFu) - 1;
        if (memcmp(l->arena + l->entry_off[other], f->s, f->len + 1) == 0)
            return duplicate(l, f, other, err);
    }
append:;
    size_t old_cap = l->entries_cap;
    if ((st = grow_buf((void **)&l->arena, &l->arena_cap, l->arena_len + f->len + 1, 1,
                       err)) != WF_OK ||
        (st = grow_buf((void **)&l->entry_off, &l->entries_cap, l->n_entries + 1,
                       sizeof(size_t), err)) != WF_OK)
        return st;
    if (l->entries_cap != old_cap) {     /* entry_line follows entry_off */
        long *nl = realloc(l->entry_line, l->entries_cap * sizeof *nl);
        if (!nl)
            return wf_error_nomem(err, "census");
        l->entry_line = nl;
    }
    if (l->n_entries >= UINT32_MAX - 1)
        return wf_error_set(err, WF_EINPUT, l->path, line, 0, "too many rows");
    memcpy(l->arena + l->arena_len, f->s, f->len + 1);
    l->entry_off[l->n_entries] = l->arena_len;
    l->entry_line[l->n_entries] = line;
    l->arena_len += f->len + 1;
    if (l->slots)
        l->slots[i] = tag | (uint64_t)(l->n_entries + 1);
    *entry = l->n_entries++;
    return WF_OK;
}

/* ---- cells ---------------------------------------------------------------------- */

/* 1 true, 0 false, -1 not a boolean (MODEL.md 2.1's spellings, any case). */
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

static wf_status cell_date(const loader *l, const wf_csv_field *f, const char *col,
                           int32_t *day, ymd *date, wf_error *err)
{
    if (!parse_ymd(f->s, f->len, date))
        return field_error(l, f, col, "'%.80s' is not a date YYYY-MM-DD", f->s, err);
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
    const wf_csv_field *fb = &row[l->col[C_BIRTH]], *fh = &row[l->col[C_HIRE]];
    const wf_csv_field *f;
    wf_status st;
    ymd b, h;
    if ((st = cell_date(l, fb, "birth_date", &e->birth_day, &b, err)) != WF_OK ||
        (st = cell_date(l, fh, "hire_date", &e->hire_day, &h, err)) != WF_OK ||
        (st = cell_salary(l, &row[l->col[C_SALARY]], &e->salary_cents, err)) != WF_OK)
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
    if ((f = opt(l, row, C_LEVEL)) && (st = cell_level(l, f, &e->level, err)) != WF_OK)
        return st;
    if (!f)
        e->level = derive_level(l->tab, e->salary_cents);
    e->deferral_bp = 0;
    if ((f = opt(l, row, C_DEFERRAL)) &&
        (st = cell_deferral(l, f, &e->deferral_bp, err)) != WF_OK)
        return st;
    e->esc_opt_out = false;
    if ((f = opt(l, row, C_ESC))) {
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
    *skip = opt(l, row, C_TERM) != NULL;
    const wf_csv_field *f = opt(l, row, C_ACTIVE);
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

static wf_status read_rows(loader *l, const wf_census_rows *src, wf_error *err)
{
    wf_csv_field *row;
    size_t n;
    long line;
    wf_status st;
    while ((st = src->next(src->ctx, &row, &n, &line, err)) == WF_OK && n > 0) {
        const wf_csv_field *id = &row[l->col[C_ID]];
        size_t entry = 0;
        bool skip = false;
        if ((st = check_id(l, id, err)) != WF_OK)
            return st;
        prefetch_id(l, id);
        /* The row is read before its id is looked up, but a duplicate id
         * is what the row is refused for even when a later cell is bad
         * too: the row's error is held apart (errors are sticky) and only
         * passed on when the id is new. */
        wf_error row_err;
        row_err.status = WF_OK;    /* all wf_error_set looks at */
        wf_status row_st = is_skipped(l, row, &skip, &row_err);
        if (row_st == WF_OK && !skip && (st = room_for_one(l, err)) != WF_OK)
            return st;
        if (row_st == WF_OK && !skip)
            row_st = read_employee(l, row, &l->emp[l->n_emp], &row_err);
        if ((st = add_id(l, id, line, &entry, err)) != WF_OK)
            return st;
        if (row_st != WF_OK) {
            if (err && err->status == WF_OK)
                *err = row_err;
            return row_st;
        }
        if (!skip)
            l->emp_entry[l->n_emp++] = entry;
    }
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
    *out = NULL;
    csv_src c = {NULL};
    wf_status st = wf_csv_open(path, &c.csv, err);
    if (st == WF_OK) {
        wf_census_rows src = {&c, csv_next, csv_sizes};
        st = wf_census_load_rows(path, path, &src, cfg, tab, out, err);
    }
    wf_csv_close(c.csv);
    return st;
}

wf_status wf_census_load_rows(const char *name, const char *label,
                              const wf_census_rows *src, const wf_config *cfg,
                              const wf_tables *tab, wf_census **out, wf_error *err)
{
    *out = NULL;
    loader l;
    memset(&l, 0, sizeof l);
    l.path = name;
    l.tab = tab;
    wf_tables *own_tab = NULL;
    int start_year = cfg ? cfg->start_year : 2025;
    l.census_day = wf_date_from_ymd(start_year - 1, 12, 31);
    wf_date_to_ymd(l.census_day, &l.census_y, &l.census_m, &l.census_d);
    wf_decimal_parse("0", 1, &l.zero);
    wf_decimal_parse("1", 1, &l.one);
    wf_census *cen = NULL;
    wf_csv_field *h;
    size_t n;
    long hline;
    wf_status st = WF_OK;
    if (!tab && (st = wf_tables_load(NULL, &own_tab, err)) == WF_OK)
        l.tab = own_tab;
    if (st == WF_OK && (st = src->next(src->ctx, &h, &n, &hline, err)) == WF_OK && n == 0)
        st = wf_error_set(err, WF_EINPUT, name, 1, 0, "empty file: expected a header row");
    if (st == WF_OK)
        st = map_header(&l, h, n, err);
    size_t rows = 0, bytes = 0;
    if (st == WF_OK && src->sizes)
        src->sizes(src->ctx, &rows, &bytes);
    if (rows)
        reserve(&l, rows, bytes);
    if (st == WF_OK)
        st = read_rows(&l, src, err);
    if (st == WF_OK && l.n_emp == 0)
        st = wf_error_set(err, WF_EINPUT, name, 0, 0,
                          "no active employee: a census needs at least one");
    if (st == WF_OK && (!(cen = calloc(1, sizeof *cen)) || !(cen->path = strdup(label))))
        st = wf_error_nomem(err, "census");
    if (st != WF_OK)
        goto done;
    for (size_t i = 0; i < l.n_emp; i++)
        l.emp[i].id = l.arena + l.entry_off[l.emp_entry[i]];
    cen->n = l.n_emp;
    cen->emp = l.emp;
    cen->id_arena = l.arena;
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
    free(l.entry_line);
    free(l.slots);
    free(l.emp);
    free(l.emp_entry);
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
    free(cen);
}
