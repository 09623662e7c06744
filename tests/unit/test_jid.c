/* SPDX-License-Identifier: MIT */
/* Unit tests for JID parsing and preparation (RFC 7622), xmpp/jid.c. */
#include "unit.h"

#include "xmpp/jid.h"

/* Parse s, which must succeed, into j. */
static void
parse_ok(const char *s, struct jid *j)
{
    char *cause = NULL;

    if (!jid_parse(s, j, &cause)) {
        print_error("jid_parse(\"%s\") failed: %s\n", s,
                    cause != NULL ? cause : "(no cause)");
        g_free(cause);
        fail();
    }
    assert_null(cause);
}

/* Parse s, which must fail; returns the cause (caller frees). */
static char *
parse_bad(const char *s)
{
    struct jid j;
    char *cause = NULL;

    if (jid_parse(s, &j, &cause)) {
        char *full = jid_full_of(&j);
        print_error("jid_parse(\"%s\") accepted it as \"%s\"\n", s, full);
        g_free(full);
        jid_clear(&j);
        fail();
    }
    /* A refused JID leaves no parts behind. */
    assert_null(j.local);
    assert_null(j.domain);
    assert_null(j.resource);
    assert_non_null(cause);
    assert_true(cause[0] != '\0');
    return cause;
}

/* Assert that s is refused, with a cause mentioning what. */
static void
refused(const char *s, const char *what)
{
    char *cause = parse_bad(s);

    assert_contains(cause, what);
    g_free(cause);
}

/* A string of n copies of c. */
static char *
repeat(char c, size_t n)
{
    char *s = g_malloc(n + 1);

    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* A domain of exactly n bytes made of labels of at most 63 'a's. */
static char *
long_domain(size_t n)
{
    GString *d = g_string_new(NULL);

    while (d->len < n) {
        if (d->len > 0 && d->len % 64 == 63)
            g_string_append_c(d, '.');
        else
            g_string_append_c(d, 'a');
    }
    if (d->str[d->len - 1] == '.')
        d->str[d->len - 1] = 'b';
    return g_string_free(d, FALSE);
}

/* local@domain/resource splits into its three parts. */
static void
test_full_jid_splits(void **state)
{
    struct jid j;

    parse_ok("alice@example.com/laptop", &j);
    assert_string_equal(j.local, "alice");
    assert_string_equal(j.domain, "example.com");
    assert_string_equal(j.resource, "laptop");
    jid_clear(&j);
}

/* A bare JID has no resource; a domain JID has neither local nor resource. */
static void
test_absent_parts_are_null(void **state)
{
    struct jid j;

    parse_ok("alice@example.com", &j);
    assert_string_equal(j.local, "alice");
    assert_string_equal(j.domain, "example.com");
    assert_null(j.resource);
    jid_clear(&j);

    parse_ok("example.com", &j);
    assert_null(j.local);
    assert_string_equal(j.domain, "example.com");
    assert_null(j.resource);
    jid_clear(&j);

    parse_ok("example.com/r", &j);
    assert_null(j.local);
    assert_string_equal(j.domain, "example.com");
    assert_string_equal(j.resource, "r");
    jid_clear(&j);
}

/* Everything after the first '/' is the resource, '@' and '/' included. */
static void
test_at_and_slash_inside_resource(void **state)
{
    struct jid j;

    parse_ok("a@b.org/c@d", &j);
    assert_string_equal(j.local, "a");
    assert_string_equal(j.domain, "b.org");
    assert_string_equal(j.resource, "c@d");
    jid_clear(&j);

    /* No localpart: the '@' after the slash does not make one. */
    parse_ok("b.org/c@d", &j);
    assert_null(j.local);
    assert_string_equal(j.domain, "b.org");
    assert_string_equal(j.resource, "c@d");
    jid_clear(&j);

    parse_ok("a@b.org/x/y", &j);
    assert_string_equal(j.resource, "x/y");
    jid_clear(&j);
}

/* Localpart and domainpart are lower-cased, the resource is not. */
static void
test_case_folding(void **state)
{
    struct jid j;

    parse_ok("Alice@Example.COM/Laptop", &j);
    assert_string_equal(j.local, "alice");
    assert_string_equal(j.domain, "example.com");
    assert_string_equal(j.resource, "Laptop");
    jid_clear(&j);

    /* Non-ASCII letters too: "ÉCOLE" -> "école". */
    parse_ok("\xc3\x89"
             "COLE@Example.org",
             &j);
    assert_string_equal(j.local, "\xc3\xa9"
                                 "cole");
    jid_clear(&j);
}

/* Decomposed input is NFC-normalised in every part ("e\u0301" == "é"). */
static void
test_nfc_normalisation(void **state)
{
    struct jid j;
    char *a, *b, *cause = NULL;

    parse_ok("caf"
             "e\xcc\x81"
             "@example.com/r"
             "e\xcc\x81"
             "s",
             &j);
    assert_string_equal(j.local, "caf\xc3\xa9");
    assert_string_equal(j.resource, "r\xc3\xa9s");
    jid_clear(&j);

    parse_ok("d"
             "e\xcc\x81"
             "j"
             "a\xcc\x80"
             ".example",
             &j);
    assert_string_equal(j.domain, "d\xc3\xa9j\xc3\xa0.example");
    jid_clear(&j);

    /* Both spellings name the same bare JID. */
    a = jid_bare("Caf"
                 "e\xcc\x81"
                 "@Example.com",
                 &cause);
    b = jid_bare("caf\xc3\xa9@example.com", &cause);
    assert_null(cause);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    g_free(a);
    g_free(b);
}

/* One trailing dot on the domain is dropped (RFC 7622 3.2). */
static void
test_trailing_dot_dropped(void **state)
{
    struct jid j;

    parse_ok("a@example.com.", &j);
    assert_string_equal(j.domain, "example.com");
    jid_clear(&j);

    parse_ok("a@example.com./res", &j);
    assert_string_equal(j.domain, "example.com");
    assert_string_equal(j.resource, "res");
    jid_clear(&j);

    /* A domain that is only a dot is empty once the dot goes. */
    refused("a@.", "domain");
}

/*
 * Regression (jid.c domain_ok, fixed): "example.com.." loses one dot and is
 * then accepted as domain "example.com." -- an address with an empty final
 * label, which RFC 7622 refuses, and which differs from "example.com" as a
 * bare JID (two windows/contacts for one peer). domain_ok() checks for
 * ".." and a leading '.', but not a trailing '.' left after the strip.
 */
static void
test_regression_double_trailing_dot_refused(void **state)
{
    refused("a@example.com..", "domain");
}

/* Empty labels inside the domain are refused. */
static void
test_empty_domain_label(void **state)
{
    refused("a@example..com", "domain");
    refused("a@.example.com", "domain");
}

/* Each character RFC 7622 forbids in a localpart is refused there. */
static void
test_localpart_forbidden_chars(void **state)
{
    /* '/' and '@' cannot be tested by position: they split the JID. */
    static const char forbidden[] = "\"&':<>";

    for (const char *f = forbidden; *f != '\0'; f++) {
        char *s = g_strdup_printf("al%cice@example.com", *f);
        refused(s, "localpart");
        g_free(s);
    }
    /* A second '@' lands in the domain, which refuses it too. */
    refused("a@b@example.com", "domain");
}

/* Spaces and controls are refused in localpart and domainpart. */
static void
test_spaces_and_controls(void **state)
{
    refused("al ice@example.com", "localpart");
    refused("alice@exa mple.com", "domain");
    refused("al\tice@example.com", "localpart");
    refused("al\x01ice@example.com", "localpart");
    refused("al\x7f"
            "ice@example.com",
            "localpart");
    /* U+00A0 NO-BREAK SPACE and U+0085 NEL (a C1 control). */
    refused("al\xc2\xa0ice@example.com", "localpart");
    refused("al\xc2\x85ice@example.com", "localpart");
    refused("alice@example.com/r\x01", "resource");
    refused("alice@example.com/r\n", "resource");
}

/* Bidi overrides and other default-ignorable code points are refused in
 * every part (PRECIS): "\u202Emoc.elpmaxe@ecila" must not pass for a
 * JID that shows as another. ZWNJ stays allowed (Persian names). */
static void
test_ignorable_refused(void **state)
{
    struct jid j;

    refused("\xe2\x80\xae"
            "evil@example.com",
            "localpart");                                 /* U+202E RLO */
    refused("ev\xe2\x81\xa6il@example.com", "localpart"); /* U+2066 LRI */
    refused("e\xe2\x80\x8bvil@example.com", "localpart"); /* U+200B ZWSP */
    refused("evil@example.com/\xe2\x80\xae"
            "res",
            "resource");
    refused("evil@example.com/r\xef\xbb\xbf", "resource");    /* BOM */
    refused("evil@example.com/r\xef\xbf\xbe", "resource");    /* U+FFFE */
    refused("evil@exa\xe2\x80\x8fmple.com", "domain");        /* U+200F RLM */
    refused("evil@example.com/\xf3\xa0\x80\x81", "resource"); /* tag */
    parse_ok("\xd9\x85\xe2\x80\x8c\xd9\x86"
             "@example.com",
             &j); /* ZWNJ */
    jid_clear(&j);
}

/* The resource may hold spaces and the characters a localpart may not. */
static void
test_resource_allows_more(void **state)
{
    struct jid j;

    parse_ok("alice@example.com/My Phone <2> & 'co':\"x\"", &j);
    assert_string_equal(j.resource, "My Phone <2> & 'co':\"x\"");
    jid_clear(&j);
}

/* Unassigned code points are refused (U+0378 is unassigned). */
static void
test_unassigned_refused(void **state)
{
    refused("a\xcd\xb8@example.com", "localpart");
}

/* Empty localpart, domainpart or resource is refused, as is "". */
static void
test_empty_parts(void **state)
{
    refused("", "empty");
    refused("@example.com", "localpart");
    refused("alice@", "domain");
    refused("example.com/", "resource");
    refused("alice@example.com/", "resource");
    refused("/res", "domain");
    refused("alice@/res", "domain");

    /* NULL is an empty address, not a crash. */
    {
        struct jid j;
        char *cause = NULL;
        assert_false(jid_parse(NULL, &j, &cause));
        assert_non_null(cause);
        g_free(cause);
    }
}

/* Parts of 1023 bytes are accepted, 1024 refused, counted in bytes. */
static void
test_part_length_limit(void **state)
{
    char *l1023 = repeat('a', 1023), *l1024 = repeat('a', 1024);
    char *d1023 = long_domain(1023), *d1024 = long_domain(1024);
    GString *wide = g_string_new(NULL);
    struct jid j;
    char *s;

    assert_int_equal(strlen(d1023), 1023);
    assert_int_equal(strlen(d1024), 1024);

    s = g_strdup_printf("%s@example.com/%s", l1023, l1023);
    parse_ok(s, &j);
    assert_int_equal(strlen(j.local), 1023);
    assert_int_equal(strlen(j.resource), 1023);
    jid_clear(&j);
    g_free(s);

    s = g_strdup_printf("a@%s", d1023);
    parse_ok(s, &j);
    assert_int_equal(strlen(j.domain), 1023);
    jid_clear(&j);
    g_free(s);

    s = g_strdup_printf("%s@example.com", l1024);
    refused(s, "localpart");
    g_free(s);
    s = g_strdup_printf("a@%s", d1024);
    refused(s, "domain");
    g_free(s);
    s = g_strdup_printf("a@example.com/%s", l1024);
    refused(s, "resource");
    g_free(s);

    /* 512 two-byte characters are 1024 bytes though only 512 characters. */
    for (int i = 0; i < 512; i++)
        g_string_append(wide, "\xc3\xa9");
    g_string_append(wide, "@example.com");
    refused(wide->str, "localpart");
    g_string_free(wide, TRUE);

    g_free(l1023);
    g_free(l1024);
    g_free(d1023);
    g_free(d1024);
}

/* Invalid UTF-8 is refused in every part. */
static void
test_invalid_utf8(void **state)
{
    refused("a\xff@example.com", "UTF-8");
    refused("\xc3@example.com", "UTF-8");
    refused("alice@exa\x80mple.com", "UTF-8");
    refused("alice@example.com/\xc0\xaf", "UTF-8");
    refused("alice@example.com/\xed\xa0\x80", "UTF-8"); /* a surrogate */
}

/* An IPv6 literal in brackets is a valid domain; a malformed one is not. */
static void
test_ipv6_literal(void **state)
{
    struct jid j;

    parse_ok("alice@[2001:db8::1]/home", &j);
    assert_string_equal(j.local, "alice");
    assert_string_equal(j.domain, "[2001:db8::1]");
    assert_string_equal(j.resource, "home");
    jid_clear(&j);

    parse_ok("[::1]", &j);
    assert_null(j.local);
    assert_string_equal(j.domain, "[::1]");
    jid_clear(&j);

    refused("alice@[::1", "IPv6");
    refused("alice@[]", "IPv6");

    parse_ok("alice@192.0.2.1", &j);
    assert_string_equal(j.domain, "192.0.2.1");
    jid_clear(&j);
}

/* jid_bare prepares and drops the resource; NULL with a cause if invalid. */
static void
test_jid_bare(void **state)
{
    char *cause = NULL, *b;

    b = jid_bare("Alice@Example.COM/Laptop", &cause);
    assert_string_equal(b, "alice@example.com");
    assert_null(cause);
    g_free(b);

    b = jid_bare("Example.COM/x", &cause);
    assert_string_equal(b, "example.com");
    g_free(b);

    b = jid_bare("alice@example.com.", &cause);
    assert_string_equal(b, "alice@example.com");
    g_free(b);

    b = jid_bare("al ice@example.com", &cause);
    assert_null(b);
    assert_non_null(cause);
    assert_contains(cause, "localpart");
    g_free(cause);
}

/* jid_full_of and jid_bare_of rebuild the prepared forms. */
static void
test_full_and_bare_of(void **state)
{
    struct jid j;
    char *s;

    parse_ok("Alice@Example.com/Laptop", &j);
    s = jid_full_of(&j);
    assert_string_equal(s, "alice@example.com/Laptop");
    g_free(s);
    s = jid_bare_of(&j);
    assert_string_equal(s, "alice@example.com");
    g_free(s);
    jid_clear(&j);

    parse_ok("alice@example.com", &j);
    s = jid_full_of(&j);
    assert_string_equal(s, "alice@example.com");
    g_free(s);
    jid_clear(&j);

    parse_ok("Example.com/Bot", &j);
    s = jid_full_of(&j);
    assert_string_equal(s, "example.com/Bot");
    g_free(s);
    s = jid_bare_of(&j);
    assert_string_equal(s, "example.com");
    g_free(s);
    jid_clear(&j);
}

/* jid_resource_part borrows the raw text after the first '/'. */
static void
test_resource_part(void **state)
{
    const char *s = "Alice@Example.com/Home/Office";

    assert_ptr_equal(jid_resource_part(s), s + strlen("Alice@Example.com/"));
    assert_string_equal(jid_resource_part(s), "Home/Office");
    assert_string_equal(jid_resource_part("alice@example.com"), "");
    assert_string_equal(jid_resource_part("alice@example.com/"), "");
    assert_string_equal(jid_resource_part(NULL), "");
    /* Not prepared: decomposed text stays as it was. */
    assert_string_equal(jid_resource_part("a@b/e\xcc\x81"), "e\xcc\x81");
}

/* jid_clear zeroes the parts, so clearing twice is harmless. */
static void
test_clear_twice(void **state)
{
    struct jid j;

    parse_ok("a@b/c", &j);
    jid_clear(&j);
    assert_null(j.local);
    assert_null(j.domain);
    assert_null(j.resource);
    jid_clear(&j);
}

/* Run the JID tests. */
int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_jid_splits),
        cmocka_unit_test(test_absent_parts_are_null),
        cmocka_unit_test(test_at_and_slash_inside_resource),
        cmocka_unit_test(test_case_folding),
        cmocka_unit_test(test_nfc_normalisation),
        cmocka_unit_test(test_trailing_dot_dropped),
        cmocka_unit_test(test_regression_double_trailing_dot_refused),
        cmocka_unit_test(test_empty_domain_label),
        cmocka_unit_test(test_localpart_forbidden_chars),
        cmocka_unit_test(test_spaces_and_controls),
        cmocka_unit_test(test_ignorable_refused),
        cmocka_unit_test(test_resource_allows_more),
        cmocka_unit_test(test_unassigned_refused),
        cmocka_unit_test(test_empty_parts),
        cmocka_unit_test(test_part_length_limit),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_ipv6_literal),
        cmocka_unit_test(test_jid_bare),
        cmocka_unit_test(test_full_and_bare_of),
        cmocka_unit_test(test_resource_part),
        cmocka_unit_test(test_clear_twice),
    };

    setlocale(LC_CTYPE, "C.UTF-8");
    return cmocka_run_group_tests_name("jid", tests, NULL, NULL);
}
