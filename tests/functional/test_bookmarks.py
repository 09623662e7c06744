#!/usr/bin/python3
"""Room bookmarks: XEP-0402 in PEP (Prosody's mod_pep + mod_bookmarks),
the XEP-0048 fallback in private storage (mod_private alone), autojoin on
connect surviving a restart of natter, and changes made by another client
of the same account."""

import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, MUC_DOMAIN, PASSWORDS, TS  # noqa: E402

ROOM = "lounge@" + MUC_DOMAIN
USERS = ("alice", "bob")
PEP = ("pep", "bookmarks")


def server(t, modules):
    """Restart the test server with modules and rooms that open at once."""
    t.prosody.stop()
    t.prosody = t.start_prosody(users=USERS, modules=modules,
                                muc_config="muc_room_locking = false")


def aline(rest):
    """Regex for a headless line in any window (notices land in the one
    the user looks at) whose text after the tag matches rest."""
    return r"^%s \[[^\]]+\] %s" % (TS, rest)


def joined(h, nick, room=ROOM):
    """Wait until natter reports the join of room as nick."""
    h.expect(hline(room, r"-!- You joined %s as %s \(\d+ occupants?\)"
                   % (room, nick)), timeout=15)


def loaded(h, count, where):
    """Ask for the list until the login fetch is done; expect count."""
    deadline = time.monotonic() + 10
    while True:
        h.send("/bookmark list")
        line = h.expect(aline(r"(-!- \d+ bookmarks? of alice@localhost"
                              r" in |.*still loading)"))
        if "still loading" not in line:
            break
        assert time.monotonic() < deadline, "bookmarks never loaded"
        time.sleep(0.2)
    assert ("-!- %d bookmark" % count) in line, line
    assert where in line, line


def quit_natter(h):
    """End natter as a user would; it must exit normally: status 0, or 1
    when a window showed an error (these tests cause some on purpose).
    A sanitizer report (abort, LSan's 23) is anything else."""
    h.close_stdin()
    rc = h.wait(15)
    assert rc in (0, 1), "natter exited with %r" % rc


def test_pep_autojoin_survives_restart(t):
    server(t, PEP)
    bob = t.peer("bob")
    bob.join(ROOM, "bob")
    h = t.headless()
    h.connect("alice")
    loaded(h, 0, "PEP (XEP-0402)")
    h.send("/join lounge nick ally")
    joined(h, "ally")
    # In the room window, ROOM defaults to the room; the nick to ours.
    h.send("/bookmark add name \"The Lounge\"")
    h.expect(aline(r"-!- Bookmarked %s \(The Lounge\) as ally, "
                   r"autojoin on$" % ROOM))
    h.send("/bookmark list")
    h.expect(hline(ROOM, r"-!- 1 bookmark of alice@localhost in PEP "
                   r"\(XEP-0402\):$"))
    h.expect(hline(ROOM, r"-!-   %s \"The Lounge\" nick ally, autojoin on$"
                   % ROOM))
    # Our own change comes back as a notification: not news from another
    # client, and no second join.
    h.expect_no(r"by another client|You joined", within=1.0)
    quit_natter(h)
    bob.expect(r"^PRESENCE %s/ally unavailable" % ROOM)

    # A fresh natter with a fresh data directory: the bookmark lives on
    # the server, and the room is joined by itself.
    h2 = t.headless(home="second")
    h2.connect("alice")
    joined(h2, "ally")
    bob.expect(r"^PRESENCE %s/ally available" % ROOM)
    loaded(h2, 1, "PEP")
    h2.send("/bookmark remove %s" % ROOM)
    h2.expect(aline(r"-!- Removed the bookmark of %s$" % ROOM))
    loaded(h2, 0, "PEP")
    h2.send("/bookmark remove %s" % ROOM)
    h2.expect(aline(r"-!- alice@localhost has no bookmark of %s$"
                    % ROOM))
    quit_natter(h2)

    # Nothing to join any more.
    h3 = t.headless(home="third")
    h3.connect("alice")
    loaded(h3, 0, "PEP")
    h3.expect_no(r"You joined", within=1.5)
    quit_natter(h3)


def test_reconnect_joins_once(t):
    server(t, PEP)
    h = t.headless()
    h.connect("alice")
    loaded(h, 0, "PEP")
    h.send("/bookmark add %s" % ROOM)
    joined(h, "alice")  # autojoin on: joined at once
    h.expect(aline(r"-!- Bookmarked %s as alice, autojoin on$" % ROOM))
    # After a server restart natter rejoins the room (muc.c) and the
    # bookmark's autojoin must not join it a second time.
    t.prosody.restart()
    joined(h, "alice")
    loaded(h, 1, "PEP")
    h.expect_no(r"You joined|Cannot join", within=2.0)
    quit_natter(h)


def test_bookmark_from_other_client(t):
    server(t, PEP)
    h = t.headless()
    h.connect("alice")
    loaded(h, 0, "PEP")
    time.sleep(0.5)  # the server asks for our caps (+notify) first
    phone = t.peer("alice", resource="phone")
    phone.raw(
        "<iq type='set' id='pub1'><pubsub xmlns='http://jabber.org/"
        "protocol/pubsub'><publish node='urn:xmpp:bookmarks:1'><item id='%s'>"
        "<conference xmlns='urn:xmpp:bookmarks:1' name='From phone' "
        "autojoin='true'><nick>mobile</nick></conference></item></publish>"
        "<publish-options><x xmlns='jabber:x:data' type='submit'>"
        "<field var='FORM_TYPE' type='hidden'><value>http://jabber.org/"
        "protocol/pubsub#publish-options</value></field>"
        "<field var='pubsub#persist_items'><value>true</value></field>"
        "<field var='pubsub#max_items'><value>max</value></field>"
        "<field var='pubsub#send_last_published_item'><value>never</value>"
        "</field><field var='pubsub#access_model'><value>whitelist</value>"
        "</field></x></publish-options></pubsub></iq>" % ROOM)
    phone.expect(r"^IQ .*id=\"pub1\".*type=\"result\"|^IQ .*type=\"result\""
                 r".*id=\"pub1\"")
    h.expect(aline(r"-!- Bookmark added by another client: %s "
                   r"\(From phone\) as mobile, autojoin on$" % ROOM))
    joined(h, "mobile")
    loaded(h, 1, "PEP")
    phone.raw(
        "<iq type='set' id='ret1'><pubsub xmlns='http://jabber.org/protocol/"
        "pubsub'><retract node='urn:xmpp:bookmarks:1' notify='true'>"
        "<item id='%s'/></retract></pubsub></iq>" % ROOM)
    h.expect(aline(r"-!- Bookmark of %s removed by another client$"
                   % ROOM))
    loaded(h, 0, "PEP")
    # A forged notification from someone else changes nothing.
    bob = t.peer("bob")
    bob.raw(
        "<message to='alice@localhost' type='headline'><event xmlns='"
        "http://jabber.org/protocol/pubsub#event'><items node='urn:xmpp:"
        "bookmarks:1'><item id='evil@%s'><conference xmlns='urn:xmpp:"
        "bookmarks:1' autojoin='true'/></item></items></event></message>"
        % MUC_DOMAIN)
    time.sleep(0.5)
    loaded(h, 0, "PEP")
    h.expect_no(r"evil@", within=0.5)
    quit_natter(h)


def private_store(t):
    """Prosody's stored private XML of alice (XEP-0049), as text."""
    path = os.path.join(t.prosody.data, "localhost", "private",
                        "alice.dat")
    with open(path) as f:
        return f.read()


def test_private_storage_fallback(t):
    server(t, ("private",))
    # Another client stored a URL and a room the XEP-0048 way.
    other = t.peer("alice", resource="old")
    other.raw(
        "<iq type='set' id='st1'><query xmlns='jabber:iq:private'>"
        "<storage xmlns='storage:bookmarks'><url name='Works' "
        "url='http://example.com/works'/><conference jid='old@%s' "
        "autojoin='false' name='Old'/></storage></query></iq>" % MUC_DOMAIN)
    other.expect(r"^IQ .*st1")
    other.quit()
    h = t.headless()
    h.connect("alice")
    loaded(h, 1, "private storage (XEP-0048)")
    h.send("/bookmark add lounge@%s nick al" % MUC_DOMAIN)
    joined(h, "al")
    h.expect(aline(r"-!- Bookmarked %s as al, autojoin on$" % ROOM))
    h.send("/bookmark list")
    h.expect(aline(r"-!- 2 bookmarks of alice@localhost in private "
                   r"storage \(XEP-0048\):$"))
    h.expect(aline(r"-!-   %s nick al, autojoin on$" % ROOM))
    h.expect(aline(r"-!-   old@%s \"Old\" nick \(default\), autojoin "
                   r"off$" % MUC_DOMAIN))
    stored = private_store(t)
    assert "http://example.com/works" in stored, stored  # kept
    assert ROOM in stored, stored
    quit_natter(h)

    h2 = t.headless(home="second")
    h2.connect("alice")
    joined(h2, "al")
    loaded(h2, 2, "private storage")
    h2.send("/bookmark remove old@%s" % MUC_DOMAIN)
    h2.expect(aline(r"-!- Removed the bookmark of old@%s$"
                    % MUC_DOMAIN))
    loaded(h2, 1, "private storage")
    stored = private_store(t)
    assert "old@" not in stored and "http://example.com/works" in stored, \
        stored
    quit_natter(h2)


def test_no_storage_and_local_autojoin(t):
    server(t, ())
    h = t.headless()
    h.send("/account add home alice@localhost")
    h.expect(hline("console", r"-!- Account home added"))
    h.send("/account set home server %s" % t.prosody.host)
    h.send("/account set home port %d" % t.prosody.port)
    h.send("/account set home tls trust")
    h.send("/account set home password %s" % PASSWORDS["alice"])
    h.send("/account set home autojoin lounge@%s/loco, other@%s"
           % (MUC_DOMAIN, MUC_DOMAIN))
    h.expect(hline("console", r"-!- home: autojoin = "))
    h.send("/connect home")
    h.expect(hline("console", r"-!- Connected as alice@localhost/"),
             timeout=20)
    joined(h, "loco")
    joined(h, "alice", room="other@" + MUC_DOMAIN)
    h.send("/bookmark list")
    h.expect(aline(r"-!- The server of alice@localhost keeps no "
                   r"bookmarks"))
    h.send("/bookmark add")
    h.expect(aline(r"-!- The server of alice@localhost keeps no "
                   r"bookmarks"))
    quit_natter(h)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
