/* SPDX-License-Identifier: MIT */
#include "xmpp/raw.h"

#include <errno.h>
#include <glib.h>
#include <string.h>

#include "core/event.h"
#include "xmpp/driver.h"
#include "xmpp/session.h"

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
    enum raw_state state;
    bool secured;
    bool abandoned; /* the owner went away: no callbacks */
    guint timer;
    char *timeout_text;

    enum raw_error kind; /* the result, once known */
    char *text;

    raw_ready_fn ready;
    raw_end_fn end;
    void *data;
};

static GPtrArray *raws; /* struct raw_session, live and ending */
static guint reap_source;

static void finish(struct raw_session *rs, enum raw_error kind,
                   const char *text);
static void begin_close(struct raw_session *rs, enum raw_error kind,
                        const char *text);
static void arm_timer(struct raw_session *rs, unsigned int seconds);
static void raw_write(struct raw_session *rs, xmpp_stanza_t *st);

/* Free rs and what it holds; its connection is already released. */
static void
raw_free(struct raw_session *rs)
{
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
        if (rs->conn != NULL) {
            driver_detach(rs->conn);
            xmpp_conn_release(rs->conn);
        }
        rs->conn = NULL;
        if (!rs->abandoned && rs->end != NULL)
            rs->end(rs, rs->kind, rs->text, rs->data);
        raw_free(rs);
        i = 0; /* the callback may have changed the list */
    }
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
    driver_kick();
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
}

/* Start TLS on rs now; on failure end the session and return false. */
static bool
secure(struct raw_session *rs)
{
    bool timed_out;
    char *text;

    /* libstrophe's handshake blocks; the driver's watchdog cuts it off
     * when the server goes silent. */
    if (xmpp_conn_tls_start(rs->conn) == XMPP_EOK &&
        xmpp_conn_is_secured(rs->conn)) {
        rs->secured = true;
        return true;
    }
    timed_out = driver_was_cut(rs->conn);
    if (timed_out)
        text = g_strdup_printf("The TLS handshake with %s did not finish "
                               "within %u seconds",
                               rs->where, driver_stuck_seconds());
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
        raw_write(rs, req);
        xmpp_stanza_release(req);
        driver_kick();
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
    driver_kick();
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
        driver_kick();
        return;
    }
    if (status == XMPP_CONN_CONNECT)
        return; /* the server opened its stream; features follow */
    /* XMPP_CONN_DISCONNECT or XMPP_CONN_FAIL */
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

/* Whether rs needs libstrophe's timers: connecting or closing. */
static bool
in_setup(xmpp_conn_t *conn, void *owner)
{
    struct raw_session *rs = owner;

    return rs->state != RS_READY && rs->state != RS_ENDED;
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
    driver_attach(rs->conn, in_setup, rs);
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
    driver_kick();
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
    raw_write(rs, st);
    driver_kick();
}

/* The one door stanzas of raw sessions leave by; the tap (EV_STANZA,
 * with no account: a raw session belongs to none yet) sees them. */
static void
raw_write(struct raw_session *rs, xmpp_stanza_t *st)
{
    if (event_wanted(EV_STANZA)) {
        struct ev_stanza ev = {NULL, st, true};
        event_emit(EV_STANZA, &ev);
    }
    xmpp_send(rs->conn, st);
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
    if (reap_source != 0)
        g_source_remove(reap_source);
    reap_source = 0;
    if (raws == NULL)
        return;
    for (guint i = 0; i < raws->len; i++) {
        struct raw_session *rs = raws->pdata[i];
        rs->state = RS_ENDED;
        if (rs->conn != NULL) {
            driver_detach(rs->conn);
            xmpp_conn_release(rs->conn);
        }
        rs->conn = NULL;
        raw_free(rs);
    }
    g_ptr_array_free(raws, TRUE);
    raws = NULL;
}
