/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_SESSION_INTERNAL_H
#define NATTER_XMPP_SESSION_INTERNAL_H

#include <gio/gio.h>
#include <glib.h>
#include <stdbool.h>
#include <strophe.h>

#include "xmpp/session.h"

/*
 * What the session files share, and nothing outside them uses:
 * session.c (a connection's life: connect, log in, come online, lose
 * it), session-send.c (the one write path and requests with replies)
 * and session-log.c (libstrophe's log read for diagnostics, one context
 * per account, and why a connection ended).
 */

struct raw_session;

struct session {
    struct account *acct;
    xmpp_conn_t *conn;
    char *host;         /* for messages: where we connect */
    char *cert_problem; /* set when the certificate was refused */
    char *auth_problem; /* set when SASL failed */
    char *tls_problem;  /* set when TLS could not be had */
    int sock_error;     /* errno of a failed connect() */
    char *last_error;   /* last error libstrophe logged for us */
    bool user_close;    /* the user asked to disconnect */
    bool online;
    char *lost;        /* why we dropped a dead connection ourselves */
    GCancellable *srv; /* DNS SRV lookup under way for direct TLS */
    char *target;      /* host we connected to, NULL when from DNS */
    unsigned short target_port;
    GList *iqs;        /* struct pending_iq awaiting their replies */
    guint setup_timer; /* gives up a login that does not finish */
    struct raw_session *plain_check; /* looking at the offered logins */
    bool plain_refused;  /* only PLAIN, without TLS: we will not log in */
    int setup_timeout;   /* > 0: the login was given up after so many s */
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

/* Every session not yet freed (session.c); owned there. */
GPtrArray *session_all(void);

/* The logger of the shared context; opens the debug log (NATTER_DEBUG_LOG)
 * if asked for. Owned by session-log.c. */
xmpp_log_t *session_log_init(void);
/* Free every account's context and close the debug log. */
void session_log_deinit(void);
/* The libstrophe context of acct, made on its first connection; owned by
 * session-log.c until session_log_deinit(). */
xmpp_ctx_t *session_account_ctx(struct account *acct);
/* Replace *slot with a copy of text. */
void session_set_problem(char **slot, const char *text);
/* Why the connection of s ended, as data: *why borrows from s, se and
 * buf (len bytes), which must outlive it. */
void session_failure_why(struct session *s, int error, xmpp_stream_error_t *se,
                         struct offline_why *why, char *buf, size_t len);
/* Describe a certificate we refused, for the error line; caller frees. */
char *session_cert_describe(const xmpp_tlscert_t *cert);

/* The handler that shows every stanza s reads to the tap (EV_STANZA). */
int session_tap_in(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data);
/* The session ended: every iq still waiting gets its answer, NULL. */
void session_fail_iqs(struct session *s);

#endif
