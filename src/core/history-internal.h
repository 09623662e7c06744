/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_HISTORY_INTERNAL_H
#define NATTER_CORE_HISTORY_INTERNAL_H

#include <glib.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "core/event.h"
#include "core/history.h"

/*
 * What the history files share (history.c: the store; history-query.c;
 * history-search.c; backlog.c); nothing outside them uses it.
 */

/* One open database. */
/* The write statements of a store, prepared once per open database (a
 * room flood spent a third of natter's CPU preparing them per commit). */
enum store_stmt {
    STMT_BEGIN,
    STMT_COMMIT,
    STMT_ROLLBACK,
    STMT_INSERT, /* a message row */
    STMT_FIX,    /* a correction rewriting the row it corrects */
    STMT_NOTE,   /* an archive id for a row stored without one */
    STMT_FTS,    /* the row's full-text entry */
    STMT_COUNT
};

struct store {
    char *account; /* account name */
    sqlite3 *db;
    sqlite3_stmt *stmt[STMT_COUNT]; /* NULL until the first write */
};

/*
 * The message that is opening its chat window right now: queued by
 * on_message before the router creates the window, so the history shown
 * in the new window must not repeat it.
 */
struct opening {
    char *account;
    char *peer;
    char *stanza_id;
    guint64 seq;   /* queue sequence number of its row */
    int64_t rowid; /* once committed; 0 if not (yet), -1 if a duplicate */
};

/* The columns history_row_read() reads, in its order. */
#define ROW_COLUMNS                                                           \
    "id, peer, outgoing, sender, body, time, stanza_id, kind, edited,"        \
    " archive_id, protection, scheme"

/* The open database of account, opened (and created when create is set)
 * if needed; NULL with *cause set on error, or with *cause NULL when it
 * does not exist and create is not set. Owned by history.c. */
struct store *history_store_get(const char *account, bool create,
                                char **cause);
/* Flush, then the store of account for reading (see history_store_get). */
struct store *history_store_for_reading(const char *account, char **cause);
/* Commit every queued message; with report, each failing account's error
 * is also shown once. False with *cause (may be NULL) on error. */
bool history_flush_all(bool report, char **cause);
/* Report an error of account's history once, until it works again. */
void history_report_failure(const char *account, const char *cause);
/* A row from a statement selecting ROW_COLUMNS. Note: result must be
 * freed with history_row_free(). */
struct history_row *history_row_read(sqlite3_stmt *st, const char *account);
/* Free a row and its strings (a GDestroyNotify). */
void history_row_free(void *p);
/* A column as a new string, NULL for SQL NULL. Note: result must be
 * freed. */
char *history_column_dup(sqlite3_stmt *st, int i);
/* Run st (selecting ROW_COLUMNS) to its end, adding rows to out; false
 * with *cause set on error. Finalizes st. */
bool history_collect_rows(sqlite3 *db, sqlite3_stmt *st, const char *account,
                          GPtrArray *out, char **cause);
/* Reverse the order of an array in place. */
void history_reverse(GPtrArray *a);
/* Prefix *cause with the account's name, for a one-line error. */
void history_name_cause(const char *account, char **cause);
/* The message opening its window right now (owned by history.c). */
const struct opening *history_opening(void);
/* Forget the message that opened a window. */
void history_opening_clear(void);
/* A new conversation window: show its last history.lines stored
 * messages (an EV_WINDOW_LIST subscriber, in backlog.c). */
void backlog_on_window_list(enum event_type type, const void *payload,
                            void *data);

#endif
