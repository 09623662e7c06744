/* SPDX-License-Identifier: MIT */
/*
 * The roster cache (RFC 6121 2.6). Why a file of its own rather than a
 * table in history.db: the cache is always read and written whole (one
 * read at connect, one write after the roster or a burst of pushes), it
 * must never hold up or share a transaction with the history store's
 * batched writes, and a rename is the simplest thing that survives a
 * kill -9 without ever leaving half a roster. Losing it costs one full
 * roster fetch, nothing more.
 *
 * Format (UTF-8 text, one record a line, fields separated by tabs; a
 * backslash escapes tab, newline, carriage return and itself):
 *
 *     natter-roster 1
 *     jid<TAB>BARE JID OF THE ACCOUNT
 *     ver<TAB>VERSION
 *     item<TAB>JID<TAB>SUBSCRIPTION<TAB>ASK<TAB>NAME[<TAB>GROUP]...
 *     end<TAB>ITEMS<TAB>SHA256 of every byte before this line
 */
#include "core/roster-cache.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "core/paths.h"

#define MAGIC "natter-roster 1\n"

/* One item read from the cache, before it is applied: the fields of its
 * line (item, JID, subscription, ask, name, groups...), owned. */
struct cache_item {
    GPtrArray *fields;
};

static GHashTable *scheduled; /* account names waiting for a write */
static guint write_idle;

/* Free a cache item. */
static void
cache_item_free(void *p)
{
    struct cache_item *it = p;

    g_ptr_array_unref(it->fields);
    g_free(it);
}

/* Append a tab and then field, escaped; NULL is written as empty. */
static void
put_field(GString *out, const char *field)
{
    g_string_append_c(out, '\t');
    for (const char *p = field != NULL ? field : ""; *p != '\0'; p++) {
        switch (*p) {
        case '\\':
            g_string_append(out, "\\\\");
            break;
        case '\t':
            g_string_append(out, "\\t");
            break;
        case '\n':
            g_string_append(out, "\\n");
            break;
        case '\r':
            g_string_append(out, "\\r");
            break;
        default:
            g_string_append_c(out, *p);
        }
    }
}

/* Order roster contacts by JID, so the same roster gives the same file. */
static gint
compare_jid(gconstpointer a, gconstpointer b)
{
    return strcmp((*(struct contact *const *)a)->jid,
                  (*(struct contact *const *)b)->jid);
}

/* The cache text for acct's roster. Note: result must be freed. */
char *
roster_cache_format(struct account *acct, size_t *len)
{
    GString *out =
        g_string_sized_new(64 + 80 * g_hash_table_size(acct->contacts));
    GPtrArray *cs = g_ptr_array_new();
    GHashTableIter it;
    void *v;
    char *sum;

    g_hash_table_iter_init(&it, acct->contacts);
    while (g_hash_table_iter_next(&it, NULL, &v))
        if (((struct contact *)v)->in_roster)
            g_ptr_array_add(cs, v);
    g_ptr_array_sort(cs, compare_jid);
    g_string_append(out, MAGIC);
    g_string_append(out, "jid");
    put_field(out, acct->jid);
    g_string_append(out, "\nver");
    put_field(out, acct->roster_ver);
    g_string_append_c(out, '\n');
    for (guint i = 0; i < cs->len; i++) {
        struct contact *c = cs->pdata[i];
        g_string_append(out, "item");
        put_field(out, c->jid);
        put_field(out, c->subscription);
        put_field(out, c->ask);
        put_field(out, c->name);
        for (guint g = 0; g < c->groups->len; g++)
            put_field(out, c->groups->pdata[g]);
        g_string_append_c(out, '\n');
    }
    sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
                                      (const guchar *)out->str, out->len);
    g_string_append_printf(out, "end\t%u\t%s\n", cs->len, sum);
    g_free(sum);
    g_ptr_array_unref(cs);
    *len = out->len;
    return g_string_free(out, FALSE);
}

/* A field of n bytes at f with its escapes undone; NULL if one is bad.
 * Note: result must be freed. */
static char *
unescape(const char *f, size_t n)
{
    char *out = g_malloc(n + 1), *o = out;

    for (size_t i = 0; i < n; i++) {
        if (f[i] != '\\') {
            *o++ = f[i];
            continue;
        }
        switch (++i < n ? f[i] : '\0') {
        case '\\':
            *o++ = '\\';
            break;
        case 't':
            *o++ = '\t';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        default:
            g_free(out);
            return NULL;
        }
    }
    *o = '\0';
    return out;
}

/* Split one line into unescaped tab-separated fields; NULL if a field has
 * a bad escape. Note: free with g_ptr_array_unref(). */
static GPtrArray *
split_fields(const char *line, size_t len)
{
    GPtrArray *fields = g_ptr_array_new_full(8, g_free);
    size_t start = 0;

    for (size_t i = 0; i <= len; i++) {
        char *f;
        if (i < len && line[i] != '\t')
            continue;
        f = unescape(line + start, i - start);
        if (f == NULL) {
            g_ptr_array_unref(fields);
            return NULL;
        }
        g_ptr_array_add(fields, f);
        start = i + 1;
    }
    return fields;
}

/* Field i as a string, NULL when empty; borrowed. */
static const char *
field_or_null(GPtrArray *fields, guint i)
{
    const char *s = fields->pdata[i];

    return s[0] != '\0' ? s : NULL;
}

/* Read the records after the magic line into *owner (the account's JID),
 * *ver and items; false with *cause on the first thing that is wrong. */
static bool
parse_records(const char *text, size_t len, char **owner, char **ver,
              GPtrArray *items, char **cause)
{
    size_t pos = strlen(MAGIC);
    bool ended = false;

    while (pos < len && !ended) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n;
        GPtrArray *f;
        const char *kind;

        if (nl == NULL) {
            *cause = g_strdup("the last line is cut short");
            return false;
        }
        n = (size_t)(nl - line);
        f = split_fields(line, n);
        if (f == NULL || !g_utf8_validate(line, (gssize)n, NULL)) {
            *cause = g_strdup_printf("bad text at byte %zu", pos);
            if (f != NULL)
                g_ptr_array_unref(f);
            return false;
        }
        kind = f->pdata[0];
        if (strcmp(kind, "jid") == 0 && f->len == 2 && *owner == NULL) {
            *owner = g_strdup(f->pdata[1]);
        } else if (strcmp(kind, "ver") == 0 && f->len == 2 && *ver == NULL) {
            *ver = g_strdup(f->pdata[1]);
        } else if (strcmp(kind, "item") == 0 && f->len >= 5 &&
                   ((char *)f->pdata[1])[0] != '\0') {
            struct cache_item *it = g_new0(struct cache_item, 1);
            it->fields = g_ptr_array_ref(f);
            g_ptr_array_add(items, it);
        } else if (strcmp(kind, "end") == 0 && f->len == 3) {
            char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
                                                    (const guchar *)text, pos);
            char *count = g_strdup_printf("%u", items->len);
            bool ok = strcmp(f->pdata[1], count) == 0 &&
                      strcmp(f->pdata[2], sum) == 0;
            g_free(sum);
            g_free(count);
            if (!ok || nl + 1 != text + len) {
                *cause = g_strdup("the checksum or item count does not "
                                  "match");
                g_ptr_array_unref(f);
                return false;
            }
            ended = true;
        } else {
            *cause = g_strdup_printf("unknown record at byte %zu", pos);
            g_ptr_array_unref(f);
            return false;
        }
        g_ptr_array_unref(f);
        pos += n + 1;
    }
    if (!ended || *ver == NULL || *owner == NULL) {
        *cause = g_strdup("the file is incomplete");
        return false;
    }
    return true;
}

/* Parse cache text into acct's roster, all or nothing. */
bool
roster_cache_parse(struct account *acct, const char *text, size_t len,
                   char **cause)
{
    GPtrArray *items = g_ptr_array_new_with_free_func(cache_item_free);
    GPtrArray *groups;
    char *ver = NULL, *owner = NULL;

    if (len < strlen(MAGIC) || memcmp(text, MAGIC, strlen(MAGIC)) != 0) {
        *cause = g_strdup("not a natter roster cache");
        g_ptr_array_unref(items);
        return false;
    }
    if (!parse_records(text, len, &owner, &ver, items, cause) ||
        strcmp(owner, acct->jid) != 0) {
        /* Versions are per account: another account's could match. */
        if (*cause == NULL)
            *cause = g_strdup_printf("it is the roster of %s", owner);
        g_free(owner);
        g_free(ver);
        g_ptr_array_unref(items);
        return false;
    }
    g_free(owner);
    account_roster_clear(acct);
    groups = g_ptr_array_new();
    for (guint i = 0; i < items->len; i++) {
        GPtrArray *f = ((struct cache_item *)items->pdata[i])->fields;
        g_ptr_array_set_size(groups, 0);
        for (guint g = 5; g < f->len; g++)
            g_ptr_array_add(groups, f->pdata[g]);
        contact_set_roster_item(contact_get(acct, f->pdata[1]),
                                field_or_null(f, 4), field_or_null(f, 2),
                                field_or_null(f, 3), groups);
    }
    g_ptr_array_unref(groups);
    g_free(acct->roster_ver);
    acct->roster_ver = ver;
    g_ptr_array_unref(items);
    return true;
}

/* Path of acct's cache file. Note: result must be freed. */
static char *
cache_path(struct account *acct)
{
    char *dir = paths_account_dir(acct->name);
    char *path = g_build_filename(dir, ROSTER_CACHE_FILE, NULL);

    g_free(dir);
    return path;
}

/* Load acct's cache file into its roster. */
bool
roster_cache_load(struct account *acct, char **cause)
{
    char *path = cache_path(acct);
    char *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    char *why = NULL;
    bool ok;

    *cause = NULL;
    if (!g_file_get_contents(path, &text, &len, &err)) {
        if (!g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            *cause = g_strdup_printf("cannot read %s: %s", path, err->message);
        g_error_free(err);
        g_free(path);
        return false;
    }
    ok = roster_cache_parse(acct, text, len, &why);
    if (!ok) {
        *cause = g_strdup_printf("%s: %s", path, why);
        g_free(why);
    }
    g_free(text);
    g_free(path);
    return ok;
}

/* Write acct's cache file now. */
bool
roster_cache_write(struct account *acct, char **cause)
{
    char *dir = paths_account_dir(acct->name);
    char *path = g_build_filename(dir, ROSTER_CACHE_FILE, NULL);
    size_t len;
    char *text;
    GError *err = NULL;
    bool ok = true;

    if (g_mkdir_with_parents(dir, 0700) != 0) {
        *cause =
            g_strdup_printf("cannot create %s: %s", dir, g_strerror(errno));
        g_free(dir);
        g_free(path);
        return false;
    }
    text = roster_cache_format(acct, &len);
    /* Temporary file, fsync, rename: readers see old or new, whole. */
    if (!g_file_set_contents_full(path, text, (gssize)len,
                                  G_FILE_SET_CONTENTS_CONSISTENT |
                                      G_FILE_SET_CONTENTS_DURABLE,
                                  0600, &err)) {
        *cause = g_strdup(err->message);
        g_error_free(err);
        ok = false;
    }
    g_free(text);
    g_free(dir);
    g_free(path);
    return ok;
}

/* Delete acct's cache file. */
void
roster_cache_remove(struct account *acct)
{
    char *path = cache_path(acct);

    if (scheduled != NULL)
        g_hash_table_remove(scheduled, acct->name);
    g_unlink(path);
    g_free(path);
}

/* Idle callback: write every scheduled cache. */
static gboolean
write_cb(gpointer data)
{
    write_idle = 0;
    roster_cache_flush();
    return G_SOURCE_REMOVE;
}

/* Write acct's cache once the main loop is idle. */
void
roster_cache_schedule(struct account *acct)
{
    if (scheduled == NULL)
        scheduled =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_add(scheduled, g_strdup(acct->name));
    if (write_idle == 0)
        write_idle = g_idle_add(write_cb, NULL);
}

/* Write every scheduled cache now. Accounts are looked up by name: one
 * removed meanwhile is simply skipped. */
void
roster_cache_flush(void)
{
    GHashTableIter it;
    void *k;

    if (write_idle != 0)
        g_source_remove(write_idle);
    write_idle = 0;
    if (scheduled == NULL)
        return;
    g_hash_table_iter_init(&it, scheduled);
    while (g_hash_table_iter_next(&it, &k, NULL)) {
        struct account *acct = account_find_name(k);
        char *cause = NULL;
        if (acct != NULL && acct->roster_ver != NULL &&
            !roster_cache_write(acct, &cause)) {
            notice_fmt(acct, NOTICE_ERROR, FMT_ROSTER_SAVE_FAILED, acct->jid,
                       cause, NULL);
            g_free(cause);
        }
    }
    g_hash_table_destroy(scheduled);
    scheduled = NULL;
}
