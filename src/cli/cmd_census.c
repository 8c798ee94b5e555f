/*
 * cmd_census.c - `wfsim census`: a deterministic synthetic census.
 */
#include <getopt.h>
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
    static const struct option opts[] = {
        {"employees", required_argument, 0, 'n'},
        {"out", required_argument, 0, 'o'},
        {"seed", required_argument, 0, 's'},
        {"start-year", required_argument, 0, 'y'},
        {"tables", required_argument, 0, 't'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    long employees = -1, start_year = 2025, seed = 1;
    const char *out = NULL, *tables = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int rc = 0;
        switch (c) {
        case 'n': rc = cli_parse_long("census", "employees", optarg, 1, 100000000, &employees); break;
        case 's': rc = cli_parse_long("census", "seed", optarg, 0, 0x7fffffffffffffffL, &seed); break;
        case 'y': rc = cli_parse_long("census", "start-year", optarg, 1900, 2200, &start_year); break;
        case 'o': out = optarg; break;
        case 't': tables = optarg; break;
        case 'h': fputs(help, stdout); return 0;
        default: return cli_usage("census", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return cli_usage("census", "unexpected argument '%s'", argv[optind]);
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
