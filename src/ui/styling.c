/* SPDX-License-Identifier: MIT */
/* XEP-0393 message styling: blocks and spans of a body as styled byte runs. */
#include "ui/styling.h"

#include <stdbool.h>
#include <string.h>

/* One line of a block: a byte range of the text, '\n' excluded. */
struct lrange {
    size_t start;
    size_t end;
};

static void parse_blocks(const char *t, const struct lrange *lines, size_t n,
                         unsigned char *bits);

/* Add style bits b to bytes [start, end) of the per-byte bits array. */
static void
mark(unsigned char *bits, size_t start, size_t end, unsigned int b)
{
    for (size_t i = start; i < end; i++)
        bits[i] |= (unsigned char)b;
}

/* Whether u is whitespace in the XEP's sense (White_Space or category Z). */
static bool
is_white(gunichar u)
{
    return g_unichar_isspace(u) ||
           g_unichar_type(u) == G_UNICODE_SPACE_SEPARATOR;
}

/* Whether the character starting at byte pos (before end) is whitespace. */
static bool
space_at(const char *t, size_t pos, size_t end)
{
    gunichar u = g_utf8_get_char_validated(t + pos, (gssize)(end - pos));

    if (u == (gunichar)-1 || u == (gunichar)-2)
        return false;
    return is_white(u);
}

/* Whether the character ending just before byte pos (after begin) is
 * whitespace. */
static bool
space_before(const char *t, size_t begin, size_t pos)
{
    const char *prev = g_utf8_find_prev_char(t + begin, t + pos);

    if (prev == NULL)
        return false;
    return space_at(t, (size_t)(prev - t), pos);
}

/* Style bit of span directive c, or 0 if c is none. */
static unsigned int
directive_style(char c)
{
    switch (c) {
    case '*':
        return STYLE_STRONG;
    case '_':
        return STYLE_EMPH;
    case '`':
        return STYLE_PRE;
    case '~':
        return STYLE_STRIKE;
    default:
        return 0;
    }
}

/* Byte offset of the first valid closing directive c after the opening one
 * at open (before end), or end if there is none. */
static size_t
find_close(const char *t, size_t open, size_t end, char c)
{
    for (size_t k = open + 2; k < end; k++)
        if (t[k] == c && !space_before(t, open + 1, k))
            return k;
    return end;
}

/* Mark the spans in t[begin, end), a plain block or a span's content. */
static void
parse_spans(const char *t, size_t begin, size_t end, unsigned char *bits)
{
    size_t i = begin;

    while (i < end) {
        char c = t[i];
        unsigned int style = directive_style(c);

        /* An opening directive: at the start or after whitespace, followed
         * by text that is neither whitespace nor the same directive. */
        if (style != 0 && (i == begin || space_before(t, begin, i)) &&
            i + 1 < end && t[i + 1] != c && !space_at(t, i + 1, end)) {
            size_t j = find_close(t, i, end, c);
            if (j < end) {
                mark(bits, i, j + 1, style);
                if (style != STYLE_PRE) /* no styling inside `pre` */
                    parse_spans(t, i + 1, j, bits);
                i = j + 1;
                continue;
            }
        }
        i++;
    }
}

/* Whether line l starts with s. */
static bool
line_starts(const char *t, const struct lrange *l, const char *s)
{
    size_t n = strlen(s);

    return l->end - l->start >= n && memcmp(t + l->start, s, n) == 0;
}

/* Mark a quotation: lines[0..*used) start with '>'; parses its children. */
static void
parse_quote(const char *t, const struct lrange *lines, size_t n,
            unsigned char *bits, size_t *used)
{
    struct lrange *child = g_new(struct lrange, n);
    size_t j = 0;

    while (j < n && line_starts(t, &lines[j], ">")) {
        mark(bits, lines[j].start, lines[j].end, STYLE_QUOTE);
        child[j].start = lines[j].start + 1;
        child[j].end = lines[j].end;
        /* Trim the first leading whitespace character. */
        if (child[j].start < child[j].end &&
            space_at(t, child[j].start, child[j].end))
            child[j].start =
                (size_t)(g_utf8_next_char(t + child[j].start) - t);
        j++;
    }
    parse_blocks(t, child, j, bits);
    g_free(child);
    *used = j;
}

/* Mark the blocks (plain lines, quotations, preformatted) of lines[0..n). */
static void
parse_blocks(const char *t, const struct lrange *lines, size_t n,
             unsigned char *bits)
{
    size_t i = 0;

    while (i < n) {
        const struct lrange *l = &lines[i];

        if (line_starts(t, l, ">")) {
            size_t used;
            parse_quote(t, lines + i, n - i, bits, &used);
            i += used;
        } else if (line_starts(t, l, "```")) {
            size_t j = i + 1;
            /* Ends at a line of only ``` or the end of the parent block. */
            while (j < n && !(lines[j].end - lines[j].start == 3 &&
                              line_starts(t, &lines[j], "```")))
                j++;
            if (j == n)
                j--;
            for (size_t k = i; k <= j; k++)
                mark(bits, lines[k].start, lines[k].end, STYLE_PREBLOCK);
            i = j + 1;
        } else {
            parse_spans(t, l->start, l->end, bits);
            i++;
        }
    }
}

/* Parse a styled body into runs of style bits; appends to spans. */
int
styling_parse(const char *text, size_t len, GArray *spans)
{
    GArray *lines = g_array_new(FALSE, FALSE, sizeof(struct lrange));
    unsigned char *bits = g_malloc0(len + 1);
    size_t start = 0, i = 0;
    int added = 0;

    for (size_t p = 0; p <= len; p++) {
        if (p == len || text[p] == '\n') {
            struct lrange l = {start, p};
            g_array_append_val(lines, l);
            start = p + 1;
        }
    }
    parse_blocks(text, (const struct lrange *)(void *)lines->data, lines->len,
                 bits);
    while (i < len) {
        size_t j = i + 1;
        if (bits[i] == 0) {
            i++;
            continue;
        }
        while (j < len && bits[j] == bits[i])
            j++;
        struct style_span s = {i, j - i, bits[i]};
        g_array_append_val(spans, s);
        added++;
        i = j;
    }
    g_free(bits);
    g_array_free(lines, TRUE);
    return added;
}
