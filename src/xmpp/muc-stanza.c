/* SPDX-License-Identifier: MIT */
#include "xmpp/muc-stanza.h"

#include <stdlib.h>
#include <string.h>

#include "xmpp/stanza.h"
#include "xmpp/xml.h"

/* Split "room@service/nick" at the first '/': the room part (caller frees)
 * and the nick (borrowed, NULL when there is none). */
static char *
split_from(const char *from, const char **nick)
{
    const char *slash = strchr(from, '/');

    *nick = slash != NULL ? slash + 1 : NULL;
    return slash != NULL ? g_strndup(from, (gsize)(slash - from))
                         : g_strdup(from);
}

/* The defined condition and text of the <error/> of st. */
static void
error_parts(xmpp_stanza_t *st, char **cond, char **text)
{
    xmpp_stanza_t *err = xmpp_stanza_get_child_by_name(st, "error");

    *cond = NULL;
    *text = NULL;
    if (err == NULL)
        return;
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(err); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        const char *ns = xmpp_stanza_get_ns(c);
        const char *name = xmpp_stanza_get_name(c);
        if (name == NULL || ns == NULL || strcmp(ns, NS_STANZAS) != 0)
            continue;
        if (strcmp(name, "text") == 0 && *text == NULL)
            *text = xml_text(c);
        else if (*cond == NULL && strcmp(name, "text") != 0)
            *cond = g_strdup(name);
    }
}

/* Parse a presence from a room; false if st has no from. */
bool
muc_presence_parse(xmpp_stanza_t *st, struct muc_presence *out)
{
    const char *from = xmpp_stanza_get_from(st);
    const char *type = xmpp_stanza_get_type(st);
    const char *nick;
    xmpp_stanza_t *x, *item, *c;

    memset(out, 0, sizeof *out);
    if (from == NULL)
        return false;
    out->room = split_from(from, &nick);
    out->nick = g_strdup(nick);
    out->unavailable = g_strcmp0(type, "unavailable") == 0;
    out->error = g_strcmp0(type, "error") == 0;
    if (out->error)
        error_parts(st, &out->error_condition, &out->error_text);
    c = xmpp_stanza_get_child_by_name(st, "show");
    out->show = xml_text(c);
    if (out->show == NULL || out->show[0] == '\0' || !show_valid(out->show)) {
        g_free(out->show);
        out->show = g_strdup("online");
    }
    out->status = xml_child_text(st, "status");
    x = xmpp_stanza_get_child_by_name_and_ns(st, "x", NS_MUC_USER);
    if (x == NULL)
        return true;
    out->has_x = true;
    for (c = xmpp_stanza_get_children(x); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        if (name == NULL)
            continue;
        if (strcmp(name, "status") == 0 && out->ncodes < MUC_MAX_CODES) {
            const char *code = xmpp_stanza_get_attribute(c, "code");
            char *end = NULL;
            long v = code != NULL ? strtol(code, &end, 10) : 0;
            if (end != NULL && end != code && *end == '\0' && v >= 100 &&
                v <= 999)
                out->codes[out->ncodes++] = (int)v;
        } else if (strcmp(name, "destroy") == 0 && !out->destroyed) {
            out->destroyed = true;
            out->destroy_alt = g_strdup(xmpp_stanza_get_attribute(c, "jid"));
            out->destroy_reason = xml_child_text(c, "reason");
        }
    }
    item = xmpp_stanza_get_child_by_name(x, "item");
    if (item != NULL) {
        xmpp_stanza_t *actor = xmpp_stanza_get_child_by_name(item, "actor");
        out->affiliation =
            g_strdup(xmpp_stanza_get_attribute(item, "affiliation"));
        out->role = g_strdup(xmpp_stanza_get_attribute(item, "role"));
        out->jid = g_strdup(xmpp_stanza_get_attribute(item, "jid"));
        out->new_nick = g_strdup(xmpp_stanza_get_attribute(item, "nick"));
        if (actor != NULL) {
            const char *a = xmpp_stanza_get_attribute(actor, "nick");
            if (a == NULL)
                a = xmpp_stanza_get_attribute(actor, "jid");
            out->actor = g_strdup(a);
        }
        out->reason = xml_child_text(item, "reason");
    }
    return true;
}

/* Free the strings of a parsed room presence. */
void
muc_presence_clear(struct muc_presence *p)
{
    g_free(p->room);
    g_free(p->nick);
    g_free(p->error_condition);
    g_free(p->error_text);
    g_free(p->show);
    g_free(p->status);
    g_free(p->affiliation);
    g_free(p->role);
    g_free(p->jid);
    g_free(p->new_nick);
    g_free(p->actor);
    g_free(p->reason);
    g_free(p->destroy_reason);
    g_free(p->destroy_alt);
    memset(p, 0, sizeof *p);
}

/* Whether the presence carries status code. */
bool
muc_presence_has(const struct muc_presence *p, int code)
{
    for (int i = 0; i < p->ncodes; i++)
        if (p->codes[i] == code)
            return true;
    return false;
}

/* The invitation inside a message, if it is one. */
bool
muc_invite_parse(xmpp_stanza_t *msg, struct muc_invite *out)
{
    const char *from = xmpp_stanza_get_from(msg);
    xmpp_stanza_t *x, *inv;

    memset(out, 0, sizeof *out);
    if (from == NULL || g_strcmp0(xmpp_stanza_get_type(msg), "error") == 0)
        return false;
    x = xmpp_stanza_get_child_by_name_and_ns(msg, "x", NS_MUC_USER);
    inv = x != NULL ? xmpp_stanza_get_child_by_name(x, "invite") : NULL;
    if (inv != NULL) {
        const char *by = xmpp_stanza_get_attribute(inv, "from");
        const char *nick;
        out->room = split_from(from, &nick);
        out->from = g_strdup(by != NULL ? by : "someone");
        out->reason = xml_child_text(inv, "reason");
        out->password = xml_child_text(x, "password");
        return true;
    }
    x = xmpp_stanza_get_child_by_name_and_ns(msg, "x", NS_CONFERENCE);
    if (x != NULL && xmpp_stanza_get_attribute(x, "jid") != NULL) {
        out->room = g_strdup(xmpp_stanza_get_attribute(x, "jid"));
        out->from = g_strdup(from);
        out->reason = g_strdup(xmpp_stanza_get_attribute(x, "reason"));
        out->password = g_strdup(xmpp_stanza_get_attribute(x, "password"));
        return true;
    }
    return false;
}

/* Free the strings of an invitation. */
void
muc_invite_clear(struct muc_invite *inv)
{
    g_free(inv->room);
    g_free(inv->from);
    g_free(inv->reason);
    g_free(inv->password);
    memset(inv, 0, sizeof *inv);
}

/* The join presence to room/nick; caller releases. */
xmpp_stanza_t *
muc_join_build(xmpp_ctx_t *ctx, const char *room, const char *nick,
               const char *password, int maxstanzas, long long since,
               const char *show, const char *status)
{
    xmpp_stanza_t *p = xmpp_presence_new(ctx);
    xmpp_stanza_t *x = xml_element(ctx, "x", NS_MUC);
    char *to = g_strdup_printf("%s/%s", room, nick);

    xmpp_stanza_set_to(p, to);
    g_free(to);
    if (password != NULL && password[0] != '\0')
        xml_add_text(x, "password", password);
    if (since > 0 || maxstanzas >= 0) {
        xmpp_stanza_t *h = xml_element(ctx, "history", NULL);
        if (since > 0) {
            GDateTime *dt = g_date_time_new_from_unix_utc(since);
            char *s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
            xmpp_stanza_set_attribute(h, "since", s);
            g_free(s);
            g_date_time_unref(dt);
        } else {
            char n[16];
            g_snprintf(n, sizeof n, "%d", maxstanzas);
            xmpp_stanza_set_attribute(h, "maxstanzas", n);
        }
        xml_adopt(x, h);
    }
    xml_adopt(p, x);
    if (show != NULL && strcmp(show, "online") != 0)
        xml_add_text(p, "show", show);
    if (status != NULL && status[0] != '\0')
        xml_add_text(p, "status", status);
    return p;
}

/* An unavailable presence to room/nick; caller releases. */
xmpp_stanza_t *
muc_leave_build(xmpp_ctx_t *ctx, const char *room, const char *nick,
                const char *status)
{
    xmpp_stanza_t *p = xmpp_presence_new(ctx);
    char *to = g_strdup_printf("%s/%s", room, nick);

    xmpp_stanza_set_type(p, "unavailable");
    xmpp_stanza_set_to(p, to);
    g_free(to);
    if (status != NULL && status[0] != '\0')
        xml_add_text(p, "status", status);
    return p;
}

/* A groupchat message setting the subject; caller releases. */
xmpp_stanza_t *
muc_subject_build(xmpp_ctx_t *ctx, const char *room, const char *subject)
{
    xmpp_stanza_t *m = xmpp_message_new(ctx, "groupchat", room, NULL);

    xml_add_text(m, "subject", subject);
    return m;
}

/* An iq of type to to with an empty <query xmlns=ns/>; both returned,
 * the iq owned by the caller, the query borrowed from it. */
static xmpp_stanza_t *
query_iq(xmpp_ctx_t *ctx, const char *type, const char *id, const char *to,
         const char *ns, xmpp_stanza_t **query)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, type, id);
    xmpp_stanza_t *q = xml_element(ctx, "query", ns);

    xmpp_stanza_set_to(iq, to);
    *query = q;
    xml_adopt(iq, q);
    return iq;
}

/* An admin iq setting one item's role or affiliation; caller releases. */
xmpp_stanza_t *
muc_admin_set_build(xmpp_ctx_t *ctx, const char *id, const char *room,
                    const char *nick, const char *jid, const char *attr,
                    const char *value, const char *reason)
{
    xmpp_stanza_t *q;
    xmpp_stanza_t *iq = query_iq(ctx, "set", id, room, NS_MUC_ADMIN, &q);
    xmpp_stanza_t *item = xml_element(ctx, "item", NULL);

    if (nick != NULL)
        xmpp_stanza_set_attribute(item, "nick", nick);
    if (jid != NULL)
        xmpp_stanza_set_attribute(item, "jid", jid);
    xmpp_stanza_set_attribute(item, attr, value);
    if (reason != NULL && reason[0] != '\0')
        xml_add_text(item, "reason", reason);
    xml_adopt(q, item);
    return iq;
}

/* The admin get listing every item with affiliation; caller releases. */
xmpp_stanza_t *
muc_affiliation_list_build(xmpp_ctx_t *ctx, const char *id, const char *room,
                           const char *affiliation)
{
    xmpp_stanza_t *q;
    xmpp_stanza_t *iq = query_iq(ctx, "get", id, room, NS_MUC_ADMIN, &q);
    xmpp_stanza_t *item = xml_element(ctx, "item", NULL);

    xmpp_stanza_set_attribute(item, "affiliation", affiliation);
    xml_adopt(q, item);
    return iq;
}

/* A mediated invitation through room to jid; caller releases. */
xmpp_stanza_t *
muc_invite_build(xmpp_ctx_t *ctx, const char *room, const char *jid,
                 const char *reason)
{
    xmpp_stanza_t *m = xmpp_message_new(ctx, NULL, room, NULL);
    xmpp_stanza_t *x = xml_element(ctx, "x", NS_MUC_USER);
    xmpp_stanza_t *inv = xml_element(ctx, "invite", NULL);

    xmpp_stanza_set_attribute(inv, "to", jid);
    if (reason != NULL && reason[0] != '\0')
        xml_add_text(inv, "reason", reason);
    xml_adopt(x, inv);
    xml_adopt(m, x);
    return m;
}

/* A direct invitation (XEP-0249) to jid; caller releases. */
xmpp_stanza_t *
muc_direct_invite_build(xmpp_ctx_t *ctx, const char *room, const char *jid,
                        const char *reason, const char *password)
{
    xmpp_stanza_t *m = xmpp_message_new(ctx, NULL, jid, NULL);
    xmpp_stanza_t *x = xml_element(ctx, "x", NS_CONFERENCE);

    xmpp_stanza_set_attribute(x, "jid", room);
    if (reason != NULL && reason[0] != '\0')
        xmpp_stanza_set_attribute(x, "reason", reason);
    if (password != NULL && password[0] != '\0')
        xmpp_stanza_set_attribute(x, "password", password);
    xml_adopt(m, x);
    return m;
}

/* An owner iq: get, destroy, or an instant-room submission. */
xmpp_stanza_t *
muc_owner_build(xmpp_ctx_t *ctx, const char *id, const char *room,
                const char *type, bool destroy, const char *reason,
                bool instant)
{
    xmpp_stanza_t *q;
    xmpp_stanza_t *iq = query_iq(ctx, type, id, room, NS_MUC_OWNER, &q);

    if (destroy) {
        xmpp_stanza_t *d = xml_element(ctx, "destroy", NULL);
        if (reason != NULL && reason[0] != '\0')
            xml_add_text(d, "reason", reason);
        xml_adopt(q, d);
    } else if (instant) {
        xmpp_stanza_t *x = xml_element(ctx, "x", "jabber:x:data");
        xmpp_stanza_set_attribute(x, "type", "submit");
        xml_adopt(q, x);
    }
    return iq;
}

/* A disco get of ns to to; caller releases. */
xmpp_stanza_t *
disco_get_build(xmpp_ctx_t *ctx, const char *id, const char *to,
                const char *ns)
{
    xmpp_stanza_t *q;

    return query_iq(ctx, "get", id, to, ns, &q);
}

/* Free a disco item. */
static void
disco_item_free(void *p)
{
    struct disco_item *it = p;

    g_free(it->jid);
    g_free(it->name);
    g_free(it->extra);
    g_free(it);
}

/* Items of a disco#items result or a muc#admin list; caller unrefs. */
GPtrArray *
disco_items_parse(xmpp_stanza_t *iq, const char *ns)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(disco_item_free);
    xmpp_stanza_t *q = xmpp_stanza_get_child_by_name_and_ns(iq, "query", ns);

    if (q == NULL)
        return out;
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(q); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        struct disco_item *it;
        const char *jid = xmpp_stanza_get_attribute(c, "jid");
        const char *nick = xmpp_stanza_get_attribute(c, "nick");
        if (g_strcmp0(xmpp_stanza_get_name(c), "item") != 0 ||
            (jid == NULL && nick == NULL))
            continue;
        it = g_new0(struct disco_item, 1);
        it->jid = g_strdup(jid != NULL ? jid : nick);
        it->name = g_strdup(xmpp_stanza_get_attribute(c, "name"));
        if (strcmp(ns, NS_MUC_ADMIN) == 0 && nick != NULL && jid != NULL)
            it->extra = g_strdup(nick);
        g_ptr_array_add(out, it);
    }
    return out;
}

/* The disco#info query of a result, NULL if none. */
static xmpp_stanza_t *
info_query(xmpp_stanza_t *iq)
{
    return xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_DISCO_INFO);
}

/* Whether a disco#info result lists feature var. */
bool
disco_has_feature(xmpp_stanza_t *iq, const char *var)
{
    xmpp_stanza_t *q = info_query(iq);

    for (xmpp_stanza_t *c = q != NULL ? xmpp_stanza_get_children(q) : NULL;
         c != NULL; c = xmpp_stanza_get_next(c))
        if (g_strcmp0(xmpp_stanza_get_name(c), "feature") == 0 &&
            g_strcmp0(xmpp_stanza_get_attribute(c, "var"), var) == 0)
            return true;
    return false;
}

/* Whether a disco#info result has an identity of category and type. */
bool
disco_has_identity(xmpp_stanza_t *iq, const char *category, const char *type)
{
    xmpp_stanza_t *q = info_query(iq);

    for (xmpp_stanza_t *c = q != NULL ? xmpp_stanza_get_children(q) : NULL;
         c != NULL; c = xmpp_stanza_get_next(c))
        if (g_strcmp0(xmpp_stanza_get_name(c), "identity") == 0 &&
            g_strcmp0(xmpp_stanza_get_attribute(c, "category"), category) ==
                0 &&
            (type == NULL ||
             g_strcmp0(xmpp_stanza_get_attribute(c, "type"), type) == 0))
            return true;
    return false;
}

/* The value of field var in the extended-info form; caller frees. */
char *
disco_form_value(xmpp_stanza_t *iq, const char *var)
{
    xmpp_stanza_t *q = info_query(iq);
    xmpp_stanza_t *x =
        q != NULL
            ? xmpp_stanza_get_child_by_name_and_ns(q, "x", "jabber:x:data")
            : NULL;

    for (xmpp_stanza_t *f = x != NULL ? xmpp_stanza_get_children(x) : NULL;
         f != NULL; f = xmpp_stanza_get_next(f))
        if (g_strcmp0(xmpp_stanza_get_name(f), "field") == 0 &&
            g_strcmp0(xmpp_stanza_get_attribute(f, "var"), var) == 0)
            return xml_child_text(f, "value");
    return NULL;
}

/* The name of the first identity of a disco#info result; caller frees. */
char *
disco_identity_name(xmpp_stanza_t *iq)
{
    xmpp_stanza_t *q = info_query(iq);
    xmpp_stanza_t *id =
        q != NULL ? xmpp_stanza_get_child_by_name(q, "identity") : NULL;

    return id != NULL ? g_strdup(xmpp_stanza_get_attribute(id, "name")) : NULL;
}

/* Whether a self-ping answer says the room no longer has us. */
bool
muc_self_ping_lost(xmpp_stanza_t *reply)
{
    static const char *const still_in[] = {
        "service-unavailable", "feature-not-implemented",
        "remote-server-not-found", "remote-server-timeout"};
    xmpp_stanza_t *err;

    if (g_strcmp0(xmpp_stanza_get_type(reply), "error") != 0)
        return false;
    err = xmpp_stanza_get_child_by_name(reply, "error");
    for (size_t i = 0; err != NULL && i < G_N_ELEMENTS(still_in); i++)
        if (xmpp_stanza_get_child_by_name(err, still_in[i]) != NULL)
            return false;
    return true;
}

/* One line for a room error condition, saying what to do. */
char *
muc_error_text(const char *condition, const char *text, const char *room,
               const char *nick)
{
    const char *c = condition != NULL ? condition : "undefined-condition";
    char *what, *out;

    if (strcmp(c, "conflict") == 0)
        what = g_strdup_printf("the nick %s is in use there: /join %s nick "
                               "OTHER",
                               nick != NULL ? nick : "", room);
    else if (strcmp(c, "not-authorized") == 0)
        what = g_strdup_printf("it needs a password: /join %s password "
                               "PASS",
                               room);
    else if (strcmp(c, "registration-required") == 0)
        what = g_strdup("it is members-only: ask an owner or admin to make "
                        "you a member");
    else if (strcmp(c, "forbidden") == 0)
        what = g_strdup("you are banned from it");
    else if (strcmp(c, "item-not-found") == 0)
        what = g_strdup("it does not exist, or is locked until its owner "
                        "configures it");
    else if (strcmp(c, "not-allowed") == 0)
        what = g_strdup("the service does not allow it (creating rooms "
                        "may be restricted)");
    else if (strcmp(c, "service-unavailable") == 0)
        what = g_strdup("it is full, or the service refuses joins");
    else if (strcmp(c, "not-acceptable") == 0)
        what = g_strdup("the nick is not acceptable there (reserved or "
                        "not registered)");
    else if (strcmp(c, "gone") == 0)
        what = g_strdup("it has been destroyed");
    else if (strcmp(c, "remote-server-not-found") == 0 ||
             strcmp(c, "remote-server-timeout") == 0)
        what = g_strdup("its service cannot be reached: check the room "
                        "address");
    else if (strcmp(c, "jid-malformed") == 0)
        what = g_strdup("the room address or nick is malformed");
    else
        what = g_strdup(c);
    if (text != NULL && text[0] != '\0')
        out = g_strdup_printf("Cannot join %s: %s (server says: %s)", room,
                              what, text);
    else
        out = g_strdup_printf("Cannot join %s: %s", room, what);
    g_free(what);
    return out;
}
