/*
 * needs.c - workforce needs (docs/model.md 4.1).
 *
 * The formulas are evaluated exactly as written, in __int128 so that
 * N * (1e6 + g) and net * 1e6 cannot overflow whatever the growth rate.
 * Every intermediate is non-negative except net, and the only division of a
 * possibly negative value is avoided (H is computed only when net > 0), so
 * C's truncating division equals the floor the model asks for.
 */
#include "needs.h"

#include <assert.h>

#define PPM 1000000

/* GCC and Clang extension; __extension__ keeps -Wpedantic quiet. */
__extension__ typedef __int128 i128;

wf_needs wf_needs_compute(int64_t N, int64_t P, int64_t R, int64_t growth_ppm,
                          int64_t te_ppm, int64_t tnh_ppm)
{
    wf_needs o;
    i128 X = (i128)N - P;
    assert(N >= 0 && P >= 0 && P <= N && R >= 0 && R <= N);
    assert(growth_ppm > -PPM && te_ppm >= 0 && te_ppm < PPM);
    assert(tnh_ppm >= 0 && tnh_ppm < PPM);
    o.target = (int64_t)(((i128)N * (PPM + growth_ppm) + PPM / 2) / PPM);
    o.Q = (int64_t)((X * te_ppm + (i128)P * tnh_ppm) / PPM);
    o.Te = o.Q - R > 0 ? o.Q - R : 0;
    o.net = o.target - (N - R - o.Te);
    if (o.net > 0) {
        i128 den = PPM - tnh_ppm;
        o.H = (int64_t)(((i128)o.net * PPM + den - 1) / den);
        o.Tnh = o.H - o.net;
    } else {
        int64_t te = o.Te - o.net;
        o.H = 0;
        o.Tnh = 0;
        o.Te = te < N - R ? te : N - R;
    }
    return o;
}
