/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_CHATSTATE_H
#define NATTER_XMPP_CHATSTATE_H

/*
 * Chat states we send (XEP-0085): "composing" when the user starts typing
 * in a chat window, "paused" after a few seconds without a key, "active"
 * with the message. A timer runs only while someone is typing.
 */

/* Start listening for typing (EV_TYPING) and sent messages. */
void chatstate_init(void);
/* Stop, cancelling any timer. */
void chatstate_deinit(void);

#endif
