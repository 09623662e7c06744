/* SPDX-License-Identifier: MIT */
/* Full-text search (FTS5) over the stored history, and export. */
#include "core/history-internal.h"

#include <string.h>

#include "core/account.h"
#include "core/settings.h"
#include "core/window.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "core/paths.h"
#include "core/timefmt.h"

/* The account name a directory name stands for (undoes the escaping
 * of paths_account_dir).
 * Note: result must be freed with g_free(). */
static char *
dir_unescape(const char *name)
{
    return g_uri_unescape_string(name, NULL);
}

/* Whether text uses FTS5 query syntax rather than being plain words. */
static bool
uses_fts_syntax(const char *text)
{
    static const char *const ops[] = {"AND", "OR", "NOT", "NEAR", NULL};
    char **words;
    bool found = false;

    if (strpbrk(text, "\"*()^:+{}") != NULL)
        return true;
    words = g_strsplit_set(text, " \t", -1);
    for (int i = 0; words[i] != NULL && !found; i++)
        for (int j = 0; ops[j] != NULL && !found; j++)
            found = strcmp(words[i], ops[j]) == 0;
    g_strfreev(words);
    return found;
}

/* The FTS5 query for what a user typed. Note: result must be freed. */
char *
history_fts_query(const char *text)
{
    GString *q;

    if (uses_fts_syntax(text))
        return g_strdup(text);
    q = g_string_new("\"");
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '"')
            g_string_append_c(q, '"');
        g_string_append_c(q, *p);
    }
    g_string_append_c(q, '"');
    return g_string_free(q, FALSE);
}

/* Sort search hits newest first. */
static gint
cmp_newest(gconstpointer a, gconstpointer b)
{
    const struct history_row *x = *(struct history_row *const *)a;
    const struct history_row *y = *(struct history_row *const *)b;

    if (x->time != y->time)
        return x->time > y->time ? -1 : 1;
    if (x->rowid != y->rowid)
        return x->rowid > y->rowid ? -1 : 1;
    return strcmp(x->account, y->account);
}

/* One search hit being ranked: its id and time. */
struct hit_key {
    sqlite3_int64 id;
    sqlite3_int64 time;
};

/* Sort hit keys newest first (time, then id, descending). */
static gint
cmp_key_newest(gconstpointer a, gconstpointer b)
{
    const struct hit_key *x = a, *y = b;

    if (x->time != y->time)
        return x->time > y->time ? -1 : 1;
    return x->id > y->id ? -1 : x->id < y->id ? 1 : 0;
}

/* Run st and append its (id, time) rows to keys; finalizes st. Returns
 * the sqlite result code (SQLITE_DONE when all went well). */
static int
collect_keys(sqlite3_stmt *st, GArray *keys)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct hit_key k = {sqlite3_column_int64(st, 0),
                            sqlite3_column_int64(st, 1)};
        g_array_append_val(keys, k);
    }
    return rc;
}

/*
 * Search one account's database, adding hits to out; false with *cause
 * and *bad_query set when sqlite rejected the query itself.
 *
 * Sorting every hit by time costs a lookup per hit (a word in 100,000 of
 * 1,000,000 messages took half a second; bench/run history), so: take the
 * limit hits stored last (FTS5 walks its rowids backwards and stops),
 * then the only other hits that can rank among the newest limit are
 * stored earlier (smaller id) yet newer than the oldest of those (time
 * above its time) - messages fetched from the archive later than newer
 * ones. Those are found by time on the peer/time index, one range per
 * peer. Snippets are made for the winners only.
 */
static bool
search_store(struct store *s, const char *match, const char *peer,
             unsigned int limit, GPtrArray *out, bool *bad_query, char **cause)
{
    static const char last[] =
        "SELECT m.id, m.time FROM messages_fts JOIN messages m"
        " ON m.id = messages_fts.rowid"
        " WHERE messages_fts MATCH ?1 AND (?2 IS NULL OR m.peer = ?2)"
        " ORDER BY messages_fts.rowid DESC LIMIT ?3";
    static const char earlier[] =
        "WITH RECURSIVE peers(p) AS (SELECT min(peer) FROM messages"
        " UNION ALL SELECT (SELECT min(peer) FROM messages WHERE peer > p)"
        " FROM peers WHERE p IS NOT NULL)"
        " SELECT m.id, m.time FROM peers JOIN messages m"
        " ON m.peer = peers.p AND m.time > ?3"
        " WHERE m.id < ?4 AND (?2 IS NULL OR m.peer = ?2) AND EXISTS"
        " (SELECT 1 FROM messages_fts WHERE messages_fts MATCH ?1"
        " AND rowid = m.id)";
    static const char hit[] =
        "SELECT m.id, m.peer, m.outgoing, m.sender,"
        " snippet(messages_fts, 0, '', '', '\u2026', 24),"
        " m.time, m.stanza_id, m.kind, m.edited, m.archive_id,"
        " m.protection, m.scheme"
        " FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid"
        " WHERE messages_fts MATCH ?1 AND messages_fts.rowid = ?2";
    GArray *keys = g_array_new(FALSE, FALSE, sizeof(struct hit_key));
    sqlite3_stmt *st = NULL;
    int rc;

    if (sqlite3_prepare_v2(s->db, last, -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    if (peer != NULL)
        sqlite3_bind_text(st, 2, peer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, limit);
    if ((rc = collect_keys(st, keys)) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    st = NULL;
    if (limit > 0 && keys->len == limit) {
        sqlite3_int64 tmin = G_MAXINT64, idmin = G_MAXINT64;
        for (guint i = 0; i < keys->len; i++) {
            struct hit_key *k = &g_array_index(keys, struct hit_key, i);
            tmin = MIN(tmin, k->time);
            idmin = MIN(idmin, k->id);
        }
        if (sqlite3_prepare_v2(s->db, earlier, -1, &st, NULL) != SQLITE_OK)
            goto fail;
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        if (peer != NULL)
            sqlite3_bind_text(st, 2, peer, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, tmin);
        sqlite3_bind_int64(st, 4, idmin);
        if ((rc = collect_keys(st, keys)) != SQLITE_DONE)
            goto fail;
        sqlite3_finalize(st);
        st = NULL;
        g_array_sort(keys, cmp_key_newest);
        g_array_set_size(keys, MIN(keys->len, limit));
    }
    if (keys->len > 0) {
        if (sqlite3_prepare_v2(s->db, hit, -1, &st, NULL) != SQLITE_OK)
            goto fail;
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        for (guint i = 0; i < keys->len; i++) {
            sqlite3_bind_int64(st, 2,
                               g_array_index(keys, struct hit_key, i).id);
            while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                g_ptr_array_add(out, history_row_read(st, s->account));
            if (rc != SQLITE_DONE)
                goto fail;
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
    }
    g_array_free(keys, TRUE);
    return true;
fail:
    *cause = g_strdup(sqlite3_errmsg(s->db));
    /* A malformed MATCH is a plain SQLITE_ERROR; I/O trouble is not. */
    *bad_query = sqlite3_errcode(s->db) == SQLITE_ERROR;
    sqlite3_finalize(st);
    g_array_free(keys, TRUE);
    return false;
}

/* Names of every account with a history database, sorted. Note: free
 * with g_ptr_array_unref(). */
static GPtrArray *
stored_accounts(void)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    char *data = paths_data_dir();
    GDir *d = g_dir_open(data, 0, NULL);
    const char *e;

    while (d != NULL && (e = g_dir_read_name(d)) != NULL) {
        char *path = g_build_filename(data, e, "history.db", NULL);
        char *name = dir_unescape(e);
        if (name != NULL && g_file_test(path, G_FILE_TEST_IS_REGULAR))
            g_ptr_array_add(out, name);
        else
            g_free(name);
        g_free(path);
    }
    if (d != NULL)
        g_dir_close(d);
    g_free(data);
    g_ptr_array_sort(out, (GCompareFunc)g_strcmp0);
    return out;
}

/* Full-text search of every account's history, newest first. */
GPtrArray *
history_search(const char *query, const char *peer, unsigned int limit,
               char **cause)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(history_row_free);
    GPtrArray *names;
    char *match = history_fts_query(query);
    char *why = NULL;
    bool ok = true;

    history_flush_all(true, NULL);
    names = stored_accounts();
    for (guint i = 0; i < names->len && ok; i++) {
        struct store *s = history_store_get(names->pdata[i], false, &why);
        if (s == NULL) {
            if (why != NULL) {
                char *text = g_strdup_printf("History of account %s: %s",
                                             (char *)names->pdata[i], why);
                history_report_failure(names->pdata[i], text);
                g_free(text);
            }
            g_free(why);
            why = NULL;
            continue;
        }
        bool bad_query = false;
        if (!search_store(s, match, peer, limit, out, &bad_query, &why)) {
            if (bad_query)
                *cause = g_strdup_printf(
                    "Bad search query %s: %s (plain words are searched as a "
                    "phrase; quotes, *, AND, OR, NOT and NEAR are FTS5 "
                    "syntax)",
                    query, why);
            else
                *cause = g_strdup_printf("History of account %s: %s",
                                         (char *)names->pdata[i], why);
            g_free(why);
            ok = false;
        }
    }
    g_ptr_array_unref(names);
    g_free(match);
    if (!ok) {
        g_ptr_array_unref(out);
        return NULL;
    }
    g_ptr_array_sort(out, cmp_newest);
    if (out->len > limit)
        g_ptr_array_set_size(out, limit);
    return out;
}

/* Write the whole conversation with peer on acct to path. */
long
history_export(const struct account *acct, const char *peer, const char *path,
               char **cause)
{
    static const char sql[] =
        "SELECT " ROW_COLUMNS " FROM messages WHERE peer = ?1"
        " ORDER BY time, id";
    struct store *s;
    sqlite3_stmt *st = NULL;
    long lines = 0;
    FILE *f;
    int fd, rc;

    *cause = NULL;
    s = history_store_for_reading(acct->name, cause);
    if (s == NULL && *cause != NULL) {
        history_name_cause(acct->name, cause);
        return -1;
    }
    if (s != NULL &&
        sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        *cause = g_strdup_printf("History of account %s: %s", acct->name,
                                 sqlite3_errmsg(s->db));
        return -1;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
        *cause =
            g_strdup_printf("Cannot write %s: %s", path, g_strerror(errno));
        if (fd >= 0)
            close(fd);
        sqlite3_finalize(st);
        return -1;
    }
    if (st != NULL) {
        sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            struct history_row *r = history_row_read(st, acct->name);
            char *stamp = timefmt_local(r->time, "%Y-%m-%d %H:%M:%S",
                                        "0000-00-00 00:00:00");
            char **rows = g_strsplit(r->body, "\n", -1);
            for (int i = 0; rows[i] != NULL; i++, lines++)
                fprintf(f, "%s <%s> %s\n", stamp, r->sender, rows[i]);
            g_strfreev(rows);
            g_free(stamp);
            history_row_free(r);
        }
        if (rc != SQLITE_DONE) {
            *cause = g_strdup_printf("History of account %s: %s", acct->name,
                                     sqlite3_errmsg(s->db));
            lines = -1;
        }
        sqlite3_finalize(st);
    }
    if (fclose(f) != 0 && lines >= 0) {
        *cause =
            g_strdup_printf("Cannot write %s: %s", path, g_strerror(errno));
        lines = -1;
    }
    return lines;
}
