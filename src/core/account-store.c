/* SPDX-License-Identifier: MIT */
#include "core/account-store.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/account.h"
#include "core/paths.h"

#define GROUP_PREFIX "account "
#define GENERAL "general"

static char *default_name;

static const char *const keys[] = {
    "jid",      "server",   "port",          "tls",
    "resource", "priority", "password_eval", "password",
    "autojoin", "presence", "allow_plain",   NULL,
};

/* Keys /account set takes, NULL-terminated. */
const char *const *
account_store_keys(void)
{
    return keys;
}

/* Path of the accounts file. Note: result must be freed. */
char *
account_store_path(void)
{
    char *dir = paths_config_dir();
    char *path = g_build_filename(dir, "accounts", NULL);

    g_free(dir);
    return path;
}

/* Name of the default account from the file, NULL if none. */
const char *
account_store_default(void)
{
    return default_name;
}

/* Remember name as the default account. */
void
account_store_set_default(const char *name)
{
    g_free(default_name);
    default_name = g_strdup(name);
}

/* Replace *slot with value, or NULL for an empty value. */
static void
set_str(char **slot, const char *value)
{
    g_free(*slot);
    *slot = value != NULL && value[0] != '\0' ? g_strdup(value) : NULL;
}

/* Set key of acct from user text (an empty value clears it). */
bool
account_store_set(struct account *acct, const char *key, const char *value,
                  char **cause)
{
    if (strcmp(key, "jid") == 0) {
        /* Preparation belongs to the protocol layer; the caller checks. */
        if (value[0] == '\0' || strchr(value, '@') == NULL) {
            *cause =
                g_strdup_printf("jid must be user@server, not '%s'", value);
            return false;
        }
        set_str(&acct->jid, value);
    } else if (strcmp(key, "server") == 0) {
        set_str(&acct->server, value);
    } else if (strcmp(key, "port") == 0 || strcmp(key, "priority") == 0) {
        bool port = strcmp(key, "port") == 0;
        char *end;
        long n = value[0] == '\0' ? 0 : strtol(value, &end, 10);
        if ((value[0] != '\0' && *end != '\0') ||
            (port ? (n < 0 || n > 65535) : (n < -128 || n > 127))) {
            *cause = g_strdup_printf("%s takes a number from %s", key,
                                     port ? "1 to 65535" : "-128 to 127");
            return false;
        }
        if (port)
            acct->port = (int)n;
        else
            acct->priority = (int)n;
    } else if (strcmp(key, "tls") == 0) {
        enum tls_policy p;
        if (!tls_policy_parse(value, &p)) {
            *cause =
                g_strdup("tls takes force, allow, trust, disable or direct");
            return false;
        }
        acct->tls = p;
    } else if (strcmp(key, "resource") == 0) {
        set_str(&acct->resource_pref, value);
    } else if (strcmp(key, "password_eval") == 0) {
        set_str(&acct->password_eval, value);
    } else if (strcmp(key, "password") == 0) {
        if (acct->password != NULL)
            memset(acct->password, 0, strlen(acct->password));
        set_str(&acct->password, value);
    } else if (strcmp(key, "autojoin") == 0) {
        set_str(&acct->autojoin, value);
    } else if (strcmp(key, "presence") == 0) {
        set_str(&acct->presence, value);
    } else if (strcmp(key, "allow_plain") == 0) {
        if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0 &&
            value[0] != '\0') {
            *cause = g_strdup("allow_plain takes on or off");
            return false;
        }
        acct->allow_plain = strcmp(value, "on") == 0;
    } else {
        *cause = g_strdup_printf("Unknown account setting %s (one of: jid, "
                                 "server, port, tls, resource, priority, "
                                 "password_eval, password, autojoin, "
                                 "presence, allow_plain)",
                                 key);
        return false;
    }
    return true;
}

/* Value of key for display; the password is masked. Caller frees. */
char *
account_store_get(const struct account *acct, const char *key)
{
    const char *v = NULL;

    if (strcmp(key, "jid") == 0)
        v = acct->jid;
    else if (strcmp(key, "server") == 0)
        v = acct->server;
    else if (strcmp(key, "port") == 0)
        return acct->port != 0 ? g_strdup_printf("%d", acct->port)
                               : g_strdup("");
    else if (strcmp(key, "priority") == 0)
        return g_strdup_printf("%d", acct->priority);
    else if (strcmp(key, "tls") == 0)
        v = tls_policy_name(acct->tls);
    else if (strcmp(key, "resource") == 0)
        v = acct->resource_pref;
    else if (strcmp(key, "password_eval") == 0)
        v = acct->password_eval;
    else if (strcmp(key, "password") == 0)
        v = acct->password != NULL ? "(stored)" : NULL;
    else if (strcmp(key, "autojoin") == 0)
        v = acct->autojoin;
    else if (strcmp(key, "presence") == 0)
        v = acct->presence;
    else if (strcmp(key, "allow_plain") == 0)
        v = acct->allow_plain ? "on" : NULL;
    return g_strdup(v != NULL ? v : "");
}

/* Create an account for every group of the accounts file. */
bool
account_store_load(char **cause)
{
    char *path = account_store_path();
    GKeyFile *kf = g_key_file_new();
    GError *err = NULL;
    char **groups;

    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &err)) {
        bool missing = g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
        if (!missing)
            *cause = g_strdup_printf("Cannot read %s: %s", path, err->message);
        g_error_free(err);
        g_key_file_free(kf);
        g_free(path);
        return missing;
    }
    g_free(default_name);
    default_name = g_key_file_get_string(kf, GENERAL, "default", NULL);
    groups = g_key_file_get_groups(kf, NULL);
    for (int i = 0; groups[i] != NULL; i++) {
        const char *name = groups[i] + strlen(GROUP_PREFIX);
        char *jid;
        struct account *acct;

        if (!g_str_has_prefix(groups[i], GROUP_PREFIX) || name[0] == '\0')
            continue;
        jid = g_key_file_get_string(kf, groups[i], "jid", NULL);
        if (jid == NULL || account_find_name(name) != NULL) {
            g_free(jid);
            continue;
        }
        acct = account_new(name, jid);
        acct->configured = true;
        acct->enabled = g_key_file_get_boolean(kf, groups[i], "enabled", NULL);
        for (int k = 1; keys[k] != NULL; k++) {
            char *v = g_key_file_get_string(kf, groups[i], keys[k], NULL);
            char *why = NULL;
            if (v != NULL && !account_store_set(acct, keys[k], v, &why))
                g_free(why); /* a bad value keeps the default */
            if (v != NULL)
                memset(v, 0, strlen(v));
            g_free(v);
        }
        g_free(jid);
    }
    g_strfreev(groups);
    g_key_file_free(kf);
    g_free(path);
    return true;
}

/* Write every configured account back (mode 0600, atomically). */
bool
account_store_save(char **cause)
{
    GPtrArray *accts = account_list();
    GKeyFile *kf = g_key_file_new();
    char *path = account_store_path(), *dir = g_path_get_dirname(path);
    char *data;
    gsize len;
    GError *err = NULL;
    bool ok = true;

    g_key_file_set_comment(kf, NULL, NULL,
                           " natter accounts: edit with /account", NULL);
    if (default_name != NULL)
        g_key_file_set_string(kf, GENERAL, "default", default_name);
    for (guint i = 0; i < accts->len; i++) {
        struct account *acct = accts->pdata[i];
        char *group;

        if (!acct->configured)
            continue;
        group = g_strconcat(GROUP_PREFIX, acct->name, NULL);
        g_key_file_set_boolean(kf, group, "enabled", acct->enabled);
        for (int k = 0; keys[k] != NULL; k++) {
            char *v = strcmp(keys[k], "password") == 0
                          ? g_strdup(acct->password)
                          : account_store_get(acct, keys[k]);
            if (v != NULL && v[0] != '\0')
                g_key_file_set_string(kf, group, keys[k], v);
            if (v != NULL)
                memset(v, 0, strlen(v));
            g_free(v);
        }
        g_free(group);
    }
    data = g_key_file_to_data(kf, &len, NULL);
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        *cause =
            g_strdup_printf("Cannot create %s: %s", dir, g_strerror(errno));
        ok = false;
    } else if (!g_file_set_contents_full(path, data, (gssize)len,
                                         G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                         &err)) {
        *cause = g_strdup_printf("Cannot write %s: %s", path, err->message);
        g_error_free(err);
        ok = false;
    }
    memset(data, 0, len);
    g_free(data);
    g_free(dir);
    g_free(path);
    g_key_file_free(kf);
    return ok;
}

/* Free module state. */
void
account_store_deinit(void)
{
    g_free(default_name);
    default_name = NULL;
}
