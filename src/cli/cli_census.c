/*
 * cli_census.c - loading the census for a command, and saying what came
 * of it.
 *
 * Strict mode (the default) refuses a census with bad rows; the engine's
 * loader lists the first 100 rows' errors and the total into a memory
 * stream, printed here one "wfsim: " line each, so the user sees every
 * problem at once. Skip mode (--skip-invalid-rows or census.invalid_rows:
 * skip) loads the rest and prints one line (the parameter tables are
 * listed the same way, without a skip mode):
 *
 *     wfsim: census: 7,241 employees loaded, 264 rows rejected (OUT/rejected_rows.csv)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wfsim_cli.h"

/* n with a comma every three digits into buf. */
static const char *grouped(size_t n, char buf[32])
{
    char plain[32];
    int len = snprintf(plain, sizeof plain, "%zu", n), w = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[w++] = ',';
        buf[w++] = plain[i];
    }
    buf[w] = '\0';
    return buf;
}

/* A load's outcome: its listing of row errors (one "wfsim: " line each)
 * when it has one, else the error; 0 when st is WF_OK. */
static int loaded(wf_status st, const wf_error *err, char *listing, size_t len)
{
    int rc = 0;
    if (st != WF_OK && listing && len > 0) {
        for (char *line = strtok(listing, "\n"); line; line = strtok(NULL, "\n"))
            fprintf(stderr, "wfsim: %s\n", line);
        rc = (int)st;
    } else if (st != WF_OK) {
        rc = cli_fail(err);
    }
    free(listing);
    return rc;
}

int cli_load_tables(const char *dir, wf_tables **out)
{
    wf_error err = {0};
    char *listing = NULL;
    size_t len = 0;
    FILE *report = open_memstream(&listing, &len);
    wf_status st = wf_tables_load_report(dir, report, out, &err);
    if (report)
        fclose(report);
    return loaded(st, &err, listing, len);
}

int cli_load_census(const char *path, const wf_config *cfg, const wf_tables *tab,
                    const char *rejects_path, int quiet, wf_census **out)
{
    wf_error err = {0};
    char *listing = NULL;
    size_t len = 0;
    FILE *report = open_memstream(&listing, &len);
    wf_status st = wf_census_load_report(path, cfg, tab, report, out, &err);
    if (report)
        fclose(report);
    int rc = loaded(st, &err, listing, len);
    if (rc == 0 && !quiet) {
        wf_census_info info;
        wf_census_get_info(*out, &info);
        char a[32], b[32];
        if (info.skip_mode)
            fprintf(stderr, "wfsim: census: %s employees loaded, %s rows rejected (%s)\n",
                    grouped(info.employees, a), grouped(info.rejected, b), rejects_path);
    }
    return rc;
}

void cli_census_json(const wf_census *cen, char *buf, size_t size, char *line,
                     size_t line_size)
{
    wf_census_info info;
    wf_census_get_info(cen, &info);
    char digest[65], a[32], b[32], c[32];
    wf_census_digest(cen, digest);
    snprintf(buf, size,
             "{\"invalid_rows\": \"%s\", \"rows_read\": %zu, \"employees\": %zu, "
             "\"rows_skipped\": %zu, \"rejected_rows\": %zu, \"sha256\": \"%s\"}",
             info.skip_mode ? "skip" : "strict", info.rows, info.employees, info.skipped,
             info.rejected, digest);
    snprintf(line, line_size,
             "census: %s rows read, %s employees loaded, %s rows rejected\n"
             "census: accepted rows SHA-256 %s",
             grouped(info.rows, a), grouped(info.employees, b), grouped(info.rejected, c),
             digest);
}
