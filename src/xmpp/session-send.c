/* SPDX-License-Identifier: MIT */
/*
 * Sending on a session: the one write path every stanza of an account
 * leaves by (with the tap, EV_STANZA, both ways), requests that wait for
 * their replies, and our presence.
 */
#include "xmpp/session-internal.h"

#include <string.h>

#include "core/account.h"
#include "core/event.h"
#include "xmpp/driver.h"
#include "xmpp/info.h"
#include "xmpp/muc.h"
#include "xmpp/recvlog.h"
#include "xmpp/request.h"
#include "xmpp/stanza.h"

static int on_iq_reply(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data);

/* What session_request remembers until the answer comes. */
struct request_call {
    request_fn fn;
    void *data;
};

/* Every stanza the connection reads, for the tap (EV_STANZA); it costs a
 * call per stanza while nobody listens. */
int
session_tap_in(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct session *s = data;

    recvlog_received(st);
    if (event_wanted(EV_STANZA)) {
        struct ev_stanza ev = {s->acct, st, false};
        event_emit(EV_STANZA, &ev);
    }
    return 1;
}

/* The session ended: every iq still waiting gets its answer, NULL. */
void
session_fail_iqs(struct session *s)
{
    GList *iqs = s->iqs;

    s->iqs = NULL;
    for (GList *l = iqs; l != NULL; l = l->next) {
        struct pending_iq *p = l->data;
        p->fn(s->acct, NULL, p->data);
        g_free(p->id);
        g_free(p);
    }
    g_list_free(iqs);
}

/* The reply to an iq from session_send_iq arrived. */
static int
on_iq_reply(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct pending_iq *p = data;
    struct session *s = p->s;

    s->iqs = g_list_remove(s->iqs, p);
    p->fn(s->acct, st, p->data);
    g_free(p->id);
    g_free(p);
    return 0;
}

/* Set and broadcast our presence; status may be NULL. */
bool
session_set_presence(struct account *acct, const char *show,
                     const char *status, char **cause)
{
    struct session *s = acct->session;
    xmpp_stanza_t *p;
    char *new_show, *new_status;

    if (!show_valid(show)) {
        *cause = g_strdup_printf("Unknown presence: %s", show);
        return false;
    }
    /* Copy first: show and status may be acct's own (re-announcing). */
    new_show = g_strdup(show);
    new_status = g_strdup(status);
    g_free(acct->show);
    g_free(acct->status);
    acct->show = new_show;
    acct->status = new_status;
    if (s == NULL || !s->online)
        return true; /* used when we connect */
    p = presence_build(session_ctx(), acct->show, acct->status,
                       acct->priority);
    info_add_caps(p);
    session_write(s, p);
    xmpp_stanza_release(p);
    muc_send_presence(acct); /* rooms get no broadcast presence */
    driver_kick();
    return true;
}

/* Send iq on acct's connection; fn gets the reply, or NULL if the session
 * ends first, exactly once. The iq is not taken over. */
bool
session_send_iq(struct account *acct, xmpp_stanza_t *iq, session_iq_fn fn,
                void *data, char **cause)
{
    struct session *s = acct->session;
    struct pending_iq *p;
    const char *id;

    if (s == NULL || !s->online) {
        *cause = g_strdup_printf("%s is not connected", acct->jid);
        return false;
    }
    id = xmpp_stanza_get_id(iq);
    if (id == NULL) {
        char *fresh = xmpp_uuid_gen(session_ctx());
        xmpp_stanza_set_id(iq, fresh);
        xmpp_free(session_ctx(), fresh);
        id = xmpp_stanza_get_id(iq);
    }
    p = g_new0(struct pending_iq, 1);
    p->s = s;
    p->id = g_strdup(id);
    p->fn = fn;
    p->data = data;
    s->iqs = g_list_append(s->iqs, p);
    xmpp_id_handler_add(s->conn, on_iq_reply, p->id, p);
    session_write(s, iq);
    driver_kick();
    return true;
}

/* Send a stanza on acct's connection; false with *cause when offline. The
 * stanza is not taken over. */
bool
session_send(struct account *acct, xmpp_stanza_t *st, char **cause)
{
    struct session *s = acct->session;

    if (s == NULL || !s->online) {
        *cause = g_strdup_printf("%s is not connected", acct->jid);
        return false;
    }
    session_write(s, st);
    driver_kick();
    return true;
}

/* Write st on s's connection: the one door every stanza of an account
 * leaves by, where the tap (EV_STANZA) sees it. st is not taken over. */
void
session_write(struct session *s, xmpp_stanza_t *st)
{
    if (s == NULL || s->conn == NULL)
        return;
    if (event_wanted(EV_STANZA)) {
        struct ev_stanza ev = {s->acct, st, true};
        event_emit(EV_STANZA, &ev);
    }
    xmpp_send(s->conn, st);
}

/* The answer to a session_request: hand the caller its plain outcome. */
static void
on_request_reply(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct request_call *c = data;
    struct request_result r = {0};
    char *err = NULL;

    if (reply == NULL) {
        r.lost = true;
    } else if (g_strcmp0(xmpp_stanza_get_type(reply), "error") == 0) {
        err = stanza_error_text(reply);
        r.error = err;
    } else {
        r.ok = true;
    }
    c->fn(acct, &r, c->data);
    g_free(err);
    g_free(c);
}

/* Send iq on acct; fn runs exactly once with its plain outcome. */
bool
session_request(struct account *acct, xmpp_stanza_t *iq, request_fn fn,
                void *data, char **cause)
{
    struct request_call *c = g_new0(struct request_call, 1);

    c->fn = fn;
    c->data = data;
    if (!session_send_iq(acct, iq, on_request_reply, c, cause)) {
        g_free(c);
        return false;
    }
    return true;
}
