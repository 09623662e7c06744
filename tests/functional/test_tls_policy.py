#!/usr/bin/python3
"""TLS policies against real certificates: a certificate from a CA natter
trusts verifies under the default policy, direct TLS (XEP-0368) works and
still verifies, an unknown certificate is refused."""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORDS, hline  # noqa: E402

ALICE = "alice@localhost"


def use_ca_server(t, **kw):
    """Replace the test's Prosody by one whose certificate a private CA
    signed; return the environment that makes natter trust that CA."""
    t.prosody.stop()
    t.prosody = t.start_prosody(ca=True, **kw)
    return {"SSL_CERT_FILE": t.prosody.ca_cert}


def connect(h, port, policy):
    h.send("/connect %s server 127.0.0.1 port %d%s" % (
        ALICE, port, " tls " + policy if policy else ""))
    h.send(PASSWORDS["alice"])
    return h.expect(hline("console", r"-!- (Connected as|Certificate of|"
                          r"Cannot|Login failed)"), timeout=20)


def test_default_policy_verifies(t):
    env = use_ca_server(t)
    h = t.headless(env_extra=env)
    line = connect(h, t.prosody.port, None)
    assert "Connected as alice@localhost/" in line, line
    h.close_stdin()
    assert h.wait(15) == 0


def test_direct_tls(t):
    env = use_ca_server(t, direct_tls=True)
    log = t.path("strophe.log")
    env["NATTER_DEBUG_LOG"] = log
    h = t.headless(env_extra=env)
    line = connect(h, t.prosody.direct_port, "direct")
    assert "Connected as alice@localhost/" in line, line
    with open(log) as f:
        text = f.read()
    assert "<starttls" not in text, "direct TLS used STARTTLS"
    h.close_stdin()
    assert h.wait(15) == 0


def test_direct_tls_verifies(t):
    use_ca_server(t, direct_tls=True)
    h = t.headless()  # does not trust the private CA
    line = connect(h, t.prosody.direct_port, "direct")
    assert "Certificate of 127.0.0.1:%d refused for alice@localhost" % (
        t.prosody.direct_port) in line, line
    h.close_stdin()
    assert h.wait(15) == 1


def test_self_signed_refused_by_default(t):
    h = t.headless()
    line = connect(h, t.prosody.port, None)
    assert "self-signed certificate" in line, line
    assert "tls trust" in line, line
    h.close_stdin()
    assert h.wait(15) == 1


def test_server_without_tls(t):
    """With no TLS on offer, the default policy refuses to log in in
    plaintext; 'tls allow' accepts it."""
    t.prosody.stop()
    t.prosody = t.start_prosody(tls=False)
    h = t.headless()
    line = connect(h, t.prosody.port, None)
    assert "Cannot connect securely" in line, line
    assert "offers no TLS" in line, line
    line = connect(h, t.prosody.port, "allow")
    assert "Connected as alice@localhost/" in line, line
    h.close_stdin()
    assert h.wait(15) == 1  # the refusal was an error


if __name__ == "__main__":
    sys.exit(harness.main(globals()))
