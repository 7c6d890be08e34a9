// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_ANALYZER_REPORT_H_
#define MODRACE_ANALYZER_ANALYZER_REPORT_H_

// The one way a Report is made from an Analyzer: the daemon's report store,
// `modrace replay` and `modrace audit` all take it, then add what only they
// know (the daemon its watched directories, an audit its walk and source
// model).

#include <string>

#include "analyzer/analyzer.h"
#include "proto/report.h"

namespace modrace {

// What the analyzer cannot know of its report.
struct ReportHeading {
  std::string tree;              // Report::tree
  std::string backend;           // "inotify", "fanotify", "replay", "audit"
  std::string backend_reason;    // may be empty
  std::string jobs_unavailable;  // why the report has no jobs, "" when it may have some
};

// schema, the heading, coverage and `complete` (the coverage's), the
// analyzer's statistics, findings (each with its cause assigned,
// analyzer/finding_causes.h), jobs and timeline.
Report ReportOf(const Analyzer& analyzer, const ReportHeading& heading);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_ANALYZER_REPORT_H_
