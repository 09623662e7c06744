#!/usr/bin/python3
"""The password never crosses the network in clear unless the account
allows it: a server with no TLS that offers only PLAIN is refused before
natter logs in; allow_plain accepts it, with a warning."""

import os
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORDS, hline  # noqa: E402
from test_stall import STREAM, FakeServer, read_until  # noqa: E402

ALICE = "alice@localhost"
PLAIN_ONLY = (b"<stream:features><mechanisms "
              b"xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
              b"<mechanism>PLAIN</mechanism></mechanisms></stream:features>")
FAILURE = (b"<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
           b"<not-authorized/></failure></stream:stream>")


class PlainOnly:
    """A server without TLS that offers only PLAIN and records <auth/>."""

    def __init__(self):
        self.auths = []
        self.lock = threading.Lock()
        self.srv = FakeServer(self._script)
        self.port = self.srv.port

    def _script(self, c, stop):
        read_until(c, b"<stream:stream", stop)
        c.sendall(STREAM + PLAIN_ONLY)
        got = read_until(c, b"<auth", stop, limit=5)
        if b"<auth" in got:
            with self.lock:
                self.auths.append(got)
            c.sendall(FAILURE)
        stop.wait(5)

    def stop(self):
        self.srv.stop()


def test_plain_without_tls_is_refused(t):
    srv = PlainOnly()
    try:
        h = t.headless()
        h.send("/connect %s server 127.0.0.1 port %d tls allow"
               % (ALICE, srv.port))
        h.send(PASSWORDS["alice"])
        h.expect(hline("console", r"-!- Login refused for alice@localhost: "
                       r"127.0.0.1:%d offers no TLS and only PLAIN"
                       % srv.port), timeout=20)
        h.close_stdin()
        assert h.wait(10) == 1
        assert srv.auths == [], "natter sent <auth/>: %r" % srv.auths
    finally:
        srv.stop()


def test_allow_plain_logs_in_with_a_warning(t):
    srv = PlainOnly()
    try:
        h = t.headless()
        h.send("/account add p %s" % ALICE)
        h.send("/account set p server 127.0.0.1")
        h.send("/account set p port %d" % srv.port)
        h.send("/account set p tls disable")
        h.send("/account set p allow_plain on")
        h.expect(hline("console", r"-!- Warning: p may now send its password "
                       r"in clear text"))
        h.send("/connect p")
        h.send("wrong-password")
        h.expect(hline("console", r"-!- Login failed for alice@localhost: "
                       r"not-authorized"), timeout=20)
        assert len(srv.auths) == 1, srv.auths
        assert b"mechanism=\"PLAIN\"" in srv.auths[0] or \
            b"mechanism='PLAIN'" in srv.auths[0], srv.auths[0]
        h.close_stdin()
        h.wait(10)
    finally:
        srv.stop()


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
