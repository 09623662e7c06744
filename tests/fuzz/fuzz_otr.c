/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for OTR's entry point: what a contact sends in the body
 * of a chat message (query messages, whitespace tags, OTR errors,
 * fragments, key exchange and data messages, plain text), fed to a
 * logged-in natter (tests/fuzz/fuzz-session.h) with its OTR scheme on the
 * pipeline, through the real receive path: message_receive() ->
 * xmpp/e2e-hook.c -> crypto/e2e.c -> crypto/otr.c -> libotr.
 *
 * The contact, bob@example.org/laptop, is a real libotr user state inside
 * this target, with a key of its own, that answers what natter sends it
 * (key exchange, SMP, heartbeats): so an input can reach a private
 * conversation, and bob can send natter real data messages, TLVs and
 * fragments whose contents the input chooses.
 *
 * An input: byte 0 sets the scene (below), the rest is records, one a
 * line, each a letter and its payload:
 *
 *   R TEXT   bob/laptop sends TEXT as it is (any OTR message, forged)
 *   P TEXT   bob/phone, another client of bob's, sends TEXT
 *   S TEXT   eve@example.net/x, not a contact, sends TEXT
 *   C TEXT   a carbon of a message from bob with TEXT (from our account)
 *   H TEXT   an archive result of a message from bob with TEXT
 *   E TEXT   bob's libotr sends TEXT (encrypted when bob's side is private)
 *   F N TEXT the same in fragments of 40 + N bytes (N: one byte)
 *   T N DATA bob sends an empty data message with a TLV of type N % 16
 *   Q TEXT   bob starts SMP with the question TEXT (its secret: s3cret)
 *   V TEXT   natter starts SMP with the secret TEXT (bob answers s3cret)
 *   A TEXT   natter answers bob's SMP with TEXT
 *   M TEXT   natter sends TEXT to bob (as typed in bob's window)
 *   G        natter starts (or refreshes) OTR with bob (/otr start)
 *   X        natter ends it (/otr end)
 *   x        bob ends it
 *   B        natter stops a verification (/otr abort)
 *   K [FP]   natter trusts bob's fingerprint FP, or the one in use
 *   k [FP]   natter stops trusting it (/otr trust, /otr untrust)
 *   I        natter describes the conversation and both fingerprints
 *
 * After each record, what natter sent bob is handed to bob's libotr and
 * what bob's libotr answers goes back to natter, a few rounds at most.
 *
 * Byte 0, the scene: bits 0-1 how far OTR got before the records (0 not
 * at all, 1 someone asked and natter's first message is on its way, 2
 * half way through the key exchange, 3 a private conversation), bit 2
 * who asked (0 bob, 1 natter), bit 3 bob
 * speaks OTR version 2 only (as Debian's profanity), bits 4-5 natter's
 * policy for bob (manual, opportunistic, always, manual), bit 6 bob's
 * fingerprint is trusted already (so the conversation is verified).
 *
 * Besides crashes, leaks and what fuzz-session.h checks, it checks OTR's
 * promises: nothing natter sends bob while a private conversation runs
 * (or has been ended by bob, or the policy is always) goes out in plain
 * text; no plain text from anyone is lost (libotr leaves it to natter to
 * show one that came unencrypted in a private conversation); nothing
 * that did not come as a data message from bob's libotr is shown as
 * encrypted; what bob's libotr encrypts arrives as it was sent,
 * marked encrypted (trusted when verified); copies and archive pages are
 * never handed to libotr, so natter answers them with nothing; every OTR
 * message natter sends stays off carbons and archives.
 */
#include "fuzz-session.h"

#include <dlfcn.h>
#include <gcrypt.h>

/* libotr's headers depend on each other in this order. */
// clang-format off
#include <libotr/proto.h>
#include <libotr/context.h>
#include <libotr/userstate.h>
#include <libotr/privkey.h>
#include <libotr/instag.h>
#include <libotr/tlv.h>
#include <libotr/message.h>
// clang-format on

#include "core/e2e.h"
#include "crypto/e2e.h"
#include "crypto/otr.h"
#include "xmpp/e2e-hook.h"
#include "xmpp/message.h"

#define BOB "bob@example.org"
#define BOB_FULL BOB "/laptop"
#define BOB_PHONE BOB "/phone"
#define EVE "eve@example.net/x"
#define PROTO "xmpp"
#define SECRET "s3cret"
#define MAX_ROUNDS 8
#define MAX_RECORDS 32
#define NS_CARBONS "urn:xmpp:carbons:2"
#define NS_HINTS "urn:xmpp:hints"

/* Test keys (DSA-1024, made once with otrl_privkey_generate): fixed, so
 * that no input waits for a key and fingerprints stay the same. */
static const char me_key[] =
    "(privkeys\n (account\n(name \"me@example.org\")\n(protocol xmpp)\n"
    "(private-key \n (dsa \n"
    "  (p #008A6728159D98694346A7F736DD7620F49CF3E7242006571ABE962E3FDA903D"
    "A74587512EBEC946818D08A83BA1B2F665397D551E9ECF739AE5AD86D68BF750B0BCD0"
    "FB88C5279B623AF6C9BE49709D639B2110E99C5C97375735FB84D32B62B3E44BE7EB8E"
    "80D65BBEC4409B371BD79A301CBA8CDF59CDB93A6E8C2CA39E0537#)\n"
    "  (q #00B1291220132D78A20A5D3966BF2AA9F3A0F60795#)\n"
    "  (g #67C5B389933932CD8BF0D879E25740C4F2FC3936D41E35210E41C887A62E8166"
    "2ABEBD92D84796C2861D883B16F7A95E1D22CAFCB82E2525B904CA2B249291008CB122"
    "BD22E37FE9BA45106C7D291B84EEDD4ADC83B0334D6AE906507A854053D92451FEEF00"
    "13D479F946405E7FC30F77ADB001B2B65616933F228ECD6A7BFB#)\n"
    "  (y #33A7C5BB0FBB9F8963113A5E4D0104471C9833C33D1C0EB7622EAE55ACFF6423"
    "C8436CB93EFA6C8F3F2B6F7D8B95BBAC5C425318912D7941636D4DEBAC70578D1B9B54"
    "2C0D6052000012C90AC71982BC9B5EC86B7358A2F0591C6010DF8E5CF74D0D75E8F2FA"
    "78314FB6414BB43109ECFEF990F08ADAA88F7ED8260186784850#)\n"
    "  (x #0910EF8E09EF04B415091C32425FF9DB23762215#)\n  )\n )\n )\n)\n";
static const char bob_key[] =
    "(privkeys\n"
    " (account\n"
    "(name \"bob@example.org\")\n"
    "(protocol xmpp)\n"
    "(private-key \n"
    " (dsa \n"
    "  (p #008FEB6B970320CB42D191191F6234CA629057D5401D04375CAB01C3F3C4EB"
    "FEC0924DC5172D1977133506022316C4D5753C6D174BB406174D084F2A79B89A4378"
    "F8A5CEFB8B8555F145298884A98F649D3786B56F0E0CFFA9125CCDF71BD7212DD8B1"
    "60D48CAF3F7918F9E7B6AEC6B081E15A969F312CBCEC3A26F3E919A1EDB3#)\n"
    "  (q #00F9EA1026C2DA01E172EF0E810B46880A69BC1DA3#)\n"
    "  (g #1958DA868164E12E9E7F2B3130C9A8DFE3D7DE75F6A1479ECEB02795E415A6"
    "2855F774FC8E309481145237BD4DB979437A512B6BD28B375438181226146A4F9358"
    "BF6E52D5CA1C245877890BD7DFC89AF3525C3E427954D8C78BA6B3DDD66E72BDF674"
    "4B0F19E583C4EDA3BDF941D94B4D002F26AB38A5038B0B697647A8F8C1#)\n"
    "  (y #5B320F08F4BCAF805393E1E00922AD1B2C2F91E8BEEAE87A49D2F08AFA5139"
    "BB6FFE66A07A2912AE44B62F3547064915A479D8845E6BD821C9FE5566FE0E728F4D"
    "96BAC9E9D59508658C78538E9A646D2F3ED440A848A64493F4A0CFF3F55C9D273EF5"
    "D46D5F6D8359002192221DF63D8C1541844FEC50558665359A012E900B#)\n"
    "  (x #3FBAF55A8646DC750A0B3B7CCE8E6A21F1938490#)\n"
    "  )\n"
    " )\n"
    " )\n"
    ")\n";
static const char me_instag[] = FUZZ_ME "\t" PROTO "\t1234abcd\n";
static const char bob_instag[] = BOB "\t" PROTO "\t5678ef01\n";

/* libotr's own otrl_init, replaced (the linker takes this one, as
 * fuzz-session.h does for libstrophe): natter calls OTRL_INIT once per
 * process, this target once per input, and each call of the library's
 * makes its constants again without freeing the old ones. */
gcry_error_t
otrl_init(unsigned int ver_major, unsigned int ver_minor, unsigned int ver_sub)
{
    static gcry_error_t (*real)(unsigned int, unsigned int, unsigned int);
    static gcry_error_t err;

    if (real == NULL) {
        real = (gcry_error_t(*)(unsigned int, unsigned int,
                                unsigned int))dlsym(RTLD_NEXT, "otrl_init");
        FUZZ_CHECK(real != NULL, "no otrl_init in libotr");
        err = real(ver_major, ver_minor, ver_sub);
    }
    return err;
}

/* libgcrypt's allocations, made here rather than by libotr's handlers
 * (which wipe what they free), so that LeakSanitizer can name them. */
static void *
fuzz_gcry_alloc(size_t n)
{
    return malloc(n);
}

/* Whether p is secure memory: all of it counts as such here. */
static int
fuzz_gcry_is_secure(const void *p)
{
    (void)p;
    return 1;
}

/* libgcrypt's reallocation (see fuzz_gcry_alloc). */
static void *
fuzz_gcry_realloc(void *p, size_t n)
{
    return realloc(p, n);
}

/* libgcrypt's free (see fuzz_gcry_alloc). */
static void
fuzz_gcry_free(void *p)
{
    free(p);
}

/* libgcrypt's gcry_set_allocation_handler, replaced: otrl_init installs
 * libotr's allocator, whose frames LeakSanitizer's fast unwinder cannot
 * name; these are named, so the suppression below stays narrow. */
void
gcry_set_allocation_handler(gcry_handler_alloc_t alloc,
                            gcry_handler_alloc_t alloc_secure,
                            gcry_handler_secure_check_t is_secure,
                            gcry_handler_realloc_t re, gcry_handler_free_t f)
{
    void (*real)(gcry_handler_alloc_t, gcry_handler_alloc_t,
                 gcry_handler_secure_check_t, gcry_handler_realloc_t,
                 gcry_handler_free_t);

    (void)alloc;
    (void)alloc_secure;
    (void)is_secure;
    (void)re;
    (void)f;
    *(void **)&real = dlsym(RTLD_NEXT, "gcry_set_allocation_handler");
    FUZZ_CHECK(real != NULL, "no gcry_set_allocation_handler in libgcrypt");
    real(fuzz_gcry_alloc, fuzz_gcry_alloc, fuzz_gcry_is_secure,
         fuzz_gcry_realloc, fuzz_gcry_free);
}

/* Free every context of us, with what libotr 4.1.1 forgets when it
 * forgets one: the private part and the SMP numbers. */
static void
forget_contexts(OtrlUserState us)
{
    GPtrArray *privs = g_ptr_array_new_with_free_func(free);

    for (ConnContext *c = us->context_root; c != NULL; c = c->next) {
        otrl_context_force_plaintext(c);
        if (c->smstate != NULL)
            otrl_sm_state_free(c->smstate);
        /* Freed after the contexts: forgetting one still reads it. */
        if (c->context_priv != NULL)
            g_ptr_array_add(privs, c->context_priv);
    }
    otrl_context_forget_all(us);
    g_ptr_array_unref(privs);
}

/* libotr's otrl_userstate_free, replaced (natter calls it for each
 * account when it stops): the library's own leaks every context's
 * private part, and LeakSanitizer would check each input again. */
void
otrl_userstate_free(OtrlUserState us)
{
    static void (*real)(OtrlUserState);

    if (real == NULL)
        *(void **)&real = dlsym(RTLD_NEXT, "otrl_userstate_free");
    FUZZ_CHECK(real != NULL, "no otrl_userstate_free in libotr");
    forget_contexts(us);
    real(us);
}

/* Bob's side and what one input did. */
static struct {
    OtrlUserState us;
    OtrlMessageAppOps ops;
    OtrlPolicy policy;
    int mms;              /* bob's fragment size, 0: none */
    GPtrArray *queue;     /* what bob's libotr sends natter (char *) */
    ConnContext *smp_ctx; /* bob was asked a secret: answer after the call */
    guint seen;           /* fz.sent entries already handed to bob */
    char fp_hex[41];      /* bob's fingerprint, for the trusted scene */
    /* Incoming EV_MESSAGEs since the last record. */
    unsigned int shown, shown_private;
    char *last_body;
    enum protection last_protection;
} bob;

/* --- bob's libotr callbacks -------------------------------------------- */

/* Bob's policy: as the scene says. */
static OtrlPolicy
bob_policy(void *opdata, ConnContext *ctx)
{
    (void)opdata;
    (void)ctx;
    return bob.policy;
}

/* Bob is always there to talk to. */
static int
bob_is_logged_in(void *opdata, const char *accountname, const char *protocol,
                 const char *recipient)
{
    (void)opdata;
    (void)accountname;
    (void)protocol;
    (void)recipient;
    return 1;
}

/* What bob's libotr sends: queued for natter. */
static void
bob_inject(void *opdata, const char *accountname, const char *protocol,
           const char *recipient, const char *message)
{
    (void)opdata;
    (void)accountname;
    (void)protocol;
    (void)recipient;
    g_ptr_array_add(bob.queue, g_strdup(message));
}

/* Bob's largest message before fragments. */
static int
bob_max_message_size(void *opdata, ConnContext *ctx)
{
    (void)opdata;
    (void)ctx;
    return bob.mms;
}

/* Bob's account name as libotr shows it. */
static const char *
bob_account_name(void *opdata, const char *account, const char *protocol)
{
    (void)opdata;
    (void)protocol;
    return account;
}

/* Nothing to free: bob_account_name returns its argument. */
static void
bob_account_name_free(void *opdata, const char *name)
{
    (void)opdata;
    (void)name;
}

/* Bob's SMP: answer with the shared secret, after libotr's call. */
static void
bob_smp_event(void *opdata, OtrlSMPEvent ev, ConnContext *ctx,
              unsigned short percent, char *question)
{
    (void)opdata;
    (void)percent;
    (void)question;
    if (ev == OTRL_SMPEVENT_ASK_FOR_SECRET ||
        ev == OTRL_SMPEVENT_ASK_FOR_ANSWER)
        bob.smp_ctx = ctx;
}

/* The text of bob's OTR error messages. */
static const char *
bob_error_message(void *opdata, ConnContext *ctx, OtrlErrorCode code)
{
    (void)opdata;
    (void)ctx;
    return code == OTRL_ERRCODE_MSG_NOT_IN_PRIVATE ? "not in private"
                                                   : "bob could not read it";
}

/* Nothing to free: bob_error_message returns constants. */
static void
bob_error_message_free(void *opdata, const char *msg)
{
    (void)opdata;
    (void)msg;
}

/* A FILE reading the text s (libotr's readers want a real file: they
 * stat it). */
static FILE *
text_file(const char *s)
{
    FILE *f = tmpfile();

    FUZZ_CHECK(f != NULL && fputs(s, f) >= 0 && fflush(f) == 0,
               "tmpfile failed");
    rewind(f);
    return f;
}

/* Once per process: bob's user state with its key and instance tag. */
static void
bob_once(void)
{
    unsigned char raw[20];
    FILE *f;

    if (bob.us != NULL)
        return;
    OTRL_INIT;
    bob.us = otrl_userstate_create();
    f = text_file(bob_key);
    FUZZ_CHECK(otrl_privkey_read_FILEp(bob.us, f) == 0, "bob's key");
    fclose(f);
    f = text_file(bob_instag);
    FUZZ_CHECK(otrl_instag_read_FILEp(bob.us, f) == 0, "bob's instag");
    fclose(f);
    FUZZ_CHECK(otrl_privkey_fingerprint_raw(bob.us, raw, BOB, PROTO) != NULL,
               "bob's fingerprint");
    for (int i = 0; i < 20; i++)
        snprintf(bob.fp_hex + 2 * i, 3, "%02x", raw[i]);
    bob.ops.policy = bob_policy;
    bob.ops.is_logged_in = bob_is_logged_in;
    bob.ops.inject_message = bob_inject;
    bob.ops.max_message_size = bob_max_message_size;
    bob.ops.account_name = bob_account_name;
    bob.ops.account_name_free = bob_account_name_free;
    bob.ops.handle_smp_event = bob_smp_event;
    bob.ops.otr_error_message = bob_error_message;
    bob.ops.otr_error_message_free = bob_error_message_free;
    bob.queue = g_ptr_array_new_with_free_func(g_free);
}

/* Bob's conversation with natter, or NULL. */
static ConnContext *
bob_context(void)
{
    return otrl_context_find(bob.us, FUZZ_ME, BOB, PROTO, OTRL_INSTAG_BEST, 0,
                             NULL, NULL, NULL);
}

/* Whether bob's side is private. */
static bool
bob_private(void)
{
    ConnContext *ctx = bob_context();

    return ctx != NULL && ctx->msgstate == OTRL_MSGSTATE_ENCRYPTED;
}

/* Answer an SMP request bob got in the call just made. */
static void
bob_answer_smp(void)
{
    ConnContext *ctx = bob.smp_ctx;

    bob.smp_ctx = NULL;
    if (ctx != NULL)
        otrl_message_respond_smp(bob.us, &bob.ops, NULL, ctx,
                                 (const unsigned char *)SECRET,
                                 strlen(SECRET));
}

/* Bob's libotr reads what natter sent it. */
static void
bob_receive(const char *body)
{
    char *text = NULL;
    OtrlTLV *tlvs = NULL;

    otrl_message_receiving(bob.us, &bob.ops, NULL, BOB, PROTO, FUZZ_ME, body,
                           &text, &tlvs, NULL, NULL, NULL);
    otrl_tlv_free(tlvs);
    otrl_message_free(text);
    bob_answer_smp();
}

/* Bob's libotr sends text (with tlvs, which it frees) to natter: it may
 * encrypt, tag or fragment it, or send it as it is. */
static void
bob_send(const char *text, OtrlTLV *tlvs)
{
    char *wire = NULL;
    gcry_error_t err;

    err = otrl_message_sending(bob.us, &bob.ops, NULL, BOB, PROTO, FUZZ_ME,
                               OTRL_INSTAG_BEST, text, tlvs, &wire,
                               OTRL_FRAGMENT_SEND_ALL, NULL, NULL, NULL);
    /* Nothing made of it: an ordinary message, sent as typed. */
    if (err == 0 && wire == NULL)
        g_ptr_array_add(bob.queue, g_strdup(text));
    otrl_message_free(wire);
    otrl_tlv_free(tlvs);
}

/* --- natter's side ------------------------------------------------------ */

/* Keep what natter shows of incoming messages, for the checks. */
static void
on_message(enum event_type type, const void *payload, void *data)
{
    const struct message *m = payload;

    (void)type;
    (void)data;
    if (m->outgoing)
        return;
    bob.shown++;
    if (m->protection == PROTECTION_ENCRYPTED ||
        m->protection == PROTECTION_TRUSTED)
        bob.shown_private++;
    g_free(bob.last_body);
    bob.last_body = g_strdup(m->body);
    bob.last_protection = m->protection;
}

/* Fire the XML text xml at natter, if it is XML (what the network
 * cannot carry, such as control characters, never arrives): false if
 * not. */
static bool
fire_text(const char *xml)
{
    xmpp_stanza_t *st = xmpp_stanza_new_from_string(session_ctx(), xml);

    if (st == NULL)
        return false;
    fuzz_session_fire(st);
    xmpp_stanza_release(st);
    return true;
}

/* A chat message from from with body, as the server delivers it, inside
 * the XML text before and after (for a copy; both may be NULL). False if
 * the network could not carry it. */
static bool
deliver_in(const char *from, const char *body, const char *before,
           const char *after)
{
    char *text, *xml;
    bool ok;

    if (!g_utf8_validate(body, -1, NULL))
        return false;
    if (getenv("NATTER_FUZZ_TRACE") != NULL)
        fprintf(stderr, "FROM %s %s\n", from, body);
    text = g_markup_escape_text(body, -1);
    xml = g_strdup_printf("%s<message from='%s' to='" FUZZ_ME "/" FUZZ_RESOURCE
                          "' type='chat'><body>%s</body></message>%s",
                          before != NULL ? before : "", from, text,
                          after != NULL ? after : "");
    ok = fire_text(xml);
    g_free(xml);
    g_free(text);
    return ok;
}

/* A chat message from from with body, as the server delivers it; false
 * if the network could not carry it. */
static bool
deliver(const char *from, const char *body)
{
    return deliver_in(from, body, NULL, NULL);
}

/* The body of a message natter sent to bob (borrowed), or NULL. */
static const char *
to_bob(xmpp_stanza_t *st, bool *has_body)
{
    const char *to = xmpp_stanza_get_to(st);
    xmpp_stanza_t *body;

    *has_body = false;
    if (!fuzz_named(st, "message") || to == NULL ||
        strncmp(to, BOB, strlen(BOB)) != 0 ||
        (to[strlen(BOB)] != '\0' && to[strlen(BOB)] != '/'))
        return NULL;
    body = xmpp_stanza_get_child_by_name(st, "body");
    if (body == NULL)
        return NULL;
    *has_body = true;
    body = xmpp_stanza_get_children(body);
    return body != NULL ? xmpp_stanza_get_text_ptr(body) : NULL;
}

/* Hand what natter sent bob to bob's libotr, and what that answers to
 * natter, until neither has more to say (bounded). */
static void
pump(int rounds)
{
    for (int r = 0; r < rounds; r++) {
        bool moved = false;
        while (bob.seen < fz.sent->len) {
            bool has_body;
            const char *body = to_bob(fz.sent->pdata[bob.seen++], &has_body);
            if (body != NULL) {
                bob_receive(body);
                moved = true;
            }
        }
        for (guint i = 0; i < bob.queue->len && i < 64; i++) {
            deliver(BOB_FULL, bob.queue->pdata[i]);
            moved = true;
        }
        g_ptr_array_set_size(bob.queue, 0);
        if (!moved)
            break;
    }
}

/* Write name in natter's OTR directory with text. */
static void
write_otr_file(const char *name, const char *text)
{
    char *dir = g_build_filename(fz.data_home, "natter", "me", "otr", NULL);
    char *path = g_build_filename(dir, name, NULL);

    g_mkdir_with_parents(dir, 0700);
    FUZZ_CHECK(g_file_set_contents(path, text, -1, NULL), "cannot write %s",
               path);
    g_free(path);
    g_free(dir);
}

/* Set the scene byte 0 asks for (see the top of this file). */
static void
scene(uint8_t b)
{
    static const enum e2e_policy policies[] = {
        E2E_POLICY_MANUAL, E2E_POLICY_OPPORTUNISTIC, E2E_POLICY_ALWAYS,
        E2E_POLICY_MANUAL};
    int stage = b & 3;
    char *cause = NULL;

    write_otr_file("private.key", me_key);
    write_otr_file("instance_tags", me_instag);
    if (b & 0x40) {
        char *fps = g_strdup_printf(BOB "\t" FUZZ_ME "\t" PROTO "\t%s\tsmp\n",
                                    bob.fp_hex);
        write_otr_file("fingerprints", fps);
        g_free(fps);
    }
    otr_init();
    e2e_hook_init();
    event_subscribe(EV_MESSAGE, on_message, NULL);
    FUZZ_CHECK(
        e2e_policy_set(fz.acct, "otr", BOB, policies[(b >> 4) & 3], &cause),
        "policy: %s", cause != NULL ? cause : "?");
    forget_contexts(bob.us);
    bob.policy = OTRL_POLICY_OPPORTUNISTIC;
    if (b & 8)
        bob.policy &= ~OTRL_POLICY_ALLOW_V3;
    bob.mms = 0;
    bob.seen = fz.sent->len;
    if (stage == 0)
        return;
    /* Someone asks, then the answers go back and forth: stage 3 is a
     * private conversation on both sides. */
    if (b & 4) {
        FUZZ_CHECK(otr_start(fz.acct, BOB, BOB_FULL, &cause), "otr_start: %s",
                   cause != NULL ? cause : "?");
        pump(stage == 3 ? 3 : stage - 1);
    } else {
        bob_send("?OTR?", NULL);
        pump(stage);
    }
}

/* --- the checks --------------------------------------------------------- */

/* Whether st carries child name in ns. */
static bool
has(xmpp_stanza_t *st, const char *name, const char *ns)
{
    return xmpp_stanza_get_child_by_name_and_ns(st, name, ns) != NULL;
}

/* Check what natter sent since index from: every OTR message stays off
 * carbons and archives; none goes in plain text when it must not (plain
 * false); none at all when quiet. own: the text the user typed, which
 * may look like OTR itself. */
static void
check_sent(guint from, bool plain, bool quiet, const char *own)
{
    for (guint i = from; i < fz.sent->len; i++) {
        xmpp_stanza_t *st = fz.sent->pdata[i];
        bool has_body;
        const char *body = to_bob(st, &has_body);
        bool otr;
        if (!has_body)
            continue;
        body = body != NULL ? body : "";
        otr = strncmp(body, "?OTR", 4) == 0;
        FUZZ_CHECK(!quiet, "natter answered a copy with: %s", body);
        FUZZ_CHECK(plain || otr || body[0] == '\0',
                   "plain text to bob in a private conversation: %s", body);
        if (otr && (own == NULL || strstr(own, "?OTR") == NULL))
            FUZZ_CHECK(has(st, "private", NS_CARBONS) &&
                           has(st, "no-copy", NS_HINTS) &&
                           has(st, "no-permanent-store", NS_HINTS),
                       "an OTR message without the private hints: %s", body);
    }
}

/* Whether body is plain text with something to read (OTR's whitespace
 * tag aside), which natter must show whatever the state. */
static bool
is_text(const char *body)
{
    bool readable = false;

    for (const char *c = body; *c != '\0'; c++)
        readable = readable || g_ascii_isalnum(*c);
    return readable && strstr(body, "?OTR") == NULL;
}

/* Whether natter may send bob plain text now. */
static bool
plain_allowed(void)
{
    enum e2e_state s = e2e_state_get(fz.acct, BOB, NULL);

    return s == E2E_STATE_PLAIN &&
           e2e_policy_get(fz.acct, "otr", BOB) != E2E_POLICY_ALWAYS;
}

/* --- one input ---------------------------------------------------------- */

/* Run one record: kind k with payload p (n bytes, NUL-terminated). */
static void
record(char k, const char *p, size_t n)
{
    guint from = fz.sent->len;
    bool plain = plain_allowed(), quiet = false, forged = false;
    bool text = false; /* plain text that must be shown */
    enum e2e_state was = e2e_state_get(fz.acct, BOB, NULL);
    bool both_private = false;
    char *cause = NULL;

    bob.shown = bob.shown_private = 0;
    switch (k) {
    case 'R':
        text = deliver(BOB_FULL, p) && is_text(p);
        forged = true;
        break;
    case 'P':
        text = deliver(BOB_PHONE, p) && is_text(p);
        forged = true;
        break;
    case 'S':
        text = deliver(EVE, p) && is_text(p);
        forged = true;
        break;
    case 'C':
        deliver_in(BOB_FULL, p,
                   "<message from='" FUZZ_ME "' to='" FUZZ_ME "/" FUZZ_RESOURCE
                   "' type='chat'><received xmlns='" NS_CARBONS
                   "'><forwarded xmlns='urn:xmpp:forward:0'>",
                   "</forwarded></received></message>");
        forged = quiet = true;
        break;
    case 'H':
        deliver_in(BOB_FULL, p,
                   "<message from='" FUZZ_ME
                   "'><result xmlns='urn:xmpp:mam:2' "
                   "id='otr-archived'><forwarded xmlns='urn:xmpp:forward:0'>",
                   "</forwarded></result></message>");
        forged = quiet = true;
        break;
    case 'E':
    case 'F':
        if (k == 'F') {
            if (n == 0)
                return;
            bob.mms = 40 + (uint8_t)p[0];
            p++;
        }
        both_private = bob_private() && (was == E2E_STATE_UNVERIFIED ||
                                         was == E2E_STATE_VERIFIED);
        bob_send(p, NULL);
        bob.mms = 0;
        break;
    case 'T':
        if (n == 0)
            return;
        bob_send("", otrl_tlv_new((unsigned short)((uint8_t)p[0] % 16),
                                  (unsigned short)(n - 1),
                                  (const unsigned char *)p + 1));
        break;
    case 'Q': {
        ConnContext *ctx = bob_context();
        if (ctx != NULL && ctx->msgstate == OTRL_MSGSTATE_ENCRYPTED)
            otrl_message_initiate_smp_q(bob.us, &bob.ops, NULL, ctx, p,
                                        (const unsigned char *)SECRET,
                                        strlen(SECRET));
        break;
    }
    case 'V':
        (void)otr_smp_start(fz.acct, BOB, NULL, p, &cause);
        break;
    case 'A':
        (void)otr_smp_answer(fz.acct, BOB, p, &cause);
        break;
    case 'M':
        if (!g_utf8_validate(p, -1, NULL) || p[0] == '\0')
            return;
        (void)message_send_chat(fz.acct, BOB, p, NULL, &cause);
        break;
    case 'G':
        (void)otr_start(fz.acct, BOB, BOB_FULL, &cause);
        break;
    case 'X':
        (void)otr_end(fz.acct, BOB, &cause);
        /* Ending is the user's word to go on in plain text. */
        plain = true;
        break;
    case 'x':
        otrl_message_disconnect_all_instances(bob.us, &bob.ops, NULL, BOB,
                                              PROTO, FUZZ_ME);
        break;
    case 'B':
        (void)otr_smp_abort(fz.acct, BOB, &cause);
        break;
    case 'K':
    case 'k':
        (void)otr_trust(fz.acct, BOB, p[0] != '\0' ? p : NULL, k == 'K',
                        &cause);
        break;
    case 'I': {
        char *d = otr_describe(fz.acct, BOB, BOB_FULL);
        char *mine = otr_my_fingerprint(fz.acct, &cause);
        g_free(cause);
        cause = NULL;
        char *theirs = otr_their_fingerprint(fz.acct, BOB, &cause);
        FUZZ_CHECK(mine != NULL, "natter has no fingerprint");
        FUZZ_CHECK(g_str_has_prefix(d, "OTR with " BOB ": "),
                   "otr_describe: %s", d);
        g_free(d);
        g_free(mine);
        g_free(theirs);
        break;
    }
    default:
        return;
    }
    g_free(cause);
    /* What bob's libotr got before natter read it, then the rounds. */
    if (bob.queue->len > 0 && !quiet) {
        for (guint i = 0; i < bob.queue->len && i < 256; i++)
            deliver(BOB_FULL, bob.queue->pdata[i]);
        g_ptr_array_set_size(bob.queue, 0);
    }
    if (both_private && p[0] != '\0' && strstr(p, "?OTR") == NULL &&
        bob_private()) {
        FUZZ_CHECK(bob.shown > 0 && bob.last_body != NULL &&
                       strcmp(bob.last_body, p) == 0,
                   "bob's encrypted %s arrived as %s", p,
                   bob.shown > 0 && bob.last_body != NULL ? bob.last_body
                                                          : "nothing");
        FUZZ_CHECK(bob.last_protection == (was == E2E_STATE_VERIFIED
                                               ? PROTECTION_TRUSTED
                                               : PROTECTION_ENCRYPTED),
                   "bob's encrypted text is shown as %s",
                   protection_name(bob.last_protection));
    }
    if (text)
        FUZZ_CHECK(bob.shown > 0, "a plain message was lost: %s", p);
    if (forged)
        FUZZ_CHECK(bob.shown_private == 0,
                   "a message from the input is shown as encrypted: %s",
                   bob.last_body != NULL ? bob.last_body : "");
    if (quiet)
        check_sent(from, plain, true, NULL);
    pump(MAX_ROUNDS);
    check_sent(from, plain, false, k == 'M' ? p : NULL);
    fuzz_check_output();
}

/* libFuzzer calls this once, before the first input. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bob_once();
    return 0;
}

/* One input: log in, set the scene, run the records, tear down. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p, *end = data + size;
    int n = 0;

    if (size == 0)
        return 0;
    bob_once();
    fuzz_session_start();
    scene(data[0]);
    fuzz_check_output();
    for (p = data + 1; p < end && n < MAX_RECORDS; n++) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        const uint8_t *stop = nl != NULL ? nl : end;
        if (stop > p) {
            char *rec = fuzz_strndup(p + 1, (size_t)(stop - p - 1));
            record((char)p[0], rec, (size_t)(stop - p - 1));
            g_free(rec);
        }
        p = stop + 1;
    }
    event_unsubscribe(EV_MESSAGE, on_message, NULL);
    g_free(bob.last_body);
    bob.last_body = NULL;
    e2e_hook_deinit();
    e2e_deinit_all();
    e2e_deinit();
    fuzz_session_stop();
    forget_contexts(bob.us);
    g_ptr_array_set_size(bob.queue, 0);
    return 0;
}

/* LeakSanitizer: what libotr 4.1.1 itself never frees (tests/valgrind.supp
 * has the same): libgcrypt numbers of a refreshed key exchange, of a data
 * message for keys it does not have. natter itself allocates no libgcrypt
 * memory. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
    return "leak:fuzz_gcry_alloc\nleak:fuzz_gcry_realloc\n";
}
