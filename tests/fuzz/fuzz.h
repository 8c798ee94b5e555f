/*
 * fuzz.h - what every fuzz target of tests/fuzz/ provides.
 *
 * Each target defines LLVMFuzzerTestOneInput, the libFuzzer entry point, so
 * one source builds two ways: with clang -fsanitize=fuzzer it is a libFuzzer
 * binary (`make fuzz`); with gcc and tests/fuzz/replay_main.c it is a replay
 * program that runs the committed corpus (`make check-fuzz-replay`, part of
 * `make check`, and under the sanitizers in `make test-sanitize`).
 *
 * A target calls abort() (through FUZZ_CHECK) when an invariant fails, which
 * both libFuzzer and the replay program report as a crash.
 */
#ifndef WF_FUZZ_H
#define WF_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                        \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__,    \
                    __LINE__, #cond);                                           \
            abort();                                                            \
        }                                                                       \
    } while (0)

/* An anonymous in-memory file holding data[0..size), for loaders that take a
 * path: *path receives "/proc/self/fd/N". Returns the descriptor (close it
 * when done) or -1. */
int fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t path_size);

#endif
