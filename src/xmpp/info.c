/* SPDX-License-Identifier: MIT */
/* Version, time, last activity and disco#info: answers and questions. */
#include "xmpp/info.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "core/activity.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"
#include "xmpp/xml.h"

/* Features natter supports, as disco#info lists them. */
static const char *const features[] = {
    NS_DISCO_INFO,
    NS_VERSION,
    NS_TIME,
    NS_LAST,
    NS_PING,
    NS_RECEIPTS,
    NS_CHATSTATES,
    NS_CORRECT,
    NS_CARBONS,
    NS_SID,
    "urn:xmpp:styling:0",
    "urn:xmpp:blocking",
    NS_MARKERS,
    NS_CAPS,
    "urn:xmpp:bookmarks:1+notify", /* XEP-0402 changes pushed to us */
    NULL,
};

#define IDENTITY "client/console//natter"

/* Order two strings for the verification string (byte order, as
 * XEP-0115 5.1 asks: "i;octet"). */
static gint
octet_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The XEP-0115 verification string. Note: result must be freed. */
char *
info_caps_hash(const char *identity, const char *const *feats)
{
    GPtrArray *sorted = g_ptr_array_new();
    GString *s = g_string_new(identity);
    GChecksum *sha1 = g_checksum_new(G_CHECKSUM_SHA1);
    guint8 digest[20];
    gsize len = sizeof digest;
    char *out;

    g_string_append_c(s, '<');
    for (int i = 0; feats[i] != NULL; i++)
        g_ptr_array_add(sorted, (char *)feats[i]);
    g_ptr_array_sort(sorted, octet_cmp);
    for (guint i = 0; i < sorted->len; i++)
        g_string_append_printf(s, "%s<", (char *)sorted->pdata[i]);
    g_checksum_update(sha1, (const guchar *)s->str, (gssize)s->len);
    g_checksum_get_digest(sha1, digest, &len);
    out = g_base64_encode(digest, len);
    g_checksum_free(sha1);
    g_string_free(s, TRUE);
    g_ptr_array_unref(sorted);
    return out;
}

/* natter's own verification string; owned by this module. */
const char *
info_caps_ver(void)
{
    static char *ver;

    if (ver == NULL)
        ver = info_caps_hash(IDENTITY, features);
    return ver;
}

/* Add natter's entity capabilities to a presence stanza. */
void
info_add_caps(xmpp_stanza_t *presence)
{
    xmpp_ctx_t *ctx = xmpp_stanza_get_context(presence);
    xmpp_stanza_t *c = xmpp_stanza_new(ctx);

    xmpp_stanza_set_name(c, "c");
    xmpp_stanza_set_ns(c, NS_CAPS);
    xmpp_stanza_set_attribute(c, "hash", "sha-1");
    xmpp_stanza_set_attribute(c, "node", INFO_CAPS_NODE);
    xmpp_stanza_set_attribute(c, "ver", info_caps_ver());
    xmpp_stanza_add_child(presence, c);
    xmpp_stanza_release(c);
}

/* Our software version reply to iq. Caller releases. */
xmpp_stanza_t *
info_version_build(xmpp_stanza_t *iq)
{
    xmpp_stanza_t *reply = iq_reply_build(iq, "result");
    xmpp_stanza_t *q =
        xml_element(xmpp_stanza_get_context(iq), "query", NS_VERSION);

    xml_add_text(q, "name", "natter");
    xml_add_text(q, "version", PACKAGE_VERSION);
    /* No <os/>: it tells strangers too much about the machine. */
    xml_adopt(reply, q);
    return reply;
}

/* Entity time reply to iq for unix time now, offset tzo_min. Caller
 * releases. */
xmpp_stanza_t *
info_time_build(xmpp_stanza_t *iq, int64_t now, int tzo_min)
{
    xmpp_stanza_t *reply = iq_reply_build(iq, "result");
    xmpp_stanza_t *t =
        xml_element(xmpp_stanza_get_context(iq), "time", NS_TIME);
    GDateTime *dt = g_date_time_new_from_unix_utc(now);
    char *utc = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
    int off = abs(tzo_min);
    char tzo[16];

    snprintf(tzo, sizeof tzo, "%c%02d:%02d", tzo_min < 0 ? '-' : '+',
             off / 60 % 100, off % 60);
    xml_add_text(t, "tzo", tzo);
    xml_add_text(t, "utc", utc);
    xml_adopt(reply, t);
    g_free(utc);
    g_date_time_unref(dt);
    return reply;
}

/* Last activity reply to iq: idle for seconds. Caller releases. */
xmpp_stanza_t *
info_last_build(xmpp_stanza_t *iq, uint64_t seconds)
{
    xmpp_stanza_t *reply = iq_reply_build(iq, "result");
    xmpp_stanza_t *q =
        xml_element(xmpp_stanza_get_context(iq), "query", NS_LAST);
    char buf[32];

    snprintf(buf, sizeof buf, "%llu", (unsigned long long)seconds);
    xmpp_stanza_set_attribute(q, "seconds", buf);
    xml_adopt(reply, q);
    return reply;
}

/* Our disco#info reply to iq (item-not-found for a node other than our
 * caps node). Caller releases. */
xmpp_stanza_t *
info_disco_build(xmpp_stanza_t *iq)
{
    xmpp_ctx_t *ctx = xmpp_stanza_get_context(iq);
    xmpp_stanza_t *in =
        xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_DISCO_INFO);
    xmpp_stanza_t *reply, *q, *id;
    const char *node =
        in != NULL ? xmpp_stanza_get_attribute(in, "node") : NULL;
    char *ours = g_strdup_printf("%s#%s", INFO_CAPS_NODE, info_caps_ver());

    /* The only node we have is our caps node (XEP-0030 3.2, XEP-0115). */
    if (node != NULL && strcmp(node, ours) != 0) {
        g_free(ours);
        return iq_error_build(iq, "item-not-found");
    }
    g_free(ours);
    reply = iq_reply_build(iq, "result");
    q = xml_element(ctx, "query", NS_DISCO_INFO);
    if (node != NULL)
        xmpp_stanza_set_attribute(q, "node", node);
    id = xml_element(ctx, "identity", NULL);
    xmpp_stanza_set_attribute(id, "category", "client");
    xmpp_stanza_set_attribute(id, "type", "console");
    xmpp_stanza_set_attribute(id, "name", "natter");
    xml_adopt(q, id);
    for (int i = 0; features[i] != NULL; i++) {
        xmpp_stanza_t *f = xml_element(ctx, "feature", NULL);
        xmpp_stanza_set_attribute(f, "var", features[i]);
        xml_adopt(q, f);
    }
    xml_adopt(reply, q);
    return reply;
}

/* Our local UTC offset in minutes at unix time now. */
static int
local_offset_minutes(int64_t now)
{
    GDateTime *dt = g_date_time_new_from_unix_local(now);
    int min = (int)(g_date_time_get_utc_offset(dt) / G_TIME_SPAN_MINUTE);

    g_date_time_unref(dt);
    return min;
}

/* Answer iq if it is a get we know; true when it answered. */
bool
info_handle_iq(xmpp_conn_t *conn, xmpp_stanza_t *iq, struct account *acct)
{
    xmpp_stanza_t *reply = NULL;

    (void)conn;
    if (g_strcmp0(xmpp_stanza_get_type(iq), "get") != 0)
        return false;
    if (xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_VERSION)) {
        reply = info_version_build(iq);
    } else if (xmpp_stanza_get_child_by_name_and_ns(iq, "time", NS_TIME)) {
        int64_t now = g_get_real_time() / G_USEC_PER_SEC;
        reply = info_time_build(iq, now, local_offset_minutes(now));
    } else if (xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_LAST)) {
        reply = info_last_build(iq, activity_idle_seconds());
    } else if (xmpp_stanza_get_child_by_name_and_ns(iq, "query",
                                                    NS_DISCO_INFO)) {
        reply = info_disco_build(iq);
    }
    if (reply == NULL)
        return false;
    session_write(acct->session, reply);
    xmpp_stanza_release(reply);
    return true;
}

/* A get query for ns to to. Caller releases. */
xmpp_stanza_t *
info_query_build(xmpp_ctx_t *ctx, const char *ns, const char *to,
                 const char *id)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "get", id);

    xmpp_stanza_set_to(iq, to);
    xml_adopt(
        iq, xml_element(ctx, strcmp(ns, NS_TIME) == 0 ? "time" : "query", ns));
    return iq;
}

/* The short name of query namespace ns. */
const char *
info_query_name(const char *ns)
{
    if (strcmp(ns, NS_VERSION) == 0)
        return "version";
    if (strcmp(ns, NS_TIME) == 0)
        return "time";
    if (strcmp(ns, NS_LAST) == 0)
        return "last activity";
    return "disco#info";
}

/* "idle 5 min" and the like for seconds. Note: free with g_free(). */
char *
info_format_idle(uint64_t s)
{
    if (s < 60)
        return g_strdup_printf("idle %llu s", (unsigned long long)s);
    if (s < 3600)
        return g_strdup_printf("idle %llu min", (unsigned long long)s / 60);
    if (s < 86400)
        return g_strdup_printf("idle %llu h %llu min",
                               (unsigned long long)s / 3600,
                               (unsigned long long)s % 3600 / 60);
    return g_strdup_printf("idle %llu d %llu h", (unsigned long long)s / 86400,
                           (unsigned long long)s % 86400 / 3600);
}

/* "client NAME VERSION on OS" from a version reply. */
static char *
format_version(xmpp_stanza_t *q)
{
    char *name = xml_child_text_stripped(q, "name"),
         *ver = xml_child_text_stripped(q, "version");
    char *os = xml_child_text_stripped(q, "os");
    char *out =
        g_strdup_printf("client %s%s%s%s%s", name != NULL ? name : "(unnamed)",
                        ver != NULL ? " " : "", ver != NULL ? ver : "",
                        os != NULL ? " on " : "", os != NULL ? os : "");

    g_free(name);
    g_free(ver);
    g_free(os);
    return out;
}

/* "local time 14:02 (UTC+01:00)" from a time reply. */
static char *
format_time(xmpp_stanza_t *t)
{
    char *tzo = xml_child_text_stripped(t, "tzo"),
         *utc = xml_child_text_stripped(t, "utc");
    GTimeZone *utc_zone = g_time_zone_new_utc();
    GTimeZone *zone = tzo != NULL ? g_time_zone_new_identifier(tzo) : NULL;
    GDateTime *at =
        utc != NULL ? g_date_time_new_from_iso8601(utc, utc_zone) : NULL;
    char *out;

    if (at == NULL || zone == NULL) {
        out = g_strdup("malformed time answer");
    } else {
        GDateTime *local = g_date_time_to_timezone(at, zone);
        char *hm = g_date_time_format(local, "%H:%M");
        bool is_utc = g_date_time_get_utc_offset(local) == 0;
        out = g_strdup_printf("local time %s (UTC%s)", hm, is_utc ? "" : tzo);
        g_free(hm);
        g_date_time_unref(local);
    }
    if (at != NULL)
        g_date_time_unref(at);
    if (zone != NULL)
        g_time_zone_unref(zone);
    g_time_zone_unref(utc_zone);
    g_free(tzo);
    g_free(utc);
    return out;
}

/* "idle 5 min" from a last activity reply. */
static char *
format_last(xmpp_stanza_t *q)
{
    const char *s = xmpp_stanza_get_attribute(q, "seconds");
    char *end = NULL;
    guint64 v;

    if (s == NULL || s[0] < '0' || s[0] > '9')
        return g_strdup("malformed last activity answer");
    errno = 0;
    v = g_ascii_strtoull(s, &end, 10);
    /* An overflow would read as idle for 584 billion years. */
    if (end == NULL || *end != '\0' || errno == ERANGE)
        return g_strdup("malformed last activity answer");
    return info_format_idle(v);
}

/* One line describing a reply to a query of namespace ns. Note: free with
 * g_free(). */
char *
info_format_reply(const char *ns, xmpp_stanza_t *reply)
{
    const char *type = xmpp_stanza_get_type(reply);
    xmpp_stanza_t *payload;

    if (g_strcmp0(type, "error") == 0) {
        char *err = stanza_error_text(reply);
        char *out =
            g_strdup_printf("%s query refused: %s", info_query_name(ns), err);
        g_free(err);
        return out;
    }
    payload = xmpp_stanza_get_child_by_name_and_ns(
        reply, strcmp(ns, NS_TIME) == 0 ? "time" : "query", ns);
    if (g_strcmp0(type, "result") != 0 || payload == NULL)
        return g_strdup_printf("malformed %s answer", info_query_name(ns));
    if (strcmp(ns, NS_VERSION) == 0)
        return format_version(payload);
    if (strcmp(ns, NS_TIME) == 0)
        return format_time(payload);
    if (strcmp(ns, NS_LAST) == 0)
        return format_last(payload);
    return g_strdup_printf("%s answered", info_query_name(ns));
}

/* What a query remembers until its answer. */
struct info_call {
    const char *ns; /* static namespace string */
    info_fn fn;
    void *data;
};

/* A reply (or the end of the session) for one query: describe it. */
static void
on_info_reply(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct info_call *c = data;
    struct info_result r = {0};
    char *text = NULL;

    if (reply == NULL) {
        r.lost = true;
    } else {
        text = info_format_reply(c->ns, reply);
        r.ok = g_strcmp0(xmpp_stanza_get_type(reply), "result") == 0;
        r.text = text;
    }
    c->fn(acct, &r, c->data);
    g_free(text);
    g_free(c);
}

/* Ask to the question of namespace ns; fn runs exactly once with the
 * answer. False with *cause (and fn never runs) when offline. */
bool
info_request(struct account *acct, const char *to, const char *ns, info_fn fn,
             void *data, char **cause)
{
    xmpp_ctx_t *ctx = session_ctx();
    char *id = xmpp_uuid_gen(ctx);
    xmpp_stanza_t *iq = info_query_build(ctx, ns, to, id);
    struct info_call *c = g_new0(struct info_call, 1);
    bool ok;

    c->ns = ns;
    c->fn = fn;
    c->data = data;
    ok = session_send_iq(acct, iq, on_info_reply, c, cause);
    if (!ok)
        g_free(c);
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
    return ok;
}
