/* SPDX-License-Identifier: MIT */
/* Unit tests for the service discovery parsers (xmpp/disco.c). */
#include <string.h>

#include "unit-xmpp.h"

#include "xmpp/disco.h"

/* A disco#info result: identities, features and an extended form. */
static void
test_info_result(void **state)
{
    (void)state;
    xmpp_stanza_t *st =
        stanza("<iq type='result' id='1' from='room@conf.example'>"
               "<query xmlns='http://jabber.org/protocol/disco#info'>"
               "<identity category='conference' type='text' name='Room'/>"
               "<identity type='no-category'/>"
               "<feature var='http://jabber.org/protocol/muc'/>"
               "<feature/>"
               "<feature var='urn:xmpp:mam:2'/>"
               "<x xmlns='jabber:x:data' type='result'>"
               "<field var='FORM_TYPE'><value>http://jabber.org/protocol/"
               "muc#roominfo</value></field>"
               "<field var='muc#roominfo_occupants'><value>3</value></field>"
               "<field var='muc#roominfo_occupants'><value>9</value></field>"
               "<field var='empty'/>"
               "</x></query></iq>");
    struct disco_result *r = disco_info_parse(st);
    const struct disco_identity *id;

    assert_true(r->ok);
    assert_false(r->lost);
    assert_null(r->condition);
    assert_null(r->error);
    assert_int_equal(r->identities->len, 1);
    id = r->identities->pdata[0];
    assert_string_equal(id->category, "conference");
    assert_string_equal(id->type, "text");
    assert_string_equal(id->name, "Room");
    assert_int_equal(r->features->len, 2);
    assert_true(disco_result_has_feature(r, "urn:xmpp:mam:2"));
    assert_false(disco_result_has_feature(r, "urn:xmpp:mam:1"));
    assert_true(disco_result_has_identity(r, "conference", "text"));
    assert_true(disco_result_has_identity(r, "conference", NULL));
    assert_false(disco_result_has_identity(r, "conference", "irc"));
    assert_false(disco_result_has_identity(r, "server", NULL));
    assert_int_equal(r->forms->len, 1);
    assert_string_equal(((struct disco_form *)r->forms->pdata[0])->form_type,
                        "http://jabber.org/protocol/muc#roominfo");
    /* The first field of a name wins. */
    assert_string_equal(disco_result_form_value(r, "muc#roominfo_occupants"),
                        "3");
    assert_null(disco_result_form_value(r, "empty"));
    assert_null(disco_result_form_value(r, "absent"));
    assert_int_equal(r->items->len, 0);
    disco_result_free(r);
    xmpp_stanza_release(st);
}

/* An error answer: the condition and the words for it; no query. */
static void
test_info_error(void **state)
{
    (void)state;
    xmpp_stanza_t *st =
        stanza("<iq type='error' id='2'><error type='cancel'>"
               "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>gone</text>"
               "<remote-server-not-found "
               "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
               "</error></iq>");
    struct disco_result *r = disco_info_parse(st);

    assert_false(r->ok);
    assert_string_equal(r->condition, "remote-server-not-found");
    assert_non_null(r->error);
    assert_int_equal(r->features->len, 0);
    assert_int_equal(r->identities->len, 0);
    disco_result_free(r);
    xmpp_stanza_release(st);

    /* A result without a query is ok but empty; a wrong namespace too. */
    st = stanza("<iq type='result' id='3'><query xmlns='jabber:iq:version'>"
                "<feature var='x'/></query></iq>");
    r = disco_info_parse(st);
    assert_true(r->ok);
    assert_int_equal(r->features->len, 0);
    disco_result_free(r);
    xmpp_stanza_release(st);
    disco_result_free(NULL);
}

/* A disco#items result: items need a jid; node and name are optional. */
static void
test_items(void **state)
{
    (void)state;
    xmpp_stanza_t *st =
        stanza("<iq type='result' id='4'>"
               "<query xmlns='http://jabber.org/protocol/disco#items'>"
               "<item jid='conf.example' name='Chat rooms'/>"
               "<item name='no jid'/>"
               "<item jid='pubsub.example' node='news'/>"
               "<other jid='x.example'/>"
               "</query></iq>");
    struct disco_result *r = disco_items_result_parse(st);
    const struct disco_link *l;

    assert_true(r->ok);
    assert_int_equal(r->items->len, 2);
    l = r->items->pdata[0];
    assert_string_equal(l->jid, "conf.example");
    assert_string_equal(l->name, "Chat rooms");
    assert_null(l->node);
    l = r->items->pdata[1];
    assert_string_equal(l->jid, "pubsub.example");
    assert_string_equal(l->node, "news");
    assert_null(l->name);
    disco_result_free(r);
    xmpp_stanza_release(st);
}

/* Run the disco tests. */
int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_info_result),
        cmocka_unit_test(test_info_error),
        cmocka_unit_test(test_items),
    };

    return cmocka_run_group_tests_name("disco", tests, group_setup,
                                       group_teardown);
}
