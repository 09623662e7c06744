#!/usr/bin/python3
"""Hostile input.  A scripted hostile peer (through Prosody) and a minimal
raw hostile server (plaintext, PLAIN login, any bytes it likes) send
escape sequences in bodies, statuses, roster names and JIDs; C1 controls
and DEL; invalid UTF-8 and literal ESC (which only a raw server can put
on the wire); bidi overrides; a 1 MiB body; deeply nested elements;
entity declarations (billion laughs); roster pushes from a foreign JID;
iq results for ids never sent; presence of an unknown type; a huge
disco#info result and a huge, hostile version answer.

natter stays up, renders everything inert (no raw control character in
headless output; in tmux the title, colours and layout survive), ignores
what RFC 6120/6121 say to ignore, and stores nothing corrupt: the history
database passes integrity_check and holds exactly the bodies that were
accepted.

Pending: nicks and room subjects of group chats, and a MUC status flood,
wait for /join (group chat is not in this tree yet)."""

import base64
import os
import queue
import re
import signal
import socket
import sqlite3
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, hmsg  # noqa: E402
from test_stall import FakeServer  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"

# Text a hostile sender would like to reach the terminal.  XML 1.0 lets
# DEL and the C1 controls through (U+009B is CSI, U+009D OSC, U+009C ST),
# and bidi controls; C0 controls other than tab/newline cannot be
# written in XML at all.
EVIL = ("\u009d0;pwned\u009c \u009b2J\u009b31mRED\u009b0m "
        "del\x7f \u202etxt.exe\u202c \u2066iso\u2069 \u200fRLM end")


def raw_controls(s):
    """Characters of s that must never reach a terminal raw."""
    return [c for c in s
            if (ord(c) < 0x20 and c not in "\n") or 0x7f <= ord(c) < 0xa0
            or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068"
            "\u2069\u200e\u200f\u061c\u2028\u2029"
            or 0xdc80 <= ord(c) <= 0xdcff]


def assert_inert(proc):
    """No line natter printed so far holds a raw control character."""
    bad = [(x, raw_controls(x)) for x in list(proc.lines) if raw_controls(x)]
    assert not bad, "raw control characters in output: %r" % (
        [(harness._visible(x), c) for x, c in bad[:3]],)


def history_rows(env, account):
    path = os.path.join(env["XDG_DATA_HOME"], "natter", account,
                        "history.db")
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=5)
    try:
        check = [r[0] for r in con.execute("PRAGMA integrity_check")]
        rows = con.execute("SELECT peer, outgoing, sender, body FROM "
                           "messages ORDER BY id").fetchall()
    finally:
        con.close()
    return check, rows


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def xml_escape(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("'", "&apos;")
            .replace('"', "&quot;"))


# ---------------------------------------------------------------------------
# the raw hostile server

STREAM_HEAD = ("<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
               "xmlns:stream='http://etherx.jabber.org/streams' id='%s' "
               "from='localhost' version='1.0'>")
FEATURES_SASL = ("<stream:features><mechanisms "
                 "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                 "<mechanism>PLAIN</mechanism></mechanisms>"
                 "</stream:features>")
FEATURES_BIND = ("<stream:features><bind "
                 "xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
                 "</stream:features>")


class Client:
    """One logged-in natter connection to the hostile server."""

    def __init__(self, sock, stop):
        self.sock = sock
        self.stop = stop
        self.buf = b""        # what natter sent and nobody consumed yet
        self.all = b""        # everything natter sent
        self.closed = False
        self.jid = None

    def _recv(self, timeout):
        self.sock.settimeout(min(timeout, 0.2))
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return True
        except OSError:
            self.closed = True
            return False
        if not data:
            self.closed = True
            return False
        self.buf += data
        self.all += data
        return True

    def expect(self, regex, timeout=10):
        """Wait until natter's output matches regex (bytes); consume up
        to the end of the match and return the match."""
        pat = re.compile(regex, re.S)
        deadline = time.monotonic() + timeout
        while True:
            m = pat.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            left = deadline - time.monotonic()
            if left <= 0 or self.stop.is_set() or self.closed:
                raise AssertionError(
                    "hostile server: natter never sent %r (closed %s); it "
                    "sent: %r" % (regex, self.closed, self.buf[-600:]))
            self._recv(left)

    def expect_no(self, regex, within=1.0):
        pat = re.compile(regex, re.S)
        deadline = time.monotonic() + within
        while time.monotonic() < deadline and not self.closed:
            self._recv(deadline - time.monotonic())
        m = pat.search(self.buf)
        assert not m, "natter sent %r" % m.group(0)

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.sock.settimeout(60)  # natter may read a big stanza slowly
        self.sock.sendall(data)

    def wait_closed(self, timeout=10):
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            self._recv(deadline - time.monotonic())
        return self.closed

    def login(self, roster_items="", prolog=""):
        """Play a server up to a bound resource and an answered roster
        request; returns the full JID natter got."""
        self.expect(rb"<stream:stream[^>]*>")
        self.send(STREAM_HEAD % "s1" + FEATURES_SASL)
        m = self.expect(rb"<auth[^>]*>([^<]*)</auth>")
        creds = base64.b64decode(m.group(1)).split(b"\0")
        assert creds[1] == b"alice", creds
        self.send("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")
        self.expect(rb"<stream:stream[^>]*>")
        head = STREAM_HEAD % "s2"
        if prolog:  # a DOCTYPE goes between the XML declaration and root
            i = head.index("?>") + 2
            head = head[:i] + prolog + head[i:]
        self.send(head + FEATURES_BIND)
        m = self.expect(rb"<iq[^>]*id=['\"]([^'\"]+)['\"][^>]*>\s*<bind"
                        rb".*?(?:<resource>([^<]*)</resource>.*?)?</iq>")
        res = (m.group(2) or b"hostile").decode()
        self.jid = "alice@localhost/" + res
        self.send("<iq type='result' id='%s'><bind xmlns='urn:ietf:params:"
                  "xml:ns:xmpp-bind'><jid>%s</jid></bind></iq>"
                  % (m.group(1).decode(), self.jid))
        m = self.expect(rb"<iq[^>]*id=['\"]([^'\"]+)['\"][^>]*>\s*<query "
                        rb"xmlns=['\"]jabber:iq:roster['\"]")
        self.send("<iq type='result' id='%s' to='%s'><query xmlns='jabber:"
                  "iq:roster'>%s</query></iq>"
                  % (m.group(1).decode(), self.jid, roster_items))
        self.expect(rb"<presence")
        return self.jid


class HostileServer:
    """A minimal XMPP server in this process: every connection logs natter
    in (PLAIN, no TLS) and is then handed to the test as a Client."""

    def __init__(self, roster_items="", prolog=""):
        self.roster_items = roster_items
        self.prolog = prolog
        self.clients = queue.Queue()
        self.srv = FakeServer(self._script)
        self.port = self.srv.port
        harness._register(self)

    def _script(self, sock, stop):
        c = Client(sock, stop)
        try:
            c.login(self.roster_items, self.prolog)
        except (AssertionError, OSError) as e:
            self.clients.put(e)
            return
        self.clients.put(c)
        stop.wait(120)   # the test talks to the client meanwhile

    def client(self, timeout=20):
        try:
            c = self.clients.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("natter did not log in to the hostile "
                                 "server within %gs" % timeout)
        if isinstance(c, BaseException):
            raise AssertionError("hostile server login failed: %s" % c)
        return c

    def stop(self):
        self.srv.stop()
        harness._unregister(self)

    def report(self):
        return "----- hostile server on port %d" % self.port


def hostile_login(t, roster_items="", ui=False, prolog="", **kw):
    """natter (headless, or the UI in tmux) logged in to a new hostile
    server as account 'h' (alice@localhost).  Returns (natter, srv, client)."""
    srv = HostileServer(roster_items, prolog)
    t.reports.append(srv)
    setup = ("/account add h %s\n/account set h server 127.0.0.1\n"
             "/account set h port %d\n/account set h tls disable\n"
             "/account set h allow_plain on\n" % (ALICE, srv.port))
    if ui:
        n = t.tmux(autorun=setup, width=100, height=30, **kw)
        n.wait_until(lambda rows: "natter" in rows[0], timeout=10,
                     what="title bar")
        n.line("/connect h")
        n.wait_for(r"[Pp]assword", timeout=10)
        n.line("pw")
    else:
        n = t.headless(autorun=setup, **kw)
        n.send("/connect h")
        n.send("pw")
    c = srv.client()
    if ui:
        n.wait_for(r"Connected as alice@localhost/", timeout=15)
    else:
        n.expect(hline("console", r"-!- Connected as alice@localhost/"),
                 timeout=15)
    return n, srv, c


def hmsg_start(window, sender):
    return hline(window, r"<%s> " % re.escape(sender))


# ---------------------------------------------------------------------------
# through the raw hostile server

def test_raw_text_inert(t):
    """Hostile text in roster names and groups, a status, a body, a
    resource and a localpart: shown inert, stored as sent."""
    items = ("<item jid='bob@localhost' name='%s' subscription='both'>"
             "<group>%s</group></item>"
             "<item jid='ev\u009bil@localhost' name='c1 jid'/>"
             "<item jid='carol@localhost' name='\u202eCAROL' "
             "subscription='both'/>" % (xml_escape(EVIL), xml_escape(EVIL)))
    h, srv, c = hostile_login(t, items)
    c.send("<presence from='bob@localhost/r1' to='%s'><show>away"
           "</show><status>%s</status></presence>" % (c.jid,
                                                      xml_escape(EVIL)))
    line = h.expect(hline("console", r"-!- bob@localhost is now away \("),
                    timeout=10)
    assert "0;pwned" in line and "txt.exe" in line, line
    c.send("<message from='bob@localhost/r1' to='%s' type='chat' "
           "id='m1'><body>%s</body></message>" % (c.jid, xml_escape(EVIL)))
    line = h.expect(hmsg_start(BOB, BOB), timeout=10)
    assert "0;pwned" in line and "RED" in line and "txt.exe" in line, line
    assert "\u2421" in line, "DEL not shown as a symbol: %r" % line
    # JIDs RFC 7622 refuses (controls in the localpart or resource, a
    # bidi override): dropped or shown inert, never raw
    c.send("<message from='x\u009b31m@localhost/r' to='%s' type='chat' "
           "id='m2'><body>from a C1 localpart</body></message>" % c.jid)
    c.send("<message from='bob@localhost/r\u009b1' to='%s' type='chat' "
           "id='m3'><body>from a C1 resource</body></message>" % c.jid)
    c.send("<message from='bob@localhost/\u202eres' to='%s' type='chat' "
           "id='m4'><body>bidi resource</body></message>" % c.jid)
    c.send("<message from='\u202eevil@localhost' to='%s' type='chat' "
           "id='m5'><body>bidi localpart</body></message>" % c.jid)
    c.send("<message from='bob@localhost/r1' to='%s' type='chat' "
           "id='m6'><body>still here</body></message>" % c.jid)
    h.expect(hmsg(BOB, BOB, "still here"), timeout=10)
    h.send("/roster show")
    h.expect(hline("console", r"-!-\s+carol@localhost"), timeout=10)
    time.sleep(0.5)
    assert_inert(h)
    for dropped in ("from a C1 localpart", "from a C1 resource",
                    "bidi resource", "bidi localpart"):
        assert not h.has_line(re.escape(dropped)), \
            "message from a JID RFC 7622 refuses was shown: " + dropped
    h.close_stdin()
    h.wait(15)
    check, rows = history_rows(h.env, "h")
    assert check == ["ok"], check
    bodies = [r[3] for r in rows]
    assert EVIL in bodies, "stored body differs from what was sent: %r" % (
        bodies,)
    assert "still here" in bodies, bodies
    for r in rows:
        assert not raw_controls(r[0]), "peer stored with controls: %r" % (
            r[0],)



def alive(n, c, tag):
    """natter still reads and shows a message (the raw server sends it)."""
    c.send("<message from='bob@localhost/r1' to='%s' type='chat' id='%s'>"
           "<body>alive %s</body></message>" % (c.jid, tag, tag))
    n.expect(hmsg(BOB, BOB, "alive %s" % tag), timeout=15)


def roster_lines(n):
    n.send("/roster show")
    head = n.expect(hline("console", r"-!- Roster of alice@localhost: "
                          r"(\d+) contact"), timeout=10)
    count = int(re.search(r": (\d+) contact", head).group(1))
    return [n.expect(hline("console", r"-!- \S+@"), timeout=5)
            for _ in range(count)]


def test_raw_rfc_ignores(t):
    """What RFC 6120/6121 say to ignore is ignored: roster pushes not from
    our bare JID (RFC 6121 2.1.6), iq results and errors for ids never
    sent (RFC 6120 8.2.3: never answered either), presence of an unknown
    type, an unsolicited huge disco#info result.  A push from our bare JID
    is applied and answered; an unknown iq get is refused."""
    items = "<item jid='bob@localhost' subscription='both'/>"
    h, srv, c = hostile_login(t, items)
    c.send("<presence from='bob@localhost/r1' to='%s'/>" % c.jid)
    h.expect(hline("console", r"-!- bob@localhost is now online"))
    pid = h.proc.pid

    # roster pushes: from a stranger, from another resource of ours, with
    # no 'from' but wrapped in a result, and from our bare JID
    push = ("<iq type='set' id='%s'%s to='%s'><query xmlns='jabber:iq:"
            "roster'><item jid='%s' name='trust me' subscription='both'/>"
            "</query></iq>")
    c.send(push % ("push-foreign", " from='mallory@evil.example/x'", c.jid,
                   "mallory@evil.example"))
    c.send(push % ("push-ownres", " from='alice@localhost/other'", c.jid,
                   "eve@evil.example"))
    c.send(push % ("push-bob", " from='bob@localhost/r1'", c.jid,
                   "trudy@evil.example"))
    c.send(push % ("push-ok", " from='alice@localhost'", c.jid,
                   "dave@localhost"))
    c.expect(rb"<iq[^>]*id=['\"]push-ok['\"][^>]*type=['\"]result['\"]|"
             rb"<iq[^>]*type=['\"]result['\"][^>]*id=['\"]push-ok['\"]")
    c.expect_no(rb"push-(foreign|ownres|bob)", within=1.0)
    rows = roster_lines(h)
    jids = sorted(re.search(r"-!- (\S+)", x).group(1) for x in rows)
    assert jids == ["bob@localhost", "dave@localhost"], jids

    # results and errors for ids natter never used: no answer, no effect
    c.send("<iq type='result' id='never-1' from='localhost' to='%s'/>"
           % c.jid)
    c.send("<iq type='error' id='never-2' from='bob@localhost/r1' to='%s'>"
           "<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:"
           "ns:xmpp-stanzas'/></error></iq>" % c.jid)
    c.send("<iq type='result' id='never-3' from='mallory@evil.example' "
           "to='%s'><query xmlns='jabber:iq:roster'><item jid='oscar@evil."
           "example' subscription='both'/></query></iq>" % c.jid)
    c.send("<iq type='result' id='_xmpp_bind1' to='%s'><bind xmlns='urn:"
           "ietf:params:xml:ns:xmpp-bind'><jid>mallory@evil.example/x</jid>"
           "</bind></iq>" % c.jid)
    # a huge unsolicited disco#info result: 20,000 features, 2,000
    # identities with hostile names (about 1.3 MB)
    feats = "".join("<feature var='urn:evil:%d\u009b31m'/>" % i
                    for i in range(20000))
    idents = "".join("<identity category='client' type='pc' name='%s %d'/>"
                     % (xml_escape(EVIL), i) for i in range(2000))
    rss0 = rss_kib(pid)
    t0 = time.monotonic()
    c.send("<iq type='result' id='disco-never' from='bob@localhost/r1' "
           "to='%s'><query xmlns='http://jabber.org/protocol/disco#info'>"
           "%s%s</query></iq>" % (c.jid, idents, feats))
    alive(h, c, "after-disco")
    took = time.monotonic() - t0
    c.expect_no(rb"never-[123]|disco-never|_xmpp_bind1", within=0.5)
    rows = roster_lines(h)
    assert len(rows) == 2, rows

    # presence of unknown types changes nothing and is answered with
    # bad-request (RFC 6121 4.7.1); a probe from a contact is ignored
    c.send("<presence from='bob@localhost/r1' to='%s' type='bogus' "
           "id='pb1'><status>%s</status></presence>"
           % (c.jid, xml_escape(EVIL)))
    c.send("<presence from='bob@localhost/r1' to='%s' type='probe' "
           "id='pb2'/>" % c.jid)
    c.send("<presence from='bob@localhost/r1' to='%s' type='' id='pb3'/>"
           % c.jid)
    alive(h, c, "after-presence")
    # RFC 6121 4.7.1: an unknown type SHOULD be answered with bad-request
    for sid in (b"pb1", b"pb3"):
        m = c.expect(rb"<presence[^>]*" + sid + rb"[^>]*>.*?</presence>")
        assert b"type=\"error\"" in m.group(0) and \
            b"bad-request" in m.group(0), m.group(0)
    c.expect_no(rb"pb2", within=0.3)
    bob = [x for x in roster_lines(h) if "bob@localhost" in x][0]
    assert re.search(r"bob@localhost\s+online", bob), bob
    assert "pwned" not in bob, bob
    h.expect_no(hline("console", r"-!- bob@localhost is now"), within=0.5)

    # an iq get natter does not know is refused, not ignored (RFC 6120
    # 8.2.3); a set with an unknown payload too
    c.send("<iq type='get' id='q-1' from='bob@localhost/r1' to='%s'>"
           "<query xmlns='urn:evil:unknown'/></iq>" % c.jid)
    c.expect(rb"<iq[^>]*id=['\"]q-1['\"].*?service-unavailable.*?</iq>")
    assert_inert(h)
    rss1 = rss_kib(pid)
    print("huge disco result: answered the next message after %.2f s, "
          "RSS %d -> %d KiB" % (took, rss0, rss1))
    assert rss1 - rss0 < 64 * 1024, "RSS grew by %d KiB" % (rss1 - rss0)
    assert h.alive()



def test_raw_bytes_refused(t):
    """Bytes XML cannot carry (invalid UTF-8, a literal ESC or BEL or NUL,
    a character reference to ESC) end the stream at the parser: natter
    reports the lost connection, logs in again, shows and stores none of
    it, and the history stays sound."""
    h, srv, c = hostile_login(t, "<item jid='bob@localhost' "
                                 "subscription='both'/>")
    alive(h, c, "first")
    bad = [
        ("invalid UTF-8", b"bad \xff\xfe utf8 \xc3\x28 \xed\xa0\x80 pwned"),
        ("literal ESC", b"\x1b]0;pwned\x07\x1b[2J\x1b[31mRED pwned"),
        ("NUL", b"nul \x00 pwned"),
        ("char ref to ESC", b"&#x1b;]0;pwned&#x7; &#27;[2J pwned"),
        ("char ref to a surrogate", b"&#xD800; pwned"),
    ]
    for n, (what, payload) in enumerate(bad):
        c.send(b"<message from='bob@localhost/r1' to='" + c.jid.encode() +
               b"' type='chat' id='bad%d'><body>" % n + payload +
               b"</body></message>")
        assert c.wait_closed(10), "natter kept a stream with %s" % what
        h.expect(hline("console", r"-!- Connection of alice@localhost "
                       r"lost: the server sent malformed XML"), timeout=10)
        h.send("/reconnect h")
        c = srv.client()
        h.expect(hline("console", r"-!- Connected as alice@localhost/"),
                 timeout=15)
        alive(h, c, "after-%d" % n)
    # invalid UTF-8 in an attribute, and in an element name
    c.send(b"<message from='bob@localhost/\xc0\xaf' to='" + c.jid.encode() +
           b"'><body>attr pwned</body></message>")
    assert c.wait_closed(10), "natter kept a stream with a bad attribute"
    h.send("/reconnect h")
    c = srv.client()
    alive(h, c, "last")
    assert not h.has_line("pwned"), "refused text was shown"
    assert_inert(h)
    h.close_stdin()
    h.wait(15)
    check, rows = history_rows(h.env, "h")
    assert check == ["ok"], check
    bodies = [r[3] for r in rows]
    assert not [b for b in bodies if "pwned" in b], bodies
    assert bodies == ["alive first"] + ["alive after-%d" % i
                                        for i in range(len(bad))] + \
        ["alive last"], bodies



LOL = ("<!DOCTYPE stream:stream [<!ENTITY lol 'lol'>"
       + "".join("<!ENTITY lol%d '%s'>" % (
           i, ("&lol%d;" % (i - 1) if i > 1 else "&lol;") * 10)
                 for i in range(1, 10)) + "]>")


def test_raw_entities_refused(t):
    """Entity declarations (a DTD) are refused, as RFC 6120 11.1 says,
    before expat expands anything: billion laughs in the stream header
    ends the login at once; a DOCTYPE inside an open stream ends the
    stream.  Without this, an entity worth 3 MB of text froze natter for
    minutes and a simple entity was expanded into a message."""
    srv = HostileServer(prolog=LOL)
    t.reports.append(srv)
    h = t.headless(autorun="/account add h %s\n/account set h server "
                   "127.0.0.1\n/account set h port %d\n/account set h tls "
                   "disable\n/account set h allow_plain on\n"
                   % (ALICE, srv.port))
    t0 = time.monotonic()
    h.send("/connect h")
    h.send("pw")
    h.expect(hline("console", r"-!- Cannot log in to \S+ as "
                   r"alice@localhost: the server sent a DOCTYPE"),
             timeout=15)
    took = time.monotonic() - t0
    assert took < 5, "refusing the DOCTYPE took %.1f s" % took
    h.send("/help clear")  # responsive
    h.expect(hline("console", r"-!- Usage: /clear"), timeout=5)
    if not os.environ.get("NATTER_WRAPPER"):  # valgrind has its own RSS
        assert rss_kib(h.proc.pid) < 64 * 1024

    # a DOCTYPE inside an established stream
    h2, srv2, c = hostile_login(t, home="home2")
    c.send("<!DOCTYPE x [<!ENTITY e 'pwned'>]><message from='bob@"
           "localhost/r1' to='%s' type='chat'><body>ent &e;</body>"
           "</message>" % c.jid)
    h2.expect(hline("console", r"-!- Connection of alice@localhost lost: "
                    r"the server sent malformed XML"), timeout=10)
    h2.send("/reconnect h")
    c = srv2.client()
    alive(h2, c, "after-doctype")
    # an entity reference without a declaration is malformed as well
    c.send("<message from='bob@localhost/r1' to='%s' type='chat'><body>"
           "&undeclared;</body></message>" % c.jid)
    h2.expect(hline("console", r"-!- Connection of alice@localhost lost: "),
              timeout=10)
    assert not h2.has_line("pwned") and not h.has_line("lol"), \
        "an entity was expanded"
    assert_inert(h2)


def test_raw_big_and_deep(t):
    """A 1 MiB body is shown and stored whole; text cut into a million
    pieces (entities) costs linear time; nesting 200 deep is fine, and
    what lies deeper than 256 is left out (libstrophe renders stanzas
    recursively: a 700 KB stanza nested 100,000 deep crashed natter with a
    stack overflow); children past 10,000 of one element are left out (50,000
    took libstrophe 80 s); a stanza over 16 MiB ends the stream.  natter
    stays up and the history is sound."""
    h, srv, c = hostile_login(t)
    pid = h.proc.pid
    big = EVIL + " " + "0123456789abcdef" * (1048576 // 16 - 8) + " big end"
    assert len(big.encode()) >= 1048576 - 200
    t0 = time.monotonic()
    c.send("<message from='bob@localhost/r1' to='%s' type='chat' id='big'>"
           "<body>%s</body></message>" % (c.jid, xml_escape(big)))
    line = h.expect(hmsg_start(BOB, BOB), timeout=30)
    t_big = time.monotonic() - t0
    assert line.endswith(" big end"), line[-80:]

    pieces = "&amp;" * 1000000  # 5 MB on the wire, 1 MB of text
    t0 = time.monotonic()
    c.send("<message from='bob@localhost/r1' to='%s' type='chat' id='amp'>"
           "<body>amp %s</body></message>" % (c.jid, pieces))
    alive(h, c, "after-pieces")
    t_pieces = time.monotonic() - t0
    assert t_pieces < 20, "a million text pieces took %.1f s" % t_pieces

    depth = 200
    c.send("<message from='bob@localhost/r1' to='%s' type='chat' id='d200'>"
           "<body>deep %d</body><x xmlns='urn:evil'>%s%s</x></message>"
           % (c.jid, depth, "<a>" * depth, "</a>" * depth))
    h.expect(hmsg(BOB, BOB, "deep %d" % depth), timeout=10)

    depth = 100000
    t0 = time.monotonic()
    c.send("<message from='bob@localhost/r1' to='%s' type='chat' id='dd'>"
           "<body>deep %d</body><x xmlns='urn:evil'>%s%s</x></message>"
           % (c.jid, depth, "<a>" * depth, "</a>" * depth))
    h.expect(hmsg(BOB, BOB, "deep %d" % depth), timeout=15)
    t_deep = time.monotonic() - t0

    wide = 200000  # 800 KB of empty children of one element
    t0 = time.monotonic()
    c.send("<message from='bob@localhost/r1' to='%s' type='chat' id='w'>"
           "<body>wide %d</body><x xmlns='urn:evil'>%s</x></message>"
           % (c.jid, wide, "<a/>" * wide))
    h.expect(hmsg(BOB, BOB, "wide %d" % wide), timeout=30)
    t_wide = time.monotonic() - t0
    assert t_wide < 10, "%d children took %.1f s" % (wide, t_wide)
    h.expect_no(hline("console", r"-!- Connection of alice@localhost lost"),
                within=0.2)

    t0 = time.monotonic()
    huge = b"y" * (17 * 1024 * 1024)
    try:
        c.send(b"<message from='bob@localhost/r1' to='" + c.jid.encode() +
               b"' type='chat' id='huge'><body>" + huge +
               b"</body></message>")
    except OSError:
        pass  # natter closed the stream before reading it all
    h.expect(hline("console", r"-!- Connection of alice@localhost lost: "
                   r"the server sent a stanza larger than 16 MiB"),
             timeout=30)
    t_huge = time.monotonic() - t0
    h.send("/reconnect h")
    c = srv.client()
    alive(h, c, "after-huge")
    rss = rss_kib(pid)
    print("1 MiB body shown after %.2f s; 1,000,000 entities %.2f s; "
          "100,000-deep nesting %.2f s; 200,000 children %.2f s; 17 MiB "
          "stanza refused after %.2f s; RSS %d KiB"
          % (t_big, t_pieces, t_deep, t_wide, t_huge, rss))
    assert h.alive()
    assert_inert(h)
    h.close_stdin()
    h.wait(20)
    check, rows = history_rows(h.env, "h")
    assert check == ["ok"], check
    bodies = [r[3] for r in rows]
    assert big in bodies, "the 1 MiB body was not stored whole"
    assert "amp " + "&" * 1000000 in bodies
    assert not [b for b in bodies if b.startswith("yyyy")]



def test_raw_screen_roster_inert(t):
    """Roster names and groups the server chose, shown in the roster pane
    of the curses screen: inert, and the layout holds."""
    items = ("<item jid='bob@localhost' name='%s' subscription='both'>"
             "<group>\u009b2J%s</group></item>"
             % (xml_escape(EVIL), xml_escape(EVIL)))
    tm, srv, c = hostile_login(t, items, ui=True)
    title_before = tm.pane_title()
    c.send("<presence from='bob@localhost/r1' to='%s'><status>%s</status>"
           "</presence>" % (c.jid, xml_escape(EVIL)))
    c.send("<message from='bob@localhost/r1' to='%s' type='chat' id='x'>"
           "<body>%s</body></message>" % (c.jid, xml_escape(EVIL)))
    tm.wait_until(lambda rows: "2:" in rows[-2], timeout=10,
                  what="a second window in the status bar")
    rows = tm.rows()
    screen = "\n".join(rows)
    assert "natter" in rows[0], rows[0]
    assert "Roster" in screen, screen
    assert "pwned" in screen, "roster name not shown:\n" + screen
    for r in rows:
        assert not raw_controls(r), "raw control on screen: %r" % r
    assert tm.pane_title() == title_before
    assert "1:console" in rows[-2], rows[-2]
    assert not tm.dead()



def test_raw_info_answers_inert(t):
    """/info asks a contact's client what it is; hostile answers (a
    version 200 KB long full of controls and bidi, a malformed time, an
    absurd idle time) are shown inert on one line each, or called
    malformed."""
    h, srv, c = hostile_login(t, "<item jid='bob@localhost' "
                                 "subscription='both'/>")
    c.send("<presence from='bob@localhost/r1' to='%s'/>" % c.jid)
    h.expect(hline("console", r"-!- bob@localhost is now online"))
    h.send("/info bob@localhost")
    asked = {}
    for _ in range(3):
        m = c.expect(rb"<iq[^>]*>.*?</iq>")
        iq = m.group(0).decode()
        sid = re.search(r"id=['\"]([^'\"]+)", iq).group(1)
        ns = re.search(r"xmlns=['\"](jabber:iq:version|urn:xmpp:time|"
                       r"jabber:iq:last)['\"]", iq).group(1)
        asked[ns] = sid
    name = (EVIL + " ") * 20 + "n" * 200000
    c.send("<iq type='result' id='%s' from='bob@localhost/r1' to='%s'>"
           "<query xmlns='jabber:iq:version'><name>%s</name><version>"
           "\u009b31m1.0\u202e</version><os>\u2066os\u2069</os></query></iq>"
           % (asked["jabber:iq:version"], c.jid, xml_escape(name)))
    c.send("<iq type='result' id='%s' from='bob@localhost/r1' to='%s'>"
           "<time xmlns='urn:xmpp:time'><tzo>\u009b2J</tzo><utc>yesterday"
           "</utc></time></iq>" % (asked["urn:xmpp:time"], c.jid))
    c.send("<iq type='result' id='%s' from='bob@localhost/r1' to='%s'>"
           "<query xmlns='jabber:iq:last' seconds='99999999999999999999999"
           "'/></iq>" % (asked["jabber:iq:last"], c.jid))
    line = h.expect(hline("console", r"-!- bob@localhost/r1: client "),
                    timeout=10)
    assert "pwned" in line and "1.0" in line, line[:200]
    h.expect(hline("console", r"-!- bob@localhost/r1: malformed time "
                   r"answer$"), timeout=10)
    h.expect(hline("console", r"-!- bob@localhost/r1: malformed last "
                   r"activity answer$"), timeout=10)
    alive(h, c, "after-info")
    assert_inert(h)



# ---------------------------------------------------------------------------
# through Prosody: a scripted hostile peer

def peer_pair(t):
    """alice (natter headless) and bob (peer), subscribed, both online;
    returns (natter, bob, alice's full JID)."""
    t.befriend("alice", "bob")
    bob = t.peer("bob")
    h = t.headless()
    line = h.connect("alice")
    full = re.search(r"Connected as (\S+)", line).group(1)
    bob.expect(r"^PRESENCE alice@localhost/\S+ available\b", timeout=10)
    return h, bob, full


def test_peer_hostile(t):
    """What a contact can send through a real server: hostile text in a
    body and a status, a body just under the server's 1 MiB stanza limit,
    a roster push, iq results for ids never sent, a presence of unknown
    type.  Inert on output, ignored where RFC 6121 says so, and stored
    exactly as sent."""
    h, bob, full = peer_pair(t)
    bob.msg(ALICE, EVIL)
    line = h.expect(hmsg_start(BOB, BOB), timeout=10)
    assert "0;pwned" in line and "txt.exe" in line, line
    bob.presence("away", EVIL)
    h.expect(hline("console", r"-!- bob@localhost is now away \(.*txt"),
             timeout=10)

    bob.send("raw <iq type='set' id='bobpush' to='%s'><query xmlns='jabber"
             ":iq:roster'><item jid='mallory@evil.example' name='trust me' "
             "subscription='both'/></query></iq>" % full)
    bob.expect(r"^SENT$")
    bob.send("raw <iq type='result' id='never-sent' to='%s'/>" % full)
    bob.expect(r"^SENT$")
    bob.send("raw <iq type='error' id='never-sent-2' to='%s'><error type="
             "'cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-"
             "stanzas'/></error></iq>" % full)
    bob.expect(r"^SENT$")
    bob.send("raw <presence type='bogus' to='%s'><status>bogus</status>"
             "</presence>" % full)
    bob.expect(r"^SENT$")
    bob.msg(ALICE, "after the junk")
    h.expect(hmsg(BOB, BOB, "after the junk"), timeout=10)
    bob.expect_no(r"bobpush|never-sent", within=1.0)
    h.send("/roster show")
    h.expect(hline("console", r"-!- Roster of alice@localhost: 1 contact"),
             timeout=10)
    line = h.expect(hline("console", r"-!- bob@localhost .*subscription"),
                    timeout=5)
    assert re.search(r"bob@localhost\s+away", line), line
    assert "bogus" not in line, line

    n = 1000000  # the stanza stays under Prosody's 1 MiB limit
    t0 = time.monotonic()
    bob.send("bigmsg %s %d" % (ALICE, n))
    bob.expect(r"^SENT$", timeout=20)
    line = h.expect(hline(BOB, r"<bob@localhost> .*END-OF-BIG$"), timeout=30)
    took = time.monotonic() - t0
    print("a %d-byte body through Prosody shown after %.2f s" % (n, took))
    assert len(line) > n
    assert_inert(h)
    h.close_stdin()
    assert h.wait(15) == 0
    check, rows = history_rows(h.env, ALICE)
    assert check == ["ok"], check
    bodies = [r[3] for r in rows]
    assert EVIL in bodies, "stored body differs: %r" % bodies[:3]
    assert [b for b in bodies if len(b) == n and b.endswith("END-OF-BIG")], \
        "the big body was not stored whole"


def test_peer_screen_inert(t):
    """On the curses screen: a hostile body, status and bidi text change
    neither the terminal's title nor its colours, nor natter's layout; the
    controls show as visible symbols."""
    t.befriend("alice", "bob")
    bob = t.peer("bob")
    tm = t.tmux(width=100, height=30)
    tm.wait_until(lambda rows: "natter" in rows[0], timeout=10,
                  what="title bar")
    tm.line("/connect %s %s" % (ALICE, t.prosody.connect_args("trust")))
    tm.wait_for(r"[Pp]assword", timeout=10)
    tm.line(harness.PASSWORDS["alice"])
    tm.wait_for(r"Connected as alice@localhost/", timeout=20)
    bob.expect(r"^PRESENCE alice@localhost/\S+ available\b", timeout=10)
    title_before = tm.pane_title()
    bob.presence("away", EVIL)
    bob.msg(ALICE, "plain first")
    tm.wait_until(lambda rows: "2:bob@localhost" in rows[-2], timeout=10,
                  what="bob's window in the status bar")
    tm.send_keys("M-2")
    tm.wait_for(r"plain first", timeout=5)
    bob.msg(ALICE, EVIL)
    # the title bar shows the same text as bob's status: wait for the line
    screen = tm.wait_for(r"<bob@localhost> .*pwned.*RED", timeout=10)
    rows = tm.rows()
    assert "natter" in rows[0] and "bob@localhost" in rows[0], rows[0]
    assert "txt.exe" in rows[0], "status not in the title bar: " + rows[0]
    assert "plain first" in screen, "earlier line gone:\n" + screen
    assert "1:console" in rows[-2], "status bar gone: " + rows[-2]
    for r in rows:
        assert not raw_controls(r), "raw control on screen: %r" % r
    assert "\u2421" in screen and "\ufffd" in screen, screen
    assert tm.pane_title() == title_before, \
        "pane title changed to %r" % tm.pane_title()
    # colours: natter draws message text in the default colour; a CSI 31m
    # that got through would make the row red
    styled = tm._run("capture-pane", "-p", "-e", "-t", "main")
    row = [x for x in styled.split("\n")[1:]
           if "RED" in x and "<bob@localhost>" in x]
    assert row, styled
    main_part = row[0].split("\u2502")[0]  # left of the roster pane
    assert not re.search(r"\x1b\[[0-9;]*3[1-7]m", main_part), \
        "the message row is coloured: %r" % main_part
    assert pane_flag(tm, "alternate_on") == "1"
    assert not tm.dead()


def pane_flag(tm, name):
    return tm._run("display-message", "-p", "-t", "main",
                   "#{%s}" % name).strip()


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
