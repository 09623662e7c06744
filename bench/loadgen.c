/* bench/loadgen: an event-driven libstrophe client for natter's benchmarks.
 *
 * Usage: loadgen --jid JID --password PW --host HOST --port N
 *
 * Unlike tests/peer/natter-peer (which polls stdin and the socket in 5 ms
 * slices), this one sleeps in poll() on stdin and the XMPP socket together
 * and reacts at once, so it adds next to nothing to a latency probe and
 * wakes only when something arrives.  It is both the load generator and
 * the "floor" (a bare libstrophe bot) of bench/run.
 *
 * stdout, one line per event, flushed: READY | MSG <from> <body> |
 * PRESENCE <from> <type> | SENT | RECEIPT <id> <microseconds> |
 * ERROR <reason> | BYE
 * stdin, one command per line: "msg JID TEXT" (TEXT sent as is) |
 * "chat JID ID TEXT" (a chat message with id ID and a XEP-0359
 * origin-id ID, body TEXT) |
 * "probe JID ID" (a chat message with id ID asking for a XEP-0184
 * receipt; RECEIPT ID US is printed when it comes back, US measured here
 * from just before the send) | "quit"
 * Like any receipt-sending client, it answers every receipt request it
 * gets at once, so as the floor it is the same probe's bare-bot answer.
 * The server certificate is trusted (private loopback test server only).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <strophe.h>

static int sockfd = -1;
static int ready;
static int done;
static char *jid_self;

#define NS_RECEIPTS "urn:xmpp:receipts"
#define PROBES_MAX 64

/* Probes sent and not yet answered: id and send time (ns). */
static struct {
    char id[64];
    long long t0;
} probes[PROBES_MAX];

/* CLOCK_MONOTONIC in nanoseconds. */
static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A receipt for one of our probes: print its round trip. */
static void receipt_in(const char *id)
{
    long long t = now_ns();
    for (int i = 0; i < PROBES_MAX; i++)
        if (probes[i].id[0] && strcmp(probes[i].id, id) == 0) {
            printf("RECEIPT %s %lld\n", id, (t - probes[i].t0) / 1000);
            fflush(stdout);
            probes[i].id[0] = '\0';
            return;
        }
}

static int sockopt_cb(xmpp_conn_t *conn, void *sock)
{
    (void)conn;
    sockfd = *(int *)sock;
    return 0;
}

static int on_message(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
    (void)conn;
    (void)ud;
    xmpp_ctx_t *ctx = ud;
    xmpp_stanza_t *rcv =
        xmpp_stanza_get_child_by_name_and_ns(st, "received", NS_RECEIPTS);
    if (rcv && xmpp_stanza_get_attribute(rcv, "id"))
        receipt_in(xmpp_stanza_get_attribute(rcv, "id"));
    const char *mid = xmpp_stanza_get_id(st);
    const char *mfrom = xmpp_stanza_get_from(st);
    if (mid && mfrom &&
        xmpp_stanza_get_child_by_name_and_ns(st, "request", NS_RECEIPTS)) {
        /* answer first: the bot's part of the probe is this reply */
        xmpp_stanza_t *r = xmpp_message_new(ctx, NULL, mfrom, NULL);
        xmpp_stanza_t *c = xmpp_stanza_new(ctx);
        xmpp_stanza_set_name(c, "received");
        xmpp_stanza_set_ns(c, NS_RECEIPTS);
        xmpp_stanza_set_attribute(c, "id", mid);
        xmpp_stanza_add_child(r, c);
        xmpp_stanza_release(c);
        xmpp_send(conn, r);
        xmpp_stanza_release(r);
        xmpp_run_once(ctx, 0);
    }
    char *body = xmpp_message_get_body(st);
    if (body) {
        const char *from = xmpp_stanza_get_from(st);
        for (char *c = body; *c; c++)
            if (*c == '\n' || *c == '\r')
                *c = ' ';
        printf("MSG %s %s\n", from ? from : "-", body);
        fflush(stdout);
        xmpp_free(ctx, body);
    }
    return 1;
}

static int on_presence(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
    (void)conn;
    (void)ud;
    const char *from = xmpp_stanza_get_from(st);
    const char *type = xmpp_stanza_get_type(st);
    printf("PRESENCE %s %s\n", from ? from : "-", type ? type : "available");
    fflush(stdout);
    return 1;
}

static void on_conn(xmpp_conn_t *conn, xmpp_conn_event_t ev, int err,
                    xmpp_stream_error_t *se, void *ud)
{
    (void)se;
    xmpp_ctx_t *ctx = ud;
    if (ev == XMPP_CONN_CONNECT) {
        xmpp_handler_add(conn, on_message, NULL, "message", NULL, ctx);
        xmpp_handler_add(conn, on_presence, NULL, "presence", NULL, ctx);
        xmpp_stanza_t *pres = xmpp_presence_new(ctx);
        xmpp_send(conn, pres);
        xmpp_stanza_release(pres);
        ready = 1;
        printf("READY\n");
        fflush(stdout);
    } else {
        if (!done) {
            printf("ERROR disconnected (%d)\n", err);
            fflush(stdout);
        }
        done = 1;
    }
}

static void pump(xmpp_ctx_t *ctx)
{
    /* xmpp_run_once reads a few KiB per call; TLS records may be left
     * decrypted inside OpenSSL, so call it several times per wake-up. */
    for (int i = 0; i < 8; i++)
        xmpp_run_once(ctx, 0);
}

static void command(xmpp_ctx_t *ctx, xmpp_conn_t *conn, char *line)
{
    if (strncmp(line, "msg ", 4) == 0) {
        char *to = line + 4;
        char *text = strchr(to, ' ');
        if (!text)
            return;
        *text++ = '\0';
        xmpp_stanza_t *m = xmpp_message_new(ctx, "chat", to, NULL);
        xmpp_message_set_body(m, text);
        xmpp_send(conn, m);
        xmpp_stanza_release(m);
        xmpp_run_once(ctx, 0);
        fputs("SENT\n", stdout);
    } else if (strncmp(line, "chat ", 5) == 0) {
        /* what a real client sends: an id and an origin-id (XEP-0359) */
        char *to = line + 5;
        char *id = strchr(to, ' ');
        if (!id)
            return;
        *id++ = '\0';
        char *text = strchr(id, ' ');
        if (!text)
            return;
        *text++ = '\0';
        xmpp_stanza_t *m = xmpp_message_new(ctx, "chat", to, id);
        xmpp_message_set_body(m, text);
        xmpp_stanza_t *o = xmpp_stanza_new(ctx);
        xmpp_stanza_set_name(o, "origin-id");
        xmpp_stanza_set_ns(o, "urn:xmpp:sid:0");
        xmpp_stanza_set_attribute(o, "id", id);
        xmpp_stanza_add_child(m, o);
        xmpp_stanza_release(o);
        xmpp_send(conn, m);
        xmpp_stanza_release(m);
        xmpp_run_once(ctx, 0);
        fputs("SENT\n", stdout);
    } else if (strncmp(line, "probe ", 6) == 0) {
        char *to = line + 6;
        char *id = strchr(to, ' ');
        if (!id)
            return;
        *id++ = '\0';
        int slot = 0;
        for (int i = 0; i < PROBES_MAX; i++)
            if (!probes[i].id[0]) {
                slot = i;
                break;
            }
        snprintf(probes[slot].id, sizeof(probes[slot].id), "%s", id);
        xmpp_stanza_t *m = xmpp_message_new(ctx, "chat", to, id);
        xmpp_message_set_body(m, "latency probe");
        xmpp_stanza_t *c = xmpp_stanza_new(ctx);
        xmpp_stanza_set_name(c, "request");
        xmpp_stanza_set_ns(c, NS_RECEIPTS);
        xmpp_stanza_add_child(m, c);
        xmpp_stanza_release(c);
        probes[slot].t0 = now_ns();
        xmpp_send(conn, m);
        xmpp_stanza_release(m);
        xmpp_run_once(ctx, 0);
        fputs("SENT\n", stdout);
    } else if (strcmp(line, "quit") == 0) {
        done = 1;
        xmpp_disconnect(conn);
    }
}

int main(int argc, char **argv)
{
    const char *jid = NULL, *pw = NULL, *host = "127.0.0.1";
    unsigned short port = 5222;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--jid"))
            jid = argv[i + 1];
        else if (!strcmp(argv[i], "--password"))
            pw = argv[i + 1];
        else if (!strcmp(argv[i], "--host"))
            host = argv[i + 1];
        else if (!strcmp(argv[i], "--port"))
            port = (unsigned short)atoi(argv[i + 1]);
    }
    if (!jid || !pw) {
        fprintf(stderr, "usage: loadgen --jid JID --password PW "
                        "[--host H] [--port N]\n");
        return 2;
    }
    jid_self = (char *)jid;
    xmpp_initialize();
    xmpp_ctx_t *ctx = xmpp_ctx_new(NULL, NULL);
    xmpp_conn_t *conn = xmpp_conn_new(ctx);
    xmpp_conn_set_jid(conn, jid);
    xmpp_conn_set_pass(conn, pw);
    xmpp_conn_set_flags(conn, XMPP_CONN_FLAG_TRUST_TLS);
    xmpp_conn_set_sockopt_callback(conn, sockopt_cb);
    if (xmpp_connect_client(conn, host, port, on_conn, ctx) != XMPP_EOK) {
        printf("ERROR connect\n");
        return 1;
    }
    static char buf[1 << 16];
    size_t len = 0;
    int stdin_open = 1;
    while (!done) {
        struct pollfd pfd[2];
        int n = 0;
        if (stdin_open && ready) {
            pfd[n].fd = 0;
            pfd[n].events = POLLIN;
            n++;
        }
        int si = -1;
        if (sockfd >= 0 && ready) {
            si = n;
            pfd[n].fd = sockfd;
            pfd[n].events = POLLIN;
            if (xmpp_conn_send_queue_len(conn) > 0)
                pfd[n].events |= POLLOUT;
            n++;
        }
        if (!ready) {
            /* connecting: let libstrophe drive its own handshake */
            xmpp_run_once(ctx, 50);
            continue;
        }
        int r = poll(pfd, (nfds_t)n, 60000);
        if (r < 0 && errno != EINTR)
            break;
        if (si >= 0 && pfd[si].revents)
            pump(ctx);
        if (stdin_open && pfd[0].revents) {
            ssize_t got = read(0, buf + len, sizeof(buf) - 1 - len);
            if (got <= 0) {
                stdin_open = 0;
                done = 1;
                xmpp_disconnect(conn);
            } else {
                len += (size_t)got;
                char *start = buf, *nl;
                while ((nl = memchr(start, '\n', len - (size_t)(start - buf)))) {
                    *nl = '\0';
                    command(ctx, conn, start);
                    start = nl + 1;
                }
                len -= (size_t)(start - buf);
                memmove(buf, start, len);
                fflush(stdout);
                if (len == sizeof(buf) - 1)
                    len = 0;
            }
        }
        if (r == 0)
            xmpp_run_once(ctx, 0);
    }
    for (int i = 0; i < 100 && xmpp_conn_is_connected(conn); i++)
        xmpp_run_once(ctx, 10);
    printf("BYE\n");
    fflush(stdout);
    xmpp_conn_release(conn);
    xmpp_ctx_free(ctx);
    xmpp_shutdown();
    return 0;
}
