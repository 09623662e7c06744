/* SPDX-License-Identifier: MIT */
/* Bookmark stanzas (XEP-0402 and XEP-0048) taken apart and built. */
#include "xmpp/bookmark-stanza.h"

#include <string.h>

#include "core/bookmark.h"
#include "xmpp/jid.h"
#include "xmpp/xml.h"

/* The XML text of st; result must be freed with g_free(). */
static char *
to_text(xmpp_stanza_t *st)
{
    char *buf = NULL, *copy;
    size_t len = 0;

    if (xmpp_stanza_to_text(st, &buf, &len) != XMPP_EOK)
        return NULL;
    copy = g_strndup(buf, len);
    xmpp_free(xmpp_stanza_get_context(st), buf);
    return copy;
}

/* The prepared room JID in s: local@domain, no resource; NULL if s is
 * not one. Note: result must be freed. */
static char *
room_jid(const char *s)
{
    struct jid j;
    char *why = NULL, *bare = NULL;

    if (s == NULL || !jid_parse(s, &j, &why)) {
        g_free(why);
        return NULL;
    }
    if (j.local != NULL && j.resource == NULL)
        bare = jid_bare_of(&j);
    jid_clear(&j);
    return bare;
}

/* A bookmark from a <conference/> element; free with bookmark_free(). */
struct bookmark *
bookmark_conference_parse(xmpp_stanza_t *conf, const char *jid)
{
    char *bare =
        room_jid(jid != NULL ? jid : xmpp_stanza_get_attribute(conf, "jid"));
    struct bookmark *b;
    xmpp_stanza_t *ext;

    if (bare == NULL)
        return NULL;
    b = bookmark_new(bare);
    g_free(bare);
    b->name = g_strdup(xmpp_stanza_get_attribute(conf, "name"));
    b->autojoin = bookmark_bool(xmpp_stanza_get_attribute(conf, "autojoin"));
    b->nick = xml_child_text(conf, "nick");
    b->password = xml_child_text(conf, "password");
    if (b->nick != NULL && b->nick[0] == '\0') {
        g_free(b->nick); /* an empty nick means none */
        b->nick = NULL;
    }
    ext = xmpp_stanza_get_child_by_name(conf, "extensions");
    if (ext != NULL && jid != NULL)
        b->extensions = to_text(ext);
    return b;
}

/* The bookmarks in the <item/>s of a pubsub <items/> element. */
GPtrArray *
bookmark_items_parse(xmpp_stanza_t *items)
{
    GPtrArray *out =
        g_ptr_array_new_with_free_func((GDestroyNotify)bookmark_free);

    for (xmpp_stanza_t *it = xmpp_stanza_get_children(items); it != NULL;
         it = xmpp_stanza_get_next(it)) {
        xmpp_stanza_t *conf;
        struct bookmark *b;
        if (g_strcmp0(xmpp_stanza_get_name(it), "item") != 0)
            continue;
        conf = xmpp_stanza_get_child_by_name_and_ns(it, "conference",
                                                    NS_BOOKMARKS);
        if (conf == NULL)
            continue;
        b = bookmark_conference_parse(conf,
                                      xmpp_stanza_get_attribute(it, "id"));
        if (b != NULL)
            g_ptr_array_add(out, b);
    }
    return out;
}

/* The bookmarks of a pubsub items result for the XEP-0402 node. */
GPtrArray *
bookmark_pep_result_parse(xmpp_stanza_t *iq)
{
    xmpp_stanza_t *ps, *items;

    if (g_strcmp0(xmpp_stanza_get_type(iq), "result") != 0)
        return NULL;
    ps = xmpp_stanza_get_child_by_name_and_ns(iq, "pubsub", NS_PUBSUB);
    items = ps != NULL ? xmpp_stanza_get_child_by_name(ps, "items") : NULL;
    if (items == NULL)
        return NULL;
    if (g_strcmp0(xmpp_stanza_get_attribute(items, "node"), NS_BOOKMARKS) != 0)
        return NULL;
    return bookmark_items_parse(items);
}

/* A PEP notification about the XEP-0402 node inside msg. */
bool
bookmark_event_parse(xmpp_stanza_t *msg, GPtrArray **published,
                     GPtrArray **retracted, bool *purged)
{
    xmpp_stanza_t *ev =
        xmpp_stanza_get_child_by_name_and_ns(msg, "event", NS_PUBSUB_EVENT);
    xmpp_stanza_t *items, *purge;

    if (ev == NULL)
        return false;
    items = xmpp_stanza_get_child_by_name(ev, "items");
    purge = xmpp_stanza_get_child_by_name(ev, "purge");
    if (items != NULL && g_strcmp0(xmpp_stanza_get_attribute(items, "node"),
                                   NS_BOOKMARKS) == 0) {
        *published = bookmark_items_parse(items);
        *retracted = g_ptr_array_new_with_free_func(g_free);
        *purged = false;
        for (xmpp_stanza_t *r = xmpp_stanza_get_children(items); r != NULL;
             r = xmpp_stanza_get_next(r)) {
            char *bare;
            if (g_strcmp0(xmpp_stanza_get_name(r), "retract") != 0)
                continue;
            bare = room_jid(xmpp_stanza_get_attribute(r, "id"));
            if (bare != NULL)
                g_ptr_array_add(*retracted, bare);
        }
        return true;
    }
    if (purge != NULL && g_strcmp0(xmpp_stanza_get_attribute(purge, "node"),
                                   NS_BOOKMARKS) == 0) {
        *published =
            g_ptr_array_new_with_free_func((GDestroyNotify)bookmark_free);
        *retracted = g_ptr_array_new_with_free_func(g_free);
        *purged = true;
        return true;
    }
    return false;
}

/* The bookmarks of a private storage result holding XEP-0048 <storage/>. */
GPtrArray *
bookmark_private_parse(xmpp_stanza_t *iq, GPtrArray *foreign)
{
    xmpp_stanza_t *q, *storage;
    GPtrArray *out;

    if (g_strcmp0(xmpp_stanza_get_type(iq), "result") != 0)
        return NULL;
    q = xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_PRIVATE);
    if (q == NULL)
        return NULL;
    out = g_ptr_array_new_with_free_func((GDestroyNotify)bookmark_free);
    storage =
        xmpp_stanza_get_child_by_name_and_ns(q, "storage", NS_BOOKMARKS_OLD);
    if (storage == NULL)
        return out; /* nothing stored yet */
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(storage); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        struct bookmark *b = NULL;
        if (!xmpp_stanza_is_tag(c))
            continue;
        if (g_strcmp0(xmpp_stanza_get_name(c), "conference") == 0)
            b = bookmark_conference_parse(c, NULL);
        if (b != NULL) {
            g_ptr_array_add(out, b);
        } else if (foreign != NULL) {
            char *xml = to_text(c);
            if (xml != NULL)
                g_ptr_array_add(foreign, xml);
        }
    }
    return out;
}

/* A conference element for b in ns; with_jid adds XEP-0048's jid. */
static xmpp_stanza_t *
conference_build(xmpp_ctx_t *ctx, const struct bookmark *b, const char *ns,
                 bool with_jid)
{
    xmpp_stanza_t *c = xml_element(ctx, "conference", ns);

    if (with_jid)
        xmpp_stanza_set_attribute(c, "jid", b->jid);
    if (b->name != NULL)
        xmpp_stanza_set_attribute(c, "name", b->name);
    xmpp_stanza_set_attribute(c, "autojoin", b->autojoin ? "true" : "false");
    if (b->nick != NULL)
        xml_add_text(c, "nick", b->nick);
    if (b->password != NULL)
        xml_add_text(c, "password", b->password);
    if (!with_jid && b->extensions != NULL) {
        xmpp_stanza_t *ext = xmpp_stanza_new_from_string(ctx, b->extensions);
        if (ext != NULL)
            xml_adopt(c, ext);
    }
    return c;
}

/* The XEP-0402 <conference/> for b; caller releases. */
xmpp_stanza_t *
bookmark_conference_build(xmpp_ctx_t *ctx, const struct bookmark *b)
{
    return conference_build(ctx, b, NS_BOOKMARKS, false);
}

/* Fetch every XEP-0402 item from our own PEP service; caller releases. */
xmpp_stanza_t *
bookmark_pep_get_build(xmpp_ctx_t *ctx, const char *id, const char *to)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "get", id);
    xmpp_stanza_t *ps = xml_adopt(iq, xml_element(ctx, "pubsub", NS_PUBSUB));
    xmpp_stanza_t *items = xml_adopt(ps, xml_element(ctx, "items", NULL));

    if (to != NULL)
        xmpp_stanza_set_to(iq, to);
    xmpp_stanza_set_attribute(items, "node", NS_BOOKMARKS);
    return iq;
}

/* Add a data form field var with one value to form. */
static void
add_field(xmpp_ctx_t *ctx, xmpp_stanza_t *form, const char *var,
          const char *type, const char *value)
{
    xmpp_stanza_t *f = xml_adopt(form, xml_element(ctx, "field", NULL));

    xmpp_stanza_set_attribute(f, "var", var);
    if (type != NULL)
        xmpp_stanza_set_attribute(f, "type", type);
    if (value != NULL)
        xml_add_text(f, "value", value);
}

/* Publish b as an XEP-0402 item with the XEP's publish-options. */
xmpp_stanza_t *
bookmark_pep_publish_build(xmpp_ctx_t *ctx, const char *id,
                           const struct bookmark *b)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "set", id);
    xmpp_stanza_t *ps = xml_adopt(iq, xml_element(ctx, "pubsub", NS_PUBSUB));
    xmpp_stanza_t *pub = xml_adopt(ps, xml_element(ctx, "publish", NULL));
    xmpp_stanza_t *item = xml_adopt(pub, xml_element(ctx, "item", NULL));
    xmpp_stanza_t *opts =
        xml_adopt(ps, xml_element(ctx, "publish-options", NULL));
    xmpp_stanza_t *form =
        xml_adopt(opts, xml_element(ctx, "x", "jabber:x:data"));

    xmpp_stanza_set_attribute(pub, "node", NS_BOOKMARKS);
    xmpp_stanza_set_attribute(item, "id", b->jid);
    xml_adopt(item, bookmark_conference_build(ctx, b));
    xmpp_stanza_set_type(form, "submit");
    add_field(ctx, form, "FORM_TYPE", "hidden", NS_PUBSUB_PUBLISH_OPTIONS);
    add_field(ctx, form, "pubsub#persist_items", NULL, "true");
    add_field(ctx, form, "pubsub#max_items", NULL, "max");
    add_field(ctx, form, "pubsub#send_last_published_item", NULL, "never");
    add_field(ctx, form, "pubsub#access_model", NULL, "whitelist");
    return iq;
}

/* Retract the XEP-0402 item of room jid; caller releases. */
xmpp_stanza_t *
bookmark_pep_retract_build(xmpp_ctx_t *ctx, const char *id, const char *jid)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "set", id);
    xmpp_stanza_t *ps = xml_adopt(iq, xml_element(ctx, "pubsub", NS_PUBSUB));
    xmpp_stanza_t *r = xml_adopt(ps, xml_element(ctx, "retract", NULL));
    xmpp_stanza_t *item = xml_adopt(r, xml_element(ctx, "item", NULL));

    xmpp_stanza_set_attribute(r, "node", NS_BOOKMARKS);
    xmpp_stanza_set_attribute(r, "notify", "true");
    xmpp_stanza_set_attribute(item, "id", jid);
    return iq;
}

/* Read XEP-0048 bookmarks from private storage; caller releases. */
xmpp_stanza_t *
bookmark_private_get_build(xmpp_ctx_t *ctx, const char *id)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "get", id);
    xmpp_stanza_t *q = xml_adopt(iq, xml_element(ctx, "query", NS_PRIVATE));

    xml_adopt(q, xml_element(ctx, "storage", NS_BOOKMARKS_OLD));
    return iq;
}

/* Write bookmarks and foreign elements as one XEP-0048 <storage/>. */
xmpp_stanza_t *
bookmark_private_set_build(xmpp_ctx_t *ctx, const char *id,
                           GPtrArray *bookmarks, GPtrArray *foreign)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "set", id);
    xmpp_stanza_t *q = xml_adopt(iq, xml_element(ctx, "query", NS_PRIVATE));
    xmpp_stanza_t *storage =
        xml_adopt(q, xml_element(ctx, "storage", NS_BOOKMARKS_OLD));

    for (guint i = 0; bookmarks != NULL && i < bookmarks->len; i++)
        xml_adopt(storage,
                  conference_build(ctx, bookmarks->pdata[i], NULL, true));
    for (guint i = 0; foreign != NULL && i < foreign->len; i++) {
        xmpp_stanza_t *e = xmpp_stanza_new_from_string(ctx, foreign->pdata[i]);
        if (e != NULL)
            xml_adopt(storage, e);
    }
    return iq;
}
