/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_ROOM_H
#define NATTER_CORE_ROOM_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct account;

/*
 * Group chat rooms (XEP-0045) as the model sees them: which rooms an
 * account is in, under which nick, and who else is there. The protocol
 * layer fills it in; the UI reads it.
 */

enum room_state {
    ROOM_JOINING, /* join presence sent, our own presence not yet back */
    ROOM_JOINED,
    ROOM_LEFT, /* left, kicked, refused or the connection dropped */
};

/* Roles in increasing power, as the occupants pane groups them. */
enum room_role {
    ROLE_NONE,
    ROLE_VISITOR,
    ROLE_PARTICIPANT,
    ROLE_MODERATOR,
};

enum room_affiliation {
    AFFIL_OUTCAST,
    AFFIL_NONE,
    AFFIL_MEMBER,
    AFFIL_ADMIN,
    AFFIL_OWNER,
};

/* One occupant of a room. Strings are owned by the occupant. */
struct occupant {
    char *nick;
    char *jid; /* real full JID when the room shows it, else NULL */
    enum room_role role;
    enum room_affiliation affiliation;
    char *show; /* "online", "away", "xa", "dnd", "chat" */
    char *status;
};

/* A room an account is in or was asked to join. */
struct room {
    struct account *acct;
    char *jid;      /* bare room JID, prepared */
    char *nick;     /* our nick, as asked and as the room confirmed */
    char *password; /* for rejoining, may be NULL */
    char *subject;  /* may be NULL */
    enum room_state state;
    bool wanted;           /* the user wants to be in it (rejoin) */
    bool joined_once;      /* it was joined before in this session */
    bool mam;              /* the room archives (XEP-0313) */
    bool muc_ping_sent;    /* a self-ping (XEP-0410) is outstanding */
    bool catching_up;      /* the archive fetch of a join is under way */
    bool locked;           /* we created it (status 201), not configured yet */
    char *nick_change;     /* new nick asked for with /nick, or NULL */
    char *last_archive_id; /* newest room archive id seen */
    GHashTable *occupants; /* nick -> struct occupant */
};

/* The room of acct with bare JID jid, NULL if none. */
struct room *room_find(struct account *acct, const char *jid);
/*
 * The room of acct with bare JID jid, created (state ROOM_LEFT, nick
 * NULL) if needed; owned by the account.
 */
struct room *room_get(struct account *acct, const char *jid);
/* Forget room (its windows stay). */
void room_remove(struct room *room);
/* Every room of acct, in no particular order; caller unrefs, items
 * borrowed. */
GPtrArray *room_list(struct account *acct);
/* Free every room of acct (the account is going away). */
void room_free_all(struct account *acct);

/* The occupant with nick, NULL if none; owned by the room. */
struct occupant *room_occupant(struct room *room, const char *nick);
/*
 * Record an occupant's presence: creates or updates nick. Returns the
 * occupant, owned by the room; *is_new tells whether it was absent.
 */
struct occupant *room_occupant_set(struct room *room, const char *nick,
                                   const char *jid, enum room_role role,
                                   enum room_affiliation affiliation,
                                   const char *show, const char *status,
                                   bool *is_new);
/* Remove occupant nick; false if it was not there. */
bool room_occupant_remove(struct room *room, const char *nick);
/* Rename occupant old to new (a nick change); false if old is absent. */
bool room_occupant_rename(struct room *room, const char *old,
                          const char *new_nick);
/* Forget every occupant (we left or the connection dropped). */
void room_clear_occupants(struct room *room);
/*
 * Occupants sorted for the pane: by role (moderators first), then by nick
 * case-insensitively. Note: free with g_ptr_array_unref(); items borrowed.
 */
GPtrArray *room_occupants_sorted(struct room *room);

/* Role from its XEP-0045 name; ROLE_NONE if unknown. */
enum room_role room_role_parse(const char *s);
/* XEP-0045 name of a role. */
const char *room_role_name(enum room_role r);
/* Affiliation from its XEP-0045 name; AFFIL_NONE if unknown. */
enum room_affiliation room_affiliation_parse(const char *s);
/* XEP-0045 name of an affiliation. */
const char *room_affiliation_name(enum room_affiliation a);

/*
 * Whether text mentions nick as a word (case-insensitive, not inside a
 * longer word), or any of the comma-separated words in extra.
 */
bool room_mentions(const char *text, const char *nick, const char *extra);

#endif
