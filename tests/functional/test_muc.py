#!/usr/bin/python3
"""Group chat (XEP-0045) against Prosody's MUC component, with scripted
peers as the other occupants."""

import os
import re
import sqlite3
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
    h.expect(hline(room, r"-!- You joined %s as %s \(\d+ occupants?\)"
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
    h.send("/join %s" % ROOM)
    joined(h)
    bob.expect(r"^PRESENCE %s/alice available" % ROOM)
    h.send("/close")  # closing the window leaves the room
    bob.expect(r"^PRESENCE %s/alice unavailable" % ROOM)
    bob.groupchat(ROOM, "gone?")
    h.expect_no(r"gone\?", within=1)
    h.close_stdin()
    h.wait(15)


def test_self_ping(t):
    """XEP-0410: natter pings itself in each room and keeps the join while
    the room answers (which answers mean a lost join: test_muc.c)."""
    open_rooms(t)
    h = t.headless(autorun="/set muc.ping 1\n")
    h.connect("alice")
    h.send("/join %s" % ROOM)
    joined(h)
    deadline = time.time() + 10
    pinged = False
    while time.time() < deadline and not pinged:
        with open(t.prosody.log, errors="replace") as f:
            pinged = re.search(r"Sending\[c2s\]: <iq(?=[^>]*from='%s/alice')"
                               r"(?=[^>]*type='result')" % re.escape(ROOM),
                               f.read()) is not None
        time.sleep(0.2)
    assert pinged, "no self-ping reached the server"
    h.expect_no(r"Lost the join", within=2.5)
    h.close_stdin()
    h.wait(15)


def configure(peer, room, **fields):
    """Have peer (an owner) submit room configuration fields."""
    xml = "".join("<field var='muc#roomconfig_%s'><value>%s</value></field>"
                  % (k, v) for k, v in fields.items())
    peer.raw("<iq type='set' to='%s' id='cfg'><query xmlns='http://jabber.org/"
             "protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'>"
             "<field var='FORM_TYPE'><value>http://jabber.org/protocol/"
             "muc#roomconfig</value></field>%s</x></query></iq>"
             % (room, xml))
    peer.expect(r"^IQ %s <iq [^>]*id=\"cfg\"[^>]*type=\"result\"" % room,
                timeout=10)


def test_nick_change_and_conflict(t):
    open_rooms(t)
    bob = t.peer("bob")
    bob.join(ROOM, "bob")
    h = t.headless()
    h.connect("alice")
    h.send("/join %s nick bob" % ROOM)
    h.expect(hline(ROOM, r"-!- Cannot join %s: the nick bob is in use there: "
                   r"/join %s nick OTHER$" % (ROOM, ROOM)), timeout=15)
    h.send("/join %s nick ann" % ROOM)
    joined(h, nick="ann")
    h.send("/nick anne")
    h.expect(hline(ROOM, r"-!- You are now known as anne$"))
    bob.expect(r"^PRESENCE %s/anne available" % ROOM)
    h.send("/nick bob")
    h.expect(hline(ROOM, r"-!- Cannot change your nick to bob: someone uses "
                   r"it already"))
    bob.raw("<presence to='%s/robert'/>" % ROOM)
    h.expect(hline(ROOM, r"-!- bob is now known as robert$"))
    h.send("/occupants")
    h.expect(hline(ROOM, r"-!-   robert "))
    h.close_stdin()
    h.wait(15)


def test_password_and_members_only(t):
    open_rooms(t)
    bob = t.peer("bob")
    secret = "secret@" + MUC_DOMAIN
    club = "club@" + MUC_DOMAIN
    bob.join(secret, "bob")
    configure(bob, secret, passwordprotectedroom=1, roomsecret="pw123")
    bob.join(club, "bob")
    configure(bob, club, membersonly=1)
    h = t.headless()
    h.connect("alice")
    h.send("/join %s" % secret)
    h.expect(hline(secret, r"-!- Cannot join %s: it needs a password: /join "
                   r"%s password PASS" % (secret, secret)), timeout=15)
    h.send("/join %s password wrong" % secret)
    h.expect(hline(secret, r"-!- Cannot join %s: it needs a password"
                   % secret), timeout=15)
    h.send("/join %s password pw123" % secret)
    joined(h, room=secret)
    h.send("/join %s" % club)
    h.expect(hline(club, r"-!- Cannot join %s: it is members-only: ask an "
                   r"owner or admin to make you a member" % club), timeout=15)
    bob.raw("<iq type='set' to='%s' id='mem'><query xmlns='http://jabber.org/"
            "protocol/muc#admin'><item affiliation='member' "
            "jid='alice@localhost'/></query></iq>" % club)
    bob.expect(r"^IQ %s <iq [^>]*id=\"mem\"[^>]*type=\"result\"" % club)
    h.send("/join %s" % club)
    joined(h, room=club)
    h.close_stdin()
    h.wait(15)


def test_topic(t):
    open_rooms(t)
    h = t.headless()
    h.connect("alice")
    h.send("/join %s" % ROOM)  # alice creates and owns it
    joined(h)
    bob = t.peer("bob")
    bob.join(ROOM, "bob")
    h.send("/role bob moderator")  # moderators may change the subject
    bob.expect(r"^PRESENCE %s/bob available" % ROOM)
    bob.raw("<message to='%s' type='groupchat'><subject>First topic"
            "</subject></message>" % ROOM)
    h.expect(hline(ROOM, r"-!- Topic: First topic \(set by bob\)$"))
    h.send("/topic")
    h.expect(hline(ROOM, r"-!- Topic of %s: First topic$" % ROOM))
    h.send("/topic Release on Friday")
    h.expect(hline(ROOM, r"-!- Topic: Release on Friday \(set by alice\)$"))
    bob.expect(r"^XML %s/alice <message.*<subject>Release on Friday"
               % ROOM)
    h.close_stdin()
    h.wait(15)


def test_kick_ban_and_roles(t):
    open_rooms(t)
    bob = t.peer("bob")
    carol = t.peer("carol")
    h = t.headless()
    h.connect("alice")
    h.send("/join %s" % ROOM)  # alice creates it: she owns it
    joined(h)
    bob.join(ROOM, "bob")
    carol.join(ROOM, "carol")
    h.expect(hline(ROOM, r"-!- carol joined$"))
    h.send("/role bob moderator")
    h.expect(hline(ROOM, r"-!- bob is now moderator \(none\)"))
    bob.expect(r"^PRESENCE %s/bob available" % ROOM)
    h.send("/devoice carol")
    h.expect(hline(ROOM, r"-!- carol is now visitor"))
    h.send("/voice carol")
    h.expect(hline(ROOM, r"-!- carol is now participant"))
    h.send("/kick carol be nice")
    h.expect(hline(ROOM, r"-!- carol was kicked by alice: be nice$"))
    carol.expect(r"^PRESENCE %s/carol unavailable" % ROOM)
    h.send("/affiliation carol@localhost member")
    h.expect(hline(ROOM, r"-!- carol@localhost is now member of %s$" % ROOM))
    h.send("/affiliation list member")
    h.expect(hline(ROOM, r"-!- 1 member of %s:" % ROOM))
    h.expect(hline(ROOM, r"-!-   carol@localhost"))
    h.send("/ban bob@localhost go away")
    h.expect(hline(ROOM, r"-!- bob was banned by alice: go away$"))
    h.send("/affiliation list outcast")
    h.expect(hline(ROOM, r"-!- 1 outcast of %s:" % ROOM))
    bob.join(ROOM, "bob", wait=False)
    bob.expect(r"^PRESENCE %s/bob error" % ROOM)
    # and from the other side: bob (now gone) cannot kick; carol rejoins
    # as a plain member and is refused moderation
    carol.join(ROOM, "carol")
    carol.raw("<iq type='set' to='%s' id='k'><query xmlns='http://jabber.org/"
              "protocol/muc#admin'><item nick='alice' role='none'/></query>"
              "</iq>" % ROOM)
    carol.expect(r"^IQ %s <iq [^>]*id=\"k\"[^>]*type=\"error\"" % ROOM)
    h.send("/kick nobody")
    h.expect(hline(ROOM, r"-!- Cannot set the role of nobody to none in %s: "
                   % ROOM))
    h.close_stdin()
    h.wait(15)


def test_kicked_and_banned_ourselves(t):
    open_rooms(t)
    bob = t.peer("bob")
    bob.join(ROOM, "bob")  # bob owns the room
    h = t.headless()
    h.connect("alice")
    h.send("/join %s" % ROOM)
    joined(h)
    bob.raw("<iq type='set' to='%s' id='k'><query xmlns='http://jabber.org/"
            "protocol/muc#admin'><item nick='alice' role='none'><reason>"
            "out</reason></item></query></iq>" % ROOM)
    h.expect(hline(ROOM, r"-!- You were kicked from %s by bob: out \(/join "
                   r"to return\)$" % ROOM))
    h.send("hello?")
    h.expect(hline(ROOM, r"-!- You are not in %s" % ROOM))
    h.send("/join %s" % ROOM)
    joined(h)
    bob.raw("<iq type='set' to='%s' id='b'><query xmlns='http://jabber.org/"
            "protocol/muc#admin'><item jid='alice@localhost' "
            "affiliation='outcast'/></query></iq>" % ROOM)
    h.expect(hline(ROOM, r"-!- You were banned from %s by bob$" % ROOM))
    h.send("/join %s" % ROOM)
    h.expect(hline(ROOM, r"-!- Cannot join %s: you are banned from it$"
                   % ROOM), timeout=15)
    h.close_stdin()
    h.wait(15)


def test_private_messages(t):
    open_rooms(t)
    bob = t.peer("bob")
    bob.join(ROOM, "bob")
    h = t.headless()
    h.connect("alice")
    h.send("/join %s" % ROOM)
    joined(h)
    h.send("/msg bob psst, bob")
    bob.expect(r"^MSG %s/alice psst, bob$" % ROOM)
    pm = "%s/bob" % ROOM
    h.expect(hmsg(pm, "alice", "psst, bob"))
    bob.raw("<message to='%s/alice' type='chat'><body>what is it</body>"
            "<x xmlns='http://jabber.org/protocol/muc#user'/></message>"
            % ROOM)
    h.expect(hmsg(pm, "bob", "what is it"))
    h.send("nothing")  # typed in the private window
    bob.expect(r"^MSG %s/alice nothing$" % ROOM)
    h.close_stdin()
    h.wait(15)


def test_invitations_both_ways(t):
    open_rooms(t)
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    other = "other@" + MUC_DOMAIN
    bob.join(other, "bob")
    # mediated, through the room
    bob.raw("<message to='%s'><x xmlns='http://jabber.org/protocol/muc#user'>"
            "<invite to='alice@localhost'><reason>come in</reason></invite>"
            "</x></message>" % other)
    h.expect(hline("console", r"-!- \S+ invites you to %s - "
                   r"come in: /join %s to accept" % (other, other)))
    # direct (XEP-0249)
    bob.raw("<message to='alice@localhost'><x xmlns='jabber:x:conference' "
            "jid='%s' reason='direct one'/></message>" % ROOM)
    h.expect(hline("console", r"-!- bob@localhost/\S+ invites you to %s - "
                   r"direct one: /join %s to accept" % (ROOM, ROOM)))
    h.send("/join %s" % ROOM)
    joined(h)
    h.send("/invite bob@localhost join us")  # bob is not a contact: mediated
    h.expect(hline(ROOM, r"-!- Invited bob@localhost to %s \(through the "
                   r"room\)" % ROOM))
    bob.expect(r"^XML %s <message.*<invite from=\"[^\"]+\"><reason>join us"
               r"</reason>" % ROOM)
    h.close_stdin()
    h.wait(15)


def test_room_history_on_join_without_duplicates(t):
    open_rooms(t, muc_modules=("muc_mam",))
    bob = t.peer("bob")
    bob.join(ROOM, "bob")
    for i in range(5):
        bob.groupchat(ROOM, "early %d" % i)
    h = t.headless()
    h.connect("alice")
    h.send("/join %s" % ROOM)
    joined(h)
    for i in range(5):
        h.expect(hmsg(ROOM, "bob", "early %d" % i))
    bob.groupchat(ROOM, "live one")
    h.expect(hmsg(ROOM, "bob", "live one"))
    h.close_stdin()
    h.wait(15)
    for i in range(3):
        bob.groupchat(ROOM, "while away %d" % i)
    h2 = t.headless()
    h2.connect("alice")
    h2.send("/join %s" % ROOM)
    joined(h2)
    for i in range(3):
        h2.expect(hmsg(ROOM, "bob", "while away %d" % i))
    time.sleep(1.0)
    out = "\n".join(h2.lines)
    for text in ["early 0", "early 4", "live one", "while away 0",
                 "while away 2"]:
        n = out.count("<bob> %s" % text)
        assert n == 1, "%r shown %d times:\n%s" % (text, n, out)
    # room messages are searchable, and a hit opens the room's window
    h2.send("/search while away 1")
    h2.expect(hline(ROOM, r"-!- 1\. .*%s.*<bob> while away 1"
                    % re.escape(ROOM)))
    h2.send("/search open 1")
    h2.expect(hline(ROOM, r"-!- Stored messages around search hit 1"))
    h2.close_stdin()
    h2.wait(15)


def test_rejoin_after_server_restart(t):
    open_rooms(t)
    h = t.headless()
    h.connect("alice")
    h.send("/join %s" % ROOM)
    joined(h)
    t.prosody.restart()
    h.expect(hline(ROOM, r"-!- You left %s: disconnected; natter rejoins"
                   % ROOM), timeout=20)
    h.expect(hline("console", r"-!- Connected as alice@localhost/"),
             timeout=30)
    joined(h)
    bob = t.peer("bob")
    bob.join(ROOM, "bob")
    bob.groupchat(ROOM, "welcome back")
    h.expect(hmsg(ROOM, "bob", "welcome back"))
    h.close_stdin()
    h.wait(15)


def test_screen(t):
    """The curses UI: occupants pane by role, topic in the title bar, Tab
    completing a nick, a mention highlighted in the status bar."""
    open_rooms(t)
    bob = t.peer("bob")
    bob.join(ROOM, "bob")
    bob.raw("<message to='%s' type='groupchat'><subject>Coffee talk"
            "</subject></message>" % ROOM)
    tm = t.tmux(width=100, height=24)
    tm.wait_for(r"natter", timeout=10)
    tm.line("/connect %s %s" % (t.prosody.jid("alice"),
                                t.prosody.connect_args("trust")))
    tm.wait_for(r"[Pp]assword", timeout=10)
    tm.line(harness.PASSWORDS["alice"])
    tm.wait_for(r"Connected as alice@localhost/", timeout=20)
    tm.line("/join %s" % ROOM)
    tm.wait_for(r"You joined %s as alice" % ROOM, timeout=15)
    rows = tm.wait_until(
        lambda rows: "Occupants (2)" in "".join(rows), timeout=10,
        what="the occupants pane")
    title = rows[0]
    assert "Coffee talk" in title and "(2, as alice)" in title, title
    pane = [r[100 - 20:] for r in rows[1:-2]]
    text = "\n".join(pane)
    assert "Moderators" in text and "bob" in text and "alice" in text, text
    # Tab at the start of the line completes bob's nick with ": "
    tm.type("bo")
    tm.send_keys("Tab")
    tm.type("ready?")
    tm.send_keys("Enter")
    bob.expect(r"^MSG %s/alice bob: ready\?$" % ROOM)
    # a mention in a window out of sight lights it up in the status bar
    tm.line("/win 1")
    # the mention must arrive after the switch, or it lands in sight
    tm.wait_until(lambda rows: "console" in rows[0] and ROOM not in rows[0],
                  timeout=10, what="the console in the title bar")
    bob.groupchat(ROOM, "alice: yes")
    rows = tm.wait_until(lambda rows: "2:%s(1)" % ROOM in rows[-2],
                         timeout=10, what="the room's unread mark")
    tm.line("/win 2")
    tm.wait_for(r"<bob> alice: yes", timeout=5)
    carol = t.peer("carol")
    carol.join(ROOM, "carol")
    tm.wait_until(lambda rows: "Occupants (3)" in "".join(rows), timeout=10,
                  what="carol in the occupants pane")
    carol.raw("<presence to='%s/carol' type='unavailable'/>" % ROOM)
    tm.wait_until(lambda rows: "Occupants (2)" in "".join(rows), timeout=10,
                  what="carol gone from the occupants pane")


def test_scroll_back_pages_the_room_archive(t):
    """Joining fills the window with the archive's newest page; scrolling
    back past it fetches older pages from the room's archive, each
    message shown and stored once."""
    open_rooms(t, muc_modules=("muc_mam",),
               muc_config="muc_room_locking = false\n"
                          "max_archive_query_results = 100")
    bob = t.peer("bob")
    bob.join(ROOM, "bob")
    n = 120
    for i in range(1, n + 1):
        bob.groupchat(ROOM, "old %03d" % i)
    bob.expect(r"^MSG %s/bob old %03d$" % (ROOM, n), timeout=30)
    tm = t.tmux(width=100, height=30)
    tm.wait_for(r"natter", timeout=10)
    tm.line("/connect %s %s" % (t.prosody.jid("alice"),
                                t.prosody.connect_args("trust")))
    tm.wait_for(r"[Pp]assword", timeout=10)
    tm.line(harness.PASSWORDS["alice"])
    tm.wait_for(r"Connected as", timeout=20)
    tm.line("/join %s" % ROOM)
    tm.wait_for(r"old %03d" % n, timeout=15)
    screen = ""
    for _ in range(60):  # bounded: each PageUp goes half a screen back
        tm.send_keys("PageUp")
        time.sleep(0.15)
        screen = tm.capture()
        shown = re.findall(r"old \d{3}", screen)
        assert len(shown) == len(set(shown)), "shown twice:\n" + screen
        if "old 001" in screen:
            break
    assert "old 001" in screen, "never reached the oldest:\n" + screen
    path = os.path.join(tm.env["XDG_DATA_HOME"], "natter", "alice@localhost",
                        "history.db")
    deadline = time.monotonic() + 5
    while True:
        db = sqlite3.connect(path)
        try:
            got = [r[0] for r in db.execute(
                "SELECT body FROM messages WHERE peer = ?", (ROOM,))]
        finally:
            db.close()
        if len(got) >= n or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert sorted(got) == ["old %03d" % i for i in range(1, n + 1)], got


def test_rooms_listing_and_unreachable_service(t):
    open_rooms(t, muc_config="muc_room_locking = false\n"
                             "muc_room_default_public = true")
    bob = t.peer("bob")
    bob.join(ROOM, "bob")
    bob.join("kitchen@" + MUC_DOMAIN, "bob")
    h = t.headless()
    h.connect("alice")
    time.sleep(0.5)  # the group chat service is found through disco
    h.send("/rooms")
    h.expect(hline("console", r"-!- 2 public rooms on %s:" % MUC_DOMAIN))
    h.expect(hline("console", r"-!-   kitchen@%s.*occupants: 1"
                   % re.escape(MUC_DOMAIN)))
    h.expect(hline("console", r"-!-   lounge@%s.*occupants: 1"
                   % re.escape(MUC_DOMAIN)))
    h.send("/join room@nowhere.invalid")
    # Prosody has no server-to-server here: it refuses, saying why
    h.expect(hline("room@nowhere.invalid", r"-!- Cannot join "
                   r"room@nowhere.invalid: the service does not allow it .*"
                   r"server says: Communication with remote domains"),
             timeout=15)
    h.close_stdin()
    h.wait(15)


def test_destroyed_room_and_hidden_joins(t):
    open_rooms(t)
    bob = t.peer("bob")
    bob.join(ROOM, "bob")  # bob owns it
    h = t.headless(autorun="/set muc.joins off\n")
    h.connect("alice")
    h.send("/join %s" % ROOM)
    joined(h)
    carol = t.peer("carol")
    carol.join(ROOM, "carol")
    carol.raw("<presence to='%s/carol' type='unavailable'/>" % ROOM)
    bob.groupchat(ROOM, "marker")
    h.expect(hmsg(ROOM, "bob", "marker"))
    assert not h.has_line(r"carol (joined|left)"), "joins shown with " \
        "muc.joins off"
    bob.raw("<iq type='set' to='%s' id='d'><query xmlns='http://jabber.org/"
            "protocol/muc#owner'><destroy jid='new@%s'><reason>moving"
            "</reason></destroy></query></iq>" % (ROOM, MUC_DOMAIN))
    h.expect(hline(ROOM, r"-!- You are out of %s: the room was destroyed: "
                   r"moving; it moved to new@%s" % (ROOM, MUC_DOMAIN)))
    h.close_stdin()
    h.wait(15)


def test_me_and_corrections_in_a_room(t):
    """/me and /correct work in room and private windows; a correction
    from an occupant replaces their line (XEP-0308), also when the room
    names its messages (stanza-id, with an archive)."""
    open_rooms(t, muc_modules=("muc_mam",))
    bob = t.peer("bob")
    bob.join(ROOM, "bob")
    h = t.headless()
    h.connect("alice")
    h.send("/join %s" % ROOM)
    joined(h)
    h.send("/me waves")
    bob.expect(r"^MSG %s/alice /me waves$" % ROOM)
    h.expect(hline(ROOM, r"\* alice waves$"))
    h.send("see you at 4")
    h.expect(hmsg(ROOM, "alice", "see you at 4"))
    h.send("/correct see you at 5")
    bob.expect(r"^XML %s/alice <message.*<body>see you at 5</body>.*"
               r"<replace [^>]*id=" % ROOM)
    h.expect(hline(ROOM, r"<alice> see you at 5 \(edited\)$"))
    bob.raw("<message to='%s' type='groupchat' id='b1'><body>teh plan"
            "</body></message>" % ROOM)
    h.expect(hmsg(ROOM, "bob", "teh plan"))
    bob.raw("<message to='%s' type='groupchat' id='b2'><body>the plan"
            "</body><replace xmlns='urn:xmpp:message-correct:0' id='b1'/>"
            "</message>" % ROOM)
    h.expect(hline(ROOM, r"<bob> the plan \(edited\)$"))
    h.send("/msg bob psst")
    bob.expect(r"^MSG %s/alice psst$" % ROOM)
    h.send("/correct pssst")
    bob.expect(r"^MSG %s/alice pssst$" % ROOM)
    h.expect(hline("%s/bob" % ROOM, r"<alice> pssst \(edited\)$"))
    h.close_stdin()
    h.wait(15)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
