/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the incoming stanza parsers (xmpp/stanza.c): the
 * input is parsed as XML with libstrophe, then msg_parse(),
 * presence_parse(), roster_parse(), stanza_error_text() and the data
 * form reader (xmpp/dataform.c, with what is built from it) run on the
 * stanza and on each of its child elements, whatever their shape.
 */
#include "fuzz.h"

#include <locale.h>

#include "xmpp/dataform.h"
#include "core/bookmark.h"
#include "xmpp/bookmark-stanza.h"
#include "xmpp/stanza.h"

static xmpp_ctx_t *ctx;

/* Whether st is an element named name. */
static gboolean
named(xmpp_stanza_t *st, const char *name)
{
    const char *n = xmpp_stanza_is_tag(st) ? xmpp_stanza_get_name(st) : NULL;

    return n != NULL && strcmp(n, name) == 0;
}

/* Check parsed bookmarks (may be NULL) and build each one again. */
static void
check_bookmarks(GPtrArray *list)
{
    for (guint i = 0; list != NULL && i < list->len; i++) {
        struct bookmark *b = list->pdata[i];
        xmpp_stanza_t *iq;
        FUZZ_CHECK(b != NULL && b->jid != NULL && strchr(b->jid, '@'),
                   "bookmark without a room JID");
        iq = bookmark_pep_publish_build(ctx, "f", b);
        xmpp_stanza_release(iq);
    }
    if (list != NULL) {
        xmpp_stanza_release(bookmark_private_set_build(ctx, "f", list, NULL));
        g_ptr_array_unref(list);
    }
}

/* Run the bookmark parsers (XEP-0402 and XEP-0048) on st. */
static void
parse_bookmarks(xmpp_stanza_t *st)
{
    GPtrArray *pub = NULL, *ret = NULL, *foreign;
    bool purged;

    check_bookmarks(bookmark_pep_result_parse(st));
    foreign = g_ptr_array_new_with_free_func(g_free);
    check_bookmarks(bookmark_private_parse(st, foreign));
    g_ptr_array_unref(foreign);
    if (bookmark_event_parse(st, &pub, &ret, &purged)) {
        FUZZ_CHECK(pub != NULL && ret != NULL, "event without lists");
        FUZZ_CHECK(!purged || pub->len + ret->len == 0, "purge with items");
        check_bookmarks(pub);
        g_ptr_array_unref(ret);
    }
}

/* Run every parser on st and check what they return. */
static void
parse_all(xmpp_stanza_t *st)
{
    struct form *form;
    struct parsed_message m;
    struct parsed_presence p;
    GPtrArray *items;
    char *err;

    if (msg_parse(st, &m)) {
        FUZZ_CHECK(named(st, "message"), "msg_parse took another stanza");
        FUZZ_CHECK(m.type != NULL, "message without type");
        FUZZ_CHECK((strcmp(m.type, "error") == 0) == (m.error != NULL),
                   "type %s with error %s", m.type,
                   m.error != NULL ? m.error : "(none)");
    } else {
        FUZZ_CHECK(!named(st, "message"), "msg_parse refused a message");
    }
    msg_clear(&m);

    if (presence_parse(st, &p)) {
        FUZZ_CHECK(named(st, "presence"), "presence_parse took another");
        FUZZ_CHECK(p.show != NULL && show_valid(p.show), "show %s",
                   p.show != NULL ? p.show : "(null)");
        FUZZ_CHECK(p.priority >= -128 && p.priority <= 127, "priority %d",
                   p.priority);
    } else {
        FUZZ_CHECK(!named(st, "presence"), "presence_parse refused one");
    }
    presence_clear(&p);

    items = roster_parse(st);
    FUZZ_CHECK(items != NULL, "roster_parse returned NULL");
    for (guint i = 0; i < items->len; i++) {
        struct roster_item *it = items->pdata[i];
        FUZZ_CHECK(it != NULL && it->jid != NULL, "roster item without jid");
        FUZZ_CHECK(it->groups != NULL, "roster item without groups");
        for (guint g = 0; g < it->groups->len; g++)
            FUZZ_CHECK(it->groups->pdata[g] != NULL, "NULL group");
    }
    g_ptr_array_unref(items);

    err = stanza_error_text(st);
    FUZZ_CHECK(err != NULL && err[0] != '\0', "empty error text");
    g_free(err);

    form = dataform_parse(st);
    FUZZ_CHECK(form == NULL || named(st, "x"), "dataform_parse took another");
    if (form != NULL) {
        GPtrArray *lines = form_describe(form);
        xmpp_stanza_t *x = dataform_submit_build(ctx, form->fields);
        for (guint i = 0; i < form->fields->len; i++) {
            struct form_field *f = form->fields->pdata[i];
            FUZZ_CHECK(f->type != NULL && f->values != NULL &&
                           f->options != NULL,
                       "half-made field");
            FUZZ_CHECK(f->var != NULL || strcmp(f->type, "fixed") == 0,
                       "input field without var");
        }
        FUZZ_CHECK(lines->len > 0, "a form without lines");
        g_ptr_array_unref(lines);
        xmpp_stanza_release(x);
        form_free(form);
    }
    parse_bookmarks(st);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    ctx = xmpp_ctx_new(NULL, NULL);
    return ctx != NULL ? 0 : 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *xml = fuzz_strndup(data, size);
    xmpp_stanza_t *st = xmpp_stanza_new_from_string(ctx, xml);

    g_free(xml);
    if (st == NULL)
        return 0;
    parse_all(st);
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(st); c != NULL;
         c = xmpp_stanza_get_next(c))
        if (xmpp_stanza_is_tag(c))
            parse_all(c);
    xmpp_stanza_release(st);
    return 0;
}
