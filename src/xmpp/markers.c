/* SPDX-License-Identifier: MIT */
#include "xmpp/markers.h"

#include <glib.h>

#include "core/account.h"
#include "core/event.h"
#include "core/window.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* Tell the sender of w's newest markable message that it was displayed. */
static void
send_displayed(struct window *w)
{
    xmpp_stanza_t *m;
    char *cause = NULL;

    if (w->marker_id == NULL || w->acct == NULL ||
        session_conn(w->acct) == NULL)
        return;
    m = marker_build(session_ctx(), w->marker_to, w->marker_id);
    if (!session_send(w->acct, m, &cause))
        g_free(cause);
    xmpp_stanza_release(m);
    g_free(w->marker_id);
    g_free(w->marker_to);
    w->marker_id = w->marker_to = NULL;
}

/* A markable message arrived: displayed now if its window is current. */
static void
on_message(enum event_type type, const void *payload, void *data)
{
    const struct message *ev = payload;
    struct window *w;

    if (!ev->markable || ev->outgoing || ev->id == NULL || ev->from == NULL)
        return;
    if ((w = window_find_chat(ev->acct, ev->peer)) == NULL)
        return;
    g_free(w->marker_id);
    g_free(w->marker_to);
    w->marker_id = g_strdup(ev->id);
    w->marker_to = g_strdup(ev->from);
    if (w == window_current())
        send_displayed(w);
}

/* A window became current: what waited in it is now displayed. */
static void
on_switch(enum event_type type, const void *payload, void *data)
{
    const struct ev_window *ev = payload;

    if (ev->win != NULL)
        send_displayed(ev->win);
}

/* Start listening for messages and window switches. */
void
markers_init(void)
{
    event_subscribe(EV_MESSAGE, on_message, NULL);
    event_subscribe(EV_WINDOW_SWITCH, on_switch, NULL);
}

/* Stop listening. */
void
markers_deinit(void)
{
    event_unsubscribe(EV_MESSAGE, on_message, NULL);
    event_unsubscribe(EV_WINDOW_SWITCH, on_switch, NULL);
}
