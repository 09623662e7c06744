/* SPDX-License-Identifier: MIT */
/* The title bar and the status bar. */
#include "ui/screen-internal.h"

#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/backlog.h"
#include "core/room.h"
#include "core/sanitize.h"
#include "core/settings.h"
#include "core/window.h"
#include "ui/format.h"
#include "core/e2e.h"
#include "ui/nickcolor.h"
#include "ui/render.h"
#include "ui/styling.h"
#include "ui/ui-internal.h"

/* The chat's encryption as a word and a symbol, into t, and the
 * attribute to draw it with: [plain], [OTR ?] (not verified), [OTR ok]
 * (verified), [OTR ended!]; the colour only repeats what the words say. */
static attr_t
e2e_segment(GString *t, struct window *w)
{
    const char *scheme = NULL;
    enum e2e_state s = e2e_state_get(w->acct, w->jid, &scheme);
    char *name = g_ascii_strup(scheme != NULL ? scheme : "e2e", -1);
    attr_t a = COLOR_PAIR(PAIR_BAR);

    switch (s) {
    case E2E_STATE_PLAIN:
        g_string_append(t, " [plain]");
        break;
    case E2E_STATE_UNVERIFIED:
        g_string_append_printf(t, " [%s ?]", name);
        a = COLOR_PAIR(PAIR_E2E_OPEN) | A_BOLD;
        break;
    case E2E_STATE_VERIFIED:
        g_string_append_printf(t, " [%s ok]", name);
        a = COLOR_PAIR(PAIR_E2E_VERIFIED) | A_BOLD;
        break;
    case E2E_STATE_FINISHED:
        g_string_append_printf(t, " [%s ended!]", name);
        a = COLOR_PAIR(PAIR_E2E_BROKEN) | A_BOLD;
        break;
    }
    g_free(name);
    return a;
}

/* Title bar: where you are and who you talk to. */
void
bars_draw_title(void)
{
    struct window *w = window_current();
    GString *t = g_string_new("natter"), *e2e = g_string_new(NULL);
    GString *tail = g_string_new(NULL);
    attr_t bar = COLOR_PAIR(PAIR_BAR), e2e_attr = bar;
    int x;
    char *label = window_label(w);

    g_string_append_printf(t, " | %u:%s", window_number(w), label);
    g_free(label);
    if (w->type == WINDOW_CHAT) {
        struct contact *c = contact_find(w->acct, w->jid);
        struct resource *r = c != NULL ? contact_best(c) : NULL;
        g_string_append_printf(t, " (%s%s%s)",
                               c != NULL ? contact_show(c) : "offline",
                               r != NULL && r->status ? ": " : "",
                               r != NULL && r->status ? r->status : "");
        if (c != NULL && g_strcmp0(c->chat_state, "composing") == 0)
            g_string_append(t, " is typing");
        else if (c != NULL && g_strcmp0(c->chat_state, "paused") == 0)
            g_string_append(t, " stopped typing");
        e2e_attr = e2e_segment(e2e, w);
    } else if (w->type == WINDOW_ROOM) {
        struct room *room = room_find(w->acct, w->jid);
        if (room == NULL || room->state == ROOM_LEFT)
            g_string_append(t, " (not joined)");
        else if (room->state == ROOM_JOINING)
            g_string_append(t, " (joining)");
        else
            g_string_append_printf(
                t, " (%u, as %s)%s%s", g_hash_table_size(room->occupants),
                room->nick, room->subject != NULL ? " " : "",
                room->subject != NULL ? room->subject : "");
    } else if (w->type == WINDOW_PRIVATE) {
        g_string_append(t, " (private, through the room)");
    } else if (w->type == WINDOW_FORM) {
        g_string_append(t, " - /form set FIELD VALUE, /form submit, "
                           "/form cancel");
    }
    if (w->acct != NULL)
        g_string_append_printf(tail, " | %s %s", w->acct->jid,
                               account_state_name(w->acct->state));
    ui_blank(0, 0, COLS, bar);
    x = ui_put_text(0, 0, t->str, COLS, bar);
    if (x < COLS && e2e->len > 0)
        x += ui_put_text(0, x, e2e->str, COLS - x, e2e_attr);
    if (x < COLS)
        ui_put_text(0, x, tail->str, COLS - x, bar);
    g_string_free(t, TRUE);
    g_string_free(e2e, TRUE);
    g_string_free(tail, TRUE);
}

/* Status bar: account, window list with activity. No clock: it would
 * wake an idle client every minute. */
void
bars_draw_status(int y)
{
    struct window *cur = window_current();
    struct account *acct = cur->acct != NULL ? cur->acct : account_default();
    attr_t bar = COLOR_PAIR(PAIR_BAR);
    int x = 0;

    ui_blank(y, 0, COLS, bar);
    if (acct != NULL) {
        const char *state = acct->state == ACCOUNT_ONLINE ? acct->show
                            : acct->retry_timer != 0
                                ? "reconnecting"
                                : account_state_name(acct->state);
        char *a = g_strdup_printf("[%s: %s] ", acct->jid, state);
        x += ui_put_text(y, x, a, COLS - x, bar);
        g_free(a);
    }
    for (unsigned int n = 1; n <= window_count() && x < COLS; n++) {
        struct window *w = window_nth(n);
        char *label = window_label(w);
        char *item = w->unread > 0
                         ? g_strdup_printf("%u:%s(%u)", n, label, w->unread)
                         : g_strdup_printf("%u:%s", n, label);
        attr_t attr = bar;

        if (w == cur)
            attr |= A_BOLD | A_UNDERLINE;
        else if (w->activity == ACTIVITY_HIGHLIGHT)
            attr = COLOR_PAIR(PAIR_HILITE) | A_BOLD;
        else if (w->activity == ACTIVITY_MESSAGE)
            attr = COLOR_PAIR(PAIR_ACTIVE) | A_BOLD;
        x += ui_put_text(y, x, item, COLS - x, attr);
        x += ui_put_text(y, x, " ", COLS - x, bar);
        g_free(item);
        g_free(label);
    }
    if (cur->archive_pending)
        ui_put_text(y, x,
                    "-- fetching older messages from the server\u2026 --",
                    COLS - x, bar | A_BOLD);
    else if (cur->detached)
        ui_put_text(y, x,
                    "-- search hit: PageDown past the end for new "
                    "messages --",
                    COLS - x, bar | A_BOLD);
    else if (cur->scroll > 0)
        ui_put_text(y, x, "-- more --", COLS - x, bar | A_BOLD);
}
