/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_TIMEFMT_H
#define NATTER_CORE_TIMEFMT_H

#include <stdint.h>

/*
 * Unix time t as local time in strftime-like format fmt (GDateTime's),
 * or fallback (copied) when t cannot be shown. Note: result must be freed
 * with g_free().
 */
char *timefmt_local(int64_t t, const char *fmt, const char *fallback);

#endif
