/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CRYPTO_E2E_H
#define NATTER_CRYPTO_E2E_H

#include <stdbool.h>

#include "core/message.h"

/*
 * The one interface every end-to-end scheme implements (OTR now, OMEMO
 * next). A scheme sees text, never stanzas: the message pipeline's hook
 * (xmpp/e2e-hook.c) hands it the body of each one-to-one message and
 * puts what it returns on the wire. Schemes never include curses, never
 * call the UI: they report through core/e2e.h (EV_E2E).
 */

/* What a scheme made of an outgoing message. */
enum e2e_out_kind {
    E2E_OUT_PASS, /* not this scheme's: the next one, or plain */
    E2E_OUT_WIRE, /* send wire instead of the body */
    E2E_OUT_HOLD, /* not sendable yet (reason): keep it until released */
};

struct e2e_out {
    enum e2e_out_kind kind;
    char *wire;   /* E2E_OUT_WIRE: the body to send (g_malloc'd) */
    char *reason; /* E2E_OUT_HOLD: why (g_malloc'd) */
    char *to;     /* E2E_OUT_WIRE: the full JID of the one client that can
                     read it (the scheme's session is with that client), or
                     NULL: the message's own address (g_malloc'd) */
    enum protection protection;
    bool private;       /* keep it off carbons and archives: nobody else can
                           read it */
    const char *scheme; /* set by e2e_encrypt: the scheme's name */
    const char *eme;    /* set by e2e_encrypt: its XEP-0380 namespace */
};

/* What a scheme made of an incoming message. */
enum e2e_in_kind {
    E2E_IN_PASS,          /* not this scheme's: shown as it came */
    E2E_IN_TEXT,          /* show text instead of the body */
    E2E_IN_INTERNAL,      /* a protocol message: nothing to show */
    E2E_IN_UNDECRYPTABLE, /* encrypted but unreadable: say why (reason) */
};

struct e2e_in {
    enum e2e_in_kind kind;
    char *text;   /* E2E_IN_TEXT (g_malloc'd) */
    char *reason; /* E2E_IN_UNDECRYPTABLE (g_malloc'd) */
    enum protection protection;
    const char *scheme; /* set by e2e_decrypt: the scheme's name */
};

/* Where a message came from, for decrypt. */
enum e2e_origin {
    E2E_FROM_LIVE,    /* straight from the peer, now */
    E2E_FROM_CARBON,  /* a copy of a message another client of ours sent or
                         got: its session is not ours */
    E2E_FROM_ARCHIVE, /* an archive page: the keys are long gone */
    E2E_FROM_OFFLINE, /* kept by the server while we were away (a delayed
                         message): its key exchange may be stale, and
                         replaying it would confuse the session */
};

/* One scheme. acct sends to / receives from peer (bare JID) through the
 * JID full (a full JID when known, else the bare one). */
struct e2e_scheme {
    const char *name;
    const char *eme_namespace; /* what XEP-0380 calls it on the wire */
    void (*encrypt)(struct account *acct, const char *peer, const char *full,
                    const char *body, struct e2e_out *out);
    void (*decrypt)(struct account *acct, const char *peer, const char *full,
                    const char *body, enum e2e_origin origin,
                    struct e2e_in *in);
    void (*deinit)(void);
};

/* How schemes send their own protocol messages (key exchange, ends):
 * set by the XMPP layer. */
struct e2e_io {
    void (*inject)(struct account *acct, const char *to, const char *body);
    bool (*online)(struct account *acct);
};

/* Add a scheme (borrowed; lives until e2e_deinit_all). */
void e2e_register(const struct e2e_scheme *s);
/* Set how schemes send (borrowed). */
void e2e_set_io(const struct e2e_io *io);
/* Send body to to on acct for a scheme; false if there is no way. */
bool e2e_inject(struct account *acct, const char *to, const char *body);
/* Whether acct is connected (so a scheme may send). */
bool e2e_online(struct account *acct);

/* Run body to peer through the schemes; out is filled (free its strings
 * with e2e_out_clear). */
void e2e_encrypt(struct account *acct, const char *peer, const char *full,
                 const char *body, struct e2e_out *out);
/* Run an incoming body through the schemes; free with e2e_in_clear. */
void e2e_decrypt(struct account *acct, const char *peer, const char *full,
                 const char *body, enum e2e_origin origin, struct e2e_in *in);
/* Free the strings of out / in. */
void e2e_out_clear(struct e2e_out *out);
void e2e_in_clear(struct e2e_in *in);

/* Unregister every scheme, calling their deinit. */
void e2e_deinit_all(void);

#endif
