/* SPDX-License-Identifier: MIT */
/* Unit tests for terminal-safe text and column widths, core/sanitize.c. */
#include "unit.h"

#include "core/sanitize.h"

#define U_FFFD "\xef\xbf\xbd"    /* REPLACEMENT CHARACTER */
#define U_2400 "\xe2\x90\x80"    /* SYMBOL FOR NULL */
#define U_2407 "\xe2\x90\x87"    /* SYMBOL FOR BELL */
#define U_240A "\xe2\x90\x8a"    /* SYMBOL FOR LINE FEED */
#define U_240D "\xe2\x90\x8d"    /* SYMBOL FOR CARRIAGE RETURN */
#define U_241B "\xe2\x90\x9b"    /* SYMBOL FOR ESCAPE */
#define U_2421 "\xe2\x90\xa1"    /* SYMBOL FOR DELETE */
#define CJK_HAN "\xe6\xbc\xa2"   /* U+6F22, two columns */
#define CJK_JI "\xe5\xad\x97"    /* U+5B57, two columns */
#define EMOJI "\xf0\x9f\x98\x80" /* U+1F600, two columns */
#define ACUTE "\xcc\x81"         /* U+0301 COMBINING ACUTE ACCENT */

/* Sanitise the first len bytes of in and compare with want. */
static void
check_len(const char *in, size_t len, int flags, const char *want)
{
    char *out = sanitize_text(in, len, flags);
    bool same = out != NULL && strcmp(out, want) == 0;

    if (!same)
        print_error("sanitised \"%s\", want \"%s\"\n",
                    out != NULL ? out : "(null)", want);
    g_free(out); /* before failing, so a failure leaks nothing */
    assert_true(same);
}

/* Sanitise the string in and compare with want. */
static void
check(const char *in, int flags, const char *want)
{
    check_len(in, strlen(in), flags, want);
}

/* Fail if out holds a byte a terminal could act on. */
static void
assert_terminal_safe(const char *out, size_t len, bool newlines)
{
    const unsigned char *p = (const unsigned char *)out;

    assert_true(g_utf8_validate(out, (gssize)len, NULL));
    for (size_t i = 0; i < len; i++) {
        if (p[i] < 0x20 && !(newlines && p[i] == '\n')) {
            print_error("control byte 0x%02x at %zu\n", p[i], i);
            fail();
        }
        assert_int_not_equal(p[i], 0x7f);
        /* C1 controls are U+0080..U+009F, encoded C2 80..C2 9F. */
        if (p[i] == 0xc2 && i + 1 < len && p[i + 1] < 0xa0) {
            print_error("C1 control at %zu\n", i);
            fail();
        }
    }
}

/* Plain text, including non-ASCII letters, passes through unchanged. */
static void
test_plain_text_unchanged(void **state)
{
    check("hello, world", 0, "hello, world");
    check("gr\xc3\xbc\xc3\x9f"
          " " CJK_HAN CJK_JI " " EMOJI,
          0,
          "gr\xc3\xbc\xc3\x9f"
          " " CJK_HAN CJK_JI " " EMOJI);
    check("e" ACUTE, 0, "e" ACUTE);
    check("", 0, "");
}

/* ESC, BEL and CR become their control pictures. */
static void
test_c0_control_pictures(void **state)
{
    check("a\x1b[31mred", 0, "a" U_241B "[31mred");
    check("ding\x07", 0, "ding" U_2407);
    check("over\rwrite", 0, "over" U_240D "write");
}

/* DEL becomes U+2421. */
static void
test_del_picture(void **state)
{
    check("x\x7fy", 0, "x" U_2421 "y");
}

/* A NUL inside a length-delimited buffer is shown, and the rest kept. */
static void
test_nul_inside_buffer(void **state)
{
    static const char in[] = {'a', '\0', 'b'};
    char *out = sanitize_text(in, sizeof in, 0);

    /* Never truncated at the NUL: the 'b' after it survives. */
    assert_int_equal(out[strlen(out) - 1], 'b');
    assert_terminal_safe(out, strlen(out), false);
    assert_int_equal(out[0], 'a');
    assert_int_not_equal(strlen(out), 2); /* the NUL is not just dropped */
    g_free(out);
}

/*
 * Regression (sanitize.c sanitize_text, fixed): NUL should become U+2400 like
 * every other C0 control (the header's contract, and the code has a branch for
 * it), but g_utf8_get_char_validated() returns (gunichar)-2 for a NUL byte
 * when max_len > 0, so the "invalid sequence" branch runs first and NUL
 * comes out as U+FFFD; the `c == 0` branch is dead code. Safe, but not
 * what is documented. Fix: test `*p == '\0'` before validating.
 */
static void
test_regression_nul_is_control_picture(void **state)
{
    static const char in[] = {'a', '\0', 'b'};

    check_len(in, sizeof in, 0, "a" U_2400 "b");
}

/* C1 controls (U+009B, the one-byte CSI) become U+FFFD. */
static void
test_c1_replaced(void **state)
{
    check("a\xc2\x9b"
          "31mb",
          0, "a" U_FFFD "31mb");
    check("\xc2\x80\xc2\x9f", 0, U_FFFD U_FFFD);
    /* U+00A0 is the first character after C1: kept. */
    check("\xc2\xa0", 0, "\xc2\xa0");
}

/* Bidi overrides, embeddings, isolates and marks become U+FFFD. */
static void
test_bidi_replaced(void **state)
{
    check("a\xe2\x80\xae"
          "cba",
          0, "a" U_FFFD "cba"); /* U+202E RLO */
    check("a\xe2\x81\xa6"
          "b",
          0, "a" U_FFFD "b");                            /* U+2066 LRI */
    check("\xe2\x80\xaa\xe2\x81\xa9", 0, U_FFFD U_FFFD); /* U+202A, U+2069 */
    check("\xe2\x80\x8f", 0, U_FFFD);                    /* U+200F RLM */
    check("\xe2\x80\xa8", 0, U_FFFD);                    /* U+2028 LS */
}

/* Invalid UTF-8 becomes U+FFFD, one per bad byte, valid text kept. */
static void
test_invalid_utf8_replaced(void **state)
{
    check("a\x80z", 0, "a" U_FFFD "z");             /* lone continuation */
    check("a\xe2\x82", 0, "a" U_FFFD U_FFFD);       /* truncated at end */
    check("\xe2\x82z", 0, U_FFFD U_FFFD "z");       /* truncated mid-text */
    check("\xc0\xaf", 0, U_FFFD U_FFFD);            /* overlong '/' */
    check("\xed\xa0\x80", 0, U_FFFD U_FFFD U_FFFD); /* UTF-16 surrogate */
    check("\xf4\x90\x80\x80", 0, U_FFFD U_FFFD U_FFFD U_FFFD); /* > U+10FFFF */
    check("\xff", 0, U_FFFD);
}

/* Only len bytes are read, so a sequence cut by len is invalid there. */
static void
test_len_bounds_input(void **state)
{
    check_len("abcdef", 3, 0, "abc");
    check_len(CJK_HAN "x", 2, 0, U_FFFD U_FFFD);
}

/* A tab becomes four spaces. */
static void
test_tab_becomes_spaces(void **state)
{
    check("a\tb", 0, "a    b");
    check("a\tb", SANITIZE_KEEP_NEWLINES, "a    b");
}

/* A newline is kept only with SANITIZE_KEEP_NEWLINES. */
static void
test_newline_flag(void **state)
{
    check("one\ntwo", SANITIZE_KEEP_NEWLINES, "one\ntwo");
    check("one\ntwo", 0, "one" U_240A "two");
    /* The flag keeps '\n' only, not other controls. */
    check("a\r\n", SANITIZE_KEEP_NEWLINES, "a" U_240D "\n");
}

/* No byte below 0x20 (but a kept '\n'), DEL or C1 survives, for any input. */
static void
test_output_always_safe(void **state)
{
    GRand *rnd = g_rand_new_with_seed(7622);
    char all[256];

    /* Every byte value on its own, and all of them in one buffer. */
    for (int b = 0; b < 256; b++) {
        char in = (char)b;
        for (int flags = 0; flags <= SANITIZE_KEEP_NEWLINES; flags++) {
            char *out = sanitize_text(&in, 1, flags);
            assert_terminal_safe(out, strlen(out), flags != 0);
            g_free(out);
        }
        all[b] = (char)b;
    }
    {
        char *out = sanitize_text(all, sizeof all, 0);
        assert_terminal_safe(out, strlen(out), false);
        g_free(out);
    }
    /* Random byte soup, biased towards UTF-8 lead and control bytes. */
    for (int round = 0; round < 2000; round++) {
        char buf[64];
        size_t n = (size_t)g_rand_int_range(rnd, 1, sizeof buf);
        int flags = g_rand_boolean(rnd) ? SANITIZE_KEEP_NEWLINES : 0;
        char *out;

        for (size_t i = 0; i < n; i++) {
            static const unsigned char pick[] = {0x00, 0x07, 0x0a, 0x1b,
                                                 0x7f, 0x80, 0x9b, 0xc2,
                                                 0xe2, 0xf0, 0x80, 0xae};
            buf[i] = g_rand_boolean(rnd)
                         ? (char)pick[g_rand_int_range(rnd, 0, sizeof pick)]
                         : (char)g_rand_int_range(rnd, 0, 256);
        }
        out = sanitize_text(buf, n, flags);
        assert_terminal_safe(out, strlen(out), flags != 0);
        g_free(out);
    }
    g_rand_free(rnd);
}

/* Sanitising sanitised text changes nothing. */
static void
test_idempotent(void **state)
{
    static const char in[] = "a\x1b[0m\x07\x7f\xc2\x9b\xe2\x80\xae\x80\tz\n";
    char *once = sanitize_text(in, sizeof in - 1, SANITIZE_KEEP_NEWLINES);
    char *twice = sanitize_text(once, strlen(once), SANITIZE_KEEP_NEWLINES);

    assert_string_equal(once, twice);
    g_free(once);
    g_free(twice);
}

/* text_width counts columns: ASCII 1, CJK and emoji 2, combining marks 0. */
static void
test_text_width(void **state)
{
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width("hello"), 5);
    assert_int_equal(text_width(CJK_HAN CJK_JI), 4);
    assert_int_equal(text_width(EMOJI), 2);
    assert_int_equal(text_width("e" ACUTE), 1);
    assert_int_equal(text_width("e" ACUTE ACUTE "x"), 2);
    assert_int_equal(text_width("a" CJK_HAN "b" EMOJI), 6);
}

/* char_width agrees with text_width for single characters. */
static void
test_char_width(void **state)
{
    assert_int_equal(char_width('a'), 1);
    assert_int_equal(char_width(0x6F22), 2);
    assert_int_equal(char_width(0x1F600), 2);
    assert_int_equal(char_width(0x0301), 0);
    /* Something wcwidth calls unprintable still takes one column. */
    assert_int_equal(char_width(0x07), 1);
}

/* text_fit stops before a character that would overflow. */
static void
test_text_fit_basic(void **state)
{
    int cols = -1;

    assert_int_equal(text_fit("hello", 5, 3, &cols), 3);
    assert_int_equal(cols, 3);
    assert_int_equal(text_fit("hello", 5, 10, &cols), 5);
    assert_int_equal(cols, 5);
    assert_int_equal(text_fit("hello", 5, 0, &cols), 0);
    assert_int_equal(cols, 0);
    /* len bounds it, and so does a NUL. */
    assert_int_equal(text_fit("hello", 2, 10, &cols), 2);
    assert_int_equal(text_fit("hi\0there", 8, 10, &cols), 2);
    /* cols may be NULL. */
    assert_int_equal(text_fit("hello", 5, 4, NULL), 4);
}

/* A wide character that does not fit whole is left out entirely. */
static void
test_text_fit_wide(void **state)
{
    const char *s = "ab" CJK_HAN "c";
    int cols = -1;

    assert_int_equal(text_fit(s, strlen(s), 3, &cols), 2);
    assert_int_equal(cols, 2);
    assert_int_equal(text_fit(s, strlen(s), 4, &cols), 5);
    assert_int_equal(cols, 4);
    assert_int_equal(text_fit(CJK_HAN, 3, 1, &cols), 0);
    assert_int_equal(cols, 0);
    assert_int_equal(text_fit(EMOJI "x", 5, 2, &cols), 4);
    assert_int_equal(cols, 2);
}

/* Combining marks stay with their base: never a row ending on a bare base. */
static void
test_text_fit_combining(void **state)
{
    const char *s = "e" ACUTE "e" ACUTE ACUTE "x";
    int cols = -1;

    assert_int_equal(text_fit(s, strlen(s), 1, &cols), 3);
    assert_int_equal(cols, 1);
    assert_int_equal(text_fit(s, strlen(s), 2, &cols), 8);
    assert_int_equal(cols, 2);
    assert_int_equal(text_fit(CJK_HAN ACUTE "z", 6, 2, &cols), 5);
    assert_int_equal(cols, 2);
}

/* For every limit, text_fit ends on a character and cluster boundary. */
static void
test_text_fit_never_splits(void **state)
{
    const char *s = "a" CJK_HAN "e" ACUTE EMOJI "b " CJK_JI ACUTE "cd" EMOJI;
    size_t len = strlen(s);

    for (int max = 0; max <= text_width(s) + 1; max++) {
        int cols = -1;
        size_t n = text_fit(s, len, max, &cols);
        char *head = g_strndup(s, n);

        assert_true(n <= len);
        assert_true(g_utf8_validate(s, (gssize)n, NULL));
        assert_true(cols <= max);
        assert_int_equal(cols, text_width(head));
        /* What follows is not a combining mark left behind. */
        if (n < len)
            assert_int_not_equal(char_width(g_utf8_get_char(s + n)), 0);
        else
            assert_int_equal(cols, text_width(s));
        g_free(head);
    }
}

/* Run the sanitiser tests in a UTF-8 locale. */
int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_unchanged),
        cmocka_unit_test(test_c0_control_pictures),
        cmocka_unit_test(test_del_picture),
        cmocka_unit_test(test_nul_inside_buffer),
        cmocka_unit_test(test_regression_nul_is_control_picture),
        cmocka_unit_test(test_c1_replaced),
        cmocka_unit_test(test_bidi_replaced),
        cmocka_unit_test(test_invalid_utf8_replaced),
        cmocka_unit_test(test_len_bounds_input),
        cmocka_unit_test(test_tab_becomes_spaces),
        cmocka_unit_test(test_newline_flag),
        cmocka_unit_test(test_output_always_safe),
        cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_text_width),
        cmocka_unit_test(test_char_width),
        cmocka_unit_test(test_text_fit_basic),
        cmocka_unit_test(test_text_fit_wide),
        cmocka_unit_test(test_text_fit_combining),
        cmocka_unit_test(test_text_fit_never_splits),
    };

    setlocale(LC_CTYPE, "C.UTF-8");
    return cmocka_run_group_tests_name("sanitize", tests, NULL, NULL);
}
