// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_RUN_PREDICTION_H_
#define MODRACE_CLIENT_RUN_PREDICTION_H_

// `modrace run`'s look at the tree before the build (docs/architecture.md,
// Predictions): the audit of client/audit.h over the watched tree with the
// .config the build uses, run before the daemon starts (its reads of every
// directory would otherwise flood the daemon's queue). It gives the name
// clashes that config builds (printed on stderr before the build starts)
// and, for every module, the Kbuild/Makefile lines that build it; after the
// build, client/prediction_merge.h joins both with the live report.
//
// The .config: TREE/.config; else, for an external module build whose
// command names the tree as `M=` (`make -C K M=TREE`), K/.config. Without
// one, or on a tree with no top Kbuild or Makefile, nothing is predicted
// and nothing printed; a tree with kbuild files but no .config is still
// read for the lines that build its modules (every config: kbuild's own
// descent, without Kconfig for an external module tree). A make command's
// NAME=VALUE arguments reach the audit as make's command-line variables
// (`RENAME=1`), ARCH= as its arch.

#include <string>
#include <vector>

#include "client/prediction_merge.h"

namespace modrace {

// The .config the build in `tree` reads, or "" (see above).
std::string FindBuildConfig(const std::string& tree, const std::vector<std::string>& command);

struct RunPrediction {
  std::string config;              // "" when none was found
  std::vector<Finding> clashes;    // PredictClashes of the audit
  ModuleSources sources;
  double seconds = 0;              // how long the audit took
  std::string skipped;             // why nothing was read, "" when it was
};

// Audits `tree` for the build `command` (see above).
RunPrediction PredictBeforeBuild(const std::string& tree, const std::vector<std::string>& command);

// What stderr says before the build: "" when nothing was predicted, else
// one line per clash with the lines that build it.
std::string DescribePredictions(const RunPrediction& prediction);

}  // namespace modrace

#endif  // MODRACE_CLIENT_RUN_PREDICTION_H_
