/* SPDX-License-Identifier: MIT */
/* The /otr commands' side of OTR (crypto/otr.h): start, end, keys,
 * fingerprints and trust, the Socialist Millionaires' Protocol. */
#include "crypto/otr.h"

#include <glib.h>
#include <string.h>

#include "crypto/otr-internal.h"

#include "core/account.h"
#include "core/e2e.h"
#include "core/event.h"
#include "core/format-id.h"
#include "crypto/e2e.h"

/* --- commands ----------------------------------------------------------- */

/* See crypto/otr.h. */
bool
otr_generating(struct account *acct)
{
    return otr_accounts != NULL &&
           g_hash_table_lookup(otr_accounts, acct) != NULL &&
           otr_account_of(acct)->gen != NULL;
}

/* See crypto/otr.h. */
bool
otr_generate(struct account *acct, char **cause)
{
    struct otr_account *oa = otr_account_of(acct);

    if (oa->gen != NULL) {
        *cause = g_strdup_printf("An OTR key for %s is being made already",
                                 acct->jid);
        return false;
    }
    if (otrl_privkey_find(oa->us, acct->jid, PROTOCOL) != NULL) {
        *cause = g_strdup_printf("%s has an OTR key already (/otr myfp)",
                                 acct->jid);
        return false;
    }
    otr_start_keygen(oa);
    return oa->gen != NULL;
}

/* Whether oa has a key to talk with; else *cause says what to do. */
static bool
have_key(struct otr_account *oa, char **cause)
{
    if (otrl_privkey_find(oa->us, oa->acct->jid, PROTOCOL) != NULL)
        return true;
    *cause = g_strdup_printf(oa->gen != NULL
                                 ? "The OTR key for %s is still being made"
                                 : "%s has no OTR key yet: /otr gen makes one",
                             oa->acct->jid);
    return false;
}

/* See crypto/otr.h. */
bool
otr_start(struct account *acct, const char *peer, const char *full,
          char **cause)
{
    struct otr_account *oa = otr_account_of(acct);
    struct call c = {oa, NULL, NULL, false, NULL, NULL};
    OtrlPolicy policy;
    ConnContext *ctx;
    char *query;

    if (!have_key(oa, cause))
        return false;
    if (!e2e_online(acct)) {
        *cause = g_strdup_printf("%s is not connected", acct->jid);
        return false;
    }
    if (full != NULL && strchr(full, '/') != NULL)
        g_hash_table_replace(oa->fulls, g_strdup(peer), g_strdup(full));
    ctx = otrl_context_find(oa->us, peer, acct->jid, PROTOCOL,
                            OTRL_INSTAG_BEST, 1, NULL, NULL, NULL);
    policy = otr_cb_policy(&c, ctx);
    query = otrl_proto_default_query_msg(acct->jid, policy);
    if (query == NULL) {
        *cause = g_strdup("OTR could not make its query message");
        return false;
    }
    /* A refresh goes to the client of the conversation running. */
    if ((full == NULL || strchr(full, '/') == NULL) && ctx != ctx->m_context &&
        ctx->msgstate == OTRL_MSGSTATE_ENCRYPTED)
        full = otr_instance_full(oa, ctx);
    else
        full = otr_full_of(oa, peer);
    e2e_inject(acct, full, query);
    free(query);
    e2e_say(acct, peer, SCHEME, FMT_OTR_QUERY_SENT, NULL, NULL);
    return true;
}

/* See crypto/otr.h. */
bool
otr_end(struct account *acct, const char *peer, char **cause)
{
    struct otr_account *oa = otr_account_of(acct);
    struct call c = {oa, NULL, NULL, false, NULL, NULL};
    ConnContext *ctx = otr_context_of(oa, peer);

    if (ctx == NULL || (ctx->msgstate == OTRL_MSGSTATE_PLAINTEXT &&
                        !otr_refreshing(oa, ctx))) {
        *cause = g_strdup_printf("No private conversation with %s", peer);
        return false;
    }
    /* Each instance's end goes to its own client. */
    for (ConnContext *i = oa->us->context_root; i != NULL; i = i->next) {
        if (i->m_context != ctx->m_context)
            continue;
        i->app_data = NULL;
        if (i->msgstate == OTRL_MSGSTATE_PLAINTEXT)
            continue;
        c.to = otr_instance_full(oa, i);
        otrl_message_disconnect(
            oa->us, &otr_ops, &c, acct->jid, PROTOCOL, peer,
            i == i->m_context ? OTRL_INSTAG_MASTER : i->their_instance);
        g_free(c.hold);
        g_free(c.undecryptable);
        c.hold = c.undecryptable = NULL;
    }
    otr_publish(oa, peer);
    e2e_say(acct, peer, SCHEME, FMT_OTR_ENDED, NULL, NULL);
    return true;
}

/* See crypto/otr.h. */
char *
otr_my_fingerprint(struct account *acct, char **cause)
{
    struct otr_account *oa = otr_account_of(acct);
    char fp[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];

    if (!have_key(oa, cause))
        return NULL;
    otrl_privkey_fingerprint(oa->us, fp, acct->jid, PROTOCOL);
    return g_strdup(fp);
}

/* The context of peer in a private conversation, else NULL with
 * *cause set. */
static ConnContext *
private_context(struct otr_account *oa, const char *peer, char **cause)
{
    ConnContext *ctx = otr_context_of(oa, peer);

    if (ctx == NULL || ctx->msgstate != OTRL_MSGSTATE_ENCRYPTED ||
        ctx->active_fingerprint == NULL) {
        *cause = g_strdup_printf("No private conversation with %s", peer);
        return NULL;
    }
    return ctx;
}

/* See crypto/otr.h. */
char *
otr_their_fingerprint(struct account *acct, const char *peer, char **cause)
{
    struct otr_account *oa = otr_account_of(acct);
    ConnContext *ctx = private_context(oa, peer, cause);
    char human[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];

    if (ctx == NULL)
        return NULL;
    otrl_privkey_hash_to_human(human, ctx->active_fingerprint->fingerprint);
    return g_strdup(human);
}

/* fp without spaces, upper case. Note: result must be freed. */
static char *
fp_normal(const char *fp)
{
    GString *s = g_string_new(NULL);

    for (const char *p = fp; *p != '\0'; p++)
        if (!g_ascii_isspace(*p))
            g_string_append_c(s, g_ascii_toupper(*p));
    return g_string_free(s, FALSE);
}

/* See crypto/otr.h. */
bool
otr_trust(struct account *acct, const char *peer, const char *fp, bool trust,
          char **cause)
{
    struct otr_account *oa = otr_account_of(acct);
    ConnContext *ctx =
        otrl_context_find(oa->us, peer, acct->jid, PROTOCOL,
                          OTRL_INSTAG_MASTER, 0, NULL, NULL, NULL);
    Fingerprint *found = NULL;
    char *want = fp != NULL ? fp_normal(fp) : NULL;

    if (ctx == NULL) {
        *cause = g_strdup_printf("No OTR fingerprint known for %s", peer);
        g_free(want);
        return false;
    }
    if (want == NULL) {
        ConnContext *now = otr_context_of(oa, peer);
        found = now != NULL ? now->active_fingerprint : NULL;
    } else {
        for (Fingerprint *f = ctx->fingerprint_root.next; f != NULL;
             f = f->next) {
            char human[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
            char *have;
            otrl_privkey_hash_to_human(human, f->fingerprint);
            have = fp_normal(human);
            if (strcmp(have, want) == 0)
                found = f;
            g_free(have);
        }
    }
    g_free(want);
    if (found == NULL) {
        *cause = fp != NULL ? g_strdup_printf("%s has no OTR fingerprint %s",
                                              peer, fp)
                            : g_strdup_printf("No private conversation with "
                                              "%s: give the fingerprint",
                                              peer);
        return false;
    }
    otrl_context_set_trust(found, trust ? "verified" : "");
    otr_save_fingerprints(oa);
    otr_publish(oa, peer);
    return true;
}

/* Whether ctx's peer asked us to verify and waits for our answer:
 * libotr answers without checking, and crashes when nobody asked (or
 * after a malformed request it already stopped; found by fuzz_otr). */
static bool
smp_asked(struct otr_account *oa, ConnContext *ctx)
{
    return g_hash_table_contains(oa->asked, ctx) && ctx->smstate != NULL &&
           ctx->smstate->nextExpected == OTRL_SMP_EXPECT1;
}

/* See crypto/otr.h. */
bool
otr_smp_start(struct account *acct, const char *peer, const char *question,
              const char *secret, char **cause)
{
    struct otr_account *oa = otr_account_of(acct);
    ConnContext *ctx = private_context(oa, peer, cause);
    struct call c = {oa, NULL, NULL, false, NULL, NULL};

    if (ctx == NULL)
        return false;
    c.to = otr_instance_full(oa, ctx);
    if (question == NULL && smp_asked(oa, ctx)) {
        g_hash_table_remove(oa->asked, ctx);
        /* The peer asked first with a shared secret: ours answers it
         * (starting another would break both). */
        otrl_message_respond_smp(oa->us, &otr_ops, &c, ctx,
                                 (const unsigned char *)secret,
                                 strlen(secret));
        g_free(c.hold);
        g_free(c.undecryptable);
        return true;
    }
    g_hash_table_remove(oa->asked, ctx);
    if (question != NULL)
        otrl_message_initiate_smp_q(oa->us, &otr_ops, &c, ctx, question,
                                    (const unsigned char *)secret,
                                    strlen(secret));
    else
        otrl_message_initiate_smp(oa->us, &otr_ops, &c, ctx,
                                  (const unsigned char *)secret,
                                  strlen(secret));
    g_free(c.hold);
    g_free(c.undecryptable);
    e2e_say(acct, peer, SCHEME, FMT_OTR_SMP_ASKED, NULL, NULL);
    return true;
}

/* See crypto/otr.h. */
bool
otr_smp_answer(struct account *acct, const char *peer, const char *answer,
               char **cause)
{
    struct otr_account *oa = otr_account_of(acct);
    ConnContext *ctx = private_context(oa, peer, cause);
    struct call c = {oa, NULL, NULL, false, NULL, NULL};

    if (ctx == NULL)
        return false;
    if (!smp_asked(oa, ctx)) {
        *cause = g_strdup_printf("%s has not asked to verify you", peer);
        return false;
    }
    c.to = otr_instance_full(oa, ctx);
    g_hash_table_remove(oa->asked, ctx);
    otrl_message_respond_smp(oa->us, &otr_ops, &c, ctx,
                             (const unsigned char *)answer, strlen(answer));
    g_free(c.hold);
    g_free(c.undecryptable);
    return true;
}

/* See crypto/otr.h. */
bool
otr_smp_abort(struct account *acct, const char *peer, char **cause)
{
    struct otr_account *oa = otr_account_of(acct);
    ConnContext *ctx = private_context(oa, peer, cause);
    struct call c = {oa, NULL, NULL, false, NULL, NULL};

    if (ctx == NULL)
        return false;
    c.to = otr_instance_full(oa, ctx);
    g_hash_table_remove(oa->asked, ctx);
    otrl_message_abort_smp(oa->us, &otr_ops, &c, ctx);
    g_free(c.hold);
    g_free(c.undecryptable);
    e2e_say(acct, peer, SCHEME, FMT_OTR_SMP_ABORTED, "stopped by you", NULL);
    return true;
}

/* See crypto/otr.h. */
char *
otr_describe(struct account *acct, const char *peer, const char *full)
{
    struct otr_account *oa = otr_account_of(acct);
    ConnContext *ctx = otr_context_for(oa, peer, full);
    enum e2e_policy p = e2e_policy_get(acct, SCHEME, peer);
    enum e2e_state s = otr_state_of(ctx);
    GString *t = g_string_new(NULL);

    g_string_append_printf(t, "OTR with %s: %s", peer,
                           s == E2E_STATE_PLAIN        ? "not private"
                           : s == E2E_STATE_UNVERIFIED ? "private, unverified"
                           : s == E2E_STATE_VERIFIED   ? "private, verified"
                                                       : "ended by the peer");
    if (ctx != NULL && s != E2E_STATE_PLAIN && ctx->their_instance != 0)
        g_string_append_printf(t, " (instance %08x of %s)",
                               ctx->their_instance,
                               otr_instance_full(oa, ctx));
    g_string_append_printf(t, "; policy %s", e2e_policy_name(p));
    return g_string_free(t, FALSE);
}
