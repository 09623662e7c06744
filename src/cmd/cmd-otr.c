/* SPDX-License-Identifier: MIT */
/* /otr: Off-the-Record conversations (crypto/otr.h). */
#include <string.h>

#include "cmd/cmd.h"
#include "core/account.h"
#include "core/e2e.h"
#include "core/event.h"
#include "core/settings.h"
#include "core/window.h"
#include "crypto/otr.h"
#include "xmpp/jid.h"
#include "xmpp/message.h"

static const char *const subcommands[] = {
    "start",  "end",     "refresh",  "gen",    "myfp",   "theirfp",
    "trust",  "untrust", "question", "secret", "answer", "abort",
    "policy", "log",     "status",   "drop",   NULL};
static const char *const log_modes[] = {"on", "off", "redact", NULL};
static const char *const policies[] = {"manual", "opportunistic", "always",
                                       NULL};

/* The conversation a subcommand is about: JID given (argv[i] when there)
 * or the chat window's. *full is the JID to send to (the window's locked
 * resource), or NULL. Note: result must be freed; NULL with *cause. */
static char *
peer_of(struct cmd_args *a, int i, char **full, char **cause)
{
    struct window *w = a->win;

    *full = NULL;
    if (i < a->argc) {
        char *bare = jid_bare(a->argv[i], cause);
        if (bare != NULL && strchr(a->argv[i], '/') != NULL)
            *full = g_strdup(a->argv[i]);
        return bare;
    }
    if (w->type != WINDOW_CHAT || w->jid == NULL) {
        *cause = g_strdup("Name the contact (JID), or run this in a chat "
                          "window");
        return NULL;
    }
    if (w->locked != NULL)
        *full = g_strdup_printf("%s/%s", w->jid, w->locked);
    return g_strdup(w->jid);
}

/* The words of argv from i on, joined by spaces. Note: result must be
 * freed. */
static char *
words_from(struct cmd_args *a, int i, int end)
{
    GString *s = g_string_new(NULL);

    for (int k = i; k < end; k++)
        g_string_append_printf(s, "%s%s", k > i ? " " : "", a->argv[k]);
    return g_string_free(s, FALSE);
}

/* The account /otr acts on, or NULL with *cause set. */
static struct account *
account_for(struct cmd_args *a, char **cause)
{
    struct account *acct = a->win->acct != NULL ? a->win->acct : a->acct;

    if (acct == NULL)
        *cause = g_strdup("No account: /connect JID first");
    return acct;
}

/* /otr policy manual|opportunistic|always [JID] */
static bool
otr_policy(struct cmd_args *a, struct account *acct, char **cause)
{
    enum e2e_policy p;
    char *peer = NULL;
    bool ok;

    if (a->argc < 2) {
        char *full = NULL, *why = NULL;
        peer = peer_of(a, 1, &full, &why);
        g_free(why);
        g_free(full);
        notice(acct, NOTICE_INFO, "OTR policy of %s: %s; of %s: %s", acct->jid,
               e2e_policy_name(e2e_policy_get(acct, "otr", NULL)),
               peer != NULL ? peer : "this window",
               peer != NULL
                   ? e2e_policy_name(e2e_policy_get(acct, "otr", peer))
                   : "-");
        g_free(peer);
        return true;
    }
    if (!e2e_policy_parse(a->argv[1], &p)) {
        *cause = g_strdup_printf("Unknown OTR policy %s: use manual, "
                                 "opportunistic or always",
                                 a->argv[1]);
        return false;
    }
    if (a->argc > 2 && (peer = jid_bare(a->argv[2], cause)) == NULL)
        return false;
    ok = e2e_policy_set(acct, "otr", peer, p, cause);
    if (ok)
        notice(acct, NOTICE_INFO, "OTR policy of %s is now %s",
               peer != NULL ? peer : acct->jid, e2e_policy_name(p));
    g_free(peer);
    return ok;
}

/* /otr SUBCOMMAND ... */
static bool
exec_otr(struct cmd_args *a, char **cause)
{
    const char *sub = a->argc > 0 ? a->argv[0] : "status";
    struct account *acct = account_for(a, cause);
    char *peer = NULL, *full = NULL, *text = NULL;
    bool ok = false;

    if (acct == NULL)
        return false;
    if (!g_strv_contains(subcommands, sub)) {
        *cause = g_strdup_printf("Unknown /otr subcommand %s", sub);
        return false;
    }
    if (strcmp(sub, "gen") == 0)
        return otr_generate(acct, cause);
    if (strcmp(sub, "policy") == 0)
        return otr_policy(a, acct, cause);
    if (strcmp(sub, "log") == 0) {
        if (a->argc < 2) {
            notice(acct, NOTICE_INFO, "OTR messages are logged: %s",
                   settings_get("otr.log"));
            return true;
        }
        if (!g_strv_contains(log_modes, a->argv[1])) {
            *cause = g_strdup_printf("Unknown /otr log mode %s: use on, off "
                                     "or redact",
                                     a->argv[1]);
            return false;
        }
        if (!settings_set("otr.log", a->argv[1], cause))
            return false;
        notice(acct, NOTICE_INFO, "OTR messages are logged: %s", a->argv[1]);
        return true;
    }
    if (strcmp(sub, "myfp") == 0) {
        text = otr_my_fingerprint(acct, cause);
        if (text != NULL)
            notice(acct, NOTICE_INFO, "Your OTR fingerprint (%s): %s",
                   acct->jid, text);
        ok = text != NULL;
        g_free(text);
        return ok;
    }
    /* Everything else is about one conversation. */
    if (strcmp(sub, "trust") == 0 || strcmp(sub, "untrust") == 0) {
        peer = peer_of(a, a->argc, &full, cause); /* the window's */
        if (peer != NULL) {
            char *fp = a->argc > 1 ? words_from(a, 1, a->argc) : NULL;
            bool trust = strcmp(sub, "trust") == 0;
            ok = otr_trust(acct, peer, fp, trust, cause);
            if (ok)
                notice(acct, NOTICE_INFO, "OTR fingerprint of %s %s", peer,
                       trust ? "trusted" : "no longer trusted");
            g_free(fp);
        }
    } else if (strcmp(sub, "question") == 0 || strcmp(sub, "secret") == 0 ||
               strcmp(sub, "answer") == 0) {
        bool question = strcmp(sub, "question") == 0;
        int need = question ? 3 : 2;
        if (a->argc < need) {
            *cause = g_strdup(question ? "Usage: /otr question QUESTION "
                                         "ANSWER (the answer is the last "
                                         "word)"
                                       : "Usage: /otr secret|answer TEXT");
            return false;
        }
        peer = peer_of(a, a->argc, &full, cause);
        if (peer != NULL && question) {
            char *q = words_from(a, 1, a->argc - 1);
            ok = otr_smp_start(acct, peer, q, a->argv[a->argc - 1], cause);
            g_free(q);
        } else if (peer != NULL) {
            char *secret = words_from(a, 1, a->argc);
            ok = strcmp(sub, "secret") == 0
                     ? otr_smp_start(acct, peer, NULL, secret, cause)
                     : otr_smp_answer(acct, peer, secret, cause);
            g_free(secret);
        }
    } else if ((peer = peer_of(a, 1, &full, cause)) != NULL) {
        if (strcmp(sub, "start") == 0 || strcmp(sub, "refresh") == 0) {
            ok = otr_start(acct, peer, full, cause);
        } else if (strcmp(sub, "end") == 0) {
            ok = otr_end(acct, peer, cause);
        } else if (strcmp(sub, "abort") == 0) {
            ok = otr_smp_abort(acct, peer, cause);
        } else if (strcmp(sub, "theirfp") == 0) {
            text = otr_their_fingerprint(acct, peer, cause);
            if (text != NULL)
                notice(acct, NOTICE_INFO, "OTR fingerprint of %s: %s", peer,
                       text);
            ok = text != NULL;
        } else if (strcmp(sub, "drop") == 0) {
            unsigned int n = message_drop_held(acct, peer);
            notice(acct, NOTICE_INFO, "Dropped %u held message%s to %s", n,
                   n == 1 ? "" : "s", peer);
            ok = true;
        } else { /* status */
            unsigned int held = message_held_count(acct, peer);
            text = otr_describe(acct, peer, full);
            if (held > 0)
                notice(acct, NOTICE_INFO, "%s; %u message%s held (/otr drop)",
                       text, held, held == 1 ? "" : "s");
            else
                notice(acct, NOTICE_INFO, "%s", text);
            ok = true;
        }
    }
    g_free(text);
    g_free(peer);
    g_free(full);
    return ok;
}

/* Complete /otr: subcommands, then JIDs or policies. */
static void
complete_otr(int argi, char **args, const char *prefix, GPtrArray *out)
{
    if (argi == 0) {
        complete_words(subcommands, prefix, out);
        return;
    }
    if (strcmp(args[0], "policy") == 0 && argi == 1)
        complete_words(policies, prefix, out);
    else if (strcmp(args[0], "log") == 0 && argi == 1)
        complete_words(log_modes, prefix, out);
    else if ((strcmp(args[0], "policy") == 0 && argi == 2) ||
             (argi == 1 &&
              (strcmp(args[0], "start") == 0 || strcmp(args[0], "end") == 0 ||
               strcmp(args[0], "refresh") == 0 ||
               strcmp(args[0], "status") == 0 ||
               strcmp(args[0], "theirfp") == 0 ||
               strcmp(args[0], "drop") == 0)))
        complete_jid(prefix, out);
}

static const char *const otr_args[] = {
    "start|refresh [JID]: ask for a private conversation with the window's "
    "contact (or JID), or refresh the running one",
    "end [JID]: end it; messages go in the clear again",
    "status [JID]: whether the conversation is private and verified, with "
    "which instance, under which policy (also plain /otr)",
    "gen: make this account's private key (in the background; the screen "
    "and messages go on meanwhile)",
    "myfp: your fingerprint; theirfp [JID]: the contact's, in use now",
    "trust|untrust [FINGERPRINT]: mark the contact's fingerprint (the one "
    "in use, or the one given) verified, or not",
    "question QUESTION ANSWER: verify the contact with the Socialist "
    "Millionaires' Protocol: they must give ANSWER (the last word) to "
    "QUESTION; secret SECRET: the same with a secret you both know (when "
    "the contact asked first, it answers them); answer ANSWER: answer "
    "their request; abort: stop it",
    "policy [manual|opportunistic|always] [JID]: when to encrypt, for the "
    "account or one contact (kept across restarts): manual only when "
    "started, opportunistic offers it to everyone, always never sends in "
    "the clear (messages are held until the conversation is private)",
    "log [on|off|redact]: keep OTR messages in the history with their "
    "text, not at all, or as a line saying one was exchanged (the otr.log "
    "setting, redact by default)",
    "drop [JID]: throw away the messages held for a private conversation",
    NULL};
static const char *const otr_examples[] = {
    "/otr gen", "/otr start", "/otr policy always bob@example.org",
    "/otr question name of my first pet rex", NULL};

const struct cmd cmd_entry_otr = {
    .name = "otr",
    .synopsis = "[start|end|refresh|status|gen|myfp|theirfp|trust|untrust|"
                "question|secret|answer|abort|policy|log|drop] [ARGS]",
    .description = "Off-the-Record messaging (OTR 3, with libotr) in "
                   "one-to-one chats: encrypted, deniable, with forward "
                   "secrecy. Keys and fingerprints are kept under "
                   "$XDG_DATA_HOME/natter/ACCOUNT/otr. The title bar "
                   "shows the chat's state.",
    .args = otr_args,
    .examples = otr_examples,
    .min_args = 0,
    .max_args = -1,
    .complete = complete_otr,
    .exec = exec_otr,
};
