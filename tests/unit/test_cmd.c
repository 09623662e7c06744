/* SPDX-License-Identifier: MIT */
/* Unit tests for command splitting, parsing, completion and the table. */
#include "unit.h"

#include "cmd/cmd.h"
#include "core/account.h"
#include "core/event.h"
#include "core/form.h"
#include "core/settings.h"
#include "core/window.h"

/* Split s and compare with the NULL-terminated want. */
static void
assert_split(const char *s, int max, bool rest, const char *const *want)
{
    char *cause = NULL;
    char **words = cmd_split(s, max, rest, &cause);
    guint n = 0;

    assert_non_null(words);
    assert_null(cause);
    while (want[n] != NULL)
        n++;
    assert_int_equal(g_strv_length(words), n);
    for (guint i = 0; i < n; i++)
        assert_string_equal(words[i], want[i]);
    g_strfreev(words);
}

/* Parse line, which must fail; returns the cause (caller frees). */
static char *
parse_fails(const char *line)
{
    char *sentinel[] = {NULL};
    char **argv = sentinel; /* must be reset to NULL */
    char *cause = NULL;

    assert_null(cmd_parse(line, &argv, &cause));
    assert_null(argv);
    assert_non_null(cause);
    return cause;
}

/* Assert that parsing line fails with exactly want. */
static void
assert_parse_error(const char *line, const char *want)
{
    char *cause = parse_fails(line);

    assert_string_equal(cause, want);
    g_free(cause);
}

/* Complete line at start and compare with the NULL-terminated want. */
static void
assert_completions(const char *line, size_t start, const char *const *want)
{
    GPtrArray *got = cmd_complete(line, start);
    guint n = 0;

    while (want[n] != NULL)
        n++;
    if (got->len != n) {
        print_error("completing \"%s\" at %zu gave %u candidates, want %u\n",
                    line, start, got->len, n);
        for (guint i = 0; i < got->len; i++)
            print_error("  got \"%s\"\n", (char *)got->pdata[i]);
        g_ptr_array_unref(got);
        fail();
    }
    for (guint i = 0; i < n; i++)
        assert_string_equal(got->pdata[i], want[i]);
    g_ptr_array_unref(got);
}

/* Completion of the last word of line. */
static void
assert_complete_last(const char *line, const char *const *want)
{
    const char *sp = strrchr(line, ' ');

    assert_completions(line, sp != NULL ? (size_t)(sp - line + 1) : 0, want);
}

/* Free everything a test may have created. */
static int
teardown_model(void **state)
{
    window_deinit();
    account_deinit();
    settings_deinit();
    event_deinit();
    return 0;
}

/* Windows exist for completers that look at them. */
static int
setup_model(void **state)
{
    window_init();
    return 0;
}

/* Whitespace separates words; runs of it and tabs count once. */
static void
test_split_words(void **state)
{
    static const char *const a[] = {"a", "b", "c", NULL};
    static const char *const none[] = {NULL};

    assert_split("a b c", -1, false, a);
    assert_split("  a \t b   c  ", -1, false, a);
    assert_split("", -1, false, none);
    assert_split("   \t ", -1, false, none);
}

/* Double quotes group words; backslash escapes inside quotes only. */
static void
test_split_quotes(void **state)
{
    static const char *const a[] = {"hello world", "x", NULL};
    static const char *const b[] = {"say \"hi\" now", NULL};
    static const char *const c[] = {"back\\slash", NULL};
    static const char *const d[] = {"", "x", NULL};
    static const char *const e[] = {"a\\b", "c", NULL};
    static const char *const f[] = {"%H:%M:%S ", NULL};

    assert_split("\"hello world\" x", -1, false, a);
    assert_split("\"say \\\"hi\\\" now\"", -1, false, b);
    assert_split("\"back\\\\slash\"", -1, false, c);
    assert_split("\"\" x", -1, false, d);
    /* Outside quotes a backslash is an ordinary character. */
    assert_split("a\\b c", -1, false, e);
    assert_split("\"%H:%M:%S \"", -1, false, f);
}

/* An unclosed quote is an error with a cause, not a crash or a guess. */
static void
test_split_unbalanced_quote(void **state)
{
    static const char *const bad[] = {"\"abc", "x \"abc def", "\"abc\\\"",
                                      "\""};

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *cause = NULL;
        char **w = cmd_split(bad[i], -1, false, &cause);
        assert_null(w);
        assert_non_null(cause);
        assert_contains(cause, "Unbalanced quote");
        g_free(cause);
    }
}

/* With rest, the last word is the rest of the line, byte for byte. */
static void
test_split_rest_verbatim(void **state)
{
    static const char *const a[] = {"bob@x", "hello   \"there\"  \\n ", NULL};
    static const char *const b[] = {"bob@x", NULL};
    static const char *const c[] = {"away", "lunch, back at \"two", NULL};
    static const char *const d[] = {"a", "b", "c", NULL};

    assert_split("bob@x hello   \"there\"  \\n ", 2, true, a);
    assert_split("  bob@x  ", 2, true, b);
    /* An unbalanced quote in the rest is just text. */
    assert_split("away lunch, back at \"two", 2, true, c);
    /* Without rest, max does not limit the split (parse checks counts). */
    assert_split("a b c", 2, false, d);
}

/* An unknown command names itself and points to /help. */
static void
test_parse_unknown(void **state)
{
    assert_parse_error("/foo", "Unknown command: /foo (try /help)");
    assert_parse_error("/foo bar baz", "Unknown command: /foo (try /help)");
    assert_parse_error("/", "Empty command (try /help)");
    assert_parse_error("/ msg", "Empty command (try /help)");
}

/* Too few or too many arguments give "Usage: /name synopsis". */
static void
test_parse_usage_errors(void **state)
{
    assert_parse_error("/msg", "Usage: /msg JID [text]");
    assert_parse_error("/win", "Usage: /win N|NAME|next|prev");
    assert_parse_error("/win 1 2", "Usage: /win N|NAME|next|prev");
    assert_parse_error("/quit now", "Usage: /quit");
    assert_parse_error("/clear all", "Usage: /clear");
    assert_parse_error("/help a b", "Usage: /help [COMMAND]");
    assert_parse_error("/status", "Usage: /status online|chat|away|xa|dnd "
                                  "[message]");
    assert_parse_error("/connect a@b server h port 1 tls trust extra",
                       "Usage: /connect [NAME|JID] [server HOST] [port N] "
                       "[tls force|allow|trust|disable|direct]");
}

/* A quote error keeps its reason and adds the usage. */
static void
test_parse_quote_error(void **state)
{
    char *cause = parse_fails("/connect \"alice@example.com");

    assert_contains(cause, "Unbalanced quote");
    assert_contains(cause, "Usage: /connect [NAME|JID]");
    g_free(cause);
}

/* Aliases resolve to their command; names are case-insensitive. */
static void
test_parse_aliases_and_case(void **state)
{
    static const char *const lines[] = {"/msg bob@x hi", "/query bob@x hi",
                                        "/MSG bob@x hi", "/QuErY bob@x hi"};

    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        char **argv = NULL;
        char *cause = NULL;
        const struct cmd *c = cmd_parse(lines[i], &argv, &cause);

        assert_ptr_equal(c, &cmd_entry_msg);
        assert_null(cause);
        assert_int_equal(g_strv_length(argv), 2);
        assert_string_equal(argv[0], "bob@x");
        assert_string_equal(argv[1], "hi");
        g_strfreev(argv);
    }
    assert_ptr_equal(cmd_find("window"), &cmd_entry_win);
    assert_ptr_equal(cmd_find("exit"), &cmd_entry_quit);
    assert_ptr_equal(cmd_find("presence"), &cmd_entry_status);
    assert_null(cmd_find("nosuch"));
    assert_null(cmd_find(""));
}

/* Arguments after the name are split, the rest kept for rest commands. */
static void
test_parse_arguments(void **state)
{
    char **argv = NULL;
    char *cause = NULL;
    const struct cmd *c;

    c = cmd_parse("/msg bob@x  hello   there  ", &argv, &cause);
    assert_ptr_equal(c, &cmd_entry_msg);
    assert_string_equal(argv[1], "hello   there  ");
    g_strfreev(argv);

    c = cmd_parse("/set time.format %H:%M %S", &argv, &cause);
    assert_ptr_equal(c, &cmd_entry_set);
    assert_int_equal(g_strv_length(argv), 2);
    assert_string_equal(argv[1], "%H:%M %S");
    g_strfreev(argv);

    c = cmd_parse("/help\tconnect", &argv, &cause);
    assert_ptr_equal(c, &cmd_entry_help);
    assert_int_equal(g_strv_length(argv), 1);
    assert_string_equal(argv[0], "connect");
    g_strfreev(argv);

    c = cmd_parse("/connect a@b server \"my host\" tls trust", &argv, &cause);
    assert_ptr_equal(c, &cmd_entry_connect);
    assert_int_equal(g_strv_length(argv), 5);
    assert_string_equal(argv[2], "my host");
    g_strfreev(argv);

    c = cmd_parse("/quit", &argv, &cause);
    assert_ptr_equal(c, &cmd_entry_quit);
    assert_int_equal(g_strv_length(argv), 0);
    g_strfreev(argv);
    assert_null(cause);
}

/* cmd_usage is "Usage: /name synopsis", without a trailing space. */
static void
test_usage_text(void **state)
{
    char *u = cmd_usage(&cmd_entry_msg);

    assert_string_equal(u, "Usage: /msg JID [text]");
    g_free(u);
    u = cmd_usage(&cmd_entry_quit);
    assert_string_equal(u, "Usage: /quit");
    g_free(u);
}

/* Command names complete with their slash. */
static void
test_complete_command_names(void **state)
{
    static const char *const co[] = {"/connect", "/correct", NULL};
    static const char *const c[] = {"/changepassword", "/clear",   "/close",
                                    "/connect",        "/correct", NULL};
    static const char *const none[] = {NULL};
    const struct cmd *const *t = cmd_table();
    GPtrArray *all = cmd_complete("/", 0);
    guint n = 0;

    assert_completions("/co", 0, co);
    assert_completions("/c", 0, c);
    assert_completions("/zzz", 0, none);
    /* "/" alone offers every command once. */
    while (t[n] != NULL)
        n++;
    assert_int_equal(all->len, n);
    g_ptr_array_unref(all);
}

/* /connect completes option names by position and TLS policies. */
static void
test_complete_connect(void **state)
{
    static const char *const server[] = {"server", NULL};
    static const char *const keys[] = {"port", "server", "tls", NULL};
    static const char *const trust[] = {"trust", NULL};
    static const char *const tls[] = {"tls", NULL};

    assert_complete_last("/connect alice@x s", server);
    assert_complete_last("/connect alice@x ", keys);
    assert_complete_last("/connect alice@x tls t", trust);
    assert_complete_last("/connect alice@x server h t", tls);
    /* Values follow their option: only "tls" has words to offer. */
    static const char *const none[] = {NULL};
    static const char *const all_tls[] = {"allow", "direct", "disable",
                                          "force", "trust",  NULL};
    assert_complete_last("/connect alice@x server t", none);
    assert_complete_last("/connect alice@x port 5222 tls ", all_tls);
}

/* /set completes setting names, then on/off. */
static void
test_complete_set(void **state)
{
    static const char *const ro[] = {"roster", "roster.groups",
                                     "roster.offline", "roster.width", NULL};
    static const char *const sc[] = {"scrollback", NULL};
    static const char *const o[] = {"off", "on", NULL};

    assert_complete_last("/set ro", ro);
    assert_complete_last("/set sc", sc);
    assert_complete_last("/set roster o", o);
    /* Only boolean settings offer on/off. */
    static const char *const none[] = {NULL};
    assert_complete_last("/set scrollback o", none);
}

/* /search completes its "open" action, and nothing after "open". */
static void
test_complete_search(void **state)
{
    static const char *const open[] = {"open", NULL};
    static const char *const none[] = {NULL};

    assert_complete_last("/search o", open);
    assert_complete_last("/search open ", none);
}

/* /status completes presence words; /help completes bare command names. */
static void
test_complete_status_and_help(void **state)
{
    static const char *const away[] = {"away", NULL};
    static const char *const d[] = {"dnd", NULL};
    static const char *const co[] = {"connect", "correct", NULL};
    static const char *const none[] = {NULL};

    assert_complete_last("/status a", away);
    assert_complete_last("/status d", d);
    assert_complete_last("/presence a", away); /* through the alias */
    assert_complete_last("/status away l", none);
    assert_complete_last("/help co", co);
    assert_complete_last("/nosuch x", none);
}

/* JIDs complete from contacts, accounts and open chat windows. */
static void
test_complete_jids(void **state)
{
    static const char *const b[] = {"bob@example.com", "bobby@example.org",
                                    NULL};
    static const char *const ca[] = {"carol@example.net", NULL};
    static const char *const none[] = {NULL};
    struct account *acct =
        account_new("alice@example.com", "alice@example.com");

    contact_get(acct, "bob@example.com");
    contact_get(acct, "bobby@example.org");
    window_get_chat(acct, "carol@example.net");

    assert_complete_last("/msg b", b);
    assert_complete_last("/query ca", ca);
    assert_complete_last("/msg bob@example.com b", none);
    /* Plain text (not a command) completes addresses too. */
    assert_completions("bo", 0, b);
    assert_complete_last("/connect al",
                         (const char *const[]){"alice@example.com", NULL});
}

/* /win completes next, prev and window names. */
static void
test_complete_windows(void **state)
{
    static const char *const n[] = {"next", NULL};
    static const char *const c[] = {"console", NULL};

    assert_complete_last("/win n", n);
    assert_complete_last("/win co", c);
}

/* /form completes its actions, the fields of the current form window
 * and the choices of a list or boolean field; /form set changes them. */
static void
test_complete_form(void **state)
{
    static const char *const acts[] = {"set", "show", "submit", NULL};
    static const char *const vars[] = {"muc#roomconfig_roomname",
                                       "muc#roomconfig_whois", NULL};
    static const char *const whois[] = {"anyone", NULL};
    static const char *const yesno[] = {"no", NULL};
    static const char *const none[] = {NULL};
    struct account *acct =
        account_new("alice@example.com", "alice@example.com");
    struct form *form = form_new("form");
    struct form_field *f;
    struct window *w;
    char **argv = NULL, *cause = NULL;
    const struct cmd *c;

    f = form_field_new("FORM_TYPE", "hidden", NULL);
    form_field_set_value(f, "http://jabber.org/protocol/muc#roomconfig");
    g_ptr_array_add(form->fields, f);
    g_ptr_array_add(form->fields,
                    form_field_new("muc#roomconfig_roomname", NULL, "Title"));
    f = form_field_new("muc#roomconfig_whois", "list-single", NULL);
    form_field_add_option(f, "moderators", "Moderators only");
    form_field_add_option(f, "anyone", "Anyone");
    g_ptr_array_add(form->fields, f);
    g_ptr_array_add(form->fields,
                    form_field_new("membersonly", "boolean", NULL));
    w = form_window_open(acct, "r@muc.example.com (config)", form);
    assert_ptr_equal(window_current(), w);
    assert_ptr_equal(form_of_window(w), form);

    assert_complete_last("/form s", acts);
    assert_complete_last("/form set muc#", vars);
    assert_complete_last("/form set F", none); /* hidden: not offered */
    assert_complete_last("/form set whois a", whois);
    assert_complete_last("/form set membersonly n", yesno);
    assert_complete_last("/form show x", none);

    c = cmd_parse("/form set Title Tea for two", &argv, &cause);
    assert_non_null(c);
    assert_true(cmd_run(c, argv, w, &cause));
    g_strfreev(argv);
    assert_string_equal(
        form_field_value(form_field_find(form, "muc#roomconfig_roomname")),
        "Tea for two");
    c = cmd_parse("/form set whois Anyone", &argv, &cause);
    assert_true(cmd_run(c, argv, w, &cause));
    g_strfreev(argv);
    assert_string_equal(
        form_field_value(form_field_find(form, "muc#roomconfig_whois")),
        "anyone");
    c = cmd_parse("/form set whois everyone", &argv, &cause);
    assert_false(cmd_run(c, argv, w, &cause));
    g_strfreev(argv);
    assert_string_equal(cause, "Cannot set muc#roomconfig_whois: everyone "
                               "is none of the choices");
    g_free(cause);
    cause = NULL;
    /* nothing to send it to: submit refuses, cancel closes the window */
    c = cmd_parse("/form submit", &argv, &cause);
    assert_false(cmd_run(c, argv, w, &cause));
    g_strfreev(argv);
    g_free(cause);
    cause = NULL;
    c = cmd_parse("/form cancel", &argv, &cause);
    assert_true(cmd_run(c, argv, w, &cause));
    g_strfreev(argv);
    assert_null(window_find(acct, WINDOW_FORM, "r@muc.example.com (config)"));
}

/* The table is data: every entry is complete and consistent. */
static void
test_table_entries_complete(void **state)
{
    const struct cmd *const *t = cmd_table();
    int count = 0;

    for (; *t != NULL; t++, count++) {
        const struct cmd *c = *t;

        assert_non_null(c->name);
        assert_true(c->name[0] != '\0');
        assert_non_null(c->synopsis);
        assert_non_null(c->description);
        assert_true(strlen(c->description) > 10);
        assert_non_null(c->examples);
        assert_non_null(c->examples[0]);
        assert_non_null(c->exec);
        /* Names are lower case words, as /help and the man page show. */
        for (const char *p = c->name; *p != '\0'; p++)
            assert_true(g_ascii_islower(*p));
        /* Argument counts make sense. */
        assert_true(c->min_args >= 0);
        assert_true(c->max_args == -1 || c->max_args >= c->min_args);
        if (c->rest)
            assert_true(c->max_args > 0);
        /* A command that takes arguments explains them. */
        if (c->max_args != 0) {
            assert_true(c->synopsis[0] != '\0');
            assert_non_null(c->args);
            assert_non_null(c->args[0]);
        } else {
            assert_string_equal(c->synopsis, "");
        }
        for (const char *const *a = c->args; a != NULL && *a != NULL; a++)
            assert_contains(*a, ": ");
        /* cmd_find knows it by name. */
        assert_ptr_equal(cmd_find(c->name), c);
    }
    assert_true(count >= 10);
}

/* Names and aliases are unique across the whole table. */
static void
test_table_names_unique(void **state)
{
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);

    for (const struct cmd *const *t = cmd_table(); *t != NULL; t++) {
        assert_false(g_hash_table_contains(seen, (*t)->name));
        g_hash_table_add(seen, (char *)(*t)->name);
        for (const char *const *a = (*t)->aliases; a != NULL && *a != NULL;
             a++) {
            assert_false(g_hash_table_contains(seen, *a));
            g_hash_table_add(seen, (char *)*a);
            assert_ptr_equal(cmd_find(*a), *t);
        }
    }
    g_hash_table_destroy(seen);
}

/* Every example parses as the command it illustrates. */
static void
test_table_examples_parse(void **state)
{
    for (const struct cmd *const *t = cmd_table(); *t != NULL; t++) {
        for (const char *const *e = (*t)->examples; *e != NULL; e++) {
            char **argv = NULL;
            char *cause = NULL;
            const struct cmd *c = cmd_parse(*e, &argv, &cause);

            if (c != *t) {
                print_error("example \"%s\" of /%s: %s\n", *e, (*t)->name,
                            cause != NULL ? cause : "parses as another");
                g_free(cause);
                g_strfreev(argv);
                fail();
            }
            g_strfreev(argv);
        }
    }
}

/* Run the command tests. */
int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_words),
        cmocka_unit_test(test_split_quotes),
        cmocka_unit_test(test_split_unbalanced_quote),
        cmocka_unit_test(test_split_rest_verbatim),
        cmocka_unit_test(test_parse_unknown),
        cmocka_unit_test(test_parse_usage_errors),
        cmocka_unit_test(test_parse_quote_error),
        cmocka_unit_test(test_parse_aliases_and_case),
        cmocka_unit_test(test_parse_arguments),
        cmocka_unit_test(test_usage_text),
        cmocka_unit_test_setup_teardown(test_complete_command_names,
                                        setup_model, teardown_model),
        cmocka_unit_test_setup_teardown(test_complete_connect, setup_model,
                                        teardown_model),
        cmocka_unit_test_setup_teardown(test_complete_set, setup_model,
                                        teardown_model),
        cmocka_unit_test_setup_teardown(test_complete_search, setup_model,
                                        teardown_model),
        cmocka_unit_test_setup_teardown(test_complete_status_and_help,
                                        setup_model, teardown_model),
        cmocka_unit_test_setup_teardown(test_complete_jids, setup_model,
                                        teardown_model),
        cmocka_unit_test_setup_teardown(test_complete_windows, setup_model,
                                        teardown_model),
        cmocka_unit_test_setup_teardown(test_complete_form, setup_model,
                                        teardown_model),
        cmocka_unit_test(test_table_entries_complete),
        cmocka_unit_test(test_table_names_unique),
        cmocka_unit_test(test_table_examples_parse),
    };

    setlocale(LC_CTYPE, "C.UTF-8");
    return cmocka_run_group_tests_name("cmd", tests, NULL, NULL);
}
