/* SPDX-License-Identifier: MIT */
/*
 * The input line: GNU readline in callback mode. Readline edits the line
 * (history, emacs keys, ~/.inputrc, multibyte) but never touches the
 * terminal: bytes come from our stdin buffer, and the line is drawn by
 * screen.c through ui_input_draw() once per loop turn.
 */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <errno.h>
#include <glib-unix.h>
#include <glib.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cmd/cmd.h"
#include "cmd/input.h"
#include "core/activity.h"
#include "core/event.h"
#include "core/sanitize.h"
#include "core/window.h"
#include "ui/ui-internal.h"

#define HISTORY_MAX 1000

static unsigned char inbuf[4096];
static size_t inbuf_len, inbuf_pos;
static guint stdin_watch;
static FILE *devnull;
static GPtrArray *completions; /* candidates of the completion under way */

/* Readline asks for the next byte: give it from what stdin delivered. */
static int
rl_getc_cb(FILE *f)
{
    unsigned char c;

    if (inbuf_pos < inbuf_len)
        return inbuf[inbuf_pos++];
    /* Mid-character or mid-sequence: the rest is on its way. */
    for (;;) {
        ssize_t n = read(STDIN_FILENO, &c, 1);
        if (n == 1)
            return c;
        if (n < 0 && errno == EINTR)
            continue;
        return EOF;
    }
}

/* Whether more input is waiting, so readline can tell ESC from Alt-key. */
static int
rl_input_available_cb(void)
{
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};

    return inbuf_pos < inbuf_len || poll(&p, 1, 0) > 0;
}

/* Readline wants the line redisplayed: draw it at the end of this turn,
 * and tell the protocol layer the user is typing a message. */
static void
rl_redisplay_cb(void)
{
    static char *last;

    ui_mark_dirty(DIRTY_INPUT);
    if (g_strcmp0(last, rl_line_buffer) == 0)
        return;
    g_free(last);
    last = g_strdup(rl_line_buffer);
    if (rl_line_buffer[0] != '\0' && rl_line_buffer[0] != '/' &&
        !input_prompt_secret()) {
        struct ev_window ev = {window_current()};
        event_emit(EV_TYPING, &ev);
    }
}

/* Terminal modes belong to ncurses; readline must not change them. */
static void
rl_prep_noop(int meta)
{
}

/* Terminal modes belong to ncurses; readline must not change them. */
static void
rl_deprep_noop(void)
{
}

/* A whole line was entered. */
static void
on_line(char *line)
{
    bool secret = input_prompt_secret();

    if (line == NULL)
        return; /* Ctrl-D on an empty line: natter quits only on /quit */
    if (!secret && line[0] != '\0') {
        add_history(line);
        if (history_length > HISTORY_MAX)
            free_history_entry(remove_history(0));
    }
    if (line[0] != '\0' || secret)
        input_line(line, NULL);
    if (secret)
        memset(line, 0, strlen(line));
    free(line);
    ui_mark_dirty(DIRTY_ALL);
}

/* Bytes arrived on stdin: feed them to readline. */
static gboolean
on_stdin(gint fd, GIOCondition cond, gpointer data)
{
    ssize_t n = read(fd, inbuf, sizeof inbuf);
    size_t guard;

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return G_SOURCE_CONTINUE;
    if (n <= 0) {
        /* The terminal went away: nobody is left to type /quit. */
        stdin_watch = 0;
        cmd_quit_all();
        return G_SOURCE_REMOVE;
    }
    inbuf_len = (size_t)n;
    inbuf_pos = 0;
    activity_touch(); /* a key: the user is here (auto-away, XEP-0012) */
    /* Every call consumes at least one byte; the guard is belt and braces. */
    for (guard = inbuf_len + 8; inbuf_pos < inbuf_len && guard > 0; guard--)
        rl_callback_read_char();
    inbuf_len = inbuf_pos = 0;
    return G_SOURCE_CONTINUE;
}

/* PageUp: half a page back. */
static int
key_page_up(int count, int key)
{
    ui_scroll(1);
    return 0;
}

/* PageDown: half a page forward. */
static int
key_page_down(int count, int key)
{
    ui_scroll(-1);
    return 0;
}

/* Alt-1..Alt-9, Alt-0: switch to that window. */
static int
key_window_n(int count, int key)
{
    unsigned int n = key == '0' ? 10 : (unsigned int)(key - '0');
    struct window *w = window_nth(n);

    if (w != NULL)
        window_switch(w);
    return 0;
}

/* Alt-Left: previous window. */
static int
key_window_prev(int count, int key)
{
    unsigned int cur = window_number(window_current());

    window_switch(window_nth(cur == 1 ? window_count() : cur - 1));
    return 0;
}

/* Alt-Right: next window. */
static int
key_window_next(int count, int key)
{
    unsigned int cur = window_number(window_current());

    window_switch(window_nth(cur % window_count() + 1));
    return 0;
}

/* Ctrl-L: repaint the whole terminal. */
static int
key_repaint(int count, int key)
{
    ui_repaint();
    return 0;
}

/* Readline's generator over the candidates computed for this completion. */
static char *
completion_generator(const char *text, int state)
{
    static guint next;

    if (state == 0)
        next = 0;
    if (completions == NULL || next >= completions->len)
        return NULL;
    return strdup(completions->pdata[next++]);
}

/* Tab: complete from the command table's completers. */
static char **
attempt_completion(const char *text, int start, int end)
{
    char *line = g_strndup(rl_line_buffer, (gsize)end);
    char **matches;

    rl_attempted_completion_over = 1; /* never fall back to file names */
    if (input_prompt_secret()) {
        g_free(line);
        return NULL;
    }
    if (completions != NULL)
        g_ptr_array_unref(completions);
    completions = cmd_complete(line, (size_t)start);
    g_free(line);
    matches = rl_completion_matches(text, completion_generator);
    /* A candidate that ends in its own separator ("nick: ") needs no
     * space after it. */
    if (matches != NULL && matches[1] == NULL && matches[0][0] != '\0' &&
        matches[0][strlen(matches[0]) - 1] == ' ')
        rl_completion_suppress_append = 1;
    return matches;
}

/* Several candidates: list them in the current window. */
static void
display_matches(char **matches, int num, int max_length)
{
    GString *s = g_string_new("Completions:");

    for (int i = 1; i <= num; i++)
        g_string_append_printf(s, " %s", matches[i]);
    window_add_line(window_current(), LINE_INFO, 0, NULL, s->str);
    g_string_free(s, TRUE);
    ui_mark_dirty(DIRTY_MAIN | DIRTY_INPUT);
}

/* Bind a key sequence, quietly ignoring readline's complaints. */
static void
bind(const char *seq, rl_command_func_t *fn)
{
    rl_bind_keyseq(seq, fn);
}

/* Set up readline on stdin; false if that fails. */
bool
ui_input_init(void)
{
    static const char *const digits[] = {"\\e1", "\\e2", "\\e3", "\\e4",
                                         "\\e5", "\\e6", "\\e7", "\\e8",
                                         "\\e9", "\\e0"};

    devnull = fopen("/dev/null", "w");
    if (devnull == NULL)
        return false;
    rl_readline_name = "natter";
    rl_instream = stdin;
    rl_outstream = devnull;
    rl_getc_function = rl_getc_cb;
    rl_input_available_hook = rl_input_available_cb;
    rl_redisplay_function = rl_redisplay_cb;
    rl_prep_term_function = rl_prep_noop;
    rl_deprep_term_function = rl_deprep_noop;
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_attempted_completion_function = attempt_completion;
    rl_completion_display_matches_hook = display_matches;
    rl_basic_word_break_characters = " \t";
    using_history();
    rl_callback_handler_install("", on_line);
    rl_variable_bind("bell-style", "none");
    rl_variable_bind("enable-bracketed-paste", "off");
    rl_variable_bind("show-all-if-ambiguous", "on");
    bind("\\e[5~", key_page_up);
    bind("\\e[6~", key_page_down);
    for (size_t i = 0; i < G_N_ELEMENTS(digits); i++)
        bind(digits[i], key_window_n);
    bind("\\e[1;3D", key_window_prev);
    bind("\\e[1;3C", key_window_next);
    bind("\\e\\e[D", key_window_prev);
    bind("\\e\\e[C", key_window_next);
    bind("\\C-l", key_repaint);
    stdin_watch = g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                on_stdin, NULL);
    return true;
}

/* Remove readline's handler and watches. */
void
ui_input_deinit(void)
{
    if (stdin_watch != 0)
        g_source_remove(stdin_watch);
    stdin_watch = 0;
    rl_callback_handler_remove();
    if (completions != NULL)
        g_ptr_array_unref(completions);
    completions = NULL;
    clear_history();
    if (devnull != NULL)
        fclose(devnull);
    devnull = NULL;
}

/* Draw the input line on row y of width cols; returns the cursor column. */
int
ui_input_draw(int y, int cols)
{
    const char *prompt = input_prompt();
    char *pfx =
        prompt != NULL ? g_strdup_printf("%s ", prompt) : g_strdup("> ");
    char *safe_pfx = sanitize_text(pfx, strlen(pfx), 0);
    int pw = text_width(safe_pfx), avail, curcol, offset = 0, x;
    char *before, *shown;
    const char *p;

    move(y, 0);
    clrtoeol();
    if (pw > cols / 2) { /* a long prompt leaves room to type */
        size_t n = text_fit(safe_pfx, strlen(safe_pfx), cols / 2, &pw);
        safe_pfx[n] = '\0';
    }
    mvaddstr(y, 0, safe_pfx);
    avail = cols - pw - 1;
    if (input_prompt_secret() || avail < 1) {
        g_free(pfx);
        g_free(safe_pfx);
        return pw;
    }
    before = sanitize_text(rl_line_buffer, (size_t)rl_point, 0);
    shown = sanitize_text(rl_line_buffer, strlen(rl_line_buffer), 0);
    curcol = text_width(before);
    if (curcol > avail)
        offset = curcol - avail;
    /* Skip whole characters worth offset columns. */
    p = shown;
    for (x = 0; *p != '\0' && x < offset; p = g_utf8_next_char(p))
        x += char_width(g_utf8_get_char(p));
    {
        int used = 0;
        size_t n = text_fit(p, strlen(p), avail, &used);
        mvaddnstr(y, pw, p, (int)n);
    }
    g_free(before);
    g_free(shown);
    g_free(pfx);
    g_free(safe_pfx);
    return pw + curcol - x;
}
