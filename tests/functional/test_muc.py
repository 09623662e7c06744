#!/usr/bin/python3
"""Group chat (XEP-0045) against Prosody's MUC component, with scripted
peers as the other occupants."""

import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, hmsg, MUC_DOMAIN  # noqa: E402

ROOM = "lounge@" + MUC_DOMAIN
USERS = ("alice", "bob", "carol")


def open_rooms(t, **kw):
    """Restart the test server with rooms that open at once (no lock)."""
    t.prosody.stop()
    kw.setdefault("muc_config", "muc_room_locking = false")
    t.prosody = t.start_prosody(users=USERS, **kw)


def joined(h, room=ROOM, nick="alice"):
    """Wait until natter reports the join of room as nick."""
    h.expect(hline(room, r"-!- You joined %s as %s \(\d+ occupants\)"
                   % (room, nick)), timeout=15)


def test_join_talk_and_leave(t):
    open_rooms(t)
    bob = t.peer("bob")
    bob.join(ROOM, "bob")
    h = t.headless()
    h.connect("alice")
    time.sleep(0.5)  # the group chat service is found through disco
    h.send("/join lounge")
    joined(h)
    bob.expect(r"^PRESENCE %s/alice available" % ROOM)
    bob.groupchat(ROOM, "hello there")
    h.expect(hmsg(ROOM, "bob", "hello there"))
    bob.groupchat(ROOM, "alice: are you there?")
    h.expect(hline(ROOM, r"! <bob> alice: are you there\?$"))
    h.send("hi bob")
    bob.expect(r"^MSG %s/alice hi bob$" % ROOM)
    h.expect(hmsg(ROOM, "alice", "hi bob"))  # the room's echo
    h.send("/occupants")
    h.expect(hline(ROOM, r"-!- 2 occupants in %s:" % ROOM))
    h.expect(hline(ROOM, r"-!-   alice \(\w+, \w+, online\)"))
    h.expect(hline(ROOM, r"-!-   bob \(\w+, \w+, online\)"))
    carol = t.peer("carol")
    carol.join(ROOM, "carol")
    h.expect(hline(ROOM, r"-!- carol joined$"))
    carol.raw("<presence to='%s/carol' type='unavailable'><status>bye"
              "</status></presence>" % ROOM)
    h.expect(hline(ROOM, r"-!- carol left: bye$"))
    h.send("/leave see you")
    h.expect(hline(ROOM, r"-!- You left %s" % ROOM))
    bob.expect(r"^PRESENCE %s/alice unavailable - see you" % ROOM)
    h.send("still here?")
    h.expect(hline(ROOM, r"-!- You are not in %s" % ROOM))
    h.close_stdin()
    h.wait(15)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
