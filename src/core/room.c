/* SPDX-License-Identifier: MIT */
#include "core/room.h"

#include <string.h>

#include "core/account.h"

static const char *const role_names[] = {
    [ROLE_NONE] = "none",
    [ROLE_VISITOR] = "visitor",
    [ROLE_PARTICIPANT] = "participant",
    [ROLE_MODERATOR] = "moderator",
};

static const char *const affiliation_names[] = {
    [AFFIL_OUTCAST] = "outcast", [AFFIL_NONE] = "none",
    [AFFIL_MEMBER] = "member",   [AFFIL_ADMIN] = "admin",
    [AFFIL_OWNER] = "owner",
};

/* Free an occupant. */
static void
occupant_free(void *p)
{
    struct occupant *o = p;

    g_free(o->nick);
    g_free(o->jid);
    g_free(o->show);
    g_free(o->status);
    g_free(o);
}

/* Free a room and its occupants. */
static void
room_free(void *p)
{
    struct room *r = p;

    g_free(r->jid);
    g_free(r->nick);
    if (r->password != NULL)
        memset(r->password, 0, strlen(r->password));
    g_free(r->password);
    g_free(r->subject);
    g_free(r->nick_change);
    g_free(r->last_archive_id);
    g_hash_table_destroy(r->occupants);
    g_free(r);
}

/* The room of acct with bare JID jid, NULL if none. */
struct room *
room_find(struct account *acct, const char *jid)
{
    if (acct->rooms == NULL || jid == NULL)
        return NULL;
    return g_hash_table_lookup(acct->rooms, jid);
}

/* The room of acct with bare JID jid, created if needed; owned by acct. */
struct room *
room_get(struct account *acct, const char *jid)
{
    struct room *r = room_find(acct, jid);

    if (r != NULL)
        return r;
    if (acct->rooms == NULL)
        acct->rooms =
            g_hash_table_new_full(g_str_hash, g_str_equal, NULL, room_free);
    r = g_new0(struct room, 1);
    r->acct = acct;
    r->jid = g_strdup(jid);
    r->state = ROOM_LEFT;
    r->occupants =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, occupant_free);
    g_hash_table_insert(acct->rooms, r->jid, r);
    return r;
}

/* Forget room (its windows stay). */
void
room_remove(struct room *room)
{
    g_hash_table_remove(room->acct->rooms, room->jid);
}

/* Every room of acct; caller unrefs, items borrowed. */
GPtrArray *
room_list(struct account *acct)
{
    GPtrArray *out = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;

    if (acct->rooms == NULL)
        return out;
    g_hash_table_iter_init(&it, acct->rooms);
    while (g_hash_table_iter_next(&it, NULL, &v))
        g_ptr_array_add(out, v);
    return out;
}

/* Free every room of acct. */
void
room_free_all(struct account *acct)
{
    if (acct->rooms != NULL)
        g_hash_table_destroy(acct->rooms);
    acct->rooms = NULL;
}

/* The occupant with nick, NULL if none; owned by the room. */
struct occupant *
room_occupant(struct room *room, const char *nick)
{
    return nick != NULL ? g_hash_table_lookup(room->occupants, nick) : NULL;
}

/* Record an occupant's presence; returns it, owned by the room. */
struct occupant *
room_occupant_set(struct room *room, const char *nick, const char *jid,
                  enum room_role role, enum room_affiliation affiliation,
                  const char *show, const char *status, bool *is_new)
{
    struct occupant *o = room_occupant(room, nick);

    *is_new = o == NULL;
    if (o == NULL) {
        o = g_new0(struct occupant, 1);
        o->nick = g_strdup(nick);
        g_hash_table_insert(room->occupants, o->nick, o);
    }
    if (jid != NULL) {
        g_free(o->jid);
        o->jid = g_strdup(jid);
    }
    o->role = role;
    o->affiliation = affiliation;
    g_free(o->show);
    o->show = g_strdup(show != NULL ? show : "online");
    g_free(o->status);
    o->status = g_strdup(status);
    return o;
}

/* Remove occupant nick; false if it was not there. */
bool
room_occupant_remove(struct room *room, const char *nick)
{
    return g_hash_table_remove(room->occupants, nick);
}

/* Rename occupant old to new_nick; false if old is absent. */
bool
room_occupant_rename(struct room *room, const char *old, const char *new_nick)
{
    struct occupant *o = room_occupant(room, old);

    if (o == NULL)
        return false;
    g_hash_table_steal(room->occupants, old);
    g_hash_table_remove(room->occupants, new_nick); /* stale entry */
    g_free(o->nick);
    o->nick = g_strdup(new_nick);
    g_hash_table_insert(room->occupants, o->nick, o);
    return true;
}

/* Forget every occupant. */
void
room_clear_occupants(struct room *room)
{
    g_hash_table_remove_all(room->occupants);
}

/* Pane order: higher roles first, then nick without regard to case. */
static gint
occupant_cmp(gconstpointer a, gconstpointer b)
{
    const struct occupant *x = *(struct occupant *const *)a;
    const struct occupant *y = *(struct occupant *const *)b;

    if (x->role != y->role)
        return x->role > y->role ? -1 : 1;
    return g_ascii_strcasecmp(x->nick, y->nick);
}

/* Occupants sorted for the pane; caller unrefs, items borrowed. */
GPtrArray *
room_occupants_sorted(struct room *room)
{
    GPtrArray *out = g_ptr_array_sized_new(g_hash_table_size(room->occupants));
    GHashTableIter it;
    gpointer v;

    g_hash_table_iter_init(&it, room->occupants);
    while (g_hash_table_iter_next(&it, NULL, &v))
        g_ptr_array_add(out, v);
    g_ptr_array_sort(out, occupant_cmp);
    return out;
}

/* Role from its XEP-0045 name; ROLE_NONE if unknown. */
enum room_role
room_role_parse(const char *s)
{
    for (size_t i = 0; i < G_N_ELEMENTS(role_names); i++)
        if (s != NULL && strcmp(s, role_names[i]) == 0)
            return (enum room_role)i;
    return ROLE_NONE;
}

/* XEP-0045 name of a role. */
const char *
room_role_name(enum room_role r)
{
    return (size_t)r < G_N_ELEMENTS(role_names) ? role_names[r] : "none";
}

/* Affiliation from its XEP-0045 name; AFFIL_NONE if unknown. */
enum room_affiliation
room_affiliation_parse(const char *s)
{
    for (size_t i = 0; i < G_N_ELEMENTS(affiliation_names); i++)
        if (s != NULL && strcmp(s, affiliation_names[i]) == 0)
            return (enum room_affiliation)i;
    return AFFIL_NONE;
}

/* XEP-0045 name of an affiliation. */
const char *
room_affiliation_name(enum room_affiliation a)
{
    return (size_t)a < G_N_ELEMENTS(affiliation_names) ? affiliation_names[a]
                                                       : "none";
}

/* Whether c continues a word (so a match next to it is no mention). */
static bool
word_char(gunichar c)
{
    return g_unichar_isalnum(c) || c == '_' || c == '-';
}

/* Whether folded text holds folded word w with no word character on
 * either side. */
static bool
has_word(const char *text, const char *w)
{
    size_t n = strlen(w);
    const char *p = text;

    if (n == 0)
        return false;
    while ((p = strstr(p, w)) != NULL) {
        bool left =
            p == text || !word_char(g_utf8_get_char(g_utf8_prev_char(p)));
        bool right = p[n] == '\0' || !word_char(g_utf8_get_char(p + n));
        if (left && right)
            return true;
        p = g_utf8_next_char(p);
    }
    return false;
}

/* Whether text mentions nick as a word, or a word of extra. */
bool
room_mentions(const char *text, const char *nick, const char *extra)
{
    char *t, *w;
    bool hit = false;

    if (text == NULL || !g_utf8_validate(text, -1, NULL))
        return false;
    t = g_utf8_casefold(text, -1);
    if (nick != NULL && g_utf8_validate(nick, -1, NULL)) {
        w = g_utf8_casefold(nick, -1);
        hit = has_word(t, w);
        g_free(w);
    }
    if (!hit && extra != NULL && g_utf8_validate(extra, -1, NULL)) {
        char **words = g_strsplit(extra, ",", -1);
        for (char **p = words; !hit && *p != NULL; p++) {
            char *s = g_strstrip(g_strdup(*p));
            w = g_utf8_casefold(s, -1);
            hit = has_word(t, w);
            g_free(w);
            g_free(s);
        }
        g_strfreev(words);
    }
    g_free(t);
    return hit;
}
