/* SPDX-License-Identifier: MIT */
#ifndef NATTER_UI_FORMATS_H
#define NATTER_UI_FORMATS_H

#include <stddef.h>

#include "core/format-id.h"

/*
 * The one table of the sentences natter shows (ids in core/format-id.h).
 *
 * A template is text with numbered arguments: $0 to $9 stand for the
 * arguments in order ("" when the caller gave fewer), $$ is one dollar
 * sign, and a $ followed by anything else is kept as it is. Arguments
 * beyond those a template names are ignored. Arguments are inserted as
 * they are: remote strings stay raw here and are sanitised when the line
 * is shown, like every line.
 */
struct format_def {
    enum format_id id;
    const char *name; /* stable name, for themes: "room_joined" */
    const char *tmpl; /* the template, see above */
};

/* The whole table, *n entries long, in no particular order. */
const struct format_def *formats_table(size_t *n);
/* The entry of id, NULL for an id outside the table. */
const struct format_def *formats_find(enum format_id id);
/* Expand template tmpl with the nargs strings of args (NULL entries count
 * as ""); caller frees. */
char *formats_expand_template(const char *tmpl, const char *const *args,
                              size_t nargs);
/* The text of id with the NULL-terminated args (args may be NULL); an
 * unknown id gives its arguments joined by spaces. Caller frees. */
char *formats_expandv(enum format_id id, const char *const *args);
/* The text of id with the string arguments that follow, up to a NULL;
 * caller frees. */
char *formats_text(enum format_id id, ...) __attribute__((sentinel));

#endif
