/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the live presence handler (xmpp/handlers.c
 * on_presence): available and unavailable presence with show, status,
 * priority and caps, subscription requests and answers, errors and
 * unknown types, fed to a logged-in natter (tests/fuzz/fuzz-session.h).
 * Besides crashes and leaks it checks the model after each stanza: every
 * resource has a known show and a priority in -128..127, our own
 * reflected presence never makes us our own contact's resource, natter
 * sends nothing in answer to a presence (subscriptions wait for /sub)
 * but bad-request to an unknown type, and all it prints is inert text.
 */
#include "fuzz-session.h"

/* Check the model and what natter sent after the presence st. */
static void
check(xmpp_stanza_t *st, GPtrArray *sent)
{
    GHashTableIter it, rit;
    void *k, *v;

    /* The one answer allowed: bad-request to a presence of a type RFC 6121
     * does not define (4.7.1), back to its sender. */
    for (guint i = 0; i < sent->len; i++) {
        xmpp_stanza_t *out = sent->pdata[i];
        const char *type = xmpp_stanza_get_type(st);
        FUZZ_CHECK(sent->len == 1 && fuzz_named(out, "presence") &&
                       g_strcmp0(xmpp_stanza_get_type(out), "error") == 0 &&
                       g_strcmp0(xmpp_stanza_get_to(out),
                                 xmpp_stanza_get_from(st)) == 0 &&
                       type != NULL && strcmp(type, "error") != 0,
                   "natter answered a presence (%u stanzas)", sent->len);
    }
    g_hash_table_iter_init(&it, fz.acct->contacts);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        struct contact *c = v;
        const char *show = contact_show(c);
        FUZZ_CHECK(strcmp(show, "offline") == 0 || show_valid(show),
                   "contact %s shows %s", c->jid, show);
        g_hash_table_iter_init(&rit, c->resources);
        while (g_hash_table_iter_next(&rit, &k, &v)) {
            struct resource *r = v;
            FUZZ_CHECK(r->show != NULL && show_valid(r->show),
                       "resource %s of %s shows %s", r->name, c->jid,
                       r->show != NULL ? r->show : "(null)");
            FUZZ_CHECK(r->priority >= -128 && r->priority <= 127,
                       "priority %d", r->priority);
            FUZZ_CHECK(strcmp(c->jid, FUZZ_ME) != 0 ||
                           strcmp(r->name, FUZZ_RESOURCE) != 0,
                       "our own presence was taken as a contact's");
        }
    }
}

/* libFuzzer calls this once, before the first input. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* One input: log in, feed it, tear everything down again. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_session_start();
    fuzz_session_feed(data, size, check);
    fuzz_session_stop();
    return 0;
}
