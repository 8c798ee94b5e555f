/*
 * sim_int.h - the simulation's internal state, shared by the sim*.c files.
 *
 * The workforce is a struct of arrays (wf_sim_rows), one row per employee,
 * kept sorted by employee_id (bytewise) at all times: the census is sorted
 * once, and each year's hires are merged in. Because the rows are in id
 * order, a row's index is its rank among equal keys (docs/model.md 0.3), the
 * year's events come out already sorted by employee, and the snapshot is
 * the rows in order. Memory grows with the workforce: terminated rows are
 * dropped at year end, and a year's events live only until the sink has
 * seen them.
 *
 * Per-year fields (term_*, is_hire, age_y, ten_y) are reset at the start of
 * every year. Everything else is the carried state of docs/model.md 4.10.
 */
#ifndef WF_SIM_INT_H
#define WF_SIM_INT_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rng.h"
#include "wf_events.h"
#include "wf_model_int.h"
#include "wf_sim.h"

#define WF_SIM_LUT 1000  /* ages and tenures 0..999 map to bands by table */

/* term_cat of a row that does not leave this year. The category of a
 * hire never names a termination, so it doubles as "none". */
#define WF_SIM_STAYS WF_CAT_NEW_HIRE

/* A month-day as the rows keep it (birth_md, hire_md, md_of_doy). */
#define WF_SIM_MD(month, day) ((month) * 32 + (day))
/* January 1: ages and tenures for the year are taken on it (docs/model.md 3). */
#define WF_SIM_MD_JAN1 WF_SIM_MD(1, 1)

/* docs/model.md 4.3: promotion candidates are younger than this, whatever the
 * configured retirement age. */
#define WF_SIM_PROMOTION_AGE_LIMIT 65

typedef struct wf_sim_rows {
    size_t n, cap;
    const char **id;
    uint8_t *id_len;
    wf_rng_key *key;                    /* the id's key block (rng.h) */
    int32_t *birth, *hire, *elig;       /* day numbers */
    int16_t *birth_y, *hire_y;          /* calendar year of birth and hire, */
    uint16_t *birth_md, *hire_md;       /* and month * 32 + day: ages without
                                           a calendar conversion */
    int64_t *salary;                    /* cents */
    int32_t *deferral;                  /* bp */
    int32_t *enroll_day;                /* WF_DATE_NULL when never enrolled */
    int32_t *pend_opt_day;              /* opt-out dated next year, or NULL */
    double *pend_opt_prob;
    uint8_t *level, *enrolled, *source, *opted_out, *esc_opt_out;
    /* per year */
    uint8_t *term_cat;                  /* WF_SIM_STAYS or the termination category */
    uint8_t *is_hire;
    int16_t *age_y, *ten_y;             /* age and tenure for the year */
    double *term_prob;                  /* event_probability of the termination */
} wf_sim_rows;

/* Output of one chunk of a parallel phase; committed in chunk order. */
typedef struct wf_sim_chunk {
    wf_event *ev;
    size_t n, cap;
    int64_t R, P;                       /* phase A counts */
    uint32_t *idx, *x;                  /* scratch for batched draws, one
                                           chunk's rows each */
    /* Phase B: draws computed ahead, by stream, indexed by row - begin
     * (NULL for streams phase B does not draw). Streams that no row draws
     * both of share a slot (termination or new-hire termination date,
     * voluntary enrollment or conversion). pre_buf owns them. */
    uint32_t *pre[WF_STREAM_COUNT];
    uint32_t *pre_buf;
#ifndef NDEBUG
    /* Debug builds: which (chunk pass, stream) filled each pre slot, so
     * that a decision can assert it reads a draw made for its own row and
     * stream in this pass (pre_tag parallels pre; pre_tag_buf owns it). */
    uint32_t *pre_tag[WF_STREAM_COUNT];
    uint32_t *pre_tag_buf;
    uint32_t pass;
#endif
    int32_t *term_day;                  /* phase B: termination day by row
                                           - begin, or WF_DATE_NULL */
    uint64_t used[WF_STREAM_COUNT];     /* the draws the chunk used, by
                                           stream, since the last tally
                                           (sim.c tally_draws) */
    size_t begin;                       /* phase B: the chunk's first row */
    bool done;                          /* phase B: finished, not committed */
    int64_t by_type[WF_EV_COUNT];       /* phase B: the chunk's events by */
    int64_t by_category[WF_CAT_COUNT];  /* type and category */
    wf_status status;                   /* first error of the chunk */
    char message[256];
} wf_sim_chunk;

/* Everything a year's phases read; built by sim.c. */
typedef struct wf_sim_ctx {
    const wf_config *cfg;
    const wf_tables *tab;
    wf_sim_rows *rows;
    int year;
    int32_t jan1, dec31, census_day, prev_jan1;
    int32_t promo_day, merit_day, enroll_day, esc_day, ae_cutoff;
    int32_t esc_enrolled_by;            /* last enrollment day for which
                                           the escalation delay is over on
                                           esc_day */
    int64_t *band_min, *band_max;       /* band(year) per level, cents */
    int64_t income_top_cents;           /* top income segment's maximum */
    int64_t *income_min_cents;          /* per income segment */
    uint8_t age_band[WF_SIM_LUT], ten_band[WF_SIM_LUT], age_seg[WF_SIM_LUT];
    uint16_t md_of_doy[366];            /* day of the year -> month * 32 + day */
    wf_rng_stream st[WF_STREAM_COUNT];  /* this year's streams */
    wf_snapshot_row *snap;              /* NULL: no snapshot wanted */
} wf_sim_ctx;

/* Runs fn(ctx, chunk_index) for chunk 0..n_chunks-1 on up to `threads`
 * threads (the caller's included). Returns when all are done. */
void wf_sim_parallel(int threads, size_t n_chunks,
                     void (*fn)(void *ctx, size_t chunk), void *ctx);

/* Makes room for `more` events after the chunk's c->n (grows
 * geometrically; the buffers are reused from year to year, so steady state
 * does not allocate). False when out of memory. */
bool wf_sim_chunk_grow(wf_sim_chunk *c, size_t more);
static inline bool wf_sim_chunk_reserve(wf_sim_chunk *c, size_t more)
{
    return c->cap - c->n >= more || wf_sim_chunk_grow(c, more);
}

/* Rows per chunk of the parallel phases (the scratch arrays' size). */
#define WF_SIM_CHUNK_ROWS 8192
/* Slots of wf_sim_chunk.pre_buf, WF_SIM_CHUNK_ROWS draws each. */
#define WF_SIM_PRE_SLOTS 6

/* Allocates c's pre-draw slots (and, in debug builds, their tags) and
 * points c->pre at them; false when out of memory. wf_sim_chunk_pre_free
 * frees them. */
bool wf_sim_chunk_pre_init(wf_sim_chunk *c);
void wf_sim_chunk_pre_free(wf_sim_chunk *c);

/* Phase B for rows [begin, end) (at most WF_SIM_CHUNK_ROWS): every event of the year for those rows,
 * dated in ctx->year, in (employee, event_sequence) order, into c; state
 * updated to the year end; snapshot rows filled when ctx->snap. */
void wf_sim_employees(const wf_sim_ctx *ctx, size_t begin, size_t end,
                      wf_sim_chunk *c);

/* Grows every column to hold cap rows; false when out of memory. */
bool wf_sim_rows_reserve(wf_sim_rows *r, size_t cap);
void wf_sim_rows_free(wf_sim_rows *r);
/* Fills the calendar caches (birth_y ... hire_md) of row i from its
 * birth and hire days. */
void wf_sim_rows_cache_dates(wf_sim_rows *r, size_t i);
/* Completed years (docs/model.md 3) on a day of `year` whose month * 32 + day
 * is md, from a date of calendar year fy and month-day fmd. */
static inline int wf_sim_years(int year, int md, int fy, int fmd)
{
    return year - fy - (fmd > md);
}

/* Drops the rows whose term_cat is not WF_SIM_STAYS (those who left
 * during the year), keeping the order of the others; keep is scratch of
 * r->n entries. Returns the rows left. The per-year columns (term_cat,
 * is_hire, age_y, ten_y, term_prob) are left unspecified: for the end of
 * a year only. Columns are moved on up to `threads` threads. */
size_t wf_sim_rows_keep(wf_sim_rows *r, uint32_t *keep, int threads);
/* Inserts the m = h->n rows of h into r (room reserved): the k-th of
 * them in id order is h's row perm[k] and becomes r's row pos[k] (pos
 * increasing, pos[k] - k of r's rows before it). Columns are moved on
 * up to `threads` threads. */
void wf_sim_rows_merge(wf_sim_rows *r, const wf_sim_rows *h,
                       const uint32_t *perm, const uint32_t *pos, int threads);
/* Row si of src to row di of dst, every column. */
void wf_sim_rows_copy(wf_sim_rows *dst, size_t di, const wf_sim_rows *src,
                      size_t si);

/* A ranking entry: rank by key ascending, ties by idx (the id order). */
typedef struct wf_sim_rank {
    double key;
    uint32_t idx;
} wf_sim_rank;

/* Reorders v so that v[0..k) are the k smallest by (key, idx), in no
 * particular order. Expected O(n). */
void wf_sim_select(wf_sim_rank *v, size_t n, size_t k);

/* llround(x) (to nearest, halves away from zero) without the library
 * call, for the salaries of every raise. For |x| < 2^52 the truncation t
 * is exact and so is x - t, the fraction that decides; anything else
 * (integers already, NaN, huge) goes to llround itself. */
static inline int64_t wf_sim_llround(double x)
{
    if (!(x > -4503599627370496.0 && x < 4503599627370496.0))
        return llround(x);
    int64_t t = (int64_t)x;
    double f = x - (double)t;
    return t + (f >= 0.5) - (f <= -0.5);
}

/* Does round(x) fit the model's salaries (at most WF_SALARY_MAX_CENTS)?
 * Doubles from 2^52 up are whole numbers, so round(x) > 2^53 - 1 exactly
 * when x > 2^53 - 1; NaN does not fit. Every salary computation asks this
 * before rounding, which keeps llround defined. */
static inline bool wf_sim_salary_fits(double x)
{
    return x <= (double)WF_SALARY_MAX_CENTS;
}

/* The refusal of a salary step whose result would not fit ("employee E,
 * year Y, promotion: ..."), into buf. */
void wf_sim_salary_refusal(char *buf, size_t size, const char *who, int year,
                           const char *step, double x);

/* Ages and tenures index the band tables through 0..WF_SIM_LUT-1. */
static inline int wf_sim_clamp_lut(int v)
{
    return v < 0 ? 0 : v >= WF_SIM_LUT ? WF_SIM_LUT - 1 : v;
}

#endif
