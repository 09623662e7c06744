/* SPDX-License-Identifier: MIT */
#include "cmd/cmd.h"

#include <string.h>

#include "core/account.h"
#include "core/window.h"

/* One command a line, in /help order (clang-format would pack them). */
// clang-format off
static const struct cmd *const table[] = {
    &cmd_entry_connect,
    &cmd_entry_disconnect,
    &cmd_entry_reconnect,
    &cmd_entry_account,
    &cmd_entry_register,
    &cmd_entry_changepassword,
    &cmd_entry_tls,
    &cmd_entry_roster,
    &cmd_entry_sub,
    &cmd_entry_info,
    &cmd_entry_msg,
    &cmd_entry_me,
    &cmd_entry_correct,
    &cmd_entry_otr,
    &cmd_entry_status,
    &cmd_entry_priority,
    &cmd_entry_block,
    &cmd_entry_unblock,
    &cmd_entry_blocked,
    &cmd_entry_join,
    &cmd_entry_leave,
    &cmd_entry_nick,
    &cmd_entry_topic,
    &cmd_entry_rooms,
    &cmd_entry_occupants,
    &cmd_entry_invite,
    &cmd_entry_kick,
    &cmd_entry_ban,
    &cmd_entry_role,
    &cmd_entry_affiliation,
    &cmd_entry_voice,
    &cmd_entry_devoice,
    &cmd_entry_room,
    &cmd_entry_form,
    &cmd_entry_bookmark,
    &cmd_entry_win,
    &cmd_entry_close,
    &cmd_entry_clear,
    &cmd_entry_search,
    &cmd_entry_history,
    &cmd_entry_set,
    &cmd_entry_help,
    &cmd_entry_quit,
    NULL,
};
// clang-format on

/* Every command, NULL-terminated, in the order /help lists them. */
const struct cmd *const *
cmd_table(void)
{
    return table;
}

/* A command by name or alias (without '/'); NULL if unknown. */
const struct cmd *
cmd_find(const char *name)
{
    for (const struct cmd *const *c = table; *c != NULL; c++) {
        if (strcmp((*c)->name, name) == 0)
            return *c;
        for (const char *const *a = (*c)->aliases; a != NULL && *a != NULL;
             a++)
            if (strcmp(*a, name) == 0)
                return *c;
    }
    return NULL;
}

/* Split command arguments into words. Note: free with g_strfreev(). */
char **
cmd_split(const char *s, int max, bool rest, char **cause)
{
    GPtrArray *words = g_ptr_array_new();
    const char *p = s;

    for (;;) {
        GString *w;

        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        if (rest && max > 0 && (int)words->len == max - 1) {
            g_ptr_array_add(words, g_strdup(p));
            break;
        }
        w = g_string_new(NULL);
        if (*p == '"') {
            p++;
            while (*p != '\0' && *p != '"') {
                if (*p == '\\' && p[1] != '\0')
                    p++;
                g_string_append_c(w, *p++);
            }
            if (*p != '"') {
                g_string_free(w, TRUE);
                g_ptr_array_add(words, NULL);
                g_strfreev((char **)g_ptr_array_free(words, FALSE));
                *cause = g_strdup("Unbalanced quote");
                return NULL;
            }
            p++;
        } else {
            while (*p != '\0' && *p != ' ' && *p != '\t')
                g_string_append_c(w, *p++);
        }
        g_ptr_array_add(words, g_string_free(w, FALSE));
    }
    g_ptr_array_add(words, NULL);
    return (char **)g_ptr_array_free(words, FALSE);
}

/* "Usage: /name synopsis". Note: result must be freed. */
char *
cmd_usage(const struct cmd *c)
{
    if (c->synopsis[0] == '\0')
        return g_strdup_printf("Usage: /%s", c->name);
    return g_strdup_printf("Usage: /%s %s", c->name, c->synopsis);
}

/* Parse a whole "/name args" line into a command and its words. */
const struct cmd *
cmd_parse(const char *line, char ***argv, char **cause)
{
    const char *p = line, *end;
    char *name;
    const struct cmd *c;
    int argc;

    *argv = NULL;
    if (*p == '/')
        p++;
    end = p;
    while (*end != '\0' && *end != ' ' && *end != '\t')
        end++;
    if (end == p) {
        *cause = g_strdup("Empty command (try /help)");
        return NULL;
    }
    name = g_ascii_strdown(p, end - p);
    c = cmd_find(name);
    if (c == NULL) {
        *cause = g_strdup_printf("Unknown command: /%s (try /help)", name);
        g_free(name);
        return NULL;
    }
    g_free(name);
    *argv = cmd_split(end, c->max_args, c->rest, cause);
    if (*argv == NULL) {
        char *usage = cmd_usage(c);
        char *why = *cause;
        *cause = g_strdup_printf("%s. %s", why, usage);
        g_free(why);
        g_free(usage);
        return NULL;
    }
    argc = (int)g_strv_length(*argv);
    if (argc < c->min_args || (c->max_args >= 0 && argc > c->max_args)) {
        *cause = cmd_usage(c);
        g_strfreev(*argv);
        *argv = NULL;
        return NULL;
    }
    return c;
}

/* The account a command typed in win acts on; NULL if there is none. */
struct account *
cmd_account_for(struct window *win)
{
    if (win != NULL && win->acct != NULL)
        return win->acct;
    return account_default();
}

/* Split a leading "-a NAME" off a command line's arguments. */
char *
cmd_strip_account(const char *line, char **name)
{
    const char *cmd_end = line + strcspn(line, " \t"), *p = cmd_end, *n, *end;

    *name = NULL;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "-a", 2) != 0 || (p[2] != ' ' && p[2] != '\t'))
        return NULL;
    n = p + 3;
    while (*n == ' ' || *n == '\t')
        n++;
    end = n + strcspn(n, " \t");
    if (end == n)
        return NULL;
    *name = g_strndup(n, end - n);
    return g_strdup_printf("%.*s%s", (int)(cmd_end - line), line, end);
}

/* Run a parsed command in the context of window win. */
bool
cmd_run(const struct cmd *c, char **argv, struct window *win, char **cause)
{
    return cmd_run_as(c, argv, win, cmd_account_for(win), cause);
}

/* Run a parsed command in window win on behalf of account acct. */
bool
cmd_run_as(const struct cmd *c, char **argv, struct window *win,
           struct account *acct, char **cause)
{
    struct cmd_args a;

    a.cmd = c;
    a.argv = argv;
    a.argc = (int)g_strv_length(argv);
    a.win = win;
    a.acct = acct;
    /* An account waiting to reconnect takes messages: they are queued. */
    if ((c->flags & CMD_NEEDS_ONLINE) &&
        (a.acct == NULL ||
         (a.acct->state != ACCOUNT_ONLINE && !a.acct->want_online))) {
        *cause = a.acct == NULL
                     ? g_strdup_printf("/%s needs a connection: use /connect "
                                       "first",
                                       c->name)
                     : g_strdup_printf("/%s needs a connection: %s is %s",
                                       c->name, a.acct->jid,
                                       account_state_name(a.acct->state));
        return false;
    }
    return c->exec(&a, cause);
}

/* Add name to out if it starts with prefix and is not there yet. */
static void
add_candidate(GPtrArray *out, const char *name, const char *prefix)
{
    if (!g_str_has_prefix(name, prefix))
        return;
    for (guint i = 0; i < out->len; i++)
        if (strcmp(out->pdata[i], name) == 0)
            return;
    g_ptr_array_add(out, g_strdup(name));
}

/* Add each of the NULL-terminated words that starts with prefix to out. */
void
complete_words(const char *const *words, const char *prefix, GPtrArray *out)
{
    for (; *words != NULL; words++)
        add_candidate(out, *words, prefix);
}

/* Add command names to out (with a slash if prefix has one). */
void
complete_command(const char *prefix, GPtrArray *out)
{
    const char *p = prefix[0] == '/' ? prefix + 1 : prefix;

    for (const struct cmd *const *c = table; *c != NULL; c++) {
        char *full;
        if (!g_str_has_prefix((*c)->name, p))
            continue;
        full =
            g_strdup_printf("%s%s", prefix[0] == '/' ? "/" : "", (*c)->name);
        add_candidate(out, full, prefix);
        g_free(full);
    }
}

/* Add the JIDs of contacts, accounts and chat windows to out. */
void
complete_jid(const char *prefix, GPtrArray *out)
{
    GPtrArray *accts = account_list();

    for (guint i = 0; i < accts->len; i++) {
        struct account *acct = accts->pdata[i];
        GHashTableIter it;
        void *k;

        g_hash_table_iter_init(&it, acct->contacts);
        while (g_hash_table_iter_next(&it, &k, NULL))
            add_candidate(out, k, prefix);
        add_candidate(out, acct->jid, prefix);
    }
    for (unsigned int n = 1; n <= window_count(); n++) {
        struct window *w = window_nth(n);
        if (w->jid != NULL)
            add_candidate(out, w->jid, prefix);
    }
}

/* Sort candidates alphabetically. */
static gint
str_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Completions for the word starting at byte start of line. Note: free. */
GPtrArray *
cmd_complete(const char *line, size_t start)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    const char *word = line + start;
    char **before;
    const struct cmd *c;
    char *head, *cause = NULL;
    int argi;

    if (line[0] != '/' && window_current()->type == WINDOW_ROOM) {
        complete_nick(word, start == 0, out); /* "nick: " to address */
        g_ptr_array_sort(out, str_cmp);
        return out;
    }
    if (line[0] != '/') {
        complete_jid(word, out); /* plain text: complete addresses */
        g_ptr_array_sort(out, str_cmp);
        return out;
    }
    if (strchr(line, ' ') == NULL || start == 0) {
        complete_command(word, out);
        g_ptr_array_sort(out, str_cmp);
        return out;
    }
    head = g_strndup(line + 1, start > 0 ? start - 1 : 0);
    before = cmd_split(head, -1, false, &cause);
    g_free(head);
    g_free(cause);
    if (before == NULL || before[0] == NULL) {
        g_strfreev(before);
        return out;
    }
    c = cmd_find(before[0]);
    argi = (int)g_strv_length(before) - 1;
    if (c != NULL && c->complete != NULL)
        c->complete(argi, before + 1, word, out);
    g_strfreev(before);
    g_ptr_array_sort(out, str_cmp);
    return out;
}
