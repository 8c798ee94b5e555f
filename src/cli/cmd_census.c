/*
 * cmd_census.c - `wfsim census`: a deterministic synthetic census.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wfsim_cli.h"

static const char help[] =
    "usage: wfsim census --employees N --out FILE [--seed S] [--start-year Y]\n"
    "                    [--tables DIR]\n"
    "\n"
    "Writes a synthetic census CSV (the model's section 2.1, docs/model.md) of\n"
    "N active employees as of December 31 of Y - 1: realistic ages and\n"
    "tenures, a level pyramid, salaries inside the level bands, about three\n"
    "quarters enrolled. The same N, S and Y always give the same file.\n"
    "\n"
    "  --employees N   number of employees (1 to 100000000)\n"
    "  --out FILE      where to write (written to a temporary file, then renamed)\n"
    "  --seed S        generator seed (default 1)\n"
    "  --start-year Y  first simulation year (default 2025)\n"
    "  --tables DIR    parameter tables (default: the built-in copies)\n";

int cmd_census(int argc, char **argv)
{
    long employees = -1, start_year = 2025, seed = 1;
    const char *out = NULL, *tables = NULL;
    const cli_opt opts[] = {
        {"employees", 0, CLI_LONG, &employees, NULL, 1, 100000000},
        {"out", 0, CLI_TEXT, &out, NULL, 0, 0},
        {"seed", 0, CLI_LONG, &seed, NULL, 0, 0x7fffffffffffffffL},
        {"start-year", 0, CLI_LONG, &start_year, NULL, 1900, 2200},
        {"tables", 0, CLI_TEXT, &tables, NULL, 0, 0},
        {NULL, 0, 0, NULL, NULL, 0, 0},
    };
    int rc = cli_parse_options("census", help, opts, argc, argv);
    if (rc)
        return rc == CLI_HELP_SHOWN ? 0 : rc;
    if (employees < 0 || !out)
        return cli_usage("census", "%s", "--employees and --out are required");
    wf_error err = {0};
    wf_tables *tab = NULL;
    wf_status st = wf_tables_load(tables, &tab, &err);
    if (st == WF_OK)
        st = wf_census_generate(out, employees, (uint64_t)seed, (int)start_year, tab, &err);
    wf_tables_free(tab);
    return st == WF_OK ? 0 : cli_fail(&err);
}
