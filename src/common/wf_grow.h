/*
 * wf_grow.h - growing an array to hold at least `want` elements.
 *
 * Capacity grows by half again each time (at least 1,024 elements), so n
 * appends cost O(n) copies in all. On failure the array is left as it was.
 */
#ifndef WF_GROW_H
#define WF_GROW_H

#include <stdbool.h>
#include <stddef.h>

/* Makes *p (of *cap elements of elem bytes) hold at least want elements;
 * updates *p and *cap. Returns false when memory ran out. */
bool wf_grow(void **p, size_t *cap, size_t want, size_t elem);

#endif
