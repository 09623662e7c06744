/* SPDX-License-Identifier: MIT */
/* /roster and /sub: the contact list and presence subscriptions. */
#include <string.h>

#include "cmd/cmd.h"
#include "core/account.h"
#include "core/event.h"
#include "core/window.h"
#include "xmpp/jid.h"
#include "xmpp/roster.h"

/* What a roster change remembers until the server answers. */
struct roster_change {
    char *what; /* "add bob@example.com", for the messages */
};

/* The server answered a roster change. */
static void
on_roster_reply(struct account *acct, const struct request_result *r,
                void *data)
{
    struct roster_change *rc = data;

    if (r->lost) {
        notice(acct, NOTICE_ERROR,
               "Roster %s on %s: no answer, the "
               "connection ended",
               rc->what, acct->jid);
    } else if (!r->ok) {
        notice(acct, NOTICE_ERROR, "Roster %s refused by %s: %s", rc->what,
               acct->jid, r->error != NULL ? r->error : "");
    }
    /* Success shows as the roster push the server sends everyone. */
    g_free(rc->what);
    g_free(rc);
}

/* Prepared bare JID of arg, or NULL with *cause set. */
static char *
bare_arg(const char *arg, char **cause)
{
    char *why = NULL, *bare = jid_bare(arg, &why);

    if (bare == NULL) {
        *cause = g_strdup_printf("Invalid JID %s: %s", arg, why);
        g_free(why);
    }
    return bare;
}

/* Send a roster set for jid with name and groups (or a removal). */
static bool
roster_set(struct account *acct, const char *what, const char *jid,
           const char *name, GPtrArray *groups, bool remove, char **cause)
{
    struct roster_change *rc = g_new0(struct roster_change, 1);
    bool ok;

    rc->what = g_strdup(what);
    ok = roster_request_set(acct, jid, name, groups, remove, on_roster_reply,
                            rc, cause);
    if (!ok) {
        g_free(rc->what);
        g_free(rc);
    }
    return ok;
}

/* Send a directed presence of type to jid. */
static bool
send_presence_type(struct account *acct, const char *jid, const char *type,
                   char **cause)
{
    return roster_send_subscription(acct, jid, type, cause);
}

/* One line describing contact c for /roster show. */
static void
show_contact(struct window *w, struct contact *c)
{
    GString *line = g_string_new(c->jid);
    struct resource *best = contact_best(c);

    if (c->name != NULL)
        g_string_append_printf(line, " (%s)", c->name);
    g_string_append_printf(line, "  %s", contact_show(c));
    if (best != NULL && best->status != NULL && best->status[0] != '\0')
        g_string_append_printf(line, ": %s", best->status);
    g_string_append_printf(line, "  subscription %s%s",
                           c->subscription != NULL ? c->subscription : "none",
                           c->ask != NULL ? ", request pending" : "");
    for (guint i = 0; i < c->groups->len; i++)
        g_string_append_printf(line, "%s%s", i == 0 ? "  groups: " : ", ",
                               (char *)c->groups->pdata[i]);
    window_add_line(w, LINE_INFO, 0, NULL, line->str);
    g_string_free(line, TRUE);
}

/* /roster show [JID] */
static bool
roster_show(struct cmd_args *a, char **cause)
{
    GPtrArray *all;

    if (a->argc > 1) {
        char *bare = bare_arg(a->argv[1], cause);
        struct contact *c = bare != NULL ? contact_find(a->acct, bare) : NULL;
        if (bare != NULL && (c == NULL || !c->in_roster))
            *cause = g_strdup_printf("%s is not in the roster of %s", bare,
                                     a->acct->jid);
        if (c != NULL && c->in_roster)
            show_contact(a->win, c);
        g_free(bare);
        return c != NULL && c->in_roster;
    }
    all = contact_sorted(a->acct);
    window_printf(a->win, LINE_INFO, "Roster of %s: %u contact%s",
                  a->acct->jid, all->len, all->len == 1 ? "" : "s");
    for (guint i = 0; i < all->len; i++)
        show_contact(a->win, all->pdata[i]);
    g_ptr_array_unref(all);
    return true;
}

static const char *const roster_words[] = {"add",   "remove", "name",
                                           "group", "show",   NULL};

/* /roster add|remove|name|group|show ... */
static bool
exec_roster(struct cmd_args *a, char **cause)
{
    const char *sub = a->argc > 0 ? a->argv[0] : "show";
    struct contact *c;
    char *bare, *what;
    int jid_arg;
    bool ok;

    if (strcmp(sub, "show") == 0)
        return roster_show(a, cause);
    if (!g_strv_contains(roster_words, sub)) {
        *cause = cmd_usage(a->cmd);
        return false;
    }
    /* "group add|remove JID GROUP" has its JID one word later. */
    jid_arg = strcmp(sub, "group") == 0 ? 2 : 1;
    if (a->argc <= jid_arg) {
        *cause = cmd_usage(a->cmd);
        return false;
    }
    if ((bare = bare_arg(a->argv[jid_arg], cause)) == NULL)
        return false;
    c = contact_find(a->acct, bare);
    what = g_strdup_printf("%s %s", sub, bare);
    if (strcmp(sub, "add") == 0) {
        ok = roster_set(a->acct, what, bare, a->argc > 2 ? a->argv[2] : NULL,
                        c != NULL ? c->groups : NULL, false, cause);
    } else if (c == NULL || !c->in_roster) {
        *cause = g_strdup_printf("%s is not in the roster of %s", bare,
                                 a->acct->jid);
        ok = false;
    } else if (strcmp(sub, "remove") == 0) {
        ok = roster_set(a->acct, what, bare, NULL, NULL, true, cause);
    } else if (strcmp(sub, "name") == 0) {
        ok = roster_set(a->acct, what, bare, a->argc > 2 ? a->argv[2] : NULL,
                        c->groups, false, cause);
    } else if (strcmp(sub, "group") == 0 && a->argc > 3 &&
               (strcmp(a->argv[1], "add") == 0 ||
                strcmp(a->argv[1], "remove") == 0)) {
        GPtrArray *groups = g_ptr_array_new_with_free_func(g_free);
        bool add = strcmp(a->argv[1], "add") == 0, had = false;
        for (guint i = 0; i < c->groups->len; i++) {
            if (strcmp(c->groups->pdata[i], a->argv[3]) == 0)
                had = true;
            else
                g_ptr_array_add(groups, g_strdup(c->groups->pdata[i]));
        }
        if (add)
            g_ptr_array_add(groups, g_strdup(a->argv[3]));
        if (!add && !had) {
            *cause =
                g_strdup_printf("%s is not in group %s", bare, a->argv[3]);
            ok = false;
        } else {
            ok =
                roster_set(a->acct, what, bare, c->name, groups, false, cause);
        }
        g_ptr_array_unref(groups);
    } else {
        *cause = cmd_usage(a->cmd);
        ok = false;
    }
    if (ok && strcmp(sub, "add") == 0)
        window_printf(a->win, LINE_INFO,
                      "Added %s to the roster of %s; /sub request %s asks to "
                      "see their presence",
                      bare, a->acct->jid, bare);
    g_free(what);
    g_free(bare);
    return ok;
}

/* Complete subcommands, then JIDs, then add/remove after group. */
static void
complete_roster(int argi, char **args, const char *prefix, GPtrArray *out)
{
    static const char *const group_words[] = {"add", "remove", NULL};

    if (argi == 0)
        complete_words(roster_words, prefix, out);
    else if (argi == 1 && strcmp(args[0], "group") == 0)
        complete_words(group_words, prefix, out);
    else if (argi == 1 || (argi == 2 && strcmp(args[0], "group") == 0))
        complete_jid(prefix, out);
}

static const char *const roster_args[] = {
    "add JID [NAME]: put JID in your roster (no subscription yet)",
    "remove JID: take JID out of your roster (ends subscriptions)",
    "name JID [NAME]: set or clear the name shown for JID",
    "group add|remove JID GROUP: put JID in GROUP or take it out",
    "show [JID]: list the roster, or one contact",
    NULL,
};
static const char *const roster_examples[] = {
    "/roster add bob@example.com Bob",
    "/roster group add bob@example.com Work", "/roster show", NULL};

const struct cmd cmd_entry_roster = {
    .name = "roster",
    .synopsis = "add|remove|name|group|show [JID] [...]",
    .description = "Manage the contact list stored on the server; changes "
                   "show in the roster pane as the server confirms them.",
    .args = roster_args,
    .examples = roster_examples,
    .min_args = 0,
    .max_args = 4,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_roster,
    .exec = exec_roster,
};

/* /sub request|allow|deny|cancel|show|pending [JID] */
static bool
exec_sub(struct cmd_args *a, char **cause)
{
    const char *sub = a->argv[0];
    struct contact *c;
    char *bare;
    bool ok = true;

    if (strcmp(sub, "pending") == 0) {
        GHashTableIter it;
        void *v;
        unsigned int n = 0;
        g_hash_table_iter_init(&it, a->acct->contacts);
        while (g_hash_table_iter_next(&it, NULL, &v)) {
            c = v;
            if (c->asks_us) {
                window_printf(a->win, LINE_INFO,
                              "%s asks to see your presence: /sub allow %s",
                              c->jid, c->jid);
                n++;
            } else if (c->ask != NULL) {
                window_printf(a->win, LINE_INFO,
                              "You asked to see the presence of %s", c->jid);
                n++;
            }
        }
        if (n == 0)
            window_printf(a->win, LINE_INFO, "No pending subscriptions on %s",
                          a->acct->jid);
        return true;
    }
    if (a->argc < 2) {
        *cause = cmd_usage(a->cmd);
        return false;
    }
    if ((bare = bare_arg(a->argv[1], cause)) == NULL)
        return false;
    c = contact_find(a->acct, bare);
    if (strcmp(sub, "request") == 0) {
        ok = send_presence_type(a->acct, bare, "subscribe", cause);
        if (ok)
            window_printf(a->win, LINE_INFO,
                          "Asked %s to let you see their presence", bare);
    } else if (strcmp(sub, "allow") == 0) {
        ok = send_presence_type(a->acct, bare, "subscribed", cause);
        if (ok) {
            if (c != NULL)
                c->asks_us = false;
            window_printf(a->win, LINE_INFO, "%s may now see your presence",
                          bare);
        }
    } else if (strcmp(sub, "deny") == 0) {
        ok = send_presence_type(a->acct, bare, "unsubscribed", cause);
        if (ok) {
            if (c != NULL)
                c->asks_us = false;
            window_printf(a->win, LINE_INFO, "%s may not see your presence",
                          bare);
        }
    } else if (strcmp(sub, "cancel") == 0) {
        ok = send_presence_type(a->acct, bare, "unsubscribe", cause);
        if (ok)
            window_printf(a->win, LINE_INFO,
                          "You no longer see the presence of %s", bare);
    } else if (strcmp(sub, "show") == 0) {
        if (c == NULL || !c->in_roster)
            window_printf(a->win, LINE_INFO, "%s: not in the roster%s", bare,
                          c != NULL && c->asks_us ? ", asks to see yours"
                                                  : "");
        else
            window_printf(a->win, LINE_INFO, "%s: subscription %s%s%s", bare,
                          c->subscription != NULL ? c->subscription : "none",
                          c->ask != NULL ? ", your request is pending" : "",
                          c->asks_us ? ", asks to see yours" : "");
    } else {
        *cause = cmd_usage(a->cmd);
        ok = false;
    }
    g_free(bare);
    return ok;
}

static const char *const sub_words[] = {"request", "allow",   "deny", "cancel",
                                        "show",    "pending", NULL};

/* Complete subcommands, then JIDs. */
static void
complete_sub(int argi, char **args, const char *prefix, GPtrArray *out)
{
    if (argi == 0)
        complete_words(sub_words, prefix, out);
    else if (argi == 1)
        complete_jid(prefix, out);
}

static const char *const sub_args[] = {
    "request JID: ask to see JID's presence",
    "allow JID: let JID see your presence (answers a request)",
    "deny JID: refuse, or stop, letting JID see your presence",
    "cancel JID: stop seeing JID's presence",
    "show JID: the subscription state with JID",
    "pending: requests waiting for an answer, both ways",
    NULL,
};
static const char *const sub_examples[] = {"/sub request bob@example.com",
                                           "/sub allow bob@example.com",
                                           "/sub pending", NULL};

const struct cmd cmd_entry_sub = {
    .name = "sub",
    .aliases = (const char *const[]){"subscription", NULL},
    .synopsis = "request|allow|deny|cancel|show|pending [JID]",
    .description = "Presence subscriptions (RFC 6121): who sees whose "
                   "presence. An incoming request is shown with the command "
                   "that answers it.",
    .args = sub_args,
    .examples = sub_examples,
    .min_args = 1,
    .max_args = 2,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_sub,
    .exec = exec_sub,
};
