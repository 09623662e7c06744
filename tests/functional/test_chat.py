#!/usr/bin/python3
"""natter --headless: one-to-one chat and presence with a scripted peer."""

import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, hmsg  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"


def online_pair(t):
    """alice (natter) and bob (peer), mutually subscribed, both online."""
    t.befriend("alice", "bob")
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    bob.expect(r"^PRESENCE alice@localhost/\S+ available\b", timeout=10)
    return h, bob


def test_messages_both_ways(t):
    h, bob = online_pair(t)

    h.send("/msg %s hello bob" % BOB)
    line = bob.expect(r"^MSG alice@localhost/\S+ ", timeout=10)
    assert line.split(" ", 2)[2] == "hello bob", line
    h.expect(hmsg(BOB, ALICE, "hello bob"))

    # a plain line goes to the current window: the chat with bob
    h.send("and a plain line")
    line = bob.expect(r"^MSG alice@localhost/\S+ ", timeout=10)
    assert line.split(" ", 2)[2] == "and a plain line", line
    h.expect(hmsg(BOB, ALICE, "and a plain line"))

    bob.msg(ALICE, "hello alice, caf\u00e9 \u2603")
    h.expect(hmsg(BOB, BOB, "hello alice, caf\u00e9 \u2603"))

    # /msg without text only opens the window
    h.send("/msg %s" % BOB)
    bob.expect_no(r"^MSG ", within=1.0)
    h.close_stdin()
    assert h.wait(15) == 0
    h.check_format()


def test_message_to_new_window_from_unknown_sender(t):
    """A message from someone not in the roster still opens a window."""
    carol_pw = t.prosody.register("carol")
    carol = t.peer("carol", password=carol_pw)
    h = t.headless()
    h.connect("alice")
    carol.msg(ALICE, "who am I?")
    h.expect(hmsg("carol@localhost", "carol@localhost", "who am I?"))


def test_presence_is_shown(t):
    t.befriend("alice", "bob")
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    # bob was online before alice connected
    h.expect(hline("console", r"-!- .*bob@localhost.*\bonline\b"),
             timeout=10)
    bob.presence("away", "out to lunch")
    h.expect(hline("console", r"-!- .*bob@localhost.*\baway\b"), timeout=10)
    bob.presence("dnd")
    h.expect(hline("console", r"-!- .*bob@localhost.*\bdnd\b|"
                   r"bob@localhost.*\bdo not disturb\b|"
                   r"bob@localhost.*\bbusy\b"), timeout=10)
    bob.quit()
    h.expect(hline("console", r"-!- .*bob@localhost.*\boffline\b"),
             timeout=10)


def test_big_message_to_idle_client(t):
    h, bob = online_pair(t)
    # let natter go idle in its event loop before the burst arrives
    time.sleep(2.0)
    bob.send("bigmsg %s 30000" % ALICE)
    bob.expect(r"^SENT$")
    line = h.expect(hline(BOB, r"<bob@localhost> .*END-OF-BIG$"),
                    timeout=15)
    body = line.split("> ", 1)[1]
    assert len(body.encode()) == 30000, \
        "body has %d bytes, not 30000" % len(body.encode())
    # and natter still works afterwards
    h.send("/msg %s still alive" % BOB)
    bob.expect(r"^MSG alice@localhost/\S+ still alive$", timeout=10)


def test_status_seen_by_peer(t):
    h, bob = online_pair(t)
    h.send("/status away back soon")
    bob.expect(r"^PRESENCE alice@localhost/\S+ available away back soon$",
               timeout=10)
    h.send("/status dnd")
    bob.expect(r"^PRESENCE alice@localhost/\S+ available dnd$", timeout=10)
    h.send("/status online")
    bob.expect(r"^PRESENCE alice@localhost/\S+ available -$", timeout=10)


def test_incoming_control_characters_are_inert(t):
    """C0 controls cannot travel in XML (the server drops the sender), so
    the dangerous bytes that can reach natter are DEL and the C1 controls
    (U+0080-U+009F, e.g. U+009B CSI, U+009D OSC).  natter must print none
    of them raw: DEL as its control picture U+2421, C1 as U+FFFD (see
    src/core/sanitize.h)."""
    h, bob = online_pair(t)
    evil = "x \u009d0;pwned\u009c \u009b2J \u009b31mRED del\x7f end"
    bob.msg(ALICE, evil)
    line = h.expect(hline(BOB, r"<bob@localhost> x .*end$"), timeout=10)
    raw = [c for c in line
           if ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0
           or 0xdc80 <= ord(c) <= 0xdcff]
    assert not raw, "raw control characters in output: %r" % raw
    body = line.split("> ", 1)[1]
    assert "0;pwned" in body and "RED" in body, body
    assert "del\u2421 end" in body, "DEL not shown as \u2421: %r" % body
    assert body.count("\ufffd") == 4, \
        "C1 controls not shown as U+FFFD: %r" % body
    # a TAB and a newline stay readable: newline splits or is kept, but
    # the text arrives
    bob.msg(ALICE, "tab\there")
    line = h.expect(hline(BOB, r"<bob@localhost> tab\s+here$"), timeout=10)


def test_command_waits_for_connection(t):
    """/msg typed right after the password waits until alice is online."""
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice", wait=False)
    h.send("/msg %s sent while connecting" % BOB)
    bob.expect(r"^MSG alice@localhost/\S+ sent while connecting$",
               timeout=15)
    h.expect(hline("console", r"-!- Connected as alice@localhost/"))


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
