/* SPDX-License-Identifier: MIT */
/* Unit tests for the core model: windows, accounts, settings, events and
 * the input queue. */
#include "unit.h"

#include <stdio.h>
#include <unistd.h>

#include "cmd/input.h"
#include "core/account.h"
#include "core/event.h"
#include "ui/lines.h"
#include "core/settings.h"
#include "core/window.h"

/* Everything the listeners below saw, one string per event, in order. */
static GPtrArray *events_seen;

/* Append a printf-formatted entry to events_seen. */
static void G_GNUC_PRINTF(1, 2) log_event(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_ptr_array_add(events_seen, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

/* Record notices as "E:text" or "I:text". */
static void
on_notice(enum event_type type, const void *payload, void *data)
{
    const struct ev_notice *ev = payload;

    log_event("%s:%s", ev->level == NOTICE_ERROR ? "E" : "I", ev->text);
}

/* Record setting changes as "set:name". */
static void
on_setting(enum event_type type, const void *payload, void *data)
{
    const struct ev_setting *ev = payload;

    log_event("set:%s", ev->name);
}

/* Record window events as "list", "switch:name" or "clear:name". */
static void
on_window(enum event_type type, const void *payload, void *data)
{
    const struct ev_window *ev = payload;

    if (type == EV_WINDOW_LIST)
        log_event("list");
    else
        log_event("%s:%s", type == EV_WINDOW_SWITCH ? "switch" : "clear",
                  ev->win->name);
}

/* The model as natter runs it: console, router, input queue, recorders. */
static int
setup(void **state)
{
    events_seen = g_ptr_array_new_with_free_func(g_free);
    window_init();
    lines_init();
    input_init();
    event_subscribe(EV_NOTICE, on_notice, NULL);
    event_subscribe(EV_SETTING, on_setting, NULL);
    return 0;
}

/* Tear everything down so the next test starts clean. */
static int
teardown(void **state)
{
    input_deinit();
    lines_deinit();
    window_deinit();
    account_deinit();
    settings_deinit();
    event_deinit();
    window_set_scrollback(5000);
    g_ptr_array_unref(events_seen);
    events_seen = NULL;
    return 0;
}

/* Fail unless events_seen is exactly the NULL-terminated want. */
static void
assert_events(const char *const *want)
{
    guint n = 0;

    while (want[n] != NULL)
        n++;
    for (guint i = 0; i < n || i < events_seen->len; i++) {
        const char *got = i < events_seen->len ? events_seen->pdata[i] : NULL;
        const char *exp = i < n ? want[i] : NULL;
        if (g_strcmp0(got, exp) != 0) {
            print_error("event %u: got \"%s\", want \"%s\"\n", i,
                        got != NULL ? got : "(none)",
                        exp != NULL ? exp : "(none)");
            for (guint j = 0; j < events_seen->len; j++)
                print_error("  seen: %s\n", (char *)events_seen->pdata[j]);
            fail();
        }
    }
}

/* Forget the events seen so far. */
static void
clear_events(void)
{
    g_ptr_array_set_size(events_seen, 0);
}

/* The newest line of w; the test fails if w is empty. */
static struct line *
last_line(struct window *w)
{
    struct line *l = g_queue_peek_tail(&w->lines);

    assert_non_null(l);
    return l;
}

/* Whether some line of w of kind contains text. */
static bool
has_line(struct window *w, enum line_kind kind, const char *text)
{
    for (GList *l = w->lines.head; l != NULL; l = l->next) {
        struct line *ln = l->data;
        if (ln->kind == kind && strstr(ln->text, text) != NULL)
            return true;
    }
    return false;
}

/* Whether any line of any window contains text. */
static bool
any_line_contains(const char *text)
{
    for (unsigned int n = 1; n <= window_count(); n++) {
        struct window *w = window_nth(n);
        for (GList *l = w->lines.head; l != NULL; l = l->next) {
            struct line *ln = l->data;
            if (strstr(ln->text, text) != NULL ||
                (ln->sender != NULL && strstr(ln->sender, text) != NULL))
                return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------ windows */

/* window_init makes the console, window 1, current, with no account. */
static void
test_window_init_console(void **state)
{
    struct window *con = window_console();

    assert_int_equal(window_count(), 1);
    assert_non_null(con);
    assert_int_equal(con->type, WINDOW_CONSOLE);
    assert_string_equal(con->name, "console");
    assert_null(con->acct);
    assert_null(con->jid);
    assert_ptr_equal(window_current(), con);
    assert_ptr_equal(window_nth(1), con);
    assert_null(window_nth(0));
    assert_null(window_nth(2));
    assert_int_equal(window_number(con), 1);
    assert_int_equal(con->lines.length, 0);
}

/* window_get_chat opens one window per (account, JID) and reuses it. */
static void
test_window_get_chat_once(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct account *b = account_new("bob@example.com", "bob@example.com");
    struct window *w1, *w2, *w3;

    event_subscribe(EV_WINDOW_LIST, on_window, NULL);
    assert_null(window_find_chat(a, "carol@example.net"));
    w1 = window_get_chat(a, "carol@example.net");
    w2 = window_get_chat(a, "carol@example.net");
    assert_ptr_equal(w1, w2);
    assert_int_equal(window_count(), 2);
    assert_int_equal(w1->type, WINDOW_CHAT);
    assert_ptr_equal(w1->acct, a);
    assert_string_equal(w1->jid, "carol@example.net");
    assert_string_equal(w1->name, "carol@example.net");
    assert_ptr_equal(window_find_chat(a, "carol@example.net"), w1);
    assert_int_equal(window_number(w1), 2);

    /* The same peer on another account is another window. */
    w3 = window_get_chat(b, "carol@example.net");
    assert_ptr_not_equal(w3, w1);
    assert_int_equal(window_count(), 3);
    assert_ptr_equal(window_find_chat(b, "carol@example.net"), w3);

    /* Opening does not switch; the list changed twice. */
    assert_ptr_equal(window_current(), window_console());
    assert_events((const char *const[]){"list", "list", NULL});
}

/* Lines in a window that is not current raise unread and activity. */
static void
test_unread_and_activity(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct window *msg = window_get_chat(a, "bob@example.com");
    struct window *info = window_get_chat(a, "carol@example.net");
    struct window *own = window_get_chat(a, "dave@example.org");
    struct window *con = window_console();

    window_add_line(msg, LINE_MESSAGE, 0, "bob@example.com", "hi");
    window_add_line(msg, LINE_MESSAGE, 0, "bob@example.com", "there?");
    assert_int_equal(msg->unread, 2);
    assert_int_equal(msg->activity, ACTIVITY_MESSAGE);
    /* An info line after messages does not lower the activity. */
    window_add_line(msg, LINE_INFO, 0, NULL, "bob is away");
    assert_int_equal(msg->unread, 2);
    assert_int_equal(msg->activity, ACTIVITY_MESSAGE);

    window_add_line(info, LINE_ERROR, 0, NULL, "delivery failed");
    assert_int_equal(info->unread, 0);
    assert_int_equal(info->activity, ACTIVITY_INFO);

    /* Our own lines are no news. */
    window_add_line(own, LINE_OWN, 0, "alice@example.com", "hello");
    assert_int_equal(own->unread, 0);
    assert_int_equal(own->activity, ACTIVITY_NONE);

    /* Lines in the current window are seen at once. */
    window_add_line(con, LINE_MESSAGE, 0, "x@y", "seen");
    assert_int_equal(con->unread, 0);
    assert_int_equal(con->activity, ACTIVITY_NONE);
}

/* window_switch makes w current, clears its marks and notes its account. */
static void
test_switch_resets_unread(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct account *b = account_new("bob@example.com", "bob@example.com");
    struct window *w = window_get_chat(b, "carol@example.net");

    assert_ptr_equal(account_default(), a);
    event_subscribe(EV_WINDOW_SWITCH, on_window, NULL);
    window_add_line(w, LINE_MESSAGE, 0, "carol@example.net", "ping");
    assert_int_equal(w->unread, 1);

    window_switch(w);
    assert_ptr_equal(window_current(), w);
    assert_int_equal(w->unread, 0);
    assert_int_equal(w->activity, ACTIVITY_NONE);
    assert_ptr_equal(account_default(), b);
    assert_events((const char *const[]){"switch:carol@example.net", NULL});

    /* Now current: new messages do not count. */
    window_add_line(w, LINE_MESSAGE, 0, "carol@example.net", "pong");
    assert_int_equal(w->unread, 0);

    /* The console has no account; switching there keeps the default. */
    window_switch(window_console());
    assert_ptr_equal(account_default(), b);
}

/* The console cannot be closed. */
static void
test_close_refuses_console(void **state)
{
    assert_false(window_close(window_console()));
    assert_int_equal(window_count(), 1);
    assert_ptr_equal(window_current(), window_console());
}

/* Closing the current window moves to the one before it. */
static void
test_close_moves_to_previous(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct window *w2 = window_get_chat(a, "b@x");
    struct window *w3 = window_get_chat(a, "c@x");
    struct window *w4 = window_get_chat(a, "d@x");

    window_switch(w3);
    assert_true(window_close(w3));
    assert_int_equal(window_count(), 3);
    assert_ptr_equal(window_current(), w2);
    assert_ptr_equal(window_nth(3), w4); /* later windows move up */
    assert_null(window_find_chat(a, "c@x"));

    /* Closing another window leaves the current one alone. */
    assert_true(window_close(w4));
    assert_ptr_equal(window_current(), w2);
    assert_int_equal(window_count(), 2);

    assert_true(window_close(w2));
    assert_ptr_equal(window_current(), window_console());
    assert_int_equal(window_count(), 1);
}

/* window_close_account closes that account's windows only. */
static void
test_close_account(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct account *b = account_new("bob@example.com", "bob@example.com");
    struct window *keep;

    window_get_chat(a, "x@x");
    keep = window_get_chat(b, "y@y");
    window_switch(window_get_chat(a, "z@z"));
    window_close_account(a);
    assert_int_equal(window_count(), 2);
    assert_ptr_equal(window_nth(2), keep);
    /* The current window went, so the one before it is current. */
    assert_ptr_equal(window_current(), keep);
}

/* Scrollback keeps only the newest lines once the limit is set. */
static void
test_scrollback_trim(void **state)
{
    struct window *con = window_console();

    window_set_scrollback(3);
    for (int i = 1; i <= 5; i++)
        window_printf(con, LINE_INFO, "line %d", i);
    assert_int_equal(con->lines.length, 3);
    assert_string_equal(((struct line *)g_queue_peek_head(&con->lines))->text,
                        "line 3");
    assert_string_equal(last_line(con)->text, "line 5");

    /* Zero means one: a window always keeps its newest line. */
    window_set_scrollback(0);
    window_printf(con, LINE_INFO, "line 6");
    assert_int_equal(con->lines.length, 1);
    assert_string_equal(last_line(con)->text, "line 6");
}

/* Lines are found by stanza id through the window's index: the newest
 * live one, nothing once trimmed or cleared, another sender's line by a
 * walk, and never a jump view's lines. */
static void
test_window_find_line_index(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct window *w = window_get_chat(a, "carol@example.net");
    const struct line *ln;

    window_set_scrollback(3);
    window_add_message(w, LINE_MESSAGE, 1, "carol", "one", "id1", 0);
    window_add_message(w, LINE_MESSAGE, 2, "carol", "two", "id2", 0);
    window_add_message(w, LINE_MESSAGE, 3, "dave", "again", "id2", 0);
    ln = window_find_line(w, "id2");
    assert_non_null(ln);
    assert_string_equal(ln->text, "again");
    /* A correction by carol finds her older line with the same id. */
    assert_true(window_replace_text(w, "id2", "carol", "two!"));
    assert_string_equal(window_find_line(w, "id2")->text, "again");
    assert_false(window_replace_text(w, "id2", "erin", "x"));
    assert_null(window_find_line(w, "nope"));

    /* id1 is trimmed away; id2's newest line stays found. */
    window_add_message(w, LINE_MESSAGE, 4, "carol", "four", "id4", 0);
    assert_null(window_find_line(w, "id1"));
    assert_string_equal(window_find_line(w, "id4")->text, "four");
    window_add_message(w, LINE_MESSAGE, 5, "carol", "five", NULL, 0);
    window_add_message(w, LINE_MESSAGE, 6, "carol", "six", NULL, 0);
    assert_null(window_find_line(w, "id2"));
    assert_string_equal(window_find_line(w, "id4")->text, "four");

    /* An older line put at the top does not hide the newer one. */
    window_prepend_line(w, LINE_MESSAGE, 0, "carol", "old four", "id4", 0);
    assert_string_equal(window_find_line(w, "id4")->text, "four");

    /* A jump view's lines are not live; the live ones still are. */
    window_detach(w);
    window_add_history(w, LINE_MESSAGE, 1, "carol", "stored", "id9", 0);
    assert_null(window_find_line(w, "id9"));
    assert_string_equal(window_find_line(w, "id4")->text, "four");
    window_add_message(w, LINE_MESSAGE, 7, "carol", "seven", "id7", 0);
    window_attach(w);
    assert_string_equal(window_find_line(w, "id7")->text, "seven");
    assert_null(window_find_line(w, "id9"));

    window_clear(w);
    assert_null(window_find_line(w, "id7"));
}

/* window_clear empties the scrollback, resets scrolling, tells listeners. */
static void
test_window_clear(void **state)
{
    struct window *con = window_console();

    event_subscribe(EV_WINDOW_CLEAR, on_window, NULL);
    window_printf(con, LINE_INFO, "one");
    window_printf(con, LINE_INFO, "two");
    con->scroll = 4;
    window_clear(con);
    assert_int_equal(con->lines.length, 0);
    assert_int_equal(con->scroll, 0);
    assert_events((const char *const[]){"clear:console", NULL});
}

/* Lines copy their strings; time 0 means now, other times are kept. */
static void
test_add_line_fields(void **state)
{
    struct window *con = window_console();
    char sender[] = "bob@example.com", text[] = "hello";
    int64_t before = g_get_real_time() / G_USEC_PER_SEC;
    struct line *l;

    window_add_line(con, LINE_MESSAGE, 0, sender, text);
    sender[0] = 'X';
    text[0] = 'X';
    l = last_line(con);
    assert_string_equal(l->sender, "bob@example.com");
    assert_string_equal(l->text, "hello");
    assert_int_equal(l->kind, LINE_MESSAGE);
    assert_in_range(l->time, before, before + 5);

    window_add_line(con, LINE_INFO, 1031699305, NULL, "old");
    l = last_line(con);
    assert_int_equal(l->time, 1031699305);
    assert_null(l->sender);

    window_printf(con, LINE_ERROR, "%s %d", "code", 42);
    l = last_line(con);
    assert_string_equal(l->text, "code 42");
    assert_int_equal(l->kind, LINE_ERROR);
}

/* The router opens a chat window for a message and files it there. */
static void
test_router_messages(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct message in = {.acct = a,
                         .from = "bob@example.com/phone",
                         .peer = "bob@example.com",
                         .body = "hi alice",
                         .kind = MESSAGE_CHAT,
                         .time = 1031699305};
    struct message out = {.acct = a,
                          .from = "alice@example.com",
                          .peer = "bob@example.com",
                          .body = "hi bob",
                          .kind = MESSAGE_CHAT,
                          .outgoing = true};
    struct message err = {.acct = a,
                          .from = "carol@example.net",
                          .peer = "carol@example.net",
                          .body = "service-unavailable",
                          .kind = MESSAGE_ERROR};
    struct window *w;
    struct line *l;

    event_emit(EV_MESSAGE, &in);
    w = window_find_chat(a, "bob@example.com");
    assert_non_null(w);
    l = last_line(w);
    assert_int_equal(l->kind, LINE_MESSAGE);
    assert_string_equal(l->sender, "bob@example.com");
    assert_string_equal(l->text, "hi alice");
    assert_int_equal(l->time, 1031699305);
    assert_int_equal(w->unread, 1);

    event_emit(EV_MESSAGE, &out);
    assert_int_equal(window_count(), 2);
    l = last_line(w);
    assert_int_equal(l->kind, LINE_OWN);
    assert_string_equal(l->sender, "alice@example.com");
    assert_int_equal(w->unread, 1);

    /* A bounce for a peer without a window goes to the console. */
    event_emit(EV_MESSAGE, &err);
    assert_int_equal(window_count(), 2);
    assert_true(has_line(window_console(), LINE_ERROR,
                         "Message to carol@example.net failed: "
                         "service-unavailable"));
    /* With a window, it goes there. */
    err.peer = "bob@example.com";
    event_emit(EV_MESSAGE, &err);
    assert_true(has_line(w, LINE_ERROR, "Message to bob@example.com failed"));
}

/* The router reports account state and presence in the console. */
static void
test_router_account_and_presence(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct window *con = window_console();
    struct contact *c = contact_get(a, "bob@example.com");
    struct ev_presence p = {a,      "bob@example.com", "phone",
                            "away", "lunch",           false};

    account_set_state(a, ACCOUNT_CONNECTING, NULL);
    assert_string_equal(last_line(con)->text,
                        "Connecting to alice@example.com");
    a->resource = g_strdup("natter");
    account_set_state(a, ACCOUNT_ONLINE, NULL);
    assert_string_equal(last_line(con)->text,
                        "Connected as alice@example.com/natter");

    p.changed_best = contact_set_presence(c, "phone", "away", "lunch", 0);
    assert_true(p.changed_best);
    event_emit(EV_PRESENCE, &p);
    assert_string_equal(last_line(con)->text,
                        "bob@example.com is now away (lunch)");

    account_set_state(a, ACCOUNT_OFFLINE, NULL);
    assert_string_equal(last_line(con)->text,
                        "Disconnected from alice@example.com");
    assert_int_equal(last_line(con)->kind, LINE_INFO);
    account_set_state(a, ACCOUNT_OFFLINE, "Connection refused");
    assert_string_equal(last_line(con)->text, "Connection refused");
    assert_int_equal(last_line(con)->kind, LINE_ERROR);
}

/* Notices show where the user looks, unless about another account. */
static void
test_router_notice_placement(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct account *b = account_new("bob@example.com", "bob@example.com");
    struct window *w = window_get_chat(a, "carol@example.net");

    window_switch(w);
    notice(NULL, NOTICE_INFO, "general %d", 1);
    assert_string_equal(last_line(w)->text, "general 1");
    notice(a, NOTICE_ERROR, "about alice");
    assert_string_equal(last_line(w)->text, "about alice");
    assert_int_equal(last_line(w)->kind, LINE_ERROR);
    notice(b, NOTICE_INFO, "about bob");
    assert_string_equal(last_line(window_console())->text, "about bob");
    assert_string_not_equal(last_line(w)->text, "about bob");
}

/* ----------------------------------------------------------- accounts */

/* account_new adds to the list; the first becomes the default. */
static void
test_account_new_find(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct account *b = account_new("bob@example.com", "bob@example.com");
    GPtrArray *list = account_list();

    assert_int_equal(list->len, 2);
    assert_ptr_equal(list->pdata[0], a);
    assert_ptr_equal(list->pdata[1], b);
    assert_ptr_equal(account_find("bob@example.com"), b);
    assert_null(account_find("carol@example.com"));
    assert_ptr_equal(account_default(), a);
    assert_int_equal(a->state, ACCOUNT_OFFLINE);
    assert_string_equal(a->show, "online");
    assert_int_equal(a->tls, TLS_FORCE);
    account_set_default(b);
    assert_ptr_equal(account_default(), b);
    assert_string_equal(account_state_name(ACCOUNT_CONNECTING), "connecting");
    assert_string_equal(account_state_name(ACCOUNT_ONLINE), "online");
}

/* contact_get creates a contact once; contact_find does not create. */
static void
test_contact_get_find(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct contact *c;

    assert_null(contact_find(a, "bob@example.com"));
    c = contact_get(a, "bob@example.com");
    assert_non_null(c);
    assert_ptr_equal(contact_get(a, "bob@example.com"), c);
    assert_ptr_equal(contact_find(a, "bob@example.com"), c);
    assert_string_equal(c->jid, "bob@example.com");
    assert_false(c->in_roster);
    assert_null(contact_best(c));
    assert_string_equal(contact_show(c), "offline");
}

/* contact_set_presence returns true only when the overall presence moves. */
static void
test_contact_presence_changes(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct contact *c = contact_get(a, "bob@example.com");

    assert_true(contact_set_presence(c, "phone", "online", NULL, 5));
    assert_false(contact_set_presence(c, "phone", "online", NULL, 5));
    assert_true(contact_set_presence(c, "phone", "online", "at work", 5));
    /* A lower-priority resource does not change what is shown. */
    assert_false(contact_set_presence(c, "laptop", "away", NULL, 1));
    assert_string_equal(contact_show(c), "online");
    /* A higher one does. */
    assert_true(contact_set_presence(c, "desk", "dnd", "busy", 10));
    assert_string_equal(contact_show(c), "dnd");
    /* The best one leaving falls back to the next best. */
    assert_true(contact_set_presence(c, "desk", "offline", NULL, 0));
    assert_string_equal(contact_show(c), "online");
    /* A resource we never saw leaving changes nothing. */
    assert_false(contact_set_presence(c, "nosuch", "offline", NULL, 0));
    assert_false(contact_set_presence(c, "laptop", "offline", NULL, 0));
    assert_true(contact_set_presence(c, "phone", "offline", NULL, 0));
    assert_string_equal(contact_show(c), "offline");
    assert_int_equal(g_hash_table_size(c->resources), 0);
}

/* contact_best picks the highest priority, ties by the smaller name. */
static void
test_contact_best_priority(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct contact *c = contact_get(a, "bob@example.com");
    struct resource *r;

    contact_set_presence(c, "b", "away", "b here", 1);
    contact_set_presence(c, "c", "xa", NULL, -5);
    contact_set_presence(c, "a", "chat", "a here", 1);
    r = contact_best(c);
    assert_non_null(r);
    assert_string_equal(r->name, "a");
    assert_string_equal(r->show, "chat");
    assert_string_equal(r->status, "a here");
    assert_int_equal(r->priority, 1);

    contact_set_presence(c, "c", "xa", NULL, 2);
    assert_string_equal(contact_best(c)->name, "c");
    assert_string_equal(contact_show(c), "xa");
}

/* contact_sorted lists roster contacts, most available first, then JID. */
static void
test_contact_sorted_order(void **state)
{
    static const struct {
        const char *jid, *show;
        bool in_roster;
    } people[] = {
        {"zed@x", NULL, true},         {"amy@x", NULL, true},
        {"xa@x", "xa", true},          {"dnd@x", "dnd", true},
        {"bob@x", "away", true},       {"eve@x", "online", true},
        {"carl@x", "online", true},    {"chatty@x", "chat", true},
        {"stranger@x", "chat", false},
    };
    static const char *const want[] = {"chatty@x", "carl@x", "eve@x", "bob@x",
                                       "dnd@x",    "xa@x",   "amy@x", "zed@x"};
    struct account *a = account_new("alice@example.com", "alice@example.com");
    GPtrArray *sorted;

    for (size_t i = 0; i < G_N_ELEMENTS(people); i++) {
        struct contact *c = contact_get(a, people[i].jid);
        c->in_roster = people[i].in_roster;
        if (people[i].show != NULL)
            contact_set_presence(c, "r", people[i].show, NULL, 0);
    }
    sorted = contact_sorted(a);
    assert_int_equal(sorted->len, G_N_ELEMENTS(want));
    for (guint i = 0; i < sorted->len; i++)
        assert_string_equal(((struct contact *)sorted->pdata[i])->jid,
                            want[i]);
    g_ptr_array_unref(sorted);
    /* Items are borrowed: the contacts are still there. */
    assert_non_null(contact_find(a, "chatty@x"));
}

/* Forgetting presence (also on going offline) keeps the contacts. */
static void
test_contact_clear_presence(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct contact *b = contact_get(a, "bob@x");
    struct contact *c = contact_get(a, "carol@x");

    contact_set_presence(b, "r1", "online", NULL, 0);
    contact_set_presence(b, "r2", "away", NULL, 0);
    contact_set_presence(c, "r", "dnd", NULL, 0);
    contact_clear_presence(a);
    assert_ptr_equal(contact_find(a, "bob@x"), b);
    assert_ptr_equal(contact_find(a, "carol@x"), c);
    assert_string_equal(contact_show(b), "offline");
    assert_string_equal(contact_show(c), "offline");
    assert_int_equal(g_hash_table_size(b->resources), 0);

    contact_set_presence(c, "r", "dnd", NULL, 0);
    account_set_state(a, ACCOUNT_OFFLINE, NULL);
    assert_string_equal(contact_show(c), "offline");
}

/* ----------------------------------------------------------- settings */

/* Before any /set, settings read as their defaults. */
static void
test_settings_defaults(void **state)
{
    for (const struct setting *s = settings_table(); s->name != NULL; s++) {
        assert_non_null(s->description);
        assert_string_equal(settings_get(s->name), s->def);
        /* Every default is a value settings_set itself accepts. */
        {
            char *cause = NULL;
            assert_true(settings_set(s->name, s->def, &cause));
            assert_null(cause);
        }
    }
    assert_true(settings_bool("roster"));
    assert_int_equal(settings_int("roster.width"), 28);
    assert_int_equal(settings_int("scrollback"), 5000);
    assert_string_equal(settings_get("time.format"), "%H:%M");
    assert_null(settings_find("nosuch"));
}

/* Booleans take on/off, yes/no, true/false, 1/0 in any case. */
static void
test_settings_bool_words(void **state)
{
    static const char *const on[] = {"on", "YES", "True", "1"};
    static const char *const off[] = {"off", "No", "FALSE", "0"};
    static const char *const bad[] = {"maybe", "", "2", "onn"};
    char *cause = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(off); i++) {
        assert_true(settings_set("roster", off[i], &cause));
        assert_false(settings_bool("roster"));
        assert_string_equal(settings_get("roster"), "off");
        assert_true(settings_set("roster", on[i], &cause));
        assert_true(settings_bool("roster"));
        assert_string_equal(settings_get("roster"), "on");
    }
    assert_null(cause);
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        assert_false(settings_set("roster", bad[i], &cause));
        assert_string_equal(cause, "roster takes on or off");
        g_free(cause);
        cause = NULL;
        assert_string_equal(settings_get("roster"), "on"); /* unchanged */
    }
}

/* Integers must be whole numbers within the setting's range. */
static void
test_settings_int_range(void **state)
{
    static const char *const bad[] = {
        "9", "81", "-5", "abc", "", "12x", "3.5", "99999999999999999999"};
    char *cause = NULL;

    assert_true(settings_set("roster.width", "10", &cause));
    assert_int_equal(settings_int("roster.width"), 10);
    assert_true(settings_set("roster.width", "80", &cause));
    assert_true(settings_set("roster.width", "032", &cause));
    assert_string_equal(settings_get("roster.width"), "32"); /* normalised */
    assert_null(cause);
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        assert_false(settings_set("roster.width", bad[i], &cause));
        assert_string_equal(cause, "roster.width takes a number from 10 to "
                                   "80");
        g_free(cause);
        cause = NULL;
        assert_int_equal(settings_int("roster.width"), 32);
    }
}

/* An unknown name is refused by name; strings take anything. */
static void
test_settings_unknown_and_string(void **state)
{
    char *cause = NULL;

    assert_false(settings_set("nosuch", "1", &cause));
    assert_string_equal(cause, "Unknown setting: nosuch");
    g_free(cause);
    cause = NULL;
    assert_true(settings_set("time.format", "%H:%M:%S [%a]", &cause));
    assert_string_equal(settings_get("time.format"), "%H:%M:%S [%a]");
    assert_null(cause);
}

/* A successful set emits EV_SETTING with its name; a failed one doesn't. */
static void
test_settings_event(void **state)
{
    char *cause = NULL;

    assert_true(settings_set("roster", "off", &cause));
    assert_false(settings_set("roster", "perhaps", &cause));
    g_free(cause);
    cause = NULL;
    assert_true(settings_set("scrollback", "100", &cause));
    assert_events((const char *const[]){"set:roster", "set:scrollback", NULL});
}

/* ------------------------------------------------------------- events */

/* Record a setting event as "<tag>:<name>", tag being the data. */
static void
on_tagged(enum event_type type, const void *payload, void *data)
{
    const struct ev_setting *ev = payload;

    log_event("%s:%s", (const char *)data, ev->name);
}

/* Unsubscribe itself when called, then record. */
static void
on_once(enum event_type type, const void *payload, void *data)
{
    event_unsubscribe(type, on_once, data);
    log_event("once");
}

/* Subscribers are called in subscription order with the payload. */
static void
test_event_order_and_payload(void **state)
{
    struct ev_setting ev = {"payload"};

    event_subscribe(EV_SETTING, on_tagged, "1");
    event_subscribe(EV_SETTING, on_tagged, "2");
    event_subscribe(EV_SETTING, on_tagged, "3");
    event_emit(EV_SETTING, &ev);
    /* on_setting from setup() came first. */
    assert_events((const char *const[]){"set:payload", "1:payload",
                                        "2:payload", "3:payload", NULL});
    /* Other event types do not reach them. */
    clear_events();
    event_emit(EV_ROSTER, &ev);
    assert_events((const char *const[]){NULL});
}

/* Stages order subscribers before subscription order does: a store stage
 * subscriber made last runs first, a view one made first runs last. */
static void
test_event_stages(void **state)
{
    struct ev_setting ev = {"p"};

    event_unsubscribe(EV_SETTING, on_setting, NULL);
    event_subscribe_at(EV_SETTING, EVENT_STAGE_VIEW, on_tagged, "view");
    event_subscribe(EV_SETTING, on_tagged, "model1");
    event_subscribe_at(EV_SETTING, EVENT_STAGE_STORE, on_tagged, "store");
    event_subscribe(EV_SETTING, on_tagged, "model2");
    event_emit(EV_SETTING, &ev);
    assert_events((const char *const[]){"store:p", "model1:p", "model2:p",
                                        "view:p", NULL});
    clear_events();
    event_unsubscribe(EV_SETTING, on_tagged, "store");
    event_emit(EV_SETTING, &ev);
    assert_events(
        (const char *const[]){"model1:p", "model2:p", "view:p", NULL});
}

/* Unsubscribing removes only the subscription with the same fn and data. */
static void
test_event_unsubscribe(void **state)
{
    struct ev_setting ev = {"x"};

    event_unsubscribe(EV_SETTING, on_setting, NULL);
    event_subscribe(EV_SETTING, on_tagged, "a");
    event_subscribe(EV_SETTING, on_tagged, "b");
    event_subscribe(EV_SETTING, on_tagged, "a");
    event_unsubscribe(EV_SETTING, on_tagged, "a");
    event_emit(EV_SETTING, &ev);
    assert_events((const char *const[]){"b:x", "a:x", NULL});

    clear_events();
    event_unsubscribe(EV_SETTING, on_tagged, "b");
    event_unsubscribe(EV_SETTING, on_tagged, "nosuch"); /* harmless */
    event_unsubscribe(EV_ROSTER, on_tagged, "a");       /* never made */
    event_emit(EV_SETTING, &ev);
    assert_events((const char *const[]){"a:x", NULL});

    /* After event_deinit nothing is delivered. */
    clear_events();
    event_deinit();
    event_emit(EV_SETTING, &ev);
    assert_events((const char *const[]){NULL});
}

/* notice() formats its text and carries level and account. */
static void
test_notice_formats(void **state)
{
    notice(NULL, NOTICE_ERROR, "%s failed: %d", "thing", 7);
    notice(NULL, NOTICE_INFO, "100%% done");
    assert_events(
        (const char *const[]){"E:thing failed: 7", "I:100% done", NULL});
}

/*
 * Regression (event.c event_emit, latent, fixed): a subscriber that
 * unsubscribes itself while the event is delivered shifts the array under the
 * index loop, so the subscriber after it is skipped for that event. Nothing in
 * src/ does this today, but a one-shot handler (say the /quit watcher in
 * cmd-connect.c, which should drop its subscription when done) would make
 * e.g. the input queue miss an EV_ACCOUNT_STATE. Fix: mark removed slots
 * and compact after the emit, or iterate over a copy.
 */
static void
test_regression_event_unsubscribe_during_emit(void **state)
{
    struct ev_setting ev = {"x"};

    event_unsubscribe(EV_SETTING, on_setting, NULL);
    event_subscribe(EV_SETTING, on_once, NULL);
    event_subscribe(EV_SETTING, on_tagged, "next");
    event_emit(EV_SETTING, &ev);
    assert_events((const char *const[]){"once", "next:x", NULL});
}

/* -------------------------------------------------------------- input */

/* Answers given to prompts, "(cancelled)" for NULL. */
static void
on_answer(const char *text, void *data)
{
    GPtrArray *answers = data;

    g_ptr_array_add(answers, g_strdup(text != NULL ? text : "(cancelled)"));
}

/* Plain text in the console is an error, not a message. */
static void
test_input_text_in_console(void **state)
{
    input_line("hello there", NULL);
    assert_events((const char *const[]){
        "E:This is the console: use /msg JID TEXT to chat", NULL});
    assert_true(has_line(window_console(), LINE_ERROR,
                         "This is the console: use /msg JID TEXT to chat"));
    assert_false(input_waiting());

    /* "//cmd" is text starting with '/', not a command. */
    clear_events();
    input_line("//help", NULL);
    assert_events((const char *const[]){
        "E:This is the console: use /msg JID TEXT to chat", NULL});
    assert_false(has_line(window_console(), LINE_INFO, "Commands"));
}

/* Errors about lines from a file name where they came from. */
static void
test_input_source_in_errors(void **state)
{
    input_line("hi", "autorun:3");
    input_line("/nosuch", "autorun:4");
    assert_events((const char *const[]){
        "E:autorun:3: This is the console: use /msg JID TEXT to chat",
        "E:autorun:4: Unknown command: /nosuch (try /help)", NULL});
}

/* Command errors from parsing reach the user verbatim. */
static void
test_input_command_errors(void **state)
{
    input_line("/foo", NULL);
    input_line("/win", NULL);
    input_line("/close", NULL);
    input_line("/set roster.width 5", NULL);
    input_line("/set nosuch 1", NULL);
    input_line("/help nosuch", NULL);
    assert_events((const char *const[]){
        "E:Unknown command: /foo (try /help)",
        "E:Usage: /win N|NAME|next|prev",
        "E:The console window cannot be closed (use /quit)",
        "E:roster.width takes a number from 10 to 80",
        "E:Unknown setting: nosuch (try /set)",
        "E:No help for nosuch: unknown command (try /help)", NULL});
}

/* Commands that need a connection fail clearly without one. */
static void
test_input_needs_connection(void **state)
{
    struct account *a;

    input_line("/msg bob@example.com hi", NULL);
    a = account_new("alice@example.com", "alice@example.com");
    input_line("/status away", NULL);
    input_line("/query bob@example.com", NULL);
    assert_events((const char *const[]){
        "E:/msg needs a connection: use /connect first",
        "E:/status needs a connection: alice@example.com is offline",
        "E:/msg needs a connection: alice@example.com is offline", NULL});
    /* Nothing was opened or changed. */
    assert_int_equal(window_count(), 1);
    assert_string_equal(a->show, "online");
}

/* /win, /close, /clear and /set act on the model. */
static void
test_input_window_commands(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");
    struct window *bob = window_get_chat(a, "bob@example.com");
    struct window *carol = window_get_chat(a, "carol@example.net");

    input_line("/win 2", NULL);
    assert_ptr_equal(window_current(), bob);
    input_line("/win next", NULL);
    assert_ptr_equal(window_current(), carol);
    input_line("/win next", NULL);
    assert_ptr_equal(window_current(), window_console());
    input_line("/win prev", NULL);
    assert_ptr_equal(window_current(), carol);
    input_line("/window bob@example.com", NULL);
    assert_ptr_equal(window_current(), bob);
    input_line("/win 9", NULL);
    assert_ptr_equal(window_current(), bob);
    assert_events((const char *const[]){"E:No window 9 (there are 3)", NULL});
    assert_true(has_line(bob, LINE_ERROR, "No window 9"));

    input_line("/clear", NULL);
    assert_int_equal(bob->lines.length, 0);
    input_line("/close", NULL);
    assert_int_equal(window_count(), 2);
    assert_ptr_equal(window_current(), window_console());

    input_line("/set roster.width 40", NULL);
    assert_int_equal(settings_int("roster.width"), 40);
    assert_string_equal(last_line(window_console())->text,
                        "roster.width = 40");
}

/* A prompt takes the next line as its answer; that line is not run. */
static void
test_input_ask_takes_next_line(void **state)
{
    GPtrArray *answers = g_ptr_array_new_with_free_func(g_free);

    input_ask("Your name?", false, on_answer, answers);
    assert_string_equal(input_prompt(), "Your name?");
    assert_false(input_prompt_secret());
    assert_string_equal(last_line(window_current())->text, "Your name?");

    /* Would be "Unknown command" if it ran; it is the answer instead. */
    input_line("/nosuch", NULL);
    assert_int_equal(answers->len, 1);
    assert_string_equal(answers->pdata[0], "/nosuch");
    assert_events((const char *const[]){NULL});
    assert_null(input_prompt());

    /* The line after that runs as usual. */
    input_line("/nosuch", NULL);
    assert_int_equal(answers->len, 1);
    assert_events(
        (const char *const[]){"E:Unknown command: /nosuch (try /help)", NULL});
    g_ptr_array_unref(answers);
}

/* A secret answer is handed over and shown nowhere. */
static void
test_input_ask_secret(void **state)
{
    GPtrArray *answers = g_ptr_array_new_with_free_func(g_free);

    input_ask("Password for alice@example.com:", true, on_answer, answers);
    assert_true(input_prompt_secret());
    input_line("hunter2 with spaces", NULL);
    assert_int_equal(answers->len, 1);
    assert_string_equal(answers->pdata[0], "hunter2 with spaces");
    assert_false(input_prompt_secret());
    assert_false(any_line_contains("hunter2"));
    assert_events((const char *const[]){NULL});
    g_ptr_array_unref(answers);
}

/* A new prompt cancels the pending one, which gets NULL. */
static void
test_input_ask_replaces_prompt(void **state)
{
    GPtrArray *first = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *second = g_ptr_array_new_with_free_func(g_free);

    input_ask("First?", false, on_answer, first);
    input_ask("Second?", false, on_answer, second);
    assert_int_equal(first->len, 1);
    assert_string_equal(first->pdata[0], "(cancelled)");
    assert_string_equal(input_prompt(), "Second?");
    input_line("answer", NULL);
    assert_int_equal(first->len, 1);
    assert_int_equal(second->len, 1);
    assert_string_equal(second->pdata[0], "answer");
    g_ptr_array_unref(first);
    g_ptr_array_unref(second);
}

/* /connect validates its options, then asks for the password. */
static void
test_input_connect_prompts(void **state)
{
    struct account *a;

    input_line("/connect bob", NULL);
    input_line("/connect a@b port 99999", NULL);
    input_line("/connect a@b tls maybe", NULL);
    input_line("/connect a@b server", NULL);
    input_line("/connect a@b colour blue", NULL);
    assert_events((const char *const[]){
        "E:Invalid JID bob: it needs a user part (user@server), or name a "
        "configured account (/account list)",
        "E:Invalid port 99999: give a number from 1 to 65535",
        "E:Invalid TLS policy maybe: use force, allow, trust, disable or "
        "direct",
        "E:Usage: /connect [NAME|JID] [server HOST] [port N] "
        "[tls force|allow|trust|disable|direct]",
        "E:Usage: /connect [NAME|JID] [server HOST] [port N] "
        "[tls force|allow|trust|disable|direct]",
        NULL});
    assert_int_equal(account_list()->len, 0);
    assert_null(input_prompt());

    clear_events();
    input_line("/connect Alice@Example.com server 127.0.0.1 port 5222 "
               "tls trust",
               NULL);
    a = account_find("alice@example.com");
    assert_non_null(a);
    assert_string_equal(a->server, "127.0.0.1");
    assert_int_equal(a->port, 5222);
    assert_int_equal(a->tls, TLS_TRUST);
    assert_int_equal(a->state, ACCOUNT_OFFLINE);
    assert_ptr_equal(account_default(), a);
    assert_string_equal(input_prompt(), "Password for alice@example.com:");
    assert_true(input_prompt_secret());
    assert_events((const char *const[]){NULL});
    /* Not answered: input_deinit() in teardown drops the prompt. */
}

/* While the account connects, lines needing it wait, in order. */
static void
test_input_waits_while_connecting(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");

    account_set_state(a, ACCOUNT_CONNECTING, NULL);
    input_line("/msg bob@example.com hi", NULL);
    assert_true(input_waiting());
    /* Queued behind it, even though /set needs no connection. */
    input_line("/set roster off", NULL);
    assert_true(input_waiting());
    assert_true(settings_bool("roster"));
    assert_int_equal(window_count(), 1);
    assert_events((const char *const[]){NULL});

    /* The connection fails: the waiting lines run and fail clearly. */
    account_set_state(a, ACCOUNT_OFFLINE, "Connection refused");
    assert_false(input_waiting());
    assert_false(settings_bool("roster"));
    assert_events((const char *const[]){
        "E:/msg needs a connection: alice@example.com is offline",
        "set:roster", NULL});
    assert_true(has_line(window_console(), LINE_ERROR, "Connection refused"));
}

/* Lines that need no connection run at once while none is pending. */
static void
test_input_runs_when_not_connecting(void **state)
{
    struct account *a = account_new("alice@example.com", "alice@example.com");

    a->state = ACCOUNT_OFFLINE;
    input_line("/set roster off", NULL);
    assert_false(input_waiting());
    assert_false(settings_bool("roster"));
}

/* Write contents to a new temporary file; returns its path (g_free). */
static char *
temp_file(const char *contents)
{
    GError *err = NULL;
    char *path = NULL;
    int fd = g_file_open_tmp("natter-test-XXXXXX", &path, &err);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, contents, strlen(contents)),
                     (ssize_t)strlen(contents));
    close(fd);
    return path;
}

/* input_file runs the lines in order, skipping comments and blank lines. */
static void
test_input_file_runs_lines(void **state)
{
    char *path = temp_file("# settings for the test\n"
                           "\n"
                           "/set roster off\n"
                           "#/set roster.width 40\n"
                           "/nosuch one\r\n"
                           "\n"
                           "/set roster.width 33\n"
                           "/nosuch two");
    char *cause = NULL;
    char *e5 =
        g_strdup_printf("E:%s:5: Unknown command: /nosuch (try /help)", path);
    char *e8 =
        g_strdup_printf("E:%s:8: Unknown command: /nosuch (try /help)", path);

    assert_true(input_file(path, &cause));
    unlink(path);
    assert_null(cause);
    assert_events(
        (const char *const[]){"set:roster", e5, "set:roster.width", e8, NULL});
    assert_false(settings_bool("roster"));
    assert_int_equal(settings_int("roster.width"), 33);
    g_free(path);
    g_free(e5);
    g_free(e8);
}

/* A missing command file is an error with a cause. */
static void
test_input_file_missing(void **state)
{
    char *cause = NULL;

    assert_false(input_file("/nonexistent/natter/autorun", &cause));
    assert_non_null(cause);
    assert_contains(cause, "Cannot read command file");
    g_free(cause);
    assert_events((const char *const[]){NULL});
}

/* A prompt raised by one file line is answered by the next file line. */
static void
test_input_file_answers_prompt(void **state)
{
    GPtrArray *answers = g_ptr_array_new_with_free_func(g_free);
    char *path = temp_file("/nosuch\n# comment\nmy answer\n/set roster off\n");
    char *cause = NULL;

    input_ask("Question?", false, on_answer, answers);
    assert_true(input_file(path, &cause));
    unlink(path);
    /* The first line after the prompt was asked answers it, so /nosuch is
     * the answer and "my answer" is text in the console. */
    assert_int_equal(answers->len, 1);
    assert_string_equal(answers->pdata[0], "/nosuch");
    assert_false(settings_bool("roster"));
    g_free(path);
    g_ptr_array_unref(answers);
}

/*
 * Regression (minor; input.c input_file, fixed): a line of only spaces or tabs
 * is not treated as blank, so it runs as typed: in the console it gives "This
 * is the console: use /msg JID TEXT to chat", and in a chat window it would be
 * sent to the contact as a message. The header promises that blank lines are
 * skipped. Fix: skip lines that are all whitespace.
 */
static void
test_regression_input_file_whitespace_line_is_blank(void **state)
{
    char *path = temp_file("/set roster off\n   \n\t\n");
    char *cause = NULL;

    bool ok = input_file(path, &cause);

    unlink(path);
    g_free(path);
    assert_true(ok);
    assert_events((const char *const[]){"set:roster", NULL});
}

/* Run the model tests, each on a fresh model. */
int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_window_init_console),
        T(test_window_get_chat_once),
        T(test_unread_and_activity),
        T(test_switch_resets_unread),
        T(test_close_refuses_console),
        T(test_close_moves_to_previous),
        T(test_close_account),
        T(test_scrollback_trim),
        T(test_window_find_line_index),
        T(test_window_clear),
        T(test_add_line_fields),
        T(test_router_messages),
        T(test_router_account_and_presence),
        T(test_router_notice_placement),
        T(test_account_new_find),
        T(test_contact_get_find),
        T(test_contact_presence_changes),
        T(test_contact_best_priority),
        T(test_contact_sorted_order),
        T(test_contact_clear_presence),
        T(test_settings_defaults),
        T(test_settings_bool_words),
        T(test_settings_int_range),
        T(test_settings_unknown_and_string),
        T(test_settings_event),
        T(test_event_order_and_payload),
        T(test_event_unsubscribe),
        T(test_notice_formats),
        T(test_regression_event_unsubscribe_during_emit),
        T(test_input_text_in_console),
        T(test_input_source_in_errors),
        T(test_input_command_errors),
        T(test_input_needs_connection),
        T(test_input_window_commands),
        T(test_input_ask_takes_next_line),
        T(test_input_ask_secret),
        T(test_input_ask_replaces_prompt),
        T(test_input_connect_prompts),
        T(test_input_waits_while_connecting),
        T(test_input_runs_when_not_connecting),
        T(test_input_file_runs_lines),
        T(test_input_file_missing),
        T(test_input_file_answers_prompt),
        T(test_regression_input_file_whitespace_line_is_blank),
        T(test_event_stages),
    };
#undef T

    setlocale(LC_CTYPE, "C.UTF-8");
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
