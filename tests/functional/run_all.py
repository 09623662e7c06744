#!/usr/bin/python3
"""Run every tests/functional/test_*.py (or those named) one after the
other; print each one's output and a total.  Exit 0 if all passed, 77 if
every file skipped, 1 otherwise."""

import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    files = argv or sorted(glob.glob(os.path.join(HERE, "test_*.py")))
    passed = failed = skipped = 0
    bad = []
    for f in files:
        print("=== %s" % os.path.basename(f))
        sys.stdout.flush()
        r = subprocess.run([sys.executable, f], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, errors="replace")
        out = r.stdout
        sys.stdout.write(out)
        m = re.search(r"(\d+) passed, (\d+) failed\s*$", out)
        if r.returncode == 77:
            skipped += 1
        elif m:
            passed += int(m.group(1))
            failed += int(m.group(2))
            if r.returncode != 0 and int(m.group(2)) == 0:
                failed += 1
                bad.append(f)
        else:
            failed += 1
            bad.append(f)
        if r.returncode not in (0, 77) and f not in bad:
            bad.append(f)
    if bad:
        print("failing files: %s" % " ".join(os.path.basename(b)
                                              for b in bad))
    print("functional: %d passed, %d failed" % (passed, failed))
    if skipped == len(files):
        return 77
    return 1 if failed or bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
