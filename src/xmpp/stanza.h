/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_STANZA_H
#define NATTER_XMPP_STANZA_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <strophe.h>

#define NS_ROSTER "jabber:iq:roster"
#define NS_DELAY "urn:xmpp:delay"
#define NS_STANZAS "urn:ietf:params:xml:ns:xmpp-stanzas"

/* A <message/> taken apart. Strings are owned; free with msg_clear(). */
struct parsed_message {
    char *from;
    char *to;
    char *type; /* "chat", "normal", "groupchat", "headline", "error" */
    char *id;
    char *body; /* NULL when there is none */
    char *error; /* condition and text of a type='error' message */
    int64_t delay; /* XEP-0203 stamp in unix seconds, 0 when absent */
};

/* A <presence/> taken apart. Free with presence_clear(). */
struct parsed_presence {
    char *from;
    char *type; /* NULL for available */
    char *show; /* "online" when available without <show/> */
    char *status;
    int priority;
};

/* One roster item. */
struct roster_item {
    char *jid;
    char *name;
    char *subscription;
    char *ask;
    GPtrArray *groups; /* of char* */
};

/* Parse a message stanza; false if it is no message. */
bool msg_parse(xmpp_stanza_t *st, struct parsed_message *out);
/* Free the strings of a parsed message. */
void msg_clear(struct parsed_message *m);
/* Parse a presence stanza; false if it is no presence. */
bool presence_parse(xmpp_stanza_t *st, struct parsed_presence *out);
/* Free the strings of a parsed presence. */
void presence_clear(struct parsed_presence *p);
/*
 * Items of a roster query inside iq (result or push). Note: free with
 * g_ptr_array_unref(); items are freed with it.
 */
GPtrArray *roster_parse(xmpp_stanza_t *iq);
/* Text of a stanza error: condition and optional text; caller frees. */
char *stanza_error_text(xmpp_stanza_t *st);

/* A chat message to with body; caller releases with xmpp_stanza_release. */
xmpp_stanza_t *msg_build(xmpp_ctx_t *ctx, const char *to, const char *body,
                         const char *id);
/*
 * Our presence: show is "online", "chat", "away", "xa" or "dnd"; status
 * may be NULL. Caller releases.
 */
xmpp_stanza_t *presence_build(xmpp_ctx_t *ctx, const char *show,
                              const char *status, int priority);
/*
 * A roster set request for jid (RFC 6121 2.3): with remove, the item is
 * removed; else it gets name (may be NULL) and groups (may be NULL).
 * Caller releases.
 */
xmpp_stanza_t *roster_set_build(xmpp_ctx_t *ctx, const char *id,
                                const char *jid, const char *name,
                                GPtrArray *groups, bool remove);
/* A directed presence of type (subscribe, subscribed, unsubscribe,
 * unsubscribed) to jid. Caller releases. */
xmpp_stanza_t *presence_type_build(xmpp_ctx_t *ctx, const char *to,
                                   const char *type);
/* The roster get request; caller releases. */
xmpp_stanza_t *roster_get_build(xmpp_ctx_t *ctx, const char *id);

/* An empty reply of type ("result", "error") to iq: same id, to its
 * sender when it has one. Caller releases. */
xmpp_stanza_t *iq_reply_build(xmpp_stanza_t *iq, const char *type);
/*
 * The error reply to iq: type='error' with a cancel error of condition
 * cond (RFC 6120 8.3). Caller releases.
 */
xmpp_stanza_t *iq_error_build(xmpp_stanza_t *iq, const char *cond);

/* Whether show is one of the values /status takes. */
bool show_valid(const char *show);

#endif
