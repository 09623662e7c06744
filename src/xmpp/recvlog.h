/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_RECVLOG_H
#define NATTER_XMPP_RECVLOG_H

#include <stdbool.h>
#include <strophe.h>

/*
 * libstrophe 0.12 serialises every stanza it receives to text, only to
 * log it as "RECV: ..." at debug level, before any handler sees it: at
 * 1,000-byte messages that was 29% of natter's CPU per message (see
 * BENCHMARKS.md, burst-real), for a line that is thrown away unless
 * NATTER_DEBUG_LOG is set. libstrophe offers no switch, so natter
 * defines xmpp_stanza_to_text itself (a definition in the program comes
 * before the library's, as in xmlguard.c) and passes every call on to
 * the library's, except the one for that log line while nobody needs
 * it: then it reports failure, and libstrophe leaves the line out
 * (_handle_stream_stanza logs only when serialising succeeded).
 *
 * That call is told from the others (sending, natter's own) by where it
 * comes from: the first time a handler is given a stanza that libstrophe
 * itself has just serialised, with nothing serialised in between, the
 * return address of that call is the log line's (recvlog_received). Until
 * then every call is passed on, so a libstrophe that changed only costs
 * the time it always did.
 */

/* Decide whether received stanzas must still be logged; needed is asked
 * at every received stanza (NULL: always). */
void recvlog_set_needed(bool (*needed)(void));

/* A handler got st, straight from libstrophe's parser. */
void recvlog_received(xmpp_stanza_t *st);

/* Whether the log line's call has been found. */
bool recvlog_calibrated(void);

/* How many received stanzas were not serialised since start-up. */
unsigned long recvlog_skipped(void);

#endif
