/* SPDX-License-Identifier: MIT */
#ifndef NATTER_XMPP_JID_H
#define NATTER_XMPP_JID_H

#include <stdbool.h>

/* An XMPP address split into its parts (RFC 7622), each prepared. */
struct jid {
    char *local; /* NULL when absent */
    char *domain;
    char *resource; /* NULL when absent */
};

/*
 * Parse and prepare s: localpart and domainpart are NFC-normalised and
 * case-folded, the resource NFC-normalised; forbidden characters, empty
 * parts and parts over 1023 bytes are refused. On failure returns false and
 * sets *cause (free with g_free()). Note: free the parts with jid_clear().
 */
bool jid_parse(const char *s, struct jid *out, char **cause);
/* Free the parts of j. */
void jid_clear(struct jid *j);
/* local@domain (or domain). Note: result must be freed with g_free(). */
char *jid_bare_of(const struct jid *j);
/* The full form with resource. Note: result must be freed with g_free(). */
char *jid_full_of(const struct jid *j);
/*
 * Prepared bare form of s, or NULL with *cause set when s is no JID.
 * Note: result must be freed with g_free().
 */
char *jid_bare(const char *s, char **cause);
/* The bare, prepared form of s; NULL when s is NULL or no valid JID.
 * Caller frees. */
char *jid_bare_quiet(const char *s);
/* Resource part of s without preparation, "" if none; borrowed from s. */
const char *jid_resource_part(const char *s);

#endif
