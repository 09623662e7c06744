/* SPDX-License-Identifier: MIT */
#include "xmpp/autoaway.h"

#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/settings.h"
#include "xmpp/session.h"

/* What an account said before natter set it away. */
struct saved {
    struct account *acct;
    char *show;
    char *status;
};

static guint timer;
static GPtrArray *saved; /* struct saved, while auto-away is on */
static bool idle;        /* the user has been idle for autoaway.time */

/* Free a saved presence. */
static void
saved_free(void *p)
{
    struct saved *s = p;

    g_free(s->show);
    g_free(s->status);
    g_free(s);
}

/* Set acct away for the idle user, remembering what it said before;
 * a presence the user chose (away, dnd, ...) is left alone. */
static void
set_away(struct account *acct)
{
    const char *msg = settings_get("autoaway.message");
    struct saved *s;
    char *cause = NULL, secs[16];

    if (acct->state != ACCOUNT_ONLINE ||
        (strcmp(acct->show, "online") != 0 && strcmp(acct->show, "chat") != 0))
        return;
    s = g_new0(struct saved, 1);
    s->acct = acct;
    s->show = g_strdup(acct->show);
    s->status = g_strdup(acct->status);
    if (!session_set_presence(acct, "away", msg, &cause)) {
        g_free(cause);
        saved_free(s);
        return;
    }
    g_ptr_array_add(saved, s);
    g_snprintf(secs, sizeof secs, "%d", settings_int("autoaway.time"));
    notice_fmt(acct, NOTICE_STATUS, FMT_AUTOAWAY_AWAY, acct->jid, secs, NULL);
}

/* Idle long enough: set every available account away. */
static gboolean
on_idle(gpointer data)
{
    GPtrArray *accts = account_list();

    timer = 0;
    idle = true;
    for (guint i = 0; i < accts->len; i++)
        set_away(accts->pdata[i]);
    return G_SOURCE_REMOVE;
}

/* The user is back: restore presences and start counting again. */
static void
on_activity(enum event_type type, const void *payload, void *data)
{
    int secs = settings_int("autoaway.time");

    idle = false;
    for (guint i = 0; i < saved->len; i++) {
        struct saved *s = saved->pdata[i];
        char *cause = NULL;
        /* Only if the user did not choose another presence meanwhile. */
        if (s->acct->state == ACCOUNT_ONLINE &&
            strcmp(s->acct->show, "away") == 0 &&
            session_set_presence(s->acct, s->show, s->status, &cause))
            notice_fmt(s->acct, NOTICE_STATUS, FMT_AUTOAWAY_BACK, s->acct->jid,
                       s->show, NULL);
        g_free(cause);
    }
    g_ptr_array_set_size(saved, 0);
    if (timer != 0)
        g_source_remove(timer);
    timer = secs > 0 ? g_timeout_add_seconds((guint)secs, on_idle, NULL) : 0;
}

/*
 * An account that comes online while the user is idle goes away at once
 * (it may have been connecting, or reconnecting, when the timer fired).
 * One that goes offline forgets what was saved for it, and keeps the
 * presence the user chose for the next login instead of the auto-away.
 */
static void
on_account_state(enum event_type type, const void *payload, void *data)
{
    const struct ev_account_state *ev = payload;

    if (ev->state == ACCOUNT_ONLINE && idle) {
        set_away(ev->acct);
        return;
    }
    if (ev->state != ACCOUNT_OFFLINE)
        return;
    for (guint i = saved->len; i-- > 0;) {
        struct saved *s = saved->pdata[i];
        if (s->acct != ev->acct)
            continue;
        if (strcmp(s->acct->show, "away") == 0) {
            g_free(s->acct->show);
            g_free(s->acct->status);
            s->acct->show = s->show;
            s->acct->status = s->status;
            s->show = s->status = NULL;
        }
        g_ptr_array_remove_index(saved, i);
    }
}

/* Start watching for activity. */
void
autoaway_init(void)
{
    saved = g_ptr_array_new_with_free_func(saved_free);
    event_subscribe(EV_ACTIVITY, on_activity, NULL);
    event_subscribe(EV_SETTING, on_activity, NULL); /* a new delay applies */
    event_subscribe(EV_ACCOUNT_STATE, on_account_state, NULL);
    on_activity(EV_ACTIVITY, NULL, NULL);
}

/* Stop, without changing any presence. */
void
autoaway_deinit(void)
{
    event_unsubscribe(EV_ACTIVITY, on_activity, NULL);
    event_unsubscribe(EV_SETTING, on_activity, NULL);
    event_unsubscribe(EV_ACCOUNT_STATE, on_account_state, NULL);
    if (timer != 0)
        g_source_remove(timer);
    timer = 0;
    g_ptr_array_unref(saved);
    saved = NULL;
    idle = false;
}
