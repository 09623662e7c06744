#!/usr/bin/python3
"""/search hits are numbered and /search open N jumps to one: its chat
window shows the stored messages around the hit (headless: printed; curses:
the hit in view), scroll-back keeps paging, and scrolling down past the
newest stored message returns to the live end."""

import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORDS, hline, hmsg  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"
N = 120
NEEDLE = 60


def body(i):
    return "needle in the haystack" if i == NEEDLE else "hay %03d" % i


def fill(t):
    """bob sends N messages to a headless natter, which stores them."""
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    for i in range(N):
        bob.msg(ALICE, body(i))
    h.expect(hmsg(BOB, BOB, body(N - 1)), timeout=30)
    return h, bob


def test_open_hit_headless(t):
    h, bob = fill(t)
    h.send("/win 1")
    h.send("/search open 1")
    h.expect(hline("console", r"-!- No search hits to open"))
    h.send("/search needle")
    h.expect(hline("console", r"-!- 1 message match needle; /search open N"))
    h.expect(hline("console", r"-!- 1\. \[alice@localhost\] bob@localhost  "
                   r"\d{4}-\d\d-\d\d \d\d:\d\d  <bob@localhost> "
                   r"needle in the haystack$"))
    h.send("/search open 2")
    h.expect(hline("console", r"-!- No hit 2: the last search found 1"))
    mark = len(h.lines)
    h.send("/search open 1")
    h.expect(hline(BOB, r"-!- Stored messages around search hit 1 "
                   r"\(<bob@localhost> at "))
    want = [body(i) for i in range(NEEDLE - 30, NEEDLE + 31)]
    got = []
    for _ in range(50):  # bounded: up to 5 s for the lines to be read
        shown = [x for x in list(h.lines)[mark:]
                 if "] <bob@localhost> " in x]
        got = [x.split("] <bob@localhost> ", 1)[1] for x in shown]
        if len(got) >= len(want):
            break
        time.sleep(0.1)
    assert got == want, got
    # a live message while the jump view is open is still printed
    bob.msg(ALICE, "live while jumped")
    h.expect(hmsg(BOB, BOB, "live while jumped"))
    # "open N" quoted is a search
    h.send('/search "open 1"')
    h.expect(hline(BOB, r"-!- No stored message matches \"open 1\""))
    h.close_stdin()
    # the deliberate bad opens printed error lines: status 1
    assert h.wait(15) == 1


def test_open_hit_curses(t):
    h, bob = fill(t)
    time.sleep(0.5)  # stored at the end of the loop turn
    h.close_stdin()
    assert h.wait(15) == 0

    tm = t.tmux(width=100, height=30)
    tm.wait_for(r"natter", timeout=10)
    tm.line("/connect %s %s" % (ALICE, t.prosody.connect_args("trust")))
    tm.wait_for(r"[Pp]assword", timeout=10)
    tm.line(PASSWORDS["alice"])
    tm.wait_for(r"Connected as", timeout=20)
    tm.line("/search needle")
    tm.wait_for(r"1\. \[alice@localhost\]", timeout=10)
    tm.line("/search open 1")
    screen = tm.wait_for(r"search hit: PageDown", timeout=10)
    assert "needle in the haystack" in screen, screen
    assert "hay %03d" % (N - 1) not in screen, screen
    # the hit is mid-screen, with context on both sides
    assert "hay %03d" % (NEEDLE - 5) in screen, screen
    assert "hay %03d" % (NEEDLE + 5) in screen, screen
    # scroll-back keeps paging past the context, each line once
    for _ in range(30):
        tm.send_keys("PageUp")
        time.sleep(0.1)
        screen = tm.capture()
        if "hay 000" in screen:
            break
    assert "hay 000" in screen, screen
    assert screen.count("hay 001") == 1, screen
    # a live message waits behind the view
    bob.msg(ALICE, "live while jumped")
    time.sleep(0.5)
    assert "live while jumped" not in tm.capture()
    # down past the newest stored line: back at the live end
    for _ in range(60):
        tm.send_keys("PageDown")
        time.sleep(0.1)
        screen = tm.capture()
        if "search hit:" not in screen:
            break
    assert "search hit:" not in screen, screen
    assert "live while jumped" in screen, screen
    assert screen.count("hay %03d" % (N - 1)) == 1, screen


def test_write_returns_to_live(t):
    """Sending a message from a jump view goes back to the live end."""
    h, bob = fill(t)
    time.sleep(0.5)
    h.close_stdin()
    assert h.wait(15) == 0
    tm = t.tmux(width=100, height=30)
    tm.wait_for(r"natter", timeout=10)
    tm.line("/connect %s %s" % (ALICE, t.prosody.connect_args("trust")))
    tm.wait_for(r"[Pp]assword", timeout=10)
    tm.line(PASSWORDS["alice"])
    tm.wait_for(r"Connected as", timeout=20)
    tm.line("/search hay 010")
    tm.wait_for(r"1\. \[alice@localhost\]", timeout=10)
    tm.line("/search open 1")
    tm.wait_for(r"search hit: PageDown", timeout=10)
    tm.line("back to now")
    screen = tm.wait_for(r"<alice@localhost> back to now", timeout=10)
    assert "search hit:" not in screen, screen
    assert "hay %03d" % (N - 1) in screen, screen


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
