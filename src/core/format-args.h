/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_FORMAT_ARGS_H
#define NATTER_CORE_FORMAT_ARGS_H

#include <glib.h>
#include <stdarg.h>

/*
 * The string arguments of a sentence of the format table, as the
 * variadic emitters (notice_fmt, muc_say_fmt, ...) take them: up to a
 * NULL.
 */

/* The const char * arguments in ap up to a NULL, as an array that ends
 * with NULL too (borrowed strings). Note: result must be freed with
 * g_ptr_array_free(args, TRUE). */
GPtrArray *format_args_collect(va_list ap);

#endif
