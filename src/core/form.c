/* SPDX-License-Identifier: MIT */
#include "core/form.h"

#include <errno.h>
#include <string.h>

#include "core/window.h"

/* An empty form of type. Free with form_free(). */
struct form *
form_new(const char *type)
{
    struct form *form = g_new0(struct form, 1);

    form->type = g_strdup(type != NULL ? type : "form");
    form->fields =
        g_ptr_array_new_with_free_func((GDestroyNotify)form_field_free);
    return form;
}

/* Free a form and its fields; NULL is fine. */
void
form_free(struct form *form)
{
    if (form == NULL)
        return;
    g_free(form->type);
    g_free(form->title);
    g_free(form->instructions);
    g_free(form->target);
    g_ptr_array_unref(form->fields);
    g_free(form);
}

/* Free one option. */
static void
option_free(void *p)
{
    struct form_option *o = p;

    g_free(o->value);
    g_free(o->label);
    g_free(o);
}

/* A new field; free with form_field_free(). */
struct form_field *
form_field_new(const char *var, const char *type, const char *label)
{
    struct form_field *f = g_new0(struct form_field, 1);

    f->var = g_strdup(var);
    f->type = g_strdup(type != NULL ? type : "text-single");
    f->label = g_strdup(label);
    f->values = g_ptr_array_new_with_free_func(g_free);
    f->options = g_ptr_array_new_with_free_func(option_free);
    return f;
}

/* Free a field. */
void
form_field_free(struct form_field *f)
{
    if (f == NULL)
        return;
    g_free(f->var);
    g_free(f->label);
    g_free(f->type);
    g_free(f->desc);
    g_free(f->datatype);
    g_free(f->min);
    g_free(f->max);
    g_ptr_array_unref(f->values);
    g_ptr_array_unref(f->options);
    g_free(f);
}

/* Add a choice to list field f. */
void
form_field_add_option(struct form_field *f, const char *value,
                      const char *label)
{
    struct form_option *o = g_new0(struct form_option, 1);

    o->value = g_strdup(value);
    o->label = g_strdup(label != NULL ? label : value);
    g_ptr_array_add(f->options, o);
}

/* The field with var (borrowed), NULL if none. */
struct form_field *
form_field_find(const struct form *form, const char *var)
{
    for (guint i = 0; i < form->fields->len; i++) {
        struct form_field *f = form->fields->pdata[i];
        if (f->var != NULL && g_strcmp0(f->var, var) == 0)
            return f;
    }
    return NULL;
}

/* The first value of f (borrowed), NULL if none. */
const char *
form_field_value(const struct form_field *f)
{
    return f->values->len > 0 ? f->values->pdata[0] : NULL;
}

/* Make value the only value of f. */
void
form_field_set_value(struct form_field *f, const char *value)
{
    g_ptr_array_set_size(f->values, 0);
    if (value != NULL)
        g_ptr_array_add(f->values, g_strdup(value));
}

/* Whether the user sees and sets f. */
bool
form_field_is_input(const struct form_field *f)
{
    return f->var != NULL && strcmp(f->type, "hidden") != 0 &&
           strcmp(f->type, "fixed") != 0;
}

/* Whether f takes several values. */
bool
form_field_is_multi(const struct form_field *f)
{
    return strcmp(f->type, "list-multi") == 0 ||
           strcmp(f->type, "jid-multi") == 0 ||
           strcmp(f->type, "text-multi") == 0;
}

/* Whether f is a list field. */
static bool
is_list(const struct form_field *f)
{
    return strcmp(f->type, "list-single") == 0 ||
           strcmp(f->type, "list-multi") == 0;
}

/* Whether f holds JIDs. */
static bool
is_jid(const struct form_field *f)
{
    return strcmp(f->type, "jid-single") == 0 ||
           strcmp(f->type, "jid-multi") == 0;
}

/* The last part of var after '#' or '_' (borrowed from var). */
static const char *
var_tail(const char *var)
{
    const char *hash = strrchr(var, '#'), *under = strrchr(var, '_');
    const char *cut = hash > under ? hash : under;

    return cut != NULL && cut[1] != '\0' ? cut + 1 : var;
}

/* Which way form_lookup() matches a name. */
enum match_by { BY_VAR, BY_LABEL, BY_TAIL };

/* Whether input field f is called name in the way by. */
static bool
matches(const struct form_field *f, const char *name, enum match_by by)
{
    switch (by) {
    case BY_VAR:
        return strcmp(f->var, name) == 0;
    case BY_LABEL:
        return f->label != NULL && g_ascii_strcasecmp(f->label, name) == 0;
    case BY_TAIL:
        return g_ascii_strcasecmp(var_tail(f->var), name) == 0;
    }
    return false;
}

/* The input field the user means by name; NULL with *cause. Borrowed. */
struct form_field *
form_lookup(const struct form *form, const char *name, char **cause)
{
    static const enum match_by ways[] = {BY_VAR, BY_LABEL, BY_TAIL};

    for (size_t w = 0; w < G_N_ELEMENTS(ways); w++) {
        struct form_field *found = NULL;
        GString *all = NULL;

        for (guint i = 0; i < form->fields->len; i++) {
            struct form_field *f = form->fields->pdata[i];
            if (!form_field_is_input(f) || !matches(f, name, ways[w]))
                continue;
            if (found != NULL && all == NULL)
                all = g_string_new(found->var);
            if (all != NULL)
                g_string_append_printf(all, ", %s", f->var);
            found = f;
        }
        if (all != NULL) {
            *cause = g_strdup_printf("%s could be any of %s: give the "
                                     "field's var",
                                     name, all->str);
            g_string_free(all, TRUE);
            return NULL;
        }
        if (found != NULL)
            return found;
    }
    *cause = g_strdup_printf("The form has no field %s (/form show lists "
                             "them)",
                             name);
    return NULL;
}

/* Whether s is shaped like a JID: [local@]domain[/resource], no spaces. */
static bool
jid_shaped(const char *s)
{
    const char *slash = strchr(s, '/');
    size_t bare = slash != NULL ? (size_t)(slash - s) : strlen(s);
    const char *at = memchr(s, '@', bare);

    for (const char *p = s; *p != '\0'; p++)
        if (g_ascii_isspace(*p))
            return false;
    if (bare == 0 || (slash != NULL && slash[1] == '\0'))
        return false;
    if (at == NULL)
        return true;
    return at != s && (size_t)(at - s) + 1 < bare &&
           memchr(at + 1, '@', bare - (size_t)(at - s) - 1) == NULL;
}

/* Whether XEP-0122 datatype dt is one of the integer types. */
static bool
is_integer_type(const char *dt)
{
    static const char *const types[] = {
        "xs:integer",         "xs:int",          "xs:long",
        "xs:short",           "xs:byte",         "xs:nonNegativeInteger",
        "xs:positiveInteger", "xs:unsignedInt",  "xs:unsignedLong",
        "xs:unsignedShort",   "xs:unsignedByte", NULL};

    for (int i = 0; dt != NULL && types[i] != NULL; i++)
        if (strcmp(dt, types[i]) == 0)
            return true;
    return false;
}

/* Check typed against f's integer datatype and range; false with
 * *cause. */
static bool
integer_fits(const struct form_field *f, const char *typed, char **cause)
{
    char *end = NULL;
    gint64 n;

    errno = 0;
    n = g_ascii_strtoll(typed, &end, 10);
    if (typed[0] == '\0' || end == NULL || *end != '\0' || errno != 0) {
        *cause = g_strdup_printf("%s is not a whole number", typed);
        return false;
    }
    if (f->min != NULL && g_ascii_strtoll(f->min, NULL, 10) > n) {
        *cause = g_strdup_printf("%s is below the minimum, %s", typed, f->min);
        return false;
    }
    if (f->max != NULL && g_ascii_strtoll(f->max, NULL, 10) < n) {
        *cause = g_strdup_printf("%s is above the maximum, %s", typed, f->max);
        return false;
    }
    return true;
}

/* One typed value for f; NULL with *cause. Note: result must be freed. */
char *
form_value_convert(const struct form_field *f, const char *typed, char **cause)
{
    static const char *const yes[] = {"yes", "y", "true", "1", "on", NULL};
    static const char *const no[] = {"no", "n", "false", "0", "off", NULL};

    if (strcmp(f->type, "boolean") == 0) {
        for (int i = 0; yes[i] != NULL; i++)
            if (g_ascii_strcasecmp(typed, yes[i]) == 0)
                return g_strdup("1");
        for (int i = 0; no[i] != NULL; i++)
            if (g_ascii_strcasecmp(typed, no[i]) == 0)
                return g_strdup("0");
        *cause =
            g_strdup_printf("Answer yes or no (on/off, 1/0), not %s", typed);
        return NULL;
    }
    if (is_list(f) && f->options->len > 0) {
        /* a value as it is first: values are what goes on the wire */
        for (guint i = 0; i < f->options->len; i++) {
            struct form_option *o = f->options->pdata[i];
            if (strcmp(typed, o->value) == 0)
                return g_strdup(o->value);
        }
        for (guint i = 0; i < f->options->len; i++) {
            struct form_option *o = f->options->pdata[i];
            if (g_ascii_strcasecmp(typed, o->value) == 0 ||
                g_ascii_strcasecmp(typed, o->label) == 0)
                return g_strdup(o->value);
        }
        *cause = g_strdup_printf("%s is none of the choices", typed);
        return NULL;
    }
    if (typed[0] == '\0' && f->required) {
        *cause = g_strdup("An answer is required");
        return NULL;
    }
    if (is_jid(f) && typed[0] != '\0' && !jid_shaped(typed)) {
        *cause = g_strdup_printf("%s is not a JID (user@domain)", typed);
        return NULL;
    }
    if (is_integer_type(f->datatype) && typed[0] != '\0' &&
        !integer_fits(f, typed, cause))
        return NULL;
    return g_strdup(typed);
}

/* Append the pieces of typed for a multi field f to out; false with
 * *cause when one does not fit. */
static bool
split_multi(const struct form_field *f, const char *typed, GPtrArray *out,
            char **cause)
{
    char **parts;
    bool ok = true;

    if (strcmp(f->type, "text-multi") == 0) {
        /* one line per "\n" typed; lines keep their spaces */
        parts = g_strsplit(typed, "\\n", -1);
        for (int i = 0; parts[i] != NULL; i++)
            g_ptr_array_add(out, g_strdup(parts[i]));
        g_strfreev(parts);
        return true;
    }
    parts = g_strsplit(typed, ",", -1);
    for (int i = 0; ok && parts[i] != NULL; i++) {
        char *piece = g_strstrip(parts[i]), *v, *why = NULL;
        char **words;

        if (piece[0] == '\0')
            continue;
        /* a whole piece first: an option's label may hold spaces */
        if ((v = form_value_convert(f, piece, &why)) != NULL) {
            g_ptr_array_add(out, v);
            continue;
        }
        words = g_strsplit_set(piece, " \t", -1);
        for (int k = 0; ok && words[k] != NULL; k++) {
            char *err = NULL;
            if (words[k][0] == '\0')
                continue;
            v = form_value_convert(f, words[k], &err);
            if (v == NULL) {
                *cause = err;
                ok = false;
            } else {
                g_ptr_array_add(out, v);
            }
        }
        g_strfreev(words);
        g_free(why);
    }
    g_strfreev(parts);
    return ok;
}

/* Set f from what the user typed; on error f is unchanged. */
bool
form_field_assign(struct form_field *f, const char *typed, char **cause)
{
    GPtrArray *vals;

    if (!form_field_is_input(f)) {
        *cause = g_strdup_printf("%s cannot be changed",
                                 f->var != NULL ? f->var : "that field");
        return false;
    }
    if (typed == NULL || typed[0] == '\0') {
        if (f->required) {
            *cause = g_strdup_printf("%s is required", f->var);
            return false;
        }
        g_ptr_array_set_size(f->values, 0);
        return true;
    }
    vals = g_ptr_array_new_with_free_func(g_free);
    if (form_field_is_multi(f)) {
        if (!split_multi(f, typed, vals, cause)) {
            g_ptr_array_unref(vals);
            return false;
        }
    } else {
        char *v = form_value_convert(f, typed, cause);
        if (v == NULL) {
            g_ptr_array_unref(vals);
            return false;
        }
        g_ptr_array_add(vals, v);
    }
    g_ptr_array_unref(f->values);
    f->values = vals;
    return true;
}

/* The label of f's option with value v (borrowed), NULL if none. */
static const char *
option_label(const struct form_field *f, const char *v)
{
    for (guint i = 0; i < f->options->len; i++) {
        struct form_option *o = f->options->pdata[i];
        if (strcmp(o->value, v) == 0)
            return o->label;
    }
    return NULL;
}

/* The values of f for people. Note: result must be freed. */
char *
form_field_display(const struct form_field *f)
{
    GString *s = g_string_new(NULL);
    bool secret = strcmp(f->type, "text-private") == 0;

    if (strcmp(f->type, "boolean") == 0) {
        const char *v = form_field_value(f);
        g_string_append(
            s, v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
                   ? "yes"
                   : "no");
        return g_string_free(s, FALSE);
    }
    for (guint i = 0; i < f->values->len; i++) {
        const char *v = f->values->pdata[i];
        const char *label = option_label(f, v);

        if (secret && v[0] == '\0')
            continue; /* an empty secret is no secret */
        if (i > 0)
            g_string_append(s, strcmp(f->type, "text-multi") == 0 ? " \\n "
                                                                  : ", ");
        if (secret)
            g_string_append(s, "(set)");
        else if (label != NULL && strcmp(label, v) != 0)
            g_string_append_printf(s, "%s (%s)", v, label);
        else
            g_string_append(s, v);
        if (secret)
            break;
    }
    if (s->len == 0)
        g_string_append(s, "(empty)");
    return g_string_free(s, FALSE);
}

/* Whether every required input field has a value. */
bool
form_check(const struct form *form, char **cause)
{
    for (guint i = 0; i < form->fields->len; i++) {
        struct form_field *f = form->fields->pdata[i];
        const char *v = form_field_value(f);
        if (form_field_is_input(f) && f->required &&
            (v == NULL || v[0] == '\0')) {
            *cause =
                g_strdup_printf("%s is required: /form set %s VALUE",
                                f->label != NULL ? f->label : f->var, f->var);
            return false;
        }
    }
    return true;
}

/* The lines a form window shows. Note: free with g_ptr_array_unref(). */
GPtrArray *
form_describe(const struct form *form)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

    if (form->title != NULL)
        g_ptr_array_add(out, g_strdup(form->title));
    if (form->instructions != NULL) {
        char **lines = g_strsplit(form->instructions, "\n", -1);
        for (int i = 0; lines[i] != NULL; i++)
            g_ptr_array_add(out, g_strdup(lines[i]));
        g_strfreev(lines);
    }
    for (guint i = 0; i < form->fields->len; i++) {
        struct form_field *f = form->fields->pdata[i];
        GString *kind;
        char *shown;

        if (strcmp(f->type, "hidden") == 0)
            continue;
        if (strcmp(f->type, "fixed") == 0 || f->var == NULL) {
            for (guint k = 0; k < f->values->len; k++)
                g_ptr_array_add(out, g_strdup(f->values->pdata[k]));
            continue;
        }
        shown = form_field_display(f);
        kind = g_string_new(f->type);
        if (f->datatype != NULL)
            g_string_append_printf(kind, " %s", f->datatype);
        if (f->min != NULL || f->max != NULL)
            g_string_append_printf(kind, " %s..%s",
                                   f->min != NULL ? f->min : "",
                                   f->max != NULL ? f->max : "");
        g_ptr_array_add(out,
                        g_strdup_printf("%s%s [%s, %s] = %s",
                                        f->label != NULL ? f->label : f->var,
                                        f->required ? " (required)" : "",
                                        f->var, kind->str, shown));
        g_string_free(kind, TRUE);
        g_free(shown);
        if (f->options->len > 0) {
            GString *s = g_string_new("    choices: ");
            for (guint k = 0; k < f->options->len; k++) {
                struct form_option *o = f->options->pdata[k];
                if (k > 0)
                    g_string_append(s, ", ");
                if (strcmp(o->label, o->value) != 0)
                    g_string_append_printf(s, "%s (%s)", o->value, o->label);
                else
                    g_string_append(s, o->value);
            }
            g_ptr_array_add(out, g_string_free(s, FALSE));
        }
        if (f->desc != NULL)
            g_ptr_array_add(out, g_strdup_printf("    %s", f->desc));
    }
    g_ptr_array_add(out, g_strdup("Change a field with /form set FIELD VALUE, "
                                  "then /form submit (or /form cancel)"));
    return out;
}

/* Print form's lines into w. */
static void
print_form(struct window *w, const struct form *form)
{
    GPtrArray *lines = form_describe(form);

    for (guint i = 0; i < lines->len; i++)
        window_add_line(w, LINE_INFO, 0, NULL, lines->pdata[i]);
    g_ptr_array_unref(lines);
}

/* Show form in the form window jid of acct, which takes it over. */
struct window *
form_window_open(struct account *acct, const char *jid, struct form *form)
{
    struct window *w = window_get(acct, WINDOW_FORM, jid);

    if (w->form != NULL) {
        w->form->done = true; /* replaced, not given up */
        form_free(w->form);
    }
    w->form = form;
    print_form(w, form);
    window_switch(w);
    return w;
}

/* The form of window w (borrowed), NULL if none. */
struct form *
form_of_window(const struct window *w)
{
    return w != NULL && w->type == WINDOW_FORM ? w->form : NULL;
}

/* The form window jid of acct is done with: say so, close it on success. */
void
form_window_result(struct account *acct, const char *jid, bool error,
                   const char *text)
{
    struct window *w = window_find(acct, WINDOW_FORM, jid);

    if (w == NULL)
        return;
    if (text != NULL)
        window_add_line(w, error ? LINE_ERROR : LINE_INFO, 0, NULL, text);
    if (!error) {
        if (w->form != NULL)
            w->form->done = true;
        window_close(w);
    }
}
