/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers for natter's libFuzzer targets: an invariant check that
 * aborts (so libFuzzer records the input as a crash) and a copy of the
 * fuzzer's bytes as a NUL-terminated string.
 */
#ifndef NATTER_TESTS_FUZZ_H
#define NATTER_TESTS_FUZZ_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Abort with a message naming the broken invariant when cond is false. */
#define FUZZ_CHECK(cond, ...)                                                 \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__,        \
                    __LINE__, #cond);                                         \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* The first size bytes of data as a string (cut at an embedded NUL). */
static inline char *
fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = g_malloc(size + 1);

    if (size > 0)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
