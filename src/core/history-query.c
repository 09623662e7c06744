/* SPDX-License-Identifier: MIT */
/* Reading the history store: pages of a conversation, by time and row. */
#include "core/history-internal.h"

#include <string.h>

#include "core/account.h"
#include "core/settings.h"
#include "core/window.h"

/* Run a prepared statement selecting ROW_COLUMNS, adding rows to out;
 * false with *cause set on error. Finalizes st. */
bool
history_collect_rows(sqlite3 *db, sqlite3_stmt *st, const char *account,
                     GPtrArray *out, char **cause)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        g_ptr_array_add(out, history_row_read(st, account));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *cause = g_strdup(sqlite3_errmsg(db));
        return false;
    }
    return true;
}

/* Reverse the order of an array in place. */
void
history_reverse(GPtrArray *a)
{
    for (guint i = 0, j = a->len; i + 1 < j; i++, j--) {
        gpointer t = a->pdata[i];
        a->pdata[i] = a->pdata[j - 1];
        a->pdata[j - 1] = t;
    }
}

/* Prefix *cause with the account's name, for a one-line error. */
void
history_name_cause(const char *account, char **cause)
{
    char *why = *cause;

    *cause = g_strdup_printf("History of account %s: %s", account, why);
    g_free(why);
}

/* The one way the page queries run: prepare sql, bind peer, time, rowid
 * and limit to ?1..?4 (a query uses those it names), and collect the
 * rows into out; false with *cause set on error. */
static bool
collect_page(struct store *s, const char *sql, const char *peer, int64_t time,
             int64_t rowid, unsigned int limit, GPtrArray *out, char **cause)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        *cause = g_strdup(sqlite3_errmsg(s->db));
        return false;
    }
    sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, time);
    sqlite3_bind_int64(st, 3, rowid);
    sqlite3_bind_int64(st, 4, limit);
    return history_collect_rows(s->db, st, s->account, out, cause);
}

/* The last limit messages with peer on acct, oldest first. */
GPtrArray *
history_last(const struct account *acct, const char *peer, unsigned int limit,
             char **cause)
{
    static const char sql[] =
        "SELECT " ROW_COLUMNS " FROM messages WHERE peer = ?1"
        " ORDER BY time DESC, id DESC LIMIT ?4";
    GPtrArray *out = g_ptr_array_new_with_free_func(history_row_free);
    struct store *s;

    *cause = NULL;
    s = history_store_for_reading(acct->name, cause);
    if (s == NULL) {
        if (*cause == NULL)
            return out;
        goto fail;
    }
    if (!collect_page(s, sql, peer, 0, 0, limit, out, cause))
        goto fail;
    history_reverse(out);
    return out;
fail:
    history_name_cause(acct->name, cause);
    g_ptr_array_unref(out);
    return NULL;
}

/* Up to limit messages with peer older than before_time, oldest first. */
GPtrArray *
history_before(const struct account *acct, const char *peer,
               int64_t before_time, unsigned int limit, char **cause)
{
    static const char page[] =
        "SELECT " ROW_COLUMNS " FROM messages WHERE peer = ?1 AND time < ?2"
        " ORDER BY time DESC, id DESC LIMIT ?4";
    static const char rest[] =
        "SELECT " ROW_COLUMNS " FROM messages WHERE peer = ?1 AND time = ?2"
        " AND id < ?3 ORDER BY id DESC LIMIT ?4";
    GPtrArray *out = g_ptr_array_new_with_free_func(history_row_free);
    struct store *s;

    *cause = NULL;
    s = history_store_for_reading(acct->name, cause);
    if (s == NULL) {
        if (*cause == NULL)
            return out;
        goto fail;
    }
    if (!collect_page(s, page, peer, before_time, 0, limit, out, cause))
        goto fail;
    if (limit > 0 && out->len == limit) {
        /* The rest of the oldest row's second, so no page splits it. */
        struct history_row *oldest = out->pdata[out->len - 1];
        if (!collect_page(s, rest, peer, oldest->time, oldest->rowid,
                          G_MAXUINT, out, cause))
            goto fail;
    }
    history_reverse(out);
    return out;
fail:
    history_name_cause(acct->name, cause);
    g_ptr_array_unref(out);
    return NULL;
}

/* The stored messages with peer around row rowid, oldest first. */
GPtrArray *
history_around(const struct account *acct, const char *peer, int64_t rowid,
               unsigned int before, unsigned int after, guint *hit,
               char **cause)
{
    /* ?2 (time) and ?4 (limit) are bound too, and unused here. */
    static const char one[] =
        "SELECT " ROW_COLUMNS " FROM messages WHERE peer = ?1 AND id = ?3";
    static const char older[] =
        "SELECT " ROW_COLUMNS " FROM messages WHERE peer = ?1"
        " AND (time, id) < (?2, ?3) ORDER BY time DESC, id DESC LIMIT ?4";
    static const char newer[] =
        "SELECT " ROW_COLUMNS " FROM messages WHERE peer = ?1"
        " AND (time, id) > (?2, ?3) ORDER BY time, id LIMIT ?4";
    GPtrArray *out = g_ptr_array_new_with_free_func(history_row_free);
    GPtrArray *tail = NULL;
    struct history_row *r;
    struct store *s;

    *cause = NULL;
    *hit = 0;
    s = history_store_for_reading(acct->name, cause);
    if (s == NULL) {
        if (*cause == NULL)
            *cause = g_strdup("no history is stored");
        goto fail;
    }
    if (!collect_page(s, one, peer, 0, rowid, 1, out, cause))
        goto fail;
    if (out->len == 0) {
        *cause =
            g_strdup_printf("that message is no longer stored with %s", peer);
        goto fail;
    }
    r = out->pdata[0];
    tail = g_ptr_array_new_with_free_func(history_row_free);
    if (!collect_page(s, newer, peer, r->time, r->rowid, after, tail, cause))
        goto fail;
    if (!collect_page(s, older, peer, r->time, r->rowid, before, out, cause))
        goto fail;
    history_reverse(out); /* older ones, oldest first, then the hit */
    *hit = out->len - 1;
    for (guint i = 0; i < tail->len; i++)
        g_ptr_array_add(out, g_steal_pointer(&tail->pdata[i]));
    g_ptr_array_set_free_func(tail, NULL);
    g_ptr_array_unref(tail);
    return out;
fail:
    if (tail != NULL)
        g_ptr_array_unref(tail);
    history_name_cause(acct->name, cause);
    g_ptr_array_unref(out);
    return NULL;
}

/* Up to limit messages with peer stored after (time, rowid). */
GPtrArray *
history_after(const struct account *acct, const char *peer, int64_t time,
              int64_t rowid, unsigned int limit, char **cause)
{
    static const char newer[] =
        "SELECT " ROW_COLUMNS " FROM messages WHERE peer = ?1"
        " AND (time, id) > (?2, ?3) ORDER BY time, id LIMIT ?4";
    GPtrArray *out = g_ptr_array_new_with_free_func(history_row_free);
    struct store *s;

    *cause = NULL;
    s = history_store_for_reading(acct->name, cause);
    if (s == NULL) {
        if (*cause == NULL)
            return out;
        goto fail;
    }
    if (!collect_page(s, newer, peer, time, rowid, limit, out, cause))
        goto fail;
    return out;
fail:
    history_name_cause(acct->name, cause);
    g_ptr_array_unref(out);
    return NULL;
}

/* The oldest archive id stored with peer, and the oldest message's time. */
char *
history_oldest_archive_id(const struct account *acct, const char *peer,
                          int64_t *oldest)
{
    static const char first[] =
        "SELECT time FROM messages WHERE peer = ?1 ORDER BY time, id LIMIT 1";
    static const char arc[] =
        "SELECT archive_id FROM messages WHERE peer = ?1"
        " AND archive_id IS NOT NULL ORDER BY time, id LIMIT 1";
    char *cause = NULL, *id = NULL;
    struct store *s = history_store_for_reading(acct->name, &cause);
    sqlite3_stmt *st;

    *oldest = 0;
    g_free(cause); /* no store: nothing known, the archive decides */
    if (s == NULL)
        return NULL;
    if (sqlite3_prepare_v2(s->db, first, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            *oldest = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    if (sqlite3_prepare_v2(s->db, arc, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            id = history_column_dup(st, 0);
        sqlite3_finalize(st);
    }
    return id;
}
