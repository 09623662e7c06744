/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_XML_H
#define NATTER_XMPP_XML_H

#include <strophe.h>

/*
 * Small libstrophe element helpers shared by the stanza builders and
 * parsers, so each file does not carry its own copy. Strings returned are
 * g_malloc'd (free with g_free), never libstrophe-allocated.
 */

/* A new element name, in namespace ns unless ns is NULL; caller releases. */
xmpp_stanza_t *xml_element(xmpp_ctx_t *ctx, const char *name, const char *ns);
/* Add child to parent and drop our reference; returns child, now owned by
 * parent (borrowed). */
xmpp_stanza_t *xml_adopt(xmpp_stanza_t *parent, xmpp_stanza_t *child);
/* Add <name>text</name> to parent (<name/> when text is NULL; an empty
 * text still gets its text node); returns the new element, owned by
 * parent. */
xmpp_stanza_t *xml_add_text(xmpp_stanza_t *parent, const char *name,
                            const char *text);
/* Make the text of the first child name of parent text (adding the child
 * when there is none): how a transform replaces a <body/>. Returns the
 * child, owned by parent. */
xmpp_stanza_t *xml_set_child_text(xmpp_stanza_t *parent, const char *name,
                                  const char *text);
/* Copy of the text of el: "" when it has none, NULL when el is NULL.
 * Caller frees. */
char *xml_text(xmpp_stanza_t *el);
/* xml_text() of the first child name of st: NULL when st or the child is
 * absent, "" when the child has no text. Caller frees. */
char *xml_child_text(xmpp_stanza_t *st, const char *name);
/* Copy of the text of child name of st with outer whitespace stripped;
 * NULL when st, the child or its text is absent. Caller frees. */
char *xml_child_text_stripped(xmpp_stanza_t *st, const char *name);
/* s with each run of whitespace made one space and the ends trimmed, in
 * place. Takes s (g_malloc'd, may be NULL); returns it, or NULL (s freed)
 * when nothing is left. Caller frees the result. */
char *xml_one_line(char *s);

#endif
