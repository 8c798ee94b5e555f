/*
 * cmd_parity.c - `wfsim parity`: both modes on the same inputs, compared.
 *
 * Runs the engine into OUT/fast/events and SQL mode into OUT/sql/events
 * (each with its own dbt database), then scripts/parity_compare.py compares
 * every event column but created_at and every snapshot column, in both
 * directions. Exit status 0 when they agree exactly, 1 on any difference,
 * otherwise the failing step's code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"

static const char help[] =
    "usage: wfsim parity --census FILE [--config FILE] [--out DIR] [--show N]\n"
    "                    [--start Y] [--end Y] [--seed S] [--scenario ID] [--plan ID]\n"
    "                    [--threads N] [--skip-invalid-rows] [--quiet | --verbose]\n"
    "\n"
    "The parity gate: runs fast mode (the C engine) and SQL mode (dbt on DuckDB)\n"
    "on the same census and configuration, into DIR/fast and DIR/sql, and\n"
    "compares their events (every column but created_at) and their workforce\n"
    "snapshots, both directions. Prints matched and differing rows per year and\n"
    "event type and the first differences. Exit status 0 when both modes agree\n"
    "exactly, 1 when anything differs.\n"
    "\n"
    "  --census FILE   census CSV (docs/model.md 2.1)\n"
    "  --config FILE   YAML configuration (default: the model's defaults, 2.2)\n"
    "  --out DIR       working folder (default: parity-out)\n"
    CLI_OVERRIDE_HELP
    "                  (a scenario's file with --seed S checks that member of\n"
    "                  a `wfsim ensemble`; SQL mode runs one replicate at a time)\n"
    "  --show N        differing rows shown per side (default 10)\n"
    "  --threads N     engine threads\n"
    "  --skip-invalid-rows\n"
    "                  leave out census rows that break a rule (listed in\n"
    "                  DIR/fast/events/rejected_rows.csv); both modes read the\n"
    "                  same accepted rows (census.invalid_rows: skip)\n"
    "  --quiet         print nothing but the verdict and errors\n"
    "  --verbose       copy dbt's output to stderr\n"
    "\n"
    "dbt and Python come from wfsim's Python environment, found as for\n"
    "`wfsim run` (see its --help); $WFSIM_PYTHON names the Python that runs\n"
    "the comparison (it needs the duckdb module).\n";

/* rs->out = base/sub, created. */
static int sub_out(run_state *rs, const char *base, const char *sub)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/%s", base, sub);
    if (cli_mkdir_p(path) != 0 || !realpath(path, rs->out)) {
        fprintf(stderr, "wfsim parity: cannot create %s\n", path);
        return WF_EIO;
    }
    char logs[PATH_MAX + 8];
    snprintf(logs, sizeof logs, "%s/logs", rs->out);
    return cli_mkdir_p(logs) == 0 ? 0 : WF_EIO;
}

/* dbt, and the comparison's Python and script, found before anything
 * runs or is created. */
static int locate_compare(char *python, char *script)
{
    char dbt[PATH_MAX];
    int rc = cli_find_tool(NULL, "dbt", "WFSIM_DBT", dbt, sizeof dbt);
    if (rc != 0)
        return rc;
    if (cli_repo_path("scripts/parity_compare.py", script, PATH_MAX) != 0 ||
        access(script, R_OK) != 0) {
        fprintf(stderr, "wfsim parity: cannot locate scripts/parity_compare.py "
                        "(reinstall wfsim)\n");
        return WF_EIO;
    }
    return cli_find_tool("parity", "python", "WFSIM_PYTHON", python, PATH_MAX);
}

static int compare(const run_state *fast, const run_state *sql, const char *show,
                   char *python, char *script)
{
    char a[PATH_MAX + 16], b[PATH_MAX + 16];
    snprintf(a, sizeof a, "%s/events", fast->out);
    snprintf(b, sizeof b, "%s/events", sql->out);
    fflush(stdout);
    char *argv[] = {python, script, a, b, "--show", (char *)show, NULL};
    char log[PATH_MAX + 32];
    snprintf(log, sizeof log, "%s/../parity.txt", fast->out);
    int rc = cli_spawn(argv, log, 0);
    FILE *f = fopen(log, "r");
    if (f) {
        char line[4096];
        while (fgets(line, sizeof line, f))
            fputs(line, stdout);
        fclose(f);
    }
    return rc == 0 ? 0 : rc == 1 ? 1 : WF_ERUNTIME;
}

int cmd_parity(int argc, char **argv)
{
    static run_state fast, sql;
    memset(&fast, 0, sizeof fast);
    const char *config = NULL, *census = NULL, *out = "parity-out";
    long threads = 0, shown = 10;
    int rc = 0, skip_invalid = 0;
    cli_overrides ov = {0};
    const cli_opt opts[] = {
        {"config", 0, CLI_TEXT, &config, NULL, 0, 0},
        {"census", 0, CLI_TEXT, &census, NULL, 0, 0},
        {"out", 0, CLI_TEXT, &out, NULL, 0, 0},
        {"show", 0, CLI_LONG, &shown, NULL, 0, 100000},
        {"threads", 0, CLI_LONG, &threads, NULL, 1, 1024},
        {"skip-invalid-rows", 0, CLI_FLAG, &skip_invalid, NULL, 0, 0},
        CLI_SIMULATION_OVERRIDES(&ov),
        {"quiet", 'q', CLI_FLAG, &fast.quiet, NULL, 0, 0},
        {"verbose", 'v', CLI_FLAG, &fast.verbose, NULL, 0, 0},
        {NULL, 0, 0, NULL, NULL, 0, 0},
    };
    rc = cli_parse_options("parity", help, opts, argc, argv);
    if (rc)
        return rc == CLI_HELP_SHOWN ? 0 : rc;
    if (skip_invalid)
        cli_override(&ov, "census.invalid_rows", "skip", "skip-invalid-rows");
    char show[24];
    snprintf(show, sizeof show, "%ld", shown);
    if (!census)
        return cli_usage("parity", "%s", "--census is required");

    wf_config *cfg = NULL;
    if ((rc = cli_load_config(config, &ov, &cfg)) != 0)
        return rc;
    fast.t0 = cli_seconds();
    fast.threads = (int)threads;
    fast.start_year = wf_config_start_year(cfg);
    fast.end_year = wf_config_end_year(cfg);
    fast.config_json = wf_config_to_json(cfg);
    fast.plan_design_json = wf_config_plan_design_json(cfg);
    if (!realpath(census, fast.census)) {
        fprintf(stderr, "wfsim: %s: cannot open the census\n", census);
        rc = WF_EIO;
        goto done;
    }
    sql = fast;
    sql.mode = 1;
    wf_tables *tab;
    wf_census *cen;
    char python[PATH_MAX], script[PATH_MAX];
    snprintf(fast.out, sizeof fast.out, "%s/fast", out);   /* for messages */
    if ((rc = locate_compare(python, script)) != 0 ||
        (rc = cli_load_inputs(&fast, cfg, &tab, &cen)) != 0)
        goto done;
    if ((rc = sub_out(&fast, out, "fast")) == 0 && (rc = cli_locate_dbt(&fast)) == 0)
        rc = cli_run_fast(&fast, cfg, tab, cen);
    if (rc == 0 && (rc = sub_out(&sql, out, "sql")) == 0 && (rc = cli_locate_dbt(&sql)) == 0)
        rc = cli_run_sql(&sql, cen);
    cli_dbt_server_stop();
    wf_census_free(cen);
    wf_tables_free(tab);
    if (rc == 0)
        rc = compare(&fast, &sql, show, python, script);
done:
    free(fast.config_json);
    free(fast.plan_design_json);
    wf_config_free(cfg);
    return rc;
}
