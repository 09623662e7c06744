/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for group chat: room presences, invitations and builders
 * (xmpp/muc-stanza.c), the room model and mentions (core/room.c) and nick
 * colours (ui/nickcolor.c).
 */
#include <math.h>
#include <string.h>

#include "unit-xmpp.h"

#include "core/account.h"
#include "core/room.h"
#include "ui/nickcolor.h"
#include "xmpp/muc-stanza.h"

/* Our own presence on joining a new room: codes 110 and 201. */
static void
test_self_presence(void **state)
{
    xmpp_stanza_t *st =
        stanza("<presence from='Lounge@conf.example/alice'><show>away</show>"
               "<x xmlns='http://jabber.org/protocol/muc#user'>"
               "<item affiliation='owner' role='moderator' jid='a@example/r'/>"
               "<status code='110'/><status code='201'/><status code='x'/>"
               "</x></presence>");
    struct muc_presence p;

    (void)state;
    assert_true(muc_presence_parse(st, &p));
    assert_string_equal(p.room, "Lounge@conf.example");
    assert_string_equal(p.nick, "alice");
    assert_false(p.unavailable);
    assert_true(p.has_x);
    assert_string_equal(p.show, "away");
    assert_string_equal(p.affiliation, "owner");
    assert_string_equal(p.role, "moderator");
    assert_string_equal(p.jid, "a@example/r");
    assert_true(muc_presence_has(&p, 110));
    assert_true(muc_presence_has(&p, 201));
    assert_false(muc_presence_has(&p, 307));
    assert_int_equal(p.ncodes, 2); /* the malformed code is dropped */
    muc_presence_clear(&p);
    xmpp_stanza_release(st);
}

/* A kick names its actor and reason; a nick change the new nick. */
static void
test_kick_and_nick_change(void **state)
{
    xmpp_stanza_t *kick = stanza(
        "<presence from='r@c/bob' type='unavailable'>"
        "<x xmlns='http://jabber.org/protocol/muc#user'>"
        "<item affiliation='none' role='none'><actor nick='carol'/>"
        "<reason>spam</reason></item><status code='307'/></x></presence>");
    xmpp_stanza_t *nick = stanza(
        "<presence from='r@c/bob' type='unavailable'>"
        "<x xmlns='http://jabber.org/protocol/muc#user'>"
        "<item role='participant' nick='robert'/><status code='303'/></x>"
        "</presence>");
    struct muc_presence p;

    (void)state;
    assert_true(muc_presence_parse(kick, &p));
    assert_true(p.unavailable);
    assert_true(muc_presence_has(&p, 307));
    assert_string_equal(p.actor, "carol");
    assert_string_equal(p.reason, "spam");
    muc_presence_clear(&p);
    assert_true(muc_presence_parse(nick, &p));
    assert_true(muc_presence_has(&p, 303));
    assert_string_equal(p.new_nick, "robert");
    assert_null(p.actor);
    muc_presence_clear(&p);
    xmpp_stanza_release(kick);
    xmpp_stanza_release(nick);
}

/* A join error and a destroyed room. */
static void
test_error_and_destroy(void **state)
{
    xmpp_stanza_t *err =
        stanza("<presence from='r@c/alice' type='error'><error type='cancel'>"
               "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
               "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>taken</text>"
               "</error></presence>");
    xmpp_stanza_t *gone =
        stanza("<presence from='r@c/alice' type='unavailable'>"
               "<x xmlns='http://jabber.org/protocol/muc#user'>"
               "<item role='none'/><destroy jid='new@c'><reason>moved</reason>"
               "</destroy><status code='110'/></x></presence>");
    xmpp_stanza_t *bare = stanza("<presence/>");
    struct muc_presence p;

    (void)state;
    assert_true(muc_presence_parse(err, &p));
    assert_true(p.error);
    assert_string_equal(p.error_condition, "conflict");
    assert_string_equal(p.error_text, "taken");
    assert_false(p.has_x);
    muc_presence_clear(&p);
    assert_true(muc_presence_parse(gone, &p));
    assert_true(p.destroyed);
    assert_string_equal(p.destroy_alt, "new@c");
    assert_string_equal(p.destroy_reason, "moved");
    muc_presence_clear(&p);
    assert_false(muc_presence_parse(bare, &p)); /* no from */
    muc_presence_clear(&p);
    xmpp_stanza_release(err);
    xmpp_stanza_release(gone);
    xmpp_stanza_release(bare);
}

/* Mediated and direct invitations; an ordinary message is none. */
static void
test_invitations(void **state)
{
    xmpp_stanza_t *mediated =
        stanza("<message from='room@c'><x xmlns='http://jabber.org/protocol/"
               "muc#user'><invite from='bob@example/x'><reason>hi</reason>"
               "</invite><password>pw</password></x></message>");
    xmpp_stanza_t *direct =
        stanza("<message from='bob@example/x'><x xmlns='jabber:x:conference' "
               "jid='room@c' reason='come'/></message>");
    xmpp_stanza_t *plain =
        stanza("<message from='bob@example/x'><body>hi</body></message>");
    struct muc_invite inv;

    (void)state;
    assert_true(muc_invite_parse(mediated, &inv));
    assert_string_equal(inv.room, "room@c");
    assert_string_equal(inv.from, "bob@example/x");
    assert_string_equal(inv.reason, "hi");
    assert_string_equal(inv.password, "pw");
    muc_invite_clear(&inv);
    assert_true(muc_invite_parse(direct, &inv));
    assert_string_equal(inv.room, "room@c");
    assert_string_equal(inv.reason, "come");
    assert_null(inv.password);
    muc_invite_clear(&inv);
    assert_false(muc_invite_parse(plain, &inv));
    muc_invite_clear(&inv);
    xmpp_stanza_release(mediated);
    xmpp_stanza_release(direct);
    xmpp_stanza_release(plain);
}

/* The join presence carries the password and the history request. */
static void
test_join_build(void **state)
{
    xmpp_stanza_t *p =
        muc_join_build(ctx, "r@c", "ann", "s<e", -1, 86400, "away", "busy");
    xmpp_stanza_t *q =
        muc_join_build(ctx, "r@c", "ann", NULL, 0, 0, "online", NULL);
    char *t = to_text(p), *u = to_text(q);

    (void)state;
    assert_non_null(strstr(t, "to=\"r@c/ann\""));
    assert_non_null(strstr(t, "<password>s&lt;e</password>"));
    assert_non_null(strstr(t, "since=\"1970-01-02T00:00:00Z\""));
    assert_non_null(strstr(t, "<show>away</show>"));
    assert_non_null(strstr(u, "maxstanzas=\"0\""));
    assert_null(strstr(u, "<show>"));
    g_free(t);
    g_free(u);
    xmpp_stanza_release(p);
    xmpp_stanza_release(q);
}

/* Admin items, invitations and owner requests as the XEP shows them. */
static void
test_admin_builders(void **state)
{
    xmpp_stanza_t *kick = muc_admin_set_build(ctx, "1", "r@c", "bob", NULL,
                                              "role", "none", "bye");
    xmpp_stanza_t *inv = muc_invite_build(ctx, "r@c", "bob@x", NULL);
    xmpp_stanza_t *destroy =
        muc_owner_build(ctx, "2", "r@c", "set", true, "done", false);
    xmpp_stanza_t *instant =
        muc_owner_build(ctx, "3", "r@c", "set", false, NULL, true);
    char *k = to_text(kick), *i = to_text(inv), *d = to_text(destroy),
         *n = to_text(instant);

    (void)state;
    assert_non_null(strstr(k, "muc#admin"));
    assert_non_null(strstr(k, "nick=\"bob\""));
    assert_non_null(strstr(k, "role=\"none\""));
    assert_non_null(strstr(k, "<reason>bye</reason>"));
    assert_non_null(strstr(i, "<invite to=\"bob@x\"/>"));
    assert_non_null(strstr(d, "<destroy><reason>done</reason></destroy>"));
    assert_non_null(strstr(n, "type=\"submit\""));
    g_free(k);
    g_free(i);
    g_free(d);
    g_free(n);
    xmpp_stanza_release(kick);
    xmpp_stanza_release(inv);
    xmpp_stanza_release(destroy);
    xmpp_stanza_release(instant);
}

/* Disco results: features, identities, extended info, items. */
static void
test_disco(void **state)
{
    xmpp_stanza_t *info = stanza(
        "<iq type='result' from='r@c'><query xmlns='http://jabber.org/"
        "protocol/disco#info'><identity category='conference' type='text' "
        "name='Lounge'/><feature var='urn:xmpp:mam:2'/><x xmlns='jabber:x:"
        "data' type='result'><field var='muc#roominfo_occupants'><value>7"
        "</value></field></x></query></iq>");
    xmpp_stanza_t *items = stanza(
        "<iq type='result'><query xmlns='http://jabber.org/protocol/"
        "disco#items'><item jid='a@c' name='A'/><item/><item jid='b@c'/>"
        "</query></iq>");
    GPtrArray *list;
    char *v, *name;

    (void)state;
    assert_true(disco_has_feature(info, "urn:xmpp:mam:2"));
    assert_false(disco_has_feature(info, "urn:xmpp:mam:1"));
    assert_true(disco_has_identity(info, "conference", "text"));
    assert_false(disco_has_identity(info, "server", NULL));
    v = disco_form_value(info, "muc#roominfo_occupants");
    assert_string_equal(v, "7");
    name = disco_identity_name(info);
    assert_string_equal(name, "Lounge");
    list = disco_items_parse(items, NS_DISCO_ITEMS);
    assert_int_equal(list->len, 2); /* the item without a jid is skipped */
    assert_string_equal(((struct disco_item *)list->pdata[0])->name, "A");
    g_ptr_array_unref(list);
    g_free(v);
    g_free(name);
    xmpp_stanza_release(info);
    xmpp_stanza_release(items);
}

/* Every join error says what to do. */
static void
test_error_text(void **state)
{
    char *c = muc_error_text("conflict", NULL, "r@c", "ann");
    char *p = muc_error_text("not-authorized", "bad", "r@c", "ann");
    char *o = muc_error_text("odd-thing", NULL, "r@c", "ann");

    (void)state;
    assert_string_equal(c, "Cannot join r@c: the nick ann is in use there: "
                           "/join r@c nick OTHER");
    assert_string_equal(p, "Cannot join r@c: it needs a password: /join r@c "
                           "password PASS (server says: bad)");
    assert_string_equal(o, "Cannot join r@c: odd-thing");
    g_free(c);
    g_free(p);
    g_free(o);
}

/* Occupants: set, rename, remove, sorted by role then nick. */
static void
test_room_model(void **state)
{
    struct account *acct = account_new("t", "t@example");
    struct room *r = room_get(acct, "r@c");
    GPtrArray *sorted;
    bool is_new;

    (void)state;
    assert_ptr_equal(room_find(acct, "r@c"), r);
    assert_null(room_find(acct, "other@c"));
    room_occupant_set(r, "zed", NULL, ROLE_MODERATOR, AFFIL_OWNER, NULL, NULL,
                      &is_new);
    assert_true(is_new);
    room_occupant_set(r, "Bob", "b@x/y", ROLE_PARTICIPANT, AFFIL_NONE, "away",
                      "lunch", &is_new);
    room_occupant_set(r, "amy", NULL, ROLE_PARTICIPANT, AFFIL_MEMBER, NULL,
                      NULL, &is_new);
    room_occupant_set(r, "amy", NULL, ROLE_VISITOR, AFFIL_MEMBER, NULL, NULL,
                      &is_new);
    assert_false(is_new);
    sorted = room_occupants_sorted(r);
    assert_int_equal(sorted->len, 3);
    assert_string_equal(((struct occupant *)sorted->pdata[0])->nick, "zed");
    assert_string_equal(((struct occupant *)sorted->pdata[1])->nick, "Bob");
    assert_string_equal(((struct occupant *)sorted->pdata[2])->nick, "amy");
    g_ptr_array_unref(sorted);
    assert_true(room_occupant_rename(r, "Bob", "robert"));
    assert_null(room_occupant(r, "Bob"));
    assert_string_equal(room_occupant(r, "robert")->jid, "b@x/y");
    assert_false(room_occupant_rename(r, "nobody", "x"));
    assert_true(room_occupant_remove(r, "robert"));
    assert_false(room_occupant_remove(r, "robert"));
    assert_int_equal(room_role_parse("moderator"), ROLE_MODERATOR);
    assert_int_equal(room_role_parse("bogus"), ROLE_NONE);
    assert_string_equal(room_affiliation_name(AFFIL_OUTCAST), "outcast");
    assert_int_equal(room_affiliation_parse("admin"), AFFIL_ADMIN);
    account_deinit();
}

/* Mentions are whole words, any case; extra words count too. */
static void
test_mentions(void **state)
{
    (void)state;
    assert_true(room_mentions("alice: hi", "alice", NULL));
    assert_true(room_mentions("Hi ALICE!", "alice", NULL));
    assert_true(room_mentions("hey @alice", "alice", NULL));
    assert_false(room_mentions("malice aforethought", "alice", NULL));
    assert_false(room_mentions("alice_b is here", "alice", NULL));
    assert_true(room_mentions("the release is out", "ann", "deploy, release"));
    assert_false(room_mentions("nothing here", "ann", "deploy,release"));
    assert_true(room_mentions("Ünïcode name Ünï", "ünï", NULL));
    assert_false(room_mentions("\xff\xfe", "alice", NULL));
    assert_false(room_mentions("anything", NULL, NULL));
}

/* The XEP-0392 test vectors for the angle, and stable buckets. */
static void
test_nick_colors(void **state)
{
    (void)state;
    assert_true(fabs(nickcolor_angle("Romeo") - 327.255249) < 1e-5);
    assert_true(fabs(nickcolor_angle("juliet@capulet.lit") - 209.410400) <
                1e-5);
    assert_true(fabs(nickcolor_angle("\xf0\x9f\x98\xba") - 331.199341) < 1e-5);
    assert_true(fabs(nickcolor_angle("council") - 359.994507) < 1e-5);
    assert_true(fabs(nickcolor_angle("Board") - 171.430664) < 1e-5);
    /* 359.99 wraps to the first bucket, red. */
    assert_int_equal(nickcolor_bucket(359.994507, 8), 0);
    assert_int_equal(nickcolor_terminal(359.994507, 8), 1);
    assert_int_equal(nickcolor_terminal(120.0, 8), 2); /* green */
    assert_int_equal(nickcolor_terminal(240.0, 8), 4); /* blue */
    /* 256 colours: pure red is cube entry (5,0,0), cyan (0,5,5). */
    assert_int_equal(nickcolor_terminal(0.0, 256), 16 + 36 * 5);
    assert_int_equal(nickcolor_terminal(180.0, 256), 16 + 6 * 5 + 5);
    for (int i = 0; i < 360; i++) {
        int c = nickcolor_terminal(i, 256);
        assert_true(c >= 16 && c <= 231);
    }
}

/* Which self-ping answers mean the room lost us (XEP-0410). */
static void
test_self_ping_answers(void **state)
{
    static const struct {
        const char *xml;
        bool lost;
    } cases[] = {
        {"<iq type='result'/>", false},
        {"<iq type='error'><error type='cancel'><service-unavailable "
         "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
         false},
        {"<iq type='error'><error type='cancel'><feature-not-implemented "
         "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
         false},
        {"<iq type='error'><error type='cancel'><remote-server-timeout "
         "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
         false},
        {"<iq type='error'><error type='modify'><not-acceptable "
         "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
         true},
        {"<iq type='error'><error type='cancel'><item-not-found "
         "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
         true},
        {"<iq type='error'/>", true},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xmpp_stanza_t *st = stanza(cases[i].xml);
        if (muc_self_ping_lost(st) != cases[i].lost) {
            print_error("%s: expected %s\n", cases[i].xml,
                        cases[i].lost ? "lost" : "still joined");
            fail();
        }
        xmpp_stanza_release(st);
    }
}

/* Run the group chat tests. */
int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_self_presence),
        cmocka_unit_test(test_kick_and_nick_change),
        cmocka_unit_test(test_error_and_destroy),
        cmocka_unit_test(test_invitations),
        cmocka_unit_test(test_join_build),
        cmocka_unit_test(test_admin_builders),
        cmocka_unit_test(test_disco),
        cmocka_unit_test(test_error_text),
        cmocka_unit_test(test_room_model),
        cmocka_unit_test(test_mentions),
        cmocka_unit_test(test_nick_colors),
        cmocka_unit_test(test_self_ping_answers),
    };

    return cmocka_run_group_tests_name("muc", tests, group_setup,
                                       group_teardown);
}
