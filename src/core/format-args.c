/* SPDX-License-Identifier: MIT */
#include "core/format-args.h"

/* The const char * arguments in ap up to a NULL, NULL-terminated. Note:
 * result must be freed with g_ptr_array_free(args, TRUE). */
GPtrArray *
format_args_collect(va_list ap)
{
    GPtrArray *args = g_ptr_array_new();
    const char *a;

    while ((a = va_arg(ap, const char *)) != NULL)
        g_ptr_array_add(args, (gpointer)a);
    g_ptr_array_add(args, NULL);
    return args;
}
