/* SPDX-License-Identifier: MIT */
/* In-band registration flows: a new account, a new password. */
#include "xmpp/register.h"

#include <string.h>

#include "core/account.h"
#include "xmpp/raw.h"
#include "xmpp/register-stanza.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"
#include "xmpp/xml.h"

/* Seconds to wait for each answer of the server. */
#define ANSWER_TIMEOUT_S 15

enum rq_state {
    RQ_CONNECTING, /* raw session setting up */
    RQ_FORM,       /* registration get sent */
    RQ_ASKING,     /* waiting for the user */
    RQ_SUBMITTED,  /* registration set sent */
    RQ_DONE,       /* done called; the raw session is closing */
};

struct reg_request {
    char *jid;
    char *user;
    char *domain;
    struct raw_session *rs;
    struct reg_form *form;
    enum rq_state state;
    struct form_field *asking; /* field the pending ask is for */
    char *first;               /* first entry of a secret being confirmed */
    bool ask_pending;          /* the caller owes us register_answer() */
    bool ended;                /* the raw session is gone */
    struct reg_callbacks cb;
    void *data;
};

static GPtrArray *requests;

static void ask_next(struct reg_request *req);

/* Keep acct's new password for reconnects in place of the old one. */
void
register_password_changed(struct account *acct, const char *password)
{
    if (acct->secret == NULL)
        return; /* not kept (password_eval asks again each time) */
    account_forget_secret(acct);
    acct->secret = g_strdup(password);
}

/* Free a request that is over. */
static void
request_free(struct reg_request *req)
{
    g_ptr_array_remove(requests, req);
    g_free(req->jid);
    g_free(req->user);
    g_free(req->domain);
    if (req->first != NULL)
        memset(req->first, 0, strlen(req->first));
    g_free(req->first);
    reg_form_free(req->form);
    g_free(req);
}

/* Wipe the secrets in the form before it is freed or kept. */
static void
wipe_secrets(struct reg_form *form)
{
    for (guint i = 0; form != NULL && i < form->fields->len; i++) {
        struct form_field *f = form->fields->pdata[i];
        if (strcmp(f->type, "text-private") != 0)
            continue;
        for (guint k = 0; k < f->values->len; k++) {
            char *v = f->values->pdata[k];
            memset(v, 0, strlen(v));
        }
    }
}

/* The registration is over: tell the caller once, hang up. */
static void
finish(struct reg_request *req, bool ok, int kind, const char *line)
{
    if (req->state == RQ_DONE)
        return;
    req->state = RQ_DONE;
    wipe_secrets(req->form);
    req->cb.done(ok, kind, line, req->data);
    if (!req->ended)
        raw_close(req->rs, NULL);
}

/* The server answered the registration: report it. */
static int
on_submitted(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct reg_request *req = data;
    char *cause = NULL, *line;

    if (req->state != RQ_SUBMITTED)
        return 0;
    if (reg_result_parse(st, REG_OP_REGISTER, &cause)) {
        line = g_strdup_printf("Registered %s on %s", req->jid,
                               raw_where(req->rs));
        finish(req, true, RAW_OK, line);
    } else {
        line = g_strdup_printf("Cannot register %s: %s", req->jid, cause);
        finish(req, false, RAW_OK, line);
    }
    g_free(line);
    g_free(cause);
    return 0;
}

/* Every field has its value: send the form back. */
static void
submit(struct reg_request *req)
{
    xmpp_conn_t *conn = raw_conn(req->rs);
    xmpp_ctx_t *ctx = xmpp_conn_get_context(conn);
    char *id = xmpp_uuid_gen(ctx);
    xmpp_stanza_t *iq = reg_submit_build(ctx, req->form, id, req->domain);

    req->state = RQ_SUBMITTED;
    xmpp_id_handler_add(conn, on_submitted, id, req);
    raw_send(req->rs, iq);
    raw_set_timeout(req->rs, ANSWER_TIMEOUT_S,
                    "The server did not answer the registration");
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
}

/* Ask the user for the next field that needs an answer, or submit. */
static void
ask_next(struct reg_request *req)
{
    char *prompt, *full, *name;
    bool secret;

    for (guint i = 0; i < req->form->fields->len; i++) {
        struct form_field *f = req->form->fields->pdata[i];

        if (!reg_field_needs_answer(req->form, f))
            continue;
        secret = strcmp(f->type, "text-private") == 0;
        prompt = reg_field_prompt(f); /* ends with ':' */
        prompt[strlen(prompt) - 1] = '\0';
        name = g_strdup(f->label != NULL ? f->label : f->var);
        name[0] = g_ascii_toupper(name[0]);
        if (req->first != NULL)
            full = g_strdup_printf("%s for %s again, to be sure:", name,
                                   req->jid);
        else
            full = g_strdup_printf("%s for %s:", prompt, req->jid);
        g_free(name);
        req->asking = f;
        req->state = RQ_ASKING;
        req->ask_pending = true;
        raw_set_timeout(req->rs, 0, NULL); /* the user takes their time */
        req->cb.ask(req, f, full, secret, req->data);
        g_free(prompt);
        g_free(full);
        return;
    }
    submit(req);
}

/* The answer to the last ask; NULL cancels. */
void
register_answer(struct reg_request *req, const char *text)
{
    struct form_field *f = req->asking;
    char *cause = NULL, *value, *line;

    req->ask_pending = false;
    if (req->state != RQ_ASKING || f == NULL) {
        if (req->ended && req->state == RQ_DONE)
            request_free(req); /* only our answer was still owed */
        return;
    }
    if (text == NULL) {
        line = g_strdup_printf("Registration of %s cancelled", req->jid);
        finish(req, false, RAW_OK, line);
        g_free(line);
        return;
    }
    if (strcmp(f->type, "text-private") == 0 && req->first == NULL) {
        req->first = g_strdup(text);
        ask_next(req);
        return;
    }
    if (req->first != NULL) {
        bool same = strcmp(req->first, text) == 0;
        memset(req->first, 0, strlen(req->first));
        g_free(req->first);
        req->first = NULL;
        if (!same) {
            line = g_strdup_printf("Cannot register %s: the two entries of "
                                   "%s differ",
                                   req->jid, f->label ? f->label : f->var);
            finish(req, false, RAW_OK, line);
            g_free(line);
            return;
        }
    }
    value = reg_field_value(f, text, &cause);
    if (value == NULL) {
        req->cb.info(cause, req->data);
        g_free(cause);
        ask_next(req);
        return;
    }
    form_field_set_value(f, value);
    memset(value, 0, strlen(value)); /* a secret, maybe */
    g_free(value);
    ask_next(req);
}

/* Say what the server asks for, in a line or two. */
static void
describe_form(struct reg_request *req)
{
    struct reg_form *form = req->form;
    GString *s = g_string_new(NULL);
    char *line;

    if (form->title != NULL || form->instructions != NULL) {
        line = g_strdup_printf("%s%s%s", form->title ? form->title : "",
                               form->title && form->instructions ? ": " : "",
                               form->instructions ? form->instructions : "");
        req->cb.info(line, req->data);
        g_free(line);
    }
    for (guint i = 0; i < form->fields->len; i++) {
        struct form_field *f = form->fields->pdata[i];
        if (strcmp(f->type, "hidden") == 0)
            continue;
        if (strcmp(f->type, "fixed") == 0) {
            for (guint k = 0; k < f->values->len; k++)
                req->cb.info(f->values->pdata[k], req->data);
            continue;
        }
        g_string_append_printf(s, "%s%s%s", s->len > 0 ? ", " : "",
                               f->label != NULL ? f->label : f->var,
                               reg_field_needs_answer(form, f) || f->required
                                   ? " (required)"
                                   : "");
    }
    if (s->len > 0) {
        line = g_strdup_printf("%s asks for: %s", raw_where(req->rs), s->str);
        req->cb.info(line, req->data);
        g_free(line);
    }
    g_string_free(s, TRUE);
}

/* The server's registration form arrived. */
static int
on_form(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct reg_request *req = data;
    char *cause = NULL, *line;
    bool any = false;

    if (req->state != RQ_FORM)
        return 0;
    req->form = reg_form_parse(st, &cause);
    if (req->form == NULL) {
        line = g_strdup_printf("Cannot register %s: %s", req->jid, cause);
        finish(req, false, RAW_OK, line);
        g_free(line);
        g_free(cause);
        return 0;
    }
    for (guint i = 0; i < req->form->fields->len; i++) {
        struct form_field *f = req->form->fields->pdata[i];
        if (strcmp(f->type, "hidden") != 0 && strcmp(f->type, "fixed") != 0)
            any = true;
    }
    if (!any) {
        line = g_strdup_printf("Cannot register %s here: %s%s", req->jid,
                               req->form->url != NULL
                                   ? "the server registers accounts at "
                                   : "the server asks for nothing",
                               req->form->url != NULL ? req->form->url : "");
        if (req->form->instructions != NULL)
            req->cb.info(req->form->instructions, req->data);
        finish(req, false, RAW_OK, line);
        g_free(line);
        return 0;
    }
    describe_form(req);
    /* The account name is the JID's; the server may not pick another. */
    reg_form_set(req->form, "username", req->user);
    ask_next(req);
    return 0;
}

/* The stream is open and secured: ask for the registration form. */
static void
on_ready(struct raw_session *rs, xmpp_stanza_t *features, void *data)
{
    struct reg_request *req = data;
    xmpp_conn_t *conn = raw_conn(rs);
    xmpp_ctx_t *ctx = xmpp_conn_get_context(conn);
    char *id = xmpp_uuid_gen(ctx);
    xmpp_stanza_t *iq = reg_get_build(ctx, id, req->domain);

    if (!raw_secured(rs))
        req->cb.info("Warning: this connection is not encrypted; the "
                     "password will cross the network in the clear",
                     req->data);
    req->state = RQ_FORM;
    xmpp_id_handler_add(conn, on_form, id, req);
    raw_send(rs, iq);
    raw_set_timeout(rs, ANSWER_TIMEOUT_S,
                    "The server did not answer the registration request");
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
}

/* The raw session is over: report an error if nothing was reported yet. */
static void
on_end(struct raw_session *rs, enum raw_error kind, const char *text,
       void *data)
{
    struct reg_request *req = data;
    char *line;

    req->ended = true;
    req->rs = NULL;
    if (req->state != RQ_DONE) {
        line = g_strdup_printf("Cannot register %s: %s", req->jid,
                               text != NULL ? text : "the connection closed");
        req->state = RQ_DONE; /* finish() would close the session again */
        wipe_secrets(req->form);
        req->cb.done(false, (int)kind, line, req->data);
        g_free(line);
    }
    if (!req->ask_pending)
        request_free(req);
}

/* Register cfg->jid on its server. */
struct reg_request *
register_start(const struct reg_config *cfg, const struct reg_callbacks *cb,
               void *data)
{
    struct reg_request *req = g_new0(struct reg_request, 1);
    const char *at = strchr(cfg->jid, '@');
    struct raw_config rc = {0};

    req->jid = g_strdup(cfg->jid);
    req->user = at != NULL ? g_strndup(cfg->jid, (gsize)(at - cfg->jid))
                           : g_strdup("");
    req->domain = g_strdup(at != NULL ? at + 1 : cfg->jid);
    req->cb = *cb;
    req->data = data;
    req->state = RQ_CONNECTING;
    if (requests == NULL)
        requests = g_ptr_array_new();
    g_ptr_array_add(requests, req);
    rc.domain = req->domain;
    rc.host = cfg->host;
    rc.port = cfg->port;
    rc.direct_tls = cfg->direct_tls;
    rc.tls = cfg->tls_off        ? RAW_TLS_NONE
             : cfg->tls_required ? RAW_TLS_REQUIRED
                                 : RAW_TLS_OPTIONAL;
    rc.verify = cfg->verify;
    rc.cafile = cfg->cafile;
    rc.timeout = RAW_TIMEOUT_DEFAULT;
    req->rs = raw_start(&rc, on_ready, on_end, req);
    return req;
}

/* Stop every registration without callbacks (before raw_deinit()). */
void
register_deinit(void)
{
    while (requests != NULL && requests->len > 0) {
        struct reg_request *req = requests->pdata[0];
        if (req->rs != NULL)
            raw_abandon(req->rs);
        request_free(req);
    }
    if (requests != NULL)
        g_ptr_array_free(requests, TRUE);
    requests = NULL;
}

/* What a password change remembers until the server answers. */
struct pw_call {
    char *password; /* the new one, wiped when done */
    password_fn fn;
    void *data;
};

/* The server answered a password change (reply NULL: we went offline). */
static void
on_pw_reply(struct account *acct, xmpp_stanza_t *reply, void *data)
{
    struct pw_call *c = data;
    struct password_result r = {0};
    char *cause = NULL;

    if (reply == NULL) {
        r.lost = true;
    } else if (reg_result_parse(reply, REG_OP_PASSWORD, &cause)) {
        register_password_changed(acct, c->password);
        r.ok = true;
    } else {
        r.error = cause;
    }
    c->fn(acct, &r, c->data);
    g_free(cause);
    memset(c->password, 0, strlen(c->password));
    g_free(c->password);
    g_free(c);
}

/* Ask acct's server to change the password of jid (user@domain) to
 * password; fn runs exactly once with the answer. False with *cause (and
 * fn never runs) when it cannot be sent. */
bool
password_change(struct account *acct, const char *jid, const char *password,
                password_fn fn, void *data, char **cause)
{
    xmpp_ctx_t *ctx = session_ctx();
    const char *at = strchr(jid, '@');
    struct pw_call *c;
    char *id, *user;
    xmpp_stanza_t *iq;
    bool ok;

    if (ctx == NULL || at == NULL) {
        *cause = g_strdup(ctx == NULL ? "not connected" : "not a user JID");
        return false;
    }
    c = g_new0(struct pw_call, 1);
    c->password = g_strdup(password);
    c->fn = fn;
    c->data = data;
    id = xmpp_uuid_gen(ctx);
    user = g_strndup(jid, (gsize)(at - jid));
    iq = reg_password_build(ctx, id, at + 1, user, password);
    ok = session_send_iq(acct, iq, on_pw_reply, c, cause);
    if (!ok) {
        memset(c->password, 0, strlen(c->password));
        g_free(c->password);
        g_free(c);
    }
    xmpp_stanza_release(iq);
    xmpp_free(ctx, id);
    g_free(user);
    return ok;
}
