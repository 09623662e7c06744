/* SPDX-License-Identifier: MIT */
#include "xmpp/register.h"

#include <string.h>

#include "core/account.h"
#include "xmpp/raw.h"
#include "xmpp/stanza.h"

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
    struct reg_field *asking; /* field the pending ask is for */
    char *first;              /* first entry of a secret being confirmed */
    bool ask_pending;         /* the caller owes us register_answer() */
    bool ended;               /* the raw session is gone */
    struct reg_callbacks cb;
    void *data;
};

static GPtrArray *requests;

static void ask_next(struct reg_request *req);

/* Text of st, NULL if none. Note: result must be freed with g_free()
 * (libstrophe's own copy goes back to libstrophe's allocator). */
static char *
text_of(xmpp_stanza_t *st)
{
    char *t = xmpp_stanza_get_text(st), *out;

    if (t == NULL)
        return NULL;
    out = g_strdup(t);
    xmpp_free(xmpp_stanza_get_context(st), t);
    return out;
}

/* Text of st's child name; NULL if none. Caller frees with g_free(). */
static char *
child_text(xmpp_stanza_t *st, const char *name)
{
    xmpp_stanza_t *c = xmpp_stanza_get_child_by_name(st, name);

    return c != NULL ? text_of(c) : NULL;
}

/* s with runs of whitespace made one space, trimmed; NULL if empty. */
static char *
one_line(char *s)
{
    char *w = s, *out;
    bool space = false;

    if (s == NULL)
        return NULL;
    for (const char *r = s; *r != '\0'; r++) {
        if (g_ascii_isspace(*r)) {
            space = w != s;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        *w++ = *r;
    }
    *w = '\0';
    if (s[0] == '\0') {
        g_free(s);
        return NULL;
    }
    out = s;
    return out;
}

/* Free a field. */
static void
field_free(struct reg_field *f)
{
    g_free(f->var);
    g_free(f->label);
    g_free(f->type);
    g_free(f->desc);
    g_free(f->value);
    if (f->options != NULL)
        g_ptr_array_unref(f->options);
    g_free(f);
}

/* Free a form and its fields; NULL is fine. */
void
reg_form_free(struct reg_form *form)
{
    if (form == NULL)
        return;
    g_free(form->instructions);
    g_free(form->title);
    g_free(form->url);
    g_ptr_array_unref(form->fields);
    g_free(form);
}

/* A field of an XEP-0004 form; NULL for what is no field. */
static struct reg_field *
data_field(xmpp_stanza_t *st)
{
    struct reg_field *f;
    const char *type = xmpp_stanza_get_attribute(st, "type");

    f = g_new0(struct reg_field, 1);
    f->var = g_strdup(xmpp_stanza_get_attribute(st, "var"));
    f->label = g_strdup(xmpp_stanza_get_attribute(st, "label"));
    f->type = g_strdup(type != NULL ? type : "text-single");
    f->desc = one_line(child_text(st, "desc"));
    f->value = child_text(st, "value");
    f->required = xmpp_stanza_get_child_by_name(st, "required") != NULL;
    if (f->var == NULL && strcmp(f->type, "fixed") != 0) {
        field_free(f); /* XEP-0004: only fixed fields may lack a var */
        return NULL;
    }
    for (xmpp_stanza_t *o = xmpp_stanza_get_children(st); o != NULL;
         o = xmpp_stanza_get_next(o)) {
        const char *label;
        char *v;
        if (!xmpp_stanza_is_tag(o) ||
            g_strcmp0(xmpp_stanza_get_name(o), "option") != 0)
            continue;
        if ((v = child_text(o, "value")) == NULL)
            continue;
        if (f->options == NULL)
            f->options = g_ptr_array_new_with_free_func(g_free);
        label = xmpp_stanza_get_attribute(o, "label");
        g_ptr_array_add(f->options, v);
        g_ptr_array_add(f->options, g_strdup(label != NULL ? label : v));
    }
    return f;
}

/* Read an XEP-0004 form x into form. */
static void
parse_data_form(struct reg_form *form, xmpp_stanza_t *x)
{
    char *instructions = one_line(child_text(x, "instructions"));

    form->data_form = true;
    g_ptr_array_set_size(form->fields, 0); /* the form replaces them */
    g_free(form->title);
    form->title = one_line(child_text(x, "title"));
    if (instructions != NULL) {
        g_free(form->instructions);
        form->instructions = instructions;
    }
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(x); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        struct reg_field *f;
        if (!xmpp_stanza_is_tag(c) ||
            g_strcmp0(xmpp_stanza_get_name(c), "field") != 0)
            continue;
        if ((f = data_field(c)) != NULL)
            g_ptr_array_add(form->fields, f);
    }
}

/* A plain XEP-0077 field element (<username/>, <email/>...). */
static struct reg_field *
plain_field(xmpp_stanza_t *c)
{
    const char *name = xmpp_stanza_get_name(c);
    struct reg_field *f = g_new0(struct reg_field, 1);
    char *t = xmpp_stanza_get_text(c);

    f->var = g_strdup(name);
    f->type = g_strdup(strcmp(name, "password") == 0 ? "text-private"
                       : strcmp(name, "key") == 0    ? "hidden"
                                                     : "text-single");
    if (t != NULL && t[0] != '\0')
        f->value = g_strdup(t);
    xmpp_free(xmpp_stanza_get_context(c), t);
    f->required = true; /* XEP-0077: every element given must be filled */
    return f;
}

/* Parse the result of a registration get. */
struct reg_form *
reg_form_parse(xmpp_stanza_t *iq, char **cause)
{
    const char *type = xmpp_stanza_get_type(iq);
    xmpp_stanza_t *query, *data = NULL;
    struct reg_form *form;

    if (g_strcmp0(type, "error") == 0) {
        *cause = reg_error_text(iq, REG_OP_REGISTER);
        return NULL;
    }
    query = xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_REGISTER);
    if (g_strcmp0(type, "result") != 0 || query == NULL) {
        *cause = g_strdup("the server sent no registration form");
        return NULL;
    }
    form = g_new0(struct reg_form, 1);
    form->fields = g_ptr_array_new_with_free_func((GDestroyNotify)field_free);
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(query); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        const char *ns = xmpp_stanza_get_ns(c);

        if (!xmpp_stanza_is_tag(c) || name == NULL)
            continue;
        if (strcmp(name, "x") == 0 && g_strcmp0(ns, NS_DATA) == 0) {
            data = c;
        } else if (strcmp(name, "x") == 0 && g_strcmp0(ns, NS_OOB) == 0) {
            g_free(form->url);
            form->url = one_line(child_text(c, "url"));
        } else if (ns != NULL && strcmp(ns, NS_REGISTER) != 0) {
            continue; /* some other extension */
        } else if (strcmp(name, "instructions") == 0) {
            g_free(form->instructions);
            form->instructions = one_line(text_of(c));
        } else if (strcmp(name, "registered") == 0) {
            form->registered = true;
        } else if (strcmp(name, "remove") != 0) {
            g_ptr_array_add(form->fields, plain_field(c));
        }
    }
    /* XEP-0077 5: a server that sends a form wants the form back. */
    if (data != NULL)
        parse_data_form(form, data);
    return form;
}

/* A field by var (borrowed), NULL if the form has none. */
struct reg_field *
reg_form_field(struct reg_form *form, const char *var)
{
    for (guint i = 0; i < form->fields->len; i++) {
        struct reg_field *f = form->fields->pdata[i];
        if (g_strcmp0(f->var, var) == 0)
            return f;
    }
    return NULL;
}

/* Set the value of field var (copied). */
bool
reg_form_set(struct reg_form *form, const char *var, const char *value)
{
    struct reg_field *f = reg_form_field(form, var);

    if (f == NULL)
        return false;
    g_free(f->value);
    f->value = g_strdup(value);
    return true;
}

/* Whether the user must answer f. */
bool
reg_field_needs_answer(const struct reg_form *form, const struct reg_field *f)
{
    if (strcmp(f->type, "hidden") == 0 || strcmp(f->type, "fixed") == 0)
        return false;
    if (f->value != NULL && f->value[0] != '\0')
        return false;
    return form->data_form ? f->required : true;
}

/* Whether f is a boolean field. */
static bool
is_bool(const struct reg_field *f)
{
    return strcmp(f->type, "boolean") == 0;
}

/* "Label (what to type)" for prompts. Note: result must be freed. */
char *
reg_field_prompt(const struct reg_field *f)
{
    GString *s = g_string_new(f->label != NULL ? f->label : f->var);

    if (f->label == NULL && s->len > 0)
        s->str[0] = g_ascii_toupper(s->str[0]);
    if (f->desc != NULL)
        g_string_append_printf(s, " (%s)", f->desc);
    if (is_bool(f))
        g_string_append(s, " [yes/no]");
    if (f->options != NULL) {
        g_string_append(s, " [");
        for (guint i = 0; i + 1 < f->options->len; i += 2)
            g_string_append_printf(s, "%s%s", i > 0 ? ", " : "",
                                   (char *)f->options->pdata[i + 1]);
        g_string_append(s, "]");
    }
    g_string_append(s, ":");
    return g_string_free(s, FALSE);
}

/* Turn what the user typed into f's value. Note: result must be freed. */
char *
reg_field_value(const struct reg_field *f, const char *typed, char **cause)
{
    static const char *const yes[] = {"yes", "y", "true", "1", "on", NULL};
    static const char *const no[] = {"no", "n", "false", "0", "off", NULL};

    if (is_bool(f)) {
        for (int i = 0; yes[i] != NULL; i++)
            if (g_ascii_strcasecmp(typed, yes[i]) == 0)
                return g_strdup("1");
        for (int i = 0; no[i] != NULL; i++)
            if (g_ascii_strcasecmp(typed, no[i]) == 0)
                return g_strdup("0");
        *cause = g_strdup_printf("Answer yes or no, not %s", typed);
        return NULL;
    }
    if (f->options != NULL && strcmp(f->type, "list-single") == 0) {
        for (guint i = 0; i + 1 < f->options->len; i += 2)
            if (strcmp(typed, f->options->pdata[i]) == 0 ||
                g_ascii_strcasecmp(typed, f->options->pdata[i + 1]) == 0)
                return g_strdup(f->options->pdata[i]);
        *cause = g_strdup_printf("%s is none of the choices", typed);
        return NULL;
    }
    if (typed[0] == '\0' && f->required) {
        *cause = g_strdup("An answer is required");
        return NULL;
    }
    return g_strdup(typed);
}

/* An iq of type with id, to to (may be NULL), and a register query. */
static xmpp_stanza_t *
iq_query(xmpp_ctx_t *ctx, const char *type, const char *id, const char *to,
         xmpp_stanza_t **query)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, type, id);

    if (to != NULL)
        xmpp_stanza_set_to(iq, to);
    *query = xmpp_stanza_new(ctx);
    xmpp_stanza_set_name(*query, "query");
    xmpp_stanza_set_ns(*query, NS_REGISTER);
    xmpp_stanza_add_child_ex(iq, *query, 0);
    return iq;
}

/* Add <name>text</name> (text may be NULL: empty) to parent. */
static void
add_text_child(xmpp_ctx_t *ctx, xmpp_stanza_t *parent, const char *name,
               const char *text)
{
    xmpp_stanza_t *el = xmpp_stanza_new(ctx);

    xmpp_stanza_set_name(el, name);
    if (text != NULL && text[0] != '\0') {
        xmpp_stanza_t *t = xmpp_stanza_new(ctx);
        xmpp_stanza_set_text(t, text);
        xmpp_stanza_add_child_ex(el, t, 0);
    }
    xmpp_stanza_add_child_ex(parent, el, 0);
}

/* The registration get; caller releases. */
xmpp_stanza_t *
reg_get_build(xmpp_ctx_t *ctx, const char *id, const char *to)
{
    xmpp_stanza_t *query;

    return iq_query(ctx, "get", id, to, &query);
}

/* The set that submits form; caller releases. */
xmpp_stanza_t *
reg_submit_build(xmpp_ctx_t *ctx, const struct reg_form *form, const char *id,
                 const char *to)
{
    xmpp_stanza_t *query, *x;
    xmpp_stanza_t *iq = iq_query(ctx, "set", id, to, &query);

    if (!form->data_form) {
        for (guint i = 0; i < form->fields->len; i++) {
            struct reg_field *f = form->fields->pdata[i];
            add_text_child(ctx, query, f->var, f->value);
        }
        return iq;
    }
    x = xmpp_stanza_new(ctx);
    xmpp_stanza_set_name(x, "x");
    xmpp_stanza_set_ns(x, NS_DATA);
    xmpp_stanza_set_type(x, "submit");
    for (guint i = 0; i < form->fields->len; i++) {
        struct reg_field *f = form->fields->pdata[i];
        xmpp_stanza_t *field;

        if (f->var == NULL || strcmp(f->type, "fixed") == 0)
            continue;
        field = xmpp_stanza_new(ctx);
        xmpp_stanza_set_name(field, "field");
        xmpp_stanza_set_attribute(field, "var", f->var);
        if (strcmp(f->type, "hidden") == 0)
            xmpp_stanza_set_type(field, "hidden");
        if (f->value != NULL)
            add_text_child(ctx, field, "value", f->value);
        xmpp_stanza_add_child_ex(x, field, 0);
    }
    xmpp_stanza_add_child_ex(query, x, 0);
    return iq;
}

/* The set that changes username's password; caller releases. */
xmpp_stanza_t *
reg_password_build(xmpp_ctx_t *ctx, const char *id, const char *domain,
                   const char *username, const char *password)
{
    xmpp_stanza_t *query;
    xmpp_stanza_t *iq = iq_query(ctx, "set", id, domain, &query);

    add_text_child(ctx, query, "username", username);
    add_text_child(ctx, query, "password", password);
    return iq;
}

/* Words for a stanza error condition in a registration reply. */
static const char *
condition_words(const char *cond, enum reg_op op)
{
    bool reg = op == REG_OP_REGISTER;

    if (strcmp(cond, "conflict") == 0)
        return reg ? "that account already exists"
                   : "the server refused the change (conflict)";
    if (strcmp(cond, "not-acceptable") == 0)
        return "the server did not accept what was sent (a field missing "
               "or invalid)";
    if (strcmp(cond, "not-allowed") == 0)
        return reg ? "registration is closed on this server"
                   : "the server does not allow changing the password";
    if (strcmp(cond, "bad-request") == 0)
        return "the server found the request malformed";
    if (strcmp(cond, "not-authorized") == 0)
        return reg ? "not authorized to register"
                   : "not authorized to change the password";
    if (strcmp(cond, "forbidden") == 0)
        return "forbidden by the server";
    if (strcmp(cond, "service-unavailable") == 0 ||
        strcmp(cond, "feature-not-implemented") == 0)
        return reg ? "the server offers no in-band registration"
                   : "the server does not support changing the password "
                     "in-band";
    if (strcmp(cond, "resource-constraint") == 0 ||
        strcmp(cond, "policy-violation") == 0)
        return "the server refuses for now (too many attempts?)";
    return NULL;
}

/* One line for the error in a reply. Note: result must be freed. */
char *
reg_error_text(xmpp_stanza_t *iq, enum reg_op op)
{
    xmpp_stanza_t *err = xmpp_stanza_get_child_by_name(iq, "error");
    const char *cond = NULL, *words;
    char *text = NULL, *line;

    if (err == NULL)
        return g_strdup("the server answered with an error");
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(err); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        if (!xmpp_stanza_is_tag(c) || name == NULL ||
            g_strcmp0(xmpp_stanza_get_ns(c), NS_STANZAS) != 0)
            continue;
        if (strcmp(name, "text") == 0) {
            g_free(text);
            text = one_line(text_of(c));
        } else if (cond == NULL) {
            cond = name;
        }
    }
    if (cond == NULL)
        cond = "undefined-condition";
    words = condition_words(cond, op);
    line = g_strdup_printf("%s%s%s%s", words != NULL ? words : cond,
                           text != NULL ? " (" : "", text != NULL ? text : "",
                           text != NULL ? ")" : "");
    g_free(text);
    return line;
}

/* Whether the reply to a set succeeded; else *cause says why. */
bool
reg_result_parse(xmpp_stanza_t *iq, enum reg_op op, char **cause)
{
    const char *type = xmpp_stanza_get_type(iq);

    if (g_strcmp0(type, "result") == 0)
        return true;
    if (g_strcmp0(type, "error") == 0)
        *cause = reg_error_text(iq, op);
    else
        *cause = g_strdup("the server sent an unexpected reply");
    return false;
}

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
        struct reg_field *f = form->fields->pdata[i];
        if (f->value != NULL && strcmp(f->type, "text-private") == 0)
            memset(f->value, 0, strlen(f->value));
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
        struct reg_field *f = req->form->fields->pdata[i];

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
    struct reg_field *f = req->asking;
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
    g_free(f->value);
    f->value = value;
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
        struct reg_field *f = form->fields->pdata[i];
        if (strcmp(f->type, "hidden") == 0)
            continue;
        if (strcmp(f->type, "fixed") == 0) {
            if (f->value != NULL)
                req->cb.info(f->value, req->data);
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
        struct reg_field *f = req->form->fields->pdata[i];
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
