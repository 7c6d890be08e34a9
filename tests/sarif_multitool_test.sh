#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The SARIF of every example passes the SARIF multitool's GitHub rules
# (`sarif-multitool validate --rule-kind Gh`, npm's @microsoft/sarif-multitool,
# installed by scripts/setup-ci-tools), which catch what GitHub's upload
# refuses (a result without a location: GH1015) beside the schema check of
# //tests:schema_check; and every result names at least one location, a
# path relative to the tree. The documents: `audit` of examples/kbuild-duplicate
# and examples/kbuild-twice, `run` over a copy of examples/rothwell-2019
# (make -j2), `replay` of the recorded rothwell race, and one document with
# its locations removed, which must fail (the validator is really asked).
# One case per document: "sarif_multitool: N passed, M failed".
set -uo pipefail
multitool=${MODRACE_NPM_PREFIX:-/var/cache/modrace/npm}/node_modules/.bin/sarif-multitool
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/sarif.XXXXXX")
trap 'rm -rf "$work"' EXIT
export MODRACED=$PWD/daemon/modraced
modrace=$PWD/client/modrace
passed=0 failed=0
if [ ! -x "$multitool" ]; then
  echo "FAIL: $multitool is missing; install it: scripts/setup-ci-tools (as root)"
  echo "sarif_multitool: 0 passed, 1 failed"
  exit 1
fi

cp -r examples/rothwell-2019 "$work/rothwell"
"$modrace" audit examples/kbuild-duplicate --format sarif >"$work/kbuild-duplicate.sarif"
"$modrace" audit examples/kbuild-twice --format sarif >"$work/kbuild-twice.sarif"
"$modrace" run --tree "$work/rothwell" --format sarif --output "$work/rothwell-run.sarif" \
  -- make -s -C "$work/rothwell" -j2 >/dev/null 2>&1
"$modrace" replay tests/scenarios/rothwell_asix_tmp_versions.jsonl --format sarif \
  >"$work/rothwell-replay.sarif"
/usr/bin/python3 - "$work/rothwell-run.sarif" "$work/no-locations.sarif" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["runs"][0]["results"]:
    r["locations"] = []
json.dump(d, open(sys.argv[2], "w"))
PY

# Prints the validator's errors and the results without a location; exit 1
# when there is any.
problems() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
doc, found = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = [f"{r.get('ruleId')}: {r.get('message', {}).get('text', '')[:160]}"
       for r in found["runs"][0].get("results", []) if r.get("level", "warning") in ("error", "warning")]
results = doc["runs"][0]["results"]
for i, r in enumerate(results):
    uris = [l.get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")
            for l in r.get("locations", [])]
    if not uris or any(u.startswith("/") or not u for u in uris):
        bad.append(f"result {i} ({r.get('ruleId')}): locations {uris}")
print(f"{len(results)} results, {len(bad)} problems")
for b in bad:
    print("  " + b)
sys.exit(1 if bad or not results else 0)
PY
}

for f in kbuild-duplicate kbuild-twice rothwell-run rothwell-replay no-locations; do
  "$multitool" validate --rule-kind Gh --output "$work/$f.found.sarif" "$work/$f.sarif" \
    >"$work/$f.log" 2>&1
  if [ ! -s "$work/$f.found.sarif" ]; then
    out="the validator wrote nothing: $(tail -5 "$work/$f.log")"
    rc=2
  else
    out=$(problems "$work/$f.sarif" "$work/$f.found.sarif")
    rc=$?
  fi
  want=0
  [ "$f" = no-locations ] && want=1
  if [ "$rc" = "$want" ]; then
    echo "PASS $f: $out" | head -3
    passed=$((passed + 1))
  else
    echo "FAIL $f (want $([ $want = 0 ] && echo clean || echo problems)): $out"
    failed=$((failed + 1))
  fi
done
echo "sarif_multitool: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
