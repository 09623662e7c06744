/* SPDX-License-Identifier: MIT */
#include "ui/render.h"

#include <stdbool.h>
#include <string.h>

#include "core/sanitize.h"

/* Bytes of the character at s. */
static size_t
char_len(const char *s)
{
    return (size_t)(g_utf8_next_char(s) - s);
}

/* Wrap one paragraph (no '\n') starting at byte base of the text. */
static int
wrap_paragraph(const char *text, size_t base, size_t len, int width,
               int indent, bool first, GArray *rows)
{
    const char *p = text + base;
    size_t pos = 0;
    int added = 0;

    if (width < 1)
        width = 1;
    do {
        int ind = (first && added == 0) ? 0 : indent;
        size_t fit, cut;
        struct row r;

        if (added > 0) {
            /* The space a row broke at is not carried to the next one. */
            while (pos < len && p[pos] == ' ')
                pos++;
            if (pos == len)
                break;
        }
        if (ind >= width)
            ind = 0;
        fit = text_fit(p + pos, len - pos, width - ind, NULL);
        if (fit == 0 && ind > 0) {
            /* A wide character does not fit beside the indent: drop it. */
            ind = 0;
            fit = text_fit(p + pos, len - pos, width, NULL);
        }
        if (fit == 0) /* wider than the whole row: show it anyway */
            fit = char_len(p + pos);
        cut = fit;
        if (pos + fit < len && p[pos + fit] != ' ') {
            /* Break after the last space in the row, if there is one. */
            for (size_t i = fit; i > 0; i--) {
                if (p[pos + i - 1] == ' ') {
                    cut = i;
                    break;
                }
            }
        }
        r.start = base + pos;
        r.len = cut;
        r.indent = ind;
        g_array_append_val(rows, r);
        added++;
        pos += cut;
    } while (pos < len);
    return added;
}

/* Wrap sanitised text into rows of at most width columns. */
int
render_wrap(const char *text, int width, int indent, GArray *rows)
{
    size_t total = strlen(text), start = 0;
    int added = 0;

    for (;;) {
        const char *nl = memchr(text + start, '\n', total - start);
        size_t len =
            nl != NULL ? (size_t)(nl - (text + start)) : total - start;

        if (len == 0) {
            struct row r = {start, 0,
                            added == 0 || indent >= width ? 0 : indent};
            g_array_append_val(rows, r);
            added++;
        } else {
            added += wrap_paragraph(text, start, len, width, indent,
                                    added == 0, rows);
        }
        if (nl == NULL)
            break;
        start += len + 1;
    }
    return added;
}
