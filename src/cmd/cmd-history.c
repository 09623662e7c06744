/* SPDX-License-Identifier: MIT */
/* /search and /history: the stored message history. */
#include <string.h>

#include "cmd/cmd.h"
#include "core/account.h"
#include "core/history.h"
#include "core/timefmt.h"
#include "core/window.h"
#include "xmpp/jid.h"

/* Stored messages shown before and after a hit opened with /search open. */
#define HIT_CONTEXT 30

/* One hit of the last /search, for /search open N. */
struct hit {
    char *account;
    char *peer;
    int64_t rowid;
    int64_t time;
    char *sender;
    enum message_kind kind; /* group chat hits open the room's window */
};

static GPtrArray *last_hits; /* struct hit, numbered from 1 */

/* Free a remembered hit. */
static void
hit_free(void *p)
{
    struct hit *h = p;

    g_free(h->account);
    g_free(h->peer);
    g_free(h->sender);
    g_free(h);
}

/* Remember the hits of this search (replacing the last one's). */
static void
hits_remember(GPtrArray *hits)
{
    if (last_hits != NULL)
        g_ptr_array_unref(last_hits);
    last_hits = g_ptr_array_new_with_free_func(hit_free);
    for (guint i = 0; i < hits->len; i++) {
        const struct history_row *r = hits->pdata[i];
        struct hit *h = g_new0(struct hit, 1);
        h->account = g_strdup(r->account);
        h->peer = g_strdup(r->peer);
        h->rowid = r->rowid;
        h->time = r->time;
        h->sender = g_strdup(r->sender);
        h->kind = r->kind;
        g_ptr_array_add(last_hits, h);
    }
}

/* The hit number text ("open N") names, or 0 if text is no such form. */
static unsigned int
open_number(const char *text)
{
    const char *p;
    guint64 n;

    if (!g_str_has_prefix(text, "open "))
        return 0;
    p = text + 5;
    while (*p == ' ')
        p++;
    if (*p == '\0' || strspn(p, "0123456789") != strlen(p) || strlen(p) > 6)
        return 0;
    n = g_ascii_strtoull(p, NULL, 10);
    return n > 0 ? (unsigned int)n : 0;
}

/* /search open N: show hit N of the last search in its window. */
static bool
search_open(struct cmd_args *a, unsigned int n, char **cause)
{
    const struct hit *h;
    struct account *acct;
    struct window *w;
    char *stamp, *header;
    bool ok;

    if (last_hits == NULL || last_hits->len == 0) {
        *cause = g_strdup("No search hits to open: search first with "
                          "/search TEXT");
        return false;
    }
    if (n > last_hits->len) {
        *cause = g_strdup_printf("No hit %u: the last search found %u", n,
                                 last_hits->len);
        return false;
    }
    h = last_hits->pdata[n - 1];
    acct = account_find_name(h->account);
    if (acct == NULL) {
        *cause = g_strdup_printf("Account %s is not configured any more",
                                 h->account);
        return false;
    }
    /* A hit in a room opens the room's window, one in a private chat
     * through a room (peer room@service/nick) that chat's. */
    w = window_get(acct,
                   h->kind == MESSAGE_GROUPCHAT   ? WINDOW_ROOM
                   : strchr(h->peer, '/') != NULL ? WINDOW_PRIVATE
                                                  : WINDOW_CHAT,
                   h->peer);
    stamp = timefmt_local(h->time, "%Y-%m-%d %H:%M", "?");
    header = g_strdup_printf("Stored messages around search hit %u (<%s> at "
                             "%s); scroll down past the newest, or write, "
                             "to return to new messages",
                             n, h->sender, stamp);
    ok = history_show_around(w, h->rowid, HIT_CONTEXT, header, cause);
    g_free(header);
    g_free(stamp);
    if (ok)
        window_switch(w);
    return ok;
}

/*
 * Split "/search" arguments into the query and an optional trailing JID
 * (a last word with '@' that is a valid address). Note: *query and *peer
 * (may be NULL) must be freed with g_free().
 */
static void
search_split(const char *line, char **query, char **peer)
{
    char *text = g_strstrip(g_strdup(line));
    char *sp = strrchr(text, ' '), *why = NULL, *bare;

    *peer = NULL;
    *query = text;
    if (sp == NULL || strchr(sp + 1, '@') == NULL ||
        strchr(sp + 1, '"') != NULL)
        return;
    bare = jid_bare(sp + 1, &why);
    g_free(why);
    if (bare == NULL)
        return;
    *sp = '\0';
    g_strchomp(text);
    *peer = bare;
}

/* /search TEXT [JID] */
static bool
exec_search(struct cmd_args *a, char **cause)
{
    char *query, *peer;
    GPtrArray *hits;
    unsigned int n = open_number(a->argv[0]);

    if (n > 0)
        return search_open(a, n, cause);
    search_split(a->argv[0], &query, &peer);
    hits = history_search(query, peer, HISTORY_SEARCH_MAX, cause);
    if (hits == NULL) {
        g_free(query);
        g_free(peer);
        return false;
    }
    if (hits->len == 0)
        window_printf(a->win, LINE_INFO, "No stored message matches %s%s%s",
                      query, peer != NULL ? " with " : "",
                      peer != NULL ? peer : "");
    else
        window_printf(a->win, LINE_INFO,
                      "%u message%s match %s%s%s%s; /search open N shows "
                      "hit N in its window",
                      hits->len, hits->len == 1 ? "" : "s", query,
                      peer != NULL ? " with " : "", peer != NULL ? peer : "",
                      hits->len == HISTORY_SEARCH_MAX ? " (newest shown)"
                                                      : "");
    hits_remember(hits);
    for (guint i = 0; i < hits->len; i++) {
        struct history_row *r = hits->pdata[i];
        char *stamp = timefmt_local(r->time, "%Y-%m-%d %H:%M", "?");
        char *text = g_strdelimit(g_strdup(r->body), "\r\n", ' ');
        window_printf(a->win, LINE_INFO, "%u. [%s] %s  %s  <%s> %s", i + 1,
                      r->account, r->peer, stamp, r->sender, text);
        g_free(text);
        g_free(stamp);
    }
    g_ptr_array_unref(hits);
    g_free(query);
    g_free(peer);
    return true;
}

static const char *const search_args[] = {
    "TEXT: words to find, as a phrase; FTS5 syntax (\"quotes\", prefix*, "
    "AND, OR, NOT, NEAR) is used as it is",
    "JID: only messages with this contact (a last word with '@')",
    "open N: show hit number N of the last search in its chat window, "
    "with the stored messages around it (PageUp/PageDown page through "
    "them; scrolling down past the newest, or writing, returns to new "
    "messages); to search for the words \"open N\", quote them",
    NULL};
static const char *const search_examples[] = {
    "/search lunch tomorrow", "/search invoice bob@example.com",
    "/search deploy* OR release", "/search open 2", NULL};

/* Complete the "open" action of /search. */
static void
complete_search(int argi, char **args, const char *prefix, GPtrArray *out)
{
    static const char *const actions[] = {"open", NULL};

    if (argi == 0)
        complete_words(actions, prefix, out);
}

const struct cmd cmd_entry_search = {
    .name = "search",
    .synopsis = "TEXT [JID] | open N",
    .description = "Search the stored history of every account, newest "
                   "first, showing up to 50 matching messages, numbered; "
                   "/search open N jumps to one.",
    .complete = complete_search,
    .args = search_args,
    .examples = search_examples,
    .min_args = 1,
    .max_args = 1,
    .rest = true,
    .exec = exec_search,
};

/* A file name as typed, with a leading ~/ for the home directory. Note:
 * result must be freed with g_free(). */
static char *
expand_home(const char *path)
{
    if (g_str_has_prefix(path, "~/"))
        return g_build_filename(g_get_home_dir(), path + 2, NULL);
    return g_strdup(path);
}

/* /history export JID FILE */
static bool
exec_history(struct cmd_args *a, char **cause)
{
    char *why = NULL, *bare, *path;
    long n;

    if (strcmp(a->argv[0], "export") != 0 || a->argc != 3) {
        *cause = cmd_usage(a->cmd);
        return false;
    }
    if (a->acct == NULL) {
        *cause = g_strdup("No account: add one with /account add or name "
                          "it with -a NAME");
        return false;
    }
    bare = jid_bare(a->argv[1], &why);
    if (bare == NULL) {
        *cause = g_strdup_printf("Invalid JID %s: %s", a->argv[1], why);
        g_free(why);
        return false;
    }
    path = expand_home(a->argv[2]);
    n = history_export(a->acct, bare, path, cause);
    if (n >= 0)
        window_printf(a->win, LINE_INFO,
                      "Exported %ld line%s with %s (account %s) to %s", n,
                      n == 1 ? "" : "s", bare, a->acct->name, path);
    g_free(path);
    g_free(bare);
    return n >= 0;
}

/* Complete the action, then a JID. */
static void
complete_history(int argi, char **args, const char *prefix, GPtrArray *out)
{
    static const char *const actions[] = {"export", NULL};

    if (argi == 0)
        complete_words(actions, prefix, out);
    else if (argi == 1)
        complete_jid(prefix, out);
}

static const char *const history_args[] = {
    "export JID FILE: write the whole conversation with JID to FILE "
    "(created 0600) as \"YYYY-MM-DD HH:MM:SS <sender> text\" lines",
    NULL};
static const char *const history_examples[] = {
    "/history export bob@example.com ~/bob.txt",
    "/history export carol@example.com /tmp/carol.txt", NULL};

const struct cmd cmd_entry_history = {
    .name = "history",
    .synopsis = "export JID FILE",
    .description = "Work with the stored history of the current account "
                   "(or of -a NAME).",
    .args = history_args,
    .examples = history_examples,
    .min_args = 1,
    .max_args = 3,
    .complete = complete_history,
    .exec = exec_history,
};
