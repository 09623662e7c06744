/* SPDX-License-Identifier: MIT */
#include "xmpp/mam.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/paths.h"
#include "xmpp/jid.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* Pages fetched at most in one catch-up (of MAM_PAGE messages each). */
#define MAM_PAGES 20
#define MAM_PAGE "100"

/* A catch-up under way. */
struct query {
    struct account *acct;
    unsigned int page;
    unsigned int count;
};

static GHashTable *unsaved; /* struct account * -> newest id, unwritten */
static guint save_source;

static void ask_page(struct query *q, const char *after);

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
    const char *fresh = unsaved != NULL ? g_hash_table_lookup(unsaved, acct)
                                        : NULL;

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
    if (!g_file_set_contents_full(path, id, -1, G_FILE_SET_CONTENTS_NONE,
                                  0600, &err)) {
        notice(acct, NOTICE_ERROR, "Cannot save the archive position of "
               "%s: %s", acct->name, err->message);
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
        unsaved = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                        g_free);
    g_hash_table_replace(unsaved, acct, g_strdup(id));
    if (save_source == 0)
        save_source = g_idle_add(on_save, NULL);
}

/* Write what is unsaved and stop. */
void
mam_deinit(void)
{
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

/* The message inside an archive result from acct's own archive. */
xmpp_stanza_t *
mam_unwrap(xmpp_stanza_t *st, struct account *acct, int64_t *stamp)
{
    xmpp_stanza_t *r = xmpp_stanza_get_child_by_name_and_ns(st, "result",
                                                             NS_MAM);
    xmpp_stanza_t *fwd, *delay, *inner;
    const char *id;

    *stamp = 0;
    if (r == NULL || !from_own(acct, xmpp_stanza_get_from(st)))
        return NULL;
    fwd = xmpp_stanza_get_child_by_name_and_ns(r, "forwarded", NS_FORWARD);
    inner = fwd != NULL ? xmpp_stanza_get_child_by_name(fwd, "message")
                        : NULL;
    if (inner == NULL)
        return NULL;
    delay = xmpp_stanza_get_child_by_name_and_ns(fwd, "delay", NS_DELAY);
    if (delay != NULL) {
        GDateTime *dt = g_date_time_new_from_iso8601(
            xmpp_stanza_get_attribute(delay, "stamp"), NULL);
        if (dt != NULL) {
            *stamp = g_date_time_to_unix(dt);
            g_date_time_unref(dt);
        }
    }
    if ((id = xmpp_stanza_get_attribute(r, "id")) != NULL)
        save_last_id(acct, id);
    return inner;
}

/* Remember the archive id our server gave a live message. */
void
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
            return;
        }
    }
}

/* The archive answered a page: ask for the next one, or finish. */
static void
on_page(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct query *q = data;
    xmpp_stanza_t *fin, *set, *last;
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
            notice(acct, NOTICE_ERROR, "Archive of %s: %s", acct->jid, err);
        g_free(err);
        g_free(q);
        return;
    }
    fin = xmpp_stanza_get_child_by_name_and_ns(reply, "fin", NS_MAM);
    complete = fin != NULL ? xmpp_stanza_get_attribute(fin, "complete")
                           : "true";
    set = fin != NULL ? xmpp_stanza_get_child_by_name(fin, "set") : NULL;
    last = set != NULL ? xmpp_stanza_get_child_by_name(set, "last") : NULL;
    if (last != NULL)
        last_text = xmpp_stanza_get_text(last);
    q->page++;
    if (g_strcmp0(complete, "true") != 0 && last_text != NULL &&
        q->page < MAM_PAGES) {
        ask_page(q, last_text);
    } else {
        g_free(q);
    }
    if (last_text != NULL)
        xmpp_free(session_ctx(), last_text);
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
