/* SPDX-License-Identifier: MIT */
/*
 * What rooms send us (XEP-0045): occupant presences, and the parts of
 * room messages that are not lines of talk (subjects, errors, the room's
 * own notices and status codes, invitations). Lines of talk go through
 * the message pipeline (xmpp/message.c), which calls in here for the rest.
 */
#include "xmpp/muc.h"

#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/format-args.h"
#include "core/room.h"
#include "core/settings.h"
#include "xmpp/jid.h"
#include "xmpp/muc-internal.h"
#include "xmpp/muc-stanza.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

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
                muc_say_fmt(acct, room->jid, false, FMT_ROOM_CREATED,
                            room->jid, NULL);
            if (room->mam) {
                room->catching_up = true;
                muc_archive_fetch(acct, room->jid, NULL,
                                  muc_newest_stored(room), 0);
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

/* An invitation to a room in st (XEP-0249 or XEP-0045 mediated): tell
 * the user; true when st was one. */
bool
muc_receive_invite(struct account *acct, xmpp_stanza_t *st)
{
    struct muc_invite inv;
    char *rj;

    if (!muc_invite_parse(st, &inv))
        return false;
    rj = muc_bare(inv.room);
    if (rj != NULL)
        muc_emit_room(acct, room_find(acct, rj), rj, ROOM_EV_INVITE, NULL,
                      NULL, inv.from, inv.reason, false);
    g_free(rj);
    muc_invite_clear(&inv);
    return true;
}

/* A message of type error from room: say it refused what we sent. */
void
muc_receive_error(struct account *acct, struct room *room, xmpp_stanza_t *st)
{
    char *err = stanza_error_text(st);

    /* Without the room's own words, say the likely cause. */
    muc_say_fmt(acct, room->jid, true,
                strcmp(err, "forbidden") == 0 ? FMT_ROOM_REFUSED_VOICE
                                              : FMT_ROOM_REFUSED,
                room->jid, err, NULL);
    g_free(err);
}

/* A subject in st (a groupchat message of room without a body): apply it,
 * and announce it unless it came from the archive; true when it was one. */
bool
muc_receive_subject(struct account *acct, struct room *room, xmpp_stanza_t *st,
                    const char *nick, bool archived)
{
    xmpp_stanza_t *subject = xmpp_stanza_get_child_by_name(st, "subject");
    char *text;
    bool was_empty = room->subject == NULL;

    if (subject == NULL || xmpp_stanza_get_child_by_name(st, "body") != NULL)
        return false;
    text = xmpp_stanza_get_text(subject);
    g_free(room->subject);
    room->subject = text != NULL && text[0] != '\0' ? g_strdup(text) : NULL;
    /* An empty subject on join is no news; clearing one is. */
    if (!archived && !(was_empty && room->subject == NULL))
        muc_emit_room(acct, room, room->jid, ROOM_EV_SUBJECT, nick, NULL, NULL,
                      room->subject, false);
    if (text != NULL)
        xmpp_free(xmpp_stanza_get_context(st), text);
    return true;
}

/* The room itself speaks (a body with no nick): a line in its window. */
void
muc_receive_notice(struct account *acct, struct room *room, const char *text)
{
    muc_say_fmt(acct, room->jid, false, FMT_TEXT, text, NULL);
}

/* Emit a ROOM_EV_LINE (an error line with error): sentence id with the
 * string arguments that follow, up to a NULL. */
void
muc_say_fmt(struct account *acct, const char *room_jid, bool error,
            enum format_id id, ...)
{
    GPtrArray *args;
    struct ev_room_line ev = {.base = {.acct = acct,
                                       .room = room_find(acct, room_jid),
                                       .room_jid = room_jid,
                                       .what = ROOM_EV_LINE},
                              .error = error,
                              .fmt = id};
    va_list ap;

    va_start(ap, id);
    args = format_args_collect(ap);
    va_end(ap);
    ev.args = (const char *const *)args->pdata;
    event_emit(EV_ROOM, &ev);
    g_ptr_array_free(args, TRUE);
}

/* Status codes about room itself in a message without a body (XEP-0045
 * 10.2.1 and others). */
void
muc_receive_status(struct account *acct, struct room *room, xmpp_stanza_t *st)
{
    xmpp_stanza_t *x =
        xmpp_stanza_get_child_by_name_and_ns(st, "x", NS_MUC_USER);

    for (xmpp_stanza_t *c = x != NULL ? xmpp_stanza_get_children(x) : NULL;
         c != NULL; c = xmpp_stanza_get_next(c)) {
        const char *code = xmpp_stanza_get_attribute(c, "code");
        if (g_strcmp0(xmpp_stanza_get_name(c), "status") != 0)
            continue;
        if (g_strcmp0(code, "104") == 0)
            muc_say_fmt(acct, room->jid, false, FMT_ROOM_CONFIG_CHANGED,
                        room->jid, NULL);
        else if (g_strcmp0(code, "170") == 0)
            muc_say_fmt(acct, room->jid, false, FMT_ROOM_LOGGED, room->jid,
                        NULL);
        else if (g_strcmp0(code, "171") == 0)
            muc_say_fmt(acct, room->jid, false, FMT_ROOM_UNLOGGED, room->jid,
                        NULL);
    }
}

/* The XEP-0359 stanza-id room gave message st (borrowed), NULL if none. */
const char *
muc_stanza_id(xmpp_stanza_t *st, const char *room)
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
