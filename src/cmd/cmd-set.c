/* SPDX-License-Identifier: MIT */
/* /set, over the settings table. */
#include "cmd/cmd.h"
#include "core/settings.h"
#include "core/window.h"

/* /set [NAME [VALUE]] */
static bool
exec_set(struct cmd_args *a, char **cause)
{
    const struct setting *s;

    if (a->argc == 0) {
        for (s = settings_table(); s->name != NULL; s++)
            window_printf(a->win, LINE_INFO, "%s = %s  (%s)", s->name,
                          settings_get(s->name), s->description);
        return true;
    }
    s = settings_find(a->argv[0]);
    if (s == NULL) {
        *cause = g_strdup_printf("Unknown setting: %s (try /set)", a->argv[0]);
        return false;
    }
    if (a->argc == 1) {
        window_printf(a->win, LINE_INFO, "%s = %s  (%s)", s->name,
                      settings_get(s->name), s->description);
        return true;
    }
    if (!settings_set(s->name, a->argv[1], cause))
        return false;
    window_printf(a->win, LINE_INFO, "%s = %s", s->name,
                  settings_get(s->name));
    return true;
}

/* Complete setting names, then on/off for booleans. */
static void
complete_set(int argi, char **args, const char *prefix, GPtrArray *out)
{
    static const char *const bools[] = {"on", "off", NULL};
    const struct setting *s;

    if (argi == 0) {
        for (s = settings_table(); s->name != NULL; s++)
            if (g_str_has_prefix(s->name, prefix))
                g_ptr_array_add(out, g_strdup(s->name));
    } else if (argi == 1 && (s = settings_find(args[0])) != NULL &&
               s->type == SETTING_BOOL) {
        complete_words(bools, prefix, out);
    }
}

static const char *const set_args[] = {
    "NAME: a setting (roster, roster.width, scrollback, time.format)",
    "VALUE: its new value (the rest of the line)", NULL};
static const char *const set_examples[] = {"/set", "/set roster off",
                                           "/set roster.width 32", NULL};

const struct cmd cmd_entry_set = {
    .name = "set",
    .synopsis = "[NAME [VALUE]]",
    .description = "Show all settings, show one, or change one. Settings "
                   "last until natter exits; put /set lines in the autorun "
                   "file to keep them.",
    .args = set_args,
    .examples = set_examples,
    .min_args = 0,
    .max_args = 2,
    .rest = true,
    .complete = complete_set,
    .exec = exec_set,
};
