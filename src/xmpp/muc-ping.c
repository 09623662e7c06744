/* SPDX-License-Identifier: MIT */
/*
 * MUC self-ping (XEP-0410): every muc.ping seconds natter pings its own
 * occupant JID in each joined room, and joins again when the answer says
 * the room lost us. The timer runs only while some room is joined.
 */
#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/room.h"
#include "core/settings.h"
#include "xmpp/muc-internal.h"
#include "xmpp/muc-stanza.h"
#include "xmpp/muc.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

static guint ping_timer;

/* A self-ping (XEP-0410) answered: rejoin when the room forgot us. */
static void
on_self_ping(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct room_req *req = data;
    struct room *room = room_find(acct, req->room);

    if (room != NULL)
        room->muc_ping_sent = false;
    if (reply == NULL || room == NULL || room->state != ROOM_JOINED ||
        !muc_self_ping_lost(reply)) {
        muc_req_free(req);
        return;
    }
    muc_say_fmt(acct, room->jid, false, FMT_ROOM_REJOIN, room->jid, NULL);
    room_clear_occupants(room);
    muc_send_join(room);
    muc_req_free(req);
}

/* Ping ourselves in every joined room of every online account. */
static gboolean
on_ping_timer(gpointer data)
{
    GPtrArray *accts = account_list();

    for (guint a = 0; a < accts->len; a++) {
        struct account *acct = accts->pdata[a];
        GPtrArray *rooms;
        if (acct->state != ACCOUNT_ONLINE)
            continue;
        rooms = room_list(acct);
        for (guint i = 0; i < rooms->len; i++) {
            struct room *room = rooms->pdata[i];
            xmpp_stanza_t *iq, *ping;
            struct room_req *req;
            char *id, *to, *cause = NULL;
            if (room->state != ROOM_JOINED || room->muc_ping_sent)
                continue;
            id = xmpp_uuid_gen(session_ctx());
            iq = xmpp_iq_new(session_ctx(), "get", id);
            xmpp_free(session_ctx(), id);
            to = g_strdup_printf("%s/%s", room->jid, room->nick);
            xmpp_stanza_set_to(iq, to);
            g_free(to);
            ping = xmpp_stanza_new(session_ctx());
            xmpp_stanza_set_name(ping, "ping");
            xmpp_stanza_set_ns(ping, "urn:xmpp:ping");
            xmpp_stanza_add_child(iq, ping);
            xmpp_stanza_release(ping);
            req = muc_req_new(acct, room->jid, NULL);
            if (session_send_iq(acct, iq, on_self_ping, req, &cause)) {
                room->muc_ping_sent = true;
            } else {
                g_free(cause);
                muc_req_free(req);
            }
            xmpp_stanza_release(iq);
        }
        g_ptr_array_unref(rooms);
    }
    session_kick();
    return G_SOURCE_CONTINUE;
}

/* Whether any account is in a room (the self-ping timer runs only then). */
static bool
any_room_joined(void)
{
    GPtrArray *accts = account_list();

    for (guint a = 0; a < accts->len; a++) {
        struct account *acct = accts->pdata[a];
        GPtrArray *rooms = room_list(acct);
        bool joined = false;
        for (guint i = 0; i < rooms->len && !joined; i++)
            joined = ((struct room *)rooms->pdata[i])->state == ROOM_JOINED;
        g_ptr_array_unref(rooms);
        if (joined)
            return true;
    }
    return false;
}

/* Start or stop the self-ping timer as rooms are joined and left. */
void
muc_ping_update(void)
{
    int interval = settings_int("muc.ping");
    bool want = interval > 0 && any_room_joined();

    if (want && ping_timer == 0)
        ping_timer =
            g_timeout_add_seconds((guint)interval, on_ping_timer, NULL);
    else if (!want && ping_timer != 0) {
        g_source_remove(ping_timer);
        ping_timer = 0;
    }
}

/* Stop the self-ping timer. */
void
muc_ping_stop(void)
{
    if (ping_timer != 0)
        g_source_remove(ping_timer);
    ping_timer = 0;
}
