/* SPDX-License-Identifier: MIT */
/* Roster changes and subscription presences asked for by commands. */
#include "xmpp/roster.h"

#include "core/account.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* Ask for a roster set (or removal) of jid; fn runs once with the
 * answer. False with *cause when it cannot be sent. */
bool
roster_request_set(struct account *acct, const char *jid, const char *name,
                   GPtrArray *groups, bool remove, request_fn fn, void *data,
                   char **cause)
{
    xmpp_ctx_t *ctx = session_ctx();
    char *id = xmpp_uuid_gen(ctx);
    xmpp_stanza_t *iq = roster_set_build(ctx, id, jid, name, groups, remove);
    bool ok = session_request(acct, iq, fn, data, cause);

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
