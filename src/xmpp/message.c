/* SPDX-License-Identifier: MIT */
/*
 * The message pipeline (see message.h): one way out for every message
 * and one way in, with the transform hooks at the single place in each
 * direction where a message meets the wire.
 */
#include "xmpp/message.h"

#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "core/room.h"
#include "core/settings.h"
#include "xmpp/bookmarks.h"
#include "xmpp/jid.h"
#include "xmpp/mam.h"
#include "xmpp/muc.h"
#include "xmpp/outbox.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"
#include "xmpp/xml.h"

static GPtrArray *transforms; /* const struct message_transform *, in order */
static GHashTable *held;      /* struct account * -> GQueue of message */

/* --- transforms --------------------------------------------------------- */

/* Add t to the pipeline, after those added before. */
void
message_transform_add(const struct message_transform *t)
{
    if (transforms == NULL)
        transforms = g_ptr_array_new();
    g_ptr_array_add(transforms, (void *)t);
}

/* Take t out of the pipeline. */
void
message_transform_remove(const struct message_transform *t)
{
    if (transforms == NULL)
        return;
    g_ptr_array_remove(transforms, (void *)t);
    if (transforms->len == 0) {
        g_ptr_array_free(transforms, TRUE);
        transforms = NULL;
    }
}

/*
 * Run the hooks of one direction over m and its stanza st, in order, until
 * one consumes or holds it. Returns the last decision (REPLACE if any
 * hook changed something and none stopped it); *reason is set for HOLD.
 */
static enum transform_result
run_hooks(struct account *acct, struct message *m, xmpp_stanza_t *st,
          bool outgoing, char **reason)
{
    enum transform_result result = TRANSFORM_PASS;

    *reason = NULL;
    for (guint i = 0; transforms != NULL && i < transforms->len; i++) {
        const struct message_transform *t = transforms->pdata[i];
        enum transform_result r;
        if (outgoing && t->outgoing != NULL)
            r = t->outgoing(acct, m, st, reason, t->data);
        else if (!outgoing && t->incoming != NULL)
            r = t->incoming(acct, m, st, reason, t->data);
        else
            continue;
        if (r == TRANSFORM_CONSUME || r == TRANSFORM_HOLD) {
            if (r == TRANSFORM_HOLD && *reason == NULL)
                *reason = g_strdup_printf("held by %s", t->name);
            return r;
        }
        if (r == TRANSFORM_REPLACE)
            result = r;
    }
    return result;
}

/* --- outgoing ----------------------------------------------------------- */

/* Whether m is a one-to-one chat (not a room, not private through one). */
static bool
is_chat(const struct message *m)
{
    return m->kind != MESSAGE_GROUPCHAT && !m->muc_private;
}

/*
 * Build m's stanza, let the outgoing transforms see it, and write it on
 * acct's connection unless a transform consumed or held it. m must own
 * its strings (transforms may change them). *reason is set for HOLD.
 */
static enum transform_result
write_message(struct account *acct, struct message *m, char **reason)
{
    xmpp_stanza_t *st = message_stanza_build(session_ctx(), m);
    enum transform_result r = TRANSFORM_PASS;

    *reason = NULL;
    if (transforms != NULL)
        r = run_hooks(acct, m, st, true, reason);
    if (r == TRANSFORM_PASS || r == TRANSFORM_REPLACE)
        session_write(acct->session, st);
    xmpp_stanza_release(st);
    return r;
}

/* The held messages of acct, created if create is set; owned here. */
static GQueue *
held_queue(struct account *acct, bool create)
{
    GQueue *q;

    if (held == NULL && !create)
        return NULL;
    if (held == NULL)
        held = g_hash_table_new(g_direct_hash, g_direct_equal);
    q = g_hash_table_lookup(held, acct);
    if (q == NULL && create) {
        q = g_queue_new();
        g_hash_table_insert(held, acct, q);
    }
    return q;
}

/* Keep m (taken over) until a transform releases it, and say why. */
static void
hold(struct account *acct, struct message *m, char *reason)
{
    m->held = true;
    g_queue_push_tail(held_queue(acct, true), m);
    if (reason != NULL)
        notice_fmt(acct, NOTICE_INFO, FMT_MESSAGE_HELD, m->peer, reason, NULL);
    else
        notice_fmt(acct, NOTICE_INFO, FMT_MESSAGE_HELD_NO_REASON, m->peer,
                   NULL);
    g_free(reason);
}

/* m went out: the outbox watches chats (not corrections) until the
 * server confirms them. */
static void
track(struct account *acct, const struct message *m)
{
    xmpp_conn_t *conn = session_conn(acct);

    if (conn != NULL && is_chat(m) && m->replace_id == NULL)
        outbox_sent(acct, conn, m);
}

/* Send message m on acct through the pipeline. */
bool
message_send(struct account *acct, const struct message *draft, char **cause)
{
    bool online = session_conn(acct) != NULL;
    struct message *m;
    char *id, *reason = NULL;
    enum transform_result r = TRANSFORM_PASS;

    if (draft->to == NULL || draft->body == NULL) {
        *cause = g_strdup("Nothing to send");
        return false;
    }
    if (!online && is_chat(draft) && draft->replace_id != NULL) {
        *cause = g_strdup_printf("%s is not connected: corrections are not "
                                 "queued",
                                 acct->jid);
        return false;
    }
    if (!online && !is_chat(draft)) {
        *cause = g_strdup_printf("%s is not connected", acct->jid);
        return false;
    }
    m = message_copy(draft);
    m->acct = acct;
    m->outgoing = true;
    id = xmpp_uuid_gen(session_ctx());
    message_set(&m->id, id);
    message_set(&m->origin_id, id);
    xmpp_free(session_ctx(), id);
    if (m->from == NULL)
        message_set(&m->from, acct->jid);
    if (m->peer == NULL) {
        char *bare = jid_bare_quiet(m->to); /* 'to' may name a resource */
        message_set(&m->peer, bare != NULL ? bare : m->to);
        g_free(bare);
    }
    if (is_chat(m)) {
        m->receipt_request = true;
        m->markable = true;
    }
    if (!online) {
        /* Kept until the account is back, shown as pending meanwhile. */
        m->pending = true;
        g_queue_push_tail(&acct->pending, message_copy(m));
        if (!acct->want_online)
            notice_fmt(acct, NOTICE_INFO, FMT_MESSAGE_QUEUED, acct->jid,
                       acct->name, NULL);
    } else {
        r = write_message(acct, m, &reason);
        if (r == TRANSFORM_HOLD) {
            m->held = true;
            hold(acct, message_copy(m), reason);
        } else if (r != TRANSFORM_CONSUME)
            track(acct, m);
    }
    /* A room's echo is the line; a consumed message shows nothing. */
    if (m->kind != MESSAGE_GROUPCHAT && r != TRANSFORM_CONSUME)
        event_emit(EV_MESSAGE, m);
    message_free(m);
    session_kick();
    return true;
}

/* Send body as a chat message to to (a bare JID, or one resource),
 * correcting our message replace_id when that is not NULL. */
bool
message_send_chat(struct account *acct, const char *to, const char *body,
                  const char *replace_id, char **cause)
{
    struct message m = {0};

    m.kind = MESSAGE_CHAT;
    m.to = (char *)to;
    m.body = (char *)body;
    m.replace_id = (char *)replace_id;
    return message_send(acct, &m, cause);
}

/* A message of ours that waited is out now: its line is no longer
 * pending. */
static void
emit_sent(struct account *acct, const struct message *m)
{
    struct ev_message_sent ev = {acct, m->to, m->id};

    event_emit(EV_MESSAGE_SENT, &ev);
}

/* Write m again through the transforms; true if it went out. */
bool
message_resend(struct account *acct, const struct message *m)
{
    struct message *own = message_copy(m);
    char *reason = NULL;
    enum transform_result r = write_message(acct, own, &reason);

    if (r == TRANSFORM_HOLD) {
        hold(acct, own, reason);
        return false;
    }
    message_free(own);
    return r != TRANSFORM_CONSUME;
}

/* Send what was typed while acct was offline, oldest first. */
void
message_flush_pending(struct account *acct)
{
    struct message *p;
    unsigned int n = 0;

    while ((p = g_queue_pop_head(&acct->pending)) != NULL) {
        char *reason = NULL;
        enum transform_result r;
        p->pending = false;
        r = write_message(acct, p, &reason);
        if (r == TRANSFORM_HOLD) {
            hold(acct, p, reason);
            continue;
        }
        if (r != TRANSFORM_CONSUME) {
            track(acct, p);
            n++;
        }
        emit_sent(acct, p);
        message_free(p);
    }
    if (n > 0) {
        char num[16];
        g_snprintf(num, sizeof num, "%u", n);
        notice_fmt(acct, NOTICE_INFO,
                   n == 1 ? FMT_PENDING_SENT_ONE : FMT_PENDING_SENT, num,
                   acct->jid, NULL);
    }
    session_kick();
}

/* Send the held messages of acct to peer (NULL: all), oldest first. */
void
message_release(struct account *acct, const char *peer)
{
    GQueue *q = held_queue(acct, false);
    GQueue again = G_QUEUE_INIT;
    struct message *m;

    if (q == NULL || session_conn(acct) == NULL)
        return;
    while ((m = g_queue_pop_head(q)) != NULL) {
        char *reason = NULL;
        enum transform_result r;
        if (peer != NULL && g_strcmp0(m->peer, peer) != 0) {
            g_queue_push_tail(&again, m);
            continue;
        }
        r = write_message(acct, m, &reason);
        if (r == TRANSFORM_HOLD) {
            g_free(reason); /* still held: keep it, and its order */
            g_queue_push_tail(&again, m);
            continue;
        }
        m->held = false;
        if (r != TRANSFORM_CONSUME)
            track(acct, m);
        emit_sent(acct, m);
        message_free(m);
    }
    *q = again;
    session_kick();
}

/* Drop the held messages to peer (NULL: all); returns how many. */
unsigned int
message_drop_held(struct account *acct, const char *peer)
{
    GQueue *q = held_queue(acct, false);
    unsigned int n = 0;

    for (GList *l = q != NULL ? q->head : NULL, *next; l != NULL; l = next) {
        struct message *m = l->data;
        next = l->next;
        if (peer == NULL || g_strcmp0(m->peer, peer) == 0) {
            message_free(m);
            g_queue_delete_link(q, l);
            n++;
        }
    }
    return n;
}

/* How many messages of acct to peer (NULL: all) are held. */
unsigned int
message_held_count(struct account *acct, const char *peer)
{
    GQueue *q = held_queue(acct, false);
    unsigned int n = 0;

    for (GList *l = q != NULL ? q->head : NULL; l != NULL; l = l->next) {
        struct message *m = l->data;
        if (peer == NULL || g_strcmp0(m->peer, peer) == 0)
            n++;
    }
    return n;
}

/* --- incoming ----------------------------------------------------------- */

/*
 * Run the incoming transforms over m (borrowing its strings) and its
 * stanza st. Returns the message to hand on: m itself when no transform
 * is registered, else a copy the transforms may have changed, stored in
 * *own (free it); NULL when a transform consumed or held it.
 */
static const struct message *
transform_in(struct account *acct, struct message *m, xmpp_stanza_t *st,
             struct message **own)
{
    enum transform_result r;
    char *reason = NULL;

    *own = NULL;
    if (transforms == NULL)
        return m;
    *own = message_copy(m);
    r = run_hooks(acct, *own, st, false, &reason);
    g_free(reason);
    if (r == TRANSFORM_CONSUME || r == TRANSFORM_HOLD) {
        message_free(*own);
        *own = NULL;
        return NULL;
    }
    return *own;
}

/* Hand m on to the store and the windows after the transforms; true
 * unless a transform consumed or held it. */
static bool
deliver(struct account *acct, struct message *m, xmpp_stanza_t *st)
{
    struct message *own;
    const struct message *out = transform_in(acct, m, st, &own);

    if (out != NULL)
        event_emit(EV_MESSAGE, out);
    message_free(own);
    return out != NULL;
}

/* Hand on an incoming message a transform held. */
void
message_deliver(const struct message *m)
{
    event_emit(EV_MESSAGE, m);
}

/* The kind of a message by its type attribute. */
static enum message_kind
kind_of(const char *type)
{
    if (strcmp(type, "chat") == 0)
        return MESSAGE_CHAT;
    if (strcmp(type, "headline") == 0)
        return MESSAGE_HEADLINE;
    if (strcmp(type, "groupchat") == 0)
        return MESSAGE_GROUPCHAT;
    if (strcmp(type, "error") == 0)
        return MESSAGE_ERROR;
    return MESSAGE_NORMAL;
}

/* Fill m from parsed message p, borrowing its strings. */
static void
fill(struct message *m, struct account *acct, struct parsed_message *p)
{
    memset(m, 0, sizeof *m);
    m->acct = acct;
    m->kind = kind_of(p->type);
    m->from = p->from;
    m->to = p->to;
    m->body = p->body;
    m->id = p->id;
    m->origin_id = p->origin_id;
    m->replace_id = p->replace_id;
    m->oob_url = p->oob_url;
    m->hints = p->hints;
    m->time = p->delay;
    m->receipt_request = p->receipt_request;
    m->markable = p->markable;
}

/* A line of talk in room (live, from its archive on join, or a page
 * asked for by scroll-back when arr says so); also its subject, its own
 * notices and status codes. */
static void
room_line(struct account *acct, struct room *room, xmpp_stanza_t *st,
          const struct mam_arrival *arr)
{
    struct parsed_message p;
    struct message m;
    const char *nick, *slash, *sid;
    bool backfill = arr != NULL && arr->backfill;

    if (!msg_parse(st, &p))
        return;
    slash = p.from != NULL ? strchr(p.from, '/') : NULL;
    nick = slash != NULL ? slash + 1 : NULL;
    if (backfill &&
        (p.body == NULL || nick == NULL || strcmp(p.type, "groupchat") != 0)) {
        msg_clear(&p);
        return;
    }
    if (!backfill && muc_receive_subject(acct, room, st, nick, arr != NULL)) {
        msg_clear(&p);
        return;
    }
    if (p.body == NULL || nick == NULL) {
        if (p.body != NULL)
            muc_receive_notice(acct, room, p.body); /* the room itself */
        else
            muc_receive_status(acct, room, st);
        msg_clear(&p);
        return;
    }
    fill(&m, acct, &p);
    sid = arr != NULL ? arr->archive_id : muc_stanza_id(st, room->jid);
    m.kind = MESSAGE_GROUPCHAT;
    m.peer = room->jid;
    /* The sender's id names the line, so that its corrections (XEP-0308)
     * find it; the room's id keeps it apart in the store. */
    m.id = p.origin_id != NULL ? p.origin_id
           : p.id != NULL      ? p.id
                               : (char *)sid;
    m.archive_id = (char *)sid;
    m.nick = (char *)nick;
    m.outgoing = room->nick != NULL && strcmp(nick, room->nick) == 0;
    if (m.time == 0 && arr != NULL)
        m.time = arr->stamp != 0 || backfill ? arr->stamp : 1;
    m.backfill = backfill;
    m.receipt_request = false;
    m.markable = false;
    m.highlight =
        !m.outgoing && m.time == 0 &&
        room_mentions(p.body, room->nick, settings_get("muc.highlight"));
    deliver(acct, &m, st);
    msg_clear(&p);
}

/* A private message through room (XEP-0045 7.5) from an occupant. */
static void
room_private(struct account *acct, xmpp_stanza_t *st)
{
    struct parsed_message p;
    struct message m;

    if (msg_parse(st, &p) && p.body != NULL) {
        fill(&m, acct, &p);
        m.kind = MESSAGE_CHAT;
        m.peer = p.from;
        m.nick = strchr(p.from, '/') + 1;
        m.muc_private = true;
        m.receipt_request = false;
        m.markable = false;
        deliver(acct, &m, st);
    }
    msg_clear(&p);
}

/* A message from room (live) or from its archive (arr not NULL). */
static void
receive_room(struct account *acct, struct room *room, xmpp_stanza_t *st,
             const struct mam_arrival *arr)
{
    const char *type = xmpp_stanza_get_type(st);
    const char *from = xmpp_stanza_get_from(st);

    if (arr == NULL && g_strcmp0(type, "error") == 0) {
        muc_receive_error(acct, room, st);
    } else if (arr == NULL && g_strcmp0(type, "groupchat") != 0) {
        if (strchr(from, '/') != NULL) {
            room_private(acct, st);
        } else {
            /* Anything else the room itself sends (e.g. a notice). */
            char *body = xml_child_text(st, "body");
            if (body != NULL)
                muc_receive_notice(acct, room, body);
            g_free(body);
        }
    } else {
        room_line(acct, room, st, arr);
    }
}

/* The room of acct whose bare JID is from_bare (may be NULL), if any. */
static struct room *
sender_room(struct account *acct, const char *from_bare)
{
    return from_bare != NULL ? room_find(acct, from_bare) : NULL;
}

/* Send the receipt (XEP-0184) for message id to from. */
static void
send_receipt(struct account *acct, const char *from, const char *id)
{
    xmpp_stanza_t *r = receipt_build(session_ctx(), from, id);

    session_write(acct->session, r);
    xmpp_stanza_release(r);
    session_kick();
}

/* Remember a contact's chat state and tell listeners. */
static void
note_chat_state(struct account *acct, const char *peer, const char *state)
{
    struct contact *c = contact_get(acct, peer);
    struct ev_chatstate ev = {acct, peer, state};

    if (g_strcmp0(c->chat_state, state) == 0)
        return;
    g_free(c->chat_state);
    c->chat_state = g_strdup(state);
    event_emit(EV_CHATSTATE, &ev);
}

/*
 * A one-to-one message: live, offline delivery, a carbon copy (XEP-0280)
 * or from our own archive (archived not NULL, with arr). Carbons are
 * unwrapped only when our own server sent them: anyone else could forge
 * a "copy" of a message we never exchanged.
 */
static void
receive_chat(struct account *acct, xmpp_stanza_t *st, xmpp_stanza_t *archived,
             const struct mam_arrival *arr, const char *from_bare)
{
    struct parsed_message p;
    struct message m;
    enum carbon_kind carbon = CARBON_NONE;
    const char *archive_id = arr->archive_id;
    xmpp_stanza_t *inner;
    char *peer, *outer;
    bool live;

    if (archived != NULL)
        st = archived;
    else
        archive_id = mam_note_live(st, acct);
    inner = carbon_unwrap(st, &carbon);
    /* The bare sender of the stanza received, prepared once per message
     * (it was the costliest part of the receive path). */
    outer = archived == NULL ? g_strdup(from_bare)
                             : jid_bare_quiet(xmpp_stanza_get_from(st));
    if (archived != NULL && outer != NULL && strcmp(outer, acct->jid) == 0)
        carbon = CARBON_SENT; /* our own archived message: peer is 'to' */
    else if (archived != NULL)
        carbon = CARBON_NONE;
    if (carbon != CARBON_NONE && archived == NULL) {
        bool ours = outer != NULL && strcmp(outer, acct->jid) == 0;
        g_free(outer);
        if (!ours)
            return; /* a forged carbon: ignore it */
        st = inner;
    } else {
        g_free(outer);
    }
    if (!msg_parse(st, &p))
        return;
    /* A sent carbon is ours: the other side is its 'to'. */
    if (carbon == CARBON_SENT)
        peer = jid_bare_quiet(p.to);
    else
        peer = carbon == CARBON_NONE && archived == NULL && p.from != NULL
                   ? g_strdup(from_bare)
                   : jid_bare_quiet(p.from != NULL ? p.from : acct->jid);
    if (peer == NULL) {
        msg_clear(&p);
        return;
    }
    live = carbon == CARBON_NONE && archived == NULL;
    fill(&m, acct, &p);
    m.peer = peer;
    m.carbon = carbon != CARBON_NONE && archived == NULL;
    m.archived = archived != NULL;
    m.outgoing = carbon == CARBON_SENT;
    if (archived != NULL && m.time == 0)
        m.time = arr->stamp;
    m.archive_id = (char *)archive_id;
    m.markable = p.markable && live;
    m.receipt_request = p.receipt_request && live;
    if (arr->backfill) {
        /* An older page asked for by scroll-back: it goes to the history
         * store, and the window pages it in from there (EV_ARCHIVE_PAGE),
         * above what it shows rather than below. */
        m.backfill = true;
        if (room_find(acct, peer) == NULL && p.body != NULL &&
            m.kind != MESSAGE_ERROR && m.kind != MESSAGE_GROUPCHAT)
            deliver(acct, &m, st);
        g_free(peer);
        msg_clear(&p);
        return;
    }
    if (m.kind == MESSAGE_ERROR) {
        m.body = p.error;
        event_emit(EV_MESSAGE, &m);
    } else if (p.body != NULL && m.kind != MESSAGE_GROUPCHAT) {
        struct message *own;
        const struct message *out = transform_in(acct, &m, st, &own);
        if (out != NULL) {
            /* The receipt first: it says the message reached us, which is
             * true now, and the sender should not wait on our windows. */
            if (m.receipt_request && p.id != NULL && p.from != NULL)
                send_receipt(acct, p.from, p.id);
            if (live && p.chat_state == NULL)
                note_chat_state(acct, peer, "active"); /* ends typing */
            event_emit(EV_MESSAGE, out);
        }
        message_free(own);
    }
    if (p.displayed_id != NULL && live) {
        struct ev_receipt d = {acct, peer, p.displayed_id};
        event_emit(EV_DISPLAYED, &d);
    }
    if (p.receipt_for != NULL && live) {
        struct ev_receipt r = {acct, peer, p.receipt_for};
        event_emit(EV_RECEIPT, &r);
    }
    if (p.chat_state != NULL && live)
        note_chat_state(acct, peer, p.chat_state);
    g_free(peer);
    msg_clear(&p);
}

/* Every incoming message stanza of acct enters here. */
int
message_receive(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct account *acct = data;
    struct mam_arrival arr;
    xmpp_stanza_t *archived = mam_unwrap(st, acct, &arr);
    char *from_bare;

    if (arr.ignore)
        return 1;
    /* Bookmark changes from our own PEP service (XEP-0402). */
    if (!arr.backfill && bookmarks_handle_message(conn, st, acct))
        return 1;
    if (archived != NULL && arr.room != NULL) {
        receive_room(acct, arr.room, archived, &arr);
        return 1;
    }
    from_bare = jid_bare_quiet(xmpp_stanza_get_from(st));
    if (archived == NULL && xmpp_stanza_get_from(st) != NULL) {
        struct room *room = NULL;
        bool taken = muc_receive_invite(acct, st);
        if (!taken && (room = sender_room(acct, from_bare)) != NULL)
            receive_room(acct, room, st, NULL);
        /* A groupchat message of no room of ours is dropped too. */
        if (taken || room != NULL ||
            g_strcmp0(xmpp_stanza_get_type(st), "groupchat") == 0) {
            g_free(from_bare);
            return 1;
        }
    }
    receive_chat(acct, st, archived, &arr, from_bare);
    g_free(from_bare);
    return 1;
}

/* Free one account's held queue (a GHashTable value). */
static void
held_free(void *key, void *value, void *data)
{
    g_queue_free_full(value, (GDestroyNotify)message_free);
}

/* Forget every held message (at exit). */
void
message_deinit(void)
{
    if (held != NULL) {
        g_hash_table_foreach(held, held_free, NULL);
        g_hash_table_destroy(held);
    }
    held = NULL;
    if (transforms != NULL)
        g_ptr_array_free(transforms, TRUE);
    transforms = NULL;
}
