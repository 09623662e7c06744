/* SPDX-License-Identifier: MIT */
#include "ui/format.h"

#include <glib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/window.h"

/* The text of a line as a user reads it, sanitised. Note: free result. */
char *
format_line_text(const struct line *l)
{
    char *raw, *out, *marked;
    const char *text = l->text != NULL ? l->text : "";

    switch (l->kind) {
    case LINE_MESSAGE:
    case LINE_OWN:
        /* XEP-0245: "/me does something" reads "* sender does something". */
        if (g_str_has_prefix(text, "/me "))
            raw = g_strdup_printf("* %s %s",
                                  l->sender != NULL ? l->sender : "?",
                                  text + 4);
        else
            raw = g_strdup_printf("<%s> %s",
                                  l->sender != NULL ? l->sender : "?", text);
        marked = g_strdup_printf("%s%s%s%s%s", raw,
                                 l->pending ? " (pending)" : "",
                                 l->edited ? " (edited)" : "",
                                 l->carbon ? " (other device)" : "",
                                 l->delivered ? " \u2713" : "");
        g_free(raw);
        raw = marked;
        break;
    case LINE_ERROR:
    case LINE_INFO:
    default:
        raw = g_strdup_printf("-!- %s", text);
        break;
    }
    out = sanitize_text(raw, strlen(raw), SANITIZE_KEEP_NEWLINES);
    g_free(raw);
    return out;
}

/* Local time t formatted with strftime format fmt; caller frees. */
char *
format_time(int64_t t, const char *fmt)
{
    GDateTime *dt = g_date_time_new_from_unix_local(t);
    char *s;

    if (dt == NULL)
        return g_strdup("??:??");
    s = g_date_time_format(dt, fmt);
    g_date_time_unref(dt);
    return s != NULL ? s : g_strdup("??:??");
}
