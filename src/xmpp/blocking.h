/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_BLOCKING_H
#define NATTER_XMPP_BLOCKING_H

#include <stdbool.h>

#include "xmpp/request.h"

struct account;
/* Forward declarations, so cmd/ can use blocking_request without
 * libstrophe (the same typedefs as <strophe.h>). */
typedef struct _xmpp_conn_t xmpp_conn_t;
typedef struct _xmpp_ctx_t xmpp_ctx_t;
typedef struct _xmpp_stanza_t xmpp_stanza_t;

#define NS_BLOCKING "urn:xmpp:blocking"

/*
 * Blocking (XEP-0191): the server keeps the list of addresses whose
 * stanzas it drops; natter mirrors it in acct->blocked.
 */

/* Ask the server for the block list of acct's new session. */
void blocking_fetch(xmpp_conn_t *conn, struct account *acct);
/* Apply a block/unblock push from our server; true if iq was one. */
bool blocking_handle_push(xmpp_conn_t *conn, xmpp_stanza_t *iq,
                          struct account *acct);
/* The iq that blocks (block true) or unblocks jid (NULL with unblock:
 * everyone). Caller releases. */
xmpp_stanza_t *blocking_build(xmpp_ctx_t *ctx, const char *id, const char *jid,
                              bool block);
/* Ask the server to block (block true) or unblock jid (NULL with
 * unblock: everyone); fn runs exactly once with the answer. False with
 * *cause (and fn never runs) when it cannot be sent. */
bool blocking_request(struct account *acct, const char *jid, bool block,
                      request_fn fn, void *data, char **cause);

#endif
