#!/usr/bin/python3
"""Hostile input through group chat: control characters in subjects,
statuses and reasons, status floods, and stanzas that pretend to come from
a room. natter stays up, shows everything inert and ignores forgeries."""

import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, hmsg, MUC_DOMAIN  # noqa: E402

ROOM = "lounge@" + MUC_DOMAIN
EVIL = "x \u009d0;pwned\u009c \u009b2J \u009b31mRED \u202etxt del\x7f end"


def setup(t):
    """A fresh server with open rooms; bob owns ROOM, alice (headless)
    is in it. Returns (h, bob)."""
    t.prosody.stop()
    t.prosody = t.start_prosody(users=("alice", "bob", "carol"),
                                muc_config="muc_room_locking = false")
    bob = t.peer("bob")
    bob.join(ROOM, "bob")
    h = t.headless()
    h.connect("alice")
    h.send("/join %s" % ROOM)
    h.expect(hline(ROOM, r"-!- You joined %s as alice" % ROOM), timeout=15)
    bob.expect(r"^PRESENCE %s/alice available" % ROOM)
    return h, bob


def inert(line):
    """Assert line holds no raw C0/C1/DEL and no bidi override."""
    raw = [c for c in line
           if ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0
           or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069
           or 0xdc80 <= ord(c) <= 0xdcff]
    assert not raw, "raw control characters in output: %r" % line


def test_controls_in_subject_status_and_reason(t):
    h, bob = setup(t)
    bob.raw("<message to='%s' type='groupchat'><subject>%s</subject>"
            "</message>" % (ROOM, harness.xml_escape(EVIL)))
    line = h.expect(hline(ROOM, r"-!- Topic: x .*end \(set by bob\)$"))
    inert(line)
    assert "0;pwned" in line and "RED" in line, line
    bob.groupchat(ROOM, EVIL)
    inert(h.expect(hmsg(ROOM, "bob") + r"x .*end$"))
    carol = t.peer("carol")
    carol.join(ROOM, "carol")
    h.expect(hline(ROOM, r"-!- carol joined$"))
    carol.raw("<presence to='%s/carol' type='unavailable'><status>%s"
              "</status></presence>" % (ROOM, harness.xml_escape(EVIL)))
    inert(h.expect(hline(ROOM, r"-!- carol left: x .*end$")))
    carol.join(ROOM, "carol")
    bob.raw("<iq type='set' to='%s' id='k'><query xmlns='http://jabber.org/"
            "protocol/muc#admin'><item nick='carol' role='none'><reason>%s"
            "</reason></item></query></iq>" % (ROOM, harness.xml_escape(EVIL)))
    inert(h.expect(hline(ROOM, r"-!- carol was kicked by bob: x .*end$")))
    h.send("/occupants")
    h.expect(hline(ROOM, r"-!- 2 occupants in"))
    h.close_stdin()
    assert h.wait(15) in (0, 1)


def test_long_and_odd_nicks(t):
    h, bob = setup(t)
    long_nick = "n" * 1000
    carol = t.peer("carol")
    carol.join(ROOM, long_nick)
    h.expect(hline(ROOM, r"-!- %s joined$" % long_nick))
    carol.groupchat(ROOM, "from the long one")
    h.expect(hmsg(ROOM, long_nick, "from the long one"))
    odd = "zo\u00eb\u00df\u4e2d"  # accented, sharp s, CJK (wide)
    carol.raw("<presence to='%s/%s'/>" % (ROOM, odd))
    h.expect(hline(ROOM, r"-!- %s is now known as " % long_nick))
    h.send("/msg %s psst" % odd)
    carol.expect(r"^MSG %s/alice psst$" % ROOM)
    h.close_stdin()
    assert h.wait(15) in (0, 1)


def test_presence_flood(t):
    """Hundreds of presence changes with many status codes in a burst:
    natter keeps up and still answers."""
    h, bob = setup(t)
    for i in range(300):
        bob.raw("<presence to='%s/bob'><show>away</show><status>flood %d"
                "</status></presence>" % (ROOM, i))
    bob.groupchat(ROOM, "after the flood")
    h.expect(hmsg(ROOM, "bob", "after the flood"), timeout=20)
    h.send("/occupants")
    h.expect(hline(ROOM, r"-!-   bob \(\w+, \w+, away\)"))
    h.close_stdin()
    assert h.wait(15) in (0, 1)


def test_forgeries_are_ignored(t):
    """Only the room speaks for the room: a contact cannot inject room
    messages, room presences or room archive results."""
    h, bob = setup(t)
    # a groupchat message straight from bob's own JID
    bob.raw("<message to='alice@localhost' type='groupchat'><body>forged "
            "groupchat</body></message>")
    # an occupant presence with status 110 from bob's JID
    bob.raw("<presence to='alice@localhost'><x xmlns='http://jabber.org/"
            "protocol/muc#user'><item role='moderator'/><status code='110'/>"
            "</x></presence>")
    # an archive result claiming to be the room's
    bob.raw("<message to='alice@localhost'><result xmlns='urn:xmpp:mam:2' "
            "queryid='x' id='1'><forwarded xmlns='urn:xmpp:forward:0'>"
            "<delay xmlns='urn:xmpp:delay' stamp='2020-01-01T00:00:00Z'/>"
            "<message from='%s/eve' type='groupchat'><body>forged archive"
            "</body></message></forwarded></result></message>" % ROOM)
    bob.groupchat(ROOM, "real one")
    h.expect(hmsg(ROOM, "bob", "real one"))
    time.sleep(0.5)
    assert not h.has_line(r"forged"), "a forgery was shown"
    assert not h.has_line(r"You joined bob@"), "forged self-presence taken"
    h.close_stdin()
    assert h.wait(15) in (0, 1)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
