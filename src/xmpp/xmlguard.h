/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_XMLGUARD_H
#define NATTER_XMPP_XMLGUARD_H

#include <stdbool.h>

/*
 * Limits on what a server may make libstrophe's XML parser (expat) do.
 * libstrophe sets up expat itself and offers no hook, so natter wraps the
 * few expat calls libstrophe makes (XML_SetUserData,
 * XML_SetElementHandler, XML_SetCharacterDataHandler, XML_Parse,
 * XML_ParserReset, XML_ParserFree): a definition in the program comes before
 * the one in libexpat. Each wrapper calls the real function (dlsym RTLD_NEXT)
 * and adds:
 *  - a DOCTYPE or entity declaration stops the parser (RFC 6120 11.1
 *    forbids them; expanded entities are how "billion laughs" works);
 *  - elements nested deeper than XMLGUARD_MAX_DEPTH, and children of one
 *    element past XMLGUARD_MAX_CHILDREN, are left out of the stanza with
 *    all they hold (libstrophe renders each stanza recursively, so depth
 *    is stack: 100,000 levels crashed natter; and it appends each child
 *    by walking its siblings, so 50,000 children took 80 s);
 *  - a stanza longer than XMLGUARD_MAX_STANZA bytes stops the parser;
 *  - character data is handed to libstrophe in one piece per text run:
 *    libstrophe appends each piece to a growing buffer, which costs
 *    quadratic time for text split into many pieces (entities, newlines).
 * A stopped parser is a parse error for libstrophe: the stream is closed
 * (see driver_on_parse_error) and xmlguard_reason() says why.
 */

#define XMLGUARD_MAX_DEPTH 256
#define XMLGUARD_MAX_CHILDREN 10000
#define XMLGUARD_MAX_STANZA (16 * 1024 * 1024)

/* Whether the wrappers are in use (libstrophe parses with this expat). */
bool xmlguard_active(void);
/* Bytes given to XML_Parse since start-up, all parsers together. */
unsigned long xmlguard_bytes_fed(void);
/* Why the guard last stopped a parser, or NULL; cleared by reading it.
 * Note: static string, not to be freed. */
const char *xmlguard_reason(void);

#endif
