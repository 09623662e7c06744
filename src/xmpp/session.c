/* SPDX-License-Identifier: MIT */
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
#include "xmpp/stanza.h"
#include "xmpp/xmlguard.h"

struct session {
    struct account *acct;
    xmpp_conn_t *conn;
    char *host; /* for messages: where we connect */
    char *cert_problem; /* set when the certificate was refused */
    char *auth_problem; /* set when SASL failed */
    char *tls_problem;  /* set when TLS could not be had */
    int sock_error;     /* errno of a failed connect() */
    char *last_error;   /* last error libstrophe logged for us */
    bool user_close;    /* the user asked to disconnect */
    bool online;
    char *lost;         /* why we dropped a dead connection ourselves */
    GCancellable *srv;  /* DNS SRV lookup under way for direct TLS */
    char *target;       /* host we connected to, NULL when from DNS */
    unsigned short target_port;
    GList *iqs;         /* struct pending_iq awaiting their replies */
    guint setup_timer;  /* gives up a login that does not finish */
    struct raw_session *plain_check; /* looking at the offered logins */
    bool plain_refused;  /* only PLAIN, without TLS: we will not log in */
    char *setup_failed; /* why the login was given up */
    bool rosterver;      /* stream features offered roster versioning */
    bool rosterver_lost; /* features with bind came without it */
};

/* An iq sent with session_send_iq, waiting for its reply. */
struct pending_iq {
    struct session *s;
    char *id;
    session_iq_fn fn;
    void *data;
};

/*
 * Each account has a libstrophe context of its own, kept while natter
 * runs (its stream management state outlives a connection), so that a
 * log line is known to be that account's; the shared context builds
 * stanzas and carries the raw sessions (certificate probes, the login
 * offer check, registration), which belong to no account yet.
 */
struct account_ctx {
    struct account *acct; /* compared, never followed: it may be gone */
    xmpp_ctx_t *ctx;
    xmpp_log_t log;
};

static xmpp_ctx_t *ctx;
static xmpp_log_t logger;
static GHashTable *contexts; /* struct account * -> struct account_ctx */
static GPtrArray *sessions;
static FILE *debug_log;
/* Stream management state of dropped connections, per account, kept so
 * the next connection can resume (XEP-0198). */
static GHashTable *sm_states;

static void reap(void);


/* Human words for the OpenSSL verification results users meet most. */
static const char *
cert_error_words(const char *code)
{
    static const char *const map[][2] = {
        {"DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"},
        {"SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in chain"},
        {"CERT_HAS_EXPIRED", "certificate expired"},
        {"CERT_NOT_YET_VALID", "certificate not yet valid"},
        {"HOSTNAME_MISMATCH", "certificate is for another name"},
        {"UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "issuer unknown"},
        {"UNABLE_TO_GET_ISSUER_CERT", "issuer unknown"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
        if (strstr(code, map[i][0]) != NULL)
            return map[i][1];
    return NULL;
}

/* The SASL failure condition in a received <failure/>, NULL if none. */
static const char *
sasl_condition(const char *xml)
{
    static const char *const conds[] = {
        "not-authorized",  "account-disabled",       "credentials-expired",
        "encryption-required", "invalid-mechanism",  "malformed-request",
        "temporary-auth-failure", "aborted",         "invalid-authzid",
        "mechanism-too-weak", "incorrect-encoding",
    };

    if (strstr(xml, "<failure") == NULL || strstr(xml, "xmpp-sasl") == NULL)
        return NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(conds); i++)
        if (strstr(xml, conds[i]) != NULL)
            return conds[i];
    return "failure";
}

/* Replace *slot with a copy of text. */
static void
set_problem(char **slot, const char *text)
{
    g_free(*slot);
    *slot = g_strdup(text);
}

/*
 * Learn why a connection attempt fails from what libstrophe logs: 0.12
 * reports refused sockets, failed logins and refused certificates to the
 * connection handler without the reason. Each account logs through its
 * own context, so a line is its session's.
 */
static void
note_log(struct session *s, const char *area, const char *msg)
{
    const char *p;
    int err;

    /* libstrophe keeps stream features to itself; its log shows them.
     * Roster versioning counts only if every features element that
     * offers resource binding (the last, RFC 6121 2.6.1) offered it too. */
    if (g_str_has_prefix(msg, "RECV: <features") ||
        g_str_has_prefix(msg, "RECV: <stream:features")) {
        if (strstr(msg, "urn:xmpp:features:rosterver") != NULL)
            s->rosterver = true;
        else if (strstr(msg, "urn:ietf:params:xml:ns:xmpp-bind") != NULL)
            s->rosterver_lost = true;
        return;
    }
    if (sscanf(msg, "connection failed, error %d", &err) == 1)
        s->sock_error = err;
    else if (strcmp(area, "tls") == 0 &&
             (p = strstr(msg, "verification FAILED, result=")) != NULL) {
        const char *words = cert_error_words(p);
        /* The certfail handler's description, when it ran, says more. */
        if (s->cert_problem == NULL)
            set_problem(&s->cert_problem,
                        words != NULL
                            ? words
                            : p + strlen("verification FAILED, result="));
    } else if (strcmp(area, "tls") == 0 &&
               strstr(msg, "decided to connect anyways") != NULL) {
        set_problem(&s->cert_problem, NULL); /* tls trust accepted it */
    } else if ((p = sasl_condition(msg)) != NULL &&
               strncmp(msg, "RECV", 4) == 0) {
        set_problem(&s->auth_problem, p);
    } else if (strcmp(area, "auth") == 0 &&
               strstr(msg, "Cannot authenticate") != NULL &&
               s->auth_problem == NULL) {
        set_problem(&s->auth_problem, "no authentication method in common");
    } else if (strstr(msg, "TLS not supported") != NULL ||
               strstr(msg, "TLS is not supported") != NULL) {
        set_problem(&s->tls_problem, "the server offers no TLS");
    }
}

/* Copy a log line to the debug file (NATTER_DEBUG_LOG), if there is one;
 * who is the account's name, or "-" for the shared context. */
static void
debug_line(const char *who, xmpp_log_level_t level, const char *area,
           const char *msg)
{
    if (debug_log == NULL)
        return;
    fprintf(debug_log, "%d %s [%s] %s\n", (int)level, area, who, msg);
    fflush(debug_log);
}

/* libstrophe's parser broke on some connection's input. */
static void
note_parse_error(const char *area, const char *msg)
{
    if (strcmp(area, "xmpp") == 0 && strncmp(msg, "parse error", 11) == 0)
        driver_note_parse_error();
}

/* The shared context's log: raw sessions, no account's session. */
static void
log_handler(void *data, xmpp_log_level_t level, const char *area,
            const char *msg)
{
    debug_line("-", level, area, msg);
    note_parse_error(area, msg);
}

/* An account's log: learn why its login fails; copy all to a debug
 * file. */
static void
account_log_handler(void *data, xmpp_log_level_t level, const char *area,
                    const char *msg)
{
    struct account_ctx *ac = data;

    note_parse_error(area, msg);
    for (guint i = 0; sessions != NULL && i < sessions->len; i++) {
        struct session *s = sessions->pdata[i];
        if (s->acct != ac->acct)
            continue;
        debug_line(s->acct->name, level, area, msg);
        if (s->online)
            continue;
        note_log(s, area, msg);
        if (level >= XMPP_LEVEL_ERROR)
            set_problem(&s->last_error, msg);
    }
}

/* Free an account's context (a GHashTable value). */
static void
account_ctx_free(void *p)
{
    struct account_ctx *ac = p;

    xmpp_ctx_free(ac->ctx);
    g_free(ac);
}

/* The libstrophe context of acct, made on its first connection; owned
 * here until session_deinit(). */
static xmpp_ctx_t *
account_ctx(struct account *acct)
{
    struct account_ctx *ac = g_hash_table_lookup(contexts, acct);

    if (ac == NULL) {
        ac = g_new0(struct account_ctx, 1);
        ac->acct = acct;
        ac->log.handler = account_log_handler;
        ac->log.userdata = ac;
        ac->ctx = xmpp_ctx_new(NULL, &ac->log);
        g_hash_table_insert(contexts, acct, ac);
    }
    return ac->ctx;
}

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
        set_problem(&s->last_error, why);
        xmpp_disconnect(conn);
    }
}

/* Set up the shared libstrophe context and the driver. */
void
session_init(void)
{
    const char *path = getenv("NATTER_DEBUG_LOG");

    xmpp_initialize();
    if (path != NULL && path[0] != '\0')
        debug_log = fopen(path, "a");
    logger.handler = log_handler;
    logger.userdata = NULL;
    ctx = xmpp_ctx_new(NULL, &logger);
    contexts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                     account_ctx_free);
    sessions = g_ptr_array_new();
    driver_init();
    driver_on_pumped(reap);
    driver_on_parse_error(on_parse_error);
    sm_states = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                      (GDestroyNotify)xmpp_free_sm_state);
    liveness_init();
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
    g_free(s->setup_failed);
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
    g_hash_table_destroy(contexts);
    contexts = NULL;
    xmpp_ctx_free(ctx);
    ctx = NULL;
    xmpp_shutdown();
    if (debug_log != NULL)
        fclose(debug_log);
    debug_log = NULL;
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

/* Describe a certificate we refused, for the error line; caller frees. */
static char *
cert_describe(const xmpp_tlscert_t *cert)
{
    const char *subj = xmpp_tlscert_get_string(cert, XMPP_CERT_SUBJECT);
    const char *iss = xmpp_tlscert_get_string(cert, XMPP_CERT_ISSUER);
    const char *until = xmpp_tlscert_get_string(cert, XMPP_CERT_NOTAFTER);
    const char *fp =
        xmpp_tlscert_get_string(cert, XMPP_CERT_FINGERPRINT_SHA256);

    return g_strdup_printf("subject %s, issuer %s, valid until %s, "
                           "SHA-256 %s",
                           subj ? subj : "?", iss ? iss : "?",
                           until ? until : "?", fp ? fp : "?");
}

/* The server's certificate did not verify: refuse, and say why. */
static int
on_certfail(const xmpp_tlscert_t *cert, const char *errormsg)
{
    struct session *s = session_of_conn(xmpp_tlscert_get_conn(cert));
    char *desc = cert_describe(cert);

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

/* Every stanza the connection reads, for the tap (EV_STANZA); it costs a
 * call per stanza while nobody listens. */
static int
on_tap_in(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct session *s = data;

    if (event_wanted(EV_STANZA)) {
        struct ev_stanza ev = {s->acct, st, false};
        event_emit(EV_STANZA, &ev);
    }
    return 1;
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
    xmpp_handler_add(s->conn, on_tap_in, NULL, NULL, NULL, s);
    handlers_start(s->conn, s->acct, s->rosterver && !s->rosterver_lost);
    s->acct->retries = 0;
    liveness_start(s->acct);
    account_set_state(s->acct, ACCOUNT_ONLINE, NULL);
    /* Messages the last connection left unconfirmed go first. */
    if (!outbox_online(s->acct, s->conn, flush_pending_acct))
        message_flush_pending(s->acct);
}

/* Why a connection ended, in one line for the user; caller frees. */
static char *
failure_reason(struct session *s, int error, xmpp_stream_error_t *se)
{
    const char *jid = s->acct->jid;

    if (s->setup_failed != NULL)
        return g_strdup_printf("Cannot connect to %s for %s: %s", s->host,
                               jid, s->setup_failed);
    if (driver_was_cut(s->conn))
        return g_strdup_printf("Cannot connect to %s for %s: the server "
                               "stopped answering while the connection was "
                               "being set up (cut after %u s)",
                               s->host, jid, driver_stuck_seconds());
    if (s->cert_problem != NULL)
        return g_strdup_printf("Certificate of %s refused for %s: %s; "
                               "/tls trust pins it if you trust it",
                               s->host, jid, s->cert_problem);
    if (s->auth_problem != NULL)
        return g_strdup_printf("Login failed for %s: %s (wrong password or "
                               "no such account?)",
                               jid, s->auth_problem);
    if (s->lost != NULL)
        return g_strdup_printf("Connection of %s lost: %s", jid, s->lost);
    if (!s->online && (error != 0 || s->sock_error != 0))
        return g_strdup_printf("Cannot connect to %s for %s: %s", s->host,
                               jid,
                               g_strerror(error != 0 ? error : s->sock_error));
    if (s->tls_problem != NULL)
        return g_strdup_printf("Cannot connect securely to %s for %s: %s "
                               "(use 'tls allow' to permit plaintext)",
                               s->host, jid, s->tls_problem);
    if (se != NULL)
        return g_strdup_printf("Server closed the stream of %s: %s%s%s", jid,
                               se->stanza != NULL &&
                                       xmpp_stanza_get_children(se->stanza)
                                   ? xmpp_stanza_get_name(
                                         xmpp_stanza_get_children(se->stanza))
                                   : "error",
                               se->text != NULL ? ": " : "",
                               se->text != NULL ? se->text : "");
    if (!s->online)
        return g_strdup_printf(
            "Cannot log in to %s as %s: %s", s->host, jid,
            s->last_error != NULL ? s->last_error
                                  : "the server closed the connection");
    if (error != 0)
        return g_strdup_printf("Connection of %s lost: %s", jid,
                               g_strerror(error));
    return g_strdup_printf("Connection of %s closed by the server", jid);
}

/* The session ended: every iq still waiting gets its answer, NULL. */
static void
fail_pending_iqs(struct session *s)
{
    GList *iqs = s->iqs;

    s->iqs = NULL;
    for (GList *l = iqs; l != NULL; l = l->next) {
        struct pending_iq *p = l->data;
        p->fn(s->acct, NULL, p->data);
        g_free(p->id);
        g_free(p);
    }
    g_list_free(iqs);
}

/* The reply to an iq from session_send_iq arrived. */
static int
on_iq_reply(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct pending_iq *p = data;
    struct session *s = p->s;

    s->iqs = g_list_remove(s->iqs, p);
    p->fn(s->acct, st, p->data);
    g_free(p->id);
    g_free(p);
    return 0;
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
    fail_pending_iqs(s);
    if (s->cert_problem != NULL)
        certprobe_explain(s->acct, s->target, s->target_port,
                          s->acct->tls == TLS_DIRECT);
    if (s->user_close && s->cert_problem == NULL) {
        outbox_forget(s->acct);
        s->acct->want_online = false;
        account_forget_secret(s->acct);
        account_set_state(s->acct, ACCOUNT_OFFLINE, NULL);
    } else {
        char *why = failure_reason(s, error, stream_error);
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
        account_set_state(s->acct, ACCOUNT_OFFLINE, why);
        g_free(why);
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

/* Drop a connection attempt that could not start. Returns why, in one
 * line for the user (caller frees); the account is left offline. */
static char *
start_failed(struct session *s)
{
    struct account *acct = s->acct;
    char *why = g_strdup_printf("Cannot connect to %s for %s: %s", s->host,
                                acct->jid,
                                s->last_error ? s->last_error
                                              : "no address found");

    g_ptr_array_remove(sessions, s);
    acct->session = NULL;
    session_free(s);
    acct->want_online = false;
    account_forget_secret(acct);
    return why;
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
        s->host = port != 0 ? g_strdup_printf("%s:%u", host, port)
                            : g_strdup(host);
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

    if (targets == NULL && g_error_matches(err, G_IO_ERROR,
                                           G_IO_ERROR_CANCELLED)) {
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
    if (!ok) {
        struct account *acct = s->acct;
        char *why = start_failed(s);
        account_set_state(acct, ACCOUNT_OFFLINE, why);
        g_free(why);
    }
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
    char *why;

    s->plain_check = NULL;
    if (s->plain_refused) {
        why = g_strdup_printf(
            "Login refused for %s: %s offers no TLS and only PLAIN, which "
            "would send the password in clear (/account set %s allow_plain "
            "on to accept that)",
            acct->jid, s->host, acct->name);
        g_ptr_array_remove(sessions, s);
        acct->session = NULL;
        session_free(s);
        acct->want_online = false;
        account_forget_secret(acct);
        account_set_state(acct, ACCOUNT_OFFLINE, why);
        g_free(why);
        return;
    }
    /* Any trouble shows again, in full, on the real connection. */
    if (!start_connect(s, acct->server, (unsigned short)acct->port)) {
        why = start_failed(s);
        account_set_state(acct, ACCOUNT_OFFLINE, why);
        g_free(why);
    }
}

/* The login did not finish in time: give it up. */
static gboolean
on_setup_timeout(gpointer data)
{
    struct session *s = data;
    int fd = driver_fd(s->conn);

    s->setup_timer = 0;
    s->setup_failed =
        g_strdup_printf("the server did not complete the login within %d s",
                        settings_int("connect.timeout"));
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
    s->conn = xmpp_conn_new(account_ctx(acct));
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
        s->plain_check = raw_start(&cfg, on_plain_check_ready,
                                   on_plain_check_end, s);
        g_free(pin);
        return true;
    }
    if (!start_connect(s, acct->server, (unsigned short)acct->port)) {
        *cause = start_failed(s);
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

/* Set and broadcast our presence; status may be NULL. */
bool
session_set_presence(struct account *acct, const char *show,
                     const char *status, char **cause)
{
    struct session *s = acct->session;
    xmpp_stanza_t *p;
    char *new_show, *new_status;

    if (!show_valid(show)) {
        *cause = g_strdup_printf("Unknown presence: %s", show);
        return false;
    }
    /* Copy first: show and status may be acct's own (re-announcing). */
    new_show = g_strdup(show);
    new_status = g_strdup(status);
    g_free(acct->show);
    g_free(acct->status);
    acct->show = new_show;
    acct->status = new_status;
    if (s == NULL || !s->online)
        return true; /* used when we connect */
    p = presence_build(ctx, acct->show, acct->status, acct->priority);
    info_add_caps(p);
    session_write(s, p);
    xmpp_stanza_release(p);
    muc_send_presence(acct); /* rooms get no broadcast presence */
    driver_kick();
    return true;
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

/* Send iq on acct's connection; fn gets the reply, or NULL if the session
 * ends first, exactly once. The iq is not taken over. */
bool
session_send_iq(struct account *acct, xmpp_stanza_t *iq, session_iq_fn fn,
                void *data, char **cause)
{
    struct session *s = acct->session;
    struct pending_iq *p;
    const char *id;

    if (s == NULL || !s->online) {
        *cause = g_strdup_printf("%s is not connected", acct->jid);
        return false;
    }
    id = xmpp_stanza_get_id(iq);
    if (id == NULL) {
        char *fresh = xmpp_uuid_gen(ctx);
        xmpp_stanza_set_id(iq, fresh);
        xmpp_free(ctx, fresh);
        id = xmpp_stanza_get_id(iq);
    }
    p = g_new0(struct pending_iq, 1);
    p->s = s;
    p->id = g_strdup(id);
    p->fn = fn;
    p->data = data;
    s->iqs = g_list_append(s->iqs, p);
    xmpp_id_handler_add(s->conn, on_iq_reply, p->id, p);
    session_write(s, iq);
    driver_kick();
    return true;
}

/* Send a stanza on acct's connection; false with *cause when offline. The
 * stanza is not taken over. */
bool
session_send(struct account *acct, xmpp_stanza_t *st, char **cause)
{
    struct session *s = acct->session;

    if (s == NULL || !s->online) {
        *cause = g_strdup_printf("%s is not connected", acct->jid);
        return false;
    }
    session_write(s, st);
    driver_kick();
    return true;
}

/* Write st on s's connection: the one door every stanza of an account
 * leaves by, where the tap (EV_STANZA) sees it. st is not taken over. */
void
session_write(struct session *s, xmpp_stanza_t *st)
{
    if (s == NULL || s->conn == NULL)
        return;
    if (event_wanted(EV_STANZA)) {
        struct ev_stanza ev = {s->acct, st, true};
        event_emit(EV_STANZA, &ev);
    }
    xmpp_send(s->conn, st);
}
