/* SPDX-License-Identifier: MIT */
/* /bookmark: room bookmarks kept on the server (XEP-0402, XEP-0048). */
#include <string.h>

#include "cmd/cmd.h"
#include "core/account.h"
#include "core/bookmark.h"
#include "core/room.h"
#include "core/window.h"
#include "xmpp/bookmarks.h"
#include "xmpp/muc.h"

static const char *const subcommands[] = {"list", "add", "remove", NULL};
static const char *const add_options[] = {"nick", "autojoin", "name",
                                          "password", NULL};
static const char *const on_off[] = {"on", "off", NULL};

/*
 * The room a /bookmark subcommand acts on: typed (a JID or a name on the
 * account's service), else the room of the current window. NULL with
 * *cause set. Note: result must be freed with g_free().
 */
static char *
room_arg(struct cmd_args *a, const char *typed, char **cause)
{
    if (typed != NULL)
        return muc_room_jid(a->acct, typed, cause);
    if (a->win != NULL && a->win->type == WINDOW_ROOM)
        return g_strdup(a->win->jid);
    *cause = g_strdup("Which room? Give ROOM, or use /bookmark in a room "
                      "window");
    return NULL;
}

/*
 * Apply the "KEY VALUE" options of argv (argc words) to b. False with
 * *cause on an unknown key, a missing value or a bad on|off.
 */
static bool
apply_options(struct bookmark *b, int argc, char **argv, char **cause)
{
    for (int i = 0; i < argc; i += 2) {
        const char *key = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        char **field = NULL;
        if (val == NULL) {
            *cause = g_strdup_printf("%s needs a value: /bookmark add [ROOM]"
                                     " [nick NICK] [autojoin on|off]",
                                     key);
            return false;
        }
        if (strcmp(key, "autojoin") == 0) {
            if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0) {
                *cause = g_strdup_printf("autojoin is on or off, not %s", val);
                return false;
            }
            b->autojoin = strcmp(val, "on") == 0;
            continue;
        }
        if (strcmp(key, "nick") == 0)
            field = &b->nick;
        else if (strcmp(key, "name") == 0)
            field = &b->name;
        else if (strcmp(key, "password") == 0)
            field = &b->password;
        if (field == NULL) {
            *cause = g_strdup_printf("Unknown option %s: /bookmark add "
                                     "[ROOM] [nick NICK] [autojoin on|off] "
                                     "[name NAME] [password PASS]",
                                     key);
            return false;
        }
        g_free(*field);
        /* An empty value ("") clears the field. */
        *field = val[0] != '\0' ? g_strdup(val) : NULL;
    }
    return true;
}

/* /bookmark add [ROOM] [KEY VALUE]... */
static bool
exec_add(struct cmd_args *a, char **cause)
{
    int argc = a->argc - 1;
    char **argv = a->argv + 1;
    /* KEY VALUE pairs come in twos: an odd count starts with the room. */
    bool has_room = argc % 2 == 1;
    char *jid;
    struct bookmark *old, *b;
    struct room *room;
    bool ok;

    if (!bookmarks_can_change(a->acct, cause))
        return false;
    jid = room_arg(a, has_room ? argv[0] : NULL, cause);
    if (jid == NULL)
        return false;
    old = bookmark_find(a->acct, jid);
    room = room_find(a->acct, jid);
    if (old != NULL) {
        b = bookmark_copy(old); /* a change keeps what it does not name */
        b->autojoin = true;
    } else {
        b = bookmark_new(jid);
        b->autojoin = true;
        /* The nick we are in the room with is the one to come back as. */
        if (room != NULL && room->nick != NULL)
            b->nick = g_strdup(room->nick);
        if (room != NULL && room->password != NULL)
            b->password = g_strdup(room->password);
    }
    ok = apply_options(b, argc - (has_room ? 1 : 0), argv + (has_room ? 1 : 0),
                       cause) &&
         bookmarks_add(a->acct, b, cause);
    bookmark_free(b);
    g_free(jid);
    return ok;
}

/* /bookmark remove [ROOM] */
static bool
exec_remove(struct cmd_args *a, char **cause)
{
    char *jid;
    bool ok;

    if (!bookmarks_can_change(a->acct, cause))
        return false;
    jid = room_arg(a, a->argc > 1 ? a->argv[1] : NULL, cause);
    if (jid == NULL)
        return false;
    ok = bookmarks_remove(a->acct, jid, cause);
    g_free(jid);
    return ok;
}

/* /bookmark list */
static bool
exec_list(struct cmd_args *a, char **cause)
{
    struct bookmark_set *set = bookmark_set_get(a->acct);
    GPtrArray *list;

    if (!set->loaded) {
        *cause = g_strdup_printf("The bookmarks of %s are still loading: "
                                 "try again in a moment",
                                 a->acct->jid);
        return false;
    }
    if (set->store == BOOKMARK_STORE_NONE) {
        *cause = g_strdup_printf("The server of %s keeps no bookmarks "
                                 "(neither XEP-0402 nor private storage)",
                                 a->acct->jid);
        return false;
    }
    list = bookmark_sorted(a->acct);
    window_printf(a->win, LINE_INFO, "%u bookmark%s of %s in %s%s", list->len,
                  list->len == 1 ? "" : "s", a->acct->jid,
                  bookmark_store_name(set->store), list->len > 0 ? ":" : "");
    for (guint i = 0; i < list->len; i++) {
        struct bookmark *b = list->pdata[i];
        window_printf(a->win, LINE_INFO, "  %s%s%s%s nick %s, autojoin %s%s",
                      b->jid, b->name != NULL ? " \"" : "",
                      b->name != NULL ? b->name : "",
                      b->name != NULL ? "\"" : "",
                      b->nick != NULL ? b->nick : "(default)",
                      b->autojoin ? "on" : "off",
                      b->password != NULL ? ", with password" : "");
    }
    g_ptr_array_unref(list);
    return true;
}

/* /bookmark [list|add|remove] ... */
static bool
exec_bookmark(struct cmd_args *a, char **cause)
{
    const char *sub = a->argc > 0 ? a->argv[0] : "list";

    if (strcmp(sub, "list") == 0 && a->argc <= 1)
        return exec_list(a, cause);
    if (strcmp(sub, "add") == 0)
        return exec_add(a, cause);
    if (strcmp(sub, "remove") == 0 && a->argc <= 2)
        return exec_remove(a, cause);
    *cause = cmd_usage(a->cmd);
    return false;
}

/* Add the bookmarked rooms of every account that start with prefix. */
void
complete_bookmarks(const char *prefix, GPtrArray *out)
{
    GPtrArray *accts = account_list();

    for (guint i = 0; i < accts->len; i++) {
        GPtrArray *list = bookmark_sorted(accts->pdata[i]);
        for (guint j = 0; j < list->len; j++) {
            struct bookmark *b = list->pdata[j];
            if (g_str_has_prefix(b->jid, prefix))
                g_ptr_array_add(out, g_strdup(b->jid));
        }
        g_ptr_array_unref(list);
    }
}

/* Complete subcommands, rooms and the options of /bookmark add. */
static void
complete_bookmark(int argi, char **args, const char *prefix, GPtrArray *out)
{
    if (argi == 0) {
        complete_words(subcommands, prefix, out);
    } else if (argi == 1 && strcmp(args[0], "remove") == 0) {
        complete_bookmarks(prefix, out);
    } else if (strcmp(args[0], "add") == 0) {
        if (argi == 1)
            complete_bookmarks(prefix, out);
        /* After a key comes its value; anywhere else, another key. */
        if (strcmp(args[argi - 1], "autojoin") == 0)
            complete_words(on_off, prefix, out);
        else if (argi == 1 || !g_strv_contains(add_options, args[argi - 1]))
            complete_words(add_options, prefix, out);
    }
}

static const char *const bookmark_args[] = {
    "list: every bookmark: room, name, nick, autojoin (the default)",
    "add [ROOM]: bookmark ROOM (default: the room of this window), or "
    "change its bookmark; autojoin is on unless you say off",
    "nick NICK: the nick to join with (default: the one you use there, else "
    "your JID's local part)",
    "autojoin on|off: join the room whenever the account connects",
    "name NAME, password PASS: a friendly name; the room's password (stored "
    "on the server in plain text)",
    "remove [ROOM]: forget the bookmark (you stay in the room)",
    NULL,
};
static const char *const bookmark_examples[] = {
    "/bookmark add",
    "/bookmark add dev@conference.example.com nick ann",
    "/bookmark add lounge autojoin off",
    "/bookmark remove lounge",
    "/bookmark list",
    NULL};

const struct cmd cmd_entry_bookmark = {
    .name = "bookmark",
    .aliases = (const char *const[]){"bookmarks", NULL},
    .synopsis = "[list] | add [ROOM] [nick NICK] [autojoin on|off] "
                "[name NAME] [password PASS] | remove [ROOM]",
    .description =
        "Room bookmarks, kept on your server so every client of the "
        "account sees them: XEP-0402 when the server offers it, else "
        "XEP-0048 in private storage. Rooms with autojoin are joined on "
        "connect (once: a room natter is already rejoining, or that you "
        "left in this run, is not joined again); a bookmark another client "
        "adds with autojoin is joined at once. The account setting autojoin "
        "is a local list joined as well.",
    .args = bookmark_args,
    .examples = bookmark_examples,
    .min_args = 0,
    .max_args = 10,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_bookmark,
    .exec = exec_bookmark,
};
