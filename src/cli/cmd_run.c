/*
 * cmd_run.c - `wfsim run`: the whole job in one command.
 *
 * Fast mode: the engine writes OUT/events (docs/model.md 5), then one `dbt build`
 * makes the state, the metrics and runs every data test on it.
 * SQL mode: `dbt seed`, then one `dbt run` of models/sql_mode per year (each
 * year reads the state the previous one left), an export of SQL mode's
 * events and snapshot to OUT/events in the engine's layout, then the same
 * `dbt build` as fast mode. Both end with the same summary table (read from
 * the metrics_summary model) and write OUT/run_summary.json with the
 * seconds of every stage.
 *
 * The configuration is loaded and checked once, by the engine's loader, and
 * SQL mode receives its canonical JSON as the dbt var `wfsim_config`, so no
 * rule or default lives in two places. Each dbt step logs to OUT/logs/; a
 * failed step stops the run with dbt's error lines and exit status 5, and
 * says which outputs are complete.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "cli_run.h"

static const char help[] =
    "usage: wfsim run [--config FILE] [--census FILE | --employees N] [--out DIR]\n"
    "                 [--start Y] [--end Y] [--seed S] [--scenario ID] [--plan ID]\n"
    "                 [--mode fast|sql] [--threads N] [--skip-invalid-rows]\n"
    "                 [--no-report] [--quiet | --verbose]\n"
    "\n"
    "Runs the whole job and prints what the census load gave (rows read,\n"
    "employees loaded, rows rejected, the accepted rows' SHA-256) and a\n"
    "summary table per year:\n"
    "  fast mode  the C engine simulates every year in one pass and writes\n"
    "             DIR/events; then one dbt build makes the workforce state,\n"
    "             the plan metrics and runs every data test\n"
    "  sql mode   dbt simulates the same model year by year in SQL on DuckDB\n"
    "             (the reference implementation), exports DIR/events in the\n"
    "             engine's layout, then the same dbt build\n"
    "Both modes give the same events for the same inputs (`wfsim parity`).\n"
    "At the end it writes DIR/report.html and DIR/report.xlsx (`wfsim report`).\n"
    "\n"
    "  --config FILE   YAML configuration (docs/model.md 2.2); its `performance`\n"
    "                  section may set event_generation_mode and threads\n"
    "  --census FILE   census CSV (default: a synthetic census of --employees\n"
    "                  employees, written to DIR/census.csv)\n"
    "  --employees N   size of the synthetic census (default 5000)\n"
    "  --out DIR       the run's folder (default: out); it holds events/,\n"
    "                  wfsim.duckdb (dbt's database), logs/, metrics_summary.csv,\n"
    "                  run_summary.json, report.html and report.xlsx\n"
    CLI_OVERRIDE_HELP
    "  --mode M        fast or sql (default: the configuration's, else fast)\n"
    "  --threads N     engine threads (default: $WFSIM_THREADS, the\n"
    "                  configuration's, then all cores)\n"
    "  --skip-invalid-rows\n"
    "                  leave out census rows that break a rule and list them in\n"
    "                  DIR/events/rejected_rows.csv (census.invalid_rows: skip);\n"
    "                  both modes and dbt read the accepted rows, normalised, from\n"
    "                  DIR/events/census.parquet\n"
    "  --no-report     do not write report.html and report.xlsx (a report left\n"
    "                  by an earlier run into DIR is removed all the same)\n"
    "  --quiet         print nothing but errors\n"
    "  --verbose       copy dbt's output to stderr, and print the events of\n"
    "                  each year by type\n"
    "\n"
    "The summary is printed as tables of at most 100 columns.\n"
    "dbt comes from wfsim's Python environment: $WFSIM_DBT, else\n"
    "$WFSIM_VENV/bin/dbt, else the .venv of the source tree (make venv) or\n"
    "PREFIX/share/wfsim/venv of an installed wfsim, else dbt on PATH. The dbt\n"
    "project is the source tree's dbt/ or PREFIX/share/wfsim/dbt\n"
    "($WFSIM_DBT_PROJECT overrides it).\n"
    "dbt runs inside DIR and reuses its last parse of the project, cached in\n"
    "$WFSIM_DBT_CACHE (default $XDG_CACHE_HOME/wfsim, else ~/.cache/wfsim),\n"
    "where it also notes that dbt's unit tests passed on the project's files:\n"
    "later builds leave them out until those files change (WFSIM_DBT_CACHE=off\n"
    "parses from scratch and runs them every time). SQL mode's dbt steps share\n"
    "one Python process ($WFSIM_DBT_INPROCESS=0: a dbt process a step).\n";

static void say(const run_state *rs, const char *fmt, const char *arg)
{
    if (rs->quiet)
        return;
    fprintf(stderr, "wfsim run: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
}

static void record(run_state *rs, const char *label, double t)
{
    if (rs->n_stages < MAX_STAGES) {
        snprintf(rs->stage_label[rs->n_stages], sizeof rs->stage_label[0], "%s", label);
        rs->stage_seconds[rs->n_stages++] = t;
    }
}

/* Appends s to buf as a JSON string. */
void cli_json_str(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    if (n + 2 >= size)
        return;
    buf[n++] = '"';
    for (; *s && n + 3 < size; s++) {
        if (*s == '"' || *s == '\\')
            buf[n++] = '\\';
        buf[n++] = *s;
    }
    buf[n++] = '"';
    buf[n] = '\0';
}

/* The --vars JSON for every dbt step (year < 0: no simulation_year). */
static char *dbt_vars(const run_state *rs, int year)
{
    size_t size = strlen(rs->config_json) + 6 * PATH_MAX + 256 +
                  (rs->plan_design_json ? strlen(rs->plan_design_json) + 32 : 0);
    char *v = malloc(size);
    if (!v)
        return NULL;
    char path[PATH_MAX + 64];
    snprintf(v, size, "{\"events_path\": ");
    snprintf(path, sizeof path, "%s/events", rs->out);
    cli_json_str(v, size, path);
    strcat(v, ", \"snapshot_path\": ");
    snprintf(path, sizeof path, "%s/events/workforce_snapshot", rs->out);
    cli_json_str(v, size, path);
    strcat(v, ", \"summary_path\": ");
    snprintf(path, sizeof path, "%s/events/generation_summary.json", rs->out);
    struct stat st;
    cli_json_str(v, size, stat(path, &st) == 0 ? path : "");
    strcat(v, ", \"census_path\": ");
    cli_json_str(v, size, rs->census_input);
    strcat(v, ", \"summary_csv\": ");
    snprintf(path, sizeof path, "%s/metrics_summary.csv", rs->out);
    cli_json_str(v, size, path);
    size_t n = strlen(v);
    if (year >= 0)
        n += (size_t)snprintf(v + n, size - n, ", \"simulation_year\": %d", year);
    if (rs->plan_design_json)
        n += (size_t)snprintf(v + n, size - n, ", \"wfsim_plan_design\": %s",
                              rs->plan_design_json);
    snprintf(v + n, size - n, ", \"wfsim_config\": %s}", rs->config_json);
    return v;
}

/* ---- dbt with its parse reused ----------------------------------------------
 *
 * dbt parses the whole project (about half of a small run's dbt time) unless
 * it finds a saved parse (partial_parse.msgpack in its target folder) made
 * with the same --vars, the same profile and the same project files. So the
 * runner keeps both stable from run to run: dbt runs inside OUT (the
 * profile's database path is the relative "wfsim.duckdb"), the --vars hold
 * nothing that changes, and everything that differs between runs (the
 * configuration, the census, the SQL mode year, absolute paths) goes in
 * $WFSIM_DBT_RUN_VARS, which the models read only while they execute
 * (macros/wfsim_var.sql), the events and snapshot folders included (the
 * staging models read them at execution, macro state_engine_parquet), so
 * the parsed project is the same in every run. The saved parse is copied
 * from a per-project cache before a step and back after a step that
 * succeeded; dbt itself checks it against the project's files and
 * re-parses what changed. */

/* FNV-1a of the text s continuing from h. */
static unsigned long long fnv1a(unsigned long long h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* What dbt compares before it reuses a saved parse, besides the project's
 * files: the --vars, and the profile and dbt_project.yml, which read these
 * variables. */
static const char *const parse_env[] = {"WFSIM_DBT_DB", "WFSIM_DUCKDB_MEMORY_LIMIT",
                                        "WFSIM_EVENTS", NULL};

/* The cache file of the saved parse for this project, dbt and cli_vars, or
 * -1 when caching is off ($WFSIM_DBT_CACHE=off) or there is no place for
 * it. One file per --vars and profile variables: `wfsim run` and `wfsim
 * ensemble` (different --vars), or a Dask batch (a memory limit in the
 * profile), would otherwise overwrite each other's parse and each make the
 * other parse the project in full. */
static int parse_cache_path(const run_state *rs, const char *cli_vars, char *buf,
                            size_t size)
{
    const char *env = getenv("WFSIM_DBT_CACHE"), *base;
    char dir[PATH_MAX];
    if (env && !strcmp(env, "off"))
        return -1;
    if (env && *env)
        snprintf(dir, sizeof dir, "%s", env);
    else if ((base = getenv("XDG_CACHE_HOME")) && *base == '/')
        snprintf(dir, sizeof dir, "%s/wfsim", base);
    else if ((base = getenv("HOME")) && *base == '/')
        snprintf(dir, sizeof dir, "%s/.cache/wfsim", base);
    else
        return -1;
    /* the project and dbt paths: one cache folder per checkout and venv */
    unsigned long long h = fnv1a(fnv1a(1469598103934665603ULL, rs->project), rs->dbt);
    int n = snprintf(buf, size, "%s/dbt-%016llx", dir, h);
    if (n < 0 || (size_t)n + 48 >= size || cli_mkdir_p(buf) != 0)
        return -1;
    unsigned long long v = fnv1a(1469598103934665603ULL, cli_vars);
    for (const char *const *e = parse_env; *e; e++) {
        const char *val = getenv(*e);
        v = fnv1a(fnv1a(v, val ? "=" : "!"), val ? val : "");   /* set and unset differ */
    }
    size_t len = strlen(buf);
    n = snprintf(buf + len, size - len, "/partial_parse-%016llx.msgpack", v);
    return n < 0 || (size_t)n >= size - len ? -1 : 0;
}

/* Copies src to dst through dst.PID.tmp and a rename, so a reader sees the
 * old file or the new one, never half of one. Failures are silent: the
 * cache only saves time. */
static void copy_whole(const char *src, const char *dst)
{
    char tmp[PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", dst, (long)getpid());
    FILE *in = fopen(src, "rb");
    if (!in)
        return;
    FILE *out = fopen(tmp, "wb");
    int ok = out != NULL;
    char buf[1 << 16];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in);
    fclose(in);
    if (out && fclose(out) != 0)
        ok = 0;
    if (!ok || rename(tmp, dst) != 0)
        remove(tmp);
}

/* ---- unit tests once per project -------------------------------------------
 *
 * dbt's unit tests (models/plan/_plan_unit_tests.yml) check the models' SQL
 * on rows they state in full: their outcome depends on the project's files
 * and dbt, never on a run's events, census or configuration (wfsim_var
 * reads no run value inside a unit test). They were a third of a small
 * build's node time, paid again by every run. So a `dbt build` runs them
 * when the project has changed since they last passed with the same
 * selection, and excludes them (--exclude-resource-type unit_test)
 * otherwise; the stamp of a pass is a file named by the digest of the
 * project's files, the step's arguments and the packages installed beside
 * dbt, beside the saved parse. */

/* ctx's SHA-256 added into sum as four 64-bit words (so that the order
 * files are read in does not matter). */
static void add_digest(struct sha256_ctx *ctx, uint64_t sum[4])
{
    uint8_t h[SHA256_DIGEST_SIZE];
    sha256_digest(ctx, sizeof h, h);
    for (int i = 0; i < 4; i++) {
        uint64_t w;
        memcpy(&w, h + 8 * i, 8);
        sum[i] += w;
    }
}

/* Adds the SHA-256 of (relative path, NUL, contents) of every file under
 * dir into the four 64-bit sums (an order-free digest of the tree). dbt's
 * own folders (target, logs, dbt_packages), hidden files and databases are
 * left out. -1 when a file cannot be read. */
static int digest_tree(const char *root, const char *rel, uint64_t sum[4])
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        size_t len = strlen(n);
        if (n[0] == '.' || (!*rel && (!strcmp(n, "target") || !strcmp(n, "logs") ||
                                      !strcmp(n, "dbt_packages"))) ||
            (len > 7 && strstr(n, ".duckdb")))
            continue;
        char sub[PATH_MAX], path[PATH_MAX * 2];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", n);
        snprintf(path, sizeof path, "%s/%s", root, sub);
        struct stat st;
        if (stat(path, &st) != 0) {
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = digest_tree(root, sub, sum);
        } else if (S_ISREG(st.st_mode)) {
            FILE *f = fopen(path, "rb");
            if (!f) {
                rc = -1;
                break;
            }
            struct sha256_ctx ctx;
            sha256_init(&ctx);
            sha256_update(&ctx, strlen(sub) + 1, (const uint8_t *)sub);
            uint8_t buf[1 << 14];
            size_t got;
            while ((got = fread(buf, 1, sizeof buf, f)) > 0)
                sha256_update(&ctx, got, buf);
            if (ferror(f))
                rc = -1;
            fclose(f);
            add_digest(&ctx, sum);
        }
    }
    closedir(d);
    return rc;
}

/* Adds the names of the packages installed beside dbt (the *.dist-info
 * folders of DBT/../../lib/pythonX.Y/site-packages, each naming a package and
 * its version) into sum: a unit test's outcome also depends on the dbt,
 * adapter and DuckDB versions, so upgrading any of them in wfsim's Python
 * environment runs the unit tests again. A dbt found elsewhere adds
 * nothing. */
static void add_installed_packages(const char *dbt, uint64_t sum[4])
{
    char root[PATH_MAX];
    snprintf(root, sizeof root, "%s", dbt);
    for (int up = 0; up < 2; up++) {   /* VENV/bin/dbt -> VENV */
        char *slash = strrchr(root, '/');
        if (!slash || slash == root)
            return;
        *slash = '\0';
    }
    char lib[PATH_MAX + 8];
    snprintf(lib, sizeof lib, "%s/lib", root);
    DIR *d = opendir(lib);
    if (!d)
        return;
    struct dirent *pe;
    while ((pe = readdir(d)) != NULL) {
        if (strncmp(pe->d_name, "python", 6) != 0)
            continue;
        char site[PATH_MAX * 2];
        snprintf(site, sizeof site, "%s/%s/site-packages", lib, pe->d_name);
        DIR *sd = opendir(site);
        if (!sd)
            continue;
        struct dirent *e;
        while ((e = readdir(sd)) != NULL) {
            size_t len = strlen(e->d_name);
            if (len > 10 && !strcmp(e->d_name + len - 10, ".dist-info")) {
                struct sha256_ctx ctx;
                sha256_init(&ctx);
                sha256_update(&ctx, len, (const uint8_t *)e->d_name);
                add_digest(&ctx, sum);
            }
        }
        closedir(sd);
    }
    closedir(d);
}

/* The stamp file of the project's unit tests passed with args into buf
 * (cache is the saved parse's path, which names the cache folder); -1 when
 * the project cannot be read. */
static int unit_stamp_path(const run_state *rs, const char *cache, const char *const *args,
                           char *buf, size_t size)
{
    uint64_t sum[4] = {0, 0, 0, 0};
    if (digest_tree(rs->project, "", sum) != 0)
        return -1;
    add_installed_packages(rs->dbt, sum);
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    for (const char *const *a = args; *a; a++)
        sha256_update(&ctx, strlen(*a) + 1, (const uint8_t *)*a);
    add_digest(&ctx, sum);
    const char *slash = strrchr(cache, '/');
    int n = snprintf(buf, size, "%.*s/unit_tests_passed-%016llx%016llx",
                     (int)(slash - cache), cache, (unsigned long long)sum[0],
                     (unsigned long long)sum[1]);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* ---- several steps in one dbt process -----------------------------------------
 *
 * SQL mode's 1 + years + 2 dbt steps each paid Python's start-up and dbt's
 * imports as separate processes. While a server is open, cli_dbt_spawn
 * hands each step to scripts/dbt_steps.py instead, one Python process
 * running every step in turn with dbt's programmatic entry point (the same
 * command line, log and exit status as the `dbt` command). The server's
 * Python is the one dbt's own script names on its first line, so it sees
 * the same dbt; without one (or with $WFSIM_DBT_INPROCESS=0) every step is
 * a `dbt` process as before. */

static struct {
    pid_t pid;
    FILE *req, *rep;
    struct sigaction old_pipe;
} server;

/* The Python of dbt's console script (its "#!" line), or -1. */
static int dbt_python(const char *dbt, char *buf, size_t size)
{
    FILE *f = fopen(dbt, "r");
    if (!f)
        return -1;
    char line[PATH_MAX + 8];
    int ok = fgets(line, sizeof line, f) != NULL && !strncmp(line, "#!", 2);
    fclose(f);
    if (!ok)
        return -1;
    char *p = line + 2;
    p += strspn(p, " \t");
    p[strcspn(p, " \t\r\n")] = '\0';
    const char *base = strrchr(p, '/');
    if (*p != '/' || !strstr(base ? base : p, "python") || access(p, X_OK) != 0)
        return -1;
    int n = snprintf(buf, size, "%s", p);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int cli_dbt_server_start(const run_state *rs)
{
    const char *env = getenv("WFSIM_DBT_INPROCESS");
    char python[PATH_MAX], script[PATH_MAX];
    if ((env && !strcmp(env, "0")) || server.pid > 0 ||
        dbt_python(rs->dbt, python, sizeof python) != 0 ||
        cli_repo_path("scripts/dbt_steps.py", script, sizeof script) != 0 ||
        access(script, R_OK) != 0)
        return -1;
    int req[2], rep[2];
    if (pipe2(req, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(rep, O_CLOEXEC) != 0) {
        close(req[0]);
        close(req[1]);
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, req[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, rep[1], 3);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addchdir_np(&fa, rs->out);
    char *argv[] = {python, script, NULL};
    int rc = posix_spawn(&server.pid, python, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(req[0]);
    close(rep[1]);
    if (rc != 0) {
        server.pid = 0;
        close(req[1]);
        close(rep[0]);
        return -1;
    }
    server.req = fdopen(req[1], "w");
    server.rep = fdopen(rep[0], "r");
    /* a server that died must fail the step, not end wfsim with SIGPIPE */
    struct sigaction ign = {0};
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &server.old_pipe);
    if (!server.req || !server.rep) {
        cli_dbt_server_stop();
        return -1;
    }
    return 0;
}

void cli_dbt_server_stop(void)
{
    if (server.pid <= 0)
        return;
    if (server.req)
        fclose(server.req);
    if (server.rep)
        fclose(server.rep);
    int status;
    while (waitpid(server.pid, &status, 0) < 0 && errno == EINTR)
        ;
    sigaction(SIGPIPE, &server.old_pipe, NULL);
    memset(&server, 0, sizeof server);
}

/* s as a JSON string. */
static void put_json(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* One step through the server: argv[1..] as dbt's arguments. dbt's exit
 * status, or -1 when the server is gone (it is then stopped). */
static int server_step(const run_state *rs, char *const *argv, const char *run_vars,
                       const char *log)
{
    FILE *f = server.req;
    fputs("{\"log\": ", f);
    put_json(f, log);
    fputs(", \"run_vars\": ", f);
    put_json(f, run_vars);
    fputs(", \"args\": [", f);
    for (int i = 1; argv[i]; i++) {
        fputs(i > 1 ? ", " : "", f);
        put_json(f, argv[i]);
    }
    fputs("]}\n", f);
    char line[32];
    if (fflush(f) != 0 || !fgets(line, sizeof line, server.rep)) {
        fprintf(stderr, "wfsim: the dbt step server stopped (see %s)\n", log);
        cli_dbt_server_stop();
        return -1;
    }
    if (rs->verbose) {          /* what `dbt` would have echoed */
        FILE *in = fopen(log, "r");
        char buf[4096];
        size_t n;
        while (in && (n = fread(buf, 1, sizeof buf, in)) > 0)
            fwrite(buf, 1, n, stderr);
        if (in)
            fclose(in);
    }
    return atoi(line);
}

int cli_dbt_spawn(const run_state *rs, const char *const *args, const char *cli_vars,
                  const char *run_vars, const char *log)
{
    char *argv[40];
    int n = 0;
    argv[n++] = (char *)rs->dbt;
    for (const char *const *a = args; *a && n < 30; a++)
        argv[n++] = (char *)*a;
    argv[n++] = "--project-dir";
    argv[n++] = (char *)rs->project;
    argv[n++] = "--profiles-dir";
    argv[n++] = (char *)rs->project;
    argv[n++] = "--vars";
    argv[n++] = (char *)cli_vars;
    char cache[PATH_MAX], saved[PATH_MAX + 64], stamp[PATH_MAX + 64];
    int cached = parse_cache_path(rs, cli_vars, cache, sizeof cache) == 0;
    struct stat st;
    int stamped = cached && !strcmp(args[0], "build") &&
                  unit_stamp_path(rs, cache, args, stamp, sizeof stamp) == 0;
    int units_passed = stamped && stat(stamp, &st) == 0;
    if (units_passed) {
        argv[n++] = "--exclude-resource-type";
        argv[n++] = "unit_test";
    }
    argv[n] = NULL;
    snprintf(saved, sizeof saved, "%s/dbt_target/partial_parse.msgpack", rs->out);
    if (cached && stat(saved, &st) != 0) {
        snprintf(saved, sizeof saved, "%s/dbt_target", rs->out);
        if (cli_mkdir_p(saved) == 0) {
            strcat(saved, "/partial_parse.msgpack");
            copy_whole(cache, saved);
        }
    }
    int rc;
    if (server.pid > 0) {
        rc = server_step(rs, argv, run_vars, log);
    } else {
        setenv("WFSIM_DBT_RUN_VARS", run_vars, 1);
        rc = cli_spawn_in(argv, log, rs->verbose, rs->out);
        unsetenv("WFSIM_DBT_RUN_VARS");
    }
    if (rc == 0 && cached)
        copy_whole(saved, cache);
    if (rc == 0 && stamped && !units_passed) {
        FILE *f = fopen(stamp, "w");
        if (f)
            fclose(f);
    }
    return rc;
}

/* The --vars of `wfsim run`'s dbt steps: none, the same in every run. */
static const char run_cli_vars[] = "{}";

/* Runs `dbt COMMAND ARGS...` as one stage; 0 or exit code. */
static int dbt_step(run_state *rs, const char *label, const char *log_name,
                    int year, const char *const *args)
{
    char *vars = dbt_vars(rs, year);
    if (!vars) {
        fprintf(stderr, "wfsim run: out of memory\n");
        return WF_ENOMEM;
    }
    char log[PATH_MAX + 64];
    snprintf(log, sizeof log, "%s/logs/%s.log", rs->out, log_name);
    say(rs, "%s", label);
    double t = cli_seconds();
    int rc = cli_dbt_spawn(rs, args, run_cli_vars, vars, log);
    record(rs, label, cli_seconds() - t);
    free(vars);
    if (rc != 0) {
        fprintf(stderr, "wfsim run: %s failed (dbt exit status %d):\n", label, rc);
        cli_show_failure(log);
        return WF_ERUNTIME;
    }
    return 0;
}

int cli_mkdir_p(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

int cli_load_inputs(const run_state *rs, const wf_config *cfg, wf_tables **tab,
                    wf_census **cen)
{
    wf_error err = {0};
    *tab = NULL;
    wf_status st = wf_tables_load(NULL, tab, &err);
    if (st != WF_OK)
        return cli_fail(&err);
    if (!cen)
        return 0;
    char rejects[PATH_MAX + 64];
    snprintf(rejects, sizeof rejects, "%s/events/rejected_rows.csv",
             rs->out[0] ? rs->out : "OUT");
    int rc = cli_load_census(rs->census, cfg, *tab, rejects, rs->quiet, cen);
    if (rc != 0) {
        wf_tables_free(*tab);
        *tab = NULL;
    }
    return rc;
}

int cli_run_fast(run_state *rs, const wf_config *cfg, const wf_tables *tab,
                 const wf_census *cen)
{
    wf_error err = {0};
    char events[PATH_MAX + 16];
    snprintf(events, sizeof events, "%s/events", rs->out);
    snprintf(rs->census_input, sizeof rs->census_input, "%s/census.parquet", events);
    say(rs, "%s", "events (fast mode: the C engine)");
    double t = cli_seconds();
    wf_run_options opt = {.out_dir = events, .threads = rs->threads, .snapshots = 1,
                          .report = rs->quiet ? NULL : stdout,
                          .report_by_type = rs->verbose};
    int rc = cli_run_environment(&opt);
    if (rc)
        return rc;
    wf_status st = wf_events_run(cfg, tab, cen, &opt, &err);
    record(rs, "events", cli_seconds() - t);
    return st == WF_OK ? 0 : cli_fail(&err);
}

int cli_write_census(run_state *rs, const wf_census *cen, const char *dir)
{
    wf_error err = {0};
    if (cli_mkdir_p(dir) != 0) {
        fprintf(stderr, "wfsim: cannot create %s\n", dir);
        return WF_EIO;
    }
    if (wf_census_write(cen, dir, &err) != WF_OK)
        return cli_fail(&err);
    snprintf(rs->census_input, sizeof rs->census_input, "%s/census.parquet", dir);
    return 0;
}

int cli_run_sql(run_state *rs, const wf_census *cen)
{
    static const char *const seed[] = {"seed", NULL};
    char input[PATH_MAX + 16];
    snprintf(input, sizeof input, "%s/census", rs->out);
    int rc = cli_write_census(rs, cen, input);
    /* the steps below (and the caller's build) share one dbt process when
     * they can; the caller stops it */
    if (rc == 0)
        cli_dbt_server_start(rs);
    if (rc == 0)
        rc = dbt_step(rs, "dbt seed (parameter tables)", "sql_seed", -1, seed);
    for (int y = rs->start_year; rc == 0 && y <= rs->end_year; y++) {
        static const char *const run[] = {"run", "--select", "sql_mode", NULL};
        char label[48], log[32];
        snprintf(label, sizeof label, "events %d (SQL mode)", y);
        snprintf(log, sizeof log, "sql_year_%d", y);
        rc = dbt_step(rs, label, log, y, run);
    }
    if (rc != 0)
        return rc;
    /* Export beside OUT/events, then swap it in whole. */
    char staging[PATH_MAX + 32], final[PATH_MAX + 16], snap[PATH_MAX + 64],
        args[3 * PATH_MAX];
    snprintf(staging, sizeof staging, "%s/.events.sql-export", rs->out);
    snprintf(final, sizeof final, "%s/events", rs->out);
    snprintf(snap, sizeof snap, "%s/workforce_snapshot", staging);
    snprintf(args, sizeof args, "{\"events_dir\": ");
    cli_json_str(args, sizeof args, staging);
    strcat(args, ", \"snapshot_dir\": ");
    cli_json_str(args, sizeof args, snap);
    strcat(args, "}");
    const char *const export[] = {"run-operation", "sqlmode_export", "--args", args, NULL};
    rc = dbt_step(rs, "export SQL mode events", "sql_export", -1, export);
    if (rc == 0)       /* OUT/events holds the census it came from, as in fast mode */
        rc = cli_write_census(rs, cen, staging);
    if (rc != 0)
        return rc;
    wf_error err = {0};
    if (wf_dir_replace(staging, final, &err) != WF_OK)
        return cli_fail(&err);
    snprintf(rs->census_input, sizeof rs->census_input, "%s/census.parquet", final);
    return 0;
}

#define SUMMARY_MAX_COLS 32
#define SUMMARY_MAX_ROWS 256
#define SUMMARY_WIDTH 100

/* Prints OUT/metrics_summary.csv as aligned tables no wider than 100
 * columns: as many columns as fit in the first, the rest in further tables
 * that repeat the year. */
static void print_summary(const run_state *rs)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/metrics_summary.csv", rs->out);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "wfsim run: no %s to print\n", path);
        return;
    }
    static char lines[SUMMARY_MAX_ROWS][1024];
    static const char *cell[SUMMARY_MAX_ROWS][SUMMARY_MAX_COLS];
    int width[SUMMARY_MAX_COLS] = {0}, n_rows = 0, n_cols = 0;
    while (n_rows < SUMMARY_MAX_ROWS && fgets(lines[n_rows], sizeof lines[0], f)) {
        char *line = lines[n_rows], *save = NULL;
        line[strcspn(line, "\r\n")] = '\0';
        int col = 0;
        for (char *field = strtok_r(line, ",", &save); field && col < SUMMARY_MAX_COLS;
             field = strtok_r(NULL, ",", &save), col++) {
            cell[n_rows][col] = field;
            if ((int)strlen(field) > width[col])
                width[col] = (int)strlen(field);
        }
        for (int c = col; c < SUMMARY_MAX_COLS; c++)
            cell[n_rows][c] = "";
        if (col > n_cols)
            n_cols = col;
        n_rows++;
    }
    fclose(f);
    if (rs->mode == 0)
        putchar('\n'); /* after the engine's per-year table */
    for (int first = 1; first < n_cols;) {
        int last = first, used = width[0] + 2 + width[first];
        while (last + 1 < n_cols && used + 2 + width[last + 1] <= SUMMARY_WIDTH)
            used += 2 + width[++last];
        if (first > 1)
            putchar('\n');
        for (int r = 0; r < n_rows; r++) {
            printf("%-*s", width[0], cell[r][0]);
            for (int c = first; c <= last; c++)
                printf("  %*s", width[c], cell[r][c]);
            putchar('\n');
        }
        first = last + 1;
    }
}

static void write_run_summary(const run_state *rs, int rc)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/run_summary.json", rs->out);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fprintf(f, "{\n  \"mode\": \"%s\",\n  \"status\": %d,\n  \"start_year\": %d,\n"
               "  \"end_year\": %d,\n  \"threads\": %d,\n  \"stages\": [",
            rs->mode ? "sql" : "fast", rc, rs->start_year, rs->end_year, rs->threads);
    for (int i = 0; i < rs->n_stages; i++)
        fprintf(f, "%s\n    {\"stage\": \"%s\", \"seconds\": %.3f}", i ? "," : "",
                rs->stage_label[i], rs->stage_seconds[i]);
    fprintf(f, "\n  ],\n  \"census\": %s,\n  \"total_seconds\": %.3f\n}\n",
            rs->census_json[0] ? rs->census_json : "null", cli_seconds() - rs->t0);
    fclose(f);
}

int cli_locate_dbt(run_state *rs)
{
    /* dbt's database lives in the run's folder (dbt runs there, and a
     * relative path keeps the profile, hence dbt's saved parse, the same from
     * run to run); no colours in the logs and no usage statistics sent
     * anywhere. */
    setenv("WFSIM_DBT_DB", "wfsim.duckdb", 1);
    setenv("DBT_USE_COLORS", "false", 1);
    setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false", 1);
    /* dbt's compiled files and logs stay in the run's folder too, so runs
     * into different folders never share state. */
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/dbt_target", rs->out);
    setenv("DBT_TARGET_PATH", path, 1);
    snprintf(path, sizeof path, "%s/logs", rs->out);
    setenv("DBT_LOG_PATH", path, 1);
    const char *proj = getenv("WFSIM_DBT_PROJECT");
    if (proj && *proj) {
        /* dbt runs inside OUT: a relative project path is made absolute. */
        if (!realpath(proj, rs->project))
            snprintf(rs->project, sizeof rs->project, "%s", proj);
    } else if (cli_repo_path("dbt", rs->project, sizeof rs->project) != 0) {
        fprintf(stderr, "wfsim: cannot locate the dbt project (set WFSIM_DBT_PROJECT)\n");
        return WF_EIO;
    }
    snprintf(path, sizeof path, "%s/dbt_project.yml", rs->project);
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "wfsim: the dbt project is missing: no %s (reinstall wfsim, "
                        "or set WFSIM_DBT_PROJECT)\n", path);
        return WF_EIO;
    }
    int rc = cli_find_tool(NULL, "dbt", "WFSIM_DBT", rs->dbt, sizeof rs->dbt);
    /* dbt runs inside OUT: a dbt path relative to here is made absolute. */
    char abs[PATH_MAX];
    if (rc == 0 && rs->dbt[0] != '/' && strchr(rs->dbt, '/') && realpath(rs->dbt, abs))
        snprintf(rs->dbt, sizeof rs->dbt, "%s", abs);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    static run_state rs;
    cli_overrides ov = {0};
    memset(&rs, 0, sizeof rs);
    wf_tables *tab = NULL;
    wf_census *cen = NULL;
    rs.t0 = cli_seconds();
    rs.mode = -1;
    const char *config = NULL, *census = NULL, *out = "out", *mode = NULL;
    long employees = 5000, threads = 0;
    int skip_invalid = 0, no_report = 0;
    const cli_opt opts[] = {
        {"config", 0, CLI_TEXT, &config, NULL, 0, 0},
        {"census", 0, CLI_TEXT, &census, NULL, 0, 0},
        {"employees", 0, CLI_LONG, &employees, NULL, 1, 100000000},
        {"out", 0, CLI_TEXT, &out, NULL, 0, 0},
        {"mode", 0, CLI_TEXT, &mode, NULL, 0, 0},
        {"threads", 0, CLI_LONG, &threads, NULL, 1, 1024},
        {"skip-invalid-rows", 0, CLI_FLAG, &skip_invalid, NULL, 0, 0},
        CLI_SIMULATION_OVERRIDES(&ov),
        {"quiet", 'q', CLI_FLAG, &rs.quiet, NULL, 0, 0},
        {"verbose", 'v', CLI_FLAG, &rs.verbose, NULL, 0, 0},
        {"no-report", 0, CLI_FLAG, &no_report, NULL, 0, 0},
        {NULL, 0, 0, NULL, NULL, 0, 0},
    };
    int prc = cli_parse_options("run", help, opts, argc, argv);
    if (prc)
        return prc == CLI_HELP_SHOWN ? 0 : prc;
    if (skip_invalid)
        cli_override(&ov, "census.invalid_rows", "skip", "skip-invalid-rows");
    if (mode && strcmp(mode, "fast") && strcmp(mode, "sql"))
        return cli_usage("run", "--mode takes fast or sql, not '%s'", mode);
    if (mode)
        rs.mode = !strcmp(mode, "sql");

    wf_config *cfg = NULL;
    int rc = cli_load_config(config, &ov, &cfg);
    if (rc)
        return rc;
    if (rs.mode < 0)
        rs.mode = wf_config_mode(cfg);
    if ((rc = cli_choose_threads("run", threads, cfg, &rs.threads)) != 0)
        goto done;
    rs.start_year = wf_config_start_year(cfg);
    rs.end_year = wf_config_end_year(cfg);
    rs.config_json = wf_config_to_json(cfg);
    rs.plan_design_json = wf_config_plan_design_json(cfg);
    /* A given census is checked by the engine's loader before anything is
     * created, so bad input stops the run with file, line and column and
     * leaves no trace; both modes go through this check. */
    snprintf(rs.out, sizeof rs.out, "%s", out);   /* for messages until made absolute */
    if (census) {
        if (!realpath(census, rs.census)) {
            fprintf(stderr, "wfsim: %s: cannot open: %s\n", census, strerror(errno));
            rc = WF_EIO;
            goto done;
        }
        if ((rc = cli_load_inputs(&rs, cfg, &tab, &cen)) != 0)
            goto done;
    }
    /* dbt is looked for before OUT is made: a run that cannot start leaves
     * nothing behind. */
    if ((rc = cli_find_tool(NULL, "dbt", "WFSIM_DBT", rs.dbt, sizeof rs.dbt)) != 0)
        goto done;
    if (cli_mkdir_p(out) != 0 || !realpath(out, rs.out)) {
        fprintf(stderr, "wfsim run: cannot create %s: %s\n", out, strerror(errno));
        rc = WF_EIO;
        goto done;
    }
    char logs[PATH_MAX + 8];
    snprintf(logs, sizeof logs, "%s/logs", rs.out);
    if ((rc = cli_locate_dbt(&rs)) != 0 || (cli_mkdir_p(logs) != 0 && (rc = WF_EIO)))
        goto done;
    if (!census) {
        wf_error err = {0};
        snprintf(rs.census, sizeof rs.census, "%s/census.csv", rs.out);
        say(&rs, "synthetic census: %s", rs.census);
        if ((rc = cli_load_inputs(&rs, cfg, &tab, NULL)) != 0)
            goto done;
        if (wf_census_generate(rs.census, employees, 1, rs.start_year, tab, &err) != WF_OK) {
            rc = cli_fail(&err);
            goto done;
        }
        wf_tables_free(tab);
        if ((rc = cli_load_inputs(&rs, cfg, &tab, &cen)) != 0)
            goto done;
    }
    cli_census_json(cen, rs.census_json, sizeof rs.census_json, rs.census_line,
                    sizeof rs.census_line);
    cli_remove_report(rs.out);
    rc = rs.mode ? cli_run_sql(&rs, cen) : cli_run_fast(&rs, cfg, tab, cen);
    if (rc == 0) {
        static const char *const build[] = {"build", "--select", "+state", "metrics",
                                            "ensemble", NULL};
        rc = dbt_step(&rs, "dbt build (state, metrics, data tests)", "dbt_build", -1, build);
        cli_dbt_server_stop();      /* SQL mode's steps are done */
        if (rc != 0)
            fprintf(stderr, "wfsim run: the events in %s/events are complete and were "
                            "kept; only the dbt step above failed\n", rs.out);
    }
    if (rc == 0 && !rs.quiet) {
        printf("%s\n", rs.census_line);
        print_summary(&rs);
    }
    write_run_summary(&rs, rc);
    if (rc == 0 && !no_report) {
        /* The report reads run_summary.json; it is written again after, with
         * the report's time. */
        double t = cli_seconds();
        rc = cli_write_report(rs.out, rs.quiet, rs.verbose);
        record(&rs, "report", cli_seconds() - t);
        if (rc != 0)
            fprintf(stderr, "wfsim run: the events and the database in %s are complete; "
                            "only the report failed (`wfsim report %s` retries it)\n",
                    rs.out, rs.out);
        write_run_summary(&rs, rc);
    }
done:
    cli_dbt_server_stop();
    wf_census_free(cen);
    wf_tables_free(tab);
    free(rs.config_json);
    free(rs.plan_design_json);
    wf_config_free(cfg);
    return rc;
}
