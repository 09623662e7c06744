/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_MARKERS_H
#define NATTER_XMPP_MARKERS_H

/*
 * Chat markers we send (XEP-0333): when a markable message is on screen
 * in the current window, or its window becomes current, the sender is
 * told it was displayed (once, for the newest one).
 */

/* Start listening for messages and window switches. */
void markers_init(void);
/* Stop listening. */
void markers_deinit(void);

#endif
