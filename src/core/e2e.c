/* SPDX-License-Identifier: MIT */
/* Per-contact encryption policies and conversation states (core/e2e.h). */
#include "core/e2e.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/paths.h"

/* One conversation's state. */
struct conv {
    char *scheme;
    enum e2e_state state;
};

static GHashTable *states;   /* "account\npeer" -> struct conv */
static GHashTable *policies; /* account name -> GKeyFile (loaded) */

static const char *const policy_names[] = {"manual", "opportunistic",
                                           "always"};

/* See core/e2e.h. */
const char *
e2e_policy_name(enum e2e_policy p)
{
    return (unsigned)p < G_N_ELEMENTS(policy_names) ? policy_names[p] : "?";
}

/* See core/e2e.h. */
bool
e2e_policy_parse(const char *name, enum e2e_policy *out)
{
    for (size_t i = 0; i < G_N_ELEMENTS(policy_names); i++)
        if (g_strcmp0(name, policy_names[i]) == 0) {
            *out = (enum e2e_policy)i;
            return true;
        }
    return false;
}

/* See core/e2e.h. */
const char *
e2e_state_name(enum e2e_state s)
{
    switch (s) {
    case E2E_STATE_PLAIN:
        return "plain";
    case E2E_STATE_UNVERIFIED:
        return "unverified";
    case E2E_STATE_VERIFIED:
        return "verified";
    case E2E_STATE_FINISHED:
        return "finished";
    }
    return "?";
}

/* See core/e2e.h. */
enum e2e_send
e2e_send_decide(enum e2e_policy p, enum e2e_state s)
{
    switch (s) {
    case E2E_STATE_FINISHED:
        /* Whatever the policy: the user meant this to be private, and the
         * peer can no longer read it. */
        return E2E_SEND_HOLD_ENDED;
    case E2E_STATE_UNVERIFIED:
    case E2E_STATE_VERIFIED:
        /* A manual policy does not mean "plain once started". */
        return E2E_SEND_ENCRYPT;
    case E2E_STATE_PLAIN:
        break;
    }
    switch (p) {
    case E2E_POLICY_ALWAYS:
        return E2E_SEND_HOLD_START;
    case E2E_POLICY_OPPORTUNISTIC:
        return E2E_SEND_OFFER;
    case E2E_POLICY_MANUAL:
        break;
    }
    return E2E_SEND_PLAIN;
}

/* The policy file of acct. Note: result must be freed. */
static char *
policy_path(struct account *acct)
{
    char *dir = paths_account_dir(acct->name);
    char *path = g_build_filename(dir, "e2e.ini", NULL);

    g_free(dir);
    return path;
}

/* acct's policies, read on first use; owned here. */
static GKeyFile *
policy_file(struct account *acct)
{
    GKeyFile *kf;
    char *path;

    if (policies == NULL)
        policies = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)g_key_file_free);
    kf = g_hash_table_lookup(policies, acct->name);
    if (kf != NULL)
        return kf;
    kf = g_key_file_new();
    path = policy_path(acct);
    /* A missing file is no policy yet; a broken one is kept as is and
     * not overwritten until the user sets a policy. */
    g_key_file_load_from_file(kf, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
    g_free(path);
    g_hash_table_insert(policies, g_strdup(acct->name), kf);
    return kf;
}

/* See core/e2e.h. */
enum e2e_policy
e2e_policy_get(struct account *acct, const char *scheme, const char *peer)
{
    GKeyFile *kf = policy_file(acct);
    enum e2e_policy p = E2E_POLICY_MANUAL;
    char *v = NULL;

    if (peer != NULL)
        v = g_key_file_get_string(kf, scheme, peer, NULL);
    if (v == NULL)
        v = g_key_file_get_string(kf, scheme, "default", NULL);
    if (v != NULL && !e2e_policy_parse(v, &p))
        p = E2E_POLICY_MANUAL;
    g_free(v);
    return p;
}

/* See core/e2e.h. */
bool
e2e_policy_set(struct account *acct, const char *scheme, const char *peer,
               enum e2e_policy p, char **cause)
{
    GKeyFile *kf = policy_file(acct);
    char *path = policy_path(acct), *dir = g_path_get_dirname(path), *text;
    GError *err = NULL;
    gsize len;
    bool ok;

    g_key_file_set_string(kf, scheme, peer != NULL ? peer : "default",
                          e2e_policy_name(p));
    text = g_key_file_to_data(kf, &len, NULL);
    g_mkdir_with_parents(dir, 0700);
    ok = g_file_set_contents_full(path, text, (gssize)len,
                                  G_FILE_SET_CONTENTS_CONSISTENT |
                                      G_FILE_SET_CONTENTS_DURABLE,
                                  0600, &err);
    if (!ok) {
        *cause = g_strdup_printf("Cannot write %s: %s", path, err->message);
        g_error_free(err);
    }
    g_free(text);
    g_free(dir);
    g_free(path);
    return ok;
}

/* The key of a conversation in states. Note: result must be freed. */
static char *
conv_key(struct account *acct, const char *peer)
{
    return g_strdup_printf("%s\n%s", acct->name, peer);
}

/* Free a struct conv (a GHashTable value). */
static void
conv_free(void *p)
{
    struct conv *c = p;

    g_free(c->scheme);
    g_free(c);
}

/* See core/e2e.h. */
enum e2e_state
e2e_state_get(struct account *acct, const char *peer, const char **scheme)
{
    char *key;
    struct conv *c;

    if (scheme != NULL)
        *scheme = NULL;
    if (states == NULL || acct == NULL || peer == NULL)
        return E2E_STATE_PLAIN;
    key = conv_key(acct, peer);
    c = g_hash_table_lookup(states, key);
    g_free(key);
    if (c == NULL)
        return E2E_STATE_PLAIN;
    if (scheme != NULL && c->state != E2E_STATE_PLAIN)
        *scheme = c->scheme;
    return c->state;
}

/* See core/e2e.h. */
void
e2e_state_set(struct account *acct, const char *peer, const char *scheme,
              enum e2e_state state)
{
    struct conv *c;
    char *key;

    if (states == NULL)
        states =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, conv_free);
    key = conv_key(acct, peer);
    c = g_hash_table_lookup(states, key);
    if (c != NULL && c->state == state && g_strcmp0(c->scheme, scheme) == 0) {
        g_free(key);
        return;
    }
    if (c == NULL) {
        c = g_new0(struct conv, 1);
        g_hash_table_insert(states, key, c);
    } else {
        g_free(key);
    }
    g_free(c->scheme);
    c->scheme = g_strdup(scheme);
    c->state = state;
    e2e_say(acct, peer, scheme, -1, NULL, NULL);
}

/* See core/e2e.h. */
void
e2e_say(struct account *acct, const char *peer, const char *scheme, int what,
        const char *arg1, const char *arg2)
{
    struct ev_e2e ev = {acct, peer, scheme, e2e_state_get(acct, peer, NULL),
                        what, arg1, arg2};

    event_emit(EV_E2E, &ev);
}

/* See core/e2e.h. */
void
e2e_deinit(void)
{
    if (states != NULL)
        g_hash_table_destroy(states);
    states = NULL;
    if (policies != NULL)
        g_hash_table_destroy(policies);
    policies = NULL;
}
