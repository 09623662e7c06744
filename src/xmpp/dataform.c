/* SPDX-License-Identifier: MIT */
#include "xmpp/dataform.h"

#include <glib.h>
#include <stdbool.h>
#include <string.h>

#include "xmpp/xml.h"

/* Whether st is an element called name. */
static bool
is_el(xmpp_stanza_t *st, const char *name)
{
    return xmpp_stanza_is_tag(st) &&
           g_strcmp0(xmpp_stanza_get_name(st), name) == 0;
}

/* The data form child of parent (borrowed), NULL if none. */
xmpp_stanza_t *
dataform_find(xmpp_stanza_t *parent)
{
    return parent != NULL
               ? xmpp_stanza_get_child_by_name_and_ns(parent, "x", NS_DATA)
               : NULL;
}

/* A field element; NULL for a var-less field that is not fixed. */
static struct form_field *
field_parse(xmpp_stanza_t *el)
{
    const char *type = xmpp_stanza_get_attribute(el, "type");
    struct form_field *f =
        form_field_new(xmpp_stanza_get_attribute(el, "var"), type,
                       xmpp_stanza_get_attribute(el, "label"));

    if (f->var == NULL && strcmp(f->type, "fixed") != 0) {
        form_field_free(f); /* XEP-0004: only fixed fields may lack a var */
        return NULL;
    }
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(el); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        if (is_el(c, "value")) {
            g_ptr_array_add(f->values, xml_text(c));
        } else if (is_el(c, "required")) {
            f->required = true;
        } else if (is_el(c, "desc")) {
            g_free(f->desc);
            f->desc = xml_one_line(xml_text(c));
        } else if (is_el(c, "validate") &&
                   g_strcmp0(xmpp_stanza_get_ns(c), NS_DATA_VALIDATE) == 0) {
            xmpp_stanza_t *r = xmpp_stanza_get_child_by_name(c, "range");
            g_free(f->datatype);
            f->datatype = g_strdup(xmpp_stanza_get_attribute(c, "datatype"));
            if (r != NULL) {
                f->min = g_strdup(xmpp_stanza_get_attribute(r, "min"));
                f->max = g_strdup(xmpp_stanza_get_attribute(r, "max"));
            }
        } else if (is_el(c, "option")) {
            xmpp_stanza_t *v = xmpp_stanza_get_child_by_name(c, "value");
            char *value;
            if (v == NULL)
                continue; /* an option must have a value */
            value = xml_text(v);
            form_field_add_option(f, value,
                                  xmpp_stanza_get_attribute(c, "label"));
            g_free(value);
        }
    }
    return f;
}

/* Read a data form element. Free with form_free(). */
struct form *
dataform_parse(xmpp_stanza_t *x)
{
    struct form *form;
    GString *instructions = NULL;

    if (x == NULL || !is_el(x, "x") ||
        g_strcmp0(xmpp_stanza_get_ns(x), NS_DATA) != 0)
        return NULL;
    form = form_new(xmpp_stanza_get_type(x));
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(x); c != NULL;
         c = xmpp_stanza_get_next(c)) {
        if (is_el(c, "title")) {
            g_free(form->title);
            form->title = xml_one_line(xml_text(c));
        } else if (is_el(c, "instructions")) {
            char *line = xml_one_line(xml_text(c));
            if (line == NULL)
                continue;
            if (instructions == NULL)
                instructions = g_string_new(line);
            else
                g_string_append_printf(instructions, "\n%s", line);
            g_free(line);
        } else if (is_el(c, "field")) {
            struct form_field *f = field_parse(c);
            if (f != NULL)
                g_ptr_array_add(form->fields, f);
        }
    }
    if (instructions != NULL)
        form->instructions = g_string_free(instructions, FALSE);
    return form;
}

/* Add <value>text</value> to field (an empty element for ""). */
static void
add_value(xmpp_ctx_t *ctx, xmpp_stanza_t *field, const char *text)
{
    xmpp_stanza_t *v = xml_element(ctx, "value", NULL);

    if (text[0] != '\0') {
        xmpp_stanza_t *t = xmpp_stanza_new(ctx);
        xmpp_stanza_set_text(t, text);
        xmpp_stanza_add_child_ex(v, t, 0);
    }
    xmpp_stanza_add_child_ex(field, v, 0);
}

/* The submit form answering a form with fields. Caller releases. */
xmpp_stanza_t *
dataform_submit_build(xmpp_ctx_t *ctx, const GPtrArray *fields)
{
    xmpp_stanza_t *x = xml_element(ctx, "x", NS_DATA);

    xmpp_stanza_set_type(x, "submit");
    for (guint i = 0; i < fields->len; i++) {
        struct form_field *f = fields->pdata[i];
        xmpp_stanza_t *field;

        if (f->var == NULL || strcmp(f->type, "fixed") == 0)
            continue;
        field = xml_element(ctx, "field", NULL);
        xmpp_stanza_set_attribute(field, "var", f->var);
        if (strcmp(f->type, "hidden") == 0)
            xmpp_stanza_set_type(field, "hidden");
        for (guint k = 0; k < f->values->len; k++)
            add_value(ctx, field, f->values->pdata[k]);
        xmpp_stanza_add_child_ex(x, field, 0);
    }
    return x;
}

/* An empty cancel form. Caller releases. */
xmpp_stanza_t *
dataform_cancel_build(xmpp_ctx_t *ctx)
{
    xmpp_stanza_t *x = xml_element(ctx, "x", NS_DATA);

    xmpp_stanza_set_type(x, "cancel");
    return x;
}
