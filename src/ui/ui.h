/* SPDX-License-Identifier: MIT */
#ifndef NATTER_UI_UI_H
#define NATTER_UI_UI_H

#include <stdbool.h>

/*
 * The terminal front end: title bar, main window with scrollback, roster
 * pane, status bar and a readline input line, redrawn once per main loop
 * turn from dirty flags. Returns false if the terminal cannot be used.
 */
bool ui_init(void);
/* Give the terminal back as it was. */
void ui_deinit(void);

#endif
