/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_MAM_H
#define NATTER_XMPP_MAM_H

#include <stdbool.h>
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
 * (borrowed from st), with its archive stamp in *stamp and its archive
 * id in *archive_id (borrowed, may be NULL); *backfill is set when the
 * result answers a page-back query (mam_init), whose messages go to the
 * history store rather than to windows. NULL for any other stanza
 * (including results someone else forged).
 */
xmpp_stanza_t *mam_unwrap(xmpp_stanza_t *st, struct account *acct,
                          int64_t *stamp, const char **archive_id,
                          bool *backfill);
/*
 * Page back into the archive: answer EV_ARCHIVE_WANT with a query for
 * the page before the oldest stored message of the conversation, store
 * the results in the history, and emit EV_ARCHIVE_PAGE.
 */
void mam_init(void);
/* Write unsaved archive positions and stop (before accounts go away). */
void mam_deinit(void);
/* Copy of the RSM id <which/> ("first" or "last") in the <set/> of a MAM
 * <fin/> (fin may be NULL); NULL when it or its text is missing. Note:
 * result must be freed with g_free(). */
char *mam_fin_id(xmpp_stanza_t *fin, const char *which);
/* Remember the archive id of a live message (XEP-0359 stanza-id set by
 * our server), so the next catch-up starts after it; returns that id
 * (borrowed from st) or NULL. */
const char *mam_note_live(xmpp_stanza_t *st, struct account *acct);

#endif
