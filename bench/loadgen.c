/* bench/loadgen: an event-driven libstrophe client for natter's benchmarks.
 *
 * Usage: loadgen --jid JID --password PW --host HOST --port N [--otr DIR]
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
 * from just before the send) | "otr FULLJID ID TEXT" (with --otr only:
 * TEXT encrypted by libotr in the private conversation with FULLJID, sent
 * as a client sends it: id and origin-id ID, XEP-0380 marker, XEP-0334
 * hints, carbons <private/>; never sent when the conversation is not
 * private: ERROR not-private FULLJID instead of SENT) | "otrversions 23"
 * or "otrversions 2" (the OTR versions allowed from now on; OTR VERSIONS
 * is printed) | "quit"
 *
 * --otr DIR (in a build with -DLOADGEN_OTR, linked with libotr; bench/run
 * builds both) makes it a real OTR peer (libotr 4, versions 2 and 3
 * allowed, the policy of a "manual" client: it answers a query or a
 * whitespace tag and starts nothing itself).  Its private key and
 * instance tag live in DIR (made at start-up when missing, which takes a
 * few seconds).  Every incoming body goes through libotr; extra lines:
 * OTR SECURE <fulljid> <protocol version> | OTR INSECURE <fulljid> |
 * OTR EVENT <number> <fulljid> (libotr's OtrlMessageEvent) |
 * MSG <from> <body> carries the decrypted text of a data message.
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

#ifdef LOADGEN_OTR
#include <libotr/proto.h>
#include <libotr/instag.h>
#include <libotr/message.h>
#include <libotr/privkey.h>
#endif

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

/* --- OTR (--otr DIR; built with -DLOADGEN_OTR and libotr) --------------- */

#ifdef LOADGEN_OTR
#define OTR_PROTOCOL "xmpp"

/* The OTR side (--otr): user state, our account name (bare JID), the
 * files of DIR, the connection libotr's injected messages go out on, and
 * the clean-up interval libotr asked for (0: none). */
static OtrlUserState otr_us;
static OtrlMessageAppOps otr_ops;
static char otr_account[512];
static char *otr_keyfile;
static char *otr_instagfile;
static xmpp_conn_t *otr_conn;
static unsigned int otr_interval;
static long long otr_next_poll;
static OtrlPolicy otr_versions = OTRL_POLICY_ALLOW_V2 | OTRL_POLICY_ALLOW_V3;

/* The policy of a manual client that allows versions 2 and 3 (or only
 * 2, after "otrversions 2"). */
static OtrlPolicy otr_policy(void *opdata, ConnContext *context)
{
    (void)opdata;
    (void)context;
    return otr_versions;
}

/* Every key is made at start-up; libotr asking again means it failed. */
static void otr_create_privkey(void *opdata, const char *accountname,
                               const char *protocol)
{
    (void)opdata;
    (void)accountname;
    (void)protocol;
    printf("OTR EVENT no-private-key -\n");
    fflush(stdout);
}

/* The peer is assumed present: the bench talks to a connected client. */
static int otr_is_logged_in(void *opdata, const char *accountname,
                            const char *protocol, const char *recipient)
{
    (void)opdata;
    (void)accountname;
    (void)protocol;
    (void)recipient;
    return 1;
}

/* A chat message with body text to recipient, an id and a XEP-0359
 * origin-id when id is given; marked as OTR when otr is set. */
static void send_chat(xmpp_conn_t *conn, const char *to, const char *id,
                      const char *text, int otr)
{
    xmpp_ctx_t *ctx = xmpp_conn_get_context(conn);
    xmpp_stanza_t *m = xmpp_message_new(ctx, "chat", to, id);
    xmpp_message_set_body(m, text);
    if (id) {
        xmpp_stanza_t *o = xmpp_stanza_new(ctx);
        xmpp_stanza_set_name(o, "origin-id");
        xmpp_stanza_set_ns(o, "urn:xmpp:sid:0");
        xmpp_stanza_set_attribute(o, "id", id);
        xmpp_stanza_add_child(m, o);
        xmpp_stanza_release(o);
    }
    if (otr) {
        /* what an OTR client adds: XEP-0380, XEP-0334, XEP-0280 */
        static const char *const kids[][2] = {
            {"encryption", "urn:xmpp:eme:0"},
            {"private", "urn:xmpp:carbons:2"},
            {"no-copy", "urn:xmpp:hints"},
            {"no-permanent-store", "urn:xmpp:hints"},
        };
        for (size_t i = 0; i < sizeof(kids) / sizeof(kids[0]); i++) {
            xmpp_stanza_t *k = xmpp_stanza_new(ctx);
            xmpp_stanza_set_name(k, kids[i][0]);
            xmpp_stanza_set_ns(k, kids[i][1]);
            if (i == 0) {
                xmpp_stanza_set_attribute(k, "namespace", "urn:xmpp:otr:0");
                xmpp_stanza_set_attribute(k, "name", "OTR");
            }
            xmpp_stanza_add_child(m, k);
            xmpp_stanza_release(k);
        }
    }
    xmpp_send(conn, m);
    xmpp_stanza_release(m);
}

/* libotr's own protocol messages (key exchange, errors) go out as they
 * are. */
static void otr_inject(void *opdata, const char *accountname,
                       const char *protocol, const char *recipient,
                       const char *message)
{
    (void)opdata;
    (void)accountname;
    (void)protocol;
    if (otr_conn)
        send_chat(otr_conn, recipient, NULL, message, 1);
}

/* Nothing to show: no fingerprint store, no context list. */
static void otr_update_context_list(void *opdata)
{
    (void)opdata;
}

/* A peer's fingerprint is accepted unverified (the bench trusts nobody
 * and needs no trust: encryption is the same either way). */
static void otr_new_fingerprint(void *opdata, OtrlUserState us,
                                const char *accountname, const char *protocol,
                                const char *username, unsigned char fp[20])
{
    (void)opdata;
    (void)us;
    (void)accountname;
    (void)protocol;
    (void)username;
    (void)fp;
}

/* Fingerprints are not kept between runs. */
static void otr_write_fingerprints(void *opdata)
{
    (void)opdata;
}

/* The private conversation with context's peer has started. */
static void otr_gone_secure(void *opdata, ConnContext *context)
{
    (void)opdata;
    printf("OTR SECURE %s %u\n", context->username,
           context->protocol_version);
    fflush(stdout);
}

/* The private conversation with context's peer has ended. */
static void otr_gone_insecure(void *opdata, ConnContext *context)
{
    (void)opdata;
    printf("OTR INSECURE %s\n", context->username);
    fflush(stdout);
}

/* A refreshed conversation is reported as a new start. */
static void otr_still_secure(void *opdata, ConnContext *context, int is_reply)
{
    (void)is_reply;
    otr_gone_secure(opdata, context);
}

/* No fragmentation: XMPP carries whole messages. */
static int otr_max_message_size(void *opdata, ConnContext *context)
{
    (void)opdata;
    (void)context;
    return 0;
}

/* Errors and warnings from libotr, one line each. */
static void otr_msg_event(void *opdata, OtrlMessageEvent ev,
                          ConnContext *context, const char *message,
                          gcry_error_t err)
{
    (void)opdata;
    (void)message;
    (void)err;
    if (ev == OTRL_MSGEVENT_LOG_HEARTBEAT_RCVD ||
        ev == OTRL_MSGEVENT_LOG_HEARTBEAT_SENT)
        return;
    printf("OTR EVENT %d %s\n", (int)ev, context ? context->username : "-");
    fflush(stdout);
}

/* A new instance tag for our account, written to DIR. */
static void otr_create_instag(void *opdata, const char *accountname,
                              const char *protocol)
{
    (void)opdata;
    otrl_instag_generate(otr_us, otr_instagfile, accountname, protocol);
}

/* libotr wants otrl_message_poll() every interval seconds (0: stop). */
static void otr_timer_control(void *opdata, unsigned int interval)
{
    (void)opdata;
    otr_interval = interval;
    otr_next_poll = interval ? now_ns() + interval * 1000000000LL : 0;
}

/* Set up libotr with the key and instance tag of DIR (making the key
 * when there is none yet).  Returns 0 on success. */
static int otr_setup(const char *dir, const char *jid)
{
    size_t n = strcspn(jid, "/");
    if (n >= sizeof(otr_account))
        return -1;
    memcpy(otr_account, jid, n);
    otr_account[n] = '\0';
    OTRL_INIT;
    otr_us = otrl_userstate_create();
    size_t len = strlen(dir) + 32;
    otr_keyfile = malloc(len);
    otr_instagfile = malloc(len);
    snprintf(otr_keyfile, len, "%s/private.key", dir);
    snprintf(otr_instagfile, len, "%s/instance_tags", dir);
    if (otrl_privkey_read(otr_us, otr_keyfile) != 0 ||
        !otrl_privkey_find(otr_us, otr_account, OTR_PROTOCOL)) {
        if (otrl_privkey_generate(otr_us, otr_keyfile, otr_account,
                                  OTR_PROTOCOL) != 0)
            return -1;
    }
    otrl_instag_read(otr_us, otr_instagfile);
    otr_ops.policy = otr_policy;
    otr_ops.create_privkey = otr_create_privkey;
    otr_ops.is_logged_in = otr_is_logged_in;
    otr_ops.inject_message = otr_inject;
    otr_ops.update_context_list = otr_update_context_list;
    otr_ops.new_fingerprint = otr_new_fingerprint;
    otr_ops.write_fingerprints = otr_write_fingerprints;
    otr_ops.gone_secure = otr_gone_secure;
    otr_ops.gone_insecure = otr_gone_insecure;
    otr_ops.still_secure = otr_still_secure;
    otr_ops.max_message_size = otr_max_message_size;
    otr_ops.handle_msg_event = otr_msg_event;
    otr_ops.create_instag = otr_create_instag;
    otr_ops.timer_control = otr_timer_control;
    return 0;
}

/* An incoming body through libotr: NULL when it was OTR's own (key
 * exchange, heartbeat), else the text to show, which the caller frees
 * with otrl_message_free() when *mine is set. */
static char *otr_incoming(const char *from, char *body, int *mine)
{
    char *plain = NULL;
    *mine = 0;
    if (otrl_message_receiving(otr_us, &otr_ops, NULL, otr_account,
                               OTR_PROTOCOL, from, body, &plain, NULL, NULL,
                               NULL, NULL) == 1) {
        if (plain)
            otrl_message_free(plain);
        return NULL;
    }
    if (!plain)
        return body;
    *mine = 1;
    return plain;
}

/* What otr_incoming() returned, once printed. */
static void otr_incoming_free(char *text, int mine)
{
    if (mine)
        otrl_message_free(text);
}

/* "otr FULLJID ID TEXT": TEXT encrypted for FULLJID, never in the clear. */
static void otr_send(xmpp_conn_t *conn, const char *to, const char *id,
                     const char *text)
{
    char *wire = NULL;
    gcry_error_t err = otrl_message_sending(
        otr_us, &otr_ops, NULL, otr_account, OTR_PROTOCOL, to,
        OTRL_INSTAG_BEST, text, NULL, &wire, OTRL_FRAGMENT_SEND_SKIP, NULL,
        NULL, NULL);
    if (err || !wire || strncmp(wire, "?OTR:", 5) != 0) {
        printf("ERROR not-private %s\n", to);
        if (wire)
            otrl_message_free(wire);
        return;
    }
    send_chat(conn, to, id, wire, 1);
    otrl_message_free(wire);
    fputs("SENT\n", stdout);
}

/* The OTR commands ("otr ...", "otrversions ..."): 1 when line was one. */
static int otr_command(xmpp_ctx_t *ctx, xmpp_conn_t *conn, char *line)
{
    if (strncmp(line, "otr ", 4) == 0 && otr_us) {
        char *to = line + 4;
        char *id = strchr(to, ' ');
        if (!id)
            return 1;
        *id++ = '\0';
        char *text = strchr(id, ' ');
        if (!text)
            return 1;
        *text++ = '\0';
        otr_send(conn, to, id, text);
        xmpp_run_once(ctx, 0);
        return 1;
    }
    if (strncmp(line, "otrversions ", 12) == 0) {
        otr_versions = OTRL_POLICY_ALLOW_V2;
        if (strchr(line + 12, '3'))
            otr_versions |= OTRL_POLICY_ALLOW_V3;
        printf("OTR VERSIONS %s\n", line + 12);
        return 1;
    }
    return 0;
}

/* wait_ms, shortened to libotr's next clean-up when that is sooner. */
static int otr_wait(int wait_ms)
{
    if (!otr_next_poll)
        return wait_ms;
    long long left = (otr_next_poll - now_ns()) / 1000000;
    return left < 0 ? 0 : left < wait_ms ? (int)left : wait_ms;
}

/* libotr's clean-up, when it is due. */
static void otr_tick(xmpp_ctx_t *ctx)
{
    if (otr_next_poll && now_ns() >= otr_next_poll) {
        otr_next_poll = now_ns() + otr_interval * 1000000000LL;
        otrl_message_poll(otr_us, &otr_ops, NULL);
        xmpp_run_once(ctx, 0);
    }
}

/* Free the OTR state. */
static void otr_cleanup(void)
{
    if (otr_us)
        otrl_userstate_free(otr_us);
    free(otr_keyfile);
    free(otr_instagfile);
}

#else /* without libotr: --otr fails, the rest is as before */

static void *otr_us;
static void *otr_conn;

/* Built without LOADGEN_OTR: there is no OTR side. */
static int otr_setup(const char *dir, const char *jid)
{
    (void)dir;
    (void)jid;
    return -1;
}

/* Never called without otr_us. */
static char *otr_incoming(const char *from, char *body, int *mine)
{
    (void)from;
    *mine = 0;
    return body;
}

/* Nothing to free. */
static void otr_incoming_free(char *text, int mine)
{
    (void)text;
    (void)mine;
}

/* No OTR commands. */
static int otr_command(xmpp_ctx_t *ctx, xmpp_conn_t *conn, char *line)
{
    (void)ctx;
    (void)conn;
    (void)line;
    return 0;
}

/* No clean-up timer. */
static int otr_wait(int wait_ms)
{
    return wait_ms;
}

/* No clean-up timer. */
static void otr_tick(xmpp_ctx_t *ctx)
{
    (void)ctx;
}

/* No OTR state. */
static void otr_cleanup(void)
{
}

#endif

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
        char *text = body;
        int mine = 0;
        if (otr_us && from)
            text = otr_incoming(from, body, &mine);
        if (text) {
            for (char *c = text; *c; c++)
                if (*c == '\n' || *c == '\r')
                    *c = ' ';
            printf("MSG %s %s\n", from ? from : "-", text);
            fflush(stdout);
        }
        otr_incoming_free(text, mine);
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
    } else if (otr_command(ctx, conn, line)) {
        /* done there */
    } else if (strcmp(line, "quit") == 0) {
        done = 1;
        xmpp_disconnect(conn);
    }
}

int main(int argc, char **argv)
{
    const char *jid = NULL, *pw = NULL, *host = "127.0.0.1", *otrdir = NULL;
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
        else if (!strcmp(argv[i], "--otr"))
            otrdir = argv[i + 1];
    }
    if (!jid || !pw) {
        fprintf(stderr, "usage: loadgen --jid JID --password PW "
                        "[--host H] [--port N] [--otr DIR]\n");
        return 2;
    }
    if (otrdir && otr_setup(otrdir, jid) != 0) {
        printf("ERROR otr setup (built with -DLOADGEN_OTR and libotr?)\n");
        return 1;
    }
    jid_self = (char *)jid;
    xmpp_initialize();
    xmpp_ctx_t *ctx = xmpp_ctx_new(NULL, NULL);
    xmpp_conn_t *conn = xmpp_conn_new(ctx);
    otr_conn = conn;
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
        int r = poll(pfd, (nfds_t)n, otr_wait(60000));
        if (r < 0 && errno != EINTR)
            break;
        otr_tick(ctx);
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
    otr_cleanup();
    return 0;
}
