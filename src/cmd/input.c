/* SPDX-License-Identifier: MIT */
#include "cmd/input.h"

#include <string.h>

#include "cmd/cmd.h"
#include "core/account.h"
#include "core/activity.h"
#include "core/event.h"
#include "core/window.h"

struct queued {
    char *text;
    char *source; /* "file:line" or NULL when typed */
};

static GQueue queue = G_QUEUE_INIT;
static char *prompt_text;
static bool prompt_secret;
static input_answer_fn prompt_fn;
static void *prompt_data;
static bool eof_seen;
static bool running;
static void (*drained_fn)(void);

static void process(void);

/* Free a queued line. */
static void
queued_free(void *p)
{
    struct queued *q = p;

    if (q->text != NULL)
        memset(q->text, 0, strlen(q->text)); /* it may be a password */
    g_free(q->text);
    g_free(q->source);
    g_free(q);
}

/* Report an error about a line, naming where it came from. */
static void
line_error(const struct queued *q, const char *cause)
{
    if (q->source != NULL)
        notice(NULL, NOTICE_ERROR, "%s: %s", q->source, cause);
    else
        notice(NULL, NOTICE_ERROR, "%s", cause);
}

/* Send plain text to the current window's peer. */
static void
send_text(const struct queued *q, const char *text)
{
    struct window *w = window_current();
    char *cause = NULL;

    if (w->type == WINDOW_FORM) {
        line_error(q, "This is a form: /form set FIELD VALUE, then /form "
                      "submit or /form cancel");
        return;
    }
    if (w->type != WINDOW_CHAT && w->type != WINDOW_ROOM &&
        w->type != WINDOW_PRIVATE) {
        line_error(q, "This is the console: use /msg JID TEXT to chat");
        return;
    }
    if (!cmd_send_to_window(w, text, NULL, &cause)) {
        line_error(q, cause);
        g_free(cause);
    }
}

/*
 * Whether line must wait: it needs a connection and its account is on its
 * way up. Lines for accounts that are offline run and fail at once.
 */
static bool
must_wait(const char *text)
{
    struct account *acct = cmd_account_for(window_current());
    const struct cmd *c;
    char *name, *acct_name = NULL, *stripped;
    size_t n;

    stripped = text[0] == '/' ? cmd_strip_account(text, &acct_name) : NULL;
    if (acct_name != NULL) {
        acct = account_find_name(acct_name);
        g_free(acct_name);
        g_free(stripped);
    }
    if (acct == NULL || acct->state != ACCOUNT_CONNECTING)
        return false;
    if (text[0] != '/' || text[1] == '/')
        return true; /* a message to send */
    n = strcspn(text + 1, " \t");
    name = g_ascii_strdown(text + 1, n);
    c = cmd_find(name);
    g_free(name);
    return c != NULL && (c->flags & CMD_NEEDS_ONLINE);
}

/* Run one line now. */
static void
execute(const struct queued *q)
{
    const char *text = q->text;
    const struct cmd *c;
    struct account *acct = NULL;
    char **argv = NULL;
    char *cause = NULL, *name, *stripped;

    if (text[0] != '/') {
        send_text(q, text);
        return;
    }
    if (text[1] == '/') {
        send_text(q, text + 1); /* "//x" sends "/x" */
        return;
    }
    stripped = cmd_strip_account(text, &name);
    if (name != NULL && (acct = account_find_name(name)) == NULL) {
        cause = g_strdup_printf("No account %s (see /account list)", name);
        line_error(q, cause);
    } else {
        c = cmd_parse(stripped != NULL ? stripped : text, &argv, &cause);
        if (c == NULL ||
            !cmd_run_as(c, argv, window_current(),
                        acct != NULL ? acct
                                     : cmd_account_for(window_current()),
                        &cause))
            line_error(q, cause != NULL ? cause : "failed");
    }
    g_free(name);
    g_free(stripped);
    g_free(cause);
    g_strfreev(argv);
}

/* Whether some account is still on its way up (its outcome is pending). */
static bool
any_connecting(void)
{
    GPtrArray *accts = account_list();

    for (guint i = 0; i < accts->len; i++)
        if (((struct account *)accts->pdata[i])->state == ACCOUNT_CONNECTING)
            return true;
    return false;
}

/* Run queued lines until one has to wait or the queue is empty. */
static void
process(void)
{
    /* A command may queue lines or prompt; the outer call carries on. */
    if (running)
        return;
    running = true;
    while (!g_queue_is_empty(&queue)) {
        struct queued *q = g_queue_peek_head(&queue);

        if (prompt_fn != NULL) {
            input_answer_fn fn = prompt_fn;
            void *data = prompt_data;
            g_queue_pop_head(&queue);
            g_free(prompt_text);
            prompt_text = NULL;
            prompt_fn = NULL;
            prompt_data = NULL;
            prompt_secret = false;
            fn(q->text, data);
            queued_free(q);
            continue;
        }
        if (must_wait(q->text))
            break;
        g_queue_pop_head(&queue);
        execute(q);
        queued_free(q);
    }
    running = false;
    if (eof_seen && g_queue_is_empty(&queue) && !any_connecting()) {
        if (prompt_fn != NULL) {
            input_answer_fn fn = prompt_fn;
            prompt_fn = NULL;
            fn(NULL, prompt_data);
        }
        if (drained_fn != NULL) {
            void (*fn)(void) = drained_fn;
            drained_fn = NULL;
            fn();
        }
    }
}

/* A connection came up or went down: waiting lines may run now. */
static void
on_account_state(enum event_type type, const void *payload, void *data)
{
    const struct ev_account_state *ev = payload;

    if (ev->state == ACCOUNT_ONLINE || ev->state == ACCOUNT_OFFLINE)
        process();
}

/* Start listening for account changes. */
void
input_init(void)
{
    event_subscribe(EV_ACCOUNT_STATE, on_account_state, NULL);
}

/* Drop queued lines and the pending prompt. */
void
input_deinit(void)
{
    event_unsubscribe(EV_ACCOUNT_STATE, on_account_state, NULL);
    g_queue_clear_full(&queue, queued_free);
    g_free(prompt_text);
    prompt_text = NULL;
    prompt_fn = NULL;
}

/* Queue one line as typed. */
void
input_line(const char *line, const char *source)
{
    struct queued *q = g_new0(struct queued, 1);

    if (source == NULL)
        activity_touch(); /* typed by the user: XEP-0012 idle time */
    q->text = g_strdup(line);
    q->source = g_strdup(source);
    g_queue_push_tail(&queue, q);
    process();
}

/* Run every line of a file as typed. */
bool
input_file(const char *path, char **cause)
{
    char *contents, **lines;
    GError *err = NULL;

    if (!g_file_get_contents(path, &contents, NULL, &err)) {
        *cause = g_strdup_printf("Cannot read command file: %s", err->message);
        g_error_free(err);
        return false;
    }
    lines = g_strsplit(contents, "\n", -1);
    g_free(contents);
    for (int i = 0; lines[i] != NULL; i++) {
        char *l = lines[i], *src;
        size_t n = strlen(l);
        if (n > 0 && l[n - 1] == '\r')
            l[n - 1] = '\0';
        if (l[strspn(l, " \t")] == '\0' || l[0] == '#')
            continue;
        src = g_strdup_printf("%s:%d", path, i + 1);
        input_line(l, src);
        g_free(src);
    }
    g_strfreev(lines);
    return true;
}

/* Ask the user for one line. */
void
input_ask(const char *prompt, bool secret, input_answer_fn fn, void *data)
{
    if (prompt_fn != NULL)
        prompt_fn(NULL, prompt_data); /* one prompt at a time */
    g_free(prompt_text);
    prompt_text = g_strdup(prompt);
    prompt_secret = secret;
    prompt_fn = fn;
    prompt_data = data;
    window_add_line(window_current(), LINE_INFO, 0, NULL, prompt);
}

/* The pending prompt's text, NULL if none. */
const char *
input_prompt(void)
{
    return prompt_text;
}

/* Whether the pending prompt's answer must stay hidden. */
bool
input_prompt_secret(void)
{
    return prompt_fn != NULL && prompt_secret;
}

/* Whether lines are queued waiting for a connection. */
bool
input_waiting(void)
{
    return !g_queue_is_empty(&queue);
}

/* No more input will come: quit when the queue is empty. */
void
input_eof(void)
{
    eof_seen = true;
    process();
}

/* Called when the queue has drained after input_eof(). */
void
input_set_drained_fn(void (*fn)(void))
{
    drained_fn = fn;
}
