/*
 * pq_thrift.c - Thrift compact-protocol encoding (see pq_thrift.h).
 *
 * Layout of what is written, from the compact protocol specification:
 *   field header   (delta << 4) | type when 0 < delta <= 15, else the type
 *                  byte followed by the zigzag varint of the id;
 *   i16/i32/i64    zigzag, then ULEB128;
 *   binary         ULEB128 length, then the bytes;
 *   bool field     the header's type is 1 (true) or 2 (false), no value;
 *   list header    (n << 4) | elem_type when n < 15, else 0xF0 | elem_type
 *                  followed by ULEB128 n;
 *   struct end     one 0 byte.
 */
#include "pq_thrift.h"

#include <assert.h>

void pq_tc_begin(pq_tc *t, pq_buf *out)
{
    t->out = out;
    t->depth = 0;
    t->last[0] = 0;
}

static void push(pq_tc *t)
{
    assert(t->depth + 1 < PQ_TC_DEPTH);
    t->last[++t->depth] = 0;
}

void pq_tc_end(pq_tc *t)
{
    pq_buf_byte(t->out, PQ_TC_STOP);
    if (t->depth > 0)
        t->depth--;
}

void pq_tc_field(pq_tc *t, int16_t id, int type)
{
    int delta = id - t->last[t->depth];
    if (delta > 0 && delta <= 15) {
        pq_buf_byte(t->out, (uint8_t)(delta << 4 | type));
    } else {
        pq_buf_byte(t->out, (uint8_t)type);
        pq_buf_uvarint(t->out, pq_zigzag(id));
    }
    t->last[t->depth] = id;
}

void pq_tc_i32(pq_tc *t, int16_t id, int32_t v)
{
    pq_tc_field(t, id, PQ_TC_I32);
    pq_buf_uvarint(t->out, pq_zigzag(v));
}

void pq_tc_i64(pq_tc *t, int16_t id, int64_t v)
{
    pq_tc_field(t, id, PQ_TC_I64);
    pq_buf_uvarint(t->out, pq_zigzag(v));
}

void pq_tc_bool(pq_tc *t, int16_t id, bool v)
{
    pq_tc_field(t, id, v ? PQ_TC_TRUE : PQ_TC_FALSE);
}

void pq_tc_binary(pq_tc *t, int16_t id, const void *p, size_t n)
{
    pq_tc_field(t, id, PQ_TC_BINARY);
    pq_buf_uvarint(t->out, n);
    pq_buf_put(t->out, p, n);
}

void pq_tc_string(pq_tc *t, int16_t id, const char *s)
{
    pq_tc_binary(t, id, s, strlen(s));
}

void pq_tc_struct(pq_tc *t, int16_t id)
{
    pq_tc_field(t, id, PQ_TC_STRUCT);
    push(t);
}

void pq_tc_empty_struct(pq_tc *t, int16_t id)
{
    pq_tc_struct(t, id);
    pq_tc_end(t);
}

void pq_tc_list(pq_tc *t, int16_t id, int elem_type, size_t n)
{
    pq_tc_field(t, id, PQ_TC_LIST);
    if (n < 15) {
        pq_buf_byte(t->out, (uint8_t)(n << 4 | (size_t)elem_type));
    } else {
        pq_buf_byte(t->out, (uint8_t)(0xF0 | elem_type));
        pq_buf_uvarint(t->out, n);
    }
}

void pq_tc_elem_i32(pq_tc *t, int32_t v)
{
    pq_buf_uvarint(t->out, pq_zigzag(v));
}

void pq_tc_elem_string(pq_tc *t, const char *s)
{
    size_t n = strlen(s);
    pq_buf_uvarint(t->out, n);
    pq_buf_put(t->out, s, n);
}

void pq_tc_elem_struct(pq_tc *t)
{
    push(t);
}
