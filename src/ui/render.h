/* SPDX-License-Identifier: MIT */
#ifndef NATTER_UI_RENDER_H
#define NATTER_UI_RENDER_H

#include <glib.h>
#include <stddef.h>

/* One screen row of a wrapped line: a byte range and its indent. */
struct row {
    size_t start; /* byte offset into the text */
    size_t len;   /* bytes */
    int indent;   /* columns of blank space before the text */
};

/*
 * Wrap sanitised text (which may hold '\n') into rows of at most width
 * columns, breaking after spaces where possible; rows after the first are
 * indented by indent columns (a hanging indent under the message text).
 * Appends struct row items to rows and returns how many it added (at
 * least one). Widths are measured with wcwidth.
 */
int render_wrap(const char *text, int width, int indent, GArray *rows);

#endif
