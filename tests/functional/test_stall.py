#!/usr/bin/python3
"""Servers that stop answering while natter logs in: natter gives up with
one clear line, stays responsive, and never hangs.  A minimal fake server
in this file plays the silent parts (no Prosody can be made to stall)."""

import os
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline  # noqa: E402

ALICE = "alice@localhost"

STREAM = (b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
          b"xmlns:stream='http://etherx.jabber.org/streams' id='s1' "
          b"from='localhost' version='1.0'>")
FEATURES = (b"<stream:features><starttls "
            b"xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
            b"</starttls></stream:features>")
PROCEED = b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"


class FakeServer:
    """Accepts on a loopback port and plays script(conn) per client."""

    def __init__(self, script):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stop_event = threading.Event()
        self.clients = []
        self.script = script
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop_event.is_set():
            try:
                c, _ = self.sock.accept()
            except OSError:
                continue
            self.clients.append(c)
            threading.Thread(target=self._serve, args=(c,),
                             daemon=True).start()

    def _serve(self, c):
        try:
            self.script(c, self.stop_event)
        except OSError:
            pass

    def stop(self):
        self.stop_event.set()
        self.thread.join(5)
        for c in self.clients:
            c.close()
        self.sock.close()


def read_until(c, needle, stop, limit=10):
    """Read from c until needle has been seen (bounded in time)."""
    buf = b""
    c.settimeout(0.2)
    deadline = time.monotonic() + limit
    while needle not in buf and time.monotonic() < deadline:
        if stop.is_set():
            return buf
        try:
            data = c.recv(4096)
        except socket.timeout:
            continue
        if not data:
            break
        buf += data
    return buf


def silent(c, stop):
    """Accept the connection and never say a word."""
    stop.wait(60)


def stall_in_tls(c, stop):
    """Offer STARTTLS, agree to it, then go silent mid-handshake."""
    read_until(c, b"<stream:stream", stop)
    c.sendall(STREAM + FEATURES)
    read_until(c, b"starttls", stop)
    c.sendall(PROCEED)
    stop.wait(60)


def test_silent_server_times_out(t):
    srv = FakeServer(silent)
    try:
        h = t.headless(autorun="/set connect.timeout 3\n")
        t0 = time.monotonic()
        h.send("/connect %s server 127.0.0.1 port %d" % (ALICE, srv.port))
        h.send("secret")
        h.send("/help clear")  # natter answers while it waits
        h.expect(hline("console", r"-!- Usage: /clear"), timeout=5)
        line = h.expect(hline("console", r"-!- Cannot connect to "
                              r"127.0.0.1:%d for alice@localhost: the server "
                              r"did not complete the login within 3 s"
                              % srv.port), timeout=15)
        took = time.monotonic() - t0
        assert took < harness.scaled(10), "gave up after %.1fs: %s" % (
            took, line)
        h.expect_no(hline("console", r"-!- Reconnecting"), within=1)
        h.close_stdin()
        assert h.wait(10) == 1
    finally:
        srv.stop()


def test_stall_in_tls_handshake_is_cut(t):
    """libstrophe's TLS handshake blocks; the watchdog cuts it off."""
    if os.environ.get("NATTER_WRAPPER"):
        # Seen with valgrind 3.19: under memcheck the watchdog thread does
        # not cut the handshake (natter waits until the server closes).
        # Natively and under ASan this test runs; see scripts/test.
        raise harness.SkipTest("the watchdog does not fire under "
                               "NATTER_WRAPPER (valgrind)")
    srv = FakeServer(stall_in_tls)
    try:
        h = t.headless()
        t0 = time.monotonic()
        h.send("/connect %s server 127.0.0.1 port %d" % (ALICE, srv.port))
        h.send("secret")
        line = h.expect(hline("console", r"-!- Cannot connect to "
                              r"127.0.0.1:%d for alice@localhost"
                              % srv.port), timeout=40)
        took = time.monotonic() - t0
        assert "stopped answering" in line, line
        assert took < harness.scaled(35), "cut after %.1fs" % took  # 15 s
        # responsive again at once
        h.send("/help clear")
        h.expect(hline("console", r"-!- Usage: /clear"), timeout=5)
        h.close_stdin()
        assert h.wait(10) == 1
    finally:
        srv.stop()


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
