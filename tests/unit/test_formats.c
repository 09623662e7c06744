/* SPDX-License-Identifier: MIT */
/* The format table (ui/formats.c): its expander, its agreement with the
 * ids of core/format-id.h, and notices that carry an id and arguments. */
#include "unit.h"

#include "core/account.h"
#include "core/event.h"
#include "core/settings.h"
#include "core/window.h"
#include "ui/formats.h"
#include "ui/lines.h"

/* Expand tmpl with the NULL-terminated args; caller frees. */
static char *
expand(const char *tmpl, const char *const *args)
{
    size_t n = 0;

    while (args[n] != NULL)
        n++;
    return formats_expand_template(tmpl, args, n);
}

/* Check that tmpl with args gives want. */
static void
assert_expands(const char *tmpl, const char *const *args, const char *want)
{
    char *got = expand(tmpl, args);

    assert_string_equal(got, want);
    g_free(got);
}

/* Numbered arguments go where the template names them, in any order and
 * as often as named. */
static void
test_expand_arguments(void **state)
{
    assert_expands("You joined $0 as $1 ($2 occupants)",
                   (const char *const[]){"r@muc", "me", "3", NULL},
                   "You joined r@muc as me (3 occupants)");
    assert_expands("$1 before $0, $0 again",
                   (const char *const[]){"a", "b", NULL},
                   "b before a, a again");
    assert_expands("no arguments", (const char *const[]){NULL},
                   "no arguments");
    assert_expands("", (const char *const[]){"x", NULL}, "");
    assert_expands("$9",
                   (const char *const[]){"0", "1", "2", "3", "4", "5", "6",
                                         "7", "8", "nine", NULL},
                   "nine");
}

/* Missing arguments are empty; extra ones are ignored. */
static void
test_expand_missing_and_extra(void **state)
{
    char *got;

    assert_expands("$0 and $1 and $2", (const char *const[]){"one", NULL},
                   "one and  and ");
    assert_expands("only $0", (const char *const[]){"a", "b", "c", NULL},
                   "only a");
    got = formats_expand_template("[$0]", NULL, 0);
    assert_string_equal(got, "[]");
    g_free(got);
    /* A NULL entry counts as empty, not as the end. */
    got = formats_expand_template("$0|$1|$2",
                                  (const char *const[]){"a", NULL, "c"}, 3);
    assert_string_equal(got, "a||c");
    g_free(got);
}

/* $$ is a dollar; a $ not followed by a digit stays as it is. */
static void
test_expand_dollars(void **state)
{
    assert_expands("costs $$5", (const char *const[]){"x", NULL}, "costs $5");
    assert_expands("$$0 is not $0", (const char *const[]){"x", NULL},
                   "$0 is not x");
    assert_expands("a $ sign, $x and $", (const char *const[]){"x", NULL},
                   "a $ sign, $x and $");
    assert_expands("$$$0", (const char *const[]){"x", NULL}, "$x");
    /* Arguments are not expanded again. */
    assert_expands("<$0>", (const char *const[]){"$1 $$", "no", NULL},
                   "<$1 $$>");
}

/* Every id has exactly one entry, with a name and a template; names are
 * unique and made for themes (lower case, digits, underscores). */
static void
test_table_complete(void **state)
{
    size_t n;
    const struct format_def *t = formats_table(&n);
    unsigned int seen[FMT_COUNT] = {0};
    GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);

    for (size_t i = 0; i < n; i++) {
        assert_true(t[i].id >= 0 && t[i].id < FMT_COUNT);
        seen[t[i].id]++;
        assert_non_null(t[i].name);
        assert_non_null(t[i].tmpl);
        assert_true(t[i].name[0] != '\0');
        for (const char *c = t[i].name; *c != '\0'; c++)
            assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
                        *c == '_');
        if (g_hash_table_contains(names, t[i].name))
            fail_msg("format name %s used twice", t[i].name);
        g_hash_table_add(names, (gpointer)t[i].name);
    }
    for (int id = 0; id < FMT_COUNT; id++) {
        if (seen[id] != 1)
            fail_msg("format id %d has %u entries", id, seen[id]);
        assert_int_equal(formats_find(id)->id, id);
    }
    assert_int_equal(n, FMT_COUNT);
    assert_null(formats_find(FMT_COUNT));
    g_hash_table_unref(names);
}

/* By id, with arguments up to a NULL. */
static void
test_text_by_id(void **state)
{
    char *got = formats_text(FMT_ROOM_JOINED_ONE, "r@muc", "me", "1", NULL);

    assert_string_equal(got, "You joined r@muc as me (1 occupant)");
    g_free(got);
    got = formats_text(FMT_TEXT, "as it is: 100% $0", NULL);
    assert_string_equal(got, "as it is: 100% $0");
    g_free(got);
    got = formats_expandv(FMT_ROOM_TOPIC_EMPTY, NULL);
    assert_string_equal(got, "The topic is empty");
    g_free(got);
}

static enum format_id last_fmt;
static char *last_arg1;

/* Record the id and second argument of a notice. */
static void
on_notice(enum event_type type, const void *payload, void *data)
{
    const struct ev_notice *ev = payload;

    last_fmt = ev->fmt;
    g_free(last_arg1);
    last_arg1 = g_strdup(ev->args[0] != NULL ? ev->args[1] : NULL);
}

/* A notice carries its id and arguments; the line shows the text. */
static void
test_notice_carries_data(void **state)
{
    struct window *con;
    struct line *l;

    window_init();
    lines_init();
    event_subscribe(EV_NOTICE, on_notice, NULL);
    con = window_console();
    notice_fmt(NULL, NOTICE_ERROR, FMT_PRESENCE_ERROR, "bob@example.com",
               "<forbidden>", NULL);
    assert_int_equal(last_fmt, FMT_PRESENCE_ERROR);
    assert_string_equal(last_arg1, "<forbidden>");
    l = g_queue_peek_tail(&con->lines);
    assert_int_equal(l->kind, LINE_ERROR);
    assert_string_equal(l->text,
                        "Presence error from bob@example.com: <forbidden>");
    /* The old printf notices are raw text. */
    notice(NULL, NOTICE_INFO, "%d%% done", 50);
    assert_int_equal(last_fmt, FMT_TEXT);
    l = g_queue_peek_tail(&con->lines);
    assert_int_equal(l->kind, LINE_INFO);
    assert_string_equal(l->text, "50% done");
    event_deinit();
    lines_deinit();
    window_deinit();
    account_deinit();
    settings_deinit();
    g_free(last_arg1);
    last_arg1 = NULL;
}

/* A room line as data lands in the room's window as its text. */
static void
test_room_line(void **state)
{
    struct account *a;
    struct ev_room_line ev = {
        .base = {.room_jid = "room@muc.example.com", .what = ROOM_EV_LINE},
        .error = true,
        .fmt = FMT_ROOM_REFUSED_VOICE,
        .args =
            (const char *const[]){"room@muc.example.com", "forbidden", NULL}};
    struct window *w;
    struct line *l;

    window_init();
    lines_init();
    a = account_new("alice", "alice@example.com");
    ev.base.acct = a;
    event_emit(EV_ROOM, &ev);
    w = window_find(a, WINDOW_ROOM, "room@muc.example.com");
    assert_non_null(w);
    l = g_queue_peek_tail(&w->lines);
    assert_int_equal(l->kind, LINE_ERROR);
    assert_string_equal(l->text,
                        "room@muc.example.com refused a message: forbidden "
                        "(visitors may not speak: ask a moderator for voice)");
    event_deinit();
    lines_deinit();
    window_deinit();
    account_deinit();
    settings_deinit();
}

/* The text of id with args (up to a NULL) is what the old printf gave;
 * frees old. */
static void
assert_same_words(enum format_id id, const char *const *args, char *old)
{
    char *got = formats_expandv(id, args);

    if (strcmp(got, old) != 0)
        fail_msg("format %s: \"%s\", was \"%s\"", formats_find(id)->name, got,
                 old);
    g_free(got);
    g_free(old);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The sentences moved out of bookmarks.c, muc-admin.c, history.c,
 * roster-cache.c and main.c read as the printf calls they replace did (those
 * calls are written out here as they were). */
static void
test_moved_notices_unchanged(void **state)
{
    const char *r = "room@muc.example.com", *j = "alice@example.com";
    unsigned int n;

    assert_same_words(FMT_BOOKMARK_JOIN_FAILED, ARGS(r, "no such room"),
                      g_strdup_printf("Cannot join bookmarked room %s: %s", r,
                                      "no such room"));
    assert_same_words(
        FMT_AUTOJOIN_FAILED, ARGS("alice", "bad room"),
        g_strdup_printf("autojoin of %s: %s", "alice", "bad room"));
    /* report(): "Cannot %s %s: ..." with its three verbs. */
    static const struct {
        enum format_id ended, refused;
        const char *what;
    } verbs[] = {
        {FMT_BOOKMARK_ADD_ENDED, FMT_BOOKMARK_ADD_REFUSED, "bookmark"},
        {FMT_BOOKMARK_REMOVE_ENDED, FMT_BOOKMARK_REMOVE_REFUSED,
         "remove the bookmark of"},
        {FMT_BOOKMARKS_READ_ENDED, FMT_BOOKMARKS_READ_REFUSED,
         "read the bookmarks for"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(verbs); i++) {
        assert_same_words(verbs[i].ended, ARGS(r),
                          g_strdup_printf("Cannot %s %s: the connection ended",
                                          verbs[i].what, r));
        assert_same_words(verbs[i].refused, ARGS(r, j, "forbidden"),
                          g_strdup_printf("Cannot %s %s: %s refused: %s",
                                          verbs[i].what, r, j, "forbidden"));
    }
    assert_same_words(FMT_BOOKMARKS_UNREADABLE, ARGS(j),
                      g_strdup_printf("Cannot read the bookmarks of %s", j));
    assert_same_words(FMT_BOOKMARK_NONE, ARGS(j, r),
                      g_strdup_printf("%s has no bookmark of %s", j, r));
    assert_same_words(FMT_BOOKMARKS_STORE_FAILED, ARGS(j, "not connected"),
                      g_strdup_printf("Cannot store the bookmarks of %s: %s",
                                      j, "not connected"));
    /* describe() made "JID (name) as nick, autojoin on|off". */
    for (int named = 0; named < 2; named++) {
        for (int on = 0; on < 2; on++) {
            const char *name = named ? "The $1 Room" : NULL;
            const char *aj = on ? "on" : "off";
            char *line = g_strdup_printf(
                "%s%s%s%s as %s, autojoin %s", r, name != NULL ? " (" : "",
                name != NULL ? name : "", name != NULL ? ")" : "", "me", aj);
            const char *const *args =
                named ? ARGS(r, name, "me", aj) : ARGS(r, "me", aj);
            assert_same_words(named ? FMT_BOOKMARKED_NAMED : FMT_BOOKMARKED,
                              args, g_strdup_printf("Bookmarked %s", line));
            assert_same_words(
                named ? FMT_BOOKMARK_ADDED_ELSEWHERE_NAMED
                      : FMT_BOOKMARK_ADDED_ELSEWHERE,
                args,
                g_strdup_printf("Bookmark %s by another client: %s", "added",
                                line));
            assert_same_words(
                named ? FMT_BOOKMARK_CHANGED_ELSEWHERE_NAMED
                      : FMT_BOOKMARK_CHANGED_ELSEWHERE,
                args,
                g_strdup_printf("Bookmark %s by another client: %s", "changed",
                                line));
            g_free(line);
        }
    }
    assert_same_words(FMT_BOOKMARK_REMOVED, ARGS(r),
                      g_strdup_printf("Removed the bookmark of %s", r));
    assert_same_words(
        FMT_BOOKMARKS_PURGED_ELSEWHERE, ARGS(j),
        g_strdup_printf("Every bookmark of %s was removed by another client",
                        j));
    assert_same_words(
        FMT_BOOKMARK_REMOVED_ELSEWHERE, ARGS(r),
        g_strdup_printf("Bookmark of %s removed by another client", r));

    /* The /rooms listing of muc-admin.c. */
    assert_same_words(FMT_ROOMS_FAILED, ARGS("muc.example.com", "timeout"),
                      g_strdup_printf("Cannot list the rooms of %s: %s",
                                      "muc.example.com", "timeout"));
    for (n = 0; n < 3; n++) {
        char num[16];
        g_snprintf(num, sizeof num, "%u", n);
        assert_same_words(
            n == 0   ? FMT_ROOMS_NONE
            : n == 1 ? FMT_ROOMS_LISTED_ONE
                     : FMT_ROOMS_LISTED,
            n == 0 ? ARGS("muc.example.com") : ARGS(num, "muc.example.com"),
            g_strdup_printf("%u public room%s on %s%s", n, n == 1 ? "" : "s",
                            "muc.example.com", n > 0 ? ":" : ""));
    }
    for (int named = 0; named < 2; named++) {
        for (int counted = 0; counted < 2; counted++) {
            const char *what = named ? "Lobby" : NULL;
            const char *count = counted ? "7" : NULL;
            enum format_id id = named && counted ? FMT_ROOMS_ITEM_NAMED_COUNT
                                : named          ? FMT_ROOMS_ITEM_NAMED
                                : counted        ? FMT_ROOMS_ITEM_COUNT
                                                 : FMT_ROOMS_ITEM;
            const char *const *args = named && counted ? ARGS(r, what, count)
                                      : named          ? ARGS(r, what)
                                      : counted        ? ARGS(r, count)
                                                       : ARGS(r);
            assert_same_words(
                id, args,
                g_strdup_printf("  %s%s%s%s%s", r, what != NULL ? " - " : "",
                                what != NULL ? what : "",
                                count != NULL ? ", occupants: " : "",
                                count != NULL ? count : ""));
        }
    }

    /* The history store and start-up. */
    assert_same_words(FMT_HISTORY_FAILING, ARGS("disk full"),
                      g_strdup_printf("%s (messages stay in their windows and "
                                      "are written when it works again)",
                                      "disk full"));
    for (n = 1; n < 3; n++) {
        char num[16];
        g_snprintf(num, sizeof num, "%u", n);
        assert_same_words(n == 1 ? FMT_HISTORY_SAVED_AGAIN_ONE
                                 : FMT_HISTORY_SAVED_AGAIN,
                          ARGS("alice", num),
                          g_strdup_printf("History of account %s saved again "
                                          "(%u waiting message%s written)",
                                          "alice", n, n == 1 ? "" : "s"));
    }
    assert_same_words(
        FMT_ROSTER_SAVE_FAILED, ARGS(j, "disk full"),
        g_strdup_printf("Cannot save the roster of %s: %s", j, "disk full"));
    assert_same_words(
        FMT_NO_SUCH_ACCOUNT, ARGS("bob"),
        g_strdup_printf("-a %s: no such account (see /account list)", "bob"));
}

/* The room lines of muc-admin.c read as the muc_say() printf calls they
 * replace (written out here as they were). */
static void
test_room_admin_lines_unchanged(void **state)
{
    const char *r = "room@muc.example.com";
    static const char *const hints[] = {"",
                                        ": you lack the privileges for that",
                                        ": no such occupant or room"};
    static const struct {
        enum format_id ids[3];
        const char *attr; /* NULL: an owner request, what below */
        const char *what;
    } kinds[] = {
        {{FMT_ROOM_SET_ROLE_REFUSED, FMT_ROOM_SET_ROLE_DENIED,
          FMT_ROOM_SET_ROLE_MISSING},
         "role",
         NULL},
        {{FMT_ROOM_SET_AFFILIATION_REFUSED, FMT_ROOM_SET_AFFILIATION_DENIED,
          FMT_ROOM_SET_AFFILIATION_MISSING},
         "affiliation",
         NULL},
        {{FMT_ROOM_DEFAULTS_REFUSED, FMT_ROOM_DEFAULTS_DENIED,
          FMT_ROOM_DEFAULTS_MISSING},
         NULL,
         "accept the defaults"},
        {{FMT_ROOM_DESTROY_REFUSED, FMT_ROOM_DESTROY_DENIED,
          FMT_ROOM_DESTROY_MISSING},
         NULL,
         "destroy the room"},
    };

    for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
        for (size_t h = 0; h < 3; h++) {
            char *what = kinds[k].attr != NULL
                             ? g_strdup_printf("set the %s of %s to %s",
                                               kinds[k].attr, "bob", "none")
                             : g_strdup(kinds[k].what);
            char *old = g_strdup_printf("Cannot %s in %s: %s%s", what, r,
                                        "forbidden", hints[h]);
            assert_same_words(kinds[k].ids[h],
                              kinds[k].attr != NULL
                                  ? ARGS(r, "bob", "none", "forbidden")
                                  : ARGS(r, "forbidden"),
                              old);
            g_free(what);
        }
    }
    assert_same_words(FMT_ROOM_AFFILIATION_SET,
                      ARGS("carol@example.com", "member", r),
                      g_strdup_printf("%s is now %s of %s",
                                      "carol@example.com", "member", r));
    assert_same_words(FMT_ROOM_DEFAULTS_DONE, NULL,
                      g_strdup("The room is open, with its default settings"));
    assert_same_words(FMT_ROOM_AFFILIATES_FAILED, ARGS("owner", r, "timeout"),
                      g_strdup_printf("Cannot list the %ss of %s: %s", "owner",
                                      r, "timeout"));
    for (unsigned int n = 0; n < 3; n++) {
        char num[16];
        g_snprintf(num, sizeof num, "%u", n);
        assert_same_words(n == 0   ? FMT_ROOM_AFFILIATES_NONE
                          : n == 1 ? FMT_ROOM_AFFILIATES_ONE
                                   : FMT_ROOM_AFFILIATES,
                          ARGS(num, "member", r),
                          g_strdup_printf("%u %s%s of %s%s", n, "member",
                                          n == 1 ? "" : "s", r,
                                          n > 0 ? ":" : ""));
    }
    assert_same_words(FMT_ROOM_AFFILIATE, ARGS("bob@example.com"),
                      g_strdup_printf("  %s", "bob@example.com"));
    assert_same_words(FMT_ROOM_AFFILIATE_NOTE, ARGS("bob@example.com", "bob"),
                      g_strdup_printf("  %s (%s)", "bob@example.com", "bob"));
    for (int direct = 0; direct < 2; direct++)
        assert_same_words(
            direct ? FMT_ROOM_INVITED : FMT_ROOM_INVITED_MEDIATED,
            ARGS("bob@example.com", r),
            g_strdup_printf("Invited %s to %s%s", "bob@example.com", r,
                            direct ? "" : " (through the room)"));
    assert_same_words(FMT_ROOM_INVITE_FAILED,
                      ARGS("bob@example.com", "not connected"),
                      g_strdup_printf("Cannot invite %s: %s",
                                      "bob@example.com", "not connected"));
}

/* Check that why reads as old, the printf it replaces; frees old. */
static void
assert_offline_text(struct offline_why why, char *old)
{
    char *got = lines_offline_text(&why);

    assert_string_equal(got, old);
    g_free(got);
    g_free(old);
}

/* Why a connection ended, as data, reads as the sentence xmpp/ used to
 * build (session-log.c's old session_failure_reason(), session.c's old
 * start_failed() and plain check, written out as they were). */
static void
test_offline_reasons_unchanged(void **state)
{
    const char *h = "example.com:5222", *j = "alice@example.com";

    assert_offline_text(
        (struct offline_why){OFFLINE_SETUP_TIMEOUT, h, j, "30", NULL},
        g_strdup_printf("Cannot connect to %s for %s: the server did not "
                        "complete the login within %d s",
                        h, j, 30));
    assert_offline_text(
        (struct offline_why){OFFLINE_SETUP_CUT, h, j, "20", NULL},
        g_strdup_printf("Cannot connect to %s for %s: the server "
                        "stopped answering while the connection was "
                        "being set up (cut after %u s)",
                        h, j, 20u));
    assert_offline_text(
        (struct offline_why){OFFLINE_CERT_REFUSED, h, j,
                             "self-signed certificate", NULL},
        g_strdup_printf("Certificate of %s refused for %s: %s; "
                        "/tls trust pins it if you trust it",
                        h, j, "self-signed certificate"));
    assert_offline_text(
        (struct offline_why){OFFLINE_LOGIN_FAILED, h, j, "not-authorized",
                             NULL},
        g_strdup_printf("Login failed for %s: %s (wrong password or "
                        "no such account?)",
                        j, "not-authorized"));
    assert_offline_text(
        (struct offline_why){OFFLINE_LOST, h, j,
                             "the server stopped answering pings", NULL},
        g_strdup_printf("Connection of %s lost: %s", j,
                        "the server stopped answering pings"));
    assert_offline_text((struct offline_why){OFFLINE_CONNECT_FAILED, h, j,
                                             "Connection refused", NULL},
                        g_strdup_printf("Cannot connect to %s for %s: %s", h,
                                        j, "Connection refused"));
    assert_offline_text(
        (struct offline_why){OFFLINE_NO_ADDRESS, h, j, NULL, NULL},
        g_strdup_printf("Cannot connect to %s for %s: %s", h, j,
                        "no address found"));
    assert_offline_text(
        (struct offline_why){OFFLINE_NO_TLS, h, j, "the server offers no TLS",
                             NULL},
        g_strdup_printf("Cannot connect securely to %s for %s: %s "
                        "(use 'tls allow' to permit plaintext)",
                        h, j, "the server offers no TLS"));
    /* A stream error with and without the server's text. */
    assert_offline_text(
        (struct offline_why){OFFLINE_STREAM_ERROR, h, j, "conflict",
                             "Replaced by new connection"},
        g_strdup_printf("Server closed the stream of %s: %s%s%s", j,
                        "conflict", ": ", "Replaced by new connection"));
    assert_offline_text(
        (struct offline_why){OFFLINE_STREAM_ERROR, h, j, "system-shutdown",
                             NULL},
        g_strdup_printf("Server closed the stream of %s: %s%s%s", j,
                        "system-shutdown", "", ""));
    assert_offline_text(
        (struct offline_why){OFFLINE_LOGIN_ERROR, h, j, "parse error", NULL},
        g_strdup_printf("Cannot log in to %s as %s: %s", h, j, "parse error"));
    assert_offline_text(
        (struct offline_why){OFFLINE_LOGIN_CLOSED, h, j, NULL, NULL},
        g_strdup_printf("Cannot log in to %s as %s: %s", h, j,
                        "the server closed the connection"));
    assert_offline_text(
        (struct offline_why){OFFLINE_CLOSED, h, j, NULL, NULL},
        g_strdup_printf("Connection of %s closed by the server", j));
    assert_offline_text(
        (struct offline_why){OFFLINE_PLAIN_REFUSED, h, j, NULL, "alice"},
        g_strdup_printf(
            "Login refused for %s: %s offers no TLS and only PLAIN, which "
            "would send the password in clear (/account set %s allow_plain "
            "on to accept that)",
            j, h, "alice"));
    /* A finished sentence stays as it is, even with a $ in it. */
    assert_offline_text((struct offline_why){OFFLINE_TEXT, NULL, j,
                                             "password_eval: $0 50%", NULL},
                        g_strdup("password_eval: $0 50%"));
}

/* An account that goes offline with a reason says it in the console, as
 * an error unless natter reconnects by itself. */
static void
test_offline_line(void **state)
{
    struct account *a;
    struct offline_why why = {OFFLINE_LOST, "example.com", "alice@example.com",
                              "Broken pipe", NULL};
    struct line *l;

    window_init();
    lines_init();
    a = account_new("alice", "alice@example.com");
    a->state = ACCOUNT_ONLINE;
    account_set_offline(a, &why);
    l = g_queue_peek_tail(&window_console()->lines);
    assert_int_equal(l->kind, LINE_ERROR);
    assert_string_equal(l->text,
                        "Connection of alice@example.com lost: Broken pipe");
    a->want_online = true;
    why.reason = OFFLINE_CLOSED;
    account_set_offline(a, &why);
    l = g_queue_peek_tail(&window_console()->lines);
    assert_int_equal(l->kind, LINE_INFO);
    assert_string_equal(
        l->text, "Connection of alice@example.com closed by the server");
    event_deinit();
    lines_deinit();
    window_deinit();
    account_deinit();
    settings_deinit();
}

/* Run the format tests. */
int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expand_arguments),
        cmocka_unit_test(test_expand_missing_and_extra),
        cmocka_unit_test(test_expand_dollars),
        cmocka_unit_test(test_table_complete),
        cmocka_unit_test(test_text_by_id),
        cmocka_unit_test(test_notice_carries_data),
        cmocka_unit_test(test_room_line),
        cmocka_unit_test(test_moved_notices_unchanged),
        cmocka_unit_test(test_room_admin_lines_unchanged),
        cmocka_unit_test(test_offline_reasons_unchanged),
        cmocka_unit_test(test_offline_line),
    };

    return cmocka_run_group_tests_name("formats", tests, NULL, NULL);
}
