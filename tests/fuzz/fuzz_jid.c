/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the JID parser (xmpp/jid.c): the input, as a
 * NUL-terminated string, goes through jid_parse(); an address it accepts
 * must have non-empty parts of at most 1023 bytes, and its bare and full
 * forms must parse again to themselves (preparation is idempotent).
 */
#include "fuzz.h"

#include <locale.h>

#include "xmpp/jid.h"

#define PART_MAX 1023

/* A part is absent (when allowed) or 1..PART_MAX bytes of UTF-8. */
static void
check_part(const char *part, const char *what, gboolean optional)
{
    size_t n;

    if (part == NULL) {
        FUZZ_CHECK(optional, "%s is missing", what);
        return;
    }
    n = strlen(part);
    FUZZ_CHECK(n > 0, "%s is empty", what);
    FUZZ_CHECK(n <= PART_MAX, "%s is %zu bytes", what, n);
    FUZZ_CHECK(g_utf8_validate(part, -1, NULL), "%s is not UTF-8", what);
}

/* s (a form of a parsed JID) must parse to the same parts. */
static void
check_reparse(const char *s, const struct jid *want, gboolean with_resource)
{
    struct jid j;
    char *cause = NULL;
    gboolean ok = jid_parse(s, &j, &cause);
    const char *resource = with_resource ? want->resource : NULL;

    FUZZ_CHECK(ok, "\"%s\" does not parse again: %s", s,
               cause != NULL ? cause : "(no cause)");
    FUZZ_CHECK(cause == NULL, "success with a cause for \"%s\"", s);
    FUZZ_CHECK(g_strcmp0(j.local, want->local) == 0,
               "localpart of \"%s\" became \"%s\"", s,
               j.local != NULL ? j.local : "(none)");
    FUZZ_CHECK(g_strcmp0(j.domain, want->domain) == 0,
               "domain of \"%s\" became \"%s\"", s, j.domain);
    FUZZ_CHECK(g_strcmp0(j.resource, resource) == 0,
               "resource of \"%s\" became \"%s\"", s,
               j.resource != NULL ? j.resource : "(none)");
    jid_clear(&j);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strndup(data, size);
    struct jid j;
    char *cause = NULL;

    if (jid_parse(s, &j, &cause)) {
        char *bare, *full, *bare2;

        FUZZ_CHECK(cause == NULL, "accepted with cause %s", cause);
        check_part(j.local, "localpart", TRUE);
        check_part(j.domain, "domain", FALSE);
        check_part(j.resource, "resource", TRUE);
        FUZZ_CHECK(j.local == NULL || strpbrk(j.local, "@/") == NULL,
                   "localpart \"%s\" holds @ or /", j.local);
        FUZZ_CHECK(strpbrk(j.domain, "@/") == NULL,
                   "domain \"%s\" holds @ or /", j.domain);

        bare = jid_bare_of(&j);
        full = jid_full_of(&j);
        check_reparse(bare, &j, FALSE);
        check_reparse(full, &j, TRUE);
        /* jid_bare() is jid_parse() then jid_bare_of(). */
        bare2 = jid_bare(s, &cause);
        FUZZ_CHECK(bare2 != NULL && strcmp(bare2, bare) == 0,
                   "jid_bare gives \"%s\", jid_bare_of \"%s\"",
                   bare2 != NULL ? bare2 : "(null)", bare);
        FUZZ_CHECK(strcmp(jid_resource_part(full),
                          j.resource != NULL ? j.resource : "") == 0,
                   "jid_resource_part(\"%s\")", full);
        g_free(bare2);
        g_free(bare);
        g_free(full);
        jid_clear(&j);
    } else {
        /* A refusal says why and leaves nothing behind. */
        FUZZ_CHECK(cause != NULL && cause[0] != '\0', "refused, no cause");
        FUZZ_CHECK(j.local == NULL && j.domain == NULL && j.resource == NULL,
                   "refused, parts left");
        g_free(cause);
        cause = NULL;
        FUZZ_CHECK(jid_bare(s, &cause) == NULL, "jid_bare accepts it");
        g_free(cause);
    }
    g_free(s);
    return 0;
}
