/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_EVENT_H
#define NATTER_CORE_EVENT_H

#include <stdbool.h>
#include <stdint.h>

struct account;
struct window;
struct line;
struct room;

/*
 * Typed events. The protocol layer emits, the model router and the front
 * ends listen. Payloads are borrowed for the duration of the call only.
 */
enum event_type {
    EV_ACCOUNT_STATE, /* struct ev_account_state */
    EV_MESSAGE,       /* struct ev_message */
    EV_MESSAGE_SENT,  /* struct ev_message_sent: a pending message went out */
    EV_RECEIPT,       /* struct ev_receipt: a message of ours was delivered */
    EV_DISPLAYED,     /* struct ev_receipt: the peer has read up to id */
    EV_CHATSTATE,     /* struct ev_chatstate: a contact types, pauses, ... */
    EV_TYPING,        /* struct ev_window: the user edits the input line */
    EV_ACTIVITY,      /* no payload: the user pressed a key or typed a line */
    EV_PRESENCE,      /* struct ev_presence */
    EV_ROSTER,        /* struct ev_roster */
    EV_ROOM,          /* struct ev_room: a group chat changed */
    EV_NOTICE,        /* struct ev_notice */
    EV_WINDOW_LINE,   /* struct ev_window_line */
    EV_WINDOW_LIST,   /* struct ev_window (window added, closed, renamed) */
    EV_WINDOW_SWITCH, /* struct ev_window (current window changed) */
    EV_WINDOW_CLEAR,  /* struct ev_window */
    EV_WINDOW_CHANGE, /* struct ev_window: lines changed in place */
    EV_SETTING,       /* struct ev_setting */
    EV_ARCHIVE_WANT,  /* struct ev_archive: a window wants older messages */
    EV_ARCHIVE_PAGE,  /* struct ev_archive: an older page was stored */
    EV_COUNT
};

enum account_state {
    ACCOUNT_OFFLINE,
    ACCOUNT_CONNECTING,
    ACCOUNT_ONLINE,
    ACCOUNT_DISCONNECTING,
};

struct ev_account_state {
    struct account *acct;
    enum account_state state;
    const char *reason; /* why it went offline, NULL for a clean close */
    bool retrying;      /* natter reconnects by itself: not an error */
};

enum message_kind {
    MESSAGE_CHAT,
    MESSAGE_NORMAL,
    MESSAGE_HEADLINE,
    MESSAGE_ERROR,
    MESSAGE_GROUPCHAT, /* in a room: peer is the room, nick the sender */
};

struct ev_message {
    struct account *acct;
    const char *from; /* full JID as received (or ours for outgoing) */
    const char *peer; /* bare JID of the other side */
    const char *body;
    const char *id;
    enum message_kind kind;
    bool outgoing;
    bool pending; /* outgoing, queued until the account is online */
    bool carbon;  /* copied from another of our clients (XEP-0280) */
    bool markable; /* the sender wants to know when it is read (XEP-0333) */
    const char *replace_id; /* corrects that earlier message (XEP-0308) */
    const char *archive_id; /* our server archive's id for it, or NULL */
    int64_t time; /* unix seconds; from XEP-0203 delay when present */
    const char *nick; /* group chat: the sender's nick in the room */
    bool muc_private; /* a private message through a room: peer is the
                         occupant's room JID (room@service/nick) */
    bool highlight;   /* group chat: it mentions us (our nick or a word) */
};

struct ev_receipt {
    struct account *acct;
    const char *peer; /* bare JID */
    const char *id;   /* our message's id */
};

struct ev_chatstate {
    struct account *acct;
    const char *peer;  /* bare JID */
    const char *state; /* "active", "composing", "paused", "inactive",
                          "gone" */
};

struct ev_message_sent {
    struct account *acct;
    const char *to;
    const char *id;
};

struct ev_presence {
    struct account *acct;
    const char *bare;     /* contact's bare JID */
    const char *resource; /* may be "" */
    const char *show;     /* "online", "away", "xa", "dnd", "chat", "offline" */
    const char *status;   /* may be NULL */
    bool changed_best;    /* the contact's overall presence changed */
};

struct ev_roster {
    struct account *acct;
};

/* What happened in a room (struct ev_room.what). */
enum room_event {
    ROOM_EV_JOINED,    /* we are in, as nick */
    ROOM_EV_LEFT,      /* we are out: text says why when not by choice */
    ROOM_EV_ENTER,     /* occupant nick came in */
    ROOM_EV_EXIT,      /* occupant nick left; text is their status */
    ROOM_EV_NICK,      /* nick is now new_nick */
    ROOM_EV_KICKED,    /* nick was kicked by actor for text */
    ROOM_EV_BANNED,    /* nick was banned by actor for text */
    ROOM_EV_REMOVED,   /* nick removed for text (affiliation, shutdown) */
    ROOM_EV_ROLE,      /* nick's role or affiliation changed */
    ROOM_EV_OCCUPANT,  /* nick's show or status changed */
    ROOM_EV_SUBJECT,   /* subject set to text by nick (may be NULL) */
    ROOM_EV_ERROR,     /* an error about the room, text says what */
    ROOM_EV_INFO,      /* a notice about the room in text */
    ROOM_EV_INVITE,    /* we are invited by actor with reason text */
};

struct ev_room {
    struct account *acct;
    struct room *room; /* NULL for an invitation to a room not joined */
    const char *room_jid;
    enum room_event what;
    const char *nick;
    const char *new_nick;
    const char *actor;
    const char *text;
    bool self; /* it is about us */
};

enum notice_level {
    NOTICE_INFO,   /* shown where the user is looking */
    NOTICE_ERROR,  /* likewise, as an error */
    NOTICE_STATUS, /* connection status: always in the console */
};

struct ev_notice {
    struct account *acct; /* may be NULL */
    enum notice_level level;
    const char *text;
};

struct ev_window_line {
    struct window *win;
    const struct line *line;
};

struct ev_window {
    struct window *win;
};

struct ev_setting {
    const char *name;
};

/*
 * Paging back into the server archive (XEP-0313). The front end asks
 * with EV_ARCHIVE_WANT when scroll-back reached the oldest stored message
 * of a conversation; the protocol layer stores what the archive returns
 * and answers with EV_ARCHIVE_PAGE.
 */
struct ev_archive {
    struct account *acct;
    const char *peer;  /* bare JID */
    unsigned int count; /* messages the page held (EV_ARCHIVE_PAGE) */
    bool complete;      /* the archive has nothing older: stop asking */
    bool failed;        /* the query failed (reported): stop asking */
};

typedef void (*event_fn)(enum event_type type, const void *payload,
                         void *data);

/* Register fn for events of type; data is passed back unchanged. */
void event_subscribe(enum event_type type, event_fn fn, void *data);
/* Remove a subscription made with the same fn and data. */
void event_unsubscribe(enum event_type type, event_fn fn, void *data);
/* Deliver payload to every subscriber of type, in subscription order. */
void event_emit(enum event_type type, const void *payload);
/* Drop every subscription. */
void event_deinit(void);

/* Emit an EV_NOTICE built from a printf format. */
void notice(struct account *acct, enum notice_level level, const char *fmt,
            ...) __attribute__((format(printf, 3, 4)));

#endif
