/* SPDX-License-Identifier: MIT */
#include "xmpp/raw.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xmpp/session.h"

/* Calls of xmpp_run_once per readable event: drains a whole TLS record
 * (see session.c and DESIGN.md). */
#define DRAIN_CALLS 8
/* How often libstrophe's own timers run while connecting or closing. */
#define SETUP_TICK_MS 250
/* Longest a polite close waits for the server's </stream:stream>. */
#define CLOSE_GRACE_S 3

enum raw_state {
    RS_CONNECTING,    /* TCP (and direct TLS) not up yet */
    RS_STREAM,        /* first stream open, waiting for features */
    RS_STARTTLS,      /* <starttls/> sent, waiting for <proceed/> */
    RS_SECURE_STREAM, /* stream reopened over TLS, waiting for features */
    RS_READY,         /* handed to the caller */
    RS_CLOSING,       /* </stream:stream> sent, waiting for the server */
    RS_ENDED,         /* result known, end callback pending */
};

struct raw_session {
    char *domain;
    char *host;
    char *cafile;
    char *where; /* "host:port" for messages */
    unsigned short port;
    bool direct_tls;
    bool verify;
    enum raw_tls tls;
    unsigned int timeout;

    long flags;         /* libstrophe connection flags */
    guint start_source; /* idle that creates the connection */
    xmpp_conn_t *conn;
    int fd;
    guint watch;
    GIOCondition watch_cond;
    enum raw_state state;
    bool secured;
    bool abandoned; /* the owner went away: no callbacks */
    guint timer;
    gint64 deadline; /* monotonic microseconds the setup must end by */
    char *timeout_text;

    enum raw_error kind; /* the result, once known */
    char *text;

    raw_ready_fn ready;
    raw_end_fn end;
    void *data;
};

/* What the TLS watchdog thread shares with the main thread. */
struct tls_guard {
    GMutex lock;
    GCond cond;
    bool done;
    bool fired;
    int fd; /* a dup of the socket: shutting it down ends the handshake */
    gint64 until;
};

static GPtrArray *raws; /* struct raw_session, live and ending */
static guint pump_source;
static guint tick_source;
static guint reap_source;

static void pump(void);
static void schedule_pump(void);
static void update_watches(void);
static void finish(struct raw_session *rs, enum raw_error kind,
                   const char *text);
static void begin_close(struct raw_session *rs, enum raw_error kind,
                        const char *text);
static void arm_timer(struct raw_session *rs, unsigned int seconds);

/* The raw session of a connection, NULL if it is not ours. */
static struct raw_session *
raw_of_conn(xmpp_conn_t *conn)
{
    if (raws == NULL)
        return NULL;
    for (guint i = 0; i < raws->len; i++) {
        struct raw_session *rs = raws->pdata[i];
        if (rs->conn == conn)
            return rs;
    }
    return NULL;
}

/* Remove the fd watch of rs. */
static void
unwatch(struct raw_session *rs)
{
    if (rs->watch != 0)
        g_source_remove(rs->watch);
    rs->watch = 0;
    rs->watch_cond = 0;
}

/* A socket of ours is ready: let libstrophe work. */
static gboolean
on_fd(gint fd, GIOCondition cond, gpointer data)
{
    pump();
    return G_SOURCE_CONTINUE;
}

/* Run libstrophe's timers while a raw session connects or closes. */
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
    bool transient = false;

    for (guint i = 0; raws != NULL && i < raws->len; i++) {
        struct raw_session *rs = raws->pdata[i];
        GIOCondition want;

        if (rs->state == RS_ENDED || rs->conn == NULL || rs->fd < 0 ||
            xmpp_conn_is_disconnected(rs->conn)) {
            unwatch(rs);
            continue;
        }
        if (rs->state == RS_CONNECTING || rs->state == RS_CLOSING)
            transient = true;
        want = G_IO_IN | G_IO_HUP | G_IO_ERR;
        if (xmpp_conn_is_connecting(rs->conn) ||
            xmpp_conn_send_queue_len(rs->conn) > 0)
            want |= G_IO_OUT;
        if (want != rs->watch_cond) {
            unwatch(rs);
            rs->watch = g_unix_fd_add(rs->fd, want, on_fd, rs);
            rs->watch_cond = want;
        }
    }
    if (transient && tick_source == 0)
        tick_source = g_timeout_add(SETUP_TICK_MS, on_tick, NULL);
    else if (!transient && tick_source != 0) {
        g_source_remove(tick_source);
        tick_source = 0;
    }
}

/*
 * Run the shared context until it has nothing more to do right now, then
 * let the session layer look at its own connections too: one xmpp_run_once
 * serves every connection of the context.
 */
static void
pump(void)
{
    xmpp_ctx_t *ctx = session_ctx();

    if (ctx == NULL)
        return;
    for (int i = 0; i < DRAIN_CALLS; i++)
        xmpp_run_once(ctx, 0);
    update_watches();
    session_kick();
}

/* Idle callback: write what was queued during this loop turn. */
static gboolean
on_pump_idle(gpointer data)
{
    pump_source = 0;
    pump();
    return G_SOURCE_REMOVE;
}

/* xmpp_send only queues: run libstrophe before the loop sleeps again. */
static void
schedule_pump(void)
{
    if (pump_source == 0)
        pump_source = g_idle_add(on_pump_idle, NULL);
}

/* Free rs and what it holds; its connection is already released. */
static void
raw_free(struct raw_session *rs)
{
    unwatch(rs);
    if (rs->timer != 0)
        g_source_remove(rs->timer);
    if (rs->start_source != 0)
        g_source_remove(rs->start_source);
    g_free(rs->domain);
    g_free(rs->host);
    g_free(rs->cafile);
    g_free(rs->where);
    g_free(rs->timeout_text);
    g_free(rs->text);
    g_free(rs);
}

/*
 * Idle callback: close and report every session whose result is known.
 * The connection is released here, outside libstrophe's own callbacks;
 * its handler sees RS_ENDED and stays quiet.
 */
static gboolean
on_reap(gpointer data)
{
    reap_source = 0;
    for (guint i = 0; raws != NULL && i < raws->len;) {
        struct raw_session *rs = raws->pdata[i];

        if (rs->state != RS_ENDED) {
            i++;
            continue;
        }
        g_ptr_array_remove_index(raws, i);
        unwatch(rs);
        if (rs->conn != NULL)
            xmpp_conn_release(rs->conn);
        rs->conn = NULL;
        if (!rs->abandoned && rs->end != NULL)
            rs->end(rs, rs->kind, rs->text, rs->data);
        raw_free(rs);
        i = 0; /* the callback may have changed the list */
    }
    update_watches();
    return G_SOURCE_REMOVE;
}

/* The result of rs is known: stop everything and report it soon. */
static void
finish(struct raw_session *rs, enum raw_error kind, const char *text)
{
    if (rs->state == RS_ENDED)
        return;
    rs->state = RS_ENDED;
    rs->kind = kind;
    g_free(rs->text);
    rs->text = g_strdup(text);
    if (rs->timer != 0)
        g_source_remove(rs->timer);
    rs->timer = 0;
    unwatch(rs);
    if (reap_source == 0)
        reap_source = g_idle_add(on_reap, NULL);
}

/* Close politely when a stream is open, else at once; report kind. */
static void
begin_close(struct raw_session *rs, enum raw_error kind, const char *text)
{
    if (rs->state == RS_ENDED || rs->state == RS_CLOSING)
        return;
    if (rs->conn == NULL || !xmpp_conn_is_connected(rs->conn)) {
        finish(rs, kind, text);
        return;
    }
    rs->kind = kind;
    g_free(rs->text);
    rs->text = g_strdup(text);
    rs->state = RS_CLOSING;
    xmpp_disconnect(rs->conn);
    arm_timer(rs, CLOSE_GRACE_S);
    schedule_pump();
}

/* The deadline passed: give up (or stop waiting for a polite close). */
static gboolean
on_timer(gpointer data)
{
    struct raw_session *rs = data;
    char *text;

    rs->timer = 0;
    if (rs->state == RS_CLOSING) {
        text = g_strdup(rs->text);
        finish(rs, rs->kind, text);
        g_free(text);
    } else if (rs->timeout_text != NULL) {
        text = g_strdup(rs->timeout_text);
        finish(rs, RAW_ERR_TIMEOUT, text);
        g_free(text);
    } else {
        text = g_strdup_printf("%s did not answer within %u seconds",
                               rs->where, rs->timeout);
        finish(rs, RAW_ERR_TIMEOUT, text);
        g_free(text);
    }
    return G_SOURCE_REMOVE;
}

/* (Re)start the one-shot timer of rs; 0 seconds stops it. */
static void
arm_timer(struct raw_session *rs, unsigned int seconds)
{
    if (rs->timer != 0)
        g_source_remove(rs->timer);
    rs->timer = seconds > 0 ? g_timeout_add_seconds(seconds, on_timer, rs) : 0;
    rs->deadline = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
}

/* Watchdog thread: shut the socket down if the handshake outlives until. */
static gpointer
guard_thread(gpointer data)
{
    struct tls_guard *g = data;

    g_mutex_lock(&g->lock);
    while (!g->done) {
        if (!g_cond_wait_until(&g->cond, &g->lock, g->until)) {
            if (!g->done) {
                shutdown(g->fd, SHUT_RDWR);
                g->fired = true;
            }
            break;
        }
    }
    g_mutex_unlock(&g->lock);
    return NULL;
}

/*
 * Run libstrophe's TLS handshake, which blocks until it is done, but no
 * longer than the session's deadline: a watchdog thread shuts the socket
 * down (through its own dup, so no reused descriptor is ever touched) and
 * the handshake fails. Sets *timed_out when that happened.
 */
static bool
tls_start_bounded(struct raw_session *rs, bool *timed_out)
{
    struct tls_guard g = {.fd = -1};
    GThread *thread = NULL;
    gint64 now = g_get_monotonic_time();
    int rc;

    *timed_out = false;
    if (rs->fd >= 0)
        g.fd = dup(rs->fd);
    if (g.fd >= 0) {
        g_mutex_init(&g.lock);
        g_cond_init(&g.cond);
        g.until = MAX(rs->deadline, now + G_USEC_PER_SEC);
        thread = g_thread_new("natter-tls-guard", guard_thread, &g);
    }
    rc = xmpp_conn_tls_start(rs->conn);
    if (thread != NULL) {
        g_mutex_lock(&g.lock);
        g.done = true;
        g_cond_signal(&g.cond);
        g_mutex_unlock(&g.lock);
        g_thread_join(thread);
        *timed_out = g.fired;
        g_mutex_clear(&g.lock);
        g_cond_clear(&g.cond);
    }
    if (g.fd >= 0)
        close(g.fd);
    return rc == XMPP_EOK;
}

/* Start TLS on rs now; on failure end the session and return false. */
static bool
secure(struct raw_session *rs)
{
    bool timed_out;
    char *text;

    if (tls_start_bounded(rs, &timed_out) && xmpp_conn_is_secured(rs->conn)) {
        rs->secured = true;
        return true;
    }
    if (timed_out)
        text = g_strdup_printf("The TLS handshake with %s did not finish "
                               "within %u seconds",
                               rs->where, rs->timeout);
    else if (rs->verify)
        text = g_strdup_printf("TLS with %s failed: the certificate was not "
                               "accepted or the handshake failed",
                               rs->where);
    else
        text = g_strdup_printf("The TLS handshake with %s failed", rs->where);
    finish(rs, timed_out ? RAW_ERR_TIMEOUT : RAW_ERR_TLS, text);
    g_free(text);
    return false;
}

/* The stream is open and secured as asked: hand it to the caller. */
static void
become_ready(struct raw_session *rs, xmpp_stanza_t *features)
{
    rs->state = RS_READY;
    arm_timer(rs, 0);
    if (rs->ready != NULL && !rs->abandoned)
        rs->ready(rs, features, rs->data);
    else if (rs->abandoned)
        begin_close(rs, RAW_OK, NULL);
}

/* <stream:features/>: ask for TLS, or hand the stream over. */
static int
on_features(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct raw_session *rs = data;
    bool offered;
    char *text;

    if (g_strcmp0(xmpp_stanza_get_name(st), "features") != 0)
        return 1;
    if (rs->state == RS_SECURE_STREAM ||
        (rs->state == RS_STREAM && (rs->secured || rs->tls == RAW_TLS_NONE))) {
        become_ready(rs, st);
        return 1;
    }
    if (rs->state != RS_STREAM)
        return 1;
    offered = xmpp_stanza_get_child_by_name_and_ns(st, "starttls",
                                                   XMPP_NS_TLS) != NULL;
    if (offered) {
        xmpp_stanza_t *req = xmpp_stanza_new(xmpp_conn_get_context(conn));
        xmpp_stanza_set_name(req, "starttls");
        xmpp_stanza_set_ns(req, XMPP_NS_TLS);
        rs->state = RS_STARTTLS;
        xmpp_send(conn, req);
        xmpp_stanza_release(req);
        schedule_pump();
    } else if (rs->tls == RAW_TLS_OPTIONAL) {
        become_ready(rs, st);
    } else {
        text = g_strdup_printf("%s offers no TLS (STARTTLS)", rs->where);
        begin_close(rs, RAW_ERR_NO_TLS, text);
        g_free(text);
    }
    return 1;
}

/* <proceed/> or <failure/> in answer to <starttls/>. */
static int
on_tls(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct raw_session *rs = data;
    const char *name = xmpp_stanza_get_name(st);
    char *text;

    /* libstrophe also calls this for stanzas with a child in the TLS
     * namespace, such as <stream:features/>: only two names count. */
    if (rs->state != RS_STARTTLS ||
        (g_strcmp0(name, "proceed") != 0 && g_strcmp0(name, "failure") != 0))
        return 1;
    if (g_strcmp0(name, "proceed") != 0) {
        text = g_strdup_printf("%s refused to start TLS", rs->where);
        finish(rs, RAW_ERR_NO_TLS, text);
        g_free(text);
        return 1;
    }
    if (!secure(rs))
        return 1;
    rs->state = RS_SECURE_STREAM;
    if (xmpp_conn_open_stream_default(conn) != XMPP_EOK) {
        text = g_strdup_printf("Cannot open a stream to %s", rs->where);
        finish(rs, RAW_ERR_STREAM, text);
        g_free(text);
    }
    schedule_pump();
    return 1;
}

/* <stream:error/>: the server gives up on us; say why. */
static int
on_stream_error(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct raw_session *rs = data;
    const char *cond = "error";
    char *detail = NULL, *text;

    if (g_strcmp0(xmpp_stanza_get_name(st), "error") != 0 ||
        g_strcmp0(xmpp_stanza_get_ns(st), XMPP_NS_STREAMS) != 0)
        return 1;
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(st); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        if (!xmpp_stanza_is_tag(c) || name == NULL)
            continue;
        if (strcmp(name, "text") == 0) {
            char *t = xmpp_stanza_get_text(c);
            g_free(detail);
            detail = g_strdup(t);
            xmpp_free(xmpp_conn_get_context(conn), t);
        } else {
            cond = name;
        }
    }
    text = g_strdup_printf("%s closed the stream: %s%s%s", rs->where, cond,
                           detail != NULL ? ": " : "",
                           detail != NULL ? detail : "");
    finish(rs, RAW_ERR_STREAM, text);
    g_free(text);
    g_free(detail);
    return 1;
}

/* libstrophe reports a change of connection state. */
static void
on_conn(xmpp_conn_t *conn, xmpp_conn_event_t status, int error,
        xmpp_stream_error_t *stream_error, void *data)
{
    struct raw_session *rs = data;
    char *text;

    if (rs->state == RS_ENDED)
        return;
    if (status == XMPP_CONN_RAW_CONNECT) {
        if (rs->direct_tls && !secure(rs))
            return;
        rs->state = RS_STREAM;
        if (xmpp_conn_open_stream_default(conn) != XMPP_EOK) {
            text = g_strdup_printf("Cannot open a stream to %s", rs->where);
            finish(rs, RAW_ERR_STREAM, text);
            g_free(text);
        }
        schedule_pump();
        return;
    }
    if (status == XMPP_CONN_CONNECT)
        return; /* the server opened its stream; features follow */
    /* XMPP_CONN_DISCONNECT or XMPP_CONN_FAIL */
    rs->fd = -1;
    if (rs->state == RS_CLOSING) {
        text = g_strdup(rs->text);
        finish(rs, rs->kind, text);
    } else if (rs->state == RS_CONNECTING) {
        /* libstrophe 0.12 logs the errno of a failed connect() but
         * passes 0 here. */
        text = g_strdup_printf("Cannot connect to %s: %s", rs->where,
                               error != 0 ? g_strerror(error)
                                          : "connection refused or "
                                            "unreachable");
        finish(rs, RAW_ERR_CONNECT, text);
    } else if (stream_error != NULL) {
        text = g_strdup_printf("%s closed the stream%s%s", rs->where,
                               stream_error->text != NULL ? ": " : "",
                               stream_error->text != NULL ? stream_error->text
                                                          : "");
        finish(rs, RAW_ERR_STREAM, text);
    } else {
        text = g_strdup_printf("%s closed the connection%s%s", rs->where,
                               error != 0 ? ": " : "",
                               error != 0 ? g_strerror(error) : "");
        finish(rs, RAW_ERR_STREAM, text);
    }
    g_free(text);
}

/* libstrophe made a socket for conn: watch it from the main loop. */
static int
on_sockopt(xmpp_conn_t *conn, void *sock)
{
    struct raw_session *rs = raw_of_conn(conn);

    if (rs != NULL) {
        unwatch(rs);
        rs->fd = *(int *)sock;
    }
    return xmpp_sockopt_cb_keepalive(conn, sock);
}

/* Libstrophe flags for cfg. */
static long
conn_flags(const struct raw_config *cfg)
{
    long flags = XMPP_CONN_FLAG_DISABLE_SM;

    if (cfg->direct_tls)
        flags |= XMPP_CONN_FLAG_LEGACY_SSL;
    else if (cfg->tls == RAW_TLS_NONE)
        return flags | XMPP_CONN_FLAG_DISABLE_TLS;
    if (!cfg->verify)
        flags |= XMPP_CONN_FLAG_TRUST_TLS;
    return flags;
}

/*
 * Idle callback: create and connect the session's connection. Done from
 * the main loop rather than in raw_start(), so that a raw session can be
 * started from inside libstrophe's own callbacks (a failed login's
 * connection handler starts a certificate probe).
 */
static gboolean
on_start(gpointer data)
{
    struct raw_session *rs = data;
    xmpp_ctx_t *ctx = session_ctx();
    char *text;
    int rc;

    rs->start_source = 0;
    if (rs->state != RS_CONNECTING)
        return G_SOURCE_REMOVE; /* closed before it started */
    if (ctx == NULL) {
        finish(rs, RAW_ERR_CONNECT, "The XMPP layer is not running");
        return G_SOURCE_REMOVE;
    }
    rs->conn = xmpp_conn_new(ctx);
    xmpp_conn_set_jid(rs->conn, rs->domain);
    if (xmpp_conn_set_flags(rs->conn, rs->flags) != XMPP_EOK) {
        finish(rs, RAW_ERR_CONNECT, "Invalid TLS settings");
        return G_SOURCE_REMOVE;
    }
    if (rs->cafile != NULL)
        xmpp_conn_set_cafile(rs->conn, rs->cafile);
    xmpp_conn_set_sockopt_callback(rs->conn, on_sockopt);
    xmpp_handler_add(rs->conn, on_features, XMPP_NS_STREAMS, "features", NULL,
                     rs);
    xmpp_handler_add(rs->conn, on_stream_error, XMPP_NS_STREAMS, "error", NULL,
                     rs);
    xmpp_handler_add(rs->conn, on_tls, XMPP_NS_TLS, NULL, NULL, rs);
    rc = xmpp_connect_raw(rs->conn, rs->host, rs->port, on_conn, rs);
    if (rc != XMPP_EOK) {
        text = g_strdup_printf("Cannot connect to %s: no address found",
                               rs->where);
        finish(rs, RAW_ERR_CONNECT, text);
        g_free(text);
        return G_SOURCE_REMOVE;
    }
    schedule_pump();
    return G_SOURCE_REMOVE;
}

/* Start a raw session; problems are reported through end. */
struct raw_session *
raw_start(const struct raw_config *cfg, raw_ready_fn ready, raw_end_fn end,
          void *data)
{
    struct raw_session *rs = g_new0(struct raw_session, 1);

    rs->domain = g_strdup(cfg->domain);
    rs->host = g_strdup(cfg->host != NULL ? cfg->host : cfg->domain);
    rs->cafile = g_strdup(cfg->cafile);
    rs->port = cfg->port != 0 ? cfg->port : cfg->direct_tls ? 5223 : 5222;
    rs->where = g_strdup_printf(
        rs->host != NULL && strchr(rs->host, ':') != NULL ? "[%s]:%u"
                                                          : "%s:%u",
        rs->host != NULL ? rs->host : "?", rs->port);
    rs->direct_tls = cfg->direct_tls;
    rs->verify = cfg->verify;
    rs->tls = cfg->direct_tls ? RAW_TLS_REQUIRED : cfg->tls;
    rs->timeout = cfg->timeout != 0 ? cfg->timeout : RAW_TIMEOUT_DEFAULT;
    rs->flags = conn_flags(cfg);
    rs->fd = -1;
    rs->state = RS_CONNECTING;
    rs->ready = ready;
    rs->end = end;
    rs->data = data;
    if (raws == NULL)
        raws = g_ptr_array_new();
    g_ptr_array_add(raws, rs);
    if (cfg->domain == NULL || cfg->domain[0] == '\0') {
        finish(rs, RAW_ERR_CONNECT, "No server domain given");
        return rs;
    }
    arm_timer(rs, rs->timeout);
    rs->start_source = g_idle_add(on_start, rs);
    return rs;
}

/* The session's connection (borrowed). */
xmpp_conn_t *
raw_conn(struct raw_session *rs)
{
    return rs->conn;
}

/* "host:port" the session talks to (borrowed). */
const char *
raw_where(struct raw_session *rs)
{
    return rs->where;
}

/* Whether the stream is encrypted. */
bool
raw_secured(struct raw_session *rs)
{
    return rs->secured;
}

/* Queue st and write it out before the loop sleeps again. */
void
raw_send(struct raw_session *rs, xmpp_stanza_t *st)
{
    if (rs->state != RS_READY || rs->conn == NULL)
        return;
    xmpp_send(rs->conn, st);
    schedule_pump();
}

/* Once ready, time the session out after seconds (0 cancels). */
void
raw_set_timeout(struct raw_session *rs, unsigned int seconds, const char *text)
{
    if (rs->state != RS_READY)
        return;
    g_free(rs->timeout_text);
    rs->timeout_text = g_strdup(text);
    rs->timeout = seconds;
    arm_timer(rs, seconds);
}

/* End the session: politely with error NULL, else with that error. */
void
raw_close(struct raw_session *rs, const char *error)
{
    begin_close(rs, error != NULL ? RAW_ERR_CALLER : RAW_OK, error);
}

/* Stop delivering callbacks for rs and close it. */
void
raw_abandon(struct raw_session *rs)
{
    rs->abandoned = true;
    if (rs->state == RS_READY)
        begin_close(rs, RAW_OK, NULL);
    else if (rs->state != RS_CLOSING)
        finish(rs, RAW_OK, NULL);
}

/* Close every raw session at once (before session_deinit()). */
void
raw_deinit(void)
{
    if (pump_source != 0)
        g_source_remove(pump_source);
    if (tick_source != 0)
        g_source_remove(tick_source);
    if (reap_source != 0)
        g_source_remove(reap_source);
    pump_source = tick_source = reap_source = 0;
    if (raws == NULL)
        return;
    for (guint i = 0; i < raws->len; i++) {
        struct raw_session *rs = raws->pdata[i];
        rs->state = RS_ENDED;
        if (rs->conn != NULL)
            xmpp_conn_release(rs->conn);
        rs->conn = NULL;
        raw_free(rs);
    }
    g_ptr_array_free(raws, TRUE);
    raws = NULL;
}
