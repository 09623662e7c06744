/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_MAM_H
#define NATTER_XMPP_MAM_H

#include <stdbool.h>
#include <stdint.h>
#include <strophe.h>

struct account;
struct room;

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
/* Where an archived message came from (filled by mam_unwrap). */
struct mam_arrival {
    int64_t stamp;          /* the archive's time for it, 0 if none */
    const char *archive_id; /* the archive's id (borrowed), may be NULL */
    bool backfill;          /* answers a page-back query (mam_init): it
                               goes to the history store, not to windows */
    struct room *room;      /* from the archive of this room of ours;
                               NULL for acct's own archive */
    bool ignore;            /* a result nobody may send us: drop it */
};

/*
 * The one unwrap of archive results (XEP-0313): the message inside a
 * result from acct's own archive, from the archive of a room of ours
 * (its catch-up on join, or a page asked for by scroll-back), borrowed
 * from st, with *out saying where it came from. NULL for a stanza that
 * is no archive result, and for results someone else forged (then
 * out->ignore is set when the stanza must be dropped).
 */
xmpp_stanza_t *mam_unwrap(xmpp_stanza_t *st, struct account *acct,
                          struct mam_arrival *out);
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
