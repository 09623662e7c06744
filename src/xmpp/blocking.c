/* SPDX-License-Identifier: MIT */
#include "xmpp/blocking.h"

#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "xmpp/jid.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* Add or remove (block false) the JIDs of the <item/>s under el. */
static unsigned int
apply_items(struct account *acct, xmpp_stanza_t *el, bool block)
{
    unsigned int n = 0;

    for (xmpp_stanza_t *c = xmpp_stanza_get_children(el); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        const char *jid = xmpp_stanza_get_attribute(c, "jid");
        char *why = NULL, *prep;

        if (name == NULL || strcmp(name, "item") != 0 || jid == NULL)
            continue;
        /* Items may be full JIDs or domains: keep them prepared, whole. */
        {
            struct jid j;
            if (!jid_parse(jid, &j, &why)) {
                g_free(why);
                continue;
            }
            prep = jid_full_of(&j);
            jid_clear(&j);
        }
        if (block)
            g_hash_table_add(acct->blocked, prep);
        else {
            g_hash_table_remove(acct->blocked, prep);
            g_free(prep);
        }
        n++;
    }
    return n;
}

/* The block list arrived (or the server has none). */
static void
on_blocklist(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    xmpp_stanza_t *list;

    if (reply == NULL || g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0)
        return; /* no XEP-0191 here: /block says so when used */
    list =
        xmpp_stanza_get_child_by_name_and_ns(reply, "blocklist", NS_BLOCKING);
    g_hash_table_remove_all(acct->blocked);
    if (list != NULL)
        apply_items(acct, list, true);
    acct->blocking = true;
}

/* Ask the server for the block list of acct's new session. */
void
blocking_fetch(xmpp_conn_t *conn, struct account *acct)
{
    xmpp_ctx_t *ctx = xmpp_conn_get_context(conn);
    char *id = xmpp_uuid_gen(ctx), *cause = NULL;
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "get", id);
    xmpp_stanza_t *q = xmpp_stanza_new(ctx);

    xmpp_stanza_set_name(q, "blocklist");
    xmpp_stanza_set_ns(q, NS_BLOCKING);
    xmpp_stanza_add_child(iq, q);
    xmpp_stanza_release(q);
    acct->blocking = false;
    if (!session_send_iq(acct, iq, on_blocklist, NULL, &cause))
        g_free(cause);
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
}

/* Apply a block/unblock push from our server; true if iq was one. */
bool
blocking_handle_push(xmpp_conn_t *conn, xmpp_stanza_t *iq,
                     struct account *acct)
{
    xmpp_stanza_t *b =
        xmpp_stanza_get_child_by_name_and_ns(iq, "block", NS_BLOCKING);
    xmpp_stanza_t *u =
        xmpp_stanza_get_child_by_name_and_ns(iq, "unblock", NS_BLOCKING);
    const char *from = xmpp_stanza_get_from(iq);
    xmpp_stanza_t *reply;
    char *why = NULL, *bare = NULL;

    if (b == NULL && u == NULL)
        return false;
    /* Pushes come from our own account (or the server, with no from). */
    if (from != NULL) {
        bare = jid_bare(from, &why);
        g_free(why);
        if (bare == NULL || strcmp(bare, acct->jid) != 0) {
            g_free(bare);
            return false; /* someone else: refused as any unknown iq */
        }
        g_free(bare);
    }
    if (b != NULL) {
        apply_items(acct, b, true);
    } else if (xmpp_stanza_get_children(u) == NULL) {
        g_hash_table_remove_all(acct->blocked);
    } else {
        apply_items(acct, u, false);
    }
    {
        struct ev_roster ev = {acct};
        event_emit(EV_ROSTER, &ev); /* the roster pane marks blocked ones */
    }
    reply = iq_reply_build(iq, "result");
    session_write(acct->session, reply);
    xmpp_stanza_release(reply);
    session_kick();
    return true;
}

/* The iq that blocks or unblocks jid (NULL: everyone); caller releases. */
xmpp_stanza_t *
blocking_build(xmpp_ctx_t *ctx, const char *id, const char *jid, bool block)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "set", id);
    xmpp_stanza_t *el = xmpp_stanza_new(ctx);

    xmpp_stanza_set_name(el, block ? "block" : "unblock");
    xmpp_stanza_set_ns(el, NS_BLOCKING);
    if (jid != NULL) {
        xmpp_stanza_t *item = xmpp_stanza_new(ctx);
        xmpp_stanza_set_name(item, "item");
        xmpp_stanza_set_attribute(item, "jid", jid);
        xmpp_stanza_add_child(el, item);
        xmpp_stanza_release(item);
    }
    xmpp_stanza_add_child(iq, el);
    xmpp_stanza_release(el);
    return iq;
}

/* Ask the server to block (or unblock) jid; fn runs once with the
 * answer. False with *cause (and fn never runs) when it cannot be sent. */
bool
blocking_request(struct account *acct, const char *jid, bool block,
                 request_fn fn, void *data, char **cause)
{
    xmpp_ctx_t *ctx = session_ctx();
    char *id = xmpp_uuid_gen(ctx);
    xmpp_stanza_t *iq = blocking_build(ctx, id, jid, block);
    bool ok = session_request(acct, iq, fn, data, cause);

    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
    return ok;
}
