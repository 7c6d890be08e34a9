// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_DUPLICATE_MODULE_PATH_H_
#define MODRACE_ANALYZER_DUPLICATE_MODULE_PATH_H_

// duplicate_module_path (docs/architecture.md, Rules): one module path
// listed twice (modules_order_rule.cc) or its record written by two jobs
// at once (concurrent_writers_rule.cc).

#include <string>

#include "analyzer/rule.h"

namespace modrace {

// Makes or grows the finding of `module_path` (nothing when empty);
// `what` is the evidence, added once.
void ReportDuplicate(RuleContext& ctx, const std::string& module_path, const FsEvent& e,
                     Confidence confidence, const std::string& what);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_DUPLICATE_MODULE_PATH_H_
