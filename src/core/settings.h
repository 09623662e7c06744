/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_SETTINGS_H
#define NATTER_CORE_SETTINGS_H

#include <stdbool.h>

enum setting_type {
    SETTING_BOOL,
    SETTING_INT,
    SETTING_STRING,
};

/* One user setting; the table in settings.c is the list of them all. */
struct setting {
    const char *name;
    enum setting_type type;
    const char *description;
    const char *def; /* default, as typed by a user */
    int min, max;    /* for SETTING_INT */
};

/* Every setting, ending with a zeroed entry. */
const struct setting *settings_table(void);
/* Look a setting up by name; NULL if unknown. */
const struct setting *settings_find(const char *name);
/* Current value of a boolean setting. */
bool settings_bool(const char *name);
/* Current value of an integer setting. */
int settings_int(const char *name);
/* Current value of a setting as text; owned by this module. */
const char *settings_get(const char *name);
/*
 * Set a setting from user text and emit EV_SETTING. On a bad name or value
 * returns false and sets *cause (free with g_free()).
 */
bool settings_set(const char *name, const char *value, char **cause);
/* Free stored values. */
void settings_deinit(void);

#endif
