#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Parses a JUnit XML file with xml.etree (expat: a real, strict XML parser)
and prints what it read as one JSON document, for client/format/format_testing.h:

  {"root": TAG, "root_attrib": {...},
   "suites": [{"attrib": {...}, "properties": {NAME: VALUE},
               "testcases": [{"attrib": {...},
                              "failures": [{"message", "type", "text"}]}]}]}

Exits 1 with {"error": ...} when the file is not well-formed XML.
"""
import json
import sys
import xml.etree.ElementTree as ET


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: junit_parse.py FILE", file=sys.stderr)
        return 2
    try:
        root = ET.parse(sys.argv[1]).getroot()
    except ET.ParseError as e:
        print(json.dumps({"error": str(e)}))
        return 1
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    out = {"root": root.tag, "root_attrib": dict(root.attrib), "suites": []}
    for suite in suites:
        cases = []
        for case in suite.findall("testcase"):
            failures = [
                {"message": f.get("message"), "type": f.get("type"), "text": f.text or ""}
                for f in case.findall("failure")
            ]
            cases.append({"attrib": dict(case.attrib), "failures": failures})
        properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
        out["suites"].append(
            {"attrib": dict(suite.attrib), "properties": properties, "testcases": cases})
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
