/*
 * wf_test.h - the one C test runner's assertions.
 *
 * A test is `TEST(name) { ... }` in any C file of tests/c; it registers itself
 * at start-up, so adding a file adds its tests. Assertions print both sides
 * and return from the test on failure. The runner (runner.c) takes an
 * optional substring filter and ends with the line "N passed, N failed".
 * Randomized tests print their seed with wf_test_note() and read
 * WF_TEST_SEED to replay it.
 */
#ifndef WF_TEST_H
#define WF_TEST_H

#include <stdint.h>
#include <string.h>

typedef void (*wf_test_fn)(void);

void wf_test_register(const char *name, const char *file, wf_test_fn fn);
void wf_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void wf_test_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Path of a test vector, tests/vectors/<relative> (the runner runs from the
 * repository root; $WF_VECTORS_DIR names another folder). Static buffer. */
const char *wf_test_vector(const char *relative);
/* A fresh empty directory for this test (under $TMPDIR); static buffer. */
const char *wf_test_tmpdir(void);
/* A whole file, NUL-terminated, malloc'ed (NULL if it cannot be read);
 * *len (may be NULL) gets its length. */
char *wf_test_slurp(const char *path, size_t *len);
/* Seed for randomized tests: $WF_TEST_SEED when set, else `fallback`. */
uint64_t wf_test_seed(uint64_t fallback);

#define TEST(name)                                                       \
    static void test_##name(void);                                       \
    __attribute__((constructor)) static void register_##name(void)       \
    {                                                                    \
        wf_test_register(#name, __FILE__, test_##name);                  \
    }                                                                    \
    static void test_##name(void)

#define ASSERT_TRUE(c)                                                   \
    do {                                                                 \
        if (!(c)) {                                                      \
            wf_test_fail(__FILE__, __LINE__, "expected %s", #c);         \
            return;                                                      \
        }                                                                \
    } while (0)

#define ASSERT_EQ(a, b)                                                  \
    do {                                                                 \
        long long a_ = (long long)(a), b_ = (long long)(b);              \
        if (a_ != b_) {                                                  \
            wf_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld",   \
                         #a, #b, a_, b_);                                \
            return;                                                      \
        }                                                                \
    } while (0)

#define ASSERT_UEQ(a, b)                                                 \
    do {                                                                 \
        unsigned long long a_ = (a), b_ = (b);                           \
        if (a_ != b_) {                                                  \
            wf_test_fail(__FILE__, __LINE__, "%s == %s: %llu != %llu",   \
                         #a, #b, a_, b_);                                \
            return;                                                      \
        }                                                                \
    } while (0)

/* Doubles compared exactly (bit for bit but for -0 == 0). */
#define ASSERT_DEQ(a, b)                                                 \
    do {                                                                 \
        double a_ = (a), b_ = (b);                                       \
        if (a_ != b_) {                                                  \
            wf_test_fail(__FILE__, __LINE__, "%s == %s: %.17g != %.17g", \
                         #a, #b, a_, b_);                                \
            return;                                                      \
        }                                                                \
    } while (0)

#define ASSERT_STREQ(a, b)                                               \
    do {                                                                 \
        const char *a_ = (a), *b_ = (b);                                 \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                         \
            wf_test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
                         #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
            return;                                                      \
        }                                                                \
    } while (0)

/* Substring check, for error messages. */
#define ASSERT_CONTAINS(hay, needle)                                     \
    do {                                                                 \
        const char *h_ = (hay), *n_ = (needle);                          \
        if (!h_ || !strstr(h_, n_)) {                                    \
            wf_test_fail(__FILE__, __LINE__, "%s contains \"%s\": \"%s\"", \
                         #hay, n_, h_ ? h_ : "(null)");                  \
            return;                                                      \
        }                                                                \
    } while (0)

#endif
