/* SPDX-License-Identifier: MIT */
/* natter: options, start-up, command files, the main loop. */
#include "config.h"

#include <getopt.h>
#include <glib-unix.h>
#include <glib.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/input.h"
#include "core/account-store.h"
#include "core/account.h"
#include "core/e2e.h"
#include "core/event.h"
#include "core/history.h"
#include "core/roster-cache.h"
#include "core/loop.h"
#include "core/paths.h"
#include "crypto/e2e.h"
#include "crypto/otr.h"
#include "ui/lines.h"
#include "core/settings.h"
#include "core/window.h"
#include "ui/headless.h"
#include "ui/ui.h"
#include "xmpp/autoaway.h"
#include "xmpp/certprobe.h"
#include "xmpp/mam.h"
#include "xmpp/markers.h"
#include "xmpp/muc.h"
#include "xmpp/chatstate.h"
#include "xmpp/e2e-hook.h"
#include "xmpp/raw.h"
#include "xmpp/register.h"
#include "xmpp/session.h"

/* Print usage on stdout. */
static void
usage(void)
{
    printf(
        "Usage: natter [--headless] [-a NAME]... [-x FILE]... [--version] "
        "[--help]\n"
        "\n"
        "A terminal XMPP client.\n"
        "\n"
        "  --headless       no screen: read commands and text from stdin,\n"
        "                   print what windows show on stdout\n"
        "  -a, --account NAME\n"
        "                   connect the configured account NAME at start-up\n"
        "                   (repeatable; default: the enabled accounts)\n"
        "  -x, --execute FILE\n"
        "                   run FILE's lines as if typed (repeatable),\n"
        "                   after $XDG_CONFIG_HOME/natter/autorun\n"
        "  -v, --version    print the version and exit\n"
        "  -h, --help       print this help and exit\n"
        "\n"
        "Type /help inside natter for the commands.\n");
}

/* Make sure text is handled as UTF-8 whatever the environment says. */
static void
setup_locale(void)
{
    setlocale(LC_ALL, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
        setlocale(LC_CTYPE, "C.UTF-8");
}

/* SIGTERM or SIGHUP: leave cleanly. */
static gboolean
on_term(gpointer data)
{
    cmd_quit_all();
    return G_SOURCE_CONTINUE;
}

/* Connect the accounts named with -a, or else the enabled ones. */
static void
connect_start_accounts(GPtrArray *names)
{
    GPtrArray *accts = account_list();

    for (guint i = 0; i < names->len; i++) {
        struct account *acct = account_find_name(names->pdata[i]);
        if (acct == NULL)
            notice_fmt(NULL, NOTICE_ERROR, FMT_NO_SUCH_ACCOUNT,
                       (const char *)names->pdata[i], NULL);
        else if (acct->state == ACCOUNT_OFFLINE)
            cmd_connect_account(acct);
    }
    if (names->len > 0)
        return;
    for (guint i = 0; i < accts->len; i++) {
        struct account *acct = accts->pdata[i];
        if (acct->enabled && acct->state == ACCOUNT_OFFLINE)
            cmd_connect_account(acct);
    }
}

/* Queue the autorun file, if there is one, then every -x file. */
static void
run_command_files(GPtrArray *files)
{
    char *dir = paths_config_dir();
    char *autorun = g_build_filename(dir, "autorun", NULL);
    char *cause = NULL;

    if (g_file_test(autorun, G_FILE_TEST_IS_REGULAR) &&
        !input_file(autorun, &cause)) {
        notice_fmt(NULL, NOTICE_ERROR, FMT_TEXT, cause, NULL);
        g_free(cause);
        cause = NULL;
    }
    for (guint i = 0; i < files->len; i++) {
        if (!input_file(files->pdata[i], &cause)) {
            notice_fmt(NULL, NOTICE_ERROR, FMT_TEXT, cause, NULL);
            g_free(cause);
            cause = NULL;
        }
    }
    g_free(autorun);
    g_free(dir);
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"headless", no_argument, NULL, 'H'},
        {"execute", required_argument, NULL, 'x'},
        {"account", required_argument, NULL, 'a'},
        {"version", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    GPtrArray *files = g_ptr_array_new();
    GPtrArray *names = g_ptr_array_new();
    char *cause = NULL;
    bool headless = false;
    int opt, status, done = -1; /* exit status when natter does not start */

    while (done < 0 &&
           (opt = getopt_long(argc, argv, "a:x:vh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'H':
            headless = true;
            break;
        case 'x':
            g_ptr_array_add(files, optarg);
            break;
        case 'a':
            g_ptr_array_add(names, optarg);
            break;
        case 'v':
            printf("natter %s\n", PACKAGE_VERSION);
            done = 0;
            break;
        case 'h':
            usage();
            done = 0;
            break;
        default:
            fprintf(stderr, "Try 'natter --help'.\n");
            done = 2;
            break;
        }
    }
    if (done < 0 && optind < argc) {
        fprintf(stderr,
                "natter: unexpected argument '%s'. Try 'natter "
                "--help'.\n",
                argv[optind]);
        done = 2;
    }
    if (done >= 0) {
        g_ptr_array_free(files, TRUE);
        g_ptr_array_free(names, TRUE);
        return done;
    }
    setup_locale();
    signal(SIGPIPE, SIG_IGN);
    /* Past a file size limit a write should fail (EFBIG, reported like a
     * full disk) rather than kill natter with its messages unsaved. */
    signal(SIGXFSZ, SIG_IGN);

    window_init();
    history_init(); /* subscribes at EVENT_STAGE_STORE: order is free */
    lines_init();
    input_init();
    session_init();
    mam_init();
    chatstate_init();
    autoaway_init();
    markers_init();
    muc_init();
    otr_init();
    e2e_hook_init();
    if (headless) {
        headless_init();
        input_set_drained_fn(cmd_quit_all);
    } else if (!ui_init()) {
        fprintf(stderr, "natter: cannot start the screen (is this a "
                        "terminal? try --headless)\n");
        return 1;
    }
    g_unix_signal_add(SIGTERM, on_term, NULL);
    g_unix_signal_add(SIGHUP, on_term, NULL);
    if (headless)
        g_unix_signal_add(SIGINT, on_term, NULL);

    window_printf(
        window_console(), LINE_INFO,
        "natter %s. Type /help for commands, /connect JID to log in.",
        PACKAGE_VERSION);
    if (!account_store_load(&cause)) {
        notice_fmt(NULL, NOTICE_ERROR, FMT_TEXT, cause, NULL);
        g_free(cause);
    }
    connect_start_accounts(names);
    run_command_files(files);
    g_ptr_array_free(files, TRUE);
    g_ptr_array_free(names, TRUE);

    status = loop_run();
    roster_cache_flush();
    history_deinit();

    if (headless) {
        if (status == 0 && headless_had_errors())
            status = 1;
        headless_deinit();
    } else
        ui_deinit();
    e2e_hook_deinit();
    e2e_deinit_all();
    e2e_deinit();
    markers_deinit();
    muc_deinit();
    autoaway_deinit();
    mam_deinit();
    chatstate_deinit();
    register_deinit();
    certprobe_deinit();
    raw_deinit();
    session_deinit();
    input_deinit();
    lines_deinit();
    window_deinit();
    account_deinit();
    account_store_deinit();
    settings_deinit();
    event_deinit();
    return status;
}
