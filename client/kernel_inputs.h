// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_KERNEL_INPUTS_H_
#define MODRACE_CLIENT_KERNEL_INPUTS_H_

// The kernel directory an external module build reads, and its inputs that
// no module build rebuilds (docs/kbuild.md, Stale inputs; the rules are
// kbuild/stale_input.h). `modrace run` reads them when the build starts
// and again when it ends: the directory lies outside the watched tree, so
// no event of the build says when a job read them.

#include <string>
#include <vector>

#include "kbuild/stale_input.h"
#include "proto/report.h"

namespace modrace {

// The kernel directory of an external module build of `tree`: make's -C DIR
// (relative to the current directory) when the command also names M=,
// else a KDIR=, KERNELDIR=, KERNEL_DIR=, KSRC= or KERNEL_SRC= argument (the
// variables module Makefiles pass to their own `make -C`); with kbuild's
// O= the output directory. Symlinks resolved (/lib/modules/R/build). ""
// when none, when it is the tree itself or inside it, or when it is no
// kernel build directory (neither include/config/auto.conf nor vmlinux).
std::string KernelDirOf(const std::string& tree, const std::vector<std::string>& command);

// The facts of kbuild/stale_input.h, read from `dir`: modification times,
// UTS_RELEASE, auto.conf's CONFIG_DEBUG_INFO_BTF_MODULES; with BTF for
// modules the banner in vmlinux (read until found) and the include/config
// symbol files newer than vmlinux; the symvers contents only when the
// rules compare them.
KernelDirFacts ReadKernelDirFacts(const std::string& dir);

// The stale inputs of `dir` now; `when` as StaleInputFindings takes it.
std::vector<Finding> CheckKernelInputs(const std::string& dir, std::string_view when);

// Adds the findings of both checks to `report`, one per file: the start's
// (the build read that file), and the end's for a file the start found
// fresh. New ids after the report's own.
void AddStaleInputs(const std::vector<Finding>& at_start, const std::vector<Finding>& at_end,
                    Report* report);

}  // namespace modrace

#endif  // MODRACE_CLIENT_KERNEL_INPUTS_H_
