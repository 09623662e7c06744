/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CRYPTO_OTR_H
#define NATTER_CRYPTO_OTR_H

#include <stdbool.h>

struct account;

/*
 * Off-the-Record messaging (OTR 3 with instance tags, and 2) through
 * libotr 4, as a scheme of crypto/e2e.h. Keys live per account under
 * $XDG_DATA_HOME/natter/ACCOUNT/otr/ (private.key, fingerprints,
 * instance_tags), mode 0600, each written to a new file then renamed.
 * The commands below are /otr's; on failure they return false with
 * *cause set (caller frees).
 */

/* Register the OTR scheme (once, at start-up). */
void otr_init(void);

/* Make acct's private key; the expensive part runs in a thread. */
bool otr_generate(struct account *acct, char **cause);
/* Whether a key is being made for acct. */
bool otr_generating(struct account *acct);
/* Ask peer (bare JID; full: the JID to send to, may be NULL) for a
 * private conversation, or refresh the one running. */
bool otr_start(struct account *acct, const char *peer, const char *full,
               char **cause);
/* End the private conversation with peer (all its instances). */
bool otr_end(struct account *acct, const char *peer, char **cause);
/* Our fingerprint on acct. Note: result must be freed. */
char *otr_my_fingerprint(struct account *acct, char **cause);
/* The fingerprint peer uses now. Note: result must be freed. */
char *otr_their_fingerprint(struct account *acct, const char *peer,
                            char **cause);
/* Trust (or stop trusting) peer's fingerprint fp (NULL: the one in use;
 * spaces ignored, any case). */
bool otr_trust(struct account *acct, const char *peer, const char *fp,
               bool trust, char **cause);
/* Start the Socialist Millionaires' Protocol with peer: question may be
 * NULL (a shared secret both know). */
bool otr_smp_start(struct account *acct, const char *peer,
                   const char *question, const char *secret, char **cause);
/* Answer peer's verification request. */
bool otr_smp_answer(struct account *acct, const char *peer, const char *answer,
                    char **cause);
/* Stop a verification with peer. */
bool otr_smp_abort(struct account *acct, const char *peer, char **cause);
/* A one-line description of the conversation with peer, through full
 * (a client of peer, may be NULL), naming the instance and client it is
 * with. Note: result must be freed. */
char *otr_describe(struct account *acct, const char *peer, const char *full);

#endif
