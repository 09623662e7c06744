#!/usr/bin/python3
"""Blocking (XEP-0191), /priority and resource locking (RFC 6121 5.1)
against a real Prosody."""

import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, hmsg  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"


def test_block_and_unblock(t):
    t.prosody.stop()
    t.prosody = t.start_prosody(modules=("blocklist",))
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    time.sleep(0.3)  # the block list arrives after login
    h.send("/block %s" % BOB)
    h.expect(hline("console", r"-!- Block bob@localhost: done"))
    h.send("/blocked")
    h.expect(hline("console", r"-!- alice@localhost blocks 1 address:"))
    h.expect(hline("console", r"-!-   bob@localhost$"))
    bob.msg(ALICE, "can you hear me")
    h.expect_no(r"can you hear me", within=1.5)
    h.send("/unblock %s" % BOB)
    h.expect(hline("console", r"-!- Unblock bob@localhost: done"))
    bob.msg(ALICE, "and now")
    h.expect(hmsg(BOB, BOB, "and now"))
    h.send("/unblock %s" % BOB)
    h.expect(hline("console", r"-!- bob@localhost is not blocked"))
    h.close_stdin()
    assert h.wait(15) == 1


def test_blocking_unsupported(t):
    h = t.headless()  # the default test server has no blocklist module
    h.connect("alice")
    time.sleep(0.3)
    h.send("/block %s" % BOB)
    h.expect(hline("console", r"-!- The server of alice@localhost does not "
                   r"support blocking"))
    h.close_stdin()
    assert h.wait(15) == 1


def test_priority(t):
    bob = t.peer("bob")
    t.befriend("alice", "bob")
    h = t.headless()
    h.connect("alice")
    h.send("/priority 7")
    h.expect(hline("console", r"-!- Priority of alice@localhost: 7"))
    bob.expect(r"^XML|^PRESENCE alice@localhost/\S+ available", timeout=10)
    h.send("/priority 500")
    h.expect(hline("console", r"-!- Invalid priority 500"))
    h.close_stdin()
    assert h.wait(15) == 1


def test_replies_go_to_the_resource_that_wrote(t):
    phone = t.peer("bob", resource="phone")
    desk = t.peer("bob", resource="desk")
    h = t.headless()
    h.connect("alice")
    phone.msg(ALICE, "from the phone")
    h.expect(hmsg(BOB, BOB, "from the phone"))
    h.send("/win %s" % BOB)
    h.send("answer")
    phone.expect(r"^MSG alice@localhost/\S+ answer$")
    desk.expect_no(r"^MSG alice@localhost/\S+ answer$", within=1)
    # a presence change unlocks: the next reply goes to the bare JID,
    # which the server hands to bob's resources by priority
    desk.presence("away", "at lunch")
    time.sleep(0.5)
    h.send("to whoever")
    deadline = time.monotonic() + 10
    got = False
    while time.monotonic() < deadline and not got:
        got = any("to whoever" in x for x in phone.lines + desk.lines)
        time.sleep(0.1)
    assert got, "the unlocked reply reached no resource"
    h.close_stdin()
    assert h.wait(15) == 0


def test_auto_away_and_back(t):
    t.befriend("alice", "bob")
    bob = t.peer("bob")
    h = t.headless(autorun="/set autoaway.time 2\n")
    h.connect("alice")
    h.expect(hline("console", r"-!- alice@localhost is away: idle for 2 s"),
             timeout=10)
    bob.expect(r"^PRESENCE alice@localhost/\S+ available away Away \(idle\)$",
               timeout=10)
    h.send("/help quit")  # any input brings us back
    h.expect(hline("console", r"-!- alice@localhost is back: online"))
    bob.expect(r"^PRESENCE alice@localhost/\S+ available - ?$", timeout=10)
    h.close_stdin()
    assert h.wait(15) == 0


def test_auto_away_again_after_reconnect(t):
    # The server restarts while the user is idle: back online, the account
    # is away again (not the auto-away kept as if chosen), and the next key
    # still brings it back.
    t.befriend("alice", "bob")
    h = t.headless(autorun="/set autoaway.time 2\n")
    h.connect("alice")
    away = hline("console", r"-!- alice@localhost is away: idle for 2 s")
    h.expect(away, timeout=10)
    t.prosody.restart()
    h.expect(hline("console", r"-!- Connected as alice@localhost/"),
             timeout=60)
    h.expect(away, timeout=10)
    bob = t.peer("bob")
    bob.expect(r"^PRESENCE alice@localhost/\S+ available away Away \(idle\)$",
               timeout=10)
    h.send("/help quit")
    h.expect(hline("console", r"-!- alice@localhost is back: online"))
    bob.expect(r"^PRESENCE alice@localhost/\S+ available - ?$", timeout=10)
    h.close_stdin()
    assert h.wait(15) == 0


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
