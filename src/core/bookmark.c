/* SPDX-License-Identifier: MIT */
/* Room bookmarks of each account: the model behind /bookmark and the
 * autojoin on connect. */
#include "core/bookmark.h"

#include <string.h>

#include "core/account.h"

/* A bookmark for room jid with no options set; free with bookmark_free. */
struct bookmark *
bookmark_new(const char *jid)
{
    struct bookmark *b = g_new0(struct bookmark, 1);

    b->jid = g_strdup(jid);
    return b;
}

/* A deep copy of b; free with bookmark_free. */
struct bookmark *
bookmark_copy(const struct bookmark *b)
{
    struct bookmark *c = bookmark_new(b->jid);

    c->name = g_strdup(b->name);
    c->nick = g_strdup(b->nick);
    c->password = g_strdup(b->password);
    c->autojoin = b->autojoin;
    c->extensions = g_strdup(b->extensions);
    return c;
}

/* Free a bookmark (NULL is fine). */
void
bookmark_free(struct bookmark *b)
{
    if (b == NULL)
        return;
    g_free(b->jid);
    g_free(b->name);
    g_free(b->nick);
    g_free(b->password);
    g_free(b->extensions);
    g_free(b);
}

/* An XML boolean ("true" or "1"); anything else is false. */
bool
bookmark_bool(const char *s)
{
    return s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);
}

/* The bookmarks of acct, created empty if needed; owned by the account. */
struct bookmark_set *
bookmark_set_get(struct account *acct)
{
    if (acct->bookmarks == NULL) {
        struct bookmark_set *set = g_new0(struct bookmark_set, 1);
        set->items = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify)bookmark_free);
        set->foreign = g_ptr_array_new_with_free_func(g_free);
        acct->bookmarks = set;
    }
    return acct->bookmarks;
}

/* Free a set; NULL is fine. */
void
bookmark_set_free(struct bookmark_set *set)
{
    if (set == NULL)
        return;
    g_hash_table_destroy(set->items);
    g_ptr_array_unref(set->foreign);
    g_free(set);
}

/* The bookmark of acct for room jid, NULL if none; owned by the set. */
struct bookmark *
bookmark_find(struct account *acct, const char *jid)
{
    if (acct->bookmarks == NULL || jid == NULL)
        return NULL;
    return g_hash_table_lookup(acct->bookmarks->items, jid);
}

/* Add or replace the bookmark for b->jid; the set takes b over. */
void
bookmark_put(struct account *acct, struct bookmark *b)
{
    /* The key is the bookmark's own jid, so the old entry must go first
     * (a replace would keep the old key, freed with the old value). */
    g_hash_table_remove(bookmark_set_get(acct)->items, b->jid);
    g_hash_table_insert(acct->bookmarks->items, b->jid, b);
}

/* Forget the bookmark for jid; false if there was none. */
bool
bookmark_drop(struct account *acct, const char *jid)
{
    return acct->bookmarks != NULL &&
           g_hash_table_remove(acct->bookmarks->items, jid);
}

/* Forget every bookmark of acct. */
void
bookmark_clear(struct account *acct)
{
    struct bookmark_set *set = bookmark_set_get(acct);

    g_hash_table_remove_all(set->items);
    g_ptr_array_set_size(set->foreign, 0);
}

/* Order two bookmarks by room JID. */
static gint
compare_jid(gconstpointer a, gconstpointer b)
{
    const struct bookmark *x = *(struct bookmark *const *)a;
    const struct bookmark *y = *(struct bookmark *const *)b;

    return strcmp(x->jid, y->jid);
}

/* The bookmarks of acct sorted by room JID; items borrowed. */
GPtrArray *
bookmark_sorted(struct account *acct)
{
    GPtrArray *out = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;

    if (acct->bookmarks != NULL) {
        g_hash_table_iter_init(&it, acct->bookmarks->items);
        while (g_hash_table_iter_next(&it, NULL, &v))
            g_ptr_array_add(out, v);
    }
    g_ptr_array_sort(out, compare_jid);
    return out;
}

/* Human words for a store. */
const char *
bookmark_store_name(enum bookmark_store store)
{
    switch (store) {
    case BOOKMARK_STORE_PEP:
        return "PEP (XEP-0402)";
    case BOOKMARK_STORE_PRIVATE:
        return "private storage (XEP-0048)";
    case BOOKMARK_STORE_NONE:
        return "none";
    case BOOKMARK_STORE_UNKNOWN:
        break;
    }
    return "not known yet";
}
