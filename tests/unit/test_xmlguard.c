/* SPDX-License-Identifier: MIT */
/* Unit tests for the limits on libstrophe's expat parser, xmpp/xmlguard.c:
 * the test plays libstrophe, creating a parser and setting handlers (which
 * the guard wraps), and feeds it what a hostile server would send. */
#include "unit.h"

#include <expat.h>

#include "xmpp/xmlguard.h"

/* What "libstrophe" saw. */
struct seen {
    int chars_calls;
    GString *text;
    int elements;
};

/* Character data handler, as libstrophe's: counts its calls. */
static void XMLCALL
chars(void *user, const XML_Char *s, int len)
{
    struct seen *seen = user;

    seen->chars_calls++;
    g_string_append_len(seen->text, s, len);
}

/* Element start handler. */
static void XMLCALL
start(void *user, const XML_Char *name, const XML_Char **attrs)
{
    ((struct seen *)user)->elements++;
}

/* Element end handler. */
static void XMLCALL
end(void *user, const XML_Char *name)
{
}

/* A parser set up the way libstrophe does it, reporting into seen. */
static XML_Parser
parser_new(struct seen *seen)
{
    XML_Parser p = XML_ParserCreate(NULL);

    memset(seen, 0, sizeof *seen);
    seen->text = g_string_new(NULL);
    XML_SetUserData(p, seen);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, chars);
    return p;
}

/* Text cut into many pieces by entities reaches libstrophe in one call. */
static void
test_text_in_one_piece(void **state)
{
    struct seen seen;
    XML_Parser p = parser_new(&seen);
    const char *doc = "<stream><message><body>a&amp;b&lt;c&#x41;\nd</body>"
                      "</message>";

    assert_true(xmlguard_active());
    assert_int_equal(XML_Parse(p, doc, (int)strlen(doc), 0), XML_STATUS_OK);
    assert_string_equal(seen.text->str, "a&b<cA\nd");
    assert_int_equal(seen.chars_calls, 1);
    assert_int_equal(seen.elements, 3);
    assert_null(xmlguard_reason());
    XML_ParserFree(p);
    g_string_free(seen.text, TRUE);
}

/* A DOCTYPE (billion laughs) stops the parser before any expansion. */
static void
test_doctype_refused(void **state)
{
    struct seen seen;
    XML_Parser p = parser_new(&seen);
    const char *doc = "<?xml version='1.0'?><!DOCTYPE s [<!ENTITY a 'aaaa'>"
                      "<!ENTITY b '&a;&a;&a;&a;'>]><s><m>&b;</m></s>";

    assert_int_equal(XML_Parse(p, doc, (int)strlen(doc), 0), XML_STATUS_ERROR);
    assert_contains(xmlguard_reason(), "DOCTYPE");
    assert_null(xmlguard_reason()); /* read once */
    assert_int_equal(seen.text->len, 0);
    /* once refused, always refused, until the parser is reset */
    assert_int_equal(XML_Parse(p, "<x/>", 4, 0), XML_STATUS_ERROR);
    assert_int_equal(XML_ParserReset(p, NULL), XML_TRUE);
    XML_SetUserData(p, &seen);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, chars);
    assert_int_equal(XML_Parse(p, "<s><m>ok</m>", 12, 0), XML_STATUS_OK);
    assert_string_equal(seen.text->str, "ok");
    XML_ParserFree(p);
    g_string_free(seen.text, TRUE);
}

/* Elements nested deeper than XMLGUARD_MAX_DEPTH are left out, with
 * their text and children; the parse goes on. */
static void
test_depth_pruned(void **state)
{
    struct seen seen;
    XML_Parser p = parser_new(&seen);
    GString *doc = g_string_new("<s><m><body>kept</body>");

    for (int i = 0; i < 100000; i++)
        g_string_append(doc, "<a>");
    g_string_append(doc, "deep text");
    for (int i = 0; i < 100000; i++)
        g_string_append(doc, "</a>");
    g_string_append(doc, "</m><m>next</m>");
    assert_int_equal(XML_Parse(p, doc->str, (int)doc->len, 0), XML_STATUS_OK);
    assert_null(xmlguard_reason());
    /* s, m, body, the <a>s from depth 2 up to the limit, the second m */
    assert_int_equal(seen.elements, 3 + (XMLGUARD_MAX_DEPTH - 2) + 1);
    assert_string_equal(seen.text->str, "keptnext");
    XML_ParserFree(p);
    g_string_free(doc, TRUE);
    g_string_free(seen.text, TRUE);
}

/* Children of one element past XMLGUARD_MAX_CHILDREN are left out; the
 * stream's own children (stanzas) are not limited. */
static void
test_children_pruned(void **state)
{
    struct seen seen;
    XML_Parser p = parser_new(&seen);
    GString *doc = g_string_new("<s><m><x>");

    for (int i = 0; i < 3 * XMLGUARD_MAX_CHILDREN; i++)
        g_string_append(doc, "<a>t</a>");
    g_string_append(doc, "</x></m>");
    for (int i = 0; i < XMLGUARD_MAX_CHILDREN + 5; i++)
        g_string_append(doc, "<m/>");
    assert_int_equal(XML_Parse(p, doc->str, (int)doc->len, 0), XML_STATUS_OK);
    assert_null(xmlguard_reason());
    assert_int_equal(seen.elements,
                     3 + XMLGUARD_MAX_CHILDREN + XMLGUARD_MAX_CHILDREN + 5);
    assert_int_equal(seen.text->len, XMLGUARD_MAX_CHILDREN);
    XML_ParserFree(p);
    g_string_free(doc, TRUE);
    g_string_free(seen.text, TRUE);
}

/* A stanza over XMLGUARD_MAX_STANZA bytes stops the parser; the bytes of
 * one stanza do not count against the next. */
static void
test_stanza_size_limited(void **state)
{
    struct seen seen;
    XML_Parser p = parser_new(&seen);
    size_t chunk = 1024 * 1024;
    char *fill = g_malloc(chunk);
    enum XML_Status st = XML_STATUS_OK;

    memset(fill, 'y', chunk);
    assert_int_equal(XML_Parse(p, "<s><m>", 6, 0), XML_STATUS_OK);
    for (int i = 0; i < 10; i++)
        assert_int_equal(XML_Parse(p, fill, (int)chunk, 0), XML_STATUS_OK);
    assert_int_equal(XML_Parse(p, "</m><m>", 7, 0), XML_STATUS_OK);
    for (int i = 0; i < 17 && st == XML_STATUS_OK; i++)
        st = XML_Parse(p, fill, (int)chunk, 0);
    assert_int_equal(st, XML_STATUS_ERROR);
    assert_contains(xmlguard_reason(), "larger than 16 MiB");
    XML_ParserFree(p);
    g_free(fill);
    g_string_free(seen.text, TRUE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_in_one_piece),
        cmocka_unit_test(test_doctype_refused),
        cmocka_unit_test(test_depth_pruned),
        cmocka_unit_test(test_children_pruned),
        cmocka_unit_test(test_stanza_size_limited),
    };

    setlocale(LC_ALL, "C.UTF-8");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
