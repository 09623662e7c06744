/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_MUC_H
#define NATTER_XMPP_MUC_H

#include <stdbool.h>
#include <strophe.h>

struct account;
struct room;

/*
 * Group chat (XEP-0045): joining and leaving rooms, what rooms send, and
 * the requests a user makes of them. The model lives in core/room.h;
 * everything here reports through events (EV_ROOM, EV_MESSAGE).
 */

/* Listen for account state changes (rooms are left and rejoined). */
void muc_init(void);
/* Stop listening and cancel timers. */
void muc_deinit(void);

/* The nick to join with when none is given: the local part of acct's JID
 * (all of it when it has none). Note: result must be freed. */
char *muc_default_nick(struct account *acct);
/*
 * The room JID for what the user typed: "room@service" as it is, a bare
 * "room" on acct's group chat service. NULL with *cause set when it is no
 * JID or the service is not known yet. Note: result must be freed.
 */
char *muc_room_jid(struct account *acct, const char *typed, char **cause);
/*
 * Join room (a bare room JID) as nick, with password (may be NULL). The
 * outcome arrives as ROOM_EV_JOINED or ROOM_EV_ERROR. False with *cause
 * when acct is offline.
 */
bool muc_join(struct account *acct, const char *room, const char *nick,
              const char *password, char **cause);
/* Leave room with an optional reason; false with *cause if not in it. */
bool muc_leave(struct account *acct, const char *room, const char *reason,
               char **cause);
/*
 * Send body to room (shown when the room echoes it back), correcting our
 * message replace_id when that is not NULL (XEP-0308).
 */
bool muc_send(struct account *acct, const char *room, const char *body,
              const char *replace_id, char **cause);
/* Send a private message to occupant (room@service/nick), correcting our
 * message replace_id when that is not NULL. */
bool muc_send_private(struct account *acct, const char *occupant,
                      const char *body, const char *replace_id, char **cause);
/* Ask to change our nick in room. */
bool muc_set_nick(struct account *acct, const char *room, const char *nick,
                  char **cause);
/* Set the subject of room. */
bool muc_set_subject(struct account *acct, const char *room,
                     const char *subject, char **cause);
/*
 * Set attr ("role" for nick, "affiliation" for jid) to value in room,
 * with an optional reason; the outcome is reported as a notice in the
 * room window.
 */
bool muc_admin(struct account *acct, const char *room, const char *nick,
               const char *jid, const char *attr, const char *value,
               const char *reason, char **cause);
/* List the JIDs with affiliation in room, as room info lines. */
bool muc_list_affiliation(struct account *acct, const char *room,
                          const char *affiliation, char **cause);
/*
 * Invite jid to room: a direct invitation (XEP-0249) when jid says it
 * supports them, else a mediated one through the room.
 */
bool muc_invite(struct account *acct, const char *room, const char *jid,
                const char *reason, char **cause);
/* List the public rooms of service (NULL: the account's) with names and
 * occupant counts, in the console. */
bool muc_list_rooms(struct account *acct, const char *service, char **cause);
/* Accept the default configuration of a new, locked room. */
bool muc_instant(struct account *acct, const char *room, char **cause);
/* Destroy room (owners only) with an optional reason. */
bool muc_destroy(struct account *acct, const char *room, const char *reason,
                 char **cause);

/* Tell every joined room of acct our new presence (show and status). */
void muc_send_presence(struct account *acct);
/* An online session's first moments: find the group chat service and
 * rejoin every room the user is in. */
void muc_online(struct account *acct);
/*
 * Handle a presence from a room; true when it was one (the caller then
 * does nothing more with it).
 */
bool muc_handle_presence(xmpp_conn_t *conn, xmpp_stanza_t *st,
                         struct account *acct);
/* An invitation to a room in st (XEP-0249 or XEP-0045 mediated): tell
 * the user; true when st was one. */
bool muc_receive_invite(struct account *acct, xmpp_stanza_t *st);
/* A message of type error from room: say it refused what we sent. */
void muc_receive_error(struct account *acct, struct room *room,
                       xmpp_stanza_t *st);
/*
 * A subject in st (a groupchat message of room without a body) set by
 * nick (may be NULL): apply it, and announce it unless it came from the
 * archive; true when st was one.
 */
bool muc_receive_subject(struct account *acct, struct room *room,
                         xmpp_stanza_t *st, const char *nick, bool archived);
/* The room itself speaks (a body with no nick): a line in its window. */
void muc_receive_notice(struct account *acct, struct room *room,
                        const char *text);
/* Status codes about room itself in a message without a body. */
void muc_receive_status(struct account *acct, struct room *room,
                        xmpp_stanza_t *st);
/* The XEP-0359 stanza-id room gave message st (borrowed), NULL if none. */
const char *muc_stanza_id(xmpp_stanza_t *st, const char *room);

#endif
