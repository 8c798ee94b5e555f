/*
 * test_parquet_thrift.c - the Thrift compact-protocol encoder
 * (pq_thrift.c) against byte strings worked out by hand from the compact
 * protocol specification: short and long field headers, zigzag integers,
 * booleans in the header, binaries, nested structs restoring the outer
 * field id, short and long list headers.
 */
#include "wf_test.h"

#include "pq_thrift.h"

#define ASSERT_BYTES(buf, ...)                                            \
    do {                                                                  \
        static const uint8_t want_[] = {__VA_ARGS__};                     \
        ASSERT_UEQ((buf).len, sizeof want_);                              \
        for (size_t k_ = 0; k_ < sizeof want_; k_++)                      \
            ASSERT_UEQ((buf).p[k_], want_[k_]);                           \
    } while (0)

TEST(parquet_thrift_scalars)
{
    pq_buf b = {0};
    pq_tc t;
    pq_tc_begin(&t, &b);
    pq_tc_i32(&t, 1, 2);          /* delta 1, type 5; zigzag(2) = 4 */
    pq_tc_i64(&t, 3, -1);         /* delta 2, type 6; zigzag(-1) = 1 */
    pq_tc_binary(&t, 4, "ab", 2); /* delta 1, type 8; length 2 */
    pq_tc_bool(&t, 5, true);      /* type 1 in the header */
    pq_tc_bool(&t, 6, false);     /* type 2 */
    pq_tc_i32(&t, 30, 1);         /* delta 24: long form, zigzag(30) = 60 */
    pq_tc_i32(&t, 31, -300);      /* delta 1 again; zigzag = 599 = 0xd7 0x04 */
    pq_tc_end(&t);
    ASSERT_BYTES(b, 0x15, 0x04, 0x26, 0x01, 0x18, 0x02, 'a', 'b', 0x11, 0x12,
                 0x05, 0x3c, 0x02, 0x15, 0xd7, 0x04, 0x00);
    pq_buf_free(&b);
}

TEST(parquet_thrift_decreasing_id_uses_long_form)
{
    pq_buf b = {0};
    pq_tc t;
    pq_tc_begin(&t, &b);
    pq_tc_i32(&t, 10, 0);
    pq_tc_i32(&t, 5, 0);          /* delta -5: type byte, zigzag(5) = 10 */
    pq_tc_end(&t);
    ASSERT_BYTES(b, 0xa5, 0x00, 0x05, 0x0a, 0x00, 0x00);
    pq_buf_free(&b);
}

TEST(parquet_thrift_nested_structs_and_lists)
{
    pq_buf b = {0};
    pq_tc t;
    pq_tc_begin(&t, &b);
    pq_tc_struct(&t, 1);          /* 0x1c */
    pq_tc_i32(&t, 1, 0);          /* inner ids restart: 0x15 0x00 */
    pq_tc_empty_struct(&t, 2);    /* 0x1c 0x00 */
    pq_tc_end(&t);                /* 0x00 */
    pq_tc_i32(&t, 2, 1);          /* outer delta from 1: 0x15 0x02 */
    pq_tc_list(&t, 3, PQ_TC_I32, 3);        /* 0x19, 3 << 4 | 5 */
    pq_tc_elem_i32(&t, 1);
    pq_tc_elem_i32(&t, -1);
    pq_tc_elem_i32(&t, 2);
    pq_tc_list(&t, 4, PQ_TC_STRUCT, 1);     /* 0x19, 0x1c */
    pq_tc_elem_struct(&t);
    pq_tc_string(&t, 4, "x");               /* 0x48 0x01 'x' */
    pq_tc_end(&t);
    pq_tc_end(&t);
    ASSERT_BYTES(b, 0x1c, 0x15, 0x00, 0x1c, 0x00, 0x00, 0x15, 0x02,
                 0x19, 0x35, 0x02, 0x01, 0x04,
                 0x19, 0x1c, 0x48, 0x01, 'x', 0x00, 0x00);
    pq_buf_free(&b);
}

TEST(parquet_thrift_long_list)
{
    pq_buf b = {0};
    pq_tc t;
    pq_tc_begin(&t, &b);
    pq_tc_list(&t, 1, PQ_TC_BINARY, 20);    /* 0x19, 0xf8, varint 20 */
    for (int i = 0; i < 20; i++)
        pq_tc_elem_string(&t, "");
    pq_tc_list(&t, 2, PQ_TC_I32, 15);       /* 15 is already the long form */
    for (int i = 0; i < 15; i++)
        pq_tc_elem_i32(&t, 0);
    pq_tc_end(&t);
    ASSERT_UEQ(b.len, 3 + 20 + 3 + 15 + 1);
    ASSERT_UEQ(b.p[0], 0x19);
    ASSERT_UEQ(b.p[1], 0xf8);
    ASSERT_UEQ(b.p[2], 20);
    ASSERT_UEQ(b.p[23], 0x19);
    ASSERT_UEQ(b.p[24], 0xf5);
    ASSERT_UEQ(b.p[25], 15);
    pq_buf_free(&b);
}
