/*
 * wf_outdir.c - staging directory and atomic commit (see wf_outdir.h).
 *
 * Why RENAME_EXCHANGE: replacing a non-empty directory with rename() is not
 * possible, and "rename old away, rename new in" leaves a moment with no
 * output at all. Exchanging the two names is one atomic step, after which the
 * old output sits under the staging name and is deleted at leisure; if the
 * process dies during that deletion, the leftover is just another stale
 * staging directory. Files are not fsync'ed one by one: the guarantee is
 * against the process being killed, which does not lose the page cache.
 */
#include "wf_outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wf_error.h"

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

int wf_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

/* Splits `final` into its parent directory and base name. */
static void split_path(const char *final, char *parent, size_t psize,
                       const char **base)
{
    const char *slash = strrchr(final, '/');
    if (!slash) {
        snprintf(parent, psize, ".");
        *base = final;
    } else if (slash == final) {
        snprintf(parent, psize, "/");
        *base = slash + 1;
    } else {
        snprintf(parent, psize, "%.*s", (int)(slash - final), final);
        *base = slash + 1;
    }
}

/* Removes ".BASE.wfsim-tmp-PID-..." entries whose process no longer runs. */
static void remove_stale(const char *parent, const char *base)
{
    char prefix[600];
    snprintf(prefix, sizeof prefix, ".%s.wfsim-tmp-", base);
    size_t plen = strlen(prefix);
    DIR *dir = opendir(parent);
    if (!dir)
        return;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (strncmp(de->d_name, prefix, plen) != 0)
            continue;
        long pid = strtol(de->d_name + plen, NULL, 10);
        if (pid > 0 && (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH))
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", parent, de->d_name);
        wf_remove_tree(path);
    }
    closedir(dir);
}

wf_status wf_outdir_begin(wf_outdir *od, const char *final, wf_error *err)
{
    static unsigned counter;
    memset(od, 0, sizeof *od);
    size_t len = strlen(final);
    while (len > 1 && final[len - 1] == '/')
        len--;
    if (len == 0 || len >= sizeof od->final - 64)
        return wf_error_set(err, WF_EUSAGE, NULL, 0, 0,
                            "output path is empty or too long");
    snprintf(od->final, sizeof od->final, "%.*s", (int)len, final);
    char parent[4096];
    const char *base;
    split_path(od->final, parent, sizeof parent, &base);
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return wf_error_set(err, WF_EUSAGE, od->final, 0, 0,
                            "output must name a directory to create or replace");
    struct stat st;
    if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode))
        return wf_error_set(err, WF_EIO, od->final, 0, 0,
                            "the parent directory %s does not exist", parent);
    if (stat(od->final, &st) == 0 && !S_ISDIR(st.st_mode))
        return wf_error_set(err, WF_EIO, od->final, 0, 0,
                            "exists and is not a directory");
    remove_stale(parent, base);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* atomic: an ensemble's replicates begin their folders on several threads */
    unsigned nonce = __atomic_fetch_add(&counter, 1u, __ATOMIC_RELAXED);
    int n = snprintf(od->staging, sizeof od->staging, "%s/.%s.wfsim-tmp-%ld-%lx%x",
                     parent, base, (long)getpid(), (unsigned long)ts.tv_nsec, nonce);
    if (n < 0 || (size_t)n >= sizeof od->staging)
        return wf_error_set(err, WF_EUSAGE, od->final, 0, 0, "output path too long");
    if (mkdir(od->staging, 0777) != 0)
        return wf_error_errno(err, "create the staging directory", od->staging);
    od->active = 1;
    return WF_OK;
}

wf_status wf_outdir_mkdir(wf_outdir *od, const char *rel, char *buf,
                          size_t size, wf_error *err)
{
    int n = snprintf(buf, size, "%s/%s", od->staging, rel);
    if (n < 0 || (size_t)n >= size)
        return wf_error_set(err, WF_EIO, od->staging, 0, 0, "path too long");
    /* Create each component in turn; existing ones are fine. */
    for (char *p = buf + strlen(od->staging) + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return wf_error_errno(err, "create directory", buf);
            *p = saved;
            if (saved == '\0')
                break;
        }
    }
    return WF_OK;
}

static void sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

wf_status wf_outdir_commit(wf_outdir *od, wf_error *err)
{
    if (!od->active)
        return wf_error_set(err, WF_EIO, od->final, 0, 0, "nothing to commit");
    sync_dir(od->staging);
    struct stat st;
    if (stat(od->final, &st) == 0) {
        if (renameat2(AT_FDCWD, od->staging, AT_FDCWD, od->final, RENAME_EXCHANGE) != 0)
            return wf_error_errno(err, "replace the output directory", od->final);
        /* The previous output now sits under the staging name. */
        wf_remove_tree(od->staging);
    } else if (rename(od->staging, od->final) != 0) {
        return wf_error_errno(err, "move the output into place", od->final);
    }
    od->active = 0;
    char parent[4096];
    const char *base;
    split_path(od->final, parent, sizeof parent, &base);
    sync_dir(parent);
    return WF_OK;
}

void wf_outdir_abort(wf_outdir *od)
{
    if (od->active)
        wf_remove_tree(od->staging);
    od->active = 0;
}

wf_status wf_dir_replace(const char *staging, const char *final, wf_error *err)
{
    wf_outdir od = {.active = 1};
    int a = snprintf(od.staging, sizeof od.staging, "%s", staging);
    int b = snprintf(od.final, sizeof od.final, "%s", final);
    if (a < 0 || b < 0 || (size_t)a >= sizeof od.staging || (size_t)b >= sizeof od.final)
        return wf_error_set(err, WF_EUSAGE, final, 0, 0, "path too long");
    return wf_outdir_commit(&od, err);
}
