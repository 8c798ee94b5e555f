/*
 * cli_run.h - what `wfsim run` and `wfsim parity` share: the run's state and
 * its steps (the engine, SQL mode through dbt).
 */
#ifndef CLI_RUN_H
#define CLI_RUN_H

#include <limits.h>

#include "wfsim_cli.h"

#define MAX_STAGES 256

typedef struct run_state {
    char out[PATH_MAX];        /* absolute */
    char census[PATH_MAX + 16];
    char census_input[PATH_MAX + 64];  /* the normalised census dbt reads */
    char census_json[512];             /* what the load did (run_summary.json) */
    char census_line[256];             /* the same, printed after the summary */
    char dbt[PATH_MAX], project[PATH_MAX];
    char *config_json;
    char *plan_design_json;    /* the plan_design section, or NULL (none) */
    int quiet, verbose, mode, threads;
    int start_year, end_year;
    const char *stage_name[MAX_STAGES];
    char stage_label[MAX_STAGES][48];
    double stage_seconds[MAX_STAGES];
    int n_stages;
    double t0;
} run_state;

/* Appends s to buf as a JSON string. */
void cli_json_str(char *buf, size_t size, const char *s);
int cli_mkdir_p(const char *path);
/* Finds dbt (.venv of the repository, $WFSIM_DBT) and the dbt project, and
 * points dbt's database (WFSIM_DBT_DB) at rs->out/wfsim.duckdb. */
int cli_locate_dbt(run_state *rs);
/* Runs `dbt ARGS... --project-dir --profiles-dir --vars CLI_VARS` inside
 * rs->out, with RUN_VARS (a JSON object) in $WFSIM_DBT_RUN_VARS and dbt's
 * saved parse restored from and saved to the project's cache; a build
 * leaves out the unit tests once they passed on the same project files
 * (see cmd_run.c); output into log. dbt's exit status, or -1. */
int cli_dbt_spawn(const run_state *rs, const char *const *args, const char *cli_vars,
                  const char *run_vars, const char *log);
/* Opens a Python process (scripts/dbt_steps.py) that runs the following
 * cli_dbt_spawn steps in turn with dbt's programmatic entry point, so they
 * share one start-up; -1 (steps run as `dbt` processes) when there is no
 * such Python or $WFSIM_DBT_INPROCESS is 0. cli_dbt_server_stop ends it
 * (before anything else opens the database). */
int cli_dbt_server_start(const run_state *rs);
void cli_dbt_server_stop(void);
/* Loads the built-in tables and, when cen is not NULL, rs->census (checking
 * every rule, under cfg's census section; skip mode's rejected rows go to
 * rs->out/events/rejected_rows.csv); 0, or prints the errors and returns
 * the exit code. */
int cli_load_inputs(const run_state *rs, const wf_config *cfg, wf_tables **tab,
                    wf_census **cen);
/* The engine into rs->out/events (with snapshots). 0 or an exit code. */
int cli_run_fast(run_state *rs, const wf_config *cfg, const wf_tables *tab,
                 const wf_census *cen);
/* The census files (census.parquet, and rejected_rows.csv in skip mode)
 * into dir (created); rs->census_input then names its census.parquet,
 * which dbt reads as census_path. 0 or an exit code. */
int cli_write_census(run_state *rs, const wf_census *cen, const char *dir);
/* SQL mode through dbt, exported into rs->out/events, reading the census
 * cen as the engine's normalised census (written to rs->out/census/ and
 * beside the exported events); its steps go through cli_dbt_server_start's
 * process, which the caller stops after any further dbt step. 0 or an exit
 * code. */
int cli_run_sql(run_state *rs, const wf_census *cen);

#endif
