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
 *
 * An input starting with '%' carries a configuration first: the text up to
 * a line "%%" is YAML for wf_config_parse (its `census` section: column
 * mapping, date format, strict or skip), the rest is the census, loaded
 * under it. A refused configuration must name "census.yaml" and say why;
 * an accepted one must keep every promise above, and an accepted census
 * counts its rows exactly (employees + skipped + rejected = data rows,
 * nothing rejected in strict mode). In skip mode the census and its
 * rejects are written (wf_census_write) to a folder made once per process
 * in /dev/shm.
 */
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
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

static char out_dir[256];

static void remove_out_dir(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/census.parquet", out_dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/rejected_rows.csv", out_dir);
    unlink(path);
    rmdir(out_dir);
}

/* The folder for wf_census_write, made on first use, removed at exit. */
static const char *write_dir(void)
{
    if (!out_dir[0]) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
        snprintf(out_dir, sizeof out_dir, "%s/wfsim-fuzz-census-XXXXXX",
                 base && *base ? base : "/tmp");
        FUZZ_CHECK(mkdtemp(out_dir) != NULL);
        atexit(remove_out_dir);
    }
    return out_dir;
}

static void load_census(const uint8_t *data, size_t size, const wf_config *cfg);

/* '%' inputs: "%YAML\n%%\nCSV" (see the top of the file). */
static void fuzz_mapped(const uint8_t *data, size_t size)
{
    const uint8_t *yaml = data + 1, *csv = data + size;
    size_t yaml_len = size - 1;
    for (size_t i = 1; i + 3 <= size; i++)
        if (data[i - 1] == '\n' && data[i] == '%' && data[i + 1] == '%' &&
            (i + 2 == size || data[i + 2] == '\n')) {
            yaml_len = i - 1;
            csv = data + (i + 2 < size ? i + 3 : size);
            break;
        }
    wf_error err = {0};
    wf_config *cfg = NULL;
    wf_status st = wf_config_parse("census.yaml", (const char *)yaml, yaml_len, &cfg, &err);
    FUZZ_CHECK(st == WF_OK || st == WF_EINPUT);
    if (st != WF_OK) {
        FUZZ_CHECK(cfg == NULL && strcmp(err.file, "census.yaml") == 0 &&
                   err.message[0] != '\0');
        return;
    }
    load_census(csv, (size_t)(data + size - csv), cfg);
    wf_config_free(cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 0 && data[0] == '%')
        fuzz_mapped(data, size);
    else
        load_census(data, size, NULL);
    return 0;
}

static void load_census(const uint8_t *data, size_t size, const wf_config *cfg)
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
    wf_status st = wf_census_load(path, cfg, tables(), &cen, &err);
    FUZZ_CHECK(st == WF_OK || st == WF_EINPUT);
    if (st == WF_OK) {
        FUZZ_CHECK(cen != NULL && wf_census_count(cen) >= 1);
        FUZZ_CHECK(csv_st == WF_OK);
        wf_census_info info;
        wf_census_get_info(cen, &info);
        FUZZ_CHECK(info.employees == wf_census_count(cen));
        FUZZ_CHECK(info.employees + info.skipped + info.rejected == info.rows);
        FUZZ_CHECK(info.skip_mode || info.rejected == 0);
        if (info.skip_mode) {
            memset(&err, 0, sizeof err);
            FUZZ_CHECK(wf_census_write(cen, write_dir(), &err) == WF_OK);
        }
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
}
