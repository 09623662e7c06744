/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_MUC_STANZA_H
#define NATTER_XMPP_MUC_STANZA_H

#include <glib.h>
#include <stdbool.h>
#include <strophe.h>

/*
 * Group chat (XEP-0045) stanzas taken apart and built: pure functions, no
 * model, so unit tests and fuzzers can drive them.
 */

#define NS_MUC "http://jabber.org/protocol/muc"
#define NS_MUC_USER "http://jabber.org/protocol/muc#user"
#define NS_MUC_ADMIN "http://jabber.org/protocol/muc#admin"
#define NS_MUC_OWNER "http://jabber.org/protocol/muc#owner"
#define NS_CONFERENCE "jabber:x:conference"
#define NS_DISCO_INFO "http://jabber.org/protocol/disco#info"
#define NS_DISCO_ITEMS "http://jabber.org/protocol/disco#items"

/* Most status codes kept from one presence; more are ignored. */
#define MUC_MAX_CODES 16

/* A room presence (occupant or our own) taken apart; strings owned. */
struct muc_presence {
    char *room; /* bare room JID (as sent, not prepared) */
    char *nick; /* resource part: the occupant's nick */
    bool unavailable;
    bool error;
    char *error_condition; /* type='error': the defined condition */
    char *error_text;      /* and the server's text, may be NULL */
    char *show;            /* "online" when absent */
    char *status;
    bool has_x;        /* carries a muc#user <x/> */
    char *affiliation; /* item attributes, may be NULL */
    char *role;
    char *jid;      /* real JID, when the room shows it */
    char *new_nick; /* item nick with status 303 */
    char *actor;    /* who kicked or banned (nick, else JID) */
    char *reason;
    bool destroyed;       /* <destroy/>: the room is gone */
    char *destroy_reason; /* may be NULL */
    char *destroy_alt;    /* alternate venue, may be NULL */
    int codes[MUC_MAX_CODES];
    int ncodes;
};

/* Parse a presence from a room; false if st has no from. */
bool muc_presence_parse(xmpp_stanza_t *st, struct muc_presence *out);
/* Free the strings of a parsed room presence. */
void muc_presence_clear(struct muc_presence *p);
/* Whether the presence carries status code. */
bool muc_presence_has(const struct muc_presence *p, int code);

/* An invitation to a room, mediated (XEP-0045 7.8.2) or direct (XEP-0249). */
struct muc_invite {
    char *room;     /* room JID */
    char *from;     /* who invites (full or bare JID) */
    char *reason;   /* may be NULL */
    char *password; /* may be NULL */
};

/*
 * The invitation inside a message, if it is one: mediated invitations
 * come from the room, direct ones from the inviter. Free with
 * muc_invite_clear().
 */
bool muc_invite_parse(xmpp_stanza_t *msg, struct muc_invite *out);
/* Free the strings of an invitation. */
void muc_invite_clear(struct muc_invite *inv);

/*
 * The join presence to room/nick: an XEP-0045 <x/> with an optional
 * password and a history request (maxstanzas when since is 0, else
 * since that unix time; maxstanzas < 0 asks for the room's default).
 * Caller releases.
 */
xmpp_stanza_t *muc_join_build(xmpp_ctx_t *ctx, const char *room,
                              const char *nick, const char *password,
                              int maxstanzas, long long since,
                              const char *show, const char *status);
/* An unavailable presence to room/nick with an optional status; caller
 * releases. */
xmpp_stanza_t *muc_leave_build(xmpp_ctx_t *ctx, const char *room,
                               const char *nick, const char *status);
/* A groupchat message setting the subject; caller releases. */
xmpp_stanza_t *muc_subject_build(xmpp_ctx_t *ctx, const char *room,
                                 const char *subject);
/*
 * An admin iq (XEP-0045 muc#admin) setting one item: by nick (roles) or
 * by jid (affiliations), with attr ("role" or "affiliation") = value and
 * an optional reason. Caller releases.
 */
xmpp_stanza_t *muc_admin_set_build(xmpp_ctx_t *ctx, const char *id,
                                   const char *room, const char *nick,
                                   const char *jid, const char *attr,
                                   const char *value, const char *reason);
/* The admin get listing every item with affiliation; caller releases. */
xmpp_stanza_t *muc_affiliation_list_build(xmpp_ctx_t *ctx, const char *id,
                                          const char *room,
                                          const char *affiliation);
/* A mediated invitation through room to jid; caller releases. */
xmpp_stanza_t *muc_invite_build(xmpp_ctx_t *ctx, const char *room,
                                const char *jid, const char *reason);
/* A direct invitation (XEP-0249) to jid; caller releases. */
xmpp_stanza_t *muc_direct_invite_build(xmpp_ctx_t *ctx, const char *room,
                                       const char *jid, const char *reason,
                                       const char *password);
/* An owner iq: get (form NULL, destroy false), destroy with reason, or the
 * submission of an empty form (instant room); caller releases. */
xmpp_stanza_t *muc_owner_build(xmpp_ctx_t *ctx, const char *id,
                               const char *room, const char *type,
                               bool destroy, const char *reason, bool instant);
/* A disco#info or disco#items get to to (node may be NULL); caller
 * releases. */
xmpp_stanza_t *disco_get_build(xmpp_ctx_t *ctx, const char *id, const char *to,
                               const char *ns);

/* An item of a disco#items result or of an admin list. Strings owned. */
struct disco_item {
    char *jid;
    char *name;  /* may be NULL */
    char *extra; /* admin lists: the affiliation's nick or role; NULL */
};

/*
 * Items of a disco#items result, or of a muc#admin list (ns tells which
 * query to read). Note: free with g_ptr_array_unref().
 */
GPtrArray *disco_items_parse(xmpp_stanza_t *iq, const char *ns);
/* Whether a disco#info result lists feature var. */
bool disco_has_feature(xmpp_stanza_t *iq, const char *var);
/* Whether a disco#info result has an identity of category and type. */
bool disco_has_identity(xmpp_stanza_t *iq, const char *category,
                        const char *type);
/*
 * The value of field var in the data form of a disco#info result (XEP-0128
 * extended info, e.g. muc#roominfo_occupants); NULL if none. Caller frees.
 */
char *disco_form_value(xmpp_stanza_t *iq, const char *var);
/* The name of the first identity of a disco#info result; caller frees. */
char *disco_identity_name(xmpp_stanza_t *iq);

/*
 * Whether the answer to a self-ping (XEP-0410) says the room no longer
 * has us: any error but those that mean "still joined, but no ping"
 * (service-unavailable, feature-not-implemented) or "cannot tell now"
 * (remote-server-not-found, remote-server-timeout). A result is no loss.
 */
bool muc_self_ping_lost(xmpp_stanza_t *reply);

/*
 * One line for a room error condition, saying what to do, for room (and
 * our nick, for conflicts). Note: result must be freed with g_free().
 */
char *muc_error_text(const char *condition, const char *text, const char *room,
                     const char *nick);

#endif
