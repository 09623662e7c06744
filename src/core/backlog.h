/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_BACKLOG_H
#define NATTER_CORE_BACKLOG_H

#include <stdbool.h>

struct window;

/*
 * Windows fed from the history store (core/backlog.c), so that no front
 * end runs a query itself. Showing the lines around a /search hit is
 * history_show_around() in core/history.h.
 */

/*
 * Scroll-back reached the oldest line of conversation window w in
 * memory: put a page of about rows_hint older stored messages above it,
 * or, when the store has none, ask the server's archive for a page
 * (EV_ARCHIVE_WANT; its EV_ARCHIVE_PAGE lets scroll-back page again).
 * Returns whether any line came.
 */
bool backlog_load_older(struct window *w, unsigned int rows_hint);
/*
 * In jump view w, append up to limit newer stored messages. Returns how
 * many came (0: the view reached the newest stored message), or -1 with
 * *cause set on error.
 */
int history_show_newer(struct window *w, unsigned int limit, char **cause);

#endif
