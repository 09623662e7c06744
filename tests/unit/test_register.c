/* SPDX-License-Identifier: MIT */
/* Unit tests for in-band registration forms and iqs, xmpp/register.c. */
#include "unit-xmpp.h"

#include "xmpp/register-stanza.h"
#include "xmpp/register.h"

/* Parse xml as a registration reply; the test fails if it does not. */
static struct reg_form *
form_of(const char *xml)
{
    xmpp_stanza_t *iq = stanza(xml);
    char *cause = NULL;
    struct reg_form *form = reg_form_parse(iq, &cause);

    if (form == NULL) {
        print_error("no form: %s\n", cause);
        fail();
    }
    xmpp_stanza_release(iq);
    return form;
}

/* The cause for which xml is refused as a registration reply; free it. */
static char *
refusal_of(const char *xml, enum reg_op op)
{
    xmpp_stanza_t *iq = stanza(xml);
    char *cause = NULL;

    if (op == REG_OP_REGISTER)
        assert_null(reg_form_parse(iq, &cause));
    else
        assert_false(reg_result_parse(iq, op, &cause));
    xmpp_stanza_release(iq);
    assert_non_null(cause);
    return cause;
}

/* What Prosody 0.12 answers (recorded): plain fields and a data form. */
#define PROSODY_FORM                                                          \
    "<iq id='r1' type='result' from='localhost'>"                             \
    "<query xmlns='jabber:iq:register'>"                                      \
    "<instructions>Choose a username and password for use with this "         \
    "service.</instructions><username/><password/>"                           \
    "<x xmlns='jabber:x:data' type='form'><title>Creating a new "             \
    "account</title><instructions>Choose a username and password for use "    \
    "with this service.</instructions>"                                       \
    "<field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value>"  \
    "</field><field label='Username' type='text-single' var='username'>"      \
    "<required/></field><field label='Password' type='text-private' "         \
    "var='password'><required/></field></x></query></iq>"

/* Prosody's form: the data form wins over the plain fields. */
static void
test_prosody_form(void **state)
{
    struct reg_form *form = form_of(PROSODY_FORM);
    struct form_field *f;

    assert_true(form->data_form);
    assert_false(form->registered);
    assert_string_equal(form->title, "Creating a new account");
    assert_string_equal(form->instructions, "Choose a username and password "
                                            "for use with this service.");
    assert_null(form->url);
    assert_int_equal(form->fields->len, 3);
    f = reg_form_field(form, "FORM_TYPE");
    assert_string_equal(f->type, "hidden");
    assert_string_equal(form_field_value(f), "jabber:iq:register");
    assert_false(reg_field_needs_answer(form, f));
    f = reg_form_field(form, "username");
    assert_string_equal(f->label, "Username");
    assert_true(f->required);
    assert_true(reg_field_needs_answer(form, f));
    assert_true(reg_form_set(form, "username", "carol"));
    assert_false(reg_field_needs_answer(form, f));
    f = reg_form_field(form, "password");
    assert_string_equal(f->type, "text-private");
    assert_true(reg_field_needs_answer(form, f));
    assert_false(reg_form_set(form, "email", "x@y"));
    assert_null(reg_form_field(form, "email"));
    reg_form_free(form);
}

/* The plain fields of XEP-0077 example 2: all of them must be filled. */
static void
test_plain_form(void **state)
{
    struct reg_form *form = form_of(
        "<iq type='result' id='reg1'><query xmlns='jabber:iq:register'>"
        "<instructions>\n      Choose a username and password for use with "
        "this service.\n      Please also provide your email address.\n    "
        "</instructions><username/><password/><email/><key>abc</key>"
        "</query></iq>");
    struct form_field *f;

    assert_false(form->data_form);
    assert_string_equal(form->instructions,
                        "Choose a username and password for use with this "
                        "service. Please also provide your email address.");
    assert_int_equal(form->fields->len, 4);
    f = reg_form_field(form, "email");
    assert_string_equal(f->type, "text-single");
    assert_true(reg_field_needs_answer(form, f));
    assert_string_equal(reg_form_field(form, "password")->type,
                        "text-private");
    f = reg_form_field(form, "key");
    assert_string_equal(f->type, "hidden");
    assert_string_equal(form_field_value(f), "abc");
    assert_false(reg_field_needs_answer(form, f));
    reg_form_free(form);
}

/* <registered/> with the data on file (XEP-0077 example 3). */
static void
test_registered(void **state)
{
    struct reg_form *form = form_of(
        "<iq type='result' id='reg1'><query xmlns='jabber:iq:register'>"
        "<registered/><username>juliet</username><password>R0m30</password>"
        "</query></iq>");

    assert_true(form->registered);
    assert_string_equal(form_field_value(reg_form_field(form, "username")),
                        "juliet");
    assert_false(
        reg_field_needs_answer(form, reg_form_field(form, "username")));
    reg_form_free(form);
}

/* Redirection to a web page (XEP-0077 3.5, XEP-0066). */
static void
test_redirect(void **state)
{
    struct reg_form *form = form_of(
        "<iq type='result' id='reg1'><query xmlns='jabber:iq:register'>"
        "<instructions>To register, visit http://www.shakespeare.lit/"
        "contests.php</instructions><x xmlns='jabber:x:oob'>"
        "<url>http://www.shakespeare.lit/contests.php</url></x></query></iq>");

    assert_string_equal(form->url, "http://www.shakespeare.lit/contests.php");
    assert_int_equal(form->fields->len, 0);
    reg_form_free(form);
}

/* Every XEP-0004 field type the form may hold is read as it should be. */
static void
test_data_form_fields(void **state)
{
    struct reg_form *form = form_of(
        "<iq type='result' id='reg3'><query xmlns='jabber:iq:register'>"
        "<instructions>Use the enclosed form.</instructions>"
        "<x xmlns='jabber:x:data' type='form'>"
        "<field type='fixed'><value>Section 1</value></field>"
        "<field label='Given Name' var='first'><required/>"
        "<desc>as in your passport</desc></field>"
        "<field type='list-single' label='Gender' var='x-gender'>"
        "<option label='Male'><value>M</value></option>"
        "<option label='Female'><value>F</value></option>"
        "<option><value>X</value></option><option label='none'/></field>"
        "<field type='boolean' label='Accept the rules' var='rules'>"
        "<required/></field>"
        "<field type='text-single' label='no var'/>"
        "<field type='text-single' var='nick'><value>jules</value></field>"
        "</x></query></iq>");
    struct form_field *f;
    char *prompt;

    assert_true(form->data_form);
    /* the form's instructions win when it has some; the query's else */
    assert_string_equal(form->instructions, "Use the enclosed form.");
    assert_int_equal(form->fields->len, 5); /* the var-less one is dropped */
    f = form->fields->pdata[0];
    assert_string_equal(f->type, "fixed");
    assert_null(f->var);
    assert_false(reg_field_needs_answer(form, f));
    f = reg_form_field(form, "first");
    assert_string_equal(f->type, "text-single"); /* XEP-0004 default */
    assert_string_equal(f->desc, "as in your passport");
    prompt = reg_field_prompt(f);
    assert_string_equal(prompt, "Given Name (as in your passport):");
    g_free(prompt);
    f = reg_form_field(form, "x-gender");
    assert_false(f->required);
    assert_false(reg_field_needs_answer(form, f)); /* optional */
    assert_int_equal(f->options->len, 3); /* the value-less one is dropped */
    prompt = reg_field_prompt(f);
    assert_string_equal(prompt, "Gender [Male, Female, X]:");
    g_free(prompt);
    f = reg_form_field(form, "rules");
    prompt = reg_field_prompt(f);
    assert_string_equal(prompt, "Accept the rules [yes/no]:");
    g_free(prompt);
    f = reg_form_field(form, "nick");
    assert_string_equal(form_field_value(f), "jules");
    prompt = reg_field_prompt(f);
    assert_string_equal(prompt, "Nick:"); /* no label: the var */
    g_free(prompt);
    reg_form_free(form);
}

/* What the user types becomes a field value, or a reason to ask again. */
static void
test_field_values(void **state)
{
    struct reg_form *form =
        form_of("<iq type='result' id='r'><query xmlns='jabber:iq:register'>"
                "<x xmlns='jabber:x:data' type='form'>"
                "<field type='boolean' var='b'><required/></field>"
                "<field type='list-single' var='l'>"
                "<option label='Male'><value>M</value></option>"
                "<option label='Female'><value>F</value></option></field>"
                "<field type='text-single' var='t'><required/></field>"
                "<field type='text-single' var='o'/></x></query></iq>");
    char *cause = NULL, *v;

    v = reg_field_value(reg_form_field(form, "b"), "Yes", &cause);
    assert_string_equal(v, "1");
    g_free(v);
    v = reg_field_value(reg_form_field(form, "b"), "off", &cause);
    assert_string_equal(v, "0");
    g_free(v);
    assert_null(reg_field_value(reg_form_field(form, "b"), "maybe", &cause));
    assert_contains(cause, "yes or no");
    g_free(cause);
    cause = NULL;
    v = reg_field_value(reg_form_field(form, "l"), "F", &cause);
    assert_string_equal(v, "F");
    g_free(v);
    v = reg_field_value(reg_form_field(form, "l"), "male", &cause);
    assert_string_equal(v, "M");
    g_free(v);
    assert_null(reg_field_value(reg_form_field(form, "l"), "Q", &cause));
    assert_contains(cause, "none of the choices");
    g_free(cause);
    cause = NULL;
    assert_null(reg_field_value(reg_form_field(form, "t"), "", &cause));
    assert_contains(cause, "required");
    g_free(cause);
    v = reg_field_value(reg_form_field(form, "o"), "", &cause);
    assert_string_equal(v, "");
    g_free(v);
    reg_form_free(form);
}

/* Error replies to the get are refused with words for the condition. */
static void
test_get_errors(void **state)
{
    char *cause;

    cause = refusal_of("<iq type='error' id='r'><error type='cancel'>"
                       "<not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-"
                       "stanzas'/></error></iq>",
                       REG_OP_REGISTER);
    assert_string_equal(cause, "registration is closed on this server");
    g_free(cause);
    cause = refusal_of("<iq type='error' id='r'><error type='cancel'>"
                       "<service-unavailable xmlns='urn:ietf:params:xml:ns:"
                       "xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:"
                       "xmpp-stanzas'>Nope\n  never</text></error></iq>",
                       REG_OP_REGISTER);
    assert_string_equal(cause, "the server offers no in-band registration "
                               "(Nope never)");
    g_free(cause);
    cause = refusal_of("<iq type='result' id='r'/>", REG_OP_REGISTER);
    assert_contains(cause, "no registration form");
    g_free(cause);
    cause = refusal_of("<iq type='result' id='r'><query xmlns='jabber:iq:"
                       "roster'/></iq>",
                       REG_OP_REGISTER);
    assert_contains(cause, "no registration form");
    g_free(cause);
}

/* The get: type, id, addressee and an empty query. */
static void
test_get_build(void **state)
{
    xmpp_stanza_t *iq = reg_get_build(ctx, "g1", "example.org");
    xmpp_stanza_t *q;
    char *text = to_text(iq);

    assert_string_equal(xmpp_stanza_get_type(iq), "get");
    assert_string_equal(xmpp_stanza_get_id(iq), "g1");
    assert_string_equal(xmpp_stanza_get_to(iq), "example.org");
    q = xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_REGISTER);
    assert_non_null(q);
    assert_null(xmpp_stanza_get_children(q));
    assert_contains(text, "<query xmlns=\"jabber:iq:register\"/>");
    g_free(text);
    xmpp_stanza_release(iq);
}

/* A data form goes back as a submit form with every value. */
static void
test_submit_data_form(void **state)
{
    struct reg_form *form = form_of(PROSODY_FORM);
    xmpp_stanza_t *iq, *x;
    char *text;
    int fields = 0;

    reg_form_set(form, "username", "carol");
    reg_form_set(form, "password", "s3cret <&>");
    iq = reg_submit_build(ctx, form, "s1", "localhost");
    assert_string_equal(xmpp_stanza_get_type(iq), "set");
    x = xmpp_stanza_get_child_by_name_and_ns(
        xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_REGISTER), "x",
        NS_DATA);
    assert_non_null(x);
    assert_string_equal(xmpp_stanza_get_type(x), "submit");
    for (xmpp_stanza_t *f = xmpp_stanza_get_children(x); f != NULL;
         f = xmpp_stanza_get_next(f))
        fields++;
    assert_int_equal(fields, 3);
    text = to_text(iq);
    /* attribute order is libstrophe's: look at the first field itself */
    assert_string_equal(
        xmpp_stanza_get_attribute(xmpp_stanza_get_children(x), "var"),
        "FORM_TYPE");
    assert_string_equal(xmpp_stanza_get_type(xmpp_stanza_get_children(x)),
                        "hidden");
    assert_contains(text, "<value>jabber:iq:register</value>");
    assert_contains(text, "<field var=\"username\"><value>carol</value>"
                          "</field>");
    assert_contains(text, "<value>s3cret &lt;&amp;&gt;</value>");
    /* plain fields are not sent beside the form */
    assert_not_contains(text, "<username>");
    g_free(text);
    xmpp_stanza_release(iq);
    reg_form_free(form);
}

/* Fixed fields stay out; unanswered optional fields go without value. */
static void
test_submit_skips_fixed(void **state)
{
    struct reg_form *form =
        form_of("<iq type='result' id='r'><query xmlns='jabber:iq:register'>"
                "<x xmlns='jabber:x:data' type='form'>"
                "<field type='fixed'><value>Read this</value></field>"
                "<field type='text-single' var='nick'/></x></query></iq>");
    xmpp_stanza_t *iq = reg_submit_build(ctx, form, "s2", NULL);
    char *text = to_text(iq);

    assert_not_contains(text, "Read this");
    assert_contains(text, "<field var=\"nick\"/>");
    assert_null(xmpp_stanza_get_to(iq));
    g_free(text);
    xmpp_stanza_release(iq);
    reg_form_free(form);
}

/* Plain fields go back as elements (XEP-0077 example 4). */
static void
test_submit_plain(void **state)
{
    struct reg_form *form = form_of(
        "<iq type='result' id='reg1'><query xmlns='jabber:iq:register'>"
        "<instructions>Hi</instructions><username/><password/><email/>"
        "</query></iq>");
    xmpp_stanza_t *iq;
    char *text;

    reg_form_set(form, "username", "bill");
    reg_form_set(form, "password", "Calliope");
    reg_form_set(form, "email", "bard@shakespeare.lit");
    iq = reg_submit_build(ctx, form, "reg2", "shakespeare.lit");
    text = to_text(iq);
    assert_contains(text, "<query xmlns=\"jabber:iq:register\"><username>"
                          "bill</username><password>Calliope</password>"
                          "<email>bard@shakespeare.lit</email></query>");
    assert_not_contains(text, "instructions");
    g_free(text);
    xmpp_stanza_release(iq);
    reg_form_free(form);
}

/* The password change of XEP-0077 3.3. */
static void
test_password_build(void **state)
{
    xmpp_stanza_t *iq =
        reg_password_build(ctx, "change1", "shakespeare.lit", "bill", "n<w");
    char *text = to_text(iq);

    assert_string_equal(xmpp_stanza_get_type(iq), "set");
    assert_string_equal(xmpp_stanza_get_to(iq), "shakespeare.lit");
    assert_string_equal(xmpp_stanza_get_id(iq), "change1");
    assert_contains(text, "<query xmlns=\"jabber:iq:register\"><username>"
                          "bill</username><password>n&lt;w</password>"
                          "</query>");
    g_free(text);
    xmpp_stanza_release(iq);
}

/* The replies to a set: success, and the errors in the user's words. */
static void
test_results(void **state)
{
    xmpp_stanza_t *ok = stanza("<iq type='result' id='reg2'/>");
    char *cause = NULL;

    assert_true(reg_result_parse(ok, REG_OP_REGISTER, &cause));
    assert_null(cause);
    xmpp_stanza_release(ok);

    cause = refusal_of(
        "<iq type='error' id='reg2'><query xmlns='jabber:iq:register'>"
        "<username>bill</username></query><error code='409' type='cancel'>"
        "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"
        "</iq>",
        REG_OP_REGISTER);
    assert_string_equal(cause, "that account already exists");
    g_free(cause);
    cause = refusal_of(
        "<iq type='error' id='reg2'><error code='406' type='modify'>"
        "<not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
        "</error></iq>",
        REG_OP_REGISTER);
    assert_contains(cause, "did not accept");
    g_free(cause);
    cause = refusal_of(
        "<iq type='error' id='c1'><error type='cancel'><not-allowed "
        "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
        REG_OP_PASSWORD);
    assert_string_equal(cause,
                        "the server does not allow changing the password");
    g_free(cause);
    cause = refusal_of(
        "<iq type='error' id='c1'><error type='modify'><bad-request "
        "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
        REG_OP_PASSWORD);
    assert_contains(cause, "malformed");
    g_free(cause);
    cause = refusal_of(
        "<iq type='error' id='c1'><error type='cancel'><gone-fishing "
        "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
        REG_OP_PASSWORD);
    assert_string_equal(cause, "gone-fishing");
    g_free(cause);
    cause = refusal_of("<iq type='error' id='c1'/>", REG_OP_PASSWORD);
    assert_contains(cause, "error");
    g_free(cause);
    cause = refusal_of("<iq type='get' id='c1'/>", REG_OP_PASSWORD);
    assert_contains(cause, "unexpected");
    g_free(cause);
}

/* Run the registration tests with one libstrophe context. */
int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prosody_form),
        cmocka_unit_test(test_plain_form),
        cmocka_unit_test(test_registered),
        cmocka_unit_test(test_redirect),
        cmocka_unit_test(test_data_form_fields),
        cmocka_unit_test(test_field_values),
        cmocka_unit_test(test_get_errors),
        cmocka_unit_test(test_get_build),
        cmocka_unit_test(test_submit_data_form),
        cmocka_unit_test(test_submit_skips_fixed),
        cmocka_unit_test(test_submit_plain),
        cmocka_unit_test(test_password_build),
        cmocka_unit_test(test_results),
    };

    return cmocka_run_group_tests_name("register", tests, group_setup,
                                       group_teardown);
}
