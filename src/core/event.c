/* SPDX-License-Identifier: MIT */
#include "core/event.h"

#include <glib.h>
#include <stdbool.h>

#include "core/format-args.h"

struct subscriber {
    event_fn fn;
    void *data;
    enum event_stage stage;
};

static GArray *subscribers[EV_COUNT];
static int emitting; /* depth of event_emit calls under way */
static bool removed; /* entries were blanked during an emit */

/* Register fn for events of type at stage; data is passed back. */
void
event_subscribe_at(enum event_type type, enum event_stage stage, event_fn fn,
                   void *data)
{
    struct subscriber s = {fn, data, stage};
    GArray *a;
    guint i;

    g_return_if_fail(type < EV_COUNT);
    if (subscribers[type] == NULL)
        subscribers[type] = g_array_new(FALSE, FALSE, sizeof s);
    a = subscribers[type];
    /* Kept sorted by stage, in subscription order within one, so that
     * emitting is a plain walk. */
    for (i = a->len; i > 0; i--)
        if (g_array_index(a, struct subscriber, i - 1).stage <= stage)
            break;
    g_array_insert_val(a, i, s);
}

/* Register fn for events of type at the model stage. */
void
event_subscribe(enum event_type type, event_fn fn, void *data)
{
    event_subscribe_at(type, EVENT_STAGE_MODEL, fn, data);
}

/* Remove a subscription made with the same fn and data. */
void
event_unsubscribe(enum event_type type, event_fn fn, void *data)
{
    GArray *a = subscribers[type];

    if (a == NULL)
        return;
    for (guint i = 0; i < a->len; i++) {
        struct subscriber *s = &g_array_index(a, struct subscriber, i);
        if (s->fn == fn && s->data == data) {
            /* While delivering, removing would shift the others past the
             * loop's index: blank the entry and compact afterwards. */
            if (emitting > 0) {
                s->fn = NULL;
                removed = true;
            } else {
                g_array_remove_index(a, i);
            }
            return;
        }
    }
}

/* Deliver payload to every subscriber of type, stage by stage, in
 * subscription order within a stage. */
void
event_emit(enum event_type type, const void *payload)
{
    GArray *a = subscribers[type];

    if (a == NULL)
        return;
    emitting++;
    /* Index loop: a subscriber may subscribe others while we iterate. */
    for (guint i = 0; i < a->len; i++) {
        struct subscriber s = g_array_index(a, struct subscriber, i);
        if (s.fn != NULL)
            s.fn(type, payload, s.data);
    }
    if (--emitting == 0 && removed) {
        removed = false;
        for (int t = 0; t < EV_COUNT; t++) {
            GArray *sa = subscribers[t];
            for (guint i = sa != NULL ? sa->len : 0; i-- > 0;)
                if (g_array_index(sa, struct subscriber, i).fn == NULL)
                    g_array_remove_index(sa, i);
        }
    }
}

/* Whether anyone listens to events of type (to skip costly payloads). */
bool
event_wanted(enum event_type type)
{
    return type < EV_COUNT && subscribers[type] != NULL &&
           subscribers[type]->len > 0;
}

/* Drop every subscription. */
void
event_deinit(void)
{
    for (int i = 0; i < EV_COUNT; i++) {
        if (subscribers[i] != NULL)
            g_array_free(subscribers[i], TRUE);
        subscribers[i] = NULL;
    }
}

/* Emit an EV_NOTICE built from a printf format. */
void
notice(struct account *acct, enum notice_level level, const char *fmt, ...)
{
    va_list ap;
    struct ev_notice ev = {acct, level, NULL, FMT_TEXT, NULL};
    const char *args[2] = {NULL, NULL};
    char *text;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    ev.text = text;
    args[0] = text;
    ev.args = args;
    event_emit(EV_NOTICE, &ev);
    g_free(text);
}

/* Emit an EV_NOTICE of sentence id with the string arguments that follow,
 * up to a NULL. */
void
notice_fmt(struct account *acct, enum notice_level level, enum format_id id,
           ...)
{
    GPtrArray *args;
    struct ev_notice ev = {acct, level, NULL, id, NULL};
    va_list ap;

    va_start(ap, id);
    args = format_args_collect(ap);
    va_end(ap);
    ev.args = (const char *const *)args->pdata;
    if (id == FMT_TEXT)
        ev.text = ev.args[0];
    event_emit(EV_NOTICE, &ev);
    g_ptr_array_free(args, TRUE);
}
