#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The short form of bench/quiet: every DKMS source of its corpus built once
# against every linux-headers-*-amd64 under `modrace run --backend
# fanotify`, zero findings expected (docs/kbuild.md, Patterns that are not
# races). Each row of its table is one case: "quiet: N passed, M failed".
set -uo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "quiet_dkms_test: skipped: the fanotify backend needs root"
  echo "quiet: 0 passed, 0 failed"
  exit 0
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
ln -s "$PWD/client/modrace" "$bin/modrace"
ln -s "$PWD/daemon/modraced" "$bin/modraced"
BENCH_BIN=$bin BENCH_QUIET_RUNS=1 BENCH_WORK=${TEST_TMPDIR:-/tmp}/modrace-quiet \
  BENCH_QUIET_OUT=${TEST_UNDECLARED_OUTPUTS_DIR:-/tmp}/quiet.md bench/quiet
