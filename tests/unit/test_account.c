/* SPDX-License-Identifier: MIT */
/* Unit tests: the accounts file and the reconnect back-off. */
#include "unit.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "core/account-store.h"
#include "core/account.h"
#include "core/event.h"
#include "xmpp/reconnect.h"

static char *tmpdir;

/* Point XDG_CONFIG_HOME at a fresh directory. */
static int
setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-unit-XXXXXX", NULL);
    g_setenv("XDG_CONFIG_HOME", tmpdir, TRUE);
    return 0;
}

/* Remove the directory and every account. */
static int
teardown(void **state)
{
    char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);

    account_deinit();
    account_store_deinit();
    event_deinit();
    if (system(cmd) != 0)
        print_error("could not remove %s\n", tmpdir);
    g_free(cmd);
    g_free(tmpdir);
    return 0;
}

/* Settings survive a save and a load, and the file is private. */
static void
test_save_and_load(void **state)
{
    struct account *a = account_new("work", "alice@example.com");
    char *cause = NULL, *path, *text;
    struct stat st;

    a->configured = true;
    a->enabled = true;
    assert_true(account_store_set(a, "server", "xmpp.example.com", &cause));
    assert_true(account_store_set(a, "port", "5223", &cause));
    assert_true(account_store_set(a, "tls", "trust", &cause));
    assert_true(account_store_set(a, "priority", "-5", &cause));
    assert_true(account_store_set(a, "password_eval", "pass show x", &cause));
    assert_true(account_store_set(a, "presence", "away busy", &cause));
    account_store_set_default("work");
    assert_true(account_store_save(&cause));

    path = account_store_path();
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    assert_contains(text, "[account work]");
    assert_not_contains(text, "password=");
    g_free(text);

    account_deinit();
    account_store_deinit();
    assert_true(account_store_load(&cause));
    a = account_find_name("work");
    assert_non_null(a);
    assert_string_equal(a->jid, "alice@example.com");
    assert_string_equal(a->server, "xmpp.example.com");
    assert_int_equal(a->port, 5223);
    assert_int_equal(a->tls, TLS_TRUST);
    assert_int_equal(a->priority, -5);
    assert_string_equal(a->password_eval, "pass show x");
    assert_string_equal(a->presence, "away busy");
    assert_true(a->enabled);
    assert_true(a->configured);
    assert_null(a->password);
    assert_string_equal(account_store_default(), "work");
    g_free(path);
}

/* A stored password is written only when set, and shown masked. */
static void
test_password_masked(void **state)
{
    struct account *a = account_new("w", "a@b.c");
    char *cause = NULL, *shown;

    a->configured = true;
    assert_true(account_store_set(a, "password", "hunter2", &cause));
    shown = account_store_get(a, "password");
    assert_string_equal(shown, "(stored)");
    g_free(shown);
    assert_true(account_store_save(&cause));
    account_deinit();
    assert_true(account_store_load(&cause));
    assert_string_equal(account_find_name("w")->password, "hunter2");
    /* An empty value unsets. */
    assert_true(
        account_store_set(account_find_name("w"), "password", "", &cause));
    assert_null(account_find_name("w")->password);
}

/* Bad keys and values are refused with a reason. */
static void
test_bad_values(void **state)
{
    struct account *a = account_new("w", "a@b.c");
    char *cause = NULL;

    assert_false(account_store_set(a, "port", "70000", &cause));
    assert_contains(cause, "port takes a number");
    g_free(cause);
    assert_false(account_store_set(a, "tls", "maybe", &cause));
    assert_contains(cause, "force, allow, trust, disable or direct");
    g_free(cause);
    assert_false(account_store_set(a, "colour", "blue", &cause));
    assert_contains(cause, "Unknown account setting colour");
    g_free(cause);
    assert_false(account_store_set(a, "jid", "nobody", &cause));
    assert_contains(cause, "user@server");
    g_free(cause);
}

/* A missing file is no error; a malformed one is, with its path. */
static void
test_missing_and_malformed_file(void **state)
{
    char *cause = NULL, *path = account_store_path(), *dir;

    assert_true(account_store_load(&cause));
    assert_null(cause);
    dir = g_path_get_dirname(path);
    g_mkdir_with_parents(dir, 0700);
    assert_true(g_file_set_contents(path, "[account x\njid=", -1, NULL));
    assert_false(account_store_load(&cause));
    assert_contains(cause, path);
    g_free(cause);
    g_free(dir);
    g_free(path);
}

/* Back-off doubles from about a second up to a five-minute cap. */
static void
test_backoff(void **state)
{
    /* With rand01 = 0.5 the jitter factor is exactly 1. */
    assert_int_equal(reconnect_delay_ms(0, 0.5), 1000);
    assert_int_equal(reconnect_delay_ms(1, 0.5), 2000);
    assert_int_equal(reconnect_delay_ms(5, 0.5), 32000);
    assert_int_equal(reconnect_delay_ms(8, 0.5), 256000);
    assert_int_equal(reconnect_delay_ms(9, 0.5), 300000);
    assert_int_equal(reconnect_delay_ms(1000, 0.5), 300000);
    /* Jitter spreads between half and one and a half, never past 5 min. */
    assert_int_equal(reconnect_delay_ms(0, 0.0), 500);
    assert_int_equal(reconnect_delay_ms(0, 0.999), 1499);
    assert_int_equal(reconnect_delay_ms(20, 0.999), 300000);
    assert_int_equal(reconnect_delay_ms(20, 0.0), 150000);
}

/* "-a NAME" is split off a command line, and only at its front. */
static void
test_strip_account(void **state)
{
    char *name, *rest;

    rest = cmd_strip_account("/msg -a work bob@x hi there", &name);
    assert_string_equal(name, "work");
    assert_string_equal(rest, "/msg bob@x hi there");
    g_free(name);
    g_free(rest);
    assert_null(cmd_strip_account("/msg bob@x -a work", &name));
    assert_null(name);
    assert_null(cmd_strip_account("/msg -a", &name));
    assert_null(name);
    assert_null(cmd_strip_account("/msg -abc x", &name));
    assert_null(name);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_save_and_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_password_masked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_and_malformed_file, setup,
                                        teardown),
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_strip_account),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
