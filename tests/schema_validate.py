#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Validates JSON documents (one per stdin line) against a JSON Schema file.

Used by the C++ tests through tests/schema_check.h, so that real output is
checked by a real validator (Debian's python3-jsonschema), not by hand.
Prints nothing and exits 0 when every line is valid; otherwise prints the
first error of each bad line and exits 1.
"""
import json
import sys

import jsonschema


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: schema_validate.py SCHEMA < lines", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema)
    bad = 0
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        doc = json.loads(line)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            bad += 1
            e = errors[0]
            where = "/".join(str(p) for p in e.path) or "(top)"
            print(f"line {number}: {where}: {e.message}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
