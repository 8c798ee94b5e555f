/*
 * wf_error.c - see wf_error.h.
 */
#include "wf_error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* src into dst, cut to fit (a census in skip mode sets one error per
 * refused row: no printf here). */
static void copy(char *dst, size_t size, const char *src)
{
    size_t n = src ? strnlen(src, size - 1) : 0;
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

static wf_status vset(wf_error *err, wf_status status, const char *file,
                      long line, long column, const char *key,
                      const char *fmt, va_list ap)
{
    if (!err || err->status != WF_OK)
        return status;
    err->status = status;
    copy(err->file, sizeof err->file, file);
    copy(err->key, sizeof err->key, key);
    err->line = line;
    err->column = column;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return status;
}

wf_status wf_error_set(wf_error *err, wf_status status, const char *file,
                       long line, long column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(err, status, file, line, column, NULL, fmt, ap);
    va_end(ap);
    return status;
}

wf_status wf_error_key(wf_error *err, const char *file, const char *key,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(err, WF_EINPUT, file, 0, 0, key, fmt, ap);
    va_end(ap);
    return WF_EINPUT;
}

wf_status wf_error_nomem(wf_error *err, const char *what)
{
    return wf_error_set(err, WF_ENOMEM, NULL, 0, 0, "out of memory (%s)", what);
}

wf_status wf_error_errno(wf_error *err, const char *op, const char *path)
{
    int e = errno;
    return wf_error_set(err, WF_EIO, path, 0, 0, "cannot %s: %s", op, strerror(e));
}

/* "file:line:column: key: message"; unknown parts are left out, and so is
 * the separator after them. */
void wf_error_format(const wf_error *err, char *buf, size_t size)
{
    size_t n = 0;
    if (size == 0)
        return;
    buf[0] = '\0';
#define PUT(...)                                                        \
    do {                                                                \
        if (n < size)                                                   \
            n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__);      \
    } while (0)
    if (err->file[0])
        PUT("%s:", err->file);
    if (err->file[0] && err->line > 0)
        PUT("%ld:", err->line);
    if (err->file[0] && err->line > 0 && err->column > 0)
        PUT("%ld:", err->column);
    if (err->key[0])
        PUT("%s%s:", n ? " " : "", err->key);
    PUT("%s%s", n ? " " : "", err->message);
#undef PUT
}
