/* SPDX-License-Identifier: MIT */
/* Unit tests for the shared libstrophe element helpers, xmpp/xml.c. */
#include "unit-xmpp.h"

#include "xmpp/xml.h"

/* Check the serialised form of st is want, then release st. */
static void
assert_xml(xmpp_stanza_t *st, const char *want)
{
    char *got = to_text(st);

    assert_string_equal(got, want);
    g_free(got);
    xmpp_stanza_release(st);
}

/* xml_element sets the namespace only when one is given. */
static void
test_element(void **state)
{
    (void)state;
    assert_xml(xml_element(ctx, "query", "urn:test"),
               "<query xmlns=\"urn:test\"/>");
    assert_xml(xml_element(ctx, "item", NULL), "<item/>");
}

/* xml_adopt gives the child to the parent and returns it. */
static void
test_adopt(void **state)
{
    xmpp_stanza_t *iq = xml_element(ctx, "iq", NULL);
    xmpp_stanza_t *q = xml_element(ctx, "query", "urn:test");
    xmpp_stanza_t *item;

    (void)state;
    assert_ptr_equal(xml_adopt(iq, q), q);
    /* Our reference is gone: the parent's keeps q alive until the end. */
    xmpp_stanza_set_attribute(q, "ver", "1");
    item = xml_adopt(q, xml_element(ctx, "item", NULL));
    assert_ptr_equal(item, xmpp_stanza_get_child_by_name(q, "item"));
    assert_xml(iq, "<iq><query xmlns=\"urn:test\" ver=\"1\"><item/></query>"
                   "</iq>");
}

/* xml_add_text: text escaped, NULL gives an empty element, "" keeps its
 * (empty) text node as the copies it replaced did. */
static void
test_add_text(void **state)
{
    xmpp_stanza_t *p = xml_element(ctx, "p", NULL);
    xmpp_stanza_t *el;

    (void)state;
    el = xml_add_text(p, "status", "a <b> & c");
    assert_ptr_equal(el, xmpp_stanza_get_child_by_name(p, "status"));
    xml_add_text(p, "none", NULL);
    xml_add_text(p, "empty", "");
    assert_xml(p, "<p><status>a &lt;b&gt; &amp; c</status><none/>"
                  "<empty></empty></p>");
}

/* xml_text: NULL for no element, "" for no text, else a copy. */
static void
test_text(void **state)
{
    xmpp_stanza_t *st = stanza("<x><a>one</a><b/><c>t<i/>u</c></x>");
    char *t;

    (void)state;
    assert_null(xml_text(NULL));
    t = xml_text(xmpp_stanza_get_child_by_name(st, "a"));
    assert_string_equal(t, "one");
    g_free(t);
    t = xml_text(xmpp_stanza_get_child_by_name(st, "b"));
    assert_string_equal(t, "");
    g_free(t);
    t = xml_text(xmpp_stanza_get_child_by_name(st, "c"));
    assert_string_equal(t, "tu");
    g_free(t);
    xmpp_stanza_release(st);
}

/* xml_child_text: NULL when the parent or child is missing. */
static void
test_child_text(void **state)
{
    xmpp_stanza_t *st = stanza("<x><a> one </a><b/></x>");
    char *t;

    (void)state;
    assert_null(xml_child_text(NULL, "a"));
    assert_null(xml_child_text(st, "missing"));
    t = xml_child_text(st, "a");
    assert_string_equal(t, " one ");
    g_free(t);
    t = xml_child_text(st, "b");
    assert_string_equal(t, "");
    g_free(t);
    xmpp_stanza_release(st);
}

/* xml_child_text_stripped: NULL without text, outer space removed. */
static void
test_child_text_stripped(void **state)
{
    xmpp_stanza_t *st = stanza("<x><a>\n  Gajim 1.9 \t</a><b/><c>   </c></x>");
    char *t;

    (void)state;
    assert_null(xml_child_text_stripped(NULL, "a"));
    assert_null(xml_child_text_stripped(st, "missing"));
    assert_null(xml_child_text_stripped(st, "b"));
    t = xml_child_text_stripped(st, "a");
    assert_string_equal(t, "Gajim 1.9");
    g_free(t);
    /* Whitespace only is some text, stripped to nothing. */
    t = xml_child_text_stripped(st, "c");
    assert_string_equal(t, "");
    g_free(t);
    xmpp_stanza_release(st);
}

/* xml_one_line collapses and trims whitespace; nothing left is NULL. */
static void
test_one_line(void **state)
{
    char *s;

    (void)state;
    assert_null(xml_one_line(NULL));
    assert_null(xml_one_line(g_strdup("")));
    assert_null(xml_one_line(g_strdup(" \n\t ")));
    s = xml_one_line(g_strdup("  Fill in\n\tthe   form. \r\n"));
    assert_string_equal(s, "Fill in the form.");
    g_free(s);
    s = xml_one_line(g_strdup("plain"));
    assert_string_equal(s, "plain");
    g_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_element),
        cmocka_unit_test(test_adopt),
        cmocka_unit_test(test_add_text),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_child_text),
        cmocka_unit_test(test_child_text_stripped),
        cmocka_unit_test(test_one_line),
    };

    return cmocka_run_group_tests_name("xml", tests, group_setup,
                                       group_teardown);
}
