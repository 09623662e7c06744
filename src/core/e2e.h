/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_E2E_H
#define NATTER_CORE_E2E_H

#include <stdbool.h>

struct account;

/*
 * End-to-end encryption as the rest of natter sees it, whatever the
 * scheme (OTR, later OMEMO): the policy chosen per account and per
 * contact (persisted in $XDG_DATA_HOME/natter/ACCOUNT/e2e.ini), and the
 * state of each conversation, announced with EV_E2E for the windows and
 * the title bar. The schemes themselves live in crypto/.
 */

/* How eagerly a conversation is encrypted. */
enum e2e_policy {
    E2E_POLICY_MANUAL,        /* only when started by either side */
    E2E_POLICY_OPPORTUNISTIC, /* offered to every contact, used if taken */
    E2E_POLICY_ALWAYS,        /* nothing goes out in plain text */
};

/* The state of one conversation. */
enum e2e_state {
    E2E_STATE_PLAIN,      /* in the clear */
    E2E_STATE_UNVERIFIED, /* encrypted, the peer's key not verified */
    E2E_STATE_VERIFIED,   /* encrypted to a verified key */
    E2E_STATE_FINISHED,   /* the peer ended it: nothing is sent until
                             the user ends or restarts it too */
};

/* EV_E2E: a conversation's state changed, or a scheme says something
 * about it (text, may be NULL: see the format it names). */
struct ev_e2e {
    struct account *acct;
    const char *peer;   /* bare JID */
    const char *scheme; /* "otr" */
    enum e2e_state state;
    int what;         /* a format id (core/format-id.h) for the line, or
                         -1: state changed only */
    const char *arg1; /* the format's arguments after the peer */
    const char *arg2;
};

/* The policy of scheme for peer on acct (NULL peer: the account's
 * default), falling back to the account's default, then to manual. */
enum e2e_policy e2e_policy_get(struct account *acct, const char *scheme,
                               const char *peer);
/* Set (and persist) the policy of scheme for peer (NULL: the account's
 * default). False with *cause set (caller frees) when it cannot be kept. */
bool e2e_policy_set(struct account *acct, const char *scheme, const char *peer,
                    enum e2e_policy p, char **cause);
/* "manual", "opportunistic", "always". Note: static string. */
const char *e2e_policy_name(enum e2e_policy p);
/* Parse a policy name; false if unknown. */
bool e2e_policy_parse(const char *name, enum e2e_policy *out);

/* What to do with a message typed into a conversation, the same for
 * every scheme: the decision table of policy x state. */
enum e2e_send {
    E2E_SEND_PLAIN,      /* in the clear, the scheme not involved */
    E2E_SEND_OFFER,      /* in the clear, offering encryption (OTR's
                            whitespace tag): the scheme is involved */
    E2E_SEND_ENCRYPT,    /* encrypted */
    E2E_SEND_HOLD_START, /* held: ask the peer to start, send once private */
    E2E_SEND_HOLD_ENDED, /* held: the peer ended it; the user must end or
                            restart it (or drop what is held) */
};

/* The decision for a message under policy p in a conversation in state
 * s: never plain once encryption ran or when the policy is always. */
enum e2e_send e2e_send_decide(enum e2e_policy p, enum e2e_state s);

/* The state of the conversation with peer on acct; *scheme (may be
 * NULL) is set to the scheme's name, or NULL when plain. */
enum e2e_state e2e_state_get(struct account *acct, const char *peer,
                             const char **scheme);
/* Record the state of the conversation with peer and emit EV_E2E. */
void e2e_state_set(struct account *acct, const char *peer, const char *scheme,
                   enum e2e_state state);
/* Emit EV_E2E with a line (format id what, its arguments after the
 * peer) about the conversation with peer, in its current state. */
void e2e_say(struct account *acct, const char *peer, const char *scheme,
             int what, const char *arg1, const char *arg2);
/* A short name of a state ("plain", "unverified", ...). Note: static. */
const char *e2e_state_name(enum e2e_state s);

/* Forget every state and policy read (at exit). */
void e2e_deinit(void);

#endif
