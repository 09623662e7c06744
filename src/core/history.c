/* SPDX-License-Identifier: MIT */
/*
 * The history store: one sqlite database per account (open, schema and
 * its migrations, WAL), the queue of messages that EV_MESSAGE brings,
 * written in one transaction per loop turn with statements prepared once,
 * and the retry while a write fails. Queries are in history-query.c,
 * search and export in history-search.c, windows fed from the store in
 * backlog.c.
 */
#include "core/history.h"
#include "core/history-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/account.h"
#include "core/paths.h"
#include "core/settings.h"
#include "core/timefmt.h"
#include "core/window.h"

/* Rows kept queued while a database cannot be written, before dropping. */
#define QUEUE_MAX 10000

/*
 * Commits are at least this far apart: what arrives sooner waits for one
 * transaction with the rest. Each commit rewrites the pages it touched
 * (the table, its indexes, a new FTS segment) into the WAL, so a burst
 * written a loop turn at a time cost a quarter to a third more CPU per
 * message (bench/run burst-real). A lone message is still written on
 * the first idle loop turn; at worst a crash loses this much.
 */
#define FLUSH_GAP_MS 100
/* Rows that are written at once, however recent the last commit. */
#define FLUSH_BATCH_MAX 4096

/* How often a failing write (a full disk, say) is tried again. */
#define RETRY_MS 5000

/* A queued row and its sequence number. */
struct queued {
    struct history_row row;
    guint64 seq;
    char *replace_id; /* a correction of this stanza id, or NULL */
};

static GHashTable *stores;  /* account name -> struct store */
static GHashTable *failing; /* account names whose last write failed */
static GQueue queue;        /* struct queued, oldest first */
static guint64 next_seq = 1;
static guint flush_idle;
static guint retry_timer; /* while some write fails, to try again */
static unsigned int retry_ms = RETRY_MS;
static unsigned long commits;
static gint64 last_commit_us; /* monotonic time of the last commit */
static unsigned int flush_gap_ms = FLUSH_GAP_MS;
static bool flush_timed; /* flush_idle is a timer, not an idle */
static struct opening opening;
static bool subscribed;

static const char *const kind_names[] = {
    [MESSAGE_CHAT] = "chat",           [MESSAGE_NORMAL] = "normal",
    [MESSAGE_HEADLINE] = "headline",   [MESSAGE_ERROR] = "error",
    [MESSAGE_GROUPCHAT] = "groupchat",
};

/*
 * Schema steps: migrations[v] takes a database from user_version v to
 * v + 1. Later versions append steps (ALTER TABLE ... ADD COLUMN) here.
 */
static const char *const migrations[HISTORY_SCHEMA_VERSION] = {
    /* 0 -> 1: the messages table. */
    "CREATE TABLE messages ("
    " id INTEGER PRIMARY KEY,"
    " peer TEXT NOT NULL,"
    " outgoing INTEGER NOT NULL,"
    " sender TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " time INTEGER NOT NULL,"
    " stanza_id TEXT,"
    " kind TEXT NOT NULL DEFAULT 'chat');"
    "CREATE UNIQUE INDEX messages_dedupe ON messages(peer, stanza_id)"
    " WHERE stanza_id IS NOT NULL;"
    "CREATE INDEX messages_peer_time ON messages(peer, time, id);",
    /* 1 -> 2: full-text index over bodies, kept in sync by triggers. */
    "CREATE VIRTUAL TABLE messages_fts USING fts5(body,"
    " content='messages', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2');"
    "CREATE TRIGGER messages_fts_ins AFTER INSERT ON messages BEGIN"
    " INSERT INTO messages_fts(rowid, body) VALUES (new.id, new.body);"
    " END;"
    "CREATE TRIGGER messages_fts_del AFTER DELETE ON messages BEGIN"
    " INSERT INTO messages_fts(messages_fts, rowid, body)"
    " VALUES ('delete', old.id, old.body);"
    " END;"
    "CREATE TRIGGER messages_fts_upd AFTER UPDATE OF body ON messages BEGIN"
    " INSERT INTO messages_fts(messages_fts, rowid, body)"
    " VALUES ('delete', old.id, old.body);"
    " INSERT INTO messages_fts(rowid, body) VALUES (new.id, new.body);"
    " END;"
    "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');",
    /* 2 -> 3: corrections (XEP-0308) update the row they correct. */
    "ALTER TABLE messages ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;",
    /* 3 -> 4: the server archive's id (XEP-0313), for paging back. */
    "ALTER TABLE messages ADD COLUMN archive_id TEXT;"
    "CREATE UNIQUE INDEX messages_archive ON messages(archive_id)"
    " WHERE archive_id IS NOT NULL;",
    /*
     * 4 -> 5: new rows are indexed by flush_account, not by a trigger. A
     * statement with a trigger opens a savepoint, and FTS5 writes its
     * pending terms out at every savepoint: one index segment flush per
     * message made storing three times dearer (bench/run burst).
     */
    "DROP TRIGGER messages_fts_ins;",
    /* 5 -> 6: how each message was protected (the message pipeline's
     * protection state) and by which transform; old rows were plain. */
    ("ALTER TABLE messages ADD COLUMN protection INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE messages ADD COLUMN scheme TEXT;"),
};

static void on_message(enum event_type, const void *, void *);
static void queue_row(const char *account, const char *peer, bool outgoing,
                      const char *sender, const char *body, int64_t time,
                      const char *stanza_id, const char *replace_id,
                      const char *archive_id, enum message_kind kind,
                      enum protection protection, const char *scheme);

/* Free a row and its strings. */
void
history_row_free(void *p)
{
    struct history_row *r = p;

    g_free(r->account);
    g_free(r->peer);
    g_free(r->sender);
    g_free(r->body);
    g_free(r->stanza_id);
    g_free(r->archive_id);
    g_free(r->scheme);
    g_free(r);
}

/* Free a queued row. */
static void
queued_free(void *p)
{
    struct queued *q = p;

    g_free(q->replace_id);
    history_row_free(q); /* the row is the first member: this frees q */
}

/* A kind from its stored name; chat if unknown. */
static enum message_kind
kind_parse(const char *s)
{
    for (size_t i = 0; i < G_N_ELEMENTS(kind_names); i++)
        if (s != NULL && strcmp(s, kind_names[i]) == 0)
            return (enum message_kind)i;
    return MESSAGE_CHAT;
}

/* A column as a new string, NULL for SQL NULL. Note: free with g_free(). */
char *
history_column_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);

    return s != NULL ? g_strdup((const char *)s) : NULL;
}

/* A row from a statement selecting ROW_COLUMNS. Note: free with row_free. */
struct history_row *
history_row_read(sqlite3_stmt *st, const char *account)
{
    struct history_row *r = g_new0(struct history_row, 1);

    r->rowid = sqlite3_column_int64(st, 0);
    r->account = g_strdup(account);
    r->peer = history_column_dup(st, 1);
    r->outgoing = sqlite3_column_int(st, 2) != 0;
    r->sender = history_column_dup(st, 3);
    r->body = history_column_dup(st, 4);
    r->time = sqlite3_column_int64(st, 5);
    r->stanza_id = history_column_dup(st, 6);
    const unsigned char *k = sqlite3_column_text(st, 7);
    r->kind = kind_parse((const char *)k);
    r->edited = sqlite3_column_int(st, 8) != 0;
    r->protection = (enum protection)sqlite3_column_int(st, 10);
    r->scheme = history_column_dup(st, 11);
    r->archive_id = history_column_dup(st, 9);
    return r;
}

/* Run SQL text with no results; false with *cause set on error. */
static bool
exec_sql(sqlite3 *db, const char *sql, char **cause)
{
    char *err = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
        return true;
    *cause = g_strdup(err != NULL ? err : sqlite3_errmsg(db));
    sqlite3_free(err);
    return false;
}

/* The database's PRAGMA user_version; -1 on error. */
static int
user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;

    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Bring db to schema version target, one transaction per step. */
bool
history_migrate(sqlite3 *db, int target, char **cause)
{
    int v = user_version(db);

    if (v < 0) {
        *cause = g_strdup_printf("cannot read the schema version: %s",
                                 sqlite3_errmsg(db));
        return false;
    }
    if (v > HISTORY_SCHEMA_VERSION) {
        *cause = g_strdup_printf("it was written by a newer natter "
                                 "(schema %d, this one knows %d)",
                                 v, HISTORY_SCHEMA_VERSION);
        return false;
    }
    if (target > HISTORY_SCHEMA_VERSION)
        target = HISTORY_SCHEMA_VERSION;
    for (; v < target; v++) {
        char *set = g_strdup_printf("PRAGMA user_version = %d", v + 1);
        bool ok = exec_sql(db, "BEGIN IMMEDIATE", cause) &&
                  exec_sql(db, migrations[v], cause) &&
                  exec_sql(db, set, cause) && exec_sql(db, "COMMIT", cause);
        g_free(set);
        if (!ok) {
            char *why = *cause;
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            *cause = g_strdup_printf("schema upgrade to version %d failed: "
                                     "%s",
                                     v + 1, why);
            g_free(why);
            return false;
        }
    }
    return true;
}

/* The history database path of account. Note: result must be freed. */
static char *
store_path(const char *account, char **dir)
{
    char *d = paths_account_dir(account);
    char *path = g_build_filename(d, "history.db", NULL);

    if (dir != NULL)
        *dir = d;
    else
        g_free(d);
    return path;
}

/* Open (creating and migrating) the database at path; NULL with *cause. */
static sqlite3 *
store_open_path(const char *path, char **cause)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st;
    bool wal = false;
    int fd;

    /* Create the file ourselves so it (and its -wal, -shm, which sqlite
     * creates with the same mode) is 0600 whatever the umask. */
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        *cause =
            g_strdup_printf("cannot open %s: %s", path, g_strerror(errno));
        return NULL;
    }
    close(fd);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        *cause =
            g_strdup_printf("cannot open %s: %s", path,
                            db != NULL ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 2000);
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &st, NULL) ==
        SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            wal = g_ascii_strcasecmp((const char *)sqlite3_column_text(st, 0),
                                     "wal") == 0;
        sqlite3_finalize(st);
    }
    if (!wal) {
        *cause =
            g_strdup_printf("cannot use %s: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return NULL;
    }
    if (!exec_sql(db, "PRAGMA synchronous=NORMAL", cause) ||
        !history_migrate(db, HISTORY_SCHEMA_VERSION, cause)) {
        char *why = *cause;
        *cause = g_strdup_printf("%s: %s", path, why);
        g_free(why);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* Free a store, closing its database. */
static void
store_free(void *p)
{
    struct store *s = p;

    for (int i = 0; i < STMT_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    g_free(s->account);
    g_free(s);
}

/*
 * The open database of account, opened (and created when create is set)
 * if needed. Returns NULL with *cause set on error, or with *cause NULL
 * when the database does not exist and create is not set. The store is
 * owned by this module.
 */
struct store *
history_store_get(const char *account, bool create, char **cause)
{
    struct store *s;
    char *dir, *path;
    sqlite3 *db;

    if (stores == NULL)
        stores =
            g_hash_table_new_full(g_str_hash, g_str_equal, NULL, store_free);
    s = g_hash_table_lookup(stores, account);
    if (s != NULL)
        return s;
    path = store_path(account, &dir);
    if (!create && !g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_free(dir);
        g_free(path);
        return NULL;
    }
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        *cause =
            g_strdup_printf("cannot create %s: %s", dir, g_strerror(errno));
        g_free(dir);
        g_free(path);
        return NULL;
    }
    chmod(dir, 0700);
    db = store_open_path(path, cause);
    g_free(dir);
    g_free(path);
    if (db == NULL)
        return NULL;
    s = g_new0(struct store, 1);
    s->account = g_strdup(account);
    s->db = db;
    g_hash_table_insert(stores, s->account, s);
    return s;
}

/* Prepare the write statements of s once; false on error. */
static bool
store_prepare(struct store *s)
{
    static const char *const sql[STMT_COUNT] = {
        [STMT_BEGIN] = "BEGIN IMMEDIATE",
        [STMT_COMMIT] = "COMMIT",
        [STMT_ROLLBACK] = "ROLLBACK",
        [STMT_INSERT] =
            "INSERT OR IGNORE INTO messages"
            " (peer, outgoing, sender, body, time, stanza_id, kind, edited,"
            " archive_id, protection, scheme)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        [STMT_FIX] = ("UPDATE messages SET body = ?1, edited = 1,"
                      " protection = ?5, scheme = ?6"
                      " WHERE peer = ?2 AND sender = ?3 AND stanza_id = ?4"),
        [STMT_NOTE] =
            "UPDATE OR IGNORE messages SET archive_id = ?1"
            " WHERE peer = ?2 AND stanza_id = ?3 AND archive_id IS NULL",
        [STMT_FTS] = "INSERT INTO messages_fts(rowid, body) VALUES (?1, ?2)",
    };

    for (int i = 0; i < STMT_COUNT; i++)
        if (s->stmt[i] == NULL &&
            sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &s->stmt[i], NULL) != SQLITE_OK)
            return false;
    return true;
}

/* Run a prepared statement without a result to its end; true if done. */
static bool
step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE;
}

/* Write the queued rows of one account in one transaction; on failure
 * the rows stay queued. Returns false with *cause set. */
static bool
flush_account(const char *account, char **cause)
{
    struct store *s = history_store_get(account, true, cause);
    sqlite3_stmt *st, *upd, *arc, *fts;
    GList *l, *next;
    bool ok = false;

    if (s == NULL)
        return false;
    if (!store_prepare(s)) {
        *cause = g_strdup(sqlite3_errmsg(s->db));
        return false;
    }
    if (!step_done(s->stmt[STMT_BEGIN])) {
        *cause = g_strdup(sqlite3_errmsg(s->db));
        return false;
    }
    st = s->stmt[STMT_INSERT];
    upd = s->stmt[STMT_FIX];
    arc = s->stmt[STMT_NOTE];
    fts = s->stmt[STMT_FTS];
    for (l = queue.head; l != NULL; l = l->next) {
        struct queued *q = l->data;
        struct history_row *r = &q->row;
        if (strcmp(r->account, account) != 0)
            continue;
        if (q->replace_id != NULL) {
            /* A correction rewrites the row it corrects (the FTS index
             * follows by trigger); only one of nothing becomes a row. */
            sqlite3_bind_text(upd, 1, r->body, -1, SQLITE_STATIC);
            sqlite3_bind_text(upd, 2, r->peer, -1, SQLITE_STATIC);
            sqlite3_bind_text(upd, 3, r->sender, -1, SQLITE_STATIC);
            sqlite3_bind_text(upd, 4, q->replace_id, -1, SQLITE_STATIC);
            sqlite3_bind_int(upd, 5, (int)r->protection);
            sqlite3_bind_text(upd, 6, r->scheme, -1, SQLITE_STATIC);
            if (!step_done(upd))
                goto out;
            if (sqlite3_changes(s->db) > 0) {
                if (q->seq == opening.seq)
                    opening.rowid = -1; /* no new row: nothing to hide */
                continue;
            }
        }
        sqlite3_bind_text(st, 1, r->peer, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, r->outgoing);
        sqlite3_bind_text(st, 3, r->sender, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, r->body, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, r->time);
        if (r->stanza_id != NULL && r->stanza_id[0] != '\0')
            sqlite3_bind_text(st, 6, r->stanza_id, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 6);
        sqlite3_bind_text(st, 7, kind_names[r->kind], -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 8, r->edited);
        if (r->archive_id != NULL && r->archive_id[0] != '\0')
            sqlite3_bind_text(st, 9, r->archive_id, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 9);
        sqlite3_bind_int(st, 10, (int)r->protection);
        sqlite3_bind_text(st, 11, r->scheme, -1, SQLITE_STATIC);
        if (!step_done(st))
            goto out;
        if (sqlite3_changes(s->db) == 0 && r->archive_id != NULL &&
            r->stanza_id != NULL && r->stanza_id[0] != '\0') {
            /* Stored before without its archive id (a live message whose
             * id came later, or offline delivery): note it for paging. */
            sqlite3_bind_text(arc, 1, r->archive_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(arc, 2, r->peer, -1, SQLITE_STATIC);
            sqlite3_bind_text(arc, 3, r->stanza_id, -1, SQLITE_STATIC);
            if (!step_done(arc))
                goto out;
            if (q->seq == opening.seq)
                opening.rowid = -1;
            continue;
        }
        bool added = sqlite3_changes(s->db) > 0; /* not a duplicate */
        sqlite3_int64 rowid = sqlite3_last_insert_rowid(s->db);
        if (added) {
            sqlite3_bind_int64(fts, 1, rowid);
            sqlite3_bind_text(fts, 2, r->body, -1, SQLITE_STATIC);
            if (!step_done(fts))
                goto out;
        }
        if (q->seq == opening.seq)
            opening.rowid = added ? rowid : -1;
    }
    if (!step_done(s->stmt[STMT_COMMIT]))
        goto out;
    commits++;
    last_commit_us = g_get_monotonic_time();
    ok = true;
    for (l = queue.head; l != NULL; l = next) {
        struct queued *q = l->data;
        next = l->next;
        if (strcmp(q->row.account, account) == 0) {
            g_queue_delete_link(&queue, l);
            queued_free(q);
        }
    }
out:
    if (!ok) {
        *cause = g_strdup(sqlite3_errmsg(s->db));
        step_done(s->stmt[STMT_ROLLBACK]);
        if (opening.account != NULL && strcmp(opening.account, account) == 0)
            opening.rowid = 0;
    }
    return ok;
}

/* Report an error of account's history once, until it works again. */
void
history_report_failure(const char *account, const char *cause)
{
    if (failing == NULL)
        failing = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (g_hash_table_contains(failing, account))
        return;
    g_hash_table_add(failing, g_strdup(account));
    notice_fmt(account_find_name(account), NOTICE_ERROR, FMT_HISTORY_FAILING,
               cause, NULL);
}

/* Queued rows of account. */
static guint
queued_for(const char *account)
{
    guint n = 0;

    for (GList *l = queue.head; l != NULL; l = l->next) {
        struct queued *q = l->data;
        if (strcmp(q->row.account, account) == 0)
            n++;
    }
    return n;
}

static gboolean retry_cb(gpointer data);

/* Commit every queued message, one transaction per account; with report,
 * each failing account's error is also shown once. */
bool
history_flush_all(bool report, char **cause)
{
    GPtrArray *accounts = g_ptr_array_new_with_free_func(g_free);
    bool ok = true;

    for (GList *l = queue.head; l != NULL; l = l->next) {
        struct queued *q = l->data;
        bool seen = false;
        for (guint i = 0; i < accounts->len && !seen; i++)
            seen = strcmp(accounts->pdata[i], q->row.account) == 0;
        if (!seen)
            g_ptr_array_add(accounts, g_strdup(q->row.account));
    }
    for (guint i = 0; i < accounts->len; i++) {
        const char *name = accounts->pdata[i];
        bool was_failing =
            failing != NULL && g_hash_table_contains(failing, name);
        guint n = was_failing ? queued_for(name) : 0;
        char *why = NULL;
        if (flush_account(name, &why)) {
            if (was_failing) {
                g_hash_table_remove(failing, name);
                char num[16];
                g_snprintf(num, sizeof num, "%u", n);
                notice_fmt(account_find_name(name), NOTICE_INFO,
                           n == 1 ? FMT_HISTORY_SAVED_AGAIN_ONE
                                  : FMT_HISTORY_SAVED_AGAIN,
                           name, num, NULL);
            }
            continue;
        }
        char *text =
            g_strdup_printf("History of account %s not saved: %s", name, why);
        if (report)
            history_report_failure(name, text);
        if (ok && cause != NULL)
            *cause = g_strdup(text);
        ok = false;
        g_free(text);
        g_free(why);
    }
    /* A store that keeps failing must not eat all memory. */
    while (queue.length > QUEUE_MAX)
        queued_free(g_queue_pop_head(&queue));
    g_ptr_array_free(accounts, TRUE);
    /* Nothing else may come to trigger a flush: try again later. This
     * timer runs only while a write fails, so an idle natter that can
     * write never wakes for it. */
    if (!ok && queue.length > 0 && retry_timer == 0)
        retry_timer = g_timeout_add(retry_ms, retry_cb, NULL);
    /* Written by a direct call (a reader, a test): the flush that was
     * due has nothing left to do. */
    if (queue.length == 0 && flush_idle != 0) {
        g_source_remove(flush_idle);
        flush_idle = 0;
        flush_timed = false;
    }
    return ok;
}

/* Timer: try again to write what a failing flush left queued. */
static gboolean
retry_cb(gpointer data)
{
    retry_timer = 0;
    history_flush_all(true, NULL);
    return G_SOURCE_REMOVE;
}

/* How long to wait before a failed write is tried again (for tests). */
void
history_set_retry_interval(unsigned int ms)
{
    retry_ms = ms > 0 ? ms : RETRY_MS;
}

/* Commit every queued message, one transaction per account. */
bool
history_flush(char **cause)
{
    return history_flush_all(false, cause);
}

/* Idle callback or timer: commit what is queued. */
static gboolean
flush_cb(gpointer data)
{
    flush_idle = 0;
    flush_timed = false;
    history_flush_all(true, NULL);
    return G_SOURCE_REMOVE;
}

/* Arrange for the queue to be committed: on the next idle loop turn, or,
 * within the gap after the last commit, when the gap is over (sooner
 * once the queue is long). */
static void
schedule_flush(void)
{
    gint64 since = g_get_monotonic_time() - last_commit_us;
    gint64 gap = (gint64)flush_gap_ms * 1000;

    if (flush_idle != 0 && flush_timed && queue.length >= FLUSH_BATCH_MAX) {
        g_source_remove(flush_idle);
        flush_idle = 0;
    }
    if (flush_idle != 0)
        return;
    flush_timed =
        last_commit_us != 0 && since < gap && queue.length < FLUSH_BATCH_MAX;
    flush_idle = flush_timed ? g_timeout_add((guint)((gap - since) / 1000) + 1,
                                             flush_cb, NULL)
                             : g_idle_add(flush_cb, NULL);
}

/* The shortest time between two commits (ms; 0: none), for tests. */
void
history_set_flush_gap(unsigned int ms)
{
    flush_gap_ms = ms;
}

/* Queue one message for the next commit. */
void
history_add(const char *account, const char *peer, bool outgoing,
            const char *sender, const char *body, int64_t time,
            const char *stanza_id, enum message_kind kind)
{
    history_add_correction(account, peer, outgoing, sender, body, time,
                           stanza_id, NULL, kind);
}

/* Queue a message, or a correction of replace_id when that is not NULL. */
void
history_add_correction(const char *account, const char *peer, bool outgoing,
                       const char *sender, const char *body, int64_t time,
                       const char *stanza_id, const char *replace_id,
                       enum message_kind kind)
{
    history_add_archived(account, peer, outgoing, sender, body, time,
                         stanza_id, replace_id, NULL, kind);
}

/* Queue a message or correction with its server archive id. */
void
history_add_archived(const char *account, const char *peer, bool outgoing,
                     const char *sender, const char *body, int64_t time,
                     const char *stanza_id, const char *replace_id,
                     const char *archive_id, enum message_kind kind)
{
    queue_row(account, peer, outgoing, sender, body, time, stanza_id,
              replace_id, archive_id, kind, PROTECTION_PLAIN, NULL);
}

/* Queue one row for the next commit (see history_add_archived), with
 * the protection state and scheme it came with. */
static void
queue_row(const char *account, const char *peer, bool outgoing,
          const char *sender, const char *body, int64_t time,
          const char *stanza_id, const char *replace_id,
          const char *archive_id, enum message_kind kind,
          enum protection protection, const char *scheme)
{
    struct queued *q = g_new0(struct queued, 1);

    q->row.account = g_strdup(account);
    q->row.peer = g_strdup(peer);
    q->row.outgoing = outgoing;
    q->row.sender = g_strdup(sender != NULL ? sender : peer);
    q->row.body = g_strdup(body != NULL ? body : "");
    q->row.time = time != 0 ? time : g_get_real_time() / G_USEC_PER_SEC;
    q->row.stanza_id = g_strdup(stanza_id);
    q->row.kind = kind;
    q->row.edited = replace_id != NULL;
    q->row.archive_id = g_strdup(archive_id);
    q->row.protection = protection;
    q->row.scheme = g_strdup(scheme);
    q->replace_id = g_strdup(replace_id);
    q->seq = next_seq++;
    g_queue_push_tail(&queue, q);
    schedule_flush();
}

/* Transactions committed since start-up. */
unsigned long
history_commit_count(void)
{
    return commits;
}

/* Flush, then the store of account for reading; NULL with *cause set
 * (a missing database is not an error: *cause stays NULL). */
struct store *
history_store_for_reading(const char *account, char **cause)
{
    history_flush_all(true, NULL);
    return history_store_get(account, false, cause);
}

/* The message opening its window right now (owned here). */
const struct opening *
history_opening(void)
{
    return &opening;
}

/* Forget the message that opened a window. */
void
history_opening_clear(void)
{
    g_free(opening.account);
    g_free(opening.peer);
    g_free(opening.stanza_id);
    memset(&opening, 0, sizeof opening);
}

/* Store every chat message that passes, both ways. */
static void
on_message(enum event_type type, const void *payload, void *data)
{
    const struct message *ev = payload;
    /* In a room the senders choose their ids and may repeat each other's:
     * the room's own id (XEP-0359 stanza-id) is the one to keep apart. */
    const char *key = ev->kind == MESSAGE_GROUPCHAT && ev->archive_id != NULL
                          ? ev->archive_id
                          : ev->id;

    const char *body = ev->body;
    char *redacted = NULL;

    if (ev->kind == MESSAGE_ERROR || ev->body == NULL || ev->peer == NULL)
        return;
    /* What the user chose to keep of end-to-end encrypted conversations
     * ("otr.log": on, off, redact). */
    if (ev->scheme != NULL && (ev->protection == PROTECTION_ENCRYPTED ||
                               ev->protection == PROTECTION_TRUSTED)) {
        char *name = g_strdup_printf("%s.log", ev->scheme);
        const struct setting *s = settings_find(name);
        const char *mode = s != NULL ? settings_get(name) : NULL;
        g_free(name);
        if (g_strcmp0(mode, "off") == 0)
            return;
        if (g_strcmp0(mode, "redact") == 0)
            body = redacted =
                g_strdup_printf("[%s message not logged]", ev->scheme);
    }
    queue_row(ev->acct->name, ev->peer, ev->outgoing,
              ev->nick != NULL ? ev->nick
              : ev->outgoing   ? ev->acct->jid
                               : ev->peer,
              body, ev->time, key, ev->replace_id, ev->archive_id, ev->kind,
              ev->protection, ev->scheme);
    g_free(redacted);
    if (!ev->backfill &&
        window_find(ev->acct,
                    ev->kind == MESSAGE_GROUPCHAT ? WINDOW_ROOM
                    : ev->muc_private             ? WINDOW_PRIVATE
                                                  : WINDOW_CHAT,
                    ev->peer) == NULL) {
        /* The router is about to open its window: see on_window_list. */
        history_opening_clear();
        opening.account = g_strdup(ev->acct->name);
        opening.peer = g_strdup(ev->peer);
        opening.stanza_id = g_strdup(key);
        opening.seq = next_seq - 1;
    }
}

/* Subscribe to the event bus and start storing messages. */
void
history_init(void)
{
    g_queue_init(&queue);
    if (subscribed)
        return;
    /* The store sees a message before its window opens (see
     * backlog_on_window_list): its stage says so. */
    event_subscribe_at(EV_MESSAGE, EVENT_STAGE_STORE, on_message, NULL);
    event_subscribe_at(EV_WINDOW_LIST, EVENT_STAGE_STORE,
                       backlog_on_window_list, NULL);
    subscribed = true;
}

/* Commit what is queued, close every database, stop listening. */
void
history_deinit(void)
{
    history_flush_all(true, NULL);
    if (flush_idle != 0)
        g_source_remove(flush_idle);
    flush_idle = 0;
    if (retry_timer != 0)
        g_source_remove(retry_timer);
    retry_timer = 0;
    g_queue_clear_full(&queue, queued_free);
    if (subscribed) {
        event_unsubscribe(EV_MESSAGE, on_message, NULL);
        event_unsubscribe(EV_WINDOW_LIST, backlog_on_window_list, NULL);
        subscribed = false;
    }
    if (stores != NULL)
        g_hash_table_destroy(stores);
    stores = NULL;
    if (failing != NULL)
        g_hash_table_destroy(failing);
    failing = NULL;
    history_opening_clear();
}
