/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_PATHS_H
#define NATTER_CORE_PATHS_H

/*
 * natter's configuration directory, $XDG_CONFIG_HOME/natter (or
 * ~/.config/natter). Note: result must be freed with g_free().
 */
char *paths_config_dir(void);

/*
 * natter's data directory, $XDG_DATA_HOME/natter (or
 * ~/.local/share/natter). Note: result must be freed with g_free().
 */
char *paths_data_dir(void);

/*
 * The data directory of account (its history database and roster cache):
 * paths_data_dir()/<name>, the name escaped so that it stays one
 * directory. Note: result must be freed with g_free().
 */
char *paths_account_dir(const char *account);

#endif
