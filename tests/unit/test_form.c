/* SPDX-License-Identifier: MIT */
/* Unit tests for data forms (XEP-0004): the model (core/form.c) and the
 * wire side (xmpp/dataform.c). */
#include "unit-xmpp.h"

#include "core/form.h"
#include "xmpp/dataform.h"

/* Every field type of XEP-0004 3.3 (after its example 2), plus XEP-0122
 * validation and a field without a type. */
#define ALL_TYPES                                                             \
    "<x xmlns='jabber:x:data' type='form'>"                                   \
    "<title>Bot Configuration</title>"                                        \
    "<instructions>Fill out this form</instructions>"                         \
    "<instructions>to configure your new bot!</instructions>"                 \
    "<field type='hidden' var='FORM_TYPE'><value>jabber:bot</value></field>"  \
    "<field type='fixed'><value>Section 1: Bot Info</value></field>"          \
    "<field type='text-single' label='The name of your bot' var='botname'>"   \
    "<required/></field>"                                                     \
    "<field type='text-multi' label='Helpful description of your bot' "       \
    "var='description'><value>line one</value><value>line two</value>"        \
    "</field>"                                                                \
    "<field type='boolean' label='Public bot?' var='public'><required/>"      \
    "<value>0</value></field>"                                                \
    "<field type='text-private' label='Password for special access' "         \
    "var='password'/>"                                                        \
    "<field type='list-multi' label='What features will the bot support?' "   \
    "var='features'><option label='Contests'><value>contests</value>"         \
    "</option><option label='News'><value>news</value></option>"              \
    "<option label='Polls'><value>polls</value></option>"                     \
    "<option label='Reminders'><value>reminders</value></option>"             \
    "<option label='Search'><value>search</value></option>"                   \
    "<value>news</value><value>search</value></field>"                        \
    "<field type='list-single' label='Maximum number of subscribers' "        \
    "var='maxsubs'><desc>How many\n   at most</desc><value>20</value>"        \
    "<option label='10'><value>10</value></option>"                           \
    "<option label='20'><value>20</value></option>"                           \
    "<option label='No limit'><value>none</value></option>"                   \
    "<option label='no value'/></field>"                                      \
    "<field type='jid-multi' label='People to invite' var='invitelist'>"      \
    "<desc>Tell all your friends about your new bot!</desc></field>"          \
    "<field type='jid-single' label='Owner' var='owner'/>"                    \
    "<field var='untyped'><value>plain</value></field>"                       \
    "<field type='text-single' label='Days' var='bot_days'>"                  \
    "<validate xmlns='http://jabber.org/protocol/xdata-validate' "            \
    "datatype='xs:integer'><range min='1' max='30'/></validate>"              \
    "<value>7</value></field>"                                                \
    "<field type='text-single' label='no var'/>"                              \
    "</x>"

/* Parse xml as a data form; the test fails if it is none. */
static struct form *
parse(const char *xml)
{
    xmpp_stanza_t *x = stanza(xml);
    struct form *form = dataform_parse(x);

    xmpp_stanza_release(x);
    assert_non_null(form);
    return form;
}

/* Every field type is read with its values, options, marks and desc. */
static void
test_parse_all_types(void **state)
{
    struct form *form = parse(ALL_TYPES);
    struct form_field *f;

    assert_string_equal(form->type, "form");
    assert_string_equal(form->title, "Bot Configuration");
    assert_string_equal(form->instructions,
                        "Fill out this form\nto configure your new bot!");
    assert_int_equal(form->fields->len, 12); /* the var-less one dropped */
    f = form->fields->pdata[0];
    assert_string_equal(f->type, "hidden");
    assert_false(form_field_is_input(f));
    f = form->fields->pdata[1];
    assert_string_equal(f->type, "fixed");
    assert_null(f->var);
    assert_string_equal(form_field_value(f), "Section 1: Bot Info");
    f = form_field_find(form, "botname");
    assert_true(f->required);
    assert_null(form_field_value(f));
    assert_true(form_field_is_input(f));
    f = form_field_find(form, "description");
    assert_true(form_field_is_multi(f));
    assert_int_equal(f->values->len, 2);
    assert_string_equal(f->values->pdata[1], "line two");
    f = form_field_find(form, "public");
    assert_true(f->required);
    assert_string_equal(form_field_value(f), "0");
    f = form_field_find(form, "features");
    assert_int_equal(f->options->len, 5);
    assert_string_equal(((struct form_option *)f->options->pdata[2])->label,
                        "Polls");
    assert_int_equal(f->values->len, 2);
    f = form_field_find(form, "maxsubs");
    assert_false(form_field_is_multi(f));
    assert_string_equal(f->desc, "How many at most"); /* one line */
    assert_int_equal(f->options->len, 3); /* the value-less one dropped */
    f = form_field_find(form, "invitelist");
    assert_string_equal(f->type, "jid-multi");
    assert_int_equal(f->values->len, 0);
    assert_string_equal(form_field_find(form, "owner")->type, "jid-single");
    assert_string_equal(form_field_find(form, "untyped")->type, "text-single");
    f = form_field_find(form, "bot_days");
    assert_string_equal(f->datatype, "xs:integer");
    assert_string_equal(f->min, "1");
    assert_string_equal(f->max, "30");
    assert_null(form_field_find(form, "nothere"));
    form_free(form);
}

/* No form: another element, or a form in another namespace. */
static void
test_parse_refuses(void **state)
{
    xmpp_stanza_t *x = stanza("<x xmlns='jabber:x:oob'/>");
    xmpp_stanza_t *iq;

    assert_null(dataform_parse(x));
    assert_null(dataform_parse(NULL));
    xmpp_stanza_release(x);
    iq = stanza("<iq type='result'><query xmlns='http://jabber.org/protocol/"
                "muc#owner'><x xmlns='jabber:x:data' type='form'/></query>"
                "</iq>");
    x = dataform_find(xmpp_stanza_get_children(iq));
    assert_non_null(x);
    assert_null(dataform_find(iq)); /* only a direct child */
    xmpp_stanza_release(iq);
}

/* What the user types becomes typed values, or a reason. */
static void
test_convert(void **state)
{
    struct form *form = parse(ALL_TYPES);
    char *cause = NULL, *v;
    static const char *const yes[] = {"yes", "ON", "1", "true", "y", NULL};
    static const char *const no[] = {"no", "off", "0", "False", "n", NULL};

    for (int i = 0; yes[i] != NULL; i++) {
        v = form_value_convert(form_field_find(form, "public"), yes[i],
                               &cause);
        assert_string_equal(v, "1");
        g_free(v);
    }
    for (int i = 0; no[i] != NULL; i++) {
        v = form_value_convert(form_field_find(form, "public"), no[i], &cause);
        assert_string_equal(v, "0");
        g_free(v);
    }
    assert_null(
        form_value_convert(form_field_find(form, "public"), "maybe", &cause));
    assert_contains(cause, "yes or no");
    g_free(cause);
    /* lists: by value, by label, any case */
    v = form_value_convert(form_field_find(form, "maxsubs"), "No limit",
                           &cause);
    assert_string_equal(v, "none");
    g_free(v);
    v = form_value_convert(form_field_find(form, "maxsubs"), "NONE", &cause);
    assert_string_equal(v, "none");
    g_free(v);
    assert_null(
        form_value_convert(form_field_find(form, "maxsubs"), "5", &cause));
    assert_contains(cause, "none of the choices");
    g_free(cause);
    /* JIDs */
    v = form_value_convert(form_field_find(form, "owner"), "a@b.org/r",
                           &cause);
    assert_string_equal(v, "a@b.org/r");
    g_free(v);
    static const char *const bad_jids[] = {"a b@c", "@c", "a@", "a@b@c",
                                           "a@b/",  "/r", NULL};
    for (int i = 0; bad_jids[i] != NULL; i++) {
        cause = NULL;
        assert_null(form_value_convert(form_field_find(form, "owner"),
                                       bad_jids[i], &cause));
        assert_contains(cause, "not a JID");
        g_free(cause);
    }
    /* integers within the range */
    v = form_value_convert(form_field_find(form, "bot_days"), "30", &cause);
    assert_string_equal(v, "30");
    g_free(v);
    assert_null(
        form_value_convert(form_field_find(form, "bot_days"), "3x", &cause));
    assert_contains(cause, "not a whole number");
    g_free(cause);
    assert_null(
        form_value_convert(form_field_find(form, "bot_days"), "0", &cause));
    assert_contains(cause, "below the minimum, 1");
    g_free(cause);
    assert_null(
        form_value_convert(form_field_find(form, "bot_days"), "31", &cause));
    assert_contains(cause, "above the maximum, 30");
    g_free(cause);
    /* required text */
    assert_null(
        form_value_convert(form_field_find(form, "botname"), "", &cause));
    assert_contains(cause, "required");
    g_free(cause);
    form_free(form);
}

/* Fields by var, label or the end of the var; ambiguity is refused. */
static void
test_lookup(void **state)
{
    struct form *form =
        parse("<x xmlns='jabber:x:data' type='form'>"
              "<field type='hidden' var='FORM_TYPE'><value>t</value></field>"
              "<field var='muc#roomconfig_roomname' label='Title'/>"
              "<field var='muc#roomconfig_roomdesc' label='Description'/>"
              "<field var='a#x_desc' label='Title'/>"
              "<field var='b_desc'/></x>");
    char *cause = NULL;
    struct form_field *f;

    f = form_lookup(form, "muc#roomconfig_roomname", &cause);
    assert_string_equal(f->var, "muc#roomconfig_roomname");
    f = form_lookup(form, "roomdesc", &cause);
    assert_string_equal(f->var, "muc#roomconfig_roomdesc");
    f = form_lookup(form, "description", &cause); /* label, any case */
    assert_string_equal(f->var, "muc#roomconfig_roomdesc");
    assert_null(form_lookup(form, "Title", &cause)); /* two labels */
    assert_contains(cause, "muc#roomconfig_roomname, a#x_desc");
    g_free(cause);
    cause = NULL;
    assert_null(form_lookup(form, "desc", &cause)); /* two var ends */
    assert_contains(cause, "could be any of");
    g_free(cause);
    cause = NULL;
    assert_null(form_lookup(form, "FORM_TYPE", &cause)); /* hidden */
    assert_contains(cause, "no field FORM_TYPE");
    g_free(cause);
    form_free(form);
}

/* Setting fields from typed text: single, multi, clearing, refusals. */
static void
test_assign(void **state)
{
    struct form *form = parse(ALL_TYPES);
    struct form_field *f;
    char *cause = NULL, *shown;

    f = form_field_find(form, "features");
    assert_true(form_field_assign(f, "contests, Polls,Reminders", &cause));
    assert_int_equal(f->values->len, 3);
    assert_string_equal(f->values->pdata[1], "polls");
    assert_true(form_field_assign(f, "news search", &cause));
    assert_int_equal(f->values->len, 2);
    shown = form_field_display(f);
    assert_string_equal(shown, "news (News), search (Search)");
    g_free(shown);
    assert_false(form_field_assign(f, "news, weather", &cause));
    assert_contains(cause, "weather is none of the choices");
    g_free(cause);
    cause = NULL;
    assert_int_equal(f->values->len, 2); /* unchanged */
    f = form_field_find(form, "invitelist");
    assert_true(form_field_assign(f, "a@b.org, c@d.org e@f.org", &cause));
    assert_int_equal(f->values->len, 3);
    assert_false(form_field_assign(f, "a@b.org, @x", &cause));
    g_free(cause);
    cause = NULL;
    f = form_field_find(form, "description");
    assert_true(form_field_assign(f, "first line\\nsecond, line", &cause));
    assert_int_equal(f->values->len, 2);
    assert_string_equal(f->values->pdata[1], "second, line");
    f = form_field_find(form, "botname");
    assert_true(form_field_assign(f, "My bot, v2", &cause)); /* as is */
    assert_string_equal(form_field_value(f), "My bot, v2");
    assert_false(form_field_assign(f, "", &cause)); /* required */
    assert_contains(cause, "required");
    g_free(cause);
    cause = NULL;
    f = form_field_find(form, "owner");
    assert_true(form_field_assign(f, "x@y.org", &cause));
    assert_true(form_field_assign(f, "", &cause)); /* optional: cleared */
    assert_int_equal(f->values->len, 0);
    f = form_field_find(form, "password");
    shown = form_field_display(f);
    assert_string_equal(shown, "(empty)");
    g_free(shown);
    assert_true(form_field_assign(f, "s3cret", &cause));
    shown = form_field_display(f);
    assert_string_equal(shown, "(set)"); /* never the secret itself */
    g_free(shown);
    f = form->fields->pdata[0];
    assert_false(form_field_assign(f, "other", &cause)); /* hidden */
    g_free(cause);
    form_free(form);
}

/* The window's lines: title, instructions, fields; no hidden field. */
static void
test_describe(void **state)
{
    struct form *form = parse(ALL_TYPES);
    GPtrArray *lines = form_describe(form);
    GString *all = g_string_new(NULL);

    for (guint i = 0; i < lines->len; i++)
        g_string_append_printf(all, "%s|", (char *)lines->pdata[i]);
    assert_string_equal(lines->pdata[0], "Bot Configuration");
    assert_string_equal(lines->pdata[1], "Fill out this form");
    assert_string_equal(lines->pdata[3], "Section 1: Bot Info");
    assert_contains(all->str, "|The name of your bot (required) [botname, "
                              "text-single] = (empty)|");
    assert_contains(all->str, "|Public bot? (required) [public, boolean] = "
                              "no|");
    assert_contains(all->str, "[maxsubs, list-single] = 20|    choices: 10, "
                              "20, none (No limit)|    How many at most|");
    assert_contains(all->str, "[description, text-multi] = line one \\n "
                              "line two|");
    assert_contains(all->str, "[bot_days, text-single xs:integer 1..30] = "
                              "7|");
    assert_not_contains(all->str, "FORM_TYPE");
    assert_not_contains(all->str, "jabber:bot");
    g_string_free(all, TRUE);
    g_ptr_array_unref(lines);
    form_free(form);
}

/* Required fields must have a value before the form goes. */
static void
test_check(void **state)
{
    struct form *form = parse(ALL_TYPES);
    char *cause = NULL;

    assert_false(form_check(form, &cause));
    assert_contains(cause, "The name of your bot is required: /form set "
                           "botname VALUE");
    g_free(cause);
    form_field_set_value(form_field_find(form, "botname"), "bot");
    assert_true(form_check(form, &cause));
    form_free(form);
}

/* The submit form: every value of every field with a var but fixed
 * ones; hidden fields keep their type; the cancel form is empty. */
static void
test_submit_build(void **state)
{
    struct form *form = parse(ALL_TYPES);
    char *cause = NULL, *text;
    xmpp_stanza_t *x;
    struct form *back;

    form_field_assign(form_field_find(form, "botname"), "<Bot & co>", &cause);
    form_field_assign(form_field_find(form, "public"), "yes", &cause);
    x = dataform_submit_build(ctx, form->fields);
    text = to_text(x);
    assert_string_equal(xmpp_stanza_get_type(x), "submit");
    assert_contains(text, "<value>jabber:bot</value>");
    assert_not_contains(text, "Section 1");
    assert_not_contains(text, "<title>");
    assert_not_contains(text, "<option");
    assert_contains(text, "<field var=\"botname\"><value>&lt;Bot &amp; co"
                          "&gt;</value></field>");
    assert_contains(text, "<field var=\"public\"><value>1</value></field>");
    assert_contains(text, "<field var=\"description\"><value>line one"
                          "</value><value>line two</value></field>");
    assert_contains(text, "<field var=\"features\"><value>news</value>"
                          "<value>search</value></field>");
    assert_contains(text, "<field var=\"invitelist\"/>");
    /* what goes out reads back the same */
    back = dataform_parse(x);
    assert_string_equal(back->type, "submit");
    assert_int_equal(back->fields->len, form->fields->len - 1);
    assert_string_equal(form_field_value(form_field_find(back, "botname")),
                        "<Bot & co>");
    assert_string_equal(((struct form_field *)back->fields->pdata[0])->type,
                        "hidden");
    form_free(back);
    g_free(text);
    xmpp_stanza_release(x);
    x = dataform_cancel_build(ctx);
    text = to_text(x);
    assert_string_equal(text, "<x xmlns=\"jabber:x:data\" type=\"cancel\"/>");
    g_free(text);
    xmpp_stanza_release(x);
    form_free(form);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_all_types),
        cmocka_unit_test(test_parse_refuses),
        cmocka_unit_test(test_convert),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_assign),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_submit_build),
    };

    return cmocka_run_group_tests_name("form", tests, group_setup,
                                       group_teardown);
}
