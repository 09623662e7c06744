/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_REGISTER_H
#define NATTER_XMPP_REGISTER_H

#include <glib.h>
#include <stdbool.h>
#include <strophe.h>

#include "core/form.h"
#include "xmpp/dataform.h"

/*
 * In-band registration (XEP-0077): the registration form a server sends
 * (plain fields or an XEP-0004 data form), the iqs that ask for it, submit
 * it and change a password, and what the server answers. The flow that
 * registers a new account runs on a raw session (raw.h) before any login.
 */

#define NS_REGISTER "jabber:iq:register"
#define NS_OOB "jabber:x:oob"

/* What the server wants for registration. Free with reg_form_free(). */
struct reg_form {
    bool registered;    /* <registered/>: the entity already is */
    bool data_form;     /* the fields come from an XEP-0004 form */
    char *instructions; /* the form's, else the query's; NULL if none */
    char *title;        /* the data form's title, NULL if none */
    char *url;          /* XEP-0066 redirect: register on this page */
    GPtrArray *fields;  /* struct form_field (core/form.h), in order */
};

/*
 * Parse the result of a registration get. On an error reply or junk
 * returns NULL with *cause set to one line (see reg_error_text()).
 */
struct reg_form *reg_form_parse(xmpp_stanza_t *iq, char **cause);
/* Free a form and its fields; NULL is fine. */
void reg_form_free(struct reg_form *form);
/* A field by var (borrowed), NULL if the form has none. */
struct form_field *reg_form_field(struct reg_form *form, const char *var);
/* Set the value of field var (copied); false if there is no such field. */
bool reg_form_set(struct reg_form *form, const char *var, const char *value);
/*
 * Whether the user must answer f: a required field, or (plain forms) any
 * field, that has no value yet; hidden and fixed fields never.
 */
bool reg_field_needs_answer(const struct reg_form *form,
                            const struct form_field *f);
/* "Label (required)"-style name of a field for prompts; caller frees. */
char *reg_field_prompt(const struct form_field *f);
/*
 * Turn what the user typed into f's value: booleans accept yes/no/1/0,
 * lists accept a value or a label. NULL with *cause set when it does not
 * fit. Note: result must be freed with g_free().
 */
char *reg_field_value(const struct form_field *f, const char *typed,
                      char **cause);

/* <iq type='get'><query xmlns='jabber:iq:register'/></iq>; caller releases. */
xmpp_stanza_t *reg_get_build(xmpp_ctx_t *ctx, const char *id, const char *to);
/*
 * The set that submits form: a data form of type submit, or the plain
 * fields, with their values. Caller releases.
 */
xmpp_stanza_t *reg_submit_build(xmpp_ctx_t *ctx, const struct reg_form *form,
                                const char *id, const char *to);
/*
 * The set that changes username's password on server domain (XEP-0077
 * 3.3): <query><username/><password/></query>. Caller releases.
 */
xmpp_stanza_t *reg_password_build(xmpp_ctx_t *ctx, const char *id,
                                  const char *domain, const char *username,
                                  const char *password);

/* What an iq set was for, to word its errors. */
enum reg_op {
    REG_OP_REGISTER,
    REG_OP_PASSWORD,
};

/*
 * Whether the reply to a set succeeded; if not, *cause gets one line
 * (free with g_free()).
 */
bool reg_result_parse(xmpp_stanza_t *iq, enum reg_op op, char **cause);
/*
 * One line for the error in a reply (condition in words, then the
 * server's text). Note: result must be freed with g_free().
 */
char *reg_error_text(xmpp_stanza_t *iq, enum reg_op op);

struct account;

/*
 * The server changed acct's password: keep the new one (copied) for
 * reconnects in place of the old, which is wiped.
 */
void register_password_changed(struct account *acct, const char *password);

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
