#!/usr/bin/python3
"""natter --headless: connecting, failing to connect, leaving.

Exit status of --headless: 0, or 1 when any error line was shown
(src/ui/headless.c), so scripts can tell."""

import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORDS, hline  # noqa: E402


def test_connect_succeeds(t):
    h = t.headless()
    line = h.connect("alice")
    assert re.search(r"Connected as alice@localhost/\S+", line), line
    h.close_stdin()
    assert h.wait(15) == 0, "natter exit status %r on EOF" % h.returncode
    h.check_format()
    assert not h.has_line(re.escape(PASSWORDS["alice"])), \
        "the password was printed"
    # natter really logged in, and closed its session when it left
    log = harness.tail(t.prosody.log, 100000)
    assert "Authenticated as alice@localhost" in log


def test_wrong_password(t):
    h = t.headless()
    h.connect("alice", password="not-the-password", wait=False)
    h.expect(hline("console", r"-!- Login failed for alice@localhost: "),
             timeout=20)
    assert not h.has_line(r"Connected as")
    assert not h.has_line("not-the-password"), "the password was printed"
    h.close_stdin()
    assert h.wait(15) == 1, "exit status %r after a failed login" % (
        h.returncode)
    h.check_format()


def test_unreachable_server(t):
    port = harness.free_port()      # nothing listens on it
    h = t.headless()
    h.send("/connect alice@localhost server 127.0.0.1 port %d tls trust"
           % port)
    h.send(PASSWORDS["alice"])
    h.expect(hline("console", r"-!- Cannot connect"), timeout=20)
    assert not h.has_line(r"Connected as")
    h.close_stdin()
    assert h.wait(15) == 1, "exit status %r after a failed connect" % (
        h.returncode)


def test_exits_on_eof_without_connecting(t):
    h = t.headless()
    h.close_stdin()
    assert h.wait(10) == 0, "exit status %r" % h.returncode


def test_quit_command_disconnects_cleanly(t):
    t.befriend()
    bob = t.peer("bob")
    h = t.headless()
    h.connect("alice")
    bob.expect(r"^PRESENCE alice@localhost/\S+ available -$", timeout=10)
    h.send("/quit")
    assert h.wait(15) == 0, "exit status %r after /quit" % h.returncode
    # a clean logout sends unavailable presence before closing the stream
    bob.expect(r"^PRESENCE alice@localhost/\S+ unavailable\b", timeout=10)


def test_disconnect_command(t):
    h = t.headless()
    h.connect("alice")
    h.send("/disconnect")
    h.expect(hline("console", r"-!- Disconnected from alice@localhost"),
             timeout=10)
    h.close_stdin()
    assert h.wait(10) == 0


def test_unknown_command_and_usage(t):
    h = t.headless()
    h.send("/frobnicate now")
    h.expect(hline("console", r"-!- Unknown command: /frobnicate\b"))
    h.send("/connect")
    h.expect(hline("console", r"-!- No account to connect: use /connect JID"))
    h.send("/win 1 2")
    h.expect(hline("console", r"-!- Usage: /win\b"))
    h.send("/help msg")
    h.expect(hline("console", r"-!- .*/msg\b"))
    h.close_stdin()
    # headless reports shown errors through its exit status
    assert h.wait(10) == 1, "exit status %r after errors" % h.returncode
    h.check_format()


def test_version_and_help_options(t):
    env = harness.base_env(t.tmpdir)
    r = subprocess.run(harness.natter_command() + ["--version"], env=env,
                       capture_output=True, text=True,
                       timeout=harness.scaled(10),
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r
    assert "natter" in r.stdout.lower(), r.stdout
    r = subprocess.run(harness.natter_command() + ["--help"], env=env,
                       capture_output=True, text=True,
                       timeout=harness.scaled(10),
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r
    for opt in ("--headless", "-x", "--version"):
        assert opt in r.stdout, "--help does not mention %s:\n%s" % (
            opt, r.stdout)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
