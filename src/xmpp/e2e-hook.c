/* SPDX-License-Identifier: MIT */
/* The end-to-end schemes on the message pipeline (xmpp/e2e-hook.h). */
#include "xmpp/e2e-hook.h"

#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/e2e.h"
#include "core/event.h"
#include "crypto/e2e.h"
#include "xmpp/message.h"
#include "xmpp/session.h"
#include "xmpp/xml.h"

#define NS_CARBONS "urn:xmpp:carbons:2"
#define NS_HINTS "urn:xmpp:hints"
#define NS_OOB "jabber:x:oob"
#define NS_EME "urn:xmpp:eme:0"

/* Whether m is one-to-one (schemes do not see rooms yet). */
static bool
is_chat(const struct message *m)
{
    return m->kind != MESSAGE_GROUPCHAT && !m->muc_private;
}

/* Keep an encrypted message (or a protocol message) to the one client
 * that can read it: no carbon copies, no archive (XEP-0280, XEP-0334). */
static void
mark_private(xmpp_stanza_t *st)
{
    xmpp_ctx_t *ctx = xmpp_stanza_get_context(st);

    xml_adopt(st, xml_element(ctx, "private", NS_CARBONS));
    xml_adopt(st, xml_element(ctx, "no-copy", NS_HINTS));
    xml_adopt(st, xml_element(ctx, "no-permanent-store", NS_HINTS));
}

/* Say which scheme encrypted st (XEP-0380), so that a client without it
 * explains the ciphertext instead of showing it. */
static void
mark_encrypted(xmpp_stanza_t *st, const char *ns, const char *name)
{
    xmpp_stanza_t *eme = xml_adopt(
        st, xml_element(xmpp_stanza_get_context(st), "encryption", NS_EME));
    char *upper = g_ascii_strup(name, -1);

    xmpp_stanza_set_attribute(eme, "namespace", ns);
    xmpp_stanza_set_attribute(eme, "name", upper);
    g_free(upper);
}

/* Pipeline, outgoing: the schemes may encrypt the body or hold it. */
static enum transform_result
on_outgoing(struct account *acct, struct message *m, xmpp_stanza_t *st,
            char **reason, void *data)
{
    struct e2e_out out;
    enum transform_result r = TRANSFORM_PASS;

    if (!is_chat(m) || m->body == NULL)
        return TRANSFORM_PASS;
    e2e_encrypt(acct, m->peer, m->to, m->body, &out);
    if (out.kind == E2E_OUT_HOLD) {
        *reason = out.reason;
        out.reason = NULL;
        r = TRANSFORM_HOLD;
    } else if (out.kind == E2E_OUT_WIRE) {
        xml_set_child_text(st, "body", out.wire);
        /* The scheme's session is with one client of the peer: a bare
         * address would reach every client, each with its own. */
        if (out.to != NULL)
            xmpp_stanza_set_to(st, out.to);
        m->protection = out.protection;
        if (out.protection != PROTECTION_PLAIN) {
            xmpp_stanza_t *oob = xmpp_stanza_get_child_by_ns(st, NS_OOB);
            /* A link outside the ciphertext would give the plain text
             * away (libstrophe 0.12 cannot remove a child: empty it). */
            if (oob != NULL)
                xml_set_child_text(oob, "url", "");
            message_set(&m->scheme, out.scheme);
            if (out.eme != NULL)
                mark_encrypted(st, out.eme, out.scheme);
        }
        if (out.private)
            mark_private(st);
        r = TRANSFORM_REPLACE;
    }
    e2e_out_clear(&out);
    return r;
}

/* Pipeline, incoming: the schemes may decrypt the body, take it over
 * as a protocol message, or mark it unreadable. */
static enum transform_result
on_incoming(struct account *acct, struct message *m, xmpp_stanza_t *st,
            char **reason, void *data)
{
    struct e2e_in in;
    /* A live message with a delay stamp (XEP-0203) is one the server
     * kept while we were away: offline history, never fed to a scheme's
     * session as if it were new. */
    enum e2e_origin origin = m->archived    ? E2E_FROM_ARCHIVE
                             : m->carbon    ? E2E_FROM_CARBON
                             : m->time != 0 ? E2E_FROM_OFFLINE
                                            : E2E_FROM_LIVE;
    enum transform_result r = TRANSFORM_PASS;

    if (!is_chat(m) || m->body == NULL || m->kind == MESSAGE_ERROR)
        return TRANSFORM_PASS;
    e2e_decrypt(acct, m->peer, m->outgoing ? m->to : m->from, m->body, origin,
                &in);
    switch (in.kind) {
    case E2E_IN_TEXT:
        message_set(&m->body, in.text);
        m->protection = in.protection;
        if (in.protection != PROTECTION_PLAIN)
            message_set(&m->scheme, in.scheme);
        r = TRANSFORM_REPLACE;
        break;
    case E2E_IN_INTERNAL:
        r = TRANSFORM_CONSUME;
        break;
    case E2E_IN_UNDECRYPTABLE:
        message_set(&m->body, in.reason);
        m->protection = PROTECTION_UNDECRYPTABLE;
        message_set(&m->scheme, in.scheme);
        r = TRANSFORM_REPLACE;
        break;
    case E2E_IN_PASS:
        break;
    }
    e2e_in_clear(&in);
    return r;
}

static const struct message_transform transform = {
    .name = "e2e",
    .outgoing = on_outgoing,
    .incoming = on_incoming,
};

/* Schemes: send a protocol message of theirs to to. */
static void
inject(struct account *acct, const char *to, const char *body)
{
    xmpp_ctx_t *ctx = session_ctx();
    xmpp_stanza_t *st;
    char *id;

    if (acct->session == NULL || session_conn(acct) == NULL)
        return;
    id = xmpp_uuid_gen(ctx);
    st = xmpp_message_new(ctx, "chat", to, id);
    xmpp_free(ctx, id);
    xml_add_text(st, "body", body);
    mark_private(st);
    session_write(acct->session, st);
    xmpp_stanza_release(st);
    session_kick();
}

/* Schemes: whether acct is connected. */
static bool
online(struct account *acct)
{
    return session_conn(acct) != NULL;
}

static const struct e2e_io io = {inject, online};

/* A conversation whose held messages go once the loop is back. */
struct release {
    char *account; /* by name: the account may be gone by then */
    char *peer;
};

/* Idle: send what was held for a conversation that is private now. */
static gboolean
release_cb(gpointer data)
{
    struct release *r = data;
    struct account *acct = account_find_name(r->account);

    if (acct != NULL && message_held_count(acct, r->peer) > 0)
        message_release(acct, r->peer);
    g_free(r->account);
    g_free(r->peer);
    g_free(r);
    return G_SOURCE_REMOVE;
}

/* A conversation became private: what was held for it goes, from the
 * loop (not from inside the scheme's own call, which reported it). */
static void
on_e2e(enum event_type type, const void *payload, void *data)
{
    const struct ev_e2e *ev = payload;
    struct release *r;

    if (ev->what >= 0 ||
        (ev->state != E2E_STATE_UNVERIFIED &&
         ev->state != E2E_STATE_VERIFIED) ||
        message_held_count(ev->acct, ev->peer) == 0)
        return;
    r = g_new0(struct release, 1);
    r->account = g_strdup(ev->acct->name);
    r->peer = g_strdup(ev->peer);
    g_idle_add(release_cb, r);
}

/* See xmpp/e2e-hook.h. */
void
e2e_hook_init(void)
{
    e2e_set_io(&io);
    message_transform_add(&transform);
    event_subscribe(EV_E2E, on_e2e, NULL);
}

/* See xmpp/e2e-hook.h. */
void
e2e_hook_deinit(void)
{
    event_unsubscribe(EV_E2E, on_e2e, NULL);
    message_transform_remove(&transform);
    e2e_set_io(NULL);
}
