/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_MAM_H
#define NATTER_XMPP_MAM_H

#include <stdint.h>
#include <strophe.h>

struct account;

#define NS_MAM "urn:xmpp:mam:2"

/*
 * Message Archive Management (XEP-0313): on connect, fetch what arrived
 * while natter was away, from the newest archive id it saw (kept per
 * account under $XDG_DATA_HOME/natter/mam/). Archived messages come back
 * through the normal message handler; duplicates of what was already
 * shown are dropped by stanza id in the windows.
 */

/* Ask acct's archive for everything after the last id seen. */
void mam_catch_up(xmpp_conn_t *conn, struct account *acct);
/*
 * The message inside an archive result from acct's own archive
 * (borrowed from st), with its archive stamp in *stamp; NULL for any
 * other stanza (including results someone else forged).
 */
xmpp_stanza_t *mam_unwrap(xmpp_stanza_t *st, struct account *acct,
                          int64_t *stamp);
/* Write unsaved archive positions and stop (before accounts go away). */
void mam_deinit(void);
/* Remember the archive id of a live message (XEP-0359 stanza-id set by
 * our server), so the next catch-up starts after it. */
void mam_note_live(xmpp_stanza_t *st, struct account *acct);

#endif
