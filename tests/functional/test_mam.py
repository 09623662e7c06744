#!/usr/bin/python3
"""Message Archive Management (XEP-0313): on connect natter fetches what
arrived while it was away, and shows each message once even when the
server also delivers it from offline storage."""

import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hmsg  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"


def count(proc, text):
    return sum(1 for x in list(proc.lines) if x.endswith(text))


def test_catch_up_after_being_away(t):
    t.prosody.stop()
    t.prosody = t.start_prosody(modules=("mam",))
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    bob.msg(ALICE, "first, live")
    h.expect(hmsg(BOB, BOB, "first, live"))
    time.sleep(0.3)  # the archive position is written after the loop turn
    h.close_stdin()
    assert h.wait(15) == 0

    # while natter is away: bob writes, and alice writes from her phone
    bob.msg(ALICE, "while away 1")
    bob.msg(ALICE, "while away 2")
    phone = t.peer("alice", resource="phone")
    phone.send("msg %s from my phone" % BOB)
    bob.expect(r"^MSG alice@localhost/phone from my phone$")
    phone.quit()
    time.sleep(0.3)

    h2 = harness.Headless(t.prosody)  # same XDG dirs: same position
    t.reports.append(h2)
    h2.connect("alice")
    h2.expect(hmsg(BOB, BOB, "while away 1"), timeout=10)
    h2.expect(hmsg(BOB, BOB, "while away 2"), timeout=10)
    # only the archive knows what alice sent from elsewhere
    h2.expect(hmsg(BOB, ALICE, "from my phone"), timeout=10)
    time.sleep(1)
    for text in ("while away 1", "while away 2", "from my phone"):
        assert count(h2, text) == 1, "%r shown %d times" % (text,
                                                            count(h2, text))
    assert count(h2, "first, live") <= 1  # stored history, not refetched
    h2.close_stdin()
    assert h2.wait(15) == 0


def test_no_archive_is_quiet(t):
    """A server without MAM: natter connects and says nothing about it."""
    h = t.headless()
    h.connect("alice")
    h.close_stdin()
    assert h.wait(15) == 0
    h2 = harness.Headless(t.prosody)
    t.reports.append(h2)
    h2.connect("alice")
    h2.expect_no(r"Archive of", within=1)
    h2.close_stdin()
    assert h2.wait(15) == 0


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
