/* SPDX-License-Identifier: MIT */
/*
 * A session's life: connecting (TLS policy, direct TLS, the look at the
 * offered logins), logging in, coming online, being lost and resumed.
 * Sending is in session-send.c, diagnostics in session-log.c.
 */
#include "xmpp/session.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strophe.h>
#include <sys/socket.h>

#include "core/event.h"
#include "core/pins.h"
#include "core/settings.h"
#include "xmpp/certprobe.h"
#include "xmpp/driver.h"
#include "xmpp/handlers.h"
#include "xmpp/info.h"
#include "xmpp/jid.h"
#include "xmpp/muc.h"
#include "xmpp/liveness.h"
#include "xmpp/message.h"
#include "xmpp/outbox.h"
#include "xmpp/raw.h"
#include "xmpp/reconnect.h"
#include "xmpp/session-internal.h"
#include "xmpp/stanza.h"
#include "xmpp/xmlguard.h"

static xmpp_ctx_t *ctx;
static GPtrArray *sessions;
/* Stream management state of dropped connections, per account, kept so
 * the next connection can resume (XEP-0198). */
static GHashTable *sm_states;

static void reap(void);

static struct session *session_of_conn(xmpp_conn_t *conn);

/*
 * The server sent what is not XML (invalid UTF-8, a control character,
 * an entity declaration...): RFC 6120 4.9.1 says the stream ends. The
 * connection is dropped like a dead one, so the user hears of it and it
 * is tried again, instead of staying deaf.
 */
static void
on_parse_error(xmpp_conn_t *conn)
{
    struct session *s = session_of_conn(conn);

    const char *why = xmlguard_reason();

    if (why == NULL)
        why = "the server sent malformed XML";
    if (s == NULL)
        return;
    if (s->online) {
        session_lost(s->acct, why);
    } else if (!xmpp_conn_is_disconnected(conn)) {
        session_set_problem(&s->last_error, why);
        xmpp_disconnect(conn);
    }
}

/* Set up the shared libstrophe context and the driver. */
void
session_init(void)
{
    xmpp_initialize();
    ctx = xmpp_ctx_new(NULL, session_log_init());
    sessions = g_ptr_array_new();
    driver_init();
    driver_on_pumped(reap);
    driver_on_parse_error(on_parse_error);
    sm_states = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                      (GDestroyNotify)xmpp_free_sm_state);
    liveness_init();
}

/* Every session not yet freed; owned here. */
GPtrArray *
session_all(void)
{
    return sessions;
}

/* Find the session of a connection. */
static struct session *
session_of_conn(xmpp_conn_t *conn)
{
    for (guint i = 0; i < sessions->len; i++) {
        struct session *s = sessions->pdata[i];
        if (s->conn == conn)
            return s;
    }
    return NULL;
}

/* Free a session whose connection is closed. */
static void
session_free(struct session *s)
{
    if (s->plain_check != NULL)
        raw_abandon(s->plain_check);
    if (s->srv != NULL) {
        g_cancellable_cancel(s->srv);
        g_object_unref(s->srv);
    }
    if (s->conn != NULL) {
        driver_detach(s->conn);
        xmpp_conn_release(s->conn);
    }
    if (s->acct->session == s)
        s->acct->session = NULL;
    g_free(s->host);
    g_free(s->cert_problem);
    g_free(s->auth_problem);
    g_free(s->tls_problem);
    g_free(s->last_error);
    g_free(s->lost);
    if (s->setup_timer != 0)
        g_source_remove(s->setup_timer);
    g_free(s->target);
    g_free(s);
}

/* Drop every connection at once and free the context. */
void
session_deinit(void)
{
    liveness_deinit();
    for (guint i = 0; i < sessions->len; i++)
        session_free(sessions->pdata[i]);
    g_ptr_array_free(sessions, TRUE);
    sessions = NULL;
    g_hash_table_destroy(sm_states);
    sm_states = NULL;
    outbox_deinit();
    message_deinit();
    driver_deinit();
    session_log_deinit();
    xmpp_ctx_free(ctx);
    ctx = NULL;
    xmpp_shutdown();
}

/* Whether s needs libstrophe's timers: it is being set up or closed. */
static bool
in_setup(xmpp_conn_t *conn, void *owner)
{
    struct session *s = owner;

    return !s->online || s->acct->state == ACCOUNT_DISCONNECTING;
}

/* Free sessions whose connections have closed. */
static void
reap(void)
{
    for (guint i = sessions->len; i-- > 0;) {
        struct session *s = sessions->pdata[i];
        if (s->conn == NULL || xmpp_conn_is_disconnected(s->conn)) {
            if (s->acct->state != ACCOUNT_OFFLINE)
                continue; /* the handler has not reported it yet */
            if (s->conn != NULL && s->acct->want_online) {
                xmpp_sm_state_t *sm = xmpp_conn_get_sm_state(s->conn);
                if (sm != NULL)
                    g_hash_table_replace(sm_states, s->acct, sm);
            }
            g_ptr_array_remove_index(sessions, i);
            session_free(s);
        }
    }
}

/* The server's certificate did not verify: refuse, and say why. */
static int
on_certfail(const xmpp_tlscert_t *cert, const char *errormsg)
{
    struct session *s = session_of_conn(xmpp_tlscert_get_conn(cert));
    char *desc = session_cert_describe(cert);

    if (s != NULL) {
        g_free(s->cert_problem);
        s->cert_problem = g_strdup_printf("%s (%s)", errormsg, desc);
    }
    g_free(desc);
    return 0;
}

/* The outbox decided what the last connection left: now send what was
 * typed while offline. */
static void
flush_pending_acct(struct account *acct)
{
    if (acct->session != NULL && acct->session->online)
        message_flush_pending(acct);
}

/* The session is up: listen for stanzas and ask for the roster. */
static void
session_online(struct session *s)
{
    const char *bound = xmpp_conn_get_bound_jid(s->conn);

    if (s->setup_timer != 0)
        g_source_remove(s->setup_timer);
    s->setup_timer = 0;
    s->online = true;
    g_free(s->acct->resource);
    s->acct->resource = g_strdup(jid_resource_part(bound));
    xmpp_handler_add(s->conn, session_tap_in, NULL, NULL, NULL, s);
    handlers_start(s->conn, s->acct, s->rosterver && !s->rosterver_lost);
    s->acct->retries = 0;
    liveness_start(s->acct);
    account_set_state(s->acct, ACCOUNT_ONLINE, NULL);
    /* Messages the last connection left unconfirmed go first. */
    if (!outbox_online(s->acct, s->conn, flush_pending_acct))
        message_flush_pending(s->acct);
}

/* libstrophe reports a change of connection state. */
static void
on_conn(xmpp_conn_t *conn, xmpp_conn_event_t status, int error,
        xmpp_stream_error_t *stream_error, void *data)
{
    struct session *s = data;

    if (status == XMPP_CONN_CONNECT) {
        session_online(s);
        return;
    }
    if (status == XMPP_CONN_RAW_CONNECT)
        return;
    /* XMPP_CONN_DISCONNECT or XMPP_CONN_FAIL */
    liveness_stop(s->acct);
    session_fail_iqs(s);
    if (s->cert_problem != NULL)
        certprobe_explain(s->acct, s->target, s->target_port,
                          s->acct->tls == TLS_DIRECT);
    if (s->user_close && s->cert_problem == NULL) {
        outbox_forget(s->acct);
        s->acct->want_online = false;
        account_forget_secret(s->acct);
        account_set_state(s->acct, ACCOUNT_OFFLINE, NULL);
    } else {
        struct offline_why why;
        char buf[16];
        session_failure_why(s, error, stream_error, &why, buf, sizeof buf);
        /* Wrong passwords and refused certificates do not heal by
         * themselves; a lost network does. A first attempt that fails is
         * reported, not retried: the user is there to see it. */
        bool retry = s->acct->want_online && s->cert_problem == NULL &&
                     s->auth_problem == NULL && s->tls_problem == NULL &&
                     (s->online || s->lost != NULL || s->acct->retries > 0);
        if (!retry) {
            s->acct->want_online = false;
            account_forget_secret(s->acct);
            g_hash_table_remove(sm_states, s->acct);
        }
        unsigned int unconfirmed = outbox_lost(s->acct);
        account_set_offline(s->acct, &why);
        if (unconfirmed > 0) {
            char num[16];
            g_snprintf(num, sizeof num, "%u", unconfirmed);
            notice_fmt(s->acct, NOTICE_INFO,
                       unconfirmed == 1 ? FMT_LIMBO_UNCONFIRMED_ONE
                                        : FMT_LIMBO_UNCONFIRMED,
                       num, s->acct->jid, NULL);
        }
        if (retry)
            reconnect_schedule(s->acct);
    }
    s->online = false;
}

/* Libstrophe flags for a TLS policy. */
static long
tls_flags(enum tls_policy p)
{
    switch (p) {
    case TLS_FORCE:
        return XMPP_CONN_FLAG_MANDATORY_TLS;
    case TLS_ALLOW:
        return 0;
    case TLS_TRUST:
        return XMPP_CONN_FLAG_MANDATORY_TLS | XMPP_CONN_FLAG_TRUST_TLS;
    case TLS_DISABLE:
        return XMPP_CONN_FLAG_DISABLE_TLS;
    case TLS_DIRECT:
        return XMPP_CONN_FLAG_LEGACY_SSL;
    }
    return XMPP_CONN_FLAG_MANDATORY_TLS;
}

/* Forget s, an attempt that will not log in: acct stays without a session
 * and without the wish to be online. */
static void
drop_attempt(struct session *s)
{
    struct account *acct = s->acct;

    g_ptr_array_remove(sessions, s);
    acct->session = NULL;
    session_free(s);
    acct->want_online = false;
    account_forget_secret(acct);
}

/* Drop a connection attempt that will not log in, for reason (an
 * OFFLINE_CONNECT_FAILED one takes s's last error, if any, or else says no
 * address was found): the account is left offline. */
static void
give_up(struct session *s, enum offline_reason reason)
{
    struct account *acct = s->acct;
    char *host = g_strdup(s->host), *error = g_strdup(s->last_error);
    struct offline_why why = {reason, host, acct->jid, NULL,
                              reason == OFFLINE_PLAIN_REFUSED ? acct->name
                                                              : NULL};

    if (reason == OFFLINE_CONNECT_FAILED) {
        why.reason =
            error != NULL ? OFFLINE_CONNECT_FAILED : OFFLINE_NO_ADDRESS;
        why.detail = error;
    }

    /* The session goes before the event: a subscriber may connect again. */
    drop_attempt(s);
    account_set_offline(acct, &why);
    g_free(error);
    g_free(host);
}

/* Open the TCP connection to host:port (NULL, 0: from DNS). */
static bool
start_connect(struct session *s, const char *host, unsigned short port)
{
    g_free(s->target);
    s->target = g_strdup(host);
    s->target_port = port;
    if (host != NULL) {
        g_free(s->host);
        s->host =
            port != 0 ? g_strdup_printf("%s:%u", host, port) : g_strdup(host);
    }
    if (xmpp_connect_client(s->conn, host, port, on_conn, s) != XMPP_EOK)
        return false;
    driver_kick();
    return true;
}

/* The _xmpps-client SRV lookup ended: direct TLS to the best target, or
 * STARTTLS the usual way when the domain publishes none (XEP-0368). */
static void
on_srv(GObject *src, GAsyncResult *res, gpointer data)
{
    GError *err = NULL;
    GList *targets =
        g_resolver_lookup_service_finish(G_RESOLVER(src), res, &err);
    struct session *s = data;
    bool ok;

    if (targets == NULL &&
        g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        g_error_free(err);
        return; /* the session is gone */
    }
    g_clear_object(&s->srv);
    if (targets != NULL) {
        GSrvTarget *t = targets->data;
        ok = start_connect(s, g_srv_target_get_hostname(t),
                           g_srv_target_get_port(t));
        g_resolver_free_targets(targets);
    } else {
        g_error_free(err);
        xmpp_conn_set_flags(s->conn, XMPP_CONN_FLAG_MANDATORY_TLS);
        ok = start_connect(s, NULL, 0);
    }
    if (!ok)
        give_up(s, OFFLINE_CONNECT_FAILED);
}

/* Whether the SASL mechanisms in features include a SCRAM one. */
static bool
offers_scram(xmpp_stanza_t *features)
{
    xmpp_stanza_t *m = xmpp_stanza_get_child_by_name_and_ns(
        features, "mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl");
    bool scram = false;

    for (xmpp_stanza_t *c = m != NULL ? xmpp_stanza_get_children(m) : NULL;
         c != NULL && !scram; c = xmpp_stanza_get_next(c)) {
        char *t = xmpp_stanza_get_text(c);
        scram = t != NULL && g_str_has_prefix(t, "SCRAM-");
        if (t != NULL)
            xmpp_free(ctx, t);
    }
    return scram;
}

/* The server's login offer over the stream we would use: a plaintext
 * stream that allows PLAIN only would send the password in clear. */
static void
on_plain_check_ready(struct raw_session *rs, xmpp_stanza_t *features,
                     void *data)
{
    struct session *s = data;

    s->plain_refused = !raw_secured(rs) && !offers_scram(features);
    raw_close(rs, NULL);
}

/* The look at the offer is over: log in, or refuse to. */
static void
on_plain_check_end(struct raw_session *rs, enum raw_error kind,
                   const char *text, void *data)
{
    struct session *s = data;
    struct account *acct = s->acct;

    s->plain_check = NULL;
    if (s->plain_refused) {
        give_up(s, OFFLINE_PLAIN_REFUSED);
        return;
    }
    /* Any trouble shows again, in full, on the real connection. */
    if (!start_connect(s, acct->server, (unsigned short)acct->port))
        give_up(s, OFFLINE_CONNECT_FAILED);
}

/* The login did not finish in time: give it up. */
static gboolean
on_setup_timeout(gpointer data)
{
    struct session *s = data;
    int fd = driver_fd(s->conn);

    s->setup_timer = 0;
    s->setup_timeout = settings_int("connect.timeout");
    if (fd >= 0)
        shutdown(fd, SHUT_RDWR);
    else
        xmpp_disconnect(s->conn);
    driver_kick();
    return G_SOURCE_REMOVE;
}

/* Start connecting acct with password. */
bool
session_connect(struct account *acct, const char *password, char **cause)
{
    struct session *s;
    char *jid;

    if (acct->session != NULL) {
        *cause = g_strdup_printf("%s is already %s", acct->jid,
                                 account_state_name(acct->state));
        return false;
    }
    s = g_new0(struct session, 1);
    s->acct = acct;
    s->conn = xmpp_conn_new(session_account_ctx(acct));
    s->host = acct->port != 0
                  ? g_strdup_printf("%s:%d",
                                    acct->server ? acct->server
                                                 : strchr(acct->jid, '@') + 1,
                                    acct->port)
                  : g_strdup(acct->server ? acct->server
                                          : strchr(acct->jid, '@') + 1);
    if (acct->resource_pref != NULL)
        jid = g_strdup_printf("%s/%s", acct->jid, acct->resource_pref);
    else
        jid = g_strdup_printf("%s/natter.%08x", acct->jid, g_random_int());
    xmpp_conn_set_jid(s->conn, jid);
    g_free(jid);
    xmpp_conn_set_pass(s->conn, password);
    if (password != acct->secret) {
        account_forget_secret(acct);
        acct->secret = g_strdup(password);
    }
    acct->want_online = true;
    reconnect_cancel(acct);
    xmpp_conn_set_flags(s->conn, tls_flags(acct->tls));
    if (acct->tls != TLS_TRUST && acct->tls != TLS_DISABLE) {
        /* A pinned certificate is the trust anchor for this account. */
        char *pin = pins_path(acct->name);
        if (pin != NULL)
            xmpp_conn_set_cafile(s->conn, pin);
        g_free(pin);
    }
    {
        xmpp_sm_state_t *sm = g_hash_table_lookup(sm_states, acct);
        if (sm != NULL) {
            g_hash_table_steal(sm_states, acct);
            if (xmpp_conn_set_sm_state(s->conn, sm) != XMPP_EOK)
                xmpp_free_sm_state(sm);
        }
    }
    driver_attach(s->conn, in_setup, s);
    xmpp_conn_set_certfail_handler(s->conn, on_certfail);
    g_ptr_array_add(sessions, s);
    acct->session = s;
    account_set_default(acct);
    account_set_state(acct, ACCOUNT_CONNECTING, NULL);
    if (settings_int("connect.timeout") > 0)
        s->setup_timer = g_timeout_add_seconds(
            (guint)settings_int("connect.timeout"), on_setup_timeout, s);
    if (acct->tls == TLS_DIRECT && acct->server == NULL) {
        GResolver *resolver = g_resolver_get_default();
        s->srv = g_cancellable_new();
        g_resolver_lookup_service_async(resolver, "xmpps-client", "tcp",
                                        strchr(acct->jid, '@') + 1, s->srv,
                                        on_srv, s);
        g_object_unref(resolver);
        return true;
    }
    if ((acct->tls == TLS_ALLOW || acct->tls == TLS_DISABLE) &&
        !acct->allow_plain) {
        /* libstrophe picks the mechanism itself: look at the offer first. */
        struct raw_config cfg = {0};
        char *pin = pins_path(acct->name);
        cfg.domain = strchr(acct->jid, '@') + 1;
        cfg.host = acct->server;
        cfg.port = (unsigned short)acct->port;
        cfg.tls = acct->tls == TLS_ALLOW ? RAW_TLS_OPTIONAL : RAW_TLS_NONE;
        cfg.verify = true;
        cfg.cafile = pin;
        s->plain_check =
            raw_start(&cfg, on_plain_check_ready, on_plain_check_end, s);
        g_free(pin);
        return true;
    }
    if (!start_connect(s, acct->server, (unsigned short)acct->port)) {
        /* An error cause is a sentence (the error convention): the one
         * place the words of OFFLINE_CONNECT_FAILED are written here. */
        *cause = g_strdup_printf(
            "Cannot connect to %s for %s: %s", s->host, acct->jid,
            s->last_error ? s->last_error : "no address found");
        drop_attempt(s);
        acct->state = ACCOUNT_OFFLINE; /* the caller reports the cause */
        return false;
    }
    return true;
}

/* Close acct's connection cleanly. */
void
session_disconnect(struct account *acct)
{
    struct session *s = acct->session;

    reconnect_cancel(acct);
    if (s == NULL) {
        acct->want_online = false;
        account_forget_secret(acct);
        g_hash_table_remove(sm_states, acct);
        return;
    }
    s->user_close = true;
    g_hash_table_remove(sm_states, acct);
    if (s->online) {
        xmpp_stanza_t *p = xmpp_presence_new(ctx);
        xmpp_stanza_set_type(p, "unavailable");
        session_write(s, p);
        xmpp_stanza_release(p);
    }
    account_set_state(acct, ACCOUNT_DISCONNECTING, NULL);
    xmpp_disconnect(s->conn);
    driver_kick();
}

/* Number of sessions not yet fully offline. */
unsigned int
session_active_count(void)
{
    return sessions != NULL ? sessions->len : 0;
}

/* The shared libstrophe context, for building stanzas; owned here. */
xmpp_ctx_t *
session_ctx(void)
{
    return ctx;
}

/* Let libstrophe run before the loop sleeps (after queuing stanzas). */
void
session_kick(void)
{
    driver_kick();
}

/* The connection of acct, NULL when it has none. */
xmpp_conn_t *
session_conn(struct account *acct)
{
    struct session *s = acct->session;

    return s != NULL && s->online ? s->conn : NULL;
}

/* The connection of acct is dead (no answer to pings): drop it now so the
 * reconnect logic takes over; why says what happened. */
void
session_lost(struct account *acct, const char *why)
{
    struct session *s = acct->session;

    if (s == NULL || s->conn == NULL)
        return;
    g_free(s->lost);
    s->lost = g_strdup(why);
    s->online = false;
    /* No stream close: that would end the session for good, while a
     * connection that just breaks can be resumed (XEP-0198). Shutting the
     * socket makes libstrophe see the break on its next read. */
    if (driver_fd(s->conn) >= 0)
        shutdown(driver_fd(s->conn), SHUT_RDWR);
    else
        xmpp_disconnect(s->conn);
    driver_kick();
}
