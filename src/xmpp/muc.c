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
#include "xmpp/info.h"
#include "xmpp/jid.h"
#include "xmpp/mam.h"
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
static long long
newest_stored(struct room *room)
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
        since = newest_stored(room);
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
on_room_info(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct room_req *req = data;
    struct room *room = room_find(acct, req->room);

    if (reply == NULL || room == NULL || !room->wanted) {
        muc_req_free(req);
        return;
    }
    if (g_strcmp0(xmpp_stanza_get_type(reply), "result") == 0) {
        room->mam = disco_has_feature(reply, NS_MAM);
    } else {
        xmpp_stanza_t *err = xmpp_stanza_get_child_by_name(reply, "error");
        /* A room that does not exist yet is created by joining it; only a
         * service that cannot be reached is worth stopping for. */
        if (err != NULL &&
            (xmpp_stanza_get_child_by_name(err, "remote-server-not-found") ||
             xmpp_stanza_get_child_by_name(err, "remote-server-timeout"))) {
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
    xmpp_stanza_t *iq;
    char *id;
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
    id = xmpp_uuid_gen(session_ctx());
    iq = disco_get_build(session_ctx(), id, room_jid, NS_DISCO_INFO);
    xmpp_free(session_ctx(), id);
    req = muc_req_new(acct, room_jid, NULL);
    ok = muc_req_send(acct, iq, on_room_info, req, cause);
    xmpp_stanza_release(iq);
    if (!ok)
        room->state = ROOM_LEFT;
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

/* Send body to room. */
bool
muc_send(struct account *acct, const char *room_jid, const char *body,
         const char *replace_id, char **cause)
{
    struct room *room = muc_room_in(acct, room_jid, cause);
    xmpp_stanza_t *m;
    char *id;
    bool ok;

    if (room == NULL)
        return false;
    if (room->state != ROOM_JOINED) {
        *cause = g_strdup_printf("Still joining %s: wait a moment", room_jid);
        return false;
    }
    id = xmpp_uuid_gen(session_ctx());
    m = muc_message_build(session_ctx(), room->jid, body, id, replace_id,
                          false);
    xmpp_free(session_ctx(), id);
    ok = session_send(acct, m, cause);
    xmpp_stanza_release(m);
    session_kick();
    return ok;
}

/* Send a private message to occupant (room@service/nick). */
bool
muc_send_private(struct account *acct, const char *occupant, const char *body,
                 const char *replace_id, char **cause)
{
    char *room_jid = muc_bare(occupant);
    struct room *room = room_jid != NULL ? room_find(acct, room_jid) : NULL;
    struct ev_message ev = {0};
    xmpp_stanza_t *m;
    char *id;
    bool ok;

    if (room == NULL || room->state != ROOM_JOINED) {
        *cause = g_strdup_printf("You are not in %s: private messages go "
                                 "through the room",
                                 room_jid != NULL ? room_jid : occupant);
        g_free(room_jid);
        return false;
    }
    id = xmpp_uuid_gen(session_ctx());
    m = muc_message_build(session_ctx(), occupant, body, id, replace_id,
                          true);
    ok = session_send(acct, m, cause);
    xmpp_stanza_release(m);
    session_kick();
    if (ok) {
        ev.acct = acct;
        ev.from = occupant;
        ev.peer = occupant;
        ev.body = body;
        ev.id = id;
        ev.kind = MESSAGE_CHAT;
        ev.outgoing = true;
        ev.nick = room->nick;
        ev.muc_private = true;
        ev.replace_id = replace_id;
        event_emit(EV_MESSAGE, &ev);
    }
    xmpp_free(session_ctx(), id);
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
on_service_info(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    char *jid = data;

    if (reply != NULL && acct->muc_service == NULL &&
        g_strcmp0(xmpp_stanza_get_type(reply), "result") == 0 &&
        disco_has_identity(reply, "conference", "text") &&
        disco_has_feature(reply, NS_MUC)) {
        acct->muc_service = g_strdup(jid);
    }
    g_free(jid);
}

/* The server listed its services: ask each what it is. */
static void
on_server_items(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    GPtrArray *items;

    if (reply == NULL || g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0)
        return;
    items = disco_items_parse(reply, NS_DISCO_ITEMS);
    for (guint i = 0; i < items->len && i < 64; i++) {
        struct disco_item *it = items->pdata[i];
        char *id = xmpp_uuid_gen(session_ctx()), *cause = NULL;
        xmpp_stanza_t *iq =
            disco_get_build(session_ctx(), id, it->jid, NS_DISCO_INFO);
        char *copy = g_strdup(it->jid);
        xmpp_free(session_ctx(), id);
        if (!session_send_iq(acct, iq, on_service_info, copy, &cause)) {
            g_free(cause);
            g_free(copy);
        }
        xmpp_stanza_release(iq);
    }
    g_ptr_array_unref(items);
}

/* Find the group chat service and rejoin every room the user is in. */
void
muc_online(struct account *acct)
{
    const char *domain = strchr(acct->jid, '@');
    GPtrArray *rooms = room_list(acct);
    char *id, *cause = NULL;
    xmpp_stanza_t *iq;

    id = xmpp_uuid_gen(session_ctx());
    iq = disco_get_build(session_ctx(), id,
                         domain != NULL ? domain + 1 : acct->jid,
                         NS_DISCO_ITEMS);
    xmpp_free(session_ctx(), id);
    if (!session_send_iq(acct, iq, on_server_items, NULL, &cause))
        g_free(cause);
    xmpp_stanza_release(iq);
    for (guint i = 0; i < rooms->len; i++) {
        struct room *room = rooms->pdata[i];
        if (room->wanted && room->nick != NULL) {
            room->state = ROOM_LEFT;
            muc_send_join(room);
        }
    }
    g_ptr_array_unref(rooms);
}

/* Our own presence in room says we are out: record why. */
static void
self_out(struct account *acct, struct room *room, const struct muc_presence *p)
{
    enum room_event what = ROOM_EV_LEFT;
    char *text = NULL;

    if (muc_presence_has(p, 307))
        what = ROOM_EV_KICKED;
    else if (muc_presence_has(p, 301))
        what = ROOM_EV_BANNED;
    else if (muc_presence_has(p, 321) || muc_presence_has(p, 322) ||
             muc_presence_has(p, 332))
        what = ROOM_EV_REMOVED;
    if (p->destroyed) {
        what = ROOM_EV_REMOVED;
        text =
            g_strdup_printf("the room was destroyed%s%s%s%s",
                            p->destroy_reason != NULL ? ": " : "",
                            p->destroy_reason != NULL ? p->destroy_reason : "",
                            p->destroy_alt != NULL ? "; it moved to " : "",
                            p->destroy_alt != NULL ? p->destroy_alt : "");
    } else if (muc_presence_has(p, 321)) {
        text = g_strdup("your affiliation changed (it is members-only)");
    } else if (muc_presence_has(p, 322)) {
        text = g_strdup("the room became members-only");
    } else if (muc_presence_has(p, 332)) {
        text = g_strdup("the service is shutting down");
    } else if (p->reason != NULL) {
        text = g_strdup(p->reason);
    }
    room->state = ROOM_LEFT;
    room->wanted = false;
    room_clear_occupants(room);
    muc_emit_room(acct, room, room->jid, what, room->nick, NULL, p->actor,
                  text, true);
    g_free(text);
}

/* Handle a presence from a room; true when it was one. */
bool
muc_handle_presence(xmpp_conn_t *conn, xmpp_stanza_t *st, struct account *acct)
{
    struct muc_presence p;
    struct room *room;
    char *room_jid;
    bool self, is_new;
    struct occupant *o;

    if (!muc_presence_parse(st, &p))
        return false;
    room_jid = muc_bare(p.room);
    room = room_jid != NULL ? room_find(acct, room_jid) : NULL;
    if (room == NULL || p.nick == NULL) {
        /* Not a room we are in: an ordinary presence, unless it is an
         * occupant presence (handled as nothing). */
        bool muc = p.has_x;
        g_free(room_jid);
        muc_presence_clear(&p);
        return muc;
    }
    g_free(room_jid);
    if (p.error) {
        if (room->state == ROOM_JOINING ||
            (room->nick_change != NULL &&
             g_strcmp0(p.nick, room->nick_change) == 0)) {
            char *line;
            if (room->state == ROOM_JOINING) {
                line = muc_error_text(p.error_condition, p.error_text,
                                      room->jid, p.nick);
                room->state = ROOM_LEFT;
                room->wanted = false;
            } else {
                line = g_strdup_printf(
                    "Cannot change your nick to %s: %s%s", p.nick,
                    g_strcmp0(p.error_condition, "conflict") == 0
                        ? "someone uses it already"
                        : (p.error_condition != NULL ? p.error_condition
                                                     : "refused"),
                    "");
                g_free(room->nick_change);
                room->nick_change = NULL;
            }
            muc_emit_room(acct, room, room->jid, ROOM_EV_ERROR, p.nick, NULL,
                          NULL, line, true);
            g_free(line);
        }
        muc_presence_clear(&p);
        return true;
    }
    self = muc_presence_has(&p, 110) ||
           (room->state == ROOM_JOINING && g_strcmp0(p.nick, room->nick) == 0);
    /* A room we are not in (or on our way in) has nothing to tell us. */
    if (room->state == ROOM_LEFT) {
        muc_presence_clear(&p);
        return true;
    }
    if (p.unavailable) {
        if (muc_presence_has(&p, 303) && p.new_nick != NULL) {
            room_occupant_rename(room, p.nick, p.new_nick);
            if (self) {
                g_free(room->nick);
                room->nick = g_strdup(p.new_nick);
                g_free(room->nick_change);
                room->nick_change = NULL;
            }
            muc_emit_room(acct, room, room->jid, ROOM_EV_NICK, p.nick,
                          p.new_nick, NULL, NULL, self);
        } else if (self) {
            self_out(acct, room, &p);
        } else {
            enum room_event what =
                muc_presence_has(&p, 307)   ? ROOM_EV_KICKED
                : muc_presence_has(&p, 301) ? ROOM_EV_BANNED
                : (muc_presence_has(&p, 321) || muc_presence_has(&p, 322) ||
                   muc_presence_has(&p, 332))
                    ? ROOM_EV_REMOVED
                    : ROOM_EV_EXIT;
            if (room_occupant_remove(room, p.nick) || what != ROOM_EV_EXIT)
                muc_emit_room(
                    acct, room, room->jid, what, p.nick, NULL, p.actor,
                    what == ROOM_EV_EXIT ? p.status : p.reason, false);
        }
        muc_presence_clear(&p);
        return true;
    }
    {
        struct occupant *before = room_occupant(room, p.nick);
        enum room_role old_role = before != NULL ? before->role : ROLE_NONE;
        enum room_affiliation old_aff =
            before != NULL ? before->affiliation : AFFIL_NONE;
        o = room_occupant_set(room, p.nick, p.jid, room_role_parse(p.role),
                              room_affiliation_parse(p.affiliation), p.show,
                              p.status, &is_new);
        if (self && room->state != ROOM_JOINED) {
            room->state = ROOM_JOINED;
            if (g_strcmp0(room->nick, p.nick) != 0) { /* status 210 */
                g_free(room->nick);
                room->nick = g_strdup(p.nick);
            }
            muc_emit_room(acct, room, room->jid, ROOM_EV_JOINED, p.nick, NULL,
                          NULL, NULL, true);
            room->locked = muc_presence_has(&p, 201);
            if (room->locked)
                muc_say(acct, room->jid, false,
                        "You created %s; if the service keeps new "
                        "rooms locked, /room accept-defaults opens it "
                        "with default settings and /room config "
                        "configures it",
                        room->jid);
            if (room->mam) {
                room->catching_up = true;
                muc_archive_fetch(acct, room->jid, NULL, newest_stored(room),
                                  0);
            }
            room->joined_once = true;
        } else if (is_new) {
            muc_emit_room(acct, room, room->jid,
                          room->state == ROOM_JOINED ? ROOM_EV_ENTER
                                                     : ROOM_EV_OCCUPANT,
                          p.nick, NULL, NULL, NULL, self);
        } else if (!is_new &&
                   (o->role != old_role || o->affiliation != old_aff)) {
            muc_emit_room(acct, room, room->jid, ROOM_EV_ROLE, p.nick, NULL,
                          p.actor, p.reason, self);
        } else {
            muc_emit_room(acct, room, room->jid, ROOM_EV_OCCUPANT, p.nick,
                          NULL, NULL, p.status, self);
        }
    }
    muc_presence_clear(&p);
    return true;
}

/* The XEP-0359 stanza-id the room gave message st, NULL if none. */
static const char *
room_stanza_id(xmpp_stanza_t *st, const char *room)
{
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(st); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        if (g_strcmp0(xmpp_stanza_get_name(c), "stanza-id") == 0 &&
            g_strcmp0(xmpp_stanza_get_ns(c), NS_SID) == 0) {
            char *by = muc_bare(xmpp_stanza_get_attribute(c, "by"));
            bool ours = by != NULL && strcmp(by, room) == 0;
            g_free(by);
            if (ours)
                return xmpp_stanza_get_attribute(c, "id");
        }
    }
    return NULL;
}

/* A groupchat message of room: a line, a subject or a room notice. */
static void
room_message(struct account *acct, struct room *room, xmpp_stanza_t *st,
             const char *archive_id, int64_t archived_at)
{
    struct parsed_message m;
    const char *nick, *slash;
    xmpp_stanza_t *subject = xmpp_stanza_get_child_by_name(st, "subject");

    if (!msg_parse(st, &m))
        return;
    slash = m.from != NULL ? strchr(m.from, '/') : NULL;
    nick = slash != NULL ? slash + 1 : NULL;
    if (subject != NULL && m.body == NULL) {
        char *text = xmpp_stanza_get_text(subject);
        bool was_empty = room->subject == NULL;
        g_free(room->subject);
        room->subject =
            text != NULL && text[0] != '\0' ? g_strdup(text) : NULL;
        /* An empty subject on join is no news; clearing one is. */
        if (archive_id == NULL && !(was_empty && room->subject == NULL))
            muc_emit_room(acct, room, room->jid, ROOM_EV_SUBJECT, nick, NULL,
                          NULL, room->subject, false);
        if (text != NULL)
            xmpp_free(session_ctx(), text);
    } else if (m.body != NULL && nick == NULL) {
        muc_say(acct, room->jid, false, "%s", m.body); /* the room itself */
    } else if (m.body != NULL) {
        struct ev_message ev = {0};
        const char *sid =
            archive_id != NULL ? archive_id : room_stanza_id(st, room->jid);
        ev.acct = acct;
        ev.from = m.from;
        ev.peer = room->jid;
        ev.body = m.body;
        /* The sender's id names the line, so that its corrections
         * (XEP-0308) find it; the room's id keeps it apart in the store. */
        ev.id = m.origin_id != NULL ? m.origin_id
                : m.id != NULL      ? m.id
                                    : sid;
        ev.archive_id = sid;
        ev.kind = MESSAGE_GROUPCHAT;
        ev.nick = nick;
        ev.outgoing = room->nick != NULL && strcmp(nick, room->nick) == 0;
        ev.time = m.delay != 0 ? m.delay : archived_at;
        ev.replace_id = m.replace_id;
        ev.highlight =
            !ev.outgoing && ev.time == 0 &&
            room_mentions(m.body, room->nick, settings_get("muc.highlight"));
        event_emit(EV_MESSAGE, &ev);
    } else {
        xmpp_stanza_t *x =
            xmpp_stanza_get_child_by_name_and_ns(st, "x", NS_MUC_USER);
        /* Status codes about the room itself (XEP-0045 10.2.1 etc.). */
        for (xmpp_stanza_t *c = x != NULL ? xmpp_stanza_get_children(x) : NULL;
             c != NULL; c = xmpp_stanza_get_next(c)) {
            const char *code = xmpp_stanza_get_attribute(c, "code");
            if (g_strcmp0(xmpp_stanza_get_name(c), "status") != 0)
                continue;
            if (g_strcmp0(code, "104") == 0)
                muc_say(acct, room->jid, false,
                        "The configuration of %s changed", room->jid);
            else if (g_strcmp0(code, "170") == 0)
                muc_say(acct, room->jid, false, "%s is now logged", room->jid);
            else if (g_strcmp0(code, "171") == 0)
                muc_say(acct, room->jid, false, "%s is no longer logged",
                        room->jid);
        }
    }
    msg_clear(&m);
}

/* Handle a message from or about a room; true when it was one. */
bool
muc_handle_message(xmpp_conn_t *conn, xmpp_stanza_t *st, struct account *acct)
{
    const char *from = xmpp_stanza_get_from(st);
    const char *type = xmpp_stanza_get_type(st);
    struct muc_invite inv;
    struct room *room;
    char *room_jid;
    xmpp_stanza_t *result;

    if (from == NULL)
        return false;
    if (muc_invite_parse(st, &inv)) {
        char *rj = muc_bare(inv.room);
        if (rj != NULL)
            muc_emit_room(acct, room_find(acct, rj), rj, ROOM_EV_INVITE, NULL,
                          NULL, inv.from, inv.reason, false);
        g_free(rj);
        muc_invite_clear(&inv);
        return true;
    }
    room_jid = muc_bare(from);
    room = room_jid != NULL ? room_find(acct, room_jid) : NULL;
    g_free(room_jid);
    if (room == NULL)
        return g_strcmp0(type, "groupchat") == 0; /* no room of ours */
    result = xmpp_stanza_get_child_by_name_and_ns(st, "result", NS_MAM);
    if (result != NULL && strchr(from, '/') == NULL) {
        xmpp_stanza_t *fwd = xmpp_stanza_get_child_by_name_and_ns(
            result, "forwarded", NS_FORWARD);
        xmpp_stanza_t *inner =
            fwd != NULL ? xmpp_stanza_get_child_by_name(fwd, "message") : NULL;
        xmpp_stanza_t *delay =
            fwd != NULL
                ? xmpp_stanza_get_child_by_name_and_ns(fwd, "delay", NS_DELAY)
                : NULL;
        const char *ifrom = inner != NULL ? xmpp_stanza_get_from(inner) : NULL;
        char *inner_room = muc_bare(ifrom);
        int64_t stamp = 0;
        if (delay != NULL) {
            GDateTime *dt = g_date_time_new_from_iso8601(
                xmpp_stanza_get_attribute(delay, "stamp"), NULL);
            if (dt != NULL) {
                stamp = g_date_time_to_unix(dt);
                g_date_time_unref(dt);
            }
        }
        /* Only the room's own archive speaks for the room. */
        if (inner_room != NULL && strcmp(inner_room, room->jid) == 0 &&
            g_strcmp0(xmpp_stanza_get_type(inner), "groupchat") == 0)
            room_message(acct, room, inner,
                         xmpp_stanza_get_attribute(result, "id"),
                         stamp != 0 ? stamp : 1);
        g_free(inner_room);
        return true;
    }
    if (g_strcmp0(type, "error") == 0) {
        char *err = stanza_error_text(st);
        /* Without the room's own words, say the likely cause. */
        muc_say(acct, room->jid, true, "%s refused a message: %s%s", room->jid,
                err,
                strcmp(err, "forbidden") == 0
                    ? " (visitors may not speak: ask a moderator for "
                      "voice)"
                    : "");
        g_free(err);
        return true;
    }
    if (g_strcmp0(type, "groupchat") == 0) {
        room_message(acct, room, st, NULL, 0);
        return true;
    }
    if (strchr(from, '/') != NULL) {
        /* A private message through the room (XEP-0045 7.5). */
        struct parsed_message m;
        if (msg_parse(st, &m) && m.body != NULL) {
            struct ev_message ev = {0};
            ev.acct = acct;
            ev.from = m.from;
            ev.peer = m.from;
            ev.body = m.body;
            ev.id = m.id;
            ev.kind = MESSAGE_CHAT;
            ev.nick = strchr(m.from, '/') + 1;
            ev.muc_private = true;
            ev.time = m.delay;
            event_emit(EV_MESSAGE, &ev);
        }
        msg_clear(&m);
        return true;
    }
    {
        /* Anything else the room itself sends (e.g. a notice). */
        struct parsed_message m;
        if (msg_parse(st, &m) && m.body != NULL)
            muc_say(acct, room->jid, false, "%s", m.body);
        msg_clear(&m);
    }
    return true;
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
