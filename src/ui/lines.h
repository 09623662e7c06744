/* SPDX-License-Identifier: MIT */
#ifndef NATTER_UI_LINES_H
#define NATTER_UI_LINES_H

/*
 * Turns events (messages, presence, account state, rooms, notices) into
 * window lines through the format table (ui/formats.c), opening chat
 * windows as messages arrive. Both front ends use it.
 */
void lines_init(void);
/* Stop making lines from events. */
void lines_deinit(void);

struct offline_why;
/* The sentence that says why a connection ended (why is the data of an
 * EV_ACCOUNT_STATE); caller frees. */
char *lines_offline_text(const struct offline_why *why);

#endif
