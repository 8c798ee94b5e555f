/*
 * wf_decimal.h - decimal text read exactly (docs/model.md 0.2 and 6).
 *
 * Input files write rates, weights and money as decimal text. docs/model.md
 * wants their exact decimal value: a ppm or bp rate, or a salary in cents,
 * is the written value scaled and rounded half away from zero, never a
 * double on the way; a double is the correctly rounded nearest double.
 *
 * The grammar (docs/model.md 6, "Numbers in files"):
 *
 *     number   = [ "+" | "-" ] mantissa [ exponent ]
 *     mantissa = digits [ "." [ digits ] ] | "." digits
 *     exponent = ( "e" | "E" ) [ "+" | "-" ] digits
 *
 * so `.5`, `5.`, `-0.25`, `1e-3` and `1E+400` are numbers, while `1,000`,
 * `$5`, `inf`, `nan`, `0x10`, ` 1` and the empty text are not.
 *
 * A parsed wf_decimal keeps the sign, the first WF_DECIMAL_DIGITS
 * significant digits and whether any non-zero digit was cut off. That is
 * enough for every exact question asked here: rounding half away from zero
 * looks at one digit after the cut, and comparisons against short bounds
 * need only a sticky "more" bit. Exponents saturate far beyond any
 * representable value. All functions are pure and thread-safe.
 */
#ifndef WF_DECIMAL_H
#define WF_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WF_DECIMAL_DIGITS 40

typedef struct wf_decimal {
    bool neg;              /* sign as written ("-0" is negative zero) */
    bool more;             /* a non-zero digit beyond digits[] was dropped */
    int ndigits;           /* 0 for zero; else digits[0] != 0 */
    long point;            /* value = 0.d1 d2 ... dn * 10^point */
    const char *text;      /* the text parsed (not owned), and its length */
    size_t len;
    unsigned char digits[WF_DECIMAL_DIGITS]; /* values 0..9 */
} wf_decimal;

/* Parses s[0..len) as a whole number per the grammar above; false if it
 * is not one (nothing else is reported: callers name the position). */
bool wf_decimal_parse(const char *s, size_t len, wf_decimal *out);

/* True when s[0..len) is one or more ASCII digits and nothing else. */
bool wf_decimal_is_digits(const char *s, size_t len);

/* value * 10^scale rounded half away from zero into *out; false when the
 * result does not fit an int64_t. scale in 0..18. */
bool wf_decimal_scaled(const wf_decimal *d, int scale, int64_t *out);

/* The nearest double (correctly rounded, via strtod on the validated
 * text); false when it overflows to infinity. A value too small for a
 * double gives 0 or a subnormal (the caller's range rule decides). */
bool wf_decimal_to_double(const wf_decimal *d, double *out);

/* Exact comparison of the two values: -1, 0 or 1 (-0 == 0). */
int wf_decimal_cmp(const wf_decimal *a, const wf_decimal *b);

/* Exact comparison of d with the integer v. */
int wf_decimal_cmp_int(const wf_decimal *d, int64_t v);

/* A range rule of an input value (docs/model.md 2): bounds written as decimal
 * text (NULL: unbounded), each open (excluded) or closed. The one rule for
 * the configuration's keys and the parameter tables' cells. */
typedef struct wf_decimal_range {
    const char *lo;
    bool lo_open;
    const char *hi;
    bool hi_open;
} wf_decimal_range;

/* Is d inside r? Exact, on the written decimal. */
bool wf_decimal_in_range(const wf_decimal *d, const wf_decimal_range *r);
/* The same rule for a value already converted to a double. */
bool wf_double_in_range(double x, const wf_decimal_range *r);
/* The range in words for messages: "in [0, 1]", "> 0", "<= 5" or
 * "finite" (always NUL-terminated). */
void wf_decimal_range_text(const wf_decimal_range *r, char *buf, size_t size);


#endif
