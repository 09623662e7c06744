/* SPDX-License-Identifier: MIT */
#include "core/pins.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "core/paths.h"

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END "-----END CERTIFICATE-----"

static char *file_for(const char *name);
static GBytes *pem_der(const char *pem, char **block);
static char *hex_pairs(const guint8 *data, gsize len);

/*
 * The file text: about's lines (without "-----", which would confuse a
 * PEM reader), a blank line, then the certificate. Note: free the result.
 */
static char *
with_about(const char *about, const char *block)
{
    GString *s = g_string_new(NULL);
    char **lines;

    if (about != NULL) {
        lines = g_strsplit(about, "\n", -1);
        for (char **l = lines; *l != NULL; l++) {
            g_strdelimit(*l, "\r", ' ');
            if ((*l)[0] == '\0' || strstr(*l, "-----") != NULL)
                continue;
            g_string_append_printf(s, "%s\n", *l);
        }
        g_strfreev(lines);
        if (s->len > 0)
            g_string_append_c(s, '\n');
    }
    g_string_append(s, block);
    return g_string_free(s, FALSE);
}

/* The directory pins live in. Note: result must be freed. */
char *
pins_dir(void)
{
    char *data = paths_data_dir();
    char *dir = g_build_filename(data, "certs", NULL);

    g_free(data);
    return dir;
}

/*
 * File name for account name: letters, digits and "@._-" as they are,
 * every other byte as %XX, so no name can leave the directory or clash
 * with another. Note: result must be freed.
 */
static char *
file_for(const char *name)
{
    GString *s = g_string_new(NULL);
    char *dir, *path;

    for (const unsigned char *p = (const unsigned char *)name; *p != '\0';
         p++) {
        if (g_ascii_isalnum(*p) || strchr("@_-", *p) != NULL ||
            (*p == '.' && p != (const unsigned char *)name))
            g_string_append_c(s, (char)*p);
        else
            g_string_append_printf(s, "%%%02X", *p);
    }
    g_string_append(s, ".pem");
    dir = pins_dir();
    path = g_build_filename(dir, s->str, NULL);
    g_free(dir);
    g_string_free(s, TRUE);
    return path;
}

/*
 * DER bytes of the first certificate in pem; *block (if not NULL) gets
 * that certificate's PEM text, normalised. NULL if there is none. Note:
 * free the result with g_bytes_unref() and *block with g_free().
 */
static GBytes *
pem_der(const char *pem, char **block)
{
    const char *begin, *body, *end;
    char *b64, *wrapped;
    guchar *der;
    gsize len;
    GString *out;

    if (pem == NULL || (begin = strstr(pem, PEM_BEGIN)) == NULL)
        return NULL;
    body = begin + strlen(PEM_BEGIN);
    if ((end = strstr(body, PEM_END)) == NULL)
        return NULL;
    b64 = g_strndup(body, (gsize)(end - body));
    /* Keep only base64 characters: PEM wraps lines, maybe with CR. */
    {
        char *w = b64;
        for (const char *r = b64; *r != '\0'; r++)
            if (g_ascii_isalnum(*r) || *r == '+' || *r == '/' || *r == '=')
                *w++ = *r;
            else if (!g_ascii_isspace(*r)) {
                g_free(b64);
                return NULL;
            }
        *w = '\0';
    }
    if (b64[0] == '\0' || strlen(b64) % 4 != 0) {
        g_free(b64);
        return NULL;
    }
    der = g_base64_decode(b64, &len);
    /* A certificate is a DER SEQUENCE: tag 0x30, and more than a few bytes. */
    if (der == NULL || len < 16 || der[0] != 0x30) {
        g_free(der);
        g_free(b64);
        return NULL;
    }
    if (block != NULL) {
        out = g_string_new(PEM_BEGIN "\n");
        size_t n = strlen(b64);
        for (size_t i = 0; i < n; i += 64) {
            wrapped = g_strndup(b64 + i, 64);
            g_string_append_printf(out, "%s\n", wrapped);
            g_free(wrapped);
        }
        g_string_append(out, PEM_END "\n");
        *block = g_string_free(out, FALSE);
    }
    g_free(b64);
    return g_bytes_new_take(der, len);
}

/* Pin the first certificate of pem for account name. */
bool
pins_save(const char *name, const char *pem, const char *about, char **cause)
{
    GError *err = NULL;
    char *dir, *path, *block = NULL, *text;
    GBytes *der;
    bool ok;

    if (name == NULL || name[0] == '\0') {
        *cause = g_strdup("No account name to pin a certificate for");
        return false;
    }
    der = pem_der(pem, &block);
    if (der == NULL) {
        *cause = g_strdup_printf("Cannot pin a certificate for %s: no "
                                 "PEM certificate given",
                                 name);
        return false;
    }
    g_bytes_unref(der);
    dir = pins_dir();
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        *cause =
            g_strdup_printf("Cannot create %s: %s", dir, g_strerror(errno));
        g_free(dir);
        g_free(block);
        return false;
    }
    /* The directory may predate us with looser rights: tighten them. */
    g_chmod(dir, 0700);
    g_free(dir);
    path = file_for(name);
    text = with_about(about, block);
    /* Written to a temporary file in the same directory, then renamed. */
    ok = g_file_set_contents_full(path, text, -1,
                                  G_FILE_SET_CONTENTS_CONSISTENT |
                                      G_FILE_SET_CONTENTS_DURABLE,
                                  0600, &err);
    if (!ok) {
        *cause = g_strdup_printf("Cannot write %s: %s", path, err->message);
        g_error_free(err);
    }
    g_free(path);
    g_free(block);
    g_free(text);
    return ok;
}

/* The about text saved with account name's pin. Note: free the result. */
char *
pins_about(const char *name)
{
    char *pem = NULL, *about = NULL, *begin, *why = NULL;
    GString *s;
    char **lines;

    if ((pem = pins_load(name, &why)) == NULL) {
        g_free(why);
        return NULL;
    }
    if ((begin = strstr(pem, PEM_BEGIN)) != NULL)
        *begin = '\0';
    lines = g_strsplit(pem, "\n", -1);
    s = g_string_new(NULL);
    for (char **l = lines; *l != NULL; l++) {
        if ((*l)[0] == '\0')
            continue;
        g_string_append_printf(s, "%s%s", s->len > 0 ? "\n" : "", *l);
    }
    g_strfreev(lines);
    g_free(pem);
    about = g_string_free(s, FALSE);
    if (about[0] == '\0') {
        g_free(about);
        return NULL;
    }
    return about;
}

/* Path of account name's pinned certificate, NULL when there is none. */
char *
pins_path(const char *name)
{
    char *path;

    if (name == NULL || name[0] == '\0')
        return NULL;
    path = file_for(name);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_free(path);
        return NULL;
    }
    return path;
}

/* The pinned certificate of account name as PEM text. */
char *
pins_load(const char *name, char **cause)
{
    GError *err = NULL;
    char *path = pins_path(name), *text = NULL;

    if (path == NULL) {
        *cause = g_strdup_printf("No certificate is pinned for %s",
                                 name != NULL ? name : "(none)");
        return NULL;
    }
    if (!g_file_get_contents(path, &text, NULL, &err)) {
        *cause = g_strdup_printf("Cannot read %s: %s", path, err->message);
        g_error_free(err);
        text = NULL;
    }
    g_free(path);
    return text;
}

/* Forget account name's pin. */
bool
pins_remove(const char *name, char **cause)
{
    char *path = pins_path(name);
    bool ok = true;

    if (path == NULL) {
        *cause = g_strdup_printf("No certificate is pinned for %s",
                                 name != NULL ? name : "(none)");
        return false;
    }
    if (g_unlink(path) != 0) {
        *cause =
            g_strdup_printf("Cannot remove %s: %s", path, g_strerror(errno));
        ok = false;
    }
    g_free(path);
    return ok;
}

/* Colon-separated upper-case hex of data. Note: result must be freed. */
static char *
hex_pairs(const guint8 *data, gsize len)
{
    GString *s = g_string_sized_new(len * 3);

    for (gsize i = 0; i < len; i++)
        g_string_append_printf(s, "%s%02X", i > 0 ? ":" : "", data[i]);
    return g_string_free(s, FALSE);
}

/* SHA-256 fingerprint of the first certificate in pem. */
char *
pins_pem_fingerprint(const char *pem, char **cause)
{
    GBytes *der = pem_der(pem, NULL);
    GChecksum *sum;
    guint8 digest[32];
    gsize len = sizeof digest;

    if (der == NULL) {
        *cause = g_strdup("Not a PEM certificate");
        return NULL;
    }
    sum = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(sum, g_bytes_get_data(der, NULL),
                      (gssize)g_bytes_get_size(der));
    g_checksum_get_digest(sum, digest, &len);
    g_checksum_free(sum);
    g_bytes_unref(der);
    return hex_pairs(digest, len);
}

/* SHA-256 fingerprint of account name's pinned certificate. */
char *
pins_fingerprint(const char *name, char **cause)
{
    char *pem = pins_load(name, cause), *fp;
    char *why = NULL;

    if (pem == NULL)
        return NULL;
    fp = pins_pem_fingerprint(pem, &why);
    if (fp == NULL) {
        *cause = g_strdup_printf("The pinned certificate of %s is damaged: "
                                 "%s",
                                 name, why);
        g_free(why);
    }
    g_free(pem);
    return fp;
}

/* A fingerprint written any way in the colon form. Note: free result. */
char *
pins_fingerprint_normalize(const char *fp)
{
    GByteArray *bytes;
    int nibble = -1;
    char *out;

    if (fp == NULL)
        return NULL;
    bytes = g_byte_array_new();
    for (const char *p = fp; *p != '\0'; p++) {
        int v = g_ascii_xdigit_value(*p);
        if (v < 0) {
            if (*p == ':' || *p == ' ' || *p == '-')
                continue;
            g_byte_array_unref(bytes);
            return NULL;
        }
        if (nibble < 0) {
            nibble = v;
        } else {
            guint8 b = (guint8)(nibble << 4 | v);
            g_byte_array_append(bytes, &b, 1);
            nibble = -1;
        }
    }
    if (nibble >= 0 || bytes->len == 0) {
        g_byte_array_unref(bytes);
        return NULL;
    }
    out = hex_pairs(bytes->data, bytes->len);
    g_byte_array_unref(bytes);
    return out;
}
