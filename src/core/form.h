/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_FORM_H
#define NATTER_CORE_FORM_H

#include <glib.h>
#include <stdbool.h>

/*
 * Data forms (XEP-0004) as the model holds them: fields with their
 * values and options, what the user types turned into typed values, and
 * the lines a form window shows. The XML side is xmpp/dataform.h; what a
 * form is for (room configuration, later ad-hoc commands) plugs in
 * through struct form_ops, so the form window stays generic.
 */

struct account;
struct form;
struct window;

/* One choice of a list field. Strings are owned. */
struct form_option {
    char *value;
    char *label; /* never NULL: the value when the form gave none */
};

/* One field. Strings are owned; the arrays are never NULL. */
struct form_field {
    char *var;       /* NULL only for fixed fields */
    char *label;     /* NULL if none */
    char *type;      /* XEP-0004 type, "text-single" when the form gave none */
    char *desc;      /* one line, NULL if none */
    char *datatype;  /* XEP-0122 ("xs:integer"), NULL if none */
    char *min, *max; /* XEP-0122 range, NULL if open */
    bool required;
    GPtrArray *values;  /* char *, in order; empty: no value */
    GPtrArray *options; /* struct form_option *, list fields */
};

/* What a form window does with its form; every member may be NULL. */
struct form_ops {
    /* Send the filled-in form back; false with *cause set if it cannot. */
    bool (*submit)(struct form *form, char **cause);
    /* Tell the other side the user gave up; false with *cause set. */
    bool (*cancel)(struct form *form, char **cause);
};

/* A form. Free with form_free(). */
struct form {
    char *type;         /* "form", "submit", "cancel" or "result" */
    char *title;        /* NULL if none */
    char *instructions; /* lines joined with '\n', NULL if none */
    GPtrArray *fields;  /* struct form_field *, in the sender's order */
    /* What it is for, set by whoever opens a form window with it. */
    struct account *acct;       /* borrowed */
    char *target;               /* the JID it goes back to, or NULL */
    const struct form_ops *ops; /* NULL: nothing to send it to */
    bool done;                  /* submitted or cancelled: close quietly */
};

/* An empty form of type (copied). Free with form_free(). */
struct form *form_new(const char *type);
/* Free a form and its fields; NULL is fine. */
void form_free(struct form *form);
/* A new field (strings copied; type NULL: text-single), owned by caller
 * until added to a form; free with form_field_free(). */
struct form_field *form_field_new(const char *var, const char *type,
                                  const char *label);
/* Free a field. */
void form_field_free(struct form_field *f);
/* Add a choice to list field f (strings copied; label NULL: value). */
void form_field_add_option(struct form_field *f, const char *value,
                           const char *label);
/* The field with var (borrowed), NULL if none. */
struct form_field *form_field_find(const struct form *form, const char *var);
/* The first value of f (borrowed), NULL if it has none. */
const char *form_field_value(const struct form_field *f);
/* Make value (copied; NULL: none) the only value of f. */
void form_field_set_value(struct form_field *f, const char *value);
/* Whether the user sees and sets f: not hidden, not fixed. */
bool form_field_is_input(const struct form_field *f);
/* Whether f takes several values (list-multi, jid-multi, text-multi). */
bool form_field_is_multi(const struct form_field *f);

/*
 * The input field the user means by name: its var, else its label, else
 * the last part of its var after '#' or '_' ("roomname" for
 * muc#roomconfig_roomname), case aside; each must be unambiguous. NULL
 * with *cause set when none or several fit. Borrowed.
 */
struct form_field *form_lookup(const struct form *form, const char *name,
                               char **cause);

/*
 * One typed value for f: booleans take yes/no, on/off, true/false, 1/0
 * (and become "1"/"0"); list fields take an option's value or label
 * (case aside); JID fields take something shaped like a JID; an integer
 * datatype (XEP-0122 xs:integer, xs:int, ...) a whole number within the
 * field's range. NULL with *cause set when it does not fit. Note: result
 * must be freed.
 */
char *form_value_convert(const struct form_field *f, const char *typed,
                         char **cause);
/*
 * Set f from what the user typed: single-value fields take all of typed;
 * list-multi and jid-multi fields several values, separated by commas or
 * spaces (a list option's label may contain spaces when commas separate);
 * text-multi fields several lines, separated by "\n" as typed. Empty
 * typed clears f, unless it is required. On error f is unchanged and
 * *cause says why.
 */
bool form_field_assign(struct form_field *f, const char *typed, char **cause);
/*
 * The values of f for people: yes/no for booleans, "value (label)" for
 * options, "(set)" for secrets, "(empty)" without value. Note: result
 * must be freed.
 */
char *form_field_display(const struct form_field *f);
/* Whether every required input field has a value; if not, *cause names
 * the first that lacks one. */
bool form_check(const struct form *form, char **cause);
/*
 * The lines a form window shows: title, instructions, then per field its
 * label, required mark, var, type and value, with its choices and
 * description indented below; hidden fields are left out. Note: free
 * with g_ptr_array_unref().
 */
GPtrArray *form_describe(const struct form *form);

/*
 * Show form in the form window jid of acct (opened if needed, made
 * current); the window owns form from now on, freeing the one it held.
 */
struct window *form_window_open(struct account *acct, const char *jid,
                                struct form *form);
/* The form of window w (borrowed), NULL if w holds none. */
struct form *form_of_window(const struct window *w);
/*
 * The form window jid of acct is done with (sent, or refused): say text
 * there (an error line when error), and close it unless error.
 */
void form_window_result(struct account *acct, const char *jid, bool error,
                        const char *text);

#endif
