/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for message archive results (XEP-0313, xmpp/mam.c):
 * the logged-in natter of tests/fuzz/fuzz-session.h has asked its archive
 * for a page at login; the input brings archive result messages (from our
 * own archive or forged by others) and the iq results that end a page,
 * with or without <fin complete>, RSM <set><last>, or errors. An input id
 * of "@urn:xmpp:mam:2" answers the newest page request. Besides crashes
 * and leaks it checks that natter never answers an archived message
 * (receipts and markers are for live ones), asks at most one next page
 * per answer, always after a non-empty archive id, and at most 20 pages
 * in one catch-up, and that all it prints is inert text.
 */
#include "fuzz-session.h"

/* Archive page requests seen in this input. */
static unsigned int pages;

/* Check what natter sent in answer to st. */
static void
check(xmpp_stanza_t *st, GPtrArray *sent)
{
    unsigned int asked = 0;

    for (guint i = 0; i < sent->len; i++) {
        xmpp_stanza_t *out = sent->pdata[i];
        xmpp_stanza_t *q =
            xmpp_stanza_get_child_by_name_and_ns(out, "query", NS_MAM);
        xmpp_stanza_t *set =
            q != NULL ? xmpp_stanza_get_child_by_name(q, "set") : NULL;
        xmpp_stanza_t *after =
            set != NULL ? xmpp_stanza_get_child_by_name(set, "after") : NULL;
        char *text = after != NULL ? xmpp_stanza_get_text(after) : NULL;

        FUZZ_CHECK(!fuzz_named(st, "message") ||
                       xmpp_stanza_get_child_by_name_and_ns(st, "result",
                                                            NS_MAM) == NULL ||
                       (xmpp_stanza_get_child_by_name_and_ns(
                            out, "received", NS_RECEIPTS) == NULL &&
                        xmpp_stanza_get_child_by_name_and_ns(
                            out, "displayed", NS_MARKERS) == NULL),
                   "natter answered an archived message");
        if (q != NULL) {
            asked++;
            FUZZ_CHECK(text != NULL && text[0] != '\0',
                       "a page request without an archive id to start at");
        }
        if (text != NULL)
            xmpp_free(session_ctx(), text);
    }
    FUZZ_CHECK(asked <= 1, "%u page requests for one answer", asked);
    pages += asked;
    FUZZ_CHECK(pages < 20, "%u pages asked in one catch-up", pages + 1);
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
    pages = 0;
    fuzz_session_feed(data, size, check);
    fuzz_session_stop();
    return 0;
}
