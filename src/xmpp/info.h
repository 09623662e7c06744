/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_INFO_H
#define NATTER_XMPP_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include "core/account.h"

/* Forward declarations, so cmd/ can ask questions without libstrophe
 * (the same typedefs as <strophe.h>). */
typedef struct _xmpp_conn_t xmpp_conn_t;
typedef struct _xmpp_ctx_t xmpp_ctx_t;
typedef struct _xmpp_stanza_t xmpp_stanza_t;

/*
 * What natter tells others about itself and what it asks them: software
 * version (XEP-0092), entity time (XEP-0202), last activity (XEP-0012)
 * and service discovery (XEP-0030 disco#info).
 */

#define NS_VERSION "jabber:iq:version"
#define NS_TIME "urn:xmpp:time"
#define NS_LAST "jabber:iq:last"
#define NS_DISCO_INFO "http://jabber.org/protocol/disco#info"
#define NS_PING "urn:xmpp:ping"
#define NS_CAPS "http://jabber.org/protocol/caps"
/* The node natter names itself by in entity capabilities (XEP-0115). */
#define INFO_CAPS_NODE "urn:natter:caps"

/*
 * Answer iq (type get) if it asks one of the questions above; returns
 * true when it answered, false to leave it to the caller.
 */
bool info_handle_iq(xmpp_conn_t *conn, xmpp_stanza_t *iq,
                    struct account *acct);

/* Our software version reply to iq. Caller releases. */
xmpp_stanza_t *info_version_build(xmpp_stanza_t *iq);
/* Entity time reply to iq for unix time now with UTC offset tzo_min
 * minutes. Caller releases. */
xmpp_stanza_t *info_time_build(xmpp_stanza_t *iq, int64_t now, int tzo_min);
/* Last activity reply to iq: idle for seconds. Caller releases. */
xmpp_stanza_t *info_last_build(xmpp_stanza_t *iq, uint64_t seconds);
/* Our disco#info reply to iq (item-not-found for a node we lack).
 * Caller releases. */
xmpp_stanza_t *info_disco_build(xmpp_stanza_t *iq);

/* A query iq of type get for namespace ns (element name for time is
 * "time", else "query") to to. Caller releases. */
xmpp_stanza_t *info_query_build(xmpp_ctx_t *ctx, const char *ns,
                                const char *to, const char *id);

/*
 * One line describing a reply to a query of namespace ns: "client natter
 * 0.1.0", "local time 14:02 (UTC+01:00)", "idle 5 min", or the error.
 * Note: result must be freed with g_free().
 */
char *info_format_reply(const char *ns, xmpp_stanza_t *reply);
/* "idle 5 min" and the like for seconds. Note: free with g_free(). */
char *info_format_idle(uint64_t seconds);
/* The short name of query namespace ns ("version", "time", "last"). */
const char *info_query_name(const char *ns);

/*
 * The XEP-0115 verification string of an identity ("category/type//name")
 * and features (any order): base64 of the SHA-1 of the sorted form.
 * Note: result must be freed with g_free().
 */
char *info_caps_hash(const char *identity, const char *const *features);
/* natter's own verification string; owned by this module. */
const char *info_caps_ver(void);
/* Add natter's entity capabilities (<c/>) to a presence stanza. */
void info_add_caps(xmpp_stanza_t *presence);

/* The answer to one question. */
struct info_result {
    bool ok;          /* a result (false: an error or malformed answer) */
    bool lost;        /* no answer: the connection ended */
    const char *text; /* info_format_reply's line, or NULL when lost; valid
                       * during the callback only */
};

/* Called exactly once with the answer to info_request. */
typedef void (*info_fn)(struct account *acct, const struct info_result *r,
                        void *data);

/* Ask to the question of namespace ns (NS_VERSION, NS_TIME, NS_LAST);
 * fn runs exactly once with the answer. False with *cause (and fn never
 * runs) when it cannot be sent. */
bool info_request(struct account *acct, const char *to, const char *ns,
                  info_fn fn, void *data, char **cause);

#endif
