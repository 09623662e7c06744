#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Run natter against a throw-away local Prosody (see scripts/demo)."""

import json
import os
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "functional"))
import harness  # noqa: E402

USERS = dict(harness.PASSWORDS)  # alice and bob


def state_dir():
    """Per-user directory holding the running demo server's details."""
    base = os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    d = os.path.join(base, "natter-demo-%d" % os.getuid())
    os.makedirs(d, mode=0o700, exist_ok=True)
    return d


def running_server(state):
    """Port of a demo server another 'scripts/demo' runs, or None."""
    try:
        with open(os.path.join(state, "server.json")) as f:
            info = json.load(f)
        os.kill(info["pid"], 0)
        if harness.port_open(info["port"]):
            return info["port"]
    except (OSError, ValueError, KeyError):
        pass
    return None


def run_natter(state, user, port):
    """Run natter in this terminal, connected as user; returns its status."""
    home = os.path.join(state, user)
    cfg = os.path.join(home, "config")
    os.makedirs(cfg, mode=0o700, exist_ok=True)
    cmdfile = os.path.join(home, "connect")
    fd = os.open(cmdfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("/connect %s@localhost server 127.0.0.1 port %d tls trust\n"
                % (user, port))
        f.write(USERS[user] + "\n")
        other = "bob" if user == "alice" else "alice"
        f.write("/join lounge@%s\n" % harness.MUC_DOMAIN)
        f.write("/msg %s@localhost\n" % other)
    env = dict(os.environ, XDG_CONFIG_HOME=cfg,
               XDG_DATA_HOME=os.path.join(home, "data"))
    return subprocess.call([os.path.join(TOP, "src", "natter"),
                            "-x", cmdfile], env=env)


def main():
    user = sys.argv[1] if len(sys.argv) > 1 else "alice"
    if user not in USERS:
        print("usage: scripts/demo [alice|bob]", file=sys.stderr)
        return 2
    state = state_dir()
    port = running_server(state)
    if port is not None:
        return run_natter(state, user, port)

    workdir = os.path.join(state, "server")
    shutil.rmtree(workdir, ignore_errors=True)  # a fresh server each time
    os.makedirs(workdir, mode=0o700)
    # A group chat service whose rooms open at once and keep an archive.
    prosody = harness.Prosody(workdir, tls=True, cert_dir=workdir,
                              muc_modules=("muc_mam",),
                              muc_config="muc_room_locking = false")
    try:
        for name, pw in USERS.items():
            prosody.register(name, pw)
        prosody.start()
        harness.befriend(prosody, "alice", "bob")
        with open(os.path.join(state, "server.json"), "w") as f:
            json.dump({"pid": prosody.proc.pid, "port": prosody.port}, f)
        print("Demo server on 127.0.0.1:%d; 'scripts/demo bob' in another "
              "terminal talks back." % prosody.port)
        return run_natter(state, user, prosody.port)
    finally:
        harness.stop_all()
        try:
            os.unlink(os.path.join(state, "server.json"))
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(main())
