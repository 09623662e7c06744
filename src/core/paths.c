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

/* An account name as one directory name: '/' and '%' (and a leading '.')
 * escaped as %XX, so no name can climb out of the data directory. */
static char *
dir_escape(const char *name)
{
    GString *s = g_string_new(NULL);

    for (const char *p = name; *p != '\0'; p++) {
        if (*p == '/' || *p == '%' || (p == name && *p == '.'))
            g_string_append_printf(s, "%%%02X", (unsigned char)*p);
        else
            g_string_append_c(s, *p);
    }
    return g_string_free(s, FALSE);
}

/* Data directory of one account. Note: result must be freed. */
char *
paths_account_dir(const char *account)
{
    char *data = paths_data_dir();
    char *esc = dir_escape(account);
    char *d = g_build_filename(data, esc, NULL);

    g_free(data);
    g_free(esc);
    return d;
}
