/*
 * wf_fmt.c - see wf_fmt.h.
 *
 * The shortest round-trip form is found by trying %.{p}g for p = 1..17 and
 * keeping the first that strtod reads back to the same bits; 17 digits
 * always do. The result is then reshaped like Python's repr: exponent form
 * only below 1e-4 or from 1e16 on, two-digit exponents.
 */
#include "wf_fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Digits and decimal exponent of the shortest form: v = 0.DIGITS * 10^exp10
 * reading; returns digit count. */
static int shortest_digits(double v, char *digits, int *exp10)
{
    char tmp[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
        if (strtod(tmp, NULL) == v || p == 17)
            break;
    }
    /* tmp is d.ddde[+-]XX */
    int n = 0;
    const char *s = tmp;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            digits[n++] = *s;
    *exp10 = atoi(s + 1);
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = '\0';
    return n;
}

int wf_fmt_double(double v, bool keep_point, char *buf)
{
    if (isnan(v))
        return snprintf(buf, WF_FMT_DOUBLE_MAX, "nan");
    if (isinf(v))
        return snprintf(buf, WF_FMT_DOUBLE_MAX, v < 0 ? "-inf" : "inf");
    if (v == 0)
        return snprintf(buf, WF_FMT_DOUBLE_MAX, signbit(v) ? "-0%s" : "0%s",
                        keep_point ? ".0" : "");
    char digits[24];
    int e;
    int n = shortest_digits(fabs(v), digits, &e);
    char *p = buf;
    if (v < 0)
        *p++ = '-';
    if (e < -4 || e >= 16) {
        *p++ = digits[0];
        if (n > 1) {
            *p++ = '.';
            memcpy(p, digits + 1, (size_t)n - 1);
            p += n - 1;
        }
        p += sprintf(p, "e%c%02d", e < 0 ? '-' : '+', abs(e));
    } else if (e < 0) {
        *p++ = '0';
        *p++ = '.';
        for (int i = -1; i > e; i--)
            *p++ = '0';
        memcpy(p, digits, (size_t)n);
        p += n;
    } else {
        for (int i = 0; i <= e; i++)
            *p++ = i < n ? digits[i] : '0';
        if (n > e + 1) {
            *p++ = '.';
            memcpy(p, digits + e + 1, (size_t)(n - e - 1));
            p += n - e - 1;
        } else if (keep_point) {
            *p++ = '.';
            *p++ = '0';
        }
    }
    *p = '\0';
    return (int)(p - buf);
}

int wf_fmt_scaled(int64_t v, int scale, char *buf)
{
    int64_t pow10 = 1;
    for (int i = 0; i < scale; i++)
        pow10 *= 10;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (scale == 0)
        return sprintf(buf, "%s%llu", v < 0 ? "-" : "", (unsigned long long)mag);
    return sprintf(buf, "%s%llu.%0*llu", v < 0 ? "-" : "",
                   (unsigned long long)(mag / (uint64_t)pow10), scale,
                   (unsigned long long)(mag % (uint64_t)pow10));
}
