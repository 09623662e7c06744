/* SPDX-License-Identifier: MIT */
/* /help, generated from the command table. */
#include <string.h>

#include "cmd/cmd.h"
#include "core/window.h"

/* Print the full help of one command into w. */
static void
help_one(struct window *w, const struct cmd *c)
{
    char *usage = cmd_usage(c);

    window_printf(w, LINE_INFO, "%s", usage);
    g_free(usage);
    window_printf(w, LINE_INFO, "  %s", c->description);
    if (c->aliases != NULL && c->aliases[0] != NULL) {
        char *list = g_strjoinv(", /", (char **)c->aliases);
        window_printf(w, LINE_INFO, "  Aliases: /%s", list);
        g_free(list);
    }
    if (c->args != NULL) {
        window_printf(w, LINE_INFO, "  Arguments:");
        for (const char *const *a = c->args; *a != NULL; a++)
            window_printf(w, LINE_INFO, "    %s", *a);
    }
    if (c->examples != NULL) {
        window_printf(w, LINE_INFO, "  Examples:");
        for (const char *const *e = c->examples; *e != NULL; e++)
            window_printf(w, LINE_INFO, "    %s", *e);
    }
}

/* /help [COMMAND] */
static bool
exec_help(struct cmd_args *a, char **cause)
{
    const struct cmd *const *t = cmd_table();

    if (a->argc > 0) {
        const char *name = a->argv[0][0] == '/' ? a->argv[0] + 1 : a->argv[0];
        const struct cmd *c = cmd_find(name);
        if (c == NULL) {
            *cause = g_strdup_printf("No help for %s: unknown command (try "
                                     "/help)",
                                     a->argv[0]);
            return false;
        }
        help_one(a->win, c);
        return true;
    }
    window_printf(a->win, LINE_INFO, "Commands (/help COMMAND for more):");
    for (; *t != NULL; t++) {
        const struct cmd *c = *t;
        window_printf(a->win, LINE_INFO, "  /%s %s", c->name, c->synopsis);
    }
    window_printf(a->win, LINE_INFO,
                  "Keys: Alt-1..9 windows, Alt-Left/Right previous/next, "
                  "PageUp/PageDown scroll, Tab completes");
    return true;
}

/* Complete command names without the slash. */
static void
complete_help(int argi, char **args, const char *prefix, GPtrArray *out)
{
    if (argi == 0)
        complete_command(prefix, out);
}

static const char *const help_args[] = {
    "COMMAND: the command to explain, with or without the slash", NULL};
static const char *const help_examples[] = {"/help", "/help connect", NULL};

const struct cmd cmd_entry_help = {
    .name = "help",
    .synopsis = "[COMMAND]",
    .description = "List the commands, or explain one with its arguments "
                   "and examples.",
    .args = help_args,
    .examples = help_examples,
    .min_args = 0,
    .max_args = 1,
    .complete = complete_help,
    .exec = exec_help,
};
