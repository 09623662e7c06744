/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_REGISTER_H
#define NATTER_XMPP_REGISTER_H

#include <stdbool.h>

#include "core/form.h"

/*
 * In-band registration (XEP-0077) flows: registering a new account on a
 * raw session (raw.h) before any login, and changing the password of a
 * connected one. The stanzas are in register-stanza.h.
 */

struct account;

/*
 * The server changed acct's password: keep the new one (copied) for
 * reconnects in place of the old, which is wiped.
 */
void register_password_changed(struct account *acct, const char *password);

/* The answer to a password change. */
struct password_result {
    bool ok;           /* changed (and kept for reconnects) */
    bool lost;         /* no answer: the connection ended */
    const char *error; /* one line for a refusal, or NULL; valid during the
                        * callback only */
};

/* Called exactly once with the answer to password_change. */
typedef void (*password_fn)(struct account *acct,
                            const struct password_result *r, void *data);

/*
 * Ask acct's server to change the password of jid (user@domain) to
 * password (XEP-0077 3.3); on success the new one is kept for reconnects
 * before fn runs. fn runs exactly once. False with *cause (and fn never
 * runs) when it cannot be sent.
 */
bool password_change(struct account *acct, const char *jid,
                     const char *password, password_fn fn, void *data,
                     char **cause);

/* A running registration (see register_start()). */
struct reg_request;

/* How to reach the server for a registration. */
struct reg_config {
    const char *jid;     /* the account to create, user@domain */
    const char *host;    /* NULL: the domain */
    unsigned short port; /* 0: default */
    bool direct_tls;     /* XEP-0368 */
    bool tls_required;   /* refuse plaintext */
    bool tls_off;        /* never TLS (overrides tls_required) */
    bool verify;         /* verify the certificate */
    const char *cafile;  /* a pinned certificate, or NULL */
};

/* Callbacks of a registration; data is the caller's. */
struct reg_callbacks {
    /* A line for the user: what the server says or asks. */
    void (*info)(const char *line, void *data);
    /*
     * The user must answer f (prompt is the text to show, secret when it
     * must not be echoed): call register_answer() later, maybe at once.
     */
    void (*ask)(struct reg_request *req, const struct form_field *f,
                const char *prompt, bool secret, void *data);
    /*
     * The registration is over: ok, and one line saying so. kind is
     * RAW_ERR_TLS (raw.h) when TLS with verification failed, so the
     * caller can show the certificate. Called exactly once.
     */
    void (*done)(bool ok, int kind, const char *line, void *data);
};

/*
 * Register cfg->jid: connect, ask the server's fields, have the caller ask
 * the user (the username is taken from the JID; every password twice),
 * submit, report. Owned by this module until done has been called.
 */
struct reg_request *register_start(const struct reg_config *cfg,
                                   const struct reg_callbacks *cb, void *data);
/* The answer to the last ask (copied); NULL cancels the registration. */
void register_answer(struct reg_request *req, const char *text);
/* Stop every registration without callbacks (before raw_deinit()). */
void register_deinit(void);

#endif
