#!/usr/bin/python3
"""natter's curses UI, driven through a private tmux server.

Layout contract: row 0 is the title bar (contains "natter" and the current
window's name), the bottom row is the input line, the row above it the
status bar ("1:console 2:bob@localhost" ...), and a roster pane on the
right lists contacts as "+ bob@localhost" (available), "~" (away/xa),
"!" (dnd), "-" (offline)."""

import os
import re
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORDS  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"


def title(rows):
    return rows[0]


def status_bar(rows):
    return rows[-2]


def input_row(rows):
    return rows[-1]


def start_ui(t, width=100, height=30):
    tm = t.tmux(width=width, height=height)
    tm.wait_until(lambda rows: "natter" in title(rows), timeout=10,
                  what="title bar with 'natter' on row 0")
    return tm


def ui_connect(t, tm, user="alice"):
    """Connect by typing; check the password never shows on screen."""
    pw = PASSWORDS[user]
    tm.line("/connect %s %s" % (t.prosody.jid(user),
                                t.prosody.connect_args("trust")))
    tm.wait_for(r"[Pp]assword", timeout=10)
    tm.type(pw)
    time.sleep(0.3)
    screen = tm.capture()
    assert pw not in screen, "password visible while typing:\n" + screen
    tm.send_keys("Enter")
    screen = tm.wait_for(r"Connected as %s/" % re.escape(t.prosody.jid(user)),
                         timeout=20)
    assert pw not in screen, "password visible after Enter:\n" + screen
    return screen


def roster_entry(rows, mark, jid, width):
    """True if a row shows 'MARK JID' in the right half (the roster)."""
    pat = re.compile(r"%s %s" % (re.escape(mark), re.escape(jid)))
    for r in rows[1:-2]:
        for m in pat.finditer(r):
            if m.start() >= width // 2:
                return True
    return False


def test_connect_by_typing(t):
    tm = start_ui(t)
    ui_connect(t, tm)
    rows = tm.rows()
    assert "natter" in title(rows), title(rows)
    assert "console" in title(rows), title(rows)
    assert re.search(r"\b1:console\b", status_bar(rows)), status_bar(rows)
    x, y = tm.cursor()
    assert y == tm.height - 1, "cursor not on the input line: row %d" % y


def test_incoming_message_and_window_switching(t):
    bob = t.peer("bob")
    tm = start_ui(t)
    ui_connect(t, tm)
    bob.msg(ALICE, "hello from bob")
    tm.wait_until(lambda rows: "2:bob@localhost" in status_bar(rows),
                  timeout=10, what="2:bob@localhost in the status bar")

    tm.send_keys("M-2")
    rows = tm.wait_until(lambda rows: BOB in title(rows), timeout=5,
                         what="title naming bob@localhost after M-2")
    tm.wait_for(r"hello from bob", timeout=5)

    tm.line("/win 1")
    rows = tm.wait_until(lambda rows: "console" in title(rows)
                         and BOB not in title(rows), timeout=5,
                         what="title naming console after /win 1")

    tm.line("/win 2")
    tm.wait_until(lambda rows: BOB in title(rows), timeout=5,
                  what="title naming bob@localhost after /win 2")
    tm.send_keys("M-1")
    tm.wait_until(lambda rows: "console" in title(rows), timeout=5,
                  what="title naming console after M-1")

    # a new message while on the console marks window 2 in the status bar
    bob.msg(ALICE, "second message")
    time.sleep(0.5)
    rows = tm.rows()
    assert "2:bob@localhost" in status_bar(rows), status_bar(rows)

    # typing in bob's window sends to bob
    tm.send_keys("M-2")
    tm.wait_until(lambda rows: BOB in title(rows), timeout=5,
                  what="title naming bob@localhost")
    tm.line("reply from alice")
    bob.expect(r"^MSG alice@localhost/\S+ reply from alice$", timeout=10)
    tm.wait_for(r"reply from alice", timeout=5)


def _layout_ok(rows, width, height, draft):
    return (len(rows) == height
            and "natter" in title(rows)
            and draft in input_row(rows)
            and "1:console" in status_bar(rows)
            and all(len(r) <= width for r in rows))


def test_resize_redraws(t):
    tm = start_ui(t, 100, 30)
    ui_connect(t, tm)
    draft = "draft-text"
    tm.type(draft)
    tm.wait_until(lambda rows: draft in input_row(rows), timeout=5,
                  what="draft on the input line")
    for w, h in ((60, 20), (100, 30), (40, 12), (100, 30)):
        tm.resize(w, h)
        rows = tm.wait_until(
            lambda rows: _layout_ok(rows, w, h, draft), timeout=5,
            what="layout after resize to %dx%d" % (w, h))
        x, y = tm.cursor()
        assert y == h - 1, "cursor on row %d after resize to %dx%d" % (
            y, w, h)
        if w >= 60:
            assert "Connected as" in "\n".join(rows), \
                "console text lost after resize to %dx%d" % (w, h)


def test_control_characters_are_inert(t):
    """Remote text cannot move the cursor, clear the screen, recolour or
    retitle the terminal.  XML forbids C0 controls, so the bytes that can
    arrive are DEL and the C1 controls (U+009B CSI, U+009D OSC, U+009C ST);
    a C0 attempt gets the sender thrown off by the server."""
    bob = t.peer("bob")
    tm = start_ui(t)
    ui_connect(t, tm)
    title_before = tm.pane_title()
    bob.msg(ALICE, "hello from bob")
    tm.wait_until(lambda rows: "2:bob@localhost" in status_bar(rows),
                  timeout=10, what="2:bob@localhost in the status bar")
    tm.send_keys("M-2")
    tm.wait_for(r"hello from bob", timeout=5)

    bob.msg(ALICE, "c1 \u009d0;pwned\u009c \u009b2J \u009b31mRED del\x7f end")
    screen = tm.wait_for(r"c1 .*0;pwned.*RED.*end", timeout=10)
    rows = tm.rows()
    assert "natter" in title(rows), "title bar gone:\n" + screen
    assert "hello from bob" in screen, "earlier line gone:\n" + screen
    assert "\u2421" in screen, "DEL not shown as \u2421:\n" + screen
    assert "pwned" not in tm.pane_title(), tm.pane_title()
    assert tm.pane_title() == title_before, \
        "pane title changed from %r to %r" % (title_before, tm.pane_title())

    # the literal C0 attack from a second resource of bob: the server
    # refuses it; natter must be unaffected
    mallory = t.peer("bob", resource="mallory")
    mallory.send("msg %s \\e]0;pwned\\a \\e[2J \\e[31mRED" % ALICE)
    mallory.expect(r"^ERROR ", timeout=10)
    time.sleep(0.5)
    screen = tm.capture()
    rows = tm.rows()
    assert "natter" in title(rows), "title bar gone:\n" + screen
    assert "hello from bob" in screen, "earlier line gone:\n" + screen
    assert "pwned" not in tm.pane_title(), tm.pane_title()
    assert not tm.dead(), "natter died"


def test_roster_pane(t):
    t.befriend("alice", "bob")
    tm = start_ui(t)
    ui_connect(t, tm)
    w = tm.width
    tm.wait_until(lambda rows: roster_entry(rows, "-", BOB, w), timeout=10,
                  what="'- bob@localhost' (offline) in the roster pane")
    bob = t.peer("bob")
    tm.wait_until(lambda rows: roster_entry(rows, "+", BOB, w), timeout=10,
                  what="'+ bob@localhost' in the roster pane")
    bob.presence("away", "lunch")
    tm.wait_until(lambda rows: roster_entry(rows, "~", BOB, w), timeout=10,
                  what="'~ bob@localhost' (away) in the roster pane")
    bob.presence("dnd")
    tm.wait_until(lambda rows: roster_entry(rows, "!", BOB, w), timeout=10,
                  what="'! bob@localhost' (dnd) in the roster pane")
    bob.quit()
    tm.wait_until(lambda rows: roster_entry(rows, "-", BOB, w), timeout=10,
                  what="'- bob@localhost' (offline) in the roster pane")


def test_scrollback(t):
    bob = t.peer("bob")
    tm = start_ui(t, 100, 24)
    ui_connect(t, tm)
    bob.msg(ALICE, "scroll-000")
    tm.wait_until(lambda rows: "2:bob@localhost" in status_bar(rows),
                  timeout=10, what="2:bob@localhost in the status bar")
    tm.send_keys("M-2")
    tm.wait_until(lambda rows: BOB in title(rows), timeout=5,
                  what="bob's window")
    for i in range(1, 80):
        bob.send("msg %s scroll-%03d" % (ALICE, i))
    for i in range(1, 80):
        bob.expect(r"^SENT$")
    tm.wait_for(r"scroll-079", timeout=10)
    assert "scroll-000" not in tm.capture()
    tm.send_keys("PPage")
    screen = tm.wait_until(lambda rows: not any("scroll-079" in r
                                                for r in rows),
                           timeout=5, what="scrolled up by PageUp")
    assert any(re.search(r"scroll-0[0-6]\d", r) for r in screen), screen
    assert "natter" in title(screen)
    for _ in range(10):
        tm.send_keys("NPage")
    tm.wait_for(r"scroll-079", timeout=5)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
