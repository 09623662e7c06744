/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics of the sessions: libstrophe's log, read for why a login
 * fails (0.12 does not report the reason to the connection handler) and
 * for the stream features it keeps to itself; one libstrophe context per
 * account so that every line is known to be that account's; the debug
 * log file; and why a connection ended, as data for the words of ui/.
 */
#include "xmpp/session-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/account.h"
#include "xmpp/driver.h"
#include "xmpp/recvlog.h"

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

static xmpp_log_t logger;    /* the shared context's */
static GHashTable *contexts; /* struct account * -> struct account_ctx */
static FILE *debug_log;

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
        "not-authorized",         "account-disabled",
        "credentials-expired",    "encryption-required",
        "invalid-mechanism",      "malformed-request",
        "temporary-auth-failure", "aborted",
        "invalid-authzid",        "mechanism-too-weak",
        "incorrect-encoding",
    };

    if (strstr(xml, "<failure") == NULL || strstr(xml, "xmpp-sasl") == NULL)
        return NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(conds); i++)
        if (strstr(xml, conds[i]) != NULL)
            return conds[i];
    return "failure";
}

/* Replace *slot with a copy of text. */
void
session_set_problem(char **slot, const char *text)
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
            session_set_problem(
                &s->cert_problem,
                words != NULL ? words
                              : p + strlen("verification FAILED, result="));
    } else if (strcmp(area, "tls") == 0 &&
               strstr(msg, "decided to connect anyways") != NULL) {
        session_set_problem(&s->cert_problem,
                            NULL); /* tls trust accepted it */
    } else if ((p = sasl_condition(msg)) != NULL &&
               strncmp(msg, "RECV", 4) == 0) {
        session_set_problem(&s->auth_problem, p);
    } else if (strcmp(area, "auth") == 0 &&
               strstr(msg, "Cannot authenticate") != NULL &&
               s->auth_problem == NULL) {
        session_set_problem(&s->auth_problem,
                            "no authentication method in common");
    } else if (strstr(msg, "TLS not supported") != NULL ||
               strstr(msg, "TLS is not supported") != NULL) {
        session_set_problem(&s->tls_problem, "the server offers no TLS");
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
    GPtrArray *sessions = session_all();

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
            session_set_problem(&s->last_error, msg);
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
xmpp_ctx_t *
session_account_ctx(struct account *acct)
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

/*
 * Why the connection of s ended, as data for EV_ACCOUNT_STATE: *why gets
 * strings borrowed from s, se and buf (len bytes), which must outlive it.
 * The words are ui/'s.
 */
void
session_failure_why(struct session *s, int error, xmpp_stream_error_t *se,
                    struct offline_why *why, char *buf, size_t len)
{
    *why = (struct offline_why){OFFLINE_CLOSED, s->host, s->acct->jid, NULL,
                                NULL};
    if (s->setup_timeout > 0) {
        g_snprintf(buf, len, "%d", s->setup_timeout);
        why->reason = OFFLINE_SETUP_TIMEOUT;
        why->detail = buf;
    } else if (driver_was_cut(s->conn)) {
        g_snprintf(buf, len, "%u", driver_stuck_seconds());
        why->reason = OFFLINE_SETUP_CUT;
        why->detail = buf;
    } else if (s->cert_problem != NULL) {
        why->reason = OFFLINE_CERT_REFUSED;
        why->detail = s->cert_problem;
    } else if (s->auth_problem != NULL) {
        why->reason = OFFLINE_LOGIN_FAILED;
        why->detail = s->auth_problem;
    } else if (s->lost != NULL) {
        why->reason = OFFLINE_LOST;
        why->detail = s->lost;
    } else if (!s->online && (error != 0 || s->sock_error != 0)) {
        why->reason = OFFLINE_CONNECT_FAILED;
        why->detail = g_strerror(error != 0 ? error : s->sock_error);
    } else if (s->tls_problem != NULL) {
        why->reason = OFFLINE_NO_TLS;
        why->detail = s->tls_problem;
    } else if (se != NULL) {
        xmpp_stanza_t *cond =
            se->stanza != NULL ? xmpp_stanza_get_children(se->stanza) : NULL;
        why->reason = OFFLINE_STREAM_ERROR;
        why->detail = cond != NULL ? xmpp_stanza_get_name(cond) : "error";
        why->extra = se->text;
    } else if (!s->online) {
        why->reason =
            s->last_error != NULL ? OFFLINE_LOGIN_ERROR : OFFLINE_LOGIN_CLOSED;
        why->detail = s->last_error;
    } else if (error != 0) {
        why->reason = OFFLINE_LOST;
        why->detail = g_strerror(error);
    }
}

/* Describe a certificate we refused, for the error line; caller frees. */
char *
session_cert_describe(const xmpp_tlscert_t *cert)
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

/* Whether libstrophe's "RECV: ..." lines are read: by the debug log, or
 * by note_log while some session is still logging in. */
static bool
recv_log_needed(void)
{
    GPtrArray *sessions = session_all();

    if (debug_log != NULL)
        return true;
    for (guint i = 0; sessions != NULL && i < sessions->len; i++)
        if (!((struct session *)sessions->pdata[i])->online)
            return true;
    return false;
}

/* The logger of the shared context; opens the debug log if asked for. */
xmpp_log_t *
session_log_init(void)
{
    const char *path = getenv("NATTER_DEBUG_LOG");

    if (path != NULL && path[0] != '\0')
        debug_log = fopen(path, "a");
    logger.handler = log_handler;
    logger.userdata = NULL;
    recvlog_set_needed(recv_log_needed);
    contexts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                     account_ctx_free);
    return &logger;
}

/* Free every account's context and close the debug log. */
void
session_log_deinit(void)
{
    recvlog_set_needed(NULL);
    if (contexts != NULL)
        g_hash_table_destroy(contexts);
    contexts = NULL;
    if (debug_log != NULL)
        fclose(debug_log);
    debug_log = NULL;
}
