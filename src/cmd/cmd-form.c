/* SPDX-License-Identifier: MIT */
/* /form: fill in the data form (XEP-0004) of a form window, whatever it
 * is for (room configuration now; ad-hoc commands later). */
#include <string.h>

#include "cmd/cmd.h"
#include "core/form.h"
#include "core/window.h"

/*
 * The form window a /form command acts on: the current window when it
 * holds a form, else the only form window open. NULL with *cause set.
 */
static struct window *
form_window(struct window *cur, char **cause)
{
    struct window *only = NULL;
    unsigned int n = 0;

    if (form_of_window(cur) != NULL)
        return cur;
    for (unsigned int i = 1; i <= window_count(); i++) {
        struct window *w = window_nth(i);
        if (form_of_window(w) != NULL) {
            only = w;
            n++;
        }
    }
    if (n == 1)
        return only;
    *cause = g_strdup(n == 0 ? "No form is open (/room config opens a "
                               "room's)"
                             : "Several forms are open: switch to one "
                               "with /win");
    return NULL;
}

/* Print the form of w into w again. */
static void
show_form(struct window *w)
{
    GPtrArray *lines = form_describe(w->form);

    for (guint i = 0; i < lines->len; i++)
        window_add_line(w, LINE_INFO, 0, NULL, lines->pdata[i]);
    g_ptr_array_unref(lines);
}

/* The value as typed, without one pair of enclosing double quotes;
 * caller frees. */
static char *
unquote(const char *s)
{
    size_t n = strlen(s);

    if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
        return g_strndup(s + 1, n - 2);
    return g_strdup(s);
}

/* /form set FIELD [VALUE]: change one field. */
static bool
form_set(struct window *w, char **argv, int argc, char **cause)
{
    struct form_field *f;
    char *value, *shown;
    bool ok;

    if (argc < 2) {
        *cause = g_strdup("Usage: /form set FIELD [VALUE]");
        return false;
    }
    f = form_lookup(w->form, argv[1], cause);
    if (f == NULL)
        return false;
    value = unquote(argc > 2 ? argv[2] : "");
    ok = form_field_assign(f, value, cause);
    g_free(value);
    if (!ok) {
        char *why = *cause;
        *cause = g_strdup_printf("Cannot set %s: %s", f->var, why);
        g_free(why);
        return false;
    }
    shown = form_field_display(f);
    window_printf(w, LINE_INFO, "%s [%s] = %s",
                  f->label != NULL ? f->label : f->var, f->var, shown);
    g_free(shown);
    return true;
}

/* /form show|set|submit|cancel */
static bool
exec_form(struct cmd_args *a, char **cause)
{
    struct window *w = form_window(a->win, cause);
    struct form *form;
    const char *act = a->argv[0];

    if (w == NULL)
        return false;
    form = w->form;
    if (strcmp(act, "show") == 0) {
        show_form(w);
        return true;
    }
    if (strcmp(act, "set") == 0)
        return form_set(w, a->argv, a->argc, cause);
    if (strcmp(act, "submit") == 0) {
        if (form->ops == NULL || form->ops->submit == NULL) {
            *cause = g_strdup("This form goes nowhere: /form cancel");
            return false;
        }
        if (!form->ops->submit(form, cause))
            return false;
        window_printf(w, LINE_INFO, "Sent; waiting for %s",
                      form->target != NULL ? form->target : "the answer");
        return true;
    }
    if (strcmp(act, "cancel") == 0) {
        /* window_close() sends the cancel (XEP-0004 3.2) */
        window_close(w);
        return true;
    }
    *cause = g_strdup_printf("Unknown /form action %s: show, set, submit "
                             "or cancel",
                             act);
    return false;
}

/* Complete actions, the current form's fields, and a field's choices. */
static void
complete_form(int argi, char **args, const char *prefix, GPtrArray *out)
{
    static const char *const actions[] = {"show", "set", "submit", "cancel",
                                          NULL};
    static const char *const yesno[] = {"yes", "no", NULL};
    char *cause = NULL;
    struct window *w;
    struct form_field *f;

    if (argi == 0) {
        complete_words(actions, prefix, out);
        return;
    }
    if (argi > 2 || strcmp(args[0], "set") != 0 ||
        (w = form_window(window_current(), &cause)) == NULL) {
        g_free(cause);
        return;
    }
    if (argi == 1) {
        for (guint i = 0; i < w->form->fields->len; i++) {
            f = w->form->fields->pdata[i];
            if (form_field_is_input(f) && g_str_has_prefix(f->var, prefix))
                g_ptr_array_add(out, g_strdup(f->var));
        }
        return;
    }
    f = form_lookup(w->form, args[1], &cause);
    g_free(cause);
    if (f == NULL)
        return;
    if (strcmp(f->type, "boolean") == 0)
        complete_words(yesno, prefix, out);
    for (guint i = 0; i < f->options->len; i++) {
        struct form_option *o = f->options->pdata[i];
        if (g_str_has_prefix(o->value, prefix))
            g_ptr_array_add(out, g_strdup(o->value));
    }
}

static const char *const form_args[] = {
    "show: list the form again: each field's label, var, type, value, "
    "choices and description",
    "set FIELD [VALUE]: set a field, named by its var, its label or the "
    "end of its var (roomname for muc#roomconfig_roomname); no VALUE "
    "clears it. Booleans take on/off, yes/no or 1/0; lists a choice's "
    "value or label; list and JID multi fields several values separated "
    "by commas or spaces; text-multi fields lines separated by \\n",
    "submit: send the form",
    "cancel: give it up (a new room is destroyed); /close does the same",
    NULL};
static const char *const form_examples[] = {
    "/form set roomname Tea room", "/form set membersonly on",
    "/form set muc#roomconfig_presencebroadcast moderator, participant",
    "/form submit", NULL};

const struct cmd cmd_entry_form = {
    .name = "form",
    .synopsis = "show|set FIELD [VALUE]|submit|cancel",
    .description = "Fill in the form of a form window (such as the one "
                   "/room config opens) and send it or give it up.",
    .args = form_args,
    .examples = form_examples,
    .min_args = 1,
    .max_args = 3,
    .rest = true,
    .complete = complete_form,
    .exec = exec_form,
};
