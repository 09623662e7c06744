/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_HANDLERS_H
#define NATTER_XMPP_HANDLERS_H

#include <stdbool.h>
#include <strophe.h>

struct account;

/*
 * Listen for the stanzas of acct's online connection (messages, presence,
 * roster pushes, iq requests) and request the roster; our presence is
 * sent once the roster has arrived (RFC 6121 2.2). With
 * roster_versioning (the server offered it), the request names the
 * version of the roster held or cached, so an unchanged roster is not
 * sent again (RFC 6121 2.6).
 */
void handlers_start(xmpp_conn_t *conn, struct account *acct,
                    bool roster_versioning);

#endif
