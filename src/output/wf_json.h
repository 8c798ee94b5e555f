/*
 * wf_json.h - a small JSON text builder for the summary file.
 *
 * Values are appended to a growing buffer in document order; the builder
 * inserts commas and two-space indentation itself. Memory failure is sticky
 * and reported by wf_json_finish. Not a parser.
 */
#ifndef WF_JSON_H
#define WF_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wf_json {
    char *buf;
    size_t len, cap;
    int depth;
    bool need_comma, failed;
} wf_json;

void wf_json_init(wf_json *j);
void wf_json_open(wf_json *j, const char *key, char bracket);   /* '{' or '[' */
void wf_json_close(wf_json *j, char bracket);                   /* '}' or ']' */
void wf_json_int(wf_json *j, const char *key, int64_t v);
void wf_json_double(wf_json *j, const char *key, double v);    /* shortest form */
void wf_json_str(wf_json *j, const char *key, const char *v);  /* NULL -> null */
void wf_json_bool(wf_json *j, const char *key, bool v);
void wf_json_raw(wf_json *j, const char *key, const char *json);
/* The finished text (NUL-terminated, ends with a newline), owned by the
 * caller; NULL when memory ran out. The builder is reset. */
char *wf_json_finish(wf_json *j);

#endif
