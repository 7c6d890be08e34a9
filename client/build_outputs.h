// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_BUILD_OUTPUTS_H_
#define MODRACE_CLIENT_BUILD_OUTPUTS_H_

// Where a build run under `modrace run` or `repro` writes its outputs, when
// that is outside the watched tree (docs/architecture.md, Client): kbuild's
// O=DIR, or KBUILD_OUTPUT from the environment when no O= is given, puts
// every output of a kernel build under DIR. An external module build
// (M=) keeps its outputs in M= whatever O= says: O= then names the
// kernel's own output directory, which the build only reads.
//
// The watch sees nothing written outside its tree, so such a build gives a
// report with no module in it; the report must say so rather than look
// clean.

#include <string>
#include <vector>

#include "proto/report.h"

namespace modrace {

// The output directory of `command` (make's argv; see client/make_command.h)
// as an absolute path, when it lies outside `tree`; "" when the outputs stay
// in the tree or the command names no output directory. `kbuild_output` is
// the environment's KBUILD_OUTPUT ("" when unset). A relative O= is taken
// from the directory make runs in (-C DIR, else the current one), as the
// kernel's Makefile reads it; a directory that does not exist yet is
// resolved through its nearest existing parent.
std::string OutputsOutsideTree(const std::string& tree, const std::vector<std::string>& command,
                               const std::string& kbuild_output);

// The coverage note for such a directory: what the report misses and what
// to do ("--tree DIR").
std::string OutputsOutsideMessage(const std::string& dir);

// Marks `report` incomplete for outputs written to `dir` and adds the
// coverage_gap (a warning) that says so.
void NoteOutputsOutside(const std::string& dir, Report* report);

}  // namespace modrace

#endif  // MODRACE_CLIENT_BUILD_OUTPUTS_H_
