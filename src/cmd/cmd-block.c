/* SPDX-License-Identifier: MIT */
/* /block, /unblock and /blocked (XEP-0191). */
#include <string.h>

#include "cmd/cmd.h"
#include "core/account.h"
#include "core/event.h"
#include "core/window.h"
#include "xmpp/blocking.h"
#include "xmpp/jid.h"

/* The server answered a block or unblock request. */
static void
on_block_reply(struct account *acct, const struct request_result *r,
               void *data)
{
    char *what = data;

    if (r->lost) {
        notice(acct, NOTICE_ERROR,
               "%s on %s: no answer, the connection "
               "ended",
               what, acct->jid);
    } else if (!r->ok) {
        notice(acct, NOTICE_ERROR, "%s refused by %s: %s", what, acct->jid,
               r->error != NULL ? r->error : "");
    } else {
        notice(acct, NOTICE_INFO, "%s: done", what);
    }
    g_free(what);
}

/* Send a block (or unblock) request for jid (NULL: everyone). */
static bool
request(struct cmd_args *a, const char *jid, bool block, char **cause)
{
    char *what;
    bool ok;

    if (!a->acct->blocking) {
        *cause = g_strdup_printf("The server of %s does not support "
                                 "blocking (XEP-0191)",
                                 a->acct->jid);
        return false;
    }
    what = jid != NULL
               ? g_strdup_printf("%s %s", block ? "Block" : "Unblock", jid)
               : g_strdup("Unblock everyone");
    ok = blocking_request(a->acct, jid, block, on_block_reply, what, cause);
    if (!ok)
        g_free(what);
    return ok;
}

/* A JID argument, prepared but kept whole (a full JID or a domain). */
static char *
jid_arg(const char *arg, char **cause)
{
    struct jid j;
    char *why = NULL, *out;

    if (!jid_parse(arg, &j, &why)) {
        *cause = g_strdup_printf("Invalid JID %s: %s", arg, why);
        g_free(why);
        return NULL;
    }
    out = jid_full_of(&j);
    jid_clear(&j);
    return out;
}

/* /block JID */
static bool
exec_block(struct cmd_args *a, char **cause)
{
    char *jid = jid_arg(a->argv[0], cause);
    bool ok = jid != NULL && request(a, jid, true, cause);

    g_free(jid);
    return ok;
}

/* /unblock [JID] */
static bool
exec_unblock(struct cmd_args *a, char **cause)
{
    char *jid = NULL;
    bool ok;

    if (a->argc > 0 && (jid = jid_arg(a->argv[0], cause)) == NULL)
        return false;
    if (jid != NULL && !g_hash_table_contains(a->acct->blocked, jid)) {
        *cause = g_strdup_printf("%s is not blocked (see /blocked)", jid);
        g_free(jid);
        return false;
    }
    ok = request(a, jid, false, cause);
    g_free(jid);
    return ok;
}

/* Order blocked JIDs alphabetically. */
static gint
by_name(gconstpointer x, gconstpointer y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* /blocked */
static bool
exec_blocked(struct cmd_args *a, char **cause)
{
    GPtrArray *list = g_ptr_array_new();
    GHashTableIter it;
    void *k;

    if (!a->acct->blocking) {
        *cause = g_strdup_printf("The server of %s does not support "
                                 "blocking (XEP-0191)",
                                 a->acct->jid);
        g_ptr_array_unref(list);
        return false;
    }
    g_hash_table_iter_init(&it, a->acct->blocked);
    while (g_hash_table_iter_next(&it, &k, NULL))
        g_ptr_array_add(list, k);
    g_ptr_array_sort(list, by_name);
    window_printf(a->win, LINE_INFO, "%s blocks %u address%s%s", a->acct->jid,
                  list->len, list->len == 1 ? "" : "es",
                  list->len > 0 ? ":" : "");
    for (guint i = 0; i < list->len; i++)
        window_printf(a->win, LINE_INFO, "  %s", (char *)list->pdata[i]);
    g_ptr_array_unref(list);
    return true;
}

/* Complete contacts for /block. */
static void
complete_block(int argi, char **args, const char *prefix, GPtrArray *out)
{
    if (argi == 0)
        complete_jid(prefix, out);
}

static const char *const block_args[] = {
    "JID: an address (or a whole domain) whose messages, presence and "
    "requests the server drops",
    NULL};
static const char *const block_examples[] = {"/block spam@example.com", NULL};

const struct cmd cmd_entry_block = {
    .name = "block",
    .synopsis = "JID",
    .description = "Block an address on the server (XEP-0191): nothing "
                   "from it reaches any of your clients, and it sees you "
                   "offline.",
    .args = block_args,
    .examples = block_examples,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_block,
    .exec = exec_block,
};

static const char *const unblock_args[] = {
    "JID: the address to unblock; without it, everyone is unblocked", NULL};
static const char *const unblock_examples[] = {"/unblock spam@example.com",
                                               NULL};

const struct cmd cmd_entry_unblock = {
    .name = "unblock",
    .synopsis = "[JID]",
    .description = "Unblock an address, or everyone.",
    .args = unblock_args,
    .examples = unblock_examples,
    .min_args = 0,
    .max_args = 1,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_block,
    .exec = exec_unblock,
};

static const char *const blocked_examples[] = {"/blocked", NULL};

const struct cmd cmd_entry_blocked = {
    .name = "blocked",
    .synopsis = "",
    .description = "List the addresses the server blocks for this "
                   "account.",
    .examples = blocked_examples,
    .min_args = 0,
    .max_args = 0,
    .flags = CMD_NEEDS_ONLINE,
    .exec = exec_blocked,
};
