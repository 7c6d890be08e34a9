// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_DIAG_FORMAT_H_
#define MODRACE_CLIENT_DIAG_FORMAT_H_

// Compiler-style diagnostics, the lines build-log readers already parse
// (gcc and sparse print them; the kernel test robot and TuxMake count
// `error:`/`warning:` lines; Emacs compilation mode, vim's quickfix,
// warnings-ng and GitHub problem matchers read FILE:LINE):
//
//   Kbuild:7: error: 2 modules are named foo: ...; rename one of them [modrace-module_name_collision]
//   Kbuild:7: note: job 30: CC [M] a/foo.o (make -C /usr/src/linux-headers, pid 812)
//   b/Kbuild:2: note: also built by: obj-m += foo.o
//   Kbuild:7: note: what to do: rename one of the modules ...
//
// One line a finding, at the Kbuild or Makefile line that builds its module
// when known (FindingSourceLines), else at the first file it is about
// (FindingArtifacts) with no line, else at "modrace" (as gcc says "cc1:"
// for no file): `error` or `warning` (an info finding is a `note`), its
// message, `[modrace-KIND]`. Then `note:` lines at the same place: its other
// source lines, its jobs, its evidence (the first few), what to do. Paths
// are relative to the report's tree, as kbuild prints them. An incomplete
// report with no coverage_gap finding ends with one `modrace: warning:`
// line. A clean report prints nothing. Every line is one line whatever the
// bytes (DisplayLine).

#include <ostream>

#include "proto/report.h"

namespace modrace {

void RenderDiag(const Report& report, std::ostream& out);

}  // namespace modrace

#endif  // MODRACE_CLIENT_DIAG_FORMAT_H_
