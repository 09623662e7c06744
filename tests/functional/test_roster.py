#!/usr/bin/python3
"""Roster management and presence subscriptions, against a real Prosody:
/roster add|name|group|remove|show, /sub request|allow|pending|show."""

import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline  # noqa: E402

BOB = "bob@localhost"
CAROL = "carol@localhost"


def show_until(h, jid, ok, tries=50):
    """Repeat /roster show JID until ok(line) holds (changes show once the
    server pushes them back); returns the last line."""
    for _ in range(tries):
        h.send("/roster show %s" % jid)
        line = h.expect(hline("console", r"-!- bob@localhost "), timeout=5)
        if ok(line):
            return line
        time.sleep(0.1)
    return line


def test_roster_edits(t):
    h = t.headless()
    h.connect("alice")
    h.send("/roster add %s Bob" % BOB)
    h.expect(hline("console", r"-!- Added bob@localhost to the roster"))
    line = show_until(h, BOB, lambda x: "(Bob)" in x)
    assert "(Bob)" in line and "subscription none" in line, line
    h.send("/roster group add %s Work" % BOB)
    line = show_until(h, BOB, lambda x: "groups: Work" in x)
    h.send("/roster group add %s Friends" % BOB)
    line = show_until(h, BOB, lambda x: "groups: Friends, Work" in x)
    assert "groups: Friends, Work" in line, line  # sorted for display
    h.send("/roster group remove %s Work" % BOB)
    line = show_until(h, BOB, lambda x: "Work" not in x)
    h.send("/roster name %s" % BOB)
    line = show_until(h, BOB, lambda x: "(Bob)" not in x)
    assert "groups: Friends" in line and "(Bob)" not in line, line
    h.send("/roster remove %s" % BOB)
    line = show_until(h, BOB, lambda x: "not in the roster" in x)
    assert "not in the roster" in line, line
    h.send("/roster frob x")
    h.expect(hline("console", r"-!- Usage: /roster "))
    h.close_stdin()
    assert h.wait(15) == 1  # the usage error and the lookups of a gone JID


def test_subscriptions_both_ways(t):
    t.prosody.register("carol")
    bob = t.peer("bob")  # answers every request with subscribed
    h = t.headless()
    h.connect("alice")
    h.send("/roster add %s" % BOB)
    h.send("/sub request %s" % BOB)
    h.expect(hline("console", r"-!- Asked bob@localhost to let you see"))
    h.expect(hline("console", r"-!- bob@localhost accepted your request"),
             timeout=10)
    h.expect(hline("console", r"-!- bob@localhost is now online"),
             timeout=10)
    h.send("/sub show %s" % BOB)
    h.expect(hline("console", r"-!- bob@localhost: subscription to"))

    carol = t.peer("carol")
    carol.send("befriend alice@localhost")
    h.expect(hline("console", r"-!- carol@localhost asks to see your "
                   r"presence: /sub allow carol@localhost to accept"),
             timeout=10)
    h.send("/sub pending")
    h.expect(hline("console", r"-!- carol@localhost asks to see your "
                   r"presence: /sub allow carol@localhost$"))
    h.send("/sub allow %s" % CAROL)
    h.expect(hline("console", r"-!- carol@localhost may now see your "
                   r"presence"))
    carol.expect(r"^PRESENCE alice@localhost/\S+ available", timeout=10)
    h.send("/sub pending")
    h.expect(hline("console", r"-!- No pending subscriptions"))
    h.close_stdin()
    assert h.wait(15) == 0


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
