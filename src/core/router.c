/* SPDX-License-Identifier: MIT */
#include "core/router.h"

#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/room.h"
#include "core/settings.h"
#include "core/window.h"

/* Show a message in its chat window, opening it on first contact. */
static void
on_message(enum event_type type, const void *payload, void *data)
{
    const struct message *ev = payload;
    struct window *w;
    struct line *line;
    const char *sender;
    bool room_ids;

    /* An older archive page goes to the store; the window pages it in. */
    if (ev->backfill)
        return;
    if (ev->kind == MESSAGE_ERROR) {
        w = window_find_chat(ev->acct, ev->peer);
        if (w == NULL)
            w = window_console();
        window_printf(w, LINE_ERROR, "Message to %s failed: %s", ev->peer,
                      ev->body != NULL ? ev->body : "unknown error");
        return;
    }
    if (ev->kind == MESSAGE_GROUPCHAT)
        w = window_get(ev->acct, WINDOW_ROOM, ev->peer);
    else if (ev->muc_private)
        w = window_get(ev->acct, WINDOW_PRIVATE, ev->peer);
    else
        w = window_get_chat(ev->acct, ev->peer);
    if (ev->nick != NULL)
        sender = ev->nick;
    else
        sender = ev->outgoing ? ev->acct->jid : ev->peer;
    /* Writing from a jump view (/search open) goes back to the live end,
     * where the message shows. */
    if (w->detached && ev->outgoing && !ev->carbon)
        window_attach(w);
    /* A correction replaces the line it corrects, if it is still there. */
    if (ev->replace_id != NULL &&
        window_replace_text(w, ev->replace_id, sender, ev->body))
        return;
    /* The same message twice (offline delivery and the archive, stored
     * history and a resend): show it once. */
    if (ev->id != NULL && ev->replace_id == NULL) {
        const struct line *seen = window_find_line(w, ev->id);
        /* Room lines are named by the room's id (see below). */
        if (seen == NULL && ev->archive_id != NULL &&
            ev->kind == MESSAGE_GROUPCHAT)
            seen = window_find_line(w, ev->archive_id);
        if (seen != NULL && g_strcmp0(seen->sender, sender) == 0 &&
            g_strcmp0(seen->text, ev->body) == 0)
            return;
    }
    /* RFC 6121 5.1: answer the resource that wrote, until its presence
     * changes. */
    if (!ev->outgoing && !ev->carbon && ev->kind == MESSAGE_CHAT &&
        !ev->muc_private && ev->from != NULL && strchr(ev->from, '/') != NULL) {
        g_free(w->locked);
        w->locked = g_strdup(strchr(ev->from, '/') + 1);
    }
    /* A room line is named by the room's id, as it is stored (senders
     * may repeat each other's ids); the sender's id stays for its
     * corrections. */
    room_ids = ev->kind == MESSAGE_GROUPCHAT && ev->archive_id != NULL;
    line = window_add_message(
        w, ev->outgoing ? LINE_OWN : LINE_MESSAGE, ev->time, sender, ev->body,
        room_ids ? ev->archive_id : ev->id,
        (ev->pending ? LINE_PENDING : 0) | (ev->carbon ? LINE_CARBON : 0) |
            (ev->replace_id != NULL ? LINE_EDITED : 0) |
            (ev->highlight ? LINE_HIGHLIGHT : 0) |
            (ev->held ? LINE_HELD : 0) | LINE_PROTECTION(ev->protection));
    if (room_ids && ev->id != NULL && strcmp(ev->id, ev->archive_id) != 0)
        window_set_alt_id(w, line, ev->id);
}

/* Whether joins and leaves are worth a line in room (muc.joins). */
static bool
show_joins(const struct room *room)
{
    int max = settings_int("muc.joins.max");

    if (!settings_bool("muc.joins"))
        return false;
    return room == NULL || max == 0 ||
           g_hash_table_size(room->occupants) <= (guint)max;
}

/* " by ACTOR" and ": REASON" parts of a kick or ban line; caller frees. */
static char *
by_and_why(const struct ev_room *ev)
{
    return g_strdup_printf("%s%s%s%s", ev->actor != NULL ? " by " : "",
                           ev->actor != NULL ? ev->actor : "",
                           ev->text != NULL && ev->text[0] ? ": " : "",
                           ev->text != NULL && ev->text[0] ? ev->text : "");
}

/* Show what happened in a room as a line in its window. */
static void
on_room(enum event_type type, const void *payload, void *data)
{
    const struct ev_room *ev = payload;
    struct room *room = ev->room;
    struct window *w;
    struct occupant *o;
    unsigned int n;
    char *why;

    if (ev->what == ROOM_EV_INVITE) {
        window_printf(window_console(), LINE_INFO,
                      "%s invites you to %s%s%s: /join %s to accept",
                      ev->actor != NULL ? ev->actor : "someone", ev->room_jid,
                      ev->text != NULL && ev->text[0] ? " - " : "",
                      ev->text != NULL ? ev->text : "", ev->room_jid);
        return;
    }
    if (ev->what == ROOM_EV_OCCUPANT)
        return; /* the occupants pane shows it */
    /* Comings and goings do not reopen a window the user closed. */
    if (ev->what == ROOM_EV_LEFT || ev->what == ROOM_EV_ENTER ||
        ev->what == ROOM_EV_EXIT || ev->what == ROOM_EV_NICK ||
        ev->what == ROOM_EV_ROLE) {
        w = window_find(ev->acct, WINDOW_ROOM, ev->room_jid);
        if (w == NULL)
            return;
    } else {
        w = window_get(ev->acct, WINDOW_ROOM, ev->room_jid);
    }
    why = by_and_why(ev);
    switch (ev->what) {
    case ROOM_EV_JOINED:
        n = room != NULL ? g_hash_table_size(room->occupants) : 0;
        window_printf(w, LINE_INFO, "You joined %s as %s (%u occupant%s)",
                      ev->room_jid, ev->nick, n, n == 1 ? "" : "s");
        break;
    case ROOM_EV_LEFT:
        window_printf(w, LINE_INFO, "You left %s%s%s", ev->room_jid,
                      ev->text != NULL ? ": " : "",
                      ev->text != NULL ? ev->text : "");
        break;
    case ROOM_EV_ENTER:
        if (show_joins(room))
            window_printf(w, LINE_INFO, "%s joined", ev->nick);
        break;
    case ROOM_EV_EXIT:
        if (show_joins(room))
            window_printf(w, LINE_INFO, "%s left%s%s", ev->nick,
                          ev->text != NULL && ev->text[0] ? ": " : "",
                          ev->text != NULL ? ev->text : "");
        break;
    case ROOM_EV_NICK:
        if (ev->self)
            window_printf(w, LINE_INFO, "You are now known as %s",
                          ev->new_nick);
        else if (show_joins(room))
            window_printf(w, LINE_INFO, "%s is now known as %s", ev->nick,
                          ev->new_nick);
        break;
    case ROOM_EV_KICKED:
    case ROOM_EV_BANNED:
        if (ev->self)
            window_printf(w, LINE_ERROR, "You were %s from %s%s%s",
                          ev->what == ROOM_EV_KICKED ? "kicked" : "banned",
                          ev->room_jid, why,
                          ev->what == ROOM_EV_KICKED ? " (/join to return)"
                                                     : "");
        else
            window_printf(w, LINE_INFO, "%s was %s%s", ev->nick,
                          ev->what == ROOM_EV_KICKED ? "kicked" : "banned",
                          why);
        break;
    case ROOM_EV_REMOVED:
        if (ev->self)
            window_printf(w, LINE_ERROR, "You are out of %s: %s",
                          ev->room_jid,
                          ev->text != NULL ? ev->text : "removed");
        else
            window_printf(w, LINE_INFO, "%s was removed%s", ev->nick, why);
        break;
    case ROOM_EV_ROLE:
        o = room != NULL ? room_occupant(room, ev->nick) : NULL;
        if (o != NULL)
            window_printf(w, LINE_INFO, "%s is now %s (%s)%s",
                          ev->self ? "You" : ev->nick,
                          room_role_name(o->role),
                          room_affiliation_name(o->affiliation), why);
        break;
    case ROOM_EV_SUBJECT:
        if (ev->text != NULL && ev->nick != NULL)
            window_printf(w, LINE_INFO, "Topic: %s (set by %s)", ev->text,
                          ev->nick);
        else if (ev->text != NULL)
            window_printf(w, LINE_INFO, "Topic: %s", ev->text);
        else
            window_printf(w, LINE_INFO, "The topic is empty");
        break;
    case ROOM_EV_ERROR:
        window_add_line(w, LINE_ERROR, 0, NULL, ev->text);
        break;
    case ROOM_EV_INFO:
        window_add_line(w, LINE_INFO, 0, NULL, ev->text);
        break;
    case ROOM_EV_OCCUPANT:
    case ROOM_EV_INVITE:
        break;
    }
    g_free(why);
}

/* A displayed marker arrived: our messages up to it were read. */
static void
on_displayed(enum event_type type, const void *payload, void *data)
{
    const struct ev_receipt *ev = payload;
    struct window *w = window_find_chat(ev->acct, ev->peer);

    if (w != NULL)
        window_mark_read(w, ev->id);
}

/* A receipt arrived: mark our message delivered. */
static void
on_receipt(enum event_type type, const void *payload, void *data)
{
    const struct ev_receipt *ev = payload;
    struct window *w = window_find_chat(ev->acct, ev->peer);

    if (w != NULL)
        window_mark_delivered(w, ev->id);
}

/* A queued message went out: drop its pending mark. */
static void
on_message_sent(enum event_type type, const void *payload, void *data)
{
    const struct ev_message_sent *ev = payload;
    struct window *w = window_find_chat(ev->acct, ev->to);

    if (w != NULL)
        window_mark_sent(w, ev->id);
}

/* Report connection changes in the console. */
static void
on_account_state(enum event_type type, const void *payload, void *data)
{
    const struct ev_account_state *ev = payload;
    struct account *acct = ev->acct;
    struct window *con = window_console();

    switch (ev->state) {
    case ACCOUNT_CONNECTING:
        window_printf(con, LINE_INFO, "Connecting to %s", acct->jid);
        break;
    case ACCOUNT_ONLINE:
        window_printf(con, LINE_INFO, "Connected as %s/%s", acct->jid,
                      acct->resource != NULL ? acct->resource : "");
        break;
    case ACCOUNT_DISCONNECTING:
        break;
    case ACCOUNT_OFFLINE:
        if (ev->reason != NULL)
            window_printf(con, ev->retrying ? LINE_INFO : LINE_ERROR, "%s",
                          ev->reason);
        else
            window_printf(con, LINE_INFO, "Disconnected from %s", acct->jid);
        break;
    }
}

/* Report a contact's new overall presence in the console. */
static void
on_presence(enum event_type type, const void *payload, void *data)
{
    const struct ev_presence *ev = payload;
    struct window *w;
    struct contact *c;
    struct resource *best;

    /* Any presence of the contact ends the lock on one resource. */
    w = window_find_chat(ev->acct, ev->bare);
    if (w != NULL && w->locked != NULL) {
        g_free(w->locked);
        w->locked = NULL;
    }
    if (!ev->changed_best)
        return;
    c = contact_find(ev->acct, ev->bare);
    if (c == NULL)
        return;
    best = contact_best(c);
    if (best != NULL && best->status != NULL && best->status[0] != '\0')
        window_printf(window_console(), LINE_INFO, "%s is now %s (%s)",
                      c->jid, best->show, best->status);
    else
        window_printf(window_console(), LINE_INFO, "%s is now %s", c->jid,
                      contact_show(c));
}

/* Show a notice where the user is looking, unless it concerns another
 * account, in which case it goes to the console. */
static void
on_notice(enum event_type type, const void *payload, void *data)
{
    const struct ev_notice *ev = payload;
    struct window *w = window_current();

    if ((ev->acct != NULL && w->acct != ev->acct) ||
        ev->level == NOTICE_STATUS)
        w = window_console();
    window_add_line(w, ev->level == NOTICE_ERROR ? LINE_ERROR : LINE_INFO, 0,
                    NULL, ev->text);
}

/* Start routing protocol events into windows. */
void
router_init(void)
{
    event_subscribe(EV_MESSAGE, on_message, NULL);
    event_subscribe(EV_MESSAGE_SENT, on_message_sent, NULL);
    event_subscribe(EV_RECEIPT, on_receipt, NULL);
    event_subscribe(EV_DISPLAYED, on_displayed, NULL);
    event_subscribe(EV_ACCOUNT_STATE, on_account_state, NULL);
    event_subscribe(EV_PRESENCE, on_presence, NULL);
    event_subscribe(EV_NOTICE, on_notice, NULL);
    event_subscribe(EV_ROOM, on_room, NULL);
}

/* Stop routing. */
void
router_deinit(void)
{
    event_unsubscribe(EV_MESSAGE, on_message, NULL);
    event_unsubscribe(EV_MESSAGE_SENT, on_message_sent, NULL);
    event_unsubscribe(EV_RECEIPT, on_receipt, NULL);
    event_unsubscribe(EV_DISPLAYED, on_displayed, NULL);
    event_unsubscribe(EV_ACCOUNT_STATE, on_account_state, NULL);
    event_unsubscribe(EV_PRESENCE, on_presence, NULL);
    event_unsubscribe(EV_NOTICE, on_notice, NULL);
    event_unsubscribe(EV_ROOM, on_room, NULL);
}
