/*
 * wf_date.c - civil date arithmetic on day numbers (see wf_date.h).
 *
 * Conversions use the days-from-civil algorithm on a March-based year, which
 * is exact for the whole proleptic Gregorian calendar with integer math only.
 */
#include "wf_date.h"

bool wf_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int wf_days_in_year(int year)
{
    return wf_is_leap(year) ? 366 : 365;
}

int wf_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && wf_is_leap(year) ? 29 : days[month - 1];
}

int32_t wf_date_from_ymd(int year, int month, int day)
{
    int y = month <= 2 ? year - 1 : year;
    int mp = (month + 9) % 12;
    int doy = (153 * mp + 2) / 5 + day - 1;
    if (y >= 0) {
        /* Years counted from March of year 0 (every date a census holds):
         * the era split below folds into plain unsigned divisions, as
         * 146097 = 400 * 365 + 97. */
        unsigned u = (unsigned)y;
        return (int32_t)(365 * u + u / 4 - u / 100 + u / 400) + doy - 719468;
    }
    int era = (y - 399) / 400;
    int yoe = y - era * 400;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void wf_date_to_ymd(int32_t day, int *year, int *month, int *dom)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    *year = yoe + era * 400 + (m <= 2);
    *month = m;
    *dom = d;
}

int wf_date_year(int32_t day)
{
    int y, m, d;
    wf_date_to_ymd(day, &y, &m, &d);
    return y;
}

int32_t wf_date_add_years_ymd(int year, int month, int dom, int n)
{
    year += n;
    if (month == 2 && dom == 29 && !wf_is_leap(year))
        dom = 28;
    return wf_date_from_ymd(year, month, dom);
}

int32_t wf_date_add_years(int32_t day, int n)
{
    int y, m, d;
    wf_date_to_ymd(day, &y, &m, &d);
    return wf_date_add_years_ymd(y, m, d, n);
}

int32_t wf_date_last_years_before(int32_t d, int n)
{
    /* Adding years never moves a later day before an earlier one (29 and
     * 28 February may land on one day), so the days that pass form a
     * prefix; its end is within a day or two of d less n years. */
    int32_t e = wf_date_add_years(d, -n);
    while (wf_date_add_years(e + 1, n) <= d)
        e++;
    while (wf_date_add_years(e, n) > d)
        e--;
    return e;
}

int wf_years_between(int32_t from, int32_t d)
{
    int fy, fm, fd, y, m, dd;
    wf_date_to_ymd(from, &fy, &fm, &fd);
    wf_date_to_ymd(d, &y, &m, &dd);
    int years = y - fy;
    if (fm > m || (fm == m && fd > dd))
        years--;
    return years;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool wf_date_parse(const char *s, size_t len, int32_t *out)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > wf_days_in_month(y, m))
        return false;
    *out = wf_date_from_ymd(y, m, d);
    return true;
}

void wf_date_format(int32_t day, char *buf)
{
    int y, m, d;
    wf_date_to_ymd(day, &y, &m, &d);
    buf[0] = (char)('0' + y / 1000 % 10);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
}
