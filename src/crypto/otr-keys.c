/* SPDX-License-Identifier: MIT */
/* OTR's files (private key, fingerprints with trust, instance tags;
 * each written to a new file then renamed) and the key made in a
 * thread (crypto/otr-internal.h). */
#include "crypto/otr-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "core/account.h"
#include "core/event.h"
#include "core/format-id.h"

/* --- files -------------------------------------------------------------- */

/* A file in acct's OTR directory. Note: result must be freed. */
static char *
file_of(struct otr_account *oa, const char *name)
{
    return g_build_filename(oa->dir, name, NULL);
}

/* Write path through writer into a new file then rename it over; the
 * file is 0600. False with *cause set on failure. */
static bool
write_atomic(const char *path, gcry_error_t (*writer)(FILE *, void *),
             void *data, char **cause)
{
    char *tmp = g_strdup_printf("%s.XXXXXX", path);
    int fd = g_mkstemp_full(tmp, O_RDWR, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;
    gcry_error_t err = 0;
    bool ok = f != NULL;

    if (ok)
        err = writer(f, data);
    ok = ok && err == 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (f != NULL)
        ok = fclose(f) == 0 && ok;
    else if (fd >= 0)
        close(fd);
    ok = ok && g_rename(tmp, path) == 0;
    if (!ok) {
        if (cause != NULL)
            *cause = g_strdup_printf("Cannot write %s: %s", path,
                                     err != 0 ? gcry_strerror(err)
                                              : g_strerror(errno));
        g_unlink(tmp);
    }
    g_free(tmp);
    return ok;
}

/* Writer: every fingerprint of the user state. */
static gcry_error_t
write_fingerprints(FILE *f, void *us)
{
    return otrl_privkey_write_fingerprints_FILEp(us, f);
}

/* Save oa's fingerprints (with their trust). */
void
otr_save_fingerprints(struct otr_account *oa)
{
    char *path = file_of(oa, "fingerprints"), *why = NULL;

    if (!write_atomic(path, write_fingerprints, oa->us, &why)) {
        notice_fmt(oa->acct, NOTICE_ERROR, FMT_OTR_ERROR, oa->acct->jid, why,
                   NULL);
        g_free(why);
    }
    g_free(path);
}

/* Writer: the instance tags, with a new one for the account. */
static gcry_error_t
write_new_instag(FILE *f, void *data)
{
    struct otr_account *oa = data;

    return otrl_instag_generate_FILEp(oa->us, f, oa->acct->jid, PROTOCOL);
}

/* Read a file into the user state with reader, if the file is there. */
static void
read_file(struct otr_account *oa, const char *name,
          gcry_error_t (*reader)(OtrlUserState, FILE *))
{
    char *path = file_of(oa, name);
    FILE *f = fopen(path, "r");

    if (f != NULL) {
        gcry_error_t err = reader(oa->us, f);
        fclose(f);
        if (err != 0)
            notice_fmt(oa->acct, NOTICE_ERROR, FMT_OTR_FILE_BAD, path,
                       gcry_strerror(err), NULL);
    }
    g_free(path);
}

/* Reader of fingerprints (libotr's takes two more arguments). */
static gcry_error_t
read_fingerprints(OtrlUserState us, FILE *f)
{
    return otrl_privkey_read_fingerprints_FILEp(us, f, NULL, NULL);
}

/* See crypto/otr-internal.h. */
void
otr_read_files(struct otr_account *oa)
{
    read_file(oa, "private.key", otrl_privkey_read_FILEp);
    read_file(oa, "fingerprints", read_fingerprints);
    read_file(oa, "instance_tags", otrl_instag_read_FILEp);
}

/* See crypto/otr-internal.h. */
void
otr_new_instag(struct otr_account *oa)
{
    char *path = file_of(oa, "instance_tags"), *why = NULL;

    g_mkdir_with_parents(oa->dir, 0700);
    if (!write_atomic(path, write_new_instag, oa, &why)) {
        notice_fmt(oa->acct, NOTICE_ERROR, FMT_OTR_ERROR, oa->acct->jid, why,
                   NULL);
        g_free(why);
    }
    g_free(path);
}

/* --- key generation ----------------------------------------------------- */

/* Writer: the user state's keys and the new one. */
static gcry_error_t
write_new_key(FILE *f, void *data)
{
    struct keygen *g = data;

    return otrl_privkey_generate_finish_FILEp(g->oa->us, g->newkey, f);
}

/* Main loop: the thread is done; store the key. */
static gboolean
keygen_done(gpointer data)
{
    struct keygen *g = data;
    struct otr_account *oa = g->oa;
    char *path = file_of(oa, "private.key"), *why = NULL;
    char fp[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];

    /* The thread has nothing left to do but return: let it, without
     * waiting here (a join could wait for it to be scheduled). */
    g_thread_unref(g->thread);
    oa->gen = NULL;
    if (g->err != 0) {
        otrl_privkey_generate_cancelled(oa->us, g->newkey);
        notice_fmt(oa->acct, NOTICE_ERROR, FMT_OTR_KEY_FAILED, oa->acct->jid,
                   gcry_strerror(g->err), NULL);
    } else if (!write_atomic(path, write_new_key, g, &why)) {
        notice_fmt(oa->acct, NOTICE_ERROR, FMT_OTR_KEY_FAILED, oa->acct->jid,
                   why, NULL);
        g_free(why);
    } else {
        otrl_privkey_fingerprint(oa->us, fp, oa->acct->jid, PROTOCOL);
        notice_fmt(oa->acct, NOTICE_INFO, FMT_OTR_KEY_DONE, oa->acct->jid, fp,
                   NULL);
    }
    g_free(path);
    g_free(g);
    return G_SOURCE_REMOVE;
}

/* Thread: the expensive part of making a key. */
static gpointer
keygen_thread(gpointer data)
{
    struct keygen *g = data;

    g->err = otrl_privkey_generate_calculate(g->newkey);
    g_idle_add(keygen_done, g);
    return NULL;
}

/* Begin making oa's key in a thread. */
void
otr_start_keygen(struct otr_account *oa)
{
    struct keygen *g = g_new0(struct keygen, 1);
    gcry_error_t err;

    g_mkdir_with_parents(oa->dir, 0700);
    g_chmod(oa->dir, 0700);
    g->oa = oa;
    err = otrl_privkey_generate_start(oa->us, oa->acct->jid, PROTOCOL,
                                      &g->newkey);
    if (err != 0 || g->newkey == NULL) {
        notice_fmt(oa->acct, NOTICE_ERROR, FMT_OTR_KEY_FAILED, oa->acct->jid,
                   err != 0 ? gcry_strerror(err) : "already being made", NULL);
        g_free(g);
        return;
    }
    oa->gen = g;
    notice_fmt(oa->acct, NOTICE_INFO, FMT_OTR_KEY_GENERATING, oa->acct->jid,
               NULL);
    g->thread = g_thread_new("otr-keygen", keygen_thread, g);
}
