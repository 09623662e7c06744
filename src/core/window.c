/* SPDX-License-Identifier: MIT */
#include "core/window.h"

#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/form.h"

static GPtrArray *windows;
static struct window *current;
static unsigned int scrollback_max = 5000;
static uint64_t next_serial = 1; /* struct line.serial of the next line */

/* Free one line. */
static void
line_free(void *p)
{
    struct line *l = p;

    g_free(l->sender);
    g_free(l->text);
    g_free(l->id);
    g_free(l->alt_id);
    g_free(l);
}

/* Index l as the newest live line with its id (newest: it replaces an
 * older one; !newest: only when there is none, for older lines put at the
 * top). */
static void
index_id(struct window *w, struct line *l, const char *id, bool newest)
{
    if (id == NULL)
        return;
    if (w->ids == NULL)
        w->ids = g_hash_table_new(g_str_hash, g_str_equal);
    /* replace, not insert: the key must be the indexed line's own string,
     * which lives as long as the entry. */
    if (newest || !g_hash_table_contains(w->ids, id))
        g_hash_table_replace(w->ids, (char *)id, l);
}

/* Index l by its id and its sender's id (see index_id). */
static void
index_line(struct window *w, struct line *l, bool newest)
{
    index_id(w, l, l->id, newest);
    index_id(w, l, l->alt_id, newest);
}

/* Drop l from the index of live lines before it is freed. */
static void
unindex_line(struct window *w, struct line *l)
{
    const char *ids[] = {l->id, l->alt_id};

    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++)
        if (ids[i] != NULL && w->ids != NULL &&
            g_hash_table_lookup(w->ids, ids[i]) == l)
            g_hash_table_remove(w->ids, ids[i]);
}

/* Forget every indexed line (the live lines are about to go). */
static void
unindex_all(struct window *w)
{
    if (w->ids != NULL)
        g_hash_table_remove_all(w->ids);
}

/* Free a window and its lines. */
static void
window_free(struct window *w)
{
    if (w->ids != NULL)
        g_hash_table_destroy(w->ids);
    g_queue_clear_full(&w->lines, line_free);
    g_queue_clear_full(&w->saved, line_free);
    g_free(w->jid);
    g_free(w->name);
    g_free(w->locked);
    g_free(w->marker_id);
    g_free(w->marker_to);
    form_free(w->form);
    g_free(w);
}

/* Emit a window event of type for w. */
static void
emit(enum event_type type, struct window *w)
{
    struct ev_window ev = {w};

    event_emit(type, &ev);
}

/* Create the console window; call once at start-up. */
void
window_init(void)
{
    struct window *w = g_new0(struct window, 1);

    windows = g_ptr_array_new();
    w->type = WINDOW_CONSOLE;
    w->name = g_strdup("console");
    g_queue_init(&w->lines);
    g_ptr_array_add(windows, w);
    current = w;
}

/* Free every window. */
void
window_deinit(void)
{
    if (windows == NULL)
        return;
    for (guint i = 0; i < windows->len; i++)
        window_free(windows->pdata[i]);
    g_ptr_array_free(windows, TRUE);
    windows = NULL;
    current = NULL;
}

/* Number of windows. */
unsigned int
window_count(void)
{
    return windows->len;
}

/* Window number n (1-based), NULL if there is none. */
struct window *
window_nth(unsigned int n)
{
    if (n < 1 || n > windows->len)
        return NULL;
    return windows->pdata[n - 1];
}

/* The 1-based number of w. */
unsigned int
window_number(const struct window *w)
{
    for (guint i = 0; i < windows->len; i++)
        if (windows->pdata[i] == w)
            return i + 1;
    return 0;
}

/* The console window. */
struct window *
window_console(void)
{
    return windows->pdata[0];
}

/* The window the user is looking at. */
struct window *
window_current(void)
{
    return current;
}

/* Make w current, clearing its unread marks. */
void
window_switch(struct window *w)
{
    current = w;
    w->unread = 0;
    w->activity = ACTIVITY_NONE;
    if (w->acct != NULL)
        account_set_default(w->acct);
    emit(EV_WINDOW_SWITCH, w);
}

/* The window of type with jid on acct, NULL if none is open. */
struct window *
window_find(struct account *acct, enum window_type type, const char *jid)
{
    for (guint i = 0; i < windows->len; i++) {
        struct window *w = windows->pdata[i];
        if (w->type == type && w->acct == acct && strcmp(w->jid, jid) == 0)
            return w;
    }
    return NULL;
}

/* The window of type with jid on acct, opened if needed. */
struct window *
window_get(struct account *acct, enum window_type type, const char *jid)
{
    struct window *w = window_find(acct, type, jid);

    if (w != NULL)
        return w;
    w = g_new0(struct window, 1);
    w->type = type;
    w->acct = acct;
    w->jid = g_strdup(jid);
    w->name = g_strdup(jid);
    g_queue_init(&w->lines);
    g_ptr_array_add(windows, w);
    emit(EV_WINDOW_LIST, w);
    return w;
}

/* The chat window with bare JID on acct, NULL if none is open. */
struct window *
window_find_chat(struct account *acct, const char *jid)
{
    return window_find(acct, WINDOW_CHAT, jid);
}

/* The chat window with bare JID on acct, opened if needed. */
struct window *
window_get_chat(struct account *acct, const char *jid)
{
    return window_get(acct, WINDOW_CHAT, jid);
}

/* Whether w is a conversation (chat, room or private): one with a peer. */
bool
window_is_conversation(const struct window *w)
{
    return w->type == WINDOW_CHAT || w->type == WINDOW_ROOM ||
           w->type == WINDOW_PRIVATE;
}

/* Close w (the console cannot be closed); returns false if refused. */
bool
window_close(struct window *w)
{
    unsigned int n = window_number(w);

    if (w->type == WINDOW_CONSOLE || n == 0)
        return false;
    /* XEP-0004 3.2 (and XEP-0045 10.1.3): a form given up is cancelled,
     * best effort: the window goes either way. */
    if (w->form != NULL && !w->form->done && w->form->ops != NULL &&
        w->form->ops->cancel != NULL) {
        char *cause = NULL;
        w->form->done = true;
        if (!w->form->ops->cancel(w->form, &cause))
            g_free(cause);
    }
    g_ptr_array_remove_index(windows, n - 1);
    if (current == w)
        current = windows->pdata[n - 2]; /* the one before it */
    window_free(w);
    emit(EV_WINDOW_LIST, NULL);
    window_switch(current);
    return true;
}

/* Close every window of acct. */
void
window_close_account(struct account *acct)
{
    for (guint i = windows->len; i-- > 1;) {
        struct window *w = windows->pdata[i];
        if (w->acct == acct)
            window_close(w);
    }
}

/* Empty w's scrollback. */
void
window_clear(struct window *w)
{
    unindex_all(w);
    g_queue_clear_full(&w->lines, line_free);
    g_queue_clear_full(&w->saved, line_free);
    w->detached = false;
    w->scroll = 0;
    emit(EV_WINDOW_CLEAR, w);
}

/* Append a line, marking activity unless it is stored history; returns
 * the line, owned by the window. */
static struct line *
append_line(struct window *w, enum line_kind kind, int64_t time,
            const char *sender, const char *text, const char *id,
            unsigned int marks, bool history)
{
    struct line *l = g_new0(struct line, 1);
    struct ev_window_line ev = {w, l};
    /* A jump view holds old lines: new ones wait with the live lines. */
    GQueue *q = w->detached && !history ? &w->saved : &w->lines;

    l->time = time != 0 ? time : g_get_real_time() / G_USEC_PER_SEC;
    l->kind = kind;
    l->sender = g_strdup(sender);
    l->text = g_strdup(text);
    l->id = g_strdup(id);
    l->pending = (marks & LINE_PENDING) != 0;
    l->edited = (marks & LINE_EDITED) != 0;
    l->carbon = (marks & LINE_CARBON) != 0;
    l->highlight = (marks & LINE_HIGHLIGHT) != 0;
    l->hit = (marks & LINE_HIT) != 0;
    l->held = (marks & LINE_HELD) != 0;
    l->protection = (enum protection)((marks >> 8) & 0xfu);
    l->serial = next_serial++;
    g_queue_push_tail(q, l);
    if (q == window_live_lines(w))
        index_line(w, l, true);
    while (q->length > scrollback_max) {
        struct line *old = g_queue_pop_head(q);
        if (q == window_live_lines(w))
            unindex_line(w, old);
        line_free(old);
    }
    if ((w != current || q == &w->saved) && !history) {
        if (kind == LINE_MESSAGE) {
            w->unread++;
            if (w->activity < ACTIVITY_MESSAGE)
                w->activity = ACTIVITY_MESSAGE;
            if (l->highlight)
                w->activity = ACTIVITY_HIGHLIGHT;
        } else if (w->activity < ACTIVITY_INFO && kind != LINE_OWN) {
            w->activity = ACTIVITY_INFO;
        }
    }
    event_emit(EV_WINDOW_LINE, &ev);
    return l;
}

/* Append a message line with its stanza id and marks (LINE_* bits). */
struct line *
window_add_message(struct window *w, enum line_kind kind, int64_t time,
                   const char *sender, const char *text, const char *id,
                   unsigned int marks)
{
    return append_line(w, kind, time, sender, text, id, marks, false);
}

/* Append a stored message without unread marks or activity. */
struct line *
window_add_history(struct window *w, enum line_kind kind, int64_t time,
                   const char *sender, const char *text, const char *id,
                   unsigned int marks)
{
    return append_line(w, kind, time, sender, text, id, marks, true);
}

/* Append a line and emit EV_WINDOW_LINE; sender may be NULL. */
void
window_add_line(struct window *w, enum line_kind kind, int64_t time,
                const char *sender, const char *text)
{
    window_add_message(w, kind, time, sender, text, NULL, 0);
}

/* Clear the pending mark of the line with stanza id; false if none. */
bool
window_mark_sent(struct window *w, const char *id)
{
    for (GList *l = window_live_lines(w)->tail; l != NULL; l = l->prev) {
        struct line *ln = l->data;
        if ((ln->pending || ln->held) && ln->id != NULL &&
            strcmp(ln->id, id) == 0) {
            struct ev_window ev = {w};
            ln->pending = false;
            ln->held = false;
            ln->gen++;
            event_emit(EV_WINDOW_CHANGE, &ev);
            return true;
        }
    }
    return false;
}

/* The newest line of q with stanza id (and sender, if given). */
static struct line *
find_in(GQueue *q, const char *id, const char *sender)
{
    for (GList *l = q->tail; l != NULL; l = l->prev) {
        struct line *ln = l->data;
        if (((ln->id != NULL && strcmp(ln->id, id) == 0) ||
             (ln->alt_id != NULL && strcmp(ln->alt_id, id) == 0)) &&
            (sender == NULL || g_strcmp0(ln->sender, sender) == 0))
            return ln;
    }
    return NULL;
}

/* The newest live line of w with stanza id (and sender, if given):
 * from the index, walking the lines only when the newest line with that
 * id has another sender. */
static struct line *
find_line(struct window *w, const char *id, const char *sender)
{
    struct line *ln = w->ids != NULL ? g_hash_table_lookup(w->ids, id) : NULL;

    if (ln == NULL)
        return NULL;
    if (sender == NULL || g_strcmp0(ln->sender, sender) == 0)
        return ln;
    return find_in(window_live_lines(w), id, sender);
}

/* The newest live line of w with stanza id, NULL if none; owned by w. */
const struct line *
window_find_line(struct window *w, const char *id)
{
    return find_line(w, id, NULL);
}

/* Give line l of w the sender's own id as well (group chat), so that
 * lookups by either id find it; l is a line just added. */
void
window_set_alt_id(struct window *w, struct line *l, const char *id)
{
    GQueue *live = window_live_lines(w);

    g_free(l->alt_id);
    l->alt_id = g_strdup(id);
    /* Lines get it as they arrive: l is the newest live line if any. */
    if (live->tail != NULL && live->tail->data == l)
        index_id(w, l, l->alt_id, true);
}

/* The newest line w shows with stanza id, NULL if none; owned by w. */
const struct line *
window_find_shown(struct window *w, const char *id)
{
    return find_in(&w->lines, id, NULL);
}

/* Tell front ends that lines of w changed in place. */
void
window_changed(struct window *w)
{
    struct ev_window ev = {w};

    event_emit(EV_WINDOW_CHANGE, &ev);
}

/* Put an older stored line at the top of w's scrollback. */
void
window_prepend_line(struct window *w, enum line_kind kind, int64_t time,
                    const char *sender, const char *text, const char *id,
                    unsigned int marks)
{
    struct line *l = g_new0(struct line, 1);

    l->time = time;
    l->kind = kind;
    l->sender = g_strdup(sender);
    l->text = g_strdup(text);
    l->id = g_strdup(id);
    l->edited = (marks & LINE_EDITED) != 0;
    l->held = (marks & LINE_HELD) != 0;
    l->protection = (enum protection)((marks >> 8) & 0xfu);
    l->serial = next_serial++;
    g_queue_push_head(&w->lines, l);
    if (&w->lines == window_live_lines(w))
        index_line(w, l, false);
}

/* Mark our line with stanza id as delivered; false if none. */
bool
window_mark_delivered(struct window *w, const char *id)
{
    struct line *ln = find_line(w, id, NULL);

    if (ln == NULL || ln->kind != LINE_OWN)
        return false;
    ln->delivered = true;
    ln->gen++;
    window_changed(w);
    return true;
}

/* Mark our line with stanza id, and our lines before it, read. */
bool
window_mark_read(struct window *w, const char *id)
{
    bool found = false;

    for (GList *l = window_live_lines(w)->tail; l != NULL; l = l->prev) {
        struct line *ln = l->data;
        if (!found && ln->id != NULL && strcmp(ln->id, id) == 0)
            found = true;
        if (found && ln->kind == LINE_OWN) {
            if (ln->read)
                break; /* older ones were marked before */
            ln->read = true;
            ln->gen++;
        }
    }
    if (found)
        window_changed(w);
    return found;
}

/* Replace the text of the line with stanza id sent by sender. */
bool
window_replace_text(struct window *w, const char *id, const char *sender,
                    const char *text)
{
    const struct line *ln = window_find_line(w, id);

    return window_replace_message(
        w, id, sender, text, ln != NULL ? ln->protection : PROTECTION_PLAIN);
}

/* The same, the correction arriving with protection state p. */
bool
window_replace_message(struct window *w, const char *id, const char *sender,
                       const char *text, enum protection p)
{
    struct line *ln = find_line(w, id, sender);

    if (ln == NULL)
        return false;
    g_free(ln->text);
    ln->text = g_strdup(text);
    ln->edited = true;
    ln->protection = p;
    ln->gen++;
    window_changed(w);
    return true;
}

/* Make w a jump view, keeping its live lines aside. */
void
window_detach(struct window *w)
{
    if (w->detached) {
        g_queue_clear_full(&w->lines, line_free);
    } else {
        w->saved = w->lines;
        w->saved_history_done = w->history_done;
        w->detached = true;
    }
    g_queue_init(&w->lines);
    w->history_done = false;
    w->scroll = 0;
    w->jump = true;
    emit(EV_WINDOW_CLEAR, w);
}

/* Leave the jump view: the live lines again, at their end. */
void
window_attach(struct window *w)
{
    if (!w->detached)
        return;
    g_queue_clear_full(&w->lines, line_free);
    w->lines = w->saved;
    g_queue_init(&w->saved);
    w->history_done = w->saved_history_done;
    w->detached = false;
    w->jump = false;
    w->scroll = 0;
    if (w == current) {
        w->unread = 0;
        w->activity = ACTIVITY_NONE;
    }
    emit(EV_WINDOW_CHANGE, w);
}

/* The live lines of w, whatever it shows. */
GQueue *
window_live_lines(struct window *w)
{
    return w->detached ? &w->saved : &w->lines;
}

/* Name to show for w: prefixed with its account's when several are on. */
char *
window_label(const struct window *w)
{
    if (w->acct != NULL && account_active_count() > 1)
        return g_strdup_printf("%s:%s", w->acct->name, w->name);
    return g_strdup(w->name);
}

/* Append an info or error line built from a printf format. */
void
window_printf(struct window *w, enum line_kind kind, const char *fmt, ...)
{
    va_list ap;
    char *text;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    window_add_line(w, kind, 0, NULL, text);
    g_free(text);
}

/* Lines kept per window before the oldest are dropped. */
void
window_set_scrollback(unsigned int lines)
{
    scrollback_max = lines > 0 ? lines : 1;
}
