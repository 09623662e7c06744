/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_BOOKMARKS_H
#define NATTER_XMPP_BOOKMARKS_H

#include <stdbool.h>
#include <strophe.h>

struct account;
struct bookmark;

/*
 * Room bookmarks on the server: XEP-0402 (PEP) when the account offers
 * it, else XEP-0048 in private storage (XEP-0049). Fetched on every
 * login into the model (core/bookmark.h); autojoin rooms are then joined
 * through muc_join(), together with the rooms of the account's local
 * autojoin setting. Results are reported as notices.
 */

/*
 * An online session's first moments: find where the server keeps
 * bookmarks, fetch them, join the autojoin ones natter is not already in
 * or rejoining.
 */
void bookmarks_online(struct account *acct);
/*
 * Store b (copied) as acct's bookmark for b->jid, replacing any; with
 * autojoin, join the room now if natter is not in it. The outcome is a
 * notice. False with *cause when it cannot even be sent.
 */
bool bookmarks_add(struct account *acct, const struct bookmark *b,
                   char **cause);
/* Whether acct's bookmarks can be changed now (online, fetched, kept by
 * the server); false with *cause saying why not. */
bool bookmarks_can_change(struct account *acct, char **cause);
/* Remove acct's bookmark of room jid (the room is not left). */
bool bookmarks_remove(struct account *acct, const char *jid, char **cause);
/*
 * Handle a PEP notification (XEP-0163) about acct's XEP-0402 bookmarks,
 * sent by our own server when another client (or this one) changes them;
 * true when it was one (the caller then does nothing more with it).
 */
bool bookmarks_handle_message(xmpp_conn_t *conn, xmpp_stanza_t *st,
                              struct account *acct);
/*
 * Join the rooms of acct's local autojoin setting: room JIDs (or names on
 * the account's group chat service), each with an optional /nick,
 * separated by commas or spaces.
 */
void bookmarks_autojoin_local(struct account *acct);

#endif
