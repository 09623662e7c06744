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
    FMT_ROSTER_SAVE_FAILED,     /* $0 JID, $1 error (core/roster-cache.c) */
    FMT_RECONNECTING,           /* $0 JID, $1 seconds, $2 attempt */
    FMT_CERT_FETCH_FAILED,      /* $0 where, $1 JID, $2 error */
    FMT_CERT_CHANGED,           /* $0 where, $1 JID, $2 pinned, $3 now,
                                   $4 name */
    FMT_CERT_PINNED_REFUSED,    /* $0 where, $1 JID, $2 pinned, $3 why */
    FMT_CERT_UNTRUSTED,         /* $0 where, $1 JID, $2 what, $3 name */
    FMT_AUTOAWAY_AWAY,          /* $0 JID, $1 seconds */
    FMT_AUTOAWAY_BACK,          /* $0 JID, $1 show */

    FMT_OTR_STARTED_UNVERIFIED, /* $0 peer, $1 its full JID, $2 instance */
    FMT_OTR_STARTED_VERIFIED,   /* $0 peer, $1 its full JID, $2 instance */
    FMT_OTR_REFRESHED,          /* $0 peer, $1 its full JID, $2 instance */
    FMT_OTR_ENDED,              /* $0 peer */
    FMT_OTR_PEER_ENDED,         /* $0 peer */
    FMT_OTR_QUERY_SENT,         /* $0 peer */
    FMT_OTR_QUERY_AWAY,         /* $0 peer */
    FMT_OTR_NEW_FINGERPRINT,    /* $0 peer, $1 fingerprint */
    FMT_OTR_UNENCRYPTED,        /* $0 peer */
    FMT_OTR_UNENCRYPTED_POLICY, /* $0 peer */
    FMT_OTR_OTHER_INSTANCE,     /* $0 peer */
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
    /* Bookmarks (xmpp/bookmarks.c) */
    FMT_BOOKMARK_JOIN_FAILED,       /* $0 room, $1 error */
    FMT_AUTOJOIN_FAILED,            /* $0 account name, $1 error */
    FMT_BOOKMARK_ADD_ENDED,         /* $0 room */
    FMT_BOOKMARK_ADD_REFUSED,       /* $0 room, $1 JID, $2 error */
    FMT_BOOKMARK_REMOVE_ENDED,      /* $0 room */
    FMT_BOOKMARK_REMOVE_REFUSED,    /* $0 room, $1 JID, $2 error */
    FMT_BOOKMARKS_READ_ENDED,       /* $0 room */
    FMT_BOOKMARKS_READ_REFUSED,     /* $0 room, $1 JID, $2 error */
    FMT_BOOKMARKS_UNREADABLE,       /* $0 JID */
    FMT_BOOKMARK_NONE,              /* $0 JID, $1 room */
    FMT_BOOKMARKS_STORE_FAILED,     /* $0 JID, $1 error */
    FMT_BOOKMARKED,                 /* $0 room, $1 nick, $2 autojoin on/off */
    FMT_BOOKMARKED_NAMED,           /* $0 room, $1 name, $2 nick, $3 on/off */
    FMT_BOOKMARK_REMOVED,           /* $0 room */
    FMT_BOOKMARKS_PURGED_ELSEWHERE, /* $0 JID */
    FMT_BOOKMARK_ADDED_ELSEWHERE,   /* as FMT_BOOKMARKED */
    FMT_BOOKMARK_ADDED_ELSEWHERE_NAMED,   /* as FMT_BOOKMARKED_NAMED */
    FMT_BOOKMARK_CHANGED_ELSEWHERE,       /* as FMT_BOOKMARKED */
    FMT_BOOKMARK_CHANGED_ELSEWHERE_NAMED, /* as FMT_BOOKMARKED_NAMED */
    FMT_BOOKMARK_REMOVED_ELSEWHERE,       /* $0 room */

    /* The public rooms of a service (xmpp/muc-admin.c) */
    FMT_ROOMS_FAILED,           /* $0 service, $1 error */
    FMT_ROOMS_NONE,             /* $0 service */
    FMT_ROOMS_LISTED_ONE,       /* $0 count (1), $1 service */
    FMT_ROOMS_LISTED,           /* $0 count, $1 service */
    FMT_ROOMS_ITEM,             /* $0 room */
    FMT_ROOMS_ITEM_NAMED,       /* $0 room, $1 name */
    FMT_ROOMS_ITEM_COUNT,       /* $0 room, $1 occupants */
    FMT_ROOMS_ITEM_NAMED_COUNT, /* $0 room, $1 name, $2 occupants */

    /* The history store (core/history.c) */
    FMT_HISTORY_FAILING,         /* $0 why it is not saved */
    FMT_HISTORY_SAVED_AGAIN_ONE, /* $0 account name, $1 count (1) */
    FMT_HISTORY_SAVED_AGAIN,     /* $0 account name, $1 count */

    /* Start-up (main.c) */
    FMT_NO_SUCH_ACCOUNT, /* $0 account name */

    /* Why a connection ended (struct offline_why, ui/lines.c) */
    FMT_OFFLINE_CONNECT_FAILED,    /* $0 host, $1 JID, $2 error */
    FMT_OFFLINE_NO_ADDRESS,        /* $0 host, $1 JID */
    FMT_OFFLINE_SETUP_TIMEOUT,     /* $0 host, $1 JID, $2 seconds */
    FMT_OFFLINE_SETUP_CUT,         /* $0 host, $1 JID, $2 seconds */
    FMT_OFFLINE_CERT_REFUSED,      /* $0 host, $1 JID, $2 what */
    FMT_OFFLINE_LOGIN_FAILED,      /* $0 JID, $1 SASL condition */
    FMT_OFFLINE_LOST,              /* $0 JID, $1 error */
    FMT_OFFLINE_NO_TLS,            /* $0 host, $1 JID, $2 why */
    FMT_OFFLINE_STREAM_ERROR,      /* $0 JID, $1 condition */
    FMT_OFFLINE_STREAM_ERROR_TEXT, /* $0 JID, $1 condition, $2 text */
    FMT_OFFLINE_LOGIN_ERROR,       /* $0 host, $1 JID, $2 error */
    FMT_OFFLINE_LOGIN_CLOSED,      /* $0 host, $1 JID */
    FMT_OFFLINE_CLOSED,            /* $0 JID */
    FMT_OFFLINE_PLAIN_REFUSED,     /* $0 JID, $1 host, $2 account name */

    /* Room administration (xmpp/muc-admin.c) */
    FMT_ROOM_SET_ROLE_REFUSED,        /* $0 room, $1 nick, $2 role, $3 error */
    FMT_ROOM_SET_ROLE_DENIED,         /* as FMT_ROOM_SET_ROLE_REFUSED */
    FMT_ROOM_SET_ROLE_MISSING,        /* as FMT_ROOM_SET_ROLE_REFUSED */
    FMT_ROOM_SET_AFFILIATION_REFUSED, /* $0 room, $1 JID, $2 affiliation,
                                         $3 error */
    FMT_ROOM_SET_AFFILIATION_DENIED,  /* as FMT_ROOM_SET_AFFILIATION_REFUSED */
    FMT_ROOM_SET_AFFILIATION_MISSING, /* as FMT_ROOM_SET_AFFILIATION_REFUSED */
    FMT_ROOM_DEFAULTS_REFUSED,        /* $0 room, $1 error */
    FMT_ROOM_DEFAULTS_DENIED,         /* $0 room, $1 error */
    FMT_ROOM_DEFAULTS_MISSING,        /* $0 room, $1 error */
    FMT_ROOM_DESTROY_REFUSED,         /* $0 room, $1 error */
    FMT_ROOM_DESTROY_DENIED,          /* $0 room, $1 error */
    FMT_ROOM_DESTROY_MISSING,         /* $0 room, $1 error */
    FMT_ROOM_AFFILIATION_SET,         /* $0 JID, $1 affiliation, $2 room */
    FMT_ROOM_DEFAULTS_DONE,           /* the room is open */
    FMT_ROOM_AFFILIATES_FAILED,       /* $0 affiliation, $1 room, $2 error */
    FMT_ROOM_AFFILIATES_NONE,  /* $0 count (0), $1 affiliation, $2 room */
    FMT_ROOM_AFFILIATES_ONE,   /* $0 count (1), $1 affiliation, $2 room */
    FMT_ROOM_AFFILIATES,       /* $0 count, $1 affiliation, $2 room */
    FMT_ROOM_AFFILIATE,        /* $0 JID */
    FMT_ROOM_AFFILIATE_NOTE,   /* $0 JID, $1 nick or reason */
    FMT_ROOM_INVITED,          /* $0 JID, $1 room */
    FMT_ROOM_INVITED_MEDIATED, /* $0 JID, $1 room */
    FMT_ROOM_INVITE_FAILED,    /* $0 JID, $1 error */

    FMT_COUNT
};

#endif
