#!/usr/bin/python3
"""How OTR messages travel beside the rest of the protocol, between two
real natters through a real Prosody.

Receipts (XEP-0184) and chat markers (XEP-0333) still work for encrypted
messages. OTR text exchanged by another client of ours arrives as carbon
copies and from the archive (MAM): shown as not decryptable, never as
ciphertext, never handed to libotr. OTR text kept by the server while we were away (offline
delivery) is never fed to libotr, which would replay a session that is
gone: alice's natter dies without a goodbye while her private
conversation with bob runs; bob's next messages go to Prosody's offline
store; when alice comes back, the OTR one is shown as not decryptable
(its plain text nowhere), a plain one as it was sent, an offer without
its whitespace tag, bob's request to talk privately as a line that
waits for her /otr start (no key exchange with a request that old), and
alice can start a new private conversation at once."""

import os
import re
import signal
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline  # noqa: E402
from test_otr import ALICE, BOB, pair, quit_all, start_private  # noqa: E402


def test_receipts_and_markers(t):
    alice, bob = pair(t)
    start_private(alice, bob)
    bob.send("/msg %s" % ALICE)  # alice's window is bob's current one
    alice.send("/msg %s did you get this" % BOB)
    bob.expect(hline(ALICE, r"<alice@localhost> did you get this "
                     r"\[encrypted\]$"))
    alice.expect(hline(BOB, r"-!- Delivered to bob@localhost: did you get "
                       r"this$"))
    alice.expect(hline(BOB, r"-!- Read by bob@localhost: did you get this$"))
    quit_all(alice, bob)


def test_offline_otr_not_fed_to_libotr(t):
    alice, bob = pair(t)
    start_private(alice, bob)
    alice.send("/msg %s before the crash" % BOB)
    bob.expect(hline(ALICE, r"<alice@localhost> before the crash "
                     r"\[encrypted\]$"))
    # alice dies: no OTR goodbye, so bob's session still looks private
    alice.signal(signal.SIGKILL)
    assert alice.wait(20) != 0
    # the kernel closed her socket as she died; once Prosody has read the
    # end of her stream it tells bob (before that, his message would
    # reach a dead session)
    bob.expect(hline("console", r"-!- alice@localhost is now offline"),
               timeout=20)
    bob.send("/msg %s the vault code is 4711" % ALICE)
    bob.expect(hline(ALICE, r"<bob@localhost> the vault code is 4711 "
                     r"\[encrypted\]$"))
    bob.send("/otr end %s" % ALICE)
    bob.expect(hline(ALICE, r"-!- OTR: private conversation with "
                     r"alice@localhost ended"))
    bob.send("/msg %s plain while you were out" % ALICE)
    bob.expect(hline(ALICE, r"<bob@localhost> plain while you were out$"))
    # an offer (a text with the whitespace tag, from bob's phone) and a
    # request (bob's /otr start) while she is away
    phone = t.peer("bob", resource="phone")
    phone.msg(ALICE, "tagged while you were out" + TAG)
    phone.quit()  # alice's /otr start must reach bob's natter
    bob.send("/otr start")
    bob.expect(hline(ALICE, r"-!- OTR: asked alice@localhost for a private "
                     r"conversation"))
    # alice comes back with the same home (keys) and reads her offline
    # messages
    alice = t.headless(env_extra={"NATTER_DEBUG_LOG": t.path("alice2.log")})
    alice.connect("alice")
    alice.expect(hline(BOB, r"<bob@localhost> an OTR message kept by the "
                       r"server while we were away: not decryptable"),
                 timeout=20)
    alice.expect(hline(BOB, r"<bob@localhost> plain while you were out$"))
    # the tag is taken off; the old request waits for alice's word
    alice.expect(hline(BOB, r"<bob@localhost> tagged while you were out$"))
    alice.expect(hline(BOB, r"-!- OTR: bob@localhost asked for a private "
                       r"conversation while you were away \(/otr start to "
                       r"begin one\)$"))
    alice.expect_no(r"started", within=1.0)
    assert not alice.has_line(r"vault code")
    assert not alice.has_line(r"\?OTR")
    # libotr never saw it: it answered nothing (no OTR error to bob)
    bob.expect_no(r"OTR.*(error|Error)", within=1.0)
    # and a new private conversation starts at once
    start_private(alice, bob)
    alice.send("/msg %s back again" % BOB)
    bob.expect(hline(ALICE, r"<alice@localhost> back again \[encrypted\]$"))
    quit_all(alice, bob)


# OTR's whitespace tag (the base, then version 2 and 3), as libotr 4
# appends it to an offering message.
TAG = (" \t  \t\t\t\t \t \t \t  " "  \t\t  \t " "  \t\t  \t\t")

# What an OTR data message looks like on the wire (not a real one: no
# session could read it anyway).
CIPHER = "?OTR:AAMDc2VjcmV0IHRleHQgdGhhdCBuby1vbmUgY2FuIHJlYWQ=."


def test_carbons_and_archive_undecryptable(t):
    """OTR text exchanged by alice's other client reaches this natter as a
    carbon copy (sent and received) and later from the archive: each is
    shown as not decryptable, never as ciphertext, never fed to libotr."""
    t.prosody.stop()
    t.prosody = t.start_prosody(modules=("carbons", "mam"))
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    # a live message from the archive gives natter its place in it
    bob.msg(ALICE, "plain hello")
    h.expect(hline(BOB, r"<bob@localhost> plain hello$"))
    time.sleep(0.5)  # let carbons be enabled
    phone = t.peer("alice", resource="phone")
    phone.send("msg %s %s" % (BOB, CIPHER))
    bob.expect(r"^MSG alice@localhost/phone \?OTR:")
    other = r"an OTR message of another of our clients"
    h.expect(hline(BOB, r"<alice@localhost> %s" % other))
    bob.send("msg alice@localhost/phone %s" % CIPHER)
    phone.expect(r"^MSG bob@localhost/\S+ \?OTR:")
    h.expect(hline(BOB, r"<bob@localhost> %s" % other))
    time.sleep(0.3)  # the archive position is written after the loop turn
    h.close_stdin()
    assert h.wait(15) == 0
    # while this natter is away, bob writes OTR text to the phone; the
    # archive keeps it, and the catch-up on connecting brings it here
    bob.send("msg %s %s" % (ALICE, CIPHER))
    phone.expect(r"^MSG bob@localhost/\S+ \?OTR:")
    h2 = t.headless()
    h2.connect("alice")
    h2.expect(hline(BOB, r"<bob@localhost> an OTR message from the archive: "
                    r"its keys are gone"), timeout=20)
    for proc in (h, h2):
        assert not proc.has_line(r"\?OTR:"), "ciphertext shown"
    # libotr saw none of them: nothing was sent back to bob
    bob.expect_no(r"^MSG alice@localhost/natter", within=1.0)
    h2.close_stdin()
    assert h2.wait(15) == 0


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
