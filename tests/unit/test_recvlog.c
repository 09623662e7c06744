/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for xmpp/recvlog.c with the real libstrophe: a connection
 * to a scripted server on a loopback socket in this process, so the
 * stanzas take libstrophe's own path from the parser to the handlers.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xmpp/recvlog.h"

#define STREAM_HEAD                                                           \
    "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "              \
    "xmlns:stream='http://etherx.jabber.org/streams' from='localhost' "       \
    "id='s1' version='1.0'>"

/* The scripted server and what the client saw. */
struct world {
    int listener, peer; /* server side sockets, -1 if none */
    GString *from_client;
    xmpp_ctx_t *ctx;
    xmpp_conn_t *conn;
    xmpp_log_t log;
    int recv_lines;  /* "RECV: <message" lines libstrophe logged */
    int handled;     /* messages the handler got */
    GString *bodies; /* their bodies, ';'-separated */
    bool opened;     /* the client opened its stream */
    bool needed;     /* what recv_needed answers */
};

static struct world *W;

/* The needed predicate handed to recvlog. */
static bool
recv_needed(void)
{
    return W->needed;
}

/* libstrophe's log: count the received-message lines. */
static void
log_line(void *data, xmpp_log_level_t level, const char *area, const char *msg)
{
    struct world *w = data;

    if (g_str_has_prefix(msg, "RECV: <message"))
        w->recv_lines++;
}

/* The client's handler of every stanza, as natter's tap is. */
static int
on_stanza(xmpp_conn_t *conn, xmpp_stanza_t *st, void *data)
{
    struct world *w = data;
    xmpp_stanza_t *body = xmpp_stanza_get_child_by_name(st, "body");
    char *text;

    recvlog_received(st);
    if (strcmp(xmpp_stanza_get_name(st), "message") != 0 || body == NULL)
        return 1;
    text = xmpp_stanza_get_text(body);
    w->handled++;
    g_string_append_printf(w->bodies, "%s;", text);
    xmpp_free(w->ctx, text);
    return 1;
}

/* Connection events: open the stream once TCP is up. */
static void
on_conn(xmpp_conn_t *conn, xmpp_conn_event_t status, int error,
        xmpp_stream_error_t *se, void *data)
{
    struct world *w = data;

    if (status == XMPP_CONN_RAW_CONNECT) {
        assert_int_equal(xmpp_conn_open_stream_default(conn), XMPP_EOK);
        w->opened = true;
    }
}

/* Run libstrophe and the server side until done() or 5 s pass. */
static void
pump_until(bool (*done)(struct world *))
{
    gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    char buf[4096];

    for (int turns = 0; turns < 5000 && !done(W); turns++) {
        assert_true(g_get_monotonic_time() < end);
        xmpp_run_once(W->ctx, 1);
        if (W->peer < 0) {
            W->peer = accept(W->listener, NULL, NULL);
            if (W->peer >= 0)
                fcntl(W->peer, F_SETFL, O_NONBLOCK);
            continue;
        }
        ssize_t n = read(W->peer, buf, sizeof buf);
        if (n > 0)
            g_string_append_len(W->from_client, buf, n);
    }
    assert_true(done(W));
}

/* Whether the server has the client's stream header. */
static bool
client_opened(struct world *w)
{
    return w->opened && strstr(w->from_client->str, "<stream:stream") != NULL;
}

static int want_handled;

/* Whether the handler has seen want_handled messages. */
static bool
enough_handled(struct world *w)
{
    return w->handled >= want_handled;
}

/* Server: write text to the client. */
static void
server_write(const char *text)
{
    size_t len = strlen(text);

    assert_int_equal(write(W->peer, text, len), (ssize_t)len);
}

/* Server: send messages numbered from first to last, then wait until
 * the client handled them. */
static void
send_messages(int first, int last)
{
    for (int i = first; i <= last; i++) {
        char *xml = g_strdup_printf("<message from='bob@localhost/r' "
                                    "to='me@localhost' id='m%d' "
                                    "type='chat'><body>b%d</body></message>",
                                    i, i);
        server_write(xml);
        g_free(xml);
    }
    want_handled = last;
    pump_until(enough_handled);
}

/* A connected client and server. */
static int
setup(void **state)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t sl = sizeof sa;

    W = g_new0(struct world, 1);
    W->from_client = g_string_new(NULL);
    W->bodies = g_string_new(NULL);
    W->peer = -1;
    W->listener = socket(AF_INET, SOCK_STREAM, 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(W->listener, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(W->listener, 1), 0);
    assert_int_equal(getsockname(W->listener, (struct sockaddr *)&sa, &sl), 0);
    fcntl(W->listener, F_SETFL, O_NONBLOCK);

    W->log.handler = log_line;
    W->log.userdata = W;
    W->ctx = xmpp_ctx_new(NULL, &W->log);
    W->conn = xmpp_conn_new(W->ctx);
    xmpp_conn_set_jid(W->conn, "me@localhost");
    xmpp_conn_set_flags(W->conn, XMPP_CONN_FLAG_DISABLE_TLS);
    xmpp_handler_add(W->conn, on_stanza, NULL, NULL, NULL, W);
    assert_int_equal(
        xmpp_connect_raw(W->conn, "127.0.0.1", ntohs(sa.sin_port), on_conn, W),
        XMPP_EOK);
    pump_until(client_opened);
    server_write(STREAM_HEAD);
    recvlog_set_needed(recv_needed);
    *state = W;
    return 0;
}

/* Close both ends and free the world. */
static int
teardown(void **state)
{
    recvlog_set_needed(NULL);
    xmpp_conn_release(W->conn);
    xmpp_ctx_free(W->ctx);
    if (W->peer >= 0)
        close(W->peer);
    close(W->listener);
    g_string_free(W->from_client, TRUE);
    g_string_free(W->bodies, TRUE);
    g_free(W);
    W = NULL;
    return 0;
}

/* Nobody reads the log: after the first message (which shows where the
 * log line's call is) no received message is serialised, every one still
 * reaches the handler, and sending and natter's own serialising work. */
static void
test_skipped_while_not_needed(void **state)
{
    unsigned long before = recvlog_skipped();
    xmpp_stanza_t *st;
    char *text;
    size_t len;

    W->needed = false;
    send_messages(1, 1);
    assert_true(recvlog_calibrated());
    send_messages(2, 4);
    assert_string_equal(W->bodies->str, "b1;b2;b3;b4;");
    assert_int_equal(recvlog_skipped() - before, 3);
    assert_true(W->recv_lines <= 1);

    st = xmpp_message_new(W->ctx, "chat", "bob@localhost", "out1");
    xmpp_message_set_body(st, "from me");
    assert_int_equal(xmpp_stanza_to_text(st, &text, &len), XMPP_EOK);
    assert_contains(text, "from me");
    xmpp_free(W->ctx, text);
    xmpp_send(W->conn, st);
    xmpp_stanza_release(st);
    for (int i = 0; i < 100 && strstr(W->from_client->str, "from me") == NULL;
         i++) {
        char buf[4096];
        ssize_t n;
        xmpp_run_once(W->ctx, 1);
        n = read(W->peer, buf, sizeof buf);
        if (n > 0)
            g_string_append_len(W->from_client, buf, n);
        else
            g_usleep(1000);
    }
    assert_contains(W->from_client->str, "<body>from me</body>");
}

/* A debug log that reads the lines gets every one of them. */
static void
test_logged_while_needed(void **state)
{
    unsigned long before;
    int lines;

    W->needed = false;
    send_messages(1, 2);
    assert_true(recvlog_calibrated());
    before = recvlog_skipped();
    lines = W->recv_lines;
    W->needed = true;
    send_messages(3, 5);
    assert_int_equal(recvlog_skipped(), before);
    assert_int_equal(W->recv_lines - lines, 3);
    assert_string_equal(W->bodies->str, "b1;b2;b3;b4;b5;");
}

/* Run the tests. */
int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_skipped_while_not_needed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_logged_while_needed, setup,
                                        teardown),
    };

    xmpp_initialize();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmpp_shutdown();
    return rc;
}
