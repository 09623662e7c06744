/* SPDX-License-Identifier: MIT */
/* /win, /close and /clear. */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/room.h"
#include "core/window.h"
#include "xmpp/muc.h"

/* Window number text, or the window named so; NULL with *cause if none. */
static struct window *
window_arg(const char *arg, char **cause)
{
    char *end;
    long n = strtol(arg, &end, 10);

    if (*end == '\0' && n > 0 && window_nth((unsigned int)n) != NULL)
        return window_nth((unsigned int)n);
    for (unsigned int i = 1; i <= window_count(); i++) {
        char *label = window_label(window_nth(i));
        bool same =
            strcmp(label, arg) == 0 || strcmp(window_nth(i)->name, arg) == 0;
        g_free(label);
        if (same)
            return window_nth(i);
    }
    *cause =
        g_strdup_printf("No window %s (there are %u)", arg, window_count());
    return NULL;
}

/* /win N|NAME|next|prev */
static bool
exec_win(struct cmd_args *a, char **cause)
{
    unsigned int cur = window_number(window_current()), n = window_count();
    struct window *w;

    if (strcmp(a->argv[0], "next") == 0)
        w = window_nth(cur % n + 1);
    else if (strcmp(a->argv[0], "prev") == 0)
        w = window_nth(cur == 1 ? n : cur - 1);
    else
        w = window_arg(a->argv[0], cause);
    if (w == NULL)
        return false;
    window_switch(w);
    return true;
}

/* Complete window names and next/prev. */
static void
complete_window(int argi, char **args, const char *prefix, GPtrArray *out)
{
    static const char *const moves[] = {"next", "prev", NULL};

    if (argi != 0)
        return;
    complete_words(moves, prefix, out);
    for (unsigned int i = 1; i <= window_count(); i++) {
        char *label = window_label(window_nth(i));
        if (g_str_has_prefix(label, prefix))
            g_ptr_array_add(out, label);
        else
            g_free(label);
    }
}

static const char *const win_args[] = {
    "N: the window's number, as in the status bar",
    "NAME: the window's name, such as a contact's JID",
    "next, prev: the window after or before this one", NULL};
static const char *const win_examples[] = {"/win 2", "/win next",
                                           "/win bob@example.com", NULL};

const struct cmd cmd_entry_win = {
    .name = "win",
    .aliases = (const char *const[]){"window", NULL},
    .synopsis = "N|NAME|next|prev",
    .description = "Switch to another window. Alt-1 to Alt-9 switch to "
                   "windows 1 to 9; Alt-Left and Alt-Right to the previous "
                   "and next.",
    .args = win_args,
    .examples = win_examples,
    .min_args = 1,
    .max_args = 1,
    .complete = complete_window,
    .exec = exec_win,
};

/* /close [N|NAME] */
static bool
exec_close(struct cmd_args *a, char **cause)
{
    struct window *w = a->win;

    if (a->argc > 0 && (w = window_arg(a->argv[0], cause)) == NULL)
        return false;
    /* Closing a room's window leaves the room, as in IRC clients. */
    if (w->type == WINDOW_ROOM && w->acct != NULL) {
        struct room *room = room_find(w->acct, w->jid);
        char *why = NULL;
        if (room != NULL && (room->wanted || room->state != ROOM_LEFT) &&
            !muc_leave(w->acct, w->jid, NULL, &why))
            g_free(why);
    }
    if (!window_close(w)) {
        *cause = g_strdup("The console window cannot be closed (use /quit)");
        return false;
    }
    return true;
}

static const char *const close_args[] = {
    "N|NAME: the window to close (default: the current one)", NULL};
static const char *const close_examples[] = {"/close", "/close 3", NULL};

const struct cmd cmd_entry_close = {
    .name = "close",
    .synopsis = "[N|NAME]",
    .description = "Close a window. Its conversation is not affected; a new "
                   "message opens it again. Closing a room's window leaves "
                   "the room.",
    .args = close_args,
    .examples = close_examples,
    .min_args = 0,
    .max_args = 1,
    .complete = complete_window,
    .exec = exec_close,
};

/* /clear */
static bool
exec_clear(struct cmd_args *a, char **cause)
{
    window_clear(a->win);
    return true;
}

static const char *const clear_examples[] = {"/clear", NULL};

const struct cmd cmd_entry_clear = {
    .name = "clear",
    .synopsis = "",
    .description = "Empty the current window's scrollback.",
    .examples = clear_examples,
    .min_args = 0,
    .max_args = 0,
    .exec = exec_clear,
};
