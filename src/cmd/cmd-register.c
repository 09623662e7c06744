/* SPDX-License-Identifier: MIT */
/* /register and /changepassword: in-band registration (XEP-0077). */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/input.h"
#include "core/account.h"
#include "core/account-store.h"
#include "core/event.h"
#include "core/pins.h"
#include "core/window.h"
#include "xmpp/certprobe.h"
#include "xmpp/jid.h"
#include "xmpp/raw.h"
#include "xmpp/register.h"

/* What a running /register remembers for its messages. */
struct reg_cmd {
    char *jid;
    char *host;
    unsigned short port;
    bool direct;
    bool verify;
    char *connect_hint; /* "/connect ..." to log in afterwards */
};

/* Free a /register record. */
static void
reg_cmd_free(struct reg_cmd *r)
{
    g_free(r->jid);
    g_free(r->host);
    g_free(r->connect_hint);
    g_free(r);
}

/* A line from the registration: show it in the console. */
static void
reg_info(const char *line, void *data)
{
    notice(NULL, NOTICE_INFO, "%s", line);
}

/* The user answered a registration prompt (NULL: cancelled). */
static void
reg_answered(const char *text, void *data)
{
    register_answer(data, text);
}

/* The registration needs a field from the user. */
static void
reg_ask(struct reg_request *req, const struct form_field *f,
        const char *prompt, bool secret, void *data)
{
    input_ask(prompt, secret, reg_answered, req);
}

/* The registration is over: say so, and how to go on. */
static void
reg_done(bool ok, int kind, const char *line, void *data)
{
    struct reg_cmd *r = data;

    if (ok) {
        notice(NULL, NOTICE_INFO, "%s. Log in with %s", line, r->connect_hint);
    } else {
        notice(NULL, NOTICE_ERROR, "%s", line);
        /* A certificate that did not verify: show it, for /tls trust. */
        if (kind == RAW_ERR_TLS && r->verify)
            certprobe_explain_jid(r->jid, r->host, r->port, r->direct);
    }
    reg_cmd_free(r);
}

/* /register JID [server HOST] [port N] [tls POLICY] */
static bool
exec_register(struct cmd_args *a, char **cause)
{
    static const struct reg_callbacks cb = {reg_info, reg_ask, reg_done};
    char *why = NULL, *bare, *pin = NULL;
    enum tls_policy tls = TLS_FORCE;
    const char *host = NULL, *tls_word = NULL;
    struct reg_config cfg = {0};
    struct account *acct;
    struct reg_cmd *r;
    long port = 0;

    bare = jid_bare(a->argv[0], &why);
    if (bare == NULL || strchr(bare, '@') == NULL) {
        *cause = g_strdup_printf("Invalid JID %s: %s", a->argv[0],
                                 why != NULL ? why
                                             : "it needs a user part "
                                               "(user@server)");
        g_free(why);
        g_free(bare);
        return false;
    }
    for (int i = 1; i < a->argc; i += 2) {
        const char *key = a->argv[i], *val = a->argv[i + 1];
        char *end;

        if (val == NULL)
            goto usage;
        if (strcmp(key, "server") == 0) {
            host = val;
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
            if (!tls_policy_parse(val, &tls)) {
                *cause = g_strdup_printf("Invalid TLS policy %s: use force, "
                                         "allow, trust, disable or direct",
                                         val);
                g_free(bare);
                return false;
            }
            tls_word = val;
        } else {
            goto usage;
        }
    }
    /* A certificate pinned for this JID (/tls trust) is trusted here too. */
    acct = account_find(bare);
    if (tls != TLS_TRUST && tls != TLS_DISABLE)
        pin = pins_path(acct != NULL ? acct->name : bare);
    cfg.jid = bare;
    cfg.host = host;
    cfg.port = (unsigned short)port;
    cfg.direct_tls = tls == TLS_DIRECT;
    cfg.tls_required = tls != TLS_ALLOW;
    cfg.tls_off = tls == TLS_DISABLE;
    cfg.verify = tls != TLS_TRUST && tls != TLS_DISABLE;
    cfg.cafile = pin;
    r = g_new0(struct reg_cmd, 1);
    r->jid = g_strdup(bare);
    r->host = g_strdup(host);
    r->port = cfg.port;
    r->direct = cfg.direct_tls;
    r->verify = cfg.verify;
    {
        GString *hint = g_string_new("/connect ");
        g_string_append(hint, bare);
        if (host != NULL)
            g_string_append_printf(hint, " server %s", host);
        if (port != 0)
            g_string_append_printf(hint, " port %ld", port);
        if (tls_word != NULL)
            g_string_append_printf(hint, " tls %s", tls_word);
        r->connect_hint = g_string_free(hint, FALSE);
    }
    window_printf(a->win, LINE_INFO, "Registering %s%s%s", bare,
                  pin != NULL ? " (with the pinned certificate)" : "",
                  tls == TLS_DISABLE ? " without encryption" : "");
    register_start(&cfg, &cb, r);
    g_free(pin);
    g_free(bare);
    return true;
usage:
    g_free(bare);
    *cause = cmd_usage(a->cmd);
    return false;
}

/* Complete /register: a JID, then option names and the TLS policies. */
static void
complete_register(int argi, char **args, const char *prefix, GPtrArray *out)
{
    static const char *const keys[] = {"server", "port", "tls", NULL};

    if (argi == 0)
        complete_jid(prefix, out);
    else if (argi % 2 == 1)
        complete_words(keys, prefix, out);
    else if (strcmp(args[argi - 1], "tls") == 0)
        complete_words(tls_policy_names(), prefix, out);
}

static const char *const register_args[] = {
    "JID: the account to create, user@server",
    "server HOST: connect to HOST instead of the JID's domain",
    "port N: TCP port (default 5222, or 5223 with tls direct)",
    "tls force: STARTTLS required and the certificate verified (default); "
    "a certificate pinned with /tls trust counts as verified",
    "tls allow: TLS when the server offers it, else plaintext",
    "tls trust: TLS required, the certificate is not verified",
    "tls disable: never TLS (the password crosses the network in clear)",
    "tls direct: TLS from the first byte (XEP-0368), verified",
    NULL,
};
static const char *const register_examples[] = {
    "/register alice@example.org",
    "/register alice@localhost server 127.0.0.1 port 5222 tls trust",
    NULL,
};

const struct cmd cmd_entry_register = {
    .name = "register",
    .synopsis = "JID [server HOST] [port N] "
                "[tls force|allow|trust|disable|direct]",
    .description = "Create an account on a server that allows in-band "
                   "registration (XEP-0077). natter shows what the server "
                   "asks for, then asks for the password (twice, not "
                   "shown) and any other field the server requires.",
    .args = register_args,
    .examples = register_examples,
    .min_args = 1,
    .max_args = 7,
    .complete = complete_register,
    .exec = exec_register,
};

/* What a running /changepassword remembers. */
struct pw_change {
    char *jid;
    char *first; /* the new password, until it is confirmed */
};

/* Wipe and free a password change record. */
static void
pw_change_free(struct pw_change *p)
{
    if (p->first != NULL)
        memset(p->first, 0, strlen(p->first));
    g_free(p->first);
    g_free(p->jid);
    g_free(p);
}

/* The server answered the password change. */
static void
on_pw_reply(struct account *acct, const struct password_result *r, void *data)
{
    struct pw_change *p = data;
    char *cause = NULL;

    if (r->lost) {
        notice(acct, NOTICE_ERROR,
               "Password of %s: the connection closed before the server "
               "answered; the password may or may not have changed",
               p->jid);
    } else if (r->ok) {
        notice(acct, NOTICE_INFO, "Password of %s changed", p->jid);
        if (acct->password != NULL) {
            /* The accounts file keeps it: keep the new one there. */
            memset(acct->password, 0, strlen(acct->password));
            g_free(acct->password);
            acct->password = g_strdup(p->first);
            if (!account_store_save(&cause)) {
                notice(acct, NOTICE_ERROR, "%s", cause);
                g_free(cause);
            }
        } else if (acct->password_eval != NULL) {
            notice(acct, NOTICE_INFO,
                   "Update the password that password_eval of %s gives",
                   acct->name);
        }
    } else {
        notice(acct, NOTICE_ERROR, "Cannot change the password of %s: %s",
               p->jid, r->error);
    }
    pw_change_free(p);
}

/* Send the confirmed new password of p's account. */
static void
pw_send(struct pw_change *p)
{
    struct account *acct = account_find(p->jid);
    char *cause = NULL;

    if (acct == NULL || acct->state != ACCOUNT_ONLINE) {
        notice(acct, NOTICE_ERROR,
               "Cannot change the password of %s: not connected", p->jid);
        pw_change_free(p);
        return;
    }
    if (!password_change(acct, p->jid, p->first, on_pw_reply, p, &cause)) {
        notice(acct, NOTICE_ERROR, "Cannot change the password of %s: %s",
               p->jid, cause);
        g_free(cause);
        pw_change_free(p);
    }
}

/* The new password typed the second time: compare, then send. */
static void
on_pw_again(const char *text, void *data)
{
    struct pw_change *p = data;

    if (text == NULL || strcmp(text, p->first) != 0) {
        notice(account_find(p->jid), NOTICE_ERROR,
               text == NULL ? "Password change of %s cancelled"
                            : "The two passwords differ: the password of "
                              "%s was not changed",
               p->jid);
        pw_change_free(p);
        return;
    }
    pw_send(p);
}

/* The new password typed the first time: ask again. */
static void
on_pw_first(const char *text, void *data)
{
    struct pw_change *p = data;
    char *prompt;

    if (text == NULL || text[0] == '\0') {
        notice(account_find(p->jid), NOTICE_ERROR,
               "Password change of %s cancelled%s", p->jid,
               text != NULL ? ": the password is empty" : "");
        pw_change_free(p);
        return;
    }
    p->first = g_strdup(text);
    prompt = g_strdup_printf("New password for %s again, to be sure:", p->jid);
    input_ask(prompt, true, on_pw_again, p);
    g_free(prompt);
}

/* /changepassword [ACCOUNT] */
static bool
exec_changepassword(struct cmd_args *a, char **cause)
{
    struct account *acct = a->acct;
    struct pw_change *p;
    char *prompt;

    if (a->argc > 0 && (acct = account_find_name(a->argv[0])) == NULL) {
        *cause = g_strdup_printf("No account %s", a->argv[0]);
        return false;
    }
    if (acct == NULL || acct->state != ACCOUNT_ONLINE) {
        *cause = g_strdup_printf("%s is not connected: /connect first",
                                 acct != NULL ? acct->jid : "No account");
        return false;
    }
    p = g_new0(struct pw_change, 1);
    p->jid = g_strdup(acct->jid);
    prompt = g_strdup_printf("New password for %s:", acct->jid);
    input_ask(prompt, true, on_pw_first, p);
    g_free(prompt);
    return true;
}

/* Complete /changepassword: account names. */
static void
complete_changepassword(int argi, char **args, const char *prefix,
                        GPtrArray *out)
{
    GPtrArray *accts = account_list();

    if (argi != 0)
        return;
    for (guint i = 0; i < accts->len; i++) {
        struct account *acct = accts->pdata[i];
        if (g_str_has_prefix(acct->name, prefix))
            g_ptr_array_add(out, g_strdup(acct->name));
    }
}

static const char *const changepassword_args[] = {
    "ACCOUNT: the account whose password to change (default: the current "
    "window's); it must be connected",
    NULL,
};
static const char *const changepassword_examples[] = {
    "/changepassword",
    "/changepassword alice@example.org",
    NULL,
};

const struct cmd cmd_entry_changepassword = {
    .name = "changepassword",
    .synopsis = "[ACCOUNT]",
    .description = "Change the password of a connected account on its "
                   "server (XEP-0077). natter asks for the new password "
                   "twice; it is not shown.",
    .args = changepassword_args,
    .examples = changepassword_examples,
    .min_args = 0,
    .max_args = 1,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_changepassword,
    .exec = exec_changepassword,
};
