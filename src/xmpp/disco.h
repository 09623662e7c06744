/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_DISCO_H
#define NATTER_XMPP_DISCO_H

#include <glib.h>
#include <stdbool.h>

struct account;
/* Forward declaration, so users of the results need not include
 * libstrophe (the same typedef as <strophe.h>). */
typedef struct _xmpp_stanza_t xmpp_stanza_t;

/*
 * Service discovery (XEP-0030): ask an entity what it is (disco#info) or
 * what it has (disco#items), and get the answer as plain structs.
 */

/* One identity of a disco#info answer. Strings owned, name may be NULL. */
struct disco_identity {
    char *category;
    char *type;
    char *name;
};

/* One item of a disco#items answer. Strings owned, node and name may be
 * NULL. */
struct disco_link {
    char *jid;
    char *node;
    char *name;
};

/* One XEP-0128 extended-information form: field var to its first value. */
struct disco_form {
    char *form_type;    /* the FORM_TYPE value, or NULL */
    GHashTable *values; /* char *var -> char *value, both owned */
};

/* A parsed disco answer. Free with disco_result_free(). */
struct disco_result {
    bool ok;               /* a result (false: error, malformed, or lost) */
    bool lost;             /* no answer: the connection ended */
    char *condition;       /* the error condition ("item-not-found"), or
                            * NULL */
    char *error;           /* the error in words (stanza_error_text), or
                            * NULL */
    GPtrArray *identities; /* struct disco_identity */
    GPtrArray *features;   /* char *var */
    GPtrArray *items;      /* struct disco_link */
    GPtrArray *forms;      /* struct disco_form */
};

/* Parse a disco#info reply (an iq result or error). Note: result must be
 * freed with disco_result_free(). */
struct disco_result *disco_info_parse(xmpp_stanza_t *reply);
/* Parse a disco#items reply. Note: result must be freed with
 * disco_result_free(). */
struct disco_result *disco_items_result_parse(xmpp_stanza_t *reply);
/* Free r and everything in it; NULL is fine. */
void disco_result_free(struct disco_result *r);

/* Whether r lists feature var. */
bool disco_result_has_feature(const struct disco_result *r, const char *var);
/* Whether r has an identity of category and type (NULL: any type). */
bool disco_result_has_identity(const struct disco_result *r,
                               const char *category, const char *type);
/* The value of field var in r's extended-information forms, or NULL;
 * owned by r. */
const char *disco_result_form_value(const struct disco_result *r,
                                    const char *var);

/* Called exactly once with the answer to disco_info or disco_items; r is
 * owned by the caller of fn and valid during the call only. */
typedef void (*disco_fn)(struct account *acct, const struct disco_result *r,
                         void *data);

/* Ask jid (at node, may be NULL) for disco#info; fn runs exactly once.
 * False with *cause (and fn never runs) when it cannot be sent. */
bool disco_info(struct account *acct, const char *jid, const char *node,
                disco_fn fn, void *data, char **cause);
/* Ask jid (at node, may be NULL) for disco#items; fn runs exactly once.
 * False with *cause (and fn never runs) when it cannot be sent. */
bool disco_items(struct account *acct, const char *jid, const char *node,
                 disco_fn fn, void *data, char **cause);

#endif
