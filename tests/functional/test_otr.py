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
from harness import hline, hmsg  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"
KEY_TIMEOUT = 120  # DSA key generation, slow under valgrind


# Private keys made by /otr gen in this run, by JID: later tests start
# with a copy (DSA key generation is the slow part under valgrind). The
# first test of a file always makes them through /otr gen.
KEYS = {}


def otr_dir(t, home, jid):
    """The OTR directory of jid's account in HOME home."""
    return t.path(home, ".local", "share", "natter", jid, "otr")


def seed_key(t, home, jid):
    """Give jid's account in home the key made earlier (unless it has one
    already: a restart); False if there is none."""
    d = otr_dir(t, home, jid)
    if os.path.exists(os.path.join(d, "private.key")):
        return True
    if jid not in KEYS:
        return False
    os.makedirs(d, mode=0o700, exist_ok=True)
    path = os.path.join(d, "private.key")
    with open(path, "wb") as f:
        f.write(KEYS[jid])
    os.chmod(path, 0o600)
    return True


def natter(t, user, home, log=None):
    """natter for user in home, connected, with an OTR key: a copy of the
    one made earlier, else /otr gen. Its full JID is in .full."""
    jid = user + "@localhost"
    seeded = seed_key(t, home, jid)
    env = {"NATTER_DEBUG_LOG": t.path(log)} if log else None
    h = t.headless(env_extra=env, home=home)
    h.full = re.search(r"Connected as (\S+)", h.connect(user)).group(1)
    if not seeded:
        h.send("/otr gen")
        h.expect(r"-!- Making an OTR key for %s" % re.escape(jid))
        h.expect(r"-!- OTR key for %s ready, fingerprint [0-9A-F ]{44}$"
                 % re.escape(jid), timeout=KEY_TIMEOUT)
        with open(os.path.join(otr_dir(t, home, jid), "private.key"),
                  "rb") as f:
            KEYS[jid] = f.read()
    return h


def pair(t, log=None, bob_log=None):
    """alice and bob, friends, connected, each with an OTR key, each
    seen online by the other: until the server has bob's first presence,
    a message to him goes to its offline store (and OTR text from there
    is never fed to libotr)."""
    if not getattr(t, "otr_friends", False):
        t.befriend("alice", "bob")
        t.otr_friends = True
    alice = natter(t, "alice", "home", log)
    bob = natter(t, "bob", "home-bob", bob_log)
    alice.expect(hline("console", r"-!- %s is now online" % re.escape(BOB)),
                 timeout=10)
    return alice, bob


def start_private(alice, bob):
    """alice asks bob for a private conversation; both see it start."""
    alice.send("/msg %s" % BOB)
    alice.send("/otr start")
    alice.expect(hline(BOB, r"-!- OTR: asked %s for a private conversation"
                       % re.escape(BOB)))
    started = (r"-!- OTR: private conversation with %s started, not "
               r"verified, with %s/\S+ \(instance [0-9a-f]{8}\)")
    alice.expect(hline(BOB, started % (re.escape(BOB), re.escape(BOB))),
                 timeout=20)
    bob.expect(hline(ALICE, started % (re.escape(ALICE), re.escape(ALICE))),
               timeout=20)
    bob.send("/msg %s" % ALICE)  # bob's commands are about alice


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
    # (rows are committed up to 100 ms apart: wait for all four)
    deadline = time.monotonic() + harness.scaled(5)
    marks = stored(bob, BOB, "[otr message not logged]")
    while len(marks) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
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


def read_log(t, name):
    """The text of a NATTER_DEBUG_LOG file."""
    with open(t.path(name), encoding="utf-8", errors="replace") as f:
        return f.read()


def exchange(alice, bob, n, tag):
    """n messages each way at once, all arriving encrypted, each once."""
    for i in range(n):
        alice.send("/msg %s %s a%d" % (BOB, tag, i))
        bob.send("/msg %s %s b%d" % (ALICE, tag, i))
    for i in range(n):
        bob.expect(hmsg(ALICE, ALICE, "%s a%d [encrypted]" % (tag, i)),
                   timeout=20)
        alice.expect(hmsg(BOB, BOB, "%s b%d [encrypted]" % (tag, i)),
                     timeout=20)
    # nothing twice (libotr's own re-sending), nothing in the clear
    bob.expect_no(r"<alice@localhost> %s a\d+ " % tag, within=0.3)
    alice.expect_no(r"<bob@localhost> %s b\d+ " % tag, within=0.3)


def test_fifty_each_way_then_refresh(t):
    alice, bob = pair(t, log="alice.log", bob_log="bob.log")
    start_private(alice, bob)
    exchange(alice, bob, 50, "before")
    # a refresh runs the key exchange again; both sides say so, and it is
    # the same conversation (with the same client)
    # what is typed during the key exchange is held, not sent plain
    alice.send("/otr refresh")
    for i in range(5):
        bob.send("/msg %s during b%d" % (ALICE, i))
        alice.send("/msg %s during a%d" % (BOB, i))
    refreshed = (r"-!- OTR: private conversation with %s refreshed, with "
                 r"%s/\S+ \(instance [0-9a-f]{8}\)")
    alice.expect(hline(BOB, refreshed % (re.escape(BOB), re.escape(BOB))),
                 timeout=20)
    bob.expect(hline(ALICE, refreshed % (re.escape(ALICE),
                                         re.escape(ALICE))), timeout=20)
    alice.expect_no(r"started, not verified", within=0.3)
    bob.expect_no(r"started, not verified", within=0.3)
    exchange(alice, bob, 10, "after")
    for i in range(5):
        alice.expect(hmsg(BOB, BOB, "during b%d [encrypted]" % i))
        bob.expect(hmsg(ALICE, ALICE, "during a%d [encrypted]" % i))
    alice.send("/otr status")
    alice.expect(r"-!- OTR with bob@localhost: private, unverified")
    for name in ("alice.log", "bob.log"):
        log = read_log(t, name)
        assert log.count("?OTR:") >= 120, name
        assert "before a" not in log and "before b" not in log, name
        assert "after a" not in log and "after b" not in log, name
        assert "during a" not in log and "during b" not in log, name
    quit_all(alice, bob)


def test_end_by_either_side(t):
    alice, bob = pair(t, log="alice.log", bob_log="bob.log")
    start_private(alice, bob)
    # bob ends: alice's next message is held; /otr start sends it
    bob.send("/otr end")
    alice.expect(hline(BOB, r"-!- OTR: bob@localhost ended the private "
                       r"conversation"))
    alice.send("/msg %s held for a new session" % BOB)
    alice.expect(r"-!- Message to bob@localhost held, not sent: "
                 r"bob@localhost ended the private conversation")
    bob.expect_no(r"held for a new session", within=1.0)
    assert "held for a new session" not in read_log(t, "bob.log")
    assert "held for a new session" not in read_log(t, "alice.log")
    alice.send("/otr start")
    started = r"-!- OTR: private conversation with %s started, not verified"
    alice.expect(hline(BOB, started % re.escape(BOB)), timeout=20)
    bob.expect(hline(ALICE, started % re.escape(ALICE)), timeout=20)
    bob.expect(hmsg(ALICE, ALICE, "held for a new session [encrypted]"),
               timeout=20)
    alice.send("/otr status")
    alice.expect(r"-!- OTR with bob@localhost: private, unverified[^;]*; "
                 r"policy manual$")
    # alice ends: bob's next message is held; bob drops it, ends too and
    # goes on in the clear
    alice.send("/otr end")
    alice.expect(hline(BOB, r"-!- OTR: private conversation with "
                       r"bob@localhost ended"))
    bob.expect(hline(ALICE, r"-!- OTR: alice@localhost ended the private "
                     r"conversation"))
    bob.send("/msg %s never in the clear" % ALICE)
    bob.expect(r"-!- Message to alice@localhost held, not sent: "
               r"alice@localhost ended the private conversation")
    bob.send("/otr status")
    bob.expect(r"-!- OTR with alice@localhost: ended by the peer.*; 1 "
               r"message held")
    bob.send("/otr drop")
    bob.expect(r"-!- Dropped 1 held message to alice@localhost")
    bob.send("/otr end")
    bob.expect(hline(ALICE, r"-!- OTR: private conversation with "
                     r"alice@localhost ended, messages go in the clear"))
    bob.send("/msg %s plain from now on" % ALICE)
    alice.expect(hmsg(BOB, BOB, "plain from now on"))
    # the dropped one never went, not even after the end
    alice.expect_no(r"never in the clear", within=1.0)
    for name in ("alice.log", "bob.log"):
        assert "never in the clear" not in read_log(t, name), name
    quit_all(alice, bob)


def test_smp_wrong_answer_secret_and_abort(t):
    alice, bob = pair(t)
    start_private(alice, bob)
    # a wrong answer: neither side trusts anything
    alice.send("/otr question our street elm")
    bob.expect(hline(ALICE, r"-!- OTR: alice@localhost asks to verify you: "
                     r"our street \(/otr answer ANSWER\)"))
    bob.send("/otr answer oak")
    alice.expect(hline(BOB, r"-!- OTR: verification of bob@localhost "
                       r"failed"), timeout=20)
    bob.expect(hline(ALICE, r"-!- OTR: verification of alice@localhost "
                     r"failed"), timeout=20)
    for h, peer in ((alice, BOB), (bob, ALICE)):
        h.send("/otr status")
        h.expect(r"-!- OTR with %s: private, unverified" % re.escape(peer))
    # an abort by the asker: both sides say it stopped, nothing trusted
    alice.send("/otr question our street elm")
    bob.expect(hline(ALICE, r"-!- OTR: alice@localhost asks to verify you"))
    alice.send("/otr abort")
    alice.expect(hline(BOB, r"-!- OTR: verification of bob@localhost "
                       r"stopped: stopped by you"))
    bob.expect(hline(ALICE, r"-!- OTR: verification of alice@localhost "
                     r"stopped: the other side stopped it"), timeout=20)
    for h, peer in ((alice, BOB), (bob, ALICE)):
        h.send("/otr status")
        h.expect(r"-!- OTR with %s: private, unverified" % re.escape(peer))
    # a shared secret typed on both sides (/otr secret) verifies both
    alice.send("/otr secret open sesame")
    alice.expect(hline(BOB, r"-!- OTR: asked bob@localhost to verify"))
    bob.expect(hline(ALICE, r"-!- OTR: alice@localhost asks to verify you "
                     r"with a shared secret"))
    bob.send("/otr secret open sesame")
    alice.expect(hline(BOB, r"-!- OTR: bob@localhost is verified"),
                 timeout=20)
    bob.expect(hline(ALICE, r"-!- OTR: alice@localhost is verified"),
               timeout=20)
    for h, peer in ((alice, BOB), (bob, ALICE)):
        h.send("/otr status")
        h.expect(r"-!- OTR with %s: private, verified" % re.escape(peer))
    alice.send("/msg %s after the secret" % BOB)
    bob.expect(hmsg(ALICE, ALICE, "after the secret [trusted]"))
    quit_all(alice, bob, status=(1,))  # the failed verification


def test_long_message_fragmented(t):
    """A 10 KiB message is sent in OTR fragments and arrives whole."""
    alice, bob = pair(t, log="alice.log")
    start_private(alice, bob)
    words = ["w%04d" % i for i in range(1707)]  # 1707 * 6 - 1 = 10241
    text = " ".join(words)[:10240]
    assert len(text) == 10240
    alice.send("/msg %s %s" % (BOB, text))
    got = bob.expect(hline(ALICE, r"<alice@localhost> w0000 "), timeout=30)
    assert got.endswith(" [encrypted]"), got[-40:]
    body = got.split("<alice@localhost> ", 1)[1][:-len(" [encrypted]")]
    assert body == text, (len(body), body[-40:])
    # it went in several pieces, none of them plain
    log = read_log(t, "alice.log")
    pieces = re.findall(r"\?OTR\|[0-9a-f]+\|[0-9a-f]+,(\d+),(\d+),", log)
    assert len(pieces) >= 2, pieces
    assert {int(n) for _, n in pieces} == {len(pieces)}, pieces
    assert "w0500 w0501" not in log
    # and the conversation goes on
    bob.send("/msg %s got it all" % ALICE)
    alice.expect(hmsg(BOB, BOB, "got it all [encrypted]"))
    quit_all(alice, bob)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
