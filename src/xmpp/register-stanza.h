/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_REGISTER_STANZA_H
#define NATTER_XMPP_REGISTER_STANZA_H

#include <glib.h>
#include <stdbool.h>
#include <strophe.h>

#include "core/form.h"
#include "xmpp/dataform.h"

/*
 * In-band registration (XEP-0077) stanzas: the registration form a server
 * sends (plain fields or an XEP-0004 data form), the iqs that ask for it,
 * submit it and change a password, and what the server answers. Pure
 * builders and parsers; the flows are in register.h.
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

#endif
