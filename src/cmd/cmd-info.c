/* SPDX-License-Identifier: MIT */
/* /info: a contact's resources and what each says about its software,
 * clock and idle time (XEP-0092, XEP-0202, XEP-0012). */
#include <string.h>

#include "cmd/cmd.h"
#include "core/account.h"
#include "core/event.h"
#include "core/window.h"
#include "xmpp/info.h"
#include "xmpp/jid.h"

/* Seconds to wait for an answer before saying there is none. */
#define INFO_TIMEOUT 10

/* One question in flight; freed by the reply callback, which always
 * runs exactly once (with NULL when the session ends). */
struct info_query {
    char *to;       /* full JID asked */
    const char *ns; /* static namespace string */
    guint timer;    /* pending timeout, 0 once it fired */
    bool timed_out; /* "no answer" was shown: ignore the reply */
};

/* The answer did not come in time: say so and ignore a later one. */
static gboolean
on_info_timeout(gpointer data)
{
    struct info_query *q = data;

    q->timer = 0;
    q->timed_out = true;
    notice(NULL, NOTICE_ERROR, "%s: no answer to the %s query in %d s", q->to,
           info_query_name(q->ns), INFO_TIMEOUT);
    return G_SOURCE_REMOVE;
}

/* A reply (or the end of the session) for one query: show it. */
static void
on_info_reply(struct account *acct, const struct info_result *r, void *data)
{
    struct info_query *q = data;

    if (q->timer != 0)
        g_source_remove(q->timer);
    if (!q->timed_out && r->lost) {
        notice(acct, NOTICE_ERROR, "%s: no %s answer, the connection ended",
               q->to, info_query_name(q->ns));
    } else if (!q->timed_out) {
        notice(acct, r->ok ? NOTICE_INFO : NOTICE_ERROR, "%s: %s", q->to,
               r->text);
    }
    g_free(q->to);
    g_free(q);
}

/* Ask to the question of namespace ns; false with *cause if offline. */
static bool
info_ask(struct account *acct, const char *to, const char *ns, char **cause)
{
    struct info_query *q = g_new0(struct info_query, 1);
    bool ok;

    q->to = g_strdup(to);
    q->ns = ns;
    ok = info_request(acct, to, ns, on_info_reply, q, cause);
    if (ok) {
        q->timer = g_timeout_add_seconds(INFO_TIMEOUT, on_info_timeout, q);
    } else {
        g_free(q->to);
        g_free(q);
    }
    return ok;
}

/* Ask to for its version, time and last activity. */
static bool
info_ask_all(struct account *acct, const char *to, char **cause)
{
    return info_ask(acct, to, NS_VERSION, cause) &&
           info_ask(acct, to, NS_TIME, cause) &&
           info_ask(acct, to, NS_LAST, cause);
}

/* Order resources by name. */
static gint
resource_cmp(gconstpointer a, gconstpointer b)
{
    const struct resource *ra = *(struct resource *const *)a;
    const struct resource *rb = *(struct resource *const *)b;

    return g_strcmp0(ra->name, rb->name);
}

/* Full JID of resource r of bare. Note: free with g_free(). */
static char *
resource_jid(const char *bare, const struct resource *r)
{
    if (r->name == NULL || r->name[0] == '\0')
        return g_strdup(bare);
    return g_strdup_printf("%s/%s", bare, r->name);
}

/* /info JID */
static bool
exec_info(struct cmd_args *a, char **cause)
{
    const char *arg = a->argv[0];
    char *why = NULL, *bare = jid_bare(arg, &why);
    struct contact *c;
    GPtrArray *res;
    GHashTableIter it;
    gpointer value;
    bool ok = true;

    if (bare == NULL) {
        *cause = g_strdup_printf("Invalid JID %s: %s", arg, why);
        g_free(why);
        return false;
    }
    if (jid_resource_part(arg)[0] != '\0') {
        /* A full JID: ask it directly, whatever the roster knows. */
        window_printf(a->win, LINE_INFO, "Asking %s", arg);
        g_free(bare);
        return info_ask_all(a->acct, arg, cause);
    }
    c = contact_find(a->acct, bare);
    if (c == NULL || g_hash_table_size(c->resources) == 0) {
        window_printf(a->win, LINE_INFO, "%s is offline", bare);
        g_free(bare);
        return true;
    }
    res = g_ptr_array_new();
    g_hash_table_iter_init(&it, c->resources);
    while (g_hash_table_iter_next(&it, NULL, &value))
        g_ptr_array_add(res, value);
    g_ptr_array_sort(res, resource_cmp);
    window_printf(a->win, LINE_INFO, "%s: %u resource%s online", bare,
                  res->len, res->len == 1 ? "" : "s");
    for (guint i = 0; i < res->len; i++) {
        struct resource *r = res->pdata[i];
        char *full = resource_jid(bare, r);
        bool has_status = r->status != NULL && r->status[0] != '\0';
        window_printf(a->win, LINE_INFO, "%s: %s, priority %d%s%s", full,
                      r->show != NULL ? r->show : "online", r->priority,
                      has_status ? ", status: " : "",
                      has_status ? r->status : "");
        g_free(full);
    }
    for (guint i = 0; i < res->len && ok; i++) {
        char *full = resource_jid(bare, res->pdata[i]);
        ok = info_ask_all(a->acct, full, cause);
        g_free(full);
    }
    g_ptr_array_unref(res);
    g_free(bare);
    return ok;
}

/* Complete the JID argument. */
static void
complete_info(int argi, char **args, const char *prefix, GPtrArray *out)
{
    (void)args;
    if (argi == 0)
        complete_jid(prefix, out);
}

static const char *const info_args[] = {
    "JID: a contact (every online resource) or one full JID",
    NULL,
};
static const char *const info_examples[] = {
    "/info bob@example.com", "/info bob@example.com/phone", NULL};

const struct cmd cmd_entry_info = {
    .name = "info",
    .synopsis = "JID",
    .description = "Show a contact's online resources with their presence, "
                   "and ask each for its client version (XEP-0092), local "
                   "time (XEP-0202) and idle time (XEP-0012); answers show "
                   "as they arrive.",
    .args = info_args,
    .examples = info_examples,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_info,
    .exec = exec_info,
};
