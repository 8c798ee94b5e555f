/*
 * cmd_report.c - `wfsim report DIR`: the deliverable of a run or ensemble.
 *
 * The report is Python (python/wfsim/report/, docs/report.md): it reads
 * DIR/wfsim.duckdb and writes DIR/report.html (one self-contained page of
 * charts, each with the table of its numbers) and DIR/report.xlsx. This
 * file only finds the interpreter (as `wfsim parity` does: $WFSIM_PYTHON,
 * else the repository's .venv, else python3), points PYTHONPATH at the
 * repository's python/ folder, and hands over the model's default
 * configuration as canonical JSON, so that the page can list the
 * parameters a run changed without a second copy of the defaults.
 *
 * cli_write_report is the one call `wfsim run` and `wfsim ensemble` make
 * at the end. The Python side writes both files under temporary names and
 * renames them into place only when both are complete.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_run.h"

static const char help[] =
    "usage: wfsim report [--quiet | --verbose] DIR\n"
    "\n"
    "Writes the report of a finished `wfsim run` or `wfsim ensemble` folder,\n"
    "read from DIR/wfsim.duckdb (dbt's marts) and the run's summaries:\n"
    "  DIR/report.html  one self-contained page (works offline, prints well):\n"
    "                   what was run, headcount flow, turnover, workforce mix,\n"
    "                   pay, participation, contributions and employer cost,\n"
    "                   and for ensembles fan charts, paired differences to the\n"
    "                   baseline and threshold probabilities; the table of the\n"
    "                   numbers under every chart\n"
    "  DIR/report.xlsx  the workbook: Summary, By year, By level, Workforce mix,\n"
    "                   Distributions, Scenario differences and Threshold\n"
    "                   probabilities (ensembles), Events by type, Metadata\n"
    "`wfsim run` and `wfsim ensemble` write both at the end unless given\n"
    "--no-report.\n"
    "\n"
    "  --quiet         print nothing but errors\n"
    "  --verbose       copy the report step's output to stderr as it runs\n"
    "\n"
    "The report runs on the project's Python (.venv, `make venv`);\n"
    "$WFSIM_PYTHON overrides it. Its output goes to DIR/logs/report.log.\n"
    "Exit status: 0 written, 2 DIR is not a finished run or ensemble folder,\n"
    "3 a file could not be read or written, 5 the report step failed.\n";

/* Sets PYTHONPATH to dir, ahead of any value it had; *old gets the old
 * value (NULL when unset; the caller frees it). 0 or -1. */
static int push_pythonpath(const char *dir, char **old)
{
    const char *cur = getenv("PYTHONPATH");
    *old = cur ? strdup(cur) : NULL;
    size_t n = strlen(dir) + (cur ? strlen(cur) + 1 : 0) + 1;
    char *v = malloc(n);
    if (!v || (cur && !*old)) {
        free(v);
        return -1;
    }
    snprintf(v, n, "%s%s%s", dir, cur && *cur ? ":" : "", cur ? cur : "");
    int rc = setenv("PYTHONPATH", v, 1);
    free(v);
    return rc;
}

static void pop_pythonpath(char *old)
{
    if (old)
        setenv("PYTHONPATH", old, 1);
    else
        unsetenv("PYTHONPATH");
    free(old);
}

/* The report child's exit status as wfsim's. */
static int report_status(int rc)
{
    switch (rc) {
    case 0: return 0;
    case WF_EINPUT: return WF_EINPUT;
    case WF_EIO: return WF_EIO;
    default: return WF_ERUNTIME;
    }
}

static void print_file(const char *path, FILE *to)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[4096];
    while (fgets(line, sizeof line, f))
        fputs(line, to);
    fclose(f);
}

void cli_remove_report(const char *dir)
{
    static const char *const names[] = {"report.html", "report.xlsx"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[PATH_MAX + 16];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
}

int cli_write_report(const char *dir, int quiet, int verbose)
{
    char python[PATH_MAX], pydir[PATH_MAX], logs[PATH_MAX + 8], log[PATH_MAX + 32];
    int rc = cli_find_tool("report", "python", "WFSIM_PYTHON", python, sizeof python);
    if (rc != 0)
        return rc;
    if (cli_repo_path("python", pydir, sizeof pydir) != 0) {
        fprintf(stderr, "wfsim report: cannot locate the repository's python/ folder\n");
        return WF_EIO;
    }
    snprintf(logs, sizeof logs, "%s/logs", dir);
    snprintf(log, sizeof log, "%s/report.log", logs);
    if (cli_mkdir_p(logs) != 0) {
        fprintf(stderr, "wfsim report: cannot create %s: %s\n", logs, strerror(errno));
        return WF_EIO;
    }
    wf_error err = {0};
    wf_config *defaults = NULL;
    if (wf_config_load(NULL, &defaults, &err) != WF_OK)
        return cli_fail(&err);
    char *defaults_json = wf_config_to_json(defaults);
    wf_config_free(defaults);
    char *old = NULL;
    if (!defaults_json || push_pythonpath(pydir, &old) != 0) {
        free(defaults_json);
        fprintf(stderr, "wfsim report: out of memory\n");
        return WF_ENOMEM;
    }
    char *argv[] = {python, "-m", "wfsim.report", (char *)dir,
                    "--defaults-json", defaults_json,
                    "--version-string", "wfsim " WF_VERSION, NULL};
    if (!quiet && !verbose)
        fprintf(stderr, "wfsim: report (report.html, report.xlsx)\n");
    rc = cli_spawn(argv, log, verbose);
    pop_pythonpath(old);
    free(defaults_json);
    if (rc != 0) {
        fprintf(stderr, "wfsim report: the report step failed (exit status %d):\n", rc);
        cli_show_failure(log);
        return report_status(rc);
    }
    if (!quiet && !verbose)
        print_file(log, stderr);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quiet", no_argument, 0, 'q'},
        {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int quiet = 0, verbose = 0, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'v': verbose = 1; break;
        case 'h': fputs(help, stdout); return 0;
        default: return cli_usage("report", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage("report", "%s", optind < argc ? "one folder, please" : "DIR is required");
    char dir[PATH_MAX];
    struct stat st;
    if (!realpath(argv[optind], dir) || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "wfsim report: %s: no such folder\n", argv[optind]);
        return WF_EIO;
    }
    char db[PATH_MAX + 16];
    snprintf(db, sizeof db, "%s/wfsim.duckdb", dir);
    if (stat(db, &st) != 0) {
        fprintf(stderr, "wfsim report: %s: no such file (is %s a `wfsim run` or "
                        "`wfsim ensemble` folder?)\n", db, argv[optind]);
        return WF_EINPUT;
    }
    return cli_write_report(dir, quiet, verbose);
}
