/* natter-peer: a scripted XMPP peer for natter's functional tests.
 *
 * Usage: natter-peer --jid JID --password PW [--host HOST] [--port N]
 *                    [--tls trust|disable] [--debug]
 *
 * Reads one command per line on stdin and prints one line per event on
 * stdout (flushed after every line).  See tests/functional/harness.py.
 *
 * Events:
 *   READY                                  connected, initial presence sent
 *   ERROR <reason>                         connection failed / lost (exit 1)
 *   MSG <from> <body>                      incoming message with a body
 *   MSGERROR <from> <condition>            incoming message of type error
 *   XML <from> <stanza>                    every incoming message as XML
 *   IQ <from> <stanza>                     every incoming iq as XML
 *   PRESENCE <from> <type> <show|-> [status]
 *   SENT                                   a command was sent
 *   BAD <text>                             a command could not be parsed
 *   BYE                                    clean disconnect after quit/EOF
 *
 * Commands:
 *   msg JID TEXT          chat message; TEXT uses the escapes below
 *   bigmsg JID N          chat message of N bytes ending with END-OF-BIG
 *   presence [SHOW [STATUS...]]
 *   befriend JID          send subscribed (pre-approval) and subscribe
 *   raw XML               send raw XML text (escapes decoded)
 *   quit                  unavailable presence, disconnect, exit 0
 *
 * Commands are read once the session is READY (earlier lines wait).
 * Any incoming presence of type subscribe is answered with subscribed.
 * A software version query (XEP-0092) is answered with natter-peer 1.0;
 * a last activity query (XEP-0012) with service-unavailable; other
 * iqs (entity time, ...) get no answer at all, to test timeouts.
 *
 * Escapes: output uses \\ \n \t \e (ESC) \a (BEL) and \xHH for other
 * bytes < 0x20 and 0x7f; input decodes the same plus \r.  Bytes >= 0x80
 * (UTF-8) pass through unchanged.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <strophe.h>

#define BIG_MARKER "END-OF-BIG"

enum peer_state { ST_CONNECTING, ST_READY, ST_QUITTING, ST_DONE };

struct peer {
    xmpp_ctx_t *ctx;
    xmpp_conn_t *conn;
    enum peer_state state;
    int exit_code;
    int stdin_open;
    char *inbuf;
    size_t inlen;
    size_t incap;
};

/* Last interesting libstrophe log message, used to explain failures. */
static char last_log[256];
static int debug_log;

static void
log_handler(void *userdata, xmpp_log_level_t level, const char *area,
            const char *msg)
{
    (void)userdata;
    if (debug_log)
        fprintf(stderr, "xmpp %d %s: %s\n", (int)level, area, msg);
    if (level >= XMPP_LEVEL_WARN || strstr(msg, "failed") ||
        strstr(msg, "error") || strstr(msg, "rror:")) {
        snprintf(last_log, sizeof(last_log), "%s: %s", area, msg);
    }
}

static void
emit(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
}

static void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p) {
        fputs("natter-peer: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

/* Escape arbitrary bytes into one printable line.  Caller frees. */
static char *
escape_text(const char *s)
{
    size_t len = s ? strlen(s) : 0;
    char *out = xmalloc(len * 4 + 1);
    char *o = out;
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        switch (c) {
        case '\\':
            *o++ = '\\';
            *o++ = '\\';
            break;
        case '\n':
            *o++ = '\\';
            *o++ = 'n';
            break;
        case '\t':
            *o++ = '\\';
            *o++ = 't';
            break;
        case 0x1b:
            *o++ = '\\';
            *o++ = 'e';
            break;
        case 0x07:
            *o++ = '\\';
            *o++ = 'a';
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                static const char hex[] = "0123456789abcdef";

                *o++ = '\\';
                *o++ = 'x';
                *o++ = hex[c >> 4];
                *o++ = hex[c & 0xf];
            } else {
                *o++ = (char)c;
            }
        }
    }
    *o = '\0';
    return out;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode escapes in place-independent fashion.  Caller frees.  A \x00 ends
 * the string (bodies are C strings); unknown escapes are kept literally. */
static char *
unescape_text(const char *s)
{
    size_t len = strlen(s);
    char *out = xmalloc(len + 1);
    char *o = out;
    size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] != '\\' || i + 1 >= len) {
            *o++ = s[i];
            continue;
        }
        i++;
        switch (s[i]) {
        case '\\':
            *o++ = '\\';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 't':
            *o++ = '\t';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 'e':
            *o++ = 0x1b;
            break;
        case 'a':
            *o++ = 0x07;
            break;
        case 'x':
            if (i + 2 < len && hexval(s[i + 1]) >= 0 &&
                hexval(s[i + 2]) >= 0) {
                *o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
                i += 2;
            } else {
                *o++ = '\\';
                *o++ = 'x';
            }
            break;
        default:
            *o++ = '\\';
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

static const char *
stream_error_name(xmpp_error_type_t t)
{
    static const char *const names[] = {
        "bad-format",
        "bad-namespace-prefix",
        "conflict",
        "connection-timeout",
        "host-gone",
        "host-unknown",
        "improper-addressing",
        "internal-server-error",
        "invalid-from",
        "invalid-id",
        "invalid-namespace",
        "invalid-xml",
        "not-authorized",
        "policy-violation",
        "remote-connection-failed",
        "resource-constraint",
        "restricted-xml",
        "see-other-host",
        "system-shutdown",
        "undefined-condition",
        "unsupported-encoding",
        "unsupported-stanza-type",
        "unsupported-version",
        "xml-not-well-formed",
    };

    if ((size_t)t < sizeof(names) / sizeof(names[0]))
        return names[t];
    return "unknown";
}

static const char *
or_dash(const char *s)
{
    return (s && *s) ? s : "-";
}

static void
send_presence_typed(struct peer *p, const char *to, const char *type)
{
    xmpp_stanza_t *pres = xmpp_presence_new(p->ctx);

    if (to)
        xmpp_stanza_set_to(pres, to);
    if (type)
        xmpp_stanza_set_type(pres, type);
    xmpp_send(p->conn, pres);
    xmpp_stanza_release(pres);
}

static void
add_text_child(xmpp_ctx_t *ctx, xmpp_stanza_t *parent, const char *name,
               const char *text)
{
    xmpp_stanza_t *child = xmpp_stanza_new(ctx);
    xmpp_stanza_t *t = xmpp_stanza_new(ctx);

    xmpp_stanza_set_name(child, name);
    xmpp_stanza_set_text(t, text);
    xmpp_stanza_add_child(child, t);
    xmpp_stanza_add_child(parent, child);
    xmpp_stanza_release(t);
    xmpp_stanza_release(child);
}

static int
message_handler(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *userdata)
{
    const char *from = xmpp_stanza_get_from(stanza);
    const char *type = xmpp_stanza_get_type(stanza);
    xmpp_stanza_t *body;
    char *text, *esc;

    (void)conn;
    (void)userdata;
    {
        /* Every message also as XML, so tests can check what else it
         * carries (receipts, chat states, corrections). */
        char *xml = NULL, *xesc;
        size_t xlen = 0;
        if (xmpp_stanza_to_text(stanza, &xml, &xlen) == XMPP_EOK) {
            xesc = escape_text(xml);
            emit("XML %s %s", or_dash(from), xesc);
            free(xesc);
            xmpp_free(xmpp_conn_get_context(conn), xml);
        }
    }
    if (type && strcmp(type, "error") == 0) {
        xmpp_stanza_t *err = xmpp_stanza_get_child_by_name(stanza, "error");
        xmpp_stanza_t *cond = err ? xmpp_stanza_get_children(err) : NULL;

        while (cond && !xmpp_stanza_is_tag(cond))
            cond = xmpp_stanza_get_next(cond);
        emit("MSGERROR %s %s", or_dash(from),
             cond ? or_dash(xmpp_stanza_get_name(cond)) : "-");
        return 1;
    }
    body = xmpp_stanza_get_child_by_name(stanza, "body");
    if (!body)
        return 1;
    text = xmpp_stanza_get_text(body);
    esc = escape_text(text ? text : "");
    emit("MSG %s %s", or_dash(from), esc);
    free(esc);
    if (text)
        xmpp_free(xmpp_conn_get_context(conn), text);
    return 1;
}

static int
presence_handler(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *userdata)
{
    struct peer *p = userdata;
    const char *from = xmpp_stanza_get_from(stanza);
    const char *type = xmpp_stanza_get_type(stanza);
    xmpp_stanza_t *show_el = xmpp_stanza_get_child_by_name(stanza, "show");
    xmpp_stanza_t *status_el = xmpp_stanza_get_child_by_name(stanza, "status");
    char *show = show_el ? xmpp_stanza_get_text(show_el) : NULL;
    char *status = status_el ? xmpp_stanza_get_text(status_el) : NULL;
    char *show_esc = escape_text(show ? show : "");
    char *status_esc = escape_text(status ? status : "");

    (void)conn;
    if (!type || !*type)
        type = "available";
    if (*status_esc)
        emit("PRESENCE %s %s %s %s", or_dash(from), type, or_dash(show_esc),
             status_esc);
    else
        emit("PRESENCE %s %s %s", or_dash(from), type, or_dash(show_esc));
    free(show_esc);
    free(status_esc);
    if (show)
        xmpp_free(p->ctx, show);
    if (status)
        xmpp_free(p->ctx, status);

    /* Always accept subscription requests. */
    if (from && strcmp(type, "subscribe") == 0)
        send_presence_typed(p, from, "subscribed");
    return 1;
}

/* Print every iq; answer version queries, refuse last activity. */
static int
iq_handler(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *userdata)
{
    struct peer *p = userdata;
    const char *from = xmpp_stanza_get_from(stanza);
    const char *type = xmpp_stanza_get_type(stanza);
    const char *id = xmpp_stanza_get_id(stanza);
    char *xml = NULL, *xesc;
    size_t xlen = 0;
    xmpp_stanza_t *reply = NULL;

    if (xmpp_stanza_to_text(stanza, &xml, &xlen) == XMPP_EOK) {
        xesc = escape_text(xml);
        emit("IQ %s %s", or_dash(from), xesc);
        free(xesc);
        xmpp_free(p->ctx, xml);
    }
    if (!type || strcmp(type, "get") != 0 || !from || !id)
        return 1;
    if (xmpp_stanza_get_child_by_name_and_ns(stanza, "query",
                                             "jabber:iq:version")) {
        xmpp_stanza_t *q = xmpp_stanza_new(p->ctx);

        reply = xmpp_iq_new(p->ctx, "result", id);
        xmpp_stanza_set_name(q, "query");
        xmpp_stanza_set_ns(q, "jabber:iq:version");
        add_text_child(p->ctx, q, "name", "natter-peer");
        add_text_child(p->ctx, q, "version", "1.0");
        xmpp_stanza_add_child(reply, q);
        xmpp_stanza_release(q);
    } else if (xmpp_stanza_get_child_by_name_and_ns(stanza, "query",
                                                    "jabber:iq:last")) {
        reply = xmpp_stanza_new_from_string(
            p->ctx, "<iq type='error'><error type='cancel'>"
                    "<service-unavailable xmlns='urn:ietf:params:xml:ns:"
                    "xmpp-stanzas'/></error></iq>");
        xmpp_stanza_set_id(reply, id);
    }
    if (reply) {
        xmpp_stanza_set_to(reply, from);
        xmpp_send(conn, reply);
        xmpp_stanza_release(reply);
    }
    return 1;
}

static void
conn_handler(xmpp_conn_t *conn, xmpp_conn_event_t event, int error,
             xmpp_stream_error_t *stream_error, void *userdata)
{
    struct peer *p = userdata;

    if (event == XMPP_CONN_CONNECT) {
        xmpp_handler_add(conn, message_handler, NULL, "message", NULL, p);
        xmpp_handler_add(conn, presence_handler, NULL, "presence", NULL, p);
        xmpp_handler_add(conn, iq_handler, NULL, "iq", NULL, p);
        send_presence_typed(p, NULL, NULL);
        p->state = ST_READY;
        emit("READY");
        return;
    }
    if (event == XMPP_CONN_RAW_CONNECT)
        return;

    /* XMPP_CONN_DISCONNECT or XMPP_CONN_FAIL */
    if (p->state == ST_QUITTING) {
        emit("BYE");
        p->exit_code = 0;
    } else {
        char reason[512];

        if (stream_error) {
            snprintf(reason, sizeof(reason), "stream error %s%s%s",
                     stream_error_name(stream_error->type),
                     stream_error->text ? ": " : "",
                     stream_error->text ? stream_error->text : "");
        } else if (error) {
            snprintf(reason, sizeof(reason), "%s (errno %d)", strerror(error),
                     error);
        } else if (p->state == ST_CONNECTING) {
            snprintf(reason, sizeof(reason), "%s before ready (%s)",
                     event == XMPP_CONN_FAIL ? "connection failed"
                                             : "connection closed",
                     last_log[0] ? last_log : "authentication failed?");
        } else {
            snprintf(reason, sizeof(reason), "disconnected by server (%s)",
                     last_log[0] ? last_log : "no reason given");
        }
        emit("ERROR %s", reason);
        p->exit_code = 1;
    }
    p->state = ST_DONE;
}

static void
send_chat(struct peer *p, const char *to, const char *body)
{
    char *id = xmpp_uuid_gen(p->ctx);
    xmpp_stanza_t *msg = xmpp_message_new(p->ctx, "chat", to, id);

    xmpp_message_set_body(msg, body);
    xmpp_send(p->conn, msg);
    xmpp_stanza_release(msg);
    if (id)
        xmpp_free(p->ctx, id);
}

static char *
next_word(char **cursor)
{
    char *s = *cursor;
    char *w;

    while (*s == ' ')
        s++;
    if (!*s) {
        *cursor = s;
        return NULL;
    }
    w = s;
    while (*s && *s != ' ')
        s++;
    if (*s)
        *s++ = '\0';
    *cursor = s;
    return w;
}

static void
start_quit(struct peer *p)
{
    if (p->state == ST_READY) {
        send_presence_typed(p, NULL, "unavailable");
        p->state = ST_QUITTING;
        xmpp_disconnect(p->conn);
    } else if (p->state == ST_CONNECTING) {
        p->state = ST_QUITTING;
        xmpp_disconnect(p->conn);
    }
}

static void
do_command(struct peer *p, char *line)
{
    char *cursor = line;
    char *cmd = next_word(&cursor);
    char *arg;

    if (!cmd)
        return;
    if (strcmp(cmd, "quit") == 0) {
        start_quit(p);
        return;
    }
    if (p->state != ST_READY) {
        emit("BAD not connected: %s", cmd);
        return;
    }
    if (strcmp(cmd, "msg") == 0) {
        char *to = next_word(&cursor);
        char *body;

        if (!to) {
            emit("BAD usage: msg JID TEXT");
            return;
        }
        body = unescape_text(cursor);
        send_chat(p, to, body);
        free(body);
        emit("SENT");
    } else if (strcmp(cmd, "bigmsg") == 0) {
        static const char filler[] =
            "The quick brown fox jumps over the lazy dog. ";
        char *to = next_word(&cursor);
        char *nstr = next_word(&cursor);
        char *end = NULL;
        long n = nstr ? strtol(nstr, &end, 10) : -1;
        size_t mlen = strlen(BIG_MARKER), flen = strlen(filler);
        size_t i, total;
        char *body;

        if (!to || !nstr || *end || n < 0 || n > 100L * 1024 * 1024) {
            emit("BAD usage: bigmsg JID N");
            return;
        }
        total = (size_t)n < mlen ? mlen : (size_t)n;
        body = xmalloc(total + 1);
        for (i = 0; i < total - mlen; i++)
            body[i] = filler[i % flen];
        memcpy(body + total - mlen, BIG_MARKER, mlen);
        body[total] = '\0';
        send_chat(p, to, body);
        free(body);
        emit("SENT");
    } else if (strcmp(cmd, "presence") == 0) {
        char *show = next_word(&cursor);
        xmpp_stanza_t *pres = xmpp_presence_new(p->ctx);

        if (show && strcmp(show, "online") != 0) {
            if (strcmp(show, "away") && strcmp(show, "xa") &&
                strcmp(show, "dnd") && strcmp(show, "chat")) {
                emit("BAD unknown show: %s", show);
                xmpp_stanza_release(pres);
                return;
            }
            add_text_child(p->ctx, pres, "show", show);
        }
        while (*cursor == ' ')
            cursor++;
        if (*cursor) {
            char *status = unescape_text(cursor);

            add_text_child(p->ctx, pres, "status", status);
            free(status);
        }
        xmpp_send(p->conn, pres);
        xmpp_stanza_release(pres);
        emit("SENT");
    } else if (strcmp(cmd, "befriend") == 0) {
        char *to = next_word(&cursor);

        if (!to) {
            emit("BAD usage: befriend JID");
            return;
        }
        send_presence_typed(p, to, "subscribed");
        send_presence_typed(p, to, "subscribe");
        emit("SENT");
    } else if (strcmp(cmd, "raw") == 0) {
        while (*cursor == ' ')
            cursor++;
        arg = unescape_text(cursor);
        xmpp_send_raw(p->conn, arg, strlen(arg));
        free(arg);
        emit("SENT");
    } else {
        emit("BAD unknown command: %s", cmd);
    }
}

/* Read what is available on stdin and run every complete line. */
static void
read_stdin(struct peer *p)
{
    char chunk[4096];
    ssize_t n = read(STDIN_FILENO, chunk, sizeof(chunk));
    size_t start, i;

    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return;
        n = 0;
    }
    if (n == 0) {
        p->stdin_open = 0;
        if (p->inlen > 0) {
            /* last line without a newline */
            char *line = xmalloc(p->inlen + 1);

            memcpy(line, p->inbuf, p->inlen);
            line[p->inlen] = '\0';
            p->inlen = 0;
            do_command(p, line);
            free(line);
        }
        start_quit(p);
        return;
    }
    if (p->inlen + (size_t)n > p->incap) {
        size_t cap = p->incap ? p->incap : 4096;
        char *nb;

        while (cap < p->inlen + (size_t)n)
            cap *= 2;
        nb = realloc(p->inbuf, cap);
        if (!nb) {
            fputs("natter-peer: out of memory\n", stderr);
            exit(2);
        }
        p->inbuf = nb;
        p->incap = cap;
    }
    memcpy(p->inbuf + p->inlen, chunk, (size_t)n);
    p->inlen += (size_t)n;

    start = 0;
    for (i = 0; i < p->inlen; i++) {
        if (p->inbuf[i] == '\n') {
            char *line = xmalloc(i - start + 1);

            memcpy(line, p->inbuf + start, i - start);
            line[i - start] = '\0';
            if (i > start && line[i - start - 1] == '\r')
                line[i - start - 1] = '\0';
            do_command(p, line);
            free(line);
            start = i + 1;
            if (p->state == ST_DONE)
                break;
        }
    }
    memmove(p->inbuf, p->inbuf + start, p->inlen - start);
    p->inlen -= start;
}

static double
now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
usage(FILE *f)
{
    fputs("usage: natter-peer --jid JID --password PW [--host HOST] "
          "[--port N] [--tls trust|disable] [--debug]\n",
          f);
}

int
main(int argc, char **argv)
{
    const char *jid = NULL, *password = NULL, *host = NULL, *tls = "trust";
    long port = 0;
    int debug = 0;
    long flags = 0;
    struct peer p;
    xmpp_log_t log = {log_handler, NULL};
    double quit_deadline = 0;
    int i;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--debug") == 0) {
            debug = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (!v) {
            usage(stderr);
            return 2;
        }
        if (strcmp(a, "--jid") == 0)
            jid = v;
        else if (strcmp(a, "--password") == 0)
            password = v;
        else if (strcmp(a, "--host") == 0)
            host = v;
        else if (strcmp(a, "--port") == 0)
            port = strtol(v, NULL, 10);
        else if (strcmp(a, "--tls") == 0)
            tls = v;
        else {
            usage(stderr);
            return 2;
        }
        i++;
    }
    if (!jid || !password || port < 0 || port > 65535) {
        usage(stderr);
        return 2;
    }
    if (strcmp(tls, "trust") == 0) {
        flags = XMPP_CONN_FLAG_TRUST_TLS | XMPP_CONN_FLAG_MANDATORY_TLS;
    } else if (strcmp(tls, "disable") == 0) {
        flags = XMPP_CONN_FLAG_DISABLE_TLS;
    } else {
        usage(stderr);
        return 2;
    }

    signal(SIGPIPE, SIG_IGN);
    memset(&p, 0, sizeof(p));
    p.state = ST_CONNECTING;
    p.exit_code = 1;
    p.stdin_open = 1;

    xmpp_initialize();
    debug_log = debug;
    p.ctx = xmpp_ctx_new(NULL, &log);
    p.conn = xmpp_conn_new(p.ctx);
    xmpp_conn_set_jid(p.conn, jid);
    xmpp_conn_set_pass(p.conn, password);
    xmpp_conn_set_flags(p.conn, flags);
    if (xmpp_connect_client(p.conn, host, (unsigned short)port, conn_handler,
                            &p) != XMPP_EOK) {
        emit("ERROR cannot start connection to %s", host ? host : jid);
        p.exit_code = 1;
        p.state = ST_DONE;
    }

    while (p.state != ST_DONE) {
        /* Commands wait until the session is ready (or has failed). */
        if (p.stdin_open && p.state != ST_CONNECTING) {
            struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
            int r = poll(&pfd, 1, 5);

            if (r > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR)))
                read_stdin(&p);
        }
        if (p.state == ST_DONE)
            break;
        xmpp_run_once(p.ctx, p.stdin_open ? 5 : 20);
        if (p.state == ST_QUITTING) {
            if (quit_deadline == 0)
                quit_deadline = now_seconds() + 5.0;
            else if (now_seconds() > quit_deadline) {
                emit("BYE timeout");
                p.exit_code = 0;
                break;
            }
        }
    }

    free(p.inbuf);
    xmpp_conn_release(p.conn);
    xmpp_ctx_free(p.ctx);
    xmpp_shutdown();
    return p.exit_code;
}
