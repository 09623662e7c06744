/* SPDX-License-Identifier: MIT */
#include "xmpp/driver.h"

#include "xmpp/xmlguard.h"

#include <glib-unix.h>
#include <glib.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * xmpp_run_once reads at most one buffer (4 KiB) per connection and call,
 * while a TLS record (up to 16 KiB) may already sit decrypted inside
 * OpenSSL with the socket empty, so the fd never becomes readable again.
 * A fixed number of calls is not enough: in a burst a pass can stop in the
 * middle of any record (the last messages of 5,000 in a room waited for
 * the next packet). So each pass calls on while the last call still gave
 * the XML parser input (xmlguard counts it), at least DRAIN_CALLS times
 * when that count is not available, and at most DRAIN_MAX times before
 * the rest is left to the next loop turn (so the screen is drawn between).
 */
#define DRAIN_CALLS 8
#define DRAIN_MAX 64
/* How often libstrophe's own timeouts are checked while a connection is
 * being set up or torn down; never while connected and idle. */
#define SETUP_TICK_MS 250

struct driven {
    xmpp_conn_t *conn;
    xmpp_ctx_t *ctx; /* its context: one per account, or the shared one */
    driver_setup_fn in_setup;
    void *owner;
    int fd;
    int guard_fd; /* a dup the watchdog may shut down, never reused */
    bool setup;   /* cached in_setup, read by the watchdog under lock */
    bool cut;
    bool readable; /* had input when the pass under way began */
    guint watch;
    GIOCondition watch_cond;
};

static bool started;
static GPtrArray *driven; /* struct driven */
static GPtrArray *pumped_hooks;
static guint pump_source;
static guint tick_source;
static bool parse_failed; /* libstrophe's parser failed during this pass */
static void (*parse_error_fn)(xmpp_conn_t *conn);

/* Shared with the watchdog thread, under lock. */
static GMutex lock;
static GCond cond;
static GThread *watchdog;
static bool stopping;
static bool any_setup;
static gint64 pump_since; /* monotonic start of the pass under way, or 0 */

static void pump(void);

/* The record of conn, NULL if it is not driven. */
static struct driven *
find(xmpp_conn_t *conn)
{
    for (guint i = 0; driven != NULL && i < driven->len; i++) {
        struct driven *d = driven->pdata[i];
        if (d->conn == conn)
            return d;
    }
    return NULL;
}

/* Remove the fd watch of d. */
static void
unwatch(struct driven *d)
{
    if (d->watch != 0)
        g_source_remove(d->watch);
    d->watch = 0;
    d->watch_cond = 0;
}

/* The factor for natter's own connection time limits (see driver.h). */
unsigned int
driver_timeout_scale(void)
{
    const char *s = getenv("NATTER_TIMEOUT_SCALE");
    double f = s != NULL ? g_ascii_strtod(s, NULL) : 1;

    return f >= 1 && f <= 100 ? (unsigned int)f : 1;
}

/* Seconds one pass through libstrophe may take while setting up. */
unsigned int
driver_stuck_seconds(void)
{
    return DRIVER_STUCK_SECONDS * driver_timeout_scale();
}

/* Watchdog: while connections are set up, cut them if a pass is stuck. */
static gpointer
watchdog_main(gpointer data)
{
    g_mutex_lock(&lock);
    while (!stopping) {
        gint64 now = g_get_monotonic_time();

        if (!any_setup) {
            g_cond_wait(&cond, &lock); /* asleep until setup starts */
            continue;
        }
        if (pump_since != 0 &&
            now - pump_since >
                (gint64)driver_stuck_seconds() * G_USEC_PER_SEC) {
            for (guint i = 0; i < driven->len; i++) {
                struct driven *d = driven->pdata[i];
                if (d->setup && d->guard_fd >= 0 && !d->cut) {
                    shutdown(d->guard_fd, SHUT_RDWR);
                    d->cut = true;
                }
            }
        }
        g_cond_wait_until(&cond, &lock, now + G_USEC_PER_SEC);
    }
    g_mutex_unlock(&lock);
    return NULL;
}

/* Start driving connections (of any context). */
void
driver_init(void)
{
    started = true;
    driven = g_ptr_array_new();
    pumped_hooks = g_ptr_array_new();
    stopping = false;
    watchdog = g_thread_new("natter-watchdog", watchdog_main, NULL);
}

/* Stop: no connection may be attached any more. */
void
driver_deinit(void)
{
    if (pump_source != 0)
        g_source_remove(pump_source);
    if (tick_source != 0)
        g_source_remove(tick_source);
    pump_source = tick_source = 0;
    g_mutex_lock(&lock);
    stopping = true;
    g_cond_signal(&cond);
    g_mutex_unlock(&lock);
    g_thread_join(watchdog);
    watchdog = NULL;
    while (driven->len > 0)
        driver_detach(((struct driven *)driven->pdata[0])->conn);
    g_ptr_array_free(driven, TRUE);
    g_ptr_array_free(pumped_hooks, TRUE);
    driven = pumped_hooks = NULL;
    started = false;
}

/* libstrophe made a socket for conn: remember it for the watches. */
static int
on_sockopt(xmpp_conn_t *conn, void *sock)
{
    struct driven *d = find(conn);

    if (d != NULL) {
        unwatch(d);
        g_mutex_lock(&lock);
        if (d->guard_fd >= 0)
            close(d->guard_fd);
        d->fd = *(int *)sock;
        d->guard_fd = dup(d->fd);
        d->cut = false;
        g_mutex_unlock(&lock);
    }
    return xmpp_sockopt_cb_keepalive(conn, sock);
}

/* Drive conn: capture its sockets from now on. */
void
driver_attach(xmpp_conn_t *conn, driver_setup_fn in_setup, void *owner)
{
    struct driven *d = g_new0(struct driven, 1);

    d->conn = conn;
    d->ctx = xmpp_conn_get_context(conn);
    d->in_setup = in_setup;
    d->owner = owner;
    d->fd = d->guard_fd = -1;
    xmpp_conn_set_sockopt_callback(conn, on_sockopt);
    g_mutex_lock(&lock);
    g_ptr_array_add(driven, d);
    g_mutex_unlock(&lock);
}

/* Stop driving conn (before releasing it). */
void
driver_detach(xmpp_conn_t *conn)
{
    struct driven *d = find(conn);

    if (d == NULL)
        return;
    unwatch(d);
    g_mutex_lock(&lock);
    g_ptr_array_remove(driven, d);
    if (d->guard_fd >= 0)
        close(d->guard_fd);
    g_mutex_unlock(&lock);
    g_free(d);
}

/* The socket of conn, -1 when it has none. */
int
driver_fd(xmpp_conn_t *conn)
{
    struct driven *d = find(conn);

    return d != NULL ? d->fd : -1;
}

/* Whether the watchdog cut conn's socket. */
bool
driver_was_cut(xmpp_conn_t *conn)
{
    struct driven *d = find(conn);
    bool cut;

    g_mutex_lock(&lock);
    cut = d != NULL && d->cut;
    g_mutex_unlock(&lock);
    return cut;
}

/* A socket was readable or writable: let libstrophe work. */
static gboolean
on_fd(gint fd, GIOCondition c, gpointer data)
{
    pump();
    return G_SOURCE_CONTINUE;
}

/* While a connection is set up or torn down, fire libstrophe's timers. */
static gboolean
on_tick(gpointer data)
{
    pump();
    return G_SOURCE_CONTINUE;
}

/* Watch each socket for what libstrophe waits for; tick only in setup. */
static void
update_watches(void)
{
    bool setup = false;

    for (guint i = 0; i < driven->len; i++) {
        struct driven *d = driven->pdata[i];
        GIOCondition want = 0;
        bool s = d->in_setup(d->conn, d->owner);

        setup = setup || s;
        if (d->setup != s) {
            g_mutex_lock(&lock);
            d->setup = s;
            g_mutex_unlock(&lock);
        }
        if (d->fd < 0 || xmpp_conn_is_disconnected(d->conn)) {
            unwatch(d);
            continue;
        }
        want = G_IO_IN | G_IO_HUP | G_IO_ERR;
        if (xmpp_conn_is_connecting(d->conn) ||
            xmpp_conn_send_queue_len(d->conn) > 0)
            want |= G_IO_OUT;
        if (want != d->watch_cond) {
            unwatch(d);
            d->watch = g_unix_fd_add(d->fd, want, on_fd, d);
            d->watch_cond = want;
        }
    }
    if (setup && tick_source == 0)
        tick_source = g_timeout_add(SETUP_TICK_MS, on_tick, NULL);
    else if (!setup && tick_source != 0) {
        g_source_remove(tick_source);
        tick_source = 0;
    }
    g_mutex_lock(&lock);
    if (setup != any_setup) {
        any_setup = setup;
        g_cond_signal(&cond);
    }
    g_mutex_unlock(&lock);
}

/*
 * Note which connections have input waiting, before a pass: a parse
 * error during the pass came from one of them. A TLS connection may also
 * hold decrypted input inside OpenSSL with its socket empty, so when no
 * socket is readable every connected one is a suspect.
 */
static void
mark_readable(void)
{
    bool any = false;

    for (guint i = 0; i < driven->len; i++) {
        struct driven *d = driven->pdata[i];
        struct pollfd p = {d->fd, POLLIN, 0};
        d->readable = d->fd >= 0 && poll(&p, 1, 0) > 0 &&
                      (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0;
        any = any || d->readable;
    }
    if (!any)
        for (guint i = 0; i < driven->len; i++) {
            struct driven *d = driven->pdata[i];
            d->readable = d->fd >= 0 && !xmpp_conn_is_disconnected(d->conn);
        }
}

/* libstrophe's parser failed on the input of some connection. */
void
driver_note_parse_error(void)
{
    parse_failed = true;
}

/* Call fn with each connection whose stream broke at the XML parser. */
void
driver_on_parse_error(void (*fn)(xmpp_conn_t *conn))
{
    parse_error_fn = fn;
}

/* After a pass in which the parser failed: the connections that had
 * input are told, since libstrophe itself only sends a stream error and
 * keeps the socket open with a parser that accepts nothing any more. */
static void
report_parse_error(void)
{
    GPtrArray *suspects = g_ptr_array_new();

    parse_failed = false;
    for (guint i = 0; i < driven->len; i++) {
        struct driven *d = driven->pdata[i];
        if (d->readable)
            g_ptr_array_add(suspects, d->conn);
    }
    /* The callback may detach connections: call it on a copy. */
    for (guint i = 0; i < suspects->len && parse_error_fn != NULL; i++)
        if (find(suspects->pdata[i]) != NULL)
            parse_error_fn(suspects->pdata[i]);
    g_ptr_array_free(suspects, TRUE);
}

/* One xmpp_run_once for every context that has a driven connection
 * (each account has its own, raw sessions share one). */
static void
run_contexts(void)
{
    xmpp_ctx_t *ran[16];
    unsigned int n = 0;

    for (guint i = 0; i < driven->len; i++) {
        xmpp_ctx_t *c = ((struct driven *)driven->pdata[i])->ctx;
        bool seen = false;
        for (unsigned int j = 0; j < n && !seen; j++)
            seen = ran[j] == c;
        if (seen)
            continue;
        if (n < G_N_ELEMENTS(ran))
            ran[n++] = c;
        /* A callback may detach connections: the array is re-read. */
        xmpp_run_once(c, 0);
    }
}

/* Run libstrophe until a pass reads nothing more (see DRAIN_MAX); true
 * if input may be left for another pass. */
static bool
drain(void)
{
    if (!xmlguard_active()) {
        for (int i = 0; i < DRAIN_CALLS; i++)
            run_contexts();
        return false;
    }
    for (int i = 0; i < DRAIN_MAX; i++) {
        unsigned long before = xmlguard_bytes_fed();
        run_contexts();
        if (xmlguard_bytes_fed() == before)
            return false;
    }
    return true;
}

/* Run libstrophe until it has nothing more to do right now. */
static void
pump(void)
{
    bool more;

    if (!started)
        return;
    mark_readable();
    parse_failed = false;
    g_mutex_lock(&lock);
    pump_since = g_get_monotonic_time();
    g_mutex_unlock(&lock);
    more = drain();
    g_mutex_lock(&lock);
    pump_since = 0;
    g_mutex_unlock(&lock);
    if (parse_failed)
        report_parse_error();
    for (guint i = 0; i < pumped_hooks->len; i++)
        ((void (*)(void))pumped_hooks->pdata[i])();
    update_watches();
    if (more)
        driver_kick();
}

/* Idle callback: flush what was queued during this loop turn. */
static gboolean
on_pump_idle(gpointer data)
{
    pump_source = 0;
    pump();
    return G_SOURCE_REMOVE;
}

/* Run libstrophe before the loop sleeps again. */
void
driver_kick(void)
{
    if (pump_source == 0 && started)
        pump_source = g_idle_add(on_pump_idle, NULL);
}

/* Call fn after every pass through libstrophe. */
void
driver_on_pumped(void (*fn)(void))
{
    g_ptr_array_add(pumped_hooks, (void *)fn);
}
