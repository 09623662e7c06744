/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_MUC_INTERNAL_H
#define NATTER_XMPP_MUC_INTERNAL_H

#include <stdbool.h>

#include "core/event.h"
#include "xmpp/session.h"

struct account;
struct room;

/*
 * What the group chat files (muc.c, muc-admin.c, muc-archive.c,
 * muc-ping.c) share; nothing outside xmpp/muc*.c uses it.
 */

/* An iq about a room, waiting for its answer. */
struct room_req {
    struct account *acct;
    char *room;  /* bare room JID */
    char *what;  /* words for reports ("kick bob"), may be NULL */
    char *extra; /* request-specific text, may be NULL */
    unsigned int page;
    unsigned int kind; /* request-specific (muc-admin.c: which request) */
};

/* A request record for room; freed with muc_req_free(). */
struct room_req *muc_req_new(struct account *acct, const char *room,
                             const char *what);
/* Free a request record. */
void muc_req_free(struct room_req *r);
/* Send iq on acct with req for fn (which then owns req); false with
 * *cause set and req freed when it cannot go. iq stays the caller's. */
bool muc_req_send(struct account *acct, xmpp_stanza_t *iq, session_iq_fn fn,
                  struct room_req *req, char **cause);
/* Emit an EV_ROOM about room (may be NULL) with the given parts. */
void muc_emit_room(struct account *acct, struct room *room,
                   const char *room_jid, enum room_event what,
                   const char *nick, const char *new_nick, const char *actor,
                   const char *text, bool self);
/* Emit a formatted ROOM_EV_INFO (or, with error, ROOM_EV_ERROR) line. */
void muc_say(struct account *acct, const char *room_jid, bool error,
             const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Emit a ROOM_EV_LINE (an error line with error): sentence id with the
 * string arguments that follow, up to a NULL. */
void muc_say_fmt(struct account *acct, const char *room_jid, bool error,
                 enum format_id id, ...) __attribute__((sentinel));
/* Bare, prepared form of a JID; NULL if malformed. Caller frees. */
char *muc_bare(const char *s);
/* The room of acct we are in (or joining) with JID room; else NULL with
 * *cause set. */
struct room *muc_room_in(struct account *acct, const char *room_jid,
                         char **cause);
/* The time of the newest stored message of room, 0 if none (then the
 * newest page will do). */
long long muc_newest_stored(struct room *room);
/* Send the join presence for room, asking for the history we lack. */
void muc_send_join(struct room *room);
/*
 * Ask room's archive for a page: after archive id after, or from unix
 * time start, or (neither) the newest page; page counts pages so far.
 */
void muc_archive_fetch(struct account *acct, const char *room_jid,
                       const char *after, long long start, unsigned int page);
/* Start or stop the self-ping timer as rooms are joined and left. */
void muc_ping_update(void);
/* Stop the self-ping timer. */
void muc_ping_stop(void);

#endif
