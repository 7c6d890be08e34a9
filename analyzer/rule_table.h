// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_RULE_TABLE_H_
#define MODRACE_ANALYZER_RULE_TABLE_H_

// The analyzer's rules, one row each (rule_table.cc), in the order the
// analyzer gives each event to them (docs/architecture.md, Rules).

#include <memory>
#include <vector>

#include "analyzer/rule.h"

namespace modrace {

std::vector<std::unique_ptr<Rule>> MakeRules();

}  // namespace modrace

#endif  // MODRACE_ANALYZER_RULE_TABLE_H_
