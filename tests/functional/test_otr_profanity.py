#!/usr/bin/python3
"""OTR between natter and another client: Debian's profanity (0.13.1,
which speaks OTR version 2 only, without instance tags), in tmux, through
a real Prosody. profanity starts the private conversation; text goes
both ways encrypted; each side sees the other's fingerprint; profanity
ends it and natter holds its next message rather than sending it in the
clear. Skipped where profanity is not installed (scripts/bootstrap
installs it for the test suite)."""

import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import hline  # noqa: E402

ALICE = "alice@localhost"
BOB = "bob@localhost"
KEY_TIMEOUT = 120  # DSA key generation, slow under valgrind


def profanity(t, user):
    """profanity for user in a tmux pane, logged in to the test server."""
    p = t.prosody
    home = "home-prof-" + user
    env = harness.base_env(t.tmpdir, home)
    d = os.path.join(env["XDG_DATA_HOME"], "profanity")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "accounts"), "w") as f:
        f.write("[%s]\nenabled=true\njid=%s\nserver=%s\nport=%d\n"
                "resource=prof\npassword=%s\ntls.policy=trust\n"
                % (p.jid(user), p.jid(user), p.host, p.port,
                   harness.PASSWORDS[user]))
    os.chmod(os.path.join(d, "accounts"), 0o600)
    cfg = os.path.join(env["XDG_CONFIG_HOME"], "profanity")
    os.makedirs(cfg, exist_ok=True)
    with open(os.path.join(cfg, "profrc"), "w") as f:
        # no splash, no desktop notifications, no window per chat wait
        f.write("[ui]\nsplash=false\n[notifications]\nmessage=false\n"
                "[otr]\nwarn=false\n")
    tm = t.tmux(["profanity", "-a", p.jid(user)], width=160, height=40,
                home=home)
    tm.wait_for(r"%s.*(online|logged in)" % re.escape(p.jid(user)),
                timeout=30, flags=re.M | re.I)
    return tm


def test_private_conversation_with_profanity(t):
    t.befriend("alice", "bob")
    alice = t.headless(env_extra={"NATTER_DEBUG_LOG": t.path("alice.log")})
    alice.connect("alice")
    alice.send("/otr gen")
    alice.expect(r"-!- OTR key for %s ready, fingerprint ([0-9A-F ]{44})$"
                 % re.escape(ALICE), timeout=KEY_TIMEOUT)
    alice.send("/otr myfp")
    alicefp = re.search(r"([0-9A-F]{8}( [0-9A-F]{8}){4})$", alice.expect(
        r"-!- Your OTR fingerprint \(alice@localhost\): ")).group(1)
    bob = profanity(t, "bob")
    bob.line("/otr gen")
    bob.wait_for(r"Private key generation complete", timeout=KEY_TIMEOUT)
    bob.line("/msg %s" % ALICE)
    bob.line("/otr start")
    started = (r"-!- OTR: private conversation with %s started, not "
               r"verified" % re.escape(BOB))
    alice.expect(hline(BOB, started), timeout=30)
    bob.wait_for(r"OTR session started \(untrusted\)", timeout=30)
    # both ways, encrypted
    bob.line("hello from profanity")
    alice.expect(hline(BOB, r"<bob@localhost> hello from profanity "
                       r"\[encrypted\]$"), timeout=20)
    alice.send("/msg %s hello from natter" % BOB)
    alice.expect(hline(BOB, r"<alice@localhost> hello from natter "
                       r"\[encrypted\]$"))
    bob.wait_for(r"hello from natter", timeout=20)
    # the server saw ciphertext only, both ways
    with open(t.path("alice.log"), encoding="utf-8", errors="replace") as f:
        log = f.read()
    assert "?OTR:" in log
    assert "hello from natter" not in log
    assert "hello from profanity" not in log
    # profanity sees natter's fingerprint, natter sees profanity's
    bob.line("/otr theirfp")
    bob.wait_for(re.escape(alicefp).replace(r"\ ", r"\s?"), timeout=10)
    alice.send("/otr theirfp")
    alice.expect(r"-!- OTR fingerprint of bob@localhost: "
                 r"[0-9A-F]{8}( [0-9A-F]{8}){4}$")
    alice.send("/otr status")
    alice.expect(r"-!- OTR with bob@localhost: private, unverified")
    # profanity ends it: natter's next message is held, not sent plain
    bob.line("/otr end")
    alice.expect(hline(BOB, r"-!- OTR: bob@localhost ended the private "
                       r"conversation"), timeout=20)
    alice.send("/msg %s not in the clear" % BOB)
    alice.expect(r"-!- Message to bob@localhost held, not sent: "
                 r"bob@localhost ended the private conversation")
    alice.send("/otr drop")
    alice.expect(r"-!- Dropped 1 held message to bob@localhost")
    assert "not in the clear" not in "\n".join(bob.rows())
    bob.line("/quit")
    alice.close_stdin()
    assert alice.wait(20) == 0


if __name__ == "__main__":
    sys.exit(harness.main(globals(), requires=("prosody", "prosodyctl",
                                               "tmux", "openssl",
                                               "profanity")))
