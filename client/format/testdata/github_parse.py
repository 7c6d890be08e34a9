#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Parses GitHub Actions workflow commands the way the runner does
(actions/runner ActionCommand.TryParseV2) and prints one JSON document,
for client/format/format_testing.h:

  {"lines": [{"command": C, "properties": {K: V}, "data": D} | {"plain": LINE}]}

A line is a command when it starts with "::"; the command info runs to the
next "::", its first space separates the name from comma-separated
key=value properties; property values and data are unescaped (%0D %0A %3A
%2C, then %25). Exits 1 with {"error": ...} on bytes that are not UTF-8, a
CR (the runner would split the line there) or a command with no closing
"::".
"""
import json
import sys


def unescape(s: str, prop: bool) -> str:
    s = s.replace("%0D", "\r").replace("%0A", "\n")
    if prop:
        s = s.replace("%3A", ":").replace("%2C", ",")
    return s.replace("%25", "%")


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: github_parse.py FILE", file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(json.dumps({"error": f"not UTF-8: {e}"}))
        return 1
    if "\r" in text:
        print(json.dumps({"error": "a bare CR in the output"}))
        return 1
    lines = []
    for number, line in enumerate(text.split("\n"), 1):
        if line == "" and number == len(text.split("\n")):
            break
        if not line.startswith("::"):
            lines.append({"plain": line})
            continue
        end = line.find("::", 2)
        if end < 0:
            print(json.dumps({"error": f"line {number}: command with no closing '::'"}))
            return 1
        info = line[2:end]
        name, _, props = info.partition(" ")
        properties = {}
        for item in props.split(","):
            if not item:
                continue
            key, eq, value = item.partition("=")
            if not eq:
                print(json.dumps({"error": f"line {number}: property without '=': {item}"}))
                return 1
            properties[key] = unescape(value, True)
        lines.append(
            {"command": name, "properties": properties, "data": unescape(line[end + 2:], False)})
    print(json.dumps({"lines": lines}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
