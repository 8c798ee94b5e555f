/*
 * sim_rows.c - the workforce's struct of arrays, and the plumbing of the
 * parallel phases (chunk buffers, the thread fan-out, ranked selection).
 *
 * Every column of wf_sim_rows is listed once in ROW_FIELDS; growing,
 * freeing and moving a row are generated from that list, so adding a column
 * cannot forget one of them.
 *
 * Parallel phases split the rows into numbered chunks. Threads take chunk
 * numbers from a shared counter; each chunk writes only its own buffers and
 * rows, and the caller commits results in chunk order, so the output does
 * not depend on the number of threads or on scheduling.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "sim_int.h"
#include "wf_date.h"
#include "wf_grow.h"

#define CARRIED_FIELDS(X)                                               \
    X(id) X(id_len) X(key) X(birth) X(hire) X(elig) X(salary) X(deferral)      \
    X(birth_y) X(hire_y) X(birth_md) X(hire_md)                         \
    X(enroll_day) X(pend_opt_day) X(pend_opt_prob) X(level) X(enrolled) \
    X(source) X(opted_out) X(esc_opt_out)
/* The per-year columns: phase A sets them for every row of the next year. */
#define YEAR_FIELDS(X) X(term_cat) X(is_hire) X(age_y) X(ten_y) X(term_prob)
#define ROW_FIELDS(X) CARRIED_FIELDS(X) YEAR_FIELDS(X)

bool wf_sim_rows_reserve(wf_sim_rows *r, size_t cap)
{
    if (cap <= r->cap)
        return true;
    size_t want = r->cap ? r->cap : 1024;
    while (want < cap)
        want += want / 2;
#define X(f)                                                        \
    {                                                               \
        void *p = realloc((void *)r->f, want * sizeof *r->f);       \
        if (!p)                                                     \
            return false;                                           \
        r->f = p;                                                   \
        wf_advise_huge(p, want * sizeof *r->f);                     \
    }
    ROW_FIELDS(X)
#undef X
    r->cap = want;
    return true;
}

void wf_sim_rows_free(wf_sim_rows *r)
{
#define X(f) free((void *)r->f);
    ROW_FIELDS(X)
#undef X
    memset(r, 0, sizeof *r);
}

void wf_sim_rows_copy(wf_sim_rows *dst, size_t di, const wf_sim_rows *src,
                      size_t si)
{
#define X(f) dst->f[di] = src->f[si];
    ROW_FIELDS(X)
#undef X
}

/* Columns are independent, so both moves below give each thread of
 * wf_sim_parallel whole columns: task c is column c of the list. */
typedef struct column_job {
    wf_sim_rows *r;
    const wf_sim_rows *h;
    const uint32_t *keep, *perm, *pos;
    size_t first, m;
} column_job;

static void keep_column(void *arg, size_t c)
{
    const column_job *j = arg;
    wf_sim_rows *r = j->r;
    size_t k = 0;
#define X(f)                                                \
    if (c == k++) {                                         \
        __typeof__(r->f) col = r->f;                        \
        for (size_t o = j->first; o < j->m; o++)            \
            col[o] = col[j->keep[o]];                       \
        return;                                             \
    }
    CARRIED_FIELDS(X)
#undef X
}

size_t wf_sim_rows_keep(wf_sim_rows *r, uint32_t *keep, int threads)
{
    const uint8_t *term_cat = r->term_cat;
    size_t n = r->n, m = 0;
    for (size_t i = 0; i < n; i++) {
        keep[m] = (uint32_t)i;
        m += term_cat[i] == WF_SIM_STAYS;
    }
    size_t first = 0; /* rows before the first drop stay where they are */
    while (first < m && keep[first] == first)
        first++;
    /* One column at a time, from the list of kept rows: each loop streams
     * through one array, and its loads do not wait for each other. The
     * per-year columns are not moved: their values are of the year that
     * ends, and phase A sets them anew for every row. */
    column_job j = {.r = r, .keep = keep, .first = first, .m = m};
    size_t ncols = 0;
#define X(f) ncols++;
    CARRIED_FIELDS(X)
#undef X
    wf_sim_parallel(first < m ? threads : 1, ncols, keep_column, &j);
    r->n = m;
    return m;
}

/* Column c of the merge: appended in one copy when every hire sorts after
 * r's rows in h's order (the usual case, j->first set), else hire k (in
 * id order) goes to pos[k] and the rows between hires k and k + 1 move up
 * by k + 1, those before hire 0 staying; walked from the top, so nothing
 * is overwritten before it has moved. */
static void merge_column(void *arg, size_t c)
{
    const column_job *j = arg;
    wf_sim_rows *r = j->r;
    const wf_sim_rows *h = j->h;
    const uint32_t *perm = j->perm, *pos = j->pos;
    size_t n = r->n, m = h->n, i = 0;
#define X(f)                                                                 \
    if (c == i++) {                                                          \
        if (j->first) {                                                      \
            memcpy(&r->f[n], h->f, m * sizeof *r->f);                        \
            return;                                                          \
        }                                                                    \
        for (size_t k = m; k-- > 0;) {                                       \
            size_t lo = pos[k] - k, hi = k + 1 < m ? pos[k + 1] - (k + 1) : n; \
            if (hi > lo)                                                     \
                memmove(&r->f[pos[k] + 1], &r->f[lo], (hi - lo) * sizeof *r->f); \
            r->f[pos[k]] = h->f[perm[k]];                                    \
        }                                                                    \
        return;                                                              \
    }
    ROW_FIELDS(X)
#undef X
}

void wf_sim_rows_merge(wf_sim_rows *r, const wf_sim_rows *h,
                       const uint32_t *perm, const uint32_t *pos, int threads)
{
    size_t n = r->n, m = h->n;
    if (m == 0)
        return;
    bool append = pos[0] == n, identity = true; /* the usual case */
    for (size_t k = 0; k < m && identity; k++)
        identity = perm[k] == k;
    column_job j = {.r = r, .h = h, .perm = perm, .pos = pos,
                    .first = append && identity};
    size_t ncols = 0;
#define X(f) ncols++;
    ROW_FIELDS(X)
#undef X
    wf_sim_parallel(threads, ncols, merge_column, &j);
    r->n = n + m;
}

void wf_sim_rows_cache_dates(wf_sim_rows *r, size_t i)
{
    int y, m, d;
    wf_date_to_ymd(r->birth[i], &y, &m, &d);
    r->birth_y[i] = (int16_t)y;
    r->birth_md[i] = (uint16_t)WF_SIM_MD(m, d);
    wf_date_to_ymd(r->hire[i], &y, &m, &d);
    r->hire_y[i] = (int16_t)y;
    r->hire_md[i] = (uint16_t)WF_SIM_MD(m, d);
}

bool wf_sim_chunk_grow(wf_sim_chunk *c, size_t more)
{
    size_t want = c->cap ? c->cap : 4096;
    while (want - c->n < more)
        want *= 2;
    if (want == c->cap)
        return true;
    wf_event *p = realloc(c->ev, want * sizeof *p);
    if (!p)
        return false;
    c->ev = p;
    c->cap = want;
    return true;
}

typedef struct fanout {
    void (*fn)(void *ctx, size_t chunk);
    void *ctx;
    size_t n_chunks;
    atomic_size_t next;
} fanout;

static void *worker(void *arg)
{
    fanout *f = arg;
    for (;;) {
        size_t k = atomic_fetch_add(&f->next, 1);
        if (k >= f->n_chunks)
            break;
        f->fn(f->ctx, k);
    }
    return NULL;
}

void wf_sim_parallel(int threads, size_t n_chunks,
                     void (*fn)(void *ctx, size_t chunk), void *ctx)
{
    enum { MAX_THREADS = 256 };
    pthread_t tid[MAX_THREADS];
    fanout f = {fn, ctx, n_chunks, 0};
    int extra = 0;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if ((size_t)threads > n_chunks)
        threads = (int)n_chunks;
    /* A thread that cannot be started is not an error: the caller's own
     * thread takes over its chunks. */
    for (int t = 1; t < threads; t++)
        if (pthread_create(&tid[extra], NULL, worker, &f) == 0)
            extra++;
    worker(&f);
    for (int t = 0; t < extra; t++)
        pthread_join(tid[t], NULL);
}

/* ---- selection of the first k by (key, index) ---------------------------- */

/* Without branches: the comparisons of a partition are as good as coin
 * tosses, and mispredicted branches were most of its time. */
static inline bool less(const wf_sim_rank *a, const wf_sim_rank *b)
{
    return (a->key < b->key) | ((a->key == b->key) & (a->idx < b->idx));
}

static void swap(wf_sim_rank *a, wf_sim_rank *b)
{
    wf_sim_rank t = *a;
    *a = *b;
    *b = t;
}

/* Index of the element of [lo, hi) to partition by. For a long range, an
 * element of an evenly spaced sample, about three standard deviations of
 * the sample's rank estimate beyond k's rank, on the side that leaves k in
 * the shorter part: one partition then keeps little more than the distance
 * from k to the near end of the range (quickselect's usual pivot keeps
 * about half, and a pivot aimed at k itself lands on either side of it).
 * Otherwise the median of three. */
static size_t pivot_of(wf_sim_rank *v, size_t lo, size_t hi, size_t k)
{
    enum { S = 511, LONG = 32768 };
    size_t n = hi - lo;
    if (n < LONG) {
        size_t mid = lo + n / 2;
        if (less(&v[mid], &v[lo]))
            swap(&v[mid], &v[lo]);
        if (less(&v[hi - 1], &v[lo]))
            swap(&v[hi - 1], &v[lo]);
        if (less(&v[mid], &v[hi - 1]))
            swap(&v[mid], &v[hi - 1]);
        return hi - 1;
    }
    size_t at[S]; /* the sample's indices, sorted by element */
    for (size_t j = 0; j < S; j++) {
        size_t x = lo + (2 * j + 1) * n / (2 * S), b = j;
        while (b > 0 && less(&v[x], &v[at[b - 1]])) {
            at[b] = at[b - 1];
            b--;
        }
        at[b] = x;
    }
    double f = (double)(k - lo) / (double)n;
    double r = f * S, margin = 3.0 * sqrt(S * f * (1.0 - f)) + 2.0;
    r = f < 0.5 ? r + margin : r - margin;
    return at[r < 0.0 ? 0 : r > S - 1 ? S - 1 : (size_t)r];
}

void wf_sim_select(wf_sim_rank *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n; /* the k-th smallest lies in [lo, hi) */
    if (k == 0 || k >= n)
        return;
    while (hi - lo > 1) {
        swap(&v[pivot_of(v, lo, hi, k)], &v[hi - 1]);
        wf_sim_rank pivot = v[hi - 1];
        /* Lomuto's partition, branch-free: [lo, store) < pivot <= [store, j). */
        size_t store = lo;
        for (size_t j = lo; j < hi - 1; j++) {
            wf_sim_rank t = v[j];
            bool lt = less(&t, &pivot);
            v[j] = v[store];
            v[store] = t;
            store += lt;
        }
        swap(&v[store], &v[hi - 1]);
        if (store == k)
            return;
        if (store < k)
            lo = store + 1;
        else
            hi = store;
    }
}
