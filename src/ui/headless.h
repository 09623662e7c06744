/* SPDX-License-Identifier: MIT */
#ifndef NATTER_UI_HEADLESS_H
#define NATTER_UI_HEADLESS_H

#include <stdbool.h>

/*
 * The headless front end: lines from stdin run as typed, and every line
 * any window shows is printed on stdout as
 * "YYYY-MM-DD HH:MM:SS [window] text".
 */
void headless_init(void);
/* Stop reading stdin and printing. */
void headless_deinit(void);
/* Whether any window showed an error line. */
bool headless_had_errors(void);

#endif
