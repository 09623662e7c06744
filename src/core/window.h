/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_WINDOW_H
#define NATTER_CORE_WINDOW_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/message.h"

struct account;
struct form;

enum window_type {
    WINDOW_CONSOLE,
    WINDOW_CHAT,
    WINDOW_ROOM,    /* a group chat: jid is the room's bare JID */
    WINDOW_PRIVATE, /* a private chat through a room: jid is room/nick */
    WINDOW_FORM,    /* a data form (core/form.h): jid names it,
                       "room@service (config)" */
};

enum line_kind {
    LINE_INFO,    /* -!- status text */
    LINE_ERROR,   /* -!- error text */
    LINE_MESSAGE, /* <sender> text from someone else */
    LINE_OWN,     /* <sender> text we sent */
};

/* Activity levels for the status bar, in increasing importance. */
enum activity {
    ACTIVITY_NONE,
    ACTIVITY_INFO,
    ACTIVITY_MESSAGE,
    ACTIVITY_HIGHLIGHT, /* a message mentions us */
};

/* One line of a window's scrollback. Text is raw; front ends sanitise. */
struct line {
    int64_t time;
    enum line_kind kind;
    char *sender; /* NULL for info and error lines */
    char *text;
    char *id;       /* stanza id of a message, may be NULL */
    char *alt_id;   /* the sender's own id when id is the room's (group
                       chat): corrections name it; may be NULL */
    bool pending;   /* our message, not sent yet */
    bool delivered; /* our message, receipt received (XEP-0184) */
    bool edited;    /* corrected since (XEP-0308) */
    bool carbon;    /* from another of our clients (XEP-0280) */
    bool read;      /* our message, the peer displayed it (XEP-0333) */
    bool highlight; /* group chat: mentions our nick or a watched word */
    bool hit;       /* the /search hit a jump view was opened at */
    bool held;      /* our message, held by a transform, not sent yet */
    enum protection protection; /* how it was protected on the wire */
    int64_t rowid;              /* its history row, 0 if not known */
    uint64_t serial;  /* unique for the life of natter (caches key on it) */
    unsigned int gen; /* bumped each time the line changes in place */
};

/*
 * A window: a scrollback buffer with an identity. Front ends decide how to
 * show it; the model here is the same for curses and headless.
 */
struct window {
    enum window_type type;
    struct account *acct; /* NULL for the console */
    char *jid;            /* bare JID of the peer for chat windows */
    char *name;
    GQueue lines;        /* of struct line, oldest first */
    unsigned int unread; /* messages since the window was last current */
    enum activity activity;
    int scroll;        /* rows scrolled back from the bottom (front end) */
    char *locked;      /* resource replies go to (RFC 6121 5.1), or NULL */
    bool history_done; /* scroll-back reached the oldest stored line */
    /*
     * A jump view (/search open): lines then holds stored lines around a
     * search hit, and the live lines wait in saved (new messages go there)
     * until the window returns to its live end (window_attach).
     */
    bool detached;
    GQueue saved;
    bool saved_history_done;
    bool jump; /* the front end should bring the hit line into view */
    bool archive_pending; /* older messages asked of the server archive */
    bool archive_done;    /* the archive has nothing older (or failed) */
    char *marker_id;      /* newest markable message not yet displayed */
    char *marker_to;      /* and who sent it (full JID) */
    struct form *form;    /* WINDOW_FORM: the form shown, owned */
    /* The newest live line for each stanza id (keys are the lines' own
     * ids), so that the dedupe check on every incoming message does not
     * walk the whole scrollback; kept by window.c only. */
    GHashTable *ids;
};

/* Create the console window; call once at start-up. */
void window_init(void);
/* Free every window. */
void window_deinit(void);
/* Number of windows. */
unsigned int window_count(void);
/* Window number n (1-based), NULL if there is none. */
struct window *window_nth(unsigned int n);
/* The 1-based number of w. */
unsigned int window_number(const struct window *w);
/* The console window. */
struct window *window_console(void);
/* The window the user is looking at. */
struct window *window_current(void);
/* Make w current, clearing its unread marks. */
void window_switch(struct window *w);
/* The chat window with bare JID on acct, NULL if none is open. */
struct window *window_find_chat(struct account *acct, const char *jid);
/* The chat window with bare JID on acct, opened if needed. */
struct window *window_get_chat(struct account *acct, const char *jid);
/* The window of type with jid on acct, NULL if none is open. */
struct window *window_find(struct account *acct, enum window_type type,
                           const char *jid);
/* The window of type with jid on acct, opened if needed. */
struct window *window_get(struct account *acct, enum window_type type,
                          const char *jid);
/*
 * Give line l of w a second id (the sender's own, in group chat, where id
 * is the room's): lookups by either find it. The id is copied.
 */
void window_set_alt_id(struct window *w, struct line *l, const char *id);
/* Whether w is a conversation (chat, room or private): one with a peer. */
bool window_is_conversation(const struct window *w);
/*
 * Close w (the console cannot be closed); returns false if refused. A
 * form window not yet submitted cancels its form first.
 */
bool window_close(struct window *w);
/* Close every window of acct (the account is going away). */
void window_close_account(struct account *acct);
/* Empty w's scrollback. */
void window_clear(struct window *w);
/* Append a line and emit EV_WINDOW_LINE; sender may be NULL. */
void window_add_line(struct window *w, enum line_kind kind, int64_t time,
                     const char *sender, const char *text);
/* Marks a message line is born with (window_add_message). */
#define LINE_PENDING 0x1
#define LINE_EDITED 0x2
#define LINE_CARBON 0x4
#define LINE_HIGHLIGHT 0x8
#define LINE_HIT 0x10 /* the /search hit of a jump view */
#define LINE_HELD 0x20
/* The protection state (enum protection) a message line is born with. */
#define LINE_PROTECTION(p) (((unsigned int)(p)&0xfu) << 8)

/*
 * Append a message line with its stanza id and marks (LINE_* bits);
 * returns the line, owned by the window.
 */
struct line *window_add_message(struct window *w, enum line_kind kind,
                                int64_t time, const char *sender,
                                const char *text, const char *id,
                                unsigned int marks);
/*
 * Append a stored message from history (shown when a window opens, before
 * new lines) with its marks (LINE_* bits): no unread count or activity,
 * but EV_WINDOW_LINE as usual. Returns the line, owned by the window.
 */
struct line *window_add_history(struct window *w, enum line_kind kind,
                                int64_t time, const char *sender,
                                const char *text, const char *id,
                                unsigned int marks);
/* Clear the pending mark of the line with stanza id; false if none. */
bool window_mark_sent(struct window *w, const char *id);
/*
 * Put an older stored line (with its LINE_* marks) at the top of w's
 * scrollback, without events
 * or unread marks (scroll-back paging); the caller emits one
 * EV_WINDOW_CHANGE for the batch with window_changed().
 */
void window_prepend_line(struct window *w, enum line_kind kind, int64_t time,
                         const char *sender, const char *text, const char *id,
                         unsigned int marks);
/* Tell front ends that lines of w changed in place. */
void window_changed(struct window *w);
/* The newest live line of w with stanza id, NULL if none; owned by w. */
const struct line *window_find_line(struct window *w, const char *id);
/* The newest line w shows (live or a jump view) with stanza id, NULL if
 * none; owned by w. */
const struct line *window_find_shown(struct window *w, const char *id);
/* Mark our line with stanza id, and our lines before it, read. */
bool window_mark_read(struct window *w, const char *id);
/* Mark our line with stanza id as delivered; false if none. */
bool window_mark_delivered(struct window *w, const char *id);
/*
 * Replace the text of the line with stanza id sent by sender (a
 * correction) and mark it edited; false if there is no such line.
 */
bool window_replace_text(struct window *w, const char *id, const char *sender,
                         const char *text);
/* The same, the correction arriving with protection state p (which the
 * line takes). */
bool window_replace_message(struct window *w, const char *id,
                            const char *sender, const char *text,
                            enum protection p);
/*
 * Make w a jump view: keep its live lines aside (or, if it already is
 * one, drop the old view's lines) and start an empty view. The caller
 * adds the stored lines with window_add_history().
 */
void window_detach(struct window *w);
/* Leave the jump view: show the live lines again, scrolled to the end. */
void window_attach(struct window *w);
/* The live lines of w (where new messages go), whatever it shows. */
GQueue *window_live_lines(struct window *w);
/* Name to show for w: prefixed with its account's when several are on. */
char *window_label(const struct window *w);
/* Append an info or error line built from a printf format. */
void window_printf(struct window *w, enum line_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Lines kept per window before the oldest are dropped. */
void window_set_scrollback(unsigned int lines);

#endif
