/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_RAW_H
#define NATTER_XMPP_RAW_H

#include <stdbool.h>

/* Forward declarations, so headers above this one need not pull in
 * libstrophe (the same typedefs as <strophe.h>). */
typedef struct _xmpp_conn_t xmpp_conn_t;
typedef struct _xmpp_stanza_t xmpp_stanza_t;

/*
 * Raw sessions: a libstrophe connection in raw mode on the shared context
 * (session_ctx()), driven by the GLib main loop like every session. It
 * connects, opens the stream, secures it (STARTTLS, or TLS from the first
 * byte for XEP-0368 direct TLS), opens the stream again and hands the
 * caller the stream features, without logging in. certprobe.c fetches a
 * server's certificate on it, register.c registers accounts (XEP-0077).
 *
 * Every raw session ends exactly once through its end callback. Setting up
 * is bounded by cfg->timeout; a TLS handshake that hangs (libstrophe runs
 * it synchronously) is cut by the driver's watchdog (xmpp/driver.h).
 */

/* Seconds a raw session may take to be ready, unless told otherwise. */
#define RAW_TIMEOUT_DEFAULT 15

enum raw_tls {
    RAW_TLS_REQUIRED, /* TLS or fail */
    RAW_TLS_OPTIONAL, /* STARTTLS when offered, else plaintext */
    RAW_TLS_NONE,     /* never TLS */
};

/* Why a raw session ended. */
enum raw_error {
    RAW_OK,          /* closed by raw_close(rs, NULL) */
    RAW_ERR_CONNECT, /* no TCP connection (address, refused, unreachable) */
    RAW_ERR_NO_TLS,  /* TLS required but not offered, or refused */
    RAW_ERR_TLS,     /* the TLS handshake failed (maybe the certificate) */
    RAW_ERR_STREAM,  /* the server closed the stream or sent an error */
    RAW_ERR_TIMEOUT, /* no answer in time */
    RAW_ERR_CALLER,  /* raw_close() with an error of the caller's */
};

struct raw_config {
    const char *domain;  /* XMPP domain: stream 'to', certificate name */
    const char *host;    /* where to connect; NULL: the domain */
    unsigned short port; /* 0: 5222, or 5223 with direct_tls */
    bool direct_tls;     /* XEP-0368: TLS from the first byte */
    enum raw_tls tls;
    bool verify;          /* verify the certificate; false accepts any */
    const char *cafile;   /* extra trust anchor (a pin), or NULL */
    unsigned int timeout; /* seconds until ready; 0: RAW_TIMEOUT_DEFAULT */
};

struct raw_session;

/*
 * The stream is open, secured as asked: features is the server's
 * <stream:features/> (borrowed for the call). The caller may now add
 * handlers to raw_conn(rs) and send with raw_send().
 */
typedef void (*raw_ready_fn)(struct raw_session *rs, xmpp_stanza_t *features,
                             void *data);
/*
 * The session is over: kind says why, text is one line for the user
 * (NULL for RAW_OK). Called exactly once, from the main loop; rs is freed
 * after the call returns.
 */
typedef void (*raw_end_fn)(struct raw_session *rs, enum raw_error kind,
                           const char *text, void *data);

/*
 * Start a raw session. Never fails at once: an immediate error is reported
 * through end from the main loop. The session is owned by this module.
 */
struct raw_session *raw_start(const struct raw_config *cfg, raw_ready_fn ready,
                              raw_end_fn end, void *data);
/* The session's connection (borrowed), for handlers and stanzas. */
xmpp_conn_t *raw_conn(struct raw_session *rs);
/* "host:port" the session talks to (borrowed), for messages. */
const char *raw_where(struct raw_session *rs);
/* Whether the stream is encrypted. */
bool raw_secured(struct raw_session *rs);
/* Queue st and write it out before the loop sleeps again. */
void raw_send(struct raw_session *rs, xmpp_stanza_t *st);
/*
 * Once ready, end the session with RAW_ERR_TIMEOUT and text unless
 * raw_set_timeout() or raw_close() is called again within seconds
 * (0 cancels). text is copied.
 */
void raw_set_timeout(struct raw_session *rs, unsigned int seconds,
                     const char *text);
/*
 * End the session: with error NULL, close the stream politely and report
 * RAW_OK; else report RAW_ERR_CALLER with error (copied) at once.
 * Ignored once the session is ending.
 */
void raw_close(struct raw_session *rs, const char *error);
/* Stop delivering callbacks for rs and close it (its owner went away). */
void raw_abandon(struct raw_session *rs);
/* Close every raw session at once (before session_deinit()). */
void raw_deinit(void);

#endif
