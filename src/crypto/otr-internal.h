/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CRYPTO_OTR_INTERNAL_H
#define NATTER_CRYPTO_OTR_INTERNAL_H

/*
 * What the parts of OTR share: otr.c (the accounts' libotr state,
 * libotr's callbacks, the scheme), otr-keys.c (the files and key
 * generation) and otr-cmd.c (the /otr commands). Nothing outside
 * crypto/otr*.c includes it.
 */

#include <gcrypt.h>
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

/* libotr's headers depend on each other in this order. */
// clang-format off
#include <libotr/proto.h>
#include <libotr/context.h>
#include <libotr/context_priv.h>
#include <libotr/userstate.h>
#include <libotr/privkey.h>
#include <libotr/instag.h>
#include <libotr/tlv.h>
#include <libotr/message.h>
// clang-format on

#include "core/e2e.h"

struct account;

#define PROTOCOL "xmpp"
#define SCHEME "otr"
/* The largest OTR message in one stanza; past it libotr sends fragments.
 * Servers take larger stanzas (Prosody 256 KiB by default), but some
 * deployments and clients cut at 10 KiB, and a 16 KiB fragment with its
 * stanza around it was seen refused: 8 KiB stays under them all. */
#define MAX_MESSAGE 8192

/* A key being made in a thread. */
struct keygen {
    struct otr_account *oa;
    void *newkey;
    gcry_error_t err;
    GThread *thread;
};

/* libotr's state for one account. */
struct otr_account {
    struct account *acct;
    OtrlUserState us;
    char *dir;
    GHashTable *fulls;     /* bare JID -> full JID last heard from */
    GHashTable *instances; /* "bare JID#instance tag" -> that instance's full
                              JID (its client) */
    GHashTable *asked;     /* ConnContext * whose peer asked us to verify
                              (SMP) and waits for our answer */
    GHashTable *current;   /* bare JID -> ConnContext * of the instance
                              talked with last (libotr owns the context) */
    struct keygen *gen;
    guint timer;
};

/* What one libotr call reported through its callbacks. */
struct call {
    struct otr_account *oa;
    char *undecryptable; /* why an incoming message could not be read */
    char *hold;          /* why an outgoing one may not go yet */
    bool required;       /* the policy refused plain text */
    const char *to;      /* where protocol messages of this call go (the
                            instance's full JID), or NULL: the peer's last */
    char *plain;         /* a plain text message libotr took over to warn
                            about it: still the user's to read */
};

extern GHashTable *otr_accounts; /* struct account * -> struct otr_account */
extern OtrlMessageAppOps otr_ops;

/* acct's OTR state, read from its files on first use; owned here. */
struct otr_account *otr_account_of(struct account *acct);
/* Read oa's private key, fingerprints and instance tags, those there. */
void otr_read_files(struct otr_account *oa);
/* Make and keep a new instance tag for oa's account. */
void otr_new_instag(struct otr_account *oa);
/* Save oa's fingerprints (with their trust). */
void otr_save_fingerprints(struct otr_account *oa);
/* The JID to send to peer through: the full JID last heard from. */
const char *otr_full_of(struct otr_account *oa, const char *peer);
/* The JID that reaches ctx's instance: the full JID it spoke from, else
 * the peer's last full JID (borrowed). */
const char *otr_instance_full(struct otr_account *oa, ConnContext *ctx);
/* The conversation's state from its libotr context. */
enum e2e_state otr_state_of(ConnContext *ctx);
/* The context of peer now in use: the instance last talked with while
 * it is not plain text, else libotr's best one; or NULL. */
ConnContext *otr_context_of(struct otr_account *oa, const char *peer);
/* The context of peer to talk to through full: the instance of that
 * client (a full JID) when it has a conversation, else the one in use. */
ConnContext *otr_context_for(struct otr_account *oa, const char *peer,
                             const char *full);
/* Publish the state of the conversation with peer. */
void otr_publish(struct otr_account *oa, const char *peer);
/* The policy for ctx's peer (libotr's policy callback). */
OtrlPolicy otr_cb_policy(void *opdata, ConnContext *ctx);
/* Whether a private conversation with ctx's peer is being refreshed
 * (nothing may go in the clear meanwhile). */
bool otr_refreshing(struct otr_account *oa, ConnContext *ctx);
/* Begin making oa's key in a thread. */
void otr_start_keygen(struct otr_account *oa);

#endif
