/* SPDX-License-Identifier: MIT */
#include "core/router.h"

#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/window.h"

/* Show a message in its chat window, opening it on first contact. */
static void
on_message(enum event_type type, const void *payload, void *data)
{
    const struct ev_message *ev = payload;
    struct window *w;
    const char *sender;

    if (ev->kind == MESSAGE_ERROR) {
        w = window_find_chat(ev->acct, ev->peer);
        if (w == NULL)
            w = window_console();
        window_printf(w, LINE_ERROR, "Message to %s failed: %s", ev->peer,
                      ev->body != NULL ? ev->body : "unknown error");
        return;
    }
    w = window_get_chat(ev->acct, ev->peer);
    sender = ev->outgoing ? ev->acct->jid : ev->peer;
    /* Writing from a jump view (/search open) goes back to the live end,
     * where the message shows. */
    if (w->detached && ev->outgoing && !ev->carbon)
        window_attach(w);
    /* A correction replaces the line it corrects, if it is still there. */
    if (ev->replace_id != NULL &&
        window_replace_text(w, ev->replace_id, sender, ev->body))
        return;
    /* The same message twice (offline delivery and the archive, stored
     * history and a resend): show it once. */
    if (ev->id != NULL && ev->replace_id == NULL) {
        const struct line *seen = window_find_line(w, ev->id);
        if (seen != NULL && g_strcmp0(seen->sender, sender) == 0 &&
            g_strcmp0(seen->text, ev->body) == 0)
            return;
    }
    /* RFC 6121 5.1: answer the resource that wrote, until its presence
     * changes. */
    if (!ev->outgoing && !ev->carbon && ev->kind == MESSAGE_CHAT &&
        ev->from != NULL && strchr(ev->from, '/') != NULL) {
        g_free(w->locked);
        w->locked = g_strdup(strchr(ev->from, '/') + 1);
    }
    window_add_message(w, ev->outgoing ? LINE_OWN : LINE_MESSAGE, ev->time,
                       sender, ev->body, ev->id,
                       (ev->pending ? LINE_PENDING : 0) |
                           (ev->carbon ? LINE_CARBON : 0) |
                           (ev->replace_id != NULL ? LINE_EDITED : 0));
}

/* A displayed marker arrived: our messages up to it were read. */
static void
on_displayed(enum event_type type, const void *payload, void *data)
{
    const struct ev_receipt *ev = payload;
    struct window *w = window_find_chat(ev->acct, ev->peer);

    if (w != NULL)
        window_mark_read(w, ev->id);
}

/* A receipt arrived: mark our message delivered. */
static void
on_receipt(enum event_type type, const void *payload, void *data)
{
    const struct ev_receipt *ev = payload;
    struct window *w = window_find_chat(ev->acct, ev->peer);

    if (w != NULL)
        window_mark_delivered(w, ev->id);
}

/* A queued message went out: drop its pending mark. */
static void
on_message_sent(enum event_type type, const void *payload, void *data)
{
    const struct ev_message_sent *ev = payload;
    struct window *w = window_find_chat(ev->acct, ev->to);

    if (w != NULL)
        window_mark_sent(w, ev->id);
}

/* Report connection changes in the console. */
static void
on_account_state(enum event_type type, const void *payload, void *data)
{
    const struct ev_account_state *ev = payload;
    struct account *acct = ev->acct;
    struct window *con = window_console();

    switch (ev->state) {
    case ACCOUNT_CONNECTING:
        window_printf(con, LINE_INFO, "Connecting to %s", acct->jid);
        break;
    case ACCOUNT_ONLINE:
        window_printf(con, LINE_INFO, "Connected as %s/%s", acct->jid,
                      acct->resource != NULL ? acct->resource : "");
        break;
    case ACCOUNT_DISCONNECTING:
        break;
    case ACCOUNT_OFFLINE:
        if (ev->reason != NULL)
            window_printf(con, ev->retrying ? LINE_INFO : LINE_ERROR, "%s",
                          ev->reason);
        else
            window_printf(con, LINE_INFO, "Disconnected from %s", acct->jid);
        break;
    }
}

/* Report a contact's new overall presence in the console. */
static void
on_presence(enum event_type type, const void *payload, void *data)
{
    const struct ev_presence *ev = payload;
    struct window *w;
    struct contact *c;
    struct resource *best;

    /* Any presence of the contact ends the lock on one resource. */
    w = window_find_chat(ev->acct, ev->bare);
    if (w != NULL && w->locked != NULL) {
        g_free(w->locked);
        w->locked = NULL;
    }
    if (!ev->changed_best)
        return;
    c = contact_find(ev->acct, ev->bare);
    if (c == NULL)
        return;
    best = contact_best(c);
    if (best != NULL && best->status != NULL && best->status[0] != '\0')
        window_printf(window_console(), LINE_INFO, "%s is now %s (%s)",
                      c->jid, best->show, best->status);
    else
        window_printf(window_console(), LINE_INFO, "%s is now %s", c->jid,
                      contact_show(c));
}

/* Show a notice where the user is looking, unless it concerns another
 * account, in which case it goes to the console. */
static void
on_notice(enum event_type type, const void *payload, void *data)
{
    const struct ev_notice *ev = payload;
    struct window *w = window_current();

    if ((ev->acct != NULL && w->acct != ev->acct) ||
        ev->level == NOTICE_STATUS)
        w = window_console();
    window_add_line(w, ev->level == NOTICE_ERROR ? LINE_ERROR : LINE_INFO, 0,
                    NULL, ev->text);
}

/* Start routing protocol events into windows. */
void
router_init(void)
{
    event_subscribe(EV_MESSAGE, on_message, NULL);
    event_subscribe(EV_MESSAGE_SENT, on_message_sent, NULL);
    event_subscribe(EV_RECEIPT, on_receipt, NULL);
    event_subscribe(EV_DISPLAYED, on_displayed, NULL);
    event_subscribe(EV_ACCOUNT_STATE, on_account_state, NULL);
    event_subscribe(EV_PRESENCE, on_presence, NULL);
    event_subscribe(EV_NOTICE, on_notice, NULL);
}

/* Stop routing. */
void
router_deinit(void)
{
    event_unsubscribe(EV_MESSAGE, on_message, NULL);
    event_unsubscribe(EV_MESSAGE_SENT, on_message_sent, NULL);
    event_unsubscribe(EV_RECEIPT, on_receipt, NULL);
    event_unsubscribe(EV_DISPLAYED, on_displayed, NULL);
    event_unsubscribe(EV_ACCOUNT_STATE, on_account_state, NULL);
    event_unsubscribe(EV_PRESENCE, on_presence, NULL);
    event_unsubscribe(EV_NOTICE, on_notice, NULL);
}
