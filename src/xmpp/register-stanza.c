/* SPDX-License-Identifier: MIT */
/* In-band registration stanzas (XEP-0077): forms, iqs, replies. */
#include "xmpp/register-stanza.h"

#include <string.h>

#include "xmpp/stanza.h"
#include "xmpp/xml.h"

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

/* Read an XEP-0004 form x into form (its fields replace the plain ones). */
static void
parse_data_form(struct reg_form *form, xmpp_stanza_t *x)
{
    struct form *df = dataform_parse(x);

    if (df == NULL)
        return;
    form->data_form = true;
    g_ptr_array_unref(form->fields);
    form->fields = g_ptr_array_ref(df->fields);
    g_free(form->title);
    form->title = g_steal_pointer(&df->title);
    if (df->instructions != NULL) {
        /* one line, as the plain instructions are */
        g_free(form->instructions);
        form->instructions =
            g_strdelimit(g_steal_pointer(&df->instructions), "\n", ' ');
    }
    form_free(df);
}

/* A plain XEP-0077 field element (<username/>, <email/>...). */
static struct form_field *
plain_field(xmpp_stanza_t *c)
{
    const char *name = xmpp_stanza_get_name(c);
    struct form_field *f =
        form_field_new(name,
                       strcmp(name, "password") == 0 ? "text-private"
                       : strcmp(name, "key") == 0    ? "hidden"
                                                     : "text-single",
                       NULL);
    char *t = xmpp_stanza_get_text(c);

    if (t != NULL && t[0] != '\0')
        form_field_set_value(f, t);
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
    form->fields =
        g_ptr_array_new_with_free_func((GDestroyNotify)form_field_free);
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
            form->url = xml_one_line(xml_child_text(c, "url"));
        } else if (ns != NULL && strcmp(ns, NS_REGISTER) != 0) {
            continue; /* some other extension */
        } else if (strcmp(name, "instructions") == 0) {
            g_free(form->instructions);
            form->instructions = xml_one_line(xml_text(c));
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
struct form_field *
reg_form_field(struct reg_form *form, const char *var)
{
    for (guint i = 0; i < form->fields->len; i++) {
        struct form_field *f = form->fields->pdata[i];
        if (g_strcmp0(f->var, var) == 0)
            return f;
    }
    return NULL;
}

/* Set the value of field var (copied). */
bool
reg_form_set(struct reg_form *form, const char *var, const char *value)
{
    struct form_field *f = reg_form_field(form, var);

    if (f == NULL)
        return false;
    form_field_set_value(f, value);
    return true;
}

/* Whether the user must answer f. */
bool
reg_field_needs_answer(const struct reg_form *form, const struct form_field *f)
{
    if (strcmp(f->type, "hidden") == 0 || strcmp(f->type, "fixed") == 0)
        return false;
    if (form_field_value(f) != NULL && form_field_value(f)[0] != '\0')
        return false;
    return form->data_form ? f->required : true;
}

/* Whether f is a boolean field. */
static bool
is_bool(const struct form_field *f)
{
    return strcmp(f->type, "boolean") == 0;
}

/* "Label (what to type)" for prompts. Note: result must be freed. */
char *
reg_field_prompt(const struct form_field *f)
{
    GString *s = g_string_new(f->label != NULL ? f->label : f->var);

    if (f->label == NULL && s->len > 0)
        s->str[0] = g_ascii_toupper(s->str[0]);
    if (f->desc != NULL)
        g_string_append_printf(s, " (%s)", f->desc);
    if (is_bool(f))
        g_string_append(s, " [yes/no]");
    if (f->options->len > 0) {
        g_string_append(s, " [");
        for (guint i = 0; i < f->options->len; i++)
            g_string_append_printf(
                s, "%s%s", i > 0 ? ", " : "",
                ((struct form_option *)f->options->pdata[i])->label);
        g_string_append(s, "]");
    }
    g_string_append(s, ":");
    return g_string_free(s, FALSE);
}

/* Turn what the user typed into f's value. Note: result must be freed. */
char *
reg_field_value(const struct form_field *f, const char *typed, char **cause)
{
    return form_value_convert(f, typed, cause);
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

/* The registration get; caller releases. */
xmpp_stanza_t *
reg_get_build(xmpp_ctx_t *ctx, const char *id, const char *to)
{
    xmpp_stanza_t *query;

    return iq_query(ctx, "get", id, to, &query);
}

/* s, or NULL when s is empty: a field left blank goes as <name/>, with no
 * text node. Returns s (borrowed). */
static const char *
nonempty(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

/* The set that submits form; caller releases. */
xmpp_stanza_t *
reg_submit_build(xmpp_ctx_t *ctx, const struct reg_form *form, const char *id,
                 const char *to)
{
    xmpp_stanza_t *query;
    xmpp_stanza_t *iq = iq_query(ctx, "set", id, to, &query);

    if (!form->data_form) {
        for (guint i = 0; i < form->fields->len; i++) {
            struct form_field *f = form->fields->pdata[i];
            xml_add_text(query, f->var, nonempty(form_field_value(f)));
        }
        return iq;
    }
    xmpp_stanza_add_child_ex(query, dataform_submit_build(ctx, form->fields),
                             0);
    return iq;
}

/* The set that changes username's password; caller releases. */
xmpp_stanza_t *
reg_password_build(xmpp_ctx_t *ctx, const char *id, const char *domain,
                   const char *username, const char *password)
{
    xmpp_stanza_t *query;
    xmpp_stanza_t *iq = iq_query(ctx, "set", id, domain, &query);

    xml_add_text(query, "username", nonempty(username));
    xml_add_text(query, "password", nonempty(password));
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
            text = xml_one_line(xml_text(c));
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
