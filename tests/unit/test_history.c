/* SPDX-License-Identifier: MIT */
/* Unit tests for the message history store (src/core/history.c). */
#include "unit.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/account.h"
#include "core/event.h"
#include "core/history.h"
#include "ui/lines.h"
#include "core/settings.h"
#include "core/window.h"
#include "ui/formats.h"

static char *tmpdir; /* this test's $XDG_DATA_HOME */
static struct account *alice;
static GPtrArray *notices; /* texts of EV_NOTICE, in order */

/* Record notices, as the user reads them (a notice carries a sentence
 * id and its arguments). */
static void
on_notice(enum event_type type, const void *payload, void *data)
{
    const struct ev_notice *ev = payload;

    g_ptr_array_add(notices, formats_expandv(ev->fmt, ev->args));
}

/* A fresh data directory, an account alice and the history store. */
static int
setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-history-XXXXXX", NULL);
    setenv("XDG_DATA_HOME", tmpdir, 1);
    setenv("TZ", "UTC", 1);
    tzset();
    notices = g_ptr_array_new_with_free_func(g_free);
    event_subscribe(EV_NOTICE, on_notice, NULL);
    window_init();
    history_init();
    /* Most tests look at the store after one loop turn: no gap between
     * commits (test_commits_spaced_in_a_burst checks the gap). */
    history_set_flush_gap(0);
    lines_init();
    alice = account_new("alice", "alice@example.com");
    return 0;
}

/* Remove a directory tree (test files only). */
static void
rm_tree(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    const char *e;

    while (d != NULL && (e = g_dir_read_name(d)) != NULL) {
        char *p = g_build_filename(path, e, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR))
            rm_tree(p);
        else
            unlink(p);
        g_free(p);
    }
    if (d != NULL)
        g_dir_close(d);
    rmdir(path);
}

/* Close everything and delete the data directory. */
static int
teardown(void **state)
{
    history_deinit();
    lines_deinit();
    window_deinit();
    account_deinit();
    settings_deinit();
    event_deinit();
    chmod(tmpdir, 0700);
    rm_tree(tmpdir);
    g_free(tmpdir);
    tmpdir = NULL;
    g_ptr_array_unref(notices);
    return 0;
}

/* The history database path of account name. Note: free with g_free. */
static char *
db_path(const char *name)
{
    return g_build_filename(tmpdir, "natter", name, "history.db", NULL);
}

/* Open account name's database with a second, independent connection. */
static sqlite3 *
raw_open(const char *name)
{
    char *path = db_path(name);
    sqlite3 *db = NULL;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    g_free(path);
    return db;
}

/* The integer result of one SQL query on db. */
static long long
query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The text result of one SQL query on db. Note: free with g_free. */
static char *
query_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    char *v = NULL;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = g_strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

/* Flush, failing the test on error. */
static void
flush_ok(void)
{
    char *cause = NULL;

    if (!history_flush(&cause)) {
        print_error("flush: %s\n", cause);
        fail();
    }
}

/* Run the main loop until nothing is pending (idle callbacks included). */
static void
run_loop(void)
{
    while (g_main_context_iteration(NULL, FALSE))
        ;
}

/* Add an incoming chat message from peer to alice's history. */
static void
add_in(const char *peer, const char *body, int64_t t, const char *id)
{
    history_add("alice", peer, false, peer, body, t, id, MESSAGE_CHAT);
}

/* The first flush creates the database: directories 0700, file 0600, WAL,
 * the current schema version, the tables and the FTS index. */
static void
test_schema_created(void **state)
{
    char *path = db_path("alice"), *dir = g_path_get_dirname(path), *mode;
    struct stat st;
    sqlite3 *db;

    add_in("bob@example.com", "hello", 1000, "id1");
    flush_ok();
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    db = raw_open("alice");
    assert_int_equal(query_int(db, "PRAGMA user_version"),
                     HISTORY_SCHEMA_VERSION);
    mode = query_text(db, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_master "
                                   "WHERE name IN ('messages', "
                                   "'messages_fts', 'messages_dedupe')"),
                     3);
    assert_int_equal(query_int(db, "SELECT count(*) FROM messages_fts "
                                   "WHERE messages_fts MATCH 'hello'"),
                     1);
    sqlite3_close(db);
    g_free(mode);
    g_free(dir);
    g_free(path);
}

/* A database at user_version 0 (empty) or 1 (no FTS yet, with rows) is
 * brought to the current version, and old rows become searchable. */
static void
test_migration(void **state)
{
    char *path = db_path("alice"), *dir = g_path_get_dirname(path);
    char *cause = NULL;
    sqlite3 *db;
    GPtrArray *hits;

    g_mkdir_with_parents(dir, 0700);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(query_int(db, "PRAGMA user_version"), 0);
    assert_true(history_migrate(db, 1, &cause));
    assert_int_equal(query_int(db, "PRAGMA user_version"), 1);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO messages (peer, outgoing, sender, body, "
                     "time, stanza_id) VALUES ('bob@example.com', 0, "
                     "'bob@example.com', 'written before the index', 5, "
                     "'old')",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    hits = history_search("before the index", NULL, 10, &cause);
    assert_non_null(hits);
    assert_int_equal(hits->len, 1);
    db = raw_open("alice");
    assert_int_equal(query_int(db, "PRAGMA user_version"),
                     HISTORY_SCHEMA_VERSION);
    sqlite3_close(db);
    g_ptr_array_unref(hits);

    /* Migrating again is a no-op. */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_true(history_migrate(db, HISTORY_SCHEMA_VERSION, &cause));
    sqlite3_close(db);
    g_free(dir);
    g_free(path);
}

/* From version 2 (FTS kept by an insert trigger) to 3 (rows indexed by
 * the store): old and new rows are found, each indexed exactly once,
 * duplicates not at all. */
static void
test_migration_fts_trigger_dropped(void **state)
{
    char *path = db_path("alice"), *dir = g_path_get_dirname(path);
    char *cause = NULL;
    sqlite3 *db;

    g_mkdir_with_parents(dir, 0700);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_true(history_migrate(db, 2, &cause));
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO messages (peer, outgoing, sender, body, "
                     "time, stanza_id) VALUES ('bob@example.com', 0, "
                     "'bob@example.com', 'kiwi from version two', 5, "
                     "'old')",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    add_in("bob@example.com", "kiwi from version three", 6, "new");
    add_in("bob@example.com", "kiwi from version three", 6, "new");
    add_in("bob@example.com", "kiwi again, no id", 7, NULL);
    flush_ok();
    db = raw_open("alice");
    assert_int_equal(query_int(db, "PRAGMA user_version"),
                     HISTORY_SCHEMA_VERSION);
    assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_master "
                                   "WHERE name = 'messages_fts_ins'"),
                     0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM messages_fts "
                                   "WHERE messages_fts MATCH 'kiwi'"),
                     3);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO messages_fts(messages_fts) "
                                  "VALUES ('integrity-check')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    g_free(dir);
    g_free(path);
}

/* A database from a newer natter is refused with an error naming the
 * account, and the messages stay in their window. */
static void
test_newer_schema_refused(void **state)
{
    char *path = db_path("alice"), *dir = g_path_get_dirname(path);
    char *cause = NULL;
    struct window *w;
    sqlite3 *db;
    GPtrArray *rows;

    g_mkdir_with_parents(dir, 0700);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(db);

    rows = history_last(alice, "bob@example.com", 10, &cause);
    assert_null(rows);
    assert_contains(cause, "account alice");
    assert_contains(cause, "newer natter");
    g_free(cause);
    cause = NULL;

    /* Live messages still reach their window; the error is reported once
     * per failing streak, not once per message. */
    w = window_get_chat(alice, "carol@example.com");
    for (int i = 0; i < 3; i++) {
        struct message ev = {.acct = alice,
                             .from = "carol@example.com/x",
                             .peer = "carol@example.com",
                             .body = "still shown",
                             .kind = MESSAGE_CHAT};
        event_emit(EV_MESSAGE, &ev);
        run_loop();
    }
    assert_int_equal(w->lines.length, 3);
    assert_int_equal(notices->len, 1);
    assert_contains(notices->pdata[0], "account alice");
    g_free(dir);
    g_free(path);
}

/* A data directory that cannot be created: one clear error. */
static void
test_unwritable_dir(void **state)
{
    char *file = g_build_filename(tmpdir, "natter", NULL);
    char *cause = NULL;

    g_file_set_contents(file, "not a directory", -1, NULL);
    add_in("bob@example.com", "lost?", 0, NULL);
    assert_false(history_flush(&cause));
    assert_contains(cause, "account alice");
    assert_contains(cause, "cannot create");
    assert_null(strchr(cause, '\n'));
    g_free(cause);
    g_free(file);
}

/* A store that cannot be written says so once, keeps the messages and
 * writes them by itself once it can (a full disk freed, say). */
static void
test_write_retried(void **state)
{
    char *file = g_build_filename(tmpdir, "natter", NULL);
    sqlite3 *db;
    char *check;

    history_set_retry_interval(20);
    g_file_set_contents(file, "not a directory", -1, NULL);
    add_in("bob@example.com", "kept one", 1, "k1");
    run_loop();
    assert_int_equal(notices->len, 1);
    assert_contains(notices->pdata[0], "History of account alice not saved");
    assert_contains(notices->pdata[0], "written when it works again");
    add_in("bob@example.com", "kept two", 2, "k2");
    run_loop();
    assert_int_equal(notices->len, 1); /* said once */
    unlink(file);
    for (int i = 0; i < 500 && notices->len < 2; i++)
        g_main_context_iteration(NULL, TRUE); /* the retry timer */
    assert_int_equal(notices->len, 2);
    assert_contains(notices->pdata[1], "History of account alice saved "
                                       "again (2 waiting messages written)");
    db = raw_open("alice");
    assert_int_equal(query_int(db, "SELECT count(*) FROM messages"), 2);
    check = query_text(db, "PRAGMA integrity_check");
    assert_string_equal(check, "ok");
    g_free(check);
    sqlite3_close(db);
    history_set_retry_interval(0);
    g_free(file);
}

/* Messages queued in one loop turn are written in one transaction from
 * an idle callback, and not before. */
static void
test_batched_commit(void **state)
{
    unsigned long before;
    sqlite3 *db;

    add_in("bob@example.com", "first", 1, "a0");
    run_loop();
    before = history_commit_count();
    db = raw_open("alice");
    for (int i = 0; i < 200; i++) {
        char *body = g_strdup_printf("message %d", i);
        char *id = g_strdup_printf("b%d", i);
        add_in("bob@example.com", body, 10 + i, id);
        g_free(body);
        g_free(id);
    }
    assert_int_equal(query_int(db, "SELECT count(*) FROM messages"), 1);
    assert_int_equal(history_commit_count(), before);
    run_loop();
    assert_int_equal(history_commit_count(), before + 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM messages"), 201);
    sqlite3_close(db);
}

/* In a burst, commits are at least the gap apart: what arrives soon
 * after a commit waits for the gap, then goes in one transaction; with
 * no gap, the next one goes on the next idle turn. */
static void
test_commits_spaced_in_a_burst(void **state)
{
    unsigned long before;
    gint64 deadline;
    sqlite3 *db;

    history_set_flush_gap(1000);
    add_in("bob@example.com", "first", 1, "a0");
    assert_true(history_flush(NULL));
    before = history_commit_count();
    db = raw_open("alice");
    for (int i = 0; i < 200; i++) {
        char *body = g_strdup_printf("message %d", i);
        char *id = g_strdup_printf("b%d", i);
        add_in("bob@example.com", body, 10 + i, id);
        g_free(body);
        g_free(id);
    }
    run_loop(); /* within the gap: nothing written yet */
    assert_int_equal(history_commit_count(), before);
    assert_int_equal(query_int(db, "SELECT count(*) FROM messages"), 1);
    deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    while (history_commit_count() == before &&
           g_get_monotonic_time() < deadline)
        g_main_context_iteration(NULL, TRUE);
    assert_int_equal(history_commit_count(), before + 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM messages"), 201);
    history_set_flush_gap(0);
    add_in("bob@example.com", "after the burst", 300, "c0");
    run_loop();
    assert_int_equal(history_commit_count(), before + 2);
    sqlite3_close(db);
}

/* The same (peer, stanza id) is stored once; messages without an id are
 * never merged; the same id with another peer is another message. */
static void
test_dedupe(void **state)
{
    sqlite3 *db;

    add_in("bob@example.com", "once", 1, "dup");
    add_in("bob@example.com", "once", 1, "dup");
    flush_ok();
    add_in("bob@example.com", "once again", 2, "dup");
    add_in("carol@example.com", "other peer", 2, "dup");
    add_in("bob@example.com", "no id", 3, NULL);
    add_in("bob@example.com", "no id", 3, NULL);
    add_in("bob@example.com", "empty id", 3, "");
    flush_ok();
    db = raw_open("alice");
    assert_int_equal(query_int(db, "SELECT count(*) FROM messages WHERE "
                                   "stanza_id = 'dup'"),
                     2);
    assert_int_equal(query_int(db, "SELECT count(*) FROM messages"), 5);
    sqlite3_close(db);
}

/* Search: phrase by default, unicode folding, FTS syntax kept, peer
 * filter, newest first, every account, limit. */
static void
test_search(void **state)
{
    char *cause = NULL;
    GPtrArray *hits;
    struct history_row *r;

    add_in("bob@example.com", "Café au lait tomorrow?", 100, NULL);
    add_in("bob@example.com", "ПРИВЕТ мир", 200, NULL);
    add_in("carol@example.com", "lunch at the café", 300, NULL);
    add_in("bob@example.com", "mail me at bob@example.com", 400, NULL);
    history_add("work", "boss@corp.example", true, "me@corp.example",
                "cafe meeting moved", 500, NULL, MESSAGE_CHAT);

    hits = history_search("cafe", NULL, 50, &cause);
    assert_non_null(hits);
    assert_int_equal(hits->len, 3);
    r = hits->pdata[0];
    assert_string_equal(r->account, "work");
    assert_true(r->outgoing);
    assert_int_equal(((struct history_row *)hits->pdata[1])->time, 300);
    assert_int_equal(((struct history_row *)hits->pdata[2])->time, 100);
    g_ptr_array_unref(hits);

    hits = history_search("привет", NULL, 50, &cause);
    assert_int_equal(hits->len, 1);
    assert_contains(((struct history_row *)hits->pdata[0])->body, "ПРИВЕТ");
    g_ptr_array_unref(hits);

    hits = history_search("café", "carol@example.com", 50, &cause);
    assert_int_equal(hits->len, 1);
    assert_string_equal(((struct history_row *)hits->pdata[0])->peer,
                        "carol@example.com");
    g_ptr_array_unref(hits);

    /* Punctuation is no syntax error: plain text is one phrase. */
    hits = history_search("bob@example.com", NULL, 50, &cause);
    assert_int_equal(hits->len, 1);
    g_ptr_array_unref(hits);
    hits = history_search("lait tomorrow", NULL, 50, &cause);
    assert_int_equal(hits->len, 1);
    g_ptr_array_unref(hits);
    hits = history_search("tomorrow lait", NULL, 50, &cause);
    assert_int_equal(hits->len, 0);
    g_ptr_array_unref(hits);

    /* FTS syntax passes through. */
    hits = history_search("lun* OR мир", NULL, 50, &cause);
    assert_int_equal(hits->len, 2);
    g_ptr_array_unref(hits);

    hits = history_search("cafe", NULL, 2, &cause);
    assert_int_equal(hits->len, 2);
    g_ptr_array_unref(hits);
}

/* The newest hits by time win even when they were stored before older
 * ones (an archive page fetched later), with and without a peer. */
static void
test_search_stored_out_of_order(void **state)
{
    static const int64_t times[] = {900, 100, 800, 200, 300, 700, 400, 50};
    static const int64_t want[] = {900, 800, 700};
    char *cause = NULL;
    GPtrArray *hits;

    for (size_t i = 0; i < G_N_ELEMENTS(times); i++)
        add_in(i % 2 ? "bob@example.com" : "carol@example.com", "ping pong",
               times[i], NULL);
    add_in("bob@example.com", "no match", 1000, NULL);
    hits = history_search("ping", NULL, 3, &cause);
    assert_non_null(hits);
    assert_int_equal(hits->len, 3);
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
        assert_int_equal(((struct history_row *)hits->pdata[i])->time,
                         want[i]);
    assert_contains(((struct history_row *)hits->pdata[0])->body, "ping");
    g_ptr_array_unref(hits);

    hits = history_search("ping", "bob@example.com", 2, &cause);
    assert_non_null(hits);
    assert_int_equal(hits->len, 2);
    assert_int_equal(((struct history_row *)hits->pdata[0])->time, 700);
    assert_int_equal(((struct history_row *)hits->pdata[1])->time, 200);
    g_ptr_array_unref(hits);
}

/* Malformed FTS queries give one clear error, not a crash or a hit. */
static void
test_search_malformed(void **state)
{
    static const char *const bad[] = {"\"unbalanced", "cafe AND", "(open",
                                      "NEAR(", NULL};
    char *cause = NULL;

    add_in("bob@example.com", "something", 1, NULL);
    for (int i = 0; bad[i] != NULL; i++) {
        GPtrArray *hits = history_search(bad[i], NULL, 50, &cause);
        assert_null(hits);
        assert_contains(cause, "Bad search query");
        assert_null(strchr(cause, '\n'));
        g_free(cause);
        cause = NULL;
    }
    /* Searching with no database at all is no error. */
    {
        char *q = history_fts_query("it's \"quoted\"");
        assert_string_equal(q, "it's \"quoted\"");
        g_free(q);
        q = history_fts_query("it's plain");
        assert_string_equal(q, "\"it's plain\"");
        g_free(q);
    }
}

/* Export: the whole conversation, oldest first, "stamp <sender> text",
 * one line per line of a body, file 0600, count returned. */
static void
test_export(void **state)
{
    char *file = g_build_filename(tmpdir, "out.txt", NULL);
    char *cause = NULL, *text = NULL;
    struct stat st;
    long n;

    add_in("bob@example.com", "hi there", 86400 + 3661, "x1");
    history_add("alice", "bob@example.com", true, "alice@example.com",
                "two\nlines", 86400 + 3700, "x2", MESSAGE_CHAT);
    add_in("carol@example.com", "not bob", 86400 + 3800, NULL);
    n = history_export(alice, "bob@example.com", file, &cause);
    assert_int_equal(n, 3);
    assert_true(g_file_get_contents(file, &text, NULL, NULL));
    assert_string_equal(text,
                        "1970-01-02 01:01:01 <bob@example.com> hi there\n"
                        "1970-01-02 01:01:40 <alice@example.com> two\n"
                        "1970-01-02 01:01:40 <alice@example.com> lines\n");
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    g_free(text);

    /* Nowhere to write: a clear error. */
    n = history_export(alice, "bob@example.com", "/nonexistent/dir/x", &cause);
    assert_int_equal(n, -1);
    assert_contains(cause, "/nonexistent/dir/x");
    g_free(cause);
    g_free(file);
}

/* history_before pages back through everything exactly once, even when
 * many messages share one second. */
static void
test_before_paging(void **state)
{
    char *cause = NULL;
    GPtrArray *page;
    int64_t before = INT64_MAX;
    int seen = 0, pages = 0, last_n = 1000;

    for (int i = 0; i < 10; i++) {
        char *b = g_strdup_printf("%d", i);
        add_in("bob@example.com", b, 100 + i, NULL);
        g_free(b);
    }
    for (int i = 10; i < 17; i++) { /* seven in one second */
        char *b = g_strdup_printf("%d", i);
        add_in("bob@example.com", b, 200, NULL);
        g_free(b);
    }
    add_in("carol@example.com", "other", 150, NULL);

    /* The last 3 and the page before them. */
    page = history_last(alice, "bob@example.com", 3, &cause);
    assert_int_equal(page->len, 3);
    assert_string_equal(((struct history_row *)page->pdata[2])->body, "16");
    g_ptr_array_unref(page);

    for (;;) {
        page = history_before(alice, "bob@example.com", before, 3, &cause);
        assert_non_null(page);
        if (page->len == 0) {
            g_ptr_array_unref(page);
            break;
        }
        /* oldest first within a page, and all older than the last page */
        for (guint i = 0; i < page->len; i++) {
            struct history_row *r = page->pdata[i];
            int n = atoi(r->body);
            assert_true(n < last_n);
            if (i + 1 < page->len)
                assert_true(
                    atoi(((struct history_row *)page->pdata[i + 1])->body) >
                    n);
            seen++;
        }
        last_n = atoi(((struct history_row *)page->pdata[0])->body);
        before = ((struct history_row *)page->pdata[0])->time;
        pages++;
        g_ptr_array_unref(page);
    }
    assert_int_equal(seen, 17);
    assert_true(pages >= 5);

    page = history_before(alice, "bob@example.com", 105, 100, &cause);
    assert_int_equal(page->len, 5);
    g_ptr_array_unref(page);
}

/* An incoming message that opens a window brings the last history.lines
 * stored messages before it, without repeating it or counting them as
 * unread. */
static void
test_window_shows_history(void **state)
{
    char *cause = NULL;
    struct message ev = {.acct = alice,
                         .from = "bob@example.com/phone",
                         .peer = "bob@example.com",
                         .body = "new one",
                         .id = "new-id",
                         .kind = MESSAGE_CHAT};
    struct window *w;
    struct line *l;

    for (int i = 0; i < 5; i++) {
        char *b = g_strdup_printf("old %d", i);
        add_in("bob@example.com", b, 100 + i, NULL);
        g_free(b);
    }
    history_add("alice", "bob@example.com", true, "alice@example.com",
                "my reply", 200, "r1", MESSAGE_CHAT);
    assert_true(settings_set("history.lines", "4", &cause));
    run_loop();

    event_emit(EV_MESSAGE, &ev);
    w = window_find_chat(alice, "bob@example.com");
    assert_non_null(w);
    assert_int_equal(w->lines.length, 5);
    l = g_queue_peek_nth(&w->lines, 0);
    assert_string_equal(l->text, "old 2");
    assert_int_equal(l->time, 102);
    l = g_queue_peek_nth(&w->lines, 3);
    assert_string_equal(l->text, "my reply");
    assert_int_equal(l->kind, LINE_OWN);
    l = g_queue_peek_tail(&w->lines);
    assert_string_equal(l->text, "new one");
    assert_int_equal(w->unread, 1);

    /* It was stored once, and a second window shows it once. */
    run_loop();
    window_close(w);
    assert_true(settings_set("history.lines", "50", &cause));
    w = window_get_chat(alice, "bob@example.com");
    assert_int_equal(w->lines.length, 7);
    l = g_queue_peek_tail(&w->lines);
    assert_string_equal(l->text, "new one");
    assert_int_equal(w->unread, 0);

    /* A message whose stanza id is already stored (a duplicate delivery)
     * opening a window is not shown twice either. */
    window_close(w);
    run_loop();
    event_emit(EV_MESSAGE, &ev);
    w = window_find_chat(alice, "bob@example.com");
    assert_int_equal(w->lines.length, 7);

    /* history.lines 0: nothing is loaded. */
    window_close(w);
    assert_true(settings_set("history.lines", "0", &cause));
    w = window_get_chat(alice, "bob@example.com");
    assert_int_equal(w->lines.length, 0);
}

/* Outgoing messages are stored too, with our JID as sender; errors are
 * not stored. */
static void
test_events_stored(void **state)
{
    struct message out = {.acct = alice,
                          .from = "alice@example.com",
                          .peer = "bob@example.com",
                          .body = "sent by me",
                          .id = "o1",
                          .kind = MESSAGE_CHAT,
                          .outgoing = true,
                          .time = 1234};
    struct message err = {.acct = alice,
                          .peer = "bob@example.com",
                          .body = "service-unavailable",
                          .kind = MESSAGE_ERROR};
    char *cause = NULL;
    GPtrArray *rows;
    struct history_row *r;

    event_emit(EV_MESSAGE, &out);
    event_emit(EV_MESSAGE, &err);
    rows = history_last(alice, "bob@example.com", 10, &cause);
    assert_int_equal(rows->len, 1);
    r = rows->pdata[0];
    assert_true(r->outgoing);
    assert_string_equal(r->sender, "alice@example.com");
    assert_string_equal(r->stanza_id, "o1");
    assert_int_equal(r->time, 1234);
    assert_int_equal(r->kind, MESSAGE_CHAT);
    g_ptr_array_unref(rows);
}

/* A database at user_version 2 (before corrections were updates) gains
 * the edited column; its rows read as not edited and can be corrected. */
static void
test_migration_v3(void **state)
{
    char *path = db_path("alice"), *dir = g_path_get_dirname(path);
    char *cause = NULL;
    sqlite3 *db;
    GPtrArray *rows;
    struct history_row *r;

    g_mkdir_with_parents(dir, 0700);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_true(history_migrate(db, 2, &cause));
    assert_int_equal(query_int(db, "PRAGMA user_version"), 2);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO messages (peer, outgoing, sender, body, "
                     "time, stanza_id) VALUES ('bob@example.com', 0, "
                     "'bob@example.com', 'teh cat', 5, 'm1')",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_true(history_migrate(db, 3, &cause));
    assert_int_equal(query_int(db, "PRAGMA user_version"), 3);
    assert_int_equal(query_int(db, "SELECT edited FROM messages"), 0);
    sqlite3_close(db);

    rows = history_last(alice, "bob@example.com", 10, &cause);
    assert_non_null(rows);
    assert_int_equal(rows->len, 1);
    assert_false(((struct history_row *)rows->pdata[0])->edited);
    g_ptr_array_unref(rows);
    history_add_correction("alice", "bob@example.com", false,
                           "bob@example.com", "the cat", 9, "m2", "m1",
                           MESSAGE_CHAT);
    rows = history_last(alice, "bob@example.com", 10, &cause);
    assert_int_equal(rows->len, 1);
    r = rows->pdata[0];
    assert_string_equal(r->body, "the cat");
    assert_true(r->edited);
    assert_int_equal(r->time, 5);
    g_ptr_array_unref(rows);
    g_free(dir);
    g_free(path);
}

/* The protection state and scheme of a message (schema 6) are stored
 * with it, read back by every query, follow a correction, and reach the
 * lines a window shows from the store. */
static void
test_protection_stored(void **state)
{
    struct message in = {.acct = alice,
                         .from = "bob@example.com/phone",
                         .peer = "bob@example.com",
                         .body = "secret",
                         .id = "p1",
                         .kind = MESSAGE_CHAT,
                         .time = 100,
                         .protection = PROTECTION_ENCRYPTED,
                         .scheme = "test"};
    struct message fix = in;
    char *cause = NULL;
    GPtrArray *rows;
    struct history_row *r;
    struct window *w;
    const struct line *l;

    event_emit(EV_MESSAGE, &in);
    rows = history_last(alice, "bob@example.com", 10, &cause);
    assert_int_equal(rows->len, 1);
    r = rows->pdata[0];
    assert_int_equal(r->protection, PROTECTION_ENCRYPTED);
    assert_string_equal(r->scheme, "test");
    g_ptr_array_unref(rows);
    rows = history_search("secret", NULL, 10, &cause);
    assert_non_null(rows);
    assert_int_equal(rows->len, 1);
    assert_int_equal(((struct history_row *)rows->pdata[0])->protection,
                     PROTECTION_ENCRYPTED);
    g_ptr_array_unref(rows);

    fix.id = "p2";
    fix.replace_id = "p1";
    fix.body = "secret, fixed";
    fix.protection = PROTECTION_TRUSTED;
    event_emit(EV_MESSAGE, &fix);
    rows = history_last(alice, "bob@example.com", 10, &cause);
    assert_int_equal(rows->len, 1);
    r = rows->pdata[0];
    assert_string_equal(r->body, "secret, fixed");
    assert_int_equal(r->protection, PROTECTION_TRUSTED);
    g_ptr_array_unref(rows);

    /* a window opened later shows it from the store, protected */
    w = window_get_chat(alice, "bob@example.com");
    assert_true(w->lines.length > 0);
    l = w->lines.tail->data;
    assert_string_equal(l->text, "secret, fixed");
    assert_int_equal(l->protection, PROTECTION_TRUSTED);
}

/* A database at user_version 5 gains the protection columns; its rows
 * read back as plain. */
static void
test_migration_v6(void **state)
{
    char *path = db_path("alice"), *dir = g_path_get_dirname(path);
    char *cause = NULL;
    sqlite3 *db;
    GPtrArray *rows;
    struct history_row *r;

    g_mkdir_with_parents(dir, 0700);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_true(history_migrate(db, 5, &cause));
    assert_int_equal(query_int(db, "PRAGMA user_version"), 5);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO messages (peer, outgoing, sender, body, "
                     "time, stanza_id) VALUES ('bob@example.com', 0, "
                     "'bob@example.com', 'old and plain', 5, 'm1')",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    rows = history_last(alice, "bob@example.com", 10, &cause);
    assert_non_null(rows);
    assert_int_equal(rows->len, 1);
    r = rows->pdata[0];
    assert_string_equal(r->body, "old and plain");
    assert_int_equal(r->protection, PROTECTION_PLAIN);
    assert_null(r->scheme);
    g_ptr_array_unref(rows);
    db = raw_open("alice");
    assert_int_equal(query_int(db, "PRAGMA user_version"), 6);
    sqlite3_close(db);
    g_free(dir);
    g_free(path);
}

/* A correction rewrites the row it corrects (same peer, sender and stanza
 * id) and marks it edited, in the same batch or a later one; the FTS index
 * follows; another sender's id is left alone; a correction of nothing is
 * stored as a new, edited message. */
static void
test_correction_updates(void **state)
{
    char *cause = NULL;
    GPtrArray *rows, *hits;
    struct history_row *r;
    sqlite3 *db;

    add_in("bob@example.com", "meet at the libary", 100, "b1");
    history_add("alice", "bob@example.com", true, "alice@example.com",
                "see you at 4", 101, "a1", MESSAGE_CHAT);
    /* the original and its correction in one batch */
    history_add_correction("alice", "bob@example.com", true,
                           "alice@example.com", "see you at 5", 102, "a2",
                           "a1", MESSAGE_CHAT);
    flush_ok();
    /* a later batch: bob fixes his typo twice */
    history_add_correction("alice", "bob@example.com", false,
                           "bob@example.com", "meet at the library", 110, "b2",
                           "b1", MESSAGE_CHAT);
    history_add_correction("alice", "bob@example.com", false,
                           "bob@example.com", "meet at the old library", 111,
                           "b3", "b1", MESSAGE_CHAT);
    /* bob cannot correct alice's message */
    history_add_correction("alice", "bob@example.com", false,
                           "bob@example.com", "forged", 112, "b4", "a1",
                           MESSAGE_CHAT);
    /* nothing with that id: a message of its own */
    history_add_correction("alice", "bob@example.com", false,
                           "bob@example.com", "out of the blue", 113, "b5",
                           "nope", MESSAGE_CHAT);
    flush_ok();

    rows = history_last(alice, "bob@example.com", 10, &cause);
    assert_non_null(rows);
    assert_int_equal(rows->len, 4);
    r = rows->pdata[0];
    assert_string_equal(r->body, "meet at the old library");
    assert_string_equal(r->stanza_id, "b1");
    assert_int_equal(r->time, 100);
    assert_true(r->edited);
    r = rows->pdata[1];
    assert_string_equal(r->body, "see you at 5");
    assert_true(r->outgoing);
    assert_true(r->edited);
    r = rows->pdata[2];
    assert_string_equal(r->body, "forged");
    assert_string_equal(r->stanza_id, "b4");
    r = rows->pdata[3];
    assert_string_equal(r->body, "out of the blue");
    assert_string_equal(r->stanza_id, "b5");
    assert_true(r->edited);
    g_ptr_array_unref(rows);

    hits = history_search("libary", NULL, 10, &cause);
    assert_int_equal(hits->len, 0);
    g_ptr_array_unref(hits);
    hits = history_search("old library", NULL, 10, &cause);
    assert_int_equal(hits->len, 1);
    assert_true(((struct history_row *)hits->pdata[0])->edited);
    g_ptr_array_unref(hits);
    hits = history_search("see you at 4", NULL, 10, &cause);
    assert_int_equal(hits->len, 0);
    g_ptr_array_unref(hits);

    db = raw_open("alice");
    sqlite3_exec(db,
                 "INSERT INTO messages_fts(messages_fts) "
                 "VALUES ('integrity-check')",
                 NULL, NULL, NULL);
    assert_int_equal(sqlite3_errcode(db), SQLITE_OK);
    sqlite3_close(db);
}

/* A correction arriving as an event (incoming or /correct) updates the
 * stored row, and a window opened afterwards shows it edited once. */
static void
test_correction_event_window(void **state)
{
    struct message orig = {.acct = alice,
                           .from = "bob@example.com/phone",
                           .peer = "bob@example.com",
                           .body = "teh cat",
                           .id = "m1",
                           .kind = MESSAGE_CHAT,
                           .time = 50};
    struct message fix = orig;
    struct window *w;
    struct line *l;

    event_emit(EV_MESSAGE, &orig);
    run_loop();
    window_close(window_find_chat(alice, "bob@example.com"));
    fix.body = "the cat";
    fix.id = "m2";
    fix.replace_id = "m1";
    fix.time = 60;
    /* the correction opens the window: the stored row, corrected, once */
    event_emit(EV_MESSAGE, &fix);
    run_loop();
    w = window_find_chat(alice, "bob@example.com");
    assert_non_null(w);
    assert_int_equal(w->lines.length, 1);
    l = g_queue_peek_tail(&w->lines);
    assert_string_equal(l->text, "the cat");
    assert_true(l->edited);
    window_close(w);
    w = window_get_chat(alice, "bob@example.com");
    assert_int_equal(w->lines.length, 1);
    l = g_queue_peek_tail(&w->lines);
    assert_string_equal(l->text, "the cat");
    assert_true(l->edited);
}

/* history_around: the rows before and after a row (many in one second
 * included), oldest first, with the hit's index; a row of another peer
 * or a missing one is an error. history_after pages forward once each. */
static void
test_around_and_after(void **state)
{
    char *cause = NULL;
    GPtrArray *rows, *page;
    struct history_row *r;
    guint hit = 99;
    int64_t target = 0, t, id;
    int seen = 0;

    for (int i = 0; i < 40; i++) {
        char *b = g_strdup_printf("m%02d", i);
        add_in("bob@example.com", b, 1000 + i / 4, NULL); /* 4 a second */
        g_free(b);
    }
    add_in("carol@example.com", "other", 1005, NULL);
    flush_ok();
    rows = history_search("m17", NULL, 5, &cause);
    assert_int_equal(rows->len, 1);
    target = ((struct history_row *)rows->pdata[0])->rowid;
    g_ptr_array_unref(rows);

    rows =
        history_around(alice, "bob@example.com", target, 5, 3, &hit, &cause);
    assert_non_null(rows);
    assert_int_equal(rows->len, 9);
    assert_int_equal(hit, 5);
    assert_string_equal(((struct history_row *)rows->pdata[0])->body, "m12");
    assert_string_equal(((struct history_row *)rows->pdata[5])->body, "m17");
    assert_string_equal(((struct history_row *)rows->pdata[8])->body, "m20");
    g_ptr_array_unref(rows);

    /* at the edges: fewer context rows */
    rows = history_search("m00", NULL, 5, &cause);
    id = ((struct history_row *)rows->pdata[0])->rowid;
    g_ptr_array_unref(rows);
    rows = history_around(alice, "bob@example.com", id, 5, 2, &hit, &cause);
    assert_int_equal(rows->len, 3);
    assert_int_equal(hit, 0);
    g_ptr_array_unref(rows);

    assert_null(history_around(alice, "carol@example.com", target, 5, 5, &hit,
                               &cause));
    assert_contains(cause, "no longer stored");
    g_free(cause);
    cause = NULL;

    /* forward from m17 to the end, 6 at a time: each row once */
    r = NULL;
    t = 1004;
    id = target;
    for (int guard = 0; guard < 20; guard++) {
        page = history_after(alice, "bob@example.com", t, id, 6, &cause);
        assert_non_null(page);
        if (page->len == 0) {
            g_ptr_array_unref(page);
            break;
        }
        for (guint i = 0; i < page->len; i++) {
            char *want = g_strdup_printf("m%02d", 18 + seen++);
            r = page->pdata[i];
            assert_string_equal(r->body, want);
            g_free(want);
        }
        t = r->time;
        id = r->rowid;
        g_ptr_array_unref(page);
    }
    assert_int_equal(seen, 22);
}

/* Archive ids (schema 4): stored with a message, deduplicating like
 * stanza ids, added to a row stored before without one; the oldest one of
 * a conversation and its oldest time are found. A version 3 database
 * gains the column. */
static void
test_archive_ids(void **state)
{
    char *path = db_path("alice"), *dir = g_path_get_dirname(path);
    char *cause = NULL, *id;
    int64_t oldest = -1;
    sqlite3 *db;

    g_mkdir_with_parents(dir, 0700);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_true(history_migrate(db, 3, &cause));
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO messages (peer, outgoing, sender, body, "
                     "time, stanza_id) VALUES ('bob@example.com', 0, "
                     "'bob@example.com', 'from version 3', 50, 's0')",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    id = history_oldest_archive_id(alice, "bob@example.com", &oldest);
    assert_null(id);
    assert_int_equal(oldest, 50);
    id = history_oldest_archive_id(alice, "nobody@example.com", &oldest);
    assert_null(id);
    assert_int_equal(oldest, 0);

    history_add_archived("alice", "bob@example.com", false, "bob@example.com",
                         "live", 100, "s1", NULL, "A5", MESSAGE_CHAT);
    /* the same message again from the archive: once */
    history_add_archived("alice", "bob@example.com", false, "bob@example.com",
                         "live", 100, "s1", NULL, "A5", MESSAGE_CHAT);
    /* no stanza id: the archive id alone deduplicates */
    history_add_archived("alice", "bob@example.com", false, "bob@example.com",
                         "no id", 90, NULL, NULL, "A3", MESSAGE_CHAT);
    history_add_archived("alice", "bob@example.com", false, "bob@example.com",
                         "no id", 90, NULL, NULL, "A3", MESSAGE_CHAT);
    /* the old row gets its archive id when the archive returns it */
    history_add_archived("alice", "bob@example.com", false, "bob@example.com",
                         "from version 3", 50, "s0", NULL, "A1", MESSAGE_CHAT);
    flush_ok();
    db = raw_open("alice");
    assert_int_equal(query_int(db, "PRAGMA user_version"),
                     HISTORY_SCHEMA_VERSION);
    assert_int_equal(query_int(db, "SELECT count(*) FROM messages"), 3);
    assert_int_equal(query_int(db, "SELECT count(*) FROM messages WHERE "
                                   "archive_id IS NOT NULL"),
                     3);
    sqlite3_close(db);
    id = history_oldest_archive_id(alice, "bob@example.com", &oldest);
    assert_string_equal(id, "A1");
    assert_int_equal(oldest, 50);
    g_free(id);
    g_free(dir);
    g_free(path);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_schema_created),
        T(test_migration),
        T(test_newer_schema_refused),
        T(test_unwritable_dir),
        T(test_write_retried),
        T(test_batched_commit),
        T(test_commits_spaced_in_a_burst),
        T(test_dedupe),
        T(test_search),
        T(test_search_stored_out_of_order),
        T(test_migration_fts_trigger_dropped),
        T(test_search_malformed),
        T(test_export),
        T(test_before_paging),
        T(test_window_shows_history),
        T(test_events_stored),
        T(test_migration_v3),
        T(test_correction_updates),
        T(test_correction_event_window),
        T(test_around_and_after),
        T(test_archive_ids),
        T(test_protection_stored),
        T(test_migration_v6),
    };

    setlocale(LC_ALL, "C.UTF-8");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
