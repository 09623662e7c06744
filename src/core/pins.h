/* SPDX-License-Identifier: MIT */
#ifndef NATTER_CORE_PINS_H
#define NATTER_CORE_PINS_H

#include <stdbool.h>

/*
 * Certificate pins (trust on first use). The certificate a user accepted
 * for an account is kept as a PEM file, $XDG_DATA_HOME/natter/certs/
 * NAME.pem (directory 0700, file 0600, replaced atomically). The session
 * layer hands its path to libstrophe as a CA file, so OpenSSL takes that
 * one certificate as a trust anchor for the account.
 */

/* The directory pins live in. Note: result must be freed with g_free(). */
char *pins_dir(void);

/*
 * Pin the PEM certificate pem for account name, replacing any earlier
 * pin. Only the first certificate of pem is kept. about (may be NULL) is
 * text for people, kept as lines before the certificate, which OpenSSL
 * skips. Returns false with *cause set if pem holds no certificate or the
 * file cannot be written.
 */
bool pins_save(const char *name, const char *pem, const char *about,
               char **cause);

/*
 * Path of account name's pinned certificate, NULL when there is none.
 * Note: result must be freed with g_free().
 */
char *pins_path(const char *name);

/*
 * The pinned certificate of account name as PEM text; NULL with *cause
 * set when there is none or it cannot be read. Note: result must be freed
 * with g_free().
 */
char *pins_load(const char *name, char **cause);

/*
 * The about text saved with account name's pin, NULL when there is none.
 * Note: result must be freed with g_free().
 */
char *pins_about(const char *name);

/*
 * Forget account name's pin. Returns false with *cause set when there was
 * none or it cannot be removed.
 */
bool pins_remove(const char *name, char **cause);

/*
 * SHA-256 fingerprint of account name's pinned certificate, as upper-case
 * hex pairs joined by colons; NULL with *cause set when there is none.
 * Note: result must be freed with g_free().
 */
char *pins_fingerprint(const char *name, char **cause);

/*
 * SHA-256 fingerprint of the first certificate in PEM text, in the same
 * form; NULL with *cause set when pem holds no certificate. Note: result
 * must be freed with g_free().
 */
char *pins_pem_fingerprint(const char *pem, char **cause);

/*
 * A fingerprint written any way (hex with or without colons, any case)
 * in the colon form above; NULL when fp is not hex. Note: result must be
 * freed with g_free().
 */
char *pins_fingerprint_normalize(const char *fp);

#endif
