/* SPDX-License-Identifier: MIT */
#include "core/timefmt.h"

#include <glib.h>

/* Unix time t as local time in format fmt, else fallback. Note: free. */
char *
timefmt_local(int64_t t, const char *fmt, const char *fallback)
{
    GDateTime *dt = g_date_time_new_from_unix_local(t);
    char *s;

    if (dt == NULL)
        return g_strdup(fallback);
    s = g_date_time_format(dt, fmt);
    g_date_time_unref(dt);
    return s != NULL ? s : g_strdup(fallback);
}
