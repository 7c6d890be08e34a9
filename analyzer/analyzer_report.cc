// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/analyzer_report.h"

#include "analyzer/finding_causes.h"
#include "proto/version.h"

namespace modrace {

Report ReportOf(const Analyzer& analyzer, const ReportHeading& heading) {
  Report r;
  r.schema = kReportSchema;
  r.tree = heading.tree;
  r.backend = heading.backend;
  r.backend_reason = heading.backend_reason;
  r.coverage = analyzer.coverage();
  r.complete = r.coverage.Complete();
  r.statistics = analyzer.statistics();
  r.findings = analyzer.findings();
  AssignCauses(r.findings);
  r.jobs = analyzer.jobs();
  r.timeline = analyzer.timeline(&r.timeline_dropped);
  r.jobs_unavailable = heading.jobs_unavailable;
  return r;
}

}  // namespace modrace
