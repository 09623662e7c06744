#!/usr/bin/python3
"""Self-tests of the functional-test infrastructure: two scripted peers
talk through a private Prosody; the tmux driver runs a plain shell tool.
These do not need natter."""

import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import escape, unescape  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"


def test_escape_roundtrip():
    for text in ["plain", "back\\slash", "a\nb\tc", "\x1b[31m\x07",
                 "\x01\x7f", "caf\u00e9 \u2603 \u0085\u009b",
                 "trailing\\"]:
        assert unescape(escape(text)) == text, text
    assert escape("\x1b]0;x\x07") == "\\e]0;x\\a"
    assert escape("\x00\x7f") == "\\x00\\x7f"


def test_peers_exchange_messages(t):
    t.befriend("alice", "bob")
    a = t.peer("alice")
    b = t.peer("bob")
    # presence after the mutual subscription: each sees the other online
    a.expect(r"^PRESENCE bob@localhost/\S+ available -$")
    b.expect(r"^PRESENCE alice@localhost/\S+ available -$")

    a.msg(BOB, "hello bob")
    line = b.expect(r"^MSG alice@localhost/\S+ ")
    assert line.split(" ", 2)[2] == "hello bob", line

    tricky = "tab\there\nnew line \\ back \u00e9\u2603 \u009b31m \x7f"
    b.msg(ALICE, tricky)
    line = a.expect(r"^MSG bob@localhost/\S+ ")
    assert unescape(line.split(" ", 2)[2]) == tricky, line
    assert "\n" not in line and "\x7f" not in line

    b.presence("away", "back soon")
    a.expect(r"^PRESENCE bob@localhost/\S+ available away back soon$")
    b.presence("dnd")
    a.expect(r"^PRESENCE bob@localhost/\S+ available dnd$")
    b.presence("online", "here")
    a.expect(r"^PRESENCE bob@localhost/\S+ available - here$")

    b.send("bigmsg %s 30000" % ALICE)
    b.expect(r"^SENT$")
    line = a.expect(r"^MSG bob@localhost/\S+ .*END-OF-BIG$", timeout=15)
    assert len(line.split(" ", 2)[2]) == 30000, len(line)

    b.quit()
    assert b.returncode == 0, b.returncode
    assert b.has_line(r"^BYE")
    a.expect(r"^PRESENCE bob@localhost/\S+ unavailable -$")
    a.quit()
    assert a.returncode == 0


def test_peer_eof_quits(t):
    a = t.peer("alice")
    a.close_stdin()
    assert a.wait(10) == 0
    assert a.has_line(r"^BYE")


def test_peer_bad_commands(t):
    a = t.peer("alice")
    a.send("frobnicate")
    a.expect(r"^BAD unknown command: frobnicate$")
    a.send("msg")
    a.expect(r"^BAD usage")
    a.send("presence sleepy")
    a.expect(r"^BAD unknown show")
    a.send("bigmsg %s lots" % BOB)
    a.expect(r"^BAD usage")


def test_peer_wrong_password(t):
    p = t.peer("alice", password="wrong", wait=False)
    p.expect(r"^ERROR ", timeout=15)
    assert p.wait(10) == 1
    assert not p.has_line(r"^READY")


def test_peer_unreachable(t):
    port = harness.free_port()   # nothing listens there
    p = harness.Peer.__new__(harness.Peer)
    harness.LineProcess.__init__(p)
    p.label = "peer unreachable"
    t.reports.append(p)
    p._start([harness.peer_binary(), "--jid", ALICE, "--password", "x",
              "--host", "127.0.0.1", "--port", str(port), "--tls", "trust"])
    p.expect(r"^ERROR ", timeout=15)
    assert p.wait(10) == 1


def test_plain_server_without_tls(t):
    plain = t.start_prosody(tls=False)
    assert not plain.tls
    a = harness.Peer(plain, "alice", tls="disable")
    b = harness.Peer(plain, "bob", tls="disable")
    t.reports += [plain, a, b]
    a.msg(BOB, "over plain text")
    b.expect(r"^MSG alice@localhost/\S+ over plain text$")
    # the TLS-requiring default server refuses a plaintext login
    c = t.peer("alice", tls="disable", wait=False)
    c.expect(r"^ERROR ", timeout=15)


def test_c0_controls_are_rejected_by_prosody(t):
    """XML 1.0 cannot carry C0 controls other than TAB/LF/CR: Prosody
    closes the sender's stream (not-well-formed) and nothing is delivered.
    C1 controls and DEL are legal XML and are delivered.  This is why the
    natter tests use C1/DEL to probe terminal sanitising."""
    a = t.peer("alice")
    b = t.peer("bob")
    a.msg(BOB, "c1 \u009d0;pwned\u009c \u009b2J del\x7f")
    line = b.expect(r"^MSG alice@localhost/\S+ c1 ")
    assert unescape(line.split(" ", 2)[2]) == \
        "c1 \u009d0;pwned\u009c \u009b2J del\x7f"
    a.send("msg %s esc \\e]0;pwned\\a" % BOB)
    a.expect(r"^ERROR ", timeout=10)
    b.expect_no(r"^MSG .*pwned\\a", within=1.0)
    assert "not well-formed" in harness.tail(t.prosody.log, 400) or \
        "not-well-formed" in harness.tail(t.prosody.log, 400)


def test_register_while_running(t):
    t.prosody.register("carol", "carol-pw")
    c = t.peer("carol", password="carol-pw")
    c.msg(ALICE, "hi")


def test_tmux_driver(t):
    script = ("printf '\\033]2;hello-title\\033\\\\'; printf 'ready\\n'; "
              "while IFS= read -r l; do printf 'got:%s\\n' \"$l\"; done")
    tm = t.tmux(["/bin/sh", "-c", script], width=80, height=24)
    tm.wait_for(r"^ready$")
    tm.type("some text; with $special 'chars'")
    tm.send_keys("Enter")
    tm.wait_for(r"^got:some text; with \$special 'chars'$")
    assert tm.pane_title() == "hello-title", tm.pane_title()
    rows = tm.rows()
    assert len(rows) == 24, len(rows)
    tm.resize(60, 20)
    assert len(tm.rows()) == 20
    tm.send_keys("C-d")
    tm.wait_until(lambda rows: tm.dead(), what="shell exit")
    pid = tm.pane_pid
    tm.stop()
    assert not os.path.exists("/proc/%d" % pid) or \
        open("/proc/%d/stat" % pid).read().split(")")[-1].split()[0] == "Z"


def test_tmux_env_is_private(t):
    tm = t.tmux(["/bin/sh", "-c",
                 "echo HOME=$HOME; echo XDG=$XDG_CONFIG_HOME; "
                 "echo TERM=$TERM; tput cols; exec cat"],
                width=90, height=25)
    screen = tm.wait_for(r"^90$")
    home = re.search(r"^HOME=(\S+)$", screen, re.M).group(1)
    assert home.startswith(t.tmpdir), home
    assert re.search(r"^XDG=%s/\.config$" % re.escape(home), screen, re.M)
    assert re.search(r"^TERM=(tmux-256color|screen\S*)$", screen, re.M)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
