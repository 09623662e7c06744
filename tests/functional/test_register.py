#!/usr/bin/python3
"""In-band registration (XEP-0077) with natter --headless against Prosody:
/register creates an account one can log in with, a taken name and a
closed server give clear errors, the certificate is verified (and a pin
counts), /changepassword changes the password of a connected account.

Wiring these tests rely on (outside src/cmd/cmd-register.c,
src/xmpp/register.c, src/xmpp/raw.c):
  [table]   cmd_entry_register (and cmd_entry_tls) in the command table;
  [session] session_send_iq() in session.c and cmd_entry_changepassword
            in the table (test_changepassword only).

Prosody 0.12 registers in-band with mod_register (which loads
mod_register_ibr) and allow_registration = true.
"""

import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORDS, hline  # noqa: E402

# Set in the host section: the global one is set already, and Prosody
# 0.12 fails on an option given twice in one section.
OPEN = "VirtualHost \"localhost\"\n\tallow_registration = true"


def open_server(t, **kw):
    """Replace the test's Prosody by one that allows registration."""
    t.prosody.stop()
    t.prosody = t.start_prosody(modules=("register",), extra_config=OPEN,
                                **kw)
    return t.prosody


def account_exists(prosody, user):
    return os.path.exists(os.path.join(prosody.data, harness.DOMAIN,
                                       "accounts", user + ".dat"))


def register(h, prosody, user, tls="trust"):
    h.send("/register %s@localhost %s" % (user, prosody.connect_args(tls)))


def answer_passwords(h, user, first, second=None):
    """Answer the password prompt and its confirmation."""
    h.expect(hline("console", r"-!- Password for %s@localhost:" % user),
             timeout=20)
    h.send(first)
    h.expect(hline("console", r"-!- Password for %s@localhost again" % user),
             timeout=10)
    h.send(second if second is not None else first)


def result(h, user):
    return h.expect(hline("console", r"-!- (Registered|Cannot register) "
                          r"%s@localhost" % user), timeout=20)


def test_register_then_login(t):
    """[table] A new account, then a login with it."""
    p = open_server(t)
    h = t.headless()
    register(h, p, "carol")
    line = h.expect(hline("console", r"-!- 127\.0\.0\.1:\d+ asks for: "),
                    timeout=20)
    assert re.search(r"[Pp]assword \(required\)", line), line
    answer_passwords(h, "carol", "carol-new-secret")
    line = result(h, "carol")
    assert "Registered carol@localhost on 127.0.0.1:%d" % p.port in line, line
    assert "Log in with /connect carol@localhost server 127.0.0.1" in line
    assert account_exists(p, "carol")
    assert not h.has_line("carol-new-secret"), "the password was shown"
    h.connect("carol", password="carol-new-secret")
    h.close_stdin()
    assert h.wait(15) == 0, "exit status %r" % h.returncode
    h.check_format()


def test_register_taken_name(t):
    """[table] alice exists already: a clear error, and no harm done."""
    p = open_server(t)
    h = t.headless()
    register(h, p, "alice")
    answer_passwords(h, "alice", "another-password")
    line = result(h, "alice")
    assert "Cannot register alice@localhost: that account already exists" \
        in line, line
    h.connect("alice")  # the old password still works
    h.close_stdin()
    assert h.wait(15) == 1


def test_second_registration_of_same_name(t):
    """[table] Registering the same new name twice: the second fails."""
    p = open_server(t)
    h = t.headless()
    register(h, p, "dave")
    answer_passwords(h, "dave", "dave-1")
    assert "Registered dave@localhost" in result(h, "dave")
    register(h, p, "dave")
    answer_passwords(h, "dave", "dave-2")
    line = result(h, "dave")
    assert "already exists" in line, line
    h.connect("dave", password="dave-1")
    h.close_stdin()
    assert h.wait(15) == 1


def test_registration_closed(t):
    """[table] The harness's default Prosody allows no registration."""
    h = t.headless()
    register(h, t.prosody, "erin")
    line = result(h, "erin")
    assert re.search(r"offers no in-band registration|registration is "
                     r"closed", line), line
    assert not account_exists(t.prosody, "erin")
    h.close_stdin()
    assert h.wait(15) == 1


def test_passwords_differ(t):
    """[table] A mistyped confirmation registers nothing."""
    p = open_server(t)
    h = t.headless()
    register(h, p, "frank")
    answer_passwords(h, "frank", "one", "two")
    line = result(h, "frank")
    assert "differ" in line, line
    assert not account_exists(p, "frank")
    h.close_stdin()
    assert h.wait(15) == 1


def test_certificate_verified_and_pin_counts(t):
    """[table] The default policy refuses the self-signed certificate and
    shows it; once pinned with /tls trust, the same /register works."""
    p = open_server(t)
    fp = subprocess.run(["openssl", "x509", "-in", p.cert, "-noout",
                         "-fingerprint", "-sha256"], capture_output=True,
                        text=True, check=True).stdout.strip().split("=")[1]
    h = t.headless()
    h.send("/register gina@localhost server 127.0.0.1 port %d" % p.port)
    line = result(h, "gina")
    assert "certificate" in line, line
    line = h.expect(hline("console", r"-!- Certificate of .*SHA-256"),
                    timeout=20)
    assert fp.replace(":", "") in line.replace(":", ""), line
    assert not h.has_line(r"Password for gina"), "asked before verifying"
    h.send("/tls trust gina@localhost")
    h.expect(hline("console", r"-!- Pinned the certificate"))
    h.send("/register gina@localhost server 127.0.0.1 port %d" % p.port)
    h.expect(hline("console", r"-!- Registering gina@localhost \(with the "
                   r"pinned certificate\)"))
    answer_passwords(h, "gina", "gina-secret")
    assert "Registered gina@localhost" in result(h, "gina")
    assert account_exists(p, "gina")
    h.close_stdin()
    assert h.wait(15) == 1


def test_register_direct_tls(t):
    """[table] XEP-0368: registration over a direct TLS port, the
    certificate verified against a pin made with /tls fetch and trust."""
    p = open_server(t, direct_tls=True)
    h = t.headless()
    h.send("/tls fetch hank@localhost server 127.0.0.1 port %d direct"
           % p.direct_port)
    h.expect(hline("console", r"-!- Certificate of "), timeout=20)
    h.send("/tls trust hank@localhost")
    h.expect(hline("console", r"-!- Pinned the certificate"))
    h.send("/register hank@localhost server 127.0.0.1 port %d tls direct"
           % p.direct_port)
    answer_passwords(h, "hank", "hank-secret")
    assert "Registered hank@localhost" in result(h, "hank")
    assert account_exists(p, "hank")
    h.close_stdin()
    assert h.wait(15) == 0


def test_changepassword(t):
    """[table][session] Change alice's password while connected; the new
    one logs in, the old one no longer does."""
    p = open_server(t)
    h = t.headless()
    h.connect("alice")
    h.send("/changepassword")
    h.expect(hline("console", r"-!- New password for alice@localhost:"))
    h.send("alice-changed")
    h.expect(hline("console", r"-!- New password for alice@localhost "
                   r"again"))
    h.send("alice-changed")
    h.expect(hline("console", r"-!- Password of alice@localhost changed"),
             timeout=20)
    assert not h.has_line("alice-changed"), "the password was shown"
    h.send("/quit")
    assert h.wait(15) == 0
    h2 = t.headless()
    h2.connect("alice", password=PASSWORDS["alice"], wait=False)
    h2.expect(hline("console", r"-!- Login failed for alice@localhost"),
              timeout=20)
    h2.connect("alice", password="alice-changed")
    h2.close_stdin()
    assert h2.wait(15) == 1


def command_wired(name):
    """Whether the natter under test knows /name (it is in the table)."""
    import tempfile
    with tempfile.TemporaryDirectory(prefix="natter-wired-") as tmp:
        r = subprocess.run(harness.natter_command() + ["--headless"],
                           input="/help %s\n" % name, capture_output=True,
                           text=True, timeout=harness.scaled(30),
                           env=harness.base_env(tmp))
    return "Usage: /%s" % name in r.stdout


if __name__ == "__main__":
    if not command_wired("register"):
        print("SKIP: test_register.py: /register is not in natter's "
              "command table")
        sys.exit(77)
    sys.exit(harness.main(globals()))
