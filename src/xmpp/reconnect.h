/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_RECONNECT_H
#define NATTER_XMPP_RECONNECT_H

#include <stdbool.h>

struct account;

/*
 * Reconnecting after a lost connection: exponential back-off from about
 * one second to a five-minute cap, with jitter so that many clients do not
 * come back at the same instant.
 */

/* Milliseconds to wait before attempt number retries (0-based), with
 * jitter drawn from rand01 in [0, 1). */
unsigned int reconnect_delay_ms(unsigned int retries, double rand01);
/* Schedule the next attempt for acct and say when in its console. */
void reconnect_schedule(struct account *acct);
/* Drop a scheduled attempt, if any. */
void reconnect_cancel(struct account *acct);
/* Try again at once; false with *cause set if there is nothing to retry. */
bool reconnect_now(struct account *acct, char **cause);

#endif
