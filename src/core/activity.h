/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_ACTIVITY_H
#define NATTER_CORE_ACTIVITY_H

#include <stdint.h>

/*
 * When the user last did something: the input layer touches it for every
 * typed line; XEP-0012 last activity answers with the idle time.
 */

/* The user typed (a line, or a key) just now; emits EV_ACTIVITY. */
void activity_touch(void);
/* Seconds since the last typed line (from the first call if none yet). */
uint64_t activity_idle_seconds(void);

#endif
