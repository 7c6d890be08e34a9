// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MODULE_NAME_COLLISION_H_
#define MODRACE_ANALYZER_MODULE_NAME_COLLISION_H_

// module_name_collision (docs/architecture.md, Rules): the finding of
// several module paths of one name, checked by the rules that claim
// module paths (module_name_rule.cc, modules_order_rule.cc,
// clobbered_record_rule.cc).

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"

namespace modrace {

// Makes or grows the clash of `name` when the index holds two paths or
// more for it; `source` is the artifact that claimed at e. When it grew,
// the rules that want name clashes are told (NotifyNameClash).
void CheckCollision(RuleContext& ctx, const std::string& name, const FsEvent& e,
                    const std::string& source);

// "a.ko, b.ko" for paths {"a", "b"} and suffix ".ko".
std::string JoinPaths(const std::vector<std::string>& paths, std::string_view suffix);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_MODULE_NAME_COLLISION_H_
