/* SPDX-License-Identifier: MIT */
/* OTR through libotr 4 (crypto/otr.h). */
#include "crypto/otr.h"

#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#include "core/account.h"
#include "core/e2e.h"
#include "core/event.h"
#include "core/format-id.h"
#include "core/paths.h"
#include "crypto/e2e.h"

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

static GHashTable *accounts; /* struct account * -> struct otr_account */
static OtrlMessageAppOps ops;

/* --- files -------------------------------------------------------------- */

/* A file in acct's OTR directory. Note: result must be freed. */
static char *
file_of(struct otr_account *oa, const char *name)
{
    return g_build_filename(oa->dir, name, NULL);
}

/* Write path through writer into a new file then rename it over; the
 * file is 0600. False with *cause set on failure. */
static bool
write_atomic(const char *path, gcry_error_t (*writer)(FILE *, void *),
             void *data, char **cause)
{
    char *tmp = g_strdup_printf("%s.XXXXXX", path);
    int fd = g_mkstemp_full(tmp, O_RDWR, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;
    gcry_error_t err = 0;
    bool ok = f != NULL;

    if (ok)
        err = writer(f, data);
    ok = ok && err == 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (f != NULL)
        ok = fclose(f) == 0 && ok;
    else if (fd >= 0)
        close(fd);
    ok = ok && g_rename(tmp, path) == 0;
    if (!ok) {
        if (cause != NULL)
            *cause = g_strdup_printf("Cannot write %s: %s", path,
                                     err != 0 ? gcry_strerror(err)
                                              : g_strerror(errno));
        g_unlink(tmp);
    }
    g_free(tmp);
    return ok;
}

/* Writer: every fingerprint of the user state. */
static gcry_error_t
write_fingerprints(FILE *f, void *us)
{
    return otrl_privkey_write_fingerprints_FILEp(us, f);
}

/* Save oa's fingerprints (with their trust). */
static void
save_fingerprints(struct otr_account *oa)
{
    char *path = file_of(oa, "fingerprints"), *why = NULL;

    if (!write_atomic(path, write_fingerprints, oa->us, &why)) {
        notice_fmt(oa->acct, NOTICE_ERROR, FMT_OTR_ERROR, oa->acct->jid, why,
                   NULL);
        g_free(why);
    }
    g_free(path);
}

/* Writer: the instance tags, with a new one for the account. */
static gcry_error_t
write_new_instag(FILE *f, void *data)
{
    struct otr_account *oa = data;

    return otrl_instag_generate_FILEp(oa->us, f, oa->acct->jid, PROTOCOL);
}

/* Read a file into the user state with reader, if the file is there. */
static void
read_file(struct otr_account *oa, const char *name,
          gcry_error_t (*reader)(OtrlUserState, FILE *))
{
    char *path = file_of(oa, name);
    FILE *f = fopen(path, "r");

    if (f != NULL) {
        gcry_error_t err = reader(oa->us, f);
        fclose(f);
        if (err != 0)
            notice_fmt(oa->acct, NOTICE_ERROR, FMT_OTR_FILE_BAD, path,
                       gcry_strerror(err), NULL);
    }
    g_free(path);
}

/* Reader of fingerprints (libotr's takes two more arguments). */
static gcry_error_t
read_fingerprints(OtrlUserState us, FILE *f)
{
    return otrl_privkey_read_fingerprints_FILEp(us, f, NULL, NULL);
}

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
static struct otr_account *
account_of(struct account *acct)
{
    struct otr_account *oa;
    char *dir;

    if (accounts == NULL)
        accounts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                         otr_account_free);
    oa = g_hash_table_lookup(accounts, acct);
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
    read_file(oa, "private.key", otrl_privkey_read_FILEp);
    read_file(oa, "fingerprints", read_fingerprints);
    read_file(oa, "instance_tags", otrl_instag_read_FILEp);
    g_hash_table_insert(accounts, acct, oa);
    return oa;
}

/* The JID to send to peer through: the full JID last heard from. */
static const char *
full_of(struct otr_account *oa, const char *peer)
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
static const char *
instance_full(struct otr_account *oa, ConnContext *ctx)
{
    char *key = instance_key(ctx);
    const char *full = g_hash_table_lookup(oa->instances, key);

    g_free(key);
    return full != NULL ? full : full_of(oa, ctx->username);
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
static enum e2e_state
state_of(ConnContext *ctx)
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
    switch (state_of(ctx)) {
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
static ConnContext *
context_of(struct otr_account *oa, const char *peer)
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
static ConnContext *
context_for(struct otr_account *oa, const char *peer, const char *full)
{
    ConnContext *best = context_of(oa, peer), *found = NULL;

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
static void
publish(struct otr_account *oa, const char *peer)
{
    e2e_state_set(oa->acct, peer, SCHEME, state_of(context_of(oa, peer)));
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
static OtrlPolicy
cb_policy(void *opdata, ConnContext *ctx)
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

static void start_keygen(struct otr_account *oa);

/* libotr needs a key we do not have: make one (in the background). */
static void
cb_create_privkey(void *opdata, const char *accountname, const char *protocol)
{
    struct call *c = opdata;

    if (c->oa->gen == NULL)
        start_keygen(c->oa);
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

    e2e_inject(c->oa->acct, c->to != NULL ? c->to : full_of(c->oa, recipient),
               message);
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

    save_fingerprints(c->oa);
}

/* ctx->app_data marks an instance whose private conversation we
 * announced and that has not left the private state since: a new key
 * exchange in it (a refresh, or the peer's new keys) is "refreshed", not
 * "started". libotr calls gone_secure for a refresh whose keys changed
 * and still_secure only when they did not. */
#define ANNOUNCED ((void *)&ops)

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
static bool
refreshing(struct otr_account *oa, ConnContext *ctx)
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
    publish(c->oa, ctx->username);
    say(c->oa, ctx,
        again                                 ? FMT_OTR_REFRESHED
        : state_of(ctx) == E2E_STATE_VERIFIED ? FMT_OTR_STARTED_VERIFIED
                                              : FMT_OTR_STARTED_UNVERIFIED,
        instance_full(c->oa, ctx), tag);
    g_free(tag);
}

/* The conversation left the private state. */
static void
cb_gone_insecure(void *opdata, ConnContext *ctx)
{
    struct call *c = opdata;

    ctx->app_data = NULL;
    g_hash_table_remove(c->oa->asked, ctx);
    publish(c->oa, ctx->username);
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
    publish(c->oa, ctx->username);
    say(c->oa, ctx, FMT_OTR_REFRESHED, instance_full(c->oa, ctx), tag);
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
        save_fingerprints(c->oa);
        publish(c->oa, ctx->username);
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
        otrl_message_abort_smp(c->oa->us, &ops, c, ctx);
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
    char *path = file_of(c->oa, "instance_tags"), *why = NULL;

    g_mkdir_with_parents(c->oa->dir, 0700);
    if (!write_atomic(path, write_new_instag, c->oa, &why)) {
        notice_fmt(c->oa->acct, NOTICE_ERROR, FMT_OTR_ERROR, c->oa->acct->jid,
                   why, NULL);
        g_free(why);
    }
    g_free(path);
}

/* Timer: libotr's periodic clean-up of old keys (forward secrecy). */
static gboolean
poll_cb(gpointer data)
{
    struct otr_account *oa = data;
    struct call c = {oa, NULL, NULL, false, NULL, NULL};

    otrl_message_poll(oa->us, &ops, &c);
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

/* --- key generation ----------------------------------------------------- */

/* Writer: the user state's keys and the new one. */
static gcry_error_t
write_new_key(FILE *f, void *data)
{
    struct keygen *g = data;

    return otrl_privkey_generate_finish_FILEp(g->oa->us, g->newkey, f);
}

/* Main loop: the thread is done; store the key. */
static gboolean
keygen_done(gpointer data)
{
    struct keygen *g = data;
    struct otr_account *oa = g->oa;
    char *path = file_of(oa, "private.key"), *why = NULL;
    char fp[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];

    g_thread_join(g->thread);
    oa->gen = NULL;
    if (g->err != 0) {
        otrl_privkey_generate_cancelled(oa->us, g->newkey);
        notice_fmt(oa->acct, NOTICE_ERROR, FMT_OTR_KEY_FAILED, oa->acct->jid,
                   gcry_strerror(g->err), NULL);
    } else if (!write_atomic(path, write_new_key, g, &why)) {
        notice_fmt(oa->acct, NOTICE_ERROR, FMT_OTR_KEY_FAILED, oa->acct->jid,
                   why, NULL);
        g_free(why);
    } else {
        otrl_privkey_fingerprint(oa->us, fp, oa->acct->jid, PROTOCOL);
        notice_fmt(oa->acct, NOTICE_INFO, FMT_OTR_KEY_DONE, oa->acct->jid, fp,
                   NULL);
    }
    g_free(path);
    g_free(g);
    return G_SOURCE_REMOVE;
}

/* Thread: the expensive part of making a key. */
static gpointer
keygen_thread(gpointer data)
{
    struct keygen *g = data;

    g->err = otrl_privkey_generate_calculate(g->newkey);
    g_idle_add(keygen_done, g);
    return NULL;
}

/* Begin making oa's key in a thread. */
static void
start_keygen(struct otr_account *oa)
{
    struct keygen *g = g_new0(struct keygen, 1);
    gcry_error_t err;

    g_mkdir_with_parents(oa->dir, 0700);
    g_chmod(oa->dir, 0700);
    g->oa = oa;
    err = otrl_privkey_generate_start(oa->us, oa->acct->jid, PROTOCOL,
                                      &g->newkey);
    if (err != 0 || g->newkey == NULL) {
        notice_fmt(oa->acct, NOTICE_ERROR, FMT_OTR_KEY_FAILED, oa->acct->jid,
                   err != 0 ? gcry_strerror(err) : "already being made", NULL);
        g_free(g);
        return;
    }
    oa->gen = g;
    notice_fmt(oa->acct, NOTICE_INFO, FMT_OTR_KEY_GENERATING, oa->acct->jid,
               NULL);
    g->thread = g_thread_new("otr-keygen", keygen_thread, g);
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
    struct otr_account *oa = account_of(acct);
    ConnContext *ctx = context_for(oa, peer, full);
    enum e2e_policy policy = e2e_policy_get(acct, SCHEME, peer);
    struct call c = {oa, NULL, NULL, false, NULL, NULL};
    otrl_instag_t instance = OTRL_INSTAG_BEST;
    char *wire = NULL;
    gcry_error_t err;
    /* The same table for every scheme (core/e2e.h); libotr then does
     * the offer, the encryption or the query for what it says. */
    enum e2e_send todo = e2e_send_decide(policy, state_of(ctx));

    if (todo == E2E_SEND_HOLD_ENDED) {
        out->kind = E2E_OUT_HOLD;
        out->reason = g_strdup_printf("%s ended the private conversation "
                                      "(/otr end to go on in plain, /otr "
                                      "start to start again)",
                                      peer);
        return;
    }
    if (refreshing(oa, ctx)) {
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
        c.to = instance_full(oa, ctx);
    }
    err = otrl_message_sending(
        oa->us, &ops, &c, acct->jid, PROTOCOL, peer, instance, body, NULL,
        &wire, OTRL_FRAGMENT_SEND_ALL_BUT_LAST, &ctx, NULL, NULL);
    if (c.required) {
        /* libotr made a query to start a conversation in place of the
         * text: send that, and keep the text until it is private. */
        drop_retransmit(ctx);
        if (wire != NULL)
            e2e_inject(acct, full_of(oa, peer), wire);
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
            strchr(instance_full(oa, ctx), '/') != NULL)
            out->to = g_strdup(instance_full(oa, ctx));
    }
    otrl_message_free(wire);
    g_free(c.hold);
    g_free(c.undecryptable);
    publish(oa, peer);
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
    oa = account_of(acct);
    ctx = context_of(oa, peer);
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
    was = state_of(ctx);
    internal =
        otrl_message_receiving(oa->us, &ops, &c, acct->jid, PROTOCOL, peer,
                               body, &text, &tlvs, &ctx, NULL, NULL);
    if (ctx != NULL && ctx->msgstate != OTRL_MSGSTATE_PLAINTEXT)
        remember_instance(oa, ctx, full);
    settle(ctx);
    if (text != NULL && !internal)
        talking_to(oa, ctx);
    /* The peer's end arrives as a protocol message (a TLV). */
    if (was != E2E_STATE_FINISHED &&
        state_of(context_of(oa, peer)) == E2E_STATE_FINISHED) {
        publish(oa, peer);
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
    publish(oa, peer);
}

/* Free every account's libotr state. */
static void
otr_deinit(void)
{
    if (accounts != NULL)
        g_hash_table_destroy(accounts);
    accounts = NULL;
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
    ops.policy = cb_policy;
    ops.create_privkey = cb_create_privkey;
    ops.is_logged_in = cb_is_logged_in;
    ops.inject_message = cb_inject;
    ops.update_context_list = cb_update_context_list;
    ops.new_fingerprint = cb_new_fingerprint;
    ops.write_fingerprints = cb_write_fingerprints;
    ops.gone_secure = cb_gone_secure;
    ops.gone_insecure = cb_gone_insecure;
    ops.still_secure = cb_still_secure;
    ops.max_message_size = cb_max_message_size;
    ops.account_name = cb_account_name;
    ops.account_name_free = cb_account_name_free;
    ops.handle_msg_event = cb_msg_event;
    ops.handle_smp_event = cb_smp_event;
    ops.create_instag = cb_create_instag;
    ops.timer_control = cb_timer_control;
    e2e_register(&scheme);
}

/* --- commands ----------------------------------------------------------- */

/* See crypto/otr.h. */
bool
otr_generating(struct account *acct)
{
    return accounts != NULL && g_hash_table_lookup(accounts, acct) != NULL &&
           account_of(acct)->gen != NULL;
}

/* See crypto/otr.h. */
bool
otr_generate(struct account *acct, char **cause)
{
    struct otr_account *oa = account_of(acct);

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
    start_keygen(oa);
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
    struct otr_account *oa = account_of(acct);
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
    policy = cb_policy(&c, ctx);
    query = otrl_proto_default_query_msg(acct->jid, policy);
    if (query == NULL) {
        *cause = g_strdup("OTR could not make its query message");
        return false;
    }
    /* A refresh goes to the client of the conversation running. */
    if ((full == NULL || strchr(full, '/') == NULL) && ctx != ctx->m_context &&
        ctx->msgstate == OTRL_MSGSTATE_ENCRYPTED)
        full = instance_full(oa, ctx);
    else
        full = full_of(oa, peer);
    e2e_inject(acct, full, query);
    free(query);
    e2e_say(acct, peer, SCHEME, FMT_OTR_QUERY_SENT, NULL, NULL);
    return true;
}

/* See crypto/otr.h. */
bool
otr_end(struct account *acct, const char *peer, char **cause)
{
    struct otr_account *oa = account_of(acct);
    struct call c = {oa, NULL, NULL, false, NULL, NULL};
    ConnContext *ctx = context_of(oa, peer);

    if (ctx == NULL ||
        (ctx->msgstate == OTRL_MSGSTATE_PLAINTEXT && !refreshing(oa, ctx))) {
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
        c.to = instance_full(oa, i);
        otrl_message_disconnect(oa->us, &ops, &c, acct->jid, PROTOCOL, peer,
                                i == i->m_context ? OTRL_INSTAG_MASTER
                                                  : i->their_instance);
        g_free(c.hold);
        g_free(c.undecryptable);
        c.hold = c.undecryptable = NULL;
    }
    publish(oa, peer);
    e2e_say(acct, peer, SCHEME, FMT_OTR_ENDED, NULL, NULL);
    return true;
}

/* See crypto/otr.h. */
char *
otr_my_fingerprint(struct account *acct, char **cause)
{
    struct otr_account *oa = account_of(acct);
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
    ConnContext *ctx = context_of(oa, peer);

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
    struct otr_account *oa = account_of(acct);
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
    struct otr_account *oa = account_of(acct);
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
        ConnContext *now = context_of(oa, peer);
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
    save_fingerprints(oa);
    publish(oa, peer);
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
    struct otr_account *oa = account_of(acct);
    ConnContext *ctx = private_context(oa, peer, cause);
    struct call c = {oa, NULL, NULL, false, NULL, NULL};

    if (ctx == NULL)
        return false;
    c.to = instance_full(oa, ctx);
    if (question == NULL && smp_asked(oa, ctx)) {
        g_hash_table_remove(oa->asked, ctx);
        /* The peer asked first with a shared secret: ours answers it
         * (starting another would break both). */
        otrl_message_respond_smp(oa->us, &ops, &c, ctx,
                                 (const unsigned char *)secret,
                                 strlen(secret));
        g_free(c.hold);
        g_free(c.undecryptable);
        return true;
    }
    g_hash_table_remove(oa->asked, ctx);
    if (question != NULL)
        otrl_message_initiate_smp_q(oa->us, &ops, &c, ctx, question,
                                    (const unsigned char *)secret,
                                    strlen(secret));
    else
        otrl_message_initiate_smp(oa->us, &ops, &c, ctx,
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
    struct otr_account *oa = account_of(acct);
    ConnContext *ctx = private_context(oa, peer, cause);
    struct call c = {oa, NULL, NULL, false, NULL, NULL};

    if (ctx == NULL)
        return false;
    if (!smp_asked(oa, ctx)) {
        *cause = g_strdup_printf("%s has not asked to verify you", peer);
        return false;
    }
    c.to = instance_full(oa, ctx);
    g_hash_table_remove(oa->asked, ctx);
    otrl_message_respond_smp(oa->us, &ops, &c, ctx,
                             (const unsigned char *)answer, strlen(answer));
    g_free(c.hold);
    g_free(c.undecryptable);
    return true;
}

/* See crypto/otr.h. */
bool
otr_smp_abort(struct account *acct, const char *peer, char **cause)
{
    struct otr_account *oa = account_of(acct);
    ConnContext *ctx = private_context(oa, peer, cause);
    struct call c = {oa, NULL, NULL, false, NULL, NULL};

    if (ctx == NULL)
        return false;
    c.to = instance_full(oa, ctx);
    g_hash_table_remove(oa->asked, ctx);
    otrl_message_abort_smp(oa->us, &ops, &c, ctx);
    g_free(c.hold);
    g_free(c.undecryptable);
    e2e_say(acct, peer, SCHEME, FMT_OTR_SMP_ABORTED, "stopped by you", NULL);
    return true;
}

/* See crypto/otr.h. */
char *
otr_describe(struct account *acct, const char *peer, const char *full)
{
    struct otr_account *oa = account_of(acct);
    ConnContext *ctx = context_for(oa, peer, full);
    enum e2e_policy p = e2e_policy_get(acct, SCHEME, peer);
    enum e2e_state s = state_of(ctx);
    GString *t = g_string_new(NULL);

    g_string_append_printf(t, "OTR with %s: %s", peer,
                           s == E2E_STATE_PLAIN        ? "not private"
                           : s == E2E_STATE_UNVERIFIED ? "private, unverified"
                           : s == E2E_STATE_VERIFIED   ? "private, verified"
                                                       : "ended by the peer");
    if (ctx != NULL && s != E2E_STATE_PLAIN && ctx->their_instance != 0)
        g_string_append_printf(t, " (instance %08x of %s)",
                               ctx->their_instance, instance_full(oa, ctx));
    g_string_append_printf(t, "; policy %s", e2e_policy_name(p));
    return g_string_free(t, FALSE);
}
