/* SPDX-License-Identifier: MIT */
#include "ui/lines.h"

#include <stdarg.h>
#include <string.h>

#include "core/account.h"
#include "core/e2e.h"
#include "core/event.h"
#include "core/format-args.h"
#include "core/room.h"
#include "core/settings.h"
#include "core/window.h"
#include "ui/formats.h"

/* Add a line of kind to w: sentence id with the string arguments that
 * follow, up to a NULL. */
static void __attribute__((sentinel))
say(struct window *w, enum line_kind kind, enum format_id id, ...)
{
    GPtrArray *args;
    va_list ap;
    char *text;

    va_start(ap, id);
    args = format_args_collect(ap);
    va_end(ap);
    text = formats_expandv(id, (const char *const *)args->pdata);
    window_add_line(w, kind, 0, NULL, text);
    g_free(text);
    g_ptr_array_free(args, TRUE);
}

/* The text of sentence id with one argument; caller frees. */
static char *
text1(enum format_id id, const char *arg)
{
    return formats_text(id, arg, NULL);
}

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
        char *unknown = text1(FMT_UNKNOWN_ERROR, NULL);
        say(w, LINE_ERROR, FMT_MESSAGE_FAILED, ev->peer,
            ev->body != NULL ? ev->body : unknown, NULL);
        g_free(unknown);
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
        window_replace_message(w, ev->replace_id, sender, ev->body,
                               ev->protection))
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
        !ev->muc_private && ev->from != NULL &&
        strchr(ev->from, '/') != NULL) {
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
            (ev->highlight ? LINE_HIGHLIGHT : 0) | (ev->held ? LINE_HELD : 0) |
            LINE_PROTECTION(ev->protection));
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
    char *by =
        ev->actor != NULL ? text1(FMT_ROOM_BY, ev->actor) : g_strdup("");
    char *why = ev->text != NULL && ev->text[0]
                    ? text1(FMT_ROOM_REASON, ev->text)
                    : g_strdup("");
    char *both = g_strconcat(by, why, NULL);

    g_free(by);
    g_free(why);
    return both;
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
    char *why, *count, *text;

    if (ev->what == ROOM_EV_INVITE) {
        char *someone = text1(FMT_SOMEONE, NULL);
        const char *who = ev->actor != NULL ? ev->actor : someone;
        if (ev->text != NULL && ev->text[0])
            say(window_console(), LINE_INFO, FMT_ROOM_INVITE_REASON, who,
                ev->room_jid, ev->text, NULL);
        else
            say(window_console(), LINE_INFO, FMT_ROOM_INVITE, who,
                ev->room_jid, NULL);
        g_free(someone);
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
        count = g_strdup_printf("%u", n);
        say(w, LINE_INFO, n == 1 ? FMT_ROOM_JOINED_ONE : FMT_ROOM_JOINED,
            ev->room_jid, ev->nick != NULL ? ev->nick : "", count, NULL);
        g_free(count);
        break;
    case ROOM_EV_LEFT:
        if (ev->text != NULL)
            say(w, LINE_INFO, FMT_ROOM_LEFT_REASON, ev->room_jid, ev->text,
                NULL);
        else
            say(w, LINE_INFO, FMT_ROOM_LEFT, ev->room_jid, NULL);
        break;
    case ROOM_EV_ENTER:
        if (show_joins(room))
            say(w, LINE_INFO, FMT_ROOM_ENTER, ev->nick, NULL);
        break;
    case ROOM_EV_EXIT:
        if (!show_joins(room))
            break;
        if (ev->text != NULL && ev->text[0])
            say(w, LINE_INFO, FMT_ROOM_EXIT_REASON, ev->nick, ev->text, NULL);
        else
            say(w, LINE_INFO, FMT_ROOM_EXIT, ev->nick, NULL);
        break;
    case ROOM_EV_NICK:
        if (ev->self)
            say(w, LINE_INFO, FMT_ROOM_NICK_SELF, ev->new_nick, NULL);
        else if (show_joins(room))
            say(w, LINE_INFO, FMT_ROOM_NICK, ev->nick,
                ev->new_nick != NULL ? ev->new_nick : "", NULL);
        break;
    case ROOM_EV_KICKED:
    case ROOM_EV_BANNED:
        if (ev->self)
            say(w, LINE_ERROR,
                ev->what == ROOM_EV_KICKED ? FMT_ROOM_KICKED_SELF
                                           : FMT_ROOM_BANNED_SELF,
                ev->room_jid, why, NULL);
        else
            say(w, LINE_INFO,
                ev->what == ROOM_EV_KICKED ? FMT_ROOM_KICKED : FMT_ROOM_BANNED,
                ev->nick != NULL ? ev->nick : "", why, NULL);
        break;
    case ROOM_EV_REMOVED:
        if (ev->self) {
            char *removed = text1(FMT_ROOM_REMOVED_NO_WHY, NULL);
            say(w, LINE_ERROR, FMT_ROOM_REMOVED_SELF, ev->room_jid,
                ev->text != NULL ? ev->text : removed, NULL);
            g_free(removed);
        } else {
            say(w, LINE_INFO, FMT_ROOM_REMOVED,
                ev->nick != NULL ? ev->nick : "", why, NULL);
        }
        break;
    case ROOM_EV_ROLE:
        o = room != NULL ? room_occupant(room, ev->nick) : NULL;
        if (o != NULL && ev->self)
            say(w, LINE_INFO, FMT_ROOM_ROLE_SELF, room_role_name(o->role),
                room_affiliation_name(o->affiliation), why, NULL);
        else if (o != NULL)
            say(w, LINE_INFO, FMT_ROOM_ROLE, ev->nick != NULL ? ev->nick : "",
                room_role_name(o->role), room_affiliation_name(o->affiliation),
                why, NULL);
        break;
    case ROOM_EV_SUBJECT:
        if (ev->text != NULL && ev->nick != NULL)
            say(w, LINE_INFO, FMT_ROOM_TOPIC_BY, ev->text, ev->nick, NULL);
        else if (ev->text != NULL)
            say(w, LINE_INFO, FMT_ROOM_TOPIC, ev->text, NULL);
        else
            say(w, LINE_INFO, FMT_ROOM_TOPIC_EMPTY, NULL);
        break;
    case ROOM_EV_ERROR:
        window_add_line(w, LINE_ERROR, 0, NULL, ev->text);
        break;
    case ROOM_EV_INFO:
        window_add_line(w, LINE_INFO, 0, NULL, ev->text);
        break;
    case ROOM_EV_LINE: {
        const struct ev_room_line *rl = (const struct ev_room_line *)ev;
        text = formats_expandv(rl->fmt, rl->args);
        window_add_line(w, rl->error ? LINE_ERROR : LINE_INFO, 0, NULL, text);
        g_free(text);
        break;
    }
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

/* A line about a conversation's encryption, in its chat window; a
 * change of state alone only redraws (the title bar shows it). */
static void
on_e2e(enum event_type type, const void *payload, void *data)
{
    const struct ev_e2e *ev = payload;
    struct window *w;

    if (ev->what < 0) {
        w = window_find_chat(ev->acct, ev->peer);
        if (w != NULL)
            window_changed(w);
        return;
    }
    w = window_get_chat(ev->acct, ev->peer);
    say(w,
        ev->what == FMT_OTR_ERROR || ev->what == FMT_OTR_PEER_ERROR ||
                ev->what == FMT_OTR_UNENCRYPTED ||
                ev->what == FMT_OTR_SMP_FAILURE
            ? LINE_ERROR
            : LINE_INFO,
        (enum format_id)ev->what, ev->peer, ev->arg1 != NULL ? ev->arg1 : "",
        ev->arg2 != NULL ? ev->arg2 : "", NULL);
}

/* The sentence that says why a connection ended; caller frees. */
char *
lines_offline_text(const struct offline_why *why)
{
    /* For each reason: its sentence, and which fields fill $0, $1, $2
     * (h host, j JID, d detail, x extra). */
    static const struct {
        enum offline_reason reason;
        enum format_id fmt, fmt_extra; /* fmt_extra: when extra is set */
        const char *fields;
    } map[] = {
        {OFFLINE_TEXT, FMT_TEXT, FMT_TEXT, "d"},
        {OFFLINE_CONNECT_FAILED, FMT_OFFLINE_CONNECT_FAILED,
         FMT_OFFLINE_CONNECT_FAILED, "hjd"},
        {OFFLINE_NO_ADDRESS, FMT_OFFLINE_NO_ADDRESS, FMT_OFFLINE_NO_ADDRESS,
         "hj"},
        {OFFLINE_SETUP_TIMEOUT, FMT_OFFLINE_SETUP_TIMEOUT,
         FMT_OFFLINE_SETUP_TIMEOUT, "hjd"},
        {OFFLINE_SETUP_CUT, FMT_OFFLINE_SETUP_CUT, FMT_OFFLINE_SETUP_CUT,
         "hjd"},
        {OFFLINE_CERT_REFUSED, FMT_OFFLINE_CERT_REFUSED,
         FMT_OFFLINE_CERT_REFUSED, "hjd"},
        {OFFLINE_LOGIN_FAILED, FMT_OFFLINE_LOGIN_FAILED,
         FMT_OFFLINE_LOGIN_FAILED, "jd"},
        {OFFLINE_LOST, FMT_OFFLINE_LOST, FMT_OFFLINE_LOST, "jd"},
        {OFFLINE_NO_TLS, FMT_OFFLINE_NO_TLS, FMT_OFFLINE_NO_TLS, "hjd"},
        {OFFLINE_STREAM_ERROR, FMT_OFFLINE_STREAM_ERROR,
         FMT_OFFLINE_STREAM_ERROR_TEXT, "jdx"},
        {OFFLINE_LOGIN_ERROR, FMT_OFFLINE_LOGIN_ERROR, FMT_OFFLINE_LOGIN_ERROR,
         "hjd"},
        {OFFLINE_LOGIN_CLOSED, FMT_OFFLINE_LOGIN_CLOSED,
         FMT_OFFLINE_LOGIN_CLOSED, "hj"},
        {OFFLINE_CLOSED, FMT_OFFLINE_CLOSED, FMT_OFFLINE_CLOSED, "j"},
        {OFFLINE_PLAIN_REFUSED, FMT_OFFLINE_PLAIN_REFUSED,
         FMT_OFFLINE_PLAIN_REFUSED, "jhx"},
    };
    const char *args[3] = {NULL, NULL, NULL};

    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        const struct format_def *f;
        size_t n = 0;
        if (map[i].reason != why->reason)
            continue;
        for (const char *c = map[i].fields; *c != '\0' && n < 3; c++)
            args[n++] = *c == 'h'   ? why->host
                        : *c == 'j' ? why->jid
                        : *c == 'd' ? why->detail
                                    : why->extra;
        f = formats_find(why->extra != NULL ? map[i].fmt_extra : map[i].fmt);
        /* A NULL field is empty, not the end of the arguments. */
        return formats_expand_template(f->tmpl, args, n);
    }
    return g_strdup(why->detail != NULL ? why->detail : "");
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
        say(con, LINE_INFO, FMT_ACCOUNT_CONNECTING, acct->jid, NULL);
        break;
    case ACCOUNT_ONLINE:
        say(con, LINE_INFO, FMT_ACCOUNT_CONNECTED, acct->jid,
            acct->resource != NULL ? acct->resource : "", NULL);
        break;
    case ACCOUNT_DISCONNECTING:
        break;
    case ACCOUNT_OFFLINE:
        if (ev->why != NULL) {
            char *text = lines_offline_text(ev->why);
            window_add_line(con, ev->retrying ? LINE_INFO : LINE_ERROR, 0,
                            NULL, text);
            g_free(text);
        } else
            say(con, LINE_INFO, FMT_ACCOUNT_DISCONNECTED, acct->jid, NULL);
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
        say(window_console(), LINE_INFO, FMT_PRESENCE_STATUS, c->jid,
            best->show, best->status, NULL);
    else
        say(window_console(), LINE_INFO, FMT_PRESENCE, c->jid, contact_show(c),
            NULL);
}

/* Show a notice where the user is looking, unless it concerns another
 * account, in which case it goes to the console. */
static void
on_notice(enum event_type type, const void *payload, void *data)
{
    const struct ev_notice *ev = payload;
    struct window *w = window_current();
    char *text;

    if ((ev->acct != NULL && w->acct != ev->acct) ||
        ev->level == NOTICE_STATUS)
        w = window_console();
    text = formats_expandv(ev->fmt, ev->args);
    window_add_line(w, ev->level == NOTICE_ERROR ? LINE_ERROR : LINE_INFO, 0,
                    NULL, text);
    g_free(text);
}

/* Start making window lines from events. */
void
lines_init(void)
{
    event_subscribe(EV_MESSAGE, on_message, NULL);
    event_subscribe(EV_MESSAGE_SENT, on_message_sent, NULL);
    event_subscribe(EV_RECEIPT, on_receipt, NULL);
    event_subscribe(EV_DISPLAYED, on_displayed, NULL);
    event_subscribe(EV_ACCOUNT_STATE, on_account_state, NULL);
    event_subscribe(EV_PRESENCE, on_presence, NULL);
    event_subscribe(EV_NOTICE, on_notice, NULL);
    event_subscribe(EV_ROOM, on_room, NULL);
    event_subscribe(EV_E2E, on_e2e, NULL);
}

/* Stop making window lines from events. */
void
lines_deinit(void)
{
    event_unsubscribe(EV_MESSAGE, on_message, NULL);
    event_unsubscribe(EV_MESSAGE_SENT, on_message_sent, NULL);
    event_unsubscribe(EV_RECEIPT, on_receipt, NULL);
    event_unsubscribe(EV_DISPLAYED, on_displayed, NULL);
    event_unsubscribe(EV_ACCOUNT_STATE, on_account_state, NULL);
    event_unsubscribe(EV_PRESENCE, on_presence, NULL);
    event_unsubscribe(EV_NOTICE, on_notice, NULL);
    event_unsubscribe(EV_ROOM, on_room, NULL);
    event_unsubscribe(EV_E2E, on_e2e, NULL);
}
