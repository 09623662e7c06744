/* SPDX-License-Identifier: MIT */
/* OTR through libotr 4 (crypto/otr.h): each account's libotr state,
 * libotr's callbacks and the scheme; the files and key generation are in
 * otr-keys.c, the commands in otr-cmd.c. */
#include "crypto/otr.h"

#include <glib.h>
#include <string.h>

#include "crypto/otr-internal.h"

#include "core/account.h"
#include "core/e2e.h"
#include "core/event.h"
#include "core/format-id.h"
#include "core/paths.h"
#include "crypto/e2e.h"

/* See crypto/otr-internal.h. */
GHashTable *otr_accounts;
OtrlMessageAppOps otr_ops;

/* --- accounts ----------------------------------------------------------- */

/* Free one account's state (a GHashTable value). */
static void
otr_account_free(void *p)
{
    struct otr_account *oa = p;

    if (oa->gen != NULL) {
        /* The thread only computes: wait for it, then drop its key. */
        g_thread_join(oa->gen->thread);
        otrl_privkey_generate_cancelled(oa->us, oa->gen->newkey);
        g_free(oa->gen);
    }
    if (oa->timer != 0)
        g_source_remove(oa->timer);
    otrl_userstate_free(oa->us);
    g_hash_table_destroy(oa->fulls);
    g_hash_table_destroy(oa->instances);
    g_hash_table_destroy(oa->asked);
    g_hash_table_destroy(oa->current);
    g_free(oa->dir);
    g_free(oa);
}

/* acct's OTR state, read from its files on first use; owned here. */
struct otr_account *
otr_account_of(struct account *acct)
{
    struct otr_account *oa;
    char *dir;

    if (otr_accounts == NULL)
        otr_accounts = g_hash_table_new_full(g_direct_hash, g_direct_equal,
                                             NULL, otr_account_free);
    oa = g_hash_table_lookup(otr_accounts, acct);
    if (oa != NULL)
        return oa;
    oa = g_new0(struct otr_account, 1);
    oa->acct = acct;
    oa->us = otrl_userstate_create();
    dir = paths_account_dir(acct->name);
    oa->dir = g_build_filename(dir, "otr", NULL);
    g_free(dir);
    oa->fulls = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    oa->instances =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    oa->asked = g_hash_table_new(g_direct_hash, g_direct_equal);
    oa->current = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    otr_read_files(oa);
    g_hash_table_insert(otr_accounts, acct, oa);
    return oa;
}

/* The JID to send to peer through: the full JID last heard from. */
const char *
otr_full_of(struct otr_account *oa, const char *peer)
{
    const char *full = g_hash_table_lookup(oa->fulls, peer);

    return full != NULL ? full : peer;
}

/* The key of ctx's instance in oa->instances. Note: result must be
 * freed. */
static char *
instance_key(ConnContext *ctx)
{
    return g_strdup_printf("%s#%08x", ctx->username, ctx->their_instance);
}

/* Remember that ctx's instance (a client of its peer) speaks from full,
 * so that what goes to that instance goes to that client only. */
static void
remember_instance(struct otr_account *oa, ConnContext *ctx, const char *full)
{
    if (ctx == NULL || full == NULL || strchr(full, '/') == NULL)
        return;
    g_hash_table_replace(oa->instances, instance_key(ctx), g_strdup(full));
}

/* The JID that reaches ctx's instance: the full JID it spoke from, else
 * the peer's last full JID (borrowed). */
const char *
otr_instance_full(struct otr_account *oa, ConnContext *ctx)
{
    char *key = instance_key(ctx);
    const char *full = g_hash_table_lookup(oa->instances, key);

    g_free(key);
    return full != NULL ? full : otr_full_of(oa, ctx->username);
}

/* ctx's instance tag as the user reads it. Note: result must be freed. */
static char *
instance_name(ConnContext *ctx)
{
    if (ctx->their_instance < OTRL_MIN_VALID_INSTAG)
        return g_strdup("none, OTR 2");
    return g_strdup_printf("%08x", ctx->their_instance);
}

/* The conversation's state from its libotr context. */
enum e2e_state
otr_state_of(ConnContext *ctx)
{
    if (ctx == NULL)
        return E2E_STATE_PLAIN;
    if (ctx->msgstate == OTRL_MSGSTATE_FINISHED)
        return E2E_STATE_FINISHED;
    if (ctx->msgstate != OTRL_MSGSTATE_ENCRYPTED)
        return E2E_STATE_PLAIN;
    if (ctx->active_fingerprint != NULL &&
        ctx->active_fingerprint->trust != NULL &&
        ctx->active_fingerprint->trust[0] != '\0')
        return E2E_STATE_VERIFIED;
    return E2E_STATE_UNVERIFIED;
}

/* The protection a message sent or read in ctx's state has. */
static enum protection
protection_of(ConnContext *ctx)
{
    switch (otr_state_of(ctx)) {
    case E2E_STATE_VERIFIED:
        return PROTECTION_TRUSTED;
    case E2E_STATE_UNVERIFIED:
        return PROTECTION_ENCRYPTED;
    default:
        return PROTECTION_PLAIN;
    }
}

/* The context of peer now in use: the instance last talked with while
 * it is not plain text, else libotr's best one; or NULL. */
ConnContext *
otr_context_of(struct otr_account *oa, const char *peer)
{
    ConnContext *now = g_hash_table_lookup(oa->current, peer);

    if (now != NULL && now->msgstate != OTRL_MSGSTATE_PLAINTEXT)
        return now;
    return otrl_context_find(oa->us, peer, oa->acct->jid, PROTOCOL,
                             OTRL_INSTAG_BEST, 0, NULL, NULL, NULL);
}

/* ctx's instance is the one talked with now (libotr's own choice is by
 * state and time of the last message, which a heartbeat changes). */
static void
talking_to(struct otr_account *oa, ConnContext *ctx)
{
    if (ctx != NULL && ctx != ctx->m_context &&
        ctx->msgstate != OTRL_MSGSTATE_PLAINTEXT)
        g_hash_table_replace(oa->current, g_strdup(ctx->username), ctx);
}

/* The context of peer to talk to through full: the instance of that
 * client (a full JID) when it has a conversation, else the one in use. */
ConnContext *
otr_context_for(struct otr_account *oa, const char *peer, const char *full)
{
    ConnContext *best = otr_context_of(oa, peer), *found = NULL;

    if (best == NULL || full == NULL || strchr(full, '/') == NULL)
        return best;
    for (ConnContext *c = oa->us->context_root; c != NULL; c = c->next) {
        char *key;
        if (c->m_context != best->m_context || c == c->m_context ||
            c->msgstate == OTRL_MSGSTATE_PLAINTEXT)
            continue;
        key = instance_key(c);
        if (g_strcmp0(g_hash_table_lookup(oa->instances, key), full) == 0 &&
            (found == NULL || c->msgstate == OTRL_MSGSTATE_ENCRYPTED))
            found = c;
        g_free(key);
    }
    return found != NULL ? found : best;
}

/* Publish the state of the conversation with peer. */
void
otr_publish(struct otr_account *oa, const char *peer)
{
    e2e_state_set(oa->acct, peer, SCHEME,
                  otr_state_of(otr_context_of(oa, peer)));
}

/* A line about the conversation with ctx's peer. */
static void
say(struct otr_account *oa, ConnContext *ctx, enum format_id id,
    const char *arg1, const char *arg2)
{
    e2e_say(oa->acct, ctx->username, SCHEME, (int)id, arg1, arg2);
}

/* --- libotr's callbacks ------------------------------------------------- */

/* The policy for ctx's peer. */
OtrlPolicy
otr_cb_policy(void *opdata, ConnContext *ctx)
{
    struct call *c = opdata;

    switch (e2e_policy_get(c->oa->acct, SCHEME, ctx->username)) {
    case E2E_POLICY_ALWAYS:
        return OTRL_POLICY_ALWAYS;
    case E2E_POLICY_OPPORTUNISTIC:
        return OTRL_POLICY_OPPORTUNISTIC;
    default:
        return OTRL_POLICY_MANUAL;
    }
}

/* libotr needs a key we do not have: make one (in the background). */
static void
cb_create_privkey(void *opdata, const char *accountname, const char *protocol)
{
    struct call *c = opdata;

    if (c->oa->gen == NULL)
        otr_start_keygen(c->oa);
}

/* Whether the peer is online, as far as we know: their presence, or a
 * client of theirs we heard from (strangers send no presence). libotr
 * sends its end-of-conversation notice only to someone online. */
static int
cb_is_logged_in(void *opdata, const char *accountname, const char *protocol,
                const char *recipient)
{
    struct call *c = opdata;
    struct contact *ct = contact_find(c->oa->acct, recipient);

    if (!e2e_online(c->oa->acct))
        return 0;
    if ((ct != NULL && contact_best(ct) != NULL) ||
        g_hash_table_contains(c->oa->fulls, recipient))
        return 1;
    return -1;
}

/* Send a protocol message (key exchange, fragments, ends). */
static void
cb_inject(void *opdata, const char *accountname, const char *protocol,
          const char *recipient, const char *message)
{
    struct call *c = opdata;

    e2e_inject(c->oa->acct,
               c->to != NULL ? c->to : otr_full_of(c->oa, recipient), message);
}

/* Contexts changed (e.g. a state): nothing here, states are published
 * after each call. */
static void
cb_update_context_list(void *opdata)
{
}

/* A fingerprint we did not know: say so, in the conversation. */
static void
cb_new_fingerprint(void *opdata, OtrlUserState us, const char *accountname,
                   const char *protocol, const char *username,
                   unsigned char fp[20])
{
    struct call *c = opdata;
    char human[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];

    otrl_privkey_hash_to_human(human, fp);
    e2e_say(c->oa->acct, username, SCHEME, FMT_OTR_NEW_FINGERPRINT, human,
            NULL);
}

/* Fingerprints (or their trust) changed: save them. */
static void
cb_write_fingerprints(void *opdata)
{
    struct call *c = opdata;

    otr_save_fingerprints(c->oa);
}

/* ctx->app_data marks an instance whose private conversation we
 * announced and that has not left the private state since: a new key
 * exchange in it (a refresh, or the peer's new keys) is "refreshed", not
 * "started". libotr calls gone_secure for a refresh whose keys changed
 * and still_secure only when they did not. */
#define ANNOUNCED ((void *)&otr_ops)

/* Forget that ctx's conversation was announced once the peer ended it.
 * Not when it is plain text: libotr puts an instance back to plain text
 * in the middle of a key exchange that refreshes it (the answer to a
 * query, from the DH key on until the signature). */
static void
settle(ConnContext *ctx)
{
    if (ctx != NULL && ctx->msgstate == OTRL_MSGSTATE_FINISHED)
        ctx->app_data = NULL;
}

/* Whether a private conversation with ctx's peer is being refreshed: an
 * instance we announced private is in plain text for the key exchange.
 * Nothing may go in the clear meanwhile. */
bool
otr_refreshing(struct otr_account *oa, ConnContext *ctx)
{
    if (ctx == NULL)
        return false;
    for (ConnContext *c = oa->us->context_root; c != NULL; c = c->next)
        if (c->m_context == ctx->m_context && c->app_data == ANNOUNCED &&
            c->msgstate == OTRL_MSGSTATE_PLAINTEXT)
            return true;
    return false;
}

/* The conversation is private now (again, on a refresh). */
static void
cb_gone_secure(void *opdata, ConnContext *ctx)
{
    struct call *c = opdata;
    bool again = ctx->app_data == ANNOUNCED;
    char *tag;

    remember_instance(c->oa, ctx, c->to);
    ctx->app_data = ANNOUNCED;
    talking_to(c->oa, ctx);
    tag = instance_name(ctx);
    otr_publish(c->oa, ctx->username);
    say(c->oa, ctx,
        again                                     ? FMT_OTR_REFRESHED
        : otr_state_of(ctx) == E2E_STATE_VERIFIED ? FMT_OTR_STARTED_VERIFIED
                                                  : FMT_OTR_STARTED_UNVERIFIED,
        otr_instance_full(c->oa, ctx), tag);
    g_free(tag);
}

/* The conversation left the private state. */
static void
cb_gone_insecure(void *opdata, ConnContext *ctx)
{
    struct call *c = opdata;

    ctx->app_data = NULL;
    g_hash_table_remove(c->oa->asked, ctx);
    otr_publish(c->oa, ctx->username);
}

/* A key exchange ran again with the keys we knew. */
static void
cb_still_secure(void *opdata, ConnContext *ctx, int is_reply)
{
    struct call *c = opdata;
    char *tag;

    remember_instance(c->oa, ctx, c->to);
    ctx->app_data = ANNOUNCED;
    tag = instance_name(ctx);
    otr_publish(c->oa, ctx->username);
    say(c->oa, ctx, FMT_OTR_REFRESHED, otr_instance_full(c->oa, ctx), tag);
    g_free(tag);
}

/* The largest message libotr may send before fragmenting. */
static int
cb_max_message_size(void *opdata, ConnContext *ctx)
{
    return MAX_MESSAGE;
}

/* The account's name as libotr shows it. */
static const char *
cb_account_name(void *opdata, const char *account, const char *protocol)
{
    return account;
}

/* Nothing to free: cb_account_name returns its argument. */
static void
cb_account_name_free(void *opdata, const char *name)
{
}

/* What libotr reports about messages: each is a line, and a few decide
 * what happens to the message of this call. */
static void
cb_msg_event(void *opdata, OtrlMessageEvent ev, ConnContext *ctx,
             const char *message, gcry_error_t err)
{
    struct call *c = opdata;
    const char *peer = ctx != NULL ? ctx->username : NULL;

    switch (ev) {
    case OTRL_MSGEVENT_ENCRYPTION_REQUIRED:
        c->required = true;
        break;
    case OTRL_MSGEVENT_ENCRYPTION_ERROR:
        c->hold = g_strdup("OTR could not encrypt it");
        break;
    case OTRL_MSGEVENT_CONNECTION_ENDED:
        c->hold = g_strdup_printf("%s ended the private conversation "
                                  "(/otr end to go on in plain, /otr start "
                                  "to start again)",
                                  peer != NULL ? peer : "the contact");
        break;
    case OTRL_MSGEVENT_SETUP_ERROR:
        if (peer != NULL)
            e2e_say(c->oa->acct, peer, SCHEME, FMT_OTR_ERROR,
                    "the private conversation could not be set up", NULL);
        break;
    case OTRL_MSGEVENT_MSG_REFLECTED:
        if (peer != NULL)
            e2e_say(c->oa->acct, peer, SCHEME, FMT_OTR_ERROR,
                    "received our own OTR message back", NULL);
        break;
    case OTRL_MSGEVENT_RCVDMSG_NOT_IN_PRIVATE:
        c->undecryptable = g_strdup("an OTR message that is not part of a "
                                    "private conversation we know: /otr "
                                    "start to begin one");
        break;
    case OTRL_MSGEVENT_RCVDMSG_UNREADABLE:
        c->undecryptable = g_strdup("an OTR message that cannot be read");
        break;
    case OTRL_MSGEVENT_RCVDMSG_MALFORMED:
        c->undecryptable = g_strdup("a malformed OTR message");
        break;
    case OTRL_MSGEVENT_RCVDMSG_GENERAL_ERR:
        if (peer != NULL)
            e2e_say(c->oa->acct, peer, SCHEME, FMT_OTR_PEER_ERROR,
                    message != NULL ? message : "", NULL);
        break;
    case OTRL_MSGEVENT_RCVDMSG_UNENCRYPTED:
        /* libotr swallows the message itself: it is shown all the same,
         * as plain text, after the warning. */
        if (peer != NULL)
            e2e_say(c->oa->acct, peer, SCHEME,
                    ctx->msgstate == OTRL_MSGSTATE_PLAINTEXT
                        ? FMT_OTR_UNENCRYPTED_POLICY
                        : FMT_OTR_UNENCRYPTED,
                    NULL, NULL);
        if (message != NULL && c->plain == NULL)
            c->plain = g_strdup(message);
        break;
    case OTRL_MSGEVENT_RCVDMSG_UNRECOGNIZED:
        c->undecryptable = g_strdup("an OTR message of an unknown kind");
        break;
    case OTRL_MSGEVENT_RCVDMSG_FOR_OTHER_INSTANCE:
        if (peer != NULL)
            e2e_say(c->oa->acct, peer, SCHEME, FMT_OTR_OTHER_INSTANCE, NULL,
                    NULL);
        break;
    default:
        break;
    }
}

/* Socialist Millionaires' Protocol progress. */
static void
cb_smp_event(void *opdata, OtrlSMPEvent ev, ConnContext *ctx,
             unsigned short percent, char *question)
{
    struct call *c = opdata;

    /* Whether the peer waits for our answer: then /otr secret answers. */
    if (ev == OTRL_SMPEVENT_ASK_FOR_ANSWER ||
        ev == OTRL_SMPEVENT_ASK_FOR_SECRET)
        g_hash_table_add(c->oa->asked, ctx);
    else if (ev != OTRL_SMPEVENT_IN_PROGRESS)
        g_hash_table_remove(c->oa->asked, ctx);
    switch (ev) {
    case OTRL_SMPEVENT_ASK_FOR_ANSWER:
        say(c->oa, ctx, FMT_OTR_SMP_QUESTION, question, NULL);
        break;
    case OTRL_SMPEVENT_ASK_FOR_SECRET:
        say(c->oa, ctx, FMT_OTR_SMP_SECRET, NULL, NULL);
        break;
    case OTRL_SMPEVENT_SUCCESS:
        /* libotr trusts the fingerprint itself when the protocol ran to
         * the end on our side; make sure, and keep it. */
        if (ctx->active_fingerprint != NULL &&
            (ctx->active_fingerprint->trust == NULL ||
             ctx->active_fingerprint->trust[0] == '\0'))
            otrl_context_set_trust(ctx->active_fingerprint, "smp");
        otr_save_fingerprints(c->oa);
        otr_publish(c->oa, ctx->username);
        say(c->oa, ctx, FMT_OTR_SMP_SUCCESS, NULL, NULL);
        break;
    case OTRL_SMPEVENT_FAILURE:
        say(c->oa, ctx, FMT_OTR_SMP_FAILURE, NULL, NULL);
        break;
    case OTRL_SMPEVENT_ABORT:
        say(c->oa, ctx, FMT_OTR_SMP_ABORTED, "the other side stopped it",
            NULL);
        break;
    case OTRL_SMPEVENT_CHEATED:
    case OTRL_SMPEVENT_ERROR:
        otrl_message_abort_smp(c->oa->us, &otr_ops, c, ctx);
        say(c->oa, ctx, FMT_OTR_SMP_ABORTED, "a protocol error", NULL);
        break;
    default:
        break;
    }
}

/* libotr has no instance tag for the account: make one. */
static void
cb_create_instag(void *opdata, const char *accountname, const char *protocol)
{
    struct call *c = opdata;

    otr_new_instag(c->oa);
}

/* Timer: libotr's periodic clean-up of old keys (forward secrecy). */
static gboolean
poll_cb(gpointer data)
{
    struct otr_account *oa = data;
    struct call c = {oa, NULL, NULL, false, NULL, NULL};

    otrl_message_poll(oa->us, &otr_ops, &c);
    g_free(c.undecryptable);
    g_free(c.hold);
    return G_SOURCE_CONTINUE;
}

/* libotr wants its clean-up every interval seconds (0: no more). It
 * asks only while some conversation needs it, so an idle natter
 * without OTR sessions never wakes for it. */
static void
cb_timer_control(void *opdata, unsigned int interval)
{
    struct call *c = opdata;

    if (c->oa->timer != 0)
        g_source_remove(c->oa->timer);
    c->oa->timer =
        interval > 0 ? g_timeout_add_seconds(interval, poll_cb, c->oa) : 0;
}

/* --- the scheme --------------------------------------------------------- */

/* Forget what libotr kept to send again by itself after a key exchange:
 * the pipeline holds that message and sends it once the conversation
 * is private, so it would go twice. */
static void
drop_retransmit(ConnContext *ctx)
{
    if (ctx == NULL || ctx->context_priv == NULL)
        return;
    ctx->context_priv->may_retransmit = 0;
    if (ctx->context_priv->lastmessage != NULL) {
        gcry_free(ctx->context_priv->lastmessage);
        ctx->context_priv->lastmessage = NULL;
    }
}

/* Outgoing: encrypt body to peer when a private conversation runs or the
 * policy asks for one. */
static void
otr_encrypt(struct account *acct, const char *peer, const char *full,
            const char *body, struct e2e_out *out)
{
    struct otr_account *oa = otr_account_of(acct);
    ConnContext *ctx = otr_context_for(oa, peer, full);
    enum e2e_policy policy = e2e_policy_get(acct, SCHEME, peer);
    struct call c = {oa, NULL, NULL, false, NULL, NULL};
    otrl_instag_t instance = OTRL_INSTAG_BEST;
    char *wire = NULL;
    gcry_error_t err;
    /* The same table for every scheme (core/e2e.h); libotr then does
     * the offer, the encryption or the query for what it says. */
    enum e2e_send todo = e2e_send_decide(policy, otr_state_of(ctx));

    if (todo == E2E_SEND_HOLD_ENDED) {
        out->kind = E2E_OUT_HOLD;
        out->reason = g_strdup_printf("%s ended the private conversation "
                                      "(/otr end to go on in plain, /otr "
                                      "start to start again)",
                                      peer);
        return;
    }
    if (otr_refreshing(oa, ctx)) {
        out->kind = E2E_OUT_HOLD;
        out->reason = g_strdup_printf("the private conversation with %s is "
                                      "being refreshed",
                                      peer);
        return;
    }
    /* Most conversations never use OTR: leave them to the next scheme
     * without waking libotr. */
    if (todo == E2E_SEND_PLAIN)
        return;
    if (full != NULL && strchr(full, '/') != NULL)
        g_hash_table_replace(oa->fulls, g_strdup(peer), g_strdup(full));
    /* Talk to one instance (one client of the peer), and only to the
     * client that has it: the fragments libotr sends itself go there
     * too, as must the message (out->to). */
    if (ctx != NULL && ctx != ctx->m_context &&
        ctx->msgstate != OTRL_MSGSTATE_PLAINTEXT) {
        instance = ctx->their_instance;
        c.to = otr_instance_full(oa, ctx);
    }
    err = otrl_message_sending(
        oa->us, &otr_ops, &c, acct->jid, PROTOCOL, peer, instance, body, NULL,
        &wire, OTRL_FRAGMENT_SEND_ALL_BUT_LAST, &ctx, NULL, NULL);
    if (c.required) {
        /* libotr made a query to start a conversation in place of the
         * text: send that, and keep the text until it is private. */
        drop_retransmit(ctx);
        if (wire != NULL)
            e2e_inject(acct, otr_full_of(oa, peer), wire);
        out->kind = E2E_OUT_HOLD;
        out->reason = g_strdup_printf("waiting for the private conversation "
                                      "with %s to start (OTR policy always)",
                                      peer);
    } else if (err != 0 || c.hold != NULL) {
        out->kind = E2E_OUT_HOLD;
        out->reason = c.hold != NULL ? g_strdup(c.hold)
                                     : g_strdup_printf("OTR could not "
                                                       "encrypt it: %s",
                                                       gcry_strerror(err));
    } else if (wire != NULL) {
        talking_to(oa, ctx);
        out->kind = E2E_OUT_WIRE;
        out->wire = g_strdup(wire);
        out->protection = protection_of(ctx);
        out->private = out->protection != PROTECTION_PLAIN;
        if (out->private && ctx != NULL &&
            strchr(otr_instance_full(oa, ctx), '/') != NULL)
            out->to = g_strdup(otr_instance_full(oa, ctx));
    }
    otrl_message_free(wire);
    g_free(c.hold);
    g_free(c.undecryptable);
    otr_publish(oa, peer);
}

/* Whether body may be for OTR: a tagged or OTR-encoded message. */
static bool
looks_otr(const char *body)
{
    return strstr(body, "?OTR") != NULL ||
           strstr(body, OTRL_MESSAGE_TAG_BASE) != NULL;
}

/* body without OTR's whitespace tag (the base, then the version tags
 * that follow it). Note: result must be freed. */
static char *
strip_tag(const char *body)
{
    static const char *const versions[] = {
        OTRL_MESSAGE_TAG_V1, OTRL_MESSAGE_TAG_V2, OTRL_MESSAGE_TAG_V3};
    const char *tag = strstr(body, OTRL_MESSAGE_TAG_BASE);
    const char *rest;
    bool more = true;

    if (tag == NULL)
        return g_strdup(body);
    rest = tag + strlen(OTRL_MESSAGE_TAG_BASE);
    while (more) {
        more = false;
        for (size_t i = 0; i < G_N_ELEMENTS(versions); i++)
            if (strncmp(rest, versions[i], strlen(versions[i])) == 0) {
                rest += strlen(versions[i]);
                more = true;
            }
    }
    return g_strdup_printf("%.*s%s", (int)(tag - body), body, rest);
}

/* Incoming: decrypt what OTR sent, answer its protocol messages. */
static void
otr_decrypt(struct account *acct, const char *peer, const char *full,
            const char *body, enum e2e_origin origin, struct e2e_in *in)
{
    struct otr_account *oa;
    ConnContext *ctx;
    struct call c;
    char *text = NULL;
    OtrlTLV *tlvs = NULL;
    enum e2e_state was;
    int internal;

    if (origin != E2E_FROM_LIVE) {
        /* Copies and archive pages were encrypted for a session that is
         * not ours (or long gone): never feed them to libotr. */
        OtrlMessageType type = otrl_proto_message_type(body);
        if (type == OTRL_MSGTYPE_QUERY) {
            /* An old request: answering it would start a key exchange
             * with whoever asked, maybe long gone. The user decides. */
            if (origin == E2E_FROM_OFFLINE)
                e2e_say(acct, peer, SCHEME, FMT_OTR_QUERY_AWAY, NULL, NULL);
            in->kind = E2E_IN_INTERNAL;
        } else if (type == OTRL_MSGTYPE_TAGGEDPLAINTEXT) {
            in->kind = E2E_IN_TEXT;
            in->text = strip_tag(body);
            in->protection = PROTECTION_PLAIN;
        } else if (strstr(body, "?OTR:") != NULL) {
            in->kind = E2E_IN_UNDECRYPTABLE;
            in->reason = g_strdup(
                origin == E2E_FROM_ARCHIVE ? "an OTR message from the "
                                             "archive: its keys are gone"
                : origin == E2E_FROM_OFFLINE
                    ? "an OTR message kept by the server while we were "
                      "away: not decryptable"
                    : "an OTR message of another of our clients");
        }
        return;
    }
    oa = otr_account_of(acct);
    ctx = otr_context_of(oa, peer);
    if (!looks_otr(body) &&
        (ctx == NULL || ctx->msgstate == OTRL_MSGSTATE_PLAINTEXT)) {
        if (e2e_policy_get(acct, SCHEME, peer) == E2E_POLICY_ALWAYS)
            e2e_say(acct, peer, SCHEME, FMT_OTR_UNENCRYPTED_POLICY, NULL,
                    NULL);
        return;
    }
    if (full != NULL && strchr(full, '/') != NULL)
        g_hash_table_replace(oa->fulls, g_strdup(peer), g_strdup(full));
    /* Answers (key exchange, heartbeats) go back to the client that
     * wrote, never to every client of the peer. */
    c = (struct call){oa,
                      NULL,
                      NULL,
                      false,
                      full != NULL && strchr(full, '/') != NULL ? full : NULL,
                      NULL};
    was = otr_state_of(ctx);
    internal =
        otrl_message_receiving(oa->us, &otr_ops, &c, acct->jid, PROTOCOL, peer,
                               body, &text, &tlvs, &ctx, NULL, NULL);
    if (ctx != NULL && ctx->msgstate != OTRL_MSGSTATE_PLAINTEXT)
        remember_instance(oa, ctx, full);
    settle(ctx);
    if (text != NULL && !internal)
        talking_to(oa, ctx);
    /* The peer's end arrives as a protocol message (a TLV). */
    if (was != E2E_STATE_FINISHED &&
        otr_state_of(otr_context_of(oa, peer)) == E2E_STATE_FINISHED) {
        otr_publish(oa, peer);
        e2e_say(acct, peer, SCHEME, FMT_OTR_PEER_ENDED, NULL, NULL);
    }
    if (c.undecryptable != NULL) {
        in->kind = E2E_IN_UNDECRYPTABLE;
        in->reason = g_strdup(c.undecryptable);
    } else if (c.plain != NULL) {
        in->kind = E2E_IN_TEXT;
        in->text = g_strdup(c.plain);
        in->protection = PROTECTION_PLAIN;
    } else if (internal) {
        in->kind = E2E_IN_INTERNAL;
    } else if (text != NULL) {
        in->kind = E2E_IN_TEXT;
        in->text = g_strdup(text);
        in->protection = protection_of(ctx);
    }
    otrl_tlv_free(tlvs);
    otrl_message_free(text);
    g_free(c.plain);
    g_free(c.undecryptable);
    g_free(c.hold);
    otr_publish(oa, peer);
}

/* Free every account's libotr state. */
static void
otr_deinit(void)
{
    if (otr_accounts != NULL)
        g_hash_table_destroy(otr_accounts);
    otr_accounts = NULL;
}

static const struct e2e_scheme scheme = {
    .name = SCHEME,
    .eme_namespace = "urn:xmpp:otr:0",
    .encrypt = otr_encrypt,
    .decrypt = otr_decrypt,
    .deinit = otr_deinit,
};

/* See crypto/otr.h. */
void
otr_init(void)
{
    OTRL_INIT;
    otr_ops.policy = otr_cb_policy;
    otr_ops.create_privkey = cb_create_privkey;
    otr_ops.is_logged_in = cb_is_logged_in;
    otr_ops.inject_message = cb_inject;
    otr_ops.update_context_list = cb_update_context_list;
    otr_ops.new_fingerprint = cb_new_fingerprint;
    otr_ops.write_fingerprints = cb_write_fingerprints;
    otr_ops.gone_secure = cb_gone_secure;
    otr_ops.gone_insecure = cb_gone_insecure;
    otr_ops.still_secure = cb_still_secure;
    otr_ops.max_message_size = cb_max_message_size;
    otr_ops.account_name = cb_account_name;
    otr_ops.account_name_free = cb_account_name_free;
    otr_ops.handle_msg_event = cb_msg_event;
    otr_ops.handle_smp_event = cb_smp_event;
    otr_ops.create_instag = cb_create_instag;
    otr_ops.timer_control = cb_timer_control;
    e2e_register(&scheme);
}
