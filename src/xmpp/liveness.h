/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_LIVENESS_H
#define NATTER_XMPP_LIVENESS_H

struct account;

/*
 * Finding dead connections: an XEP-0199 ping to the server every
 * "ping.interval" seconds while online; a ping still unanswered at the
 * next one means the connection is dead. A jump of the wall clock (the
 * machine was suspended) pings every account at once.
 */

/* Watch for clock jumps. */
void liveness_init(void);
/* Stop everything. */
void liveness_deinit(void);
/* Start pinging acct (it just came online). */
void liveness_start(struct account *acct);
/* Stop pinging acct. */
void liveness_stop(struct account *acct);
/* Ping every online account now. */
void liveness_check_all(void);

#endif
