/* SPDX-License-Identifier: MIT */
#include "core/settings.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"

static const struct setting table[] = {
    {"roster", SETTING_BOOL, "Show the roster pane beside the main window.",
     "on", 0, 0},
    {"roster.groups", SETTING_BOOL,
     "Group the roster pane by roster group (off: one list by presence).",
     "on", 0, 0},
    {"roster.offline", SETTING_BOOL,
     "Show offline contacts in the roster pane.", "on", 0, 0},
    {"roster.width", SETTING_INT, "Width of the roster pane in columns.", "28",
     10, 80},
    {"scrollback", SETTING_INT, "Lines kept in memory per window.", "5000",
     100, 1000000},
    {"history.lines", SETTING_INT,
     "Stored messages shown when a chat window opens (0: none).", "50", 0,
     10000},
    {"autoaway.time", SETTING_INT,
     "Seconds without a key before natter sets you away (0: never).", "900", 0,
     86400},
    {"autoaway.message", SETTING_STRING,
     "Status message while away automatically.", "Away (idle)", 0, 0},
    {"connect.timeout", SETTING_INT,
     "Seconds a login may take before natter gives it up (0: no limit).", "30",
     0, 3600},
    {"ping.interval", SETTING_INT,
     "Seconds between pings that check the connection (0: never). A "
     "connection is dropped and retried when a ping stays unanswered for "
     "one interval.",
     "60", 0, 3600},
    {"styling", SETTING_BOOL,
     "Show XEP-0393 message styling (*strong*, _emphasis_, `code`, "
     "~strike~, ``` blocks, > quotes) with terminal attributes.",
     "on", 0, 0},
    {"muc.highlight", SETTING_STRING,
     "Comma-separated words that highlight a group chat message, besides "
     "your nick.",
     "", 0, 0},
    {"muc.joins", SETTING_BOOL,
     "Show joins, leaves and nick changes in room windows.", "on", 0, 0},
    {"muc.joins.max", SETTING_INT,
     "Hide joins and leaves in rooms with more occupants than this (0: "
     "never hide them).",
     "100", 0, 1000000},
    {"muc.nick_suffix", SETTING_STRING,
     "What Tab adds after a nick completed at the start of a line.", ": ", 0,
     0},
    {"muc.ping", SETTING_INT,
     "Seconds between self-pings (XEP-0410) that check each room still "
     "has us (0: never).",
     "600", 0, 86400},
    {"occupants", SETTING_BOOL,
     "Show the occupants pane beside a room window.", "on", 0, 0},
    {"occupants.width", SETTING_INT, "Width of the occupants pane in columns.",
     "20", 10, 80},
    {"bell", SETTING_BOOL,
     "Ring the terminal bell when a message mentions you or a private "
     "message arrives in a window you are not looking at.",
     "on", 0, 0},
    {"time.format", SETTING_STRING,
     "strftime format of the time shown before each line.", "%H:%M", 0, 0},
    {"otr.log", SETTING_STRING,
     "How OTR-encrypted messages are kept in the history: on (the text), "
     "off (not at all) or redact (a line saying one was exchanged).",
     "redact", 0, 0},
    {NULL, 0, NULL, NULL, 0, 0},
};

static GHashTable *values; /* name -> value text */

/* Every setting, ending with a zeroed entry. */
const struct setting *
settings_table(void)
{
    return table;
}

/* Look a setting up by name; NULL if unknown. */
const struct setting *
settings_find(const char *name)
{
    for (const struct setting *s = table; s->name != NULL; s++)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

/* Current value of a setting as text; owned by this module. */
const char *
settings_get(const char *name)
{
    const struct setting *s = settings_find(name);
    const char *v = values != NULL ? g_hash_table_lookup(values, name) : NULL;

    if (v != NULL)
        return v;
    return s != NULL ? s->def : "";
}

/* Parse a boolean as a user types it; -1 if it is none. */
static int
parse_bool(const char *v)
{
    if (g_ascii_strcasecmp(v, "on") == 0 ||
        g_ascii_strcasecmp(v, "yes") == 0 ||
        g_ascii_strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0)
        return 1;
    if (g_ascii_strcasecmp(v, "off") == 0 ||
        g_ascii_strcasecmp(v, "no") == 0 ||
        g_ascii_strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0)
        return 0;
    return -1;
}

/* Current value of a boolean setting. */
bool
settings_bool(const char *name)
{
    return parse_bool(settings_get(name)) == 1;
}

/* Current value of an integer setting. */
int
settings_int(const char *name)
{
    return atoi(settings_get(name));
}

/* Set a setting from user text and emit EV_SETTING. */
bool
settings_set(const char *name, const char *value, char **cause)
{
    const struct setting *s = settings_find(name);
    struct ev_setting ev = {name};
    char *norm;

    if (s == NULL) {
        *cause = g_strdup_printf("Unknown setting: %s", name);
        return false;
    }
    switch (s->type) {
    case SETTING_BOOL: {
        int b = parse_bool(value);
        if (b < 0) {
            *cause = g_strdup_printf("%s takes on or off", name);
            return false;
        }
        norm = g_strdup(b ? "on" : "off");
        break;
    }
    case SETTING_INT: {
        char *end;
        long n = strtol(value, &end, 10);
        if (*value == '\0' || *end != '\0' || n < s->min || n > s->max) {
            *cause = g_strdup_printf("%s takes a number from %d to %d", name,
                                     s->min, s->max);
            return false;
        }
        norm = g_strdup_printf("%ld", n);
        break;
    }
    default:
        norm = g_strdup(value);
        break;
    }
    if (values == NULL)
        values = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    g_hash_table_insert(values, (char *)s->name, norm);
    event_emit(EV_SETTING, &ev);
    return true;
}

/* Free stored values. */
void
settings_deinit(void)
{
    if (values != NULL)
        g_hash_table_destroy(values);
    values = NULL;
}
