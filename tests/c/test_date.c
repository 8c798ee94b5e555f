/*
 * test_date.c - civil date arithmetic (wf_date.h) against hand-worked dates.
 */
#include "wf_test.h"

#include "wf_date.h"

TEST(date_epoch_and_roundtrip)
{
    ASSERT_EQ(wf_date_from_ymd(1970, 1, 1), 0);
    ASSERT_EQ(wf_date_from_ymd(2000, 3, 1), 11017);
    ASSERT_EQ(wf_date_from_ymd(1969, 12, 31), -1);
    for (int32_t d = -800000; d < 800000; d += 7) {
        int y, m, dd;
        wf_date_to_ymd(d, &y, &m, &dd);
        ASSERT_EQ(wf_date_from_ymd(y, m, dd), d);
    }
}

TEST(date_add_years_leap_day)
{
    int32_t leap = wf_date_from_ymd(2024, 2, 29);
    ASSERT_EQ(wf_date_add_years(leap, 1), wf_date_from_ymd(2025, 2, 28));
    ASSERT_EQ(wf_date_add_years(leap, 4), wf_date_from_ymd(2028, 2, 29));
    ASSERT_EQ(wf_date_add_years(leap, -1), wf_date_from_ymd(2023, 2, 28));
}

TEST(date_add_years_ymd_matches_add_years)
{
    for (int32_t d = wf_date_from_ymd(1890, 1, 1); d < wf_date_from_ymd(2110, 1, 1); d++) {
        int y, m, dd;
        wf_date_to_ymd(d, &y, &m, &dd);
        for (int n = -70; n <= 70; n += 23)
            ASSERT_EQ(wf_date_add_years_ymd(y, m, dd, n), wf_date_add_years(d, n));
    }
}

/* wf_date_last_years_before against its definition, day by day around
 * every day of 1999-2030 (leap days in both directions) and delays 0-10. */
TEST(date_last_years_before)
{
    for (int32_t d = wf_date_from_ymd(1999, 1, 1); d <= wf_date_from_ymd(2030, 12, 31); d++)
        for (int n = 0; n <= 10; n++) {
            int32_t e = wf_date_last_years_before(d, n);
            ASSERT_TRUE(wf_date_add_years(e, n) <= d);
            for (int32_t x = e + 1; x <= e + 3; x++)
                ASSERT_TRUE(wf_date_add_years(x, n) > d);
        }
    int32_t leap = wf_date_from_ymd(2028, 2, 29);
    /* 2027-02-28 plus one year is 2028-02-28, <= 29 Feb; 1 March is not. */
    ASSERT_EQ(wf_date_last_years_before(leap, 1), wf_date_from_ymd(2027, 2, 28));
    /* 28 and 29 February 2024 both land on 28 February 2025. */
    ASSERT_EQ(wf_date_last_years_before(wf_date_from_ymd(2025, 2, 28), 1),
              wf_date_from_ymd(2024, 2, 29));
}

TEST(date_completed_years)
{
    int32_t birth = wf_date_from_ymd(2004, 2, 29);
    ASSERT_EQ(wf_years_between(birth, wf_date_from_ymd(2025, 2, 28)), 20);
    ASSERT_EQ(wf_years_between(birth, wf_date_from_ymd(2025, 3, 1)), 21);
    ASSERT_EQ(wf_years_between(wf_date_from_ymd(2000, 6, 15), wf_date_from_ymd(2025, 6, 15)), 25);
    ASSERT_EQ(wf_years_between(wf_date_from_ymd(2000, 6, 15), wf_date_from_ymd(2025, 6, 14)), 24);
}

TEST(date_parse_strict)
{
    int32_t d;
    ASSERT_TRUE(wf_date_parse("2024-02-29", 10, &d));
    ASSERT_EQ(d, wf_date_from_ymd(2024, 2, 29));
    ASSERT_TRUE(!wf_date_parse("2025-02-29", 10, &d));
    ASSERT_TRUE(!wf_date_parse("2025-02-30", 10, &d));
    ASSERT_TRUE(!wf_date_parse("2025-13-01", 10, &d));
    ASSERT_TRUE(!wf_date_parse("20250101", 8, &d));
    ASSERT_TRUE(!wf_date_parse("2025-1-01", 9, &d));
    ASSERT_TRUE(!wf_date_parse("", 0, &d));
    char buf[11];
    wf_date_format(wf_date_from_ymd(2025, 12, 31), buf);
    ASSERT_STREQ(buf, "2025-12-31");
}
