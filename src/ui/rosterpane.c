/* SPDX-License-Identifier: MIT */
/* The roster pane: contacts by group, with presence and unread marks. */
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
    ui_put_text(y, x, mark, 2, attr);
    ui_put_text(y, x + 2, label->str, cols - 2,
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
        ui_put_text(top + (*y)++, x, heading, cols, A_BOLD);
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
void
roster_pane_draw(int top, int rows, int x, int cols)
{
    GPtrArray *accts = account_list();
    bool by_group = settings_bool("roster.groups");
    bool offline = settings_bool("roster.offline");
    int y = 0;

    for (int i = 0; i < rows; i++) {
        mvaddch(top + i, x - 1, ACS_VLINE);
        ui_blank(top + i, x, cols, A_NORMAL);
    }
    ui_put_text(top + y++, x, "Roster", cols, A_BOLD);
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
            ui_put_text(top + y++, x, acct->name, cols, A_UNDERLINE);
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
