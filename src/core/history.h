/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_HISTORY_H
#define NATTER_CORE_HISTORY_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/event.h"

struct account;
struct sqlite3;
struct window;

/*
 * The message history store: one sqlite database per account at
 * $XDG_DATA_HOME/natter/<account name>/history.db, in WAL mode, with an
 * FTS5 index over message bodies. Messages are queued in memory as they
 * pass on the event bus and committed once per main-loop turn.
 */

/* The schema version history_migrate() brings a database to. */
#define HISTORY_SCHEMA_VERSION 6

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
    bool edited;      /* corrected since it was sent (XEP-0308) */
    char *archive_id; /* the server archive's id (XEP-0313), may be NULL */
    enum protection protection; /* how it was protected on the wire */
    char *scheme; /* the transform that protected it, NULL if plain */
};

/* Subscribe to the event bus and start storing messages. */
void history_init(void);
/* Commit what is queued, close every database, stop listening. */
void history_deinit(void);

/*
 * Queue one message of account for the next commit (it is written when
 * the main loop is idle, at most every 100 ms in a burst, or by
 * history_flush()); time 0 means now.
 */
void history_add(const char *account, const char *peer, bool outgoing,
                 const char *sender, const char *body, int64_t time,
                 const char *stanza_id, enum message_kind kind);
/*
 * Queue a correction (XEP-0308) by sender of the message with stanza id
 * replace_id: when it is committed, that stored row gets body as its text
 * and is marked edited; when no such row exists, the correction is stored
 * as a new message of its own (stanza_id, marked edited).
 */
void history_add_correction(const char *account, const char *peer,
                            bool outgoing, const char *sender,
                            const char *body, int64_t time,
                            const char *stanza_id, const char *replace_id,
                            enum message_kind kind);
/*
 * Queue a message (or, with replace_id, a correction) that carries the
 * server archive's id archive_id (XEP-0313; may be NULL). The archive id
 * deduplicates too, and a message already stored without one gets it.
 */
void history_add_archived(const char *account, const char *peer, bool outgoing,
                          const char *sender, const char *body, int64_t time,
                          const char *stanza_id, const char *replace_id,
                          const char *archive_id, enum message_kind kind);
/*
 * The oldest archive id stored for the conversation with peer on acct
 * (NULL if none), and in *oldest the time of its oldest stored message
 * (0 if none). Note: result must be freed with g_free().
 */
char *history_oldest_archive_id(const struct account *acct, const char *peer,
                                int64_t *oldest);
/*
 * Commit every queued message, one transaction per account. On failure
 * returns false with *cause set (freed by caller); the rows that could not
 * be written stay queued for the next attempt.
 */
bool history_flush(char **cause);
/*
 * While a write fails (a full disk, a read-only directory), the queued
 * messages are tried again every 5 s; this changes that interval (ms; 0:
 * the default), for tests.
 */
void history_set_retry_interval(unsigned int ms);
/* Commits are at least 100 ms apart (rows wait for one transaction);
 * this changes that gap (ms; 0: every idle loop turn), for tests. */
void history_set_flush_gap(unsigned int ms);
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
 * The stored messages with peer on acct around row rowid, oldest first:
 * up to before messages older than it, the row itself, and up to after
 * newer ones; *hit gets the row's index in the array. Returns NULL with
 * *cause set on error or when no such row is stored with peer. Note: free
 * with g_ptr_array_unref().
 */
GPtrArray *history_around(const struct account *acct, const char *peer,
                          int64_t rowid, unsigned int before,
                          unsigned int after, guint *hit, char **cause);
/*
 * Up to limit messages with peer on acct stored after the row (time,
 * rowid), oldest first, for paging forward. Returns NULL with *cause set
 * on error. Note: free with g_ptr_array_unref().
 */
GPtrArray *history_after(const struct account *acct, const char *peer,
                         int64_t time, int64_t rowid, unsigned int limit,
                         char **cause);
/*
 * Show the stored messages around row rowid in chat window w as a jump
 * view (window_detach) under an info line header (may be NULL), the row
 * itself marked as the hit; context messages before and after it. Returns
 * false with *cause set on error.
 */
bool history_show_around(struct window *w, int64_t rowid, unsigned int context,
                         const char *header, char **cause);
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
