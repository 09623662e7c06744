/* SPDX-License-Identifier: MIT */
#include "ui/format.h"

#include <glib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/timefmt.h"
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
            raw = g_strdup_printf(
                "* %s %s", l->sender != NULL ? l->sender : "?", text + 4);
        else
            raw = g_strdup_printf("<%s> %s",
                                  l->sender != NULL ? l->sender : "?", text);
        marked = g_strdup_printf(
            "%s%s%s%s%s%s%s%s%s", raw, l->pending ? " (pending)" : "",
            l->held ? " (held)" : "",
            l->protection != PROTECTION_PLAIN ? " [" : "",
            l->protection != PROTECTION_PLAIN ? protection_name(l->protection)
                                              : "",
            l->protection != PROTECTION_PLAIN ? "]" : "",
            l->edited ? " (edited)" : "", l->carbon ? " (other device)" : "",
            l->read        ? " \u2713\u2713"
            : l->delivered ? " \u2713"
                           : "");
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

/*
 * Where the message body sits in format_line_text(l): *start and *len get
 * its byte range there. Returns false (and sets nothing) for lines that
 * have no body (info and error lines).
 */
bool
format_line_body(const struct line *l, size_t *start, size_t *len)
{
    const char *text = l->text != NULL ? l->text : "";
    const char *sender = l->sender != NULL ? l->sender : "?";
    char *prefix, *safe;

    if (l->kind != LINE_MESSAGE && l->kind != LINE_OWN)
        return false;
    /* The prefix ends in ASCII, so it sanitises the same on its own. */
    if (g_str_has_prefix(text, "/me ")) {
        prefix = g_strdup_printf("* %s ", sender);
        text += 4;
    } else {
        prefix = g_strdup_printf("<%s> ", sender);
    }
    safe = sanitize_text(prefix, strlen(prefix), SANITIZE_KEEP_NEWLINES);
    *start = strlen(safe);
    g_free(safe);
    g_free(prefix);
    safe = sanitize_text(text, strlen(text), SANITIZE_KEEP_NEWLINES);
    *len = strlen(safe);
    g_free(safe);
    return true;
}

/* Local time t formatted with strftime format fmt; caller frees. */
char *
format_time(int64_t t, const char *fmt)
{
    return timefmt_local(t, fmt, "??:??");
}
