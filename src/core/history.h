/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_HISTORY_H
#define NATTER_CORE_HISTORY_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/event.h"

struct account;
struct sqlite3;

/*
 * The message history store: one sqlite database per account at
 * $XDG_DATA_HOME/natter/<account name>/history.db, in WAL mode, with an
 * FTS5 index over message bodies. Messages are queued in memory as they
 * pass on the event bus and committed once per main-loop turn.
 */

/* The schema version history_migrate() brings a database to. */
#define HISTORY_SCHEMA_VERSION 3

/* Most hits /search shows. */
#define HISTORY_SEARCH_MAX 50

/* One stored message. */
struct history_row {
    int64_t rowid;
    char *account; /* account name */
    char *peer;    /* bare JID of the other side */
    bool outgoing;
    char *sender;    /* bare JID shown as <sender> */
    char *body;      /* for search hits: a snippet around the match */
    int64_t time;    /* unix seconds */
    char *stanza_id; /* may be NULL */
    enum message_kind kind;
};

/* Subscribe to the event bus and start storing messages. */
void history_init(void);
/* Commit what is queued, close every database, stop listening. */
void history_deinit(void);

/*
 * Queue one message of account for the next commit (it is written when
 * the main loop is idle, or by history_flush()); time 0 means now.
 */
void history_add(const char *account, const char *peer, bool outgoing,
                 const char *sender, const char *body, int64_t time,
                 const char *stanza_id, enum message_kind kind);
/*
 * Commit every queued message, one transaction per account. On failure
 * returns false with *cause set (freed by caller); the rows that could not
 * be written stay queued for the next attempt.
 */
bool history_flush(char **cause);
/* Transactions committed since start-up (for tests and diagnostics). */
unsigned long history_commit_count(void);

/*
 * The last limit messages with peer on acct, oldest first. Returns NULL
 * with *cause set on error. Note: free with g_ptr_array_unref().
 */
GPtrArray *history_last(const struct account *acct, const char *peer,
                        unsigned int limit, char **cause);
/*
 * Up to limit messages with peer on acct older than before_time, oldest
 * first, for paging back. A page never splits a second: when the limit
 * falls inside one, every message of that second is included, so the next
 * page can start before the first row's time. Returns NULL with *cause set
 * on error. Note: free with g_ptr_array_unref().
 */
GPtrArray *history_before(const struct account *acct, const char *peer,
                          int64_t before_time, unsigned int limit,
                          char **cause);
/*
 * Full-text search of every account's history (or only messages with
 * peer, when not NULL), newest first, at most limit hits. Plain text is
 * searched as a phrase; text with FTS5 syntax (quotes, *, AND, OR, NOT,
 * NEAR, parentheses, column filters) is passed as it is. Returns NULL with
 * *cause set on a malformed query or error. Note: free with
 * g_ptr_array_unref().
 */
GPtrArray *history_search(const char *query, const char *peer,
                          unsigned int limit, char **cause);
/*
 * Write the whole conversation with peer on acct to path (created 0600)
 * as "YYYY-MM-DD HH:MM:SS <sender> text" lines, local time. Returns the
 * number of lines written, or -1 with *cause set.
 */
long history_export(const struct account *acct, const char *peer,
                    const char *path, char **cause);

/*
 * The FTS5 query for what a user typed: quoted as a phrase unless it
 * already uses FTS5 syntax. Note: result must be freed with g_free().
 */
char *history_fts_query(const char *text);
/*
 * Bring the open database db to schema version target (at most
 * HISTORY_SCHEMA_VERSION), one transaction per step. Returns false with
 * *cause set on error or when db is newer than this natter.
 */
bool history_migrate(struct sqlite3 *db, int target, char **cause);

#endif
