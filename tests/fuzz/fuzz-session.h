/* SPDX-License-Identifier: MIT */
/*
 * A live natter for the fuzz targets of stanza handlers: the real model
 * (windows, ui/lines, history store in a private temp dir, the headless
 * front end writing to memory), one account logged in through the real
 * session code, and a libstrophe connection that never touches a socket.
 *
 * The transport is a test double: this file defines the few libstrophe
 * functions the session layer uses to talk to the network, and the
 * linker takes them in place of libstrophe's own (the fuzz binary links
 * libstrophe as a shared library, so its definitions stay unused):
 *
 *   xmpp_connect_client   records the connection handler, returns at once
 *   xmpp_disconnect       reports XMPP_CONN_DISCONNECT to that handler
 *   xmpp_conn_get_bound_jid  the resource we are "bound" to
 *   xmpp_send             keeps a copy of every stanza natter sends
 *   xmpp_handler_add, xmpp_id_handler_add and their _delete
 *                         keep the handlers in a table here
 *
 * fuzz_session_feed() then fires a stanza the way libstrophe 0.12 does
 * (handler_fire_stanza in its handler.c): the id handlers of the stanza's
 * id first, then every handler whose name, namespace and type match; a
 * handler that returns 0 is removed. Stanzas parse from XML text
 * (xmpp_stanza_new_from_string), so inputs and seeds are plain XML.
 *
 * Replies to natter's own requests need their ids, which are random: an
 * incoming stanza with id="@NS" takes the id of the newest iq natter sent
 * whose first child is in namespace NS (id="@jabber:iq:roster" answers the
 * roster request, "@urn:xmpp:mam:2" the latest archive page request).
 *
 * One input is one whole life: fuzz_session_start() logs in (roster with
 * three contacts, their presence, a chat window with one of them, a
 * stored archive position so a catch-up is asked), the target feeds
 * stanzas, fuzz_session_stop() disconnects, tears everything down as
 * main() does and empties the data dir, so every input starts alike and
 * LeakSanitizer sees what any of it leaked.
 */
#ifndef NATTER_TESTS_FUZZ_SESSION_H
#define NATTER_TESTS_FUZZ_SESSION_H

#include "fuzz.h"

#include <fcntl.h>
#include <ftw.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <unistd.h>

#include "cmd/input.h"
#include "core/account.h"
#include "core/event.h"
#include "core/history.h"
#include "core/paths.h"
#include "ui/lines.h"
#include "core/settings.h"
#include "core/window.h"
#include "ui/headless.h"
#include "xmpp/chatstate.h"
#include "xmpp/markers.h"
#include "xmpp/mam.h"
#include "xmpp/muc.h"
#include "xmpp/jid.h"
#include "xmpp/session.h"
#include "xmpp/stanza.h"

#define FUZZ_ME "me@example.org"
#define FUZZ_RESOURCE "natter.fuzz"
#define FUZZ_ROOM "lounge@conference.example"
#define FUZZ_MAX_STANZAS 64
#define FUZZ_MAYBE_UNUSED __attribute__((unused))

/* A handler libstrophe would keep for a connection. */
struct fuzz_handler {
    xmpp_handler fn;
    char *id; /* id handlers: the id; else NULL */
    char *ns, *name, *type;
    void *data;
    bool gone; /* deleted while the table was being walked */
};

/* The one connection of the fuzzed session and what went over it. */
static struct {
    xmpp_conn_t *conn;
    xmpp_conn_handler conn_cb;
    void *conn_data;
    bool connected;
    GPtrArray *handlers;   /* struct fuzz_handler * */
    GPtrArray *sent;       /* copies of the stanzas sent for one input */
    GPtrArray *asked;      /* "NS ID" of every iq sent this session */
    unsigned int messages; /* EV_MESSAGE events since the last feed */
    char *data_home;       /* XDG_DATA_HOME, wiped after each input */
    char *out;             /* what the headless front end printed */
    size_t out_len;
    FILE *out_file;
    FILE *real_stdout;
    struct account *acct;
} fz;

/* Free a handler record. */
static void
fuzz_handler_free(void *p)
{
    struct fuzz_handler *h = p;

    g_free(h->id);
    g_free(h->ns);
    g_free(h->name);
    g_free(h->type);
    g_free(h);
}

/* Release a kept stanza (a GPtrArray free function). */
static void
fuzz_stanza_free(void *st)
{
    xmpp_stanza_release(st);
}

/* --- the libstrophe functions replaced (see the top of this file) ---- */

/* Record the connection handler instead of opening a socket. */
int
xmpp_connect_client(xmpp_conn_t *conn, const char *altdomain,
                    unsigned short altport, xmpp_conn_handler callback,
                    void *userdata)
{
    (void)altdomain;
    (void)altport;
    fz.conn = conn;
    fz.conn_cb = callback;
    fz.conn_data = userdata;
    return XMPP_EOK;
}

/* Close the pretend stream: tell the connection handler. */
void
xmpp_disconnect(xmpp_conn_t *conn)
{
    if (conn != fz.conn || !fz.connected)
        return;
    fz.connected = false;
    fz.conn_cb(conn, XMPP_CONN_DISCONNECT, 0, NULL, fz.conn_data);
}

/* The full JID the pretend server bound. */
const char *
xmpp_conn_get_bound_jid(const xmpp_conn_t *conn)
{
    (void)conn;
    return FUZZ_ME "/" FUZZ_RESOURCE;
}

/* Remember an iq natter sends by the namespace of its first child. */
static void
fuzz_note_request(xmpp_stanza_t *st)
{
    xmpp_stanza_t *q = xmpp_stanza_get_children(st);
    const char *id = xmpp_stanza_get_id(st);

    while (q != NULL && !xmpp_stanza_is_tag(q))
        q = xmpp_stanza_get_next(q);
    if (g_strcmp0(xmpp_stanza_get_name(st), "iq") == 0 && id != NULL &&
        q != NULL && xmpp_stanza_get_ns(q) != NULL)
        g_ptr_array_add(fz.asked,
                        g_strdup_printf("%s %s", xmpp_stanza_get_ns(q), id));
}

/* Keep a copy of what natter sends; it must serialise. */
void
xmpp_send(xmpp_conn_t *conn, xmpp_stanza_t *stanza)
{
    char *buf = NULL;
    size_t len = 0;

    FUZZ_CHECK(conn == fz.conn, "send on an unknown connection");
    FUZZ_CHECK(xmpp_stanza_to_text(stanza, &buf, &len) == XMPP_EOK,
               "a stanza natter sends does not serialise");
    if (getenv("NATTER_FUZZ_TRACE") != NULL)
        fprintf(stderr, "SENT %.*s\n", (int)len, buf);
    xmpp_free(xmpp_conn_get_context(conn), buf);
    g_ptr_array_add(fz.sent, xmpp_stanza_copy(stanza));
    fuzz_note_request(stanza);
}

/* Add a handler by name, namespace and type (each NULL: any). */
void
xmpp_handler_add(xmpp_conn_t *conn, xmpp_handler handler, const char *ns,
                 const char *name, const char *type, void *userdata)
{
    struct fuzz_handler *h = g_new0(struct fuzz_handler, 1);

    (void)conn;
    h->fn = handler;
    h->ns = g_strdup(ns);
    h->name = g_strdup(name);
    h->type = g_strdup(type);
    h->data = userdata;
    g_ptr_array_add(fz.handlers, h);
}

/* Add a handler for stanzas with the given id. */
void
xmpp_id_handler_add(xmpp_conn_t *conn, xmpp_handler handler, const char *id,
                    void *userdata)
{
    struct fuzz_handler *h = g_new0(struct fuzz_handler, 1);

    (void)conn;
    h->fn = handler;
    h->id = g_strdup(id);
    h->data = userdata;
    g_ptr_array_add(fz.handlers, h);
}

/* Remove the handlers (not id handlers) that call handler. */
void
xmpp_handler_delete(xmpp_conn_t *conn, xmpp_handler handler)
{
    (void)conn;
    for (guint i = 0; i < fz.handlers->len; i++) {
        struct fuzz_handler *h = fz.handlers->pdata[i];
        if (h->id == NULL && h->fn == handler)
            h->gone = true;
    }
}

/* Remove the id handler handler of id. */
void
xmpp_id_handler_delete(xmpp_conn_t *conn, xmpp_handler handler, const char *id)
{
    (void)conn;
    for (guint i = 0; i < fz.handlers->len; i++) {
        struct fuzz_handler *h = fz.handlers->pdata[i];
        if (h->id != NULL && h->fn == handler && strcmp(h->id, id) == 0)
            h->gone = true;
    }
}

/* --- feeding stanzas ------------------------------------------------- */

/* Whether a handler's filter (NULL: any) lets value through. */
static bool
fuzz_filter(const char *want, const char *value)
{
    return want == NULL || (value != NULL && strcmp(want, value) == 0);
}

/* Drop the handlers marked gone. */
static void
fuzz_handlers_sweep(void)
{
    for (guint i = fz.handlers->len; i-- > 0;)
        if (((struct fuzz_handler *)fz.handlers->pdata[i])->gone)
            g_ptr_array_remove_index(fz.handlers, i);
}

/* Run the main loop until nothing is ready (bounded). */
static void
fuzz_loop_settle(void)
{
    for (int i = 0; i < 100 && g_main_context_iteration(NULL, FALSE); i++)
        ;
}

/* Give id="@NS" the id of the newest iq sent whose child is in NS. */
static void
fuzz_resolve_id(xmpp_stanza_t *st)
{
    const char *id = xmpp_stanza_get_id(st);
    size_t n;

    if (id == NULL || id[0] != '@')
        return;
    n = strlen(id + 1);
    for (guint i = fz.asked->len; i-- > 0;) {
        const char *a = fz.asked->pdata[i];
        if (strncmp(a, id + 1, n) == 0 && a[n] == ' ') {
            xmpp_stanza_set_id(st, a + n + 1);
            return;
        }
    }
}

/* Fire the handlers for st as libstrophe would, then let the loop run. */
static void
fuzz_session_fire(xmpp_stanza_t *st)
{
    const char *id, *ns, *name, *type;
    guint n;

    if (!fz.connected)
        return;
    fuzz_resolve_id(st);
    id = xmpp_stanza_get_id(st);
    /* The handlers called may add others: walk only those there now. */
    n = fz.handlers->len;
    for (guint i = 0; id != NULL && i < n; i++) {
        struct fuzz_handler *h = fz.handlers->pdata[i];
        if (h->id != NULL && !h->gone && strcmp(h->id, id) == 0) {
            h->gone = true; /* before the call: it may free its data */
            if (h->fn(fz.conn, st, h->data) != 0)
                h->gone = false;
        }
    }
    ns = xmpp_stanza_get_ns(st);
    name = xmpp_stanza_get_name(st);
    type = xmpp_stanza_get_type(st);
    for (guint i = 0; i < n && i < fz.handlers->len && fz.connected; i++) {
        struct fuzz_handler *h = fz.handlers->pdata[i];
        if (h->id == NULL && !h->gone && fuzz_filter(h->ns, ns) &&
            fuzz_filter(h->name, name) && fuzz_filter(h->type, type) &&
            h->fn(fz.conn, st, h->data) == 0)
            h->gone = true;
    }
    fuzz_handlers_sweep();
    fuzz_loop_settle();
}

/* Fire a stanza given as XML text; it must parse. */
static void
fuzz_session_fire_xml(const char *xml)
{
    xmpp_stanza_t *st = xmpp_stanza_new_from_string(session_ctx(), xml);

    FUZZ_CHECK(st != NULL, "harness XML does not parse: %s", xml);
    fuzz_session_fire(st);
    xmpp_stanza_release(st);
}

/* Count EV_MESSAGE events, for the targets' checks. */
static void
fuzz_on_message(enum event_type type, const void *payload, void *data)
{
    (void)type;
    (void)payload;
    (void)data;
    fz.messages++;
}

/* Whether the UTF-8 text s (len bytes) holds nothing a terminal obeys:
 * C0 controls but newline, DEL, C1 controls, bidi overrides. */
static bool
fuzz_inert(const char *s, size_t len)
{
    const char *end = s + len;

    if (!g_utf8_validate(s, (gssize)len, NULL))
        return false;
    for (const char *p = s; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if ((c < 0x20 && c != '\n') || (c >= 0x7f && c < 0xa0) ||
            (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
            return false;
    }
    return true;
}

/* Check what the headless front end printed, then forget it. */
static void
fuzz_check_output(void)
{
    fflush(fz.out_file);
    if (getenv("NATTER_FUZZ_TRACE") != NULL)
        fprintf(stderr, "%.*s", (int)fz.out_len, fz.out);
    FUZZ_CHECK(fuzz_inert(fz.out, fz.out_len),
               "remote text reached the terminal unsanitised: %.*s",
               (int)fz.out_len, fz.out);
    rewind(fz.out_file);
    fz.out_len = 0;
}

/* Remove one file or directory (for nftw). */
static int
fuzz_remove(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    if (ftw->level > 0)
        remove(path);
    return 0;
}

/* At exit: remove the data dir. */
static void
fuzz_session_cleanup(void)
{
    if (fz.data_home == NULL)
        return;
    nftw(fz.data_home, fuzz_remove, 16, FTW_DEPTH | FTW_PHYS);
    g_rmdir(fz.data_home);
}

/* Once per process: a private data dir, quiet stdin, stdout in memory. */
static void
fuzz_session_once(void)
{
    char *tmpl;
    int fds[2];

    if (fz.data_home != NULL)
        return;
    setlocale(LC_ALL, "C.UTF-8");
    /* Memory, where there is some: the history store syncs each commit,
     * which on a disk would cost more than everything else together. */
    tmpl = g_build_filename(g_access("/dev/shm", W_OK) == 0 ? "/dev/shm"
                                                            : g_get_tmp_dir(),
                            "natter-fuzz-XXXXXX", NULL);
    FUZZ_CHECK(g_mkdtemp(tmpl) != NULL, "cannot make a temp dir");
    fz.data_home = tmpl;
    atexit(fuzz_session_cleanup);
    g_setenv("XDG_DATA_HOME", tmpl, TRUE);
    g_setenv("XDG_CONFIG_HOME", tmpl, TRUE);
    g_setenv("XDG_STATE_HOME", tmpl, TRUE);
    g_setenv("XDG_CACHE_HOME", tmpl, TRUE);
    g_setenv("HOME", tmpl, TRUE);
    /* The headless front end reads commands from stdin: give it a pipe
     * nobody writes to, so it never sees a line or an end of file. */
    FUZZ_CHECK(pipe(fds) == 0, "pipe failed");
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    /* fds[1] stays open on purpose. */
    fz.real_stdout = stdout;
    fz.out_file = open_memstream(&fz.out, &fz.out_len);
    FUZZ_CHECK(fz.out_file != NULL, "open_memstream failed");
    stdout = fz.out_file;
    fz.handlers = g_ptr_array_new_with_free_func(fuzz_handler_free);
    fz.sent = g_ptr_array_new_with_free_func(fuzz_stanza_free);
    fz.asked = g_ptr_array_new_with_free_func(g_free);
}

/* Write acct's archive position, so that logging in asks for a page. */
static void
fuzz_write_mam_position(void)
{
    char *dir = g_build_filename(fz.data_home, "natter", "mam", NULL);
    char *path = g_build_filename(dir, "me", NULL);

    g_mkdir_with_parents(dir, 0700);
    FUZZ_CHECK(g_file_set_contents(path, "archive-0", -1, NULL),
               "cannot write %s", path);
    g_free(path);
    g_free(dir);
}

/* Bring natter up as main() does and log the account in. */
static void
fuzz_session_start(void)
{
    char *cause = NULL;
    struct window *w;

    fuzz_session_once();
    fuzz_write_mam_position();
    window_init();
    history_init();
    lines_init();
    input_init();
    session_init();
    mam_init();
    chatstate_init();
    markers_init();
    muc_init();
    headless_init();
    event_subscribe(EV_MESSAGE, fuzz_on_message, NULL);

    fz.acct = account_new("me", FUZZ_ME);
    fz.acct->tls = TLS_FORCE;
    FUZZ_CHECK(session_connect(fz.acct, "secret", &cause), "connect: %s",
               cause != NULL ? cause : "?");
    FUZZ_CHECK(fz.conn_cb != NULL, "no connection handler");
    fz.connected = true;
    fz.conn_cb(fz.conn, XMPP_CONN_CONNECT, 0, NULL, fz.conn_data);
    fuzz_loop_settle();

    /* The model the input meets: a roster, contacts online, a window. */
    fuzz_session_fire_xml(
        "<iq type='result' id='@jabber:iq:roster' to='" FUZZ_ME
        "/" FUZZ_RESOURCE "'><query xmlns='jabber:iq:roster'>"
        "<item jid='alice@example.org' name='Alice' subscription='both'>"
        "<group>Friends</group></item>"
        "<item jid='bob@example.org' subscription='both'/>"
        "<item jid='carol@example.net' subscription='to' ask='subscribe'>"
        "<group>Work</group><group>Friends</group></item>"
        "</query></iq>");
    fuzz_session_fire_xml("<presence from='alice@example.org/phone'>"
                          "<show>away</show><status>out</status>"
                          "<priority>5</priority></presence>");
    fuzz_session_fire_xml("<presence from='bob@example.org/laptop'/>");
    /* ... a room joined (XEP-0045) with an archive and an occupant ... */
    FUZZ_CHECK(muc_join(fz.acct, FUZZ_ROOM, "me", NULL, &cause), "join: %s",
               cause != NULL ? cause : "?");
    fuzz_session_fire_xml(
        "<iq type='result' id='@http://jabber.org/protocol/disco#info' "
        "from='" FUZZ_ROOM "'><query xmlns='http://jabber.org/protocol/"
        "disco#info'><identity category='conference' type='text'/>"
        "<feature var='http://jabber.org/protocol/muc'/>"
        "<feature var='urn:xmpp:mam:2'/></query></iq>");
    fuzz_session_fire_xml(
        "<presence from='" FUZZ_ROOM "/dave'><x xmlns='http://jabber.org/"
        "protocol/muc#user'><item affiliation='member' role='participant' "
        "jid='dave@example.org/x'/></x></presence>");
    fuzz_session_fire_xml(
        "<presence from='" FUZZ_ROOM "/me'><x xmlns='http://jabber.org/"
        "protocol/muc#user'><item affiliation='owner' role='moderator'/>"
        "<status code='110'/></x></presence>");
    /* ... and a chat window in front. */
    w = window_get_chat(fz.acct, "bob@example.org");
    window_switch(w);
    fuzz_session_fire_xml("<message from='bob@example.org/laptop' "
                          "type='chat' id='hello-1'><body>hello</body>"
                          "<markable xmlns='urn:xmpp:chat-markers:0'/>"
                          "</message>");
    fuzz_check_output();
    g_ptr_array_set_size(fz.sent, 0);
    fz.messages = 0;
}

/*
 * Feed the input: the XML of one stanza, or of any element whose children
 * are the stanzas to feed in order (<batch><message/>...</batch>). Calls
 * check (may be NULL) after each stanza with the stanza and what natter
 * sent in response. Returns false if the input is no XML.
 */
static FUZZ_MAYBE_UNUSED bool
fuzz_session_feed(const uint8_t *data, size_t size,
                  void (*check)(xmpp_stanza_t *st, GPtrArray *sent))
{
    char *xml = fuzz_strndup(data, size);
    xmpp_stanza_t *root = xmpp_stanza_new_from_string(session_ctx(), xml);
    const char *name;
    bool batch;
    int n = 0;

    g_free(xml);
    if (root == NULL)
        return false;
    name = xmpp_stanza_get_name(root);
    batch = name != NULL && strcmp(name, "message") != 0 &&
            strcmp(name, "presence") != 0 && strcmp(name, "iq") != 0;
    for (xmpp_stanza_t *st = batch ? xmpp_stanza_get_children(root) : root;
         st != NULL && n < FUZZ_MAX_STANZAS;
         st = batch ? xmpp_stanza_get_next(st) : NULL) {
        if (!xmpp_stanza_is_tag(st))
            continue;
        n++;
        g_ptr_array_set_size(fz.sent, 0);
        fz.messages = 0;
        fuzz_session_fire(st);
        if (check != NULL)
            check(st, fz.sent);
        fuzz_check_output();
    }
    xmpp_stanza_release(root);
    return true;
}

/* Log out, tear natter down as main() does and empty the data dir. */
static void
fuzz_session_stop(void)
{
    if (fz.acct != NULL)
        session_disconnect(fz.acct);
    fuzz_loop_settle();
    fuzz_check_output();
    /* The copies belong to the context session_deinit() frees. */
    g_ptr_array_set_size(fz.sent, 0);
    history_deinit();
    headless_deinit();
    markers_deinit();
    muc_deinit();
    mam_deinit();
    chatstate_deinit();
    session_deinit();
    input_deinit();
    lines_deinit();
    window_deinit();
    account_deinit();
    settings_deinit();
    event_deinit();
    fuzz_loop_settle();
    g_ptr_array_set_size(fz.handlers, 0);
    g_ptr_array_set_size(fz.asked, 0);
    fz.conn = NULL;
    fz.conn_cb = NULL;
    fz.conn_data = NULL;
    fz.connected = false;
    fz.acct = NULL;
    nftw(fz.data_home, fuzz_remove, 16, FTW_DEPTH | FTW_PHYS);
}

/* Whether st is an element named name. */
static FUZZ_MAYBE_UNUSED bool
fuzz_named(xmpp_stanza_t *st, const char *name)
{
    const char *n = xmpp_stanza_is_tag(st) ? xmpp_stanza_get_name(st) : NULL;

    return n != NULL && strcmp(n, name) == 0;
}

#endif
