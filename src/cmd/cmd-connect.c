/* SPDX-License-Identifier: MIT */
/* /connect, /disconnect, /reconnect and /quit. */
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/input.h"
#include "core/account-store.h"
#include "core/account.h"
#include "core/event.h"
#include "core/loop.h"
#include "xmpp/jid.h"
#include "xmpp/reconnect.h"
#include "xmpp/session.h"

/* Longest a /quit waits for servers to acknowledge the stream close. */
#define QUIT_GRACE_MS 3000

static guint quit_timer;

/* Log acct in with password (or report a missing one). */
static void
connect_with(struct account *acct, const char *password)
{
    char *cause = NULL;

    if (password == NULL) {
        account_set_state(acct, ACCOUNT_OFFLINE, NULL);
        notice(acct, NOTICE_ERROR, "Connection to %s cancelled: no password",
               acct->jid);
        return;
    }
    if (!session_connect(acct, password, &cause)) {
        account_set_state(acct, ACCOUNT_OFFLINE, NULL);
        notice(acct, NOTICE_ERROR, "%s", cause);
        g_free(cause);
    }
}

/* The password arrived at the prompt (or the prompt was cancelled). */
static void
on_password(const char *text, void *data)
{
    connect_with(data, text);
}

/* Report a failed password_eval and give up this connection. */
static void
eval_failed(struct account *acct, const char *why)
{
    char *line =
        g_strdup_printf("password_eval of %s failed: %s", acct->name, why);

    account_set_state(acct, ACCOUNT_OFFLINE, line);
    g_free(line);
}

/* The password_eval command finished: its first line is the password. */
static void
on_eval_done(GObject *src, GAsyncResult *res, gpointer data)
{
    GSubprocess *proc = G_SUBPROCESS(src);
    struct account *acct = data;
    char *out = NULL, *err = NULL;
    GError *error = NULL;

    if (!g_subprocess_communicate_utf8_finish(proc, res, &out, &err, &error)) {
        eval_failed(acct, error->message);
        g_error_free(error);
    } else if (!g_subprocess_get_successful(proc)) {
        char *first = g_strndup(err != NULL ? err : "",
                                err != NULL ? strcspn(err, "\n") : 0);
        eval_failed(acct, first[0] != '\0' ? first : "the command failed");
        g_free(first);
    } else if (out == NULL || out[0] == '\n' || out[0] == '\r' ||
               out[0] == '\0') {
        eval_failed(acct, "it printed no password");
    } else {
        out[strcspn(out, "\r\n")] = '\0';
        connect_with(acct, out);
    }
    if (out != NULL)
        memset(out, 0, strlen(out));
    g_free(out);
    g_free(err);
    g_object_unref(proc);
}

/* Take the account's "presence" setting ("SHOW [status]") as the presence
 * to announce when it comes online. */
static void
apply_presence_setting(struct account *acct)
{
    char **words;
    char *cause = NULL;

    if (acct->presence == NULL)
        return;
    words = g_strsplit(acct->presence, " ", 2);
    if (words[0] == NULL ||
        !session_set_presence(acct, words[0], words[1], &cause)) {
        notice(acct, NOTICE_ERROR,
               "presence of %s is \"%s\": it must start with online, "
               "chat, away, xa or dnd",
               acct->name, acct->presence);
        g_free(cause);
    }
    g_strfreev(words);
}

/* Connect acct with its stored password, password_eval or a prompt. */
void
cmd_connect_account(struct account *acct)
{
    account_set_default(acct);
    apply_presence_setting(acct);
    if (acct->password != NULL) {
        connect_with(acct, acct->password);
    } else if (acct->password_eval != NULL) {
        GError *err = NULL;
        GSubprocess *proc = g_subprocess_new(
            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
            &err, "/bin/sh", "-c", acct->password_eval, NULL);
        if (proc == NULL) {
            eval_failed(acct, err->message);
            g_error_free(err);
            return;
        }
        /* Connecting already: lines waiting for the account wait on. */
        account_set_state(acct, ACCOUNT_CONNECTING, NULL);
        g_subprocess_communicate_utf8_async(proc, NULL, NULL, on_eval_done,
                                            acct);
    } else {
        char *prompt = g_strdup_printf("Password for %s:", acct->jid);
        input_ask(prompt, true, on_password, acct);
        g_free(prompt);
    }
}

/* The account /connect names: configured, known, or a new ad-hoc one. */
static struct account *
connect_target(struct cmd_args *a, char **cause)
{
    const char *arg = a->argc > 0 ? a->argv[0] : NULL;
    struct account *acct;
    char *bare, *why = NULL;

    if (arg == NULL) {
        const char *def = account_store_default();
        acct = def != NULL ? account_find_name(def) : NULL;
        if (acct == NULL)
            acct = account_default();
        if (acct == NULL)
            *cause = g_strdup("No account to connect: use /connect JID or "
                              "/account add NAME JID");
        return acct;
    }
    if ((acct = account_find_name(arg)) != NULL)
        return acct;
    bare = jid_bare(arg, &why);
    if (bare == NULL) {
        *cause = g_strdup_printf("Invalid JID %s: %s", arg, why);
        g_free(why);
        return NULL;
    }
    if (strchr(bare, '@') == NULL) {
        *cause = g_strdup_printf("Invalid JID %s: it needs a user part "
                                 "(user@server), or name a configured "
                                 "account (/account list)",
                                 arg);
        g_free(bare);
        return NULL;
    }
    acct = account_find(bare);
    if (acct == NULL)
        acct = account_new(bare, bare);
    g_free(bare);
    return acct;
}

/* /connect [NAME|JID] [server HOST] [port N] [tls POLICY] */
static bool
exec_connect(struct cmd_args *a, char **cause)
{
    struct account *acct;
    const char *server = NULL;
    enum tls_policy tls = TLS_FORCE;
    bool set_tls = false;
    long port = -1;

    for (int i = 1; i < a->argc; i += 2) {
        const char *key = a->argv[i], *val = a->argv[i + 1];
        char *end;

        if (val == NULL) {
            *cause = cmd_usage(a->cmd);
            return false;
        }
        if (strcmp(key, "server") == 0) {
            server = val;
        } else if (strcmp(key, "port") == 0) {
            port = strtol(val, &end, 10);
            if (*end != '\0' || port < 1 || port > 65535) {
                *cause = g_strdup_printf("Invalid port %s: give a number "
                                         "from 1 to 65535",
                                         val);
                return false;
            }
        } else if (strcmp(key, "tls") == 0) {
            if (!tls_policy_parse(val, &tls)) {
                *cause = g_strdup_printf("Invalid TLS policy %s: use force, "
                                         "allow, trust, disable or direct",
                                         val);
                return false;
            }
            set_tls = true;
        } else {
            *cause = cmd_usage(a->cmd);
            return false;
        }
    }
    if ((acct = connect_target(a, cause)) == NULL)
        return false;
    if (acct->state != ACCOUNT_OFFLINE) {
        *cause = g_strdup_printf("%s is already %s", acct->jid,
                                 account_state_name(acct->state));
        return false;
    }
    /* Options given here apply to this account until natter exits. */
    if (server != NULL) {
        g_free(acct->server);
        acct->server = g_strdup(server);
    }
    if (port >= 0)
        acct->port = (int)port;
    if (set_tls)
        acct->tls = tls;
    acct->retries = 0;
    cmd_connect_account(acct);
    return true;
}

/* Complete account names. */
static void
complete_account_name(const char *prefix, GPtrArray *out)
{
    GPtrArray *accts = account_list();

    for (guint i = 0; i < accts->len; i++) {
        struct account *acct = accts->pdata[i];
        if (g_str_has_prefix(acct->name, prefix))
            g_ptr_array_add(out, g_strdup(acct->name));
    }
}

/* Complete /connect: an account or JID, option names, TLS policies. */
static void
complete_connect(int argi, char **args, const char *prefix, GPtrArray *out)
{
    static const char *const keys[] = {"server", "port", "tls", NULL};

    if (argi == 0) {
        complete_account_name(prefix, out);
        complete_jid(prefix, out);
    } else if (argi % 2 == 1) {
        complete_words(keys, prefix, out);
    } else if (strcmp(args[argi - 1], "tls") == 0) {
        complete_words(tls_policy_names(), prefix, out);
    }
}

static const char *const connect_args[] = {
    "NAME: a configured account (/account list)",
    "JID: your address, user@server, for an account not configured",
    "server HOST: connect to HOST instead of looking up the JID's domain",
    "port N: TCP port (default: from DNS SRV, else 5222)",
    "tls force: STARTTLS required and the certificate verified (default)",
    "tls allow: TLS when the server offers it, else plaintext",
    "tls trust: TLS required, the certificate is not verified",
    "tls disable: never TLS",
    "tls direct: TLS from the first byte (XEP-0368, _xmpps-client SRV "
    "records), else STARTTLS; the certificate is verified",
    NULL,
};
static const char *const connect_examples[] = {
    "/connect alice@example.com",
    "/connect work",
    "/connect alice@localhost server 127.0.0.1 port 5222 tls trust",
    NULL,
};

const struct cmd cmd_entry_connect = {
    .name = "connect",
    .synopsis = "[NAME|JID] [server HOST] [port N] "
                "[tls force|allow|trust|disable|direct]",
    .description = "Connect a configured account (see /account) or any JID. "
                   "The password comes from the account's password or "
                   "password_eval setting, or natter asks for it; a typed "
                   "password is not shown, stored or kept in history. With "
                   "no argument the default account connects. A lost "
                   "connection is retried by itself.",
    .args = connect_args,
    .examples = connect_examples,
    .min_args = 0,
    .max_args = 7,
    .complete = complete_connect,
    .exec = exec_connect,
};

/* The account named by NAME or JID, or the window's. */
static struct account *
target_account(struct cmd_args *a, char **cause)
{
    struct account *acct = a->acct;

    if (a->argc > 0) {
        acct = account_find_name(a->argv[0]);
        if (acct == NULL) {
            char *why = NULL;
            char *bare = jid_bare(a->argv[0], &why);
            acct = bare != NULL ? account_find(bare) : NULL;
            g_free(why);
            g_free(bare);
        }
        if (acct == NULL) {
            *cause = g_strdup_printf("No such account: %s", a->argv[0]);
            return NULL;
        }
    }
    if (acct == NULL)
        *cause = g_strdup("Not connected");
    return acct;
}

/* /disconnect [NAME] */
static bool
exec_disconnect(struct cmd_args *a, char **cause)
{
    struct account *acct = target_account(a, cause);

    if (acct == NULL)
        return false;
    if (acct->state == ACCOUNT_OFFLINE && acct->retry_timer == 0) {
        *cause = g_strdup_printf("%s is not connected", acct->jid);
        return false;
    }
    if (acct->state == ACCOUNT_OFFLINE)
        notice(acct, NOTICE_STATUS, "Stopped reconnecting %s", acct->jid);
    session_disconnect(acct);
    return true;
}

/* Complete account names for the first argument. */
static void
complete_account(int argi, char **args, const char *prefix, GPtrArray *out)
{
    if (argi == 0)
        complete_account_name(prefix, out);
}

static const char *const disconnect_args[] = {
    "NAME: the account to disconnect (default: the current window's); "
    "also stops automatic reconnection",
    NULL};
static const char *const disconnect_examples[] = {
    "/disconnect", "/disconnect alice@example.com", NULL};

const struct cmd cmd_entry_disconnect = {
    .name = "disconnect",
    .synopsis = "[NAME]",
    .description = "Close an account's connection cleanly. Its windows stay "
                   "open.",
    .args = disconnect_args,
    .examples = disconnect_examples,
    .min_args = 0,
    .max_args = 1,
    .complete = complete_account,
    .exec = exec_disconnect,
};

/* /reconnect [NAME] */
static bool
exec_reconnect(struct cmd_args *a, char **cause)
{
    struct account *acct = target_account(a, cause);

    return acct != NULL && reconnect_now(acct, cause);
}

static const char *const reconnect_args[] = {
    "NAME: the account (default: the current window's)", NULL};
static const char *const reconnect_examples[] = {"/reconnect",
                                                 "/reconnect work", NULL};

const struct cmd cmd_entry_reconnect = {
    .name = "reconnect",
    .synopsis = "[NAME]",
    .description = "Try a lost connection again now instead of waiting for "
                   "the next automatic attempt.",
    .args = reconnect_args,
    .examples = reconnect_examples,
    .min_args = 0,
    .max_args = 1,
    .complete = complete_account,
    .exec = exec_reconnect,
};

/* Whether every account is offline. */
static bool
all_offline(void)
{
    GPtrArray *accts = account_list();

    for (guint i = 0; i < accts->len; i++)
        if (((struct account *)accts->pdata[i])->state != ACCOUNT_OFFLINE)
            return false;
    return true;
}

/* Servers took too long to close: stop anyway. */
static gboolean
on_quit_timeout(gpointer data)
{
    quit_timer = 0;
    loop_quit(0);
    return G_SOURCE_REMOVE;
}

/* An account went offline during /quit: stop once all are. */
static void
on_quit_state(enum event_type type, const void *payload, void *data)
{
    if (all_offline())
        loop_quit(0);
}

/* Disconnect every account, then leave the main loop. */
void
cmd_quit_all(void)
{
    GPtrArray *accts = account_list();

    if (all_offline()) {
        loop_quit(0);
        return;
    }
    event_subscribe(EV_ACCOUNT_STATE, on_quit_state, NULL);
    for (guint i = 0; i < accts->len; i++) {
        struct account *acct = accts->pdata[i];
        if (acct->state != ACCOUNT_OFFLINE || acct->retry_timer != 0)
            session_disconnect(acct);
    }
    if (quit_timer == 0)
        quit_timer = g_timeout_add(QUIT_GRACE_MS, on_quit_timeout, NULL);
}

/* /quit */
static bool
exec_quit(struct cmd_args *a, char **cause)
{
    cmd_quit_all();
    return true;
}

static const char *const quit_examples[] = {"/quit", NULL};

const struct cmd cmd_entry_quit = {
    .name = "quit",
    .aliases = (const char *const[]){"exit", NULL},
    .synopsis = "",
    .description = "Disconnect every account cleanly and leave natter.",
    .examples = quit_examples,
    .min_args = 0,
    .max_args = 0,
    .exec = exec_quit,
};
