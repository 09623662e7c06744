/* SPDX-License-Identifier: MIT */
/* Screen layout and drawing: everything that writes to ncurses. */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <glib-unix.h>
#include <glib.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/account.h"
#include "core/event.h"
#include "core/backlog.h"
#include "core/history.h"
#include "core/room.h"
#include "core/sanitize.h"
#include "core/settings.h"
#include "core/window.h"
#include "ui/format.h"
#include "ui/nickcolor.h"
#include "ui/render.h"
#include "ui/styling.h"
#include "ui/termguard.h"
#include "ui/ui-internal.h"
#include "ui/ui.h"

enum {
    PAIR_BAR = 1,
    PAIR_ERROR,
    PAIR_INFO,
    PAIR_OWN,
    PAIR_ACTIVE,
    PAIR_ONLINE,
    PAIR_AWAY,
    PAIR_CODE,   /* XEP-0393 `pre` spans and ``` blocks */
    PAIR_QUOTE,  /* XEP-0393 > quotations */
    PAIR_HILITE, /* a message that mentions us, and its window */
    PAIR_NICK0,  /* first of the nick colour pairs (XEP-0392) */
};

static int nick_colors; /* terminal colours nick pairs were made for */

/* A line of the current window wrapped for the screen. */
struct wrapped {
    char *text; /* time, then the formatted line; sanitised */
    GArray *rows;
    attr_t attr;
    GArray *spans; /* struct style_span in text, or NULL: unstyled */
};

/*
 * Wrapped lines kept between redraws, by line serial: re-wrapping every
 * visible line on each redraw (time stamp, sanitising, styling, wcwidth
 * per character) was about half of a redraw in a busy room. An entry is
 * good while its line's gen, the width and the window kind match and no
 * setting changed; entries no redraw used are dropped after it.
 */
struct wrap_entry {
    uint64_t serial;
    unsigned int gen;
    int cols;
    bool room;   /* wrapped with nick colours (room and private) */
    guint epoch; /* wrap_epoch when wrapped */
    guint used;  /* draw_count of the last redraw that drew it */
    struct wrapped *wr;
};
static GHashTable *wrap_cache; /* &serial -> struct wrap_entry */
static guint wrap_epoch;       /* bumped by every setting change */
static guint draw_count;       /* draw_main() calls so far */

static unsigned int dirty;
/* Least time between redraws for incoming text alone (see
 * redraw_prepare). */
#define FRAME_US 20000
static gint64 last_redraw; /* monotonic time of the last redraw, or 0 */
static GSource *redraw_source;
static guint winch_source;
static guint int_source;
static int main_rows, main_cols; /* size of the main window area */

/* Ask for parts of the screen to be redrawn this loop turn. */
void
ui_mark_dirty(unsigned int what)
{
    dirty |= what;
}

/* Write text at (y, x) sanitised and cut to cols columns; returns columns. */
static int
put_text(int y, int x, const char *text, int cols, attr_t attr)
{
    char *safe;
    size_t n;
    int used = 0;

    if (cols <= 0)
        return 0;
    safe = sanitize_text(text, strlen(text), 0);
    n = text_fit(safe, strlen(safe), cols, &used);
    attron(attr);
    mvaddnstr(y, x, safe, (int)n);
    attroff(attr);
    g_free(safe);
    return used;
}

/* Fill cols columns of row y from column x with blanks: one call, not
 * one mvaddch per cell (that was a third of a redraw's cost). */
static void
blank(int y, int x, int cols, attr_t attr)
{
    if (cols > 0)
        mvhline(y, x, ' ' | attr, cols);
}

/* Write text at (y, x) sanitised and cut to cols columns. */
int
ui_put_text(int y, int x, const char *text, int cols, attr_t attr)
{
    return put_text(y, x, text, cols, attr);
}

/* Fill cols columns of row y from column x with blanks. */
void
ui_blank(int y, int x, int cols, attr_t attr)
{
    blank(y, x, cols, attr);
}

/* The colour attribute of nick (XEP-0392), A_NORMAL without colours. */
attr_t
ui_nick_attr(const char *nick)
{
    if (nick_colors == 0)
        return A_NORMAL;
    return COLOR_PAIR(PAIR_NICK0 +
                      nickcolor_bucket(nickcolor_angle(nick), nick_colors));
}

/* The room whose occupants the side pane shows, NULL for the roster. */
static struct room *
pane_room(void)
{
    struct window *w = window_current();

    if (w->type != WINDOW_ROOM || w->acct == NULL ||
        !settings_bool("occupants"))
        return NULL;
    return room_find(w->acct, w->jid);
}

/* Width of the side pane (roster, or occupants beside a room), or 0 when
 * it is hidden or does not fit. */
static int
roster_width(void)
{
    bool room = pane_room() != NULL;
    int w = settings_int(room ? "occupants.width" : "roster.width");

    if (!settings_bool(room ? "occupants" : "roster") || COLS < w + 40)
        return 0;
    return w;
}

/* Title bar: where you are and who you talk to. */
static void
draw_title(void)
{
    struct window *w = window_current();
    GString *t = g_string_new("natter");
    attr_t bar = COLOR_PAIR(PAIR_BAR);
    char *label = window_label(w);

    g_string_append_printf(t, " | %u:%s", window_number(w), label);
    g_free(label);
    if (w->type == WINDOW_CHAT) {
        struct contact *c = contact_find(w->acct, w->jid);
        struct resource *r = c != NULL ? contact_best(c) : NULL;
        g_string_append_printf(t, " (%s%s%s)",
                               c != NULL ? contact_show(c) : "offline",
                               r != NULL && r->status ? ": " : "",
                               r != NULL && r->status ? r->status : "");
        if (c != NULL && g_strcmp0(c->chat_state, "composing") == 0)
            g_string_append(t, " is typing");
        else if (c != NULL && g_strcmp0(c->chat_state, "paused") == 0)
            g_string_append(t, " stopped typing");
    } else if (w->type == WINDOW_ROOM) {
        struct room *room = room_find(w->acct, w->jid);
        if (room == NULL || room->state == ROOM_LEFT)
            g_string_append(t, " (not joined)");
        else if (room->state == ROOM_JOINING)
            g_string_append(t, " (joining)");
        else
            g_string_append_printf(
                t, " (%u, as %s)%s%s", g_hash_table_size(room->occupants),
                room->nick, room->subject != NULL ? " " : "",
                room->subject != NULL ? room->subject : "");
    } else if (w->type == WINDOW_PRIVATE) {
        g_string_append(t, " (private, through the room)");
    } else if (w->type == WINDOW_FORM) {
        g_string_append(t, " - /form set FIELD VALUE, /form submit, "
                           "/form cancel");
    }
    if (w->acct != NULL)
        g_string_append_printf(t, " | %s %s", w->acct->jid,
                               account_state_name(w->acct->state));
    blank(0, 0, COLS, bar);
    put_text(0, 0, t->str, COLS, bar);
    g_string_free(t, TRUE);
}

/* Attribute for a line kind. */
static attr_t
line_attr(enum line_kind kind)
{
    switch (kind) {
    case LINE_ERROR:
        return COLOR_PAIR(PAIR_ERROR) | A_BOLD;
    case LINE_INFO:
        return COLOR_PAIR(PAIR_INFO);
    case LINE_OWN:
        return COLOR_PAIR(PAIR_OWN);
    case LINE_MESSAGE:
        break;
    }
    return A_NORMAL;
}

/* Free a wrapped line. */
static void
wrapped_free(void *p)
{
    struct wrapped *wr = p;

    g_free(wr->text);
    g_array_free(wr->rows, TRUE);
    if (wr->spans != NULL)
        g_array_free(wr->spans, TRUE);
    g_free(wr);
}

/* Attribute for XEP-0393 style bits on a line drawn with base. */
static attr_t
style_attr(attr_t base, unsigned int style)
{
    attr_t a = base;

    if (style >> 8) /* a nick colour pair (color_sender) */
        return (base & ~A_COLOR) | COLOR_PAIR((short)(style >> 8));
    if (style & STYLE_QUOTE)
        a = has_colors() ? (a & ~A_COLOR) | COLOR_PAIR(PAIR_QUOTE) : a | A_DIM;
    if (style & (STYLE_PRE | STYLE_PREBLOCK))
        a = has_colors() ? (a & ~A_COLOR) | COLOR_PAIR(PAIR_CODE)
                         : a | A_REVERSE;
    if (style & STYLE_STRONG)
        a |= A_BOLD;
    if (style & STYLE_EMPH)
        a |= (term_attrs() & A_ITALIC) ? A_ITALIC : A_UNDERLINE;
    if (style & STYLE_STRIKE)
        a |= A_DIM; /* terminals have no strike-through attribute */
    return a;
}

/* Style the body of a message line wr (from format_line_body, past the
 * time stamp and its space: skip bytes) if the styling setting is on. */
static void
style_line(struct wrapped *wr, const struct line *ln, size_t skip)
{
    size_t start, len, total = strlen(wr->text);

    wr->spans = NULL;
    if (!settings_bool("styling") || !format_line_body(ln, &start, &len))
        return;
    start += skip;
    if (start > total)
        return;
    if (len > total - start)
        len = total - start;
    wr->spans = g_array_new(FALSE, FALSE, sizeof(struct style_span));
    styling_parse(wr->text + start, len, wr->spans);
    for (guint i = 0; i < wr->spans->len; i++)
        g_array_index(wr->spans, struct style_span, i).start += start;
}

/*
 * Colour the sender of a group chat line in wr (text from skip on is the
 * formatted line) with its nick colour (XEP-0392): a span put before the
 * body's style spans, whose style bits above 0xff name the colour pair.
 */
static void
color_sender(struct wrapped *wr, const struct line *ln, size_t skip)
{
    struct style_span sp;
    char *safe;

    if (nick_colors == 0 || ln->sender == NULL ||
        (ln->kind != LINE_MESSAGE && ln->kind != LINE_OWN))
        return;
    safe =
        sanitize_text(ln->sender, strlen(ln->sender), SANITIZE_KEEP_NEWLINES);
    /* Past "* " of an action, or "<" of a message. */
    sp.start =
        skip +
        (g_str_has_prefix(ln->text != NULL ? ln->text : "", "/me ") ? 2 : 1);
    sp.len = strlen(safe);
    sp.style = (unsigned int)(PAIR_NICK0 +
                              nickcolor_bucket(nickcolor_angle(ln->sender),
                                               nick_colors))
               << 8;
    g_free(safe);
    if (sp.len == 0 || sp.start + sp.len > strlen(wr->text))
        return;
    if (wr->spans == NULL)
        wr->spans = g_array_new(FALSE, FALSE, sizeof(struct style_span));
    g_array_prepend_val(wr->spans, sp);
}

/* Draw one wrapped row at screen row y, each styled run with its own
 * attribute. */
static void
draw_row(int y, const struct wrapped *wr, const struct row *row)
{
    size_t pos = row->start, end = row->start + row->len;
    guint k = 0, n = wr->spans != NULL ? wr->spans->len : 0;
    const struct style_span *sp =
        n > 0 ? (const struct style_span *)(void *)wr->spans->data : NULL;

    move(y, row->indent);
    while (pos < end) {
        attr_t a = wr->attr;
        size_t next = end;

        while (k < n && sp[k].start + sp[k].len <= pos)
            k++;
        if (k < n) {
            if (sp[k].start <= pos) {
                a = style_attr(wr->attr, sp[k].style);
                next = MIN(end, sp[k].start + sp[k].len);
            } else {
                next = MIN(end, sp[k].start);
            }
        }
        attrset(a);
        addnstr(wr->text + pos, (int)(next - pos));
        pos = next;
    }
    attrset(A_NORMAL);
}

/* Line ln wrapped for cols columns with its time stamp in format fmt.
 * Note: free with wrapped_free(). */
static struct wrapped *
wrap_line(const struct line *ln, int cols, const char *fmt)
{
    struct wrapped *wr = g_new0(struct wrapped, 1);
    char *stamp = format_time(ln->time, fmt);
    char *body = format_line_text(ln);
    int indent = text_width(stamp) + 1;

    wr->text = g_strdup_printf("%s %s", stamp, body);
    wr->rows = g_array_new(FALSE, FALSE, sizeof(struct row));
    wr->attr = line_attr(ln->kind) | (ln->hit ? A_REVERSE : 0);
    if (ln->highlight)
        wr->attr =
            COLOR_PAIR(PAIR_HILITE) | A_BOLD | (ln->hit ? A_REVERSE : 0);
    style_line(wr, ln, strlen(stamp) + 1);
    /* Group chat senders in their colours; lines are of the current
     * window, the only one drawn. */
    if (window_current()->type == WINDOW_ROOM ||
        window_current()->type == WINDOW_PRIVATE)
        color_sender(wr, ln, strlen(stamp) + 1);
    render_wrap(wr->text, cols, indent, wr->rows);
    g_free(stamp);
    g_free(body);
    return wr;
}

/* Screen rows the lines from l to the newest take at cols columns. */
static int
rows_from(GList *l, int cols)
{
    const char *fmt = settings_get("time.format");
    int n = 0;

    for (; l != NULL; l = l->next) {
        struct wrapped *wr = wrap_line(l->data, cols, fmt);
        n += (int)wr->rows->len;
        wrapped_free(wr);
    }
    return n;
}

/* A jump view just opened in w: scroll so its hit line sits mid-screen. */
static void
scroll_to_hit(struct window *w, int rows, int cols)
{
    GList *l;

    w->jump = false;
    for (l = w->lines.tail; l != NULL; l = l->prev) {
        const struct line *ln = l->data;
        if (ln->hit)
            break;
    }
    if (l == NULL)
        return;
    {
        int below = rows_from(l->next, cols);
        int own = rows_from(l, cols) - below;
        int s = below - (rows - own) / 2;
        w->scroll = s > 0 ? s : 0;
    }
}

/* Free a wrap cache entry. */
static void
wrap_entry_free(void *p)
{
    struct wrap_entry *e = p;

    wrapped_free(e->wr);
    g_free(e);
}

/* Line ln wrapped for cols columns, from the cache when it is still good;
 * owned by the cache (kept at least until the next wrap_cache_sweep). */
static struct wrapped *
wrapped_for(const struct line *ln, int cols, const char *fmt)
{
    bool room = window_current()->type == WINDOW_ROOM ||
                window_current()->type == WINDOW_PRIVATE;
    struct wrap_entry *e;

    if (wrap_cache == NULL)
        wrap_cache = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
                                           wrap_entry_free);
    e = g_hash_table_lookup(wrap_cache, &ln->serial);
    if (e != NULL && (e->gen != ln->gen || e->cols != cols ||
                      e->room != room || e->epoch != wrap_epoch)) {
        g_hash_table_remove(wrap_cache, &ln->serial);
        e = NULL;
    }
    if (e == NULL) {
        e = g_new0(struct wrap_entry, 1);
        e->serial = ln->serial;
        e->gen = ln->gen;
        e->cols = cols;
        e->room = room;
        e->epoch = wrap_epoch;
        e->wr = wrap_line(ln, cols, fmt);
        g_hash_table_insert(wrap_cache, &e->serial, e);
    }
    e->used = draw_count;
    return e->wr;
}

/* Whether a wrap cache entry went unused by the last redraw. */
static gboolean
wrap_entry_stale(gpointer key, gpointer value, gpointer data)
{
    const struct wrap_entry *e = value;

    return e->used != draw_count;
}

/* After a redraw: drop what it did not draw, and start the next one. */
static void
wrap_cache_sweep(void)
{
    if (wrap_cache != NULL)
        g_hash_table_foreach_remove(wrap_cache, wrap_entry_stale, NULL);
    draw_count++;
}

/* Main window: the newest lines that fit, minus the scroll-back. */
static void
draw_main(int top, int rows, int cols)
{
    struct window *w = window_current();
    GPtrArray *lines = g_ptr_array_new();
    const char *fmt = settings_get("time.format");
    int total, skip, y;
    bool reached_start;

    for (int y0 = 0; y0 < rows; y0++)
        blank(top + y0, 0, cols, A_NORMAL);
    if (w->jump)
        scroll_to_hit(w, rows, cols);
    /* Two passes at most: the second after paging older history in. */
    for (int pass = 0; pass < 2; pass++) {
        total = 0;
        reached_start = true;
        g_ptr_array_set_size(lines, 0);
        for (GList *l = w->lines.tail; l != NULL; l = l->prev) {
            struct wrapped *wr;

            if (total >= rows + w->scroll) {
                reached_start = false;
                break;
            }
            wr = wrapped_for(l->data, cols, fmt);
            total += (int)wr->rows->len;
            g_ptr_array_add(lines, wr);
        }
        /* Scrolled past the oldest line in memory: page in older ones. */
        if (!(reached_start && w->scroll > total - rows && pass == 0 &&
              backlog_load_older(w,
                                 (unsigned int)(LINES > 10 ? LINES * 2 : 50))))
            break;
    }
    /* Scrolled past the oldest line there is: stop at the top. */
    if (reached_start && w->scroll > total - rows)
        w->scroll = total - rows > 0 ? total - rows : 0;
    skip = total - rows - w->scroll; /* rows above the screen */
    y = 0;
    for (guint i = lines->len; i-- > 0;) {
        struct wrapped *wr = lines->pdata[i];
        for (guint r = 0; r < wr->rows->len; r++, skip--) {
            struct row *row = &g_array_index(wr->rows, struct row, r);
            if (skip > 0)
                continue;
            if (y >= rows)
                break;
            draw_row(top + y, wr, row);
            y++;
        }
    }
    g_ptr_array_unref(lines);
    wrap_cache_sweep();
}

/* Mark and attribute for a presence. */
static char
show_mark(const char *show, attr_t *attr)
{
    if (strcmp(show, "online") == 0 || strcmp(show, "chat") == 0) {
        *attr = COLOR_PAIR(PAIR_ONLINE) | A_BOLD;
        return '+';
    }
    if (strcmp(show, "away") == 0 || strcmp(show, "xa") == 0) {
        *attr = COLOR_PAIR(PAIR_AWAY);
        return '~';
    }
    if (strcmp(show, "dnd") == 0) {
        *attr = COLOR_PAIR(PAIR_ERROR);
        return '!';
    }
    *attr = A_DIM;
    return '-';
}

/* The mark and attribute for a presence show. */
char
ui_show_mark(const char *show, attr_t *attr)
{
    return show_mark(show, attr);
}

/* One roster pane row: mark, name, resource count and unread count. */
static void
draw_contact(int y, int x, int cols, struct account *acct, struct contact *c)
{
    struct window *w = window_find_chat(acct, c->jid);
    unsigned int nres = g_hash_table_size(c->resources);
    GString *label =
        g_string_new(c->name != NULL && c->name[0] ? c->name : c->jid);
    attr_t attr;
    char mark[3] = {show_mark(contact_show(c), &attr), ' ', '\0'};

    if (nres > 1)
        g_string_append_printf(label, " [%u]", nres);
    if (w != NULL && w->unread > 0)
        g_string_append_printf(label, " (%u)", w->unread);
    put_text(y, x, mark, 2, attr);
    put_text(y, x + 2, label->str, cols - 2,
             w != NULL && w->unread > 0 ? A_BOLD : A_NORMAL);
    g_string_free(label, TRUE);
}

/* Order group names for the roster pane. */
static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Contacts cs (in display order) by roster group: a table from group name
 * to the contacts in it, in the same order, and the names sorted. One
 * pass over the contacts, so a roster of thousands costs n log n, not
 * groups times contacts. Contacts in no group go under NULL, last.
 * Note: free *names with g_ptr_array_unref(), the table with
 * g_hash_table_destroy(); names and contacts are borrowed.
 */
static GHashTable *
group_contacts(GPtrArray *cs, GPtrArray **names, GPtrArray **none)
{
    GHashTable *by = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify)g_ptr_array_unref);

    *names = g_ptr_array_new();
    *none = g_ptr_array_new();
    for (guint i = 0; i < cs->len; i++) {
        struct contact *c = cs->pdata[i];
        if (c->groups->len == 0)
            g_ptr_array_add(*none, c);
        for (guint j = 0; j < c->groups->len; j++) {
            char *g = c->groups->pdata[j];
            GPtrArray *members = g_hash_table_lookup(by, g);
            if (members == NULL) {
                members = g_ptr_array_new();
                g_hash_table_insert(by, g, members);
                g_ptr_array_add(*names, g);
            }
            g_ptr_array_add(members, c);
        }
    }
    g_ptr_array_sort(*names, compare_names);
    return by;
}

/* Draw contacts cs from row *y on, under heading (NULL: none), while rows
 * last. */
static void
draw_group(int top, int rows, int *y, int x, int cols, struct account *acct,
           const char *heading, GPtrArray *cs)
{
    if (cs->len == 0 || *y >= rows)
        return;
    if (heading != NULL)
        put_text(top + (*y)++, x, heading, cols, A_BOLD);
    for (guint j = 0; j < cs->len && *y < rows; j++)
        draw_contact(top + (*y)++, x, cols, acct, cs->pdata[j]);
}

/*
 * Roster pane: contacts of every account, grouped by roster group (or in
 * one list by presence with roster.groups off), offline ones hidden with
 * roster.offline off. Only the rows that fit are drawn, but sorting and
 * grouping see every contact once per redraw, and redraws happen once per
 * loop turn however many roster or presence events it brought.
 */
static void
draw_roster(int top, int rows, int x, int cols)
{
    GPtrArray *accts = account_list();
    bool by_group = settings_bool("roster.groups");
    bool offline = settings_bool("roster.offline");
    int y = 0;

    for (int i = 0; i < rows; i++) {
        mvaddch(top + i, x - 1, ACS_VLINE);
        blank(top + i, x, cols, A_NORMAL);
    }
    put_text(top + y++, x, "Roster", cols, A_BOLD);
    for (guint i = 0; i < accts->len && y < rows; i++) {
        struct account *acct = accts->pdata[i];
        GPtrArray *cs = contact_sorted(acct);

        if (!offline) {
            /* In one pass: removing one by one would shift n times. */
            guint n = 0;
            for (guint j = 0; j < cs->len; j++)
                if (strcmp(contact_show(cs->pdata[j]), "offline") != 0)
                    cs->pdata[n++] = cs->pdata[j];
            g_ptr_array_set_size(cs, n);
        }
        if (accts->len > 1)
            put_text(top + y++, x, acct->name, cols, A_UNDERLINE);
        if (by_group) {
            GPtrArray *names, *none;
            GHashTable *by = group_contacts(cs, &names, &none);
            /* Groups first, then contacts in none. */
            for (guint g = 0; g < names->len && y < rows; g++)
                draw_group(top, rows, &y, x, cols, acct, names->pdata[g],
                           g_hash_table_lookup(by, names->pdata[g]));
            draw_group(top, rows, &y, x, cols, acct, NULL, none);
            g_hash_table_destroy(by);
            g_ptr_array_unref(names);
            g_ptr_array_unref(none);
        } else {
            draw_group(top, rows, &y, x, cols, acct, NULL, cs);
        }
        g_ptr_array_unref(cs);
    }
}

/* Status bar: account, window list with activity. No clock: it would
 * wake an idle client every minute. */
static void
draw_status(int y)
{
    struct window *cur = window_current();
    struct account *acct = cur->acct != NULL ? cur->acct : account_default();
    attr_t bar = COLOR_PAIR(PAIR_BAR);
    int x = 0;

    blank(y, 0, COLS, bar);
    if (acct != NULL) {
        const char *state = acct->state == ACCOUNT_ONLINE ? acct->show
                            : acct->retry_timer != 0
                                ? "reconnecting"
                                : account_state_name(acct->state);
        char *a = g_strdup_printf("[%s: %s] ", acct->jid, state);
        x += put_text(y, x, a, COLS - x, bar);
        g_free(a);
    }
    for (unsigned int n = 1; n <= window_count() && x < COLS; n++) {
        struct window *w = window_nth(n);
        char *label = window_label(w);
        char *item = w->unread > 0
                         ? g_strdup_printf("%u:%s(%u)", n, label, w->unread)
                         : g_strdup_printf("%u:%s", n, label);
        attr_t attr = bar;

        if (w == cur)
            attr |= A_BOLD | A_UNDERLINE;
        else if (w->activity == ACTIVITY_HIGHLIGHT)
            attr = COLOR_PAIR(PAIR_HILITE) | A_BOLD;
        else if (w->activity == ACTIVITY_MESSAGE)
            attr = COLOR_PAIR(PAIR_ACTIVE) | A_BOLD;
        x += put_text(y, x, item, COLS - x, attr);
        x += put_text(y, x, " ", COLS - x, bar);
        g_free(item);
        g_free(label);
    }
    if (cur->archive_pending)
        put_text(y, x, "-- fetching older messages from the server\u2026 --",
                 COLS - x, bar | A_BOLD);
    else if (cur->detached)
        put_text(y, x,
                 "-- search hit: PageDown past the end for new "
                 "messages --",
                 COLS - x, bar | A_BOLD);
    else if (cur->scroll > 0)
        put_text(y, x, "-- more --", COLS - x, bar | A_BOLD);
}

/* Draw what is dirty and put the cursor on the input line. */
static void
redraw(void)
{
    int rw, cx;

    if (LINES < 4 || COLS < 12) {
        erase();
        mvaddstr(0, 0, "too small");
        refresh();
        dirty = 0;
        return;
    }
    rw = roster_width();
    main_rows = LINES - 3;
    main_cols = rw > 0 ? COLS - rw - 1 : COLS;
    if (dirty & DIRTY_TITLE)
        draw_title();
    if (dirty & DIRTY_MAIN)
        draw_main(1, main_rows, main_cols);
    if ((dirty & DIRTY_ROSTER) && rw > 0) {
        struct room *room = pane_room();
        if (room != NULL)
            occupants_draw(1, main_rows, COLS - rw, rw, room);
        else
            draw_roster(1, main_rows, COLS - rw, rw);
    }
    if (dirty & DIRTY_STATUS)
        draw_status(LINES - 2);
    cx = ui_input_draw(LINES - 1, COLS);
    move(LINES - 1, cx);
    refresh();
    dirty = 0;
}

/* Scroll the current window by half pages: positive goes back in time. */
void
ui_scroll(int half_pages)
{
    struct window *w = window_current();
    int step = main_rows > 2 ? main_rows / 2 : 1;

    /* At the end of a jump view: page newer stored messages in, and
     * return to the live lines once there are none. */
    if (w->detached && half_pages < 0 && w->scroll == 0) {
        GList *last = w->lines.tail;
        char *cause = NULL;
        int n = history_show_newer(w, (unsigned int)(step * 2), &cause);
        if (n < 0) {
            window_printf(window_console(), LINE_ERROR, "%s", cause);
            g_free(cause);
        }
        if (n <= 0) {
            window_attach(w);
        } else {
            int added = rows_from(last != NULL ? last->next : NULL, main_cols);
            w->scroll = added > step ? added - step : 0;
        }
        ui_mark_dirty(DIRTY_MAIN | DIRTY_STATUS);
        return;
    }
    w->scroll += half_pages * step;
    if (w->scroll < 0)
        w->scroll = 0;
    ui_mark_dirty(DIRTY_MAIN | DIRTY_STATUS);
}

/* Force a full repaint of the terminal (Ctrl-L). */
void
ui_repaint(void)
{
    clearok(curscr, TRUE);
    ui_mark_dirty(DIRTY_ALL);
}

/*
 * GSource prepare: runs once per loop turn, before the loop sleeps, and
 * draws what is dirty. What only incoming text made dirty waits until
 * FRAME_US after the last redraw (the loop wakes for it then): a room
 * flooding 200 messages a second is drawn 50 times a second, not 200,
 * while what the user does (the input line, window switches) is drawn at
 * once. An idle client has no redraw to wait for, so no wake-up.
 */
static gboolean
redraw_prepare(GSource *src, gint *timeout)
{
    gint64 now, wait;

    *timeout = -1;
    if (dirty == 0)
        return FALSE;
    now = g_get_monotonic_time();
    wait = last_redraw + FRAME_US - now;
    if (!(dirty & DIRTY_INPUT) && last_redraw != 0 && wait > 0) {
        *timeout = (gint)((wait + 999) / 1000);
        return FALSE;
    }
    redraw();
    last_redraw = now;
    return FALSE;
}

/* GSource check: never ready by itself. */
static gboolean
redraw_check(GSource *src)
{
    return FALSE;
}

/* GSource dispatch: never called. */
static gboolean
redraw_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs redraw_funcs = {
    redraw_prepare, redraw_check, redraw_dispatch, NULL, NULL, NULL,
};

/* The terminal changed size: take the new size and draw everything. */
static gboolean
on_winch(gpointer data)
{
    struct winsize ws;

    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
        ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    ui_repaint();
    return G_SOURCE_CONTINUE;
}

/* Ctrl-C would kill a chat client by accident: say how to leave. */
static gboolean
on_sigint(gpointer data)
{
    window_printf(window_current(), LINE_INFO, "Type /quit to leave natter");
    return G_SOURCE_CONTINUE;
}

/* Model changes that touch what is on screen. */
static void
on_event(enum event_type type, const void *payload, void *data)
{
    switch (type) {
    case EV_WINDOW_LINE: {
        const struct ev_window_line *ev = payload;
        /* A mention, or a private message out of sight, rings the bell. */
        if (settings_bool("bell") && ev->line->kind == LINE_MESSAGE &&
            (ev->line->highlight ||
             (ev->win->type == WINDOW_PRIVATE && ev->win != window_current())))
            beep();
        if (ev->win->detached && ev->win->saved.tail != NULL &&
            ev->win->saved.tail->data == ev->line) {
            /* A new message behind a jump view: counted, not shown. */
            ui_mark_dirty(DIRTY_STATUS | DIRTY_ROSTER);
        } else if (ev->win == window_current()) {
            /* Someone reading back keeps their place as lines arrive. */
            if (ev->win->scroll > 0)
                ev->win->scroll++;
            ui_mark_dirty(DIRTY_MAIN);
        } else {
            /* Unread counts show in the status bar and the roster pane. */
            ui_mark_dirty(DIRTY_STATUS | DIRTY_ROSTER);
        }
        break;
    }
    case EV_PRESENCE:
    case EV_ROSTER:
    case EV_ROOM:
        ui_mark_dirty(DIRTY_ROSTER | DIRTY_TITLE);
        break;
    case EV_ARCHIVE_PAGE: {
        /* An older page from the server archive is stored: page it in
         * from the store, unless the archive has nothing more. */
        const struct ev_archive *ev = payload;
        struct window *w = window_find_chat(ev->acct, ev->peer);
        if (w == NULL)
            w = window_find(ev->acct, WINDOW_ROOM, ev->peer);
        if (w == NULL)
            break;
        w->archive_pending = false;
        if (ev->complete || ev->failed)
            w->archive_done = true;
        if (ev->count > 0 || !w->archive_done)
            w->history_done = false;
        ui_mark_dirty(DIRTY_MAIN | DIRTY_STATUS);
        break;
    }
    case EV_CHATSTATE:
        ui_mark_dirty(DIRTY_TITLE);
        break;
    case EV_SETTING:
        wrap_epoch++; /* formats, styling and time stamps may change */
        ui_mark_dirty(DIRTY_ALL);
        break;
    case EV_WINDOW_SWITCH:
    case EV_WINDOW_CLEAR:
    case EV_WINDOW_CHANGE:
        ui_mark_dirty(DIRTY_ALL);
        break;
    case EV_WINDOW_LIST:
    case EV_ACCOUNT_STATE:
        ui_mark_dirty(DIRTY_STATUS | DIRTY_TITLE | DIRTY_ROSTER);
        break;
    default:
        break;
    }
}

static const enum event_type watched[] = {
    EV_WINDOW_LINE,   EV_PRESENCE,     EV_ROSTER,       EV_SETTING,
    EV_WINDOW_SWITCH, EV_WINDOW_CLEAR, EV_WINDOW_LIST,  EV_ACCOUNT_STATE,
    EV_WINDOW_CHANGE, EV_CHATSTATE,    EV_ARCHIVE_PAGE, EV_ROOM,
};

/* Start the terminal front end. */
bool
ui_init(void)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return false;
    termguard_save_tty();
    if (initscr() == NULL)
        return false;
    termguard_arm();
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    if (has_colors()) {
        start_color();
        use_default_colors();
        init_pair(PAIR_BAR, COLOR_WHITE, COLOR_BLUE);
        init_pair(PAIR_ERROR, COLOR_RED, -1);
        init_pair(PAIR_INFO, COLOR_CYAN, -1);
        init_pair(PAIR_OWN, COLOR_GREEN, -1);
        init_pair(PAIR_ACTIVE, COLOR_YELLOW, COLOR_BLUE);
        init_pair(PAIR_ONLINE, COLOR_GREEN, -1);
        init_pair(PAIR_AWAY, COLOR_YELLOW, -1);
        init_pair(PAIR_CODE, COLOR_YELLOW, -1);
        init_pair(PAIR_QUOTE, COLOR_MAGENTA, -1);
        init_pair(PAIR_HILITE, COLOR_YELLOW, COLOR_RED);
        nick_colors =
            COLORS >= 256 && COLOR_PAIRS > PAIR_NICK0 + NICKCOLOR_HUES ? 256
            : COLORS >= 8 && COLOR_PAIRS > PAIR_NICK0 + 6              ? 8
                                                                       : 0;
        for (int b = 0;
             nick_colors > 0 && b < (nick_colors >= 256 ? NICKCOLOR_HUES : 6);
             b++) {
            double angle =
                b * 360.0 / (nick_colors >= 256 ? NICKCOLOR_HUES : 6);
            init_pair((short)(PAIR_NICK0 + b),
                      (short)nickcolor_terminal(angle, nick_colors), -1);
        }
    }
    if (!ui_input_init()) {
        endwin();
        termguard_disarm();
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(watched); i++)
        event_subscribe_at(watched[i], EVENT_STAGE_VIEW, on_event, NULL);
    redraw_source = g_source_new(&redraw_funcs, sizeof(GSource));
    g_source_attach(redraw_source, NULL);
    winch_source = g_unix_signal_add(SIGWINCH, on_winch, NULL);
    int_source = g_unix_signal_add(SIGINT, on_sigint, NULL);
    dirty = DIRTY_ALL;
    return true;
}

/* Give the terminal back as it was. */
void
ui_deinit(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(watched); i++)
        event_unsubscribe(watched[i], on_event, NULL);
    if (redraw_source != NULL) {
        g_source_destroy(redraw_source);
        g_source_unref(redraw_source);
    }
    redraw_source = NULL;
    if (winch_source != 0)
        g_source_remove(winch_source);
    if (int_source != 0)
        g_source_remove(int_source);
    winch_source = int_source = 0;
    ui_input_deinit();
    endwin();
    termguard_disarm();
    if (wrap_cache != NULL)
        g_hash_table_destroy(wrap_cache);
    wrap_cache = NULL;
}
