/* SPDX-License-Identifier: MIT */
#include "ui/headless.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/input.h"
#include "core/event.h"
#include "core/sanitize.h"
#include "core/window.h"
#include "ui/format.h"

static guint stdin_watch;
static GString *pending; /* bytes read from stdin, not yet a whole line */
static unsigned int errors_shown;

/* Print a window line, one output line per line of text. */
static void
on_line(enum event_type type, const void *payload, void *data)
{
    const struct ev_window_line *ev = payload;
    char *stamp = format_time(ev->line->time, "%Y-%m-%d %H:%M:%S");
    char *text = format_line_text(ev->line);
    char *label = window_label(ev->win);
    char *name = sanitize_text(label, strlen(label), 0);
    char **rows = g_strsplit(text, "\n", -1);

    if (ev->line->kind == LINE_ERROR)
        errors_shown++;

    /* A line that mentions us starts with "! " (the screen colours it). */
    for (int i = 0; rows[i] != NULL; i++)
        printf("%s [%s] %s%s\n", stamp, name,
               i == 0 && ev->line->highlight ? "! " : "", rows[i]);
    fflush(stdout);
    g_strfreev(rows);
    g_free(label);
    g_free(name);
    g_free(text);
    g_free(stamp);
}

/* Print one line for window w as it would show there. */
static void
print_line(struct window *w, const char *text)
{
    char *stamp =
        format_time(g_get_real_time() / G_USEC_PER_SEC, "%Y-%m-%d %H:%M:%S");
    char *label = window_label(w);
    char *name = sanitize_text(label, strlen(label), 0);
    char *safe = sanitize_text(text, strlen(text), 0);

    printf("%s [%s] %s\n", stamp, name, safe);
    fflush(stdout);
    g_free(safe);
    g_free(name);
    g_free(label);
    g_free(stamp);
}

/*
 * Changes to lines already printed: a receipt marks one delivered, a
 * correction rewrites one. A screen shows them in place; here they are
 * printed again as they now read.
 */
static void
on_change(enum event_type type, const void *payload, void *data)
{
    if (type == EV_RECEIPT || type == EV_DISPLAYED) {
        const struct ev_receipt *ev = payload;
        struct window *w = window_find_chat(ev->acct, ev->peer);
        const struct line *l = w != NULL ? window_find_line(w, ev->id) : NULL;
        if (l != NULL && l->kind == LINE_OWN) {
            char *text = g_strdup_printf("-!- %s %s: %s",
                                         type == EV_RECEIPT ? "Delivered to"
                                                            : "Read by",
                                         ev->peer, l->text);
            print_line(w, text);
            g_free(text);
        }
    } else if (type == EV_MESSAGE) {
        const struct message *ev = payload;
        struct window *w;
        const struct line *l;
        char *text;
        /* Only a replaced line; a correction of nothing was printed new. */
        if (ev->replace_id == NULL || ev->kind == MESSAGE_ERROR ||
            ev->backfill ||
            (w = window_find(ev->acct,
                             ev->kind == MESSAGE_GROUPCHAT ? WINDOW_ROOM
                             : ev->muc_private             ? WINDOW_PRIVATE
                                                           : WINDOW_CHAT,
                             ev->peer)) == NULL ||
            (l = window_find_line(w, ev->replace_id)) == NULL || !l->edited)
            return;
        text = format_line_text(l);
        print_line(w, text);
        g_free(text);
    }
}

/* Hand every complete line in pending to the input queue. */
static void
flush_lines(bool final)
{
    char *nl;

    while ((nl = memchr(pending->str, '\n', pending->len)) != NULL) {
        size_t n = (size_t)(nl - pending->str);
        char *l = g_strndup(pending->str, n);
        if (n > 0 && l[n - 1] == '\r')
            l[n - 1] = '\0';
        g_string_erase(pending, 0, (gssize)n + 1);
        input_line(l, NULL);
        memset(l, 0, n); /* it may have been a password */
        g_free(l);
    }
    if (final && pending->len > 0) {
        input_line(pending->str, NULL);
        g_string_truncate(pending, 0);
    }
}

/* Read what stdin has; at its end, tell the input queue. */
static gboolean
on_stdin(gint fd, GIOCondition cond, gpointer data)
{
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return G_SOURCE_CONTINUE;
    if (n > 0) {
        g_string_append_len(pending, buf, n);
        flush_lines(false);
        return G_SOURCE_CONTINUE;
    }
    flush_lines(true);
    stdin_watch = 0;
    input_eof();
    return G_SOURCE_REMOVE;
}

/* Start the headless front end. */
void
headless_init(void)
{
    pending = g_string_new(NULL);
    event_subscribe_at(EV_WINDOW_LINE, EVENT_STAGE_VIEW, on_line, NULL);
    event_subscribe_at(EV_RECEIPT, EVENT_STAGE_VIEW, on_change, NULL);
    event_subscribe_at(EV_DISPLAYED, EVENT_STAGE_VIEW, on_change, NULL);
    event_subscribe_at(EV_MESSAGE, EVENT_STAGE_VIEW, on_change, NULL);
    stdin_watch = g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                on_stdin, NULL);
}

/* Stop reading stdin and printing. */
void
headless_deinit(void)
{
    if (stdin_watch != 0)
        g_source_remove(stdin_watch);
    stdin_watch = 0;
    event_unsubscribe(EV_WINDOW_LINE, on_line, NULL);
    event_unsubscribe(EV_RECEIPT, on_change, NULL);
    event_unsubscribe(EV_DISPLAYED, on_change, NULL);
    event_unsubscribe(EV_MESSAGE, on_change, NULL);
    if (pending != NULL)
        g_string_free(pending, TRUE);
    pending = NULL;
}

/* Whether any window showed an error: scripts learn it from the status. */
bool
headless_had_errors(void)
{
    return errors_shown > 0;
}
