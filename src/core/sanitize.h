/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_SANITIZE_H
#define NATTER_CORE_SANITIZE_H

#include <stddef.h>

/* Keep '\n' (message bodies); otherwise it is shown as a symbol too. */
#define SANITIZE_KEEP_NEWLINES 0x1

/*
 * Make remote text safe for a terminal: invalid UTF-8 becomes U+FFFD, C0
 * controls, ESC and DEL become their Unicode control pictures, C1 controls,
 * bidi overrides and characters the locale cannot print become U+FFFD, tab
 * becomes spaces. Note: result must be freed with g_free().
 */
char *sanitize_text(const char *in, size_t len, int flags);

/* Columns taken by sanitised UTF-8 text (wcwidth per character). */
int text_width(const char *s);

/*
 * Bytes of s that fit in max columns without splitting a character;
 * *cols (if not NULL) receives the columns they take.
 */
size_t text_fit(const char *s, size_t len, int max, int *cols);

/* Columns taken by one Unicode character (0 for combining marks). */
int char_width(unsigned int c);

#endif
