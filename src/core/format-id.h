/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_FORMAT_ID_H
#define NATTER_CORE_FORMAT_ID_H

/*
 * The sentences natter shows, by id. Events carry an id and the
 * sentence's string arguments; ui/formats.c holds, for every id, a stable
 * name (for themes) and the template the arguments fill in. Written by
 * hand: add an id here and its entry to the table in ui/formats.c
 * (tests/unit/test_formats checks they agree).
 *
 * Plurals are two ids (X_ONE for a count of one, X for any other), so a
 * template never builds a word from pieces.
 */
enum format_id {
    FMT_TEXT, /* $0: a finished text (printf notices, server texts) */

    /* Messages (ui/lines.c) */
    FMT_MESSAGE_FAILED, /* $0 peer, $1 error */
    FMT_UNKNOWN_ERROR,  /* an error without a text */

    /* Rooms (ui/lines.c) */
    FMT_SOMEONE,             /* an inviter without a name */
    FMT_ROOM_INVITE,         /* $0 inviter, $1 room */
    FMT_ROOM_INVITE_REASON,  /* $0 inviter, $1 room, $2 reason */
    FMT_ROOM_JOINED_ONE,     /* $0 room, $1 nick, $2 occupants (1) */
    FMT_ROOM_JOINED,         /* $0 room, $1 nick, $2 occupants */
    FMT_ROOM_LEFT,           /* $0 room */
    FMT_ROOM_LEFT_REASON,    /* $0 room, $1 why */
    FMT_ROOM_ENTER,          /* $0 nick */
    FMT_ROOM_EXIT,           /* $0 nick */
    FMT_ROOM_EXIT_REASON,    /* $0 nick, $1 status */
    FMT_ROOM_NICK_SELF,      /* $0 new nick */
    FMT_ROOM_NICK,           /* $0 nick, $1 new nick */
    FMT_ROOM_BY,             /* $0 actor: the by part of $N below */
    FMT_ROOM_REASON,         /* $0 reason: the why part of $N below */
    FMT_ROOM_KICKED_SELF,    /* $0 room, $1 by and why */
    FMT_ROOM_BANNED_SELF,    /* $0 room, $1 by and why */
    FMT_ROOM_KICKED,         /* $0 nick, $1 by and why */
    FMT_ROOM_BANNED,         /* $0 nick, $1 by and why */
    FMT_ROOM_REMOVED_SELF,   /* $0 room, $1 why */
    FMT_ROOM_REMOVED_NO_WHY, /* the why of a removal without one */
    FMT_ROOM_REMOVED,        /* $0 nick, $1 by and why */
    FMT_ROOM_ROLE_SELF,      /* $0 role, $1 affiliation, $2 by and why */
    FMT_ROOM_ROLE,           /* $0 nick, $1 role, $2 affiliation, $3 why */
    FMT_ROOM_TOPIC_BY,       /* $0 topic, $1 nick */
    FMT_ROOM_TOPIC,          /* $0 topic */
    FMT_ROOM_TOPIC_EMPTY,    /* no topic */
    FMT_ROOM_CREATED,        /* $0 room */
    FMT_ROOM_REFUSED,        /* $0 room, $1 error */
    FMT_ROOM_REFUSED_VOICE,  /* $0 room, $1 error (forbidden) */
    FMT_ROOM_CONFIG_CHANGED, /* $0 room */
    FMT_ROOM_CONFIG_SAVED,   /* $0 room */
    FMT_ROOM_LOGGED,         /* $0 room */
    FMT_ROOM_UNLOGGED,       /* $0 room */
    FMT_ROOM_HISTORY_FAILED, /* $0 room, $1 error */
    FMT_ROOM_REJOIN,         /* $0 room */

    /* Accounts and presence (ui/lines.c) */
    FMT_ACCOUNT_CONNECTING,   /* $0 JID */
    FMT_ACCOUNT_CONNECTED,    /* $0 JID, $1 resource */
    FMT_ACCOUNT_DISCONNECTED, /* $0 JID */
    FMT_PRESENCE_STATUS,      /* $0 JID, $1 show, $2 status */
    FMT_PRESENCE,             /* $0 JID, $1 show */

    /* Notices of the protocol layer (xmpp/) */
    FMT_LIMBO_UNCONFIRMED_ONE,  /* $0 count (1), $1 JID */
    FMT_LIMBO_UNCONFIRMED,      /* $0 count, $1 JID */
    FMT_LIMBO_RESENT_ONE,       /* $0 count (1), $1 JID */
    FMT_LIMBO_RESENT,           /* $0 count, $1 JID */
    FMT_MESSAGE_HELD,           /* $0 peer, $1 reason */
    FMT_MESSAGE_HELD_NO_REASON, /* $0 peer */
    FMT_MESSAGE_QUEUED,         /* $0 JID, $1 account name */
    FMT_PENDING_SENT_ONE,       /* $0 count (1), $1 JID */
    FMT_PENDING_SENT,           /* $0 count, $1 JID */
    FMT_MAM_SAVE_FAILED,        /* $0 account name, $1 error */
    FMT_MAM_FAILED,             /* $0 JID, $1 error */
    FMT_MAM_OLDER_FAILED,       /* $0 peer, $1 JID, $2 error */
    FMT_SUB_REQUEST,            /* $0 JID */
    FMT_SUB_ACCEPTED,           /* $0 JID */
    FMT_SUB_REFUSED,            /* $0 JID */
    FMT_PRESENCE_ERROR,         /* $0 JID, $1 error */
    FMT_ROSTER_FAILED,          /* $0 JID */
    FMT_ROSTER_CACHE_IGNORED,   /* $0 JID, $1 why */
    FMT_RECONNECTING,           /* $0 JID, $1 seconds, $2 attempt */
    FMT_CERT_FETCH_FAILED,      /* $0 where, $1 JID, $2 error */
    FMT_CERT_CHANGED,           /* $0 where, $1 JID, $2 pinned, $3 now,
                                   $4 name */
    FMT_CERT_PINNED_REFUSED,    /* $0 where, $1 JID, $2 pinned, $3 why */
    FMT_CERT_UNTRUSTED,         /* $0 where, $1 JID, $2 what, $3 name */
    FMT_AUTOAWAY_AWAY,          /* $0 JID, $1 seconds */
    FMT_AUTOAWAY_BACK,          /* $0 JID, $1 show */

    FMT_OTR_STARTED_UNVERIFIED, /* $0 peer */
    FMT_OTR_STARTED_VERIFIED,   /* $0 peer */
    FMT_OTR_REFRESHED,          /* $0 peer */
    FMT_OTR_ENDED,              /* $0 peer */
    FMT_OTR_PEER_ENDED,         /* $0 peer */
    FMT_OTR_QUERY_SENT,         /* $0 peer */
    FMT_OTR_NEW_FINGERPRINT,    /* $0 peer, $1 fingerprint */
    FMT_OTR_UNENCRYPTED,        /* $0 peer */
    FMT_OTR_ERROR,              /* $0 peer or account, $1 what went wrong */
    FMT_OTR_PEER_ERROR,         /* $0 peer, $1 its text */
    FMT_OTR_FILE_BAD,           /* $0 path, $1 why */
    FMT_OTR_SMP_QUESTION,       /* $0 peer, $1 question */
    FMT_OTR_SMP_SECRET,         /* $0 peer */
    FMT_OTR_SMP_ASKED,          /* $0 peer */
    FMT_OTR_SMP_SUCCESS,        /* $0 peer */
    FMT_OTR_SMP_FAILURE,        /* $0 peer */
    FMT_OTR_SMP_ABORTED,        /* $0 peer, $1 why */
    FMT_OTR_KEY_GENERATING,     /* $0 account JID */
    FMT_OTR_KEY_DONE,           /* $0 account JID, $1 fingerprint */
    FMT_OTR_KEY_FAILED,         /* $0 account JID, $1 why */
    FMT_COUNT
};

#endif
