/*
 * wf_error.h - filling the caller's wf_error (include/wfsim.h).
 *
 * Every module reports bad input through wf_error_set: the status, where
 * (file, line, column, or a configuration key) and a message saying what
 * was expected. The first error wins: a set error is not overwritten, so a
 * caller may report the root cause after cleanup paths have run.
 */
#ifndef WF_ERROR_H
#define WF_ERROR_H

#include "wfsim.h"

/* Sets err (when not NULL and not already set) and returns status.
 * file may be NULL; line/column 0 mean unknown. */
wf_status wf_error_set(wf_error *err, wf_status status, const char *file,
                       long line, long column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Same, naming a configuration key instead of a position. */
wf_status wf_error_key(wf_error *err, const char *file, const char *key,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* WF_ENOMEM with a message naming what was being allocated. */
wf_status wf_error_nomem(wf_error *err, const char *what);
/* WF_EIO from errno, naming the path and the operation. */
wf_status wf_error_errno(wf_error *err, const char *op, const char *path);

#endif
