/* SPDX-License-Identifier: MIT */
/* Shared includes and small assertion helpers for the cmocka unit tests. */
#ifndef NATTER_TESTS_UNIT_H
#define NATTER_TESTS_UNIT_H

/* cmocka needs these before its own header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glib.h>
#include <locale.h>
#include <stdbool.h>
#include <string.h>

/* Fail unless string hay (may be NULL) contains needle. */
#define assert_contains(hay, needle)                                          \
    do {                                                                      \
        const char *hay_ = (hay), *needle_ = (needle);                        \
        if (hay_ == NULL || strstr(hay_, needle_) == NULL) {                  \
            print_error("\"%s\" does not contain \"%s\"\n",                   \
                        hay_ != NULL ? hay_ : "(null)", needle_);             \
            fail();                                                           \
        }                                                                     \
    } while (0)

/* Fail if string hay (may be NULL) contains needle. */
#define assert_not_contains(hay, needle)                                      \
    do {                                                                      \
        const char *hay_ = (hay), *needle_ = (needle);                        \
        if (hay_ != NULL && strstr(hay_, needle_) != NULL) {                  \
            print_error("\"%s\" contains \"%s\"\n", hay_, needle_);           \
            fail();                                                           \
        }                                                                     \
    } while (0)

/* Fail unless s is valid UTF-8. */
#define assert_utf8(s)                                                        \
    do {                                                                      \
        const char *s_ = (s);                                                 \
        if (s_ == NULL || !g_utf8_validate(s_, -1, NULL)) {                   \
            print_error("not valid UTF-8: \"%s\"\n",                          \
                        s_ != NULL ? s_ : "(null)");                          \
            fail();                                                           \
        }                                                                     \
    } while (0)

/* Whether word occurs in s as a whole word (not followed by [A-Za-z0-9.]). */
static inline bool
unit_has_word(const char *s, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = strstr(s, word); p != NULL; p = strstr(p + 1, word)) {
        char after = p[n];
        if (!g_ascii_isalnum(after) && after != '.' && after != '-' &&
            after != '_')
            return true;
    }
    return false;
}

#endif
