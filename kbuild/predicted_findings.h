// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_PREDICTED_FINDINGS_H_
#define MODRACE_ANALYZER_PREDICTED_FINDINGS_H_

// The findings `modrace audit` predicts without a build
// (docs/architecture.md, Client). Built artifacts go through the Analyzer
// itself, as kExisting events; what only a source tree or an installed
// module directory shows is judged here. Pure.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "kbuild/source_tree.h"
#include "proto/finding.h"

namespace modrace {

// From a source-tree prediction: module_name_collision ("likely"; with a
// config an error, latent a warning unless every config reaching both
// builds them), duplicate_module_path for a path reached from two
// Makefiles, and one coverage_gap (info) for directories without a kbuild
// file and constructs not evaluated. `built_paths`: module paths the built
// artifacts show (a clash all of whose paths are built is theirs, certain,
// and not repeated); `built_duplicates`: module paths a built
// modules.order lists twice.
void AddPredictedFindings(const SourcePrediction& prediction, bool latent,
                          const std::set<std::string>& built_paths,
                          const std::set<std::string>& built_duplicates,
                          std::vector<Finding>* out);

// --against: a tree module whose name ('-' and '_' alike, as modprobe
// treats them) matches an installed module is a warning. `installed`:
// canonical name -> installed file.
void AddShadowFindings(const std::vector<std::string>& tree_modules,
                       const std::multimap<std::string, std::string>& installed,
                       std::vector<Finding>* out);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_PREDICTED_FINDINGS_H_
