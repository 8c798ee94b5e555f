/*
 * runner.c - runs every registered C test (wf_test.h).
 *
 * Usage: wfsim_tests [SUBSTRING]   runs the tests whose name or file
 * contains SUBSTRING. Exit status 0 when all ran tests passed, 1 otherwise,
 * and 1 when the filter matched nothing (a filter that runs no test is a
 * mistake, not a pass).
 */
#include "wf_test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TESTS 4096

typedef struct {
    const char *name, *file;
    wf_test_fn fn;
} test_entry;

static test_entry tests[MAX_TESTS];
static int n_tests;
static int current_failed;
static const char *current_name;

void wf_test_register(const char *name, const char *file, wf_test_fn fn)
{
    if (n_tests == MAX_TESTS) {
        fprintf(stderr, "too many tests\n");
        abort();
    }
    tests[n_tests++] = (test_entry){name, file, fn};
}

void wf_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "FAIL %s (%s:%d): ", current_name, file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    current_failed = 1;
}

void wf_test_note(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "  note %s: ", current_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

const char *wf_test_vector(const char *relative)
{
    static char path[4096];
    const char *dir = getenv("WF_VECTORS_DIR");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/vectors", relative);
    return path;
}

const char *wf_test_tmpdir(void)
{
    static char path[4096];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/wfsim_test_XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(path)) {
        perror("mkdtemp");
        abort();
    }
    return path;
}

uint64_t wf_test_seed(uint64_t fallback)
{
    const char *s = getenv("WF_TEST_SEED");
    return s ? strtoull(s, NULL, 10) : fallback;
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;
    for (int i = 0; i < n_tests; i++) {
        if (filter && !strstr(tests[i].name, filter) && !strstr(tests[i].file, filter))
            continue;
        current_name = tests[i].name;
        current_failed = 0;
        tests[i].fn();
        if (current_failed)
            failed++;
        else
            passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed || passed == 0 ? 1 : 0;
}

char *wf_test_slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!fp)
        return NULL;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            cap = (n + 65536 + 1) * 2;
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, 65536, fp);
        n += got;
        if (got == 0)
            break;
    }
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}
