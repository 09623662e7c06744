/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_E2E_HOOK_H
#define NATTER_XMPP_E2E_HOOK_H

/*
 * The end-to-end schemes of crypto/e2e.h on the message pipeline: one
 * transform that hands every one-to-one message body (live, carbons,
 * offline delivery, archive pages, the outbox's re-sends) to
 * e2e_encrypt / e2e_decrypt and puts the result on the wire or in the
 * message; the way schemes send their own protocol messages; and the
 * release of held messages once a conversation is private.
 */

/* Plug the schemes into the pipeline. */
void e2e_hook_init(void);
/* Take them out again. */
void e2e_hook_deinit(void);

#endif
