#!/usr/bin/python3
"""Off-the-Record messaging between two real natters (alice and bob, each
with its own HOME) through a real Prosody: keys made in the background,
a private conversation started and ended, text that never crosses the
server in the clear (read from alice's NATTER_DEBUG_LOG), fingerprints
trusted by hand and by the Socialist Millionaires' Protocol, the policy
'always' holding a message until the conversation is private, and OTR
text arriving as a carbon or from the archive shown as undecryptable."""

import os
import re
import sqlite3
import stat
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"
KEY_TIMEOUT = 120  # DSA key generation, slow under valgrind


def pair(t, log=None):
    """alice and bob, connected, each with an OTR key."""
    env = {"NATTER_DEBUG_LOG": t.path(log)} if log else None
    alice = t.headless(env_extra=env)
    alice.connect("alice")
    bob = t.headless(home="home-bob")
    bob.connect("bob")
    for h, jid in ((alice, ALICE), (bob, BOB)):
        h.send("/otr gen")
        h.expect(r"-!- Making an OTR key for %s" % re.escape(jid))
        h.expect(r"-!- OTR key for %s ready, fingerprint [0-9A-F ]{44}$"
                 % re.escape(jid), timeout=KEY_TIMEOUT)
    return alice, bob


def start_private(alice, bob):
    """alice asks bob for a private conversation; both see it start."""
    alice.send("/msg %s" % BOB)
    alice.send("/otr start")
    alice.expect(hline(BOB, r"-!- OTR: asked %s for a private conversation"
                       % re.escape(BOB)))
    started = r"-!- OTR: private conversation with %s started, not verified"
    alice.expect(hline(BOB, started % re.escape(BOB)), timeout=20)
    bob.expect(hline(ALICE, started % re.escape(ALICE)), timeout=20)


def stored(h, account, body_like, timeout=5.0):
    """(body, protection, scheme) of the rows of account's history whose
    body is LIKE body_like, once there are any (bounded wait)."""
    path = os.path.join(h.env["XDG_DATA_HOME"], "natter", account,
                        "history.db")
    deadline = time.monotonic() + harness.scaled(timeout)
    got = []
    while time.monotonic() < deadline:
        try:
            db = sqlite3.connect(path)
            try:
                got = db.execute("SELECT body, protection, scheme FROM "
                                 "messages WHERE body LIKE ?",
                                 (body_like,)).fetchall()
            finally:
                db.close()
        except sqlite3.Error:
            got = []
        if got:
            return got
        time.sleep(0.05)
    return got


def quit_all(*hs, status=(0,)):
    """Quit every natter; status: the exit codes allowed (1 when an error
    line was shown on purpose)."""
    for h in hs:
        h.close_stdin()
    for h in hs:
        assert h.wait(20) in status


def test_private_conversation(t):
    alice, bob = pair(t, log="alice.log")
    # OTR text is not written to disk unless asked for: alice asks
    alice.send("/otr log")
    alice.expect(r"-!- OTR messages are logged: redact")
    alice.send("/otr log on")
    alice.expect(r"-!- OTR messages are logged: on")
    # a second /otr gen says there is a key already
    alice.send("/otr gen")
    alice.expect(r"-!- .*has an OTR key already")
    start_private(alice, bob)
    alice.send("/msg %s the eagle lands at noon" % BOB)
    bob.expect(hline(ALICE, r"<alice@localhost> the eagle lands at noon "
                     r"\[encrypted\]$"))
    alice.expect(hline(BOB, r"<alice@localhost> the eagle lands at noon "
                       r"\[encrypted\]$"))
    bob.send("/msg %s copy that" % ALICE)
    alice.expect(hline(BOB, r"<bob@localhost> copy that \[encrypted\]$"))
    # the server saw ciphertext only
    with open(t.path("alice.log"), encoding="utf-8", errors="replace") as f:
        log = f.read()
    assert "?OTR:" in log
    assert "the eagle lands" not in log
    assert "copy that" not in log
    # status, fingerprints, trust by hand
    alice.send("/otr status")
    alice.expect(r"-!- OTR with bob@localhost: private, unverified "
                 r"\(instance [0-9a-f]{8} of bob@localhost/")
    bob.send("/otr myfp")
    bobfp = re.search(r"([0-9A-F]{8}( [0-9A-F]{8}){4})$", bob.expect(
        r"-!- Your OTR fingerprint \(bob@localhost\): ")).group(1)
    alice.send("/otr theirfp")
    alice.expect(r"-!- OTR fingerprint of bob@localhost: %s$" % bobfp)
    alice.send("/otr trust")
    alice.expect(r"-!- OTR fingerprint of bob@localhost trusted")
    alice.send("/otr status")
    alice.expect(r"-!- OTR with bob@localhost: private, verified")
    alice.send("/msg %s now verified" % BOB)
    alice.expect(hline(BOB, r"<alice@localhost> now verified \[trusted\]$"))
    bob.expect(hline(ALICE, r"<alice@localhost> now verified "
                     r"\[encrypted\]$"))
    # the history keeps how each message was protected (1 encrypted,
    # 2 trusted); bob kept the default, redact: only a mark
    assert stored(alice, ALICE, "the eagle%") == [
        ("the eagle lands at noon", 1, "otr")]
    assert stored(alice, ALICE, "now verified") == [
        ("now verified", 2, "otr")]
    assert stored(bob, BOB, "the eagle%", timeout=0.5) == []
    alice.send("/msg %s off the record" % BOB)
    bob.expect(hline(ALICE, r"<alice@localhost> off the record "
                     r"\[trusted\]$|<alice@localhost> off the record "
                     r"\[encrypted\]$"))
    # eagle, copy that, now verified, off the record: marks, no text
    marks = stored(bob, BOB, "[otr message not logged]")
    assert len(marks) == 4, marks
    assert all(m[0] == "[otr message not logged]" and m[2] == "otr"
               for m in marks), marks
    assert stored(bob, BOB, "off the record", timeout=0.5) == []
    assert stored(bob, BOB, "copy that", timeout=0.5) == []
    # keys and fingerprints are private files
    otr = t.path("home", ".local", "share", "natter", ALICE, "otr")
    for name in ("private.key", "fingerprints", "instance_tags"):
        mode = stat.S_IMODE(os.stat(os.path.join(otr, name)).st_mode)
        assert mode == 0o600, (name, oct(mode))
    # bob ends it: alice's next message is held, not sent in the clear
    bob.send("/otr end")
    bob.expect(hline(ALICE, r"-!- OTR: private conversation with "
                     r"alice@localhost ended"))
    alice.expect(hline(BOB, r"-!- OTR: bob@localhost ended the private "
                       r"conversation"))
    alice.send("/msg %s are you there" % BOB)
    alice.expect(r"-!- Message to bob@localhost held, not sent: "
                 r"bob@localhost ended the private conversation")
    bob.expect_no(r"are you there", within=1.0)
    alice.send("/otr status")
    alice.expect(r"-!- OTR with bob@localhost: ended by the peer.*; 1 "
                 r"message held")
    alice.send("/otr drop")
    alice.expect(r"-!- Dropped 1 held message to bob@localhost")
    alice.send("/otr end")
    alice.expect(hline(BOB, r"-!- OTR: private conversation with "
                       r"bob@localhost ended, messages go in the clear"))
    alice.send("/msg %s in the clear again" % BOB)
    bob.expect(hline(ALICE, r"<alice@localhost> in the clear again$"))
    quit_all(bob)
    quit_all(alice, status=(1,))  # the second /otr gen was an error


def test_policy_always_holds_until_private(t):
    alice, bob = pair(t)
    alice.send("/otr policy always %s" % BOB)
    alice.expect(r"-!- OTR policy of bob@localhost is now always")
    alice.send("/msg %s only in private" % BOB)
    alice.expect(r"-!- Message to bob@localhost held, not sent: waiting for "
                 r"the private conversation with bob@localhost to start")
    # the query starts it; then the held message goes, encrypted
    bob.expect(hline(ALICE, r"-!- OTR: private conversation with "
                     r"alice@localhost started"), timeout=20)
    bob.expect(hline(ALICE, r"<alice@localhost> only in private "
                     r"\[encrypted\]$"), timeout=20)
    # the policy is kept across restarts
    quit_all(alice, bob)
    alice = t.headless()
    alice.connect("alice")
    alice.send("/msg %s" % BOB)
    alice.send("/otr status")
    alice.expect(r"-!- OTR with bob@localhost: not private; policy always")
    with open(t.path("home", ".local", "share", "natter", ALICE,
                     "e2e.ini")) as f:
        assert "bob@localhost=always" in f.read()
    quit_all(alice)


def test_smp_verifies(t):
    alice, bob = pair(t)
    start_private(alice, bob)
    alice.send("/otr question where did we meet paris")
    alice.expect(hline(BOB, r"-!- OTR: asked bob@localhost to verify"))
    bob.expect(hline(ALICE, r"-!- OTR: alice@localhost asks to verify you: "
                     r"where did we meet \(/otr answer ANSWER\)"))
    bob.send("/msg %s" % ALICE)
    bob.send("/otr answer paris")
    alice.expect(hline(BOB, r"-!- OTR: bob@localhost is verified"),
                 timeout=20)
    alice.send("/otr status")
    alice.expect(r"-!- OTR with bob@localhost: private, verified")
    # a wrong answer fails and trusts nothing new
    bob.send("/otr question where did we meet paris")
    alice.expect(hline(BOB, r"-!- OTR: bob@localhost asks to verify you"))
    alice.send("/otr answer london")
    bob.expect(hline(ALICE, r"-!- OTR: verification of alice@localhost "
                     r"failed"), timeout=20)
    bob.send("/otr status")
    bob.expect(r"-!- OTR with alice@localhost: private, unverified")
    quit_all(alice, bob, status=(1,))  # the failed verification


def test_title_bar_shows_state(t):
    """The curses title bar says how the current chat is protected."""
    bob = t.headless(home="home-bob")
    bob.connect("bob")
    bob.send("/otr gen")
    bob.expect(r"-!- OTR key for bob@localhost ready", timeout=KEY_TIMEOUT)
    tm = t.tmux(width=120, height=30)
    tm.wait_until(lambda rows: "natter" in rows[0], timeout=10,
                  what="the title bar")
    tm.line("/connect %s %s" % (t.prosody.jid("alice"),
                                t.prosody.connect_args("trust")))
    tm.wait_for(r"[Pp]assword", timeout=10)
    tm.line(harness.PASSWORDS["alice"])
    tm.wait_for(r"Connected as alice@localhost/", timeout=20)
    tm.line("/otr gen")
    tm.wait_for(r"OTR key for alice@localhost ready", timeout=KEY_TIMEOUT)
    tm.line("/msg %s" % BOB)
    tm.wait_until(lambda rows: BOB in rows[0] and "[plain]" in rows[0],
                  timeout=10, what="[plain] in the title")
    tm.line("/otr start")
    tm.wait_until(lambda rows: "[OTR ?]" in rows[0], timeout=20,
                  what="[OTR ?] in the title")
    bob.expect(hline(ALICE, r"-!- OTR: private conversation with "
                     r"alice@localhost started"))
    tm.line("/otr trust")
    tm.wait_until(lambda rows: "[OTR ok]" in rows[0], timeout=10,
                  what="[OTR ok] in the title")
    bob.send("/otr end %s" % ALICE)
    tm.wait_until(lambda rows: "[OTR ended!]" in rows[0], timeout=10,
                  what="[OTR ended!] in the title")
    tm.line("/otr end")
    tm.wait_until(lambda rows: "[plain]" in rows[0], timeout=10,
                  what="[plain] again")
    tm.line("/quit")
    quit_all(bob)


if __name__ == "__main__":
    harness.main(globals())
