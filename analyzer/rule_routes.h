// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_RULE_ROUTES_H_
#define MODRACE_ANALYZER_RULE_ROUTES_H_

// RuleRoutes: which rules each event goes to, worked out once from the
// rules' Wants (rule.h) so an event costs an index, not a question to
// every rule. Each list keeps the rules' order.

#include <array>
#include <memory>
#include <vector>

#include "analyzer/rule.h"

namespace modrace {

class RuleRoutes {
 public:
  explicit RuleRoutes(const std::vector<std::unique_ptr<Rule>>& rules);

  // OnEvent of an event of `kind`, not names_only, on a file of `artifact`
  // (kOther for events of no file).
  const std::vector<Rule*>& For(EventKind kind, ArtifactKind artifact) const {
    return by_kind_[static_cast<size_t>(kind)][static_cast<size_t>(artifact)];
  }
  // OnEvent of names_only events.
  const std::vector<Rule*>& names_only() const { return names_only_; }
  // OnJob.
  const std::vector<Rule*>& jobs() const { return jobs_; }
  // OnNameClash.
  const std::vector<Rule*>& name_clashes() const { return name_clashes_; }

 private:
  static constexpr size_t kEventKinds = static_cast<size_t>(EventKind::kRescanDone) + 1;
  static constexpr size_t kArtifactKinds = static_cast<size_t>(ArtifactKind::kModulesOrder) + 1;
  std::array<std::array<std::vector<Rule*>, kArtifactKinds>, kEventKinds> by_kind_;
  std::vector<Rule*> names_only_;
  std::vector<Rule*> jobs_;
  std::vector<Rule*> name_clashes_;
};

}  // namespace modrace

#endif  // MODRACE_ANALYZER_RULE_ROUTES_H_
