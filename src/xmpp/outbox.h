/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_OUTBOX_H
#define NATTER_XMPP_OUTBOX_H

#include <stdbool.h>
#include <strophe.h>

struct account;
struct message;

/*
 * Chat messages written to the connection but not yet known to have
 * reached the server. A message handed to the socket is lost if the
 * server dies before reading it (killed, crashed, the link cut), and
 * without an answer natter cannot tell. So after sending, natter asks the
 * server a ping; the server handles a stream in order, so its answer
 * proves every message sent before the ping arrived. One ping is in
 * flight at a time and covers everything sent before it.
 *
 * When the connection ends with messages unconfirmed, they are kept.
 * On the next connection a new ping decides: if the answer to the old
 * ping came first, the stream was resumed (XEP-0198; libstrophe sent the
 * messages again itself) and they arrived; otherwise natter sends them
 * again, before the messages typed while offline. A message may so
 * arrive twice if the server read it but died before answering; it is
 * never lost silently.
 */

/* Track chat message m (copied) just sent on acct's connection conn. */
void outbox_sent(struct account *acct, xmpp_conn_t *conn,
                 const struct message *m);
/*
 * The connection of acct broke: keep what is unconfirmed for the next
 * one. Returns how many messages of this connection that is (earlier
 * ones kept already are not counted again).
 */
unsigned int outbox_lost(struct account *acct);
/*
 * acct is online again on conn. Returns false when nothing waits (go on
 * at once); true when a decision is under way, in which case then(acct)
 * is called once it is made and the messages are sent again if needed.
 */
bool outbox_online(struct account *acct, xmpp_conn_t *conn,
                   void (*then)(struct account *acct));
/* The user ended the session cleanly (the server read everything): drop
 * what acct tracks. */
void outbox_forget(struct account *acct);
/* Free everything. */
void outbox_deinit(void);

#endif
