/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_ROSTER_H
#define NATTER_XMPP_ROSTER_H

#include <glib.h>
#include <stdbool.h>

#include "xmpp/request.h"

struct account;

/*
 * Roster changes (RFC 6121 2.3, 2.5) and presence subscriptions (3): the
 * actions cmd/ asks for, answered with plain structs so that callers
 * never see a stanza.
 */

/*
 * Ask the server to set jid's roster item to name and groups (NULL: none),
 * or to remove it (remove true); fn runs exactly once with the answer.
 * False with *cause (and fn never runs) when it cannot be sent.
 */
bool roster_request_set(struct account *acct, const char *jid,
                        const char *name, GPtrArray *groups, bool remove,
                        request_fn fn, void *data, char **cause);

/* Send a directed presence of type ("subscribe", "subscribed",
 * "unsubscribe", "unsubscribed") to jid; false with *cause if offline. */
bool roster_send_subscription(struct account *acct, const char *jid,
                              const char *type, char **cause);

#endif
