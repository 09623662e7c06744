/* SPDX-License-Identifier: MIT */
/* The occupants pane beside a room window, grouped by role. */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <string.h>

#include "core/room.h"
#include "ui/ui-internal.h"

/* Heading of the pane group for role. */
static const char *
role_heading(enum room_role role)
{
    switch (role) {
    case ROLE_MODERATOR:
        return "Moderators";
    case ROLE_PARTICIPANT:
        return "Participants";
    case ROLE_VISITOR:
        return "Visitors";
    case ROLE_NONE:
        break;
    }
    return "Others";
}

/* Affiliation mark before a nick: ~ owner, & admin, + member. */
static char
affiliation_mark(enum room_affiliation a)
{
    switch (a) {
    case AFFIL_OWNER:
        return '~';
    case AFFIL_ADMIN:
        return '&';
    case AFFIL_MEMBER:
        return '+';
    case AFFIL_NONE:
    case AFFIL_OUTCAST:
        break;
    }
    return ' ';
}

/*
 * Draw the occupants of room in rows rows from top, at column x, cols
 * wide: a heading per role, then each nick with its presence mark and
 * affiliation mark, in the nick's colour. A room too big for the pane
 * ends with how many did not fit.
 */
void
occupants_draw(int top, int rows, int x, int cols, struct room *room)
{
    GPtrArray *occ = room != NULL ? room_occupants_sorted(room) : NULL;
    int y = 0;
    int last_role = -1;
    guint i;
    char *title;

    for (int r = 0; r < rows; r++) {
        mvaddch(top + r, x - 1, ACS_VLINE);
        ui_blank(top + r, x, cols, A_NORMAL);
    }
    title = g_strdup_printf("Occupants (%u)", occ != NULL ? occ->len : 0);
    ui_put_text(top + y++, x, title, cols, A_BOLD);
    g_free(title);
    if (occ == NULL)
        return;
    for (i = 0; i < occ->len && y < rows; i++) {
        struct occupant *o = occ->pdata[i];
        attr_t attr;
        char mark[4];
        if ((int)o->role != last_role) {
            if (y + 1 >= rows)
                break;
            ui_put_text(top + y++, x, role_heading(o->role), cols,
                        A_UNDERLINE);
            last_role = (int)o->role;
        }
        if (y == rows - 1 && i + 1 < occ->len)
            break; /* keep the last row for the count of the rest */
        mark[0] = ui_show_mark(o->show, &attr);
        mark[1] = affiliation_mark(o->affiliation);
        mark[2] = '\0';
        ui_put_text(top + y, x, mark, 2, attr);
        ui_put_text(top + y, x + 2, o->nick, cols - 2,
                    ui_nick_attr(o->nick) |
                        (room->nick != NULL && strcmp(o->nick, room->nick) == 0
                             ? A_BOLD
                             : A_NORMAL));
        y++;
    }
    if (i < occ->len) {
        char *more = g_strdup_printf("... %u more", occ->len - i);
        ui_put_text(top + rows - 1, x, more, cols, A_DIM);
        g_free(more);
    }
    g_ptr_array_unref(occ);
}
