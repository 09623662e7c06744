/* SPDX-License-Identifier: MIT */
#include "xmpp/liveness.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib.h>
#include <stdint.h>
#include <string.h>
#include <strophe.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "core/account.h"
#include "core/settings.h"
#include "xmpp/session.h"

struct pinger {
    struct account *acct;
    guint timer;
    char *outstanding; /* id of the ping not answered yet */
};

static GHashTable *pingers; /* account -> struct pinger */
static int clock_fd = -1;
static guint clock_watch;

static void send_ping(struct pinger *p);

/* Free a pinger and its timer. */
static void
pinger_free(void *data)
{
    struct pinger *p = data;

    if (p->timer != 0)
        g_source_remove(p->timer);
    g_free(p->outstanding);
    g_free(p);
}

/* The server answered (result or error: either way it is alive). */
static int
on_pong(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct pinger *p = data;

    g_free(p->outstanding);
    p->outstanding = NULL;
    return 0;
}

/* Interval tick: a ping still outstanding means the link is dead. */
static gboolean
on_tick(gpointer data)
{
    struct pinger *p = data;

    if (p->outstanding != NULL) {
        struct account *acct = p->acct;
        p->timer = 0;
        session_lost(acct, "the server stopped answering pings");
        return G_SOURCE_REMOVE; /* liveness_stop() follows and frees p */
    }
    send_ping(p);
    return G_SOURCE_CONTINUE;
}

/* Send one ping to the account's server. */
static void
send_ping(struct pinger *p)
{
    xmpp_conn_t *conn = session_conn(p->acct);
    xmpp_ctx_t *ctx = session_ctx();
    xmpp_stanza_t *iq, *ping;
    char *id;

    if (conn == NULL || p->outstanding != NULL)
        return;
    id = xmpp_uuid_gen(ctx);
    iq = xmpp_iq_new(ctx, "get", id);
    xmpp_stanza_set_to(iq, strchr(p->acct->jid, '@') + 1);
    ping = xmpp_stanza_new(ctx);
    xmpp_stanza_set_name(ping, "ping");
    xmpp_stanza_set_ns(ping, "urn:xmpp:ping");
    xmpp_stanza_add_child(iq, ping);
    xmpp_stanza_release(ping);
    xmpp_id_handler_add(conn, on_pong, id, p);
    session_write(p->acct->session, iq);
    xmpp_stanza_release(iq);
    p->outstanding = g_strdup(id);
    xmpp_free(ctx, id);
    session_kick();
}

/* Arm the clock-change watch: it fires when the wall clock is set or the
 * machine resumes from suspend, never otherwise. */
static void
arm_clock(void)
{
    struct itimerspec its;

    memset(&its, 0, sizeof its);
    its.it_value.tv_sec = INT32_MAX; /* far away: only cancellation counts */
    timerfd_settime(clock_fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET,
                    &its, NULL);
}

/* The wall clock jumped: check every connection now. */
static gboolean
on_clock(gint fd, GIOCondition cond, gpointer data)
{
    uint64_t n;

    if (read(fd, &n, sizeof n) < 0 && errno != ECANCELED)
        return G_SOURCE_CONTINUE;
    arm_clock();
    liveness_check_all();
    return G_SOURCE_CONTINUE;
}

/* Watch for clock jumps. */
void
liveness_init(void)
{
    pingers = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                    pinger_free);
    clock_fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
    if (clock_fd >= 0) {
        arm_clock();
        clock_watch = g_unix_fd_add(clock_fd, G_IO_IN, on_clock, NULL);
    }
}

/* Stop everything. */
void
liveness_deinit(void)
{
    if (clock_watch != 0)
        g_source_remove(clock_watch);
    clock_watch = 0;
    if (clock_fd >= 0)
        close(clock_fd);
    clock_fd = -1;
    if (pingers != NULL)
        g_hash_table_destroy(pingers);
    pingers = NULL;
}

/* Start pinging acct (it just came online). */
void
liveness_start(struct account *acct)
{
    struct pinger *p = g_new0(struct pinger, 1);
    int secs = settings_int("ping.interval");

    p->acct = acct;
    g_hash_table_replace(pingers, acct, p);
    if (secs > 0)
        p->timer = g_timeout_add_seconds((guint)secs, on_tick, p);
}

/* Stop pinging acct. */
void
liveness_stop(struct account *acct)
{
    if (pingers != NULL)
        g_hash_table_remove(pingers, acct);
}

/* Ping every online account now. */
void
liveness_check_all(void)
{
    GHashTableIter it;
    void *v;

    g_hash_table_iter_init(&it, pingers);
    while (g_hash_table_iter_next(&it, NULL, &v))
        send_ping(v);
}
