/* SPDX-License-Identifier: MIT */
/*
 * Windows fed from the history store: the last messages of a window that
 * opens, the lines around a /search hit, the newer ones after it, and the
 * older page scroll-back asks for.
 */
#include "core/backlog.h"
#include "core/history-internal.h"

#include <string.h>

#include "core/account.h"
#include "core/settings.h"
#include "core/window.h"
#include "core/room.h"

/* Add stored row r (with extra LINE_* marks) at the end of w. */
static void
show_row(struct window *w, const struct history_row *r, unsigned int marks)
{
    struct line *l =
        window_add_history(w, r->outgoing ? LINE_OWN : LINE_MESSAGE, r->time,
                           r->sender, r->body, r->stanza_id,
                           marks | (r->edited ? LINE_EDITED : 0) |
                               LINE_PROTECTION(r->protection));

    l->rowid = r->rowid;
}

/* Show the stored messages around row rowid in w as a jump view. */
bool
history_show_around(struct window *w, int64_t rowid, unsigned int context,
                    const char *header, char **cause)
{
    guint hit;
    GPtrArray *rows =
        history_around(w->acct, w->jid, rowid, context, context, &hit, cause);

    if (rows == NULL)
        return false;
    window_detach(w);
    if (header != NULL)
        window_add_history(w, LINE_INFO, 0, NULL, header, NULL, 0);
    for (guint i = 0; i < rows->len; i++)
        show_row(w, rows->pdata[i], i == hit ? LINE_HIT : 0);
    g_ptr_array_unref(rows);
    return true;
}

/* In jump view w, append up to limit newer stored messages. */
int
history_show_newer(struct window *w, unsigned int limit, char **cause)
{
    const struct line *newest =
        w->lines.tail != NULL ? w->lines.tail->data : NULL;
    GPtrArray *rows;
    int n;

    if (newest == NULL)
        return 0;
    rows = history_after(w->acct, w->jid, newest->time, newest->rowid, limit,
                         cause);
    if (rows == NULL)
        return -1;
    for (guint i = 0; i < rows->len; i++)
        show_row(w, rows->pdata[i], 0);
    n = (int)rows->len;
    g_ptr_array_unref(rows);
    return n;
}

/* Whether row r is the message that is opening its window. */
static bool
is_opening(const struct history_row *r)
{
    const struct opening *op = history_opening();

    if (op->account == NULL || strcmp(op->account, r->account) != 0 ||
        strcmp(op->peer, r->peer) != 0)
        return false;
    if (op->rowid > 0 && r->rowid == op->rowid)
        return true;
    return op->stanza_id != NULL && r->stanza_id != NULL &&
           strcmp(op->stanza_id, r->stanza_id) == 0;
}

/* A new chat window: show its last history.lines stored messages. */
void
backlog_on_window_list(enum event_type type, const void *payload, void *data)
{
    const struct ev_window *ev = payload;
    struct window *w = ev->win;
    int want = settings_int("history.lines");
    GPtrArray *rows;
    char *cause = NULL;
    guint first;

    if (w == NULL || !window_is_conversation(w) || w->acct == NULL ||
        w->lines.length > 0 || want <= 0)
        return;
    rows = history_last(w->acct, w->jid, (unsigned int)want + 1, &cause);
    if (rows == NULL) {
        history_report_failure(w->acct->name, cause);
        g_free(cause);
        history_opening_clear();
        return;
    }
    for (guint i = rows->len; i-- > 0;)
        if (is_opening(rows->pdata[i]))
            g_ptr_array_remove_index(rows, i);
    first = rows->len > (guint)want ? rows->len - (guint)want : 0;
    for (guint i = first; i < rows->len; i++) {
        struct history_row *r = rows->pdata[i];
        show_row(w, r, 0);
    }
    g_ptr_array_unref(rows);
    history_opening_clear();
}

/*
 * Scroll-back reached the oldest line of chat window w in memory: put a
 * page of (about rows_hint) older stored messages above it, or, when the
 * store has none, ask the server archive (EV_ARCHIVE_WANT). Returns
 * whether any came.
 */
bool
backlog_load_older(struct window *w, unsigned int rows_hint)
{
    const struct line *oldest;
    GPtrArray *rows;
    char *cause = NULL;

    if (!window_is_conversation(w) || w->history_done || w->acct == NULL)
        return false;
    oldest = w->lines.head != NULL ? w->lines.head->data : NULL;
    guint added = 0;
    int64_t before[2];

    if (oldest == NULL)
        before[0] = before[1] = G_MAXINT64;
    else {
        /* First the rest of the oldest line's second (many messages can
         * share one; those already here are skipped by stanza id), then
         * strictly older seconds. */
        before[0] = oldest->time + 1;
        before[1] = oldest->time;
    }
    for (int attempt = 0; attempt < 2 && added == 0; attempt++) {
        rows = history_before(w->acct, w->jid, before[attempt], rows_hint,
                              &cause);
        if (rows == NULL) {
            window_printf(window_console(), LINE_ERROR, "%s", cause);
            g_free(cause);
            w->history_done = true;
            return false;
        }
        for (guint i = rows->len; i-- > 0;) {
            const struct history_row *r = rows->pdata[i];
            if (r->stanza_id != NULL && window_find_shown(w, r->stanza_id))
                continue;
            window_prepend_line(w, r->outgoing ? LINE_OWN : LINE_MESSAGE,
                                r->time, r->sender, r->body, r->stanza_id,
                                (r->edited ? LINE_EDITED : 0) |
                                    LINE_PROTECTION(r->protection));
            added++;
        }
        g_ptr_array_unref(rows);
    }
    if (added == 0) {
        /* The server archive may have more (XEP-0313): ask for a page.
         * Its answer (EV_ARCHIVE_PAGE) lets us page again from the store.
         * A room's archive answers once we are in and its join-time
         * catch-up is over (until then, look again on the next draw);
         * private chats through a room have none. */
        struct room *room =
            w->type == WINDOW_ROOM ? room_find(w->acct, w->jid) : NULL;
        bool can_ask =
            w->type == WINDOW_CHAT ||
            (room != NULL && room->state == ROOM_JOINED && !room->catching_up);
        bool later = room != NULL && !can_ask && room->state != ROOM_LEFT;

        w->history_done = !later; /* nothing older stored: stop asking */
        if (can_ask && !w->detached && !w->archive_done &&
            !w->archive_pending && w->acct->state == ACCOUNT_ONLINE) {
            struct ev_archive ev = {w->acct, w->jid, 0, false, false};
            w->archive_pending = true;
            event_emit(EV_ARCHIVE_WANT, &ev);
        }
    }
    return added > 0;
}
