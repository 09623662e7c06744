/* SPDX-License-Identifier: MIT */
/* Service discovery (XEP-0030, XEP-0128): questions and parsed answers. */
#include "xmpp/disco.h"

#include <string.h>

#include "core/account.h"
#include "xmpp/muc-stanza.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"
#include "xmpp/xml.h"

/* Free a disco identity. */
static void
identity_free(void *p)
{
    struct disco_identity *id = p;

    g_free(id->category);
    g_free(id->type);
    g_free(id->name);
    g_free(id);
}

/* Free a disco item. */
static void
link_free(void *p)
{
    struct disco_link *l = p;

    g_free(l->jid);
    g_free(l->node);
    g_free(l->name);
    g_free(l);
}

/* Free an extended-information form. */
static void
form_free(void *p)
{
    struct disco_form *f = p;

    g_free(f->form_type);
    g_hash_table_unref(f->values);
    g_free(f);
}

/* An empty result. Note: free with disco_result_free(). */
static struct disco_result *
result_new(void)
{
    struct disco_result *r = g_new0(struct disco_result, 1);

    r->identities = g_ptr_array_new_with_free_func(identity_free);
    r->features = g_ptr_array_new_with_free_func(g_free);
    r->items = g_ptr_array_new_with_free_func(link_free);
    r->forms = g_ptr_array_new_with_free_func(form_free);
    return r;
}

/* Free r and everything in it. */
void
disco_result_free(struct disco_result *r)
{
    if (r == NULL)
        return;
    g_free(r->condition);
    g_free(r->error);
    g_ptr_array_unref(r->identities);
    g_ptr_array_unref(r->features);
    g_ptr_array_unref(r->items);
    g_ptr_array_unref(r->forms);
    g_free(r);
}

/* Note in r whether reply is a result, or its error condition. */
static void
parse_type(struct disco_result *r, xmpp_stanza_t *reply)
{
    const char *type = xmpp_stanza_get_type(reply);
    xmpp_stanza_t *err;

    r->ok = g_strcmp0(type, "result") == 0;
    if (g_strcmp0(type, "error") != 0)
        return;
    r->error = stanza_error_text(reply);
    err = xmpp_stanza_get_child_by_name(reply, "error");
    /* The condition is the element that is not the human text. */
    for (xmpp_stanza_t *c = err != NULL ? xmpp_stanza_get_children(err) : NULL;
         c != NULL; c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        if (xmpp_stanza_is_tag(c) && name != NULL &&
            strcmp(name, "text") != 0) {
            r->condition = g_strdup(name);
            break;
        }
    }
}

/* An XEP-0004 form x as an extended-information form. Note: free with
 * form_free(). */
static struct disco_form *
parse_form(xmpp_stanza_t *x)
{
    struct disco_form *f = g_new0(struct disco_form, 1);

    f->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(x); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        const char *var = xmpp_stanza_get_attribute(c, "var");
        char *value;
        if (g_strcmp0(xmpp_stanza_get_name(c), "field") != 0 || var == NULL ||
            g_hash_table_contains(f->values, var))
            continue; /* the first field of a name wins */
        value = xml_child_text(c, "value");
        if (value == NULL)
            continue;
        if (strcmp(var, "FORM_TYPE") == 0 && f->form_type == NULL)
            f->form_type = g_strdup(value);
        g_hash_table_insert(f->values, g_strdup(var), value);
    }
    return f;
}

/* Parse a disco#info reply. Note: free with disco_result_free(). */
struct disco_result *
disco_info_parse(xmpp_stanza_t *reply)
{
    struct disco_result *r = result_new();
    xmpp_stanza_t *q =
        xmpp_stanza_get_child_by_name_and_ns(reply, "query", NS_DISCO_INFO);

    parse_type(r, reply);
    for (xmpp_stanza_t *c = q != NULL ? xmpp_stanza_get_children(q) : NULL;
         c != NULL; c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        if (g_strcmp0(name, "identity") == 0) {
            const char *cat = xmpp_stanza_get_attribute(c, "category");
            struct disco_identity *id;
            if (cat == NULL)
                continue;
            id = g_new0(struct disco_identity, 1);
            id->category = g_strdup(cat);
            id->type = g_strdup(xmpp_stanza_get_attribute(c, "type"));
            id->name = g_strdup(xmpp_stanza_get_attribute(c, "name"));
            g_ptr_array_add(r->identities, id);
        } else if (g_strcmp0(name, "feature") == 0) {
            const char *var = xmpp_stanza_get_attribute(c, "var");
            if (var != NULL)
                g_ptr_array_add(r->features, g_strdup(var));
        } else if (g_strcmp0(name, "x") == 0 &&
                   g_strcmp0(xmpp_stanza_get_ns(c), "jabber:x:data") == 0) {
            g_ptr_array_add(r->forms, parse_form(c));
        }
    }
    return r;
}

/* Parse a disco#items reply. Note: free with disco_result_free(). */
struct disco_result *
disco_items_result_parse(xmpp_stanza_t *reply)
{
    struct disco_result *r = result_new();
    xmpp_stanza_t *q =
        xmpp_stanza_get_child_by_name_and_ns(reply, "query", NS_DISCO_ITEMS);

    parse_type(r, reply);
    for (xmpp_stanza_t *c = q != NULL ? xmpp_stanza_get_children(q) : NULL;
         c != NULL; c = xmpp_stanza_get_next(c)) {
        const char *jid = xmpp_stanza_get_attribute(c, "jid");
        struct disco_link *l;
        if (g_strcmp0(xmpp_stanza_get_name(c), "item") != 0 || jid == NULL)
            continue;
        l = g_new0(struct disco_link, 1);
        l->jid = g_strdup(jid);
        l->node = g_strdup(xmpp_stanza_get_attribute(c, "node"));
        l->name = g_strdup(xmpp_stanza_get_attribute(c, "name"));
        g_ptr_array_add(r->items, l);
    }
    return r;
}

/* Whether r lists feature var. */
bool
disco_result_has_feature(const struct disco_result *r, const char *var)
{
    for (guint i = 0; i < r->features->len; i++)
        if (g_strcmp0(r->features->pdata[i], var) == 0)
            return true;
    return false;
}

/* Whether r has an identity of category and type (NULL: any type). */
bool
disco_result_has_identity(const struct disco_result *r, const char *category,
                          const char *type)
{
    for (guint i = 0; i < r->identities->len; i++) {
        const struct disco_identity *id = r->identities->pdata[i];
        if (g_strcmp0(id->category, category) == 0 &&
            (type == NULL || g_strcmp0(id->type, type) == 0))
            return true;
    }
    return false;
}

/* The value of field var in r's forms, or NULL; owned by r. */
const char *
disco_result_form_value(const struct disco_result *r, const char *var)
{
    for (guint i = 0; i < r->forms->len; i++) {
        const struct disco_form *f = r->forms->pdata[i];
        const char *v = g_hash_table_lookup(f->values, var);
        if (v != NULL)
            return v;
    }
    return NULL;
}

/* What a question remembers until its answer. */
struct disco_call {
    bool items; /* disco#items, else disco#info */
    disco_fn fn;
    void *data;
};

/* The answer (or the end of the session): parse it for the caller. */
static void
on_disco_reply(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct disco_call *c = data;
    struct disco_result *r;

    if (reply == NULL) {
        r = result_new();
        r->lost = true;
    } else {
        r = c->items ? disco_items_result_parse(reply)
                     : disco_info_parse(reply);
    }
    c->fn(acct, r, c->data);
    disco_result_free(r);
    g_free(c);
}

/* Send a disco get of ns to jid (node may be NULL) for fn. */
static bool
disco_ask(struct account *acct, const char *jid, const char *node, bool items,
          disco_fn fn, void *data, char **cause)
{
    xmpp_ctx_t *ctx = session_ctx();
    char *id;
    xmpp_stanza_t *iq, *q;
    struct disco_call *c;
    bool ok;

    if (ctx == NULL) {
        *cause = g_strdup_printf("%s is not connected", acct->jid);
        return false;
    }
    id = xmpp_uuid_gen(ctx);
    iq = disco_get_build(ctx, id, jid, items ? NS_DISCO_ITEMS : NS_DISCO_INFO);
    q = xmpp_stanza_get_children(iq);
    if (node != NULL && q != NULL)
        xmpp_stanza_set_attribute(q, "node", node);
    c = g_new0(struct disco_call, 1);
    c->items = items;
    c->fn = fn;
    c->data = data;
    ok = session_send_iq(acct, iq, on_disco_reply, c, cause);
    if (!ok)
        g_free(c);
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
    return ok;
}

/* Ask jid (at node) for disco#info; fn runs exactly once. */
bool
disco_info(struct account *acct, const char *jid, const char *node,
           disco_fn fn, void *data, char **cause)
{
    return disco_ask(acct, jid, node, false, fn, data, cause);
}

/* Ask jid (at node) for disco#items; fn runs exactly once. */
bool
disco_items(struct account *acct, const char *jid, const char *node,
            disco_fn fn, void *data, char **cause)
{
    return disco_ask(acct, jid, node, true, fn, data, cause);
}
