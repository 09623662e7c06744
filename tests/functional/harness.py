"""Functional-test harness for natter.

Starts a private Prosody per test (fresh data dir, free loopback port,
self-signed certificate), runs the scripted libstrophe peer
(tests/peer/natter-peer), natter's headless front end and natter's curses
UI inside a private tmux server.  Every process started here is stopped by
its own pid when the test ends, also on failure, and once more at exit.

Each test file ends with

    if __name__ == "__main__":
        sys.exit(harness.main(globals()))

and defines functions ``test_*(t)`` taking a ``TestContext``.

Environment:
    NATTER          natter binary        (default: <repo>/src/natter)
    NATTER_PEER     peer binary          (default: <repo>/tests/peer/natter-peer;
                                          built into a temp dir if missing)
    NATTER_FT_KEEP  keep every test's temp dir (it is always kept on failure)
    NATTER_FT_TIMEOUT  seconds per test (default 60)
    NATTER_FT_VERBOSE  echo every process line to stderr as it arrives
    NATTER_WRAPPER  command natter runs under, split like a shell would
                    (e.g. "valgrind --log-file=/tmp/vg.%p"); the peer,
                    Prosody and tmux never run under it
    NATTER_TIMEOUT_SCALE  multiply every timeout and the per-test budget
                    by this (default 1; natter under valgrind is ~20x slower);
                    natter gets it too and gives a stalled TLS handshake
                    that much longer
"""

import atexit
import inspect
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from xml.sax.saxutils import escape as xml_escape

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DOMAIN = "localhost"
MUC_DOMAIN = "conference.localhost"
PASSWORDS = {"alice": "alice-secret", "bob": "bob-secret"}

VERBOSE = bool(os.environ.get("NATTER_FT_VERBOSE"))
TIMEOUT_SCALE = float(os.environ.get("NATTER_TIMEOUT_SCALE") or "1")


def scaled(seconds):
    """A timeout in seconds, stretched by NATTER_TIMEOUT_SCALE."""
    return seconds * TIMEOUT_SCALE


class HarnessError(Exception):
    """The test infrastructure itself failed (not natter)."""


class SkipTest(Exception):
    """Raised by a test that cannot run here; reported as SKIP with the
    reason, counted neither as passed nor as failed."""


class TestTimeout(BaseException):
    """Raised by SIGALRM when a test exceeds its time budget.

    A BaseException so that broad ``except Exception`` in a test cannot
    swallow it."""


# ---------------------------------------------------------------------------
# process registry: everything started here is killed by pid at the end

_live = []          # objects with .stop()
_live_lock = threading.Lock()
_pids = set()       # raw pids (e.g. the tmux server) killed at exit


def _register(obj):
    with _live_lock:
        _live.append(obj)


def _unregister(obj):
    with _live_lock:
        if obj in _live:
            _live.remove(obj)


def stop_all():
    """Stop every registered object, newest first.  Never raises."""
    while True:
        with _live_lock:
            if not _live:
                break
            obj = _live.pop()
        try:
            obj.stop()
        except BaseException:  # noqa: BLE001 - cleanup must go on
            traceback.print_exc()
    for pid in list(_pids):
        kill_pid(pid)
        _pids.discard(pid)


atexit.register(stop_all)


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child of ours still answers kill(0); reap it if it is ours
    try:
        wpid, _ = os.waitpid(pid, os.WNOHANG)
        if wpid == pid:
            return False
    except ChildProcessError:
        pass
    try:
        with open("/proc/%d/stat" % pid) as f:
            if f.read().split(")")[-1].split()[0] == "Z":
                return False
    except OSError:
        return False
    return True


def kill_pid(pid, grace=3.0):
    """SIGTERM pid, then SIGKILL after ``grace`` seconds.  Not for Popen
    children (use stop_popen for those)."""
    if not pid or pid <= 1 or pid == os.getpid():
        return
    grace = scaled(grace)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return
        time.sleep(0.02)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline and _pid_alive(pid):
        time.sleep(0.02)


def stop_popen(proc, grace=3.0, first_signal=signal.SIGTERM):
    """Stop a Popen child by its pid: signal, bounded wait, SIGKILL."""
    if proc is None or proc.poll() is not None:
        return proc.returncode if proc is not None else None
    grace = scaled(grace)
    try:
        proc.send_signal(first_signal)
    except ProcessLookupError:
        pass
    try:
        return proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass
    try:
        return proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return None


# ---------------------------------------------------------------------------
# small helpers

def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def tail(path, n=60):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return "(cannot read %s: %s)" % (path, e)
    lines = data.decode("utf-8", "replace").splitlines()
    return "\n".join(lines[-n:])


def _visible(s):
    """Make control characters visible in failure reports."""
    out = []
    for ch in s:
        o = ord(ch)
        if o < 0x20 and ch not in "\n":
            out.append("\\x%02x" % o)
        elif 0x7f <= o < 0xa0 or 0xdc80 <= o <= 0xdcff:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    return "".join(out)


def _current_tmpdir():
    if _current is None:
        raise HarnessError("no test is running and no tmpdir was given")
    return _current.tmpdir


def base_env(tmpdir, name="home"):
    """Environment for natter: fresh HOME and XDG dirs under tmpdir."""
    home = os.path.join(tmpdir, name)
    env = {}
    for k in ("PATH", "LD_LIBRARY_PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS",
              "LSAN_OPTIONS", "MALLOC_CHECK_", "VALGRIND_OPTS",
              "NATTER_TIMEOUT_SCALE"):
        if k in os.environ:
            env[k] = os.environ[k]
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.update({
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
        "XDG_STATE_HOME": os.path.join(home, ".local", "state"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "TERM": "dumb",
    })
    for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME",
              "XDG_CACHE_HOME"):
        os.makedirs(env[k], exist_ok=True)
    os.chmod(home, 0o700)
    return env


def write_autorun(env, text):
    """Write $XDG_CONFIG_HOME/natter/autorun for the given env."""
    d = os.path.join(env["XDG_CONFIG_HOME"], "natter")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "autorun")
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)
    return path


def natter_binary():
    path = os.environ.get("NATTER") or os.path.join(REPO, "src", "natter")
    if not os.access(path, os.X_OK):
        raise HarnessError("natter binary not found or not executable: %s "
                           "(build it, or set NATTER)" % path)
    return os.path.abspath(path)


def natter_command():
    """The argv that starts natter: the binary, under NATTER_WRAPPER if
    that is set (for valgrind)."""
    wrapper = shlex.split(os.environ.get("NATTER_WRAPPER") or "")
    return wrapper + [natter_binary()]


_peer_built = None


def peer_binary():
    """Path of natter-peer; built into a temp dir if not there yet."""
    global _peer_built
    path = os.environ.get("NATTER_PEER")
    if path:
        if not os.access(path, os.X_OK):
            raise HarnessError("NATTER_PEER is not executable: %s" % path)
        return os.path.abspath(path)
    path = os.path.join(REPO, "tests", "peer", "natter-peer")
    if os.access(path, os.X_OK):
        return path
    if _peer_built and os.access(_peer_built, os.X_OK):
        return _peer_built
    src = os.path.join(REPO, "tests", "peer", "natter-peer.c")
    outdir = tempfile.mkdtemp(prefix="natter-peer-build-")
    atexit.register(shutil.rmtree, outdir, True)
    out = os.path.join(outdir, "natter-peer")
    try:
        flags = subprocess.run(
            ["pkg-config", "--cflags", "--libs", "libstrophe"],
            check=True, capture_output=True, text=True, timeout=30
        ).stdout.split()
        r = subprocess.run(
            ["gcc", "-std=c11", "-O1", "-Wall", "-Wextra", src, "-o", out]
            + flags, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as e:
        raise HarnessError("cannot build natter-peer: %s" % e)
    if r.returncode != 0:
        raise HarnessError("cannot build natter-peer:\n" + r.stderr)
    _peer_built = out
    return out


_ESC_OUT = {0x5c: b"\\\\", 0x0a: b"\\n", 0x09: b"\\t", 0x1b: b"\\e",
            0x07: b"\\a"}
_ESC_IN = {ord("\\"): 0x5c, ord("n"): 0x0a, ord("t"): 0x09, ord("e"): 0x1b,
           ord("a"): 0x07, ord("r"): 0x0d}


def escape(text):
    """Escape text for the peer's msg/presence commands (the peer decodes
    \\\\ \\n \\t \\e \\a \\xHH); also the format of its MSG lines."""
    res = bytearray()
    for b in text.encode("utf-8", "surrogateescape"):
        if b in _ESC_OUT:
            res += _ESC_OUT[b]
        elif b < 0x20 or b == 0x7f:
            res += b"\\x%02x" % b
        else:
            res.append(b)
    return res.decode("utf-8", "surrogateescape")


def unescape(text):
    """Decode the peer's MSG/PRESENCE escaping back to a str."""
    raw = text.encode("utf-8", "surrogateescape")
    res = bytearray()
    i = 0
    while i < len(raw):
        b = raw[i]
        if b == 0x5c and i + 1 < len(raw):
            n = raw[i + 1]
            if n in _ESC_IN:
                res.append(_ESC_IN[n])
                i += 2
                continue
            if n == ord("x") and re.match(rb"[0-9a-fA-F]{2}",
                                          raw[i + 2:i + 4]):
                res.append(int(raw[i + 2:i + 4], 16))
                i += 4
                continue
        res.append(b)
        i += 1
    return res.decode("utf-8", "surrogateescape")


# ---------------------------------------------------------------------------
# line-oriented child process with expect()

class LineProcess:
    """A child whose stdout is read line by line by a thread.

    ``expect(regex)`` returns the first not-yet-matched line that matches
    (re.search); lines that do not match stay available for later expects,
    so the order of independent events does not matter.  Every line is also
    kept in ``self.lines`` for failure reports."""

    label = "process"

    def __init__(self):
        self.proc = None
        self.lines = []          # every stdout line, in order
        self.err_lines = []      # every stderr line
        self._pending = []       # lines not yet matched by expect()
        self._cond = threading.Condition()
        self._eof = False
        self._threads = []
        self.returncode = None

    def _start(self, argv, env=None, stdin=subprocess.PIPE, cwd=None):
        self.argv = list(argv)
        self.proc = subprocess.Popen(
            argv, stdin=stdin, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, cwd=cwd, close_fds=True)
        _register(self)
        for stream, is_err in ((self.proc.stdout, False),
                               (self.proc.stderr, True)):
            th = threading.Thread(target=self._reader, args=(stream, is_err),
                                  daemon=True)
            th.start()
            self._threads.append(th)

    def _reader(self, stream, is_err):
        try:
            for raw in iter(stream.readline, b""):
                line = raw.rstrip(b"\n").decode("utf-8", "surrogateescape")
                if line.endswith("\r"):
                    line = line[:-1]
                if VERBOSE:
                    sys.stderr.write("[%s%s] %s\n" % (
                        self.label, " err" if is_err else "", _visible(line)))
                with self._cond:
                    if is_err:
                        self.err_lines.append(line)
                    else:
                        self.lines.append(line)
                        self._pending.append(line)
                    self._cond.notify_all()
        except (OSError, ValueError):
            pass
        finally:
            if not is_err:
                with self._cond:
                    self._eof = True
                    self._cond.notify_all()

    def send(self, line):
        if self.proc is None or self.proc.stdin is None:
            raise HarnessError("%s has no stdin pipe" % self.label)
        data = line if isinstance(line, bytes) else \
            line.encode("utf-8", "surrogateescape")
        try:
            self.proc.stdin.write(data + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError, OSError) as e:
            raise AssertionError("%s: cannot write %r: %s (exited with %r)"
                                 % (self.label, line, e, self.proc.poll()))

    def close_stdin(self):
        if self.proc is not None and self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def expect(self, regex, timeout=10):
        """Wait for a line matching regex; return it (a str)."""
        timeout = scaled(timeout)
        pat = re.compile(regex)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for i, line in enumerate(self._pending):
                    if pat.search(line):
                        del self._pending[i]
                        return line
                if self._eof:
                    raise AssertionError(
                        "%s: output ended (exit status %r) before a line "
                        "matching %r" % (self.label, self.proc.poll(), regex))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        "%s: no line matching %r within %gs"
                        % (self.label, regex, timeout))
                self._cond.wait(min(left, 0.2))

    def expect_no(self, regex, within=1.0):
        """Assert that no (pending or new) line matches within ``within`` s."""
        pat = re.compile(regex)
        deadline = time.monotonic() + within
        with self._cond:
            while True:
                for line in self._pending:
                    if pat.search(line):
                        raise AssertionError("%s: unexpected line %r"
                                             % (self.label, _visible(line)))
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    return
                self._cond.wait(min(left, 0.1))

    def has_line(self, regex):
        pat = re.compile(regex)
        with self._cond:
            return any(pat.search(line) for line in self.lines)

    def wait(self, timeout=10):
        """Wait for exit; return the exit status (raises on timeout)."""
        timeout = scaled(timeout)
        try:
            self.returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("%s did not exit within %gs"
                                 % (self.label, timeout))
        for th in self._threads:
            th.join(timeout=2)
        return self.returncode

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        """Send sig (e.g. SIGSTOP, SIGCONT) to the running server."""
        if self.alive():
            os.kill(self.proc.pid, sig)

    def restart(self, timeout=20):
        """Kill the server hard (SIGKILL, no goodbye to clients) and start
        it again on the same port with the same data."""
        if self.alive():
            os.kill(self.proc.pid, signal.SIGCONT)
            self.proc.kill()
            self.proc.wait(10)
        if self._console_fh is not None:
            self._console_fh.close()
            self._console_fh = None
        self.start(timeout)

    def stop(self):
        if self.proc is None:
            return
        self.close_stdin()
        self.returncode = stop_popen(self.proc)
        for th in self._threads:
            th.join(timeout=2)
        for s in (self.proc.stdout, self.proc.stderr):
            try:
                s.close()
            except (OSError, AttributeError):
                pass
        _unregister(self)

    def report(self):
        with self._cond:
            out = list(self.lines)
            err = list(self.err_lines)
        parts = ["----- %s: %s (pid %s, exit %r)" % (
            self.label, " ".join(getattr(self, "argv", [])),
            self.proc.pid if self.proc else None,
            self.proc.poll() if self.proc else None)]
        parts.append("  stdout (%d lines, last 80):" % len(out))
        parts += ["  | " + _visible(x) for x in out[-80:]]
        if err:
            parts.append("  stderr (%d lines, last 40):" % len(err))
            parts += ["  ! " + _visible(x) for x in err[-40:]]
        return "\n".join(parts)


# ---------------------------------------------------------------------------
# Prosody

_CERT_LOCK = threading.Lock()


def make_cert(directory):
    """Self-signed certificate for 'localhost' in directory (cached)."""
    key = os.path.join(directory, "localhost.key")
    crt = os.path.join(directory, "localhost.crt")
    with _CERT_LOCK:
        if os.path.exists(key) and os.path.exists(crt):
            return key, crt
        os.makedirs(directory, exist_ok=True)
        r = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec",
             "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", key, "-out", crt, "-days", "7",
             "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost"],
            capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise HarnessError("openssl req failed:\n" + r.stderr)
        os.chmod(key, 0o600)
    return key, crt


def make_ca_cert(directory):
    """A private CA and a certificate for 'localhost' it signed, in
    directory (cached).  Returns (key, cert, ca_cert); a client that trusts
    ca_cert (SSL_CERT_FILE) verifies the server like a real one."""
    ca_key = os.path.join(directory, "ca.key")
    ca = os.path.join(directory, "ca.crt")
    key = os.path.join(directory, "signed.key")
    csr = os.path.join(directory, "signed.csr")
    crt = os.path.join(directory, "signed.crt")
    ext = os.path.join(directory, "signed.ext")
    with _CERT_LOCK:
        if all(os.path.exists(f) for f in (ca, key, crt)):
            return key, crt, ca
        os.makedirs(directory, exist_ok=True)
        with open(ext, "w") as f:
            f.write("subjectAltName=DNS:localhost\n"
                    "basicConstraints=CA:FALSE\n")
        steps = [
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", ca_key,
             "-out", ca, "-days", "7", "-subj", "/CN=natter test CA"],
            ["openssl", "req", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
             "-out", csr, "-subj", "/CN=localhost"],
            ["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey",
             ca_key, "-CAcreateserial", "-out", crt, "-days", "7",
             "-extfile", ext],
        ]
        for argv in steps:
            r = subprocess.run(argv, capture_output=True, text=True,
                               timeout=60)
            if r.returncode != 0:
                raise HarnessError("%s failed:\n%s" % (argv[1], r.stderr))
        os.chmod(key, 0o600)
    return key, crt, ca


def _lua_str(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


class Prosody:
    """A private Prosody on a free loopback port.

    ``tls``: offer STARTTLS with a self-signed certificate for localhost.
    ``require_encryption``: c2s_require_encryption (only with tls)."""

    def __init__(self, tmpdir=None, tls=True, require_encryption=True,
                 cert_dir=None, extra_config="", start=False, modules=(),
                 ca=False, direct_tls=False, muc_modules=(), muc_config=""):
        self.tmpdir = tmpdir or _current_tmpdir()
        self.dir = tempfile.mkdtemp(prefix="prosody-", dir=self.tmpdir)
        self.data = os.path.join(self.dir, "data")
        self.config = os.path.join(self.dir, "prosody.cfg.lua")
        self.log = os.path.join(self.dir, "prosody.log")
        self.console = os.path.join(self.dir, "console.log")
        self.pidfile = os.path.join(self.dir, "prosody.pid")
        self.tls = tls
        self.require_encryption = bool(tls and require_encryption)
        self.host = "127.0.0.1"
        self.domain = DOMAIN
        self.port = free_port()
        self.proc = None
        self._console_fh = None
        self.extra_modules = list(modules)
        self.muc_modules = list(muc_modules)
        self.muc_config = muc_config
        os.makedirs(self.data, exist_ok=True)
        os.makedirs(os.path.join(self.dir, "certs"), exist_ok=True)
        self.ca_cert = None
        self.direct_port = free_port() if direct_tls else None
        if tls and ca:
            self.key, self.cert, self.ca_cert = make_ca_cert(
                cert_dir or self.dir)
        elif tls:
            self.key, self.cert = make_cert(cert_dir or self.dir)
        self._write_config(extra_config)
        if start:
            self.start()

    def _write_config(self, extra):
        modules = ["roster", "saslauth", "disco", "ping", "presence",
                   "message", "iq", "posix", "version", "time", "uptime",
                   "offline"]
        if self.tls:
            modules.append("tls")
        modules += self.extra_modules
        disabled = [m for m in ("s2s", "http", "bosh", "websocket",
                                "admin_telnet", "admin_socket", "carbons",
                                "mam", "smacks")
                    if m not in self.extra_modules]
        lines = [
            "-- generated by tests/functional/harness.py",
            "run_as_root = true",
            "pidfile = %s" % _lua_str(self.pidfile),
            "data_path = %s" % _lua_str(self.data),
            "certificates = %s" % _lua_str(os.path.join(self.dir, "certs")),
            "log = { { levels = { min = \"debug\" }, to = \"file\", "
            "filename = %s } }" % _lua_str(self.log),
            "plugin_paths = { }",
            "modules_enabled = { %s }" % ", ".join(_lua_str(m)
                                                 for m in modules),
            "modules_disabled = { %s }" % ", ".join(_lua_str(m)
                                                  for m in disabled),
            "interfaces = { \"127.0.0.1\" }",
            "local_interfaces = { \"127.0.0.1\" }",
            "c2s_interfaces = { \"127.0.0.1\" }",
            "c2s_ports = { %d }" % self.port,
            "s2s_ports = { }",
            "c2s_direct_tls_ports = { %s }" % (self.direct_port or ""),
            "legacy_ssl_ports = { }",
            "component_ports = { }",
            "http_ports = { }",
            "https_ports = { }",
            "storage = \"internal\"",
            "authentication = \"internal_hashed\"",
            "c2s_require_encryption = %s"
            % ("true" if self.require_encryption else "false"),
            "allow_unencrypted_plain_auth = %s"
            % ("false" if self.tls else "true"),
            "allow_registration = false",
            "c2s_stanza_size_limit = 1024 * 1024",
        ]
        if self.tls:
            lines.append("ssl = { key = %s, certificate = %s }"
                         % (_lua_str(self.key), _lua_str(self.cert)))
        if extra:
            lines.append(extra)
        lines += ['', 'VirtualHost "%s"' % DOMAIN]
        if self.tls:
            lines.append("\tssl = { key = %s, certificate = %s }"
                         % (_lua_str(self.key), _lua_str(self.cert)))
        lines += ['', 'Component "%s" "muc"' % MUC_DOMAIN,
                  '\tmodules_enabled = { %s }' % ", ".join(
                      _lua_str(m) for m in self.muc_modules)]
        if self.muc_config:
            lines += ["\t" + x for x in self.muc_config.splitlines()]
        lines.append('')
        with open(self.config, "w") as f:
            f.write("\n".join(lines))

    # -- accounts
    def prosodyctl(self, *args, timeout=30):
        return subprocess.run(
            ["prosodyctl", "--config", self.config] + list(args),
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=timeout)

    def register(self, user, password=None):
        """Create user@localhost.  Works before or after start()."""
        password = password or PASSWORDS.get(user) or (user + "-secret")
        r = self.prosodyctl("register", user, DOMAIN, password)
        acct = os.path.join(self.data, DOMAIN, "accounts", user + ".dat")
        if r.returncode != 0 or not os.path.exists(acct):
            raise HarnessError(
                "prosodyctl register %s failed (rc %d):\n%s%s"
                % (user, r.returncode, r.stdout, r.stderr))
        return password

    def roster_subscription(self, user, contact):
        """The subscription state ('none', 'to', 'from', 'both') of contact
        in user's roster, read from Prosody's internal storage; None when
        the contact is not in the roster."""
        path = os.path.join(self.data, DOMAIN, "roster", user + ".dat")
        try:
            with open(path) as f:
                text = f.read()
        except OSError:
            return None
        cjid = contact if "@" in contact else self.jid(contact)
        key = "[%s]" % _lua_str(cjid)
        start = text.find(key)
        if start < 0:
            return None
        end = text.find("\n\t[", start + len(key))
        entry = text[start:end if end > 0 else len(text)]
        sub = re.search(r'\["subscription"\]\s*=\s*"(\w+)"', entry)
        return sub.group(1) if sub else "none"

    def jid(self, user):
        return "%s@%s" % (user, DOMAIN)

    # -- lifecycle
    def start(self, timeout=20):
        if self.proc is not None and self.proc.poll() is None:
            return
        self._console_fh = open(self.console, "wb")
        self.proc = subprocess.Popen(
            ["prosody", "--config", self.config, "-F"],
            stdin=subprocess.DEVNULL, stdout=self._console_fh,
            stderr=subprocess.STDOUT, cwd=self.dir, close_fds=True)
        _register(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HarnessError(
                    "prosody exited with %r during start-up:\n%s\n%s"
                    % (self.proc.returncode, tail(self.console),
                       tail(self.log)))
            if port_open(self.port):
                return
            time.sleep(0.05)
        raise HarnessError("prosody did not listen on port %d within %gs"
                           % (self.port, timeout))

    def stop(self):
        if self.proc is not None:
            stop_popen(self.proc, grace=5)
        if self._console_fh is not None:
            self._console_fh.close()
            self._console_fh = None
        _unregister(self)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        """Send sig (e.g. SIGSTOP, SIGCONT) to the running server."""
        if self.alive():
            os.kill(self.proc.pid, sig)

    def restart(self, timeout=20):
        """Kill the server hard (SIGKILL, no goodbye to clients) and start
        it again on the same port with the same data."""
        if self.alive():
            os.kill(self.proc.pid, signal.SIGCONT)
            self.proc.kill()
            self.proc.wait(10)
        if self._console_fh is not None:
            self._console_fh.close()
            self._console_fh = None
        self.start(timeout)

    def connect_args(self, tls="trust"):
        """Arguments for natter's /connect after the JID."""
        return "server %s port %d tls %s" % (self.host, self.port, tls)

    def report(self):
        return ("----- prosody (pid %s, exit %r) log tail %s:\n%s%s"
                % (self.proc.pid if self.proc else None,
                   self.proc.poll() if self.proc else None, self.log,
                   tail(self.log, 60),
                   ("\n----- prosody console:\n" + tail(self.console, 20))
                   if os.path.exists(self.console)
                   and os.path.getsize(self.console) else ""))


# ---------------------------------------------------------------------------
# scripted peer

class Peer(LineProcess):
    """tests/peer/natter-peer logged in as user@localhost."""

    def __init__(self, prosody, user, password=None, tls=None, wait=True,
                 resource=None):
        super().__init__()
        self.prosody = prosody
        self.user = user
        self.jid = prosody.jid(user)
        self.label = "peer " + user
        password = password or PASSWORDS.get(user) or (user + "-secret")
        if tls is None:
            tls = "trust" if prosody.tls else "disable"
        jid = self.jid + ("/" + resource if resource else "")
        self._start([peer_binary(), "--jid", jid, "--password", password,
                     "--host", prosody.host, "--port", str(prosody.port),
                     "--tls", tls])
        if wait:
            line = self.expect(r"^(READY|ERROR)", timeout=15)
            if line.startswith("ERROR"):
                raise HarnessError("%s could not connect: %s"
                                   % (self.label, line))

    def msg(self, jid, text, raw=False):
        """Send a chat message; text is escaped unless raw=True."""
        self.send("msg %s %s" % (jid, text if raw else escape(text)))
        self.expect(r"^SENT$")

    def presence(self, show="online", status=""):
        self.send(("presence %s %s" % (show, escape(status))).rstrip())
        self.expect(r"^SENT$")

    def raw(self, xml):
        """Send raw XML (escaped for the peer's line protocol)."""
        self.send("raw " + escape(xml))
        self.expect(r"^SENT$")

    def join(self, room, nick, password=None, history=0, wait=True):
        """Join a room (XEP-0045) as nick; wait for our own presence."""
        pw = ("<password>%s</password>" % password) if password else ""
        hist = ("<history maxstanzas='%d'/>" % history
                if history is not None else "")
        self.raw("<presence to='%s/%s'><x xmlns='http://jabber.org/protocol/"
                 "muc'>%s%s</x></presence>" % (room, nick, pw, hist))
        if wait:
            self.expect(r"^PRESENCE %s/%s available" % (re.escape(room),
                                                          re.escape(nick)),
                        timeout=10)

    def groupchat(self, room, text):
        """Send a groupchat message to room."""
        self.raw("<message to='%s' type='groupchat' id='%s'><body>%s</body>"
                 "</message>" % (room, uuid.uuid4().hex,
                                 xml_escape(text)))

    def quit(self, timeout=10):
        if self.alive():
            try:
                self.send("quit")
            except AssertionError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        self.stop()

    def stop(self):
        if self.alive():
            # polite first: quit, then signals
            try:
                self.proc.stdin.write(b"quit\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=3)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        super().stop()


def befriend(prosody, a, b, timeout=10):
    """Make a mutual presence subscription between users a and b (both get
    'both' in their roster).  Runs a peer for each, then stops them."""
    pa = Peer(prosody, a)
    pb = Peer(prosody, b)
    try:
        pb.send("befriend " + prosody.jid(a))
        pb.expect(r"^SENT$")
        pa.send("befriend " + prosody.jid(b))
        pa.expect(r"^SENT$")
        # Prosody does not hand the 'subscribed' stanza itself to the
        # client; what shows the subscription took is the contact's
        # available presence.
        pa.expect(r"^PRESENCE %s/\S+ available\b"
                  % re.escape(prosody.jid(b)), timeout)
        pb.expect(r"^PRESENCE %s/\S+ available\b"
                  % re.escape(prosody.jid(a)), timeout)
        deadline = time.monotonic() + timeout
        while (prosody.roster_subscription(a, b) != "both"
               or prosody.roster_subscription(b, a) != "both"):
            if time.monotonic() > deadline:
                raise HarnessError(
                    "befriend %s %s: rosters are %r/%r, not both/both"
                    % (a, b, prosody.roster_subscription(a, b),
                       prosody.roster_subscription(b, a)))
            time.sleep(0.05)
    finally:
        pa.quit()
        pb.quit()


# ---------------------------------------------------------------------------
# natter --headless

TS = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"


def hline(window, rest):
    """Regex for a headless output line in WINDOW whose text after the
    window tag matches the regex ``rest`` (e.g. r"-!- Connected as ")."""
    return r"^%s \[%s\] %s" % (TS, re.escape(window), rest)


def hmsg(window, sender, text=None):
    """Regex for a message line <sender> in window; text matched exactly
    (re.escape) to the end of the line when given."""
    return hline(window, r"<%s> %s" % (
        re.escape(sender), (re.escape(text) + "$") if text is not None
        else ""))


HEADLESS_LINE = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \[([^\]]+)\] (?:! )?"
    r"(?:<([^>]*)>|(-!-)) ?(.*)$")


class Headless(LineProcess):
    """natter --headless with a fresh HOME/XDG dirs.

    stdin: "pipe" (default; use send()/close_stdin()), a path to open, or
    None for /dev/null.  autorun: text written to
    $XDG_CONFIG_HOME/natter/autorun before start."""

    label = "natter --headless"

    def __init__(self, prosody=None, args=(), env_extra=None, stdin="pipe",
                 autorun=None, tmpdir=None, home="home"):
        super().__init__()
        self.prosody = prosody
        tmpdir = tmpdir or (prosody.tmpdir if prosody else _current_tmpdir())
        self.env = base_env(tmpdir, home)
        if env_extra:
            self.env.update(env_extra)
        if autorun is not None:
            write_autorun(self.env, autorun)
        if stdin == "pipe":
            stdin_arg = subprocess.PIPE
        else:
            stdin_arg = open(stdin or os.devnull, "rb")
        try:
            self._start(natter_command() + ["--headless"] + list(args),
                        env=self.env, stdin=stdin_arg, cwd=tmpdir)
        finally:
            if stdin_arg is not subprocess.PIPE:
                stdin_arg.close()

    def connect(self, user="alice", password=None, tls="trust",
                wait=True, prosody=None):
        """Type /connect and the password; optionally wait for success."""
        p = prosody or self.prosody
        password = password or PASSWORDS.get(user) or (user + "-secret")
        self.send("/connect %s %s" % (p.jid(user), p.connect_args(tls)))
        self.send(password)
        if wait:
            line = self.expect(
                hline("console", r"-!- (Connected as %s/|Login failed|"
                      r"Cannot connect)" % re.escape(p.jid(user))),
                timeout=20)
            assert "Connected as" in line, "natter did not connect: " + line
            return line
        return None

    def check_format(self):
        """Assert every stdout line so far has the headless line format."""
        with self._cond:
            lines = list(self.lines)
        bad = [x for x in lines if not HEADLESS_LINE.match(x)]
        assert not bad, "lines not in headless format: %r" % bad[:5]


# ---------------------------------------------------------------------------
# natter's curses UI in a private tmux server

def _terminal_name():
    for name in ("tmux-256color", "screen-256color", "screen"):
        try:
            r = subprocess.run(["infocmp", name], capture_output=True,
                               timeout=10)
            if r.returncode == 0:
                return name
        except (OSError, subprocess.SubprocessError):
            pass
    return "screen"


class Tmux:
    """Run cmd (list or str) in a detached tmux session of W x H cells."""

    _count = 0

    def __init__(self, cmd=None, width=100, height=30, env_extra=None,
                 autorun=None, tmpdir=None, home="home", prosody=None):
        Tmux._count += 1
        self.tmpdir = tmpdir or (prosody.tmpdir if prosody
                                 else _current_tmpdir())
        self.name = "natter-test-%d-%d-%d" % (os.getpid(), Tmux._count,
                                              int(time.time() * 1000) % 100000)
        self.env = base_env(self.tmpdir, home)
        if env_extra:
            self.env.update(env_extra)
        if autorun is not None:
            write_autorun(self.env, autorun)
        self.term = _terminal_name()
        self.env["TERM"] = self.term
        # tmux's own socket lives under the test's tmpdir
        self.sockdir = os.path.join(self.tmpdir, "tmux")
        os.makedirs(self.sockdir, mode=0o700, exist_ok=True)
        self.server_pid = None
        self.pane_pid = None
        self.last_screen = ""
        self.width, self.height = width, height
        if cmd is None:
            cmd = natter_command()
        if isinstance(cmd, str):
            cmd = ["/bin/sh", "-c", cmd]
        self.cmd = list(cmd)
        _register(self)
        tmux_env = dict(self.env)
        tmux_env["TMUX_TMPDIR"] = self.sockdir
        tmux_env.pop("TMUX", None)
        self._tmux_env = tmux_env
        # the pane gets exactly our env, whatever tmux's defaults are
        inner = ["env", "-i"] + ["%s=%s" % kv for kv in sorted(
            self.env.items())] + self.cmd
        self._run("-f", "/dev/null", "start-server", ";",
                  "set-option", "-g", "exit-empty", "on", ";",
                  "set-option", "-g", "status", "off", ";",
                  "set-option", "-g", "remain-on-exit", "on", ";",
                  "set-option", "-g", "default-terminal", self.term, ";",
                  "set-option", "-g", "escape-time", "10", ";",
                  "set-option", "-g", "history-limit", "2000", ";",
                  "set-option", "-g", "allow-rename", "off", ";",
                  "set-option", "-g", "set-titles", "off", ";",
                  "new-session", "-d", "-s", "main", "-x", str(width),
                  "-y", str(height), "--", *inner)
        self.server_pid = int(self._run("display-message", "-p", "-t",
                                        "main", "#{pid}").strip())
        _pids.add(self.server_pid)
        self.pane_pid = int(self._run("display-message", "-p", "-t", "main",
                                      "#{pane_pid}").strip())
        _pids.add(self.pane_pid)

    def _run(self, *args, check=True, timeout=10):
        r = subprocess.run(["tmux", "-L", self.name] + list(args),
                           env=self._tmux_env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise HarnessError("tmux %s failed (rc %d): %s"
                               % (" ".join(args[:3]), r.returncode,
                                  r.stderr.strip()))
        return r.stdout

    def send_keys(self, *keys):
        """tmux key names, e.g. send_keys("Enter"), send_keys("M-2")."""
        self._run("send-keys", "-t", "main", *keys)

    def type(self, text):
        """Type text literally (no key-name lookup)."""
        self._run("send-keys", "-t", "main", "-l", "--", text)

    def line(self, text):
        """Type text and press Enter."""
        self.type(text)
        self.send_keys("Enter")

    def capture(self):
        """Plain text of the visible pane, one str with '\\n' per row."""
        out = self._run("capture-pane", "-p", "-t", "main")
        self.last_screen = out
        return out

    def rows(self):
        rows = self.capture().split("\n")
        if rows and rows[-1] == "" and len(rows) > self.height:
            rows = rows[:-1]
        while len(rows) < self.height:
            rows.append("")
        return rows

    def wait_for(self, regex, timeout=10, flags=re.M):
        """Poll the screen every 50 ms until regex matches; return it."""
        timeout = scaled(timeout)
        pat = re.compile(regex, flags)
        count = max(1, int(timeout / 0.05))
        for _ in range(count):
            screen = self.capture()
            if pat.search(screen):
                return screen
            if self.dead():
                screen = self.capture()
                if pat.search(screen):
                    return screen
                raise AssertionError(
                    "natter exited (status %s) while waiting for %r"
                    % (self.dead_status(), regex))
            time.sleep(0.05)
        raise AssertionError("screen did not match %r within %gs"
                             % (regex, timeout))

    def wait_until(self, predicate, timeout=10, what="condition"):
        timeout = scaled(timeout)
        count = max(1, int(timeout / 0.05))
        for _ in range(count):
            rows = self.rows()
            if predicate(rows):
                return rows
            time.sleep(0.05)
        raise AssertionError("screen: %s not reached within %gs"
                             % (what, timeout))

    def pane_title(self):
        return self._run("display-message", "-p", "-t", "main",
                         "#{pane_title}").rstrip("\n")

    def cursor(self):
        x, y = self._run("display-message", "-p", "-t", "main",
                         "#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def dead(self):
        try:
            return self._run("display-message", "-p", "-t", "main",
                             "#{pane_dead}", check=False).strip() == "1"
        except (OSError, subprocess.SubprocessError):
            return True

    def dead_status(self):
        return self._run("display-message", "-p", "-t", "main",
                         "#{pane_dead_status}", check=False).strip()

    def resize(self, width, height):
        self._run("resize-window", "-t", "main", "-x", str(width),
                  "-y", str(height))
        self.width, self.height = width, height

    def stop(self):
        if self.server_pid or self.pane_pid:
            try:
                self.capture()
            except (OSError, subprocess.SubprocessError, HarnessError):
                pass
        if self.pane_pid:
            kill_pid(self.pane_pid)
            _pids.discard(self.pane_pid)
            self.pane_pid = None
        if self.server_pid:
            kill_pid(self.server_pid)
            _pids.discard(self.server_pid)
            self.server_pid = None
        _unregister(self)

    def report(self):
        screen = self.last_screen.rstrip("\n")
        return ("----- tmux %s (%dx%d, TERM=%s) cmd: %s\n  last screen:\n%s"
                % (self.name, self.width, self.height, self.term,
                   " ".join(self.cmd),
                   "\n".join("  |" + _visible(r)
                             for r in screen.split("\n"))))


# ---------------------------------------------------------------------------
# runner

_current = None


class TestContext:
    """What a test function gets: tmpdir, a started Prosody with accounts
    alice and bob, and factories that register for cleanup."""

    def __init__(self, name, tmpdir, cert_dir):
        self.name = name
        self.tmpdir = tmpdir
        self.cert_dir = cert_dir
        self.prosody = None
        self.reports = []   # objects with .report()

    def start_prosody(self, users=("alice", "bob"), **kw):
        kw.setdefault("cert_dir", self.cert_dir)
        p = Prosody(self.tmpdir, **kw)
        self.reports.append(p)
        for u in users:
            p.register(u)
        p.start()
        return p

    def peer(self, user, **kw):
        p = Peer(self.prosody, user, **kw)
        self.reports.append(p)
        return p

    def headless(self, args=(), **kw):
        kw.setdefault("prosody", self.prosody)
        h = Headless(args=args, **kw)
        self.reports.append(h)
        return h

    def tmux(self, cmd=None, **kw):
        kw.setdefault("tmpdir", self.tmpdir)
        t = Tmux(cmd, **kw)
        self.reports.append(t)
        return t

    def befriend(self, a="alice", b="bob"):
        befriend(self.prosody, a, b)

    def path(self, *parts):
        return os.path.join(self.tmpdir, *parts)


def _alarm(signum, frame):
    raise TestTimeout("test exceeded its time budget")


def _sigterm(signum, frame):
    raise SystemExit(143)


def missing_tools(tools):
    return [t for t in tools if shutil.which(t) is None]


def main(namespace, requires=("prosody", "prosodyctl", "tmux", "openssl"),
         argv=None):
    """Run every test_* in namespace (or those named on the command line).
    Returns 0 if all passed, 1 if any failed, 77 if a tool is missing."""
    global _current
    argv = sys.argv[1:] if argv is None else argv
    script = os.path.basename(namespace.get("__file__", "tests"))
    missing = missing_tools(requires)
    if missing:
        print("SKIP: %s: not installed: %s" % (script, ", ".join(missing)))
        return 77
    tests = [(n, f) for n, f in namespace.items()
             if n.startswith("test_") and callable(f)]
    tests.sort(key=lambda nf: inspect.getsourcelines(nf[1])[1])
    if argv:
        tests = [(n, f) for n, f in tests if any(a in n for a in argv)]
    budget = scaled(float(os.environ.get("NATTER_FT_TIMEOUT", "60")))
    signal.signal(signal.SIGTERM, _sigterm)
    signal.signal(signal.SIGALRM, _alarm)
    session = tempfile.mkdtemp(prefix="natter-ft-")
    cert_dir = os.path.join(session, "cert")
    passed, failed = [], []
    try:
        for name, func in tests:
            tmpdir = os.path.join(session, name)
            os.makedirs(tmpdir)
            ctx = TestContext(name, tmpdir, cert_dir)
            _current = ctx
            ok = False
            err = None
            skipped = None
            t0 = time.monotonic()
            signal.setitimer(signal.ITIMER_REAL, budget)
            try:
                ctx.prosody = ctx.start_prosody()
                if len(inspect.signature(func).parameters) >= 1:
                    func(ctx)
                else:
                    func()
                ok = True
            except SkipTest as e:
                skipped = str(e)
            except (Exception, TestTimeout):  # noqa: BLE001
                err = traceback.format_exc()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                # capture the last screens before things are torn down
                for r in ctx.reports:
                    if isinstance(r, Tmux) and r.server_pid:
                        try:
                            r.capture()
                        except (OSError, subprocess.SubprocessError,
                                HarnessError):
                            pass
                stop_all()
                _current = None
            dt = time.monotonic() - t0
            if skipped is not None:
                print("SKIP: %s (%s)" % (name, skipped))
                shutil.rmtree(tmpdir, ignore_errors=True)
            elif ok:
                passed.append(name)
                print("PASS: %s (%.1fs)" % (name, dt))
                if not os.environ.get("NATTER_FT_KEEP"):
                    shutil.rmtree(tmpdir, ignore_errors=True)
            else:
                failed.append(name)
                print("FAIL: %s (%.1fs)" % (name, dt))
                print(err.rstrip())
                for r in ctx.reports:
                    try:
                        print(r.report())
                    except Exception as e:  # noqa: BLE001
                        print("(report failed: %s)" % e)
                print("----- files kept in %s" % tmpdir)
            sys.stdout.flush()
    finally:
        stop_all()
        if not failed and not os.environ.get("NATTER_FT_KEEP"):
            shutil.rmtree(session, ignore_errors=True)
    print("%s: %d passed, %d failed" % (script, len(passed), len(failed)))
    return 1 if failed or not tests else 0
