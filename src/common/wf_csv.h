/*
 * wf_csv.h - an RFC 4180 reader that knows where every field came from.
 *
 * The census and the parameter tables are CSV (docs/model.md 2.1, 2.3, 6). The
 * reader takes the whole file into one buffer (read in large blocks) and
 * splits records in place: each field becomes a NUL-terminated slice of
 * that buffer, quotes unescaped, blanks (space, tab) around unquoted values
 * stripped. No field is allocated on its own, so a million-row census costs
 * one buffer and one small field array.
 *
 * Accepted: LF or CRLF line ends, an optional UTF-8 byte-order mark, blank
 * lines (only blanks) anywhere, quoted fields holding commas, doubled
 * quotes and line breaks, blanks around a quoted field. Refused, with the
 * line and column: a quote inside an unquoted field, text after a closing
 * quote, an unterminated quote, a lone CR, a NUL byte, invalid UTF-8, and
 * a record whose field count differs from the header's (so a trailing
 * comma is an error).
 *
 * Positions: lines are 1-based physical lines of the file (a quoted line
 * break starts a new one); a field's column is the 1-based position, in
 * characters (UTF-8 code points, the byte-order mark not counted), of its
 * first non-blank character, or of where it starts when it is all blank.
 */
#ifndef WF_CSV_H
#define WF_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "wfsim.h"

typedef struct wf_csv_field {
    char *s;           /* value, NUL-terminated, inside the reader's buffer */
    size_t len;
    long line, column; /* where the field starts */
    bool quoted;
} wf_csv_field;

typedef struct wf_csv wf_csv;

/* Reads the file at path. Errors: WF_EIO (naming the path), WF_ENOMEM. */
wf_status wf_csv_open(const char *path, wf_csv **out, wf_error *err);
/* Reads a copy of data[0..size); name is used in error messages. */
wf_status wf_csv_open_mem(const char *name, const char *data, size_t size,
                          wf_csv **out, wf_error *err);
/* The next record that is not blank: the first call gives the header.
 * On success *fields points at *n fields, valid until the next call;
 * *n == 0 means the end of the input. Errors: WF_EINPUT with the file,
 * line and column. */
wf_status wf_csv_next(wf_csv *c, wf_csv_field **fields, size_t *n,
                      wf_error *err);
/* Line on which the last record returned starts. */
long wf_csv_record_line(const wf_csv *c);
/* Byte offset in the input at which the last record returned starts (a
 * line start), for finding it again later. */
size_t wf_csv_record_offset(const wf_csv *c);
/* Whether the last record returned was plain: ASCII fields without quotes
 * or blanks on one line, split in place (the common record). The fields of
 * a plain record stay in the reader's buffer, one NUL-terminated after the
 * other from its offset on, until the reader is closed. */
bool wf_csv_record_plain(const wf_csv *c);
/* The n fields of the plain record returned earlier at offset pos, which
 * starts on line `line`, into out[0..n) (columns counted as in a plain
 * record: bytes). */
void wf_csv_plain_fields(const wf_csv *c, size_t pos, long line, wf_csv_field *out,
                         size_t n);
/* The name given at open (the path). */
const char *wf_csv_name(const wf_csv *c);
/* Bytes of input (for sizing estimates). */
size_t wf_csv_size(const wf_csv *c);
/* An upper bound of the records wf_csv_next has still to return: the
 * line feeds not yet read, plus one. One pass over the rest of the
 * input (a few milliseconds for 50 MB). */
size_t wf_csv_records_left(const wf_csv *c);
void wf_csv_close(wf_csv *c);

#endif
