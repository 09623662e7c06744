/* SPDX-License-Identifier: MIT */
#ifndef NATTER_UI_INTERNAL_H
#define NATTER_UI_INTERNAL_H

#include <stdbool.h>

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

/* Set up readline on stdin; false if that fails. */
bool ui_input_init(void);
/* Remove readline's handler and watches. */
void ui_input_deinit(void);
/* Draw the input line on row y of width cols; returns the cursor column. */
int ui_input_draw(int y, int cols);

#endif
