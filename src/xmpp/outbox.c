/* SPDX-License-Identifier: MIT */
/* Chat messages sent but not yet known to have reached the server. */
#include "xmpp/outbox.h"

#include <glib.h>
#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "xmpp/message.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

/* What is tracked for one account. */
struct outbox {
    struct account *acct;
    GQueue sent;         /* struct message, oldest first: unconfirmed */
    char *ping_id;       /* the confirming ping in flight, or NULL */
    guint covered;       /* how many of sent it confirms when answered */
    GQueue limbo;        /* unconfirmed when a connection broke */
    char *limbo_ping;    /* the ping that was in flight then, or NULL */
    bool limbo_answered; /* its answer came on the new connection */
    char *decide_id;     /* the ping that decides about limbo */
    void (*then)(struct account *acct);
};

static GHashTable *boxes; /* struct account * -> struct outbox */

/* Free an outbox. */
static void
outbox_free(void *p)
{
    struct outbox *ob = p;

    g_queue_clear_full(&ob->sent, (GDestroyNotify)message_free);
    g_queue_clear_full(&ob->limbo, (GDestroyNotify)message_free);
    g_free(ob->ping_id);
    g_free(ob->limbo_ping);
    g_free(ob->decide_id);
    g_free(ob);
}

/* The outbox of acct, created if create is set; owned here. */
static struct outbox *
box(struct account *acct, bool create)
{
    struct outbox *ob;

    if (boxes == NULL)
        boxes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                      outbox_free);
    ob = g_hash_table_lookup(boxes, acct);
    if (ob == NULL && create) {
        ob = g_new0(struct outbox, 1);
        ob->acct = acct;
        g_queue_init(&ob->sent);
        g_queue_init(&ob->limbo);
        g_hash_table_insert(boxes, acct, ob);
    }
    return ob;
}

/* Send a ping to acct's server on conn, answered by fn; returns its id.
 * Note: free the id with g_free(). */
static char *
ping(struct outbox *ob, xmpp_conn_t *conn, xmpp_handler fn)
{
    xmpp_ctx_t *ctx = session_ctx();
    char *uuid = xmpp_uuid_gen(ctx);
    char *id = g_strdup_printf("confirm-%s", uuid);
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "get", id);
    xmpp_stanza_t *p = xmpp_stanza_new(ctx);

    xmpp_free(ctx, uuid);
    xmpp_stanza_set_to(iq, strchr(ob->acct->jid, '@') + 1);
    xmpp_stanza_set_name(p, "ping");
    xmpp_stanza_set_ns(p, "urn:xmpp:ping");
    xmpp_stanza_add_child(iq, p);
    xmpp_stanza_release(p);
    xmpp_id_handler_add(conn, fn, id, ob);
    session_write(ob->acct->session, iq);
    xmpp_stanza_release(iq);
    session_kick();
    return id;
}

static int on_confirm(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data);

/* Ask the server to confirm everything sent so far, unless a ping is in
 * flight already (its answer asks again for what came after it). */
static void
confirm(struct outbox *ob, xmpp_conn_t *conn)
{
    if (ob->ping_id != NULL || ob->sent.length == 0)
        return;
    ob->covered = ob->sent.length;
    ob->ping_id = ping(ob, conn, on_confirm);
}

/* The server answered a confirming ping (a result or an error: either
 * way it read everything before it). */
static int
on_confirm(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct outbox *ob = data;

    if (ob->ping_id == NULL ||
        g_strcmp0(xmpp_stanza_get_id(st), ob->ping_id) != 0)
        return 0;
    for (guint i = 0; i < ob->covered && ob->sent.length > 0; i++)
        message_free(g_queue_pop_head(&ob->sent));
    g_free(ob->ping_id);
    ob->ping_id = NULL;
    ob->covered = 0;
    confirm(ob, conn);
    return 0;
}

/* Track chat message m (copied) just sent on acct's connection conn. */
void
outbox_sent(struct account *acct, xmpp_conn_t *conn, const struct message *m)
{
    struct outbox *ob = box(acct, true);

    g_queue_push_tail(&ob->sent, message_copy(m));
    if (ob->decide_id == NULL) /* else the decision asks afterwards */
        confirm(ob, conn);
}

/* The connection of acct broke: keep what is unconfirmed; returns how
 * many messages of this connection that is. */
unsigned int
outbox_lost(struct account *acct)
{
    struct outbox *ob = box(acct, false);
    struct message *p;
    unsigned int n;

    if (ob == NULL)
        return 0;
    n = ob->sent.length;
    /* The newest ping in flight confirms all before it, older limbo too. */
    if (ob->ping_id != NULL) {
        g_free(ob->limbo_ping);
        ob->limbo_ping = ob->ping_id;
        ob->ping_id = NULL;
    }
    while ((p = g_queue_pop_head(&ob->sent)) != NULL)
        g_queue_push_tail(&ob->limbo, p);
    ob->covered = 0;
    g_free(ob->decide_id);
    ob->decide_id = NULL;
    ob->limbo_answered = false;
    return n;
}

/* On a new connection, the old ping's answer: the stream was resumed and
 * the server had (or was sent again) everything before it. */
static int
on_limbo_ping(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct outbox *ob = data;

    ob->limbo_answered = true;
    return 0;
}

/* The deciding ping was answered: send limbo again unless the old ping
 * was answered first, then let the caller go on. */
static int
on_decide(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct outbox *ob = data;
    struct message *p;
    unsigned int n = 0;

    if (ob->decide_id == NULL ||
        g_strcmp0(xmpp_stanza_get_id(st), ob->decide_id) != 0)
        return 0;
    g_free(ob->decide_id);
    ob->decide_id = NULL;
    g_free(ob->limbo_ping);
    ob->limbo_ping = NULL;
    while ((p = g_queue_pop_head(&ob->limbo)) != NULL) {
        if (ob->limbo_answered) {
            message_free(p);
            continue;
        }
        /* Through the pipeline again: its transforms see it once more. */
        if (message_resend(ob->acct, p)) {
            g_queue_push_tail(&ob->sent, p);
            n++;
        } else {
            message_free(p);
        }
    }
    if (n > 0) {
        char num[16];
        g_snprintf(num, sizeof num, "%u", n);
        notice_fmt(ob->acct, NOTICE_INFO,
                   n == 1 ? FMT_LIMBO_RESENT_ONE : FMT_LIMBO_RESENT, num,
                   ob->acct->jid, NULL);
    }
    ob->limbo_answered = false;
    confirm(ob, conn);
    if (ob->then != NULL)
        ob->then(ob->acct);
    return 0;
}

/* acct is online again on conn: decide about what the last one left. */
bool
outbox_online(struct account *acct, xmpp_conn_t *conn,
              void (*then)(struct account *acct))
{
    struct outbox *ob = box(acct, false);

    if (ob == NULL)
        return false;
    /* The ping of the dead connection went to limbo in outbox_lost(); one
     * in flight now was sent on this connection (a message typed as it
     * came up) and is answered on it. */
    if (ob->limbo.length == 0) {
        confirm(ob, conn);
        return false;
    }
    ob->then = then;
    ob->limbo_answered = false;
    if (ob->limbo_ping != NULL)
        xmpp_id_handler_add(conn, on_limbo_ping, ob->limbo_ping, ob);
    g_free(ob->decide_id);
    ob->decide_id = ping(ob, conn, on_decide);
    return true;
}

/* The user ended the session cleanly: drop what it sent. The outbox
 * itself stays (until outbox_deinit): handlers of the closing connection
 * may still point at it. */
void
outbox_forget(struct account *acct)
{
    struct outbox *ob = box(acct, false);

    if (ob == NULL)
        return;
    g_queue_clear_full(&ob->sent, (GDestroyNotify)message_free);
    g_queue_init(&ob->sent);
    g_free(ob->ping_id);
    ob->ping_id = NULL;
    ob->covered = 0;
    g_free(ob->decide_id);
    ob->decide_id = NULL;
}

/* Free everything. */
void
outbox_deinit(void)
{
    if (boxes != NULL)
        g_hash_table_destroy(boxes);
    boxes = NULL;
}
