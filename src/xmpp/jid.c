/* SPDX-License-Identifier: MIT */
#include "xmpp/jid.h"

#include <glib.h>
#include <string.h>

#define PART_MAX 1023

/* Characters RFC 7622 forbids in a localpart, besides spaces and controls. */
static const char local_forbidden[] = "\"&'/:<>@";

/*
 * Whether c is a default-ignorable code point or a noncharacter, which
 * PRECIS (RFC 8264 9.13, used by RFC 7622 for every part) disallows: bidi
 * overrides and isolates, invisible marks, BOM, variation selectors, tags.
 * A JID holding U+202E could show as another JID. ZWNJ and ZWJ
 * (U+200C, U+200D) are let through: PRECIS allows them in context.
 */
static bool
ignorable(gunichar c)
{
    return c == 0x00AD || c == 0x034F || c == 0x061C ||
           (c >= 0x115F && c <= 0x1160) || (c >= 0x17B4 && c <= 0x17B5) ||
           (c >= 0x180B && c <= 0x180F) || c == 0x200B || c == 0x200E ||
           c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x206F) || c == 0x3164 ||
           (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF || c == 0xFFA0 ||
           (c >= 0xFFF0 && c <= 0xFFF8) || (c >= 0x1BCA0 && c <= 0x1BCA3) ||
           (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0000 && c <= 0xE0FFF) ||
           (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

/* Whether c is a control, space or ignorable character no JID part may
 * hold. */
static bool
bad_char(gunichar c)
{
    if (c < 0x80) /* the same answer as below, without the tables */
        return c < 0x20 || c == 0x7f || c == ' ';
    return g_unichar_iscntrl(c) || g_unichar_isspace(c) ||
           g_unichar_type(c) == G_UNICODE_SPACE_SEPARATOR ||
           g_unichar_type(c) == G_UNICODE_UNASSIGNED || ignorable(c);
}

/* Whether part is printable ASCII (spaces included): then NFC changes
 * nothing and case-folding is ASCII lower-casing. */
static bool
plain_ascii(const char *part, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)part[i] < 0x20 || (unsigned char)part[i] >= 0x7f)
            return false;
    return true;
}

/* NFC-normalise, optionally case-fold, and validate one part; caller frees. */
static char *
prep_part(const char *part, size_t len, bool fold, const char *forbidden,
          const char *what, char **cause)
{
    char *folded, *out;

    if (len == 0) {
        *cause = g_strdup_printf("empty %s", what);
        return NULL;
    }
    if (plain_ascii(part, len)) {
        /* The common case, and the cheap one: a roster of thousands
         * prepares every JID in it. */
        out = fold ? g_ascii_strdown(part, (gssize)len) : g_strndup(part, len);
    } else if (!g_utf8_validate(part, len, NULL)) {
        *cause = g_strdup_printf("%s is not valid UTF-8", what);
        return NULL;
    } else {
        /* Case-fold first: folding can produce combining marks (U+0130
         * gives i + U+0307), which normalisation must then put in order. */
        folded =
            fold ? g_utf8_strdown(part, (gssize)len) : g_strndup(part, len);
        out = g_utf8_normalize(folded, -1, G_NORMALIZE_NFC);
        g_free(folded);
    }
    if (out == NULL) {
        *cause = g_strdup_printf("%s cannot be normalised", what);
        return NULL;
    }
    for (const char *p = out; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        bool space_ok = !fold && c == ' '; /* resources may hold spaces */
        if ((bad_char(c) && !space_ok) ||
            (c < 0x80 && forbidden != NULL && strchr(forbidden, (int)c))) {
            *cause =
                g_strdup_printf("%s contains a forbidden character", what);
            g_free(out);
            return NULL;
        }
    }
    if (strlen(out) > PART_MAX) {
        *cause = g_strdup_printf("%s is longer than %d bytes", what, PART_MAX);
        g_free(out);
        return NULL;
    }
    return out;
}

/* Check a prepared domainpart's shape: labels, or an IP literal. */
static bool
domain_ok(const char *d, char **cause)
{
    size_t n = strlen(d);

    if (d[0] == '[') {
        if (n < 4 || d[n - 1] != ']' ||
            strspn(d + 1, "0123456789abcdef:.") != n - 2 ||
            strchr(d, ':') == NULL) {
            *cause = g_strdup("malformed IPv6 address in domain");
            return false;
        }
        return true;
    }
    if (strstr(d, "..") != NULL || d[0] == '.' || d[n - 1] == '.') {
        *cause = g_strdup("domain has an empty label");
        return false;
    }
    return true;
}

/* Parse and prepare s into out. */
bool
jid_parse(const char *s, struct jid *out, char **cause)
{
    const char *slash, *at, *dom;
    size_t domlen;

    memset(out, 0, sizeof *out);
    if (s == NULL || *s == '\0') {
        *cause = g_strdup("empty address");
        return false;
    }
    slash = strchr(s, '/');
    at = strchr(s, '@');
    if (at != NULL && slash != NULL && at > slash)
        at = NULL; /* an '@' inside the resource belongs to the resource */
    dom = at != NULL ? at + 1 : s;
    domlen = slash != NULL ? (size_t)(slash - dom) : strlen(dom);
    /* RFC 7622 3.2: a trailing dot on the domain is dropped. */
    if (domlen > 0 && dom[domlen - 1] == '.')
        domlen--;
    if (at != NULL) {
        out->local =
            prep_part(s, at - s, true, local_forbidden, "localpart", cause);
        if (out->local == NULL)
            goto fail;
    }
    out->domain = prep_part(dom, domlen, true, "@/\"&'<>", "domain", cause);
    if (out->domain == NULL || !domain_ok(out->domain, cause))
        goto fail;
    if (slash != NULL) {
        out->resource = prep_part(slash + 1, strlen(slash + 1), false, NULL,
                                  "resource", cause);
        if (out->resource == NULL)
            goto fail;
    }
    return true;
fail:
    jid_clear(out);
    return false;
}

/* Free the parts of j. */
void
jid_clear(struct jid *j)
{
    g_free(j->local);
    g_free(j->domain);
    g_free(j->resource);
    memset(j, 0, sizeof *j);
}

/* local@domain (or domain). Note: result must be freed. */
char *
jid_bare_of(const struct jid *j)
{
    if (j->local != NULL)
        return g_strdup_printf("%s@%s", j->local, j->domain);
    return g_strdup(j->domain);
}

/* The full form with resource. Note: result must be freed. */
char *
jid_full_of(const struct jid *j)
{
    char *bare = jid_bare_of(j), *full;

    if (j->resource == NULL)
        return bare;
    full = g_strdup_printf("%s/%s", bare, j->resource);
    g_free(bare);
    return full;
}

/* Prepared bare form of s, or NULL with *cause set. Note: free result. */
char *
jid_bare(const char *s, char **cause)
{
    struct jid j;
    char *bare;

    if (!jid_parse(s, &j, cause))
        return NULL;
    bare = jid_bare_of(&j);
    jid_clear(&j);
    return bare;
}

/* Resource part of s without preparation, "" if none; borrowed. */
const char *
jid_resource_part(const char *s)
{
    const char *slash = s != NULL ? strchr(s, '/') : NULL;

    return slash != NULL ? slash + 1 : "";
}

/* The bare, prepared form of s; NULL when s is NULL or no valid JID.
 * Caller frees. */
char *
jid_bare_quiet(const char *s)
{
    char *why = NULL;
    char *bare = s != NULL ? jid_bare(s, &why) : NULL;

    g_free(why);
    return bare;
}
