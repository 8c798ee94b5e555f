/*
 * needs.h - workforce needs of one year (docs/model.md 4.1), in integers.
 *
 * From the start-of-year headcount N, last year's hires P, this year's
 * retirements R and the ppm rates, computes the growth target, expected
 * separations Q, experienced terminations Te, net hires needed, hires H and
 * expected new-hire terminations Tnh. Products are taken in 128-bit
 * integers, so no input within its rules can overflow.
 */
#ifndef WF_NEEDS_H
#define WF_NEEDS_H

#include <stdint.h>

typedef struct wf_needs {
    int64_t target, Q, Te, net, H, Tnh;
} wf_needs;

/* N >= P >= 0, 0 <= R <= N; growth_ppm > -1e6; te_ppm, tnh_ppm in
 * [0, 1e6). Pure function. */
wf_needs wf_needs_compute(int64_t N, int64_t P, int64_t R, int64_t growth_ppm,
                          int64_t te_ppm, int64_t tnh_ppm);

#endif
