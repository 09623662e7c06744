/* SPDX-License-Identifier: MIT */
/*
 * The end-to-end layer (crypto/e2e.h, xmpp/e2e-hook.c, core/e2e.c) with a
 * fake scheme, ROT13 behind a marker, in a natter logged in through the
 * real session code (tests/fuzz/fuzz-session.h): what goes on the wire,
 * what the windows and the store get, where a message came from (live,
 * carbon, archive, offline delivery, the outbox's re-send), holding until
 * a conversation is private, protocol messages that show nothing, and the
 * per-contact policy kept on disk.
 */
#include "unit.h"

#include "../fuzz/fuzz-session.h"
#include "cmd/cmd.h"
#include "core/e2e.h"
#include "crypto/e2e.h"
#include "xmpp/e2e-hook.h"
#include "xmpp/message.h"

#define MARK "[rot13]"
#define BOB "bob@example.org"

static struct {
    GPtrArray *events;         /* struct message * copies of EV_MESSAGE */
    enum e2e_origin origin;    /* of the last decrypt */
    bool private_conversation; /* "hold:" messages may go */
    unsigned int lines;        /* EV_E2E with a line */
} seen;

/* ROT13 of s. Note: result must be freed. */
static char *
rot13(const char *s)
{
    char *r = g_strdup(s);

    for (char *p = r; *p != '\0'; p++) {
        if (g_ascii_islower(*p))
            *p = (char)('a' + (*p - 'a' + 13) % 26);
        else if (g_ascii_isupper(*p))
            *p = (char)('A' + (*p - 'A' + 13) % 26);
    }
    return r;
}

/* The fake scheme, outgoing: hold "hold:" until private, else ROT13. */
static void
fake_encrypt(struct account *acct, const char *peer, const char *full,
             const char *body, struct e2e_out *out)
{
    char *r;

    if (g_str_has_prefix(body, "plain:"))
        return; /* not for this scheme */
    if (g_str_has_prefix(body, "hold:") && !seen.private_conversation) {
        out->kind = E2E_OUT_HOLD;
        out->reason = g_strdup("no private conversation yet");
        return;
    }
    r = rot13(body);
    out->kind = E2E_OUT_WIRE;
    out->wire = g_strconcat(MARK, r, NULL);
    out->protection = PROTECTION_ENCRYPTED;
    out->private = true;
    g_free(r);
}

/* The fake scheme, incoming: undo ROT13 of live and offline messages
 * (as OMEMO can; OTR cannot); copies and archive pages cannot be read;
 * "[rot13]cebgb" is a protocol message. */
static void
fake_decrypt(struct account *acct, const char *peer, const char *full,
             const char *body, enum e2e_origin origin, struct e2e_in *in)
{
    seen.origin = origin;
    if (!g_str_has_prefix(body, MARK))
        return;
    if (origin != E2E_FROM_LIVE && origin != E2E_FROM_OFFLINE) {
        in->kind = E2E_IN_UNDECRYPTABLE;
        in->reason = g_strdup("not our session");
        return;
    }
    if (strcmp(body, MARK "cebgb") == 0) {
        in->kind = E2E_IN_INTERNAL;
        return;
    }
    in->kind = E2E_IN_TEXT;
    in->text = rot13(body + strlen(MARK));
    in->protection = PROTECTION_TRUSTED;
}

static const struct e2e_scheme fake = {
    .name = "fake",
    .eme_namespace = "urn:example:rot13",
    .encrypt = fake_encrypt,
    .decrypt = fake_decrypt,
};

/* Keep a copy of every EV_MESSAGE; count EV_E2E lines. */
static void
on_event(enum event_type type, const void *payload, void *data)
{
    if (type == EV_MESSAGE)
        g_ptr_array_add(seen.events, message_copy(payload));
    else if (((const struct ev_e2e *)payload)->what >= 0)
        seen.lines++;
}

/* A logged-in natter with the fake scheme on the pipeline. */
static int
setup(void **state)
{
    fuzz_session_start();
    memset(&seen, 0, sizeof seen);
    seen.events = g_ptr_array_new_with_free_func((GDestroyNotify)message_free);
    e2e_register(&fake);
    e2e_hook_init();
    event_subscribe(EV_MESSAGE, on_event, NULL);
    event_subscribe(EV_E2E, on_event, NULL);
    g_ptr_array_set_size(fz.sent, 0);
    return 0;
}

/* Tear it down again. */
static int
teardown(void **state)
{
    event_unsubscribe(EV_MESSAGE, on_event, NULL);
    event_unsubscribe(EV_E2E, on_event, NULL);
    e2e_hook_deinit();
    e2e_deinit_all();
    e2e_deinit();
    fuzz_session_stop();
    g_ptr_array_unref(seen.events);
    return 0;
}

/* The newest EV_MESSAGE. */
static const struct message *
last_event(void)
{
    assert_true(seen.events->len > 0);
    return seen.events->pdata[seen.events->len - 1];
}

/* The newest <message/> natter sent with a body, or NULL. */
static xmpp_stanza_t *
last_sent(void)
{
    for (guint i = fz.sent->len; i-- > 0;)
        if (xmpp_stanza_get_child_by_name(fz.sent->pdata[i], "body") != NULL)
            return fz.sent->pdata[i];
    return NULL;
}

/* The body text of st. Note: result must be freed. */
static char *
body_of(xmpp_stanza_t *st)
{
    char *t = xmpp_stanza_get_text(xmpp_stanza_get_child_by_name(st, "body"));
    char *r = g_strdup(t);

    xmpp_free(session_ctx(), t);
    return r;
}

/* Feed one stanza to the live handlers. */
static void
feed(const char *xml)
{
    fuzz_session_fire_xml(xml);
    fuzz_loop_settle();
}

/* Outgoing: ciphertext on the wire, kept off carbons and archives; the
 * plain text with its protection and scheme in the event, the window and
 * the store. */
static void
test_out_encrypted(void **state)
{
    char *cause = NULL, *body;
    xmpp_stanza_t *st, *eme;
    const struct line *l;

    assert_true(message_send_chat(fz.acct, BOB, "Hello", NULL, &cause));
    st = last_sent();
    assert_non_null(st);
    body = body_of(st);
    assert_string_equal(body, MARK "Uryyb");
    g_free(body);
    assert_non_null(xmpp_stanza_get_child_by_ns(st, "urn:xmpp:carbons:2"));
    assert_non_null(xmpp_stanza_get_child_by_name(st, "no-copy"));
    eme = xmpp_stanza_get_child_by_ns(st, "urn:xmpp:eme:0");
    assert_non_null(eme);
    assert_string_equal(xmpp_stanza_get_attribute(eme, "namespace"),
                        "urn:example:rot13");
    assert_string_equal(xmpp_stanza_get_attribute(eme, "name"), "FAKE");
    assert_string_equal(last_event()->body, "Hello");
    assert_int_equal(last_event()->protection, PROTECTION_ENCRYPTED);
    assert_string_equal(last_event()->scheme, "fake");
    l = window_find_line(window_find_chat(fz.acct, BOB), last_event()->id);
    assert_non_null(l);
    assert_int_equal(l->protection, PROTECTION_ENCRYPTED);
    /* a message the scheme passes on goes as it is */
    assert_true(message_send_chat(fz.acct, BOB, "plain: hi", NULL, &cause));
    body = body_of(last_sent());
    assert_string_equal(body, "plain: hi");
    g_free(body);
    assert_null(xmpp_stanza_get_child_by_ns(last_sent(), "urn:xmpp:eme:0"));
    assert_int_equal(last_event()->protection, PROTECTION_PLAIN);
}

/* Run the command line in w; its result, with *cause as it says. */
static bool
run_line(const char *line, struct window *w, char **cause)
{
    char **argv = NULL;
    const struct cmd *c = cmd_parse(line, &argv, cause);
    bool ok = c != NULL && cmd_run(c, argv, w, cause);

    g_strfreev(argv);
    return ok;
}

/* /correct refuses an encrypted message (its <replace/> would travel in
 * the clear), and still corrects a plain one. */
static void
test_correct_refused(void **state)
{
    char *cause = NULL, *body;
    struct window *w;
    guint sent;

    assert_true(message_send_chat(fz.acct, BOB, "Helo", NULL, &cause));
    w = window_find_chat(fz.acct, BOB);
    assert_non_null(w);
    sent = fz.sent->len;
    assert_false(run_line("/correct Hello", w, &cause));
    assert_non_null(strstr(cause, "Cannot correct an end-to-end encrypted"));
    g_clear_pointer(&cause, g_free);
    assert_int_equal(fz.sent->len, sent);
    assert_true(message_send_chat(fz.acct, BOB, "plain: helo", NULL, &cause));
    assert_true(run_line("/correct plain: hello", w, &cause));
    assert_non_null(xmpp_stanza_get_child_by_name(last_sent(), "replace"));
    body = body_of(last_sent());
    assert_string_equal(body, "plain: hello");
    g_free(body);
}

/* Incoming live and offline: decrypted, trusted, stored so. */
static void
test_in_live_and_offline(void **state)
{
    char *cause = NULL;
    GPtrArray *rows;
    const struct history_row *r;

    feed("<message from='" BOB "/laptop' type='chat' id='l1'>"
         "<body>" MARK "frperg</body></message>");
    assert_int_equal(seen.origin, E2E_FROM_LIVE);
    assert_string_equal(last_event()->body, "secret");
    assert_int_equal(last_event()->protection, PROTECTION_TRUSTED);
    assert_string_equal(last_event()->scheme, "fake");
    feed("<message from='" BOB "/laptop' type='chat' id='o1'>"
         "<body>" MARK "jnvgvat</body><delay xmlns='urn:xmpp:delay' "
         "stamp='2024-01-02T03:04:05Z'/></message>");
    assert_int_equal(seen.origin, E2E_FROM_OFFLINE);
    assert_string_equal(last_event()->body, "waiting");
    rows = history_last(fz.acct, BOB, 10, &cause);
    assert_non_null(rows);
    r = rows->pdata[rows->len - 1];
    assert_string_equal(r->body, "secret"); /* newest by time */
    assert_int_equal(r->protection, PROTECTION_TRUSTED);
    assert_string_equal(r->scheme, "fake");
    g_ptr_array_unref(rows);
}

/* A carbon and an archive page cannot be read: shown and stored as
 * undecryptable with the reason, never dropped. */
static void
test_in_copies_undecryptable(void **state)
{
    feed("<message from='" FUZZ_ME "' to='" FUZZ_ME "/" FUZZ_RESOURCE "'>"
         "<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:"
         "forward:0'><message from='" BOB "/phone' to='" FUZZ_ME
         "/other' type='chat' id='c1'><body>" MARK "kkk</body></message>"
         "</forwarded></received></message>");
    assert_int_equal(seen.origin, E2E_FROM_CARBON);
    assert_string_equal(last_event()->body, "not our session");
    assert_int_equal(last_event()->protection, PROTECTION_UNDECRYPTABLE);
    feed("<message from='" FUZZ_ME "'><result xmlns='urn:xmpp:mam:2' "
         "id='arch-9'><forwarded xmlns='urn:xmpp:forward:0'><delay "
         "xmlns='urn:xmpp:delay' stamp='2024-01-02T03:04:05Z'/><message "
         "from='" BOB "/laptop' type='chat' id='a9'><body>" MARK "lll"
         "</body></message></forwarded></result></message>");
    assert_int_equal(seen.origin, E2E_FROM_ARCHIVE);
    assert_string_equal(last_event()->body, "not our session");
    assert_int_equal(last_event()->protection, PROTECTION_UNDECRYPTABLE);
    assert_string_equal(last_event()->scheme, "fake");
}

/* A protocol message shows nothing and gets no receipt. */
static void
test_in_internal(void **state)
{
    guint n = seen.events->len, sent = fz.sent->len;

    feed("<message from='" BOB "/laptop' type='chat' id='p1'><body>" MARK
         "cebgb</body><request xmlns='urn:xmpp:receipts'/></message>");
    assert_int_equal(seen.events->len, n);
    assert_int_equal(fz.sent->len, sent);
}

/* Held until the conversation is private (EV_E2E), then sent from the
 * loop, encrypted; nothing goes out in the clear meanwhile. */
static void
test_hold_until_private(void **state)
{
    char *cause = NULL, *body;

    assert_true(message_send_chat(fz.acct, BOB, "hold: later", NULL, &cause));
    assert_null(last_sent());
    assert_int_equal(message_held_count(fz.acct, BOB), 1);
    seen.private_conversation = true;
    e2e_state_set(fz.acct, BOB, "fake", E2E_STATE_UNVERIFIED);
    assert_int_equal(e2e_state_get(fz.acct, BOB, NULL), E2E_STATE_UNVERIFIED);
    /* released from the loop, not from inside the scheme's call */
    assert_int_equal(message_held_count(fz.acct, BOB), 1);
    fuzz_loop_settle();
    assert_int_equal(message_held_count(fz.acct, BOB), 0);
    body = body_of(last_sent());
    assert_string_equal(body, MARK "ubyq: yngre");
    g_free(body);
}

/* Queued while offline, the message meets the scheme when it goes. */
static void
test_queued_goes_encrypted(void **state)
{
    char *cause = NULL;
    bool found = false;

    fz.connected = false;
    fz.conn_cb(fz.conn, XMPP_CONN_DISCONNECT, 104, NULL, fz.conn_data);
    fuzz_loop_settle();
    assert_true(message_send_chat(fz.acct, BOB, "later on", NULL, &cause));
    assert_true(last_event()->pending);
    g_ptr_array_set_size(fz.handlers, 0);
    g_ptr_array_set_size(fz.sent, 0);
    fz.acct->session = NULL;
    assert_true(session_connect(fz.acct, "secret", &cause));
    fz.connected = true;
    fz.conn_cb(fz.conn, XMPP_CONN_CONNECT, 0, NULL, fz.conn_data);
    fuzz_loop_settle();
    fuzz_session_fire_xml("<iq type='result' id='@urn:xmpp:ping' from='"
                          "example.org'/>");
    fuzz_loop_settle();
    for (guint i = 0; i < fz.sent->len; i++) {
        xmpp_stanza_t *b =
            xmpp_stanza_get_child_by_name(fz.sent->pdata[i], "body");
        char *t = b != NULL ? xmpp_stanza_get_text(b) : NULL;
        assert_true(g_strcmp0(t, "later on") != 0); /* never in the clear */
        found = found || g_strcmp0(t, MARK "yngre ba") == 0;
        if (t != NULL)
            xmpp_free(session_ctx(), t);
    }
    assert_true(found);
}

/* What a typed message becomes under each policy in each state: never
 * plain once encryption ran, nor under "always". */
static void
test_policy_decision_table(void **state)
{
    static const struct {
        enum e2e_policy policy;
        enum e2e_state conv;
        enum e2e_send want;
    } table[] = {
        {E2E_POLICY_MANUAL, E2E_STATE_PLAIN, E2E_SEND_PLAIN},
        {E2E_POLICY_MANUAL, E2E_STATE_UNVERIFIED, E2E_SEND_ENCRYPT},
        {E2E_POLICY_MANUAL, E2E_STATE_VERIFIED, E2E_SEND_ENCRYPT},
        {E2E_POLICY_MANUAL, E2E_STATE_FINISHED, E2E_SEND_HOLD_ENDED},
        {E2E_POLICY_OPPORTUNISTIC, E2E_STATE_PLAIN, E2E_SEND_OFFER},
        {E2E_POLICY_OPPORTUNISTIC, E2E_STATE_UNVERIFIED, E2E_SEND_ENCRYPT},
        {E2E_POLICY_OPPORTUNISTIC, E2E_STATE_VERIFIED, E2E_SEND_ENCRYPT},
        {E2E_POLICY_OPPORTUNISTIC, E2E_STATE_FINISHED, E2E_SEND_HOLD_ENDED},
        {E2E_POLICY_ALWAYS, E2E_STATE_PLAIN, E2E_SEND_HOLD_START},
        {E2E_POLICY_ALWAYS, E2E_STATE_UNVERIFIED, E2E_SEND_ENCRYPT},
        {E2E_POLICY_ALWAYS, E2E_STATE_VERIFIED, E2E_SEND_ENCRYPT},
        {E2E_POLICY_ALWAYS, E2E_STATE_FINISHED, E2E_SEND_HOLD_ENDED},
    };

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
        enum e2e_send got = e2e_send_decide(table[i].policy, table[i].conv);
        if (got != table[i].want)
            fail_msg("policy %s, state %s: got %d, want %d",
                     e2e_policy_name(table[i].policy),
                     e2e_state_name(table[i].conv), got, table[i].want);
    }
}

/* Policies: per contact over the account's default, kept in e2e.ini. */
static void
test_policy_persisted(void **state)
{
    char *cause = NULL, *dir, *path, *text = NULL;

    assert_int_equal(e2e_policy_get(fz.acct, "otr", BOB), E2E_POLICY_MANUAL);
    assert_true(e2e_policy_set(fz.acct, "otr", NULL, E2E_POLICY_OPPORTUNISTIC,
                               &cause));
    assert_true(
        e2e_policy_set(fz.acct, "otr", BOB, E2E_POLICY_ALWAYS, &cause));
    assert_int_equal(e2e_policy_get(fz.acct, "otr", BOB), E2E_POLICY_ALWAYS);
    assert_int_equal(e2e_policy_get(fz.acct, "otr", "carol@example.org"),
                     E2E_POLICY_OPPORTUNISTIC);
    /* read back from disk after forgetting what was loaded */
    e2e_deinit();
    assert_int_equal(e2e_policy_get(fz.acct, "otr", BOB), E2E_POLICY_ALWAYS);
    dir = paths_account_dir(fz.acct->name);
    path = g_build_filename(dir, "e2e.ini", NULL);
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    assert_contains(text, BOB "=always");
    {
        GStatBuf sb;
        assert_int_equal(g_stat(path, &sb), 0);
        assert_int_equal(sb.st_mode & 0777, 0600);
    }
    g_free(text);
    g_free(path);
    g_free(dir);
}

/* Run the tests. */
int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_correct_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_encrypted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in_live_and_offline, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_in_copies_undecryptable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_in_internal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hold_until_private, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_queued_goes_encrypted, setup,
                                        teardown),
        cmocka_unit_test(test_policy_decision_table),
        cmocka_unit_test_setup_teardown(test_policy_persisted, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
