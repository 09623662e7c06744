/* SPDX-License-Identifier: MIT */
/* Group chat commands: /join, /leave, /nick, /topic, /rooms, /occupants,
 * moderation, /invite and /room. */
#include <string.h>

#include "cmd/cmd.h"
#include "core/account.h"
#include "core/event.h"
#include "core/room.h"
#include "core/settings.h"
#include "core/window.h"
#include "xmpp/jid.h"
#include "xmpp/muc.h"
#include "xmpp/muc-config.h"

static const char *const roles[] = {"moderator", "participant", "visitor",
                                    "none", NULL};
static const char *const affiliations[] = {"owner",   "admin", "member",
                                           "outcast", "none",  NULL};

/*
 * The room JID a room command typed in a acts on: the room of a room
 * window, or of a private window with an occupant. NULL with *cause set
 * elsewhere. Note: result must be freed with g_free().
 */
static char *
room_of_window(struct cmd_args *a, char **cause)
{
    struct window *w = a->win;

    if (w != NULL && w->type == WINDOW_ROOM)
        return g_strdup(w->jid);
    if (w != NULL && w->type == WINDOW_PRIVATE) {
        const char *slash = strchr(w->jid, '/');
        return g_strndup(w->jid, slash != NULL ? (gsize)(slash - w->jid)
                                               : strlen(w->jid));
    }
    *cause = g_strdup_printf("/%s works in a room window: /join a room or "
                             "switch to one with /win",
                             a->cmd->name);
    return NULL;
}

/* Add the nicks of the current room's occupants that start with prefix,
 * each followed by suffix. */
static void
complete_nick_suffix(const char *prefix, const char *suffix, GPtrArray *out)
{
    struct window *w = window_current();
    struct room *room;
    GPtrArray *occ;
    size_t n = strlen(prefix);

    if (w == NULL || w->type != WINDOW_ROOM || w->acct == NULL)
        return;
    room = room_find(w->acct, w->jid);
    if (room == NULL)
        return;
    occ = room_occupants_sorted(room);
    for (guint i = 0; i < occ->len; i++) {
        struct occupant *o = occ->pdata[i];
        if (g_ascii_strncasecmp(o->nick, prefix, n) == 0 &&
            (room->nick == NULL || strcmp(o->nick, room->nick) != 0))
            g_ptr_array_add(out, g_strconcat(o->nick, suffix, NULL));
    }
    g_ptr_array_unref(occ);
}

/* Add occupant nicks of the current room that start with prefix. */
void
complete_nick(const char *prefix, bool line_start, GPtrArray *out)
{
    complete_nick_suffix(
        prefix, line_start ? settings_get("muc.nick_suffix") : "", out);
}

/* /join ROOM [nick NICK] [password PASS] */
static bool
exec_join(struct cmd_args *a, char **cause)
{
    char *room_jid, *nick = NULL;
    const char *password = NULL;
    struct window *w;
    bool ok;

    for (int i = 1; i < a->argc; i += 2) {
        if (i + 1 >= a->argc) {
            *cause = g_strdup_printf("%s needs a value: /join ROOM nick "
                                     "NICK password PASS",
                                     a->argv[i]);
            g_free(nick);
            return false;
        }
        if (strcmp(a->argv[i], "nick") == 0) {
            g_free(nick);
            nick = g_strdup(a->argv[i + 1]);
        } else if (strcmp(a->argv[i], "password") == 0) {
            password = a->argv[i + 1];
        } else {
            *cause = g_strdup_printf("Unknown option %s: /join ROOM nick "
                                     "NICK password PASS",
                                     a->argv[i]);
            g_free(nick);
            return false;
        }
    }
    room_jid = muc_room_jid(a->acct, a->argv[0], cause);
    if (room_jid == NULL) {
        g_free(nick);
        return false;
    }
    if (nick == NULL)
        nick = muc_default_nick(a->acct);
    if (nick[0] == '\0') {
        *cause = g_strdup("A nick cannot be empty");
        g_free(nick);
        g_free(room_jid);
        return false;
    }
    ok = muc_join(a->acct, room_jid, nick, password, cause);
    if (ok) {
        w = window_get(a->acct, WINDOW_ROOM, room_jid);
        window_switch(w);
    }
    g_free(nick);
    g_free(room_jid);
    return ok;
}

/* Complete bookmarked rooms, then the keywords of /join. */
static void
complete_join(int argi, char **args, const char *prefix, GPtrArray *out)
{
    static const char *const words[] = {"nick", "password", NULL};

    if (argi == 0)
        complete_bookmarks(prefix, out);
    if (argi > 0 && argi % 2 == 1)
        complete_words(words, prefix, out);
}

static const char *const join_args[] = {
    "ROOM: room@service, or a room name on your server's group chat service",
    "nick NICK: the nick to use (default: your JID's local part)",
    "password PASS: the room's password", NULL};
static const char *const join_examples[] = {
    "/join natter", "/join dev@conference.example.com nick ann",
    "/join secret@conference.example.com password hunter2", NULL};

const struct cmd cmd_entry_join = {
    .name = "join",
    .synopsis = "ROOM[@service] [nick NICK] [password PASS]",
    .description = "Join a group chat room (XEP-0045) and switch to its "
                   "window. A room that does not exist is created, locked "
                   "until you /room accept-defaults or configure it. Every "
                   "failure (nick in use, members-only, banned, wrong "
                   "password) is one line in the room window saying what "
                   "to do.",
    .args = join_args,
    .examples = join_examples,
    .min_args = 1,
    .max_args = 5,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_join,
    .exec = exec_join,
};

/* /leave [reason] */
static bool
exec_leave(struct cmd_args *a, char **cause)
{
    char *room_jid = room_of_window(a, cause);
    bool ok;

    if (room_jid == NULL)
        return false;
    ok = muc_leave(a->acct, room_jid, a->argc > 0 ? a->argv[0] : NULL, cause);
    g_free(room_jid);
    return ok;
}

static const char *const leave_args[] = {
    "reason: a parting message the room shows (the rest of the line)", NULL};
static const char *const leave_examples[] = {"/leave", "/leave see you", NULL};

const struct cmd cmd_entry_leave = {
    .name = "leave",
    .aliases = (const char *const[]){"part", NULL},
    .synopsis = "[reason]",
    .description = "Leave the room of the current window; the window stays "
                   "open (/close closes it).",
    .args = leave_args,
    .examples = leave_examples,
    .min_args = 0,
    .max_args = 1,
    .rest = true,
    .exec = exec_leave,
};

/* /nick NEW */
static bool
exec_nick(struct cmd_args *a, char **cause)
{
    char *room_jid = room_of_window(a, cause);
    bool ok;

    if (room_jid == NULL)
        return false;
    ok = muc_set_nick(a->acct, room_jid, a->argv[0], cause);
    g_free(room_jid);
    return ok;
}

static const char *const nick_args[] = {"NEW: the nick to use in this room",
                                        NULL};
static const char *const nick_examples[] = {"/nick ann_away", NULL};

const struct cmd cmd_entry_nick = {
    .name = "nick",
    .synopsis = "NEW",
    .description = "Change your nick in the room of the current window.",
    .args = nick_args,
    .examples = nick_examples,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_ONLINE,
    .exec = exec_nick,
};

/* /topic [TEXT] */
static bool
exec_topic(struct cmd_args *a, char **cause)
{
    char *room_jid = room_of_window(a, cause);
    struct room *room;
    bool ok = true;

    if (room_jid == NULL)
        return false;
    if (a->argc == 0) {
        room = room_find(a->acct, room_jid);
        if (room != NULL && room->subject != NULL)
            window_printf(a->win, LINE_INFO, "Topic of %s: %s", room_jid,
                          room->subject);
        else
            window_printf(a->win, LINE_INFO, "%s has no topic", room_jid);
    } else {
        ok = muc_set_subject(a->acct, room_jid, a->argv[0], cause);
    }
    g_free(room_jid);
    return ok;
}

static const char *const topic_args[] = {
    "TEXT: the new topic (the rest of the line); without it, the topic is "
    "shown",
    NULL};
static const char *const topic_examples[] = {"/topic",
                                             "/topic Release on Friday", NULL};

const struct cmd cmd_entry_topic = {
    .name = "topic",
    .synopsis = "[TEXT]",
    .description = "Show or set the topic (subject) of the room of the "
                   "current window; it also shows in the title bar.",
    .args = topic_args,
    .examples = topic_examples,
    .min_args = 0,
    .max_args = 1,
    .rest = true,
    .exec = exec_topic,
};

/* /rooms [service] */
static bool
exec_rooms(struct cmd_args *a, char **cause)
{
    return muc_list_rooms(a->acct, a->argc > 0 ? a->argv[0] : NULL, cause);
}

static const char *const rooms_args[] = {
    "service: a group chat service (default: your server's)", NULL};
static const char *const rooms_examples[] = {
    "/rooms", "/rooms conference.example.com", NULL};

const struct cmd cmd_entry_rooms = {
    .name = "rooms",
    .synopsis = "[service]",
    .description = "List the public rooms of a group chat service with "
                   "their names and occupant counts (XEP-0030).",
    .args = rooms_args,
    .examples = rooms_examples,
    .min_args = 0,
    .max_args = 1,
    .flags = CMD_NEEDS_ONLINE,
    .exec = exec_rooms,
};

/* /occupants */
static bool
exec_occupants(struct cmd_args *a, char **cause)
{
    char *room_jid = room_of_window(a, cause);
    struct room *room;
    GPtrArray *occ;

    if (room_jid == NULL)
        return false;
    room = room_find(a->acct, room_jid);
    if (room == NULL || room->state != ROOM_JOINED) {
        *cause = g_strdup_printf("You are not in %s", room_jid);
        g_free(room_jid);
        return false;
    }
    occ = room_occupants_sorted(room);
    window_printf(a->win, LINE_INFO, "%u occupant%s in %s:", occ->len,
                  occ->len == 1 ? "" : "s", room_jid);
    for (guint i = 0; i < occ->len; i++) {
        struct occupant *o = occ->pdata[i];
        window_printf(a->win, LINE_INFO, "  %s (%s, %s, %s)%s%s", o->nick,
                      room_role_name(o->role),
                      room_affiliation_name(o->affiliation), o->show,
                      o->jid != NULL ? " " : "", o->jid != NULL ? o->jid : "");
    }
    g_ptr_array_unref(occ);
    g_free(room_jid);
    return true;
}

static const char *const occupants_examples[] = {"/occupants", NULL};

const struct cmd cmd_entry_occupants = {
    .name = "occupants",
    .aliases = (const char *const[]){"names", NULL},
    .synopsis = "",
    .description = "List who is in the room of the current window, with "
                   "role, affiliation, presence and real JID where the "
                   "room shows it.",
    .examples = occupants_examples,
    .min_args = 0,
    .max_args = 0,
    .exec = exec_occupants,
};

/* Complete an occupant nick as the first argument. */
static void
complete_first_nick(int argi, char **args, const char *prefix, GPtrArray *out)
{
    if (argi == 0)
        complete_nick(prefix, false, out);
}

/* Set nick's role in the current room to role, with the rest as reason. */
static bool
set_role(struct cmd_args *a, const char *nick, const char *role,
         const char *reason, char **cause)
{
    char *room_jid = room_of_window(a, cause);
    bool ok;

    if (room_jid == NULL)
        return false;
    ok = muc_admin(a->acct, room_jid, nick, NULL, "role", role, reason, cause);
    g_free(room_jid);
    return ok;
}

/* /kick NICK [reason] */
static bool
exec_kick(struct cmd_args *a, char **cause)
{
    return set_role(a, a->argv[0], "none", a->argc > 1 ? a->argv[1] : NULL,
                    cause);
}

static const char *const kick_args[] = {
    "NICK: the occupant to kick",
    "reason: why (the rest of the line), shown to everyone", NULL};
static const char *const kick_examples[] = {"/kick spammer",
                                            "/kick bob calm down", NULL};

const struct cmd cmd_entry_kick = {
    .name = "kick",
    .synopsis = "NICK [reason]",
    .description = "Kick an occupant out of the current room (moderators).",
    .args = kick_args,
    .examples = kick_examples,
    .min_args = 1,
    .max_args = 2,
    .rest = true,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_first_nick,
    .exec = exec_kick,
};

/* The bare JID for who: an occupant's real JID, or who as a JID. Caller
 * frees; NULL with *cause set. */
static char *
jid_for(struct cmd_args *a, const char *room_jid, const char *who,
        char **cause)
{
    struct room *room = room_find(a->acct, room_jid);
    struct occupant *o = room != NULL ? room_occupant(room, who) : NULL;
    char *why = NULL, *bare;

    if (o != NULL && o->jid != NULL)
        return jid_bare(o->jid, cause);
    if (o != NULL && strchr(who, '@') == NULL) {
        *cause = g_strdup_printf("The room hides the real JID of %s: give "
                                 "the JID",
                                 who);
        return NULL;
    }
    bare = jid_bare(who, &why);
    if (bare == NULL) {
        *cause = g_strdup_printf("Invalid JID %s: %s", who, why);
        g_free(why);
    }
    return bare;
}

/* Set the affiliation of who (JID or nick) in the current room. */
static bool
set_affiliation(struct cmd_args *a, const char *who, const char *affil,
                const char *reason, char **cause)
{
    char *room_jid = room_of_window(a, cause), *jid;
    bool ok;

    if (room_jid == NULL)
        return false;
    jid = jid_for(a, room_jid, who, cause);
    ok = jid != NULL && muc_admin(a->acct, room_jid, NULL, jid, "affiliation",
                                  affil, reason, cause);
    g_free(jid);
    g_free(room_jid);
    return ok;
}

/* /ban JID [reason] */
static bool
exec_ban(struct cmd_args *a, char **cause)
{
    return set_affiliation(a, a->argv[0], "outcast",
                           a->argc > 1 ? a->argv[1] : NULL, cause);
}

static const char *const ban_args[] = {
    "JID: who to ban (or an occupant's nick, when the room shows their JID)",
    "reason: why (the rest of the line)", NULL};
static const char *const ban_examples[] = {"/ban spam@example.net flooding",
                                           NULL};

const struct cmd cmd_entry_ban = {
    .name = "ban",
    .synopsis = "JID [reason]",
    .description = "Ban a JID from the current room (its affiliation "
                   "becomes outcast; admins and owners).",
    .args = ban_args,
    .examples = ban_examples,
    .min_args = 1,
    .max_args = 2,
    .rest = true,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_first_nick,
    .exec = exec_ban,
};

/* /role NICK ROLE [reason] */
static bool
exec_role(struct cmd_args *a, char **cause)
{
    if (g_strv_contains(roles, a->argv[1]) == FALSE) {
        *cause = g_strdup_printf("Unknown role %s: moderator, participant, "
                                 "visitor or none",
                                 a->argv[1]);
        return false;
    }
    return set_role(a, a->argv[0], a->argv[1], a->argc > 2 ? a->argv[2] : NULL,
                    cause);
}

/* Complete a nick, then a role. */
static void
complete_role(int argi, char **args, const char *prefix, GPtrArray *out)
{
    if (argi == 0)
        complete_nick(prefix, false, out);
    else if (argi == 1)
        complete_words(roles, prefix, out);
}

static const char *const role_args[] = {
    "NICK: the occupant", "ROLE: moderator, participant, visitor or none",
    "reason: why (the rest of the line)", NULL};
static const char *const role_examples[] = {"/role bob moderator",
                                            "/role troll visitor", NULL};

const struct cmd cmd_entry_role = {
    .name = "role",
    .synopsis = "NICK ROLE [reason]",
    .description = "Change an occupant's role in the current room "
                   "(moderators); none kicks.",
    .args = role_args,
    .examples = role_examples,
    .min_args = 2,
    .max_args = 3,
    .rest = true,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_role,
    .exec = exec_role,
};

/* /affiliation JID AFFILIATION [reason] | /affiliation list AFFILIATION */
static bool
exec_affiliation(struct cmd_args *a, char **cause)
{
    const char *affil = a->argv[1];

    if (g_strv_contains(affiliations, affil) == FALSE) {
        *cause = g_strdup_printf("Unknown affiliation %s: owner, admin, "
                                 "member, outcast or none",
                                 affil);
        return false;
    }
    if (strcmp(a->argv[0], "list") == 0) {
        char *room_jid = room_of_window(a, cause);
        bool ok;
        if (room_jid == NULL)
            return false;
        ok = muc_list_affiliation(a->acct, room_jid, affil, cause);
        g_free(room_jid);
        return ok;
    }
    return set_affiliation(a, a->argv[0], affil,
                           a->argc > 2 ? a->argv[2] : NULL, cause);
}

/* Complete list or a nick, then an affiliation. */
static void
complete_affiliation(int argi, char **args, const char *prefix, GPtrArray *out)
{
    static const char *const list[] = {"list", NULL};

    if (argi == 0) {
        complete_words(list, prefix, out);
        complete_nick(prefix, false, out);
    } else if (argi == 1) {
        complete_words(affiliations, prefix, out);
    }
}

static const char *const affiliation_args[] = {
    "JID: who (or an occupant's nick when the room shows real JIDs); "
    "'list' lists the JIDs with AFFILIATION",
    "AFFILIATION: owner, admin, member, outcast or none",
    "reason: why (the rest of the line)", NULL};
static const char *const affiliation_examples[] = {
    "/affiliation bob@example.com member", "/affiliation list outcast", NULL};

const struct cmd cmd_entry_affiliation = {
    .name = "affiliation",
    .synopsis = "JID|list AFFILIATION [reason]",
    .description = "Change a JID's long-term affiliation with the current "
                   "room, or list who has one (admins and owners).",
    .args = affiliation_args,
    .examples = affiliation_examples,
    .min_args = 2,
    .max_args = 3,
    .rest = true,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_affiliation,
    .exec = exec_affiliation,
};

/* /voice NICK */
static bool
exec_voice(struct cmd_args *a, char **cause)
{
    return set_role(a, a->argv[0], "participant", NULL, cause);
}

static const char *const voice_args[] = {"NICK: the occupant", NULL};
static const char *const voice_examples[] = {"/voice newbie", NULL};

const struct cmd cmd_entry_voice = {
    .name = "voice",
    .synopsis = "NICK",
    .description = "Let a visitor speak in a moderated room (role "
                   "participant).",
    .args = voice_args,
    .examples = voice_examples,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_first_nick,
    .exec = exec_voice,
};

/* /devoice NICK */
static bool
exec_devoice(struct cmd_args *a, char **cause)
{
    return set_role(a, a->argv[0], "visitor", NULL, cause);
}

static const char *const devoice_examples[] = {"/devoice loudmouth", NULL};

const struct cmd cmd_entry_devoice = {
    .name = "devoice",
    .synopsis = "NICK",
    .description = "Take the voice of an occupant in a moderated room "
                   "(role visitor).",
    .args = voice_args,
    .examples = devoice_examples,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_first_nick,
    .exec = exec_devoice,
};

/* /invite JID [reason] */
static bool
exec_invite(struct cmd_args *a, char **cause)
{
    char *room_jid = room_of_window(a, cause), *why = NULL, *bare;
    bool ok;

    if (room_jid == NULL)
        return false;
    bare = jid_bare(a->argv[0], &why);
    if (bare == NULL) {
        *cause = g_strdup_printf("Invalid JID %s: %s", a->argv[0], why);
        g_free(why);
        g_free(room_jid);
        return false;
    }
    ok = muc_invite(a->acct, room_jid, bare, a->argc > 1 ? a->argv[1] : NULL,
                    cause);
    g_free(bare);
    g_free(room_jid);
    return ok;
}

/* Complete a contact's JID. */
static void
complete_invite(int argi, char **args, const char *prefix, GPtrArray *out)
{
    if (argi == 0)
        complete_jid(prefix, out);
}

static const char *const invite_args[] = {
    "JID: who to invite",
    "reason: a note with the invitation (the rest "
    "of the line)",
    NULL};
static const char *const invite_examples[] = {
    "/invite bob@example.com", "/invite bob@example.com come and see", NULL};

const struct cmd cmd_entry_invite = {
    .name = "invite",
    .synopsis = "JID [reason]",
    .description = "Invite a contact to the room of the current window: "
                   "directly (XEP-0249) when their client supports it, "
                   "else through the room.",
    .args = invite_args,
    .examples = invite_examples,
    .min_args = 1,
    .max_args = 2,
    .rest = true,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_invite,
    .exec = exec_invite,
};

/* /room accept-defaults | config | destroy [reason] */
static bool
exec_room(struct cmd_args *a, char **cause)
{
    char *room_jid = room_of_window(a, cause);
    bool ok;

    if (room_jid == NULL)
        return false;
    if (strcmp(a->argv[0], "accept-defaults") == 0) {
        ok = muc_instant(a->acct, room_jid, cause);
    } else if (strcmp(a->argv[0], "config") == 0) {
        ok = muc_config(a->acct, room_jid, cause);
    } else if (strcmp(a->argv[0], "destroy") == 0) {
        ok = muc_destroy(a->acct, room_jid, a->argc > 1 ? a->argv[1] : NULL,
                         cause);
    } else {
        *cause = g_strdup_printf("Unknown /room action %s: accept-defaults, "
                                 "config or destroy",
                                 a->argv[0]);
        ok = false;
    }
    g_free(room_jid);
    return ok;
}

/* Complete the /room actions. */
static void
complete_room(int argi, char **args, const char *prefix, GPtrArray *out)
{
    static const char *const actions[] = {"accept-defaults", "config",
                                          "destroy", NULL};

    if (argi == 0)
        complete_words(actions, prefix, out);
}

static const char *const room_args[] = {
    "accept-defaults: open a room you just created with its default "
    "settings",
    "config: open the room's configuration form in a form window (see "
    "/form)",
    "destroy [reason]: destroy the room (owners)", NULL};
static const char *const room_examples[] = {
    "/room accept-defaults", "/room config", "/room destroy moved elsewhere",
    NULL};

const struct cmd cmd_entry_room = {
    .name = "room",
    .synopsis = "accept-defaults|config|destroy [reason]",
    .description = "Manage the room of the current window.",
    .args = room_args,
    .examples = room_examples,
    .min_args = 1,
    .max_args = 2,
    .rest = true,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_room,
    .exec = exec_room,
};
