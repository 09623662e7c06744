/* SPDX-License-Identifier: MIT */
#include "xmpp/certprobe.h"

#include <glib.h>
#include <string.h>
#include <strophe.h>

#include "core/account.h"
#include "core/event.h"
#include "core/pins.h"
#include "xmpp/raw.h"

struct certprobe {
    struct raw_session *rs;
    certprobe_fn fn;
    void *data;
    bool delivered; /* fn has been called */
    bool cancelled;
};

static GHashTable *seen;      /* bare JID -> struct cert_info */
static GPtrArray *probes;     /* running probes, for certprobe_deinit() */
static GPtrArray *explaining; /* struct explain of running explains */

static struct cert_info *cert_from_tlscert(const xmpp_tlscert_t *tc);

/* Copy of s with NULL for NULL. */
static char *
dup_or_null(const char *s)
{
    return s != NULL ? g_strdup(s) : NULL;
}

/* A certificate as natter keeps it, from libstrophe's; NULL if none. */
static struct cert_info *
cert_from_tlscert(const xmpp_tlscert_t *tc)
{
    struct cert_info *c;
    char *why = NULL;
    const char *pem;

    if (tc == NULL || (pem = xmpp_tlscert_get_pem(tc)) == NULL)
        return NULL;
    c = g_new0(struct cert_info, 1);
    c->subject = dup_or_null(xmpp_tlscert_get_string(tc, XMPP_CERT_SUBJECT));
    c->issuer = dup_or_null(xmpp_tlscert_get_string(tc, XMPP_CERT_ISSUER));
    c->not_before =
        dup_or_null(xmpp_tlscert_get_string(tc, XMPP_CERT_NOTBEFORE));
    c->not_after =
        dup_or_null(xmpp_tlscert_get_string(tc, XMPP_CERT_NOTAFTER));
    c->pem = g_strdup(pem);
    /* Computed here from the DER so it matches what pins.c computes. */
    c->fingerprint = pins_pem_fingerprint(pem, &why);
    if (c->fingerprint == NULL) {
        g_free(why);
        c->fingerprint = pins_fingerprint_normalize(
            xmpp_tlscert_get_string(tc, XMPP_CERT_FINGERPRINT_SHA256));
    }
    if (c->fingerprint == NULL)
        c->fingerprint = g_strdup("?");
    return c;
}

/* A copy of cert. Note: free it with cert_info_free(). */
struct cert_info *
cert_info_copy(const struct cert_info *cert)
{
    struct cert_info *c;

    if (cert == NULL)
        return NULL;
    c = g_new0(struct cert_info, 1);
    c->subject = dup_or_null(cert->subject);
    c->issuer = dup_or_null(cert->issuer);
    c->not_before = dup_or_null(cert->not_before);
    c->not_after = dup_or_null(cert->not_after);
    c->fingerprint = dup_or_null(cert->fingerprint);
    c->pem = dup_or_null(cert->pem);
    return c;
}

/* Free a certificate and its strings; NULL is fine. */
void
cert_info_free(struct cert_info *cert)
{
    if (cert == NULL)
        return;
    g_free(cert->subject);
    g_free(cert->issuer);
    g_free(cert->not_before);
    g_free(cert->not_after);
    g_free(cert->fingerprint);
    g_free(cert->pem);
    g_free(cert);
}

/* The certificate in one line. Note: result must be freed. */
char *
cert_info_describe(const struct cert_info *cert)
{
    return g_strdup_printf(
        "subject %s, issuer %s, valid from %s until %s, SHA-256 %s",
        cert->subject ? cert->subject : "?", cert->issuer ? cert->issuer : "?",
        cert->not_before ? cert->not_before : "?",
        cert->not_after ? cert->not_after : "?",
        cert->fingerprint ? cert->fingerprint : "?");
}

/* The stream is secured: take the certificate, report it, hang up. */
static void
probe_ready(struct raw_session *rs, xmpp_stanza_t *features, void *data)
{
    struct certprobe *p = data;
    xmpp_tlscert_t *tc = xmpp_conn_get_peer_cert(raw_conn(rs));
    struct cert_info *cert = cert_from_tlscert(tc);
    char *error = NULL;

    if (tc != NULL)
        xmpp_tlscert_free(tc);
    if (cert == NULL)
        error = g_strdup_printf("%s presented no certificate", raw_where(rs));
    p->delivered = true;
    if (!p->cancelled)
        p->fn(cert, error, p->data);
    cert_info_free(cert);
    g_free(error);
    raw_close(rs, NULL);
}

/* The raw session is over: report its error unless we already did. */
static void
probe_end(struct raw_session *rs, enum raw_error kind, const char *text,
          void *data)
{
    struct certprobe *p = data;

    g_ptr_array_remove(probes, p);
    if (!p->delivered && !p->cancelled)
        p->fn(NULL, text != NULL ? text : "The probe was stopped", p->data);
    g_free(p);
}

/* Fetch domain's certificate from host:port and report it to fn. */
struct certprobe *
certprobe_start(const char *domain, const char *host, unsigned short port,
                bool direct_tls, certprobe_fn fn, void *data)
{
    struct certprobe *p = g_new0(struct certprobe, 1);
    struct raw_config cfg = {
        .domain = domain,
        .host = host,
        .port = port,
        .direct_tls = direct_tls,
        .tls = RAW_TLS_REQUIRED,
        .verify = false, /* we want whatever it presents */
        .timeout = RAW_TIMEOUT_DEFAULT,
    };

    p->fn = fn;
    p->data = data;
    if (probes == NULL)
        probes = g_ptr_array_new();
    g_ptr_array_add(probes, p);
    p->rs = raw_start(&cfg, probe_ready, probe_end, p);
    return p;
}

/* Stop a running probe; fn is not called. */
void
certprobe_cancel(struct certprobe *probe)
{
    probe->cancelled = true;
    raw_close(probe->rs, NULL);
}

/* Remember cert (copied) as the last one jid's server presented. */
void
certprobe_remember(const char *jid, const struct cert_info *cert)
{
    if (seen == NULL)
        seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify)cert_info_free);
    g_hash_table_replace(seen, g_strdup(jid), cert_info_copy(cert));
}

/* The last certificate seen for jid (borrowed), NULL if none. */
const struct cert_info *
certprobe_last(const char *jid)
{
    return seen != NULL && jid != NULL ? g_hash_table_lookup(seen, jid) : NULL;
}

/* Forget the last certificate seen for jid. */
void
certprobe_forget(const char *jid)
{
    if (seen != NULL && jid != NULL)
        g_hash_table_remove(seen, jid);
}

/* What certprobe_explain() remembers while its probe runs. */
struct explain {
    char *jid;
    char *where; /* "host:port" probed, for messages */
};

/* Free an explain record. */
static void
explain_free(struct explain *e)
{
    g_free(e->jid);
    g_free(e->where);
    g_free(e);
}

/* The certificate of a refused server arrived: tell the user about it. */
static void
explain_done(const struct cert_info *cert, const char *error, void *data)
{
    struct explain *e = data;
    struct account *acct = account_find(e->jid);
    const char *name = acct != NULL ? acct->name : e->jid;
    char *why = NULL, *pinned, *desc;
    guint idx;

    if (g_ptr_array_find(explaining, e, &idx))
        g_ptr_array_steal_index(explaining, idx); /* freed below */
    if (cert == NULL) {
        notice_fmt(acct, NOTICE_ERROR, FMT_CERT_FETCH_FAILED, e->where, e->jid,
                   error != NULL ? error : "", NULL);
        explain_free(e);
        return;
    }
    certprobe_remember(e->jid, cert);
    desc = cert_info_describe(cert);
    pinned = pins_fingerprint(name, &why);
    g_free(why);
    if (pinned != NULL && strcmp(pinned, cert->fingerprint) != 0)
        notice_fmt(acct, NOTICE_ERROR, FMT_CERT_CHANGED, e->where, e->jid,
                   pinned, desc, name, NULL);
    else if (pinned != NULL)
        notice_fmt(acct, NOTICE_ERROR, FMT_CERT_PINNED_REFUSED, e->where,
                   e->jid, pinned, desc, NULL);
    else
        notice_fmt(acct, NOTICE_ERROR, FMT_CERT_UNTRUSTED, e->where, e->jid,
                   desc, name, NULL);
    g_free(pinned);
    g_free(desc);
    explain_free(e);
}

/* jid's server failed verification: fetch, remember and show its cert. */
void
certprobe_explain_jid(const char *jid, const char *host, unsigned short port,
                      bool direct_tls)
{
    const char *at = strchr(jid, '@');
    const char *domain = at != NULL ? at + 1 : jid;
    struct explain *e = g_new0(struct explain, 1);

    e->jid = g_strdup(jid);
    e->where = g_strdup_printf("%s:%u", host != NULL ? host : domain,
                               port != 0    ? port
                               : direct_tls ? 5223
                                            : 5222);
    if (explaining == NULL)
        explaining =
            g_ptr_array_new_with_free_func((GDestroyNotify)explain_free);
    g_ptr_array_add(explaining, e);
    certprobe_start(domain, host, port, direct_tls, explain_done, e);
}

/* acct's server failed verification: fetch, remember and show its cert. */
void
certprobe_explain(struct account *acct, const char *host, unsigned short port,
                  bool direct_tls)
{
    if (host == NULL) {
        host = acct->server;
        port = (unsigned short)acct->port;
    }
    certprobe_explain_jid(acct->jid, host, port, direct_tls);
}

/* Stop every probe and forget every certificate seen. */
void
certprobe_deinit(void)
{
    if (probes != NULL) {
        for (guint i = 0; i < probes->len; i++) {
            struct certprobe *p = probes->pdata[i];
            raw_abandon(p->rs); /* no callbacks from it any more */
            g_free(p);
        }
        g_ptr_array_free(probes, TRUE);
        probes = NULL;
    }
    if (explaining != NULL)
        g_ptr_array_free(explaining, TRUE);
    explaining = NULL;
    if (seen != NULL)
        g_hash_table_destroy(seen);
    seen = NULL;
}
