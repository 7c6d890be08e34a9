// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_PREDICTION_MERGE_H_
#define MODRACE_CLIENT_PREDICTION_MERGE_H_

// Pure: what `modrace run` predicts from the audit of the tree before the
// build, and how the predictions meet the live report after it
// (docs/architecture.md, Predictions). No files, no clock.
//
// A prediction is a module_name_collision the tree's .config builds: two
// predicted module paths of one name ('-' and '_' alike, as the kernel
// loads them), severity error, confidence likely, each path's Kbuild or
// Makefile lines as `sources`. After the build:
//   - a live module_name_collision of that name holding every predicted
//     path confirms it: the live finding (certain) carries
//     `prediction: confirmed` and the report holds the clash once;
//   - otherwise the prediction is added as it was (likely) with
//     `prediction: unconfirmed` and a note of why: the build failed before
//     writing both (it stays an error), or it finished without writing both
//     (a warning: the build's targets did not build them, or the audit read
//     a Makefile differently from make).
// Every finding about a module (its paths, or files beside them such as
// `sub/.x.o.cmd`, or its module name) gains the lines that build it
// (client/finding_sources.h).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "client/finding_sources.h"
#include "proto/report.h"

namespace modrace {

// `modules`: the audit's predicted module files ("sub/x.ko"), `config`: the
// .config's path as the user should read it. Sorted by module name.
std::vector<Finding> PredictClashes(const std::vector<std::string>& modules,
                                    const ModuleSources& sources, const std::string& config);

struct BuildEnd {
  bool succeeded = false;
  std::string description;  // "build failed (exit 2)", as the last line says it
};

// The report after the build: `live` with the predictions merged in and
// sources attached (see the header comment).
Report MergePredictions(Report live, const std::vector<Finding>& predicted,
                        const ModuleSources& sources, const BuildEnd& build);

}  // namespace modrace

#endif  // MODRACE_CLIENT_PREDICTION_MERGE_H_
