#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench/mucserver.py: bench/rosterserver.py plus a scripted group chat
(XEP-0045) service, for the muc-join, muc-burst and muc-flood scenarios
of bench/run.

A real Prosody seats 2,000 occupants far too slowly on this machine (each
join is sent to every occupant already there: O(K^2)), so this server
plays what a MUC service sends one client, and nothing else.  The stream,
TLS, SASL, bind and roster are rosterserver.py's (an empty roster here);
on top of them:

  * disco#info of the server (identity server/im) and disco#items
    listing conference.localhost; disco#info of conference.localhost
    (identity conference/text, feature http://jabber.org/protocol/muc)
    and its disco#items (the rooms); disco#info of a room (muc_open,
    muc_unmoderated, muc_semianonymous, muc_persistent, muc_public; no
    MAM) -- MAM queries to a room get an empty, complete result anyway;
  * a join presence to ROOM@conference.localhost/NICK is answered as
    XEP-0045 7.2 says: the presence of every occupant already there (N of
    them, muc#user item affiliation/role, a mix of shows, a few
    moderators), then the self-presence with status 110, then an empty
    subject; a ping to the room or to oneself gets a result (XEP-0410),
    an unavailable presence the self-presence of leaving;
  * a groupchat message from the client is reflected to it;
  * the runner can ask for a burst of groupchat messages from the
    occupants, as fast as the socket takes them, or paced at a rate for a
    time (muc-flood); the sends happen on the connection's own thread,
    between reads, and their times are recorded.

Rooms and their sizes: "ROOM" (default occupants) or "ROOMnnn" where nnn
is the number of occupants, e.g. big2000@conference.localhost.
Standalone: bench/mucserver.py [--occupants N] prints "PORT n".
"""

import os
import re
import sys
import threading
import time
from xml.sax.saxutils import escape, quoteattr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rosterserver  # noqa: E402

SERVICE = "conference." + rosterserver.DOMAIN
NS_MUC = "http://jabber.org/protocol/muc"
NS_USER = NS_MUC + "#user"
NS_INFO = "http://jabber.org/protocol/disco#info"
NS_ITEMS = "http://jabber.org/protocol/disco#items"
SHOWS = ["", "", "away", "", "dnd", "xa", "", "chat"]


def occupant_nick(i):
    """The nick of occupant i (0-based)."""
    return "user%04d" % i


def room_size(room, default):
    """Occupants of a room: the number at the end of its local part."""
    m = re.search(r"(\d+)$", room)
    return int(m.group(1)) if m else default


class MucConnection(rosterserver.Connection):
    """One client, with the group chat service."""

    def __init__(self, server, sock):
        super().__init__(server, sock)
        self.jobs = []          # [job dict], run by wait()
        self.nicks = {}         # room bare -> our nick there
        self.server.add_connection(self)

    def on_other_iq(self, iq):
        to = iq.attrs.get("to", "")
        t = iq.attrs.get("type")
        info = iq.child("query", NS_INFO)
        items = iq.child("query", NS_ITEMS)
        bare = to.split("/")[0]
        if to in ("", rosterserver.DOMAIN) and info is not None:
            self.reply(iq, "<query xmlns='%s'><identity category='server' "
                       "type='im' name='bench'/><feature var='%s'/><feature "
                       "var='%s'/></query>" % (NS_INFO, NS_INFO, NS_ITEMS))
        elif to in ("", rosterserver.DOMAIN) and items is not None:
            self.reply(iq, "<query xmlns='%s'><item jid='%s' name='Chatrooms'"
                       "/></query>" % (NS_ITEMS, SERVICE))
        elif to == SERVICE and info is not None:
            self.reply(iq, "<query xmlns='%s'><identity category='conference'"
                       " type='text' name='Chatrooms'/><feature var='%s'/>"
                       "<feature var='%s'/><feature var='%s'/></query>"
                       % (NS_INFO, NS_MUC, NS_INFO, NS_ITEMS))
        elif to == SERVICE and items is not None:
            self.reply(iq, "<query xmlns='%s'/>" % NS_ITEMS)
        elif bare.endswith("@" + SERVICE) and "/" not in to \
                and info is not None:
            self.reply(iq, "<query xmlns='%s'><identity category='conference'"
                       " type='text' name=%s/>%s</query>" % (
                           NS_INFO, quoteattr(bare.split("@")[0]),
                           "".join("<feature var='%s'/>" % f for f in (
                               NS_MUC, "muc_open", "muc_unmoderated",
                               "muc_semianonymous", "muc_persistent",
                               "muc_public", "muc_unsecured"))))
        elif bare.endswith("@" + SERVICE) and t == "set" and \
                iq.child("query", "urn:xmpp:mam:2") is not None:
            q = iq.child("query", "urn:xmpp:mam:2")
            qid = q.attrs.get("queryid")
            self.reply(iq, "<fin xmlns='urn:xmpp:mam:2' complete='true'%s>"
                       "<set xmlns='http://jabber.org/protocol/rsm'><count>0"
                       "</count></set></fin>"
                       % (" queryid=%s" % quoteattr(qid) if qid else ""))
        elif bare.endswith("@" + SERVICE) and \
                iq.child("ping", "urn:xmpp:ping") is not None and \
                (to == bare or to == "%s/%s" % (bare, self.nicks.get(bare))):
            self.reply(iq)
        else:
            return False
        return True

    def on_directed_presence(self, p):
        to = p.attrs.get("to", "")
        if "/" not in to:
            return
        room, nick = to.split("/", 1)
        if not room.endswith("@" + SERVICE):
            return
        t = p.attrs.get("type")
        me = quoteattr(self.full)
        if t == "unavailable":
            self.nicks.pop(room, None)
            self.send("<presence type='unavailable' from=%s to=%s><x xmlns="
                      "'%s'><item affiliation='none' role='none'/><status "
                      "code='110'/></x></presence>"
                      % (quoteattr(to), me, NS_USER))
            return
        if t or room in self.nicks:
            return            # a change of show in the room: nothing to do
        self.nicks[room] = nick
        n = room_size(room.split("@")[0], self.server.occupants)
        self.server.note_join(self.user, room, time.monotonic())
        self.send(self.server.occupant_presences(room, n) % {"to": me})
        self.send("<presence from=%s to=%s><x xmlns='%s'><item "
                  "affiliation='none' role='participant'/><status code="
                  "'110'/></x></presence>" % (quoteattr(to), me, NS_USER))
        self.send("<message type='groupchat' from=%s to=%s id='subj'>"
                  "<subject/></message>" % (quoteattr(room), me))
        self.server.note_joined(self.user, room, time.monotonic())

    def on_message(self, m):
        to = m.attrs.get("to", "")
        if m.attrs.get("type") != "groupchat" or to not in self.nicks:
            return
        body = m.child("body")
        if body is None:
            return
        self.send("<message type='groupchat' from=%s to=%s id=%s><body>%s"
                  "</body></message>"
                  % (quoteattr("%s/%s" % (to, self.nicks[to])),
                     quoteattr(self.full), quoteattr(m.attrs.get("id", "")),
                     escape(body.text)))

    def message(self, room, i, text):
        """One groupchat message from occupant i mod the room's size."""
        n = max(1, room_size(room.split("@")[0], self.server.occupants))
        return ("<message type='groupchat' from='%s/%s' to=%s id='m%d'>"
                "<body>%s</body><stanza-id xmlns='urn:xmpp:sid:0' id='s%d' "
                "by='%s'/></message>"
                % (room, occupant_nick(i % n), quoteattr(self.full), i,
                   escape(text), i, room))

    def wait(self):
        """Run the due part of each job; how long reading may wait."""
        now = time.monotonic()
        left = 0.5
        for job in list(self.jobs):
            total, rate = job["count"], job["rate"]
            if job["start"] is None:
                job["start"] = now
            due = total if not rate else min(
                total, int((now - job["start"]) * rate) + 1)
            if due > job["sent"]:
                self.sock.settimeout(None)
                try:
                    while job["sent"] < due:
                        end = min(due, job["sent"] + 100)
                        self.send("".join(
                            self.message(job["room"], i, "%s message %d of %d"
                                         % (job["tag"], i + 1, total))
                            for i in range(job["sent"], end)))
                        job["sent"] = end
                finally:
                    self.sock.settimeout(0.5)
                job["last"] = time.monotonic()
            if job["sent"] >= total:
                self.jobs.remove(job)
                job["done"].set()
            elif rate:
                left = min(left, max(0.0, job["start"] + job["sent"] / rate
                                     - time.monotonic()))
            else:
                left = 0.0
        return left


class MucServer(rosterserver.RosterServer):
    """rosterserver.RosterServer (no roster) with the group chat service;
    occupants: the size of a room whose name ends in no number."""

    def __init__(self, cert, key, occupants=2000):
        super().__init__(cert, key, items=0)
        self.connection_class = MucConnection
        self.occupants = occupants
        self.conns = {}         # user -> newest MucConnection
        self.joins = {}         # (user, room) -> [asked, answered]
        self._presences = {}    # (room, n) -> template (%(to)s)

    def add_connection(self, conn):
        with self.lock:
            self.conns[id(conn)] = conn

    def occupant_presences(self, room, n):
        """N occupant presences of room as one string, %(to)s for the
        recipient: what XEP-0045 7.2.3 has the service send first."""
        with self.lock:
            t = self._presences.get((room, n))
        if t is None:
            out = []
            for i in range(n):
                show = SHOWS[i % len(SHOWS)]
                role, aff = (("moderator", "owner") if i % 500 == 0 else
                             ("participant", "none"))
                out.append("<presence from='%s/%s' to=%%(to)s>%s<x xmlns="
                           "'%s'><item affiliation='%s' role='%s'/></x>"
                           "</presence>" % (room, occupant_nick(i),
                                            "<show>%s</show>" % show
                                            if show else "", NS_USER, aff,
                                            role))
            t = "".join(out)
            with self.lock:
                self._presences[(room, n)] = t
        return t

    def note_join(self, user, room, t):
        with self.lock:
            self.joins[(user, room)] = [t, None]

    def note_joined(self, user, room, t):
        with self.lock:
            self.joins[(user, room)][1] = t

    def join_times(self, user, room):
        """(join presence came, self-presence and subject written) or
        None."""
        with self.lock:
            j = self.joins.get((user, room))
            return tuple(j) if j else None

    def forget_user(self, user):
        with self.lock:
            for k in [k for k in self.joins if k[0] == user]:
                del self.joins[k]
        self.forget("%s@%s" % (user, rosterserver.DOMAIN))

    def send_messages(self, user, room, count, tag, rate=0):
        """Queue count groupchat messages to user's newest connection
        joined to room, 'TAG message I of COUNT', as fast as possible
        (rate 0) or rate per second.  Returns the job: 'done' (an Event)
        is set when the last was written, 'start'/'last' are monotonic
        times."""
        with self.lock:
            conns = [c for c in self.conns.values()
                     if c.user == user and room in c.nicks and not c.done]
        if not conns:
            raise RuntimeError("%s is not in %s" % (user, room))
        job = {"room": room, "count": count, "tag": tag, "rate": rate,
               "sent": 0, "start": None, "last": None,
               "done": threading.Event()}
        conns[-1].jobs.append(job)
        return job


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--occupants", type=int, default=2000)
    ap.add_argument("--cert-dir", default="/tmp/mucserver-cert")
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(os.path.dirname(here), "tests",
                                    "functional"))
    import harness
    key, cert = harness.make_cert(a.cert_dir)
    srv = MucServer(cert, key, a.occupants)
    print("PORT %d" % srv.port, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()


if __name__ == "__main__":
    main()
