/*
 * wf_census_out.c - see wf_census_out.h.
 *
 * The normalised census goes through the table writer like the events
 * (wf_table_writer_census): the employees of wf_census in file order, the
 * model's units as the Parquet values (day numbers as DATE, cents as
 * DECIMAL(18,2), basis points as DECIMAL(9,4)), so nothing is converted
 * or rounded on the way to SQL mode.
 */
#include "wf_census_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wf_error.h"
#include "wf_rejects_csv.h"
#include "wf_sim.h"
#include "wf_table_writer.h"

wf_status wf_census_out_write(const wf_census *cen, const char *dir, wf_error *err)
{
    size_t n = wf_census_count(cen);
    wf_census_info info;
    wf_census_get_info(cen, &info);
    wf_census_row *rows = malloc((n ? n : 1) * sizeof *rows);
    wf_table_options topt = {.created_at_us = 0, .threads = 1};
    wf_table_writer *tw = wf_table_writer_new(&topt);
    wf_status st = WF_OK;
    if (!rows || !tw) {
        st = wf_error_nomem(err, "the normalised census");
        goto done;
    }
    wf_census_normalised(cen, rows);
    char path[4200];
    snprintf(path, sizeof path, "%s/census.parquet", dir);
    st = wf_table_writer_census(tw, path, rows, n, err);
    if (st == WF_OK && info.skip_mode) {
        snprintf(path, sizeof path, "%s/rejected_rows.csv", dir);
        st = wf_rejects_csv_write(path, wf_census_rejects(cen), err);
    }
done:
    wf_table_writer_free(tw);
    free(rows);
    return st;
}

wf_status wf_census_write(const wf_census *cen, const char *dir, wf_error *err)
{
    return wf_census_out_write(cen, dir, err);
}

static void *census_main(void *arg)
{
    wf_census_out *co = arg;
    co->status = co->dir[0] ? wf_census_out_write(co->cen, co->dir, &co->err) : WF_OK;
    wf_census_digest(co->cen, co->digest);
    return NULL;
}

void wf_census_out_start(wf_census_out *co, const wf_census *cen, const char *dir)
{
    memset(co, 0, sizeof *co);
    co->cen = cen;
    snprintf(co->dir, sizeof co->dir, "%s", dir ? dir : "");
    co->started = pthread_create(&co->thread, NULL, census_main, co) == 0;
    if (!co->started)
        census_main(co);
}

wf_status wf_census_out_finish(wf_census_out *co)
{
    if (co->started)
        pthread_join(co->thread, NULL);
    co->started = false;
    return co->status;
}
