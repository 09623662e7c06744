/* SPDX-License-Identifier: MIT */
/* Unit tests for XEP-0393 message styling, ui/styling.c. */
#include "unit.h"

#include "core/window.h"
#include "ui/format.h"
#include "ui/styling.h"

/*
 * Signature of a parse: one character per byte of the text, '.' for an
 * unstyled byte, else the style bits as a digit of CODES: 1 strong,
 * 2 emphasis, 3 both, 4 pre, 5 strong+pre, 8 strike, g (16) pre block,
 * w (32) quote, x (33) quote+strong, y (34) quote+emphasis, M (48)
 * quote+pre block.
 */
static const char CODES[] =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/";

/* Parse text and return its signature, checking the runs are sorted,
 * disjoint and maximal. Note: result must be freed with g_free(). */
static char *
signature(const char *text)
{
    size_t len = strlen(text);
    GArray *spans = g_array_new(FALSE, FALSE, sizeof(struct style_span));
    int n = styling_parse(text, len, spans);
    char *sig = g_malloc(len + 1);
    size_t prev_end = 0;

    assert_int_equal(n, spans->len);
    memset(sig, '.', len);
    sig[len] = '\0';
    for (guint i = 0; i < spans->len; i++) {
        struct style_span *s = &g_array_index(spans, struct style_span, i);
        assert_true(s->len > 0);
        assert_true(s->style != 0 && s->style < 64);
        assert_true(s->start + s->len <= len);
        assert_true(i == 0 || s->start >= prev_end);
        if (i > 0 && s->start == prev_end) /* touching runs must differ */
            assert_int_not_equal(
                s->style,
                g_array_index(spans, struct style_span, i - 1).style);
        for (size_t k = 0; k < s->len; k++)
            sig[s->start + k] = CODES[s->style];
        prev_end = s->start + s->len;
    }
    g_array_free(spans, TRUE);
    return sig;
}

/* Assert that text parses to signature want (same length as text). */
static void
assert_sig(const char *text, const char *want)
{
    char *got = signature(text);

    assert_int_equal(strlen(want), strlen(text));
    if (strcmp(got, want) != 0) {
        print_error("styling \"%s\":\n  got  \"%s\"\n  want \"%s\"\n", text,
                    got, want);
        g_free(got);
        fail();
    }
    g_free(got);
}

/* Assert that nothing in text is styled. */
static void
assert_plain(const char *text)
{
    char *want = g_strnfill(strlen(text), '.');

    assert_sig(text, want);
    g_free(want);
}

/* Each span directive on its own, markers included in the span. */
static void
test_each_directive(void **state)
{
    (void)state;
    assert_sig("*strong*", "11111111");
    assert_sig("_emph_", "222222");
    assert_sig("`pre`", "44444");
    assert_sig("~gone~", "888888");
    assert_sig("a *b* c", "..111..");
    assert_sig("*bold* _it_ `code` plain", "111111.2222.444444......");
}

/* The XEP's examples of text that is styled. */
static void
test_xep_styled_examples(void **state)
{
    (void)state;
    assert_plain("plain span");
    assert_sig("*strong span*", "1111111111111");
    assert_sig("plain _emphasis_ plain", "......2222222222......");
    assert_sig("`pre` plain *strong*", "44444.......11111111");
    assert_sig("*strong*plain*", "11111111......");
    assert_sig("* plain *strong*", "........11111111");
    assert_sig("Everyone ~dis~likes cake.", ".........88888...........");
}

/* The XEP's examples of text where nothing is styled. */
static void
test_xep_unstyled_examples(void **state)
{
    (void)state;
    assert_plain("not strong*");
    assert_plain("*not strong");
    assert_plain("*not \n strong*");
    assert_plain("*not *strong");
    assert_plain("**");
    assert_plain("***");
    assert_plain("****");
    assert_plain("*");
    assert_plain("_");
    assert_plain("");
    assert_plain("* *");
    assert_plain("*not strong *");
    assert_plain("**bold**");
}

/* Directives inside words are no directives. */
static void
test_word_boundaries(void **state)
{
    (void)state;
    assert_plain("a*b*c");
    assert_plain("snake_case_name");
    assert_plain("x`y`");
    assert_plain("2*3*4 = 24");
    assert_sig("a*b* *c*", ".....111");
    /* Unicode whitespace counts: U+00A0 NO-BREAK SPACE before '*'. */
    assert_sig("a\xc2\xa0*b*", "...111");
    /* ...and U+3000 IDEOGRAPHIC SPACE after the opening one. */
    assert_plain("*\xe3\x80\x80x*");
    /* Other non-ASCII text is no whitespace. */
    assert_plain("\xc3\xa9*b*");
}

/* Spans nest, except inside preformatted spans; lazy matching. */
static void
test_nesting(void **state)
{
    (void)state;
    assert_sig("*_both_*", "13333331");
    assert_sig("_*both*_", "23333332");
    assert_sig("*`monospace and bold`*", "1555555555555555555551");
    assert_sig("`*monospace*`", "4444444444444");
    assert_sig("`_a_ ~b~`", "444444444");
    assert_sig("*a _b_ c*", "111333111");
    assert_sig("*a* b*", "111...");
    assert_sig("~*x*~ y", "89998..");
}

/* Spans do not cross lines; unterminated spans style nothing. */
static void
test_lines(void **state)
{
    (void)state;
    assert_plain("*a\nb*");
    assert_sig("*a*\n_b_", "111.222");
    assert_plain("There are three blocks in this body, one per line,\n"
                 "but there is no *formatting\nas spans* may not escape.");
    assert_sig("*open\n*ok*", "......1111");
    assert_sig("x\n\n*y*", "...111");
}

/* Preformatted blocks: ``` lines and everything up to a closing ```. */
static void
test_preformatted_blocks(void **state)
{
    (void)state;
    assert_sig("```\n*x*\n```\n*y*", "ggg.ggg.ggg.111");
    assert_sig("```ignored\n_a_\n```", "gggggggggg.ggg.ggg");
    /* No closing line: the block runs to the end. */
    assert_sig("```\n*x*", "ggg.ggg");
    /* A line with more than ``` does not close the block. */
    assert_sig("```\n``` x\n*y*", "ggg.ggggg.ggg");
    /* ``` not at the start of a line opens nothing. */
    assert_sig("a ```\n*b*", "......111");
    assert_sig("``", "..");
}

/* Quotations, nested quotations and blocks inside them. */
static void
test_quotes(void **state)
{
    (void)state;
    assert_sig("> That that is, is.\n\nSaid the old hermit.",
               "wwwwwwwwwwwwwwwwwww......................");
    assert_sig(">> a\n> b\nWho?", "wwww.www.....");
    assert_sig("> *a*\nb *c*", "wwxxx...111");
    /* Only the first whitespace character is trimmed; a second one is
     * whitespace before a directive. */
    assert_sig(">  *a*", "wwwxxx");
    assert_sig(">*a*", "wxxx");
    assert_sig(">_a_", "wyyy");
    /* A preformatted block inside a quote ends with the quote. */
    assert_sig("> ```\n> *x*\n\n*y*", "wwMMM.wwMMM..111");
    assert_sig("> ```\n> `\n> ```\n> *z*", "wwMMM.wwM.wwMMM.wwxxx");
    /* '>' not at the start of a line is no quote. */
    assert_plain("a > b");
}

/* The XEP's disabling example is styled when nothing disables it. */
static void
test_emoji_face(void **state)
{
    (void)state;
    assert_sig("> _ <", "wwwww");
}

/* Appending to a non-empty array keeps earlier items. */
static void
test_appends(void **state)
{
    GArray *spans = g_array_new(FALSE, FALSE, sizeof(struct style_span));
    struct style_span s = {0, 1, STYLE_STRONG};

    (void)state;
    g_array_append_val(spans, s);
    assert_int_equal(styling_parse("x *y*", 5, spans), 1);
    assert_int_equal(spans->len, 2);
    assert_int_equal(g_array_index(spans, struct style_span, 1).start, 2);
    assert_int_equal(g_array_index(spans, struct style_span, 1).len, 3);
    /* Only len bytes are read: "*y*" cut to "*y" styles nothing. */
    assert_int_equal(styling_parse("*y*", 2, spans), 0);
    g_array_free(spans, TRUE);
}

/* Check format_line_body finds body in the formatted text of a line. */
static void
assert_body(enum line_kind kind, const char *sender, const char *text,
            bool edited, const char *body)
{
    struct line l = {.kind = kind,
                     .sender = (char *)sender,
                     .text = (char *)text,
                     .edited = edited};
    char *full = format_line_text(&l);
    size_t start = 99, len = 99;

    if (body == NULL) {
        assert_false(format_line_body(&l, &start, &len));
        assert_int_equal(start, 99);
    } else {
        assert_true(format_line_body(&l, &start, &len));
        assert_true(start + len <= strlen(full));
        assert_int_equal(len, strlen(body));
        assert_memory_equal(full + start, body, len);
    }
    g_free(full);
}

/* The body's byte range in a formatted line, with sanitising and marks. */
static void
test_format_line_body(void **state)
{
    (void)state;
    assert_body(LINE_MESSAGE, "bob", "*hi*", false, "*hi*");
    assert_body(LINE_OWN, "me", "*hi*", true, "*hi*");
    /* ESC in sender and body becomes a 3-byte control picture. */
    assert_body(LINE_MESSAGE,
                "b\x1b"
                "b",
                "a\x1b[1m *b*", true, "a\xe2\x90\x9b[1m *b*");
    assert_body(LINE_MESSAGE, "bob", "/me waves *hard*", false,
                "waves *hard*");
    assert_body(LINE_MESSAGE, NULL, "x\ny", false, "x\ny");
    assert_body(LINE_INFO, NULL, "*info*", false, NULL);
    assert_body(LINE_ERROR, NULL, "*error*", false, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_directive),
        cmocka_unit_test(test_xep_styled_examples),
        cmocka_unit_test(test_xep_unstyled_examples),
        cmocka_unit_test(test_word_boundaries),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_preformatted_blocks),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_emoji_face),
        cmocka_unit_test(test_appends),
        cmocka_unit_test(test_format_line_body),
    };

    setlocale(LC_ALL, "C.UTF-8");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
