/* SPDX-License-Identifier: MIT */
/*
 * Group chat (XEP-0045) for one session: joins, what rooms send us, the
 * requests we make of them, the room archive on join (XEP-0313) and the
 * self-ping that notices a silently lost join (XEP-0410).
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
#include "xmpp/muc-stanza.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* Archive pages fetched at most when a room is joined. */
#define ROOM_MAM_PAGES 10
#define ROOM_MAM_PAGE 50

/* An iq about a room, waiting for its answer. */
struct room_req {
    struct account *acct;
    char *room;  /* bare room JID */
    char *what;  /* words for reports ("kick bob"), may be NULL */
    char *extra; /* request-specific text, may be NULL */
    unsigned int page;
};

static guint ping_timer;
static bool subscribed;

static void room_mam_page(struct account *acct, const char *room,
                          const char *after, long long start,
                          unsigned int page);

/* A request record for room; freed with req_free(). */
static struct room_req *
req_new(struct account *acct, const char *room, const char *what)
{
    struct room_req *r = g_new0(struct room_req, 1);

    r->acct = acct;
    r->room = g_strdup(room);
    r->what = g_strdup(what);
    return r;
}

/* Free a request record. */
static void
req_free(struct room_req *r)
{
    g_free(r->room);
    g_free(r->what);
    g_free(r->extra);
    g_free(r);
}

/* Emit an EV_ROOM about room (may be NULL) with the given parts. */
static void
emit_room(struct account *acct, struct room *room, const char *room_jid,
          enum room_event what, const char *nick, const char *new_nick,
          const char *actor, const char *text, bool self)
{
    struct ev_room ev = {acct, room, room_jid, what, nick, new_nick,
                         actor, text, self};

    event_emit(EV_ROOM, &ev);
}

/* Emit a formatted ROOM_EV_INFO or ROOM_EV_ERROR line about room. */
static void __attribute__((format(printf, 4, 5)))
room_say(struct account *acct, const char *room_jid, bool error,
         const char *fmt, ...)
{
    va_list ap;
    char *text;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    emit_room(acct, room_find(acct, room_jid), room_jid,
              error ? ROOM_EV_ERROR : ROOM_EV_INFO, NULL, NULL, NULL, text,
              false);
    g_free(text);
}

/* Bare, prepared form of a room JID; NULL if malformed. Caller frees. */
static char *
bare_of(const char *s)
{
    char *why = NULL, *b = s != NULL ? jid_bare(s, &why) : NULL;

    g_free(why);
    return b;
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

/* Send the join presence for room, asking for the history we lack. */
static void
send_join(struct room *room)
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
        GPtrArray *last = history_last(acct, room->jid, 1, &cause);
        if (last != NULL && last->len > 0)
            since = ((struct history_row *)last->pdata[0])->time;
        if (last != NULL)
            g_ptr_array_unref(last);
        g_free(cause);
        cause = NULL;
    }
    p = muc_join_build(ctx, room->jid, room->nick, room->password, maxstanzas,
                       since, acct->show, acct->status);
    info_add_caps(p);
    room->state = ROOM_JOINING;
    if (!session_send(acct, p, &cause)) {
        room->state = ROOM_LEFT;
        room_say(acct, room->jid, true, "Cannot join %s: %s", room->jid,
                 cause);
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
        req_free(req);
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
            emit_room(acct, room, room->jid, ROOM_EV_ERROR, NULL, NULL, NULL,
                      line, true);
            g_free(line);
            req_free(req);
            return;
        }
        room->mam = false;
    }
    send_join(room);
    req_free(req);
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
        *cause = g_strdup_printf("%s is not connected: /connect first",
                                 acct->jid);
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
    req = req_new(acct, room_jid, NULL);
    ok = session_send_iq(acct, iq, on_room_info, req, cause);
    xmpp_stanza_release(iq);
    if (!ok) {
        room->state = ROOM_LEFT;
        req_free(req);
    }
    return ok;
}

/* The room of acct we are in (or joining) with JID room; else *cause. */
static struct room *
room_in(struct account *acct, const char *room_jid, char **cause)
{
    struct room *room = room_find(acct, room_jid);

    if (room == NULL || room->state == ROOM_LEFT) {
        *cause = g_strdup_printf("You are not in %s: /join %s", room_jid,
                                 room_jid);
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
        emit_room(acct, room, room->jid, ROOM_EV_LEFT, room->nick, NULL,
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
         char **cause)
{
    struct room *room = room_in(acct, room_jid, cause);
    xmpp_stanza_t *m;
    char *id;
    bool ok;

    if (room == NULL)
        return false;
    if (room->state != ROOM_JOINED) {
        *cause = g_strdup_printf("Still joining %s: wait a moment",
                                 room_jid);
        return false;
    }
    id = xmpp_uuid_gen(session_ctx());
    m = muc_message_build(session_ctx(), room->jid, body, id, false);
    xmpp_free(session_ctx(), id);
    ok = session_send(acct, m, cause);
    xmpp_stanza_release(m);
    session_kick();
    return ok;
}

/* Send a private message to occupant (room@service/nick). */
bool
muc_send_private(struct account *acct, const char *occupant,
                 const char *body, char **cause)
{
    char *room_jid = bare_of(occupant);
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
    m = muc_message_build(session_ctx(), occupant, body, id, true);
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
    struct room *room = room_in(acct, room_jid, cause);
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
    struct room *room = room_in(acct, room_jid, cause);
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

/* The room answered an admin or owner request: report how it went. */
static void
on_admin_reply(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct room_req *req = data;

    if (reply != NULL) {
        if (g_strcmp0(xmpp_stanza_get_type(reply), "result") == 0) {
            if (req->extra != NULL)
                room_say(acct, req->room, false, "%s", req->extra);
        } else {
            char *err = stanza_error_text(reply);
            const char *hint =
                strstr(err, "not-allowed") != NULL ||
                        strstr(err, "forbidden") != NULL
                    ? ": you lack the privileges for that"
                : strstr(err, "item-not-found") != NULL
                    ? ": no such occupant or room"
                    : "";
            room_say(acct, req->room, true, "Cannot %s in %s: %s%s",
                     req->what, req->room, err, hint);
            g_free(err);
        }
    }
    req_free(req);
}

/* Send iq to room; on_admin_reply reports with what and success text. */
static bool
room_request(struct account *acct, const char *room_jid, xmpp_stanza_t *iq,
             const char *what, const char *success, char **cause)
{
    struct room_req *req = req_new(acct, room_jid, what);
    bool ok;

    req->extra = g_strdup(success);
    ok = session_send_iq(acct, iq, on_admin_reply, req, cause);
    if (!ok)
        req_free(req);
    return ok;
}

/* Set a role (by nick) or affiliation (by jid) in room. */
bool
muc_admin(struct account *acct, const char *room_jid, const char *nick,
          const char *jid, const char *attr, const char *value,
          const char *reason, char **cause)
{
    struct room *room = room_in(acct, room_jid, cause);
    xmpp_stanza_t *iq;
    char *id, *what, *done;
    bool ok;

    if (room == NULL)
        return false;
    id = xmpp_uuid_gen(session_ctx());
    iq = muc_admin_set_build(session_ctx(), id, room->jid, nick, jid, attr,
                             value, reason);
    xmpp_free(session_ctx(), id);
    what = g_strdup_printf("set the %s of %s to %s", attr,
                           nick != NULL ? nick : jid, value);
    /* Role changes show as the occupant's presence; an affiliation may
     * concern someone absent, so say it went through. */
    done = jid != NULL ? g_strdup_printf("%s is now %s of %s", jid, value,
                                         room->jid)
                       : NULL;
    ok = room_request(acct, room->jid, iq, what, done, cause);
    g_free(done);
    g_free(what);
    xmpp_stanza_release(iq);
    return ok;
}

/* The room listed the JIDs with an affiliation. */
static void
on_affiliation_list(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct room_req *req = data;

    if (reply == NULL) {
        req_free(req);
        return;
    }
    if (g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0) {
        char *err = stanza_error_text(reply);
        room_say(acct, req->room, true, "Cannot list the %ss of %s: %s",
                 req->what, req->room, err);
        g_free(err);
    } else {
        GPtrArray *items = disco_items_parse(reply, NS_MUC_ADMIN);
        room_say(acct, req->room, false, "%u %s%s of %s%s", items->len,
                 req->what, items->len == 1 ? "" : "s", req->room,
                 items->len > 0 ? ":" : "");
        for (guint i = 0; i < items->len; i++) {
            struct disco_item *it = items->pdata[i];
            if (it->extra != NULL)
                room_say(acct, req->room, false, "  %s (%s)", it->jid,
                         it->extra);
            else
                room_say(acct, req->room, false, "  %s", it->jid);
        }
        g_ptr_array_unref(items);
    }
    req_free(req);
}

/* List the JIDs with affiliation in room. */
bool
muc_list_affiliation(struct account *acct, const char *room_jid,
                     const char *affiliation, char **cause)
{
    struct room *room = room_in(acct, room_jid, cause);
    struct room_req *req;
    xmpp_stanza_t *iq;
    char *id;
    bool ok;

    if (room == NULL)
        return false;
    id = xmpp_uuid_gen(session_ctx());
    iq = muc_affiliation_list_build(session_ctx(), id, room->jid,
                                    affiliation);
    xmpp_free(session_ctx(), id);
    req = req_new(acct, room->jid, affiliation);
    ok = session_send_iq(acct, iq, on_affiliation_list, req, cause);
    if (!ok)
        req_free(req);
    xmpp_stanza_release(iq);
    return ok;
}

/* Send the invitation req describes, direct or through the room. */
static void
send_invite(struct room_req *req, bool direct)
{
    struct room *room = room_find(req->acct, req->room);
    xmpp_stanza_t *m;
    char *cause = NULL;

    if (direct)
        m = muc_direct_invite_build(session_ctx(), req->room, req->extra,
                                    req->what,
                                    room != NULL ? room->password : NULL);
    else
        m = muc_invite_build(session_ctx(), req->room, req->extra, req->what);
    if (session_send(req->acct, m, &cause))
        room_say(req->acct, req->room, false, "Invited %s to %s%s",
                 req->extra, req->room,
                 direct ? "" : " (through the room)");
    else
        room_say(req->acct, req->room, true, "Cannot invite %s: %s",
                 req->extra, cause);
    g_free(cause);
    xmpp_stanza_release(m);
    session_kick();
}

/* The invitee's client said what it supports: invite it accordingly. */
static void
on_invitee_info(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct room_req *req = data;

    if (reply != NULL)
        send_invite(req,
                    g_strcmp0(xmpp_stanza_get_type(reply), "result") == 0 &&
                        disco_has_feature(reply, NS_CONFERENCE));
    req_free(req);
}

/* Invite jid to room, directly when its client supports that. */
bool
muc_invite(struct account *acct, const char *room_jid, const char *jid,
           const char *reason, char **cause)
{
    struct room *room = room_in(acct, room_jid, cause);
    struct contact *c;
    struct resource *best;
    struct room_req *req;

    if (room == NULL)
        return false;
    /* 'what' carries the reason and 'extra' the invitee. */
    req = req_new(acct, room->jid, reason);
    req->extra = g_strdup(jid);
    c = contact_find(acct, jid);
    best = c != NULL ? contact_best(c) : NULL;
    if (best != NULL && strchr(jid, '/') == NULL) {
        xmpp_stanza_t *iq;
        char *id = xmpp_uuid_gen(session_ctx());
        char *full = g_strdup_printf("%s/%s", jid, best->name);
        bool ok;
        iq = disco_get_build(session_ctx(), id, full, NS_DISCO_INFO);
        xmpp_free(session_ctx(), id);
        g_free(full);
        ok = session_send_iq(acct, iq, on_invitee_info, req, cause);
        xmpp_stanza_release(iq);
        if (!ok)
            req_free(req);
        return ok;
    }
    send_invite(req, false);
    req_free(req);
    return true;
}

/* One room of a /rooms listing answered disco#info. */
static void
on_listed_room(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct room_req *req = data;

    if (reply != NULL) {
        char *count = g_strcmp0(xmpp_stanza_get_type(reply), "result") == 0
                          ? disco_form_value(reply,
                                             "muc#roominfo_occupants")
                          : NULL;
        notice(acct, NOTICE_INFO, "  %s%s%s%s%s", req->room,
               req->what != NULL ? " - " : "",
               req->what != NULL ? req->what : "",
               count != NULL ? ", occupants: " : "",
               count != NULL ? count : "");
        g_free(count);
    }
    req_free(req);
}

/* The service listed its rooms: ask each for its occupant count. */
static void
on_room_list(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct room_req *req = data;
    GPtrArray *items;

    if (reply == NULL) {
        req_free(req);
        return;
    }
    if (g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0) {
        char *err = stanza_error_text(reply);
        notice(acct, NOTICE_ERROR, "Cannot list the rooms of %s: %s",
               req->room, err);
        g_free(err);
        req_free(req);
        return;
    }
    items = disco_items_parse(reply, NS_DISCO_ITEMS);
    notice(acct, NOTICE_INFO, "%u public room%s on %s%s", items->len,
           items->len == 1 ? "" : "s", req->room, items->len > 0 ? ":" : "");
    for (guint i = 0; i < items->len; i++) {
        struct disco_item *it = items->pdata[i];
        struct room_req *one = req_new(acct, it->jid, it->name);
        char *id = xmpp_uuid_gen(session_ctx()), *cause = NULL;
        xmpp_stanza_t *iq =
            disco_get_build(session_ctx(), id, it->jid, NS_DISCO_INFO);
        xmpp_free(session_ctx(), id);
        if (!session_send_iq(acct, iq, on_listed_room, one, &cause)) {
            g_free(cause);
            req_free(one);
        }
        xmpp_stanza_release(iq);
    }
    g_ptr_array_unref(items);
    req_free(req);
}

/* List the public rooms of service. */
bool
muc_list_rooms(struct account *acct, const char *service, char **cause)
{
    const char *svc = service != NULL ? service : acct->muc_service;
    struct room_req *req;
    xmpp_stanza_t *iq;
    char *id;
    bool ok;

    if (svc == NULL) {
        *cause = g_strdup_printf("No group chat service known for %s: "
                                 "/rooms SERVICE",
                                 acct->jid);
        return false;
    }
    id = xmpp_uuid_gen(session_ctx());
    iq = disco_get_build(session_ctx(), id, svc, NS_DISCO_ITEMS);
    xmpp_free(session_ctx(), id);
    req = req_new(acct, svc, NULL);
    ok = session_send_iq(acct, iq, on_room_list, req, cause);
    if (!ok)
        req_free(req);
    xmpp_stanza_release(iq);
    return ok;
}

/* Send an owner request to room, reporting success with success. */
static bool
owner_request(struct account *acct, const char *room_jid, bool destroy,
              const char *reason, const char *what, const char *success,
              char **cause)
{
    struct room *room = room_in(acct, room_jid, cause);
    xmpp_stanza_t *iq;
    char *id;
    bool ok;

    if (room == NULL)
        return false;
    id = xmpp_uuid_gen(session_ctx());
    iq = muc_owner_build(session_ctx(), id, room->jid, "set", destroy,
                         reason, !destroy);
    xmpp_free(session_ctx(), id);
    ok = room_request(acct, room->jid, iq, what, success, cause);
    xmpp_stanza_release(iq);
    return ok;
}

/* Accept the default configuration of a new, locked room. */
bool
muc_instant(struct account *acct, const char *room_jid, char **cause)
{
    struct room *room = room_find(acct, room_jid);

    if (room != NULL)
        room->locked = false; /* configured: a later cancel keeps it */
    return owner_request(acct, room_jid, false, NULL, "accept the defaults",
                         "The room is open, with its default settings",
                         cause);
}

/* Destroy room with an optional reason. */
bool
muc_destroy(struct account *acct, const char *room_jid, const char *reason,
            char **cause)
{
    return owner_request(acct, room_jid, true, reason, "destroy the room",
                         NULL, cause);
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

    if (reply == NULL ||
        g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0)
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
            send_join(room);
        }
    }
    g_ptr_array_unref(rooms);
}

/* Our own presence in room says we are out: record why. */
static void
self_out(struct account *acct, struct room *room,
         const struct muc_presence *p)
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
        text = g_strdup_printf(
            "the room was destroyed%s%s%s%s",
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
    emit_room(acct, room, room->jid, what, room->nick, NULL, p->actor, text,
              true);
    g_free(text);
}

/* Handle a presence from a room; true when it was one. */
bool
muc_handle_presence(xmpp_conn_t *conn, xmpp_stanza_t *st,
                    struct account *acct)
{
    struct muc_presence p;
    struct room *room;
    char *room_jid;
    bool self, is_new;
    struct occupant *o;

    if (!muc_presence_parse(st, &p))
        return false;
    room_jid = bare_of(p.room);
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
            emit_room(acct, room, room->jid, ROOM_EV_ERROR, p.nick, NULL,
                      NULL, line, true);
            g_free(line);
        }
        muc_presence_clear(&p);
        return true;
    }
    self = muc_presence_has(&p, 110) ||
           (room->state == ROOM_JOINING && g_strcmp0(p.nick, room->nick) == 0);
    if (p.unavailable) {
        if (muc_presence_has(&p, 303) && p.new_nick != NULL) {
            room_occupant_rename(room, p.nick, p.new_nick);
            if (self) {
                g_free(room->nick);
                room->nick = g_strdup(p.new_nick);
                g_free(room->nick_change);
                room->nick_change = NULL;
            }
            emit_room(acct, room, room->jid, ROOM_EV_NICK, p.nick,
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
                emit_room(acct, room, room->jid, what, p.nick, NULL,
                          p.actor,
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
            emit_room(acct, room, room->jid, ROOM_EV_JOINED, p.nick, NULL,
                      NULL, NULL, true);
            room->locked = muc_presence_has(&p, 201);
            if (room->locked)
                room_say(acct, room->jid, false,
                         "You created %s; if the service keeps new "
                         "rooms locked, /room accept-defaults opens it "
                         "with default settings and /room config "
                         "configures it",
                         room->jid);
            if (room->mam) {
                char *why = NULL;
                GPtrArray *last = history_last(acct, room->jid, 1, &why);
                long long since =
                    last != NULL && last->len > 0
                        ? ((struct history_row *)last->pdata[0])->time
                        : 0;
                if (last != NULL)
                    g_ptr_array_unref(last);
                g_free(why); /* no history: the newest page will do */
                room->catching_up = true;
                room_mam_page(acct, room->jid, NULL, since, 0);
            }
            room->joined_once = true;
        } else if (is_new) {
            emit_room(acct, room, room->jid,
                      room->state == ROOM_JOINED ? ROOM_EV_ENTER
                                                 : ROOM_EV_OCCUPANT,
                      p.nick, NULL, NULL, NULL, self);
        } else if (!is_new && (o->role != old_role ||
                               o->affiliation != old_aff)) {
            emit_room(acct, room, room->jid, ROOM_EV_ROLE, p.nick, NULL,
                      p.actor, p.reason, self);
        } else {
            emit_room(acct, room, room->jid, ROOM_EV_OCCUPANT, p.nick, NULL,
                      NULL, p.status, self);
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
            char *by = bare_of(xmpp_stanza_get_attribute(c, "by"));
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
        room->subject = text != NULL && text[0] != '\0' ? g_strdup(text)
                                                        : NULL;
        /* An empty subject on join is no news; clearing one is. */
        if (archive_id == NULL && !(was_empty && room->subject == NULL))
            emit_room(acct, room, room->jid, ROOM_EV_SUBJECT, nick, NULL,
                      NULL, room->subject, false);
        if (text != NULL)
            xmpp_free(session_ctx(), text);
    } else if (m.body != NULL && nick == NULL) {
        room_say(acct, room->jid, false, "%s", m.body); /* the room itself */
    } else if (m.body != NULL) {
        struct ev_message ev = {0};
        const char *sid = archive_id != NULL ? archive_id
                                             : room_stanza_id(st, room->jid);
        ev.acct = acct;
        ev.from = m.from;
        ev.peer = room->jid;
        ev.body = m.body;
        ev.id = sid != NULL ? sid : m.id;
        ev.kind = MESSAGE_GROUPCHAT;
        ev.nick = nick;
        ev.outgoing = room->nick != NULL && strcmp(nick, room->nick) == 0;
        ev.time = m.delay != 0 ? m.delay : archived_at;
        ev.replace_id = m.replace_id;
        ev.highlight = !ev.outgoing && ev.time == 0 &&
                       room_mentions(m.body, room->nick,
                                     settings_get("muc.highlight"));
        event_emit(EV_MESSAGE, &ev);
    } else {
        xmpp_stanza_t *x = xmpp_stanza_get_child_by_name_and_ns(st, "x",
                                                                NS_MUC_USER);
        /* Status codes about the room itself (XEP-0045 10.2.1 etc.). */
        for (xmpp_stanza_t *c = x != NULL ? xmpp_stanza_get_children(x)
                                          : NULL;
             c != NULL; c = xmpp_stanza_get_next(c)) {
            const char *code = xmpp_stanza_get_attribute(c, "code");
            if (g_strcmp0(xmpp_stanza_get_name(c), "status") != 0)
                continue;
            if (g_strcmp0(code, "104") == 0)
                room_say(acct, room->jid, false,
                         "The configuration of %s changed", room->jid);
            else if (g_strcmp0(code, "170") == 0)
                room_say(acct, room->jid, false, "%s is now logged",
                         room->jid);
            else if (g_strcmp0(code, "171") == 0)
                room_say(acct, room->jid, false, "%s is no longer logged",
                         room->jid);
        }
    }
    msg_clear(&m);
}

/* Handle a message from or about a room; true when it was one. */
bool
muc_handle_message(xmpp_conn_t *conn, xmpp_stanza_t *st,
                   struct account *acct)
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
        char *rj = bare_of(inv.room);
        if (rj != NULL)
            emit_room(acct, room_find(acct, rj), rj, ROOM_EV_INVITE, NULL,
                      NULL, inv.from, inv.reason, false);
        g_free(rj);
        muc_invite_clear(&inv);
        return true;
    }
    room_jid = bare_of(from);
    room = room_jid != NULL ? room_find(acct, room_jid) : NULL;
    g_free(room_jid);
    if (room == NULL)
        return g_strcmp0(type, "groupchat") == 0; /* no room of ours */
    result = xmpp_stanza_get_child_by_name_and_ns(st, "result", NS_MAM);
    if (result != NULL && strchr(from, '/') == NULL) {
        xmpp_stanza_t *fwd = xmpp_stanza_get_child_by_name_and_ns(
            result, "forwarded", NS_FORWARD);
        xmpp_stanza_t *inner =
            fwd != NULL ? xmpp_stanza_get_child_by_name(fwd, "message")
                        : NULL;
        xmpp_stanza_t *delay =
            fwd != NULL
                ? xmpp_stanza_get_child_by_name_and_ns(fwd, "delay", NS_DELAY)
                : NULL;
        const char *ifrom = inner != NULL ? xmpp_stanza_get_from(inner) : NULL;
        char *inner_room = bare_of(ifrom);
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
        room_say(acct, room->jid, true, "%s refused a message: %s%s",
                 room->jid, err,
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
            room_say(acct, room->jid, false, "%s", m.body);
        msg_clear(&m);
    }
    return true;
}

/* A page of the room archive answered: ask for the next, or stop. */
static void
on_room_mam(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct room_req *req = data;
    xmpp_stanza_t *fin, *set, *last;
    char *last_text = NULL;

    if (reply == NULL || g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0) {
        struct room *room = room_find(acct, req->room);
        if (room != NULL)
            room->catching_up = false;
    }
    if (reply == NULL) {
        req_free(req);
        return;
    }
    if (g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0) {
        char *err = stanza_error_text(reply);
        room_say(acct, req->room, true, "Cannot fetch the history of %s: %s",
                 req->room, err);
        g_free(err);
        req_free(req);
        return;
    }
    fin = xmpp_stanza_get_child_by_name_and_ns(reply, "fin", NS_MAM);
    set = fin != NULL ? xmpp_stanza_get_child_by_name(fin, "set") : NULL;
    last = set != NULL ? xmpp_stanza_get_child_by_name(set, "last") : NULL;
    if (last != NULL)
        last_text = xmpp_stanza_get_text(last);
    /* A first join fetched the newest page only: nothing to continue. */
    if (req->extra != NULL && fin != NULL &&
        g_strcmp0(xmpp_stanza_get_attribute(fin, "complete"), "true") != 0 &&
        last_text != NULL && req->page + 1 < ROOM_MAM_PAGES) {
        room_mam_page(acct, req->room, last_text, 0, req->page + 1);
    } else {
        struct room *room = room_find(acct, req->room);
        if (room != NULL)
            room->catching_up = false; /* scroll-back may ask from now on */
    }
    if (last_text != NULL)
        xmpp_free(session_ctx(), last_text);
    req_free(req);
}

/*
 * Ask room's archive for a page: after archive id after, or from unix
 * time start, or (neither) the newest page.
 */
static void
room_mam_page(struct account *acct, const char *room_jid, const char *after,
              long long start, unsigned int page)
{
    xmpp_ctx_t *ctx = session_ctx();
    char *id = xmpp_uuid_gen(ctx), *cause = NULL;
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "set", id), *query;
    GString *xml = g_string_new(NULL);
    struct room_req *req = req_new(acct, room_jid, NULL);

    g_string_append_printf(xml,
                           "<query xmlns='%s'><x xmlns='jabber:x:data' "
                           "type='submit'><field var='FORM_TYPE' "
                           "type='hidden'><value>%s</value></field>",
                           NS_MAM, NS_MAM);
    if (start > 0) {
        GDateTime *dt = g_date_time_new_from_unix_utc(start);
        char *s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
        g_string_append_printf(xml, "<field var='start'><value>%s</value>"
                                    "</field>",
                               s);
        g_free(s);
        g_date_time_unref(dt);
    }
    g_string_append_printf(xml, "</x><set xmlns='http://jabber.org/protocol/"
                                "rsm'><max>%d</max>",
                           ROOM_MAM_PAGE);
    if (after != NULL) {
        char *esc = g_markup_escape_text(after, -1);
        g_string_append_printf(xml, "<after>%s</after>", esc);
        g_free(esc);
    } else if (start == 0) {
        g_string_append(xml, "<before/>"); /* the newest page */
    }
    g_string_append(xml, "</set></query>");
    /* Only a catch-up from a stored position goes on to later pages. */
    if (after != NULL || start > 0)
        req->extra = g_strdup("continue");
    req->page = page;
    query = xmpp_stanza_new_from_string(ctx, xml->str);
    g_string_free(xml, TRUE);
    xmpp_stanza_set_to(iq, room_jid);
    if (query != NULL) {
        xmpp_stanza_add_child(iq, query);
        xmpp_stanza_release(query);
        if (!session_send_iq(acct, iq, on_room_mam, req, &cause)) {
            g_free(cause);
            req_free(req);
        }
    } else {
        req_free(req);
    }
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
}

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
        req_free(req);
        return;
    }
    room_say(acct, room->jid, false, "Lost the join of %s; joining again",
             room->jid);
    room_clear_occupants(room);
    send_join(room);
    req_free(req);
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
            req = req_new(acct, room->jid, NULL);
            if (session_send_iq(acct, iq, on_self_ping, req, &cause)) {
                room->muc_ping_sent = true;
            } else {
                g_free(cause);
                req_free(req);
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
static void
update_ping_timer(void)
{
    int interval = settings_int("muc.ping");
    bool want = interval > 0 && any_room_joined();

    if (want && ping_timer == 0)
        ping_timer = g_timeout_add_seconds((guint)interval, on_ping_timer,
                                           NULL);
    else if (!want && ping_timer != 0) {
        g_source_remove(ping_timer);
        ping_timer = 0;
    }
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
                emit_room(ev->acct, room, room->jid, ROOM_EV_LEFT, room->nick,
                          NULL, NULL,
                          room->wanted ? "disconnected; natter rejoins when "
                                         "the account is back"
                                       : "disconnected",
                          true);
        }
        g_ptr_array_unref(rooms);
    } else if (type == EV_SETTING) {
        const struct ev_setting *ev = payload;
        if (strcmp(ev->name, "muc.ping") != 0)
            return;
        if (ping_timer != 0)
            g_source_remove(ping_timer);
        ping_timer = 0;
    } else if (type == EV_ROOM) {
        const struct ev_room *ev = payload;
        /* Only our own comings and goings change whether to ping: the
         * thousands of occupant presences of a big room do not. */
        if (!ev->self)
            return;
    }
    update_ping_timer();
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
    if (ping_timer != 0)
        g_source_remove(ping_timer);
    ping_timer = 0;
}
