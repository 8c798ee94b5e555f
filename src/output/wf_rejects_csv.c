/*
 * wf_rejects_csv.c - see wf_rejects_csv.h.
 */
#include "wf_rejects_csv.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wf_error.h"

static bool needs_quotes(const char *s)
{
    size_t n = strlen(s);
    return n == 0 || strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' || s[0] == '\t' ||
           s[n - 1] == ' ' || s[n - 1] == '\t';
}

static void put_field(FILE *f, const char *s, bool first)
{
    if (!first)
        fputc(',', f);
    if (!needs_quotes(s)) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The n_fields NUL-terminated strings from p on (NULL: n empty fields). */
static void put_fields(FILE *f, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        put_field(f, p ? p : "", false);
        if (p)
            p += strlen(p) + 1;
    }
}

wf_status wf_rejects_csv_write(const char *path, const wf_rejects *r, wf_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return wf_error_errno(err, "create", tmp);
    fputs("line,column,reason", f);
    put_fields(f, r->header == WF_REJECT_NO_FIELDS ? NULL : r->text + r->header,
               r->n_fields);
    fputc('\n', f);
    for (size_t i = 0; i < r->n; i++) {
        fprintf(f, "%ld,%ld", r->rows[i].line, r->rows[i].column);
        put_field(f, wf_rejects_reason(r, i), false);
        put_fields(f, wf_rejects_fields(r, i), r->n_fields);
        fputc('\n', f);
    }
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad) {
        unlink(tmp);
        return wf_error_errno(err, "write", tmp);
    }
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        return wf_error_errno(err, "rename into place", path);
    }
    return WF_OK;
}
