#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Every source file of the repository says its license on its first line
(the second after `#!`): `SPDX-License-Identifier: GPL-2.0-only`, as the
kernel's files do; COPYING holds the license's text. What counts as source
is in tests/spdx_rules.py. The files are the checkout's own (`git
ls-files` where the runfiles lead, so a new file is seen the day it is
added). Ends with "spdx: N passed, M failed": one case for the checkout's
files, one for COPYING, one that the rules flag a file without the line.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
from spdx_rules import has_spdx, needs_spdx  # noqa: E402


def checkout_root():
    # The runfile README.md is a link to the checkout's own.
    return os.path.dirname(os.path.realpath("README.md"))


def tracked_files(root):
    if os.path.isdir(os.path.join(root, ".git")):
        out = subprocess.check_output(["git", "-C", root, "ls-files", "-z"])
        return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = [x for x in dirs if not x.startswith(("bazel-", ".git"))]
        files += [os.path.relpath(os.path.join(d, n), root) for n in names]
    return files


def missing_in(root, files):
    missing = []
    for rel in files:
        path = os.path.join(root, rel)
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            lines = f.read().split("\n", 2)[:2]
        if needs_spdx(rel, lines[0]) and not has_spdx(lines):
            missing.append(rel)
    return missing


def main():
    root = checkout_root()
    passed = failed = 0

    def case(name, ok, detail=""):
        nonlocal passed, failed
        print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail and not ok else ''}")
        passed += ok
        failed += not ok

    files = tracked_files(root)
    missing = missing_in(root, files)
    sources = [f for f in files if needs_spdx(f)]
    case(f"every source file has its SPDX line ({len(sources)}+ of {len(files)} files)",
         len(sources) > 100 and not missing,
         "without it: " + ", ".join(missing[:20]) + (" ..." if len(missing) > 20 else ""))

    with open(os.path.join(root, "COPYING")) as f:
        text = f.read()
    case("COPYING is the GPL, version 2",
         "GNU GENERAL PUBLIC LICENSE" in text and "Version 2, June 1991" in text)

    with tempfile.TemporaryDirectory() as d:
        samples = {
            "a.cc": "#include <x>\n",
            "run": "#!/bin/sh\necho\n",
            "ok.cc": "// SPDX-License-Identifier: GPL-2.0-only\n",
            "ok": "#!/bin/sh\n# SPDX-License-Identifier: GPL-2.0-only\n",
            "data.json": "{}\n",
        }
        for name, body in samples.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(body)
        got = sorted(missing_in(d, list(samples)))
        case("the rules flag a source file without the line, not data", got == ["a.cc", "run"],
             f"flagged {got}")

    print(f"spdx: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
