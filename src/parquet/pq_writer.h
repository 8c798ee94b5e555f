/*
 * pq_writer.h - wfsim's own Parquet writer: typed columns in, a standard
 * Parquet file out.
 *
 * The writer knows nothing of the simulation. A caller describes the
 * columns once (pq_column_spec), then appends batches of rows as plain C
 * arrays (pq_column_data), and closes. Appended rows are copied into the
 * current row group; when it reaches the row bound (pq_options.
 * row_group_rows) the row group is encoded, ZSTD-compressed and written to
 * the file descriptor, so a file of any size is written holding only one
 * row group in memory. The footer (FileMetaData) is written by
 * pq_writer_close.
 *
 * What is written (Parquet format 2, data pages v1):
 *   - REQUIRED columns, or OPTIONAL ones with RLE/bit-packed definition
 *     levels (spec.nullable);
 *   - PLAIN pages, or a dictionary page + RLE_DICTIONARY pages when
 *     spec.dictionary is set; a column chunk whose dictionary would exceed
 *     dict_max_bytes falls back to PLAIN for the rest of that chunk (the
 *     next row group tries the dictionary again);
 *   - every page ZSTD-compressed;
 *   - LogicalType and the matching ConvertedType (STRING/UTF8, DATE,
 *     DECIMAL, TIMESTAMP(MICROS)/TIMESTAMP_MICROS);
 *   - per column chunk statistics: null_count, and min_value/max_value in
 *     the type's defined order (signed for integers, dates, decimals and
 *     timestamps; IEEE order without NaN for doubles; unsigned byte-wise
 *     for strings and byte arrays; false < true), plus TypeDefinedOrder
 *     column_orders in the footer. Byte-array bounds longer than 4096 bytes
 *     are left out rather than truncated (null_count is still written).
 *
 * Errors are sticky (like SQLite's *pRC): the first failure - a bad spec,
 * bad data (a decreasing offset, a decimal beyond its precision), out of
 * memory, a short or failed write (ENOSPC, EPIPE...) - is kept, later calls
 * do nothing, and pq_writer_close returns it. After an error the footer is
 * never written, so the file does not look complete; but bytes already
 * written stay. Callers therefore write to a temporary name and rename it
 * to the final name only after pq_writer_close returned 0.
 *
 * Output is deterministic: the same columns, rows and options give
 * byte-identical files, whether the rows were appended or their row
 * groups encoded apart and put.
 *
 * Thread safety: one pq_writer is used by one thread at a time; different
 * writers are independent. The writer starts no threads: a caller that
 * wants several encodes row groups apart (pq_encode) on its own threads.
 */
#ifndef PQ_WRITER_H
#define PQ_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Physical types (those wfsim needs; no INT96, FLOAT or fixed-length). */
typedef enum { PQ_BOOLEAN, PQ_INT32, PQ_INT64, PQ_DOUBLE, PQ_BYTE_ARRAY } pq_physical;

/* Logical annotations. Allowed combinations:
 *   PQ_LT_NONE              any physical type
 *   PQ_LT_STRING            PQ_BYTE_ARRAY (UTF-8; not validated)
 *   PQ_LT_DATE              PQ_INT32, days since 1970-01-01
 *   PQ_LT_DECIMAL           PQ_INT32 (1 <= precision <= 9) or PQ_INT64
 *                           (1 <= precision <= 18), 0 <= scale <= precision;
 *                           values are the unscaled integers
 *   PQ_LT_TIMESTAMP_MICROS  PQ_INT64, microseconds since the epoch */
typedef enum {
    PQ_LT_NONE,
    PQ_LT_STRING,
    PQ_LT_DATE,
    PQ_LT_DECIMAL,
    PQ_LT_TIMESTAMP_MICROS
} pq_logical;

typedef struct pq_column_spec {
    const char *name;      /* non-empty, unique in the file; copied */
    pq_physical physical;
    pq_logical logical;
    int precision, scale;  /* DECIMAL: INT32 for precision <= 9, INT64 <= 18 */
    bool utc_adjusted;     /* TIMESTAMP: isAdjustedToUTC */
    bool nullable;         /* OPTIONAL with definition levels, else REQUIRED */
    bool dictionary;       /* try dictionary encoding (falls back to PLAIN);
                              ignored for PQ_BOOLEAN */
} pq_column_spec;

/* Options; a zero field means its default, and opt == NULL means all
 * defaults. */
typedef struct pq_options {
    int zstd_level;        /* default -3; negative values are zstd's fast
                              levels (literals are Huffman-coded at every
                              level) */
    size_t row_group_rows; /* rows per row group, default 1 << 20. A row group
                              is also cut early so that no column buffers
                              more than 256 MiB of string bytes (but always
                              holds at least one row). */
    size_t page_bytes;     /* data page target (PLAIN size before
                              compression), default 1 MiB */
    size_t dict_max_bytes; /* dictionary fallback threshold (PLAIN size of the
                              dictionary page), default 1 MiB */
    const char *created_by;/* e.g. "wfsim version 0.1.0"; default
                              "wfsim parquet writer"; copied */
    size_t expected_rows;  /* a hint, 0 = unknown: the rows the file will
                              hold. A row group's buffers then get their size
                              at its first append instead of growing by
                              doubling (a copy each time). Output does not
                              depend on it. */
} pq_options;

/* One column of one appended batch. Values at null positions are ignored
 * (not read for fixed-width types). For BYTE_ARRAY the offsets must not
 * decrease across the batch, null rows included (Arrow's convention; a null
 * row's span is skipped, normally it is empty). */
typedef struct pq_column_data {
    const void *values;    /* int32_t*, int64_t*, double*, uint8_t* (bool:
                              0 false, else true); unused for BYTE_ARRAY */
    const int64_t *offsets;/* BYTE_ARRAY: offsets[nrows + 1] into bytes; value
                              i is bytes[offsets[i] .. offsets[i+1]) */
    const char *bytes;
    const uint8_t *valid;  /* NULL = all valid; else 1 byte per row, 0 = null
                              (only for nullable columns: a null in a REQUIRED
                              column is an error) */
} pq_column_data;

typedef struct pq_writer pq_writer;

/* Starts a Parquet file on fd: writes the leading magic at once. The file
 * occupies the bytes written from fd's current position on (file offsets
 * in the metadata count from there, so fd may be a pipe). The writer never
 * closes, seeks or truncates fd. cols[0..ncols) is copied.
 * Returns NULL only when memory for the writer itself cannot be allocated;
 * every other problem (bad spec, write failure) is kept and reported by
 * pq_writer_close. */
pq_writer *pq_writer_open(int fd, const pq_column_spec *cols, int ncols,
                          const pq_options *opt);

/* Appends nrows rows: cols[c] gives column c of the spec, in spec order.
 * The data is copied; the caller may reuse its arrays on return. May encode
 * and write one or more row groups. Errors stick (see above); after an
 * error, calls do nothing. */
void pq_writer_append(pq_writer *w, const pq_column_data *cols, size_t nrows);

/* Adds a key/value pair to the file's key_value_metadata (e.g. the
 * configuration digest); key and value are copied, UTF-8 by convention.
 * Pairs are written in the order added; call any time before close.
 * Errors stick. */
void pq_writer_set_metadata(pq_writer *w, const char *key, const char *value);

/* The first error so far ("" when none); valid until the next call. */
const char *pq_writer_error(const pq_writer *w);

/* ---- Row groups encoded apart ----------------------------------------------
 *
 * pq_writer_append copies rows into the writer's own buffers. A caller that
 * builds whole row groups itself can skip that copy and spread the work
 * over threads: it fills one pq_chunk_data per column in the writer's
 * layout, encodes the row group with pq_encode (any thread, one pq_encoder
 * per thread), then hands the encoded row group to pq_writer_put, one call
 * at a time and in file order. The bytes are those pq_writer_append gives
 * for the same row groups (a coded column gives those of its strings in
 * full), whatever the threads.
 *
 * Layout of one column of nrows rows:
 *   def      OPTIONAL columns: nrows bytes, 1 for a value, 0 for a null
 *            (required there); REQUIRED columns: NULL;
 *   values   fixed-width types: the values of the rows with a value, packed
 *            (int32_t, int64_t, double; booleans one uint8_t 0/1 each);
 *   offsets, bytes
 *            BYTE_ARRAY: nvalues + 1 non-decreasing offsets; value i is
 *            bytes[offsets[i] .. offsets[i + 1]);
 *   codes, dict_offsets, dict_bytes, dict_n
 *            BYTE_ARRAY instead of offsets/bytes: value i is entry codes[i]
 *            of a dictionary of dict_n (1..PQ_CODED_MAX) distinct strings,
 *            entry c being dict_bytes[dict_offsets[c] .. [c + 1]). With
 *            spec.dictionary, nothing is hashed or compared per row.
 * nvalues is the number of 1s in def (nrows without def).
 *
 * Everything pointed to must stay unchanged until pq_writer_put has
 * written the row group (statistics point into it). */
#define PQ_CODED_MAX 256

typedef struct pq_chunk_data {
    const uint8_t *def;
    const void *values;
    const uint64_t *offsets;
    const uint8_t *bytes;
    const uint32_t *codes;
    const uint64_t *dict_offsets;
    const uint8_t *dict_bytes;
    uint32_t dict_n;
} pq_chunk_data;

typedef struct pq_encoder pq_encoder;

/* Scratch for encoding row groups (a ZSTD context, page buffers) and the
 * last row group encoded; NULL when out of memory. Reusable for any
 * writer and any number of row groups, by one thread at a time. */
pq_encoder *pq_encoder_new(void);
void pq_encoder_free(pq_encoder *e);

/* Encodes nrows rows (cols[c] for column c of w's spec) into e. Reads only
 * what pq_writer_open fixed (columns, options), so calls for different
 * encoders may run on several threads while another thread appends or
 * puts. Bad data (a null in a REQUIRED column, decreasing offsets, a code
 * out of range...) is kept in e and reported by pq_writer_put. */
void pq_encode(const pq_writer *w, pq_encoder *e, const pq_chunk_data *cols,
               size_t nrows);

/* pq_encode in steps, for callers that build a row group's columns a few at
 * a time (and may free them once encoded): pq_encode_begin starts a row
 * group of nrows rows in e, then pq_encode_columns encodes columns
 * [c0, c1) from cols[c0 .. c1); every column exactly once, in any groups,
 * before pq_writer_put. Each column's chunk is encoded on its own, so the
 * bytes are those of pq_encode. */
void pq_encode_begin(const pq_writer *w, pq_encoder *e, size_t nrows);
void pq_encode_columns(const pq_writer *w, pq_encoder *e, const pq_chunk_data *cols,
                       int c0, int c1);

/* Writes e's row group as the file's next one (after any rows appended
 * before, which are flushed first). Errors stick, as for append. */
void pq_writer_put(pq_writer *w, pq_encoder *e);

/* Writes the last row group and the footer, then frees w (always, even on
 * error; w may be NULL, which returns -1). Returns 0 when the whole file
 * was written, else -1 with the first error in errbuf (NUL-terminated,
 * truncated to errlen; errbuf may be NULL). Does not fsync or close fd. */
int pq_writer_close(pq_writer *w, char *errbuf, size_t errlen);

/* Frees w without writing the footer (to abandon a file). */
void pq_writer_abort(pq_writer *w);

#endif
