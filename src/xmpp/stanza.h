/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_STANZA_H
#define NATTER_XMPP_STANZA_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <strophe.h>

#include "core/message.h"

#define NS_ROSTER "jabber:iq:roster"
#define NS_DELAY "urn:xmpp:delay"
#define NS_STANZAS "urn:ietf:params:xml:ns:xmpp-stanzas"
#define NS_RECEIPTS "urn:xmpp:receipts"
#define NS_CORRECT "urn:xmpp:message-correct:0"
#define NS_SID "urn:xmpp:sid:0"
#define NS_CARBONS "urn:xmpp:carbons:2"
#define NS_FORWARD "urn:xmpp:forward:0"
#define NS_CHATSTATES "http://jabber.org/protocol/chatstates"
#define NS_MARKERS "urn:xmpp:chat-markers:0"
#define NS_OOB "jabber:x:oob"
#define NS_HINTS "urn:xmpp:hints"
/* The muc#user namespace, here only to mark room private messages. */
#define NS_MUC_USER_MARK "http://jabber.org/protocol/muc#user"

/* A <message/> taken apart. Strings are owned; free with msg_clear(). */
struct parsed_message {
    char *from;
    char *to;
    char *type; /* "chat", "normal", "groupchat", "headline", "error" */
    char *id;
    char *body;           /* NULL when there is none */
    char *error;          /* condition and text of a type='error' message */
    int64_t delay;        /* XEP-0203 stamp in unix seconds, 0 when absent */
    bool receipt_request; /* XEP-0184 <request/> */
    char *receipt_for;    /* XEP-0184 <received id=.../> */
    char *replace_id;     /* XEP-0308 <replace id=.../> */
    char *origin_id;      /* XEP-0359 <origin-id id=.../> */
    char *chat_state;     /* XEP-0085: active, composing, paused, ... */
    bool markable;        /* XEP-0333 <markable/> */
    char *displayed_id;   /* XEP-0333 <displayed id=.../> */
    char *oob_url;        /* XEP-0066 <x xmlns='jabber:x:oob'><url/> */
    unsigned int hints;   /* XEP-0334, MESSAGE_HINT_* bits */
};

/* Which carbon copy (XEP-0280) a message is, if any. */
enum carbon_kind {
    CARBON_NONE,
    CARBON_RECEIVED, /* a message another of our clients received */
    CARBON_SENT,     /* a message another of our clients sent */
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
/*
 * The message a carbon copy wraps (borrowed from st), and which kind it
 * is; NULL and CARBON_NONE for any other message. The caller must check
 * that the copy comes from its own bare JID (XEP-0280 security).
 */
xmpp_stanza_t *carbon_unwrap(xmpp_stanza_t *st, enum carbon_kind *kind);
/* Parse a presence stanza; false if it is no presence. */
bool presence_parse(xmpp_stanza_t *st, struct parsed_presence *out);
/* Free the strings of a parsed presence. */
void presence_clear(struct parsed_presence *p);
/*
 * Items of a roster query inside iq (result or push). Note: free with
 * g_ptr_array_unref(); items are freed with it.
 */
GPtrArray *roster_parse(xmpp_stanza_t *iq);
/*
 * Whether a roster push from 'from' (NULL: no attribute) may change the
 * roster of bare JID own: RFC 6121 2.1.6 allows only no 'from' or our
 * bare JID, not a stranger and not another resource of ours.
 */
bool roster_push_trusted(const char *from, const char *own);
/* Text of a stanza error: condition and optional text; caller frees. */
char *stanza_error_text(xmpp_stanza_t *st);

/*
 * The <message/> for outgoing message m (chat, room or private through a
 * room), its children chosen from m's fields. Caller releases.
 */
xmpp_stanza_t *message_stanza_build(xmpp_ctx_t *ctx, const struct message *m);
/*
 * A chat message to with body that asks for a delivery receipt, carries
 * id also as its origin-id (XEP-0359) and, with replace_id, corrects that
 * earlier message (XEP-0308). Caller releases.
 */
xmpp_stanza_t *msg_build(xmpp_ctx_t *ctx, const char *to, const char *body,
                         const char *id, const char *replace_id);
/* The receipt for message id (XEP-0184) to to; caller releases. */
xmpp_stanza_t *receipt_build(xmpp_ctx_t *ctx, const char *to, const char *id);
/* The displayed marker for message id (XEP-0333); caller releases. */
xmpp_stanza_t *marker_build(xmpp_ctx_t *ctx, const char *to, const char *id);
/* A standalone chat state notification (XEP-0085); caller releases. */
xmpp_stanza_t *chatstate_build(xmpp_ctx_t *ctx, const char *to,
                               const char *state);
/* The iq that enables message carbons (XEP-0280); caller releases. */
xmpp_stanza_t *carbons_enable_build(xmpp_ctx_t *ctx, const char *id);
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
/*
 * The roster get request; with ver (not NULL) it names the version of the
 * roster we hold (RFC 6121 2.6.2; "" for none yet). Caller releases.
 */
xmpp_stanza_t *roster_get_build(xmpp_ctx_t *ctx, const char *id,
                                const char *ver);

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
/* Whether a presence 'type' is absent (NULL) or one RFC 6121 4.7.1
 * defines. */
bool presence_type_known(const char *type);
/*
 * The error reply to presence pres (to its sender, same id) with a
 * modify error of condition cond, e.g. bad-request for an unknown type
 * (RFC 6121 4.7.1). Caller releases.
 */
xmpp_stanza_t *presence_error_build(xmpp_stanza_t *pres, const char *cond);

#endif
