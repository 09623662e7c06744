/* SPDX-License-Identifier: MIT */
#include "xmpp/reconnect.h"

#include <glib.h>

#include "core/account.h"
#include "core/event.h"
#include "xmpp/session.h"

#define FIRST_DELAY_MS 1000u
#define MAX_DELAY_MS (5u * 60u * 1000u)

/* Milliseconds to wait before attempt number retries, with jitter. */
unsigned int
reconnect_delay_ms(unsigned int retries, double rand01)
{
    double base = FIRST_DELAY_MS;
    double d;

    for (unsigned int i = 0; i < retries && base < MAX_DELAY_MS; i++)
        base *= 2;
    if (base > MAX_DELAY_MS)
        base = MAX_DELAY_MS;
    /* Jitter: between half and one and a half of the base, then capped. */
    d = base * (0.5 + rand01);
    return d > MAX_DELAY_MS ? MAX_DELAY_MS : (unsigned int)d;
}

/* The back-off ran out: try to connect again. */
static gboolean
on_retry(gpointer data)
{
    struct account *acct = data;
    char *cause = NULL;

    acct->retry_timer = 0;
    if (acct->secret == NULL || acct->state != ACCOUNT_OFFLINE)
        return G_SOURCE_REMOVE;
    if (!session_connect(acct, acct->secret, &cause)) {
        notice_fmt(acct, NOTICE_ERROR, FMT_TEXT, cause, NULL);
        g_free(cause);
        reconnect_schedule(acct);
    }
    return G_SOURCE_REMOVE;
}

/* Schedule the next attempt for acct and say when in its console. */
void
reconnect_schedule(struct account *acct)
{
    unsigned int ms = reconnect_delay_ms(acct->retries, g_random_double());
    char secs[32], attempt[16];

    reconnect_cancel(acct);
    acct->retries++;
    acct->retry_timer = g_timeout_add(ms, on_retry, acct);
    g_snprintf(secs, sizeof secs, "%.1f", ms / 1000.0);
    g_snprintf(attempt, sizeof attempt, "%u", acct->retries);
    notice_fmt(acct, NOTICE_STATUS, FMT_RECONNECTING, acct->jid, secs, attempt,
               NULL);
}

/* Drop a scheduled attempt, if any. */
void
reconnect_cancel(struct account *acct)
{
    if (acct->retry_timer != 0)
        g_source_remove(acct->retry_timer);
    acct->retry_timer = 0;
}

/* Try again at once. */
bool
reconnect_now(struct account *acct, char **cause)
{
    if (acct->state != ACCOUNT_OFFLINE) {
        *cause = g_strdup_printf("%s is %s", acct->jid,
                                 account_state_name(acct->state));
        return false;
    }
    if (acct->secret == NULL) {
        *cause = g_strdup_printf("%s has no connection to resume: use "
                                 "/connect %s",
                                 acct->jid, acct->name);
        return false;
    }
    reconnect_cancel(acct);
    return session_connect(acct, acct->secret, cause);
}
