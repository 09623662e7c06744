#!/usr/bin/python3
"""Scroll-back past what a window holds in memory pages older messages in
from the history store, in the real curses UI."""

import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORDS, hmsg  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"
N = 150


def test_page_back_into_stored_history(t):
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    for i in range(1, N + 1):
        bob.msg(ALICE, "old %03d" % i)
    h.expect(hmsg(BOB, BOB, "old %03d" % N), timeout=30)
    time.sleep(0.5)  # stored at the end of the loop turn
    h.close_stdin()
    assert h.wait(15) == 0

    # same XDG dirs: the window opens with the last history.lines (50)
    tm = t.tmux(width=100, height=30)
    tm.wait_for(r"natter", timeout=10)
    tm.line("/connect %s %s" % (ALICE, t.prosody.connect_args("trust")))
    tm.wait_for(r"[Pp]assword", timeout=10)
    tm.line(PASSWORDS["alice"])
    tm.wait_for(r"Connected as", timeout=20)
    tm.line("/msg %s" % BOB)
    tm.wait_for(r"old %03d" % N, timeout=10)
    screen = ""
    for _ in range(40):  # bounded: each PageUp goes half a screen back
        tm.send_keys("PageUp")
        time.sleep(0.1)
        screen = tm.capture()
        if "old 001" in screen:
            break
    assert "old 001" in screen, "never reached the oldest:\n" + screen
    assert "old 002" in screen, screen


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
