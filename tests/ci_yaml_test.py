#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The CI examples are the YAML their CI reads: every file in examples/ci/
and every ```yaml block of README.md and examples/ci/README.md parses
(Debian's python3-yaml), and every command line of a job (GitLab's
`script`, `before_script`, `after_script`; GitHub's `run`) is a string. An
unquoted `- curl -H "JOB-TOKEN: $T"` is a mapping, which GitLab refuses
("script contains non string value"). Ends with "ci_yaml: N passed, M
failed", one case per document.
"""
import glob
import os
import re
import sys

import yaml

SCRIPT_KEYS = ("script", "before_script", "after_script")


def problems_of(doc, where):
    out = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in SCRIPT_KEYS and isinstance(value, list):
                    for i, line in enumerate(value):
                        if not isinstance(line, str):
                            out.append(f"{where}: {path}{key}[{i}] is not a string: {line!r}")
                elif key == "run" and not isinstance(value, str):
                    out.append(f"{where}: {path}run is not a string: {value!r}")
                walk(value, f"{path}{key}.")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}{i}.")

    walk(doc, "")
    return out


def documents(root):
    for path in sorted(glob.glob(os.path.join(root, "examples/ci/*.yml"))):
        with open(path) as f:
            yield os.path.relpath(path, root), f.read()
    for md in ("README.md", "examples/ci/README.md"):
        with open(os.path.join(root, md)) as f:
            text = f.read()
        for n, m in enumerate(re.finditer(r"^```yaml\n(.*?)^```", text, re.M | re.S)):
            line = text.count("\n", 0, m.start()) + 1
            yield f"{md}:{line} (yaml block {n + 1})", m.group(1)


def main():
    root = os.environ.get("TEST_SRCDIR_ROOT", os.getcwd())
    passed = failed = 0
    for where, text in documents(root):
        try:
            doc = yaml.safe_load(text)
            found = problems_of(doc, where)
        except yaml.YAMLError as e:
            found = [f"{where}: does not parse: {e}"]
        for p in found:
            print(p)
        if found:
            failed += 1
        else:
            passed += 1
    print(f"ci_yaml: {passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
