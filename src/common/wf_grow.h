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

/* Asks for transparent huge pages for the 2 MiB-aligned inside of the
 * block [p, p + n), where the kernel allows them (THP "madvise" mode): a
 * big array then faults in 2 MiB at a time instead of 4 KiB. Advice
 * only. Best for blocks that will not be realloc'ed (glibc cannot mremap
 * a mapping the advice has split: it would copy). */
void wf_advise_huge(void *p, size_t n);

#endif
