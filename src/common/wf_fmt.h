/*
 * wf_fmt.h - number text that reads back exactly.
 *
 * wf_fmt_double writes the shortest decimal that strtod reads back to the
 * same double (the form Python's repr and DuckDB print), used by the debug
 * CSV, the summary JSON and the canonical configuration. Whole numbers keep
 * a ".0" when `keep_point` is set, so a reader still sees a double.
 */
#ifndef WF_FMT_H
#define WF_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WF_FMT_DOUBLE_MAX 32

/* Writes into buf (WF_FMT_DOUBLE_MAX bytes); returns the length.
 * NaN and infinities are written as "nan", "inf", "-inf". */
int wf_fmt_double(double v, bool keep_point, char *buf);
/* An unscaled integer with `scale` decimals: (12345, 2) -> "123.45". */
int wf_fmt_scaled(int64_t v, int scale, char *buf);

#endif
