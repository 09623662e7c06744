/* SPDX-License-Identifier: MIT */
/* The scheme registry and dispatch (crypto/e2e.h). */
#include "crypto/e2e.h"

#include <glib.h>
#include <string.h>

static GPtrArray *schemes; /* const struct e2e_scheme *, in order */
static const struct e2e_io *io;

/* See crypto/e2e.h. */
void
e2e_register(const struct e2e_scheme *s)
{
    if (schemes == NULL)
        schemes = g_ptr_array_new();
    g_ptr_array_add(schemes, (void *)s);
}

/* See crypto/e2e.h. */
void
e2e_set_io(const struct e2e_io *set)
{
    io = set;
}

/* See crypto/e2e.h. */
bool
e2e_inject(struct account *acct, const char *to, const char *body)
{
    if (io == NULL || io->inject == NULL || !e2e_online(acct))
        return false;
    io->inject(acct, to, body);
    return true;
}

/* See crypto/e2e.h. */
bool
e2e_online(struct account *acct)
{
    return io != NULL && io->online != NULL && io->online(acct);
}

/* See crypto/e2e.h. */
void
e2e_encrypt(struct account *acct, const char *peer, const char *full,
            const char *body, struct e2e_out *out)
{
    memset(out, 0, sizeof *out);
    for (guint i = 0; schemes != NULL && i < schemes->len; i++) {
        const struct e2e_scheme *s = schemes->pdata[i];
        if (s->encrypt == NULL)
            continue;
        s->encrypt(acct, peer, full, body, out);
        if (out->kind != E2E_OUT_PASS) {
            out->scheme = s->name;
            out->eme = s->eme_namespace;
            return;
        }
        e2e_out_clear(out);
    }
}

/* See crypto/e2e.h. */
void
e2e_decrypt(struct account *acct, const char *peer, const char *full,
            const char *body, enum e2e_origin origin, struct e2e_in *in)
{
    memset(in, 0, sizeof *in);
    for (guint i = 0; schemes != NULL && i < schemes->len; i++) {
        const struct e2e_scheme *s = schemes->pdata[i];
        if (s->decrypt == NULL)
            continue;
        s->decrypt(acct, peer, full, body, origin, in);
        if (in->kind != E2E_IN_PASS) {
            in->scheme = s->name;
            return;
        }
        e2e_in_clear(in);
    }
}

/* See crypto/e2e.h. */
void
e2e_out_clear(struct e2e_out *out)
{
    g_free(out->wire);
    g_free(out->reason);
    g_free(out->to);
    memset(out, 0, sizeof *out);
}

/* See crypto/e2e.h. */
void
e2e_in_clear(struct e2e_in *in)
{
    g_free(in->text);
    g_free(in->reason);
    memset(in, 0, sizeof *in);
}

/* See crypto/e2e.h. */
void
e2e_deinit_all(void)
{
    for (guint i = 0; schemes != NULL && i < schemes->len; i++) {
        const struct e2e_scheme *s = schemes->pdata[i];
        if (s->deinit != NULL)
            s->deinit();
    }
    if (schemes != NULL)
        g_ptr_array_free(schemes, TRUE);
    schemes = NULL;
    io = NULL;
}
