/*
 * fuzz_census.c - fuzz target: the CSV reader and the census loader.
 *
 * The input is a census file. It is read twice: by the CSV reader alone
 * (wf_csv_open_mem), checking what every record promises - each field a
 * NUL-terminated slice of the stated length, positions inside the file and
 * in reading order, every record as wide as the header - and by
 * wf_census_load (through a memory file), which must answer WF_OK or
 * WF_EINPUT, never crash or leak. The two must agree: when the reader
 * refuses the text, the census loader refuses it too, at that place with
 * the same message or at an earlier line; when the loader accepts, the
 * reader accepted every record and there is at least one employee. A refusal must name the file, a line and
 * column inside it, and a message.
 */
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "wf_csv.h"
#include "wfsim.h"

static const wf_tables *tables(void)
{
    static wf_tables *tab;
    if (!tab) {
        wf_error err = {0};
        FUZZ_CHECK(wf_tables_load(NULL, &tab, &err) == WF_OK);
    }
    return tab;
}

/* Reads data as CSV; fills *err and returns its status. */
static wf_status read_csv(const uint8_t *data, size_t size, wf_error *err)
{
    wf_csv *csv = NULL;
    wf_status st = wf_csv_open_mem("census.csv", (const char *)data, size, &csv, err);
    if (st != WF_OK)
        return st;
    size_t width = 0, n = 0;
    long last_line = 0, lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    for (int record = 0;; record++) {
        wf_csv_field *f;
        st = wf_csv_next(csv, &f, &n, err);
        if (st != WF_OK || n == 0)
            break;
        if (record == 0)
            width = n;
        FUZZ_CHECK(n == width);
        long line = wf_csv_record_line(csv);
        FUZZ_CHECK(line > last_line && line <= lines);
        last_line = line;
        for (size_t k = 0; k < n; k++) {
            FUZZ_CHECK(strlen(f[k].s) == f[k].len);
            FUZZ_CHECK(f[k].line >= line && f[k].line <= lines);
            FUZZ_CHECK(f[k].column >= 1 && (size_t)f[k].column <= size + 1);
            FUZZ_CHECK(k == 0 || f[k].line > f[k - 1].line ||
                       f[k].column > f[k - 1].column);
        }
    }
    wf_csv_close(csv);
    return st;
}

static void check_refusal(const wf_error *err, const char *file, size_t size)
{
    FUZZ_CHECK(err->status == WF_EINPUT);
    FUZZ_CHECK(strcmp(err->file, file) == 0);
    FUZZ_CHECK(err->message[0] != '\0');
    FUZZ_CHECK(err->line >= 0 && (size_t)err->line <= size + 1);
    FUZZ_CHECK(err->column >= 0 && (size_t)err->column <= size + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wf_error csv_err = {0};
    wf_status csv_st = read_csv(data, size, &csv_err);
    FUZZ_CHECK(csv_st == WF_OK || csv_st == WF_EINPUT);
    if (csv_st != WF_OK)
        check_refusal(&csv_err, "census.csv", size);

    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    FUZZ_CHECK(fd >= 0);
    wf_error err = {0};
    wf_census *cen = NULL;
    wf_status st = wf_census_load(path, NULL, tables(), &cen, &err);
    FUZZ_CHECK(st == WF_OK || st == WF_EINPUT);
    if (st == WF_OK) {
        FUZZ_CHECK(cen != NULL && wf_census_count(cen) >= 1);
        FUZZ_CHECK(csv_st == WF_OK);
    } else {
        FUZZ_CHECK(cen == NULL);
        check_refusal(&err, path, size);
        if (csv_st != WF_OK) {
            /* The loader reads records in order and cannot get past a CSV
             * error: it stops at it (same place and message) or earlier
             * (a bad header, or a bad value in an earlier record). */
            FUZZ_CHECK(err.line >= 1 && err.line <= csv_err.line);
            if (err.line == csv_err.line)
                FUZZ_CHECK(err.column == csv_err.column &&
                           strcmp(err.message, csv_err.message) == 0);
        }
    }
    wf_census_free(cen);
    close(fd);
    return 0;
}
