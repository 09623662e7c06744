/* SPDX-License-Identifier: MIT */
#include "core/paths.h"

#include <glib.h>
#include <stdlib.h>

/* $VAR if set and absolute, else $HOME/fallback; caller frees. */
static char *
xdg_dir(const char *var, const char *fallback)
{
    const char *v = getenv(var);

    /* The XDG spec says relative values are invalid and must be ignored. */
    if (v != NULL && v[0] == '/')
        return g_build_filename(v, "natter", NULL);
    return g_build_filename(g_get_home_dir(), fallback, "natter", NULL);
}

/* natter's configuration directory. Note: result must be freed. */
char *
paths_config_dir(void)
{
    return xdg_dir("XDG_CONFIG_HOME", ".config");
}

/* natter's data directory. Note: result must be freed. */
char *
paths_data_dir(void)
{
    return xdg_dir("XDG_DATA_HOME", ".local/share");
}
