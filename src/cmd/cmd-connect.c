/* SPDX-License-Identifier: MIT */
/* /connect, /disconnect and /quit. */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/input.h"
#include "core/account.h"
#include "core/event.h"
#include "core/loop.h"
#include "xmpp/jid.h"
#include "xmpp/session.h"

/* Longest a /quit waits for servers to acknowledge the stream close. */
#define QUIT_GRACE_MS 3000

static const char *const tls_words[] = {"force", "allow", "trust", "disable",
                                        NULL};
static guint quit_timer;

/* TLS policy from its name; false if it is none. */
static bool
tls_from_name(const char *name, enum tls_policy *out)
{
    static const enum tls_policy values[] = {TLS_FORCE, TLS_ALLOW, TLS_TRUST,
                                             TLS_DISABLE};

    for (int i = 0; tls_words[i] != NULL; i++) {
        if (strcmp(name, tls_words[i]) == 0) {
            *out = values[i];
            return true;
        }
    }
    return false;
}

/* The password arrived (or the prompt was cancelled): connect. */
static void
on_password(const char *text, void *data)
{
    struct account *acct = data;
    char *cause = NULL;

    if (text == NULL) {
        notice(acct, NOTICE_ERROR, "Connection to %s cancelled: no password",
               acct->jid);
        return;
    }
    if (!session_connect(acct, text, &cause)) {
        notice(acct, NOTICE_ERROR, "%s", cause);
        g_free(cause);
    }
}

/* /connect JID [server HOST] [port N] [tls POLICY] */
static bool
exec_connect(struct cmd_args *a, char **cause)
{
    char *bare, *why = NULL, *prompt;
    struct account *acct;
    const char *server = NULL;
    enum tls_policy tls = TLS_FORCE;
    long port = 0;

    bare = jid_bare(a->argv[0], &why);
    if (bare == NULL) {
        *cause = g_strdup_printf("Invalid JID %s: %s", a->argv[0], why);
        g_free(why);
        return false;
    }
    if (strchr(bare, '@') == NULL) {
        *cause = g_strdup_printf("Invalid JID %s: it needs a user part "
                                 "(user@server)",
                                 a->argv[0]);
        g_free(bare);
        return false;
    }
    for (int i = 1; i < a->argc; i += 2) {
        const char *key = a->argv[i], *val = a->argv[i + 1];
        char *end;

        if (val == NULL)
            goto usage;
        if (strcmp(key, "server") == 0) {
            server = val;
        } else if (strcmp(key, "port") == 0) {
            port = strtol(val, &end, 10);
            if (*end != '\0' || port < 1 || port > 65535) {
                *cause = g_strdup_printf("Invalid port %s: give a number "
                                         "from 1 to 65535",
                                         val);
                g_free(bare);
                return false;
            }
        } else if (strcmp(key, "tls") == 0) {
            if (!tls_from_name(val, &tls)) {
                *cause = g_strdup_printf("Invalid TLS policy %s: use force, "
                                         "allow, trust or disable",
                                         val);
                g_free(bare);
                return false;
            }
        } else {
            goto usage;
        }
    }
    acct = account_find(bare);
    if (acct == NULL)
        acct = account_new(bare);
    g_free(bare);
    if (acct->state != ACCOUNT_OFFLINE) {
        *cause = g_strdup_printf("%s is already %s", acct->jid,
                                 account_state_name(acct->state));
        return false;
    }
    g_free(acct->server);
    acct->server = g_strdup(server);
    acct->port = (int)port;
    acct->tls = tls;
    account_set_default(acct);
    prompt = g_strdup_printf("Password for %s:", acct->jid);
    input_ask(prompt, true, on_password, acct);
    g_free(prompt);
    return true;
usage:
    g_free(bare);
    *cause = cmd_usage(a->cmd);
    return false;
}

/* Complete /connect: a JID, then option names and the TLS policies. */
static void
complete_connect(int argi, char **args, const char *prefix, GPtrArray *out)
{
    static const char *const keys[] = {"server", "port", "tls", NULL};

    if (argi == 0)
        complete_jid(prefix, out);
    else if (argi % 2 == 1)
        complete_words(keys, prefix, out);
    else if (strcmp(args[argi - 1], "tls") == 0)
        complete_words(tls_words, prefix, out);
}

static const char *const connect_args[] = {
    "JID: your address, user@server",
    "server HOST: connect to HOST instead of looking up the JID's domain",
    "port N: TCP port (default: from DNS SRV, else 5222)",
    "tls force: STARTTLS required and the certificate verified (default)",
    "tls allow: TLS when the server offers it, else plaintext",
    "tls trust: TLS required, the certificate is not verified",
    "tls disable: never TLS",
    NULL,
};
static const char *const connect_examples[] = {
    "/connect alice@example.com",
    "/connect alice@localhost server 127.0.0.1 port 5222 tls trust",
    NULL,
};

const struct cmd cmd_entry_connect = {
    .name = "connect",
    .synopsis = "JID [server HOST] [port N] [tls force|allow|trust|disable]",
    .description = "Connect to an XMPP account. natter asks for the "
                   "password; it is not shown, stored or kept in history.",
    .args = connect_args,
    .examples = connect_examples,
    .min_args = 1,
    .max_args = 7,
    .complete = complete_connect,
    .exec = exec_connect,
};

/* The account named by JID, or the window's. */
static struct account *
target_account(struct cmd_args *a, char **cause)
{
    struct account *acct = a->acct;

    if (a->argc > 0) {
        char *why = NULL;
        char *bare = jid_bare(a->argv[0], &why);
        acct = bare != NULL ? account_find(bare) : NULL;
        g_free(why);
        if (acct == NULL) {
            *cause = g_strdup_printf("No such account: %s", a->argv[0]);
            g_free(bare);
            return NULL;
        }
        g_free(bare);
    }
    if (acct == NULL)
        *cause = g_strdup("Not connected");
    return acct;
}

/* /disconnect [JID] */
static bool
exec_disconnect(struct cmd_args *a, char **cause)
{
    struct account *acct = target_account(a, cause);

    if (acct == NULL)
        return false;
    if (acct->state == ACCOUNT_OFFLINE) {
        *cause = g_strdup_printf("%s is not connected", acct->jid);
        return false;
    }
    session_disconnect(acct);
    return true;
}

/* Complete the JIDs of accounts. */
static void
complete_account(int argi, char **args, const char *prefix, GPtrArray *out)
{
    GPtrArray *accts = account_list();

    if (argi != 0)
        return;
    for (guint i = 0; i < accts->len; i++) {
        struct account *acct = accts->pdata[i];
        if (g_str_has_prefix(acct->jid, prefix))
            g_ptr_array_add(out, g_strdup(acct->jid));
    }
}

static const char *const disconnect_args[] = {
    "JID: the account to disconnect (default: the current window's)", NULL};
static const char *const disconnect_examples[] = {
    "/disconnect", "/disconnect alice@example.com", NULL};

const struct cmd cmd_entry_disconnect = {
    .name = "disconnect",
    .synopsis = "[JID]",
    .description = "Close an account's connection cleanly. Its windows stay "
                   "open.",
    .args = disconnect_args,
    .examples = disconnect_examples,
    .min_args = 0,
    .max_args = 1,
    .complete = complete_account,
    .exec = exec_disconnect,
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
        if (acct->state == ACCOUNT_ONLINE ||
            acct->state == ACCOUNT_CONNECTING)
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
