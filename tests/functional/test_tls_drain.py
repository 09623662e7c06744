#!/usr/bin/python3
"""natter --headless: a burst that arrives in large TLS records is read to
its end, with nothing left waiting inside OpenSSL.

The server is bench/mucserver.py (a scripted group chat service on
bench/rosterserver.py's stream), which writes 100 room messages per
TLS write: records of 16 KiB whose ends fall anywhere in natter's 4 KiB
reads.  natter once read a fixed 8 buffers per readable event, and the
last messages of a burst could then stay decrypted in OpenSSL with the
socket empty until some other packet came: bench/run muc-burst (natter
in tmux) lost the last 3 of 5,000 in 3 of 4 runs.  This headless test
did not catch that old code (headless natter reads in other steps); it
keeps the drain loop honest on large records and stopped-then-resumed
bursts.
"""

import os
import signal
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                "bench"))
import harness  # noqa: E402
from harness import hline  # noqa: E402
import mucserver  # noqa: E402

ROOM = "burst20@" + mucserver.SERVICE


def test_room_burst_in_large_records_is_read_to_the_end(t):
    key, cert = harness.make_cert(t.path("mucserver-cert"))
    srv = mucserver.MucServer(cert, key, occupants=20)
    harness._register(srv)
    h = t.headless()
    h.send("/connect alice@localhost server 127.0.0.1 port %d tls trust"
           % srv.port)
    h.send("any-password")
    h.expect(hline("console", r"-!- Connected as alice@localhost/"),
             timeout=20)
    h.send("/join " + ROOM)
    end = time.monotonic() + 15
    while time.monotonic() < end:
        j = srv.join_times("alice", ROOM)
        if j and j[1] is not None:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("natter did not join " + ROOM)
    h.expect(r"You joined %s" % ROOM, timeout=10)
    for rnd in range(4):
        time.sleep(0.3)
        n = 5000
        tag = "b%d" % rnd
        # natter stopped while the burst is written: it then meets the
        # whole burst queued in its socket, as a busy client does, and
        # its last read of the burst can begin anywhere in a record
        os.kill(h.proc.pid, signal.SIGSTOP)
        try:
            job = srv.send_messages("alice", ROOM, n, tag)
            job["done"].wait(1.0)
        finally:
            os.kill(h.proc.pid, signal.SIGCONT)
        assert job["done"].wait(20), "the server could not write the burst"
        h.expect(r"<user\d+> %s message %d of %d$" % (tag, n, n), timeout=15)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
