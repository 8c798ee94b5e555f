/*
 * wf_embedded.h - files compiled into the binary.
 *
 * The parameter tables of docs/model.md 2.3 exist once in the repository, as the
 * dbt seeds (the CSV files in dbt/seeds). The build turns each of them into a byte
 * array (tools/embed.c), so the engine's built-in defaults are exactly the
 * files dbt loads. Lookup is by base name, e.g. "levels.csv".
 */
#ifndef WF_EMBEDDED_H
#define WF_EMBEDDED_H

#include <stddef.h>

typedef struct wf_embedded_file {
    const char *name;           /* base name, e.g. "levels.csv" */
    const unsigned char *data;  /* the file's bytes, NUL-terminated */
    size_t size;                /* bytes, without the terminating NUL */
} wf_embedded_file;

extern const wf_embedded_file wf_default_tables[];
extern const size_t wf_default_tables_count;

/* The embedded file with this base name, or NULL. */
const wf_embedded_file *wf_embedded_find(const char *name);

#endif
