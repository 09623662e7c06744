/* SPDX-License-Identifier: MIT */
/* Limits on what a server may make libstrophe's expat parser do. */
#include "xmpp/xmlguard.h"

#include <dlfcn.h>
#include <expat.h>
#include <glib.h>

/* What natter keeps per expat parser that libstrophe created. */
struct guard {
    XML_Parser parser;
    void *user;                    /* libstrophe's handler argument */
    XML_StartElementHandler start; /* libstrophe's handlers */
    XML_EndElementHandler end;
    XML_CharacterDataHandler chars;
    GString *text; /* character data not yet handed on */
    int depth;     /* 1 inside the stream element */
    int prune;     /* depth of the element being left out, or 0 */
    int kids[XMLGUARD_MAX_DEPTH + 1]; /* children so far, per open level */
    size_t stanza_bytes;              /* fed while inside a stanza */
    bool stopped;
};

static GPtrArray *guards; /* struct guard; one per connection, so few */
static const char *reason;
static bool used;
static unsigned long bytes_fed; /* see xmlguard_bytes_fed */

/* The guard of parser p, created if create is set; NULL if none. */
static struct guard *
guard_of_parser(XML_Parser p, bool create)
{
    struct guard *g;

    if (guards == NULL)
        guards = g_ptr_array_new();
    for (guint i = 0; i < guards->len; i++) {
        g = guards->pdata[i];
        if (g->parser == p)
            return g;
    }
    if (!create)
        return NULL;
    g = g_new0(struct guard, 1);
    g->parser = p;
    g->text = g_string_new(NULL);
    g_ptr_array_add(guards, g);
    return g;
}

/* The guard whose handler argument is user (set by XML_SetUserData). */
static struct guard *
guard_of_user(void *user)
{
    for (guint i = 0; guards != NULL && i < guards->len; i++) {
        struct guard *g = guards->pdata[i];
        if (g->user == user)
            return g;
    }
    return NULL;
}

/* The function name in the library after this program, or NULL. Every
 * expat function is looked up so: natter does not link expat itself. */
static void *
real(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

/* Stop g's parser for why; libstrophe sees a parse error. */
static void
refuse(struct guard *g, const char *why)
{
    static enum XML_Status(XMLCALL * stop)(XML_Parser, XML_Bool);

    if (g->stopped)
        return;
    g->stopped = true;
    reason = why;
    if (stop == NULL)
        stop = (__typeof__(stop))real("XML_StopParser");
    if (stop != NULL)
        stop(g->parser, XML_FALSE);
}

/* Hand the character data gathered so far to libstrophe, in one piece. */
static void
flush_text(struct guard *g)
{
    if (g->text->len > 0 && g->chars != NULL)
        g->chars(g->user, g->text->str, (int)g->text->len);
    g_string_truncate(g->text, 0);
}

/* Expat: character data; gathered until the next element boundary. */
static void XMLCALL
on_chars(void *user, const XML_Char *s, int len)
{
    struct guard *g = guard_of_user(user);

    if (g == NULL || g->stopped || g->prune != 0)
        return;
    g_string_append_len(g->text, s, len);
}

/* Expat: an element starts. One nested too deeply, or past the children
 * one element may have (the stream's own children, the stanzas, are not
 * counted), is left out with all it holds: the stanza arrives without
 * it, and the stream goes on. */
static void XMLCALL
on_start(void *user, const XML_Char *name, const XML_Char **attrs)
{
    struct guard *g = guard_of_user(user);

    if (g == NULL || g->stopped)
        return;
    if (g->prune != 0) {
        g->depth++;
        return;
    }
    if (g->depth >= XMLGUARD_MAX_DEPTH ||
        (g->depth >= 2 && g->kids[g->depth] >= XMLGUARD_MAX_CHILDREN)) {
        g->depth++;
        g->prune = g->depth;
        return;
    }
    flush_text(g);
    g->kids[g->depth]++;
    g->depth++;
    g->kids[g->depth] = 0;
    if (g->start != NULL)
        g->start(user, name, attrs);
}

/* Expat: an element ends. */
static void XMLCALL
on_end(void *user, const XML_Char *name)
{
    struct guard *g = guard_of_user(user);

    if (g == NULL || g->stopped)
        return;
    if (g->prune != 0) {
        if (g->depth == g->prune)
            g->prune = 0; /* the left-out element is over */
        g->depth--;
        return;
    }
    flush_text(g);
    if (g->depth > 0)
        g->depth--;
    if (g->depth <= 1)
        g->stanza_bytes = 0; /* a stanza is complete */
    if (g->end != NULL)
        g->end(user, name);
}

/* Expat: a DOCTYPE, which XMPP forbids (RFC 6120 11.1). */
static void XMLCALL
on_doctype(void *user, const XML_Char *name, const XML_Char *sysid,
           const XML_Char *pubid, int has_internal_subset)
{
    struct guard *g = guard_of_user(user);

    if (g != NULL)
        refuse(g, "the server sent a DOCTYPE (entity declarations are not "
                  "allowed in XMPP)");
}

/* Expat: an entity declaration (only possible inside a DOCTYPE). */
static void XMLCALL
on_entity(void *user, const XML_Char *name, int is_param,
          const XML_Char *value, int value_len, const XML_Char *base,
          const XML_Char *sysid, const XML_Char *pubid,
          const XML_Char *notation)
{
    struct guard *g = guard_of_user(user);

    if (g != NULL)
        refuse(g, "the server sent an entity declaration (not allowed in "
                  "XMPP)");
}

/* Wraps expat: remember libstrophe's element handlers, install ours,
 * and refuse DOCTYPEs and entity declarations. */
void XMLCALL
XML_SetElementHandler(XML_Parser p, XML_StartElementHandler start,
                      XML_EndElementHandler end)
{
    static void(XMLCALL * fn)(XML_Parser, XML_StartElementHandler,
                              XML_EndElementHandler);
    static void(XMLCALL * doctype)(XML_Parser, XML_StartDoctypeDeclHandler);
    static void(XMLCALL * entity)(XML_Parser, XML_EntityDeclHandler);
    struct guard *g = guard_of_parser(p, true);

    if (fn == NULL) {
        fn = (__typeof__(fn))real("XML_SetElementHandler");
        doctype = (__typeof__(doctype))real("XML_SetStartDoctypeDeclHandler");
        entity = (__typeof__(entity))real("XML_SetEntityDeclHandler");
    }
    used = true;
    g->user = XML_GetUserData(p);
    g->start = start;
    g->end = end;
    fn(p, on_start, on_end);
    if (doctype != NULL)
        doctype(p, on_doctype);
    if (entity != NULL)
        entity(p, on_entity);
}

/* Wraps expat: the handlers' argument, by which ours find their guard
 * (whichever order libstrophe sets things in). */
void XMLCALL
XML_SetUserData(XML_Parser p, void *user)
{
    static void(XMLCALL * fn)(XML_Parser, void *);
    struct guard *g = guard_of_parser(p, false);

    if (fn == NULL)
        fn = (__typeof__(fn))real("XML_SetUserData");
    if (g != NULL)
        g->user = user;
    fn(p, user);
}

/* Wraps expat: remember libstrophe's character handler, install ours. */
void XMLCALL
XML_SetCharacterDataHandler(XML_Parser p, XML_CharacterDataHandler h)
{
    static void(XMLCALL * fn)(XML_Parser, XML_CharacterDataHandler);
    struct guard *g = guard_of_parser(p, true);

    if (fn == NULL)
        fn = (__typeof__(fn))real("XML_SetCharacterDataHandler");
    g->user = XML_GetUserData(p);
    g->chars = h;
    fn(p, on_chars);
}

/* Wraps expat: count the bytes of the stanza being parsed. */
enum XML_Status XMLCALL
XML_Parse(XML_Parser p, const char *s, int len, int final)
{
    static enum XML_Status(XMLCALL * fn)(XML_Parser, const char *, int, int);
    struct guard *g = guard_of_parser(p, false);

    if (len > 0)
        bytes_fed += (unsigned long)len;
    if (fn == NULL)
        fn = (__typeof__(fn))real("XML_Parse");
    if (g != NULL && g->stopped)
        return XML_STATUS_ERROR; /* refused for good */
    if (g != NULL && g->depth > 1 && len > 0) {
        g->stanza_bytes += (size_t)len;
        if (g->stanza_bytes > XMLGUARD_MAX_STANZA) {
            g->stopped = true;
            reason = "the server sent a stanza larger than 16 MiB";
            return XML_STATUS_ERROR;
        }
    }
    return fn(p, s, len, final);
}

/* Bytes handed to the XML parsers so far: the driver reads on while
 * libstrophe still finds input. */
unsigned long
xmlguard_bytes_fed(void)
{
    return bytes_fed;
}

/* Wraps expat: a reset parser starts a new stream. */
XML_Bool XMLCALL
XML_ParserReset(XML_Parser p, const XML_Char *encoding)
{
    static XML_Bool(XMLCALL * fn)(XML_Parser, const XML_Char *);
    struct guard *g = guard_of_parser(p, false);

    if (fn == NULL)
        fn = (__typeof__(fn))real("XML_ParserReset");
    if (g != NULL) {
        g_string_truncate(g->text, 0);
        g->depth = 0;
        g->prune = 0;
        g->stanza_bytes = 0;
        g->stopped = false;
        g->start = NULL;
        g->end = NULL;
        g->chars = NULL;
    }
    return fn(p, encoding);
}

/* Wraps expat: forget the parser's guard. */
void XMLCALL
XML_ParserFree(XML_Parser p)
{
    static void(XMLCALL * fn)(XML_Parser);
    struct guard *g = guard_of_parser(p, false);

    if (fn == NULL)
        fn = (__typeof__(fn))real("XML_ParserFree");
    if (g != NULL) {
        g_ptr_array_remove(guards, g);
        g_string_free(g->text, TRUE);
        g_free(g);
    }
    if (guards != NULL && guards->len == 0) {
        g_ptr_array_free(guards, TRUE);
        guards = NULL;
    }
    fn(p);
}

/* Whether the wrappers are in use. */
bool
xmlguard_active(void)
{
    return used;
}

/* Why the guard last stopped a parser, or NULL; cleared by reading it. */
const char *
xmlguard_reason(void)
{
    const char *r = reason;

    reason = NULL;
    return r;
}
