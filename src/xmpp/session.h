/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_SESSION_H
#define NATTER_XMPP_SESSION_H

#include <stdbool.h>
#include <strophe.h>

#include "core/account.h"

/*
 * The protocol layer: one session per account, each with its own libstrophe
 * connection, all driven by the GLib main loop through fd watches. Sessions
 * update the core model and emit typed events; they never draw.
 */

/*
 * Set up the shared libstrophe context (for building stanzas and for raw
 * sessions) and the driver; each account gets a context of its own on
 * its first connection, so every log line and stanza is tied to it.
 */
void session_init(void);
/* Drop every connection at once and free the context. */
void session_deinit(void);
/*
 * Start connecting acct with password (copied and wiped after use). On an
 * immediate failure returns false and sets *cause (free with g_free()).
 */
bool session_connect(struct account *acct, const char *password, char **cause);
/* Close acct's connection cleanly (unavailable presence, stream end). */
void session_disconnect(struct account *acct);
/* Set and broadcast our presence; status may be NULL. */
bool session_set_presence(struct account *acct, const char *show,
                          const char *status, char **cause);
/* Number of sessions not yet fully offline (for a clean /quit). */
unsigned int session_active_count(void);
/* The shared libstrophe context, for building stanzas (any connection
 * can send them); owned by this module. */
xmpp_ctx_t *session_ctx(void);
/* Let libstrophe run before the loop sleeps (after queuing stanzas). */
void session_kick(void);
/* The connection of acct while it is online, else NULL. */
xmpp_conn_t *session_conn(struct account *acct);
/* Drop acct's dead connection so that the reconnect logic takes over. */
void session_lost(struct account *acct, const char *why);

/* Send a stanza on acct's connection; false with *cause when offline. The
 * stanza is not taken over. */
bool session_send(struct account *acct, xmpp_stanza_t *st, char **cause);

/*
 * Write st on s's connection (s is acct->session): the one door every
 * stanza of an account leaves by, where the tap (EV_STANZA) sees it. st
 * is not taken over. Nothing happens when s has no connection.
 */
void session_write(struct session *s, xmpp_stanza_t *st);

/* What session_send_iq calls with the reply (NULL: the session ended). */
typedef void (*session_iq_fn)(struct account *acct, xmpp_stanza_t *reply,
                              void *data);
/*
 * Send iq on acct's connection; fn is called exactly once, with the reply
 * or with NULL when the session ends first. The iq is not taken over.
 * Returns false with *cause set when acct is not online.
 */
bool session_send_iq(struct account *acct, xmpp_stanza_t *iq, session_iq_fn fn,
                     void *data, char **cause);

#endif
