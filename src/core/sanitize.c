/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700
#include "core/sanitize.h"

#include <glib.h>
#include <wchar.h>

#define REPLACEMENT 0xFFFDu

/* Whether c is a bidi embedding, override or isolate control. */
static int
is_bidi_control(gunichar c)
{
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0x200E || c == 0x200F || c == 0x061C;
}

/* Columns taken by one Unicode character (0 for combining marks). */
int
char_width(unsigned int c)
{
    int w = wcwidth((wchar_t)c);

    return w < 0 ? 1 : w;
}

/* What to show for code point c, or 0 to show it as it is. */
static gunichar
substitute(gunichar c, int flags)
{
    if (c < 0x20) {
        if (c == '\n' && (flags & SANITIZE_KEEP_NEWLINES))
            return 0;
        return 0x2400 + c; /* control pictures: ␛ for ESC, ␇ for BEL */
    }
    if (c == 0x7F)
        return 0x2421;
    if (c >= 0x80 && c < 0xA0)
        return REPLACEMENT;
    if (is_bidi_control(c) || c == 0x2028 || c == 0x2029)
        return REPLACEMENT;
    if (wcwidth((wchar_t)c) < 0)
        return REPLACEMENT;
    return 0;
}

/*
 * Make remote text safe for a terminal. Note: result must be freed with
 * g_free().
 */
char *
sanitize_text(const char *in, size_t len, int flags)
{
    GString *out = g_string_sized_new(len + 1);
    const char *p = in, *end = in + len;

    while (p < end) {
        gunichar c, sub;
        const char *next;

        if (*p == '\0') { /* glib calls NUL invalid; it is a control */
            g_string_append_unichar(out, 0x2400);
            p++;
            continue;
        }
        c = g_utf8_get_char_validated(p, end - p);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            /* Invalid or truncated sequence: replace one byte at a time. */
            g_string_append_unichar(out, REPLACEMENT);
            p++;
            continue;
        }
        next = g_utf8_next_char(p);
        if (c == '\t') {
            g_string_append(out, "    ");
            p = next;
            continue;
        }
        sub = substitute(c, flags);
        if (sub != 0)
            g_string_append_unichar(out, sub);
        else
            g_string_append_len(out, p, next - p);
        p = next;
    }
    return g_string_free(out, FALSE);
}

/* Columns taken by sanitised UTF-8 text (wcwidth per character). */
int
text_width(const char *s)
{
    int w = 0;

    for (; *s != '\0'; s = g_utf8_next_char(s))
        w += char_width(g_utf8_get_char(s));
    return w;
}

/* Bytes of s that fit in max columns without splitting a character. */
size_t
text_fit(const char *s, size_t len, int max, int *cols)
{
    const char *p = s, *end = s + len;
    int w = 0;

    while (p < end && *p != '\0') {
        int cw = char_width(g_utf8_get_char(p));
        const char *next = g_utf8_next_char(p);

        if (w + cw > max)
            break;
        w += cw;
        p = next;
        /* Keep following combining marks with their base character. */
        while (p < end && *p != '\0' && char_width(g_utf8_get_char(p)) == 0)
            p = g_utf8_next_char(p);
    }
    if (cols != NULL)
        *cols = w;
    return (size_t)(p - s);
}
