#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The short form of bench/stale_input: one round on the real 6.1 kernel
# directory of scripts/btf-kernel (BTF for modules): an M= build against a
# vmlinux left by an earlier release gives a stale_input warning on it, and
# after `make vmlinux` the same build gives nothing (docs/kbuild.md, Stale
# inputs). Each build is one case: "stale_input: N passed, M failed".
set -uo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "stale_input_test: skipped: the fanotify backend needs root"
  echo "stale_input: 0 passed, 0 failed"
  exit 0
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
ln -s "$PWD/client/modrace" "$bin/modrace"
ln -s "$PWD/daemon/modraced" "$bin/modraced"
BENCH_BIN=$bin BENCH_STALE_ROUNDS=1 BENCH_WORK=${TEST_TMPDIR:-/tmp}/modrace-stale \
  BENCH_STALE_OUT=${TEST_UNDECLARED_OUTPUTS_DIR:-/tmp}/stale_input.md bench/stale_input
