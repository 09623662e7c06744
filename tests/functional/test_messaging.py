#!/usr/bin/python3
"""Messaging extensions against a real Prosody: delivery receipts
(XEP-0184), corrections (XEP-0308), /me (XEP-0245), origin ids (XEP-0359),
chat states (XEP-0085) and message carbons (XEP-0280)."""

import os
import re
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, hmsg  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"


def sent_id(bob, text):
    """The id of the message with body text that bob received."""
    line = bob.expect(r"^XML alice@localhost/\S+ .*<body>%s</body>"
                      % re.escape(text))
    return re.search(r' id="([^"]+)"', line).group(1), line


def test_receipts_and_ids(t):
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    h.send("/msg %s hello bob" % BOB)
    mid, xml = sent_id(bob, "hello bob")
    assert re.search(r'<request xmlns="urn:xmpp:receipts"/>', xml), xml
    assert re.search(r'<origin-id (id="%s" xmlns="urn:xmpp:sid:0"|'
                     r'xmlns="urn:xmpp:sid:0" id="%s")' % (mid, mid), xml), xml
    bob.send("raw <message to='%s' id='r1'><received "
             "xmlns='urn:xmpp:receipts' id='%s'/></message>" % (ALICE, mid))
    h.expect(hline(BOB, r"-!- Delivered to bob@localhost: hello bob$"))
    # natter answers receipt requests
    bob.send("raw <message to='%s' type='chat' id='b42'><body>ping</body>"
             "<request xmlns='urn:xmpp:receipts'/></message>" % ALICE)
    h.expect(hmsg(BOB, BOB, "ping"))
    bob.expect(r"^XML alice@localhost/\S+ .*<received (xmlns=\"urn:xmpp:"
               r"receipts\" id=\"b42\"|id=\"b42\" xmlns=\"urn:xmpp:"
               r"receipts\")")
    h.close_stdin()
    assert h.wait(15) == 0


def test_corrections_both_ways(t):
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    h.send("/msg %s see you at 4" % BOB)
    mid, _ = sent_id(bob, "see you at 4")
    h.send("/correct see you at 5")
    _, xml = sent_id(bob, "see you at 5")
    assert re.search(r'<replace (id="%s" xmlns="urn:xmpp:message-correct:0"'
                     r'|xmlns="urn:xmpp:message-correct:0" id="%s")'
                     % (mid, mid), xml), xml
    h.expect(hline(BOB, r"<alice@localhost> see you at 5 \(edited\)$"))
    bob.send("raw <message to='%s' type='chat' id='m1'><body>teh cat"
             "</body></message>" % ALICE)
    h.expect(hmsg(BOB, BOB, "teh cat"))
    bob.send("raw <message to='%s' type='chat' id='m2'><body>the cat</body>"
             "<replace xmlns='urn:xmpp:message-correct:0' id='m1'/>"
             "</message>" % ALICE)
    h.expect(hline(BOB, r"<bob@localhost> the cat \(edited\)$"))
    # a correction of something never seen shows as a new, edited line
    bob.send("raw <message to='%s' type='chat' id='m3'><body>out of the "
             "blue</body><replace xmlns='urn:xmpp:message-correct:0' "
             "id='nope'/></message>" % ALICE)
    h.expect(hline(BOB, r"<bob@localhost> out of the blue \(edited\)$"))
    time.sleep(0.3)
    assert sum(1 for x in h.lines if "out of the blue" in x) == 1
    h.send("/win 1")
    h.send("/correct nothing")
    h.expect(hline("console", r"-!- /correct works in a chat or room window"))
    h.close_stdin()
    assert h.wait(15) == 1


def test_chat_markers(t):
    """XEP-0333: our messages are markable and show as read when the peer
    says so; we say so for theirs once their window is on screen."""
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    h.send("/msg %s read me" % BOB)
    mid, xml = sent_id(bob, "read me")
    assert re.search(r'<markable xmlns="urn:xmpp:chat-markers:0"/>', xml), xml
    bob.send("raw <message to='%s' type='chat'><displayed "
             "xmlns='urn:xmpp:chat-markers:0' id='%s'/></message>"
             % (ALICE, mid))
    h.expect(hline(BOB, r"-!- Read by bob@localhost: read me$"))
    # bob's window is current: his markable message is displayed at once
    bob.send("raw <message to='%s' type='chat' id='k1'><body>seen?</body>"
             "<markable xmlns='urn:xmpp:chat-markers:0'/></message>" % ALICE)
    h.expect(hmsg(BOB, BOB, "seen?"))
    bob.expect(r'^XML alice@localhost/\S+ .*<displayed .*id="k1"', timeout=10)
    # on the console, the next one waits until bob's window is shown
    h.send("/win 1")
    h.send("/help clear")  # its answer proves /win 1 has run
    h.expect(hline("console", r"-!- Usage: /clear"))
    bob.send("raw <message to='%s' type='chat' id='k2'><body>and this?"
             "</body><markable xmlns='urn:xmpp:chat-markers:0'/></message>"
             % ALICE)
    h.expect(hmsg(BOB, BOB, "and this?"))
    bob.expect_no(r'<displayed .*id="k2"', within=1)
    h.send("/win 2")
    bob.expect(r'^XML alice@localhost/\S+ .*<displayed .*id="k2"', timeout=10)
    h.close_stdin()
    assert h.wait(15) == 0


def test_me(t):
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    h.send("/msg %s" % BOB)
    h.send("/me waves")
    bob.expect(r"^MSG alice@localhost/\S+ /me waves$")
    h.expect(hline(BOB, r"\* alice@localhost waves$"))
    bob.msg(ALICE, "/me waves back")
    h.expect(hline(BOB, r"\* bob@localhost waves back$"))
    h.close_stdin()
    assert h.wait(15) == 0


def test_carbons(t):
    """Messages our other client sends or receives show here, marked; a
    forged carbon from someone else is ignored."""
    t.prosody.stop()
    t.prosody = t.start_prosody(modules=("carbons",))
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    time.sleep(0.5)  # let carbons be enabled
    phone = t.peer("alice", resource="phone")
    phone.send("msg %s sent from my phone" % BOB)
    bob.expect(r"^MSG alice@localhost/phone sent from my phone$")
    h.expect(hline(BOB, r"<alice@localhost> sent from my phone \(other "
                   r"device\)$"))
    bob.send("msg alice@localhost/phone to the phone only")
    phone.expect(r"^MSG bob@localhost/\S+ to the phone only$")
    h.expect(hline(BOB, r"<bob@localhost> to the phone only \(other "
                   r"device\)$"))
    bob.send("raw <message to='%s' type='chat'><received "
             "xmlns='urn:xmpp:carbons:2'><forwarded "
             "xmlns='urn:xmpp:forward:0'><message from='%s/x' to='%s' "
             "type='chat'><body>forged</body></message></forwarded>"
             "</received></message>" % (ALICE, ALICE, BOB))
    h.expect_no(r"forged", within=1.5)
    h.close_stdin()
    assert h.wait(15) == 0


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
