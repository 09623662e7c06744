/* SPDX-License-Identifier: MIT */
#include "xmpp/xml.h"

#include <glib.h>
#include <stdbool.h>

/* A new element name, in namespace ns unless ns is NULL; caller releases. */
xmpp_stanza_t *
xml_element(xmpp_ctx_t *ctx, const char *name, const char *ns)
{
    xmpp_stanza_t *el = xmpp_stanza_new(ctx);

    xmpp_stanza_set_name(el, name);
    if (ns != NULL)
        xmpp_stanza_set_ns(el, ns);
    return el;
}

/* Add child to parent and drop our reference; returns child, now owned by
 * parent (borrowed). */
xmpp_stanza_t *
xml_adopt(xmpp_stanza_t *parent, xmpp_stanza_t *child)
{
    xmpp_stanza_add_child(parent, child);
    xmpp_stanza_release(child);
    return child;
}

/* Add <name>text</name> to parent (<name/> when text is NULL); returns the
 * new element, owned by parent. */
xmpp_stanza_t *
xml_add_text(xmpp_stanza_t *parent, const char *name, const char *text)
{
    xmpp_ctx_t *ctx = xmpp_stanza_get_context(parent);
    xmpp_stanza_t *el = xml_adopt(parent, xml_element(ctx, name, NULL));

    if (text != NULL) {
        xmpp_stanza_t *t = xmpp_stanza_new(ctx);
        xmpp_stanza_set_text(t, text);
        xml_adopt(el, t);
    }
    return el;
}

/* Copy of the text of el: "" when it has none, NULL when el is NULL.
 * Caller frees (g_free), unlike xmpp_stanza_get_text's xmpp_free. */
char *
xml_text(xmpp_stanza_t *el)
{
    char *t, *copy;

    if (el == NULL)
        return NULL;
    t = xmpp_stanza_get_text(el);
    if (t == NULL)
        return g_strdup("");
    copy = g_strdup(t);
    xmpp_free(xmpp_stanza_get_context(el), t);
    return copy;
}

/* xml_text() of the first child name of st: NULL when st or the child is
 * absent. Caller frees. */
char *
xml_child_text(xmpp_stanza_t *st, const char *name)
{
    if (st == NULL)
        return NULL;
    return xml_text(xmpp_stanza_get_child_by_name(st, name));
}

/* Stripped copy of the text of child name of st; NULL when st, the child
 * or its text is absent (whitespace only gives ""). Caller frees. */
char *
xml_child_text_stripped(xmpp_stanza_t *st, const char *name)
{
    char *t = xml_child_text(st, name);

    if (t != NULL && t[0] == '\0') {
        g_free(t);
        return NULL;
    }
    return t != NULL ? g_strstrip(t) : NULL;
}

/* s with each run of whitespace made one space and the ends trimmed, in
 * place; takes s and returns it, or NULL (s freed) when nothing is left.
 * Caller frees the result. */
char *
xml_one_line(char *s)
{
    char *w = s;
    bool space = false;

    if (s == NULL)
        return NULL;
    for (const char *r = s; *r != '\0'; r++) {
        if (g_ascii_isspace(*r)) {
            space = w != s;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        *w++ = *r;
    }
    *w = '\0';
    if (s[0] == '\0') {
        g_free(s);
        return NULL;
    }
    return s;
}

/* Make the text of the first child name of parent text, adding the child
 * when there is none; returns the child, owned by parent. */
xmpp_stanza_t *
xml_set_child_text(xmpp_stanza_t *parent, const char *name, const char *text)
{
    xmpp_stanza_t *el = xmpp_stanza_get_child_by_name(parent, name);
    xmpp_stanza_t *t;

    if (el == NULL)
        return xml_add_text(parent, name, text);
    /* libstrophe cannot remove a child: the text node is rewritten. */
    t = xmpp_stanza_get_children(el);
    if (t != NULL && xmpp_stanza_is_text(t)) {
        xmpp_stanza_set_text(t, text != NULL ? text : "");
    } else {
        t = xmpp_stanza_new(xmpp_stanza_get_context(parent));
        xmpp_stanza_set_text(t, text != NULL ? text : "");
        xml_adopt(el, t);
    }
    return el;
}
