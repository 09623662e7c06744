/* SPDX-License-Identifier: MIT */
/*
 * Room bookmarks for one session: XEP-0402 in PEP, or XEP-0048 in
 * private storage (XEP-0049) when the server lacks PEP bookmarks; the
 * autojoin on login and the live notifications from our other clients.
 */
#include "xmpp/bookmarks.h"

#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/bookmark.h"
#include "core/event.h"
#include "core/room.h"
#include "xmpp/bookmark-stanza.h"
#include "xmpp/disco.h"
#include "xmpp/jid.h"
#include "xmpp/muc-stanza.h"
#include "xmpp/muc.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* What a private storage write does to the list it has just read. */
enum private_op {
    OP_NONE, /* just read (the login fetch) */
    OP_ADD,
    OP_REMOVE,
};

/* A bookmark request waiting for its answer. */
struct bm_req {
    struct account *acct;
    enum private_op op;
    struct bookmark *b; /* OP_ADD: the bookmark to store; else NULL */
    char *jid;          /* the room it is about, or NULL */
    GPtrArray *list;    /* a private storage write: the list written */
};

/*
 * Changes this process sent and not yet heard back about, as "account
 * JID\nroom JID" -> count: our own PEP notifications for them are not
 * announced as news from another client.
 */
static GHashTable *pending;

/* A request record; freed with req_free(). */
static struct bm_req *
req_new(struct account *acct, enum private_op op, const char *jid)
{
    struct bm_req *r = g_new0(struct bm_req, 1);

    r->acct = acct;
    r->op = op;
    r->jid = g_strdup(jid);
    return r;
}

/* Free a request record. */
static void
req_free(struct bm_req *r)
{
    bookmark_free(r->b);
    g_free(r->jid);
    if (r->list != NULL)
        g_ptr_array_unref(r->list);
    g_free(r);
}

/* The key of acct's room jid in the pending table; caller frees. */
static char *
pending_key(struct account *acct, const char *jid)
{
    return g_strdup_printf("%s\n%s", acct->jid, jid);
}

/* Note (delta 1) or forget (delta -1) a change of room jid in flight. */
static void
pending_note(struct account *acct, const char *jid, int delta)
{
    char *key = pending_key(acct, jid);
    int n;

    if (pending == NULL)
        pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    n = GPOINTER_TO_INT(g_hash_table_lookup(pending, key)) + delta;
    if (n > 0)
        g_hash_table_insert(pending, key, GINT_TO_POINTER(n));
    else {
        g_hash_table_remove(pending, key);
        g_free(key);
    }
    if (g_hash_table_size(pending) == 0) {
        g_hash_table_destroy(pending);
        pending = NULL;
    }
}

/* Whether a change of acct's room jid is in flight. */
static bool
pending_has(struct account *acct, const char *jid)
{
    char *key;
    bool has;

    if (pending == NULL)
        return false;
    key = pending_key(acct, jid);
    has = g_hash_table_contains(pending, key);
    g_free(key);
    return has;
}

/*
 * Join room jid as nick (NULL: the default) with password, unless natter
 * is in it or on its way (a rejoin after a reconnect, or an earlier
 * autojoin): the same room is never joined twice.
 */
static void
join_room(struct account *acct, const char *jid, const char *nick,
          const char *password)
{
    struct room *room = room_find(acct, jid);
    char *own = NULL, *cause = NULL;

    if (room != NULL && (room->wanted || room->state != ROOM_LEFT))
        return;
    if (nick == NULL || nick[0] == '\0')
        nick = own = muc_default_nick(acct);
    if (!muc_join(acct, jid, nick, password, &cause)) {
        notice_fmt(acct, NOTICE_ERROR, FMT_BOOKMARK_JOIN_FAILED, jid, cause,
                   NULL);
        g_free(cause);
    }
    g_free(own);
}

/* Join the rooms of acct's local autojoin setting. */
void
bookmarks_autojoin_local(struct account *acct)
{
    char **words;

    if (acct->autojoin == NULL || acct->state != ACCOUNT_ONLINE)
        return;
    words = g_strsplit_set(acct->autojoin, ", \t", -1);
    for (int i = 0; words[i] != NULL; i++) {
        char *slash = strchr(words[i], '/'), *jid, *cause = NULL;
        if (words[i][0] == '\0')
            continue;
        if (slash != NULL)
            *slash = '\0';
        jid = muc_room_jid(acct, words[i], &cause);
        if (jid == NULL) {
            notice_fmt(acct, NOTICE_ERROR, FMT_AUTOJOIN_FAILED, acct->name,
                       cause, NULL);
            g_free(cause);
            continue;
        }
        /* A room that is also bookmarked joins with the bookmark's nick;
         * one met before in this run is rejoining or was left on purpose,
         * as for bookmarks. */
        if ((bookmark_find(acct, jid) == NULL ||
             !bookmark_find(acct, jid)->autojoin) &&
            room_find(acct, jid) == NULL)
            join_room(acct, jid, slash != NULL ? slash + 1 : NULL, NULL);
        g_free(jid);
    }
    g_strfreev(words);
}

/* Join every autojoin bookmark of acct natter has not met in this run:
 * a room the model knows is being rejoined, or was left on purpose. */
static void
autojoin_all(struct account *acct)
{
    GPtrArray *list = bookmark_sorted(acct);

    for (guint i = 0; i < list->len; i++) {
        struct bookmark *b = list->pdata[i];
        if (b->autojoin && room_find(acct, b->jid) == NULL)
            join_room(acct, b->jid, b->nick, b->password);
    }
    g_ptr_array_unref(list);
    bookmarks_autojoin_local(acct);
}

/* Replace acct's bookmarks with list (taken over), kept in store. */
static void
set_loaded(struct account *acct, GPtrArray *list, enum bookmark_store store)
{
    struct bookmark_set *set = bookmark_set_get(acct);

    g_hash_table_remove_all(set->items);
    for (guint i = 0; list != NULL && i < list->len; i++)
        bookmark_put(acct, bookmark_copy(list->pdata[i]));
    if (list != NULL)
        g_ptr_array_unref(list);
    set->store = store;
    set->loaded = true;
}

/* The private storage answered the login fetch. */
static void
on_private_fetch(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct bm_req *req = data;
    struct bookmark_set *set = bookmark_set_get(acct);
    GPtrArray *list;

    req_free(req);
    if (reply == NULL)
        return;
    g_ptr_array_set_size(set->foreign, 0);
    list = bookmark_private_parse(reply, set->foreign);
    if (list == NULL) {
        /* Quietly: /bookmark says so when it is used. */
        set_loaded(acct, NULL, BOOKMARK_STORE_NONE);
    } else {
        set_loaded(acct, list, BOOKMARK_STORE_PRIVATE);
    }
    autojoin_all(acct);
}

/* Fetch acct's XEP-0048 bookmarks from private storage. */
static void
fetch_private(struct account *acct)
{
    char *id = xmpp_uuid_gen(session_ctx()), *cause = NULL;
    xmpp_stanza_t *iq = bookmark_private_get_build(session_ctx(), id);
    struct bm_req *req = req_new(acct, OP_NONE, NULL);

    if (!session_send_iq(acct, iq, on_private_fetch, req, &cause)) {
        g_free(cause);
        req_free(req);
    }
    xmpp_stanza_release(iq);
    xmpp_free(session_ctx(), id);
}

/* Whether an error reply has condition cond. */
static bool
error_is(xmpp_stanza_t *reply, const char *cond)
{
    xmpp_stanza_t *err = xmpp_stanza_get_child_by_name(reply, "error");

    return err != NULL && xmpp_stanza_get_child_by_name(err, cond) != NULL;
}

/* The PEP service answered the login fetch of the XEP-0402 node. */
static void
on_pep_fetch(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct bm_req *req = data;
    GPtrArray *list;

    req_free(req);
    if (reply == NULL)
        return;
    list = bookmark_pep_result_parse(reply);
    if (list == NULL && g_strcmp0(xmpp_stanza_get_type(reply), "error") == 0 &&
        error_is(reply, "item-not-found")) {
        /* No node yet: nobody has stored a bookmark. */
        list = g_ptr_array_new_with_free_func((GDestroyNotify)bookmark_free);
    }
    if (list == NULL) {
        fetch_private(acct); /* PEP is there but refuses: the old way */
        return;
    }
    set_loaded(acct, list, BOOKMARK_STORE_PEP);
    autojoin_all(acct);
}

/* Our account answered disco#info: PEP bookmarks, or private storage. */
static void
on_account_info(struct account *acct, const struct disco_result *r, void *data)
{
    struct bm_req *req = data;
    bool pep;
    char *id, *cause = NULL;
    xmpp_stanza_t *iq;

    req_free(req);
    if (r->lost)
        return;
    /* XEP-0402 needs publish-options to keep the node private; a server
     * announcing #compat (Prosody's mod_bookmarks) has both. */
    pep = r->ok && (disco_result_has_feature(r, NS_BOOKMARKS_COMPAT) ||
                    (disco_result_has_identity(r, "pubsub", "pep") &&
                     disco_result_has_feature(r, NS_PUBSUB_PUBLISH_OPTIONS)));
    if (!pep) {
        fetch_private(acct);
        return;
    }
    id = xmpp_uuid_gen(session_ctx());
    iq = bookmark_pep_get_build(session_ctx(), id, acct->jid);
    req = req_new(acct, OP_NONE, NULL);
    if (!session_send_iq(acct, iq, on_pep_fetch, req, &cause)) {
        g_free(cause);
        req_free(req);
    }
    xmpp_stanza_release(iq);
    xmpp_free(session_ctx(), id);
}

/* Find where the server keeps bookmarks, fetch them, autojoin. */
void
bookmarks_online(struct account *acct)
{
    struct bookmark_set *set = bookmark_set_get(acct);
    char *cause = NULL;
    struct bm_req *req = req_new(acct, OP_NONE, NULL);

    set->store = BOOKMARK_STORE_UNKNOWN;
    set->loaded = false;
    if (!disco_info(acct, acct->jid, NULL, on_account_info, req, &cause)) {
        g_free(cause);
        req_free(req);
    }
}

/* Tell what b now is, in sentence id (or named, when b has a name):
 * its JID, name, nick and autojoin setting are the arguments. */
static void
notice_bookmark(struct account *acct, const struct bookmark *b,
                enum format_id id, enum format_id named)
{
    char *nick = b->nick != NULL ? g_strdup(b->nick) : muc_default_nick(acct);
    const char *autojoin = b->autojoin ? "on" : "off";

    if (b->name != NULL)
        notice_fmt(acct, NOTICE_INFO, named, b->jid, b->name, nick, autojoin,
                   NULL);
    else
        notice_fmt(acct, NOTICE_INFO, id, b->jid, nick, autojoin, NULL);
    g_free(nick);
}

/* The sentences of one kind of change, for report(). */
struct change_words {
    enum format_id ended;   /* $0 JID */
    enum format_id refused; /* $0 JID, $1 account JID, $2 error */
};

static const struct change_words words_add = {FMT_BOOKMARK_ADD_ENDED,
                                              FMT_BOOKMARK_ADD_REFUSED};
static const struct change_words words_remove = {FMT_BOOKMARK_REMOVE_ENDED,
                                                 FMT_BOOKMARK_REMOVE_REFUSED};
static const struct change_words words_read = {FMT_BOOKMARKS_READ_ENDED,
                                               FMT_BOOKMARKS_READ_REFUSED};

/* Report how a change went; true when the server accepted it. */
static bool
report(struct account *acct, xmpp_stanza_t *reply,
       const struct change_words *what, const char *jid)
{
    char *err;

    if (reply == NULL) {
        notice_fmt(acct, NOTICE_ERROR, what->ended, jid, NULL);
        return false;
    }
    if (g_strcmp0(xmpp_stanza_get_type(reply), "result") == 0)
        return true;
    err = stanza_error_text(reply);
    notice_fmt(acct, NOTICE_ERROR, what->refused, jid, acct->jid, err, NULL);
    g_free(err);
    return false;
}

/* The PEP service answered a publish or a retract. */
static void
on_pep_change(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct bm_req *req = data;

    pending_note(acct, req->jid, -1);
    if (report(acct, reply, req->op == OP_ADD ? &words_add : &words_remove,
               req->jid)) {
        if (req->op == OP_ADD) {
            struct bookmark *b = req->b;
            bookmark_put(acct, b); /* b stays valid: the set owns it */
            req->b = NULL;
            notice_bookmark(acct, b, FMT_BOOKMARKED, FMT_BOOKMARKED_NAMED);
        } else {
            bookmark_drop(acct, req->jid);
            notice_fmt(acct, NOTICE_INFO, FMT_BOOKMARK_REMOVED, req->jid,
                       NULL);
        }
    }
    req_free(req);
}

/* The private storage answered a write: the list written is the list. */
static void
on_private_store(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct bm_req *req = data;

    if (report(acct, reply, req->op == OP_ADD ? &words_add : &words_remove,
               req->jid)) {
        GPtrArray *list = req->list;
        req->list = NULL;
        set_loaded(acct, list, BOOKMARK_STORE_PRIVATE);
        if (req->op == OP_ADD)
            notice_bookmark(acct, req->b, FMT_BOOKMARKED,
                            FMT_BOOKMARKED_NAMED);
        else
            notice_fmt(acct, NOTICE_INFO, FMT_BOOKMARK_REMOVED, req->jid,
                       NULL);
    }
    req_free(req);
}

/*
 * A fresh read of private storage for a change: apply the change to what
 * is stored now (another client may have written since the login) and
 * write the whole list back.
 */
static void
on_private_reread(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct bm_req *req = data;
    struct bookmark_set *set = bookmark_set_get(acct);
    GPtrArray *list, *foreign = g_ptr_array_new_with_free_func(g_free);
    xmpp_stanza_t *iq;
    char *id, *cause = NULL;
    bool found = false;

    list = reply != NULL ? bookmark_private_parse(reply, foreign) : NULL;
    if (list == NULL) {
        if (report(acct, reply, &words_read, req->jid))
            notice_fmt(acct, NOTICE_ERROR, FMT_BOOKMARKS_UNREADABLE, acct->jid,
                       NULL);
        g_ptr_array_unref(foreign);
        req_free(req);
        return;
    }
    for (guint i = 0; i < list->len; i++) {
        struct bookmark *b = list->pdata[i];
        if (strcmp(b->jid, req->jid) != 0)
            continue;
        found = true;
        if (req->op == OP_ADD) {
            bookmark_free(b);
            list->pdata[i] = bookmark_copy(req->b);
        } else {
            g_ptr_array_remove_index(list, i);
        }
        break;
    }
    if (!found && req->op == OP_ADD)
        g_ptr_array_add(list, bookmark_copy(req->b));
    if (!found && req->op == OP_REMOVE) {
        notice_fmt(acct, NOTICE_ERROR, FMT_BOOKMARK_NONE, acct->jid, req->jid,
                   NULL);
        set_loaded(acct, list, BOOKMARK_STORE_PRIVATE);
        g_ptr_array_unref(foreign);
        req_free(req);
        return;
    }
    g_ptr_array_unref(set->foreign);
    set->foreign = foreign;
    id = xmpp_uuid_gen(session_ctx());
    iq = bookmark_private_set_build(session_ctx(), id, list, set->foreign);
    xmpp_free(session_ctx(), id);
    req->list = list;
    if (!session_send_iq(acct, iq, on_private_store, req, &cause)) {
        notice_fmt(acct, NOTICE_ERROR, FMT_BOOKMARKS_STORE_FAILED, acct->jid,
                   cause, NULL);
        g_free(cause);
        req_free(req);
    }
    xmpp_stanza_release(iq);
}

/* Whether acct's bookmarks can be changed now; else *cause. */
bool
bookmarks_can_change(struct account *acct, char **cause)
{
    struct bookmark_set *set = bookmark_set_get(acct);

    if (acct->state != ACCOUNT_ONLINE) {
        *cause =
            g_strdup_printf("%s is not connected: /connect first", acct->jid);
        return false;
    }
    if (!set->loaded) {
        *cause = g_strdup_printf("The bookmarks of %s are still loading: "
                                 "try again in a moment",
                                 acct->jid);
        return false;
    }
    if (set->store == BOOKMARK_STORE_NONE) {
        *cause = g_strdup_printf("The server of %s keeps no bookmarks "
                                 "(neither XEP-0402 nor private storage)",
                                 acct->jid);
        return false;
    }
    return true;
}

/* Send a change: publish or retract (PEP), or reread-and-write. */
static bool
send_change(struct account *acct, struct bm_req *req, char **cause)
{
    xmpp_ctx_t *ctx = session_ctx();
    char *id = xmpp_uuid_gen(ctx);
    xmpp_stanza_t *iq;
    bool ok;

    if (bookmark_set_get(acct)->store == BOOKMARK_STORE_PEP) {
        iq = req->op == OP_ADD ? bookmark_pep_publish_build(ctx, id, req->b)
                               : bookmark_pep_retract_build(ctx, id, req->jid);
        ok = session_send_iq(acct, iq, on_pep_change, req, cause);
        if (ok)
            pending_note(acct, req->jid, 1);
    } else {
        iq = bookmark_private_get_build(ctx, id);
        ok = session_send_iq(acct, iq, on_private_reread, req, cause);
    }
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
    if (!ok)
        req_free(req);
    session_kick();
    return ok;
}

/* Store b as acct's bookmark; join it now when it is autojoin. */
bool
bookmarks_add(struct account *acct, const struct bookmark *b, char **cause)
{
    struct bm_req *req;

    if (!bookmarks_can_change(acct, cause))
        return false;
    req = req_new(acct, OP_ADD, b->jid);
    req->b = bookmark_copy(b);
    if (!send_change(acct, req, cause))
        return false;
    if (b->autojoin) {
        struct room *room = room_find(acct, b->jid);
        if (room == NULL || !room->wanted)
            join_room(acct, b->jid, b->nick, b->password);
    }
    return true;
}

/* Remove acct's bookmark of room jid. */
bool
bookmarks_remove(struct account *acct, const char *jid, char **cause)
{
    if (!bookmarks_can_change(acct, cause))
        return false;
    if (bookmark_find(acct, jid) == NULL) {
        *cause = g_strdup_printf("%s has no bookmark of %s", acct->jid, jid);
        return false;
    }
    return send_change(acct, req_new(acct, OP_REMOVE, jid), cause);
}

/* Whether two bookmarks say the same. */
static bool
same(const struct bookmark *a, const struct bookmark *b)
{
    return a != NULL && b != NULL && strcmp(a->jid, b->jid) == 0 &&
           g_strcmp0(a->name, b->name) == 0 &&
           g_strcmp0(a->nick, b->nick) == 0 &&
           g_strcmp0(a->password, b->password) == 0 &&
           a->autojoin == b->autojoin &&
           g_strcmp0(a->extensions, b->extensions) == 0;
}

/* Handle a PEP notification about acct's XEP-0402 bookmarks. */
bool
bookmarks_handle_message(xmpp_conn_t *conn, xmpp_stanza_t *st,
                         struct account *acct)
{
    const char *from = xmpp_stanza_get_from(st);
    struct bookmark_set *set;
    GPtrArray *published, *retracted;
    bool purged;
    char *bare = NULL, *why = NULL;

    (void)conn;
    /* Only our own account speaks for our bookmarks: a notification from
     * anyone else (or from a resource) is no business of ours here. */
    if (from != NULL) {
        if (strchr(from, '/') != NULL)
            return false;
        bare = jid_bare(from, &why);
        g_free(why);
        if (bare == NULL || strcmp(bare, acct->jid) != 0) {
            g_free(bare);
            return false;
        }
        g_free(bare);
    }
    if (!bookmark_event_parse(st, &published, &retracted, &purged))
        return false;
    set = bookmark_set_get(acct);
    /* Before the fetch (or with private storage) the fetched list is the
     * truth; a notification then would only race with it. */
    if (set->loaded && set->store == BOOKMARK_STORE_PEP) {
        if (purged) {
            g_hash_table_remove_all(set->items);
            notice_fmt(acct, NOTICE_INFO, FMT_BOOKMARKS_PURGED_ELSEWHERE,
                       acct->jid, NULL);
        }
        for (guint i = 0; i < published->len; i++) {
            struct bookmark *b = published->pdata[i];
            struct bookmark *old = bookmark_find(acct, b->jid);
            bool was_auto = old != NULL && old->autojoin;
            bool quiet = same(old, b) || pending_has(acct, b->jid);
            struct room *room = room_find(acct, b->jid);
            if (!quiet && old != NULL)
                notice_bookmark(acct, b, FMT_BOOKMARK_CHANGED_ELSEWHERE,
                                FMT_BOOKMARK_CHANGED_ELSEWHERE_NAMED);
            else if (!quiet)
                notice_bookmark(acct, b, FMT_BOOKMARK_ADDED_ELSEWHERE,
                                FMT_BOOKMARK_ADDED_ELSEWHERE_NAMED);
            /* Newly autojoin (XEP-0402 8): join now. Leaving is left to
             * the user: a room window does not vanish under them. */
            if (b->autojoin && !was_auto && (room == NULL || !room->wanted))
                join_room(acct, b->jid, b->nick, b->password);
            published->pdata[i] = NULL;
            bookmark_put(acct, b);
        }
        for (guint i = 0; i < retracted->len; i++) {
            const char *jid = retracted->pdata[i];
            if (bookmark_drop(acct, jid) && !pending_has(acct, jid))
                notice_fmt(acct, NOTICE_INFO, FMT_BOOKMARK_REMOVED_ELSEWHERE,
                           jid, NULL);
        }
    }
    g_ptr_array_unref(published);
    g_ptr_array_unref(retracted);
    return true;
}
