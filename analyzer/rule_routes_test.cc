// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/rule_routes.h"

#include <doctest/doctest.h>

#include <memory>
#include <vector>

#include "analyzer/rule_table.h"

namespace modrace {
namespace {

// A rule that wants what it is given and does nothing: the routes are
// under test, not the rule.
class WantsOnly : public Rule {
 public:
  explicit WantsOnly(Wants w) : wants_(w) {}
  Wants wants() const override { return wants_; }
  void Reset() override {}

 private:
  Wants wants_;
};

std::vector<std::unique_ptr<Rule>> Rules(const std::vector<Wants>& wants) {
  std::vector<std::unique_ptr<Rule>> rules;
  for (const Wants& w : wants) rules.push_back(std::make_unique<WantsOnly>(w));
  return rules;
}

TEST_CASE("an event goes to the rules that want its kind or its artifact, in table order") {
  Wants handles;
  handles.events = Bit(EventKind::kOpen) | Bit(EventKind::kCloseWrite);
  Wants objects;
  objects.artifacts = Bit(ArtifactKind::kKernelObject);
  Wants removals;
  removals.events = Bit(EventKind::kDelete);
  const auto rules = Rules({objects, handles, removals});
  const RuleRoutes routes(rules);

  const std::vector<Rule*> both = {rules[0].get(), rules[1].get()};
  CHECK(routes.For(EventKind::kCloseWrite, ArtifactKind::kKernelObject) == both);
  CHECK(routes.For(EventKind::kCloseWrite, ArtifactKind::kOther) ==
        std::vector<Rule*>{rules[1].get()});
  // An artifact rule sees every kind of event on its files, removals too.
  const std::vector<Rule*> removed_ko = {rules[0].get(), rules[2].get()};
  CHECK(routes.For(EventKind::kDelete, ArtifactKind::kKernelObject) == removed_ko);
  CHECK(routes.For(EventKind::kCreate, ArtifactKind::kKernelObject) ==
        std::vector<Rule*>{rules[0].get()});
  CHECK(routes.For(EventKind::kCreate, ArtifactKind::kModulesOrder).empty());
  CHECK(routes.For(EventKind::kOverflow, ArtifactKind::kOther).empty());
}

TEST_CASE("names_only events, jobs and name clashes go only to the rules that ask") {
  Wants namer;
  namer.names_only = true;
  Wants job_rule;
  job_rule.jobs = true;
  Wants clash_rule;
  clash_rule.name_clashes = true;
  const auto rules = Rules({namer, job_rule, clash_rule});
  const RuleRoutes routes(rules);
  CHECK(routes.names_only() == std::vector<Rule*>{rules[0].get()});
  CHECK(routes.jobs() == std::vector<Rule*>{rules[1].get()});
  CHECK(routes.name_clashes() == std::vector<Rule*>{rules[2].get()});
  CHECK(routes.For(EventKind::kOpen, ArtifactKind::kOther).empty());
}

TEST_CASE("every rule of the table wants something") {
  for (const auto& rule : MakeRules()) {
    const Wants w = rule->wants();
    CHECK((w.events != 0 || w.artifacts != 0 || w.names_only || w.jobs || w.name_clashes));
  }
}

}  // namespace
}  // namespace modrace
