/* SPDX-License-Identifier: MIT */
#ifndef NATTER_UI_INTERNAL_H
#define NATTER_UI_INTERNAL_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdbool.h>

struct room;

/* Parts of the screen that need drawing before the loop sleeps again. */
#define DIRTY_TITLE 0x01
#define DIRTY_MAIN 0x02
#define DIRTY_ROSTER 0x04
#define DIRTY_STATUS 0x08
#define DIRTY_INPUT 0x10
#define DIRTY_ALL 0x1f

/* Ask for parts of the screen to be redrawn this loop turn. */
void ui_mark_dirty(unsigned int what);
/* Scroll the current window by half pages: positive goes back in time. */
void ui_scroll(int half_pages);
/* Force a full repaint of the terminal (Ctrl-L). */
void ui_repaint(void);

/* Write text at (y, x) sanitised and cut to cols columns; returns the
 * columns used. */
int ui_put_text(int y, int x, const char *text, int cols, attr_t attr);
/* Fill cols columns of row y from column x with blanks. */
void ui_blank(int y, int x, int cols, attr_t attr);
/* The mark ('+', '~', '!', '-') and attribute for a presence show. */
char ui_show_mark(const char *show, attr_t *attr);
/* The colour attribute of nick (XEP-0392), A_NORMAL without colours. */
attr_t ui_nick_attr(const char *nick);
/* Draw the occupants pane for room (see occupants.c). */
void occupants_draw(int top, int rows, int x, int cols, struct room *room);

/* Set up readline on stdin; false if that fails. */
bool ui_input_init(void);
/* Remove readline's handler and watches. */
void ui_input_deinit(void);
/* Draw the input line on row y of width cols; returns the cursor column. */
int ui_input_draw(int y, int cols);

#endif
