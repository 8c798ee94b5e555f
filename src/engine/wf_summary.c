/*
 * wf_summary.c - generation_summary.json (see wf_summary.h).
 */
#include "wf_summary.h"

#include <stdio.h>
#include <stdlib.h>

#include "wf_error.h"
#include "wf_json.h"

static void json_year(wf_json *j, const wf_year_summary *s)
{
    wf_json_open(j, NULL, '{');
    wf_json_int(j, "year", s->year);
#define FIELD(member, key) wf_json_int(j, key, s->member);
    WF_SUMMARY_FIELDS(FIELD) /* wf_schema.h: the keys and their order */
#undef FIELD
    wf_json_open(j, "events_by_type", '{');
    for (int t = 0; t < WF_EV_COUNT; t++)
        wf_json_int(j, wf_event_type_names[t], s->by_type[t]);
    wf_json_close(j, '}');
    wf_json_open(j, "events_by_category", '{');
    for (int c = 0; c < WF_CAT_COUNT; c++)
        wf_json_int(j, wf_event_category_names[c], s->by_category[c]);
    wf_json_close(j, '}');
    wf_json_close(j, '}');
}

char *wf_summary_json(const wf_summary *s)
{
    const wf_config *cfg = s->cfg;
    char digest[65];
    wf_config_digest(cfg, digest);
    wf_json j;
    wf_json_init(&j);
    wf_json_open(&j, NULL, '{');
    wf_json_str(&j, "engine_version", "wfsim " WF_VERSION);
    wf_json_int(&j, "model_version", WF_MODEL_VERSION);
    wf_json_str(&j, "census_path", s->census_path);
    wf_json_int(&j, "census_employees", s->census_employees);
    wf_json_int(&j, "start_year", wf_config_start_year(cfg));
    wf_json_int(&j, "end_year", wf_config_end_year(cfg));
    wf_json_int(&j, "random_seed", wf_config_random_seed(cfg));
    wf_json_str(&j, "scenario_id", wf_config_scenario_id(cfg));
    wf_json_str(&j, "plan_design_id", wf_config_plan_design_id(cfg));
    if (s->census) {
        /* the census section: how the file was read, and what came of it */
        const wf_census_info info = *s->census;
        wf_json_str(&j, "census_invalid_rows", info.skip_mode ? "skip" : "strict");
        wf_json_str(&j, "census_date_format", wf_config_census_date_format(cfg));
        wf_json_int(&j, "census_rows_read", (int64_t)info.rows);
        wf_json_int(&j, "census_rows_skipped", (int64_t)info.skipped);
        wf_json_int(&j, "rejected_rows", (int64_t)info.rejected);
        wf_json_str(&j, "census_sha256", s->census_sha256 ? s->census_sha256 : "");
    }
    wf_json_str(&j, "config_digest", digest);
    char *canonical = wf_config_to_json(cfg);
    wf_json_raw(&j, "config", canonical ? canonical : "null");
    free(canonical);
    wf_json_int(&j, "threads", s->threads);
    wf_json_double(&j, "wall_time_s", s->wall_s);
    wf_json_double(&j, "write_time_s", s->write_s);
    wf_json_int(&j, "total_events", s->total_events);
    wf_json_double(&j, "events_per_second",
                   s->wall_s > 0 ? (double)s->total_events / s->wall_s : 0);
    wf_json_open(&j, "per_year", '[');
    for (int i = 0; i < s->n_years; i++)
        json_year(&j, &s->years[i]);
    wf_json_close(&j, ']');
    wf_json_close(&j, '}');
    return wf_json_finish(&j);
}

wf_status wf_summary_write(const wf_summary *s, const char *dir, wf_error *err)
{
    char *text = wf_summary_json(s);
    if (!text)
        return wf_error_nomem(err, "summary");
    char path[4400];
    snprintf(path, sizeof path, "%s/generation_summary.json", dir);
    FILE *f = fopen(path, "w");
    wf_status st = WF_OK;
    if (!f || fputs(text, f) == EOF)
        st = wf_error_errno(err, "write", "generation_summary.json");
    if (f && fclose(f) != 0 && st == WF_OK)
        st = wf_error_errno(err, "write", "generation_summary.json");
    free(text);
    return st;
}
