/*
 * wf_rejects.c - see wf_rejects.h.
 */
#include "wf_rejects.h"

#include <stdlib.h>
#include <string.h>

#include "wf_error.h"
#include "wf_grow.h"

void wf_rejects_init(wf_rejects *r)
{
    memset(r, 0, sizeof *r);
    r->header = WF_REJECT_NO_FIELDS;
}

void wf_rejects_free(wf_rejects *r)
{
    free(r->rows);
    free(r->text);
    wf_rejects_init(r);
}

/* Appends n bytes and a NUL to the arena; *off gets where. */
static bool put_text(wf_rejects *r, const char *s, size_t n, size_t *off)
{
    if (!wf_grow((void **)&r->text, &r->text_cap, r->len + n + 1, 1))
        return false;
    memcpy(r->text + r->len, s, n);
    r->text[r->len + n] = '\0';
    *off = r->len;
    r->len += n + 1;
    return true;
}

static bool put_fields(wf_rejects *r, const wf_csv_field *f, size_t n, size_t *off)
{
    size_t first = r->len, at;
    for (size_t i = 0; i < n; i++)
        if (!put_text(r, f[i].s, f[i].len, &at))
            return false;
    *off = first;
    return true;
}

bool wf_rejects_set_header(wf_rejects *r, const wf_csv_field *h, size_t n)
{
    r->n_fields = n;
    return put_fields(r, h, n, &r->header);
}

bool wf_rejects_add(wf_rejects *r, long line, long field_line, long column,
                    const char *reason, size_t *index)
{
    size_t off;
    if (!wf_grow((void **)&r->rows, &r->cap, r->n + 1, sizeof *r->rows) ||
        !put_text(r, reason, strlen(reason), &off))
        return false;
    r->rows[r->n] = (wf_reject){.line = line, .field_line = field_line, .column = column,
                                .reason = off, .fields = WF_REJECT_NO_FIELDS};
    *index = r->n++;
    return true;
}

bool wf_rejects_set_reason(wf_rejects *r, size_t i, const char *reason)
{
    size_t off;
    if (!put_text(r, reason, strlen(reason), &off))
        return false;
    r->rows[i].reason = off;
    return true;
}

bool wf_rejects_set_fields(wf_rejects *r, size_t i, const wf_csv_field *f, size_t n)
{
    return put_fields(r, f, n, &r->rows[i].fields);
}

static int by_line(const void *a, const void *b)
{
    long x = ((const wf_reject *)a)->line, y = ((const wf_reject *)b)->line;
    return x < y ? -1 : x > y;
}

/* Rows come in file order but for the first rows of duplicated ids, added
 * when their second row is read, below the line before them. So: the rows
 * that keep the order stay where they are, the others are taken out,
 * sorted (they are few) and merged back. */
void wf_rejects_sort(wf_rejects *r)
{
    size_t kept = 0, late = 0;
    wf_reject *out = NULL;
    for (size_t i = 0; i < r->n; i++)
        if (kept == 0 || r->rows[i].line > r->rows[kept - 1].line)
            r->rows[kept++] = r->rows[i];
        else if (!out && !(out = malloc(r->n * sizeof *out)))
            break;
        else
            out[late++] = r->rows[i];
    if (!out) {
        if (kept < r->n)      /* no memory for the fast way */
            qsort(r->rows, r->n, sizeof *r->rows, by_line);
        return;
    }
    qsort(out, late, sizeof *out, by_line);      /* one row per line: no ties */
    /* merge from the end: rows[0, kept) and out[0, late) into rows[0, n) */
    size_t a = kept, b = late, w = r->n;
    while (b > 0)
        r->rows[--w] = (a > 0 && r->rows[a - 1].line > out[b - 1].line) ? r->rows[--a]
                                                                          : out[--b];
    free(out);
}

const char *wf_rejects_reason(const wf_rejects *r, size_t i)
{
    return r->text + r->rows[i].reason;
}

const char *wf_rejects_fields(const wf_rejects *r, size_t i)
{
    return r->rows[i].fields == WF_REJECT_NO_FIELDS ? NULL : r->text + r->rows[i].fields;
}

wf_status wf_rejects_error(const wf_rejects *r, size_t i, const char *file, wf_error *err)
{
    return wf_error_set(err, WF_EINPUT, file, r->rows[i].field_line, r->rows[i].column,
                        "%s", wf_rejects_reason(r, i));
}

void wf_rejects_report(FILE *f, const char *file, const wf_rejects *r, size_t shown)
{
    for (size_t i = 0; f && i < r->n && i < shown; i++) {
        wf_error e;
        e.status = WF_OK;
        wf_rejects_error(r, i, file, &e);
        char buf[2048];
        wf_error_format(&e, buf, sizeof buf);
        fprintf(f, "%s\n", buf);
    }
    if (f && r->n > shown)
        fprintf(f, "... and %zu more; %zu rows with errors in all\n", r->n - shown, r->n);
    else if (f && r->n > 1)
        fprintf(f, "%zu rows with errors in all\n", r->n);
}
