/* SPDX-License-Identifier: MIT */
/* Received stanzas serialised for libstrophe's debug log only when the
 * log is read (see recvlog.h). */
#include "xmpp/recvlog.h"

#include <dlfcn.h>
#include <stddef.h>

typedef int (*to_text_fn)(xmpp_stanza_t *, char **, size_t *);

static bool (*needed_fn)(void);
static const void *log_site;  /* return address of the log line's call */
static const void *last_site; /* of the last call passed on */
static const xmpp_stanza_t *last_stanza;
static unsigned long skipped;

/* libstrophe's own xmpp_stanza_to_text. */
static to_text_fn
real_to_text(void)
{
    static to_text_fn fn;

    if (fn == NULL)
        fn = (to_text_fn)dlsym(RTLD_NEXT, "xmpp_stanza_to_text");
    return fn;
}

/* Whether code at address pc belongs to the library that defines fn. */
static bool
in_library_of(const void *pc, to_text_fn fn)
{
    Dl_info at, lib;

    if (dladdr(pc, &at) == 0 || dladdr((const void *)fn, &lib) == 0)
        return false;
    return at.dli_fbase == lib.dli_fbase;
}

/* Serialise stanza to text as libstrophe does; *buf is freed with
 * xmpp_free. Fails without a buffer only for the received-stanza log
 * line, while nobody reads it. */
__attribute__((noinline)) int
xmpp_stanza_to_text(xmpp_stanza_t *stanza, char **buf, size_t *buflen)
{
    const void *site = __builtin_return_address(0);
    to_text_fn fn = real_to_text();

    if (log_site != NULL && site == log_site &&
        (needed_fn != NULL && !needed_fn())) {
        skipped++;
        *buf = NULL;
        *buflen = 0;
        return XMPP_EMEM;
    }
    last_site = site;
    last_stanza = stanza;
    if (fn == NULL)
        return XMPP_EMEM;
    return fn(stanza, buf, buflen);
}

/* Learn the log line's call site from the stanza a handler was given. */
void
recvlog_received(xmpp_stanza_t *st)
{
    if (log_site != NULL || last_stanza != st || last_site == NULL)
        return;
    if (in_library_of(last_site, real_to_text()))
        log_site = last_site;
}

/* See recvlog.h. */
void
recvlog_set_needed(bool (*needed)(void))
{
    needed_fn = needed;
}

/* See recvlog.h. */
bool
recvlog_calibrated(void)
{
    return log_site != NULL;
}

/* See recvlog.h. */
unsigned long
recvlog_skipped(void)
{
    return skipped;
}
