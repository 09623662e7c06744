/* SPDX-License-Identifier: MIT */
#ifndef NATTER_UI_FORMAT_H
#define NATTER_UI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct line;

/*
 * The text of a line as a user reads it, without the time: "<sender> text"
 * or "-!- text", sanitised, newlines kept. Note: result must be freed with
 * g_free().
 */
char *format_line_text(const struct line *l);

/*
 * Where the message body sits in format_line_text(l): *start and *len get
 * its byte range there. Returns false (and sets nothing) for lines that
 * have no body (info and error lines).
 */
bool format_line_body(const struct line *l, size_t *start, size_t *len);

/* Local time t formatted with strftime format fmt; caller frees. */
char *format_time(int64_t t, const char *fmt);

#endif
