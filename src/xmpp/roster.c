/* SPDX-License-Identifier: MIT */
/* Roster changes and subscription presences asked for by commands. */
#include "xmpp/roster.h"

#include "core/account.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* What a roster change remembers until the server answers. */
struct roster_call {
    roster_fn fn;
    void *data;
};

/* The server answered a roster change: hand the caller a plain result. */
static void
on_roster_reply(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct roster_call *rc = data;
    struct roster_result r = {0};
    char *err = NULL;

    if (reply == NULL) {
        r.lost = true;
    } else if (g_strcmp0(xmpp_stanza_get_type(reply), "error") == 0) {
        err = stanza_error_text(reply);
        r.error = err;
    } else {
        r.ok = true;
    }
    rc->fn(acct, &r, rc->data);
    g_free(err);
    g_free(rc);
}

/* Ask for a roster set (or removal) of jid; fn runs once with the
 * answer. False with *cause when it cannot be sent. */
bool
roster_request_set(struct account *acct, const char *jid, const char *name,
                   GPtrArray *groups, bool remove, roster_fn fn, void *data,
                   char **cause)
{
    xmpp_ctx_t *ctx = session_ctx();
    char *id = xmpp_uuid_gen(ctx);
    xmpp_stanza_t *iq = roster_set_build(ctx, id, jid, name, groups, remove);
    struct roster_call *rc = g_new0(struct roster_call, 1);
    bool ok;

    rc->fn = fn;
    rc->data = data;
    ok = session_send_iq(acct, iq, on_roster_reply, rc, cause);
    if (!ok)
        g_free(rc);
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
    return ok;
}

/* Send a directed presence of type to jid; false with *cause if
 * offline. */
bool
roster_send_subscription(struct account *acct, const char *jid,
                         const char *type, char **cause)
{
    xmpp_stanza_t *p = presence_type_build(session_ctx(), jid, type);
    bool ok = session_send(acct, p, cause);

    xmpp_stanza_release(p);
    return ok;
}
