#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# scripts/setup keeps what building needs apart from what tests and
# benchmarks need. The machine's package database is stood in for by a
# dpkg-query that reads a list, and apt-get by one that logs its arguments
# (the test must not install anything): what is tested is which packages
# setup asks for, as root and as user nobody (setpriv).
set -euo pipefail

setup_src=$(realpath scripts/setup)
work=$(mktemp -d /tmp/modrace-setup-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"
cp "$setup_src" "$work/setup"
mkdir "$work/bin"
cat >"$work/bin/dpkg-query" <<STUB
#!/bin/sh
for last; do :; done
grep -qx "\$last" "$work/installed" && printf 'install ok installed'
exit 0
STUB
cat >"$work/bin/apt-get" <<STUB
#!/bin/sh
echo "\$*" >>"$work/apt.log"
STUB
chmod 0755 "$work/bin/dpkg-query" "$work/bin/apt-get"
: >"$work/apt.log"
chmod 0666 "$work/apt.log"

build="bazel-bootstrap g++ libuv1-dev nlohmann-json3-dev doctest-dev libcli11-dev"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
# run_setup AS ARGS...: setup's exit code; its stderr in $work/err.
run_setup() {
  local as=$1
  shift
  local rc=0
  if [ "$as" = nobody ]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups env PATH="$work/bin:$PATH" \
      "$work/setup" "$@" 2>"$work/err" || rc=$?
  else
    env PATH="$work/bin:$PATH" "$work/setup" "$@" 2>"$work/err" || rc=$?
  fi
  return $rc
}

# Only the build packages there.
printf '%s\n' $build >"$work/installed"
rc=0; run_setup nobody build || rc=$?
[ $rc -eq 0 ] || fail "setup build as nobody with the build packages: exit $rc, $(cat "$work/err")"
rc=0; run_setup root build || rc=$?
[ $rc -eq 0 ] || fail "setup build as root with the build packages: exit $rc"
[ ! -s "$work/apt.log" ] || fail "setup build ran apt-get with nothing missing: $(cat "$work/apt.log")"
rc=0; run_setup nobody || rc=$?
[ $rc -eq 3 ] || fail "setup (all) as nobody without clang: exit $rc, want 3"
grep -q 'apt-get install -y .*clang' "$work/err" || fail "setup (all) does not name clang: $(cat "$work/err")"
grep -q 'libuv1-dev' "$work/err" && fail "setup (all) names an installed package: $(cat "$work/err")"

# A build package missing: nobody gets the exact line, root installs it.
grep -vx libuv1-dev "$work/installed" >"$work/installed.new"
mv "$work/installed.new" "$work/installed"
rc=0; run_setup nobody build || rc=$?
[ $rc -eq 3 ] || fail "setup build as nobody without libuv1-dev: exit $rc, want 3"
grep -qx 'run as root:  apt-get update && apt-get install -y libuv1-dev' "$work/err" ||
  fail "setup build as nobody: not the exact apt-get line: $(cat "$work/err")"
rc=0; run_setup root build || rc=$?
[ $rc -eq 0 ] || fail "setup build as root without libuv1-dev: exit $rc"
grep -qx 'install -y -q libuv1-dev' "$work/apt.log" ||
  fail "setup build as root did not install just libuv1-dev: $(cat "$work/apt.log")"

rc=0; run_setup root bogus || rc=$?
[ $rc -eq 2 ] || fail "setup bogus: exit $rc, want 2"

# scripts/install asks for the build packages only.
grep -qx 'scripts/setup build' scripts/install || fail "scripts/install does not run 'scripts/setup build'"

# One test case for scripts/test's count, whatever the number of checks.
if [ $failures -ne 0 ]; then
  echo "$failures checks failed" >&2
  echo "setup_test: 0 passed, 1 failed"
  exit 1
fi
echo "setup_test: 1 passed, 0 failed"
