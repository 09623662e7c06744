/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_ACCOUNT_H
#define NATTER_CORE_ACCOUNT_H

#include <glib.h>
#include <stdbool.h>

#include "core/event.h"

struct session;      /* owned by the protocol layer (xmpp/session.h) */
struct bookmark_set; /* core/bookmark.h */

enum tls_policy {
    TLS_FORCE,   /* STARTTLS required, certificate verified */
    TLS_ALLOW,   /* TLS if the server offers it */
    TLS_TRUST,   /* TLS required, certificate not verified */
    TLS_DISABLE, /* never TLS */
    TLS_DIRECT,  /* TLS from the first byte (XEP-0368), else STARTTLS */
};

/* One resource of a contact and what it last said about itself. */
struct resource {
    char *name;
    char *show; /* "online", "away", "xa", "dnd", "chat" */
    char *status;
    int priority;
};

/* A contact: someone in the roster or someone who wrote to us. */
struct contact {
    char *jid;          /* bare JID, prepared */
    char *name;         /* roster name, may be NULL */
    char *subscription; /* "none", "to", "from", "both", may be NULL */
    char *ask;          /* "subscribe" while our request is pending */
    GPtrArray *groups;  /* roster groups (char *), may be empty */
    bool in_roster;
    bool asks_us;          /* they asked to see our presence; unanswered */
    char *chat_state;      /* their last chat state (XEP-0085), may be NULL */
    GHashTable *resources; /* name -> struct resource */
};

/* One XMPP account: its identity, connection settings, model. */
struct account {
    char *name;     /* configured name; the JID for ad-hoc accounts */
    char *jid;      /* bare JID, prepared */
    char *resource; /* bound resource once online */
    char *server;   /* host to connect to, NULL for DNS SRV lookup */
    int port;       /* 0 for default */
    enum tls_policy tls;
    enum account_state state;
    char *show;           /* our presence: "online", "away", ... */
    char *status;         /* our status message, may be NULL */
    GHashTable *contacts; /* bare JID -> struct contact */
    GHashTable *blocked;  /* JIDs the server blocks for us (XEP-0191) */
    bool blocking;        /* the server supports XEP-0191 */
    GHashTable *rooms;    /* bare room JID -> struct room (core/room.h) */
    char *muc_service;    /* the server's group chat service, from disco */
    char *roster_ver;     /* version of the roster held (RFC 6121 2.6),
                             NULL when the server does not version it */
    struct bookmark_set *bookmarks; /* room bookmarks (core/bookmark.h) */
    struct session *session;

    /* Settings kept in the accounts file (configured accounts only). */
    bool configured;
    bool enabled;        /* connect at start-up */
    char *resource_pref; /* resource to ask for, NULL for a random one */
    int priority;
    char *password_eval; /* command whose first output line is the password */
    char *password;      /* stored only on explicit request */
    char *autojoin;      /* local rooms to join on connect: ROOM[/NICK],... */
    char *presence;      /* "SHOW [status]" to set on connect */
    bool allow_plain;    /* PLAIN login without TLS is acceptable */

    /* Connection life, owned by the protocol layer. */
    char *secret;         /* password of the current login, for reconnects */
    bool want_online;     /* the user asked for a connection */
    unsigned int retries; /* reconnect attempts since the last success */
    guint retry_timer;
    GQueue pending; /* struct message typed while offline, oldest first;
                       sent when the account is back */
};

/* Create an account for bare JID named name and add it to the list. */
struct account *account_new(const char *name, const char *jid);
/* Find an account by bare JID; NULL if there is none. */
struct account *account_find(const char *jid);
/* Find an account by name, or else by bare JID; NULL if there is none. */
struct account *account_find_name(const char *name);
/* Remove acct from the list and free it (it must be offline). */
void account_remove(struct account *acct);
/* Forget the password kept for reconnects, wiping its bytes. */
void account_forget_secret(struct account *acct);
/* Number of accounts online or on their way. */
unsigned int account_active_count(void);
/* Every account, in creation order; the array is owned by this module. */
GPtrArray *account_list(void);
/* The account commands act on when the window has none: last one used. */
struct account *account_default(void);
/* Remember acct as the last one used. */
void account_set_default(struct account *acct);
/* Set acct's state and emit EV_ACCOUNT_STATE with reason, a finished
 * sentence (an OFFLINE_TEXT reason) or NULL. */
void account_set_state(struct account *acct, enum account_state state,
                       const char *reason);
/* Set acct offline and emit EV_ACCOUNT_STATE with why (NULL for a clean
 * close; borrowed). */
void account_set_offline(struct account *acct, const struct offline_why *why);
/* Human word for a state. */
const char *account_state_name(enum account_state state);
/* Human word for a TLS policy. */
const char *tls_policy_name(enum tls_policy p);
/* Names of the TLS policies, NULL-terminated (for completion). */
const char *const *tls_policy_names(void);
/* TLS policy from its name; false if it is none. */
bool tls_policy_parse(const char *name, enum tls_policy *out);
/* Free every account. */
void account_deinit(void);

/* Find a contact by bare JID; NULL if unknown. */
struct contact *contact_find(struct account *acct, const char *bare);
/* Find or create a contact by bare JID. */
struct contact *contact_get(struct account *acct, const char *bare);
/*
 * Make c a roster item with name, subscription and ask (each may be
 * NULL) and the groups in groups (char *, copied; shown sorted).
 */
void contact_set_roster_item(struct contact *c, const char *name,
                             const char *subscription, const char *ask,
                             GPtrArray *groups);
/* Take every contact of acct out of the roster (a new one replaces it). */
void account_roster_clear(struct account *acct);
/*
 * Record presence of one resource (show "offline" removes it). Returns
 * true if the contact's overall presence changed.
 */
bool contact_set_presence(struct contact *c, const char *resource,
                          const char *show, const char *status, int priority);
/* The resource with the highest priority, NULL if offline. */
struct resource *contact_best(struct contact *c);
/* Overall show of a contact: the best resource's, or "offline". */
const char *contact_show(struct contact *c);
/* Forget every resource of every contact (we went offline). */
void contact_clear_presence(struct account *acct);
/*
 * Contacts of acct sorted for display (available first, then by name).
 * Note: result must be freed with g_ptr_array_unref(); items are borrowed.
 */
GPtrArray *contact_sorted(struct account *acct);

#endif
