/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the live iq handler (xmpp/handlers.c on_iq, as
 * libstrophe calls it): roster pushes (from our account, from no one,
 * from someone else), blocking pushes (XEP-0191), the questions natter
 * answers (disco#info with and without the caps node, version, time,
 * last activity, ping) and everything else it must refuse, fed to a
 * logged-in natter (tests/fuzz/fuzz-session.h). Besides crashes and leaks
 * it checks the rules of RFC 6120 8.2.3 and RFC 6121 2.1.6: a result or
 * error is never answered, a get or set gets at most one answer, with its
 * id, to its sender; a roster push from anyone but our account changes
 * nothing and is not acknowledged; and all natter prints is inert text.
 */
#include "fuzz-session.h"

#include "xmpp/blocking.h"

/* Whether from (may be NULL) is our own account or no one. */
static bool
from_us(const char *from)
{
    char *cause = NULL, *bare;
    bool us;

    if (from == NULL)
        return true;
    bare = jid_bare(from, &cause);
    g_free(cause);
    us = bare != NULL && strcmp(bare, FUZZ_ME) == 0;
    g_free(bare);
    return us;
}

/* Check what natter sent in answer to the iq st. */
static void
check(xmpp_stanza_t *st, GPtrArray *sent)
{
    const char *type = xmpp_stanza_get_type(st);
    const char *id = xmpp_stanza_get_id(st);
    bool request = g_strcmp0(type, "get") == 0 || g_strcmp0(type, "set") == 0;
    bool push = g_strcmp0(type, "set") == 0 &&
                (xmpp_stanza_get_child_by_name_and_ns(st, "query",
                                                      NS_ROSTER) != NULL ||
                 xmpp_stanza_get_child_by_name_and_ns(st, "block",
                                                      NS_BLOCKING) != NULL ||
                 xmpp_stanza_get_child_by_name_and_ns(st, "unblock",
                                                      NS_BLOCKING) != NULL);
    unsigned int answers = 0, results = 0;

    if (!fuzz_named(st, "iq"))
        return;
    for (guint i = 0; i < sent->len; i++) {
        xmpp_stanza_t *out = sent->pdata[i];
        const char *t = xmpp_stanza_get_type(out);
        if (!fuzz_named(out, "iq") ||
            (g_strcmp0(t, "result") != 0 && g_strcmp0(t, "error") != 0))
            continue;
        answers++;
        results += g_strcmp0(t, "result") == 0;
        FUZZ_CHECK(request, "natter answered an iq of type %s",
                   type != NULL ? type : "(none)");
        FUZZ_CHECK(g_strcmp0(xmpp_stanza_get_id(out), id) == 0,
                   "answer id %s to iq id %s", xmpp_stanza_get_id(out), id);
        FUZZ_CHECK(
            g_strcmp0(xmpp_stanza_get_to(out), xmpp_stanza_get_from(st)) == 0,
            "answer to %s for an iq from %s", xmpp_stanza_get_to(out),
            xmpp_stanza_get_from(st));
    }
    FUZZ_CHECK(answers <= 1, "%u answers to one iq", answers);
    if (push && !from_us(xmpp_stanza_get_from(st)))
        FUZZ_CHECK(results == 0, "a push from %s was acknowledged",
                   xmpp_stanza_get_from(st));
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
