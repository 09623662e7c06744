#!/usr/bin/python3
"""natter --headless driven by command files (-x FILE) and autorun."""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORDS, hline, hmsg  # noqa: E402

BOB = "bob@localhost"


def connect_lines(prosody, user="alice"):
    return "/connect %s %s\n%s\n" % (prosody.jid(user),
                                     prosody.connect_args("trust"),
                                     PASSWORDS[user])


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)
    return path


def test_command_file(t):
    bob = t.peer("bob")
    cmds = write(t.path("cmds"), connect_lines(t.prosody) +
                 "/msg %s hello from file\n" % BOB)
    # stdin is /dev/null: natter runs the file, then exits by itself
    h = t.headless(args=["-x", cmds], stdin=None)
    bob.expect(r"^MSG alice@localhost/\S+ hello from file$", timeout=20)
    assert h.wait(20) == 0, "exit status %r" % h.returncode
    h.expect(hline("console", r"-!- Connected as alice@localhost/"))
    h.expect(hmsg(BOB, "alice@localhost", "hello from file"))
    assert not h.has_line(PASSWORDS["alice"]), "the password was printed"
    h.check_format()


def test_autorun(t):
    bob = t.peer("bob")
    h = t.headless(stdin=None, autorun=connect_lines(t.prosody) +
                   "/msg %s hello from autorun\n" % BOB)
    bob.expect(r"^MSG alice@localhost/\S+ hello from autorun$", timeout=20)
    assert h.wait(20) == 0, "exit status %r" % h.returncode
    assert not h.has_line(PASSWORDS["alice"]), "the password was printed"


def test_autorun_then_stdin(t):
    """autorun connects; stdin lines then run in the same session."""
    bob = t.peer("bob")
    h = t.headless(autorun=connect_lines(t.prosody))
    h.expect(hline("console", r"-!- Connected as alice@localhost/"),
             timeout=20)
    h.send("/msg %s typed after autorun" % BOB)
    bob.expect(r"^MSG alice@localhost/\S+ typed after autorun$", timeout=10)
    h.close_stdin()
    assert h.wait(15) == 0


def test_several_command_files_in_order(t):
    bob = t.peer("bob")
    first = write(t.path("first"), connect_lines(t.prosody))
    second = write(t.path("second"),
                   "/msg %s from the second file\n"
                   "a plain line to bob\n" % BOB)
    h = t.headless(args=["-x", first, "-x", second], stdin=None)
    bob.expect(r"^MSG alice@localhost/\S+ from the second file$", timeout=20)
    bob.expect(r"^MSG alice@localhost/\S+ a plain line to bob$", timeout=10)
    assert h.wait(20) == 0, "exit status %r" % h.returncode


def test_missing_command_file(t):
    h = t.headless(args=["-x", t.path("does-not-exist")], stdin=None)
    rc = h.wait(10)
    out = "\n".join(h.lines + h.err_lines)
    assert "does-not-exist" in out, \
        "no error naming the missing file (exit %r):\n%s" % (rc, out)
    assert rc != 0, "exit status 0 although the command file is missing"


def test_quit_in_command_file(t):
    cmds = write(t.path("cmds"), connect_lines(t.prosody) + "/quit\n")
    # stdin stays open: only /quit can make natter leave
    h = t.headless(args=["-x", cmds])
    assert h.wait(20) == 0, "exit status %r" % h.returncode


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
