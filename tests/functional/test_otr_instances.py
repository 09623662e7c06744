#!/usr/bin/python3
"""OTR version 3 instance tags between real natters through a real
Prosody: bob is logged in twice (clients one and two, each natter with
its own HOME, so its own OTR instance), alice talks to each. Each private
conversation names the client it is with; a message goes to the instance
(and the client) of the conversation chosen, the other client never
receives it, not even as ciphertext; each client's session survives the
other's."""

import os
import re
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, hmsg  # noqa: E402
from test_otr import ALICE, BOB, natter, quit_all, read_log  # noqa: E402

STARTED = (r"-!- OTR: private conversation with %s started, not verified, "
           r"with %s \(instance ([0-9a-f]{8})\)")


def otr_to(log, jid):
    """How many OTR messages the debug log shows sent to exactly jid."""
    n = 0
    for m in re.finditer(r"<message\b[^>]*>", log):
        start = m.group(0)
        to = re.search(r"\bto=['\"]([^'\"]*)['\"]", start)
        body = log[m.end():m.end() + 400]
        if to and to.group(1) == jid and "?OTR" in body.split("</body>")[0]:
            n += 1
    return n


def test_two_clients_two_instances(t):
    t.befriend("alice", "bob")
    alice = natter(t, "alice", "home", log="alice.log")
    one = natter(t, "bob", "home-one", log="one.log")
    two = natter(t, "bob", "home-two", log="two.log")
    ONE, TWO = one.full, two.full
    for h in (one, two):
        h.send("/msg %s" % ALICE)
    # alice asks client one: only one answers; the line names it
    alice.send("/msg %s" % BOB)
    alice.send("/otr start %s" % ONE)
    tag_one = re.search(r"instance ([0-9a-f]{8})", alice.expect(
        hline(BOB, STARTED % (re.escape(BOB), re.escape(ONE))),
        timeout=20)).group(1)
    one.expect(hline(ALICE, STARTED % (re.escape(ALICE),
                                       re.escape(ALICE) + r"/\S+")),
               timeout=20)
    alice.send("/otr status")
    alice.expect(r"-!- OTR with bob@localhost: private, unverified "
                 r"\(instance %s of %s\)" % (tag_one, re.escape(ONE)))
    # one writes; alice's window answers that client, encrypted for it
    one.send("from one")
    alice.expect(hmsg(BOB, BOB, "from one [encrypted]"))
    alice.send("for one only")
    one.expect(hmsg(ALICE, ALICE, "for one only [encrypted]"))
    # so far client two got no OTR message at all, not even a query
    two.expect_no(r"OTR|for one only|from one", within=0.2)
    assert "?OTR" not in read_log(t, "two.log")
    # client two starts its own conversation: a second instance
    two.send("/otr start")
    tag_two = re.search(r"instance ([0-9a-f]{8})", alice.expect(
        hline(BOB, STARTED % (re.escape(BOB), re.escape(TWO))),
        timeout=20)).group(1)
    assert tag_two != tag_one
    two.expect(hline(ALICE, STARTED % (re.escape(ALICE),
                                       re.escape(ALICE) + r"/\S+")),
               timeout=20)
    # alice's window still talks to one, and one only
    alice.send("still for one")
    one.expect(hmsg(ALICE, ALICE, "still for one [encrypted]"))
    # two writes: alice answers two, and two only
    two.send("from two")
    alice.expect(hmsg(BOB, BOB, "from two [encrypted]"))
    alice.send("for two only")
    two.expect(hmsg(ALICE, ALICE, "for two only [encrypted]"))
    alice.send("/otr status")
    alice.expect(r"-!- OTR with bob@localhost: private, unverified "
                 r"\(instance %s of %s\)" % (tag_two, re.escape(TWO)))
    # neither client saw what was for the other, nor a session restart
    one.expect_no(r"for two only|from two|another of your clients|"
                  r"started|refreshed", within=1.0)
    two.expect_no(r"for one only|still for one|another of your clients|"
                  r"refreshed", within=0.2)
    log = read_log(t, "alice.log")
    assert otr_to(log, ONE) >= 2 and otr_to(log, TWO) >= 1, (
        otr_to(log, ONE), otr_to(log, TWO))
    # a presence of bob ends the window's lock on a resource; the
    # message still goes to the client of the conversation in use
    # (two, the last one heard), never to every client of bob
    one.send("/status away lunch")
    deadline = time.monotonic() + harness.scaled(10)
    while "<status>lunch</status>" not in read_log(t, "alice.log"):
        assert time.monotonic() < deadline, "no presence from one"
        time.sleep(0.05)
    sent_bare = otr_to(read_log(t, "alice.log"), BOB)
    alice.send("to the one in use")
    two.expect(hmsg(ALICE, ALICE, "to the one in use [encrypted]"))
    one.expect_no(r"to the one in use|another of your clients",
                  within=1.0)
    assert otr_to(read_log(t, "alice.log"), BOB) == sent_bare
    # each ends: the other conversation goes on
    two.send("/otr end")
    alice.expect(hline(BOB, r"-!- OTR: bob@localhost ended the private "
                       r"conversation"))
    quit_all(alice, one, two)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
