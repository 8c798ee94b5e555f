/*
 * wf_outdir.h - an output directory that appears whole or not at all.
 *
 * A run writes into a staging directory beside the final one, named
 * ".NAME.wfsim-tmp-PID-NONCE", and commits by swapping it with the final
 * directory in one renameat2(RENAME_EXCHANGE) (or a plain rename when the
 * final directory does not exist yet). A reader of NAME therefore sees the
 * complete previous output or the complete new one, never a mix, even when
 * the process is killed at any moment. What a killed run leaves is only a
 * staging directory; wf_outdir_begin removes those whose process is gone.
 */
#ifndef WF_OUTDIR_H
#define WF_OUTDIR_H

#include "wfsim.h"

typedef struct wf_outdir {
    char final[4096];   /* the directory the user named */
    char staging[4096]; /* where the run writes */
    int active;         /* staging exists and is ours */
} wf_outdir;

/* Creates the staging directory for `final` (its parent must exist).
 * Removes stale staging directories of dead processes first. */
wf_status wf_outdir_begin(wf_outdir *od, const char *final, wf_error *err);
/* Makes a subdirectory of the staging directory (relative path, parents
 * created) and writes its full path into buf. */
wf_status wf_outdir_mkdir(wf_outdir *od, const char *rel, char *buf,
                          size_t size, wf_error *err);
/* Syncs and swaps the staging directory into place; the previous output,
 * if any, is then deleted. */
wf_status wf_outdir_commit(wf_outdir *od, wf_error *err);
/* Removes the staging directory (after a failure); the final one is untouched. */
void wf_outdir_abort(wf_outdir *od);
/* Deletes a directory tree (no error when absent). 0 on success. */
int wf_remove_tree(const char *path);

#endif
