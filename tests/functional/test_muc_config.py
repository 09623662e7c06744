#!/usr/bin/python3
"""Room creation and configuration with data forms (XEP-0045 10.1-10.2,
XEP-0004) against Prosody's MUC component: /room config opens the form in
a form window, /form set|submit|cancel, /room accept-defaults. Prosody
0.12 locks a new room until its owner configures it (status 201)."""

import os
import re
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline, MUC_DOMAIN  # noqa: E402

ROOM = "tearoom@" + MUC_DOMAIN
FORM = ROOM + " (config)"


def create(h, room=ROOM):
    """Have natter (alice) create room and wait for the locked-room line."""
    h.send("/join " + room)
    h.expect(hline(room, r"-!- You joined %s as alice" % re.escape(room)),
             timeout=15)
    h.expect(hline(room, r"-!- You created %s; if the service keeps new rooms locked"
                   % re.escape(room)))


def online(t, user="alice"):
    """A headless natter logged in as user, its MUC service found."""
    h = t.headless()
    h.connect(user)
    time.sleep(0.5)  # the group chat service is found through disco
    return h


def refused_while_locked(peer, room=ROOM, nick="bob"):
    """The peer cannot enter room: Prosody answers item-not-found."""
    peer.join(room, nick, wait=False)
    peer.expect(r"^PRESENCE %s/%s error" % (re.escape(room), nick))


def disco_info(peer, room=ROOM):
    """The room's disco#info result as the peer printed it."""
    peer.raw("<iq type='get' to='%s' id='info1'><query xmlns='http://"
             "jabber.org/protocol/disco#info'/></iq>" % room)
    return peer.expect(r"^IQ %s .*type=\"result\"" % re.escape(room))


def test_config_round_trip(t):
    bob = t.peer("bob")
    h = online(t)
    create(h)
    refused_while_locked(bob)
    h.send("/room config")
    # the form window: title, fields with label, var, type and value,
    # choices of list fields; hidden FORM_TYPE is not shown
    h.expect(hline(FORM, r"-!- .*\[muc#roomconfig_roomname, text-single\]"
                   r" = \(empty\)$"))
    h.expect(hline(FORM, r"-!- .*\[muc#roomconfig_roomsecret, text-private\]"
                   r" = \(empty\)$"))
    h.expect(hline(FORM, r"-!- .*\[muc#roomconfig_membersonly, boolean\]"
                   r" = no$"))
    h.expect(hline(FORM, r"-!- .*\[muc#roomconfig_whois, list-single\] = "
                   r"\w+"))
    h.expect(hline(FORM, r"-!-     choices: moderators \(.*\), anyone"))
    h.expect(hline(FORM, r"-!- Change a field with /form set"))
    assert not h.has_line(r"FORM_TYPE"), "the hidden field is shown"
    # values: by var, by the end of the var, by label; refusals are clear
    h.send("/form set roomname Tea room")
    h.expect(hline(FORM, r"-!- .*\[muc#roomconfig_roomname\] = Tea room$"))
    h.send("/form set membersonly maybe")
    h.expect(hline(FORM, r"-!- Cannot set muc#roomconfig_membersonly: "
                   r"Answer yes or no"))
    h.send("/form set muc#roomconfig_historylength lots")
    h.expect(hline(FORM, r"-!- Cannot set muc#roomconfig_historylength: "
                   r"lots is not a whole number"))
    h.send("/form set whois everybody")
    h.expect(hline(FORM, r"-!- Cannot set muc#roomconfig_whois: everybody "
                   r"is none of the choices"))
    h.send("/form set nosuchfield 1")
    h.expect(hline(FORM, r"-!- The form has no field nosuchfield"))
    h.send("/form set membersonly on")
    h.expect(hline(FORM, r"-!- .*\[muc#roomconfig_membersonly\] = yes$"))
    h.send("/form set muc#roomconfig_persistentroom yes")
    h.expect(hline(FORM, r"-!- .*\[muc#roomconfig_persistentroom\] = yes$"))
    h.send("/form set presencebroadcast moderator, participant")
    h.expect(hline(FORM, r"-!- .*\[muc#roomconfig_presencebroadcast\] = "
                   r"moderator, participant$"))
    h.send("/form set roomsecret s3cret")
    h.expect(hline(FORM, r"-!- .*\[muc#roomconfig_roomsecret\] = \(set\)$"))
    h.send("/form submit")
    h.expect(hline(ROOM, r"-!- The configuration of %s is saved$"
                   % re.escape(ROOM)))
    # the room says so: its disco#info carries the new name and features
    info = disco_info(bob)
    for feature in ("muc_membersonly", "muc_passwordprotected",
                    "muc_persistent"):
        assert feature in info, "%s missing from %s" % (feature, info)
    assert "Tea room" in info, info
    # and bob, no member, is refused even with the password
    bob.join(ROOM, "bob", password="s3cret", wait=False)
    bob.expect(r"^PRESENCE %s/bob error" % re.escape(ROOM))
    outsider = online(t, "bob")  # natter itself says why
    outsider.send("/join %s password s3cret" % ROOM)
    outsider.expect(hline(ROOM, r"-!- Cannot join %s: it is members-only"
                          % re.escape(ROOM)), timeout=15)
    # the form again shows what was saved
    h.send("/room config")
    h.expect(hline(FORM, r"-!- .*\[muc#roomconfig_roomname, text-single\]"
                   r" = Tea room$"))
    h.send("/form cancel")  # an existing room: nothing more happens
    h.expect(hline(ROOM, r"-!- Configuration of %s cancelled$"
                   % re.escape(ROOM)))
    h.expect_no(hline(ROOM, r"-!- You are out of"), within=1.0)
    outsider.close_stdin()
    outsider.wait(15)
    h.close_stdin()
    h.wait(15)


def test_non_owner_refused(t):
    t.prosody.stop()
    t.prosody = t.start_prosody(users=("alice", "bob"),
                                muc_config="muc_room_locking = false")
    h = online(t)
    create_open = "/join " + ROOM
    h.send(create_open)
    h.expect(hline(ROOM, r"-!- You joined %s as alice" % re.escape(ROOM)),
             timeout=15)
    b = online(t, "bob")
    b.send("/join " + ROOM)
    b.expect(hline(ROOM, r"-!- You joined %s as bob" % re.escape(ROOM)),
             timeout=15)
    b.send("/room config")
    b.expect(hline(ROOM, r"-!- Cannot get the configuration of %s: "
                   r"forbidden.*only the room's owners may do that"
                   % re.escape(ROOM)))
    b.send("/form show")
    b.expect(r"\] -!- No form is open")
    b.close_stdin()
    b.wait(15)
    h.close_stdin()
    h.wait(15)


def test_cancel_destroys_new_room(t):
    bob = t.peer("bob")
    h = online(t)
    create(h)
    h.send("/room config")
    h.expect(hline(FORM, r"-!- Change a field with /form set"))
    h.send("/form cancel")
    h.expect(hline(ROOM, r"-!- Configuration of %s cancelled$"
                   % re.escape(ROOM)))
    h.expect(hline(ROOM, r"-!- You are out of %s: the room was destroyed"
                   % re.escape(ROOM)))
    # gone: joining creates it afresh (locked again, status 201)
    bob.join(ROOM, "bob", wait=False)
    bob.expect(r"^PRESENCE %s/bob available" % re.escape(ROOM))
    h.close_stdin()
    h.wait(15)


def test_accept_defaults_opens_room(t):
    bob = t.peer("bob")
    h = online(t)
    create(h)
    refused_while_locked(bob)
    h.send("/room accept-defaults")
    h.expect(hline(ROOM, r"-!- The room is open, with its default settings"))
    bob.join(ROOM, "bob")
    h.expect(hline(ROOM, r"-!- bob joined$"))
    h.close_stdin()
    h.wait(15)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
