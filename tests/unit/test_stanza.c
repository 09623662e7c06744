/* SPDX-License-Identifier: MIT */
/* Unit tests for stanza parsing and building, xmpp/stanza.c. */
#include "unit-xmpp.h"

#include "xmpp/stanza.h"

/* Text of child name of st, "" if it has none; caller frees. */
static char *
child_text(xmpp_stanza_t *st, const char *name)
{
    xmpp_stanza_t *c = xmpp_stanza_get_child_by_name(st, name);
    char *t, *copy;

    assert_non_null(c);
    t = xmpp_stanza_get_text(c);
    copy = g_strdup(t != NULL ? t : "");
    xmpp_free(ctx, t);
    return copy;
}

/* Number of element children of st. */
static int
child_count(xmpp_stanza_t *st)
{
    int n = 0;

    for (xmpp_stanza_t *c = xmpp_stanza_get_children(st); c != NULL;
         c = xmpp_stanza_get_next(c))
        if (xmpp_stanza_is_tag(c))
            n++;
    return n;
}

/* A chat message yields its addresses, type, id and body. */
static void
test_msg_chat_body(void **state)
{
    xmpp_stanza_t *st = stanza("<message from='bob@example.com/phone' "
                               "to='alice@example.com' type='chat' id='m1'>"
                               "<body>Hi &lt;alice&gt; &amp; all</body>"
                               "</message>");
    struct parsed_message m;

    assert_true(msg_parse(st, &m));
    assert_string_equal(m.from, "bob@example.com/phone");
    assert_string_equal(m.to, "alice@example.com");
    assert_string_equal(m.type, "chat");
    assert_string_equal(m.id, "m1");
    assert_string_equal(m.body, "Hi <alice> & all");
    assert_null(m.error);
    assert_int_equal(m.delay, 0);
    msg_clear(&m);
    assert_null(m.body);
    xmpp_stanza_release(st);
}

/* A message without a body (a chat state, say) has body NULL. */
static void
test_msg_without_body(void **state)
{
    xmpp_stanza_t *st =
        stanza("<message from='bob@example.com/phone' type='chat'>"
               "<composing xmlns='http://jabber.org/protocol/chatstates'/>"
               "</message>");
    struct parsed_message m;

    assert_true(msg_parse(st, &m));
    assert_null(m.body);
    assert_null(m.to);
    assert_null(m.id);
    msg_clear(&m);
    xmpp_stanza_release(st);

    /* An empty <body/> is an empty body, not a missing one. */
    st = stanza("<message type='chat'><body/></message>");
    assert_true(msg_parse(st, &m));
    assert_non_null(m.body);
    assert_string_equal(m.body, "");
    msg_clear(&m);
    xmpp_stanza_release(st);
}

/* A message with no type attribute is "normal" (RFC 6121 5.2.2). */
static void
test_msg_default_type(void **state)
{
    xmpp_stanza_t *st = stanza("<message><body>x</body></message>");
    struct parsed_message m;

    assert_true(msg_parse(st, &m));
    assert_string_equal(m.type, "normal");
    msg_clear(&m);
    xmpp_stanza_release(st);
}

/* A type='error' message carries its condition and text. */
static void
test_msg_error(void **state)
{
    xmpp_stanza_t *st = stanza(
        "<message from='bob@example.com' type='error' id='m2'>"
        "<body>original</body>"
        "<error type='cancel'>"
        "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
        "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Bob is gone</text>"
        "</error></message>");
    struct parsed_message m;
    char *text;

    assert_true(msg_parse(st, &m));
    assert_string_equal(m.type, "error");
    assert_string_equal(m.error, "service-unavailable (Bob is gone)");
    text = stanza_error_text(st);
    assert_string_equal(text, m.error);
    g_free(text);
    msg_clear(&m);
    xmpp_stanza_release(st);
}

/* stanza_error_text without text, without condition, without <error/>. */
static void
test_error_text_variants(void **state)
{
    xmpp_stanza_t *st;
    char *text;

    st = stanza("<iq type='error'><error type='cancel'><item-not-found "
                "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
    text = stanza_error_text(st);
    assert_string_equal(text, "item-not-found");
    g_free(text);
    xmpp_stanza_release(st);

    /* Text before the condition, and a foreign child that is ignored. */
    st = stanza("<iq type='error'><error type='modify'>"
                "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>why"
                "</text><app xmlns='urn:example:app'/>"
                "<bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                "</error></iq>");
    text = stanza_error_text(st);
    assert_string_equal(text, "bad-request (why)");
    g_free(text);
    xmpp_stanza_release(st);

    st = stanza("<message type='error'><error type='cancel'/></message>");
    text = stanza_error_text(st);
    assert_string_equal(text, "undefined-condition");
    g_free(text);
    xmpp_stanza_release(st);

    st = stanza("<message type='error'/>");
    text = stanza_error_text(st);
    assert_string_equal(text, "unknown error");
    g_free(text);
    xmpp_stanza_release(st);
}

/* A XEP-0203 delay stamp becomes unix seconds; bad or foreign ones 0. */
static void
test_msg_delay(void **state)
{
    static const struct {
        const char *xml;
        int64_t want;
    } cases[] = {
        {"<message><body>x</body><delay xmlns='urn:xmpp:delay' "
         "stamp='2002-09-10T23:08:25Z'/></message>",
         1031699305},
        {"<message><body>x</body><delay xmlns='urn:xmpp:delay' "
         "stamp='2002-09-10T23:08:25.123Z'/></message>",
         1031699305},
        {"<message><body>x</body><delay xmlns='urn:xmpp:delay' "
         "stamp='2002-09-11T01:08:25+02:00'/></message>",
         1031699305},
        {"<message><body>x</body><delay xmlns='urn:xmpp:delay' "
         "stamp='yesterday'/></message>",
         0},
        {"<message><body>x</body><delay xmlns='urn:xmpp:delay'/></message>",
         0},
        /* The old XEP-0091 namespace is not XEP-0203. */
        {"<message><body>x</body><delay xmlns='jabber:x:delay' "
         "stamp='2002-09-10T23:08:25Z'/></message>",
         0},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        xmpp_stanza_t *st = stanza(cases[i].xml);
        struct parsed_message m;

        assert_true(msg_parse(st, &m));
        assert_int_equal(m.delay, cases[i].want);
        msg_clear(&m);
        xmpp_stanza_release(st);
    }
}

/* msg_parse and presence_parse refuse other stanzas. */
static void
test_parse_wrong_kind(void **state)
{
    xmpp_stanza_t *st = stanza("<iq type='get' id='x'/>");
    struct parsed_message m;
    struct parsed_presence p;

    assert_false(msg_parse(st, &m));
    assert_null(m.from);
    assert_false(presence_parse(st, &p));
    assert_null(p.from);
    msg_clear(&m);
    presence_clear(&p);
    xmpp_stanza_release(st);
}

/* Plain available presence: no type, show "online", priority 0. */
static void
test_presence_available(void **state)
{
    xmpp_stanza_t *st = stanza("<presence from='bob@example.com/phone'/>");
    struct parsed_presence p;

    assert_true(presence_parse(st, &p));
    assert_string_equal(p.from, "bob@example.com/phone");
    assert_null(p.type);
    assert_string_equal(p.show, "online");
    assert_null(p.status);
    assert_int_equal(p.priority, 0);
    presence_clear(&p);
    xmpp_stanza_release(st);
}

/* <show/>, <status/> and <priority/> are read. */
static void
test_presence_show_status_priority(void **state)
{
    xmpp_stanza_t *st = stanza("<presence from='bob@example.com/phone'>"
                               "<show>away</show><status>Out to lunch"
                               "</status><priority>5</priority></presence>");
    struct parsed_presence p;

    assert_true(presence_parse(st, &p));
    assert_string_equal(p.show, "away");
    assert_string_equal(p.status, "Out to lunch");
    assert_int_equal(p.priority, 5);
    presence_clear(&p);
    xmpp_stanza_release(st);

    st = stanza("<presence><show>dnd</show><priority>-1</priority>"
                "</presence>");
    assert_true(presence_parse(st, &p));
    assert_string_equal(p.show, "dnd");
    assert_int_equal(p.priority, -1);
    presence_clear(&p);
    xmpp_stanza_release(st);
}

/* An unknown <show/> value is plain availability. */
static void
test_presence_unknown_show(void **state)
{
    static const char *const xml[] = {
        "<presence><show>sleeping</show></presence>",
        "<presence><show/></presence>",
        "<presence><show>AWAY</show></presence>",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(xml); i++) {
        xmpp_stanza_t *st = stanza(xml[i]);
        struct parsed_presence p;

        assert_true(presence_parse(st, &p));
        assert_string_equal(p.show, "online");
        presence_clear(&p);
        xmpp_stanza_release(st);
    }
}

/* type='unavailable' is reported as the type. */
static void
test_presence_unavailable(void **state)
{
    xmpp_stanza_t *st = stanza("<presence from='bob@example.com/phone' "
                               "type='unavailable'><status>bye</status>"
                               "</presence>");
    struct parsed_presence p;

    assert_true(presence_parse(st, &p));
    assert_string_equal(p.type, "unavailable");
    assert_string_equal(p.status, "bye");
    presence_clear(&p);
    xmpp_stanza_release(st);
}

/* Priority is clamped to -128..127; junk reads as 0. */
static void
test_presence_priority_clamped(void **state)
{
    static const struct {
        const char *prio;
        int want;
    } cases[] = {
        {"127", 127},
        {"128", 127},
        {"300", 127},
        {"-128", -128},
        {"-129", -128},
        {"-300", -128},
        {"99999999999999999999999", 127},
        {"-99999999999999999999999", -128},
        {"abc", 0},
        {"", 0},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *xml = g_strdup_printf("<presence><priority>%s</priority>"
                                    "</presence>",
                                    cases[i].prio);
        xmpp_stanza_t *st = stanza(xml);
        struct parsed_presence p;

        assert_true(presence_parse(st, &p));
        assert_int_equal(p.priority, cases[i].want);
        presence_clear(&p);
        xmpp_stanza_release(st);
        g_free(xml);
    }
}

/* Roster items with names, subscriptions and groups, in order. */
static void
test_roster_items(void **state)
{
    xmpp_stanza_t *st = stanza(
        "<iq type='result' id='r1'><query xmlns='jabber:iq:roster'>"
        "<item jid='bob@example.com' name='Bob' subscription='both'>"
        "<group>Friends</group><group>Work</group></item>"
        "<item jid='carol@example.net' subscription='none' ask='subscribe'/>"
        "</query></iq>");
    GPtrArray *items = roster_parse(st);
    struct roster_item *it;

    assert_int_equal(items->len, 2);
    it = items->pdata[0];
    assert_string_equal(it->jid, "bob@example.com");
    assert_string_equal(it->name, "Bob");
    assert_string_equal(it->subscription, "both");
    assert_null(it->ask);
    assert_int_equal(it->groups->len, 2);
    assert_string_equal(it->groups->pdata[0], "Friends");
    assert_string_equal(it->groups->pdata[1], "Work");
    it = items->pdata[1];
    assert_string_equal(it->jid, "carol@example.net");
    assert_null(it->name);
    assert_string_equal(it->subscription, "none");
    assert_string_equal(it->ask, "subscribe");
    assert_int_equal(it->groups->len, 0);
    g_ptr_array_unref(items);
    xmpp_stanza_release(st);
}

/* A roster push removing an item reports subscription "remove". */
static void
test_roster_remove(void **state)
{
    xmpp_stanza_t *st =
        stanza("<iq type='set' id='push1'><query xmlns='jabber:iq:roster'>"
               "<item jid='bob@example.com' subscription='remove'/>"
               "</query></iq>");
    GPtrArray *items = roster_parse(st);

    assert_int_equal(items->len, 1);
    assert_string_equal(((struct roster_item *)items->pdata[0])->subscription,
                        "remove");
    g_ptr_array_unref(items);
    xmpp_stanza_release(st);
}

/* Roster pushes count only without 'from' or from our bare JID (RFC 6121
 * 2.1.6): not from a stranger, nor from another resource of ours. */
static void
test_roster_push_trusted(void **state)
{
    assert_true(roster_push_trusted(NULL, "alice@example.com"));
    assert_true(roster_push_trusted("alice@example.com", "alice@example.com"));
    assert_true(roster_push_trusted("Alice@Example.COM", "alice@example.com"));
    assert_false(
        roster_push_trusted("alice@example.com/other", "alice@example.com"));
    assert_false(
        roster_push_trusted("mallory@evil.example", "alice@example.com"));
    assert_false(roster_push_trusted("example.com", "alice@example.com"));
    assert_false(roster_push_trusted("", "alice@example.com"));
    assert_false(roster_push_trusted("alice@example.com/\xe2\x80\xae",
                                     "alice@example.com"));
}

/* Presence types: absent or RFC 6121's seven are known; others get a
 * bad-request error back, to the sender, with the same id. */
static void
test_presence_unknown_type(void **state)
{
    xmpp_stanza_t *st = stanza("<presence type='bogus' id='p1' "
                               "from='bob@example.com/r'/>");
    xmpp_stanza_t *err = presence_error_build(st, "bad-request");
    xmpp_stanza_t *e;

    assert_true(presence_type_known(NULL));
    assert_true(presence_type_known("unavailable"));
    assert_true(presence_type_known("probe"));
    assert_true(presence_type_known("error"));
    assert_false(presence_type_known("bogus"));
    assert_false(presence_type_known(""));
    assert_false(presence_type_known("Unavailable"));
    assert_string_equal(xmpp_stanza_get_name(err), "presence");
    assert_string_equal(xmpp_stanza_get_type(err), "error");
    assert_string_equal(xmpp_stanza_get_to(err), "bob@example.com/r");
    assert_string_equal(xmpp_stanza_get_id(err), "p1");
    e = xmpp_stanza_get_child_by_name(err, "error");
    assert_non_null(e);
    assert_string_equal(xmpp_stanza_get_type(e), "modify");
    assert_non_null(xmpp_stanza_get_child_by_name_and_ns(
        e, "bad-request", "urn:ietf:params:xml:ns:xmpp-stanzas"));
    xmpp_stanza_release(err);
    xmpp_stanza_release(st);
}

/* Items without a jid and foreign children are skipped. */
static void
test_roster_skips_junk(void **state)
{
    xmpp_stanza_t *st =
        stanza("<iq type='result'><query xmlns='jabber:iq:roster'>"
               "<item name='nobody'/><note>hi</note>"
               "<item jid='dave@example.org'/></query></iq>");
    GPtrArray *items = roster_parse(st);

    assert_int_equal(items->len, 1);
    assert_string_equal(((struct roster_item *)items->pdata[0])->jid,
                        "dave@example.org");
    g_ptr_array_unref(items);
    xmpp_stanza_release(st);
}

/* No roster query (or one in another namespace) gives no items. */
static void
test_roster_no_query(void **state)
{
    static const char *const xml[] = {
        "<iq type='result'/>",
        "<iq type='result'><query xmlns='jabber:iq:private'>"
        "<item jid='x@y'/></query></iq>",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(xml); i++) {
        xmpp_stanza_t *st = stanza(xml[i]);
        GPtrArray *items = roster_parse(st);

        assert_non_null(items);
        assert_int_equal(items->len, 0);
        g_ptr_array_unref(items);
        xmpp_stanza_release(st);
    }
}

/* msg_build makes a chat message whose body survives a round trip. */
static void
test_msg_build(void **state)
{
    const char *body = "a < b && c > \"d\" 'e' \xe2\x82\xac";
    xmpp_stanza_t *m = msg_build(ctx, "bob@example.com", body, "id42", NULL);
    xmpp_stanza_t *back;
    struct parsed_message pm;
    char *text;

    assert_string_equal(xmpp_stanza_get_name(m), "message");
    assert_string_equal(xmpp_stanza_get_type(m), "chat");
    assert_string_equal(xmpp_stanza_get_to(m), "bob@example.com");
    assert_string_equal(xmpp_stanza_get_id(m), "id42");
    /* body, receipt request, active chat state, origin-id, markable */
    assert_int_equal(child_count(m), 5);
    text = child_text(m, "body");
    assert_string_equal(text, body);
    g_free(text);

    text = to_text(m);
    assert_contains(text, "<body>");
    assert_not_contains(text, "a < b"); /* escaped on the wire */
    back = stanza(text);
    assert_true(msg_parse(back, &pm));
    assert_string_equal(pm.body, body);
    assert_true(pm.receipt_request);
    assert_string_equal(pm.origin_id, "id42");
    assert_string_equal(pm.chat_state, "active");
    assert_null(pm.replace_id);
    assert_true(pm.markable);
    assert_string_equal(pm.to, "bob@example.com");
    msg_clear(&pm);
    xmpp_stanza_release(back);
    g_free(text);
    xmpp_stanza_release(m);
}

/* presence_build: "online" has no <show/>, others do; status, priority. */
static void
test_presence_build(void **state)
{
    xmpp_stanza_t *p = presence_build(ctx, "online", NULL, 0);
    struct parsed_presence pp;
    char *text;

    assert_string_equal(xmpp_stanza_get_name(p), "presence");
    assert_null(xmpp_stanza_get_type(p));
    assert_int_equal(child_count(p), 0);
    xmpp_stanza_release(p);

    p = presence_build(ctx, "away", "Out to lunch", 5);
    assert_int_equal(child_count(p), 3);
    text = child_text(p, "show");
    assert_string_equal(text, "away");
    g_free(text);
    text = child_text(p, "status");
    assert_string_equal(text, "Out to lunch");
    g_free(text);
    text = child_text(p, "priority");
    assert_string_equal(text, "5");
    g_free(text);
    /* What we build, we parse back the same. */
    assert_true(presence_parse(p, &pp));
    assert_string_equal(pp.show, "away");
    assert_string_equal(pp.status, "Out to lunch");
    assert_int_equal(pp.priority, 5);
    presence_clear(&pp);
    xmpp_stanza_release(p);

    /* An empty status is left out; a negative priority is kept. */
    p = presence_build(ctx, "dnd", "", -1);
    assert_null(xmpp_stanza_get_child_by_name(p, "status"));
    text = child_text(p, "priority");
    assert_string_equal(text, "-1");
    g_free(text);
    xmpp_stanza_release(p);
}

/* roster_get_build is an iq get with an empty roster query. */
static void
test_roster_get_build(void **state)
{
    xmpp_stanza_t *iq = roster_get_build(ctx, "roster1", NULL);
    xmpp_stanza_t *q;
    char *text;

    assert_string_equal(xmpp_stanza_get_name(iq), "iq");
    assert_string_equal(xmpp_stanza_get_type(iq), "get");
    assert_string_equal(xmpp_stanza_get_id(iq), "roster1");
    assert_int_equal(child_count(iq), 1);
    q = xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_ROSTER);
    assert_non_null(q);
    assert_null(xmpp_stanza_get_children(q));
    text = to_text(iq);
    assert_contains(text, "xmlns=\"jabber:iq:roster\"");
    assert_null(strstr(text, "ver="));
    g_free(text);
    xmpp_stanza_release(iq);
}

/* With a version, the query carries it (RFC 6121 2.6.2), even "". */
static void
test_roster_get_build_ver(void **state)
{
    xmpp_stanza_t *iq = roster_get_build(ctx, "r2", "42");
    xmpp_stanza_t *q =
        xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_ROSTER);

    assert_string_equal(xmpp_stanza_get_attribute(q, "ver"), "42");
    xmpp_stanza_release(iq);
    iq = roster_get_build(ctx, "r3", "");
    q = xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_ROSTER);
    assert_string_equal(xmpp_stanza_get_attribute(q, "ver"), "");
    xmpp_stanza_release(iq);
}

/* iq_error_build: same id, to the sender, a cancel error with cond. */
static void
test_iq_error_build(void **state)
{
    xmpp_stanza_t *iq = stanza("<iq type='get' id='q7' "
                               "from='bob@example.com/phone' "
                               "to='alice@example.com/natter'>"
                               "<query xmlns='urn:example:unknown'/></iq>");
    xmpp_stanza_t *reply = iq_error_build(iq, "service-unavailable");
    xmpp_stanza_t *err, *cond;
    char *text;

    assert_string_equal(xmpp_stanza_get_name(reply), "iq");
    assert_string_equal(xmpp_stanza_get_type(reply), "error");
    assert_string_equal(xmpp_stanza_get_id(reply), "q7");
    assert_string_equal(xmpp_stanza_get_to(reply), "bob@example.com/phone");
    err = xmpp_stanza_get_child_by_name(reply, "error");
    assert_non_null(err);
    assert_string_equal(xmpp_stanza_get_type(err), "cancel");
    cond = xmpp_stanza_get_child_by_name_and_ns(err, "service-unavailable",
                                                NS_STANZAS);
    assert_non_null(cond);
    text = stanza_error_text(reply);
    assert_string_equal(text, "service-unavailable");
    g_free(text);
    /* The original is left alone. */
    assert_string_equal(xmpp_stanza_get_type(iq), "get");
    xmpp_stanza_release(reply);
    xmpp_stanza_release(iq);
}

/* show_valid takes exactly the /status words. */
static void
test_show_valid(void **state)
{
    static const char *const good[] = {"online", "chat", "away", "xa", "dnd"};
    static const char *const bad[] = {"", "offline", "Away", "busy",
                                      "unavailable"};

    for (size_t i = 0; i < G_N_ELEMENTS(good); i++)
        assert_true(show_valid(good[i]));
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
        assert_false(show_valid(bad[i]));
}

/* Run the stanza tests with one libstrophe context. */
/* Replies are built by hand: a push without 'from' still gets one. */
static void
test_iq_reply_without_from(void **state)
{
    xmpp_stanza_t *push = stanza("<iq type='set' id='p1'><query "
                                 "xmlns='jabber:iq:roster'><item "
                                 "jid='b@x'/></query></iq>");
    xmpp_stanza_t *r = iq_reply_build(push, "result");

    assert_non_null(r);
    assert_string_equal(xmpp_stanza_get_type(r), "result");
    assert_string_equal(xmpp_stanza_get_id(r), "p1");
    assert_null(xmpp_stanza_get_to(r));
    assert_null(xmpp_stanza_get_children(r));
    xmpp_stanza_release(r);
    r = iq_error_build(push, "service-unavailable");
    assert_string_equal(xmpp_stanza_get_type(r), "error");
    assert_null(xmpp_stanza_get_to(r));
    xmpp_stanza_release(r);
    xmpp_stanza_release(push);
}

/* Roster sets carry name and groups, or the removal mark. */
static void
test_roster_set_build(void **state)
{
    GPtrArray *groups = g_ptr_array_new();
    xmpp_stanza_t *iq, *item;
    char *buf;
    size_t len;

    g_ptr_array_add(groups, "Work");
    g_ptr_array_add(groups, "Friends");
    iq = roster_set_build(ctx, "r1", "bob@x", "Bob", groups, false);
    assert_int_equal(xmpp_stanza_to_text(iq, &buf, &len), 0);
    assert_contains(buf, "jid=\"bob@x\"");
    assert_contains(buf, "name=\"Bob\"");
    assert_contains(buf, "<group>Work</group><group>Friends</group>");
    xmpp_free(ctx, buf);
    xmpp_stanza_release(iq);
    iq = roster_set_build(ctx, "r2", "bob@x", "Bob", groups, true);
    item = xmpp_stanza_get_child_by_name(
        xmpp_stanza_get_child_by_name(iq, "query"), "item");
    assert_string_equal(xmpp_stanza_get_attribute(item, "subscription"),
                        "remove");
    assert_null(xmpp_stanza_get_attribute(item, "name"));
    assert_null(xmpp_stanza_get_children(item));
    xmpp_stanza_release(iq);
    iq = presence_type_build(ctx, "bob@x", "subscribe");
    assert_string_equal(xmpp_stanza_get_type(iq), "subscribe");
    assert_string_equal(xmpp_stanza_get_to(iq), "bob@x");
    xmpp_stanza_release(iq);
    g_ptr_array_unref(groups);
}

/* Receipts, corrections and carbons are taken apart; foreign wrappers
 * unwrap only the way the caller then checks. */
static void
test_msg_extensions(void **state)
{
    xmpp_stanza_t *st =
        stanza("<message from='b@x/r' type='chat' id='m2'><body>fixed</body>"
               "<replace xmlns='urn:xmpp:message-correct:0' id='m1'/>"
               "<received xmlns='urn:xmpp:receipts' id='o7'/>"
               "<composing xmlns='http://jabber.org/protocol/chatstates'/>"
               "</message>");
    struct parsed_message pm;
    enum carbon_kind kind;
    xmpp_stanza_t *inner;

    assert_true(msg_parse(st, &pm));
    assert_string_equal(pm.replace_id, "m1");
    assert_string_equal(pm.receipt_for, "o7");
    assert_string_equal(pm.chat_state, "composing");
    assert_false(pm.receipt_request);
    msg_clear(&pm);
    assert_null(carbon_unwrap(st, &kind));
    assert_int_equal(kind, CARBON_NONE);
    xmpp_stanza_release(st);

    st = stanza("<message from='a@x' to='a@x/n'><sent "
                "xmlns='urn:xmpp:carbons:2'><forwarded "
                "xmlns='urn:xmpp:forward:0'><message from='a@x/p' to='b@x' "
                "type='chat'><body>hi</body></message></forwarded></sent>"
                "</message>");
    inner = carbon_unwrap(st, &kind);
    assert_non_null(inner);
    assert_int_equal(kind, CARBON_SENT);
    assert_string_equal(xmpp_stanza_get_to(inner), "b@x");
    xmpp_stanza_release(st);

    /* A carbon wrapper without a forwarded message is no carbon. */
    st = stanza("<message from='a@x'><received "
                "xmlns='urn:xmpp:carbons:2'/></message>");
    assert_null(carbon_unwrap(st, &kind));
    assert_int_equal(kind, CARBON_NONE);
    xmpp_stanza_release(st);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iq_reply_without_from),
        cmocka_unit_test(test_msg_extensions),
        cmocka_unit_test(test_roster_set_build),
        cmocka_unit_test(test_msg_chat_body),
        cmocka_unit_test(test_msg_without_body),
        cmocka_unit_test(test_msg_default_type),
        cmocka_unit_test(test_msg_error),
        cmocka_unit_test(test_error_text_variants),
        cmocka_unit_test(test_msg_delay),
        cmocka_unit_test(test_parse_wrong_kind),
        cmocka_unit_test(test_presence_available),
        cmocka_unit_test(test_presence_show_status_priority),
        cmocka_unit_test(test_presence_unknown_show),
        cmocka_unit_test(test_presence_unavailable),
        cmocka_unit_test(test_presence_priority_clamped),
        cmocka_unit_test(test_roster_items),
        cmocka_unit_test(test_roster_remove),
        cmocka_unit_test(test_roster_skips_junk),
        cmocka_unit_test(test_roster_push_trusted),
        cmocka_unit_test(test_presence_unknown_type),
        cmocka_unit_test(test_roster_no_query),
        cmocka_unit_test(test_msg_build),
        cmocka_unit_test(test_presence_build),
        cmocka_unit_test(test_roster_get_build),
        cmocka_unit_test(test_roster_get_build_ver),
        cmocka_unit_test(test_iq_error_build),
        cmocka_unit_test(test_show_valid),
    };

    return cmocka_run_group_tests_name("stanza", tests, group_setup,
                                       group_teardown);
}
