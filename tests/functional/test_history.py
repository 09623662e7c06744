#!/usr/bin/python3
"""natter --headless: the message history store (sqlite, FTS5, export)."""

import os
import re
import signal
import sqlite3
import stat
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, hmsg  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"


def online_pair(t, home="home"):
    """alice (natter) and bob (peer), mutually subscribed, both online."""
    t.befriend("alice", "bob")
    bob = t.peer("bob")
    h = t.headless(home=home)
    h.connect("alice")
    bob.expect(r"^PRESENCE alice@localhost/\S+ available\b", timeout=10)
    return h, bob


def db_path(h, account=ALICE):
    return os.path.join(h.env["XDG_DATA_HOME"], "natter", account,
                        "history.db")


def rows(path):
    """(outgoing, sender, body) of every stored message, in order."""
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT outgoing, sender, body FROM messages "
                          "ORDER BY time, id").fetchall()
    finally:
        db.close()


def wait_rows(path, n, timeout=5.0):
    """Wait until the database holds at least n messages; return them."""
    deadline = time.monotonic() + timeout
    got = []
    while time.monotonic() < deadline:
        if os.path.exists(path):
            try:
                got = rows(path)
            except sqlite3.Error:
                got = []
            if len(got) >= n:
                return got
        time.sleep(0.05)
    raise AssertionError("%s has %d messages, not %d: %r"
                         % (path, len(got), n, got))


def test_stored_restored_searched_exported(t):
    h, bob = online_pair(t)
    h.send("/msg %s hello bob" % BOB)
    bob.expect(r"^MSG alice@localhost/\S+ hello bob$", timeout=10)
    bob.msg(ALICE, "hello alice, caf\u00e9 \u2603")
    h.expect(hmsg(BOB, BOB, "hello alice, caf\u00e9 \u2603"))

    # committed while natter runs, not only at exit
    path = db_path(h)
    got = wait_rows(path, 2)
    assert got == [(1, ALICE, "hello bob"),
                   (0, BOB, "hello alice, caf\u00e9 \u2603")], got
    st = os.stat(path)
    assert stat.S_IMODE(st.st_mode) == 0o600, oct(st.st_mode)
    st = os.stat(os.path.dirname(path))
    assert stat.S_IMODE(st.st_mode) == 0o700, oct(st.st_mode)
    h.close_stdin()
    assert h.wait(15) == 0

    # same XDG dirs: opening the chat shows the earlier lines
    h2 = t.headless(home="home")
    h2.connect("alice")
    h2.send("/msg %s" % BOB)
    h2.expect(hmsg(BOB, ALICE, "hello bob"))
    h2.expect(hmsg(BOB, BOB, "hello alice, caf\u00e9 \u2603"))

    # a new message after the history, not repeated
    bob.msg(ALICE, "third")
    h2.expect(hmsg(BOB, BOB, "third"))
    h2.expect_no(hmsg(BOB, BOB, "third"), within=0.5)

    # /search: diacritics folded, hits newest first with account and peer
    h2.send("/search cafe")
    h2.expect(hline(BOB, r"-!- 1 message match cafe"))
    h2.expect(hline(BOB, r"-!- 1\. \[alice@localhost\] bob@localhost  "
                    r"\d{4}-\d\d-\d\d \d\d:\d\d  <bob@localhost> "
                    r"hello alice, caf\u00e9 \u2603$"))
    h2.send("/search hello %s" % BOB)
    h2.expect(hline(BOB, r"-!- 2 messages match hello with bob@localhost"))
    h2.send("/search nothing-like-this")
    h2.expect(hline(BOB, r"-!- No stored message matches"))
    h2.send('/search "unbalanced')
    h2.expect(hline(BOB, r"-!- Bad search query"))

    # /history export
    out = t.path("bob.txt")
    h2.send("/history -a %s export %s %s" % (ALICE, BOB, out))
    h2.expect(hline(BOB, r"-!- Exported 3 lines with bob@localhost "
                    r"\(account alice@localhost\)"))
    with open(out, encoding="utf-8") as f:
        lines = f.read().splitlines()
    pat = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d <%s> %s$"
    assert re.match(pat % (ALICE, "hello bob"), lines[0]), lines
    assert re.match(pat % (BOB, re.escape("hello alice, caf\u00e9 \u2603")),
                    lines[1]), lines
    assert re.match(pat % (BOB, "third"), lines[2]), lines
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    h2.close_stdin()
    # the deliberate bad query printed an error line: status 1
    assert h2.wait(15) == 1


def test_incoming_message_brings_history(t):
    """A message that opens its window comes after the stored lines."""
    h, bob = online_pair(t)
    h.send("/msg %s first from alice" % BOB)
    bob.expect(r"^MSG alice@localhost/\S+ first from alice$", timeout=10)
    h.expect(hmsg(BOB, ALICE, "first from alice"))
    wait_rows(db_path(h), 1)
    h.send("/close")
    bob.msg(ALICE, "back again")
    first = h.expect(hline(BOB, r"<"))
    assert first.endswith("<alice@localhost> first from alice"), first
    h.expect(hmsg(BOB, BOB, "back again"))
    h.expect_no(hmsg(BOB, BOB, "back again"), within=0.5)


def test_kill9_leaves_readable_db(t):
    h, bob = online_pair(t)
    h.send("/msg %s before the storm" % BOB)
    bob.expect(r"^MSG alice@localhost/\S+ before the storm$", timeout=10)
    for i in range(5):
        bob.msg(ALICE, "early %d" % i)
    h.expect(hmsg(BOB, BOB, "early 4"))
    path = db_path(h)
    wait_rows(path, 6)

    # a burst while natter is busy, killed part-way through
    for i in range(40):
        bob.send("msg %s %s" % (ALICE, "burst %d" % i))
    h.expect(hmsg(BOB, BOB, "burst 10"), timeout=15)
    os.kill(h.proc.pid, signal.SIGKILL)
    h.wait(10)
    assert h.returncode == -signal.SIGKILL, h.returncode

    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        bodies = [r[0] for r in db.execute(
            "SELECT body FROM messages ORDER BY time, id")]
        hits = db.execute("SELECT count(*) FROM messages_fts WHERE "
                          "messages_fts MATCH 'early'").fetchone()[0]
        db.execute("INSERT INTO messages_fts(messages_fts) "
                   "VALUES ('integrity-check')")
    finally:
        db.close()
    assert bodies[:6] == ["before the storm"] + \
        ["early %d" % i for i in range(5)], bodies
    burst = bodies[6:]
    print("kill -9: %d of 40 burst messages were committed" % len(burst))
    # whatever was committed is whole and in order
    assert burst == ["burst %d" % i for i in range(len(burst))], burst
    assert hits == 5, hits

    # natter starts again on the same database
    h2 = t.headless(home="home")
    h2.connect("alice")
    h2.send("/msg %s" % BOB)
    h2.expect(hmsg(BOB, BOB, "early 4"))


def test_corrections_stored_as_updates(t):
    """Corrections both ways rewrite the stored rows: after a restart the
    window shows the corrected text marked edited, once, and /search finds
    the new text, not the old."""
    h, bob = online_pair(t)
    h.send("/msg %s see you at 4" % BOB)
    bob.expect(r"^MSG alice@localhost/\S+ see you at 4$", timeout=10)
    h.send("/correct see you at 5")
    bob.expect(r"^MSG alice@localhost/\S+ see you at 5$", timeout=10)
    h.expect(hmsg(BOB, ALICE, "see you at 5 (edited)"))
    bob.send("raw <message to='%s' type='chat' id='m1'><body>teh kat"
             "</body></message>" % ALICE)
    h.expect(hmsg(BOB, BOB, "teh kat"))
    bob.send("raw <message to='%s' type='chat' id='m2'><body>the cat"
             "</body><replace xmlns='urn:xmpp:message-correct:0' id='m1'/>"
             "</message>" % ALICE)
    h.expect(hmsg(BOB, BOB, "the cat (edited)"))
    bob.send("raw <message to='%s' type='chat' id='m3'><body>out of the "
             "blue</body><replace xmlns='urn:xmpp:message-correct:0' "
             "id='nope'/></message>" % ALICE)
    h.expect(hmsg(BOB, BOB, "out of the blue (edited)"))
    path = db_path(h)
    got = wait_rows(path, 3)
    time.sleep(0.3)
    got = rows(path)
    assert got == [(1, ALICE, "see you at 5"), (0, BOB, "the cat"),
                   (0, BOB, "out of the blue")], got
    h.close_stdin()
    assert h.wait(15) == 0

    h2 = t.headless(home="home")
    h2.connect("alice")
    h2.send("/msg %s" % BOB)
    h2.expect(hmsg(BOB, ALICE, "see you at 5 (edited)"))
    h2.expect(hmsg(BOB, BOB, "the cat (edited)"))
    h2.expect(hmsg(BOB, BOB, "out of the blue (edited)"))
    h2.send("/search see you at 4")
    h2.expect(hline(BOB, r"-!- No stored message matches see you at 4"))
    h2.send("/search kat")
    h2.expect(hline(BOB, r"-!- No stored message matches kat"))
    h2.send("/search the cat")
    h2.expect(hline(BOB, r"-!- 1 message match the cat"))
    h2.expect_no(hline(BOB, r"<bob@localhost> teh kat"), within=0.3)
    for x in list(h2.lines):
        if "<" in x:
            assert "see you at 4" not in x and "teh kat" not in x, x
    h2.close_stdin()
    assert h2.wait(15) == 0


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
