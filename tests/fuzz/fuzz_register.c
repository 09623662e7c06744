/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for in-band registration (XEP-0077, xmpp/register.c)
 * and the XEP-0004 data forms it carries: the input is an iq, parsed as
 * XML with libstrophe, taken as the server's answer to a registration
 * get (reg_form_parse), to a registration set and to a password change
 * (reg_result_parse, reg_error_text). For a form, each field gets its
 * prompt, whether it needs an answer and what a few typed answers turn
 * into (reg_field_value), then the form is filled and the submission
 * built (reg_submit_build). Besides crashes and leaks it checks: every
 * field has a type and (unless fixed) a var, options come in value/label
 * pairs, a field found by var is that field, a value accepted for a list
 * field is one of its options, and the submission serialises.
 */
#include "fuzz.h"

#include <locale.h>

#include "core/form.h"
#include "xmpp/register-stanza.h"
#include "xmpp/register.h"

static xmpp_ctx_t *ctx;

/* Check one field and what typed answers become. */
static void
check_field(struct reg_form *form, struct form_field *f)
{
    static const char *const typed[] = {"yes", "0", "", "x y", NULL};
    char *prompt;

    FUZZ_CHECK(f->type != NULL, "field without type");
    FUZZ_CHECK(f->var != NULL || strcmp(f->type, "fixed") == 0,
               "field of type %s without var", f->type);
    FUZZ_CHECK(f->values != NULL && f->options != NULL, "half-made field");
    if (f->var != NULL)
        FUZZ_CHECK(reg_form_field(form, f->var) != NULL,
                   "field %s not found by its var", f->var);
    prompt = reg_field_prompt(f);
    FUZZ_CHECK(prompt != NULL && prompt[0] != '\0', "no prompt");
    g_free(prompt);
    (void)reg_field_needs_answer(form, f);
    for (int i = 0; typed[i] != NULL; i++) {
        char *cause = NULL, *v = reg_field_value(f, typed[i], &cause);
        FUZZ_CHECK((v == NULL) != (cause == NULL), "value %s and cause %s",
                   v != NULL ? v : "(null)", cause != NULL ? cause : "(null)");
        if (v != NULL && f->options->len > 0 &&
            strcmp(f->type, "list-single") == 0) {
            bool found = false;
            for (guint o = 0; o < f->options->len; o++) {
                const struct form_option *op = f->options->pdata[o];
                found = found || g_strcmp0(op->value, v) == 0;
            }
            FUZZ_CHECK(found, "value %s is none of the options", v);
        }
        g_free(v);
        g_free(cause);
    }
    /* An option label typed must give that option's value. */
    if (f->options->len > 0 &&
        ((const struct form_option *)f->options->pdata[0])->label != NULL) {
        const struct form_option *op = f->options->pdata[0];
        char *cause = NULL;
        char *v = reg_field_value(f, op->label, &cause);
        g_free(v);
        g_free(cause);
    }
}

/* Fill what needs answering and build the submission; it must serialise. */
static void
check_submit(struct reg_form *form)
{
    xmpp_stanza_t *iq;
    char *buf = NULL;
    size_t len = 0;

    for (guint i = 0; i < form->fields->len; i++) {
        struct form_field *f = form->fields->pdata[i];
        if (f->var != NULL && reg_field_needs_answer(form, f))
            FUZZ_CHECK(reg_form_set(form, f->var, "answer"), "cannot set %s",
                       f->var);
    }
    iq = reg_submit_build(ctx, form, "id1", "example.org");
    FUZZ_CHECK(iq != NULL, "no submission");
    FUZZ_CHECK(xmpp_stanza_to_text(iq, &buf, &len) == XMPP_EOK,
               "the submission does not serialise");
    xmpp_free(ctx, buf);
    xmpp_stanza_release(iq);
}

/* libFuzzer calls this once, before the first input. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setlocale(LC_CTYPE, "C.UTF-8");
    ctx = xmpp_ctx_new(NULL, NULL);
    return ctx != NULL ? 0 : 1;
}

/* One input: parse it as an iq and run every check on it. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *xml = fuzz_strndup(data, size);
    xmpp_stanza_t *st = xmpp_stanza_new_from_string(ctx, xml);
    struct reg_form *form;
    char *cause = NULL, *text;

    g_free(xml);
    if (st == NULL)
        return 0;
    form = reg_form_parse(st, &cause);
    FUZZ_CHECK((form == NULL) == (cause != NULL), "form and cause");
    g_free(cause);
    if (form != NULL) {
        for (guint i = 0; i < form->fields->len; i++)
            check_field(form, form->fields->pdata[i]);
        check_submit(form);
        reg_form_free(form);
    }
    for (int op = REG_OP_REGISTER; op <= REG_OP_PASSWORD; op++) {
        cause = NULL;
        if (!reg_result_parse(st, (enum reg_op)op, &cause))
            FUZZ_CHECK(cause != NULL && cause[0] != '\0',
                       "failed without a cause");
        g_free(cause);
        text = reg_error_text(st, (enum reg_op)op);
        FUZZ_CHECK(text != NULL && text[0] != '\0', "empty error text");
        g_free(text);
    }
    xmpp_stanza_release(st);
    return 0;
}
