/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for terminal-safe text (core/sanitize.c) and wrapping
 * (ui/render.c). Input: byte 0 picks the wrap width, byte 1 the hanging
 * indent, the rest is remote text. sanitize_text() must turn it into valid
 * UTF-8 with nothing a terminal acts on; text_fit() must never split a
 * character or exceed its columns; render_wrap() rows must stay inside the
 * text, on character boundaries, and within the width.
 */
#include "fuzz.h"

#include <locale.h>

#include "core/sanitize.h"
#include "ui/render.h"

/* Check that out (sanitised with flags) is safe to print. */
static void
check_safe(const char *out, int flags)
{
    gboolean newlines = (flags & SANITIZE_KEEP_NEWLINES) != 0;

    FUZZ_CHECK(out != NULL, "no output");
    FUZZ_CHECK(g_utf8_validate(out, -1, NULL), "output is not UTF-8");
    for (const unsigned char *p = (const unsigned char *)out; *p != '\0';
         p++) {
        FUZZ_CHECK(*p >= 0x20 || (newlines && *p == '\n'),
                   "control byte 0x%02x at %td", *p, (const char *)p - out);
        FUZZ_CHECK(*p != 0x7f, "DEL at %td", (const char *)p - out);
    }
    for (const char *p = out; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        FUZZ_CHECK(c < 0x80 || c > 0x9f, "C1 control U+%04X at %td",
                   (unsigned)c, p - out);
        FUZZ_CHECK(!(c >= 0x202a && c <= 0x202e) &&
                       !(c >= 0x2066 && c <= 0x2069),
                   "bidi control U+%04X at %td", (unsigned)c, p - out);
    }
}

/* Columns of the first len bytes of s. */
static int
width_of(const char *s, size_t len)
{
    char *copy = g_strndup(s, len);
    int w = text_width(copy);

    g_free(copy);
    return w;
}

/* Whether the len bytes at s are exactly one code point. */
static gboolean
one_char(const char *s, size_t len)
{
    return len > 0 && (size_t)(g_utf8_next_char(s) - s) == len;
}

/* text_fit() on s for max columns. */
static void
check_fit(const char *s, int max)
{
    size_t len = strlen(s);
    int cols = -1;
    size_t fit = text_fit(s, len, max, &cols);

    FUZZ_CHECK(fit <= len, "fit %zu of %zu bytes", fit, len);
    FUZZ_CHECK(g_utf8_validate(s, (gssize)fit, NULL),
               "fit %zu splits a character", fit);
    FUZZ_CHECK(cols >= 0 && cols <= (max > 0 ? max : 0),
               "fit takes %d columns of %d", cols, max);
    FUZZ_CHECK(cols == width_of(s, fit), "fit says %d columns, has %d", cols,
               width_of(s, fit));
    FUZZ_CHECK(text_fit(s, len, max, NULL) == fit, "cols changes the fit");
}

/* render_wrap() on sanitised text for width and indent. */
static void
check_wrap(const char *text, int width, int indent)
{
    GArray *rows = g_array_new(FALSE, FALSE, sizeof(struct row));
    size_t total = strlen(text), end = 0;
    int n = render_wrap(text, width, indent, rows);
    int cols = width > 0 ? width : 1;

    FUZZ_CHECK(n >= 1, "%d rows", n);
    FUZZ_CHECK((guint)n == rows->len, "returned %d rows, added %u", n,
               rows->len);
    for (guint i = 0; i < rows->len; i++) {
        const struct row *r = &g_array_index(rows, struct row, i);
        const char *s = text + r->start;

        FUZZ_CHECK(r->start <= total && r->len <= total - r->start,
                   "row %u [%zu,+%zu) outside %zu bytes", i, r->start, r->len,
                   total);
        FUZZ_CHECK(r->start >= end, "row %u starts at %zu before %zu", i,
                   r->start, end);
        end = r->start + r->len;
        FUZZ_CHECK(g_utf8_validate(s, (gssize)r->len, NULL) &&
                       (r->start == 0 || (text[r->start] & 0xc0) != 0x80),
                   "row %u splits a character", i);
        FUZZ_CHECK(memchr(s, '\n', r->len) == NULL, "row %u holds a newline",
                   i);
        FUZZ_CHECK(r->indent >= 0 && r->indent <= (indent > 0 ? indent : 0),
                   "row %u indent %d of %d", i, r->indent, indent);
        FUZZ_CHECK(i > 0 || r->indent == 0, "first row indented");
        /* Only a single character wider than the row may overflow it. */
        FUZZ_CHECK(r->indent + width_of(s, r->len) <= cols ||
                       (r->indent == 0 && one_char(s, r->len)),
                   "row %u: indent %d + %d columns > width %d", i, r->indent,
                   width_of(s, r->len), width);
    }
    g_array_free(rows, TRUE);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int width = 0, indent = 0;
    const char *in;
    size_t len;
    char *plain, *body, *again;

    if (size >= 2) {
        width = (int)(data[0] % 100) - 4; /* -4 .. 95 */
        indent = (int)(data[1] % 64);
        data += 2;
        size -= 2;
    }
    in = (const char *)data;
    len = size;

    plain = sanitize_text(in, len, 0);
    check_safe(plain, 0);
    FUZZ_CHECK(strchr(plain, '\n') == NULL, "newline kept");
    body = sanitize_text(in, len, SANITIZE_KEEP_NEWLINES);
    check_safe(body, SANITIZE_KEEP_NEWLINES);

    /* Sanitised text is left as it is. */
    again = sanitize_text(body, strlen(body), SANITIZE_KEEP_NEWLINES);
    FUZZ_CHECK(strcmp(again, body) == 0, "sanitising twice changes it");
    g_free(again);

    FUZZ_CHECK(text_width(plain) >= 0, "negative width");
    check_fit(plain, width);
    check_fit(plain, indent);
    check_fit(plain, text_width(plain));
    FUZZ_CHECK(text_fit(plain, strlen(plain), text_width(plain), NULL) ==
                   strlen(plain),
               "text does not fit its own width");

    check_wrap(body, width, indent);
    check_wrap(plain, width, indent);

    g_free(plain);
    g_free(body);
    return 0;
}
