/*
 * wf_json.c - see wf_json.h. Keys are NULL inside arrays.
 */
#include "wf_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wf_fmt.h"

void wf_json_init(wf_json *j)
{
    memset(j, 0, sizeof *j);
}

static void append(wf_json *j, const char *s, size_t n)
{
    if (j->failed)
        return;
    if (j->len + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 4096;
        while (cap < j->len + n + 1)
            cap *= 2;
        char *p = realloc(j->buf, cap);
        if (!p) {
            j->failed = true;
            return;
        }
        j->buf = p;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void puts_(wf_json *j, const char *s)
{
    append(j, s, strlen(s));
}

static void quoted(wf_json *j, const char *s)
{
    puts_(j, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            append(j, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            puts_(j, esc);
        } else {
            append(j, (const char *)&c, 1);
        }
    }
    puts_(j, "\"");
}

/* Comma, newline, indentation and "key": before a value. */
static void begin_value(wf_json *j, const char *key)
{
    if (j->need_comma)
        puts_(j, ",");
    if (j->depth > 0) {
        puts_(j, "\n");
        for (int i = 0; i < j->depth; i++)
            puts_(j, "  ");
    }
    if (key) {
        quoted(j, key);
        puts_(j, ": ");
    }
    j->need_comma = true;
}

void wf_json_open(wf_json *j, const char *key, char bracket)
{
    begin_value(j, key);
    append(j, &bracket, 1);
    j->depth++;
    j->need_comma = false;
}

void wf_json_close(wf_json *j, char bracket)
{
    j->depth--;
    if (j->need_comma) {
        puts_(j, "\n");
        for (int i = 0; i < j->depth; i++)
            puts_(j, "  ");
    }
    append(j, &bracket, 1);
    j->need_comma = true;
}

void wf_json_int(wf_json *j, const char *key, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    wf_json_raw(j, key, buf);
}

void wf_json_double(wf_json *j, const char *key, double v)
{
    char buf[WF_FMT_DOUBLE_MAX];
    if (v != v || v - v != 0) { /* NaN or infinite: JSON has no such number */
        wf_json_raw(j, key, "null");
        return;
    }
    wf_fmt_double(v, true, buf);
    wf_json_raw(j, key, buf);
}

void wf_json_str(wf_json *j, const char *key, const char *v)
{
    begin_value(j, key);
    if (v)
        quoted(j, v);
    else
        puts_(j, "null");
}

void wf_json_bool(wf_json *j, const char *key, bool v)
{
    wf_json_raw(j, key, v ? "true" : "false");
}

void wf_json_raw(wf_json *j, const char *key, const char *json)
{
    begin_value(j, key);
    puts_(j, json);
}

char *wf_json_finish(wf_json *j)
{
    puts_(j, "\n");
    char *out = j->failed ? NULL : j->buf;
    if (j->failed)
        free(j->buf);
    wf_json_init(j);
    return out;
}
