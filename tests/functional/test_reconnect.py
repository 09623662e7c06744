#!/usr/bin/python3
"""Staying connected: dead-connection detection by ping, reconnection with
back-off after the server dies, stream resumption, pending messages."""

import os
import re
import signal
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, hmsg  # noqa: E402

BOB = "bob@localhost"
ALICE = "alice@localhost"


def start(t, **kw):
    """A Prosody with stream management, and natter online as alice with a
    one-second ping interval."""
    t.prosody.stop()
    t.prosody = t.start_prosody(modules=("smacks",), **kw)
    h = t.headless(autorun="/set ping.interval 1\n")
    h.connect("alice")
    return h


def count(proc, regex):
    return sum(1 for line in list(proc.lines) if re.search(regex, line))


def test_server_killed_and_restarted(t):
    """SIGSTOP the server mid-conversation, then SIGKILL and restart it:
    natter notices, retries by itself, and every message from both sides
    arrives exactly once."""
    h = start(t)
    bob = t.peer("bob")
    h.send("/msg %s before" % BOB)
    bob.expect(r"^MSG alice@localhost/\S+ before$")
    bob.msg(ALICE, "hello alice")
    h.expect(hmsg(BOB, BOB, "hello alice"))

    t.prosody.signal(signal.SIGSTOP)
    h.expect(hline("console", r"-!- Connection of alice@localhost lost: "
                   r"the server stopped answering pings"), timeout=10)
    h.expect(hline("console", r"-!- Reconnecting alice@localhost in "
                   r"[0-9.]+ s \(attempt 1"), timeout=5)
    # typed while the server is gone: shown as pending
    h.send("while away")
    h.expect(hmsg(BOB, ALICE, "while away (pending)"))

    t.prosody.restart()
    h.expect(hline("console", r"-!- Connected as alice@localhost/"),
             timeout=60)
    h.expect(hline(BOB, r"-!- Sent 1 pending message from alice@localhost"),
             timeout=10)
    # bob lost his connection too; back online he gets what was sent
    bob2 = t.peer("bob", resource="again")
    bob2.expect(r"^MSG alice@localhost/\S+ while away$", timeout=15)
    bob2.msg(ALICE, "after restart")
    h.expect(hmsg(BOB, BOB, "after restart"), timeout=10)
    h.send("/msg %s after too" % BOB)
    bob2.expect(r"^MSG alice@localhost/\S+ after too$")
    time.sleep(1)
    for proc, regex in ((bob2, r"^MSG alice@localhost/\S+ while away$"),
                        (h, r"<bob@localhost> hello alice$"),
                        (h, r"<bob@localhost> after restart$"),
                        (h, r"<alice@localhost> while away \(pending\)$")):
        n = count(proc, regex)
        assert n == 1, "%r seen %d times" % (regex, n)
    h.close_stdin()
    assert h.wait(15) == 0


def test_stream_resumed_after_pause(t):
    """A pause of the server (SIGSTOP, SIGCONT) loses the connection but
    not the session: natter resumes the stream (XEP-0198) and a message
    sent into the dead connection arrives exactly once."""
    t.prosody.stop()
    t.prosody = t.start_prosody(modules=("smacks",))
    log = t.path("strophe.log")
    h = t.headless(autorun="/set ping.interval 1\n",
                   env_extra={"NATTER_DEBUG_LOG": log})
    h.connect("alice")
    bob = t.peer("bob")
    h.send("/msg %s first" % BOB)
    bob.expect(r"^MSG alice@localhost/\S+ first$")
    time.sleep(0.5)  # let the <enabled/> answer arrive before the pause
    t.prosody.signal(signal.SIGSTOP)
    h.send("into the void")
    h.expect(hline("console", r"-!- Connection of alice@localhost lost: "
                   r"the server stopped answering pings"), timeout=10)
    t.prosody.signal(signal.SIGCONT)
    h.expect(hline("console", r"-!- Connected as alice@localhost/"),
             timeout=30)
    bob.expect(r"^MSG alice@localhost/\S+ into the void$", timeout=10)
    bob.msg(ALICE, "still there")
    h.expect(hmsg(BOB, BOB, "still there"))
    time.sleep(1)
    assert count(bob, r"^MSG alice@localhost/\S+ into the void$") == 1
    with open(log) as f:
        text = f.read()
    assert "<resumed" in text, "the stream was not resumed"
    h.close_stdin()
    assert h.wait(15) == 0


def test_reconnect_now_and_disconnect_stops_retries(t):
    h = start(t)
    t.prosody.stop()
    # how the end shows depends on whether Prosody said goodbye
    h.expect(hline("console", r"-!- (Connection of alice@localhost lost|"
                   r"Connection of alice@localhost closed by the server|"
                   r"Server closed the stream of alice@localhost)"),
             timeout=10)
    h.expect(hline("console", r"-!- Reconnecting alice@localhost in"),
             timeout=10)
    h.send("/reconnect")
    h.expect(hline("console", r"-!- Connecting to alice@localhost"),
             timeout=5)
    h.expect(hline("console", r"-!- Reconnecting alice@localhost in "
                   r"[0-9.]+ s \(attempt 2"), timeout=20)
    h.send("/disconnect")
    # between attempts, or in the middle of one
    h.expect(hline("console", r"-!- (Stopped reconnecting|Disconnected "
                   r"from) alice@localhost"))
    t.prosody.start()
    h.expect_no(hline("console", r"-!- Connected as"), within=3)
    h.send("/reconnect")
    h.expect(hline("console", r"-!- alice@localhost has no connection to "
                   r"resume: use /connect alice@localhost"))
    h.close_stdin()
    assert h.wait(15) == 1


def test_wrong_password_is_not_retried(t):
    h = t.headless()
    h.send("/connect %s %s" % (ALICE, t.prosody.connect_args("trust")))
    h.send("not-the-password")
    h.expect(hline("console", r"-!- Login failed for alice@localhost"),
             timeout=20)
    h.expect_no(hline("console", r"-!- Reconnecting"), within=2)
    h.close_stdin()
    assert h.wait(10) == 1


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
