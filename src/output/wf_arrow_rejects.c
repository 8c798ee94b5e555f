/*
 * wf_arrow_rejects.c - see wf_arrow_rejects.h.
 *
 * The table is small (the rejected rows of one census), so it is built
 * afresh, column by column, each time a batch is asked for: every child
 * array owns its buffers and frees them when released, the parent owns
 * nothing but its children, so a consumer may keep any of them as long as
 * it likes (the C data interface's move semantics).
 */
#include "wf_arrow_rejects.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wf_error.h"

bool wf_rejects_copy(wf_rejects *dst, const wf_rejects *src)
{
    *dst = *src;
    dst->rows = NULL;
    dst->text = NULL;
    dst->cap = src->n;
    dst->text_cap = src->len;
    if (src->n && !(dst->rows = malloc(src->n * sizeof *dst->rows)))
        goto nomem;
    if (src->len && !(dst->text = malloc(src->len)))
        goto nomem;
    if (src->n)
        memcpy(dst->rows, src->rows, src->n * sizeof *dst->rows);
    if (src->len)
        memcpy(dst->text, src->text, src->len);
    return true;
nomem:
    free(dst->rows);
    wf_rejects_init(dst);
    return false;
}

/* ---- schema ---------------------------------------------------------------- */

static void schema_release(struct ArrowSchema *s)
{
    for (int64_t i = 0; i < s->n_children; i++) {
        struct ArrowSchema *c = s->children[i];
        if (c && c->release)
            c->release(c);
        free(c);
    }
    free(s->children);
    free(s->private_data); /* the names */
    s->release = NULL;
}

static void child_schema_release(struct ArrowSchema *s)
{
    s->release = NULL;
}

/* The header's field i, or "" (a census read without a header). */
static const char *header_name(const wf_rejects *r, size_t i)
{
    if (r->header == WF_REJECT_NO_FIELDS)
        return "";
    const char *p = r->text + r->header;
    while (i--)
        p += strlen(p) + 1;
    return p;
}

static bool make_schema(const wf_rejects *r, struct ArrowSchema *out)
{
    size_t n = 3 + r->n_fields;
    memset(out, 0, sizeof *out);
    out->format = "+s";
    out->name = "";
    out->release = schema_release;
    out->children = calloc(n, sizeof *out->children);
    /* the column names, one after another (each NUL-terminated) */
    size_t bytes = 0;
    for (size_t i = 0; i < r->n_fields; i++)
        bytes += strlen(header_name(r, i)) + 1;
    char *names = malloc(bytes ? bytes : 1);
    out->private_data = names;
    if (!out->children || !names) {
        schema_release(out);
        return false;
    }
    out->n_children = (int64_t)n;
    char *p = names;
    for (size_t i = 0; i < n; i++) {
        struct ArrowSchema *c = calloc(1, sizeof *c);
        if (!(out->children[i] = c)) {
            schema_release(out);
            return false;
        }
        c->release = child_schema_release;
        c->format = i < 2 ? "l" : "u";
        if (i < 3) {
            c->name = i == 0 ? "line" : i == 1 ? "column" : "reason";
        } else {
            const char *h = header_name(r, i - 3);
            size_t len = strlen(h) + 1;
            memcpy(p, h, len);
            c->name = p;
            p += len;
        }
    }
    return true;
}

/* ---- arrays ---------------------------------------------------------------- */

typedef struct column {
    const void *ptrs[3];
    void *own[2];
} column;

static void child_release(struct ArrowArray *a)
{
    column *c = a->private_data;
    free(c->own[0]);
    free(c->own[1]);
    free(c);
    a->release = NULL;
}

static void parent_release(struct ArrowArray *a)
{
    for (int64_t i = 0; i < a->n_children; i++) {
        struct ArrowArray *c = a->children[i];
        if (c && c->release)
            c->release(c);
        free(c);
    }
    free(a->children);
    free(a->private_data);
    a->release = NULL;
}

/* The text of column k (k >= 2: reason, then the fields) of row i. */
static const char *cell(const wf_rejects *r, size_t i, size_t k)
{
    if (k == 2)
        return wf_rejects_reason(r, i);
    const char *p = wf_rejects_fields(r, i);
    if (!p)
        return "";
    for (size_t j = 3; j < k; j++)
        p += strlen(p) + 1;
    return p;
}

static struct ArrowArray *make_column(const wf_rejects *r, size_t k)
{
    struct ArrowArray *a = calloc(1, sizeof *a);
    column *c = calloc(1, sizeof *c);
    size_t n = r->n;
    if (!a || !c)
        goto nomem;
    a->length = (int64_t)n;
    a->private_data = c;
    a->buffers = c->ptrs;
    a->release = child_release;
    if (k < 2) {
        int64_t *v = malloc((n ? n : 1) * sizeof *v);
        if (!(c->own[0] = v))
            goto nomem;
        for (size_t i = 0; i < n; i++)
            v[i] = k == 0 ? r->rows[i].line : r->rows[i].column;
        a->n_buffers = 2;
        c->ptrs[1] = v;
        return a;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += strlen(cell(r, i, k));
    if (bytes > INT32_MAX)
        goto nomem;
    int32_t *off = malloc((n + 1) * sizeof *off);
    char *data = malloc(bytes ? bytes : 1);
    c->own[0] = off;
    c->own[1] = data;
    if (!off || !data)
        goto nomem;
    off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = cell(r, i, k);
        size_t len = strlen(s);
        memcpy(data + off[i], s, len);
        off[i + 1] = off[i] + (int32_t)len;
    }
    a->n_buffers = 3;
    c->ptrs[1] = off;
    c->ptrs[2] = data;
    return a;
nomem:
    if (c) {
        free(c->own[0]);
        free(c->own[1]);
    }
    free(c);
    free(a);
    return NULL;
}

static bool make_batch(const wf_rejects *r, struct ArrowArray *out)
{
    size_t n = 3 + r->n_fields;
    memset(out, 0, sizeof *out);
    out->length = (int64_t)r->n;
    out->n_buffers = 1;
    out->release = parent_release;
    const void **validity = calloc(1, sizeof *validity);
    out->private_data = (void *)validity;
    out->buffers = validity;
    out->children = calloc(n, sizeof *out->children);
    if (!validity || !out->children) {
        parent_release(out);
        return false;
    }
    out->n_children = (int64_t)n;
    for (size_t k = 0; k < n; k++)
        if (!(out->children[k] = make_column(r, k))) {
            parent_release(out);
            return false;
        }
    return true;
}

/* ---- the stream --------------------------------------------------------------- */

typedef struct stream_priv {
    wf_rejects r;
    bool done;
    char error[64];
} stream_priv;

static int stream_schema(struct ArrowArrayStream *s, struct ArrowSchema *out)
{
    stream_priv *p = s->private_data;
    if (make_schema(&p->r, out))
        return 0;
    snprintf(p->error, sizeof p->error, "out of memory (Arrow schema)");
    return 12; /* ENOMEM */
}

static int stream_next(struct ArrowArrayStream *s, struct ArrowArray *out)
{
    stream_priv *p = s->private_data;
    if (p->done || p->r.n == 0) {
        out->release = NULL; /* the end */
        return 0;
    }
    if (!make_batch(&p->r, out)) {
        snprintf(p->error, sizeof p->error, "out of memory (Arrow array)");
        return 12;
    }
    p->done = true;
    return 0;
}

static const char *stream_error(struct ArrowArrayStream *s)
{
    stream_priv *p = s->private_data;
    return p->error[0] ? p->error : NULL;
}

static void stream_release(struct ArrowArrayStream *s)
{
    stream_priv *p = s->private_data;
    wf_rejects_free(&p->r);
    free(p);
    s->release = NULL;
}

wf_status wf_arrow_rejects_stream(const wf_rejects *r, struct ArrowArrayStream *out,
                                  wf_error *err)
{
    stream_priv *p = calloc(1, sizeof *p);
    if (!p || !wf_rejects_copy(&p->r, r)) {
        free(p);
        return wf_error_nomem(err, "the rejected rows");
    }
    *out = (struct ArrowArrayStream){stream_schema, stream_next, stream_error,
                                     stream_release, p};
    return WF_OK;
}
