/* SPDX-License-Identifier: MIT */
#include "core/activity.h"

#include <glib.h>

#include "core/event.h"

static gint64 last_active; /* monotonic microseconds, 0 before the first */

/* The user typed (a line, or a key) just now: tell listeners. */
void
activity_touch(void)
{
    last_active = g_get_monotonic_time();
    event_emit(EV_ACTIVITY, NULL);
}

/* Seconds since the last typed line (from the first call if none yet). */
uint64_t
activity_idle_seconds(void)
{
    gint64 now = g_get_monotonic_time();

    if (last_active == 0)
        last_active = now; /* the first question counts as start-up */
    return now > last_active ? (uint64_t)((now - last_active) / G_USEC_PER_SEC)
                             : 0;
}
