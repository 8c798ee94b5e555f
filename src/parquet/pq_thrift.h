/*
 * pq_thrift.h - a Thrift compact-protocol encoder, just enough for Parquet
 * metadata (FileMetaData, PageHeader and what they contain).
 *
 * The encoder appends to a pq_buf. A struct is a series of fields, each
 * headed by the delta from the previous field id (or the full id when the
 * delta is not 1..15) and a type nibble, and ended by a stop byte; the
 * encoder keeps the last field id of every open struct on a small stack.
 * Integers are zigzag varints, binaries a varint length and the bytes, and
 * booleans live in the field header. Fields must be written in increasing
 * id order within a struct (Parquet readers accept any order, but deltas
 * are only compact that way). A union is a struct with one field.
 *
 * Errors: allocation failures mark the buffer failed (see pq_buf); nesting
 * deeper than PQ_TC_DEPTH is a bug (assert).
 */
#ifndef PQ_THRIFT_H
#define PQ_THRIFT_H

#include "pq_int.h"

/* Compact-protocol type codes. */
enum {
    PQ_TC_STOP = 0, PQ_TC_TRUE = 1, PQ_TC_FALSE = 2, PQ_TC_BYTE = 3,
    PQ_TC_I16 = 4, PQ_TC_I32 = 5, PQ_TC_I64 = 6, PQ_TC_DOUBLE = 7,
    PQ_TC_BINARY = 8, PQ_TC_LIST = 9, PQ_TC_SET = 10, PQ_TC_MAP = 11,
    PQ_TC_STRUCT = 12
};

#define PQ_TC_DEPTH 16

typedef struct pq_tc {
    pq_buf *out;
    int depth;                  /* open structs, the outermost is 0 */
    int16_t last[PQ_TC_DEPTH];  /* last field id written per open struct */
} pq_tc;

/* Starts encoding one outermost struct into out; finish with pq_tc_end. */
void pq_tc_begin(pq_tc *t, pq_buf *out);
/* Writes the stop byte of the current struct and closes it. */
void pq_tc_end(pq_tc *t);

/* Field header of field `id` with compact type `type`. */
void pq_tc_field(pq_tc *t, int16_t id, int type);
void pq_tc_i32(pq_tc *t, int16_t id, int32_t v);
void pq_tc_i64(pq_tc *t, int16_t id, int64_t v);
void pq_tc_bool(pq_tc *t, int16_t id, bool v);
void pq_tc_binary(pq_tc *t, int16_t id, const void *p, size_t n);
void pq_tc_string(pq_tc *t, int16_t id, const char *s);
/* A struct-valued field: write its fields, then pq_tc_end. */
void pq_tc_struct(pq_tc *t, int16_t id);
/* A struct field with no fields (e.g. StringType, TypeDefinedOrder). */
void pq_tc_empty_struct(pq_tc *t, int16_t id);
/* A list-valued field of n elements of compact type elem_type; then write
 * the n elements with the pq_tc_elem_* calls. */
void pq_tc_list(pq_tc *t, int16_t id, int elem_type, size_t n);
void pq_tc_elem_i32(pq_tc *t, int32_t v);
void pq_tc_elem_string(pq_tc *t, const char *s);
/* A struct element of a list: write its fields, then pq_tc_end. */
void pq_tc_elem_struct(pq_tc *t);

#endif
