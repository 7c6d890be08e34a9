// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/rule_routes.h"

namespace modrace {

RuleRoutes::RuleRoutes(const std::vector<std::unique_ptr<Rule>>& rules) {
  for (const auto& rule : rules) {
    const Wants w = rule->wants();
    for (size_t k = 0; k < kEventKinds; ++k) {
      for (size_t a = 0; a < kArtifactKinds; ++a) {
        const bool by_kind = (w.events & Bit(static_cast<EventKind>(k))) != 0;
        const bool by_artifact = a != static_cast<size_t>(ArtifactKind::kOther) &&
                                 (w.artifacts & Bit(static_cast<ArtifactKind>(a))) != 0;
        if (by_kind || by_artifact) by_kind_[k][a].push_back(rule.get());
      }
    }
    if (w.names_only) names_only_.push_back(rule.get());
    if (w.jobs) jobs_.push_back(rule.get());
    if (w.name_clashes) name_clashes_.push_back(rule.get());
  }
}

}  // namespace modrace
