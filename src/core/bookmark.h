/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_BOOKMARK_H
#define NATTER_CORE_BOOKMARK_H

#include <glib.h>
#include <stdbool.h>

struct account;

/*
 * Room bookmarks as the model sees them: the rooms an account keeps on
 * its server (XEP-0402, or XEP-0048 in private storage), with the nick,
 * password and whether to join them on connect. The protocol layer
 * (xmpp/bookmarks.c) fills them in; commands and completion read them.
 */

/* Where the server keeps an account's bookmarks. */
enum bookmark_store {
    BOOKMARK_STORE_UNKNOWN, /* not asked yet (offline, or on the way) */
    BOOKMARK_STORE_PEP,     /* XEP-0402: one PEP item per room */
    BOOKMARK_STORE_PRIVATE, /* XEP-0048 in XEP-0049 private storage */
    BOOKMARK_STORE_NONE,    /* the server keeps none */
};

/* One bookmarked room. Strings owned by the bookmark. */
struct bookmark {
    char *jid;      /* bare room JID */
    char *name;     /* friendly name, may be NULL */
    char *nick;     /* may be NULL: the account's local part */
    char *password; /* may be NULL */
    bool autojoin;
    char *extensions; /* XEP-0402 <extensions/> kept as XML text, or NULL */
};

/* An account's bookmarks and where they live. */
struct bookmark_set {
    GHashTable *items; /* bare room JID -> struct bookmark */
    enum bookmark_store store;
    bool loaded; /* the list was fetched in this session */
    /* XEP-0048: other children of <storage/> (URLs, unknown elements) as
     * XML text, written back untouched. */
    GPtrArray *foreign;
};

/* A bookmark for room jid with no options set; free with bookmark_free. */
struct bookmark *bookmark_new(const char *jid);
/* A deep copy of b; free with bookmark_free. */
struct bookmark *bookmark_copy(const struct bookmark *b);
/* Free a bookmark (NULL is fine). */
void bookmark_free(struct bookmark *b);
/* An XML boolean ("true" or "1"); anything else, NULL included, is false. */
bool bookmark_bool(const char *s);

/* The bookmarks of acct, created empty if needed; owned by the account. */
struct bookmark_set *bookmark_set_get(struct account *acct);
/* Free a set (the account is going away); NULL is fine. */
void bookmark_set_free(struct bookmark_set *set);
/* The bookmark of acct for room jid, NULL if none; owned by the set. */
struct bookmark *bookmark_find(struct account *acct, const char *jid);
/* Add or replace the bookmark for b->jid; the set takes b over. */
void bookmark_put(struct account *acct, struct bookmark *b);
/* Forget the bookmark for jid; false if there was none. */
bool bookmark_drop(struct account *acct, const char *jid);
/* Forget every bookmark of acct (a fresh list arrives). */
void bookmark_clear(struct account *acct);
/*
 * The bookmarks of acct sorted by room JID. Note: free with
 * g_ptr_array_unref(); items borrowed from the set.
 */
GPtrArray *bookmark_sorted(struct account *acct);
/* Human words for a store ("PEP (XEP-0402)", ...). */
const char *bookmark_store_name(enum bookmark_store store);

#endif
