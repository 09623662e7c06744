/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the replies to natter's own requests, each reached
 * through the handler libstrophe calls for its id (session_send_iq):
 * the block list (XEP-0191, asked at login), and the client version
 * (XEP-0092), entity time (XEP-0202) and last activity (XEP-0012) answers
 * to /info, which the logged-in natter of tests/fuzz/fuzz-session.h runs
 * for bob@example.org/laptop before the input is fed. An input id of
 * "@NAMESPACE" answers the newest request of that namespace
 * ("@jabber:iq:version", "@urn:xmpp:time", "@jabber:iq:last",
 * "@urn:xmpp:blocking", "@jabber:iq:roster"). Besides crashes and leaks
 * it checks that a reply is never answered, that blocked JIDs are
 * prepared bare or full JIDs, and that all natter prints is inert text.
 */
#include "fuzz-session.h"

/* Check the model and what natter sent after the reply st. */
static void
check(xmpp_stanza_t *st, GPtrArray *sent)
{
    GHashTableIter it;
    void *k, *v;
    const char *type = xmpp_stanza_get_type(st);

    if (fuzz_named(st, "iq") &&
        (g_strcmp0(type, "result") == 0 || g_strcmp0(type, "error") == 0))
        for (guint i = 0; i < sent->len; i++)
            FUZZ_CHECK(!fuzz_named(sent->pdata[i], "iq") ||
                           g_strcmp0(xmpp_stanza_get_id(sent->pdata[i]),
                                     xmpp_stanza_get_id(st)) != 0,
                       "natter answered a reply");
    g_hash_table_iter_init(&it, fz.acct->blocked);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        struct jid j;
        char *cause = NULL;
        FUZZ_CHECK(jid_parse(k, &j, &cause), "blocked %s: %s", (const char *)k,
                   cause);
        jid_clear(&j);
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
    input_line("/info bob@example.org/laptop", NULL);
    fuzz_loop_settle();
    fuzz_session_feed(data, size, check);
    fuzz_session_stop();
    return 0;
}
