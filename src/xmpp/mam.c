/* SPDX-License-Identifier: MIT */
#include "xmpp/mam.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/history.h"
#include "core/paths.h"
#include "core/room.h"
#include "xmpp/jid.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"
#include "xmpp/xml.h"

/* Pages fetched at most in one catch-up (of MAM_PAGE messages each). */
#define MAM_PAGES 20
#define MAM_PAGE "100"
/* Messages asked for per page when paging back from a window. */
#define BACK_PAGE "50"
/* The queryid prefix of page-back queries. */
#define BACK_PREFIX "natter-back-"

/* A catch-up under way. */
struct query {
    struct account *acct;
    unsigned int page;
    unsigned int count;
};

/* A page-back query under way. */
struct backfill {
    struct account *acct;
    char *peer;
    char *queryid;
    char *before; /* the archive id asked before, or NULL */
    unsigned int count;
};

static GHashTable *unsaved; /* struct account * -> newest id, unwritten */
static guint save_source;
static GHashTable *backfills; /* queryid -> struct backfill */
/* "account\npeer" -> the oldest archive id paged back to this run: the
 * store orders by time, which cannot tell apart messages of one second
 * that came on different pages. */
static GHashTable *reached;
static bool subscribed;

static void ask_page(struct query *q, const char *after);
static void on_want(enum event_type type, const void *payload, void *data);

/* Where acct's newest archive id is kept. Note: result must be freed. */
static char *
last_id_path(struct account *acct)
{
    char *dir = paths_data_dir();
    char *name = g_uri_escape_string(acct->name, NULL, FALSE);
    char *path = g_build_filename(dir, "mam", name, NULL);

    g_free(name);
    g_free(dir);
    return path;
}

/* The newest archive id seen for acct, NULL if none. Caller frees. */
static char *
last_id(struct account *acct)
{
    char *path, *text = NULL;
    const char *fresh =
        unsaved != NULL ? g_hash_table_lookup(unsaved, acct) : NULL;

    if (fresh != NULL)
        return fresh[0] != '\0' ? g_strdup(fresh) : NULL;
    path = last_id_path(acct);
    if (g_file_get_contents(path, &text, NULL, NULL))
        g_strstrip(text);
    g_free(path);
    if (text != NULL && text[0] == '\0') {
        g_free(text);
        text = NULL;
    }
    return text;
}

/* Write acct's newest archive id to its file now. */
static void
write_last_id(struct account *acct, const char *id)
{
    char *path = last_id_path(acct), *dir = g_path_get_dirname(path);
    GError *err = NULL;

    g_mkdir_with_parents(dir, 0700);
    /* A lost or torn position only means a longer catch-up next time:
     * no fsync for it. */
    if (!g_file_set_contents_full(path, id, -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                  &err)) {
        notice_fmt(acct, NOTICE_ERROR, FMT_MAM_SAVE_FAILED, acct->name,
                   err->message, NULL);
        g_error_free(err);
    }
    g_free(dir);
    g_free(path);
}

/* Write every unsaved position (once per loop turn, not per message). */
static gboolean
on_save(gpointer data)
{
    GHashTableIter it;
    void *k, *v;

    save_source = 0;
    g_hash_table_iter_init(&it, unsaved);
    while (g_hash_table_iter_next(&it, &k, &v))
        write_last_id(k, v);
    g_hash_table_remove_all(unsaved);
    return G_SOURCE_REMOVE;
}

/* Remember id as the newest archive id seen for acct. */
static void
save_last_id(struct account *acct, const char *id)
{
    if (unsaved == NULL)
        unsaved =
            g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    g_hash_table_replace(unsaved, acct, g_strdup(id));
    if (save_source == 0)
        save_source = g_idle_add(on_save, NULL);
}

/* Write what is unsaved and stop. */
void
mam_deinit(void)
{
    if (subscribed)
        event_unsubscribe(EV_ARCHIVE_WANT, on_want, NULL);
    subscribed = false;
    if (backfills != NULL)
        g_hash_table_destroy(backfills); /* their iqs were answered NULL */
    backfills = NULL;
    if (reached != NULL)
        g_hash_table_destroy(reached);
    reached = NULL;
    if (save_source != 0)
        g_source_remove(save_source);
    if (unsaved != NULL) {
        on_save(NULL);
        g_hash_table_destroy(unsaved);
    }
    unsaved = NULL;
    save_source = 0;
}

/* Whether from (may be NULL) is acct's own bare JID or the server. */
static bool
from_own(struct account *acct, const char *from)
{
    char *why = NULL, *bare;
    bool own;

    if (from == NULL)
        return true;
    bare = jid_bare(from, &why);
    g_free(why);
    own = bare != NULL && strcmp(bare, acct->jid) == 0;
    g_free(bare);
    return own;
}

/* The time of the <delay/> in forwarded, 0 when none. */
static int64_t
forwarded_stamp(xmpp_stanza_t *fwd)
{
    xmpp_stanza_t *delay =
        xmpp_stanza_get_child_by_name_and_ns(fwd, "delay", NS_DELAY);
    GDateTime *dt;
    int64_t t;

    if (delay == NULL)
        return 0;
    dt = g_date_time_new_from_iso8601(
        xmpp_stanza_get_attribute(delay, "stamp"), NULL);
    if (dt == NULL)
        return 0;
    t = g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    return t;
}

/* The room of acct whose archive sent result st: one we are in, speaking
 * for itself (no resource), about a groupchat message of its own. NULL
 * when it is not such a result; *forged is set when it claims to be. */
static struct room *
room_result(xmpp_stanza_t *st, xmpp_stanza_t *inner, struct account *acct,
            bool *forged)
{
    const char *from = xmpp_stanza_get_from(st);
    char *why = NULL, *bare = from != NULL ? jid_bare(from, &why) : NULL;
    char *inner_room = NULL;
    struct room *room = bare != NULL ? room_find(acct, bare) : NULL;

    g_free(why);
    *forged = false;
    if (room == NULL || strchr(from, '/') != NULL) {
        g_free(bare);
        return NULL;
    }
    if (inner != NULL && xmpp_stanza_get_from(inner) != NULL) {
        inner_room = jid_bare(xmpp_stanza_get_from(inner), &why);
        g_free(why);
    }
    /* Only the room's own archive speaks for the room. */
    if (inner_room == NULL || strcmp(inner_room, room->jid) != 0 ||
        g_strcmp0(xmpp_stanza_get_type(inner), "groupchat") != 0) {
        *forged = true;
        room = NULL;
    }
    g_free(inner_room);
    g_free(bare);
    return room;
}

/* The message inside an archive result, and where it came from. */
xmpp_stanza_t *
mam_unwrap(xmpp_stanza_t *st, struct account *acct, struct mam_arrival *out)
{
    xmpp_stanza_t *r =
        xmpp_stanza_get_child_by_name_and_ns(st, "result", NS_MAM);
    xmpp_stanza_t *fwd, *inner;
    const char *id, *qid;
    struct backfill *b;

    memset(out, 0, sizeof *out);
    if (r == NULL)
        return NULL;
    fwd = xmpp_stanza_get_child_by_name_and_ns(r, "forwarded", NS_FORWARD);
    inner = fwd != NULL ? xmpp_stanza_get_child_by_name(fwd, "message") : NULL;
    id = xmpp_stanza_get_attribute(r, "id");
    qid = xmpp_stanza_get_attribute(r, "queryid");
    b = qid != NULL && backfills != NULL ? g_hash_table_lookup(backfills, qid)
                                         : NULL;
    if (b != NULL && b->acct != acct)
        b = NULL;
    /* A room's archive (XEP-0045 + XEP-0313) answers the page-back
     * queries natter sent it, and the catch-up on join; everything else
     * must be our own archive. */
    if (!from_own(acct, xmpp_stanza_get_from(st))) {
        char *why = NULL;
        char *from = jid_bare(xmpp_stanza_get_from(st), &why);
        bool forged = false;
        g_free(why);
        if (b != NULL && from != NULL && strcmp(from, b->peer) == 0 &&
            room_find(acct, b->peer) != NULL) {
            out->room = room_find(acct, b->peer);
        } else {
            b = NULL;
            out->room = room_result(st, inner, acct, &forged);
            out->ignore =
                out->room == NULL &&
                (forged || (from != NULL && room_find(acct, from) != NULL &&
                            strchr(xmpp_stanza_get_from(st), '/') == NULL));
        }
        g_free(from);
        if (out->room == NULL)
            return NULL;
    }
    if (inner == NULL) {
        out->room = NULL;
        out->ignore = true;
        return NULL;
    }
    out->stamp = forwarded_stamp(fwd);
    out->archive_id = id;
    if (b != NULL) {
        /* Older messages: they must not move the catch-up position. */
        out->backfill = true;
        b->count++;
    } else if (id != NULL && out->room == NULL) {
        save_last_id(acct, id);
    }
    return inner;
}

/* Remember the archive id our server gave a live message. */
const char *
mam_note_live(xmpp_stanza_t *st, struct account *acct)
{
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(st); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        const char *ns = xmpp_stanza_get_ns(c);
        const char *by = xmpp_stanza_get_attribute(c, "by");
        const char *id = xmpp_stanza_get_attribute(c, "id");
        if (name != NULL && strcmp(name, "stanza-id") == 0 && ns != NULL &&
            strcmp(ns, NS_SID) == 0 && by != NULL &&
            strcmp(by, acct->jid) == 0 && id != NULL) {
            save_last_id(acct, id);
            return id;
        }
    }
    return NULL;
}

/* Copy of the RSM id <which/> in the <set/> of a MAM <fin/> (fin may be
 * NULL); NULL when it or its text is missing. Caller frees. */
char *
mam_fin_id(xmpp_stanza_t *fin, const char *which)
{
    xmpp_stanza_t *set =
        fin != NULL ? xmpp_stanza_get_child_by_name(fin, "set") : NULL;
    char *id = xml_child_text(set, which);

    if (id != NULL && id[0] == '\0') {
        g_free(id);
        return NULL;
    }
    return id;
}

/* The archive answered a page: ask for the next one, or finish. */
static void
on_page(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct query *q = data;
    xmpp_stanza_t *fin;
    const char *complete;
    char *last_text = NULL;

    if (reply == NULL) {
        g_free(q);
        return;
    }
    if (g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0) {
        char *err = stanza_error_text(reply);
        /* No archive, or our position is gone from it: start afresh. */
        if (strstr(err, "item-not-found") != NULL)
            save_last_id(acct, "");
        else if (strstr(err, "service-unavailable") == NULL &&
                 strstr(err, "feature-not-implemented") == NULL)
            notice_fmt(acct, NOTICE_ERROR, FMT_MAM_FAILED, acct->jid, err,
                       NULL);
        g_free(err);
        g_free(q);
        return;
    }
    fin = xmpp_stanza_get_child_by_name_and_ns(reply, "fin", NS_MAM);
    complete =
        fin != NULL ? xmpp_stanza_get_attribute(fin, "complete") : "true";
    last_text = mam_fin_id(fin, "last");
    q->page++;
    if (g_strcmp0(complete, "true") != 0 && last_text != NULL &&
        q->page < MAM_PAGES) {
        ask_page(q, last_text);
    } else {
        g_free(q);
    }
    g_free(last_text);
}

/* Ask for one page of the archive after the given archive id. */
static void
ask_page(struct query *q, const char *after)
{
    xmpp_ctx_t *ctx = session_ctx();
    char *id = xmpp_uuid_gen(ctx), *cause = NULL;
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "set", id);
    GString *xml = g_string_new(NULL);
    xmpp_stanza_t *query;

    g_string_append_printf(
        xml,
        "<query xmlns='%s'><x xmlns='jabber:x:data' type='submit'><field "
        "var='FORM_TYPE' type='hidden'><value>%s</value></field></x><set "
        "xmlns='http://jabber.org/protocol/rsm'><max>" MAM_PAGE
        "</max><after>",
        NS_MAM, NS_MAM);
    {
        char *esc = g_markup_escape_text(after, -1);
        g_string_append(xml, esc);
        g_free(esc);
    }
    g_string_append(xml, "</after></set></query>");
    query = xmpp_stanza_new_from_string(ctx, xml->str);
    g_string_free(xml, TRUE);
    if (query != NULL) {
        xmpp_stanza_add_child(iq, query);
        xmpp_stanza_release(query);
        if (!session_send_iq(q->acct, iq, on_page, q, &cause)) {
            g_free(cause);
            g_free(q);
        }
    } else {
        g_free(q);
    }
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
}

/* Ask acct's archive for everything after the last id seen. */
void
mam_catch_up(xmpp_conn_t *conn, struct account *acct)
{
    char *after = last_id(acct);
    struct query *q;

    /* The first time there is nothing to catch up on: live messages from
     * now on give the position for the next time. */
    if (after == NULL)
        return;
    q = g_new0(struct query, 1);
    q->acct = acct;
    ask_page(q, after);
    g_free(after);
}

/* Free a page-back query. */
static void
backfill_free(void *p)
{
    struct backfill *b = p;

    g_free(b->peer);
    g_free(b->queryid);
    g_free(b->before);
    g_free(b);
}

/* The page-back query of acct with peer under way, or NULL. */
static struct backfill *
backfill_find(struct account *acct, const char *peer)
{
    GHashTableIter it;
    void *v;

    if (backfills == NULL)
        return NULL;
    g_hash_table_iter_init(&it, backfills);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        struct backfill *b = v;
        if (b->acct == acct && strcmp(b->peer, peer) == 0)
            return b;
    }
    return NULL;
}

/* Tell the front ends how a page-back query of b ended, and forget it. */
static void
backfill_done(struct backfill *b, bool complete, bool failed)
{
    struct ev_archive ev = {b->acct, b->peer, b->count, complete, failed};

    event_emit(EV_ARCHIVE_PAGE, &ev);
    g_hash_table_remove(backfills, b->queryid);
}

/* The archive answered a page-back query: its results were queued for
 * the history store as they came; commit them and say so. */
static void
on_back_page(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct backfill *b = backfills != NULL
                             ? g_hash_table_lookup(backfills, (char *)data)
                             : NULL;
    xmpp_stanza_t *fin;
    char *first_text = NULL, *cause = NULL;
    bool complete;

    g_free(data);
    if (b == NULL)
        return;
    if (reply == NULL) { /* the session ended: ask again next time */
        backfill_done(b, false, false);
        return;
    }
    if (g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0) {
        char *err = stanza_error_text(reply);
        /* A server without an archive: nothing to say about it. */
        if (strstr(err, "service-unavailable") == NULL &&
            strstr(err, "feature-not-implemented") == NULL)
            notice_fmt(acct, NOTICE_ERROR, FMT_MAM_OLDER_FAILED, b->peer,
                       acct->jid, err, NULL);
        g_free(err);
        backfill_done(b, false, true);
        return;
    }
    fin = xmpp_stanza_get_child_by_name_and_ns(reply, "fin", NS_MAM);
    first_text = mam_fin_id(fin, "first");
    /* Done when the archive says so, sends nothing, or sends the same
     * page again (a server that ignores <before>). */
    complete =
        fin == NULL ||
        g_strcmp0(xmpp_stanza_get_attribute(fin, "complete"), "true") == 0 ||
        b->count == 0 || first_text == NULL ||
        g_strcmp0(first_text, b->before) == 0;
    if (first_text != NULL) {
        if (reached == NULL)
            reached =
                g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_replace(reached,
                             g_strdup_printf("%s\n%s", acct->name, b->peer),
                             first_text);
    }
    if (!history_flush(&cause)) {
        notice_fmt(acct, NOTICE_ERROR, FMT_TEXT, cause, NULL);
        g_free(cause);
        backfill_done(b, false, true);
        return;
    }
    backfill_done(b, complete, false);
}

/* The query element asking acct's archive for the page with peer before
 * archive id before (or, without one, before time end; or the newest
 * page). Note: release with xmpp_stanza_release(). */
static xmpp_stanza_t *
back_query(const char *queryid, const char *peer, bool room,
           const char *before, int64_t end)
{
    GString *xml = g_string_new(NULL);
    char *esc_peer = g_markup_escape_text(peer, -1);
    char *esc_qid = g_markup_escape_text(queryid, -1);
    xmpp_stanza_t *q;

    g_string_append_printf(
        xml,
        "<query xmlns='%s' queryid='%s'><x xmlns='jabber:x:data' "
        "type='submit'><field var='FORM_TYPE' type='hidden'><value>%s"
        "</value></field>",
        NS_MAM, esc_qid, NS_MAM);
    /* A room's own archive holds only that room: no filter. */
    if (!room)
        g_string_append_printf(xml,
                               "<field var='with'><value>%s</value>"
                               "</field>",
                               esc_peer);
    if (before == NULL && end > 0) {
        GDateTime *dt = g_date_time_new_from_unix_utc(end);
        char *stamp = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
        g_string_append_printf(xml,
                               "<field var='end'><value>%s</value>"
                               "</field>",
                               stamp);
        g_free(stamp);
        g_date_time_unref(dt);
    }
    g_string_append(xml, "</x><set xmlns='http://jabber.org/protocol/rsm'>"
                         "<max>" BACK_PAGE "</max>");
    if (before != NULL) {
        char *esc = g_markup_escape_text(before, -1);
        g_string_append_printf(xml, "<before>%s</before>", esc);
        g_free(esc);
    } else {
        g_string_append(xml, "<before/>"); /* the last page */
    }
    g_string_append(xml, "</set></query>");
    q = xmpp_stanza_new_from_string(session_ctx(), xml->str);
    g_string_free(xml, TRUE);
    g_free(esc_peer);
    g_free(esc_qid);
    return q;
}

/* A window wants older messages than the history store holds: ask the
 * archive for the page before the oldest one we know. */
static void
on_want(enum event_type type, const void *payload, void *data)
{
    const struct ev_archive *ev = payload;
    xmpp_ctx_t *ctx = session_ctx();
    struct backfill *b;
    struct room *r;
    xmpp_stanza_t *iq, *query;
    char *uuid, *key, *cause = NULL;
    int64_t oldest = 0;

    if (ctx == NULL || ev->acct->session == NULL ||
        backfill_find(ev->acct, ev->peer) != NULL)
        return;
    b = g_new0(struct backfill, 1);
    b->acct = ev->acct;
    b->peer = g_strdup(ev->peer);
    uuid = xmpp_uuid_gen(ctx);
    b->queryid = g_strconcat(BACK_PREFIX, uuid, NULL);
    xmpp_free(ctx, uuid);
    key = g_strdup_printf("%s\n%s", ev->acct->name, ev->peer);
    if (reached != NULL && g_hash_table_contains(reached, key)) {
        b->before = g_strdup(g_hash_table_lookup(reached, key));
    } else {
        b->before = history_oldest_archive_id(ev->acct, ev->peer, &oldest);
    }
    g_free(key);
    r = room_find(ev->acct, ev->peer);
    query = back_query(b->queryid, b->peer, r != NULL, b->before, oldest);
    if (backfills == NULL)
        backfills = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                          backfill_free);
    g_hash_table_insert(backfills, b->queryid, b);
    /* A room without an archive has nothing older to give. */
    if (query == NULL || (r != NULL && !r->mam)) {
        if (query != NULL)
            xmpp_stanza_release(query);
        backfill_done(b, false, true);
        return;
    }
    uuid = xmpp_uuid_gen(ctx);
    iq = xmpp_iq_new(ctx, "set", uuid);
    xmpp_free(ctx, uuid);
    if (r != NULL)
        xmpp_stanza_set_to(iq, r->jid);
    xmpp_stanza_add_child(iq, query);
    xmpp_stanza_release(query);
    key = g_strdup(b->queryid);
    if (!session_send_iq(b->acct, iq, on_back_page, key, &cause)) {
        g_free(key);
        g_free(cause);
        backfill_done(b, false, false);
    }
    xmpp_stanza_release(iq);
}

/* Start answering page-back requests from windows. */
void
mam_init(void)
{
    if (subscribed)
        return;
    event_subscribe(EV_ARCHIVE_WANT, on_want, NULL);
    subscribed = true;
}
