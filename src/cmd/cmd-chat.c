/* SPDX-License-Identifier: MIT */
/* /msg and /status. */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/account.h"
#include "core/event.h"
#include "core/room.h"
#include "core/window.h"
#include "xmpp/jid.h"
#include "xmpp/message.h"
#include "xmpp/muc.h"
#include "xmpp/session.h"

/*
 * Send body to the conversation of window w through the message pipeline:
 * a chat (to the resource it is locked onto, RFC 6121 5.1), a room or a
 * private chat through a room; corrects our message replace_id when that
 * is not NULL. The one way typed lines, /me and /correct go out.
 */
bool
cmd_send_to_window(struct window *w, const char *body, const char *replace_id,
                   char **cause)
{
    char *to;
    bool ok;

    if (w->type == WINDOW_ROOM)
        return muc_send(w->acct, w->jid, body, replace_id, cause);
    if (w->type == WINDOW_PRIVATE)
        return muc_send_private(w->acct, w->jid, body, replace_id, cause);
    to = w->locked != NULL ? g_strdup_printf("%s/%s", w->jid, w->locked)
                           : g_strdup(w->jid);
    ok = message_send_chat(w->acct, to, body, replace_id, cause);
    g_free(to);
    return ok;
}

/* /msg JID [text] */
static bool
exec_msg(struct cmd_args *a, char **cause)
{
    char *why = NULL, *bare;
    struct window *w;
    bool ok = true;

    /* In a room, a nick means a private message through the room. */
    if (a->win->type == WINDOW_ROOM && a->win->acct != NULL &&
        strchr(a->argv[0], '@') == NULL) {
        struct room *room = room_find(a->win->acct, a->win->jid);
        if (room != NULL && room_occupant(room, a->argv[0]) != NULL) {
            char *occ = g_strdup_printf("%s/%s", room->jid, a->argv[0]);
            w = window_get(a->win->acct, WINDOW_PRIVATE, occ);
            window_switch(w);
            if (a->argc > 1 && a->argv[1][0] != '\0')
                ok = muc_send_private(a->win->acct, occ, a->argv[1], NULL,
                                      cause);
            g_free(occ);
            return ok;
        }
    }
    bare = jid_bare(a->argv[0], &why);
    if (bare == NULL) {
        *cause = g_strdup_printf("Invalid JID %s: %s", a->argv[0], why);
        g_free(why);
        return false;
    }
    w = window_get_chat(a->acct, bare);
    window_switch(w);
    if (a->argc > 1 && a->argv[1][0] != '\0')
        ok = message_send_chat(a->acct, bare, a->argv[1], NULL, cause);
    g_free(bare);
    return ok;
}

/* Complete a JID, then nothing. */
static void
complete_msg(int argi, char **args, const char *prefix, GPtrArray *out)
{
    if (argi == 0) {
        complete_jid(prefix, out);
        complete_nick(prefix, false, out);
    }
}

static const char *const msg_args[] = {
    "JID: who to chat with, user@server; in a room, an occupant's nick "
    "opens a private chat through the room",
    "text: a first message to send (the rest of the line)", NULL};
static const char *const msg_examples[] = {
    "/msg bob@example.com", "/msg bob@example.com are you there?", NULL};

const struct cmd cmd_entry_msg = {
    .name = "msg",
    .aliases = (const char *const[]){"query", NULL},
    .synopsis = "JID [text]",
    .description = "Open a chat window with JID and switch to it, sending "
                   "text if given. Lines typed in a chat window are sent to "
                   "its contact.",
    .args = msg_args,
    .examples = msg_examples,
    .min_args = 1,
    .max_args = 2,
    .rest = true,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_msg,
    .exec = exec_msg,
};

static const char *const show_words[] = {"online", "chat", "away",
                                         "xa",     "dnd",  NULL};

/* /status online|chat|away|xa|dnd [message] */
static bool
exec_status(struct cmd_args *a, char **cause)
{
    const char *msg = a->argc > 1 ? a->argv[1] : NULL;

    if (!g_strv_contains(show_words, a->argv[0])) {
        char *usage = cmd_usage(a->cmd);
        *cause = g_strdup_printf("Unknown presence %s. %s", a->argv[0], usage);
        g_free(usage);
        return false;
    }
    if (!session_set_presence(a->acct, a->argv[0], msg, cause))
        return false;
    notice(a->acct, NOTICE_INFO, "Status of %s: %s%s%s", a->acct->jid,
           a->argv[0], msg != NULL ? " - " : "", msg != NULL ? msg : "");
    return true;
}

/* Complete presence words. */
static void
complete_status(int argi, char **args, const char *prefix, GPtrArray *out)
{
    if (argi == 0)
        complete_words(show_words, prefix, out);
}

static const char *const status_args[] = {
    "online: available",
    "chat: free for chat",
    "away: away",
    "xa: extended away",
    "dnd: do not disturb",
    "message: a status message (the rest of the line)",
    NULL};
static const char *const status_examples[] = {
    "/status away lunch, back at two", "/status online", NULL};

const struct cmd cmd_entry_status = {
    .name = "status",
    .aliases = (const char *const[]){"presence", NULL},
    .synopsis = "online|chat|away|xa|dnd [message]",
    .description = "Set your presence and status message for the current "
                   "account; contacts see it at once.",
    .args = status_args,
    .examples = status_examples,
    .min_args = 1,
    .max_args = 2,
    .rest = true,
    .flags = CMD_NEEDS_ONLINE,
    .complete = complete_status,
    .exec = exec_status,
};

/* The newest message we sent in w that can still be corrected. */
static const struct line *
last_own_line(struct window *w)
{
    for (GList *l = window_live_lines(w)->tail; l != NULL; l = l->prev) {
        const struct line *ln = l->data;
        if (ln->kind == LINE_OWN && ln->id != NULL && !ln->pending &&
            !ln->carbon)
            return ln;
    }
    return NULL;
}

/* /correct TEXT */
static bool
exec_correct(struct cmd_args *a, char **cause)
{
    const struct line *last;
    char *id;
    bool ok;

    if (!window_is_conversation(a->win)) {
        *cause = g_strdup("/correct works in a chat or room window");
        return false;
    }
    if ((last = last_own_line(a->win)) == NULL || last->id == NULL) {
        *cause = g_strdup("Nothing to correct: you have sent no message "
                          "here");
        return false;
    }
    if (last->protection != PROTECTION_PLAIN) {
        /* The correction's <replace/> travels outside the ciphertext and
         * tells the server which private message changed; OTR clients
         * show it as a new message anyway. */
        *cause = g_strdup("Cannot correct an end-to-end encrypted message: "
                          "send the right text as a new one");
        return false;
    }
    id = g_strdup(last->id); /* the line changes under the event */
    ok = cmd_send_to_window(a->win, a->argv[0], id, cause);
    g_free(id);
    return ok;
}

static const char *const correct_args[] = {
    "TEXT: what your last message in this window should have said", NULL};
static const char *const correct_examples[] = {"/correct see you at 5", NULL};

const struct cmd cmd_entry_correct = {
    .name = "correct",
    .synopsis = "TEXT",
    .description = "Replace your last message in this chat or room window "
                   "(XEP-0308); it is shown edited here and, in clients "
                   "that support corrections, there. An end-to-end "
                   "encrypted message cannot be corrected.",
    .args = correct_args,
    .examples = correct_examples,
    .min_args = 1,
    .max_args = 1,
    .rest = true,
    .flags = CMD_NEEDS_ONLINE,
    .exec = exec_correct,
};

/* /me ACTION */
static bool
exec_me(struct cmd_args *a, char **cause)
{
    char *body;
    bool ok;

    if (!window_is_conversation(a->win)) {
        *cause = g_strdup("/me works in a chat or room window");
        return false;
    }
    body = g_strdup_printf("/me %s", a->argv[0]);
    ok = cmd_send_to_window(a->win, body, NULL, cause);
    g_free(body);
    return ok;
}

static const char *const me_args[] = {
    "ACTION: what you do, shown as \"* you ACTION\"", NULL};
static const char *const me_examples[] = {"/me waves", NULL};

const struct cmd cmd_entry_me = {
    .name = "me",
    .synopsis = "ACTION",
    .description = "Send an action (XEP-0245): the message starts with "
                   "\"/me \" and every client shows it as \"* you ACTION\".",
    .args = me_args,
    .examples = me_examples,
    .min_args = 1,
    .max_args = 1,
    .rest = true,
    .flags = CMD_NEEDS_ONLINE,
    .exec = exec_me,
};

/* /priority N */
static bool
exec_priority(struct cmd_args *a, char **cause)
{
    char *end;
    long n = strtol(a->argv[0], &end, 10);

    if (*end != '\0' || n < -128 || n > 127) {
        *cause = g_strdup_printf("Invalid priority %s: give a number from "
                                 "-128 to 127",
                                 a->argv[0]);
        return false;
    }
    a->acct->priority = (int)n;
    if (!session_set_presence(a->acct, a->acct->show, a->acct->status, cause))
        return false;
    notice(a->acct, NOTICE_INFO, "Priority of %s: %ld", a->acct->jid, n);
    return true;
}

static const char *const priority_args[] = {
    "N: -128 to 127; among your clients, the one with the highest "
    "priority gets messages sent to your bare address (negative: none)",
    NULL};
static const char *const priority_examples[] = {"/priority 10", NULL};

const struct cmd cmd_entry_priority = {
    .name = "priority",
    .synopsis = "N",
    .description = "Set the presence priority of this client for the "
                   "current account, and announce it.",
    .args = priority_args,
    .examples = priority_examples,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_ONLINE,
    .exec = exec_priority,
};
