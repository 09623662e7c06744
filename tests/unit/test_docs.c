/* SPDX-License-Identifier: MIT */
/* The command table, /help and the man page must agree. */
#include "unit.h"

#include "cmd/cmd.h"
#include "cmd/input.h"
#include "core/account.h"
#include "core/event.h"
#include "ui/lines.h"
#include "core/settings.h"
#include "core/window.h"

#define MAN_PAGE TOP_SRCDIR "/man/natter.1"

/* The man page, split into lines, read once for the group. */
static char **man;

/* Read the man page; a missing page fails every test that needs it. */
static int
group_setup(void **state)
{
    char *text = NULL;

    if (g_file_get_contents(MAN_PAGE, &text, NULL, NULL)) {
        man = g_strsplit(text, "\n", -1);
        g_free(text);
    }
    return 0;
}

/* Free the man page lines. */
static int
group_teardown(void **state)
{
    g_strfreev(man);
    man = NULL;
    return 0;
}

/* A model in which /help can run, like natter's at start-up. */
static int
setup(void **state)
{
    window_init();
    lines_init();
    input_init();
    return 0;
}

/* Free the model. */
static int
teardown(void **state)
{
    input_deinit();
    lines_deinit();
    window_deinit();
    account_deinit();
    settings_deinit();
    event_deinit();
    return 0;
}

/* The man page lines, failing the test if the page could not be read. */
static char **
man_lines(void)
{
    if (man == NULL) {
        print_error("cannot read %s\n", MAN_PAGE);
        fail();
    }
    return man;
}

/* Index of the line ".It Cm /name" in the man page, -1 if there is none. */
static int
man_entry(const char *name)
{
    char **l = man_lines();
    char *want = g_strdup_printf(".It Cm /%s", name);
    int found = -1;

    for (int i = 0; l[i] != NULL; i++) {
        if (strcmp(l[i], want) == 0) {
            found = i;
            break;
        }
    }
    g_free(want);
    return found;
}

/* Whether line is the start of a new list item or the end of the list. */
static bool
entry_ends(const char *line)
{
    return g_str_has_prefix(line, ".It ") || g_str_has_prefix(line, ".El") ||
           g_str_has_prefix(line, ".Sh ");
}

/* Join failures into one report, or fail with it if there are any. */
static void
fail_if_any(GString *problems, const char *what)
{
    if (problems->len > 0) {
        print_error("%s:\n%s", what, problems->str);
        g_string_free(problems, TRUE);
        fail();
    }
    g_string_free(problems, TRUE);
}

/* Console lines added from index from on, as one string per line. */
static GPtrArray *
console_lines_from(guint from)
{
    GPtrArray *out = g_ptr_array_new();
    guint i = 0;

    for (GList *l = window_console()->lines.head; l != NULL; l = l->next, i++)
        if (i >= from)
            g_ptr_array_add(out, ((struct line *)l->data)->text);
    return out;
}

/* Run line as typed and return the console lines it added (borrowed). */
static GPtrArray *
run(const char *line)
{
    guint before = window_console()->lines.length;

    input_line(line, NULL);
    return console_lines_from(before);
}

/* Every command in the table has its ".It Cm /NAME" entry in the man page. */
static void
test_man_has_every_command(void **state)
{
    GString *missing = g_string_new(NULL);

    for (const struct cmd *const *t = cmd_table(); *t != NULL; t++)
        if (man_entry((*t)->name) < 0)
            g_string_append_printf(missing, "  .It Cm /%s\n", (*t)->name);
    fail_if_any(missing, "man/natter.1 lacks entries for");
}

/* Every ".It Cm /NAME" in the man page is a command that exists. */
static void
test_man_has_no_stale_command(void **state)
{
    char **l = man_lines();
    GString *stale = g_string_new(NULL);

    for (int i = 0; l[i] != NULL; i++) {
        const char *name;
        const struct cmd *c;

        if (!g_str_has_prefix(l[i], ".It Cm /"))
            continue;
        name = l[i] + strlen(".It Cm /");
        c = cmd_find(name);
        if (c == NULL || strcmp(c->name, name) != 0)
            g_string_append_printf(stale, "  line %d: %s\n", i + 1, l[i]);
    }
    fail_if_any(stale, "man/natter.1 documents unknown commands");
}

/* The man page lists the commands in the table's (and /help's) order. */
static void
test_man_command_order(void **state)
{
    int prev = -1;
    const char *prev_name = "(start)";

    for (const struct cmd *const *t = cmd_table(); *t != NULL; t++) {
        int at = man_entry((*t)->name);
        if (at < 0)
            continue; /* reported by test_man_has_every_command */
        if (at < prev) {
            print_error("man/natter.1 lists /%s before /%s; /help has it "
                        "after\n",
                        (*t)->name, prev_name);
            fail();
        }
        prev = at;
        prev_name = (*t)->name;
    }
}

/* Each entry's ".Dl" synopsis line is the table's "/NAME synopsis". */
static void
test_man_synopsis_matches(void **state)
{
    char **l = man_lines();
    GString *wrong = g_string_new(NULL);

    for (const struct cmd *const *t = cmd_table(); *t != NULL; t++) {
        int at = man_entry((*t)->name);
        char *want;
        bool seen = false;

        if (at < 0)
            continue;
        want = (*t)->synopsis[0] != '\0'
                   ? g_strdup_printf(".Dl /%s %s", (*t)->name, (*t)->synopsis)
                   : g_strdup_printf(".Dl /%s", (*t)->name);
        for (int i = at + 1; l[i] != NULL && !entry_ends(l[i]); i++) {
            if (g_str_has_prefix(l[i], ".Dl ")) {
                seen = true;
                if (strcmp(l[i], want) != 0)
                    g_string_append_printf(wrong,
                                           "  line %d: %s\n  want: %s\n",
                                           i + 1, l[i], want);
                break;
            }
        }
        if (!seen)
            g_string_append_printf(wrong, "  /%s: no .Dl line (want %s)\n",
                                   (*t)->name, want);
        g_free(want);
    }
    fail_if_any(wrong, "man/natter.1 synopses differ from the table");
}

/* Each alias is named in its command's man page entry as ".Cm /ALIAS". */
static void
test_man_names_aliases(void **state)
{
    char **l = man_lines();
    GString *missing = g_string_new(NULL);

    for (const struct cmd *const *t = cmd_table(); *t != NULL; t++) {
        int at = man_entry((*t)->name);

        if (at < 0)
            continue;
        for (const char *const *a = (*t)->aliases; a != NULL && *a != NULL;
             a++) {
            char *want = g_strdup_printf(".Cm /%s", *a);
            bool seen = false;
            for (int i = at + 1; l[i] != NULL && !entry_ends(l[i]); i++)
                if (g_str_has_prefix(l[i], want) &&
                    !g_ascii_isalnum(l[i][strlen(want)]))
                    seen = true;
            if (!seen)
                g_string_append_printf(missing, "  /%s (alias of /%s)\n", *a,
                                       (*t)->name);
            g_free(want);
        }
    }
    fail_if_any(missing, "man/natter.1 does not name these aliases");
}

/* Every setting is named in the man page as ".Cm NAME". */
static void
test_man_names_settings(void **state)
{
    char **l = man_lines();
    GString *missing = g_string_new(NULL);

    for (const struct setting *s = settings_table(); s->name != NULL; s++) {
        char *want = g_strdup_printf(".Cm %s", s->name);
        bool seen = false;

        for (int i = 0; l[i] != NULL && !seen; i++)
            seen = strcmp(l[i], want) == 0 ||
                   (g_str_has_prefix(l[i], want) && l[i][strlen(want)] == ' ');
        if (!seen)
            g_string_append_printf(missing, "  %s\n", s->name);
        g_free(want);
    }
    fail_if_any(missing, "man/natter.1 does not name these settings");
}

/* /help lists every command as "/NAME synopsis", in table order. */
static void
test_help_lists_every_command(void **state)
{
    GPtrArray *out = run("/help");
    GString *missing = g_string_new(NULL);
    guint next = 0;

    assert_true(out->len > 0);
    assert_contains(out->pdata[0], "Commands");
    for (const struct cmd *const *t = cmd_table(); *t != NULL; t++) {
        char *want =
            (*t)->synopsis[0] != '\0'
                ? g_strdup_printf("/%s %s", (*t)->name, (*t)->synopsis)
                : g_strdup_printf("/%s", (*t)->name);
        bool seen = false;

        for (guint i = next; i < out->len; i++) {
            char *line = g_strstrip(g_strdup(out->pdata[i]));
            seen = strcmp(line, want) == 0;
            g_free(line);
            if (seen) {
                next = i + 1;
                break;
            }
        }
        if (!seen)
            g_string_append_printf(missing, "  %s\n", want);
        g_free(want);
    }
    g_ptr_array_unref(out);
    fail_if_any(missing, "/help does not list (in table order)");
}

/* /help NAME starts with the usage line, then description and examples. */
static void
test_help_each_command(void **state)
{
    for (const struct cmd *const *t = cmd_table(); *t != NULL; t++) {
        const struct cmd *c = *t;
        char *line = g_strdup_printf("/help %s", c->name);
        char *usage = cmd_usage(c);
        GPtrArray *out = run(line);
        GString *all = g_string_new(NULL);

        for (guint i = 0; i < out->len; i++)
            g_string_append_printf(all, "%s\n", (char *)out->pdata[i]);
        assert_true(out->len > 0);
        assert_string_equal(out->pdata[0], usage);
        assert_true(g_str_has_prefix(out->pdata[0], "Usage: /"));
        assert_contains(all->str, c->description);
        for (const char *const *e = c->examples; *e != NULL; e++)
            assert_contains(all->str, *e);
        for (const char *const *a = c->args; a != NULL && *a != NULL; a++)
            assert_contains(all->str, *a);
        for (const char *const *a = c->aliases; a != NULL && *a != NULL; a++) {
            char *alias = g_strdup_printf("/%s", *a);
            assert_true(unit_has_word(all->str, alias));
            g_free(alias);
        }
        g_string_free(all, TRUE);
        g_ptr_array_unref(out);
        g_free(usage);
        g_free(line);
    }
}

/* /help takes the name with a slash or an alias, and refuses unknowns. */
static void
test_help_variants(void **state)
{
    GPtrArray *out;

    out = run("/help /connect");
    assert_true(out->len > 0);
    assert_true(g_str_has_prefix(out->pdata[0], "Usage: /connect "));
    g_ptr_array_unref(out);

    out = run("/help query");
    assert_true(out->len > 0);
    assert_true(g_str_has_prefix(out->pdata[0], "Usage: /msg "));
    g_ptr_array_unref(out);

    out = run("/help nosuch");
    assert_int_equal(out->len, 1);
    assert_string_equal(out->pdata[0],
                        "No help for nosuch: unknown command (try /help)");
    assert_int_equal(
        ((struct line *)g_queue_peek_tail(&window_console()->lines))->kind,
        LINE_ERROR);
    g_ptr_array_unref(out);
}

/* Run the documentation agreement tests. */
int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_man_has_every_command),
        cmocka_unit_test(test_man_has_no_stale_command),
        cmocka_unit_test(test_man_command_order),
        cmocka_unit_test(test_man_synopsis_matches),
        cmocka_unit_test(test_man_names_aliases),
        cmocka_unit_test(test_man_names_settings),
        cmocka_unit_test_setup_teardown(test_help_lists_every_command, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_help_each_command, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_help_variants, setup, teardown),
    };

    setlocale(LC_CTYPE, "C.UTF-8");
    return cmocka_run_group_tests_name("docs", tests, group_setup,
                                       group_teardown);
}
