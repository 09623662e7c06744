/* SPDX-License-Identifier: MIT */
/* Unit tests for version, time, last activity and disco#info, xmpp/info.c. */
#include "unit-xmpp.h"

#include "config.h"
#include "xmpp/info.h"

/* The serialised form of st, released (caller frees with g_free). */
static char *
to_text_release(xmpp_stanza_t *st)
{
    char *copy = to_text(st);

    xmpp_stanza_release(st);
    return copy;
}

/* The formatted answer of reply XML text to a query of ns. */
static char *
format(const char *ns, const char *xml)
{
    xmpp_stanza_t *st = stanza(xml);
    char *out = info_format_reply(ns, st);

    xmpp_stanza_release(st);
    return out;
}

/* A version query is answered with name and version, without os. */
static void
test_version_build(void **state)
{
    xmpp_stanza_t *iq = stanza("<iq type='get' from='bob@x/phone' id='v1'>"
                               "<query xmlns='jabber:iq:version'/></iq>");
    char *xml = to_text_release(info_version_build(iq));

    (void)state;
    assert_contains(xml, "type=\"result\"");
    assert_contains(xml, "id=\"v1\"");
    assert_contains(xml, "to=\"bob@x/phone\"");
    assert_contains(xml, "<query xmlns=\"jabber:iq:version\">");
    assert_contains(xml, "<name>natter</name>");
    assert_contains(xml, "<version>" PACKAGE_VERSION "</version>");
    assert_not_contains(xml, "<os");
    g_free(xml);
    xmpp_stanza_release(iq);
}

/* Entity time: tzo with sign and utc in XEP-0082 form. */
static void
test_time_build(void **state)
{
    xmpp_stanza_t *iq = stanza("<iq type='get' from='bob@x/a' id='t1'>"
                               "<time xmlns='urn:xmpp:time'/></iq>");
    char *xml = to_text_release(info_time_build(iq, 1166551115, -360));

    (void)state;
    assert_contains(xml, "<time xmlns=\"urn:xmpp:time\">");
    assert_contains(xml, "<tzo>-06:00</tzo>");
    assert_contains(xml, "<utc>2006-12-19T17:58:35Z</utc>");
    g_free(xml);
    xml = to_text_release(info_time_build(iq, 0, 330));
    assert_contains(xml, "<tzo>+05:30</tzo>");
    assert_contains(xml, "<utc>1970-01-01T00:00:00Z</utc>");
    g_free(xml);
    xml = to_text_release(info_time_build(iq, 0, 0));
    assert_contains(xml, "<tzo>+00:00</tzo>");
    g_free(xml);
    xmpp_stanza_release(iq);
}

/* Last activity carries the idle seconds. */
static void
test_last_build(void **state)
{
    xmpp_stanza_t *iq = stanza("<iq type='get' from='bob@x/a' id='l1'>"
                               "<query xmlns='jabber:iq:last'/></iq>");
    char *xml = to_text_release(info_last_build(iq, 903));

    (void)state;
    assert_contains(xml, "xmlns=\"jabber:iq:last\"");
    assert_contains(xml, "seconds=\"903\"");
    assert_contains(xml, "id=\"l1\"");
    g_free(xml);
    xmpp_stanza_release(iq);
}

/* disco#info names natter and lists every feature it supports. */
static void
test_disco_build(void **state)
{
    static const char *const want[] = {
        "http://jabber.org/protocol/disco#info",
        "jabber:iq:version",
        "urn:xmpp:time",
        "jabber:iq:last",
        "urn:xmpp:ping",
        "urn:xmpp:receipts",
        "http://jabber.org/protocol/chatstates",
        "urn:xmpp:message-correct:0",
        "urn:xmpp:carbons:2",
        "urn:xmpp:sid:0",
        NULL,
    };
    xmpp_stanza_t *iq =
        stanza("<iq type='get' from='bob@x/a' id='d1'>"
               "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
    xmpp_stanza_t *reply = info_disco_build(iq);
    xmpp_stanza_t *q = xmpp_stanza_get_child_by_name_and_ns(
        reply, "query", "http://jabber.org/protocol/disco#info");
    xmpp_stanza_t *id = xmpp_stanza_get_child_by_name(q, "identity");
    char *xml;

    (void)state;
    assert_non_null(id);
    assert_string_equal(xmpp_stanza_get_attribute(id, "category"), "client");
    assert_string_equal(xmpp_stanza_get_attribute(id, "type"), "console");
    assert_string_equal(xmpp_stanza_get_attribute(id, "name"), "natter");
    xml = to_text_release(reply);
    assert_contains(xml, "type=\"result\"");
    for (int i = 0; want[i] != NULL; i++) {
        char *f = g_strdup_printf("<feature var=\"%s\"/>", want[i]);
        assert_contains(xml, f);
        g_free(f);
    }
    g_free(xml);
    xmpp_stanza_release(iq);
}

/* A disco#info query for a node we do not have gets item-not-found. */
static void
test_disco_node(void **state)
{
    xmpp_stanza_t *iq =
        stanza("<iq type='get' from='bob@x/a' id='d2'>"
               "<query xmlns='http://jabber.org/protocol/disco#info' "
               "node='http://example.com#abc'/></iq>");
    char *xml = to_text_release(info_disco_build(iq));

    (void)state;
    assert_contains(xml, "type=\"error\"");
    assert_contains(xml, "<item-not-found");
    g_free(xml);
    xmpp_stanza_release(iq);
}

/* Queries carry the right element for each namespace. */
static void
test_query_build(void **state)
{
    char *xml =
        to_text_release(info_query_build(ctx, NS_TIME, "bob@x/phone", "q1"));

    (void)state;
    assert_contains(xml, "type=\"get\"");
    assert_contains(xml, "to=\"bob@x/phone\"");
    assert_contains(xml, "<time xmlns=\"urn:xmpp:time\"/>");
    g_free(xml);
    xml = to_text_release(info_query_build(ctx, NS_LAST, "bob@x/a", "q2"));
    assert_contains(xml, "<query xmlns=\"jabber:iq:last\"/>");
    g_free(xml);
}

/* Version answers: with and without version and os; junk is flagged. */
static void
test_format_version(void **state)
{
    char *s;

    (void)state;
    s = format(NS_VERSION,
               "<iq type='result'><query xmlns='jabber:iq:version'>"
               "<name>Conversations</name><version>2.12</version>"
               "<os>Android</os></query></iq>");
    assert_string_equal(s, "client Conversations 2.12 on Android");
    g_free(s);
    s = format(NS_VERSION,
               "<iq type='result'><query xmlns='jabber:iq:version'>"
               "<name>natter-peer</name></query></iq>");
    assert_string_equal(s, "client natter-peer");
    g_free(s);
    s = format(NS_VERSION, "<iq type='result'/>");
    assert_string_equal(s, "malformed version answer");
    g_free(s);
}

/* Time answers are shown in the answerer's own zone. */
static void
test_format_time(void **state)
{
    char *s;

    (void)state;
    s = format(NS_TIME, "<iq type='result'><time xmlns='urn:xmpp:time'>"
                        "<tzo>+01:00</tzo><utc>2026-11-22T13:02:07Z</utc>"
                        "</time></iq>");
    assert_string_equal(s, "local time 14:02 (UTC+01:00)");
    g_free(s);
    s = format(NS_TIME, "<iq type='result'><time xmlns='urn:xmpp:time'>"
                        "<tzo>-06:00</tzo><utc>2006-12-19T17:58:35Z</utc>"
                        "</time></iq>");
    assert_string_equal(s, "local time 11:58 (UTC-06:00)");
    g_free(s);
    s = format(NS_TIME, "<iq type='result'><time xmlns='urn:xmpp:time'>"
                        "<tzo>Z</tzo><utc>2006-12-19T17:58:35Z</utc>"
                        "</time></iq>");
    assert_string_equal(s, "local time 17:58 (UTC)");
    g_free(s);
    s = format(NS_TIME, "<iq type='result'><time xmlns='urn:xmpp:time'>"
                        "<tzo>+01:00</tzo><utc>yesterday</utc></time></iq>");
    assert_string_equal(s, "malformed time answer");
    g_free(s);
}

/* Idle times read naturally at every scale. */
static void
test_format_idle(void **state)
{
    char *s;

    (void)state;
    s = format(NS_LAST, "<iq type='result'><query xmlns='jabber:iq:last' "
                        "seconds='300'/></iq>");
    assert_string_equal(s, "idle 5 min");
    g_free(s);
    s = format(NS_LAST, "<iq type='result'><query xmlns='jabber:iq:last' "
                        "seconds='-4'/></iq>");
    assert_string_equal(s, "malformed last activity answer");
    g_free(s);
    /* a number past 64 bits (a hostile answer) */
    s = format(NS_LAST, "<iq type='result'><query xmlns='jabber:iq:last' "
                        "seconds='99999999999999999999999'/></iq>");
    assert_string_equal(s, "malformed last activity answer");
    g_free(s);
    s = info_format_idle(0);
    assert_string_equal(s, "idle 0 s");
    g_free(s);
    s = info_format_idle(7380);
    assert_string_equal(s, "idle 2 h 3 min");
    g_free(s);
    s = info_format_idle(3 * 86400 + 3600);
    assert_string_equal(s, "idle 3 d 1 h");
    g_free(s);
}

/* Errors name the query and the condition. */
static void
test_format_error(void **state)
{
    char *s =
        format(NS_TIME, "<iq type='error'><error type='cancel'>"
                        "<service-unavailable xmlns='urn:ietf:params:xml:ns:"
                        "xmpp-stanzas'/></error></iq>");

    (void)state;
    assert_string_equal(s, "time query refused: service-unavailable");
    g_free(s);
}

/* Run the info tests. */
/* The verification string follows XEP-0115's worked example, and ours
 * is stable and answered on its node. */
static void
test_caps(void **state)
{
    static const char *const exodus[] = {
        "http://jabber.org/protocol/muc",
        "http://jabber.org/protocol/disco#info",
        "http://jabber.org/protocol/caps",
        "http://jabber.org/protocol/disco#items", NULL};
    char *ver = info_caps_hash("client/pc//Exodus 0.9.1", exodus);
    char *q, *xml;

    assert_string_equal(ver, "QgayPKawpkPSDYmwT/WM94uAlu0=");
    g_free(ver);
    assert_string_equal(info_caps_ver(), info_caps_ver());
    q = g_strdup_printf("<iq type='get' id='c1' from='b@x/r'><query "
                        "xmlns='http://jabber.org/protocol/disco#info' "
                        "node='%s#%s'/></iq>",
                        INFO_CAPS_NODE, info_caps_ver());
    {
        xmpp_stanza_t *iq = stanza(q);
        xml = to_text_release(info_disco_build(iq));
        xmpp_stanza_release(iq);
    }
    assert_contains(xml, "type=\"result\"");
    assert_contains(xml, "urn:xmpp:chat-markers:0");
    assert_contains(xml, info_caps_ver());
    g_free(xml);
    g_free(q);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_build),
        cmocka_unit_test(test_time_build),
        cmocka_unit_test(test_last_build),
        cmocka_unit_test(test_disco_build),
        cmocka_unit_test(test_disco_node),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_query_build),
        cmocka_unit_test(test_format_version),
        cmocka_unit_test(test_format_time),
        cmocka_unit_test(test_format_idle),
        cmocka_unit_test(test_format_error),
    };

    return cmocka_run_group_tests_name("info", tests, group_setup,
                                       group_teardown);
}
