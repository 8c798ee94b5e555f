/*
 * wf_decimal.c - see wf_decimal.h.
 *
 * Parsing walks the text once: it checks the grammar, skips leading zeros,
 * keeps the first WF_DECIMAL_DIGITS significant digits (trailing zeros
 * trimmed, so equal values have equal digit strings) and folds the written
 * exponent into `point`. Scaling then reads the integer digits and the one
 * rounding digit straight from that digit string, with overflow checks, so
 * no double is involved. Only wf_decimal_to_double hands the text to
 * strtod, which glibc rounds correctly; the grammar check beforehand keeps
 * strtod from accepting its extensions (hex, inf, nan, leading space).
 */
#include "wf_decimal.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXP_LIMIT 1000000000L  /* saturation of written exponents */

static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale_obj;

static void c_locale_init(void)
{
    c_locale_obj = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!c_locale_obj)
        abort();                 /* the C locale always exists */
}

static locale_t c_locale(void)
{
    pthread_once(&c_locale_once, c_locale_init);
    return c_locale_obj;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool wf_decimal_is_digits(const char *s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

/* Appends one mantissa digit; `index` counts every mantissa digit. */
static void push_digit(wf_decimal *d, int digit, long index, long *first_sig)
{
    if (*first_sig < 0) {
        if (digit == 0)
            return;
        *first_sig = index;
    }
    if (d->ndigits < WF_DECIMAL_DIGITS)
        d->digits[d->ndigits++] = (unsigned char)digit;
    else if (digit != 0)
        d->more = true;
}

static bool parse_exponent(const char *s, size_t len, size_t i, long *exp)
{
    bool neg = false;
    long v = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (i >= len)
        return false;
    for (; i < len; i++) {
        if (!is_digit(s[i]))
            return false;
        if (v < EXP_LIMIT)
            v = v * 10 + (s[i] - '0');
    }
    *exp = neg ? -v : v;
    return true;
}

bool wf_decimal_parse(const char *s, size_t len, wf_decimal *out)
{
    wf_decimal d;
    memset(&d, 0, sizeof d);
    d.text = s;
    d.len = len;
    size_t i = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        d.neg = s[i++] == '-';
    long index = 0, n_int = 0, first_sig = -1, exp = 0;
    for (; i < len && is_digit(s[i]); i++, index++, n_int++)
        push_digit(&d, s[i] - '0', index, &first_sig);
    if (i < len && s[i] == '.') {
        for (i++; i < len && is_digit(s[i]); i++, index++)
            push_digit(&d, s[i] - '0', index, &first_sig);
    }
    if (index == 0)
        return false;           /* no digit at all: "", "+", ".", "e5" */
    if (i < len) {
        if (s[i] != 'e' && s[i] != 'E')
            return false;
        if (!parse_exponent(s, len, i + 1, &exp))
            return false;
    }
    while (d.ndigits > 0 && d.digits[d.ndigits - 1] == 0 && !d.more)
        d.ndigits--;
    if (d.ndigits == 0) {
        d.point = 0;
        d.more = false;
    } else {
        d.point = n_int - first_sig + exp;
    }
    *out = d;
    return true;
}

bool wf_decimal_scaled(const wf_decimal *d, int scale, int64_t *out)
{
    if (d->ndigits == 0) {
        *out = 0;
        return true;
    }
    long e = d->point + scale;      /* number of integer digits */
    if (e > 19)
        return false;
    uint64_t v = 0;
    for (long i = 0; i < e; i++) {
        int digit = i < d->ndigits ? d->digits[i] : 0;
        v = v * 10 + (uint64_t)digit;   /* < 10^19 < 2^64: no wrap */
    }
    if (e >= 0 && e < d->ndigits && d->digits[e] >= 5)
        v++;
    if (v > (uint64_t)INT64_MAX)
        return false;
    *out = d->neg ? -(int64_t)v : (int64_t)v;
    return true;
}

bool wf_decimal_to_double(const wf_decimal *d, double *out)
{
    char small[256];
    char *buf = small;
    if (d->len >= sizeof small) {
        buf = malloc(d->len + 1);
        if (!buf)
            abort();            /* a multi-kilobyte number: OS failure only */
    }
    memcpy(buf, d->text, d->len);
    buf[d->len] = '\0';
    errno = 0;
    double x = strtod_l(buf, NULL, c_locale());
    if (buf != small)
        free(buf);
    if (isinf(x))
        return false;
    *out = x;
    return true;
}

static int sign_of(const wf_decimal *d)
{
    return d->ndigits == 0 ? 0 : d->neg ? -1 : 1;
}

int wf_decimal_cmp(const wf_decimal *a, const wf_decimal *b)
{
    int sa = sign_of(a), sb = sign_of(b);
    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (sa == 0)
        return 0;
    int mag = 0;
    if (a->point != b->point) {
        mag = a->point > b->point ? 1 : -1;
    } else {
        int n = a->ndigits > b->ndigits ? a->ndigits : b->ndigits;
        for (int i = 0; i < n && mag == 0; i++) {
            int da = i < a->ndigits ? a->digits[i] : 0;
            int db = i < b->ndigits ? b->digits[i] : 0;
            if (da != db)
                mag = da > db ? 1 : -1;
        }
        if (mag == 0 && a->more != b->more)
            mag = a->more ? 1 : -1;
    }
    return mag * sa;
}

int wf_decimal_cmp_int(const wf_decimal *d, int64_t v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
    wf_decimal b;
    wf_decimal_parse(buf, (size_t)n, &b);
    return wf_decimal_cmp(d, &b);
}

bool wf_decimal_in_range(const wf_decimal *d, const wf_decimal_range *r)
{
    wf_decimal b;
    if (r->lo) {
        wf_decimal_parse(r->lo, strlen(r->lo), &b);
        int c = wf_decimal_cmp(d, &b);
        if (c < 0 || (c == 0 && r->lo_open))
            return false;
    }
    if (r->hi) {
        wf_decimal_parse(r->hi, strlen(r->hi), &b);
        int c = wf_decimal_cmp(d, &b);
        if (c > 0 || (c == 0 && r->hi_open))
            return false;
    }
    return true;
}

bool wf_double_in_range(double x, const wf_decimal_range *r)
{
    if (r->lo) {
        double b = strtod(r->lo, NULL);
        if (x < b || (x == b && r->lo_open))
            return false;
    }
    if (r->hi) {
        double b = strtod(r->hi, NULL);
        if (x > b || (x == b && r->hi_open))
            return false;
    }
    return true;
}

void wf_decimal_range_text(const wf_decimal_range *r, char *buf, size_t size)
{
    if (r->lo && r->hi)
        snprintf(buf, size, "in %s%s, %s%s", r->lo_open ? "(" : "[", r->lo,
                 r->hi, r->hi_open ? ")" : "]");
    else if (r->lo)
        snprintf(buf, size, "%s %s", r->lo_open ? ">" : ">=", r->lo);
    else if (r->hi)
        snprintf(buf, size, "%s %s", r->hi_open ? "<" : "<=", r->hi);
    else
        snprintf(buf, size, "finite");
}
