#!/usr/bin/python3
"""The OTR policies on each side, all nine pairs, between two real natters
(alice and bob) through a real Prosody: alice's policy (her account's
default) and bob's (for alice only) are manual, opportunistic or always;
alice writes first. manual sends plain text and starts nothing;
opportunistic sends it with the whitespace tag, which a peer that is
not manual answers with a key exchange (the upgrade); always never sends
plain text: the message is held, a query goes out, and the message
follows encrypted once the conversation is private. A plain message
that reaches a side whose policy is always is shown with a warning,
shown as it came (no [encrypted] mark), and that side's answer is held
the same way."""

import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, hmsg  # noqa: E402
from test_otr import ALICE, BOB, natter, quit_all, read_log  # noqa: E402

# libotr's whitespace tag (OTRL_MESSAGE_TAG_BASE), as the log shows it
TAG = " \t  \t\t\t\t \t \t \t  "
POLICIES = ("manual", "opportunistic", "always")
STARTED = r"-!- OTR: private conversation with %s started"


def one_pair(t, pa, pb, n):
    """alice (policy pa) writes to bob (policy pb); check what happens."""
    alice = natter(t, "alice", "home-a%d" % n, log="alice%d.log" % n)
    bob = natter(t, "bob", "home-b%d" % n, log="bob%d.log" % n)
    # until the server has bob's first presence, a message would go to
    # the offline store, whose OTR text is never fed to libotr
    alice.expect(hline("console", r"-!- bob@localhost is now online"),
                 timeout=10)
    alice.send("/otr policy %s" % pa)
    alice.expect(r"-!- OTR policy of alice@localhost is now %s" % pa)
    bob.send("/otr policy %s %s" % (pb, ALICE))
    bob.expect(r"-!- OTR policy of alice@localhost is now %s" % pb)
    text = "first %s to %s" % (pa, pb)
    alice.send("/msg %s %s" % (BOB, text))
    private = pa == "always" or (pa == "opportunistic" and pb != "manual")
    if pa == "always":
        # held, never plain; it follows encrypted once private
        alice.expect(r"-!- Message to bob@localhost held, not sent: waiting "
                     r"for the private conversation")
        bob.expect(hline(ALICE, STARTED % re.escape(ALICE)), timeout=20)
        alice.expect(hline(BOB, STARTED % re.escape(BOB)), timeout=20)
        bob.expect(hmsg(ALICE, ALICE, text + " [encrypted]"), timeout=20)
    else:
        # plain text, the whitespace tag only when opportunistic
        bob.expect(hmsg(ALICE, ALICE, text))
        if pb == "always":
            bob.expect(hline(ALICE, r"-!- OTR: the next message from "
                             r"alice@localhost came unencrypted, although "
                             r"your OTR policy for them is always"))
        else:
            bob.expect_no(r"came unencrypted", within=0.2)
        if private:
            # the tag starts the key exchange (the upgrade)
            bob.expect(hline(ALICE, STARTED % re.escape(ALICE)), timeout=20)
            alice.expect(hline(BOB, STARTED % re.escape(BOB)), timeout=20)
        else:
            alice.expect_no(r"started", within=1.0)
    log = read_log(t, "alice%d.log" % n)
    assert (TAG in log) == (pa == "opportunistic"), (pa, pb)
    assert (text in log) == (pa != "always"), (pa, pb)
    # bob answers: encrypted when private; under always, held first
    reply = "reply %s to %s" % (pb, pa)
    bob.send("/msg %s %s" % (ALICE, reply))
    if private:
        alice.expect(hmsg(BOB, BOB, reply + " [encrypted]"), timeout=20)
    elif pb == "always":
        bob.expect(r"-!- Message to alice@localhost held, not sent: "
                   r"waiting for the private conversation")
        alice.expect(hline(BOB, STARTED % re.escape(BOB)), timeout=20)
        alice.expect(hmsg(BOB, BOB, reply + " [encrypted]"), timeout=20)
    else:
        alice.expect(hmsg(BOB, BOB, reply))
    assert (reply in read_log(t, "bob%d.log" % n)) == (
        not private and pb != "always"), (pa, pb)
    for h, peer in ((alice, BOB), (bob, ALICE)):
        h.send("/otr status %s" % peer)
        h.expect(r"-!- OTR with %s: %s" % (
            re.escape(peer), "private" if private or pb == "always"
            else "not private"))
    quit_all(alice, bob)


def test_policy_matrix(t):
    t.befriend("alice", "bob")
    n = 0
    for pa in POLICIES:
        for pb in POLICIES:
            one_pair(t, pa, pb, n)
            n += 1


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
