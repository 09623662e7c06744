/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_CERTPROBE_H
#define NATTER_XMPP_CERTPROBE_H

#include <stdbool.h>

struct account;

/*
 * Fetch a server's certificate without logging in: a raw session (raw.h)
 * that accepts any certificate, takes the one presented and disconnects.
 * libstrophe 0.12 cannot tell a client which certificate it refused, so
 * this is how natter shows the user what to pin. Every probe ends within
 * RAW_TIMEOUT_DEFAULT seconds with a certificate or an error.
 *
 * Also a small registry of the last certificate seen per account (keyed
 * by bare JID), for /tls trust and /tls show.
 */

/* A server certificate as natter shows it. Strings are owned. */
struct cert_info {
    char *subject; /* e.g. "/CN=example.org" */
    char *issuer;
    char *not_before; /* as OpenSSL prints dates: "Mar  1 12:00:00 2025 GMT" */
    char *not_after;
    char *fingerprint; /* SHA-256, "AB:CD:..." */
    char *pem;
};

/*
 * The probe is over: cert (borrowed for the call) or else error, one line.
 * Called exactly once, from the main loop, unless the probe is cancelled.
 */
typedef void (*certprobe_fn)(const struct cert_info *cert, const char *error,
                             void *data);

struct certprobe;

/*
 * Connect to host:port (host NULL: domain; port 0: 5222, or 5223 with
 * direct_tls) for domain, secure the stream (STARTTLS, or TLS at once
 * with direct_tls, XEP-0368) and report the certificate to fn. The probe
 * is owned by this module and gone once fn returns.
 */
struct certprobe *certprobe_start(const char *domain, const char *host,
                                  unsigned short port, bool direct_tls,
                                  certprobe_fn fn, void *data);
/* Stop a running probe; fn is not called. */
void certprobe_cancel(struct certprobe *probe);

/* A copy of cert. Note: free it with cert_info_free(). */
struct cert_info *cert_info_copy(const struct cert_info *cert);
/* Free a certificate and its strings; NULL is fine. */
void cert_info_free(struct cert_info *cert);
/*
 * The certificate in one line: subject, issuer, validity and SHA-256
 * fingerprint. Note: result must be freed with g_free().
 */
char *cert_info_describe(const struct cert_info *cert);

/* Remember cert (copied) as the last one jid's server presented. */
void certprobe_remember(const char *jid, const struct cert_info *cert);
/* The last certificate seen for jid (borrowed), NULL if none. */
const struct cert_info *certprobe_last(const char *jid);
/* Forget the last certificate seen for jid. */
void certprobe_forget(const char *jid);

/*
 * acct's server failed verification: fetch its certificate from host:port
 * (NULL and 0: the account's server and port, else its domain), remember
 * it for /tls trust and tell the user in one notice line with the SHA-256
 * fingerprint, saying "changed" when it differs from the pinned one. For
 * the session layer to call when a login failed on the certificate.
 */
void certprobe_explain(struct account *acct, const char *host,
                       unsigned short port, bool direct_tls);
/*
 * The same for a bare JID that may have no account yet (as /register
 * has): its pin is looked up under the account's name, else the JID.
 */
void certprobe_explain_jid(const char *jid, const char *host,
                           unsigned short port, bool direct_tls);

/* Stop every probe and forget every certificate seen. */
void certprobe_deinit(void);

#endif
