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


class SmallDisk:
    """A small file system for natter's data: a tmpfs of size bytes when
    mount works (root, as here and in CI), else a plain directory whose
    "fullness" is natter's RLIMIT_FSIZE (prlimit; natter ignores SIGXFSZ
    so the write fails with EFBIG; NATTER_FT_NO_MOUNT=1 forces this).
    fill()/free() make it full and give the space back.  Unmounted by stop(), after natter has stopped."""

    def __init__(self, path, size=2 * 1024 * 1024):
        self.path = path
        self.mounted = False
        self.pid = None
        os.makedirs(path, exist_ok=True)
        if not os.environ.get("NATTER_FT_NO_MOUNT"):
            r = subprocess.run(["mount", "-t", "tmpfs", "-o",
                                "size=%d,mode=0700" % size, "tmpfs", path],
                               capture_output=True, text=True, timeout=10)
            self.mounted = r.returncode == 0
        self.how = "tmpfs" if self.mounted else "RLIMIT_FSIZE"
        harness._register(self)

    def attach(self, pid):
        self.pid = pid

    def fill(self):
        if self.mounted:
            filler = os.path.join(self.path, "filler")
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                         0o600)
            try:
                for size in (65536, 512):  # then the last partial pages
                    for _ in range(100000):
                        try:
                            os.write(fd, b"\0" * size)
                        except OSError:
                            break
            finally:
                os.close(fd)
            st = os.statvfs(self.path)
            assert st.f_bavail == 0, "tmpfs not full: %d blocks free" \
                % st.f_bavail
        else:
            subprocess.run(["prlimit", "--pid", str(self.pid),
                            "--fsize=1:unlimited"], check=True, timeout=10)

    def free(self):
        if self.mounted:
            os.unlink(os.path.join(self.path, "filler"))
        else:
            subprocess.run(["prlimit", "--pid", str(self.pid),
                            "--fsize=unlimited:unlimited"], check=True,
                           timeout=10)

    def stop(self):
        if self.mounted:
            subprocess.run(["umount", "-l", self.path], capture_output=True,
                           timeout=10)
            self.mounted = False
        harness._unregister(self)

    def report(self):
        return "----- small disk %s (%s)" % (self.path, self.how)


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
        # reports a SEGV or BUS itself and exits 1, or aborts (134) with
        # abort_on_error
        assert status == 128 + sig or (
            sig in (signal.SIGSEGV, signal.SIGBUS) and status in (1, 134)), \
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


# ---------------------------------------------------------------------------
# disk full

def wait_stored(path, want, timeout=15):
    """Poll the history db until its bodies include every one of want."""
    deadline = time.monotonic() + timeout
    rows = []
    while time.monotonic() < deadline:
        if os.path.exists(path):
            try:
                _, rows = stored(path)
            except sqlite3.Error:
                rows = []
            bodies = [r[2] for r in rows]
            if all(w in bodies for w in want):
                return rows
        time.sleep(0.1)
    raise AssertionError("history never held %r; it has %r"
                         % (want, [r[2] for r in rows]))


def test_disk_full(t):
    """The disk under history.db fills up while messages arrive: one clear
    error line, the messages still shown, nothing lost; once space is back
    they are written (by a retry, no new message needed), exactly once,
    and the database passes integrity_check."""
    disk = SmallDisk(t.path("data"))
    t.reports.append(disk)
    h = t.headless(env_extra={"XDG_DATA_HOME": disk.path})
    disk.attach(h.proc.pid)
    h.connect("alice")
    bob = t.peer("bob")
    db = history_db(h.env)
    bob.msg(ALICE, "before the disk filled")
    h.expect(hmsg(BOB, BOB, "before the disk filled"))
    wait_stored(db, ["before the disk filled"])

    disk.fill()
    pad = " " + "x" * 3000  # several pages per message
    sent = []
    for i in range(5):
        body = "while full %d%s" % (i, pad)
        bob.msg(ALICE, body)
        sent.append(body)
        h.expect(hmsg(BOB, BOB, body), timeout=10)  # still shown
    err = h.expect(hline("console", r"-!- History of account "
                         r"alice@localhost not saved: "), timeout=10)
    assert "full" in err or "I/O" in err, err
    assert "written when it works again" in err, err
    time.sleep(1)
    n = sum(1 for x in list(h.lines) if "not saved" in x)
    assert n == 1, "%d error lines about the history, not 1" % n
    _, rows = stored(db)
    assert not any(r[2].startswith("while full") for r in rows), \
        "stored although the disk was full?"

    disk.free()
    h.expect(hline("console", r"-!- History of account alice@localhost "
                   r"saved again \(5 waiting messages written\)"),
             timeout=20)
    rows = wait_stored(db, sent)
    check, rows = stored(db)
    assert check == ["ok"], "integrity_check: %r" % check
    bodies = [r[2] for r in rows]
    for b in ["before the disk filled"] + sent:
        assert bodies.count(b) == 1, "%r stored %d times" % (
            b[:20], bodies.count(b))
    # and what comes next is stored at once
    bob.msg(ALICE, "after the space came back")
    wait_stored(db, ["after the space came back"])
    h.close_stdin()
    assert h.wait(15) == 1  # headless: 1 when an error line was shown
    check, rows = stored(db)
    assert check == ["ok"], "integrity_check after exit: %r" % check
    assert len(rows) == 7, "%d rows: %r" % (len(rows), [r[2][:20] for r in rows])


# ---------------------------------------------------------------------------
# SIGTERM and SIGHUP

def test_term_hup_flush(t):
    """SIGTERM or SIGHUP right after a burst arrives: natter logs out
    cleanly (bob sees it go offline), exits 0, and every message it
    showed is in the database, which passes integrity_check."""
    t.befriend("alice", "bob")
    for n, sig in enumerate((signal.SIGTERM, signal.SIGHUP)):
        h = t.headless(home="home%d" % n)
        h.connect("alice")
        bob = t.peer("bob", resource="r%d" % n)
        bob.expect(r"^PRESENCE alice@localhost/\S+ available", timeout=10)
        want = ["%s burst %d" % (sig.name, i) for i in range(30)]
        for body in want:
            bob.send("msg %s %s" % (ALICE, body))
        for _ in want:
            bob.expect(r"^SENT$")
        h.expect(hmsg(BOB, BOB, want[-1]), timeout=15)
        os.kill(h.proc.pid, sig)
        assert h.wait(15) == 0, "exit status %r after %s" % (
            h.returncode, sig.name)
        bob.expect(r"^PRESENCE alice@localhost/\S+ unavailable", timeout=10)
        check, rows = stored(history_db(h.env))
        assert check == ["ok"], check
        bodies = [r[2] for r in rows]
        missing = [b for b in want if b not in bodies]
        assert not missing, "not stored after %s: %r" % (sig.name, missing)
        bob.quit()


# ---------------------------------------------------------------------------
# the server killed mid-send

def killed_mid_send(t, smacks):
    """SIGKILL Prosody while alice sends: the messages written into the
    dying connection and those typed after it are all delivered once, in
    order, when the server is back."""
    if smacks:
        t.prosody.stop()
        t.prosody = t.start_prosody(modules=("smacks",))
    h = t.headless(autorun="/set ping.interval 1\n")
    h.connect("alice")
    bob = t.peer("bob")
    h.send("/msg %s before" % BOB)
    bob.expect(r"^MSG alice@localhost/\S+ before$")
    time.sleep(0.3)
    t.prosody.proc.kill()  # no goodbye, like a crash or power loss
    want = []
    for i in range(6):  # the first ones race the kernel's reset
        want.append("mid-send %d" % i)
        h.send(want[-1])
        time.sleep(0.05 * i)
    h.expect(hline("console", r"-!- Connection of alice@localhost lost"),
             timeout=15)
    time.sleep(0.5)
    t.prosody.proc.wait(10)
    t.prosody.start()
    h.expect(hline("console", r"-!- Connected as alice@localhost/"),
             timeout=60)
    bob2 = t.peer("bob", resource="again")
    for body in want:
        bob2.expect(r"^MSG alice@localhost/\S+ %s$" % re.escape(body),
                    timeout=15)
    time.sleep(1)
    # "before" may come again: natter resends what the server had not
    # confirmed when it died (at least once), and on a slow machine (or
    # under valgrind) its confirmation can still be on the way then
    got = [x.split(" ", 2)[2] for x in bob2.lines if x.startswith("MSG ")
           and not x.endswith(" before")]
    assert got == want, "bob got %r" % got
    # every message was shown once, pending or sent, and is stored once
    h.close_stdin()
    assert h.wait(15) in (0, 1)
    check, rows = stored(history_db(h.env))
    assert check == ["ok"], check
    bodies = [r[2] for r in rows]
    for body in want:
        assert bodies.count(body) == 1, "%r stored %d times" % (
            body, bodies.count(body))


def test_killed_mid_send(t):
    killed_mid_send(t, smacks=False)


def test_killed_mid_send_sm(t):
    """The same with stream management offered (the stream cannot be
    resumed: the server lost its sessions)."""
    killed_mid_send(t, smacks=True)


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
