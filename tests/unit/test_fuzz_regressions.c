/* SPDX-License-Identifier: MIT */
/*
 * Regression tests for bugs the libFuzzer targets (tests/fuzz) found. Each
 * test replays the minimised input, which is also kept in the target's
 * seed corpus (tests/fuzz/corpus/TARGET/regression-*), and checks the
 * invariant that the fuzzer saw broken.
 */
#include "unit.h"

#include "ui/render.h"
#include "xmpp/jid.h"

/* U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE lowercases to i + U+0307. */
#define CAP_I_DOT "\xc4\xb0"
#define GRAVE_BELOW "\xcc\x96"          /* U+0316, combining class 220 */
#define HANGUL_TONE_MARK "\xe3\x80\xaf" /* U+302F, combining class 224 */

/* Whether s is in Unicode normalisation form C. */
static bool
is_nfc(const char *s)
{
    char *n = g_utf8_normalize(s, -1, G_NORMALIZE_NFC);
    bool same = n != NULL && strcmp(n, s) == 0;

    g_free(n);
    return same;
}

/* Parse s, which must succeed; its bare form must parse to itself. */
static void
assert_prepared_stays(const char *s)
{
    struct jid j;
    char *cause = NULL, *bare, *again;

    if (!jid_parse(s, &j, &cause)) {
        print_error("jid_parse(\"%s\") failed: %s\n", s,
                    cause != NULL ? cause : "(no cause)");
        g_free(cause);
        fail();
    }
    bare = jid_bare_of(&j);
    again = jid_bare(bare, &cause);
    if (again == NULL || strcmp(again, bare) != 0 ||
        (j.local != NULL && !is_nfc(j.local)) || !is_nfc(j.domain)) {
        print_error("\"%s\" prepared to \"%s\", which prepares to \"%s\"\n", s,
                    bare, again != NULL ? again : "(refused)");
        g_free(cause);
        g_free(again);
        g_free(bare);
        jid_clear(&j);
        fail();
    }
    g_free(again);
    g_free(bare);
    jid_clear(&j);
}

/*
 * fuzz_jid: prep_part() in xmpp/jid.c NFC-normalises and then lowercases,
 * but lowercasing U+0130 yields "i" + U+0307, which then stands before a
 * following mark of a lower combining class: the result is not NFC, so a
 * prepared JID prepares again to a different string (and the same address
 * compares unequal to itself). Input: "\xc4\xb0\xcc\x96@example.com".
 */
static void
test_regression_jid_fold_after_nfc_not_idempotent(void **state)
{
    assert_prepared_stays(CAP_I_DOT GRAVE_BELOW "@example.com");
    assert_prepared_stays(CAP_I_DOT HANGUL_TONE_MARK);
    assert_prepared_stays("user@" CAP_I_DOT GRAVE_BELOW ".example");
}

/*
 * fuzz_sanitize: render_wrap() in ui/render.c gives the empty row of a
 * blank line (text "\n", or "a\n\nb") the full hanging indent even when it
 * is as wide as the row or wider, where wrap_paragraph() drops an indent
 * that does not fit (see test_indent_wider_than_width in test_render.c).
 * Input: width 20, indent 63, text "\n" (bytes 18 3f 0a).
 */
static void
test_regression_blank_row_indent_wider_than_width(void **state)
{
    static const char *const texts[] = {"\n", "a\n\nb", "abc\n"};

    for (size_t t = 0; t < G_N_ELEMENTS(texts); t++) {
        GArray *rows = g_array_new(FALSE, FALSE, sizeof(struct row));
        int n = render_wrap(texts[t], 20, 63, rows);

        assert_int_equal(n, (int)rows->len);
        for (guint i = 0; i < rows->len; i++) {
            const struct row *r = &g_array_index(rows, struct row, i);
            if (r->indent >= 20) {
                print_error("text \"%s\" row %u: indent %d in width 20\n",
                            texts[t], i, r->indent);
                g_array_unref(rows);
                fail();
            }
        }
        g_array_unref(rows);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regression_jid_fold_after_nfc_not_idempotent),
        cmocka_unit_test(test_regression_blank_row_indent_wider_than_width),
    };

    setlocale(LC_CTYPE, "C.UTF-8");
    return cmocka_run_group_tests_name("fuzz regressions", tests, NULL, NULL);
}
