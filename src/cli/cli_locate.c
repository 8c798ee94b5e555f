/*
 * cli_locate.c - where `wfsim` finds the files and programs it does not
 * carry inside its binary: the dbt project and helper scripts (the data
 * folder), and dbt and Python (wfsim's Python environment).
 *
 * The data folder is PREFIX/share/wfsim for an installed wfsim (the binary
 * is PREFIX/bin/wfsim and `make install` put the folder beside it), else
 * the source tree the binary was built in (REPO/build/wfsim, or one level
 * deeper for the sanitizer builds). Both are found from /proc/self/exe, so
 * an installed tree can be moved as a whole.
 *
 * The Python environment is a virtual environment holding the pinned
 * requirements.txt (dbt-core, dbt-duckdb, DuckDB, ...). It is looked for,
 * in this order: the program named by its own variable ($WFSIM_DBT,
 * $WFSIM_PYTHON), $WFSIM_VENV, DATA/venv (installed), REPO/.venv (source
 * tree), and last the PATH. A Python counts only when it can import
 * duckdb (checked by running it), so a system python3 without it is passed
 * over. When none has it, the message names every place looked at and the
 * command that creates the environment.
 * docs/install.md says the same for users.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wfsim_cli.h"

static int exists(const char *dir, const char *rel)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return access(path, F_OK) == 0;
}

/* The data folder into buf; *installed tells which kind it is. */
static int data_dir(char *buf, size_t size, int *installed)
{
    char dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0)
        return -1;
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash)
        return -1;
    *slash = '\0'; /* the binary's folder */
    char cand[PATH_MAX + 32];
    snprintf(cand, sizeof cand, "%s/../share/wfsim", dir);
    if (exists(cand, "dbt/dbt_project.yml") && realpath(cand, dir)) {
        *installed = 1;
    } else {
        /* BUILD/wfsim or BUILD/asan/wfsim: the first parent holding the
         * dbt project is the source tree. */
        int up = 0;
        do {
            if (!(slash = strrchr(dir, '/')) || slash == dir)
                return -1;
            *slash = '\0';
        } while (!exists(dir, "dbt/dbt_project.yml") && ++up < 3);
        *installed = 0;
    }
    int len = snprintf(buf, size, "%s", dir);
    return len < 0 || (size_t)len >= size ? -1 : 0;
}

int cli_repo_path(const char *rel, char *buf, size_t size)
{
    char dir[PATH_MAX];
    int installed;
    if (data_dir(dir, sizeof dir, &installed) != 0)
        return -1;
    int len = snprintf(buf, size, "%s/%s", dir, rel);
    return len < 0 || (size_t)len >= size ? -1 : 0;
}

/* A program of the environment is usable when it runs; a Python must also
 * have the duckdb module (what the parity comparison imports). */
static int usable(const char *tool, const char *path)
{
    if (access(path, X_OK) != 0)
        return 0;
    if (strcmp(tool, "python"))
        return 1;
    char *argv[] = {(char *)path, "-c", "import duckdb", NULL};
    return cli_spawn(argv, "/dev/null", 0) == 0;
}

/* buf = dir/bin/tool when that is usable; 1 if found. */
static int in_venv(const char *dir, const char *tool, char *buf, size_t size)
{
    int len = snprintf(buf, size, "%s/bin/%s", dir, tool);
    return len > 0 && (size_t)len < size && usable(tool, buf);
}

/* buf = the first usable `name` on PATH (`tool` says what it is); 1 if found. */
static int on_path(const char *tool, const char *name, char *buf, size_t size)
{
    const char *path = getenv("PATH");
    while (path && *path) {
        size_t n = strcspn(path, ":");
        int len = snprintf(buf, size, "%.*s/%s", (int)n, n ? path : ".", name);
        if (len > 0 && (size_t)len < size && usable(tool, buf))
            return 1;
        path += n + (path[n] == ':');
    }
    return 0;
}

int cli_find_tool(const char *command, const char *tool, const char *env_var,
                  char *buf, size_t size)
{
    char who[64];
    snprintf(who, sizeof who, "wfsim%s%s", command ? " " : "", command ? command : "");
    const char *with = strcmp(tool, "python") ? "" : " with the duckdb module";
    const char *own = getenv(env_var);
    if (own && *own) {
        if (strchr(own, '/') ? usable(tool, own) : on_path(tool, own, buf, size)) {
            if (strchr(own, '/'))
                snprintf(buf, size, "%s", own);
            return 0;
        }
        fprintf(stderr, "%s: $%s names %s, which is not a runnable %s%s\n", who,
                env_var, own, tool, with);
        return WF_ERUNTIME;
    }
    const char *venv = getenv("WFSIM_VENV");
    if (venv && *venv) {
        if (in_venv(venv, tool, buf, size))
            return 0;
        fprintf(stderr, "%s: $WFSIM_VENV is %s, which has no runnable bin/%s%s\n", who,
                venv, tool, with);
        return WF_ERUNTIME;
    }
    char data[PATH_MAX], env_dir[PATH_MAX + 16];
    int installed = 0;
    int have_data = data_dir(data, sizeof data, &installed) == 0;
    if (have_data) {
        snprintf(env_dir, sizeof env_dir, "%s/%s", data, installed ? "venv" : ".venv");
        if (in_venv(env_dir, tool, buf, size))
            return 0;
    }
    const char *on_path_name = strcmp(tool, "python") ? tool : "python3";
    if (on_path(tool, on_path_name, buf, size))
        return 0;
    fprintf(stderr,
            "%s: %s is missing: it comes from wfsim's Python environment (dbt-core,\n"
            "dbt-duckdb, DuckDB), and none was found: $%s and $WFSIM_VENV are not set, ",
            who, tool, env_var);
    if (have_data)
        fprintf(stderr, "there is no runnable %s/bin/%s%s, ", env_dir, tool, with);
    fprintf(stderr, "and there is no %s%s on PATH.\n", on_path_name, with);
    if (have_data && !installed)
        fprintf(stderr, "Create the environment with: make -C %s venv\n", data);
    else if (have_data)
        fprintf(stderr,
                "Create the environment with:\n"
                "  python3 -m venv %s && %s/bin/pip install -r %s/requirements.txt\n"
                "or set WFSIM_VENV to an environment that has those packages.\n",
                env_dir, env_dir, data);
    else
        fprintf(stderr, "Set WFSIM_VENV to a virtual environment with the packages of "
                        "wfsim's requirements.txt.\n");
    return WF_ERUNTIME;
}
