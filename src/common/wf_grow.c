/*
 * wf_grow.c - see wf_grow.h.
 */
#include "wf_grow.h"

#include <stdlib.h>

bool wf_grow(void **p, size_t *cap, size_t want, size_t elem)
{
    if (want <= *cap)
        return true;
    size_t n = *cap ? *cap : 1024;
    while (n < want)
        n += n / 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}
