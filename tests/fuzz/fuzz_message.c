/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the live message handler (xmpp/handlers.c
 * on_message, as libstrophe calls it): chat, normal, headline, error and
 * group chat messages, receipts, corrections, chat states, markers,
 * carbons (also forged ones) and archive results, each fed to a logged-in
 * natter (tests/fuzz/fuzz-session.h) whose windows, history store and
 * headless output take what the handler emits. Besides crashes and leaks
 * it checks that natter never answers a copy (carbon, archive result),
 * never takes a carbon from anyone but our own account, sends receipts
 * only to the sender, and that all it prints is inert text.
 */
#include "fuzz-session.h"

/* The bare JID of from, NULL if there is none or it does not parse. */
static char *
bare_of(const char *from)
{
    char *cause = NULL, *bare = from != NULL ? jid_bare(from, &cause) : NULL;

    g_free(cause);
    return bare;
}

/* Whether st holds a child name in namespace ns. */
static bool
has_child(xmpp_stanza_t *st, const char *name, const char *ns)
{
    return xmpp_stanza_get_child_by_name_and_ns(st, name, ns) != NULL;
}

/* Check what natter did with the message st. */
static void
check(xmpp_stanza_t *st, GPtrArray *sent)
{
    enum carbon_kind kind;
    bool copy, archived;
    char *from;

    if (!fuzz_named(st, "message"))
        return;
    (void)carbon_unwrap(st, &kind);
    archived = has_child(st, "result", NS_MAM);
    copy = kind != CARBON_NONE || archived;
    from = bare_of(xmpp_stanza_get_from(st));
    if (kind != CARBON_NONE && !archived)
        FUZZ_CHECK(fz.messages == 0 || g_strcmp0(from, FUZZ_ME) == 0,
                   "a carbon from %s was taken",
                   from != NULL ? from : "(no one)");
    for (guint i = 0; i < sent->len; i++) {
        xmpp_stanza_t *out = sent->pdata[i];
        bool receipt = has_child(out, "received", NS_RECEIPTS);
        bool marker = has_child(out, "displayed", NS_MARKERS);
        if (!receipt && !marker)
            continue;
        FUZZ_CHECK(!copy, "natter answered a %s with a %s",
                   archived ? "archive result" : "carbon",
                   receipt ? "receipt" : "marker");
        if (receipt)
            FUZZ_CHECK(g_strcmp0(xmpp_stanza_get_to(out),
                                 xmpp_stanza_get_from(st)) == 0,
                       "receipt to %s for a message from %s",
                       xmpp_stanza_get_to(out), xmpp_stanza_get_from(st));
    }
    g_free(from);
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
