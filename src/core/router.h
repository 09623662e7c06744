/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_ROUTER_H
#define NATTER_CORE_ROUTER_H

/*
 * The router turns protocol events (messages, presence, account state,
 * notices) into window lines, opening chat windows as messages arrive.
 */
void router_init(void);
/* Stop routing. */
void router_deinit(void);

#endif
