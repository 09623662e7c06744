/* SPDX-License-Identifier: MIT */
#include "xmpp/muc-config.h"

#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/form.h"
#include "core/room.h"
#include "core/window.h"
#include "xmpp/dataform.h"
#include "xmpp/muc-internal.h"
#include "xmpp/muc-stanza.h"
#include "xmpp/muc.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* An owner iq about a room, waiting for its answer. */
struct cfg_req {
    struct account *acct;
    char *room; /* bare room JID */
};

static bool config_submit(struct form *form, char **cause);
static bool config_cancel(struct form *form, char **cause);

static const struct form_ops config_ops = {config_submit, config_cancel};

/* A request record; freed with cfg_req_free(). */
static struct cfg_req *
cfg_req_new(struct account *acct, const char *room)
{
    struct cfg_req *r = g_new0(struct cfg_req, 1);

    r->acct = acct;
    r->room = g_strdup(room);
    return r;
}

/* Free a request record. */
static void
cfg_req_free(struct cfg_req *r)
{
    g_free(r->room);
    g_free(r);
}

/* Say text in room's window: an error line when error. */
static void
room_line(struct account *acct, const char *room_jid, bool error,
          const char *text)
{
    struct ev_room ev = {acct,     room_find(acct, room_jid),
                         room_jid, error ? ROOM_EV_ERROR : ROOM_EV_INFO,
                         NULL,     NULL,
                         NULL,     text,
                         false};

    event_emit(EV_ROOM, &ev);
}

/* The name of room's configuration form window; caller frees. */
char *
muc_config_window(const char *room)
{
    return g_strdup_printf("%s (config)", room);
}

/* One line for an error reply to what we asked of room; caller frees. */
static char *
refusal(xmpp_stanza_t *reply, const char *what, const char *room)
{
    char *err = stanza_error_text(reply), *line;
    const char *hint =
        strstr(err, "forbidden") != NULL || strstr(err, "not-allowed") != NULL
            ? ": only the room's owners may do that"
        : strstr(err, "not-acceptable") != NULL ||
                strstr(err, "bad-request") != NULL
            ? ": the room refused a value; fix it with /form set and "
              "/form submit again"
        : strstr(err, "item-not-found") != NULL ? ": no such room"
                                                : "";

    line = g_strdup_printf("Cannot %s %s: %s%s", what, room, err, hint);
    g_free(err);
    return line;
}

/* Send an owner set to room carrying x (taken over); replies go to fn. */
static bool
owner_set(struct account *acct, const char *room, xmpp_stanza_t *x,
          session_iq_fn fn, char **cause)
{
    xmpp_ctx_t *ctx = session_ctx();
    char *id = xmpp_uuid_gen(ctx);
    xmpp_stanza_t *iq =
        muc_owner_build(ctx, id, room, "set", false, NULL, false);
    xmpp_stanza_t *q =
        xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_MUC_OWNER);
    struct cfg_req *req = cfg_req_new(acct, room);
    bool ok;

    xmpp_free(ctx, id);
    xmpp_stanza_add_child_ex(q, x, 0);
    ok = session_send_iq(acct, iq, fn, req, cause);
    if (!ok)
        cfg_req_free(req);
    xmpp_stanza_release(iq);
    return ok;
}

/* The room answered our submitted configuration. */
static void
on_submitted(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct cfg_req *req = data;
    char *win = muc_config_window(req->room), *line;
    struct window *fw, *rw;
    bool was_current;

    if (reply == NULL) {
        form_window_result(acct, win, true,
                           "The connection closed before the room answered");
    } else if (g_strcmp0(xmpp_stanza_get_type(reply), "result") == 0) {
        fw = window_find(acct, WINDOW_FORM, win);
        was_current = fw != NULL && fw == window_current();
        form_window_result(acct, win, false, NULL);
        if (room_find(acct, req->room) != NULL)
            room_find(acct, req->room)->locked = false;
        /* back to the room the form came from */
        rw = window_find(acct, WINDOW_ROOM, req->room);
        if (was_current && rw != NULL)
            window_switch(rw);
        muc_say_fmt(acct, req->room, false, FMT_ROOM_CONFIG_SAVED, req->room,
                    NULL);
    } else {
        line = refusal(reply, "configure", req->room);
        room_line(acct, req->room, true, line);
        form_window_result(acct, win, true, line);
        g_free(line);
    }
    g_free(win);
    cfg_req_free(req);
}

/* Send the filled-in configuration form back to its room. */
static bool
config_submit(struct form *form, char **cause)
{
    if (!form_check(form, cause))
        return false;
    return owner_set(form->acct, form->target,
                     dataform_submit_build(session_ctx(), form->fields),
                     on_submitted, cause);
}

/* The room answered our cancel. */
static void
on_cancelled(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct cfg_req *req = data;
    char *line;

    if (reply != NULL &&
        g_strcmp0(xmpp_stanza_get_type(reply), "result") == 0) {
        struct room *room = room_find(acct, req->room);
        char *cause = NULL;

        line = g_strdup_printf("Configuration of %s cancelled", req->room);
        room_line(acct, req->room, false, line);
        g_free(line);
        /* XEP-0045 10.1.3: a new room whose first configuration is
         * cancelled should go; not every service does it (Prosody 0.12
         * keeps it locked), so destroy it if we are still in it. */
        if (room != NULL && room->locked && room->state == ROOM_JOINED &&
            !muc_destroy(acct, req->room, "configuration cancelled", &cause)) {
            room_line(acct, req->room, true, cause);
            g_free(cause);
        }
    } else if (reply != NULL) {
        line = refusal(reply, "cancel the configuration of", req->room);
        room_line(acct, req->room, true, line);
        g_free(line);
    }
    cfg_req_free(req);
}

/* Tell the room the user gave up (a new room is destroyed by it). */
static bool
config_cancel(struct form *form, char **cause)
{
    return owner_set(form->acct, form->target,
                     dataform_cancel_build(session_ctx()), on_cancelled,
                     cause);
}

/* The room's configuration form arrived: open it in its window. */
static void
on_form(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct cfg_req *req = data;
    xmpp_stanza_t *q;
    struct form *form;
    char *line, *win;

    if (reply == NULL) {
        cfg_req_free(req);
        return;
    }
    if (g_strcmp0(xmpp_stanza_get_type(reply), "result") != 0) {
        line = refusal(reply, "get the configuration of", req->room);
        room_line(acct, req->room, true, line);
        g_free(line);
        cfg_req_free(req);
        return;
    }
    q = xmpp_stanza_get_child_by_name_and_ns(reply, "query", NS_MUC_OWNER);
    form = dataform_parse(dataform_find(q));
    if (form == NULL) {
        line = g_strdup_printf("%s sent no configuration form", req->room);
        room_line(acct, req->room, true, line);
        g_free(line);
        cfg_req_free(req);
        return;
    }
    form->acct = acct;
    form->target = g_strdup(req->room);
    form->ops = &config_ops;
    if (form->title == NULL)
        form->title = g_strdup_printf("Configuration of %s", req->room);
    win = muc_config_window(req->room);
    form_window_open(acct, win, form);
    g_free(win);
    cfg_req_free(req);
}

/* Ask room for its configuration form. */
bool
muc_config(struct account *acct, const char *room_jid, char **cause)
{
    struct room *room = room_find(acct, room_jid);
    xmpp_ctx_t *ctx = session_ctx();
    struct cfg_req *req;
    xmpp_stanza_t *iq;
    char *id;
    bool ok;

    if (room == NULL || room->state != ROOM_JOINED) {
        *cause =
            g_strdup_printf("You are not in %s: /join %s", room_jid, room_jid);
        return false;
    }
    id = xmpp_uuid_gen(ctx);
    iq = muc_owner_build(ctx, id, room->jid, "get", false, NULL, false);
    xmpp_free(ctx, id);
    req = cfg_req_new(acct, room->jid);
    ok = session_send_iq(acct, iq, on_form, req, cause);
    if (!ok)
        cfg_req_free(req);
    xmpp_stanza_release(iq);
    return ok;
}
