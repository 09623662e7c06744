/* SPDX-License-Identifier: MIT */
#include "core/message.h"

#include <glib.h>

/* A copy of m that owns all its strings. Note: free with message_free(). */
struct message *
message_copy(const struct message *m)
{
    struct message *c = g_new(struct message, 1);

    *c = *m;
    c->from = g_strdup(m->from);
    c->to = g_strdup(m->to);
    c->peer = g_strdup(m->peer);
    c->body = g_strdup(m->body);
    c->id = g_strdup(m->id);
    c->origin_id = g_strdup(m->origin_id);
    c->archive_id = g_strdup(m->archive_id);
    c->replace_id = g_strdup(m->replace_id);
    c->oob_url = g_strdup(m->oob_url);
    c->nick = g_strdup(m->nick);
    c->scheme = g_strdup(m->scheme);
    return c;
}

/* Free a message made by message_copy(); NULL is fine. */
void
message_free(struct message *m)
{
    if (m == NULL)
        return;
    g_free(m->from);
    g_free(m->to);
    g_free(m->peer);
    g_free(m->body);
    g_free(m->id);
    g_free(m->origin_id);
    g_free(m->archive_id);
    g_free(m->replace_id);
    g_free(m->oob_url);
    g_free(m->nick);
    g_free(m->scheme);
    g_free(m);
}

/* Replace the owned string *slot with a copy of text (NULL allowed). */
void
message_set(char **slot, const char *text)
{
    char *copy = g_strdup(text); /* text may be *slot itself */

    g_free(*slot);
    *slot = copy;
}

/* A short name for a protection state. */
const char *
protection_name(enum protection p)
{
    switch (p) {
    case PROTECTION_PLAIN:
        return "plain";
    case PROTECTION_ENCRYPTED:
        return "encrypted";
    case PROTECTION_TRUSTED:
        return "trusted";
    case PROTECTION_UNDECRYPTABLE:
        return "undecryptable";
    }
    return "plain";
}
