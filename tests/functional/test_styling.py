#!/usr/bin/python3
"""XEP-0393 message styling in the curses UI, read back with
`tmux capture-pane -e` so the screen's attributes (SGR sequences) show:
*bold* carries bold, the text after it does not, the directives stay
visible, and remote escape sequences stay inert."""

import os
import re
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from test_ui import ALICE, BOB, start_ui, status_bar, title, \
    ui_connect  # noqa: E402

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def styled_capture(tm):
    """The pane with its attributes as SGR sequences."""
    return tm._run("capture-pane", "-e", "-p", "-t", "main")


def bold_runs(row):
    """(text, bold) pieces of one captured row, split at SGR changes."""
    pieces, bold, pos = [], False, 0
    for m in SGR.finditer(row):
        if m.start() > pos:
            pieces.append((row[pos:m.start()], bold))
        params = m.group(1).split(";") if m.group(1) else ["0"]
        for p in params:
            if p in ("0", ""):
                bold = False
            elif p == "1":
                bold = True
            elif p == "22":
                bold = False
        pos = m.end()
    if pos < len(row):
        pieces.append((row[pos:], bold))
    return pieces


def row_with(screen, needle):
    for r in screen.split("\n"):
        if needle in SGR.sub("", r):
            return r
    raise AssertionError("no row with %r:\n%s" % (needle, screen))


def open_bob(t):
    bob = t.peer("bob")
    tm = start_ui(t)
    ui_connect(t, tm)
    bob.msg(ALICE, "hello from bob")
    tm.wait_until(lambda rows: "2:bob@localhost" in status_bar(rows),
                  timeout=10, what="2:bob@localhost in the status bar")
    tm.send_keys("M-2")
    tm.wait_until(lambda rows: BOB in title(rows), timeout=5,
                  what="bob's window")
    return bob, tm


def test_strong_is_bold(t):
    bob, tm = open_bob(t)
    bob.msg(ALICE, "*bold* _it_ `code` plain")
    tm.wait_for(r"<bob@localhost> \*bold\* _it_ `code` plain", timeout=10)
    screen = styled_capture(tm)
    row = row_with(screen, "*bold* _it_")
    assert "\x1b[1m" in row or re.search(r"\x1b\[(?:[0-9]+;)*1(?:;[0-9]+)*m",
                                         row), "no bold SGR: %r" % row
    pieces = bold_runs(row)
    bold_text = "".join(s for s, b in pieces if b)
    plain_text = "".join(s for s, b in pieces if not b)
    # the whole span, directives included, is bold; nothing else is
    assert bold_text == "*bold*", "bold text %r in %r" % (bold_text, row)
    assert "plain" in plain_text and "<bob@localhost>" in plain_text, row
    assert "_it_" in plain_text and "`code`" in plain_text, row
    # the code span is drawn differently from the plain text after it
    code_at = row.index("`code`")
    assert SGR.search(row[row.index("_it_"):code_at]), \
        "no attribute change before `code`: %r" % row


def test_styling_off(t):
    bob, tm = open_bob(t)
    tm.line("/set styling off")
    bob.msg(ALICE, "*flat* words")
    tm.wait_for(r"\*flat\* words", timeout=10)
    time.sleep(0.3)
    row = row_with(styled_capture(tm), "*flat* words")
    assert not any(b for _, b in bold_runs(row)), "bold with styling off: " \
        "%r" % row
    tm.line("/set styling on")
    time.sleep(0.5)
    row = row_with(styled_capture(tm), "*flat* words")
    assert "".join(s for s, b in bold_runs(row) if b) == "*flat*", row


def test_escapes_stay_inert(t):
    """C1 CSI and DEL inside and around a styled span are shown as symbols;
    the sanitiser still runs before styling."""
    bob, tm = open_bob(t)
    title_before = tm.pane_title()
    bob.msg(ALICE, "*a\x7fb* \u009b31mRED \u009d0;pwned\u009c end")
    tm.wait_for(r"31mRED.*end", timeout=10)
    screen = styled_capture(tm)
    row = row_with(screen, "31mRED")
    assert "\x1b[31m" not in row and ";31m" not in row, \
        "remote SGR reached the terminal: %r" % row
    bold_text = "".join(s for s, b in bold_runs(row) if b)
    assert bold_text == "*a\u2421b*", "bold text %r in %r" % (bold_text, row)
    assert "\u009b" not in row and "\u009d" not in row, row
    assert tm.pane_title() == title_before, tm.pane_title()
    assert "natter" in title(tm.rows())


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
