/* SPDX-License-Identifier: MIT */
#include "xmpp/chatstate.h"

#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/window.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* Seconds without a key press before "composing" becomes "paused". */
#define PAUSE_SECONDS 5

/* The one conversation the user is typing in, if any. */
static struct account *typing_acct;
static char *typing_peer;
static guint pause_timer;

/* Send state to peer on acct, if it is online. */
static void
send_state(struct account *acct, const char *peer, const char *state)
{
    xmpp_stanza_t *m;
    char *cause = NULL;

    if (session_conn(acct) == NULL)
        return;
    m = chatstate_build(session_ctx(), peer, state);
    if (!session_send(acct, m, &cause))
        g_free(cause);
    xmpp_stanza_release(m);
}

/* Forget the conversation being typed in. */
static void
stop_typing(void)
{
    if (pause_timer != 0)
        g_source_remove(pause_timer);
    pause_timer = 0;
    g_free(typing_peer);
    typing_peer = NULL;
    typing_acct = NULL;
}

/* No key for a while: tell the peer typing paused. */
static gboolean
on_pause(gpointer data)
{
    pause_timer = 0;
    if (typing_peer != NULL)
        send_state(typing_acct, typing_peer, "paused");
    g_free(typing_peer);
    typing_peer = NULL;
    typing_acct = NULL;
    return G_SOURCE_REMOVE;
}

/* The user edited the input line of a window. */
static void
on_typing(enum event_type type, const void *payload, void *data)
{
    const struct ev_window *ev = payload;
    struct window *w = ev->win;

    if (w == NULL || w->type != WINDOW_CHAT)
        return;
    if (typing_peer == NULL || typing_acct != w->acct ||
        strcmp(typing_peer, w->jid) != 0) {
        if (typing_peer != NULL)
            send_state(typing_acct, typing_peer, "active");
        stop_typing();
        typing_acct = w->acct;
        typing_peer = g_strdup(w->jid);
        send_state(typing_acct, typing_peer, "composing");
    }
    if (pause_timer != 0)
        g_source_remove(pause_timer);
    pause_timer = g_timeout_add_seconds(PAUSE_SECONDS, on_pause, NULL);
}

/* A message went out: its own <active/> ends the typing. */
static void
on_message(enum event_type type, const void *payload, void *data)
{
    const struct message *ev = payload;

    if (ev->outgoing && !ev->carbon && !ev->backfill && typing_peer != NULL &&
        ev->acct == typing_acct && strcmp(ev->peer, typing_peer) == 0)
        stop_typing();
}

/* Start listening for typing and sent messages. */
void
chatstate_init(void)
{
    event_subscribe(EV_TYPING, on_typing, NULL);
    event_subscribe(EV_MESSAGE, on_message, NULL);
}

/* Stop, cancelling any timer. */
void
chatstate_deinit(void)
{
    event_unsubscribe(EV_TYPING, on_typing, NULL);
    event_unsubscribe(EV_MESSAGE, on_message, NULL);
    stop_typing();
}
