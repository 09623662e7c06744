#!/usr/bin/python3
"""Roster versioning (RFC 6121 2.6) against a real Prosody: natter keeps
the roster and its version in a cache file; on reconnect an unchanged
roster is not sent again (Prosody answers with an empty result), a
changed one is, pushes keep the cache current, and a corrupt cache falls
back to a full fetch.  What went over the wire is read from libstrophe's
log (NATTER_DEBUG_LOG).  Also the roster pane's grouping, which is drawn
in one pass however large the roster."""

import os
import re
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"
CAROL = "carol@localhost"


def cache_path(t):
    return t.path("home", ".local", "share", "natter", ALICE, "roster")


def start(t, log):
    """natter --headless (same HOME every time) connected as alice."""
    h = t.headless(env_extra={"NATTER_DEBUG_LOG": t.path(log)})
    h.connect("alice")
    return h


def quit(h):
    """Quit natter. Its status is 1 when a /roster show asked before the
    roster arrived (an error line); nothing else may have gone wrong."""
    h.close_stdin()
    assert h.wait(15) in (0, 1)
    with h._cond:
        bad = [x for x in h.lines if re.search(
            r"(?i)cannot|failed|error|refused|lost", x)]
    assert not bad, bad


def show_until(h, jid, ok, tries=50):
    """Repeat /roster show JID until ok(line) holds; the last line."""
    line = ""
    for _ in range(tries):
        h.send("/roster show %s" % jid)
        line = h.expect(hline("console", r"-!- %s" % re.escape(jid)),
                        timeout=5)
        if ok(line):
            return line
        time.sleep(0.1)
    return line


def roster_exchange(t, log):
    """(ver sent or None, reply) for the roster get in a debug log; reply
    is 'empty', 'full' or None (no reply logged)."""
    with open(t.path(log), errors="replace") as f:
        lines = f.read().splitlines()
    sent = [x for x in lines if "SENT: <iq" in x and 'type="get"' in x
            and "jabber:iq:roster" in x]
    assert len(sent) == 1, "roster gets sent: %r" % sent
    rid = re.search(r'\bid="([^"]+)"', sent[0]).group(1)
    ver = re.search(r'\bver="([^"]*)"', sent[0])
    replies = [x for x in lines if "RECV: <iq" in x
               and 'id="%s"' % rid in x and 'type="result"' in x]
    reply = None
    if replies:
        reply = "full" if "jabber:iq:roster" in replies[0] else "empty"
    return (ver.group(1) if ver else None), reply


def roster_push(peer, rid, item):
    """Have alice's other client (peer) change alice's roster."""
    peer.send("raw <iq type='set' id='%s'><query xmlns='jabber:iq:roster'>"
              "%s</query></iq>" % (rid, item))
    peer.expect(r"^IQ .*id=\"%s\"" % rid, timeout=10)


def test_unchanged_roster_comes_from_the_cache(t):
    t.befriend()
    h = start(t, "first.log")
    show_until(h, BOB, lambda x: "subscription both" in x)
    quit(h)
    ver, reply = roster_exchange(t, "first.log")
    assert ver == "", "first request should bootstrap with ver=''"
    assert reply == "full", reply
    with open(cache_path(t)) as f:
        text = f.read()
    assert text.startswith("natter-roster 1\n"), text[:80]
    assert "\nitem\tbob@localhost\tboth\t" in text, text

    h = start(t, "second.log")
    line = show_until(h, BOB, lambda x: "subscription both" in x)
    assert "subscription both" in line, line
    quit(h)
    ver, reply = roster_exchange(t, "second.log")
    assert ver not in (None, ""), "no cached version sent: %r" % ver
    assert reply == "empty", "server sent the roster again: %r" % reply


def test_changes_while_offline_and_pushes(t):
    t.prosody.register("carol")
    t.befriend()
    h = start(t, "first.log")
    show_until(h, BOB, lambda x: "subscription both" in x)
    quit(h)

    # alice's other client edits the roster while natter is away
    other = t.peer("alice", resource="other")
    roster_push(other, "add1", "<item jid='%s' name='Carol'>"
                "<group>Friends</group></item>" % CAROL)
    roster_push(other, "rm1", "<item jid='%s' subscription='remove'/>" % BOB)

    h = start(t, "second.log")
    line = show_until(h, CAROL, lambda x: "(Carol)" in x)
    assert "(Carol)" in line and "groups: Friends" in line, line
    line = show_until(h, BOB, lambda x: "not in the roster" in x)
    assert "not in the roster" in line, line
    h.check_format()
    ver, reply = roster_exchange(t, "second.log")
    assert ver not in (None, "") and reply == "full", (ver, reply)

    # a push while natter is online is shown and saved with its version
    roster_push(other, "ren1", "<item jid='%s' name='Caro'>"
                "<group>Work</group></item>" % CAROL)
    line = show_until(h, CAROL, lambda x: "(Caro)" in x)
    assert "groups: Work" in line, line
    quit(h)
    other.quit()
    with open(cache_path(t)) as f:
        text = f.read()
    assert "\tCaro\tWork\n" in text, text
    assert "bob@localhost" not in text, text

    # so the next connection finds the cache current
    h = start(t, "third.log")
    line = show_until(h, CAROL, lambda x: "(Caro)" in x)
    assert "groups: Work" in line, line
    quit(h)
    ver, reply = roster_exchange(t, "third.log")
    assert reply == "empty", "cache not current after the push: %r" % reply


def test_corrupt_cache_falls_back_to_a_full_fetch(t):
    t.befriend()
    h = start(t, "first.log")
    show_until(h, BOB, lambda x: "subscription both" in x)
    quit(h)
    path = cache_path(t)
    with open(path) as f:
        text = f.read()
    # one changed character: the checksum no longer matches
    with open(path, "w") as f:
        f.write(text.replace("bob@localhost", "bob@localhosT"))

    h = start(t, "second.log")
    h.expect(hline("console", r"-!- Roster cache of alice@localhost ignored "
                   r"\(.*checksum"), timeout=10)
    line = show_until(h, BOB, lambda x: "subscription both" in x)
    assert "subscription both" in line, line
    quit(h)
    assert roster_exchange(t, "second.log") == ("", "full")
    with open(path) as f:
        assert f.read() == text, "the cache was not rewritten whole"

    # garbage, and a file cut short, are ignored the same way
    for bad in ("\x00\xffnot a roster", text[:len(text) // 2]):
        with open(path, "w", errors="surrogateescape") as f:
            f.write(bad)
        h = start(t, "again.log")
        h.expect(hline("console", r"-!- Roster cache of alice@localhost "
                       r"ignored"), timeout=10)
        show_until(h, BOB, lambda x: "subscription both" in x)
        quit(h)
        os.unlink(t.path("again.log"))


def pane(rows, width):
    """The roster pane's rows (right of the divider), stripped."""
    return [r[width - 28:].strip() for r in rows[1:-2]
            if r[width - 28:].strip()]


def test_roster_pane_groups_and_offline(t):
    """The pane (drawn in one pass over the contacts) lists groups in
    order with their members, then contacts in no group, and hides
    offline contacts with roster.offline off."""
    from test_ui import start_ui, ui_connect
    for u in ("carol", "dave"):
        t.prosody.register(u)
    other = t.peer("alice", resource="other")
    roster_push(other, "g1", "<item jid='%s'><group>Work</group></item>"
                % BOB)
    roster_push(other, "g2", "<item jid='%s'><group>Friends</group>"
                "<group>Work</group></item>" % CAROL)
    roster_push(other, "g3", "<item jid='dave@localhost'/>")
    other.quit()
    tm = start_ui(t, width=100, height=30)
    ui_connect(t, tm)
    want = ["Roster", "Friends", "- carol@localhost", "Work",
            "- bob@localhost", "- carol@localhost", "- dave@localhost"]
    tm.wait_until(lambda rows: pane(rows, 100)[:7] == want, timeout=10,
                  what="groups in order in the roster pane: %r" % want)
    tm.line("/set roster.offline off")
    tm.wait_until(lambda rows: pane(rows, 100) == ["Roster"], timeout=10,
                  what="only the heading with offline contacts hidden")
    bob = t.peer("bob")
    # alice sees bob's presence only once subscribed to it
    bob.send("befriend %s" % ALICE)
    bob.expect(r"^SENT$")
    tm.line("/sub allow %s" % BOB)
    tm.line("/sub request %s" % BOB)
    tm.wait_until(lambda rows: pane(rows, 100) == ["Roster", "Work",
                                                   "+ bob@localhost"],
                  timeout=15, what="bob alone, under Work, once online")
    bob.quit()


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
