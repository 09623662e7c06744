/* SPDX-License-Identifier: MIT */
/* /tls: see, fetch, pin and forget server certificates (trust on first use).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/account.h"
#include "core/event.h"
#include "core/pins.h"
#include "core/window.h"
#include "xmpp/certprobe.h"
#include "xmpp/jid.h"

static const char *const subcommands[] = {"show", "trust", "forget", "fetch",
                                          NULL};
static const char *const fetch_options[] = {"server", "port", "direct", NULL};

/* Whom a /tls subcommand is about: a known account, or a bare JID. */
struct target {
    struct account *acct; /* NULL for a JID with no account yet */
    char *name;           /* the pin's name: account name or the JID */
    char *jid;            /* bare JID: key of the last certificate seen */
};

/* Free the strings of a target. */
static void
target_clear(struct target *t)
{
    g_free(t->name);
    g_free(t->jid);
}

/* Resolve arg (NULL: the command's account) into t; false sets *cause. */
static bool
target_find(struct cmd_args *a, const char *arg, struct target *t,
            char **cause)
{
    char *why = NULL, *bare;

    memset(t, 0, sizeof *t);
    if (arg == NULL) {
        if (a->acct == NULL) {
            *cause = g_strdup("No account: name one, as in /tls show "
                              "alice@example.org");
            return false;
        }
        t->acct = a->acct;
    } else if ((t->acct = account_find_name(arg)) == NULL) {
        bare = jid_bare(arg, &why);
        if (bare == NULL || strchr(bare, '@') == NULL) {
            *cause = g_strdup_printf("No account %s (give an account name "
                                     "or a JID user@server)",
                                     arg);
            g_free(why);
            g_free(bare);
            return false;
        }
        t->name = bare;
        t->jid = g_strdup(bare);
        return true;
    }
    t->name = g_strdup(t->acct->name);
    t->jid = g_strdup(t->acct->jid);
    return true;
}

/* Print the lines of a certificate into w, each indented. */
static void
print_cert(struct window *w, const struct cert_info *c)
{
    window_printf(w, LINE_INFO, "  Subject: %s",
                  c->subject ? c->subject : "?");
    window_printf(w, LINE_INFO, "  Issuer: %s", c->issuer ? c->issuer : "?");
    window_printf(w, LINE_INFO, "  Valid from: %s",
                  c->not_before ? c->not_before : "?");
    window_printf(w, LINE_INFO, "  Valid until: %s",
                  c->not_after ? c->not_after : "?");
    window_printf(w, LINE_INFO, "  SHA-256: %s", c->fingerprint);
}

/* The text kept with a pin: what the certificate says. Caller frees. */
static char *
pin_about(const struct target *t, const struct cert_info *c)
{
    GDateTime *now = g_date_time_new_now_utc();
    char *when = g_date_time_format(now, "%Y-%m-%d %H:%M:%S UTC");
    char *about = g_strdup_printf(
        "natter: certificate pinned for %s on %s\n"
        "Subject: %s\nIssuer: %s\nValid from: %s\nValid until: %s\n"
        "SHA-256: %s",
        t->jid, when, c->subject ? c->subject : "?",
        c->issuer ? c->issuer : "?", c->not_before ? c->not_before : "?",
        c->not_after ? c->not_after : "?", c->fingerprint);

    g_free(when);
    g_date_time_unref(now);
    return about;
}

/* /tls trust [ACCOUNT]: pin the certificate last seen for the account. */
static bool
tls_trust(struct cmd_args *a, struct target *t, char **cause)
{
    const struct cert_info *c = certprobe_last(t->jid);
    char *about;
    bool ok;

    if (c == NULL || c->pem == NULL) {
        *cause = g_strdup_printf("No certificate was seen for %s yet: "
                                 "/connect first, or /tls fetch %s",
                                 t->jid, t->name);
        return false;
    }
    about = pin_about(t, c);
    ok = pins_save(t->name, c->pem, about, cause);
    g_free(about);
    if (!ok)
        return false;
    window_printf(a->win, LINE_INFO,
                  "Pinned the certificate of %s's server, SHA-256 %s: natter "
                  "now accepts this certificate (and no other) for %s",
                  t->jid, c->fingerprint, t->name);
    return true;
}

/* /tls show [ACCOUNT]: the pinned certificate and the last one seen. */
static bool
tls_show(struct cmd_args *a, struct target *t, char **cause)
{
    const struct cert_info *seen = certprobe_last(t->jid);
    char *path = pins_path(t->name), *why = NULL, *fp = NULL;

    if (path == NULL && seen == NULL) {
        *cause = g_strdup_printf("No certificate is pinned or was seen for "
                                 "%s (try /tls fetch %s)",
                                 t->jid, t->name);
        return false;
    }
    if (path != NULL) {
        char *about = pins_about(t->name);
        fp = pins_fingerprint(t->name, &why);
        window_printf(a->win, LINE_INFO,
                      "Pinned certificate for %s (%s):", t->name, path);
        if (about != NULL) {
            char **lines = g_strsplit(about, "\n", -1);
            for (char **l = lines; *l != NULL; l++)
                if (strncmp(*l, "SHA-256:", 8) != 0 &&
                    strncmp(*l, "natter:", 7) != 0)
                    window_printf(a->win, LINE_INFO, "  %s", *l);
            g_strfreev(lines);
            g_free(about);
        }
        /* The fingerprint is computed from the file, not taken from it. */
        window_printf(a->win, fp != NULL ? LINE_INFO : LINE_ERROR,
                      "  SHA-256: %s", fp != NULL ? fp : why);
        g_free(why);
    }
    if (seen != NULL && (fp == NULL || strcmp(fp, seen->fingerprint) != 0)) {
        window_printf(
            a->win, LINE_INFO,
            "%s certificate seen for %s%s:", path != NULL ? "Other" : "Last",
            t->jid, path != NULL ? " (not the pinned one)" : " (not pinned)");
        print_cert(a->win, seen);
    } else if (seen != NULL) {
        window_printf(a->win, LINE_INFO,
                      "The server presented this certificate when last "
                      "seen");
    }
    g_free(fp);
    g_free(path);
    return true;
}

/* /tls forget [ACCOUNT]: remove the pin. */
static bool
tls_forget(struct cmd_args *a, struct target *t, char **cause)
{
    if (!pins_remove(t->name, cause))
        return false;
    window_printf(a->win, LINE_INFO,
                  "Forgot the pinned certificate of %s: its server must "
                  "again have a certificate the system trusts",
                  t->name);
    return true;
}

/* What a running /tls fetch remembers. */
struct fetch {
    char *jid;
    char *name;
    char *where;
};

/* The certificate asked for with /tls fetch arrived (or did not). */
static void
fetch_done(const struct cert_info *c, const char *error, void *data)
{
    struct fetch *f = data;
    struct account *acct = account_find(f->jid);
    char *desc, *why = NULL, *pinned;

    if (c == NULL) {
        notice(acct, NOTICE_ERROR, "Cannot fetch the certificate of %s: %s",
               f->where, error);
    } else {
        certprobe_remember(f->jid, c);
        desc = cert_info_describe(c);
        pinned = pins_fingerprint(f->name, &why);
        g_free(why);
        if (pinned == NULL)
            notice(acct, NOTICE_INFO,
                   "Certificate of %s for %s: %s. Not pinned: /tls trust %s "
                   "pins it",
                   f->where, f->jid, desc, f->name);
        else if (strcmp(pinned, c->fingerprint) == 0)
            notice(acct, NOTICE_INFO,
                   "Certificate of %s for %s: %s. It is the pinned one",
                   f->where, f->jid, desc);
        else
            notice(acct, NOTICE_ERROR,
                   "Certificate of %s for %s: %s. It has changed: the pinned "
                   "one is SHA-256 %s",
                   f->where, f->jid, desc, pinned);
        g_free(pinned);
        g_free(desc);
    }
    g_free(f->jid);
    g_free(f->name);
    g_free(f->where);
    g_free(f);
}

/* /tls fetch [ACCOUNT] [server HOST] [port N] [direct] */
static bool
tls_fetch(struct cmd_args *a, struct target *t, int first, char **cause)
{
    struct account *acct = t->acct;
    const char *host = acct != NULL ? acct->server : NULL;
    long port = acct != NULL ? acct->port : 0;
    bool direct = acct != NULL && acct->tls == TLS_DIRECT;
    const char *domain = strchr(t->jid, '@') + 1;
    struct fetch *f;

    for (int i = first; i < a->argc; i++) {
        const char *key = a->argv[i];
        char *end;

        if (strcmp(key, "direct") == 0) {
            direct = true;
            continue;
        }
        if (i + 1 >= a->argc ||
            (strcmp(key, "server") != 0 && strcmp(key, "port") != 0)) {
            *cause = cmd_usage(a->cmd);
            return false;
        }
        if (strcmp(key, "server") == 0) {
            host = a->argv[++i];
            continue;
        }
        port = strtol(a->argv[++i], &end, 10);
        if (*end != '\0' || port < 1 || port > 65535) {
            *cause = g_strdup_printf("Invalid port %s: give a number from 1 "
                                     "to 65535",
                                     a->argv[i]);
            return false;
        }
    }
    f = g_new0(struct fetch, 1);
    f->jid = g_strdup(t->jid);
    f->name = g_strdup(t->name);
    f->where = g_strdup_printf("%s:%ld", host != NULL ? host : domain,
                               port != 0 ? port
                               : direct  ? 5223
                                         : 5222);
    window_printf(a->win, LINE_INFO, "Fetching the certificate of %s for %s",
                  f->where, t->jid);
    certprobe_start(domain, host, (unsigned short)port, direct, fetch_done, f);
    return true;
}

/* /tls show|trust|forget [ACCOUNT], /tls fetch [ACCOUNT] [options] */
static bool
exec_tls(struct cmd_args *a, char **cause)
{
    const char *sub = a->argv[0];
    const char *arg = NULL;
    struct target t;
    int next = 1;
    bool ok;

    if (a->argc > 1 && !(strcmp(sub, "fetch") == 0 &&
                         g_strv_contains(fetch_options, a->argv[1]))) {
        arg = a->argv[1];
        next = 2;
    }
    if (strcmp(sub, "fetch") != 0 && a->argc > 2) {
        *cause = cmd_usage(a->cmd);
        return false;
    }
    if (!g_strv_contains(subcommands, sub)) {
        *cause = g_strdup_printf("Unknown /tls subcommand %s: use show, "
                                 "trust, forget or fetch",
                                 sub);
        return false;
    }
    if (!target_find(a, arg, &t, cause))
        return false;
    if (strcmp(sub, "show") == 0)
        ok = tls_show(a, &t, cause);
    else if (strcmp(sub, "trust") == 0)
        ok = tls_trust(a, &t, cause);
    else if (strcmp(sub, "forget") == 0)
        ok = tls_forget(a, &t, cause);
    else
        ok = tls_fetch(a, &t, next, cause);
    target_clear(&t);
    return ok;
}

/* Complete /tls: subcommands, account names, then fetch's options. */
static void
complete_tls(int argi, char **args, const char *prefix, GPtrArray *out)
{
    GPtrArray *accts;

    if (argi == 0) {
        complete_words(subcommands, prefix, out);
        return;
    }
    if (argi == 1) {
        accts = account_list();
        for (guint i = 0; i < accts->len; i++) {
            struct account *acct = accts->pdata[i];
            if (g_str_has_prefix(acct->name, prefix))
                g_ptr_array_add(out, g_strdup(acct->name));
        }
    }
    if (strcmp(args[0], "fetch") == 0 &&
        (argi == 1 || (strcmp(args[argi - 1], "server") != 0 &&
                       strcmp(args[argi - 1], "port") != 0)))
        complete_words(fetch_options, prefix, out);
}

static const char *const tls_args[] = {
    "show [ACCOUNT]: the pinned certificate and the last one the server "
    "presented: subject, issuer, validity, SHA-256 fingerprint",
    "trust [ACCOUNT]: pin the certificate the server last presented (after "
    "a refused /connect, or /tls fetch); from then on natter accepts that "
    "certificate, and no other, for the account",
    "forget [ACCOUNT]: remove the pin",
    "fetch [ACCOUNT] [server HOST] [port N] [direct]: connect without "
    "logging in and show the server's certificate (direct: TLS from the "
    "first byte, XEP-0368)",
    "ACCOUNT: an account name or JID (default: the current window's)",
    NULL,
};
static const char *const tls_examples[] = {
    "/tls show",
    "/tls trust alice@example.org",
    "/tls fetch alice@localhost server 127.0.0.1 port 5222",
    "/tls forget work",
    NULL,
};

const struct cmd cmd_entry_tls = {
    .name = "tls",
    .synopsis = "show|trust|forget [ACCOUNT] | fetch [ACCOUNT] [server HOST] "
                "[port N] [direct]",
    .description = "Server certificates, trusted on first use: see the "
                   "certificate a server presents, pin it for an account "
                   "(kept under $XDG_DATA_HOME/natter/certs) or forget the "
                   "pin. A pinned certificate is checked like a certificate "
                   "authority of its own, so a server whose certificate "
                   "changed is refused.",
    .args = tls_args,
    .examples = tls_examples,
    .min_args = 1,
    .max_args = 7,
    .complete = complete_tls,
    .exec = exec_tls,
};
