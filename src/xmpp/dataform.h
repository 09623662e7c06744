/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_DATAFORM_H
#define NATTER_XMPP_DATAFORM_H

#include <glib.h>
#include <strophe.h>

#include "core/form.h"

/*
 * Data forms (XEP-0004) on the wire: reading any <x xmlns='jabber:x:data'>
 * into a struct form (core/form.h) and writing the submit and cancel
 * forms that go back.
 */

#define NS_DATA "jabber:x:data"
#define NS_DATA_VALIDATE "http://jabber.org/protocol/xdata-validate"

/* The data form child of parent (borrowed), NULL if it has none. */
xmpp_stanza_t *dataform_find(xmpp_stanza_t *parent);
/*
 * Read a data form element: title, instructions, every field of every
 * type with all its values, options, required mark, description and
 * XEP-0122 datatype and range.
 * Fields without a var are kept only when fixed (XEP-0004 3.2). NULL
 * when x is no data form. Free with form_free().
 */
struct form *dataform_parse(xmpp_stanza_t *x);
/*
 * The form of type "submit" answering a form with fields (struct
 * form_field, a struct form's): every field with a var except fixed
 * ones, with all its values; hidden fields keep their type. Caller
 * releases.
 */
xmpp_stanza_t *dataform_submit_build(xmpp_ctx_t *ctx, const GPtrArray *fields);
/* An empty form of type "cancel" (XEP-0004 3.2). Caller releases. */
xmpp_stanza_t *dataform_cancel_build(xmpp_ctx_t *ctx);

#endif
