#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench/rosterserver.py: a small scripted XMPP server for the roster
scenario of bench/run.

A real Prosody stores a 5,000-contact roster far too slowly on a small
machine, so this server plays what a server sends a client that logs in to
an account with a large roster, and nothing else:

  * on 127.0.0.1, STARTTLS (required) with a self-signed certificate, then
    SASL PLAIN (any password), resource binding and the optional session;
  * stream features after login offer roster versioning
    (urn:xmpp:features:rosterver), as Prosody's do;
  * the roster get is answered like Prosody's mod_roster: an empty result
    when the client names the current version, else the whole roster
    (N items, each with a name and one of G groups) with ver='1';
  * the client's available presence is reflected to it, and when ONLINE >
    0 that many contacts send their available presence, as a server
    does after the initial presence;
  * pings get a result; every other iq get/set a service-unavailable
    error (RFC 6120 8.4); messages and other presences are ignored.

It records, per bare JID, when the roster result was written, so the
runner can time from there.  Standalone:
    bench/rosterserver.py [--items N] [--groups G] [--online N]
prints "PORT n" and serves until killed (for trying a client by hand).
"""

import argparse
import base64
import os
import select
import socket
import ssl
import sys
import threading
import time
import xml.parsers.expat
from xml.sax.saxutils import escape, quoteattr

DOMAIN = "localhost"
NS_STREAMS = "http://etherx.jabber.org/streams"


class Element:
    """A parsed element: name, attributes, children, text."""

    def __init__(self, name, attrs):
        self.name = name
        self.attrs = attrs
        self.children = []
        self.text = ""

    def child(self, name, xmlns=None):
        for c in self.children:
            if c.name.split(":")[-1] == name and (
                    xmlns is None or c.attrs.get("xmlns") == xmlns):
                return c
        return None


class StreamReader:
    """Feeds bytes to expat; calls on_open(attrs) for the stream header,
    on_stanza(Element) for each top-level element, on_close() at the end
    of the stream."""

    def __init__(self, on_open, on_stanza, on_close):
        self.p = xml.parsers.expat.ParserCreate()
        self.p.buffer_text = True
        self.p.StartElementHandler = self._start
        self.p.EndElementHandler = self._end
        self.p.CharacterDataHandler = self._text
        self.stack = []
        self.on_open, self.on_stanza, self.on_close = \
            on_open, on_stanza, on_close

    def feed(self, data):
        self.p.Parse(data, False)

    def _start(self, name, attrs):
        if not self.stack and name.endswith("stream"):
            self.stack.append(None)
            self.on_open(attrs)
            return
        e = Element(name, attrs)
        if len(self.stack) > 1:
            self.stack[-1].children.append(e)
        self.stack.append(e)

    def _end(self, name):
        e = self.stack.pop()
        if e is None:
            self.on_close()
        elif len(self.stack) == 1:
            self.on_stanza(e)

    def _text(self, data):
        if len(self.stack) > 1:
            self.stack[-1].text += data


def roster_items(items, groups):
    """The <item/> elements of the roster, as one string."""
    out = []
    for i in range(items):
        out.append("<item jid='contact%05d@example.org' name='Contact %05d' "
                   "subscription='both'><group>Group %02d</group></item>"
                   % (i, i, i % groups))
    return "".join(out)


class Connection:
    """One client, served on its own thread."""

    def __init__(self, server, sock):
        self.server = server
        self.sock = sock
        self.stage = 0          # 0: before TLS, 1: before auth, 2: logged in
        self.user = None
        self.full = None
        self.done = False
        self.reader = None

    def send(self, text):
        self.sock.sendall(text.encode() if isinstance(text, str) else text)

    def header(self):
        self.send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                  "xmlns:stream='%s' id='s%d' from='%s' version='1.0' "
                  "xml:lang='en'>" % (NS_STREAMS, self.stage, DOMAIN))

    def restart(self):
        self.reader = StreamReader(self.on_open, self.on_stanza,
                                   self.on_close)

    def on_open(self, attrs):
        self.header()
        if self.stage == 0:
            self.send("<stream:features><starttls xmlns='urn:ietf:params:xml"
                      ":ns:xmpp-tls'><required/></starttls></stream:features>")
        elif self.stage == 1:
            self.send("<stream:features><mechanisms xmlns='urn:ietf:params:"
                      "xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>"
                      "</mechanisms></stream:features>")
        else:
            self.send("<stream:features><ver xmlns='urn:xmpp:features:"
                      "rosterver'/><bind xmlns='urn:ietf:params:xml:ns:"
                      "xmpp-bind'><required/></bind><session xmlns='urn:"
                      "ietf:params:xml:ns:xmpp-session'><optional/></session>"
                      "</stream:features>")

    def on_close(self):
        try:
            self.send("</stream:stream>")
        except OSError:
            pass
        self.done = True

    def on_stanza(self, e):
        name = e.name.split(":")[-1]
        if name == "starttls" and self.stage == 0:
            self.send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
            # a slow client (poezio, valgrind) may take seconds here
            self.sock.settimeout(60)
            self.sock = self.server.tls.wrap_socket(self.sock,
                                                    server_side=True)
            self.sock.settimeout(0.5)
            self.stage = 1
            self.restart()
        elif name == "auth" and self.stage == 1:
            try:
                parts = base64.b64decode(e.text or "=").split(b"\0")
                self.user = parts[1].decode()
            except (ValueError, IndexError, UnicodeDecodeError):
                self.send("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                          "<malformed-request/></failure>")
                return
            self.send("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")
            self.stage = 2
            self.restart()
        elif name == "iq" and self.stage == 2:
            self.on_iq(e)
        elif name == "presence" and self.stage == 2:
            self.on_presence(e)
        elif name == "message" and self.stage == 2:
            self.on_message(e)

    def on_message(self, m):
        """Messages are ignored here (bench/mucserver.py overrides)."""

    def reply(self, iq, inner=""):
        """A result for iq, from whom it was sent to (if anyone)."""
        frm = iq.attrs.get("to")
        self.send("<iq type='result' id=%s to=%s%s%s"
                  % (quoteattr(iq.attrs.get("id", "")),
                     quoteattr(self.full or ""),
                     " from=%s" % quoteattr(frm) if frm else "",
                     ">%s</iq>" % inner if inner else "/>"))

    def on_iq(self, iq):
        t = iq.attrs.get("type")
        if t not in ("get", "set"):
            return
        bind = iq.child("bind", "urn:ietf:params:xml:ns:xmpp-bind")
        query = iq.child("query", "jabber:iq:roster")
        if bind is not None:
            res = bind.child("resource")
            self.full = "%s@%s/%s" % (self.user, DOMAIN,
                                      (res.text if res is not None
                                       else "") or "r%d" % id(self))
            self.reply(iq, "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                       "<jid>%s</jid></bind>" % escape(self.full))
        elif iq.child("session", "urn:ietf:params:xml:ns:xmpp-session"):
            self.reply(iq)
        elif query is not None and t == "get":
            bare = "%s@%s" % (self.user, DOMAIN)
            if query.attrs.get("ver") == "1":
                self.reply(iq)
            else:
                self.send(self.server.roster_head % (
                    quoteattr(iq.attrs.get("id", "")),
                    quoteattr(self.full or "")))
                self.send(self.server.roster_body)
            self.server.note_roster(bare)
        elif iq.child("ping", "urn:xmpp:ping"):
            self.reply(iq)
        elif not self.on_other_iq(iq):
            self.error(iq)

    def on_other_iq(self, iq):
        """An iq this server does not know: False to answer with an
        error (bench/mucserver.py overrides)."""
        return False

    def error(self, iq):
        """service-unavailable for iq (RFC 6120 8.4)."""
        frm = iq.attrs.get("to")
        self.send("<iq type='error' id=%s to=%s%s><error type='cancel'>"
                  "<service-unavailable xmlns='urn:ietf:params:xml:ns:"
                  "xmpp-stanzas'/></error></iq>"
                  % (quoteattr(iq.attrs.get("id", "")),
                     quoteattr(self.full or ""),
                     " from=%s" % quoteattr(frm) if frm else ""))

    def on_presence(self, p):
        if p.attrs.get("to"):
            self.on_directed_presence(p)
            return
        if p.attrs.get("type"):
            return
        self.server.note_presence("%s@%s" % (self.user, DOMAIN))
        first = not getattr(self, "announced", False)
        self.announced = True
        inner = "".join(
            "<%s>%s</%s>" % (c.name, escape(c.text), c.name)
            for c in p.children if c.name in ("show", "status", "priority"))
        self.send("<presence from=%s to=%s>%s</presence>"
                  % (quoteattr(self.full), quoteattr(self.full), inner))
        if first and self.server.online:
            self.send(self.server.presences % {"to": self.full})

    def on_directed_presence(self, p):
        """Presence to someone: ignored here (bench/mucserver.py
        overrides)."""

    def wait(self):
        """Called between reads: bench/mucserver.py does its scheduled
        sends here; returns how long the next read may wait."""
        return 0.5

    def serve(self):
        self.restart()
        try:
            while not self.done and not self.server.stopping.is_set():
                left = self.wait()
                if self.stage == 2 and not self.sock.pending():
                    ready = select.select([self.sock], [], [], left)[0]
                    if not ready:
                        continue
                try:
                    data = self.sock.recv(65536)
                except socket.timeout:
                    continue
                if not data:
                    break
                self.reader.feed(data)
        except (OSError, xml.parsers.expat.ExpatError, ssl.SSLError):
            pass
        finally:
            try:
                self.sock.close()
            except OSError:
                pass


class RosterServer:
    """Listens on 127.0.0.1; looks like harness.Prosody to bench/run's
    Client (host, port, cert, jid())."""

    def __init__(self, cert, key, items=5000, groups=50, online=0):
        self.host = "127.0.0.1"
        self.cert = cert
        self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.tls.load_cert_chain(cert, key)
        self.items = items
        self.online = online
        self.roster_head = ("<iq type='result' id=%s to=%s><query "
                            "xmlns='jabber:iq:roster' ver='1'>")
        self.roster_body = (roster_items(items, groups)
                            + "</query></iq>").encode()
        self.presences = "".join(
            "<presence from='contact%05d@example.org/phone' to='%%(to)s'>"
            "<show>away</show><status>status %d</status></presence>"
            % (i, i) for i in range(online))
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.roster_sent = {}   # bare JID -> monotonic time
        self.presence_sent = {}  # bare JID -> its initial presence came
        self.connection_class = Connection
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((self.host, 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def jid(self, user):
        return "%s@%s" % (user, DOMAIN)

    def note_roster(self, bare):
        with self.lock:
            self.roster_sent[bare] = time.monotonic()

    def roster_time(self, bare):
        with self.lock:
            return self.roster_sent.get(bare)

    def note_presence(self, bare):
        with self.lock:
            self.presence_sent.setdefault(bare, time.monotonic())

    def presence_time(self, bare):
        with self.lock:
            return self.presence_sent.get(bare)

    def forget(self, bare):
        with self.lock:
            self.roster_sent.pop(bare, None)
            self.presence_sent.pop(bare, None)

    def _accept(self):
        while not self.stopping.is_set():
            try:
                c, _ = self.sock.accept()
            except OSError:
                continue
            c.settimeout(0.5)
            threading.Thread(target=self.connection_class(self, c).serve,
                             daemon=True).start()

    def stop(self):
        self.stopping.set()
        self.thread.join(5)
        self.sock.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--groups", type=int, default=50)
    ap.add_argument("--online", type=int, default=0)
    ap.add_argument("--cert-dir", default=None)
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(os.path.dirname(here), "tests",
                                    "functional"))
    import harness
    d = a.cert_dir or os.path.join("/tmp", "rosterserver-cert")
    key, cert = harness.make_cert(d)
    srv = RosterServer(cert, key, a.items, a.groups, a.online)
    print("PORT %d" % srv.port, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()


if __name__ == "__main__":
    main()
