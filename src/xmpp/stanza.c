/* SPDX-License-Identifier: MIT */
#include "xmpp/stanza.h"

#include <stdlib.h>
#include <string.h>

#include "xmpp/jid.h"
#include "xmpp/xml.h"

/* Copy of attribute attr of child name in namespace ns; NULL if absent. */
static char *
child_attr(xmpp_stanza_t *st, const char *name, const char *ns,
           const char *attr)
{
    xmpp_stanza_t *c = xmpp_stanza_get_child_by_name_and_ns(st, name, ns);

    return c != NULL ? g_strdup(xmpp_stanza_get_attribute(c, attr)) : NULL;
}

/* Parse an XEP-0082 date-time into unix seconds; 0 if malformed. */
static int64_t
parse_stamp(const char *stamp)
{
    GDateTime *dt;
    int64_t t;

    if (stamp == NULL)
        return 0;
    dt = g_date_time_new_from_iso8601(stamp, NULL);
    if (dt == NULL)
        return 0;
    t = g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    return t;
}

/* Text of a stanza error: condition and optional text; caller frees. */
char *
stanza_error_text(xmpp_stanza_t *st)
{
    xmpp_stanza_t *err = xmpp_stanza_get_child_by_name(st, "error");
    const char *cond = NULL;
    char *text = NULL, *out;

    if (err == NULL)
        return g_strdup("unknown error");
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(err); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        const char *ns = xmpp_stanza_get_ns(c);
        const char *name = xmpp_stanza_get_name(c);
        if (name == NULL || ns == NULL || strcmp(ns, NS_STANZAS) != 0)
            continue;
        if (strcmp(name, "text") == 0) {
            char *t = xmpp_stanza_get_text(c);
            if (t != NULL) {
                g_free(text);
                text = g_strdup(t);
                xmpp_free(xmpp_stanza_get_context(st), t);
            }
        } else if (cond == NULL) {
            cond = name;
        }
    }
    if (cond == NULL)
        cond = "undefined-condition";
    out =
        text != NULL ? g_strdup_printf("%s (%s)", cond, text) : g_strdup(cond);
    g_free(text);
    return out;
}

/* Parse a message stanza; false if it is no message. */
bool
msg_parse(xmpp_stanza_t *st, struct parsed_message *out)
{
    const char *name = xmpp_stanza_get_name(st);
    const char *type;
    xmpp_stanza_t *delay;

    memset(out, 0, sizeof *out);
    if (name == NULL || strcmp(name, "message") != 0)
        return false;
    type = xmpp_stanza_get_type(st);
    out->from = g_strdup(xmpp_stanza_get_from(st));
    out->to = g_strdup(xmpp_stanza_get_to(st));
    out->type = g_strdup(type != NULL ? type : "normal");
    out->id = g_strdup(xmpp_stanza_get_id(st));
    out->body = xml_child_text(st, "body");
    if (strcmp(out->type, "error") == 0)
        out->error = stanza_error_text(st);
    delay = xmpp_stanza_get_child_by_name_and_ns(st, "delay", NS_DELAY);
    if (delay != NULL)
        out->delay = parse_stamp(xmpp_stanza_get_attribute(delay, "stamp"));
    out->receipt_request = xmpp_stanza_get_child_by_name_and_ns(
                               st, "request", NS_RECEIPTS) != NULL;
    out->receipt_for = child_attr(st, "received", NS_RECEIPTS, "id");
    out->replace_id = child_attr(st, "replace", NS_CORRECT, "id");
    out->origin_id = child_attr(st, "origin-id", NS_SID, "id");
    out->markable = xmpp_stanza_get_child_by_name_and_ns(st, "markable",
                                                         NS_MARKERS) != NULL;
    out->displayed_id = child_attr(st, "displayed", NS_MARKERS, "id");
    out->oob_url = xml_child_text_stripped(
        xmpp_stanza_get_child_by_name_and_ns(st, "x", NS_OOB), "url");
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(st); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        const char *ns = xmpp_stanza_get_ns(c);
        const char *cname = xmpp_stanza_get_name(c);
        if (ns == NULL || cname == NULL)
            continue;
        if (strcmp(ns, NS_CHATSTATES) == 0 && out->chat_state == NULL)
            out->chat_state = g_strdup(cname);
        else if (strcmp(ns, NS_HINTS) == 0)
            out->hints |=
                strcmp(cname, "no-permanent-store") == 0
                    ? MESSAGE_HINT_NO_PERMANENT_STORE
                : strcmp(cname, "no-store") == 0 ? MESSAGE_HINT_NO_STORE
                : strcmp(cname, "no-copy") == 0  ? MESSAGE_HINT_NO_COPY
                : strcmp(cname, "store") == 0    ? MESSAGE_HINT_STORE
                                                 : 0u;
    }
    return true;
}

/* The message a carbon copy wraps (borrowed), and its kind. */
xmpp_stanza_t *
carbon_unwrap(xmpp_stanza_t *st, enum carbon_kind *kind)
{
    xmpp_stanza_t *c, *fwd, *inner;

    *kind = CARBON_NONE;
    if ((c = xmpp_stanza_get_child_by_name_and_ns(st, "received",
                                                  NS_CARBONS)) != NULL)
        *kind = CARBON_RECEIVED;
    else if ((c = xmpp_stanza_get_child_by_name_and_ns(st, "sent",
                                                       NS_CARBONS)) != NULL)
        *kind = CARBON_SENT;
    else
        return NULL;
    fwd = xmpp_stanza_get_child_by_name_and_ns(c, "forwarded", NS_FORWARD);
    inner = fwd != NULL ? xmpp_stanza_get_child_by_name(fwd, "message") : NULL;
    if (inner == NULL)
        *kind = CARBON_NONE;
    return inner;
}

/* Free the strings of a parsed message. */
void
msg_clear(struct parsed_message *m)
{
    g_free(m->from);
    g_free(m->to);
    g_free(m->type);
    g_free(m->id);
    g_free(m->body);
    g_free(m->error);
    g_free(m->receipt_for);
    g_free(m->replace_id);
    g_free(m->origin_id);
    g_free(m->chat_state);
    g_free(m->displayed_id);
    g_free(m->oob_url);
    memset(m, 0, sizeof *m);
}

/* Whether show is one of the values /status takes. */
bool
show_valid(const char *show)
{
    static const char *const shows[] = {"online", "chat", "away", "xa", "dnd"};

    for (size_t i = 0; i < G_N_ELEMENTS(shows); i++)
        if (strcmp(show, shows[i]) == 0)
            return true;
    return false;
}

/* Parse a presence stanza; false if it is no presence. */
bool
presence_parse(xmpp_stanza_t *st, struct parsed_presence *out)
{
    const char *name = xmpp_stanza_get_name(st);
    const char *type;
    char *prio;

    memset(out, 0, sizeof *out);
    if (name == NULL || strcmp(name, "presence") != 0)
        return false;
    type = xmpp_stanza_get_type(st);
    out->from = g_strdup(xmpp_stanza_get_from(st));
    out->type = g_strdup(type);
    out->show = xml_child_text(st, "show");
    /* An unknown <show/> value is treated as plain availability. */
    if (out->show == NULL || !show_valid(out->show) ||
        strcmp(out->show, "online") == 0) {
        g_free(out->show);
        out->show = g_strdup("online");
    }
    out->status = xml_child_text(st, "status");
    prio = xml_child_text(st, "priority");
    if (prio != NULL) {
        long p = strtol(prio, NULL, 10);
        out->priority = (int)CLAMP(p, -128, 127);
        g_free(prio);
    }
    return true;
}

/* Free the strings of a parsed presence. */
void
presence_clear(struct parsed_presence *p)
{
    g_free(p->from);
    g_free(p->type);
    g_free(p->show);
    g_free(p->status);
    memset(p, 0, sizeof *p);
}

/* Free one roster item. */
static void
roster_item_free(void *p)
{
    struct roster_item *it = p;

    g_free(it->jid);
    g_free(it->name);
    g_free(it->subscription);
    g_free(it->ask);
    g_ptr_array_unref(it->groups);
    g_free(it);
}

/* Whether a roster push from 'from' may change the roster of own. */
bool
roster_push_trusted(const char *from, const char *own)
{
    struct jid j;
    char *cause = NULL;
    char *bare;
    bool ok;

    if (from == NULL)
        return true;
    if (!jid_parse(from, &j, &cause)) {
        g_free(cause);
        return false;
    }
    bare = jid_bare_of(&j);
    ok = j.resource == NULL && strcmp(bare, own) == 0;
    g_free(bare);
    jid_clear(&j);
    return ok;
}

/* Items of a roster query inside iq. Note: free with g_ptr_array_unref. */
GPtrArray *
roster_parse(xmpp_stanza_t *iq)
{
    GPtrArray *items = g_ptr_array_new_with_free_func(roster_item_free);
    xmpp_stanza_t *q =
        xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_ROSTER);

    if (q == NULL)
        return items;
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(q); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        const char *jid;
        struct roster_item *it;

        if (name == NULL || strcmp(name, "item") != 0)
            continue;
        jid = xmpp_stanza_get_attribute(c, "jid");
        if (jid == NULL)
            continue;
        it = g_new0(struct roster_item, 1);
        it->jid = g_strdup(jid);
        it->name = g_strdup(xmpp_stanza_get_attribute(c, "name"));
        it->subscription =
            g_strdup(xmpp_stanza_get_attribute(c, "subscription"));
        it->ask = g_strdup(xmpp_stanza_get_attribute(c, "ask"));
        it->groups = g_ptr_array_new_with_free_func(g_free);
        for (xmpp_stanza_t *g = xmpp_stanza_get_children(c); g != NULL;
             g = xmpp_stanza_get_next(g)) {
            const char *gn = xmpp_stanza_get_name(g);
            char *t;
            if (gn == NULL || strcmp(gn, "group") != 0)
                continue;
            t = xmpp_stanza_get_text(g);
            if (t != NULL) {
                g_ptr_array_add(it->groups, g_strdup(t));
                xmpp_free(xmpp_stanza_get_context(iq), t);
            }
        }
        g_ptr_array_add(items, it);
    }
    return items;
}

/* Add <name xmlns=ns attr=value/> to parent (attr may be NULL). */
static void
add_empty_child(xmpp_ctx_t *ctx, xmpp_stanza_t *parent, const char *name,
                const char *ns, const char *attr, const char *value)
{
    xmpp_stanza_t *c = xml_adopt(parent, xml_element(ctx, name, ns));

    if (attr != NULL)
        xmpp_stanza_set_attribute(c, attr, value);
}

/* Add the XEP-0334 hints of bits to m. */
static void
add_hints(xmpp_ctx_t *ctx, xmpp_stanza_t *m, unsigned int bits)
{
    static const struct {
        unsigned int bit;
        const char *name;
    } hints[] = {
        {MESSAGE_HINT_NO_PERMANENT_STORE, "no-permanent-store"},
        {MESSAGE_HINT_NO_STORE, "no-store"},
        {MESSAGE_HINT_NO_COPY, "no-copy"},
        {MESSAGE_HINT_STORE, "store"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(hints); i++)
        if (bits & hints[i].bit)
            add_empty_child(ctx, m, hints[i].name, NS_HINTS, NULL, NULL);
}

/*
 * The <message/> for outgoing message m: a chat (with a receipt request,
 * the active chat state, its origin-id and the markable mark), a room
 * message or a private message through a room (origin-id, the muc#user
 * mark), each with its correction, out-of-band URL and hints. Caller
 * releases.
 */
xmpp_stanza_t *
message_stanza_build(xmpp_ctx_t *ctx, const struct message *m)
{
    bool chat = m->kind != MESSAGE_GROUPCHAT && !m->muc_private;
    xmpp_stanza_t *st = xmpp_message_new(
        ctx, m->kind == MESSAGE_GROUPCHAT ? "groupchat" : "chat", m->to,
        m->id);

    xml_add_text(st, "body", m->body);
    if (m->oob_url != NULL) {
        xmpp_stanza_t *x = xml_adopt(st, xml_element(ctx, "x", NS_OOB));
        xml_add_text(x, "url", m->oob_url);
    }
    if (chat && m->receipt_request)
        add_empty_child(ctx, st, "request", NS_RECEIPTS, NULL, NULL);
    if (chat)
        add_empty_child(ctx, st, "active", NS_CHATSTATES, NULL, NULL);
    add_empty_child(ctx, st, "origin-id", NS_SID, "id",
                    m->origin_id != NULL ? m->origin_id : m->id);
    if (chat && m->markable)
        add_empty_child(ctx, st, "markable", NS_MARKERS, NULL, NULL);
    if (m->replace_id != NULL)
        add_empty_child(ctx, st, "replace", NS_CORRECT, "id", m->replace_id);
    if (m->muc_private) /* XEP-0045 7.5: a private message through a room */
        add_empty_child(ctx, st, "x", NS_MUC_USER_MARK, NULL, NULL);
    add_hints(ctx, st, m->hints);
    return st;
}

/* A chat message to with body; caller releases. */
xmpp_stanza_t *
msg_build(xmpp_ctx_t *ctx, const char *to, const char *body, const char *id,
          const char *replace_id)
{
    struct message m = {0};

    m.kind = MESSAGE_CHAT;
    m.to = (char *)to;
    m.body = (char *)body;
    m.id = (char *)id;
    m.replace_id = (char *)replace_id;
    m.receipt_request = true;
    m.markable = true;
    return message_stanza_build(ctx, &m);
}

/* The receipt for message id to to; caller releases. */
xmpp_stanza_t *
receipt_build(xmpp_ctx_t *ctx, const char *to, const char *id)
{
    char *own = xmpp_uuid_gen(ctx);
    xmpp_stanza_t *m = xmpp_message_new(ctx, "chat", to, own);

    add_empty_child(ctx, m, "received", NS_RECEIPTS, "id", id);
    xmpp_free(ctx, own);
    return m;
}

/* The displayed marker for message id; caller releases. */
xmpp_stanza_t *
marker_build(xmpp_ctx_t *ctx, const char *to, const char *id)
{
    xmpp_stanza_t *m = xmpp_message_new(ctx, "chat", to, NULL);

    add_empty_child(ctx, m, "displayed", NS_MARKERS, "id", id);
    return m;
}

/* A standalone chat state notification; caller releases. */
xmpp_stanza_t *
chatstate_build(xmpp_ctx_t *ctx, const char *to, const char *state)
{
    xmpp_stanza_t *m = xmpp_message_new(ctx, "chat", to, NULL);

    add_empty_child(ctx, m, state, NS_CHATSTATES, NULL, NULL);
    return m;
}

/* The iq that enables message carbons; caller releases. */
xmpp_stanza_t *
carbons_enable_build(xmpp_ctx_t *ctx, const char *id)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "set", id);

    add_empty_child(ctx, iq, "enable", NS_CARBONS, NULL, NULL);
    return iq;
}

/* Our presence stanza; caller releases. */
xmpp_stanza_t *
presence_build(xmpp_ctx_t *ctx, const char *show, const char *status,
               int priority)
{
    xmpp_stanza_t *p = xmpp_presence_new(ctx);

    if (show != NULL && strcmp(show, "online") != 0)
        xml_add_text(p, "show", show);
    if (status != NULL && status[0] != '\0')
        xml_add_text(p, "status", status);
    if (priority != 0) {
        char buf[16];
        g_snprintf(buf, sizeof buf, "%d", priority);
        xml_add_text(p, "priority", buf);
    }
    return p;
}

/* The roster get request, with ver unless NULL; caller releases. */
xmpp_stanza_t *
roster_get_build(xmpp_ctx_t *ctx, const char *id, const char *ver)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "get", id);
    xmpp_stanza_t *q = xml_adopt(iq, xml_element(ctx, "query", NS_ROSTER));

    if (ver != NULL)
        xmpp_stanza_set_attribute(q, "ver", ver);
    return iq;
}

/*
 * An empty reply of type to iq: same id, addressed to its sender. Built
 * by hand: libstrophe's xmpp_stanza_reply gives NULL for a stanza without
 * 'from', which is how servers send roster pushes. Caller releases.
 */
xmpp_stanza_t *
iq_reply_build(xmpp_stanza_t *iq, const char *type)
{
    xmpp_ctx_t *ctx = xmpp_stanza_get_context(iq);
    xmpp_stanza_t *reply = xmpp_iq_new(ctx, type, xmpp_stanza_get_id(iq));
    const char *from = xmpp_stanza_get_from(iq);

    if (from != NULL)
        xmpp_stanza_set_to(reply, from);
    return reply;
}

/* The error reply to iq with a cancel error of condition cond. */
xmpp_stanza_t *
iq_error_build(xmpp_stanza_t *iq, const char *cond)
{
    xmpp_ctx_t *ctx = xmpp_stanza_get_context(iq);
    xmpp_stanza_t *reply = iq_reply_build(iq, "error");
    xmpp_stanza_t *err = xml_adopt(reply, xml_element(ctx, "error", NULL));

    xmpp_stanza_set_type(err, "cancel");
    xml_adopt(err, xml_element(ctx, cond, NS_STANZAS));
    return reply;
}

/* Whether a presence 'type' is absent or one RFC 6121 4.7.1 defines. */
bool
presence_type_known(const char *type)
{
    static const char *const types[] = {
        "error",       "probe",       "subscribe",    "subscribed",
        "unavailable", "unsubscribe", "unsubscribed",
    };

    if (type == NULL)
        return true;
    for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
        if (strcmp(type, types[i]) == 0)
            return true;
    return false;
}

/* The error reply to presence pres with condition cond; caller releases. */
xmpp_stanza_t *
presence_error_build(xmpp_stanza_t *pres, const char *cond)
{
    xmpp_ctx_t *ctx = xmpp_stanza_get_context(pres);
    xmpp_stanza_t *reply = xmpp_presence_new(ctx);
    xmpp_stanza_t *err;
    const char *from = xmpp_stanza_get_from(pres);
    const char *id = xmpp_stanza_get_id(pres);

    xmpp_stanza_set_type(reply, "error");
    if (from != NULL)
        xmpp_stanza_set_to(reply, from);
    if (id != NULL)
        xmpp_stanza_set_id(reply, id);
    err = xml_adopt(reply, xml_element(ctx, "error", NULL));
    xmpp_stanza_set_type(err, "modify");
    xml_adopt(err, xml_element(ctx, cond, NS_STANZAS));
    return reply;
}

/* A roster set request for jid; caller releases. */
xmpp_stanza_t *
roster_set_build(xmpp_ctx_t *ctx, const char *id, const char *jid,
                 const char *name, GPtrArray *groups, bool remove)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "set", id);
    xmpp_stanza_t *q = xml_adopt(iq, xml_element(ctx, "query", NS_ROSTER));
    xmpp_stanza_t *item = xml_adopt(q, xml_element(ctx, "item", NULL));

    xmpp_stanza_set_attribute(item, "jid", jid);
    if (remove) {
        xmpp_stanza_set_attribute(item, "subscription", "remove");
    } else {
        if (name != NULL && name[0] != '\0')
            xmpp_stanza_set_attribute(item, "name", name);
        for (guint i = 0; groups != NULL && i < groups->len; i++)
            xml_add_text(item, "group", groups->pdata[i]);
    }
    return iq;
}

/* A directed presence of type to jid; caller releases. */
xmpp_stanza_t *
presence_type_build(xmpp_ctx_t *ctx, const char *to, const char *type)
{
    xmpp_stanza_t *p = xmpp_presence_new(ctx);

    xmpp_stanza_set_type(p, type);
    xmpp_stanza_set_to(p, to);
    return p;
}
