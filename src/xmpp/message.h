/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_MESSAGE_H
#define NATTER_XMPP_MESSAGE_H

#include <stdbool.h>
#include <strophe.h>

#include "core/message.h"

/*
 * The message pipeline: every outgoing message (live, queued while
 * offline, sent again after a reconnect, room, room private, /me,
 * /correct) goes through message_send(), and every incoming one (live,
 * carbons, offline delivery, archive pages, rooms, room private) through
 * message_receive(). End-to-end transforms plug into the hooks here and
 * nowhere else:
 *
 *   out: message_send -> message_stanza_build -> transforms -> session_write
 *   in:  message_receive -> one archive/carbon unwrap -> parse -> transforms
 *        -> EV_MESSAGE (the store and the windows listen)
 */

/* What a transform hook decided about a message. */
enum transform_result {
    TRANSFORM_PASS,    /* not for this transform: go on unchanged */
    TRANSFORM_REPLACE, /* it changed the stanza and/or the message (e.g.
                          the body for ciphertext, the protection state):
                          go on with the change */
    TRANSFORM_CONSUME, /* it took the message over: nothing is sent, or
                          nothing is shown (a protocol message) */
    TRANSFORM_HOLD,    /* not now. Outgoing: kept, shown as held with the
                          reason, until message_release(); incoming: the
                          transform kept a copy and hands it on later with
                          message_deliver() */
};

/*
 * One transform. outgoing() runs just before a message's stanza is
 * written (also when it is sent again after a reconnect or released from
 * hold) with the stanza built from m; incoming() runs after unwrapping,
 * with the message's own stanza (inside any carbon or archive wrapper).
 * Either may be NULL. A hook may change m's strings with message_set()
 * (the pipeline owns them) and must set *reason (g_malloc'd) for HOLD.
 */
struct message_transform {
    const char *name;
    enum transform_result (*outgoing)(struct account *acct, struct message *m,
                                      xmpp_stanza_t *st, char **reason,
                                      void *data);
    enum transform_result (*incoming)(struct account *acct, struct message *m,
                                      xmpp_stanza_t *st, char **reason,
                                      void *data);
    void *data;
};

/* Add t to the pipeline (after those added before); t is borrowed and
 * must live until message_transform_remove(). */
void message_transform_add(const struct message_transform *t);
/* Take t out of the pipeline. */
void message_transform_remove(const struct message_transform *t);

/*
 * Send message m (a draft: kind, to, body, and as needed replace_id,
 * muc_private, nick, oob_url, hints) on acct: it gets a fresh id, goes
 * through the outgoing transforms and out, or is queued while acct is
 * offline (chats only; shown as pending), and is emitted as an outgoing
 * EV_MESSAGE (not for rooms: the room's echo is the line). False with
 * *cause set (caller frees) when it cannot be sent or kept.
 */
bool message_send(struct account *acct, const struct message *m, char **cause);
/*
 * Send body as a chat message to to (a bare JID, or the resource a window
 * is locked onto), correcting our message replace_id when that is not
 * NULL (XEP-0308; corrections are not queued while offline).
 */
bool message_send_chat(struct account *acct, const char *to, const char *body,
                       const char *replace_id, char **cause);
/* Write m (an outgoing message that was sent or queued before) again:
 * outgoing transforms, then the connection. True if it went out. */
bool message_resend(struct account *acct, const struct message *m);
/* Send what was typed while acct was offline, oldest first. */
void message_flush_pending(struct account *acct);
/* Send the messages to peer (NULL: all) that transforms of acct held,
 * oldest first (each goes through the transforms again). */
void message_release(struct account *acct, const char *peer);
/* Drop the held messages to peer (NULL: all); returns how many. */
unsigned int message_drop_held(struct account *acct, const char *peer);
/* How many messages of acct to peer (NULL: all) are held. */
unsigned int message_held_count(struct account *acct, const char *peer);

/* The <message/> handler of an online session: every incoming message
 * stanza of acct enters here. Returns 1 (keep the handler). */
int message_receive(xmpp_conn_t *conn, xmpp_stanza_t *st, void *acct);
/* Hand on an incoming message a transform held (no transforms again). */
void message_deliver(const struct message *m);

/* Forget every held message (at exit). */
void message_deinit(void);

#endif
