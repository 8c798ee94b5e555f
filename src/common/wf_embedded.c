/*
 * wf_embedded.c - lookup over the files the build embedded (wf_embedded.h).
 */
#include "wf_embedded.h"

#include <string.h>

const wf_embedded_file *wf_embedded_find(const char *name)
{
    for (size_t i = 0; i < wf_default_tables_count; i++)
        if (strcmp(wf_default_tables[i].name, name) == 0)
            return &wf_default_tables[i];
    return NULL;
}
