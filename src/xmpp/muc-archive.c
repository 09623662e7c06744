/* SPDX-License-Identifier: MIT */
/*
 * A room's archive (XEP-0313 against the room): what a join fetches so the
 * window shows what was said while we were away, without repeats.
 */
#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/room.h"
#include "xmpp/mam.h"
#include "xmpp/muc-internal.h"
#include "xmpp/muc-stanza.h"
#include "xmpp/muc.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* Archive pages fetched at most when a room is joined. */
#define ROOM_MAM_PAGES 10
#define ROOM_MAM_PAGE 50

/* A page of the room archive answered: ask for the next, or stop. */
static void
on_room_mam(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct room_req *req = data;
    xmpp_stanza_t *fin;
    char *last_text = NULL;

    if (reply == NULL ||
        g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0) {
        struct room *room = room_find(acct, req->room);
        if (room != NULL)
            room->catching_up = false;
    }
    if (reply == NULL) {
        muc_req_free(req);
        return;
    }
    if (g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0) {
        char *err = stanza_error_text(reply);
        muc_say_fmt(acct, req->room, true, FMT_ROOM_HISTORY_FAILED, req->room,
                    err, NULL);
        g_free(err);
        muc_req_free(req);
        return;
    }
    fin = xmpp_stanza_get_child_by_name_and_ns(reply, "fin", NS_MAM);
    last_text = mam_fin_id(fin, "last");
    /* A first join fetched the newest page only: nothing to continue. */
    if (req->extra != NULL && fin != NULL &&
        g_strcmp0(xmpp_stanza_get_attribute(fin, "complete"), "true") != 0 &&
        last_text != NULL && req->page + 1 < ROOM_MAM_PAGES) {
        muc_archive_fetch(acct, req->room, last_text, 0, req->page + 1);
    } else {
        struct room *room = room_find(acct, req->room);
        if (room != NULL)
            room->catching_up = false; /* scroll-back may ask from now on */
    }
    g_free(last_text);
    muc_req_free(req);
}

/*
 * Ask room's archive for a page: after archive id after, or from unix
 * time start, or (neither) the newest page.
 */
void
muc_archive_fetch(struct account *acct, const char *room_jid,
                  const char *after, long long start, unsigned int page)
{
    xmpp_ctx_t *ctx = session_ctx();
    char *id = xmpp_uuid_gen(ctx), *cause = NULL;
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "set", id), *query;
    GString *xml = g_string_new(NULL);
    struct room_req *req = muc_req_new(acct, room_jid, NULL);

    g_string_append_printf(xml,
                           "<query xmlns='%s'><x xmlns='jabber:x:data' "
                           "type='submit'><field var='FORM_TYPE' "
                           "type='hidden'><value>%s</value></field>",
                           NS_MAM, NS_MAM);
    if (start > 0) {
        GDateTime *dt = g_date_time_new_from_unix_utc(start);
        char *s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
        g_string_append_printf(xml,
                               "<field var='start'><value>%s</value>"
                               "</field>",
                               s);
        g_free(s);
        g_date_time_unref(dt);
    }
    g_string_append_printf(xml,
                           "</x><set xmlns='http://jabber.org/protocol/"
                           "rsm'><max>%d</max>",
                           ROOM_MAM_PAGE);
    if (after != NULL) {
        char *esc = g_markup_escape_text(after, -1);
        g_string_append_printf(xml, "<after>%s</after>", esc);
        g_free(esc);
    } else if (start == 0) {
        g_string_append(xml, "<before/>"); /* the newest page */
    }
    g_string_append(xml, "</set></query>");
    /* Only a catch-up from a stored position goes on to later pages. */
    if (after != NULL || start > 0)
        req->extra = g_strdup("continue");
    req->page = page;
    query = xmpp_stanza_new_from_string(ctx, xml->str);
    g_string_free(xml, TRUE);
    xmpp_stanza_set_to(iq, room_jid);
    if (query != NULL) {
        xmpp_stanza_add_child(iq, query);
        xmpp_stanza_release(query);
        if (!session_send_iq(acct, iq, on_room_mam, req, &cause)) {
            g_free(cause);
            muc_req_free(req);
        }
    } else {
        muc_req_free(req);
    }
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
}
