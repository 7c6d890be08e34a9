// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_FORMAT_CAUSE_GROUPS_H_
#define MODRACE_CLIENT_FORMAT_CAUSE_GROUPS_H_

// A report's findings grouped by their `cause` (docs/architecture.md,
// Causes; assigned by analyzer/finding_causes.h): text, GitHub, SARIF and
// diag show each cause's headline once, with the other findings of its
// cause as its evidence. JSON and JUnit keep one entry per finding.

#include <string>
#include <vector>

#include "proto/finding.h"
#include "proto/report.h"

namespace modrace {

struct CauseGroup {
  const Finding* headline = nullptr;
  std::vector<const Finding*> others;  // in the report's order
};

// One group per cause, in the report's order of the headlines. A finding
// whose cause is 0 (not assigned) is a cause of its own; a group whose
// headline is not in the report is headed by its first finding.
std::vector<CauseGroup> GroupByCause(const std::vector<Finding>& findings);

// How many of a cause's other findings a format lists, one line each;
// the JSON report has them all.
inline constexpr size_t kSameCauseShown = 8;

// One line about another finding of a cause, as bytes:
// "write_hazard sub/.x.o.cmd: sub/.x.o.cmd is built twice: ...".
std::string SameCauseLine(const Finding& f);

// "8 findings of 1 cause", or "3 findings" when each is a cause of its own.
std::string FindingsOfCauses(const std::vector<Finding>& findings);

}  // namespace modrace

#endif  // MODRACE_CLIENT_FORMAT_CAUSE_GROUPS_H_
