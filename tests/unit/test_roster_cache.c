/* SPDX-License-Identifier: MIT */
/* Unit tests for the roster cache (src/core/roster-cache.c). */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/account.h"
#include "core/paths.h"
#include "core/roster-cache.h"

static char *tmpdir; /* this test's $XDG_DATA_HOME */

/* A fresh data directory. */
static int
setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-rcache-XXXXXX", NULL);
    setenv("XDG_DATA_HOME", tmpdir, 1);
    return 0;
}

/* Remove a directory tree (test files only). */
static void
rm_tree(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    const char *e;

    while (d != NULL && (e = g_dir_read_name(d)) != NULL) {
        char *p = g_build_filename(path, e, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR))
            rm_tree(p);
        else
            unlink(p);
        g_free(p);
    }
    if (d != NULL)
        g_dir_close(d);
    rmdir(path);
}

/* Free the accounts and delete the data directory. */
static int
teardown(void **state)
{
    roster_cache_flush();
    account_deinit();
    rm_tree(tmpdir);
    g_free(tmpdir);
    return 0;
}

/* Put jid in acct's roster with name, subscription and groups (a
 * NULL-terminated list). */
static struct contact *
add(struct account *acct, const char *jid, const char *name, const char *sub,
    const char *ask, const char *const *groups)
{
    GPtrArray *g = g_ptr_array_new();
    struct contact *c = contact_get(acct, jid);

    for (size_t i = 0; groups != NULL && groups[i] != NULL; i++)
        g_ptr_array_add(g, (char *)groups[i]);
    contact_set_roster_item(c, name, sub, ask, g);
    g_ptr_array_unref(g);
    return c;
}

/* An account with a roster that exercises every field and escape. */
static struct account *
sample(const char *name)
{
    struct account *a = account_new(name, "alice@example.com");
    static const char *const g1[] = {"Work", "Friends", NULL};
    static const char *const g2[] = {"tab\there", "back\\slash\nnl", NULL};

    add(a, "bob@example.com", "Bob", "both", NULL, g1);
    add(a, "carol@example.com", NULL, "none", "subscribe", NULL);
    add(a, "dave@example.com", "D\tav\re \xc3\xa9", "to", NULL, g2);
    contact_get(a, "stranger@example.com"); /* wrote to us; not a contact */
    a->roster_ver = g_strdup("ver\t7");
    return a;
}

/* Format then parse gives the same roster and version back. */
static void
test_round_trip(void **state)
{
    struct account *a = sample("a");
    struct account *b = account_new("b", "alice@example.com");
    struct contact *c;
    char *cause = NULL;
    size_t len;
    char *text = roster_cache_format(a, &len);
    char *again;
    size_t len2;

    assert_true(g_str_has_prefix(text, "natter-roster 1\n"));
    assert_not_contains(text, "stranger");
    contact_get(b, "gone@example.com")->in_roster = true; /* replaced */
    assert_true(roster_cache_parse(b, text, len, &cause));
    assert_null(cause);
    assert_string_equal(b->roster_ver, "ver\t7");
    assert_false(contact_find(b, "gone@example.com")->in_roster);
    c = contact_find(b, "bob@example.com");
    assert_true(c->in_roster);
    assert_string_equal(c->name, "Bob");
    assert_string_equal(c->subscription, "both");
    assert_null(c->ask);
    assert_int_equal(c->groups->len, 2);
    assert_string_equal(c->groups->pdata[0], "Friends"); /* sorted */
    c = contact_find(b, "carol@example.com");
    assert_null(c->name);
    assert_string_equal(c->ask, "subscribe");
    assert_int_equal(c->groups->len, 0);
    c = contact_find(b, "dave@example.com");
    assert_string_equal(c->name, "D\tav\re \xc3\xa9");
    assert_int_equal(c->groups->len, 2);
    assert_string_equal(c->groups->pdata[0], "back\\slash\nnl");
    assert_string_equal(c->groups->pdata[1], "tab\there");
    assert_null(contact_find(b, "stranger@example.com"));
    /* The same roster gives the same bytes. */
    again = roster_cache_format(b, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(text, again, len);
    g_free(again);
    g_free(text);
}

/* Anything wrong anywhere rejects the whole file and leaves acct alone. */
static void
test_bad_text_rejected(void **state)
{
    struct account *a = sample("a");
    struct account *b = account_new("b", "alice@example.com");
    size_t len;
    char *text = roster_cache_format(a, &len);
    char *bad;
    const char *cases[] = {
        "",
        "natter-roster 2\nver\t1\nend\t0\tx\n",
        "natter-roster 1\n",
        "natter-roster 1\nver\t1\n",
        "natter-roster 1\nver\t1\nbogus\n",
        "natter-roster 1\nver\t1\nend\t0\tx\n",
        "natter-roster 1\nver\t1\nitem\tx@y\tnone\t\t\\q\n",
        "natter-roster 1\nver\t1\nitem\t\tnone\t\t\n",
        "natter-roster 1\nver\t1\nitem\tx@y\n",
    };

    contact_set_roster_item(contact_get(b, "keep@example.com"), "K", "both",
                            NULL, NULL);
    b->roster_ver = g_strdup("old");
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *cause = NULL;
        assert_false(
            roster_cache_parse(b, cases[i], strlen(cases[i]), &cause));
        assert_non_null(cause);
        g_free(cause);
    }
    /* cut short anywhere, or one byte changed: rejected */
    for (size_t cut = 0; cut < len; cut += 7) {
        char *cause = NULL;
        assert_false(roster_cache_parse(b, text, cut, &cause));
        g_free(cause);
    }
    bad = g_strdup(text);
    *strstr(bad, "bob") = 'B';
    {
        char *cause = NULL;
        assert_false(roster_cache_parse(b, bad, len, &cause));
        assert_contains(cause, "checksum");
        g_free(cause);
    }
    /* trailing bytes after the end record */
    {
        char *more = g_strconcat(text, "x", NULL);
        char *cause = NULL;
        assert_false(roster_cache_parse(b, more, len + 1, &cause));
        g_free(cause);
        g_free(more);
    }
    /* a cache of another account's address */
    {
        struct account *other = account_new("o", "other@example.com");
        char *cause = NULL;
        assert_false(roster_cache_parse(other, text, len, &cause));
        assert_contains(cause, "roster of alice@example.com");
        g_free(cause);
        assert_null(other->roster_ver);
    }
    assert_string_equal(b->roster_ver, "old");
    assert_true(contact_find(b, "keep@example.com")->in_roster);
    assert_null(contact_find(b, "bob@example.com"));
    g_free(bad);
    g_free(text);
}

/* write then load through the file; a missing file is no error. */
static void
test_write_and_load(void **state)
{
    struct account *a = sample("alice/home");
    struct account *b = account_new("alice/home", "alice@example.com");
    char *cause = NULL;
    char *dir = paths_account_dir("alice/home");
    char *path = g_build_filename(dir, ROSTER_CACHE_FILE, NULL);
    struct stat sb;
    GDir *d;
    const char *e;
    int files = 0;

    assert_false(roster_cache_load(b, &cause));
    assert_null(cause); /* nothing cached yet */
    assert_true(roster_cache_write(a, &cause));
    assert_null(cause);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_true(roster_cache_load(b, &cause));
    assert_string_equal(b->roster_ver, "ver\t7");
    assert_true(contact_find(b, "dave@example.com")->in_roster);
    /* no temporary file is left behind */
    d = g_dir_open(dir, 0, NULL);
    while ((e = g_dir_read_name(d)) != NULL)
        files++;
    g_dir_close(d);
    assert_int_equal(files, 1);
    /* a corrupt file is reported with its path */
    assert_true(g_file_set_contents(path, "garbage", -1, NULL));
    assert_false(roster_cache_load(b, &cause));
    assert_contains(cause, path);
    g_free(cause);
    roster_cache_remove(a);
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_free(path);
    g_free(dir);
}

/* schedule writes once, at flush; a removed account is skipped. */
static void
test_schedule(void **state)
{
    struct account *a = sample("sched");
    char *dir = paths_account_dir("sched");
    char *path = g_build_filename(dir, ROSTER_CACHE_FILE, NULL);

    roster_cache_schedule(a);
    roster_cache_schedule(a);
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    roster_cache_flush();
    assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    unlink(path);
    roster_cache_schedule(a);
    account_remove(a);
    roster_cache_flush();
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_free(path);
    g_free(dir);
}

/* A large roster formats and parses in one pass. */
static void
test_large(void **state)
{
    struct account *a = account_new("big", "alice@example.com");
    struct account *b = account_new("big2", "alice@example.com");
    static const char *const g[] = {"Group", NULL};
    char *cause = NULL;
    size_t len;
    char *text;

    for (int i = 0; i < 5000; i++) {
        char *jid = g_strdup_printf("c%04d@example.com", i);
        add(a, jid, "Name", "both", NULL, g);
        g_free(jid);
    }
    a->roster_ver = g_strdup("5000");
    text = roster_cache_format(a, &len);
    assert_true(roster_cache_parse(b, text, len, &cause));
    assert_int_equal(g_hash_table_size(b->contacts), 5000);
    g_free(text);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_round_trip),     T(test_bad_text_rejected),
        T(test_write_and_load), T(test_schedule),
        T(test_large),
    };

    setlocale(LC_ALL, "C.UTF-8");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
