/* SPDX-License-Identifier: MIT */
/*
 * Stanza handlers of an online session: presence, the roster and the iq
 * requests a client must answer (messages go to the pipeline in
 * message.c). Each parses into a plain
 * struct, updates the model and emits an event; none of them draws.
 */
#include "xmpp/handlers.h"

#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/roster-cache.h"
#include "xmpp/blocking.h"
#include "xmpp/bookmarks.h"
#include "xmpp/info.h"
#include "xmpp/jid.h"
#include "xmpp/mam.h"
#include "xmpp/message.h"
#include "xmpp/muc.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* Bare JID of a stanza's sender, prepared; NULL if malformed. */
static char *
sender_bare(const char *from)
{
    return jid_bare_quiet(from);
}

/* Incoming presence: update the contact and emit an event. */
static int
on_presence(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct account *acct = data;
    struct parsed_presence p;
    struct ev_presence ev = {0};
    struct contact *c;
    char *bare;
    const char *res;

    if (muc_handle_presence(conn, st, acct))
        return 1;
    if (!presence_parse(st, &p))
        return 1;
    if (!presence_type_known(p.type)) {
        /* RFC 6121 4.7.1: the recipient SHOULD answer bad-request; the
         * presence means nothing, so nothing else changes. */
        if (p.from != NULL) {
            xmpp_stanza_t *err = presence_error_build(st, "bad-request");
            session_write(acct->session, err);
            xmpp_stanza_release(err);
            session_kick();
        }
        presence_clear(&p);
        return 1;
    }
    bare = sender_bare(p.from);
    if (bare == NULL) {
        presence_clear(&p);
        return 1;
    }
    res = jid_resource_part(p.from);
    if (strcmp(bare, acct->jid) == 0 && acct->resource != NULL &&
        strcmp(res, acct->resource) == 0) {
        /* The server reflects our own presence back to us. */
        g_free(bare);
        presence_clear(&p);
        return 1;
    }
    if (p.type == NULL || strcmp(p.type, "unavailable") == 0) {
        const char *show = p.type == NULL ? p.show : "offline";
        c = contact_get(acct, bare);
        ev.acct = acct;
        ev.bare = bare;
        ev.resource = res;
        ev.show = show;
        ev.status = p.status;
        ev.changed_best =
            contact_set_presence(c, res, show, p.status, p.priority);
        event_emit(EV_PRESENCE, &ev);
    } else if (strcmp(p.type, "subscribe") == 0) {
        struct contact *asker = contact_get(acct, bare);
        asker->asks_us = true;
        notice_fmt(acct, NOTICE_STATUS, FMT_SUB_REQUEST, bare, NULL);
    } else if (strcmp(p.type, "subscribed") == 0) {
        notice_fmt(acct, NOTICE_STATUS, FMT_SUB_ACCEPTED, bare, NULL);
    } else if (strcmp(p.type, "unsubscribed") == 0) {
        notice_fmt(acct, NOTICE_STATUS, FMT_SUB_REFUSED, bare, NULL);
    } else if (strcmp(p.type, "error") == 0) {
        char *err = stanza_error_text(st);
        notice_fmt(acct, NOTICE_ERROR, FMT_PRESENCE_ERROR, bare, err, NULL);
        g_free(err);
    }
    /* RFC 6121: other known types (probe, unsubscribe) are the server's
     * business and need no display here. */
    g_free(bare);
    presence_clear(&p);
    return 1;
}

/*
 * Apply the items of a roster query in iq to the model and tell listeners
 * once, however many items there are. A full roster (replace) takes the
 * place of the one held; a push changes only its items. The version the
 * query carries (RFC 6121 2.6) is kept with the roster and the cache is
 * saved once the loop is idle.
 */
static void
apply_roster(struct account *acct, xmpp_stanza_t *iq, bool replace)
{
    xmpp_stanza_t *q =
        xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_ROSTER);
    const char *ver = q != NULL ? xmpp_stanza_get_attribute(q, "ver") : NULL;
    GPtrArray *items = roster_parse(iq);
    struct ev_roster ev = {acct};

    if (replace)
        account_roster_clear(acct);
    for (guint i = 0; i < items->len; i++) {
        struct roster_item *it = items->pdata[i];
        char *bare = sender_bare(it->jid);
        struct contact *c;

        if (bare == NULL)
            continue;
        c = contact_get(acct, bare);
        if (g_strcmp0(it->subscription, "remove") == 0)
            c->in_roster = false;
        else
            contact_set_roster_item(c, it->name, it->subscription, it->ask,
                                    it->groups);
        g_free(bare);
    }
    g_ptr_array_unref(items);
    if (replace || (ver != NULL && acct->roster_ver != NULL)) {
        /* A full roster without a version: the server does not version
         * it, and a cache would only go stale. */
        g_free(acct->roster_ver);
        acct->roster_ver = g_strdup(ver);
        if (ver != NULL)
            roster_cache_schedule(acct);
        else
            roster_cache_remove(acct);
    } else if (acct->roster_ver != NULL) {
        roster_cache_schedule(acct); /* a push without a version */
    }
    event_emit(EV_ROSTER, &ev);
}

/*
 * The roster arrived: show it, then announce ourselves (RFC 6121 2.2). A
 * result without a query answers a versioned request whose version is
 * current: the roster held (loaded from the cache) is the roster.
 */
static int
on_roster_result(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct account *acct = data;
    xmpp_stanza_t *pres;

    if (g_strcmp0(xmpp_stanza_get_type(st), "result") == 0) {
        if (xmpp_stanza_get_child_by_name_and_ns(st, "query", NS_ROSTER) !=
            NULL) {
            apply_roster(acct, st, true);
        } else {
            struct ev_roster ev = {acct};
            event_emit(EV_ROSTER, &ev);
        }
    } else {
        notice_fmt(acct, NOTICE_ERROR, FMT_ROSTER_FAILED, acct->jid, NULL);
    }
    pres = presence_build(session_ctx(), acct->show, acct->status,
                          acct->priority);
    info_add_caps(pres); /* XEP-0115: what natter can do */
    session_write(acct->session, pres);
    xmpp_stanza_release(pres);
    session_kick();
    return 0;
}

/* Answer an iq with a cancel error of condition cond. */
static void
iq_error_reply(struct account *acct, xmpp_stanza_t *iq, const char *cond)
{
    xmpp_stanza_t *reply = iq_error_build(iq, cond);

    session_write(acct->session, reply);
    xmpp_stanza_release(reply);
}

/* Roster pushes from our own account; pings; everything else refused. */
static int
on_iq(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct account *acct = data;
    const char *type = xmpp_stanza_get_type(st);
    const char *from = xmpp_stanza_get_from(st);

    if (type == NULL || (strcmp(type, "get") != 0 && strcmp(type, "set") != 0))
        return 1; /* results are for the id handlers */
    if (strcmp(type, "set") == 0 && blocking_handle_push(conn, st, acct))
        return 1;
    if (strcmp(type, "set") == 0 &&
        xmpp_stanza_get_child_by_name_and_ns(st, "query", NS_ROSTER) != NULL) {
        /* RFC 6121 2.1.6: pushes come from our bare JID or no one; the
         * client MUST ignore any other. */
        if (roster_push_trusted(from, acct->jid)) {
            xmpp_stanza_t *reply = iq_reply_build(st, "result");
            apply_roster(acct, st, false);
            session_write(acct->session, reply);
            xmpp_stanza_release(reply);
        }
        session_kick();
        return 1;
    }
    if (strcmp(type, "get") == 0 && info_handle_iq(conn, st, acct)) {
        session_kick();
        return 1;
    }
    if (strcmp(type, "get") == 0 &&
        xmpp_stanza_get_child_by_name_and_ns(st, "ping", "urn:xmpp:ping")) {
        xmpp_stanza_t *reply = iq_reply_build(st, "result");
        session_write(acct->session, reply);
        xmpp_stanza_release(reply);
        session_kick();
        return 1;
    }
    iq_error_reply(acct, st, "service-unavailable");
    session_kick();
    return 1;
}

/*
 * The version to name in the roster request: none when the server does
 * not version rosters (RFC 6121 2.6.2 forbids it then); else the version
 * held, loading the cache first if nothing is held yet; "" when there is
 * no usable cache, to ask for everything and start versioning.
 */
static const char *
roster_request_ver(struct account *acct, bool versioning)
{
    char *cause = NULL;

    if (!versioning)
        return NULL;
    if (acct->roster_ver == NULL && !roster_cache_load(acct, &cause) &&
        cause != NULL) {
        notice_fmt(acct, NOTICE_STATUS, FMT_ROSTER_CACHE_IGNORED, acct->jid,
                   cause, NULL);
        g_free(cause);
    }
    return acct->roster_ver != NULL ? acct->roster_ver : "";
}

/* Listen for stanzas of an online session and request the roster. */
void
handlers_start(xmpp_conn_t *conn, struct account *acct, bool roster_versioning)
{
    xmpp_ctx_t *ctx = xmpp_conn_get_context(conn);
    char *id = xmpp_uuid_gen(ctx);
    xmpp_stanza_t *iq =
        roster_get_build(ctx, id, roster_request_ver(acct, roster_versioning));

    xmpp_handler_add(conn, message_receive, NULL, "message", NULL, acct);
    xmpp_handler_add(conn, on_presence, NULL, "presence", NULL, acct);
    xmpp_handler_add(conn, on_iq, NULL, "iq", NULL, acct);
    xmpp_id_handler_add(conn, on_roster_result, id, acct);
    session_write(acct->session, iq);
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
    /* Message carbons: what our other clients send and receive shows
     * here too. A server without them answers with an error; fine. */
    id = xmpp_uuid_gen(ctx);
    iq = carbons_enable_build(ctx, id);
    session_write(acct->session, iq);
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
    blocking_fetch(conn, acct);
    mam_catch_up(conn, acct);
    muc_online(acct);
    bookmarks_online(acct);
    session_kick();
}
