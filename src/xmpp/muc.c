/* SPDX-License-Identifier: MIT */
/*
 * Group chat (XEP-0045) for one session: joining, leaving and talking,
 * and what rooms send us. Moderation and room listings are in
 * muc-admin.c, the room archive in muc-archive.c, the self-ping in
 * muc-ping.c.
 */
#include "xmpp/muc.h"

#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/history.h"
#include "core/room.h"
#include "core/settings.h"
#include "xmpp/disco.h"
#include "xmpp/info.h"
#include "xmpp/jid.h"
#include "xmpp/mam.h"
#include "xmpp/message.h"
#include "xmpp/muc-internal.h"
#include "xmpp/muc-stanza.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

static bool subscribed;

/* A request record for room; freed with muc_req_free(). */
struct room_req *
muc_req_new(struct account *acct, const char *room, const char *what)
{
    struct room_req *r = g_new0(struct room_req, 1);

    r->acct = acct;
    r->room = g_strdup(room);
    r->what = g_strdup(what);
    return r;
}

/* Free a request record. */
void
muc_req_free(struct room_req *r)
{
    g_free(r->room);
    g_free(r->what);
    g_free(r->extra);
    g_free(r);
}

/* Send iq on acct with req for fn (which then owns req); false with
 * *cause set and req freed when it cannot go. iq stays the caller's. */
bool
muc_req_send(struct account *acct, xmpp_stanza_t *iq, session_iq_fn fn,
             struct room_req *req, char **cause)
{
    if (session_send_iq(acct, iq, fn, req, cause))
        return true;
    muc_req_free(req);
    return false;
}

/* Emit an EV_ROOM about room (may be NULL) with the given parts. */
void
muc_emit_room(struct account *acct, struct room *room, const char *room_jid,
              enum room_event what, const char *nick, const char *new_nick,
              const char *actor, const char *text, bool self)
{
    struct ev_room ev = {acct,     room,  room_jid, what, nick,
                         new_nick, actor, text,     self};

    event_emit(EV_ROOM, &ev);
}

/* Emit a formatted ROOM_EV_INFO or ROOM_EV_ERROR line about room. */
void
muc_say(struct account *acct, const char *room_jid, bool error,
        const char *fmt, ...)
{
    va_list ap;
    char *text;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    muc_emit_room(acct, room_find(acct, room_jid), room_jid,
                  error ? ROOM_EV_ERROR : ROOM_EV_INFO, NULL, NULL, NULL, text,
                  false);
    g_free(text);
}

/* Bare, prepared form of a room JID; NULL if malformed. Caller frees. */
char *
muc_bare(const char *s)
{
    char *why = NULL, *b = s != NULL ? jid_bare(s, &why) : NULL;

    g_free(why);
    return b;
}

/* The local part of acct's JID (all of it when it has none), the nick to
 * join with when none is given; caller frees. */
char *
muc_default_nick(struct account *acct)
{
    const char *at = strchr(acct->jid, '@');

    return at != NULL ? g_strndup(acct->jid, (gsize)(at - acct->jid))
                      : g_strdup(acct->jid);
}

/* The room JID for what the user typed; caller frees. */
char *
muc_room_jid(struct account *acct, const char *typed, char **cause)
{
    char *why = NULL, *full, *bare;

    if (strchr(typed, '@') == NULL) {
        if (acct->muc_service == NULL) {
            *cause = g_strdup_printf(
                "No group chat service known for %s yet: give the whole "
                "room address, room@service",
                acct->jid);
            return NULL;
        }
        full = g_strdup_printf("%s@%s", typed, acct->muc_service);
    } else {
        full = g_strdup(typed);
    }
    if (strchr(full, '/') != NULL) {
        *cause = g_strdup_printf("Invalid room %s: a room address has no "
                                 "/nick part (use nick NICK)",
                                 typed);
        g_free(full);
        return NULL;
    }
    bare = jid_bare(full, &why);
    if (bare == NULL) {
        *cause = g_strdup_printf("Invalid room %s: %s", typed, why);
        g_free(why);
    }
    g_free(full);
    return bare;
}

/*
 * Unix time of the newest message of room in the history store, 0 when
 * none is stored (or the store cannot be read: then the room's newest
 * page will do).
 */
long long
muc_newest_stored(struct room *room)
{
    char *cause = NULL;
    GPtrArray *last = history_last(room->acct, room->jid, 1, &cause);
    long long t = last != NULL && last->len > 0
                      ? ((struct history_row *)last->pdata[0])->time
                      : 0;

    if (last != NULL)
        g_ptr_array_unref(last);
    g_free(cause);
    return t;
}

/* Send the join presence for room, asking for the history we lack. */
void
muc_send_join(struct room *room)
{
    xmpp_ctx_t *ctx = session_ctx();
    struct account *acct = room->acct;
    long long since = 0;
    int maxstanzas = -1;
    xmpp_stanza_t *p;
    char *cause = NULL;

    if (room->mam) {
        maxstanzas = 0; /* the archive fills the window instead */
    } else {
        since = muc_newest_stored(room);
    }
    p = muc_join_build(ctx, room->jid, room->nick, room->password, maxstanzas,
                       since, acct->show, acct->status);
    info_add_caps(p);
    room->state = ROOM_JOINING;
    if (!session_send(acct, p, &cause)) {
        room->state = ROOM_LEFT;
        muc_say(acct, room->jid, true, "Cannot join %s: %s", room->jid, cause);
        g_free(cause);
    }
    xmpp_stanza_release(p);
    session_kick();
}

/* The room answered disco#info: note what it offers, then join it. */
static void
on_room_info(struct account *acct, const struct disco_result *r, void *data)
{
    struct room_req *req = data;
    struct room *room = room_find(acct, req->room);

    if (r->lost || room == NULL || !room->wanted) {
        muc_req_free(req);
        return;
    }
    if (r->ok) {
        room->mam = disco_result_has_feature(r, NS_MAM);
    } else {
        /* A room that does not exist yet is created by joining it; only a
         * service that cannot be reached is worth stopping for. */
        if (g_strcmp0(r->condition, "remote-server-not-found") == 0 ||
            g_strcmp0(r->condition, "remote-server-timeout") == 0) {
            char *line = muc_error_text("remote-server-not-found", NULL,
                                        room->jid, room->nick);
            room->wanted = false;
            room->state = ROOM_LEFT;
            muc_emit_room(acct, room, room->jid, ROOM_EV_ERROR, NULL, NULL,
                          NULL, line, true);
            g_free(line);
            muc_req_free(req);
            return;
        }
        room->mam = false;
    }
    muc_send_join(room);
    muc_req_free(req);
}

/* Join room as nick, with password (may be NULL). */
bool
muc_join(struct account *acct, const char *room_jid, const char *nick,
         const char *password, char **cause)
{
    struct room *room;
    struct room_req *req;
    bool ok;

    if (acct->state != ACCOUNT_ONLINE) {
        *cause =
            g_strdup_printf("%s is not connected: /connect first", acct->jid);
        return false;
    }
    room = room_get(acct, room_jid);
    if (room->state != ROOM_LEFT && g_strcmp0(room->nick, nick) == 0)
        return true; /* already in (or on the way): the window is enough */
    if (room->state != ROOM_LEFT && room->nick != NULL) {
        /* In the room under another nick: that is a nick change. */
        return muc_set_nick(acct, room_jid, nick, cause);
    }
    g_free(room->nick);
    room->nick = g_strdup(nick);
    if (password != NULL) {
        g_free(room->password);
        room->password = g_strdup(password);
    }
    room->wanted = true;
    room->state = ROOM_JOINING;
    req = muc_req_new(acct, room_jid, NULL);
    ok = disco_info(acct, room_jid, NULL, on_room_info, req, cause);
    if (!ok) {
        muc_req_free(req);
        room->state = ROOM_LEFT;
    }
    return ok;
}

/* The room of acct we are in (or joining) with JID room; else *cause. */
struct room *
muc_room_in(struct account *acct, const char *room_jid, char **cause)
{
    struct room *room = room_find(acct, room_jid);

    if (room == NULL || room->state == ROOM_LEFT) {
        *cause =
            g_strdup_printf("You are not in %s: /join %s", room_jid, room_jid);
        return NULL;
    }
    return room;
}

/* Leave room with an optional reason. */
bool
muc_leave(struct account *acct, const char *room_jid, const char *reason,
          char **cause)
{
    struct room *room = room_find(acct, room_jid);
    xmpp_stanza_t *p;
    bool ok;

    if (room == NULL || (!room->wanted && room->state == ROOM_LEFT)) {
        *cause = g_strdup_printf("You are not in %s", room_jid);
        return false;
    }
    room->wanted = false;
    if (room->state == ROOM_LEFT || acct->state != ACCOUNT_ONLINE) {
        room->state = ROOM_LEFT;
        room_clear_occupants(room);
        muc_emit_room(acct, room, room->jid, ROOM_EV_LEFT, room->nick, NULL,
                      NULL, NULL, true);
        return true;
    }
    p = muc_leave_build(session_ctx(), room->jid, room->nick, reason);
    ok = session_send(acct, p, cause);
    xmpp_stanza_release(p);
    session_kick();
    return ok;
}

/* Send body to room through the message pipeline. */
bool
muc_send(struct account *acct, const char *room_jid, const char *body,
         const char *replace_id, char **cause)
{
    struct room *room = muc_room_in(acct, room_jid, cause);
    struct message m = {0};

    if (room == NULL)
        return false;
    if (room->state != ROOM_JOINED) {
        *cause = g_strdup_printf("Still joining %s: wait a moment", room_jid);
        return false;
    }
    m.kind = MESSAGE_GROUPCHAT;
    m.to = room->jid;
    m.peer = room->jid;
    m.body = (char *)body;
    m.replace_id = (char *)replace_id;
    m.nick = room->nick;
    return message_send(acct, &m, cause);
}

/* Send a private message to occupant (room@service/nick). */
bool
muc_send_private(struct account *acct, const char *occupant, const char *body,
                 const char *replace_id, char **cause)
{
    char *room_jid = muc_bare(occupant);
    struct room *room = room_jid != NULL ? room_find(acct, room_jid) : NULL;
    struct message m = {0};
    bool ok;

    if (room == NULL || room->state != ROOM_JOINED) {
        *cause = g_strdup_printf("You are not in %s: private messages go "
                                 "through the room",
                                 room_jid != NULL ? room_jid : occupant);
        g_free(room_jid);
        return false;
    }
    m.kind = MESSAGE_CHAT;
    m.to = (char *)occupant;
    m.from = (char *)occupant; /* the line shows in the occupant's window */
    m.peer = (char *)occupant;
    m.body = (char *)body;
    m.replace_id = (char *)replace_id;
    m.nick = room->nick;
    m.muc_private = true;
    ok = message_send(acct, &m, cause);
    g_free(room_jid);
    return ok;
}

/* Ask to change our nick in room. */
bool
muc_set_nick(struct account *acct, const char *room_jid, const char *nick,
             char **cause)
{
    struct room *room = muc_room_in(acct, room_jid, cause);
    xmpp_stanza_t *p;
    char *to;
    bool ok;

    if (room == NULL)
        return false;
    g_free(room->nick_change);
    room->nick_change = g_strdup(nick);
    p = presence_build(session_ctx(), acct->show, acct->status, 0);
    to = g_strdup_printf("%s/%s", room->jid, nick);
    xmpp_stanza_set_to(p, to);
    g_free(to);
    ok = session_send(acct, p, cause);
    xmpp_stanza_release(p);
    session_kick();
    return ok;
}

/* Tell every joined room of acct our new presence. */
void
muc_send_presence(struct account *acct)
{
    GPtrArray *rooms = room_list(acct);

    for (guint i = 0; i < rooms->len; i++) {
        struct room *room = rooms->pdata[i];
        xmpp_stanza_t *p;
        char *to, *cause = NULL;
        if (room->state != ROOM_JOINED)
            continue;
        p = presence_build(session_ctx(), acct->show, acct->status, 0);
        info_add_caps(p);
        to = g_strdup_printf("%s/%s", room->jid, room->nick);
        xmpp_stanza_set_to(p, to);
        g_free(to);
        if (!session_send(acct, p, &cause))
            g_free(cause);
        xmpp_stanza_release(p);
    }
    g_ptr_array_unref(rooms);
}

/* Set the subject of room. */
bool
muc_set_subject(struct account *acct, const char *room_jid,
                const char *subject, char **cause)
{
    struct room *room = muc_room_in(acct, room_jid, cause);
    xmpp_stanza_t *m;
    bool ok;

    if (room == NULL)
        return false;
    m = muc_subject_build(session_ctx(), room->jid, subject);
    ok = session_send(acct, m, cause);
    xmpp_stanza_release(m);
    session_kick();
    return ok;
}

/* One item of the server answered disco#info: is it the MUC service? */
static void
on_service_info(struct account *acct, const struct disco_result *r, void *data)
{
    char *jid = data;

    if (r->ok && acct->muc_service == NULL &&
        disco_result_has_identity(r, "conference", "text") &&
        disco_result_has_feature(r, NS_MUC)) {
        acct->muc_service = g_strdup(jid);
    }
    g_free(jid);
}

/* The server listed its services: ask each what it is. */
static void
on_server_items(struct account *acct, const struct disco_result *r, void *data)
{
    (void)data;
    if (!r->ok)
        return;
    for (guint i = 0; i < r->items->len && i < 64; i++) {
        const struct disco_link *it = r->items->pdata[i];
        char *cause = NULL, *copy = g_strdup(it->jid);
        if (!disco_info(acct, it->jid, NULL, on_service_info, copy, &cause)) {
            g_free(cause);
            g_free(copy);
        }
    }
}

/* Find the group chat service and rejoin every room the user is in. */
void
muc_online(struct account *acct)
{
    const char *domain = strchr(acct->jid, '@');
    GPtrArray *rooms = room_list(acct);
    char *cause = NULL;

    if (!disco_items(acct, domain != NULL ? domain + 1 : acct->jid, NULL,
                     on_server_items, NULL, &cause))
        g_free(cause);
    for (guint i = 0; i < rooms->len; i++) {
        struct room *room = rooms->pdata[i];
        if (room->wanted && room->nick != NULL) {
            room->state = ROOM_LEFT;
            muc_send_join(room);
        }
    }
    g_ptr_array_unref(rooms);
}

/* Rooms are left when their account goes offline; they are rejoined by
 * muc_online() when it is back. */
static void
on_event(enum event_type type, const void *payload, void *data)
{
    if (type == EV_ACCOUNT_STATE) {
        const struct ev_account_state *ev = payload;
        GPtrArray *rooms;
        if (ev->state != ACCOUNT_OFFLINE)
            return;
        rooms = room_list(ev->acct);
        for (guint i = 0; i < rooms->len; i++) {
            struct room *room = rooms->pdata[i];
            bool was_in = room->state != ROOM_LEFT;
            room->state = ROOM_LEFT;
            room->muc_ping_sent = false;
            room_clear_occupants(room);
            if (was_in)
                muc_emit_room(ev->acct, room, room->jid, ROOM_EV_LEFT,
                              room->nick, NULL, NULL,
                              room->wanted
                                  ? "disconnected; natter rejoins when "
                                    "the account is back"
                                  : "disconnected",
                              true);
        }
        g_ptr_array_unref(rooms);
    } else if (type == EV_SETTING) {
        const struct ev_setting *ev = payload;
        if (strcmp(ev->name, "muc.ping") != 0)
            return;
        muc_ping_stop(); /* restarted below with the new interval */
    } else if (type == EV_ROOM) {
        const struct ev_room *ev = payload;
        /* Only our own comings and goings change whether to ping: the
         * thousands of occupant presences of a big room do not. */
        if (!ev->self)
            return;
    }
    muc_ping_update();
}

/* Listen for account state changes and room events. */
void
muc_init(void)
{
    if (subscribed)
        return;
    event_subscribe(EV_ACCOUNT_STATE, on_event, NULL);
    event_subscribe(EV_ROOM, on_event, NULL);
    event_subscribe(EV_SETTING, on_event, NULL);
    subscribed = true;
}

/* Stop listening and cancel timers. */
void
muc_deinit(void)
{
    if (subscribed) {
        event_unsubscribe(EV_ACCOUNT_STATE, on_event, NULL);
        event_unsubscribe(EV_ROOM, on_event, NULL);
        event_unsubscribe(EV_SETTING, on_event, NULL);
    }
    subscribed = false;
    muc_ping_stop();
}
