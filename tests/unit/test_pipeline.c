/* SPDX-License-Identifier: MIT */
/*
 * The message pipeline (xmpp/message.c) proven through its hooks: a
 * test-only transform that marks text ("[t]" on the wire, plain text and
 * PROTECTION_ENCRYPTED in natter) sits in the pipeline while a natter
 * logged in through the real session code (tests/fuzz/fuzz-session.h:
 * real model, store, windows and headless front end; no socket) sends
 * and receives on every path: live, queued while offline, sent again
 * after a reconnect, room, room private, /me, /correct; live one-to-one,
 * carbons both ways, offline delivery, archive pages one-to-one and room
 * (catch-up and scroll-back), live room, room private. Each path must
 * meet the hooks, and consume and hold must behave as documented.
 */
#include "unit.h"

#include "../fuzz/fuzz-session.h"
#include "cmd/cmd.h"
#include "xmpp/message.h"
#include "xmpp/xml.h"

#define MARK "[t]"
#define BOB "bob@example.org"

/* What the test transform and the listeners saw. */
static struct {
    unsigned int out_calls, in_calls;
    GPtrArray *events; /* struct message * copies of EV_MESSAGE */
    unsigned int stanzas_in, stanzas_out; /* EV_STANZA */
    struct message *kept; /* an incoming message the transform held */
    bool let_go;          /* "hold:" messages may go now */
} seen;

/* Outgoing hook: mark the wire body; hold "hold:" and consume "eat:". */
static enum transform_result
mark_out(struct account *acct, struct message *m, xmpp_stanza_t *st,
         char **reason, void *data)
{
    xmpp_stanza_t *body = xmpp_stanza_get_child_by_name(st, "body");
    char *wire;

    (void)acct;
    (void)data;
    seen.out_calls++;
    if (g_str_has_prefix(m->body, "eat:"))
        return TRANSFORM_CONSUME;
    if (g_str_has_prefix(m->body, "hold:") && !seen.let_go) {
        *reason = g_strdup("no session yet");
        return TRANSFORM_HOLD;
    }
    assert_non_null(body);
    wire = g_strconcat(MARK, m->body, NULL);
    xml_set_child_text(st, "body", wire);
    g_free(wire);
    m->protection = PROTECTION_ENCRYPTED;
    message_set(&m->scheme, "test");
    return TRANSFORM_REPLACE;
}

/* Incoming hook: unmark "[t]" bodies; consume "[t]eat", hold "[t]hold". */
static enum transform_result
mark_in(struct account *acct, struct message *m, xmpp_stanza_t *st,
        char **reason, void *data)
{
    (void)acct;
    (void)st;
    (void)reason;
    (void)data;
    seen.in_calls++;
    if (m->body == NULL || !g_str_has_prefix(m->body, MARK))
        return TRANSFORM_PASS;
    if (strcmp(m->body, MARK "eat") == 0)
        return TRANSFORM_CONSUME;
    message_set(&m->body, m->body + strlen(MARK));
    m->protection = PROTECTION_ENCRYPTED;
    message_set(&m->scheme, "test");
    if (strcmp(m->body, "hold") == 0) {
        seen.kept = message_copy(m);
        return TRANSFORM_HOLD;
    }
    return TRANSFORM_REPLACE;
}

static const struct message_transform marker = {"test", mark_out, mark_in,
                                                NULL};

/* Keep a copy of every EV_MESSAGE. */
static void
on_message(enum event_type type, const void *payload, void *data)
{
    (void)type;
    (void)data;
    g_ptr_array_add(seen.events, message_copy(payload));
}

/* Count the stanzas the tap shows. */
static void
on_stanza(enum event_type type, const void *payload, void *data)
{
    const struct ev_stanza *ev = payload;

    (void)type;
    (void)data;
    assert_ptr_equal(ev->acct, fz.acct);
    if (ev->outgoing)
        seen.stanzas_out++;
    else
        seen.stanzas_in++;
}

/* A logged-in natter with the transform in its pipeline. */
static int
setup(void **state)
{
    (void)state;
    fuzz_session_start();
    memset(&seen, 0, sizeof seen);
    seen.events = g_ptr_array_new_with_free_func((GDestroyNotify)message_free);
    message_transform_add(&marker);
    event_subscribe(EV_MESSAGE, on_message, NULL);
    event_subscribe(EV_STANZA, on_stanza, NULL);
    g_ptr_array_set_size(fz.sent, 0);
    return 0;
}

/* Tear it down again. */
static int
teardown(void **state)
{
    (void)state;
    message_transform_remove(&marker);
    fuzz_session_stop();
    g_ptr_array_unref(seen.events);
    message_free(seen.kept);
    seen.kept = NULL;
    return 0;
}

/* The newest EV_MESSAGE seen; fails when there was none. */
static const struct message *
last_event(void)
{
    assert_true(seen.events->len > 0);
    return seen.events->pdata[seen.events->len - 1];
}

/* Check that the newest event is an unmarked, transformed text. */
static void
assert_unmarked(const char *body)
{
    const struct message *m = last_event();

    assert_string_equal(m->body, body);
    assert_int_equal(m->protection, PROTECTION_ENCRYPTED);
    assert_string_equal(m->scheme, "test");
}

/* The body of the newest stanza natter sent that has one, or NULL. */
static const char *
last_sent_body(void)
{
    static char *text;

    g_free(text);
    text = NULL;
    for (guint i = fz.sent->len; i-- > 0;) {
        xmpp_stanza_t *b =
            xmpp_stanza_get_child_by_name(fz.sent->pdata[i], "body");
        if (b != NULL) {
            char *t = xmpp_stanza_get_text(b);
            text = g_strdup(t);
            xmpp_free(session_ctx(), t);
            return text;
        }
    }
    return NULL;
}

/* The newest <message/> natter sent; fails when there is none. */
static xmpp_stanza_t *
last_sent_message(void)
{
    for (guint i = fz.sent->len; i-- > 0;)
        if (fuzz_named(fz.sent->pdata[i], "message"))
            return fz.sent->pdata[i];
    fail();
    return NULL;
}

/* Feed one stanza of XML to the live handlers. */
static void
feed(const char *xml)
{
    fuzz_session_fire_xml(xml);
    fuzz_loop_settle();
}

/* --- incoming ---------------------------------------------------------- */

/* A live chat message, with a receipt request: unmarked, answered. */
static void
test_in_live(void **state)
{
    unsigned int before = seen.stanzas_in;

    (void)state;
    feed("<message from='" BOB "/laptop' type='chat' id='l1'>"
         "<body>[t]hello</body><request xmlns='urn:xmpp:receipts'/>"
         "</message>");
    assert_unmarked("hello");
    assert_false(last_event()->outgoing);
    assert_string_equal(last_event()->peer, BOB);
    assert_int_equal(seen.in_calls, 1);
    assert_true(seen.stanzas_in > before);
    /* the receipt went out through the one write path, seen by the tap */
    assert_true(seen.stanzas_out > 0);
    /* the window line carries the protection state */
    {
        struct window *w = window_find_chat(fz.acct, BOB);
        const struct line *l = window_find_line(w, "l1");
        assert_non_null(l);
        assert_string_equal(l->text, "hello");
        assert_int_equal(l->protection, PROTECTION_ENCRYPTED);
    }
    /* and so does the stored row */
    {
        char *cause = NULL;
        GPtrArray *rows = history_last(fz.acct, BOB, 10, &cause);
        const struct history_row *r;
        assert_non_null(rows);
        r = rows->pdata[rows->len - 1];
        assert_string_equal(r->body, "hello");
        assert_int_equal(r->protection, PROTECTION_ENCRYPTED);
        assert_string_equal(r->scheme, "test");
        g_ptr_array_unref(rows);
    }
}

/* Offline delivery: a delayed message is unmarked and keeps its time. */
static void
test_in_offline(void **state)
{
    (void)state;
    feed("<message from='" BOB "/laptop' type='chat' id='o1'>"
         "<body>[t]while away</body><delay xmlns='urn:xmpp:delay' "
         "stamp='2024-01-02T03:04:05Z'/></message>");
    assert_unmarked("while away");
    assert_int_equal(last_event()->time, 1704164645);
}

/* Carbons both ways (XEP-0280), from our own account. */
static void
test_in_carbons(void **state)
{
    (void)state;
    feed("<message from='" FUZZ_ME "' to='" FUZZ_ME "/" FUZZ_RESOURCE "'>"
         "<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:"
         "forward:0'><message from='alice@example.org/phone' to='" FUZZ_ME
         "/other' type='chat' id='c1'><body>[t]to phone</body></message>"
         "</forwarded></received></message>");
    assert_unmarked("to phone");
    assert_true(last_event()->carbon);
    assert_false(last_event()->outgoing);
    feed("<message from='" FUZZ_ME "' to='" FUZZ_ME "/" FUZZ_RESOURCE "'>"
         "<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:"
         "forward:0'><message to='alice@example.org' from='" FUZZ_ME
         "/other' type='chat' id='c2'><body>[t]from phone</body></message>"
         "</forwarded></sent></message>");
    assert_unmarked("from phone");
    assert_true(last_event()->outgoing);
    assert_string_equal(last_event()->peer, "alice@example.org");
    assert_int_equal(seen.in_calls, 2);
}

/* A page of our own archive (the catch-up on login). */
static void
test_in_archive(void **state)
{
    (void)state;
    feed("<message from='" FUZZ_ME "'><result xmlns='urn:xmpp:mam:2' "
         "id='arch-1'><forwarded xmlns='urn:xmpp:forward:0'><delay "
         "xmlns='urn:xmpp:delay' stamp='2024-01-02T03:04:05Z'/><message "
         "from='" BOB "/laptop' type='chat' id='a1'><body>[t]archived</body>"
         "</message></forwarded></result></message>");
    assert_unmarked("archived");
    assert_string_equal(last_event()->archive_id, "arch-1");
    assert_false(last_event()->backfill);
}

/* A room's archive (its catch-up on join), a live room line and a
 * private message through the room. */
static void
test_in_room(void **state)
{
    (void)state;
    feed("<message from='" FUZZ_ROOM "'><result xmlns='urn:xmpp:mam:2' "
         "id='room-1'><forwarded xmlns='urn:xmpp:forward:0'><delay "
         "xmlns='urn:xmpp:delay' stamp='2024-01-02T03:04:05Z'/><message "
         "from='" FUZZ_ROOM "/dave' type='groupchat' id='g1'><body>[t]old"
         "</body></message></forwarded></result></message>");
    assert_unmarked("old");
    assert_int_equal(last_event()->kind, MESSAGE_GROUPCHAT);
    assert_string_equal(last_event()->archive_id, "room-1");
    feed("<message from='" FUZZ_ROOM "/dave' type='groupchat' id='g2'>"
         "<body>[t]live</body></message>");
    assert_unmarked("live");
    assert_string_equal(last_event()->nick, "dave");
    feed("<message from='" FUZZ_ROOM "/dave' type='chat' id='p1'>"
         "<body>[t]psst</body><x xmlns='http://jabber.org/protocol/"
         "muc#user'/></message>");
    assert_unmarked("psst");
    assert_true(last_event()->muc_private);
    assert_int_equal(seen.in_calls, 3);
}

/* The query id of the newest archive query natter sent (scroll-back). */
static char *
last_query_id(void)
{
    for (guint i = fz.sent->len; i-- > 0;) {
        xmpp_stanza_t *q = xmpp_stanza_get_child_by_name_and_ns(
            fz.sent->pdata[i], "query", NS_MAM);
        if (q != NULL && xmpp_stanza_get_attribute(q, "queryid") != NULL)
            return g_strdup(xmpp_stanza_get_attribute(q, "queryid"));
    }
    return NULL;
}

/* Scroll-back pages (one-to-one and room): through the hooks, and to the
 * store through the same event, marked as back-fill. */
static void
test_in_backfill(void **state)
{
    struct ev_archive want = {0};
    char *qid, *xml;

    (void)state;
    want.acct = fz.acct;
    want.peer = BOB;
    event_emit(EV_ARCHIVE_WANT, &want);
    fuzz_loop_settle();
    qid = last_query_id();
    assert_non_null(qid);
    xml = g_strdup_printf(
        "<message from='" FUZZ_ME "'><result xmlns='urn:xmpp:mam:2' "
        "queryid='%s' id='back-1'><forwarded xmlns='urn:xmpp:forward:0'>"
        "<delay xmlns='urn:xmpp:delay' stamp='2020-01-02T03:04:05Z'/>"
        "<message from='" BOB "/laptop' type='chat' id='b1'><body>[t]long "
        "ago</body></message></forwarded></result></message>",
        qid);
    feed(xml);
    g_free(xml);
    g_free(qid);
    assert_unmarked("long ago");
    assert_true(last_event()->backfill);
    /* it reached the store, not the window */
    assert_true(history_flush(NULL));
    assert_null(window_find_line(window_find_chat(fz.acct, BOB), "b1"));

    want.peer = FUZZ_ROOM;
    event_emit(EV_ARCHIVE_WANT, &want);
    fuzz_loop_settle();
    qid = last_query_id();
    assert_non_null(qid);
    xml = g_strdup_printf(
        "<message from='" FUZZ_ROOM "'><result xmlns='urn:xmpp:mam:2' "
        "queryid='%s' id='rback-1'><forwarded xmlns='urn:xmpp:forward:0'>"
        "<delay xmlns='urn:xmpp:delay' stamp='2020-01-02T03:04:05Z'/>"
        "<message from='" FUZZ_ROOM "/dave' type='groupchat' id='rb1'>"
        "<body>[t]room long ago</body></message></forwarded></result>"
        "</message>",
        qid);
    feed(xml);
    g_free(xml);
    g_free(qid);
    assert_unmarked("room long ago");
    assert_true(last_event()->backfill);
    assert_int_equal(last_event()->kind, MESSAGE_GROUPCHAT);
}

/* Consume: nothing shown, no receipt; hold: shown once handed on. */
static void
test_in_consume_hold(void **state)
{
    guint n;

    (void)state;
    n = seen.events->len;
    feed("<message from='" BOB "/laptop' type='chat' id='e1'>"
         "<body>[t]eat</body><request xmlns='urn:xmpp:receipts'/>"
         "</message>");
    assert_int_equal(seen.events->len, n);
    for (guint i = 0; i < fz.sent->len; i++)
        assert_null(xmpp_stanza_get_child_by_name_and_ns(
            fz.sent->pdata[i], "received", NS_RECEIPTS));
    feed("<message from='" BOB "/laptop' type='chat' id='h1'>"
         "<body>[t]hold</body></message>");
    assert_int_equal(seen.events->len, n);
    assert_non_null(seen.kept);
    message_deliver(seen.kept);
    assert_unmarked("hold");
}

/* --- outgoing ---------------------------------------------------------- */

/* A live chat message: marked on the wire, plain and protected here. */
static void
test_out_live(void **state)
{
    char *cause = NULL;

    (void)state;
    assert_true(message_send_chat(fz.acct, BOB, "hi bob", NULL, &cause));
    assert_string_equal(last_sent_body(), MARK "hi bob");
    assert_unmarked("hi bob");
    assert_true(last_event()->outgoing);
    assert_int_equal(seen.out_calls, 1);
}

/* /me, /correct and a typed line go the same way, to the locked
 * resource. */
static void
test_out_window(void **state)
{
    struct window *w = window_find_chat(fz.acct, BOB);
    char *cause = NULL;
    xmpp_stanza_t *last;

    (void)state;
    assert_non_null(w);
    assert_true(cmd_send_to_window(w, "/me waves", NULL, &cause));
    assert_string_equal(last_sent_body(), MARK "/me waves");
    last = last_sent_message();
    assert_string_equal(xmpp_stanza_get_to(last), BOB "/laptop");
    assert_true(cmd_send_to_window(w, "fixed", "l1", &cause));
    assert_string_equal(last_sent_body(), MARK "fixed");
    last = last_sent_message();
    assert_non_null(
        xmpp_stanza_get_child_by_name_and_ns(last, "replace", NS_CORRECT));
    assert_int_equal(seen.out_calls, 2);
}

/* Room and room private messages. */
static void
test_out_room(void **state)
{
    char *cause = NULL;
    guint n = seen.events->len;

    (void)state;
    assert_true(muc_send(fz.acct, FUZZ_ROOM, "to all", NULL, &cause));
    assert_string_equal(last_sent_body(), MARK "to all");
    assert_int_equal(seen.events->len, n); /* the room's echo is the line */
    assert_true(
        muc_send_private(fz.acct, FUZZ_ROOM "/dave", "to dave", NULL, &cause));
    assert_string_equal(last_sent_body(), MARK "to dave");
    assert_unmarked("to dave");
    assert_true(last_event()->muc_private);
    assert_int_equal(seen.out_calls, 2);
}

/* The connection breaks: the message typed meanwhile is queued (not yet
 * transformed), and goes through the hooks when the account is back,
 * after the unconfirmed one was sent again through them too. */
static void
test_out_queued_and_resent(void **state)
{
    char *cause = NULL;
    unsigned int calls;

    (void)state;
    assert_true(message_send_chat(fz.acct, BOB, "unconfirmed", NULL, &cause));
    /* the connection breaks before the server confirms it */
    fz.connected = false;
    fz.conn_cb(fz.conn, XMPP_CONN_DISCONNECT, 104, NULL, fz.conn_data);
    fuzz_loop_settle();
    assert_int_equal(fz.acct->state, ACCOUNT_OFFLINE);
    calls = seen.out_calls;
    assert_true(
        message_send_chat(fz.acct, BOB, "typed offline", NULL, &cause));
    assert_true(last_event()->pending);
    assert_int_equal(seen.out_calls, calls);
    /* back online; the old connection's handlers went with it */
    g_ptr_array_set_size(fz.handlers, 0);
    g_ptr_array_set_size(fz.sent, 0);
    fz.acct->session = NULL;
    assert_true(session_connect(fz.acct, "secret", &cause));
    fz.connected = true;
    fz.conn_cb(fz.conn, XMPP_CONN_CONNECT, 0, NULL, fz.conn_data);
    fuzz_loop_settle();
    /* the outbox asks the server whether it read the unconfirmed one */
    fuzz_session_fire_xml("<iq type='result' id='@urn:xmpp:ping' from='"
                          "example.org'/>");
    fuzz_loop_settle();
    assert_int_equal(seen.out_calls, calls + 2);
    {
        bool resent = false, flushed = false;
        for (guint i = 0; i < fz.sent->len; i++) {
            xmpp_stanza_t *b =
                xmpp_stanza_get_child_by_name(fz.sent->pdata[i], "body");
            char *t = b != NULL ? xmpp_stanza_get_text(b) : NULL;
            resent = resent || g_strcmp0(t, MARK "unconfirmed") == 0;
            flushed = flushed || g_strcmp0(t, MARK "typed offline") == 0;
            if (t != NULL)
                xmpp_free(session_ctx(), t);
        }
        assert_true(resent);
        assert_true(flushed);
    }
}

/* Hold keeps a message (its line held) until released; consume sends
 * nothing and shows nothing. */
static void
test_out_hold_consume(void **state)
{
    char *cause = NULL;
    guint n;
    struct window *w = window_find_chat(fz.acct, BOB);
    const struct line *l;

    (void)state;
    g_ptr_array_set_size(fz.sent, 0);
    assert_true(message_send_chat(fz.acct, BOB, "hold: later", NULL, &cause));
    assert_null(last_sent_body());
    assert_int_equal(message_held_count(fz.acct, BOB), 1);
    assert_true(last_event()->held);
    l = window_find_line(w, last_event()->id);
    assert_non_null(l);
    assert_true(l->held);
    seen.let_go = true;
    message_release(fz.acct, BOB);
    assert_int_equal(message_held_count(fz.acct, BOB), 0);
    assert_string_equal(last_sent_body(), MARK "hold: later");
    assert_false(l->held);

    g_ptr_array_set_size(fz.sent, 0);
    n = seen.events->len;
    assert_true(message_send_chat(fz.acct, BOB, "eat: this", NULL, &cause));
    assert_null(last_sent_body());
    assert_int_equal(seen.events->len, n);
}

/* Without a transform, nothing changes on the wire. */
static void
test_no_transform(void **state)
{
    char *cause = NULL;

    (void)state;
    message_transform_remove(&marker);
    assert_true(message_send_chat(fz.acct, BOB, "plain", NULL, &cause));
    assert_string_equal(last_sent_body(), "plain");
    assert_int_equal(last_event()->protection, PROTECTION_PLAIN);
    assert_null(last_event()->scheme);
    feed("<message from='" BOB "/laptop' type='chat' id='n1'>"
         "<body>[t]as is</body></message>");
    assert_string_equal(last_event()->body, "[t]as is");
    message_transform_add(&marker); /* teardown removes it */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_in_live, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in_offline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in_carbons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in_archive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in_room, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in_backfill, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in_consume_hold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_live, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_room, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_queued_and_resent, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_out_hold_consume, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_transform, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
