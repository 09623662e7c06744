/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_REQUEST_H
#define NATTER_XMPP_REQUEST_H

#include <stdbool.h>

struct account;
/* The same typedef as <strophe.h>, so that cmd/ can use the actions
 * declared with these types without libstrophe. */
typedef struct _xmpp_stanza_t xmpp_stanza_t;

/*
 * Requests that only succeed or fail (a roster change, a block), as the
 * xmpp/ actions behind commands answer them: a plain struct, never a
 * stanza.
 */

/* The answer to such a request. */
struct request_result {
    bool ok;           /* the server did it */
    bool lost;         /* no answer: the connection ended */
    const char *error; /* the server's refusal, or NULL; valid during the
                        * callback only */
};

/* Called exactly once with the answer to a request. */
typedef void (*request_fn)(struct account *acct,
                           const struct request_result *r, void *data);

/*
 * Send iq (not taken over) on acct; fn runs exactly once with its plain
 * outcome. False with *cause set (caller frees), and fn never runs, when
 * acct is not online.
 */
bool session_request(struct account *acct, xmpp_stanza_t *iq, request_fn fn,
                     void *data, char **cause);

#endif
