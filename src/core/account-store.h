/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_ACCOUNT_STORE_H
#define NATTER_CORE_ACCOUNT_STORE_H

#include <stdbool.h>

struct account;

/*
 * Configured accounts live in $XDG_CONFIG_HOME/natter/accounts, a GKeyFile
 * with one [account NAME] group each, readable by the user only.
 */

/* Path of the accounts file. Note: result must be freed with g_free(). */
char *account_store_path(void);
/*
 * Create an account for every group of the accounts file. A missing file
 * is no error. On a malformed file returns false and sets *cause.
 */
bool account_store_load(char **cause);
/* Write every configured account back (mode 0600, atomically). */
bool account_store_save(char **cause);
/* Name of the default account from the file, NULL if none; owned here. */
const char *account_store_default(void);
/* Remember name as the default account (saved by account_store_save). */
void account_store_set_default(const char *name);
/* Keys /account set takes, NULL-terminated. */
const char *const *account_store_keys(void);
/*
 * Set key of acct from user text (an empty value clears it). On a bad key
 * or value returns false and sets *cause.
 */
bool account_store_set(struct account *acct, const char *key,
                       const char *value, char **cause);
/* Value of key for display ("" if unset; the password is masked); caller
 * frees. */
char *account_store_get(const struct account *acct, const char *key);
/* Free module state. */
void account_store_deinit(void);

#endif
