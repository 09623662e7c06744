/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_AUTOAWAY_H
#define NATTER_XMPP_AUTOAWAY_H

/*
 * Auto-away: after "autoaway.time" seconds without a key, online accounts are
 * set away with "autoaway.message"; the next key brings back what they
 * had. One timer, re-armed by activity: nothing ticks while idle. An
 * account that comes online while the user is idle goes away at once.
 */

/* Start watching for activity. */
void autoaway_init(void);
/* Stop, without changing any presence. */
void autoaway_deinit(void);

#endif
