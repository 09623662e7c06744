#!/usr/bin/python3
"""Message Archive Management (XEP-0313): on connect natter fetches what
arrived while it was away, and shows each message once even when the
server also delivers it from offline storage."""

import os
import re
import sqlite3
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORDS, hmsg  # noqa: E402

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


def test_scroll_back_pages_the_archive(t):
    """Scroll-back past the oldest stored message asks the server archive
    for older pages (RSM before), stores them and shows each once; at the
    start of the archive natter stops asking."""
    t.prosody.stop()
    t.prosody = t.start_prosody(modules=("mam",))
    n = 120
    # alice's phone is online: the messages reach it and the archive, but
    # never this natter's history
    phone = t.peer("alice", resource="phone")
    bob = t.peer("bob")
    for i in range(1, n + 1):
        bob.msg(ALICE, "old %03d" % i)
    phone.expect(r"^MSG bob@localhost/\S+ old %03d$" % n, timeout=30)
    phone.quit()

    tm = t.tmux(width=100, height=30, home="fresh")
    tm.wait_for(r"natter", timeout=10)
    tm.line("/connect %s %s" % (ALICE, t.prosody.connect_args("trust")))
    tm.wait_for(r"[Pp]assword", timeout=10)
    tm.line(PASSWORDS["alice"])
    tm.wait_for(r"Connected as", timeout=20)
    # a live message opens the window; the archive fills what is above it
    bob.msg(ALICE, "newest")
    tm.wait_for(r"2:bob@localhost", timeout=10)
    tm.line("/win 2")
    tm.wait_for(r"<bob@localhost> newest", timeout=10)
    tm.wait_for(r"old %03d" % n, timeout=10)
    screen = ""
    for _ in range(60):  # bounded: each PageUp goes half a screen back
        tm.send_keys("PageUp")
        time.sleep(0.15)
        screen = tm.capture()
        shown = re.findall(r"old \d{3}", screen)
        assert len(shown) == len(set(shown)), "shown twice:\n" + screen
        if "old 001" in screen:
            break
    assert "old 001" in screen, "never reached the oldest:\n" + screen
    assert "old 002" in screen, screen
    assert screen.index("old 001") < screen.index("old 002"), screen

    # every archived message is stored exactly once, with its archive id
    path = os.path.join(tm.env["XDG_DATA_HOME"], "natter", ALICE,
                        "history.db")
    deadline = time.monotonic() + 5
    while True:
        db = sqlite3.connect(path)
        try:
            got = [r[0] for r in db.execute(
                "SELECT body FROM messages WHERE peer = ? ORDER BY time, id",
                (BOB,))]
            ids = db.execute("SELECT count(DISTINCT archive_id) FROM "
                             "messages WHERE peer = ?", (BOB,)).fetchone()[0]
        finally:
            db.close()
        if len(got) >= n + 1 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert sorted(got) == sorted(["old %03d" % i for i in range(1, n + 1)]
                                 + ["newest"]), got
    assert ids == n + 1, ids
    # at the start of the archive: no more queries, no error
    queries = open(t.prosody.log, errors="replace").read().count(
        "Archive query id=natter-back-")
    # 120 messages: pages of 50, 50 and 20 (the last says complete)
    assert queries == 3, queries
    for _ in range(3):
        tm.send_keys("PageUp")
        time.sleep(0.15)
    time.sleep(0.5)
    after = open(t.prosody.log, errors="replace").read().count(
        "Archive query id=natter-back-")
    assert after == queries, "natter kept asking the archive"
    assert "Cannot fetch" not in tm.capture()


def test_scroll_back_by_time_without_archive_ids(t):
    """Stored history without archive ids (our own sent message): the
    archive is asked for what came up to its time, and the copy of that
    message the archive returns is not stored or shown again."""
    t.prosody.stop()
    t.prosody = t.start_prosody(modules=("mam",))
    n = 60
    phone = t.peer("alice", resource="phone")
    bob = t.peer("bob")
    for i in range(1, n + 1):
        bob.msg(ALICE, "old %03d" % i)
    phone.expect(r"^MSG bob@localhost/\S+ old %03d$" % n, timeout=30)
    phone.quit()
    h = t.headless(home="mine")
    h.connect("alice")
    h.send("/msg %s hello from alice" % BOB)
    bob.expect(r"^MSG alice@localhost/\S+ hello from alice$", timeout=10)
    time.sleep(0.5)
    h.close_stdin()
    assert h.wait(15) == 0

    tm = t.tmux(width=100, height=30, home="mine")
    tm.wait_for(r"natter", timeout=10)
    tm.line("/connect %s %s" % (ALICE, t.prosody.connect_args("trust")))
    tm.wait_for(r"[Pp]assword", timeout=10)
    tm.line(PASSWORDS["alice"])
    tm.wait_for(r"Connected as", timeout=20)
    tm.line("/msg %s" % BOB)
    # the window is not full: the archive fills it at once
    tm.wait_for(r"old %03d" % n, timeout=10)
    screen = tm.capture()
    assert screen.count("hello from alice") == 1, screen
    for _ in range(40):
        tm.send_keys("PageUp")
        time.sleep(0.15)
        screen = tm.capture()
        shown = re.findall(r"old \d{3}", screen)
        assert len(shown) == len(set(shown)), "shown twice:\n" + screen
        if "old 001" in screen:
            break
    assert "old 001" in screen, "never reached the oldest:\n" + screen
    path = os.path.join(tm.env["XDG_DATA_HOME"], "natter", ALICE,
                        "history.db")
    db = sqlite3.connect(path)
    try:
        got = [r[0] for r in db.execute(
            "SELECT body FROM messages WHERE peer = ?", (BOB,))]
    finally:
        db.close()
    assert got.count("hello from alice") == 1, got
    assert sorted(got) == sorted(["old %03d" % i for i in range(1, n + 1)]
                                 + ["hello from alice"]), got


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
