// SPDX-License-Identifier: GPL-2.0-only
// The rule table (docs/architecture.md, Rules): one row per rule, in the
// order the analyzer gives an event to them. Each rule's file defines its
// maker. The job rules see a job's event before the others; the writer
// rule sees a close before the artifact rules read its content.

#include "analyzer/rule_table.h"

namespace modrace {

std::unique_ptr<Rule> MakeStaleReadRule();
std::unique_ptr<Rule> MakeWriteHazardRule();
std::unique_ptr<Rule> MakeConcurrentWritersRule();
std::unique_ptr<Rule> MakeCoverageGapRule();
std::unique_ptr<Rule> MakeModuleNameRule();
std::unique_ptr<Rule> MakeModulesOrderRule();
std::unique_ptr<Rule> MakeClobberedRecordRule();

std::vector<std::unique_ptr<Rule>> MakeRules() {
  using RuleMaker = std::unique_ptr<Rule> (*)();
  const RuleMaker kTable[] = {
      MakeStaleReadRule,          // stale_read_rule.cc
      MakeWriteHazardRule,        // write_hazard_rule.cc
      MakeConcurrentWritersRule,  // concurrent_writers_rule.cc
      MakeCoverageGapRule,        // coverage_gap_rule.cc
      MakeModuleNameRule,         // module_name_rule.cc
      MakeModulesOrderRule,       // modules_order_rule.cc
      MakeClobberedRecordRule,    // clobbered_record_rule.cc
  };
  std::vector<std::unique_ptr<Rule>> rules;
  for (RuleMaker make : kTable) rules.push_back(make());
  return rules;
}

}  // namespace modrace
