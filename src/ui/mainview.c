/* SPDX-License-Identifier: MIT */
/* The main view: the current window's lines wrapped, styled and drawn,
 * with its scroll-back. */
#include "ui/screen-internal.h"

#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/backlog.h"
#include "core/room.h"
#include "core/sanitize.h"
#include "core/settings.h"
#include "core/window.h"
#include "ui/format.h"
#include "ui/nickcolor.h"
#include "ui/render.h"
#include "ui/styling.h"
#include "ui/ui-internal.h"

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

    if (screen_nick_colors == 0 || ln->sender == NULL ||
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
                                               screen_nick_colors))
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
int
mainview_rows_from(GList *l, int cols)
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
        int below = mainview_rows_from(l->next, cols);
        int own = mainview_rows_from(l, cols) - below;
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
void
mainview_draw(int top, int rows, int cols)
{
    struct window *w = window_current();
    GPtrArray *lines = g_ptr_array_new();
    const char *fmt = settings_get("time.format");
    int total, skip, y;
    bool reached_start;

    for (int y0 = 0; y0 < rows; y0++)
        ui_blank(top + y0, 0, cols, A_NORMAL);
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

/* A setting changed: every kept wrapped line is wrapped again. */
void
mainview_invalidate(void)
{
    wrap_epoch++; /* formats, styling and time stamps may change */
}

/* Drop the kept wrapped lines (at exit). */
void
mainview_deinit(void)
{
    if (wrap_cache != NULL)
        g_hash_table_destroy(wrap_cache);
    wrap_cache = NULL;
}
