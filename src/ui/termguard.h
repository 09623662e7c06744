/* SPDX-License-Identifier: MIT */
#ifndef NATTER_UI_TERMGUARD_H
#define NATTER_UI_TERMGUARD_H

/*
 * The terminal is given back even when natter dies of a signal (SIGSEGV,
 * SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGQUIT): a handler writes the
 * terminal's own reset sequences and the saved tty modes with
 * async-signal-safe calls, then lets the signal take its course (the
 * default action, or a handler that was there before, e.g. ASan's).
 */

/* Save the tty modes of stdin, before curses changes them. */
void termguard_save_tty(void);
/* Learn the reset sequences from terminfo (after initscr) and install the
 * crash handlers. */
void termguard_arm(void);
/* Put the handlers that were there before back (after endwin). */
void termguard_disarm(void);

#endif
