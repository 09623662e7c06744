#!/usr/bin/python3
"""What natter tells others (XEP-0092 version, XEP-0202 time, XEP-0012
last activity, XEP-0030 disco#info) and /info JID, against a real Prosody
and the scripted peer (which answers version, refuses last activity and
leaves time unanswered)."""

import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline  # noqa: E402


def ask(peer, full, iq_id, child):
    """Have peer send a get iq with child to full; return natter's reply."""
    peer.send("raw <iq type='get' to='%s' id='%s'>%s</iq>"
              % (full, iq_id, child))
    return peer.expect(r'^IQ %s <iq [^>]*id="%s"' % (re.escape(full), iq_id),
                       timeout=10)


def test_answers(t):
    bob = t.peer("bob")
    h = t.headless()
    line = h.connect("alice")
    res = re.search(r"Connected as alice@localhost/(\S+)", line).group(1)
    full = "alice@localhost/" + res

    v = ask(bob, full, "v1", "<query xmlns='jabber:iq:version'/>")
    assert 'type="result"' in v, v
    assert "<name>natter</name>" in v and "<version>" in v, v
    assert "<os>" not in v, v

    tm = ask(bob, full, "t1", "<time xmlns='urn:xmpp:time'/>")
    assert 'type="result"' in tm, tm
    assert re.search(r"<tzo>[+-]\d\d:\d\d</tzo>", tm), tm
    assert re.search(r"<utc>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ</utc>", tm), tm

    la = ask(bob, full, "l1", "<query xmlns='jabber:iq:last'/>")
    assert 'type="result"' in la and re.search(r'seconds="\d+"', la), la

    d = ask(bob, full, "d1",
            "<query xmlns='http://jabber.org/protocol/disco#info'/>")
    assert 'type="result"' in d, d
    assert 'category="client"' in d and 'type="console"' in d, d
    for ns in ("http://jabber.org/protocol/disco#info", "jabber:iq:version",
               "urn:xmpp:time", "jabber:iq:last", "urn:xmpp:ping",
               "urn:xmpp:receipts", "http://jabber.org/protocol/chatstates",
               "urn:xmpp:message-correct:0", "urn:xmpp:carbons:2",
               "urn:xmpp:sid:0"):
        assert '<feature var="%s"/>' % ns in d, (ns, d)

    u = ask(bob, full, "u1", "<query xmlns='urn:example:nothing'/>")
    assert 'type="error"' in u and "service-unavailable" in u, u
    h.close_stdin()
    assert h.wait(15) == 0


def test_info_command(t):
    t.prosody.register("carol")
    t.befriend("alice", "bob")
    bob = t.peer("bob", resource="phone")
    h = t.headless()
    h.connect("alice")
    h.expect(hline("console", r"-!- bob@localhost is now online"), timeout=10)
    bob.presence("away", "On the train")
    h.expect(hline("console", r"-!- bob@localhost is now away"), timeout=10)
    h.send("/info bob@localhost")
    h.expect(hline("console", r"-!- bob@localhost: 1 resource online$"))
    h.expect(hline("console", r"-!- bob@localhost/phone: away, "
                   r"priority 0, status: On the train$"))
    bob.expect(r'^IQ alice@localhost/\S+ <iq .*jabber:iq:version', timeout=5)
    h.expect(hline("console", r"-!- bob@localhost/phone: client "
                   r"natter-peer 1\.0$"), timeout=5)
    h.expect(hline("console", r"-!- bob@localhost/phone: last activity "
                   r"query refused: service-unavailable$"), timeout=5)
    h.expect(hline("console", r"-!- bob@localhost/phone: no answer to the "
                   r"time query in 10 s$"), timeout=15)
    h.send("/info carol@localhost")
    h.expect(hline("console", r"-!- carol@localhost is offline$"))
    h.send("/info not a jid")
    h.expect(hline("console", r"-!- Usage: /info JID"))
    h.close_stdin()
    assert h.wait(15) == 1  # the usage error


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
