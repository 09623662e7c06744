#!/usr/bin/python3
"""Faults: the server killed while natter sends, the disk full under the
history database, SIGTERM and SIGHUP, and crash signals.  natter keeps
every message (pending, in memory) until it can send or store it, never
corrupts its database, and always gives the terminal back."""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORDS, hline, hmsg  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"


# ---------------------------------------------------------------------------
# helpers

def history_db(env, account="alice@localhost"):
    return os.path.join(env["XDG_DATA_HOME"], "natter", account,
                        "history.db")


def stored(path):
    """(integrity_check result, [(peer, outgoing, body)]) of a history db,
    opened read-only so a running natter is not disturbed."""
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=5)
    try:
        check = con.execute("PRAGMA integrity_check").fetchall()
        rows = con.execute("SELECT peer, outgoing, body FROM messages "
                           "ORDER BY id").fetchall()
    finally:
        con.close()
    return [c[0] for c in check], rows


def children(pid):
    """Pids of pid's children (Linux /proc)."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def pane_flag(tm, name):
    return tm._run("display-message", "-p", "-t", "main",
                   "#{%s}" % name).strip()


def shell_ui(t, exit_marker="natter-exit"):
    """natter's UI in tmux under a shell that, when natter ends, prints
    its exit status and the tty modes, then reads a line and echoes it
    (to show the terminal is usable again).  Returns (tmux, natter pid)."""
    natter = harness.natter_binary()
    script = ('"%s"; echo "%s=$?"; stty -a | tr "\\n" " " | '
              'grep -o "[-]*icanon\\|[-]*echo " | tr "\\n" " "; echo; '
              'read line; echo "got=$line"; sleep 30'
              % (natter, exit_marker))
    tm = t.tmux(["/bin/sh", "-c", script], width=100, height=30)
    tm.wait_until(lambda rows: "natter" in rows[0], timeout=10,
                  what="natter's title bar")
    pid = None
    for _ in range(100):
        kids = children(tm.pane_pid)
        if kids:
            pid = kids[0]
            break
        time.sleep(0.05)
    assert pid, "natter's pid not found under the pane's shell"
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        assert b"natter" in f.read(), "child of the shell is not natter"
    return tm, pid


def assert_terminal_restored(tm, marker="natter-exit"):
    """After natter ended: normal screen, cursor shown, echo and canonical
    input back (the shell's read gets a typed line)."""
    screen = tm.wait_for(r"%s=\d+" % marker, timeout=15)
    tm.wait_for(r"icanon", timeout=5)
    screen = tm.capture()
    assert "-icanon" not in screen and "-echo " not in screen, \
        "tty modes not restored:\n" + screen
    assert pane_flag(tm, "alternate_on") == "0", \
        "terminal left in the alternate screen:\n" + screen
    assert pane_flag(tm, "cursor_flag") == "1", "cursor left hidden"
    assert pane_flag(tm, "keypad_flag") == "0", "keypad mode left on"
    tm.type("typed-after")
    tm.send_keys("Enter")
    screen = tm.wait_for(r"got=typed-after", timeout=5)
    # echo works: what was typed shows on its own line before got=
    assert re.search(r"^typed-after$", screen, re.M), \
        "typed text not echoed:\n" + screen
    return screen


# ---------------------------------------------------------------------------
# the terminal after signals

def test_crash_signal_tty(t):
    """SIGSEGV, SIGABRT, SIGBUS and SIGQUIT sent to natter: the terminal is
    reset (no alternate screen, cursor on, echo and canonical mode on) and
    natter still dies of the signal."""
    for sig in (signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS,
                signal.SIGQUIT):
        tm, pid = shell_ui(t)
        assert pane_flag(tm, "alternate_on") == "1", \
            "natter did not use the alternate screen"
        os.kill(pid, sig)
        screen = assert_terminal_restored(tm)
        status = int(re.search(r"natter-exit=(\d+)", screen).group(1))
        # the shell reports death by signal N as 128 + N; an ASan build
        # reports a SEGV itself and exits 1
        assert status == 128 + sig or (sig == signal.SIGSEGV and
                                       status == 1), \
            "natter exit status %d after %s" % (status, sig.name)
        tm.stop()


def test_term_hup_tty(t):
    """SIGTERM and SIGHUP end natter cleanly: status 0, terminal reset."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        tm, pid = shell_ui(t)
        os.kill(pid, sig)
        screen = assert_terminal_restored(tm)
        status = int(re.search(r"natter-exit=(\d+)", screen).group(1))
        assert status == 0, "exit status %d after %s" % (status, sig.name)
        tm.stop()


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
