/* SPDX-License-Identifier: MIT */
#include "ui/formats.h"

#include <glib.h>
#include <stdarg.h>

#include "core/format-args.h"

/* Every sentence, with its stable name. Keep the names: themes refer to
 * them. */
static const struct format_def table[] = {
    {FMT_TEXT, "text", "$0"},

    {FMT_MESSAGE_FAILED, "message_failed", "Message to $0 failed: $1"},
    {FMT_UNKNOWN_ERROR, "unknown_error", "unknown error"},

    {FMT_SOMEONE, "someone", "someone"},
    {FMT_ROOM_INVITE, "room_invite",
     "$0 invites you to $1: /join $1 to accept"},
    {FMT_ROOM_INVITE_REASON, "room_invite_reason",
     "$0 invites you to $1 - $2: /join $1 to accept"},
    {FMT_ROOM_JOINED_ONE, "room_joined_one",
     "You joined $0 as $1 ($2 occupant)"},
    {FMT_ROOM_JOINED, "room_joined", "You joined $0 as $1 ($2 occupants)"},
    {FMT_ROOM_LEFT, "room_left", "You left $0"},
    {FMT_ROOM_LEFT_REASON, "room_left_reason", "You left $0: $1"},
    {FMT_ROOM_ENTER, "room_enter", "$0 joined"},
    {FMT_ROOM_EXIT, "room_exit", "$0 left"},
    {FMT_ROOM_EXIT_REASON, "room_exit_reason", "$0 left: $1"},
    {FMT_ROOM_NICK_SELF, "room_nick_self", "You are now known as $0"},
    {FMT_ROOM_NICK, "room_nick", "$0 is now known as $1"},
    {FMT_ROOM_BY, "room_by", " by $0"},
    {FMT_ROOM_REASON, "room_reason", ": $0"},
    {FMT_ROOM_KICKED_SELF, "room_kicked_self",
     "You were kicked from $0$1 (/join to return)"},
    {FMT_ROOM_BANNED_SELF, "room_banned_self", "You were banned from $0$1"},
    {FMT_ROOM_KICKED, "room_kicked", "$0 was kicked$1"},
    {FMT_ROOM_BANNED, "room_banned", "$0 was banned$1"},
    {FMT_ROOM_REMOVED_SELF, "room_removed_self", "You are out of $0: $1"},
    {FMT_ROOM_REMOVED_NO_WHY, "room_removed_no_why", "removed"},
    {FMT_ROOM_REMOVED, "room_removed", "$0 was removed$1"},
    {FMT_ROOM_ROLE_SELF, "room_role_self", "You is now $0 ($1)$2"},
    {FMT_ROOM_ROLE, "room_role", "$0 is now $1 ($2)$3"},
    {FMT_ROOM_TOPIC_BY, "room_topic_by", "Topic: $0 (set by $1)"},
    {FMT_ROOM_TOPIC, "room_topic", "Topic: $0"},
    {FMT_ROOM_TOPIC_EMPTY, "room_topic_empty", "The topic is empty"},
    {FMT_ROOM_CREATED, "room_created",
     "You created $0; if the service keeps new rooms locked, "
     "/room accept-defaults opens it with default settings and /room "
     "config configures it"},
    {FMT_ROOM_REFUSED, "room_refused", "$0 refused a message: $1"},
    {FMT_ROOM_REFUSED_VOICE, "room_refused_voice",
     "$0 refused a message: $1 (visitors may not speak: ask a moderator "
     "for voice)"},
    {FMT_ROOM_CONFIG_CHANGED, "room_config_changed",
     "The configuration of $0 changed"},
    {FMT_ROOM_CONFIG_SAVED, "room_config_saved",
     "The configuration of $0 is saved"},
    {FMT_ROOM_LOGGED, "room_logged", "$0 is now logged"},
    {FMT_ROOM_UNLOGGED, "room_unlogged", "$0 is no longer logged"},
    {FMT_ROOM_HISTORY_FAILED, "room_history_failed",
     "Cannot fetch the history of $0: $1"},
    {FMT_ROOM_REJOIN, "room_rejoin", "Lost the join of $0; joining again"},

    {FMT_ACCOUNT_CONNECTING, "account_connecting", "Connecting to $0"},
    {FMT_ACCOUNT_CONNECTED, "account_connected", "Connected as $0/$1"},
    {FMT_ACCOUNT_DISCONNECTED, "account_disconnected", "Disconnected from $0"},
    {FMT_PRESENCE_STATUS, "presence_status", "$0 is now $1 ($2)"},
    {FMT_PRESENCE, "presence", "$0 is now $1"},

    {FMT_LIMBO_UNCONFIRMED_ONE, "limbo_unconfirmed_one",
     "$0 message sent just before the connection of $1 broke was not "
     "confirmed by the server: sent again when it is back, unless the "
     "stream resumes"},
    {FMT_LIMBO_UNCONFIRMED, "limbo_unconfirmed",
     "$0 messages sent just before the connection of $1 broke were not "
     "confirmed by the server: sent again when it is back, unless the "
     "stream resumes"},
    {FMT_LIMBO_RESENT_ONE, "limbo_resent_one",
     "Sent again $0 message the server had not confirmed before the "
     "connection of $1 broke"},
    {FMT_LIMBO_RESENT, "limbo_resent",
     "Sent again $0 messages the server had not confirmed before the "
     "connection of $1 broke"},
    {FMT_MESSAGE_HELD, "message_held", "Message to $0 held, not sent: $1"},
    {FMT_MESSAGE_HELD_NO_REASON, "message_held_no_reason",
     "Message to $0 held, not sent: a transform holds it"},
    {FMT_MESSAGE_QUEUED, "message_queued",
     "$0 is offline: the message is sent when it connects (/connect $1)"},
    {FMT_PENDING_SENT_ONE, "pending_sent_one",
     "Sent $0 pending message from $1"},
    {FMT_PENDING_SENT, "pending_sent", "Sent $0 pending messages from $1"},
    {FMT_MAM_SAVE_FAILED, "mam_save_failed",
     "Cannot save the archive position of $0: $1"},
    {FMT_MAM_FAILED, "mam_failed", "Archive of $0: $1"},
    {FMT_MAM_OLDER_FAILED, "mam_older_failed",
     "Cannot fetch older messages with $0 from the archive of $1: $2"},
    {FMT_SUB_REQUEST, "sub_request",
     "$0 asks to see your presence: /sub allow $0 to accept, /sub deny $0 "
     "to refuse"},
    {FMT_SUB_ACCEPTED, "sub_accepted",
     "$0 accepted your request to see their presence"},
    {FMT_SUB_REFUSED, "sub_refused",
     "$0 refused or cancelled your subscription to their presence"},
    {FMT_PRESENCE_ERROR, "presence_error", "Presence error from $0: $1"},
    {FMT_ROSTER_FAILED, "roster_failed", "Roster request failed for $0"},
    {FMT_ROSTER_CACHE_IGNORED, "roster_cache_ignored",
     "Roster cache of $0 ignored ($1): fetching the whole roster"},
    {FMT_ROSTER_SAVE_FAILED, "roster_save_failed",
     "Cannot save the roster of $0: $1"},
    {FMT_RECONNECTING, "reconnecting",
     "Reconnecting $0 in $1 s (attempt $2; /reconnect to try now)"},
    {FMT_CERT_FETCH_FAILED, "cert_fetch_failed",
     "Cannot fetch the certificate of $0 for $1: $2"},
    {FMT_CERT_CHANGED, "cert_changed",
     "The certificate of $0 for $1 has changed since you pinned it: "
     "pinned SHA-256 $2, now $3. Type /tls trust $4 only if you know why "
     "it changed"},
    {FMT_CERT_PINNED_REFUSED, "cert_pinned_refused",
     "The certificate of $0 for $1 is the pinned one (SHA-256 $2) but was "
     "refused: is it for another name, or expired? ($3)"},
    {FMT_CERT_UNTRUSTED, "cert_untrusted",
     "Certificate of $0 for $1: $2. If that is your server's certificate, "
     "type /tls trust $3 to pin it"},
    {FMT_AUTOAWAY_AWAY, "autoaway_away", "$0 is away: idle for $1 s"},
    {FMT_AUTOAWAY_BACK, "autoaway_back", "$0 is back: $1"},
    {FMT_OTR_STARTED_UNVERIFIED, "otr_started_unverified",
     "OTR: private conversation with $0 started, not verified, with $1 "
     "(instance $2) (/otr theirfp, then /otr trust or /otr question)"},
    {FMT_OTR_STARTED_VERIFIED, "otr_started_verified",
     "OTR: private conversation with $0 started, verified, with $1 "
     "(instance $2)"},
    {FMT_OTR_REFRESHED, "otr_refreshed",
     "OTR: private conversation with $0 refreshed, with $1 (instance $2)"},
    {FMT_OTR_ENDED, "otr_ended",
     "OTR: private conversation with $0 ended, messages go in the clear"},
    {FMT_OTR_PEER_ENDED, "otr_peer_ended",
     "OTR: $0 ended the private conversation; nothing is sent until /otr end "
     "(in the clear) or /otr start"},
    {FMT_OTR_QUERY_SENT, "otr_query_sent",
     "OTR: asked $0 for a private conversation"},
    {FMT_OTR_QUERY_AWAY, "otr_query_away",
     "OTR: $0 asked for a private conversation while you were away "
     "(/otr start to begin one)"},
    {FMT_OTR_NEW_FINGERPRINT, "otr_new_fingerprint",
     "OTR: new fingerprint of $0: $1 (not verified)"},
    {FMT_OTR_UNENCRYPTED, "otr_unencrypted",
     "OTR: the next message from $0 came unencrypted, although the "
     "conversation is private"},
    {FMT_OTR_UNENCRYPTED_POLICY, "otr_unencrypted_policy",
     "OTR: the next message from $0 came unencrypted, although your OTR "
     "policy for them is always (/otr start)"},
    {FMT_OTR_OTHER_INSTANCE, "otr_other_instance",
     "OTR: a message from $0 for another of your clients (another OTR "
     "instance) was ignored"},
    {FMT_OTR_ERROR, "otr_error", "OTR with $0: $1"},
    {FMT_OTR_PEER_ERROR, "otr_peer_error", "OTR: $0 reports an error: $1"},
    {FMT_OTR_FILE_BAD, "otr_file_bad", "Cannot read OTR file $0: $1"},
    {FMT_OTR_SMP_QUESTION, "otr_smp_question",
     "OTR: $0 asks to verify you: $1 (/otr answer ANSWER)"},
    {FMT_OTR_SMP_SECRET, "otr_smp_secret",
     "OTR: $0 asks to verify you with a shared secret (/otr answer SECRET)"},
    {FMT_OTR_SMP_ASKED, "otr_smp_asked",
     "OTR: asked $0 to verify, waiting for the answer"},
    {FMT_OTR_SMP_SUCCESS, "otr_smp_success",
     "OTR: $0 is verified, the fingerprint is trusted now"},
    {FMT_OTR_SMP_FAILURE, "otr_smp_failure",
     "OTR: verification of $0 failed, the answers differ"},
    {FMT_OTR_SMP_ABORTED, "otr_smp_aborted",
     "OTR: verification of $0 stopped: $1"},
    {FMT_OTR_KEY_GENERATING, "otr_key_generating",
     "Making an OTR key for $0 (a few seconds; messages keep arriving)"},
    {FMT_OTR_KEY_DONE, "otr_key_done", "OTR key for $0 ready, fingerprint $1"},
    {FMT_OTR_KEY_FAILED, "otr_key_failed", "OTR key for $0 not made: $1"},
    {FMT_BOOKMARK_JOIN_FAILED, "bookmark_join_failed",
     "Cannot join bookmarked room $0: $1"},
    {FMT_AUTOJOIN_FAILED, "autojoin_failed", "autojoin of $0: $1"},
    {FMT_BOOKMARK_ADD_ENDED, "bookmark_add_ended",
     "Cannot bookmark $0: the connection ended"},
    {FMT_BOOKMARK_ADD_REFUSED, "bookmark_add_refused",
     "Cannot bookmark $0: $1 refused: $2"},
    {FMT_BOOKMARK_REMOVE_ENDED, "bookmark_remove_ended",
     "Cannot remove the bookmark of $0: the connection ended"},
    {FMT_BOOKMARK_REMOVE_REFUSED, "bookmark_remove_refused",
     "Cannot remove the bookmark of $0: $1 refused: $2"},
    {FMT_BOOKMARKS_READ_ENDED, "bookmarks_read_ended",
     "Cannot read the bookmarks for $0: the connection ended"},
    {FMT_BOOKMARKS_READ_REFUSED, "bookmarks_read_refused",
     "Cannot read the bookmarks for $0: $1 refused: $2"},
    {FMT_BOOKMARKS_UNREADABLE, "bookmarks_unreadable",
     "Cannot read the bookmarks of $0"},
    {FMT_BOOKMARK_NONE, "bookmark_none", "$0 has no bookmark of $1"},
    {FMT_BOOKMARKS_STORE_FAILED, "bookmarks_store_failed",
     "Cannot store the bookmarks of $0: $1"},
    {FMT_BOOKMARKED, "bookmarked", "Bookmarked $0 as $1, autojoin $2"},
    {FMT_BOOKMARKED_NAMED, "bookmarked_named",
     "Bookmarked $0 ($1) as $2, autojoin $3"},
    {FMT_BOOKMARK_REMOVED, "bookmark_removed", "Removed the bookmark of $0"},
    {FMT_BOOKMARKS_PURGED_ELSEWHERE, "bookmarks_purged_elsewhere",
     "Every bookmark of $0 was removed by another client"},
    {FMT_BOOKMARK_ADDED_ELSEWHERE, "bookmark_added_elsewhere",
     "Bookmark added by another client: $0 as $1, autojoin $2"},
    {FMT_BOOKMARK_ADDED_ELSEWHERE_NAMED, "bookmark_added_elsewhere_named",
     "Bookmark added by another client: $0 ($1) as $2, autojoin $3"},
    {FMT_BOOKMARK_CHANGED_ELSEWHERE, "bookmark_changed_elsewhere",
     "Bookmark changed by another client: $0 as $1, autojoin $2"},
    {FMT_BOOKMARK_CHANGED_ELSEWHERE_NAMED, "bookmark_changed_elsewhere_named",
     "Bookmark changed by another client: $0 ($1) as $2, autojoin $3"},
    {FMT_BOOKMARK_REMOVED_ELSEWHERE, "bookmark_removed_elsewhere",
     "Bookmark of $0 removed by another client"},

    {FMT_ROOMS_FAILED, "rooms_failed", "Cannot list the rooms of $0: $1"},
    {FMT_ROOMS_NONE, "rooms_none", "0 public rooms on $0"},
    {FMT_ROOMS_LISTED_ONE, "rooms_listed_one", "$0 public room on $1:"},
    {FMT_ROOMS_LISTED, "rooms_listed", "$0 public rooms on $1:"},
    {FMT_ROOMS_ITEM, "rooms_item", "  $0"},
    {FMT_ROOMS_ITEM_NAMED, "rooms_item_named", "  $0 - $1"},
    {FMT_ROOMS_ITEM_COUNT, "rooms_item_count", "  $0, occupants: $1"},
    {FMT_ROOMS_ITEM_NAMED_COUNT, "rooms_item_named_count",
     "  $0 - $1, occupants: $2"},

    {FMT_HISTORY_FAILING, "history_failing",
     "$0 (messages stay in their windows and are written when it works "
     "again)"},
    {FMT_HISTORY_SAVED_AGAIN_ONE, "history_saved_again_one",
     "History of account $0 saved again ($1 waiting message written)"},
    {FMT_HISTORY_SAVED_AGAIN, "history_saved_again",
     "History of account $0 saved again ($1 waiting messages written)"},

    {FMT_NO_SUCH_ACCOUNT, "no_such_account",
     "-a $0: no such account (see /account list)"},
    {FMT_OFFLINE_CONNECT_FAILED, "offline_connect_failed",
     "Cannot connect to $0 for $1: $2"},
    {FMT_OFFLINE_NO_ADDRESS, "offline_no_address",
     "Cannot connect to $0 for $1: no address found"},
    {FMT_OFFLINE_SETUP_TIMEOUT, "offline_setup_timeout",
     "Cannot connect to $0 for $1: the server did not complete the login "
     "within $2 s"},
    {FMT_OFFLINE_SETUP_CUT, "offline_setup_cut",
     "Cannot connect to $0 for $1: the server stopped answering while the "
     "connection was being set up (cut after $2 s)"},
    {FMT_OFFLINE_CERT_REFUSED, "offline_cert_refused",
     "Certificate of $0 refused for $1: $2; /tls trust pins it if you trust "
     "it"},
    {FMT_OFFLINE_LOGIN_FAILED, "offline_login_failed",
     "Login failed for $0: $1 (wrong password or no such account?)"},
    {FMT_OFFLINE_LOST, "offline_lost", "Connection of $0 lost: $1"},
    {FMT_OFFLINE_NO_TLS, "offline_no_tls",
     "Cannot connect securely to $0 for $1: $2 (use 'tls allow' to permit "
     "plaintext)"},
    {FMT_OFFLINE_STREAM_ERROR, "offline_stream_error",
     "Server closed the stream of $0: $1"},
    {FMT_OFFLINE_STREAM_ERROR_TEXT, "offline_stream_error_text",
     "Server closed the stream of $0: $1: $2"},
    {FMT_OFFLINE_LOGIN_ERROR, "offline_login_error",
     "Cannot log in to $0 as $1: $2"},
    {FMT_OFFLINE_LOGIN_CLOSED, "offline_login_closed",
     "Cannot log in to $0 as $1: the server closed the connection"},
    {FMT_OFFLINE_CLOSED, "offline_closed",
     "Connection of $0 closed by the server"},
    {FMT_OFFLINE_PLAIN_REFUSED, "offline_plain_refused",
     "Login refused for $0: $1 offers no TLS and only PLAIN, which would "
     "send the password in clear (/account set $2 allow_plain on to accept "
     "that)"},

    {FMT_ROOM_SET_ROLE_REFUSED, "room_set_role_refused",
     "Cannot set the role of $1 to $2 in $0: $3"},
    {FMT_ROOM_SET_ROLE_DENIED, "room_set_role_denied",
     "Cannot set the role of $1 to $2 in $0: $3: you lack the privileges for "
     "that"},
    {FMT_ROOM_SET_ROLE_MISSING, "room_set_role_missing",
     "Cannot set the role of $1 to $2 in $0: $3: no such occupant or room"},
    {FMT_ROOM_SET_AFFILIATION_REFUSED, "room_set_affiliation_refused",
     "Cannot set the affiliation of $1 to $2 in $0: $3"},
    {FMT_ROOM_SET_AFFILIATION_DENIED, "room_set_affiliation_denied",
     "Cannot set the affiliation of $1 to $2 in $0: $3: you lack the "
     "privileges for that"},
    {FMT_ROOM_SET_AFFILIATION_MISSING, "room_set_affiliation_missing",
     "Cannot set the affiliation of $1 to $2 in $0: $3: no such occupant or "
     "room"},
    {FMT_ROOM_DEFAULTS_REFUSED, "room_defaults_refused",
     "Cannot accept the defaults in $0: $1"},
    {FMT_ROOM_DEFAULTS_DENIED, "room_defaults_denied",
     "Cannot accept the defaults in $0: $1: you lack the privileges for that"},
    {FMT_ROOM_DEFAULTS_MISSING, "room_defaults_missing",
     "Cannot accept the defaults in $0: $1: no such occupant or room"},
    {FMT_ROOM_DESTROY_REFUSED, "room_destroy_refused",
     "Cannot destroy the room in $0: $1"},
    {FMT_ROOM_DESTROY_DENIED, "room_destroy_denied",
     "Cannot destroy the room in $0: $1: you lack the privileges for that"},
    {FMT_ROOM_DESTROY_MISSING, "room_destroy_missing",
     "Cannot destroy the room in $0: $1: no such occupant or room"},
    {FMT_ROOM_AFFILIATION_SET, "room_affiliation_set", "$0 is now $1 of $2"},
    {FMT_ROOM_DEFAULTS_DONE, "room_defaults_done",
     "The room is open, with its default settings"},
    {FMT_ROOM_AFFILIATES_FAILED, "room_affiliates_failed",
     "Cannot list the $0s of $1: $2"},
    {FMT_ROOM_AFFILIATES_NONE, "room_affiliates_none", "$0 $1s of $2"},
    {FMT_ROOM_AFFILIATES_ONE, "room_affiliates_one", "$0 $1 of $2:"},
    {FMT_ROOM_AFFILIATES, "room_affiliates", "$0 $1s of $2:"},
    {FMT_ROOM_AFFILIATE, "room_affiliate", "  $0"},
    {FMT_ROOM_AFFILIATE_NOTE, "room_affiliate_note", "  $0 ($1)"},
    {FMT_ROOM_INVITED, "room_invited", "Invited $0 to $1"},
    {FMT_ROOM_INVITED_MEDIATED, "room_invited_mediated",
     "Invited $0 to $1 (through the room)"},
    {FMT_ROOM_INVITE_FAILED, "room_invite_failed", "Cannot invite $0: $1"},
};

/* The whole table, *n entries long, in no particular order. */
const struct format_def *
formats_table(size_t *n)
{
    *n = G_N_ELEMENTS(table);
    return table;
}

/* The entry of id, NULL for an id outside the table. */
const struct format_def *
formats_find(enum format_id id)
{
    /* The table is short and a notice is rare: no index needed. */
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
        if (table[i].id == id)
            return &table[i];
    return NULL;
}

/* Expand template tmpl with the nargs strings of args (NULL entries count
 * as ""); caller frees. */
char *
formats_expand_template(const char *tmpl, const char *const *args,
                        size_t nargs)
{
    GString *out = g_string_sized_new(64);

    for (const char *p = tmpl; *p != '\0'; p++) {
        if (*p != '$') {
            g_string_append_c(out, *p);
        } else if (p[1] == '$') {
            g_string_append_c(out, '$');
            p++;
        } else if (p[1] >= '0' && p[1] <= '9') {
            size_t i = (size_t)(p[1] - '0');
            if (i < nargs && args[i] != NULL)
                g_string_append(out, args[i]);
            p++;
        } else {
            g_string_append_c(out, '$');
        }
    }
    return g_string_free(out, FALSE);
}

/* The text of id with the NULL-terminated args (args may be NULL); an
 * unknown id gives its arguments joined by spaces. Caller frees. */
char *
formats_expandv(enum format_id id, const char *const *args)
{
    const struct format_def *f = formats_find(id);
    size_t n = 0;

    while (args != NULL && args[n] != NULL)
        n++;
    /* Say something rather than nothing if the table lacks an id. */
    if (f == NULL)
        return args != NULL ? g_strjoinv(" ", (char **)args) : g_strdup("");
    return formats_expand_template(f->tmpl, args, n);
}

/* The text of id with the string arguments that follow, up to a NULL;
 * caller frees. */
char *
formats_text(enum format_id id, ...)
{
    GPtrArray *args;
    va_list ap;
    char *text;

    va_start(ap, id);
    args = format_args_collect(ap);
    va_end(ap);
    text = formats_expandv(id, (const char *const *)args->pdata);
    g_ptr_array_free(args, TRUE);
    return text;
}
