/*
 * test_model_util.c - see test_model_util.h.
 */
#include "test_model_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wf_date.h"
#include "wf_test.h"

wf_status wf_model_test_load(const char *config, const char *census_rel,
                             wf_config **cfg, wf_tables **tab, wf_census **cen,
                             wf_error *err)
{
    char cpath[4096], census[4096];
    wf_status st;
    *cfg = NULL;
    *tab = NULL;
    *cen = NULL;
    if (config)
        snprintf(cpath, sizeof cpath, "%s", config);
    snprintf(census, sizeof census, "%s",
             census_rel[0] == '/' ? census_rel : wf_test_vector(census_rel));
    st = wf_config_load(config ? cpath : NULL, cfg, err);
    if (st == WF_OK)
        st = wf_tables_load(NULL, tab, err);
    if (st == WF_OK)
        st = wf_census_load(census, *cfg, *tab, cen, err);
    if (st != WF_OK) {
        char msg[2048];
        wf_error_format(err, msg, sizeof msg);
        wf_test_note("load failed: %s", msg);
    }
    return st;
}

bool wf_model_test_same_file(const char *got, const char *want, const char *what)
{
    size_t ng, nw;
    char *g = wf_test_slurp(got, &ng), *w = wf_test_slurp(want, &nw);
    bool same = g && w && ng == nw && memcmp(g, w, ng) == 0;
    if (!same && g && w) {
        const char *a = g, *b = w;
        long line = 1;
        while (*a && *a == *b) {
            if (*a == '\n')
                line++;
            a++;
            b++;
        }
        const char *la = a, *lb = b;
        while (la > g && la[-1] != '\n')
            la--;
        while (lb > w && lb[-1] != '\n')
            lb--;
        int ea = (int)strcspn(la, "\n"), eb = (int)strcspn(lb, "\n");
        wf_test_note("%s: first difference at line %ld\n  got:  %.*s\n  want: %.*s",
                     what, line, ea, la, eb, lb);
    } else if (!same) {
        wf_test_note("%s: cannot read %s or %s", what, got, want);
    }
    free(g);
    free(w);
    return same;
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static wf_status keep_year(void *ctx, const wf_year_summary *s, wf_error *err)
{
    wf_keep_sink *k = ctx;
    (void)err;
    if (k->n >= 32)
        return WF_ERUNTIME;
    memset(&k->years[k->n], 0, sizeof k->years[k->n]);
    k->years[k->n++].sum = *s;
    return WF_OK;
}

static wf_status keep_events(void *ctx, const wf_event_batch *b, wf_error *err)
{
    wf_keep_sink *k = ctx;
    wf_kept_year *y = &k->years[k->n - 1];
    (void)err;
    y->n_ev = b->n;
    y->ev = malloc((b->n + 1) * sizeof *y->ev);
    y->ev_ids = malloc((b->n + 1) * sizeof *y->ev_ids);
    if (!y->ev || !y->ev_ids)
        return WF_ENOMEM;
    for (size_t i = 0; i < b->n; i++) {
        y->ev[i] = b->events[i];
        y->ev_ids[i] = dupstr(b->emp_ids[b->events[i].emp]);
    }
    return WF_OK;
}

static wf_status keep_snapshot(void *ctx, const wf_snapshot_batch *b, wf_error *err)
{
    wf_keep_sink *k = ctx;
    wf_kept_year *y = &k->years[k->n - 1];
    (void)err;
    y->n_snap = b->n;
    y->snap = malloc((b->n + 1) * sizeof *y->snap);
    y->snap_ids = malloc((b->n + 1) * sizeof *y->snap_ids);
    if (!y->snap || !y->snap_ids)
        return WF_ENOMEM;
    for (size_t i = 0; i < b->n; i++) {
        y->snap[i] = b->rows[i];
        y->snap_ids[i] = dupstr(b->emp_ids[b->rows[i].emp]);
    }
    return WF_OK;
}

wf_sim_sink wf_keep_sink_make(wf_keep_sink *k)
{
    wf_sim_sink s = {k, keep_year, keep_events, keep_snapshot, NULL, NULL};
    memset(k, 0, sizeof *k);
    return s;
}

void wf_keep_sink_free(wf_keep_sink *k)
{
    for (int i = 0; i < k->n; i++) {
        wf_kept_year *y = &k->years[i];
        for (size_t j = 0; y->ev_ids && j < y->n_ev; j++)
            free(y->ev_ids[j]);
        for (size_t j = 0; y->snap_ids && j < y->n_snap; j++)
            free(y->snap_ids[j]);
        free(y->ev);
        free(y->ev_ids);
        free(y->snap);
        free(y->snap_ids);
    }
    k->n = 0;
}

wf_status wf_model_test_run(const wf_config *cfg, const wf_tables *tab,
                            const wf_census *cen, int threads, wf_keep_sink *k,
                            wf_error *err)
{
    wf_sim_sink s = wf_keep_sink_make(k);
    wf_status st = wf_sim_run(cfg, tab, cen, threads, true, &s, err);
    if (st != WF_OK)
        wf_test_note("wf_sim_run: %s", err->message);
    return st;
}

void wf_test_census_add(wf_test_census *c, const char *id, const char *birth,
                        const char *hire, long long salary_cents, int level,
                        int deferral_bp)
{
    if (c->cen.n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->cen.emp = realloc(c->cen.emp, c->cap * sizeof *c->cen.emp);
        if (!c->cen.emp)
            abort();
    }
    wf_census_employee *e = &c->cen.emp[c->cen.n++];
    memset(e, 0, sizeof *e);
    e->id = dupstr(id);
    if (!wf_date_parse(birth, strlen(birth), &e->birth_day) ||
        !wf_date_parse(hire, strlen(hire), &e->hire_day))
        abort();
    e->salary_cents = salary_cents;
    e->level = level;
    e->deferral_bp = deferral_bp;
}

void wf_test_census_free(wf_test_census *c)
{
    for (size_t i = 0; i < c->cen.n; i++)
        free((void *)c->cen.emp[i].id);
    free(c->cen.emp);
    memset(c, 0, sizeof *c);
}

size_t wf_kept_events(const wf_kept_year *y, const char *id,
                      const wf_event **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < y->n_ev; i++)
        if (strcmp(y->ev_ids[i], id) == 0) {
            if (n < max)
                out[n] = &y->ev[i];
            n++;
        }
    return n;
}
