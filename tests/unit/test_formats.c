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
    };

    return cmocka_run_group_tests_name("formats", tests, NULL, NULL);
}
