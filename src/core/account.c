/* SPDX-License-Identifier: MIT */
#include "core/account.h"

#include <string.h>

#include "core/bookmark.h"
#include "core/message.h"
#include "core/room.h"

static GPtrArray *accounts;
static struct account *default_account;

/* Free a contact and its resources. */
static void
contact_free(void *p)
{
    struct contact *c = p;

    g_free(c->jid);
    g_free(c->name);
    g_free(c->subscription);
    g_free(c->ask);
    g_free(c->chat_state);
    g_ptr_array_unref(c->groups);
    g_hash_table_destroy(c->resources);
    g_free(c);
}

/* Free a resource. */
static void
resource_free(void *p)
{
    struct resource *r = p;

    g_free(r->name);
    g_free(r->show);
    g_free(r->status);
    g_free(r);
}

/* Forget the password kept for reconnects, wiping its bytes. */
void
account_forget_secret(struct account *acct)
{
    if (acct->secret != NULL)
        memset(acct->secret, 0, strlen(acct->secret));
    g_free(acct->secret);
    acct->secret = NULL;
}

/* Free an account and its model. */
static void
account_free(void *p)
{
    struct account *acct = p;

    if (acct->retry_timer != 0)
        g_source_remove(acct->retry_timer);
    account_forget_secret(acct);
    if (acct->password != NULL)
        memset(acct->password, 0, strlen(acct->password));
    g_free(acct->password);
    g_free(acct->password_eval);
    g_free(acct->resource_pref);
    g_free(acct->autojoin);
    g_free(acct->presence);
    g_queue_clear_full(&acct->pending, (GDestroyNotify)message_free);
    g_free(acct->name);
    g_free(acct->jid);
    g_free(acct->resource);
    g_free(acct->server);
    g_free(acct->show);
    g_free(acct->status);
    g_free(acct->roster_ver);
    g_hash_table_destroy(acct->contacts);
    g_hash_table_destroy(acct->blocked);
    room_free_all(acct);
    bookmark_set_free(acct->bookmarks);
    g_free(acct->muc_service);
    g_free(acct);
}

/* Create an account for bare JID named name and add it to the list. */
struct account *
account_new(const char *name, const char *jid)
{
    struct account *acct = g_new0(struct account, 1);

    if (accounts == NULL)
        accounts = g_ptr_array_new_with_free_func(account_free);
    acct->name = g_strdup(name);
    acct->jid = g_strdup(jid);
    g_queue_init(&acct->pending);
    acct->tls = TLS_FORCE;
    acct->state = ACCOUNT_OFFLINE;
    acct->show = g_strdup("online");
    acct->contacts =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, contact_free);
    acct->blocked =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_ptr_array_add(accounts, acct);
    if (default_account == NULL)
        default_account = acct;
    return acct;
}

/* Find an account by bare JID; NULL if there is none. */
struct account *
account_find(const char *jid)
{
    if (accounts == NULL)
        return NULL;
    for (guint i = 0; i < accounts->len; i++) {
        struct account *acct = accounts->pdata[i];
        if (strcmp(acct->jid, jid) == 0)
            return acct;
    }
    return NULL;
}

/* Find an account by name, or else by bare JID; NULL if there is none. */
struct account *
account_find_name(const char *name)
{
    if (accounts == NULL)
        return NULL;
    for (guint i = 0; i < accounts->len; i++) {
        struct account *acct = accounts->pdata[i];
        if (strcmp(acct->name, name) == 0)
            return acct;
    }
    return account_find(name);
}

/* Remove acct from the list and free it (it must be offline). */
void
account_remove(struct account *acct)
{
    g_ptr_array_remove(accounts, acct);
    if (default_account == acct)
        default_account = accounts->len > 0 ? accounts->pdata[0] : NULL;
}

/* Number of accounts online or on their way. */
unsigned int
account_active_count(void)
{
    unsigned int n = 0;

    for (guint i = 0; accounts != NULL && i < accounts->len; i++)
        if (((struct account *)accounts->pdata[i])->state != ACCOUNT_OFFLINE)
            n++;
    return n;
}

/* Every account, in creation order; owned by this module. */
GPtrArray *
account_list(void)
{
    if (accounts == NULL)
        accounts = g_ptr_array_new_with_free_func(account_free);
    return accounts;
}

/* The account commands act on when the window has none. */
struct account *
account_default(void)
{
    return default_account;
}

/* Remember acct as the last one used. */
void
account_set_default(struct account *acct)
{
    default_account = acct;
}

/* Human word for a state. */
const char *
account_state_name(enum account_state state)
{
    switch (state) {
    case ACCOUNT_OFFLINE:
        return "offline";
    case ACCOUNT_CONNECTING:
        return "connecting";
    case ACCOUNT_ONLINE:
        return "online";
    case ACCOUNT_DISCONNECTING:
        return "disconnecting";
    }
    return "?";
}

static const char *const tls_names[] = {"force",   "allow",  "trust",
                                        "disable", "direct", NULL};

/* Names of the TLS policies, NULL-terminated. */
const char *const *
tls_policy_names(void)
{
    return tls_names;
}

/* Human word for a TLS policy. */
const char *
tls_policy_name(enum tls_policy p)
{
    return (unsigned int)p < G_N_ELEMENTS(tls_names) - 1 ? tls_names[p] : "?";
}

/* TLS policy from its name; false if it is none. */
bool
tls_policy_parse(const char *name, enum tls_policy *out)
{
    for (size_t i = 0; tls_names[i] != NULL; i++) {
        if (strcmp(name, tls_names[i]) == 0) {
            *out = (enum tls_policy)i;
            return true;
        }
    }
    return false;
}

/* Set acct's state and emit EV_ACCOUNT_STATE with why (may be NULL). */
static void
set_state(struct account *acct, enum account_state state,
          const struct offline_why *why)
{
    struct ev_account_state ev = {acct, state, why, acct->want_online};

    if (state == ACCOUNT_OFFLINE)
        contact_clear_presence(acct);
    if (acct->state == state && why == NULL)
        return; /* nothing new to tell */
    acct->state = state;
    event_emit(EV_ACCOUNT_STATE, &ev);
}

/* Set acct's state and emit EV_ACCOUNT_STATE with reason, a finished
 * sentence or NULL. */
void
account_set_state(struct account *acct, enum account_state state,
                  const char *reason)
{
    struct offline_why why = {OFFLINE_TEXT, NULL, acct->jid, reason, NULL};

    set_state(acct, state, reason != NULL ? &why : NULL);
}

/* Set acct offline and emit EV_ACCOUNT_STATE with why (may be NULL). */
void
account_set_offline(struct account *acct, const struct offline_why *why)
{
    set_state(acct, ACCOUNT_OFFLINE, why);
}

/* Free every account. */
void
account_deinit(void)
{
    if (accounts != NULL)
        g_ptr_array_free(accounts, TRUE);
    accounts = NULL;
    default_account = NULL;
}

/* Find a contact by bare JID; NULL if unknown. */
struct contact *
contact_find(struct account *acct, const char *bare)
{
    return g_hash_table_lookup(acct->contacts, bare);
}

/* Find or create a contact by bare JID. */
struct contact *
contact_get(struct account *acct, const char *bare)
{
    struct contact *c = contact_find(acct, bare);

    if (c != NULL)
        return c;
    c = g_new0(struct contact, 1);
    c->jid = g_strdup(bare);
    c->groups = g_ptr_array_new_with_free_func(g_free);
    c->resources =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, resource_free);
    g_hash_table_insert(acct->contacts, c->jid, c);
    return c;
}

/* Order two strings in a GPtrArray. */
static gint
compare_strings(gconstpointer a, gconstpointer b)
{
    return g_utf8_collate(*(char *const *)a, *(char *const *)b);
}

/* Make c a roster item with name, subscription, ask and groups. */
void
contact_set_roster_item(struct contact *c, const char *name,
                        const char *subscription, const char *ask,
                        GPtrArray *groups)
{
    c->in_roster = true;
    g_free(c->name);
    c->name = g_strdup(name);
    g_free(c->subscription);
    c->subscription = g_strdup(subscription);
    g_free(c->ask);
    c->ask = g_strdup(ask);
    g_ptr_array_set_size(c->groups, 0);
    for (guint g = 0; groups != NULL && g < groups->len; g++)
        g_ptr_array_add(c->groups, g_strdup(groups->pdata[g]));
    /* Servers keep no order; show groups the same way each time. */
    if (c->groups->len > 1)
        g_ptr_array_sort(c->groups, compare_strings);
}

/* Take every contact of acct out of the roster. */
void
account_roster_clear(struct account *acct)
{
    GHashTableIter it;
    void *v;

    g_hash_table_iter_init(&it, acct->contacts);
    while (g_hash_table_iter_next(&it, NULL, &v))
        ((struct contact *)v)->in_roster = false;
}

/* The resource with the highest priority, NULL if offline. */
struct resource *
contact_best(struct contact *c)
{
    GHashTableIter it;
    void *v;
    struct resource *best = NULL;

    g_hash_table_iter_init(&it, c->resources);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        struct resource *r = v;
        /* Ties go to the smaller name so the choice is stable. */
        if (best == NULL || r->priority > best->priority ||
            (r->priority == best->priority && strcmp(r->name, best->name) < 0))
            best = r;
    }
    return best;
}

/* Overall show of a contact: the best resource's, or "offline". */
const char *
contact_show(struct contact *c)
{
    struct resource *r = contact_best(c);

    return r != NULL ? r->show : "offline";
}

/* Record presence of one resource; true if the overall presence changed. */
bool
contact_set_presence(struct contact *c, const char *resource, const char *show,
                     const char *status, int priority)
{
    char *before = g_strdup(contact_show(c));
    struct resource *best = contact_best(c);
    char *before_status = g_strdup(best != NULL ? best->status : NULL);
    bool changed;

    if (strcmp(show, "offline") == 0) {
        g_hash_table_remove(c->resources, resource);
    } else {
        struct resource *r = g_hash_table_lookup(c->resources, resource);
        if (r == NULL) {
            r = g_new0(struct resource, 1);
            r->name = g_strdup(resource);
            g_hash_table_insert(c->resources, r->name, r);
        }
        g_free(r->show);
        g_free(r->status);
        r->show = g_strdup(show);
        r->status = g_strdup(status);
        r->priority = priority;
    }
    best = contact_best(c);
    changed =
        strcmp(before, contact_show(c)) != 0 ||
        g_strcmp0(before_status, best != NULL ? best->status : NULL) != 0;
    g_free(before);
    g_free(before_status);
    return changed;
}

/* Forget every resource of every contact (we went offline). */
void
contact_clear_presence(struct account *acct)
{
    GHashTableIter it;
    void *v;

    g_hash_table_iter_init(&it, acct->contacts);
    while (g_hash_table_iter_next(&it, NULL, &v))
        g_hash_table_remove_all(((struct contact *)v)->resources);
}

/* Rank of a show value for sorting: lower is more available. */
static int
show_rank(const char *show)
{
    static const char *const order[] = {"chat", "online", "away", "dnd", "xa"};

    for (size_t i = 0; i < G_N_ELEMENTS(order); i++)
        if (strcmp(show, order[i]) == 0)
            return (int)i;
    return (int)G_N_ELEMENTS(order);
}

/* A contact with its show rank, worked out once for sorting. */
struct ranked {
    int rank;
    struct contact *c;
};

/* Sort ranked contacts: available before away before offline, then by
 * JID. */
static gint
ranked_cmp(gconstpointer a, gconstpointer b)
{
    const struct ranked *ra = a, *rb = b;

    if (ra->rank != rb->rank)
        return ra->rank - rb->rank;
    return strcmp(ra->c->jid, rb->c->jid);
}

/* Contacts of acct sorted for display. Note: free with g_ptr_array_unref.
 * Each contact's presence is ranked once, not in every comparison: the
 * roster pane sorts thousands of contacts on each redraw. */
GPtrArray *
contact_sorted(struct account *acct)
{
    GArray *ranked = g_array_sized_new(FALSE, FALSE, sizeof(struct ranked),
                                       g_hash_table_size(acct->contacts));
    GPtrArray *out;
    GHashTableIter it;
    void *v;

    g_hash_table_iter_init(&it, acct->contacts);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        struct contact *c = v;
        if (c->in_roster) {
            struct ranked r = {show_rank(contact_show(c)), c};
            g_array_append_val(ranked, r);
        }
    }
    g_array_sort(ranked, ranked_cmp);
    out = g_ptr_array_sized_new(ranked->len);
    for (guint i = 0; i < ranked->len; i++)
        g_ptr_array_add(out, g_array_index(ranked, struct ranked, i).c);
    g_array_free(ranked, TRUE);
    return out;
}
