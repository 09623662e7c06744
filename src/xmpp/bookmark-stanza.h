/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_BOOKMARK_STANZA_H
#define NATTER_XMPP_BOOKMARK_STANZA_H

#include <glib.h>
#include <stdbool.h>
#include <strophe.h>

struct bookmark;

/*
 * Bookmark stanzas taken apart and built, in both formats: XEP-0402 (one
 * PEP item per room) and XEP-0048 (one <storage/> in XEP-0049 private
 * storage). Pure functions, no model, so unit tests and fuzzers can
 * drive them.
 */

#define NS_BOOKMARKS "urn:xmpp:bookmarks:1"
#define NS_BOOKMARKS_COMPAT "urn:xmpp:bookmarks:1#compat"
#define NS_BOOKMARKS_OLD "storage:bookmarks"
#define NS_PRIVATE "jabber:iq:private"
#define NS_PUBSUB "http://jabber.org/protocol/pubsub"
#define NS_PUBSUB_EVENT "http://jabber.org/protocol/pubsub#event"
#define NS_PUBSUB_PUBLISH_OPTIONS                                             \
    "http://jabber.org/protocol/pubsub#publish-options"

/*
 * A bookmark from a <conference/> element: XEP-0402 (jid is the item id)
 * or XEP-0048 (jid NULL: the element's jid attribute). NULL when the JID
 * is missing or malformed. Free with bookmark_free().
 */
struct bookmark *bookmark_conference_parse(xmpp_stanza_t *conf,
                                           const char *jid);
/*
 * The bookmarks in the <item/>s of a pubsub <items/> element (a fetch
 * result or an event); items without a valid conference are skipped.
 * Note: free with g_ptr_array_unref() (it frees the bookmarks).
 */
GPtrArray *bookmark_items_parse(xmpp_stanza_t *items);
/*
 * The bookmarks of a pubsub items result for the XEP-0402 node; NULL when
 * iq is no such result. Note: free with g_ptr_array_unref().
 */
GPtrArray *bookmark_pep_result_parse(xmpp_stanza_t *iq);
/*
 * A PEP notification (XEP-0163) about the XEP-0402 node inside msg:
 * *published gets the new or changed bookmarks, *retracted the room JIDs
 * removed (both freed with g_ptr_array_unref()), *purged whether the whole
 * node was emptied. False (nothing set) when msg is no such event.
 */
bool bookmark_event_parse(xmpp_stanza_t *msg, GPtrArray **published,
                          GPtrArray **retracted, bool *purged);
/*
 * The bookmarks of a private storage (XEP-0049) result holding XEP-0048
 * <storage/>; other children of <storage/> (URL bookmarks, elements of
 * other clients) are added to foreign as XML text so that a write keeps
 * them. NULL when iq is no such result. Note: free with
 * g_ptr_array_unref().
 */
GPtrArray *bookmark_private_parse(xmpp_stanza_t *iq, GPtrArray *foreign);

/* The XEP-0402 <conference/> for b (without the JID, which is the item
 * id); caller releases. */
xmpp_stanza_t *bookmark_conference_build(xmpp_ctx_t *ctx,
                                         const struct bookmark *b);
/* Fetch every XEP-0402 item from our own PEP service (to: our bare JID);
 * caller releases. */
xmpp_stanza_t *bookmark_pep_get_build(xmpp_ctx_t *ctx, const char *id,
                                      const char *to);
/* Publish b as an XEP-0402 item with the publish-options the XEP asks
 * for (persistent, max items, never sent on subscribe, whitelist); caller
 * releases. */
xmpp_stanza_t *bookmark_pep_publish_build(xmpp_ctx_t *ctx, const char *id,
                                          const struct bookmark *b);
/* Retract the XEP-0402 item of room jid, notifying our other clients;
 * caller releases. */
xmpp_stanza_t *bookmark_pep_retract_build(xmpp_ctx_t *ctx, const char *id,
                                          const char *jid);
/* Read XEP-0048 bookmarks from private storage; caller releases. */
xmpp_stanza_t *bookmark_private_get_build(xmpp_ctx_t *ctx, const char *id);
/*
 * Write bookmarks (struct bookmark *) to private storage as one XEP-0048
 * <storage/>, followed by the foreign elements (XML text, may be NULL)
 * that were read with them; caller releases.
 */
xmpp_stanza_t *bookmark_private_set_build(xmpp_ctx_t *ctx, const char *id,
                                          GPtrArray *bookmarks,
                                          GPtrArray *foreign);

#endif
