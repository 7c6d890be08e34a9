// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_TORN_FILE_H_
#define MODRACE_ANALYZER_TORN_FILE_H_

// torn_file (docs/architecture.md, Rules): content only interleaved
// writers make, found by the parsers of the rules that read artifacts
// (module_name_rule.cc, modules_order_rule.cc, clobbered_record_rule.cc).

#include "analyzer/mod_record.h"
#include "analyzer/rule.h"

namespace modrace {

// Makes or grows the torn_file finding of e's file (its content read).
void ReportTorn(RuleContext& ctx, const FsEvent& e, const ContentProblems& problems);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_TORN_FILE_H_
