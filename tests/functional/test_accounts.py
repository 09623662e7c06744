#!/usr/bin/python3
"""Configured accounts: /account, the accounts file, password_eval, -a,
accounts enabled at start-up, and several accounts online at once."""

import os
import stat
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORDS, hline, hmsg  # noqa: E402

BOB = "bob@localhost"


def accounts_file(h):
    return os.path.join(h.env["XDG_CONFIG_HOME"], "natter", "accounts")


def configure(h, prosody, name, user, secret_cmd=None):
    """Type the /account lines that set up NAME for USER on prosody."""
    h.send("/account add %s %s" % (name, prosody.jid(user)))
    h.expect(hline("console", r"-!- Account %s added" % name))
    h.send("/account set %s server %s" % (name, prosody.host))
    h.send("/account set %s port %d" % (name, prosody.port))
    h.send("/account set %s tls trust" % name)
    h.expect(hline("console", r"-!- %s: tls = trust" % name))
    if secret_cmd is not None:
        h.send("/account set %s password_eval %s" % (name, secret_cmd))
        h.expect(hline("console", r"-!- %s: password_eval = " % name))


def test_password_eval_and_file(t):
    secret = t.path("secret")
    with open(secret, "w") as f:
        f.write(PASSWORDS["alice"] + "\nsecond line is ignored\n")
    h = t.headless()
    configure(h, t.prosody, "home", "alice", "cat %s" % secret)
    h.send("/connect home")
    h.expect(hline("console", r"-!- Connected as alice@localhost/"),
             timeout=20)
    path = accounts_file(h)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert mode == 0o600, "accounts file mode %o" % mode
    with open(path) as f:
        text = f.read()
    assert "[account home]" in text, text
    assert "jid=alice@localhost" in text, text
    assert "password=" not in text, "a password was stored:\n" + text
    h.send("/account show home")
    h.expect(hline("console", r"-!-   password_eval = cat "))
    h.close_stdin()
    assert h.wait(15) == 0, "exit status %r" % h.returncode
    assert not h.has_line(PASSWORDS["alice"] + "$"), "password printed"


def test_account_option_connects_at_start(t):
    """A second natter with the same config connects with -a NAME and
    sends from a command file; a third connects the enabled account."""
    bob = t.peer("bob")
    h = t.headless()
    configure(h, t.prosody, "home", "alice",
              "echo %s" % PASSWORDS["alice"])
    h.send("/account enable home")
    h.expect(hline("console", r"-!- home \(default\): alice@localhost, offline, "
                   r"connects at start-up"))
    h.close_stdin()
    assert h.wait(10) == 0

    cmds = t.path("cmds")
    with open(cmds, "w") as f:
        f.write("/msg %s hello via -a\n" % BOB)
    h2 = harness.Headless(t.prosody, args=["-a", "home", "-x", cmds],
                          stdin=None)
    t.reports.append(h2)
    bob.expect(r"^MSG alice@localhost/\S+ hello via -a$", timeout=20)
    assert h2.wait(20) == 0, "exit status %r" % h2.returncode

    h3 = harness.Headless(t.prosody)
    t.reports.append(h3)
    h3.expect(hline("console", r"-!- Connected as alice@localhost/"),
              timeout=20)
    h3.close_stdin()
    assert h3.wait(15) == 0


def test_presence_on_connect(t):
    """The account's presence setting is what contacts see on login."""
    t.befriend("alice", "bob")
    bob = t.peer("bob")
    h = t.headless()
    configure(h, t.prosody, "home", "alice",
              "echo %s" % PASSWORDS["alice"])
    h.send("/account set home presence dnd in a meeting")
    h.send("/connect home")
    h.expect(hline("console", r"-!- Connected as alice@localhost/"),
             timeout=20)
    bob.expect(r"^PRESENCE alice@localhost/\S+ available dnd in a meeting$",
               timeout=10)
    h.close_stdin()
    assert h.wait(15) == 0


def test_failing_password_eval(t):
    h = t.headless()
    configure(h, t.prosody, "home", "alice",
              "echo 'no such entry' >&2; exit 3")
    h.send("/connect home")
    h.expect(hline("console", r"-!- password_eval of home failed: no such "
                   r"entry$"), timeout=10)
    h.send("/account set home password_eval true")
    h.send("/connect home")
    h.expect(hline("console", r"-!- password_eval of home failed: it "
                   r"printed no password$"), timeout=10)
    h.close_stdin()
    assert h.wait(10) == 1


def test_stored_password_warns(t):
    h = t.headless()
    configure(h, t.prosody, "home", "alice")
    h.send("/account set home password %s" % PASSWORDS["alice"])
    h.expect(hline("console", r"-!- Warning: the password of home is now "
                   r"stored in plain text"))
    h.send("/account show home")
    h.expect(hline("console", r"-!-   password = \(stored\)"))
    h.send("/connect home")
    h.expect(hline("console", r"-!- Connected as alice@localhost/"),
             timeout=20)
    mode = stat.S_IMODE(os.stat(accounts_file(h)).st_mode)
    assert mode == 0o600, "accounts file mode %o" % mode
    h.close_stdin()
    h.wait(15)


def test_unknown_account_and_usage(t):
    h = t.headless(args=["-a", "nosuch"])
    h.expect(hline("console", r"-!- -a nosuch: no such account"))
    h.send("/account show nosuch")
    h.expect(hline("console", r"-!- No account nosuch \(see /account "
                   r"list\)"))
    h.send("/account add x notajid")
    h.expect(hline("console", r"-!- Invalid JID notajid"))
    h.send("/account frob x")
    h.expect(hline("console", r"-!- Unknown /account subcommand frob"))
    h.close_stdin()
    assert h.wait(10) == 1


def test_two_accounts_at_once(t):
    """alice and bob are both online in one natter; carol writes to each;
    the messages land in each account's own window and replies go out
    from the right account."""
    t.prosody.register("carol")
    carol = t.peer("carol")
    h = t.headless()
    configure(h, t.prosody, "a", "alice", "echo %s" % PASSWORDS["alice"])
    configure(h, t.prosody, "b", "bob", "echo %s" % PASSWORDS["bob"])
    h.send("/connect a")
    h.expect(hline("console", r"-!- Connected as alice@localhost/"),
             timeout=20)
    h.send("/connect b")
    h.expect(hline("console", r"-!- Connected as bob@localhost/"),
             timeout=20)
    carol.msg("alice@localhost", "to alice")
    carol.msg("bob@localhost", "to bob")
    h.expect(hmsg("a:carol@localhost", "carol@localhost", "to alice"))
    h.expect(hmsg("b:carol@localhost", "carol@localhost", "to bob"))
    # window 2 is a's chat with carol, window 3 b's
    h.send("/win a:carol@localhost")
    h.send("reply from alice")
    carol.expect(r"^MSG alice@localhost/\S+ reply from alice$")
    h.send("/win b:carol@localhost")
    h.send("reply from bob")
    carol.expect(r"^MSG bob@localhost/\S+ reply from bob$")
    # -a NAME picks the account whatever window is current
    h.send("/win 1")
    h.send("/msg -a a carol@localhost via -a")
    carol.expect(r"^MSG alice@localhost/\S+ via -a$")
    h.send("/msg -a nobody carol@localhost x")
    h.expect(hline("a:carol@localhost", r"-!- No account nobody"))
    h.close_stdin()
    assert h.wait(15) == 1  # the -a nobody error
    h.check_format()


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
