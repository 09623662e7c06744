/* SPDX-License-Identifier: MIT */
/*
 * The curses screen: layout, the redraw once per loop turn (paced for
 * incoming text), resize and start-up. The parts are drawn by bars.c,
 * mainview.c, rosterpane.c and occupants.c.
 */
#include "ui/screen-internal.h"

#include <glib-unix.h>
#include <glib.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/account.h"
#include "core/event.h"
#include "core/backlog.h"
#include "core/room.h"
#include "core/sanitize.h"
#include "core/settings.h"
#include "core/window.h"
#include "ui/format.h"
#include "ui/nickcolor.h"
#include "ui/render.h"
#include "ui/styling.h"
#include "ui/termguard.h"
#include "ui/ui-internal.h"
#include "ui/ui.h"

int screen_nick_colors; /* see screen-internal.h */

static unsigned int dirty;
/* Least time between redraws for incoming text alone (see
 * redraw_prepare). */
#define FRAME_US 20000
static gint64 last_redraw; /* monotonic time of the last redraw, or 0 */
static GSource *redraw_source;
static guint winch_source;
static guint int_source;
static int main_rows, main_cols; /* size of the main window area */

/* Ask for parts of the screen to be redrawn this loop turn. */
void
ui_mark_dirty(unsigned int what)
{
    dirty |= what;
}

/* Write text at (y, x) sanitised and cut to cols columns; returns columns. */
static int
put_text(int y, int x, const char *text, int cols, attr_t attr)
{
    char *safe;
    size_t n;
    int used = 0;

    if (cols <= 0)
        return 0;
    safe = sanitize_text(text, strlen(text), 0);
    n = text_fit(safe, strlen(safe), cols, &used);
    attron(attr);
    mvaddnstr(y, x, safe, (int)n);
    attroff(attr);
    g_free(safe);
    return used;
}

/* Fill cols columns of row y from column x with blanks: one call, not
 * one mvaddch per cell (that was a third of a redraw's cost). */
static void
blank(int y, int x, int cols, attr_t attr)
{
    if (cols > 0)
        mvhline(y, x, ' ' | attr, cols);
}

/* Write text at (y, x) sanitised and cut to cols columns. */
int
ui_put_text(int y, int x, const char *text, int cols, attr_t attr)
{
    return put_text(y, x, text, cols, attr);
}

/* Fill cols columns of row y from column x with blanks. */
void
ui_blank(int y, int x, int cols, attr_t attr)
{
    blank(y, x, cols, attr);
}

/* The colour attribute of nick (XEP-0392), A_NORMAL without colours. */
attr_t
ui_nick_attr(const char *nick)
{
    if (screen_nick_colors == 0)
        return A_NORMAL;
    return COLOR_PAIR(PAIR_NICK0 + nickcolor_bucket(nickcolor_angle(nick),
                                                    screen_nick_colors));
}

/* The room whose occupants the side pane shows, NULL for the roster. */
struct room *
screen_pane_room(void)
{
    struct window *w = window_current();

    if (w->type != WINDOW_ROOM || w->acct == NULL ||
        !settings_bool("occupants"))
        return NULL;
    return room_find(w->acct, w->jid);
}

/* Width of the side pane (roster, or occupants beside a room), or 0 when
 * it is hidden or does not fit. */
int
screen_roster_width(void)
{
    bool room = screen_pane_room() != NULL;
    int w = settings_int(room ? "occupants.width" : "roster.width");

    if (!settings_bool(room ? "occupants" : "roster") || COLS < w + 40)
        return 0;
    return w;
}

/* Draw what is dirty and put the cursor on the input line. */
static void
redraw(void)
{
    int rw, cx;

    if (LINES < 4 || COLS < 12) {
        erase();
        mvaddstr(0, 0, "too small");
        refresh();
        dirty = 0;
        return;
    }
    rw = screen_roster_width();
    main_rows = LINES - 3;
    main_cols = rw > 0 ? COLS - rw - 1 : COLS;
    if (dirty & DIRTY_TITLE)
        bars_draw_title();
    if (dirty & DIRTY_MAIN)
        mainview_draw(1, main_rows, main_cols);
    if ((dirty & DIRTY_ROSTER) && rw > 0) {
        struct room *room = screen_pane_room();
        if (room != NULL)
            occupants_draw(1, main_rows, COLS - rw, rw, room);
        else
            roster_pane_draw(1, main_rows, COLS - rw, rw);
    }
    if (dirty & DIRTY_STATUS)
        bars_draw_status(LINES - 2);
    cx = ui_input_draw(LINES - 1, COLS);
    move(LINES - 1, cx);
    refresh();
    dirty = 0;
}

/* Scroll the current window by half pages: positive goes back in time. */
void
ui_scroll(int half_pages)
{
    struct window *w = window_current();
    int step = main_rows > 2 ? main_rows / 2 : 1;

    /* At the end of a jump view: page newer stored messages in, and
     * return to the live lines once there are none. */
    if (w->detached && half_pages < 0 && w->scroll == 0) {
        GList *last = w->lines.tail;
        char *cause = NULL;
        int n = history_show_newer(w, (unsigned int)(step * 2), &cause);
        if (n < 0) {
            window_printf(window_console(), LINE_ERROR, "%s", cause);
            g_free(cause);
        }
        if (n <= 0) {
            window_attach(w);
        } else {
            int added = mainview_rows_from(last != NULL ? last->next : NULL,
                                           main_cols);
            w->scroll = added > step ? added - step : 0;
        }
        ui_mark_dirty(DIRTY_MAIN | DIRTY_STATUS);
        return;
    }
    w->scroll += half_pages * step;
    if (w->scroll < 0)
        w->scroll = 0;
    ui_mark_dirty(DIRTY_MAIN | DIRTY_STATUS);
}

/* Force a full repaint of the terminal (Ctrl-L). */
void
ui_repaint(void)
{
    clearok(curscr, TRUE);
    ui_mark_dirty(DIRTY_ALL);
}

/*
 * GSource prepare: runs once per loop turn, before the loop sleeps, and
 * draws what is dirty. What only incoming text made dirty waits until
 * FRAME_US after the last redraw (the loop wakes for it then): a room
 * flooding 200 messages a second is drawn 50 times a second, not 200,
 * while what the user does (the input line, window switches) is drawn at
 * once. An idle client has no redraw to wait for, so no wake-up.
 */
static gboolean
redraw_prepare(GSource *src, gint *timeout)
{
    gint64 now, wait;

    *timeout = -1;
    if (dirty == 0)
        return FALSE;
    now = g_get_monotonic_time();
    wait = last_redraw + FRAME_US - now;
    if (!(dirty & DIRTY_INPUT) && last_redraw != 0 && wait > 0) {
        *timeout = (gint)((wait + 999) / 1000);
        return FALSE;
    }
    redraw();
    last_redraw = now;
    return FALSE;
}

/* GSource check: never ready by itself. */
static gboolean
redraw_check(GSource *src)
{
    return FALSE;
}

/* GSource dispatch: never called. */
static gboolean
redraw_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs redraw_funcs = {
    redraw_prepare, redraw_check, redraw_dispatch, NULL, NULL, NULL,
};

/* The terminal changed size: take the new size and draw everything. */
static gboolean
on_winch(gpointer data)
{
    struct winsize ws;

    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
        ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    ui_repaint();
    return G_SOURCE_CONTINUE;
}

/* Ctrl-C would kill a chat client by accident: say how to leave. */
static gboolean
on_sigint(gpointer data)
{
    window_printf(window_current(), LINE_INFO, "Type /quit to leave natter");
    return G_SOURCE_CONTINUE;
}

/* Model changes that touch what is on screen. */
static void
on_event(enum event_type type, const void *payload, void *data)
{
    switch (type) {
    case EV_WINDOW_LINE: {
        const struct ev_window_line *ev = payload;
        /* A mention, or a private message out of sight, rings the bell. */
        if (settings_bool("bell") && ev->line->kind == LINE_MESSAGE &&
            (ev->line->highlight ||
             (ev->win->type == WINDOW_PRIVATE && ev->win != window_current())))
            beep();
        if (ev->win->detached && ev->win->saved.tail != NULL &&
            ev->win->saved.tail->data == ev->line) {
            /* A new message behind a jump view: counted, not shown. */
            ui_mark_dirty(DIRTY_STATUS | DIRTY_ROSTER);
        } else if (ev->win == window_current()) {
            /* Someone reading back keeps their place as lines arrive. */
            if (ev->win->scroll > 0)
                ev->win->scroll++;
            ui_mark_dirty(DIRTY_MAIN);
        } else {
            /* Unread counts show in the status bar and the roster pane. */
            ui_mark_dirty(DIRTY_STATUS | DIRTY_ROSTER);
        }
        break;
    }
    case EV_PRESENCE:
    case EV_ROSTER:
    case EV_ROOM:
        ui_mark_dirty(DIRTY_ROSTER | DIRTY_TITLE);
        break;
    case EV_ARCHIVE_PAGE: {
        /* An older page from the server archive is stored: page it in
         * from the store, unless the archive has nothing more. */
        const struct ev_archive *ev = payload;
        struct window *w = window_find_chat(ev->acct, ev->peer);
        if (w == NULL)
            w = window_find(ev->acct, WINDOW_ROOM, ev->peer);
        if (w == NULL)
            break;
        w->archive_pending = false;
        if (ev->complete || ev->failed)
            w->archive_done = true;
        if (ev->count > 0 || !w->archive_done)
            w->history_done = false;
        ui_mark_dirty(DIRTY_MAIN | DIRTY_STATUS);
        break;
    }
    case EV_CHATSTATE:
    case EV_E2E:
        ui_mark_dirty(DIRTY_TITLE);
        break;
    case EV_SETTING:
        mainview_invalidate();
        ui_mark_dirty(DIRTY_ALL);
        break;
    case EV_WINDOW_SWITCH:
    case EV_WINDOW_CLEAR:
    case EV_WINDOW_CHANGE:
        ui_mark_dirty(DIRTY_ALL);
        break;
    case EV_WINDOW_LIST:
    case EV_ACCOUNT_STATE:
        ui_mark_dirty(DIRTY_STATUS | DIRTY_TITLE | DIRTY_ROSTER);
        break;
    default:
        break;
    }
}

static const enum event_type watched[] = {
    EV_WINDOW_LINE,   EV_PRESENCE,     EV_ROSTER,       EV_SETTING,
    EV_WINDOW_SWITCH, EV_WINDOW_CLEAR, EV_WINDOW_LIST,  EV_ACCOUNT_STATE,
    EV_WINDOW_CHANGE, EV_CHATSTATE,    EV_ARCHIVE_PAGE, EV_ROOM,
    EV_E2E,
};

/* Start the terminal front end. */
bool
ui_init(void)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return false;
    termguard_save_tty();
    if (initscr() == NULL)
        return false;
    termguard_arm();
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    if (has_colors()) {
        start_color();
        use_default_colors();
        init_pair(PAIR_BAR, COLOR_WHITE, COLOR_BLUE);
        init_pair(PAIR_ERROR, COLOR_RED, -1);
        init_pair(PAIR_INFO, COLOR_CYAN, -1);
        init_pair(PAIR_OWN, COLOR_GREEN, -1);
        init_pair(PAIR_ACTIVE, COLOR_YELLOW, COLOR_BLUE);
        init_pair(PAIR_ONLINE, COLOR_GREEN, -1);
        init_pair(PAIR_AWAY, COLOR_YELLOW, -1);
        init_pair(PAIR_CODE, COLOR_YELLOW, -1);
        init_pair(PAIR_QUOTE, COLOR_MAGENTA, -1);
        init_pair(PAIR_HILITE, COLOR_YELLOW, COLOR_RED);
        init_pair(PAIR_E2E_OPEN, COLOR_YELLOW, COLOR_BLUE);
        init_pair(PAIR_E2E_VERIFIED, COLOR_GREEN, COLOR_BLUE);
        init_pair(PAIR_E2E_BROKEN, COLOR_RED, COLOR_BLUE);
        screen_nick_colors =
            COLORS >= 256 && COLOR_PAIRS > PAIR_NICK0 + NICKCOLOR_HUES ? 256
            : COLORS >= 8 && COLOR_PAIRS > PAIR_NICK0 + 6              ? 8
                                                                       : 0;
        for (int b = 0; screen_nick_colors > 0 &&
                        b < (screen_nick_colors >= 256 ? NICKCOLOR_HUES : 6);
             b++) {
            double angle =
                b * 360.0 / (screen_nick_colors >= 256 ? NICKCOLOR_HUES : 6);
            init_pair((short)(PAIR_NICK0 + b),
                      (short)nickcolor_terminal(angle, screen_nick_colors),
                      -1);
        }
    }
    if (!ui_input_init()) {
        endwin();
        termguard_disarm();
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(watched); i++)
        event_subscribe_at(watched[i], EVENT_STAGE_VIEW, on_event, NULL);
    redraw_source = g_source_new(&redraw_funcs, sizeof(GSource));
    g_source_attach(redraw_source, NULL);
    winch_source = g_unix_signal_add(SIGWINCH, on_winch, NULL);
    int_source = g_unix_signal_add(SIGINT, on_sigint, NULL);
    dirty = DIRTY_ALL;
    return true;
}

/* Give the terminal back as it was. */
void
ui_deinit(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(watched); i++)
        event_unsubscribe(watched[i], on_event, NULL);
    if (redraw_source != NULL) {
        g_source_destroy(redraw_source);
        g_source_unref(redraw_source);
    }
    redraw_source = NULL;
    if (winch_source != 0)
        g_source_remove(winch_source);
    if (int_source != 0)
        g_source_remove(int_source);
    winch_source = int_source = 0;
    ui_input_deinit();
    endwin();
    termguard_disarm();
    mainview_deinit();
}
