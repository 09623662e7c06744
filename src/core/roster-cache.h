/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_ROSTER_CACHE_H
#define NATTER_CORE_ROSTER_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/account.h"

/*
 * The roster cache of roster versioning (RFC 6121 2.6): the version and
 * the items of an account's roster, kept in a small text file,
 * $XDG_DATA_HOME/natter/<account>/roster. It is written whole to a
 * temporary file, synced and renamed over the old one, so a kill -9 at
 * any moment leaves either the old or the new cache, never a mix; a file
 * that does not parse, or whose checksum does not match, is ignored.
 */

/* Name of the cache file in an account's data directory. */
#define ROSTER_CACHE_FILE "roster"

/*
 * The cache text for acct's roster (version acct->roster_ver and every
 * contact in the roster). Note: result must be freed with g_free().
 */
char *roster_cache_format(struct account *acct, size_t *len);
/*
 * Parse cache text and, only if all of it is valid, make it acct's
 * roster: contacts in it are in the roster with its name, subscription,
 * ask and groups, all others are not, and acct->roster_ver is its
 * version. Returns false with *cause set (caller frees) and acct
 * untouched otherwise, also when the cache is of another JID than
 * acct's (the account's address was changed).
 */
bool roster_cache_parse(struct account *acct, const char *text, size_t len,
                        char **cause);
/*
 * Load acct's cache file into its roster (as roster_cache_parse). False
 * when there is none (*cause NULL) or it is unusable (*cause set, caller
 * frees).
 */
bool roster_cache_load(struct account *acct, char **cause);
/* Write acct's cache file now; false with *cause set (caller frees). */
bool roster_cache_write(struct account *acct, char **cause);
/* Delete acct's cache file (the server does not version the roster). */
void roster_cache_remove(struct account *acct);
/* Write acct's cache once the main loop is idle: many pushes, one write. */
void roster_cache_schedule(struct account *acct);
/* Write every scheduled cache now (at exit). */
void roster_cache_flush(void);

#endif
