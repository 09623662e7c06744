/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_EVENT_H
#define NATTER_CORE_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/format-id.h"
#include "core/message.h"

struct account;
struct window;
struct line;
struct room;

/*
 * Typed events. The protocol layer emits; ui/lines.c (which makes window
 * lines) and the front ends listen. Payloads are borrowed for the
 * duration of the call only.
 */
enum event_type {
    EV_ACCOUNT_STATE, /* struct ev_account_state */
    EV_MESSAGE,       /* struct message (core/message.h) */
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
    EV_STANZA,        /* struct ev_stanza: a stanza in or out (the tap) */
    EV_E2E,           /* struct ev_e2e (core/e2e.h): encryption of a chat */
    EV_COUNT
};

enum account_state {
    ACCOUNT_OFFLINE,
    ACCOUNT_CONNECTING,
    ACCOUNT_ONLINE,
    ACCOUNT_DISCONNECTING,
};

/*
 * Why a connection ended, as data: the protocol layer says what happened
 * and with what, ui/ says it in words (ui/lines.c, the format table).
 */
enum offline_reason {
    OFFLINE_TEXT,           /* detail: a finished sentence */
    OFFLINE_CONNECT_FAILED, /* host, jid, detail: the error */
    OFFLINE_NO_ADDRESS,     /* host, jid */
    OFFLINE_SETUP_TIMEOUT,  /* host, jid, detail: seconds allowed */
    OFFLINE_SETUP_CUT,      /* host, jid, detail: seconds it was stuck */
    OFFLINE_CERT_REFUSED,   /* host, jid, detail: what was wrong */
    OFFLINE_LOGIN_FAILED,   /* jid, detail: the SASL condition */
    OFFLINE_LOST,           /* jid, detail: the error */
    OFFLINE_NO_TLS,         /* host, jid, detail: why */
    OFFLINE_STREAM_ERROR,   /* jid, detail: condition, extra: text or NULL */
    OFFLINE_LOGIN_ERROR,    /* host, jid, detail: the last error */
    OFFLINE_LOGIN_CLOSED,   /* host, jid: closed before the login ended */
    OFFLINE_CLOSED,         /* jid: closed by the server */
    OFFLINE_PLAIN_REFUSED,  /* host, jid, extra: account name */
};

struct offline_why {
    enum offline_reason reason;
    const char *host;   /* where natter connected (host or host:port) */
    const char *jid;    /* the account's JID */
    const char *detail; /* see enum offline_reason */
    const char *extra;  /* see enum offline_reason */
};

struct ev_account_state {
    struct account *acct;
    enum account_state state;
    const struct offline_why *why; /* why it went offline, NULL for a
                                      clean close */
    bool retrying; /* natter reconnects by itself: not an error */
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
    const char *show;   /* "online", "away", "xa", "dnd", "chat", "offline" */
    const char *status; /* may be NULL */
    bool changed_best;  /* the contact's overall presence changed */
};

struct ev_roster {
    struct account *acct;
};

/* What happened in a room (struct ev_room.what). */
enum room_event {
    ROOM_EV_JOINED,   /* we are in, as nick */
    ROOM_EV_LEFT,     /* we are out: text says why when not by choice */
    ROOM_EV_ENTER,    /* occupant nick came in */
    ROOM_EV_EXIT,     /* occupant nick left; text is their status */
    ROOM_EV_NICK,     /* nick is now new_nick */
    ROOM_EV_KICKED,   /* nick was kicked by actor for text */
    ROOM_EV_BANNED,   /* nick was banned by actor for text */
    ROOM_EV_REMOVED,  /* nick removed for text (affiliation, shutdown) */
    ROOM_EV_ROLE,     /* nick's role or affiliation changed */
    ROOM_EV_OCCUPANT, /* nick's show or status changed */
    ROOM_EV_SUBJECT,  /* subject set to text by nick (may be NULL) */
    ROOM_EV_ERROR,    /* an error about the room, text says what */
    ROOM_EV_INFO,     /* a notice about the room in text */
    ROOM_EV_INVITE,   /* we are invited by actor with reason text */
    ROOM_EV_LINE,     /* a sentence about the room: the payload is a
                         struct ev_room_line */
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

/* The payload of ROOM_EV_LINE: a line about a room, as data. */
struct ev_room_line {
    struct ev_room base;     /* base.what is ROOM_EV_LINE */
    bool error;              /* an error line, else an info line */
    enum format_id fmt;      /* the sentence */
    const char *const *args; /* its arguments, NULL-terminated */
};

enum notice_level {
    NOTICE_INFO,   /* shown where the user is looking */
    NOTICE_ERROR,  /* likewise, as an error */
    NOTICE_STATUS, /* connection status: always in the console */
};

/*
 * A notice is data: a sentence's id and its string arguments; the front
 * ends make the text (ui/formats.c). Old printf callers send FMT_TEXT with
 * the finished text as its one argument.
 */
struct ev_notice {
    struct account *acct; /* may be NULL */
    enum notice_level level;
    const char *text;        /* FMT_TEXT's text (args[0]); NULL otherwise */
    enum format_id fmt;      /* the sentence */
    const char *const *args; /* its arguments, NULL-terminated */
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
    const char *peer;   /* bare JID */
    unsigned int count; /* messages the page held (EV_ARCHIVE_PAGE) */
    bool complete;      /* the archive has nothing older: stop asking */
    bool failed;        /* the query failed (reported): stop asking */
};

/*
 * Every stanza an account's connection reads or writes, for an XML
 * console or a debug log. Emitted only while someone subscribes, so the
 * tap costs nothing otherwise.
 */
struct ev_stanza {
    struct account *acct;
    const void *stanza; /* the libstrophe stanza (xmpp_stanza_t), borrowed */
    bool outgoing;
};

typedef void (*event_fn)(enum event_type type, const void *payload,
                         void *data);

/*
 * The order subscribers of one event run in: by stage, then in
 * subscription order. So the order is stated where it matters, not
 * implied by the order of the *_init() calls.
 */
enum event_stage {
    EVENT_STAGE_STORE, /* the history store: it sees a message before a
                          window opens for it (and back-fills that window
                          from the store without repeating it) */
    EVENT_STAGE_MODEL, /* the model and the protocol's reactions: window
                          lines, markers, chat states (the default) */
    EVENT_STAGE_VIEW,  /* the front ends, which show what the model holds
                          once it is updated */
};

/* Register fn for events of type at stage; data is passed back
 * unchanged. */
void event_subscribe_at(enum event_type type, enum event_stage stage,
                        event_fn fn, void *data);
/* Register fn for events of type at EVENT_STAGE_MODEL. */
void event_subscribe(enum event_type type, event_fn fn, void *data);
/* Remove a subscription made with the same fn and data. */
void event_unsubscribe(enum event_type type, event_fn fn, void *data);
/* Deliver payload to every subscriber of type, stage by stage, in
 * subscription order within a stage. */
void event_emit(enum event_type type, const void *payload);
/* Whether anyone listens to events of type (to skip costly payloads). */
bool event_wanted(enum event_type type);
/* Drop every subscription. */
void event_deinit(void);

/* Emit an EV_NOTICE built from a printf format (a FMT_TEXT notice). */
void notice(struct account *acct, enum notice_level level, const char *fmt,
            ...) __attribute__((format(printf, 3, 4)));
/* Emit an EV_NOTICE of sentence id with the string arguments that follow,
 * up to a NULL (give "" for an empty one). Numbers: format them first. */
void notice_fmt(struct account *acct, enum notice_level level,
                enum format_id id, ...) __attribute__((sentinel));

#endif
