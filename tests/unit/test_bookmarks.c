/* SPDX-License-Identifier: MIT */
/* Unit tests for bookmarks: xmpp/bookmark-stanza.c (XEP-0402 and
 * XEP-0048) and the model in core/bookmark.c. */
#include "unit-xmpp.h"

#include "core/account.h"
#include "cmd/cmd.h"
#include "core/bookmark.h"
#include "xmpp/bookmark-stanza.h"

/* The serialised form of st, which is released. Note: free the result. */
static char *
text_release(xmpp_stanza_t *st)
{
    char *xml = to_text(st);

    xmpp_stanza_release(st);
    return xml;
}

/* The bookmark for jid in list (struct bookmark *), NULL if none. */
static struct bookmark *
in_list(GPtrArray *list, const char *jid)
{
    for (guint i = 0; i < list->len; i++) {
        struct bookmark *b = list->pdata[i];
        if (strcmp(b->jid, jid) == 0)
            return b;
    }
    return NULL;
}

/* An XEP-0402 fetch result yields every valid item, with its options. */
static void
test_pep_result(void **state)
{
    xmpp_stanza_t *iq = stanza(
        "<iq type='result' id='f1'><pubsub xmlns='" NS_PUBSUB "'>"
        "<items node='urn:xmpp:bookmarks:1'>"
        "<item id='Council@Conference.Underhill.org'>"
        "<conference xmlns='urn:xmpp:bookmarks:1' name='Council of Oberon' "
        "autojoin='true'><nick>Puck</nick><password>pw</password>"
        "<extensions><state xmlns='http://myclient.example/bookmark/state' "
        "minimized='true'/></extensions></conference></item>"
        "<item id='plain@muc.example'>"
        "<conference xmlns='urn:xmpp:bookmarks:1'/></item>"
        "<item id='one@muc.example'><conference xmlns='urn:xmpp:bookmarks:1'"
        " autojoin='1'><nick></nick></conference></item>"
        "<item id='no-conference@muc.example'><x xmlns='other'/></item>"
        "<item id='not a jid'><conference xmlns='urn:xmpp:bookmarks:1'/>"
        "</item>"
        "<item id='muc.example'><conference xmlns='urn:xmpp:bookmarks:1'/>"
        "</item>"
        "<item id='r@muc.example/nick'><conference xmlns='urn:xmpp:"
        "bookmarks:1'/></item>"
        "<item id='x/y@z'><conference xmlns='urn:xmpp:bookmarks:1'/>"
        "</item>"
        "<item><conference xmlns='urn:xmpp:bookmarks:1'/></item>"
        "</items></pubsub></iq>");
    GPtrArray *list = bookmark_pep_result_parse(iq);
    struct bookmark *b;

    (void)state;
    assert_non_null(list);
    assert_int_equal(list->len, 3);
    b = in_list(list, "council@conference.underhill.org"); /* prepared */
    assert_non_null(b);
    assert_string_equal(b->name, "Council of Oberon");
    assert_true(b->autojoin);
    assert_string_equal(b->nick, "Puck");
    assert_string_equal(b->password, "pw");
    assert_contains(b->extensions, "minimized=\"true\"");
    b = in_list(list, "plain@muc.example");
    assert_non_null(b);
    assert_null(b->name);
    assert_null(b->nick);
    assert_false(b->autojoin); /* the default */
    assert_null(b->extensions);
    b = in_list(list, "one@muc.example");
    assert_true(b->autojoin);
    assert_null(b->nick); /* empty means none */
    g_ptr_array_unref(list);
    xmpp_stanza_release(iq);
}

/* Other nodes, errors and empty answers are not bookmark lists. */
static void
test_pep_result_other(void **state)
{
    xmpp_stanza_t *other =
        stanza("<iq type='result'><pubsub xmlns='" NS_PUBSUB "'>"
               "<items node='urn:xmpp:avatar:metadata'/></pubsub></iq>");
    xmpp_stanza_t *err =
        stanza("<iq type='error'><error type='cancel'><item-not-found "
               "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
    xmpp_stanza_t *empty = stanza("<iq type='result'/>");

    (void)state;
    assert_null(bookmark_pep_result_parse(other));
    assert_null(bookmark_pep_result_parse(err));
    assert_null(bookmark_pep_result_parse(empty));
    xmpp_stanza_release(other);
    xmpp_stanza_release(err);
    xmpp_stanza_release(empty);
}

/* PEP notifications: published items, retractions and a purge. */
static void
test_event_parse(void **state)
{
    xmpp_stanza_t *pub =
        stanza("<message from='juliet@capulet.lit' type='headline'>"
               "<event xmlns='" NS_PUBSUB_EVENT
               "'><items node='urn:xmpp:bookmarks:1'>"
               "<item id='theplay@conference.shakespeare.lit'>"
               "<conference xmlns='urn:xmpp:bookmarks:1' name='The Play' "
               "autojoin='1'><nick>JC</nick></conference></item>"
               "<retract id='old@conference.shakespeare.lit'/>"
               "</items></event></message>");
    xmpp_stanza_t *purge =
        stanza("<message><event xmlns='" NS_PUBSUB_EVENT "'>"
               "<purge node='urn:xmpp:bookmarks:1'/></event></message>");
    xmpp_stanza_t *other =
        stanza("<message><event xmlns='" NS_PUBSUB_EVENT "'>"
               "<items node='http://jabber.org/protocol/tune'><item id='x'/>"
               "</items></event></message>");
    xmpp_stanza_t *chat = stanza("<message type='chat'><body>hi</body>"
                                 "</message>");
    GPtrArray *p = NULL, *r = NULL;
    bool purged = true;
    struct bookmark *b;

    (void)state;
    assert_true(bookmark_event_parse(pub, &p, &r, &purged));
    assert_false(purged);
    assert_int_equal(p->len, 1);
    b = p->pdata[0];
    assert_string_equal(b->jid, "theplay@conference.shakespeare.lit");
    assert_string_equal(b->nick, "JC");
    assert_true(b->autojoin);
    assert_int_equal(r->len, 1);
    assert_string_equal(r->pdata[0], "old@conference.shakespeare.lit");
    g_ptr_array_unref(p);
    g_ptr_array_unref(r);
    assert_true(bookmark_event_parse(purge, &p, &r, &purged));
    assert_true(purged);
    assert_int_equal(p->len, 0);
    assert_int_equal(r->len, 0);
    g_ptr_array_unref(p);
    g_ptr_array_unref(r);
    assert_false(bookmark_event_parse(other, &p, &r, &purged));
    assert_false(bookmark_event_parse(chat, &p, &r, &purged));
    xmpp_stanza_release(pub);
    xmpp_stanza_release(purge);
    xmpp_stanza_release(other);
    xmpp_stanza_release(chat);
}

/* The publish carries the item, the conference and the XEP's options. */
static void
test_publish_build(void **state)
{
    struct bookmark *b = bookmark_new("room@muc.example");
    xmpp_stanza_t *iq, *ps;
    GPtrArray *list;
    char *xml;

    (void)state;
    b->name = g_strdup("A & B");
    b->nick = g_strdup("ann");
    b->autojoin = true;
    b->extensions = g_strdup("<extensions><x xmlns='urn:example:x' "
                             "a='1'/></extensions>");
    iq = bookmark_pep_publish_build(ctx, "p1", b);
    xml = to_text(iq);
    assert_contains(xml, "type=\"set\"");
    assert_contains(xml, "<publish node=\"urn:xmpp:bookmarks:1\">");
    assert_contains(xml, "<item id=\"room@muc.example\">");
    assert_contains(xml, "<conference ");
    assert_contains(xml, "xmlns=\"urn:xmpp:bookmarks:1\"");
    assert_contains(xml, "name=\"A &amp; B\"");
    assert_contains(xml, "autojoin=\"true\"");
    assert_contains(xml, "<nick>ann</nick>");
    assert_not_contains(xml, "<password>");
    assert_contains(xml, "<extensions><x ");
    assert_contains(xml, "xmlns=\"urn:example:x\"");
    assert_contains(xml, "<publish-options><x xmlns=\"jabber:x:data\" "
                         "type=\"submit\">");
    assert_contains(xml, "<value>" NS_PUBSUB_PUBLISH_OPTIONS "</value>");
    assert_contains(xml, "var=\"pubsub#persist_items\"><value>true");
    assert_contains(xml, "var=\"pubsub#max_items\"><value>max");
    assert_contains(xml,
                    "var=\"pubsub#send_last_published_item\"><value>never");
    assert_contains(xml, "var=\"pubsub#access_model\"><value>whitelist");
    g_free(xml);
    /* What we publish, we read back the same (as a fetch result). */
    ps = xmpp_stanza_get_child_by_name(iq, "pubsub");
    xmpp_stanza_set_name(xmpp_stanza_get_child_by_name(ps, "publish"),
                         "items");
    xmpp_stanza_set_type(iq, "result");
    list = bookmark_pep_result_parse(iq);
    assert_non_null(list);
    assert_int_equal(list->len, 1);
    assert_string_equal(((struct bookmark *)list->pdata[0])->name, "A & B");
    assert_string_equal(((struct bookmark *)list->pdata[0])->nick, "ann");
    assert_true(((struct bookmark *)list->pdata[0])->autojoin);
    assert_contains(((struct bookmark *)list->pdata[0])->extensions,
                    "urn:example:x");
    g_ptr_array_unref(list);
    xmpp_stanza_release(iq);
    bookmark_free(b);
}

/* Fetch and retract requests name the node and the item. */
static void
test_get_and_retract_build(void **state)
{
    char *get =
        text_release(bookmark_pep_get_build(ctx, "g1", "alice@example.com"));
    char *ret = text_release(
        bookmark_pep_retract_build(ctx, "r1", "room@muc.example"));
    char *pget = text_release(bookmark_private_get_build(ctx, "g2"));

    (void)state;
    assert_contains(get, "type=\"get\"");
    assert_contains(get, "to=\"alice@example.com\"");
    assert_contains(get, "<pubsub xmlns=\"" NS_PUBSUB "\"><items "
                         "node=\"urn:xmpp:bookmarks:1\"/>");
    assert_contains(ret, "type=\"set\"");
    /* libstrophe orders attributes as it likes: check them one by one. */
    assert_contains(ret, "node=\"urn:xmpp:bookmarks:1\"");
    assert_contains(ret, "notify=\"true\"");
    assert_contains(ret, "><item id=\"room@muc.example\"/></retract>");
    assert_contains(pget, "type=\"get\"");
    assert_contains(pget, "<query xmlns=\"jabber:iq:private\"><storage "
                          "xmlns=\"storage:bookmarks\"/></query>");
    g_free(get);
    g_free(ret);
    g_free(pget);
}

/* XEP-0048: conferences become bookmarks, everything else is kept. */
static void
test_private_parse(void **state)
{
    xmpp_stanza_t *iq =
        stanza("<iq type='result'><query xmlns='jabber:iq:private'>"
               "<storage xmlns='storage:bookmarks'>"
               "<conference name='Council' autojoin='true' "
               "jid='council@conference.underhill.org'><nick>Puck</nick>"
               "<password>secret</password></conference>"
               "<url name='Works' url='http://example.com/works'/>"
               "<conference jid='quiet@muc.example' autojoin='false'/>"
               "<conference name='no jid'/>"
               "</storage></query></iq>");
    xmpp_stanza_t *none =
        stanza("<iq type='result'><query xmlns='jabber:iq:private'/></iq>");
    xmpp_stanza_t *err =
        stanza("<iq type='error'><error type='cancel'><service-unavailable "
               "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
    GPtrArray *foreign = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *list = bookmark_private_parse(iq, foreign);
    struct bookmark *b;

    (void)state;
    assert_non_null(list);
    assert_int_equal(list->len, 2);
    b = in_list(list, "council@conference.underhill.org");
    assert_non_null(b);
    assert_string_equal(b->name, "Council");
    assert_string_equal(b->nick, "Puck");
    assert_string_equal(b->password, "secret");
    assert_true(b->autojoin);
    assert_false(in_list(list, "quiet@muc.example")->autojoin);
    /* The URL and the malformed conference are kept for the next write. */
    assert_int_equal(foreign->len, 2);
    assert_contains(foreign->pdata[0], "http://example.com/works");
    assert_contains(foreign->pdata[1], "no jid");
    g_ptr_array_unref(list);
    list = bookmark_private_parse(none, NULL);
    assert_non_null(list);
    assert_int_equal(list->len, 0);
    g_ptr_array_unref(list);
    assert_null(bookmark_private_parse(err, NULL));
    g_ptr_array_unref(foreign);
    xmpp_stanza_release(iq);
    xmpp_stanza_release(none);
    xmpp_stanza_release(err);
}

/* A private storage write holds every bookmark and the kept elements,
 * and reads back the same. */
static void
test_private_set_build(void **state)
{
    GPtrArray *list =
        g_ptr_array_new_with_free_func((GDestroyNotify)bookmark_free);
    GPtrArray *foreign = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *again, *kept = g_ptr_array_new_with_free_func(g_free);
    struct bookmark *b = bookmark_new("a@muc.example");
    xmpp_stanza_t *iq;
    char *xml;

    (void)state;
    b->nick = g_strdup("ann");
    b->password = g_strdup("pw");
    b->autojoin = true;
    b->extensions = g_strdup("<extensions/>"); /* XEP-0402 only */
    g_ptr_array_add(list, b);
    g_ptr_array_add(list, bookmark_new("b@muc.example"));
    g_ptr_array_add(foreign, g_strdup("<url name='W' url='http://w/'/>"));
    iq = bookmark_private_set_build(ctx, "s1", list, foreign);
    xml = to_text(iq);
    assert_contains(xml, "type=\"set\"");
    assert_contains(xml, "<query xmlns=\"jabber:iq:private\"><storage "
                         "xmlns=\"storage:bookmarks\"><conference ");
    assert_contains(xml, "jid=\"a@muc.example\"");
    assert_contains(xml, "autojoin=\"true\"><nick>ann</nick><password>pw"
                         "</password></conference>");
    assert_contains(xml, "jid=\"b@muc.example\"");
    assert_contains(xml, "autojoin=\"false\"/>");
    assert_contains(xml, "url=\"http://w/\"");
    assert_contains(xml, "name=\"W\"");
    assert_not_contains(xml, "extensions");
    g_free(xml);
    xmpp_stanza_set_type(iq, "result");
    again = bookmark_private_parse(iq, kept);
    assert_int_equal(again->len, 2);
    assert_string_equal(in_list(again, "a@muc.example")->nick, "ann");
    assert_true(in_list(again, "a@muc.example")->autojoin);
    assert_int_equal(kept->len, 1);
    g_ptr_array_unref(again);
    g_ptr_array_unref(kept);
    g_ptr_array_unref(list);
    g_ptr_array_unref(foreign);
    xmpp_stanza_release(iq);
}

/* The model: put replaces, drop forgets, sorted orders by JID. */
static void
test_model(void **state)
{
    struct account *acct = account_new("t", "t@example.com");
    struct bookmark *b = bookmark_new("z@muc.example");
    GPtrArray *list;

    (void)state;
    assert_null(bookmark_find(acct, "z@muc.example"));
    bookmark_put(acct, b);
    bookmark_put(acct, bookmark_new("a@muc.example"));
    b = bookmark_copy(b);
    b->nick = g_strdup("zed");
    bookmark_put(acct, b); /* replaces the first */
    assert_string_equal(bookmark_find(acct, "z@muc.example")->nick, "zed");
    list = bookmark_sorted(acct);
    assert_int_equal(list->len, 2);
    assert_string_equal(((struct bookmark *)list->pdata[0])->jid,
                        "a@muc.example");
    g_ptr_array_unref(list);
    assert_true(bookmark_drop(acct, "a@muc.example"));
    assert_false(bookmark_drop(acct, "a@muc.example"));
    assert_true(bookmark_bool("true"));
    assert_true(bookmark_bool("1"));
    assert_false(bookmark_bool("yes"));
    assert_false(bookmark_bool(NULL));
    assert_string_equal(bookmark_store_name(BOOKMARK_STORE_PEP),
                        "PEP (XEP-0402)");
    account_remove(acct);
}

/* The number of candidates for line that equal want. */
static int
completions_of(const char *line, size_t start, const char *want)
{
    GPtrArray *got = cmd_complete(line, start);
    int n = 0;

    for (guint i = 0; i < got->len; i++)
        n += strcmp(got->pdata[i], want) == 0;
    g_ptr_array_unref(got);
    return n;
}

/* /join and /bookmark offer the bookmarked rooms; /bookmark add its
 * options and on|off after autojoin. */
static void
test_completion(void **state)
{
    struct account *acct = account_new("c", "c@example.com");

    (void)state;
    bookmark_put(acct, bookmark_new("lounge@muc.example.com"));
    bookmark_put(acct, bookmark_new("dev@muc.example.com"));
    assert_int_equal(completions_of("/join lo", 6, "lounge@muc.example.com"),
                     1);
    assert_int_equal(completions_of("/join lo", 6, "dev@muc.example.com"), 0);
    assert_int_equal(
        completions_of("/bookmark remove d", 17, "dev@muc.example.com"), 1);
    assert_int_equal(completions_of("/bookmark a", 10, "add"), 1);
    assert_int_equal(
        completions_of("/bookmark add dev@muc.example.com n", 34, "nick"), 1);
    assert_int_equal(completions_of("/bookmark add autojoin o", 23, "off"), 1);
    assert_int_equal(completions_of("/bookmark add nick a", 19, "autojoin"),
                     0); /* a nick goes there */
    account_remove(acct);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pep_result),
        cmocka_unit_test(test_pep_result_other),
        cmocka_unit_test(test_event_parse),
        cmocka_unit_test(test_publish_build),
        cmocka_unit_test(test_get_and_retract_build),
        cmocka_unit_test(test_private_parse),
        cmocka_unit_test(test_private_set_build),
        cmocka_unit_test(test_model),
        cmocka_unit_test(test_completion),
    };

    return cmocka_run_group_tests_name("bookmarks", tests, group_setup,
                                       group_teardown);
}
