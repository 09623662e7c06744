#!/usr/bin/python3
"""Certificates trusted on first use: /tls fetch, show, trust, forget, and
the pinned certificate at /connect, against Prosody's self-signed one.

Wiring these tests rely on (outside src/cmd/cmd-tls.c, src/xmpp/raw.c,
src/xmpp/certprobe.c and src/core/pins.c):
  [table]   cmd_entry_tls in the command table (every test here);
  [session] session.c hands pins_path(acct->name) to
            xmpp_conn_set_cafile() and calls certprobe_explain() when a
            login fails on the certificate (test_trust_on_first_use only).
"""

import os
import re
import socket
import stat
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORDS, hline  # noqa: E402

ALICE = "alice@localhost"


def fingerprint(cert_path):
    """SHA-256 fingerprint of a PEM file as openssl prints it (AB:CD:..)."""
    r = subprocess.run(["openssl", "x509", "-in", cert_path, "-noout",
                        "-fingerprint", "-sha256"], capture_output=True,
                       text=True, timeout=harness.scaled(30), check=True)
    return r.stdout.strip().split("=", 1)[1].upper()


def plain(fp):
    """A fingerprint without separators, upper case, for comparing."""
    return re.sub(r"[^0-9A-F]", "", fp.upper())


def shows_fingerprint(line, fp):
    """Whether line names SHA-256 and the fingerprint fp (any notation)."""
    return "SHA-256" in line and plain(fp) in plain(line)


def pin_file(h, name=ALICE):
    return os.path.join(h.env["XDG_DATA_HOME"], "natter", "certs",
                        name + ".pem")


def fetch(h, prosody, extra="", port=None):
    h.send("/tls fetch %s server 127.0.0.1 port %d %s" % (
        ALICE, port or prosody.port, extra))
    return h.expect(hline("console", r"-!- (Certificate of|Cannot fetch)"),
                    timeout=25)


def connect(h, prosody, policy="force"):
    h.send("/connect %s %s" % (ALICE, prosody.connect_args(policy)))
    h.send(PASSWORDS["alice"])


def test_fetch_shows_certificate(t):
    """[table] /tls fetch prints the certificate; /tls show repeats it."""
    fp = fingerprint(t.prosody.cert)
    h = t.headless()
    line = fetch(h, t.prosody)
    assert shows_fingerprint(line, fp), line
    assert "subject /CN=localhost" in line, line
    assert "Not pinned: /tls trust %s" % ALICE in line, line
    h.send("/tls show %s" % ALICE)
    h.expect(hline("console", r"-!- Last certificate seen for %s "
                   r"\(not pinned\):" % re.escape(ALICE)))
    h.expect(hline("console", r"-!-   Subject: /CN=localhost$"))
    h.expect(hline("console", r"-!-   Valid until: \S+"))
    line = h.expect(hline("console", r"-!-   SHA-256: "))
    assert shows_fingerprint(line, fp), line
    # the probe logged in to nothing: Prosody saw no authentication
    assert "Authenticated as" not in harness.tail(t.prosody.log, 100000)
    h.close_stdin()
    assert h.wait(15) == 0, "exit status %r" % h.returncode
    h.check_format()


def test_trust_show_forget(t):
    """[table] The pin is a private file; show and forget work on it."""
    fp = fingerprint(t.prosody.cert)
    h = t.headless()
    fetch(h, t.prosody)
    h.send("/tls trust %s" % ALICE)
    line = h.expect(hline("console", r"-!- Pinned the certificate of "))
    assert shows_fingerprint(line, fp), line
    path = pin_file(h)
    assert os.path.isfile(path), path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    # the pinned file is the server's certificate, as openssl sees it
    assert plain(fingerprint(path)) == plain(fp)
    leftovers = [f for f in os.listdir(os.path.dirname(path))
                 if f != os.path.basename(path)]
    assert not leftovers, leftovers
    h.send("/tls show %s" % ALICE)
    h.expect(hline("console", r"-!- Pinned certificate for %s \(" %
                   re.escape(ALICE)))
    line = h.expect(hline("console", r"-!-   SHA-256: "))
    assert shows_fingerprint(line, fp), line
    h.expect(hline("console", r"-!- The server presented this certificate"))
    h.send("/tls forget %s" % ALICE)
    h.expect(hline("console", r"-!- Forgot the pinned certificate of "))
    assert not os.path.exists(path)
    h.send("/tls forget %s" % ALICE)
    h.expect(hline("console", r"-!- No certificate is pinned for "))
    h.close_stdin()
    assert h.wait(15) == 1  # the second forget was an error


def test_trust_needs_a_certificate(t):
    """[table] Nothing seen, nothing to pin: a clear error, no file."""
    h = t.headless()
    h.send("/tls trust %s" % ALICE)
    h.expect(hline("console", r"-!- No certificate was seen for %s yet" %
                   re.escape(ALICE)))
    h.send("/tls show bob@localhost")
    h.expect(hline("console", r"-!- No certificate is pinned or was seen "
                   r"for bob@localhost"))
    h.send("/tls frob")
    h.expect(hline("console", r"-!- Unknown /tls subcommand frob"))
    assert not os.path.exists(pin_file(h))
    h.close_stdin()
    assert h.wait(15) == 1


def test_fetch_direct_tls(t):
    """[table] XEP-0368: the certificate from a direct TLS port."""
    t.prosody.stop()
    t.prosody = t.start_prosody(direct_tls=True)
    fp = fingerprint(t.prosody.cert)
    log = t.path("strophe.log")
    h = t.headless(env_extra={"NATTER_DEBUG_LOG": log})
    line = fetch(h, t.prosody, "direct", port=t.prosody.direct_port)
    assert shows_fingerprint(line, fp), line
    assert "127.0.0.1:%d" % t.prosody.direct_port in line, line
    with open(log) as f:
        assert "<starttls" not in f.read(), "direct TLS used STARTTLS"
    h.close_stdin()
    assert h.wait(15) == 0


def test_fetch_errors(t):
    """[table] Nothing listening; a server without TLS."""
    h = t.headless()
    port = harness.free_port()
    line = fetch(h, t.prosody, port=port)
    assert "Cannot fetch the certificate of 127.0.0.1:%d: Cannot connect" % (
        port) in line, line
    t.prosody.stop()
    t.prosody = t.start_prosody(tls=False)
    line = fetch(h, t.prosody)
    assert "offers no TLS" in line, line
    h.close_stdin()
    assert h.wait(15) == 1


def test_fetch_is_bounded(t):
    """[table] A server that accepts and never answers: an error within
    the probe's 15 seconds, and natter stays responsive meanwhile."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]
    held = []
    stop = threading.Event()

    def accept():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                c, _ = srv.accept()
                held.append(c)  # read nothing, answer nothing
            except OSError:
                pass

    th = threading.Thread(target=accept, daemon=True)
    th.start()
    try:
        h = t.headless()
        t0 = time.monotonic()
        h.send("/tls fetch %s server 127.0.0.1 port %d" % (ALICE, port))
        h.send("/help tls")  # answered while the probe waits
        h.expect(hline("console", r"-!- Usage: /tls "), timeout=5)
        line = h.expect(hline("console", r"-!- Cannot fetch"), timeout=25)
        took = time.monotonic() - t0
        assert "did not answer within 15 seconds" in line, line
        assert 14 <= took <= 20, "the probe took %.1fs" % took
        h.close_stdin()
        assert h.wait(15) == 1
    finally:
        stop.set()
        th.join(5)
        for c in held:
            c.close()
        srv.close()


def test_trust_on_first_use(t):
    """[table][session] Refused, pinned, accepted, accepted silently by a
    new process, refused again with 'changed' after a new certificate."""
    fp = fingerprint(t.prosody.cert)
    h = t.headless()
    connect(h, t.prosody)
    h.expect(hline("console", r"-!- Certificate of .* refused for "),
             timeout=20)
    line = h.expect(hline("console", r"-!- .*SHA-256"), timeout=20)
    assert shows_fingerprint(line, fp), line
    assert "/tls trust" in line, line
    h.send("/tls trust %s" % ALICE)
    h.expect(hline("console", r"-!- Pinned the certificate of "))
    connect(h, t.prosody)
    line = h.expect(hline("console", r"-!- (Connected as|Certificate of|"
                          r"Cannot|Login failed)"), timeout=20)
    assert "Connected as %s/" % ALICE in line, line
    h.send("/quit")
    assert h.wait(15) == 1  # the first refusal was an error

    # a new natter with the same XDG directories: no question asked
    h2 = t.headless()
    connect(h2, t.prosody)
    line = h2.expect(hline("console", r"-!- (Connected as|Certificate of|"
                           r"Cannot|Login failed)"), timeout=20)
    assert "Connected as %s/" % ALICE in line, line
    h2.expect_no(r"SHA-256|refused|changed", within=1.0)
    h2.send("/quit")
    assert h2.wait(15) == 0

    # the server gets a new certificate: refused, and natter says why
    t.prosody.stop()
    t.prosody = t.start_prosody(cert_dir=t.path("new-cert"))
    new_fp = fingerprint(t.prosody.cert)
    assert plain(new_fp) != plain(fp)
    h3 = t.headless()
    connect(h3, t.prosody)
    h3.expect(hline("console", r"-!- Certificate of .* refused for "),
              timeout=20)
    line = h3.expect(hline("console", r"-!- .*changed"), timeout=20)
    assert plain(fp) in plain(line) and plain(new_fp) in plain(line), line
    assert not h3.has_line(r"Connected as")
    h3.close_stdin()
    assert h3.wait(15) == 1


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
    if not command_wired("tls"):
        print("SKIP: test_tls.py: /tls is not in natter's command table")
        sys.exit(77)
    sys.exit(harness.main(globals()))
