/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for what rooms send (xmpp/muc-stanza.c): the input is
 * parsed as XML, then the room presence, invitation, disco and self-ping
 * parsers run on the stanza and each child element, and the mention
 * check on its text, whatever their shape.
 */
#include "fuzz.h"

#include <locale.h>

#include "core/room.h"
#include "xmpp/disco.h"
#include "xmpp/muc-stanza.h"

static xmpp_ctx_t *ctx;

/* Run the service discovery parsers on st and check their results. */
static void
parse_disco(xmpp_stanza_t *st)
{
    struct disco_result *r = disco_info_parse(st);

    for (guint i = 0; i < r->identities->len; i++)
        FUZZ_CHECK(
            ((struct disco_identity *)r->identities->pdata[i])->category !=
                NULL,
            "identity without category");
    for (guint i = 0; i < r->features->len; i++)
        FUZZ_CHECK(r->features->pdata[i] != NULL, "feature without var");
    FUZZ_CHECK(!r->ok || r->condition == NULL, "result with a condition");
    (void)disco_result_has_feature(r, "urn:xmpp:mam:2");
    (void)disco_result_has_identity(r, "conference", NULL);
    (void)disco_result_form_value(r, "muc#roominfo_occupants");
    disco_result_free(r);
    r = disco_items_result_parse(st);
    for (guint i = 0; i < r->items->len; i++)
        FUZZ_CHECK(((struct disco_link *)r->items->pdata[i])->jid != NULL,
                   "item without jid");
    disco_result_free(r);
}

/* Run every room parser on st and check what they return. */
static void
parse_all(xmpp_stanza_t *st)
{
    struct muc_presence p;
    struct muc_invite inv;
    GPtrArray *items;
    char *v;

    if (muc_presence_parse(st, &p)) {
        FUZZ_CHECK(p.room != NULL && p.show != NULL, "presence parts");
        FUZZ_CHECK(p.ncodes >= 0 && p.ncodes <= MUC_MAX_CODES, "codes %d",
                   p.ncodes);
        for (int i = 0; i < p.ncodes; i++)
            FUZZ_CHECK(p.codes[i] >= 100 && p.codes[i] <= 999, "code %d",
                       p.codes[i]);
        FUZZ_CHECK(!p.error || !p.unavailable, "error and unavailable");
        if (p.nick != NULL)
            (void)room_mentions(p.status, p.nick, p.reason);
    }
    muc_presence_clear(&p);

    if (muc_invite_parse(st, &inv))
        FUZZ_CHECK(inv.room != NULL && inv.from != NULL, "invite parts");
    muc_invite_clear(&inv);

    items = disco_items_parse(st, NS_DISCO_ITEMS);
    for (guint i = 0; i < items->len; i++)
        FUZZ_CHECK(((struct disco_item *)items->pdata[i])->jid != NULL,
                   "item without jid");
    g_ptr_array_unref(items);
    items = disco_items_parse(st, NS_MUC_ADMIN);
    g_ptr_array_unref(items);
    (void)disco_has_feature(st, "urn:xmpp:mam:2");
    (void)disco_has_identity(st, "conference", "text");
    v = disco_form_value(st, "muc#roominfo_occupants");
    g_free(v);
    v = disco_identity_name(st);
    g_free(v);
    (void)muc_self_ping_lost(st);
    parse_disco(st);
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

    /* The mention check also sees the raw bytes, valid UTF-8 or not. */
    (void)room_mentions(xml, "alice", "word, other");
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
