/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_MESSAGE_H
#define NATTER_CORE_MESSAGE_H

#include <stdbool.h>
#include <stdint.h>

struct account;

/*
 * The message value: what one chat, room or private message is, whichever
 * way it goes and wherever it came from (live, carbon, offline delivery,
 * archive page). The protocol layer fills it, the pipeline's transforms
 * may change it, and it travels as the payload of EV_MESSAGE to the store
 * and the windows.
 *
 * A message built on the stack borrows its strings; message_copy() makes
 * one that owns them, freed with message_free().
 */

enum message_kind {
    MESSAGE_CHAT,
    MESSAGE_NORMAL,
    MESSAGE_HEADLINE,
    MESSAGE_ERROR,
    MESSAGE_GROUPCHAT, /* in a room: peer is the room, nick the sender */
};

/* How a message was protected on the wire (plain unless a transform of
 * the pipeline says otherwise). Stored as its number: append only. */
enum protection {
    PROTECTION_PLAIN = 0,    /* in the clear */
    PROTECTION_ENCRYPTED,    /* end-to-end encrypted, peer not verified */
    PROTECTION_TRUSTED,      /* end-to-end encrypted to a verified peer */
    PROTECTION_UNDECRYPTABLE /* arrived encrypted, could not be read */
};

/* XEP-0334 processing hints, as bits of struct message.hints. */
#define MESSAGE_HINT_NO_PERMANENT_STORE 0x1u
#define MESSAGE_HINT_NO_STORE 0x2u
#define MESSAGE_HINT_NO_COPY 0x4u
#define MESSAGE_HINT_STORE 0x8u

struct message {
    struct account *acct;
    enum message_kind kind;
    char *from;       /* full JID as received (or ours for outgoing) */
    char *to;         /* outgoing: the JID it goes to (may name a resource) */
    char *peer;       /* bare JID of the other side; the room; for a private
                         message through a room, the occupant's room JID */
    char *body;       /* for MESSAGE_ERROR: what went wrong */
    char *id;         /* the id that names it: for chats the stanza id, in
                         rooms the sender's origin-id (corrections name it) */
    char *origin_id;  /* XEP-0359 origin-id, may be NULL */
    char *archive_id; /* the server's XEP-0359 stanza-id (our archive's,
                         or the room's), may be NULL */
    char *replace_id; /* corrects that earlier message (XEP-0308) */
    char *oob_url;    /* XEP-0066 out-of-band data, may be NULL */
    char *nick;       /* group chat: the sender's nick in the room */
    char *scheme;     /* the transform that protected it, NULL if plain */
    int64_t time;     /* unix seconds; from XEP-0203 delay when present */
    unsigned int hints; /* MESSAGE_HINT_* */
    enum protection protection;
    bool outgoing;
    bool pending;         /* outgoing, queued until the account is online */
    bool held;            /* outgoing, held by a transform until it can go */
    bool carbon;          /* copied from another of our clients (XEP-0280) */
    bool archived;        /* from an archive page (XEP-0313), not live */
    bool backfill;        /* an older archive page asked for by scroll-back: it
                             goes to the store, and windows page it in */
    bool receipt_request; /* the sender asks for a receipt (XEP-0184) */
    bool markable;    /* the sender wants to know when it is read (XEP-0333) */
    bool muc_private; /* a private message through a room */
    bool highlight;   /* group chat: it mentions us (our nick or a word) */
};

/* A copy of m that owns all its strings. Note: free with message_free(). */
struct message *message_copy(const struct message *m);
/* Free a message made by message_copy(); NULL is fine. */
void message_free(struct message *m);
/* Replace the owned string *slot with a copy of text (NULL allowed). */
void message_set(char **slot, const char *text);
/* A short name for a protection state ("plain", "encrypted", ...). */
const char *protection_name(enum protection p);

#endif
