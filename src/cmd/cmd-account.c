/* SPDX-License-Identifier: MIT */
/* /account: configured accounts and their settings. */
#include <string.h>

#include "cmd/cmd.h"
#include "core/account-store.h"
#include "core/account.h"
#include "core/event.h"
#include "core/window.h"
#include "xmpp/jid.h"

static const char *const subcommands[] = {
    "add",     "list",    "show", "remove", "enable",
    "disable", "default", "set",  "use",    NULL,
};

/* Save the accounts file, turning a failure into *cause. */
static bool
save(char **cause)
{
    return account_store_save(cause);
}

/* The configured account called name, or NULL with *cause set. */
static struct account *
named(const char *name, char **cause)
{
    struct account *acct = name != NULL ? account_find_name(name) : NULL;

    if (acct == NULL)
        *cause = g_strdup_printf("No account %s (see /account list)",
                                 name != NULL ? name : "given");
    return acct;
}

/* One line describing acct for /account list. */
static void
list_one(struct window *w, struct account *acct)
{
    const char *def = account_store_default();

    window_printf(w, LINE_INFO, "%s%s: %s, %s%s%s", acct->name,
                  def != NULL && strcmp(def, acct->name) == 0 ? " (default)"
                                                              : "",
                  acct->jid, account_state_name(acct->state),
                  acct->configured ? "" : ", not saved",
                  acct->enabled ? ", connects at start-up" : "");
}

/* /account add NAME JID */
static bool
account_add(struct cmd_args *a, char **cause)
{
    char *why = NULL, *bare;
    struct account *acct;

    if (a->argc != 3) {
        *cause = g_strdup("Usage: /account add NAME JID");
        return false;
    }
    if (account_find_name(a->argv[1]) != NULL) {
        *cause = g_strdup_printf("Account %s exists already", a->argv[1]);
        return false;
    }
    bare = jid_bare(a->argv[2], &why);
    if (bare == NULL || strchr(bare, '@') == NULL) {
        *cause = g_strdup_printf("Invalid JID %s: %s", a->argv[2],
                                 why != NULL ? why : "it needs user@server");
        g_free(why);
        g_free(bare);
        return false;
    }
    acct = account_new(a->argv[1], bare);
    acct->configured = true;
    g_free(bare);
    if (account_store_default() == NULL)
        account_store_set_default(acct->name);
    if (!save(cause))
        return false;
    window_printf(a->win, LINE_INFO,
                  "Account %s added for %s. /account set %s KEY VALUE to "
                  "change it, /connect %s to log in.",
                  acct->name, acct->jid, acct->name, acct->name);
    return true;
}

/* /account show NAME */
static bool
account_show(struct cmd_args *a, char **cause)
{
    struct account *acct = named(a->argc > 1 ? a->argv[1] : NULL, cause);
    const char *const *keys = account_store_keys();

    if (acct == NULL)
        return false;
    list_one(a->win, acct);
    for (int i = 0; keys[i] != NULL; i++) {
        char *v = account_store_get(acct, keys[i]);
        if (v[0] != '\0')
            window_printf(a->win, LINE_INFO, "  %s = %s", keys[i], v);
        g_free(v);
    }
    return true;
}

/* /account set NAME KEY VALUE */
static bool
account_set(struct cmd_args *a, char **cause)
{
    struct account *acct;
    char *shown;

    if (a->argc < 3) {
        *cause = g_strdup("Usage: /account set NAME KEY [VALUE]");
        return false;
    }
    if ((acct = named(a->argv[1], cause)) == NULL)
        return false;
    if (strcmp(a->argv[2], "jid") == 0) {
        char *why = NULL;
        char *bare = jid_bare(a->argc > 3 ? a->argv[3] : "", &why);
        if (bare == NULL || strchr(bare, '@') == NULL) {
            *cause = g_strdup_printf("Invalid JID: %s",
                                     why != NULL ? why : "need user@server");
            g_free(why);
            g_free(bare);
            return false;
        }
        g_free(a->argv[3]);
        a->argv[3] = bare;
    }
    if (!account_store_set(acct, a->argv[2], a->argc > 3 ? a->argv[3] : "",
                           cause))
        return false;
    acct->configured = true;
    if (!save(cause))
        return false;
    if (strcmp(a->argv[2], "allow_plain") == 0 && acct->allow_plain)
        notice(NULL, NOTICE_ERROR,
               "Warning: %s may now send its password in clear text to a "
               "server that offers neither TLS nor SCRAM",
               acct->name);
    if (strcmp(a->argv[2], "password") == 0 && acct->password != NULL)
        notice(NULL, NOTICE_ERROR,
               "Warning: the password of %s is now stored in plain text in "
               "the accounts file; password_eval keeps it in a password "
               "manager instead",
               acct->name);
    shown = account_store_get(acct, a->argv[2]);
    window_printf(a->win, LINE_INFO, "%s: %s = %s", acct->name, a->argv[2],
                  shown[0] != '\0' ? shown : "(unset)");
    g_free(shown);
    return true;
}

/* /account SUBCOMMAND ... */
static bool
exec_account(struct cmd_args *a, char **cause)
{
    const char *sub = a->argc > 0 ? a->argv[0] : "list";
    struct account *acct;

    if (strcmp(sub, "list") == 0) {
        GPtrArray *accts = account_list();
        if (accts->len == 0)
            window_printf(a->win, LINE_INFO,
                          "No accounts: /account add NAME JID");
        for (guint i = 0; i < accts->len; i++)
            list_one(a->win, accts->pdata[i]);
        return true;
    }
    if (strcmp(sub, "add") == 0)
        return account_add(a, cause);
    if (strcmp(sub, "show") == 0)
        return account_show(a, cause);
    if (strcmp(sub, "set") == 0)
        return account_set(a, cause);
    if (strcmp(sub, "remove") != 0 && strcmp(sub, "enable") != 0 &&
        strcmp(sub, "disable") != 0 && strcmp(sub, "default") != 0 &&
        strcmp(sub, "use") != 0) {
        *cause = g_strdup_printf("Unknown /account subcommand %s. %s", sub,
                                 "Usage: /account "
                                 "add|list|show|remove|enable|disable|"
                                 "default|set|use ...");
        return false;
    }
    if ((acct = named(a->argc > 1 ? a->argv[1] : NULL, cause)) == NULL)
        return false;
    if (strcmp(sub, "use") == 0) {
        account_set_default(acct);
        window_printf(a->win, LINE_INFO,
                      "Commands in the console now act on %s", acct->name);
        return true;
    }
    if (strcmp(sub, "remove") == 0) {
        char *name;
        if (acct->state != ACCOUNT_OFFLINE || acct->want_online) {
            *cause = g_strdup_printf("%s is connected: /disconnect %s first",
                                     acct->name, acct->name);
            return false;
        }
        name = g_strdup(acct->name);
        window_close_account(acct);
        if (g_strcmp0(account_store_default(), name) == 0)
            account_store_set_default(NULL);
        account_remove(acct);
        if (!save(cause)) {
            g_free(name);
            return false;
        }
        window_printf(window_current(), LINE_INFO, "Account %s removed", name);
        g_free(name);
        return true;
    }
    if (strcmp(sub, "default") == 0) {
        account_store_set_default(acct->name);
        acct->configured = true;
    } else {
        acct->enabled = strcmp(sub, "enable") == 0;
        acct->configured = true;
    }
    if (!save(cause))
        return false;
    list_one(a->win, acct);
    return true;
}

/* Complete subcommands, account names, then setting keys. */
static void
complete_account_cmd(int argi, char **args, const char *prefix, GPtrArray *out)
{
    if (argi == 0) {
        complete_words(subcommands, prefix, out);
    } else if (argi == 1 && strcmp(args[0], "add") != 0 &&
               strcmp(args[0], "list") != 0) {
        GPtrArray *accts = account_list();
        for (guint i = 0; i < accts->len; i++) {
            struct account *acct = accts->pdata[i];
            if (g_str_has_prefix(acct->name, prefix))
                g_ptr_array_add(out, g_strdup(acct->name));
        }
    } else if (argi == 2 && strcmp(args[0], "set") == 0) {
        complete_words(account_store_keys(), prefix, out);
    }
}

static const char *const account_args[] = {
    "add NAME JID: configure an account called NAME",
    "list: every account with its state",
    "show NAME: an account's settings (the password is never shown)",
    "remove NAME: forget an account (it must be offline)",
    "enable NAME, disable NAME: connect it at start-up, or not",
    "default NAME: the account /connect uses without an argument",
    "set NAME KEY VALUE: jid, server, port, tls "
    "(force|allow|trust|disable|direct), resource, priority, password_eval (a "
    "command printing the password), password (stored in plain text, with "
    "a warning), autojoin (rooms joined on connect besides the bookmarks: "
    "ROOM[/NICK], separated by commas or spaces), presence (e.g. \"away "
    "busy\"), allow_plain (on: accept a PLAIN login without TLS, with a "
    "warning); no VALUE unsets",
    "use NAME: make console commands act on NAME",
    NULL,
};
static const char *const account_examples[] = {
    "/account add work alice@example.com",
    "/account set work password_eval pass show xmpp/alice",
    "/account set work tls trust",
    "/account enable work",
    NULL,
};

const struct cmd cmd_entry_account = {
    .name = "account",
    .synopsis = "[add|list|show|remove|enable|disable|default|set|use] "
                "[NAME] [...]",
    .description = "Manage configured accounts, kept in "
                   "$XDG_CONFIG_HOME/natter/accounts (readable by you "
                   "only). Passwords are not stored unless you set one.",
    .args = account_args,
    .examples = account_examples,
    .min_args = 0,
    .max_args = 4,
    .rest = true,
    .complete = complete_account_cmd,
    .exec = exec_account,
};
