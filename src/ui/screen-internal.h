/* SPDX-License-Identifier: MIT */
#ifndef NATTER_UI_SCREEN_INTERNAL_H
#define NATTER_UI_SCREEN_INTERNAL_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <glib.h>

struct room;

/*
 * What the parts of the curses screen share: screen.c (layout, the
 * redraw and its pacing, init), bars.c (title and status bar),
 * mainview.c (the current window's text and scrollback), rosterpane.c
 * (the roster beside it). Nothing outside ui/ uses it.
 */

/* The colour pairs screen.c makes at start-up. */
enum {
    PAIR_BAR = 1,
    PAIR_ERROR,
    PAIR_INFO,
    PAIR_OWN,
    PAIR_ACTIVE,
    PAIR_ONLINE,
    PAIR_AWAY,
    PAIR_CODE,         /* XEP-0393 `pre` spans and ``` blocks */
    PAIR_QUOTE,        /* XEP-0393 > quotations */
    PAIR_HILITE,       /* a message that mentions us, and its window */
    PAIR_E2E_OPEN,     /* title bar: a private, unverified conversation */
    PAIR_E2E_VERIFIED, /* title bar: private and verified */
    PAIR_E2E_BROKEN,   /* title bar: the peer ended it */
    PAIR_NICK0,        /* first of the nick colour pairs (XEP-0392) */
};

/* Terminal colours the nick pairs were made for (0: none); set once by
 * ui_init(). */
extern int screen_nick_colors;

/* The room whose occupants the side pane shows, NULL for the roster. */
struct room *screen_pane_room(void);
/* Width of the side pane, or 0 when it is hidden or does not fit. */
int screen_roster_width(void);

/* Title bar: where you are and who you talk to (row 0). */
void bars_draw_title(void);
/* Status bar at row y: accounts, windows, activity. */
void bars_draw_status(int y);

/* The current window's newest lines that fit rows x cols at top, minus
 * its scroll-back. */
void mainview_draw(int top, int rows, int cols);
/* Screen rows the lines from l to the newest take at cols columns. */
int mainview_rows_from(GList *l, int cols);
/* A setting changed: every kept wrapped line is wrapped again. */
void mainview_invalidate(void);
/* Drop the kept wrapped lines (at exit). */
void mainview_deinit(void);

/* The roster pane at (top, x), rows x cols. */
void roster_pane_draw(int top, int rows, int x, int cols);

#endif
