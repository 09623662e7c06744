/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers for unit tests that build stanzas: one libstrophe
 * context per test group, stanzas from XML text, stanzas back to text.
 */
#ifndef NATTER_TESTS_UNIT_XMPP_H
#define NATTER_TESTS_UNIT_XMPP_H

#include <strophe.h>

#include "unit.h"

#define UNIT_MAYBE_UNUSED __attribute__((unused))

static xmpp_ctx_t *ctx;

/* One libstrophe context for the whole group. */
static UNIT_MAYBE_UNUSED int
group_setup(void **state)
{
    (void)state;
    xmpp_initialize();
    ctx = xmpp_ctx_new(NULL, NULL);
    return ctx != NULL ? 0 : -1;
}

/* Free the context. */
static UNIT_MAYBE_UNUSED int
group_teardown(void **state)
{
    (void)state;
    xmpp_ctx_free(ctx);
    xmpp_shutdown();
    return 0;
}

/* A stanza from XML text; the test fails if it does not parse. Caller
 * releases. */
static UNIT_MAYBE_UNUSED xmpp_stanza_t *
stanza(const char *xml)
{
    xmpp_stanza_t *st = xmpp_stanza_new_from_string(ctx, xml);

    if (st == NULL) {
        print_error("cannot parse test XML: %s\n", xml);
        fail();
    }
    return st;
}

/* The serialised form of st. Note: result must be freed with g_free(). */
static UNIT_MAYBE_UNUSED char *
to_text(xmpp_stanza_t *st)
{
    char *buf = NULL, *copy;
    size_t len = 0;

    assert_int_equal(xmpp_stanza_to_text(st, &buf, &len), XMPP_EOK);
    copy = g_strndup(buf, len);
    xmpp_free(ctx, buf);
    return copy;
}

#endif
