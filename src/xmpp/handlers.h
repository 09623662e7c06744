/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_HANDLERS_H
#define NATTER_XMPP_HANDLERS_H

#include <strophe.h>

struct account;

/*
 * Listen for the stanzas of acct's online connection (messages, presence,
 * roster pushes, iq requests) and request the roster; our presence is
 * sent once the roster has arrived (RFC 6121 2.2).
 */
void handlers_start(xmpp_conn_t *conn, struct account *acct);

#endif
