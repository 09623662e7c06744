#!/usr/bin/python3
"""What OTR keeps, and what it leaves elsewhere, with real natters (alice
and bob) through a real Prosody: a restart of both keeps the keys, the
fingerprints, their trust and the instance tags; the server's data
directory (archive and offline store) never holds the text of an OTR
message, while the same search finds a plain one; and /otr gen makes a
key while 200 messages arrive, answering commands meanwhile and losing
none."""

import os
import re
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, hmsg  # noqa: E402
from test_otr import (ALICE, BOB, KEY_TIMEOUT, natter, pair,  # noqa: E402
                      quit_all, start_private)

FP = r"[0-9A-F]{8}( [0-9A-F]{8}){4}"
STARTED = (r"-!- OTR: private conversation with %s started, %s, with "
           r"%s/\S+ \(instance ([0-9a-f]{8})\)")


def fingerprint(h, command, regex):
    """The fingerprint h prints for command (a line matching regex)."""
    h.send(command)
    return re.search(r"(%s)$" % FP, h.expect(regex)).group(1)


def test_restart_keeps_keys_fingerprints_and_trust(t):
    alice, bob = pair(t)
    start_private(alice, bob)
    before = {
        "alice": fingerprint(alice, "/otr myfp", r"-!- Your OTR fingerprint "),
        "bob": fingerprint(bob, "/otr myfp", r"-!- Your OTR fingerprint "),
        "alice sees": fingerprint(alice, "/otr theirfp",
                                  r"-!- OTR fingerprint of bob@localhost: "),
    }
    alice.send("/otr trust")
    alice.expect(r"-!- OTR fingerprint of bob@localhost trusted")
    # the instance tag bob sees for alice
    bob.send("/otr status")
    tag = re.search(r"instance ([0-9a-f]{8})", bob.expect(
        r"-!- OTR with alice@localhost: private")).group(1)
    quit_all(alice, bob)
    # the same homes again: nothing is made anew
    alice, bob = pair(t)
    for h in (alice, bob):
        h.expect_no(r"Making an OTR key", within=0.2)
    assert fingerprint(alice, "/otr myfp",
                       r"-!- Your OTR fingerprint ") == before["alice"]
    assert fingerprint(bob, "/otr myfp",
                       r"-!- Your OTR fingerprint ") == before["bob"]
    alice.send("/msg %s" % BOB)
    alice.send("/otr start")
    # alice still trusts bob's key; neither sees a new fingerprint
    alice.expect(hline(BOB, STARTED % (re.escape(BOB), "verified",
                                       re.escape(BOB))), timeout=20)
    line = bob.expect(hline(ALICE, STARTED % (re.escape(ALICE),
                                              "not verified",
                                              re.escape(ALICE))), timeout=20)
    assert "instance %s" % tag in line, (tag, line)
    for h in (alice, bob):
        h.expect_no(r"new fingerprint", within=0.2)
    assert fingerprint(alice, "/otr theirfp",
                       r"-!- OTR fingerprint of bob@localhost: ") == \
        before["alice sees"]
    alice.send("/otr status")
    alice.expect(r"-!- OTR with bob@localhost: private, verified")
    alice.send("/msg %s still trusted" % BOB)
    alice.expect(hmsg(BOB, ALICE, "still trusted [trusted]"))
    quit_all(alice, bob)


def grep_data(t, needle):
    """The files under Prosody's data directory that contain needle."""
    found = []
    for root, _, files in os.walk(t.prosody.data):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                if needle.encode() in f.read():
                    found.append(os.path.relpath(path, t.prosody.data))
    return found


def test_server_holds_no_plaintext(t):
    t.prosody.stop()
    t.prosody = t.start_prosody(modules=("mam",),
                                extra_config="default_archive_policy = true")
    alice, bob = pair(t)
    start_private(alice, bob)
    secrets = []
    for i in range(3):
        secrets += ["alpha secret %d" % i, "bravo secret %d" % i]
        alice.send("/msg %s %s" % (BOB, secrets[-2]))
        bob.send("/msg %s %s" % (ALICE, secrets[-1]))
        bob.expect(hmsg(ALICE, ALICE, secrets[-2] + " [encrypted]"))
        alice.expect(hmsg(BOB, BOB, secrets[-1] + " [encrypted]"))
    # bob goes away: what alice writes now waits in the offline store
    quit_all(bob)
    secrets.append("charlie secret offline")
    alice.send("/msg %s %s" % (BOB, secrets[-1]))
    alice.expect(hmsg(BOB, ALICE, secrets[-1] + " [encrypted]"))
    # the positive control: the same conversation in plain text
    alice.send("/otr end")
    alice.expect(hline(BOB, r"-!- OTR: private conversation with "
                       r"bob@localhost ended"))
    alice.send("/msg %s delta plain control" % BOB)
    alice.expect(hmsg(BOB, ALICE, "delta plain control"))
    # both stores have it (each is written in its own time)
    deadline = time.monotonic() + harness.scaled(10)
    while True:
        where = grep_data(t, "delta plain control")
        if (any(w.startswith("localhost/offline") for w in where) and
                any(w.startswith("localhost/archive") for w in where)):
            break
        assert time.monotonic() < deadline, ("the plain message is not in "
                                             "both stores", where)
        time.sleep(0.1)
    for s in secrets:
        assert grep_data(t, s) == [], (s, grep_data(t, s))
    assert grep_data(t, "secret") == []
    quit_all(alice)


def test_key_generation_while_messages_arrive(t):
    peer = t.peer("bob")
    alice = t.headless()
    alice.connect("alice")
    alice.send("/msg %s" % BOB)
    n = 200
    for i in range(n):
        peer.send("msg %s burst %03d" % (ALICE, i))
        if i == 20:
            # the key is made while the burst arrives; commands are
            # answered meanwhile (the second /otr gen, a status)
            alice.send("/otr gen")
            alice.send("/otr gen")
            alice.send("/otr status")
    for i in range(n):
        peer.expect(r"^SENT$")
    alice.expect(r"-!- Making an OTR key for alice@localhost")
    alice.expect(r"-!- .*An OTR key for alice@localhost is being made "
                 r"already")
    alice.expect(r"-!- OTR with bob@localhost: not private; policy manual")
    alice.expect(r"-!- OTR key for alice@localhost ready, fingerprint "
                 r"%s$" % FP, timeout=KEY_TIMEOUT)
    for i in range(n):
        alice.expect(hmsg(BOB, BOB, "burst %03d" % i), timeout=20)
    alice.expect_no(r"<bob@localhost> burst", within=0.5)  # none twice
    # the answers came while the key was being made, not after it
    lines = list(alice.lines)
    ready = next(i for i, x in enumerate(lines) if "key for alice@localhost "
                 "ready" in x)
    busy = next(i for i, x in enumerate(lines) if "being made already" in x)
    assert busy < ready, (busy, ready)
    alice.send("/otr myfp")
    alice.expect(r"-!- Your OTR fingerprint \(alice@localhost\): %s$" % FP)
    peer.quit()
    quit_all(alice, status=(1,))  # the second /otr gen was an error


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
