// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/analyzer_report.h"

#include <doctest/doctest.h>

#include "proto/version.h"

namespace modrace {

TEST_CASE("a report of an analyzer holds its findings, coverage and statistics under a heading") {
  Analyzer analyzer("/src");
  FsEvent e;
  e.seq = 1;
  e.kind = EventKind::kExisting;
  e.path = "a/foo.mod";
  e.content = "a/foo.o\n";
  analyzer.Consume(e);
  e.seq = 2;
  e.path = "b/foo.mod";
  e.content = "b/foo.o\n";
  analyzer.Consume(e);
  FsEvent gap;
  gap.seq = 3;
  gap.kind = EventKind::kUnreadable;
  gap.path = "c/bar.mod";
  analyzer.Consume(gap);
  const Report r = ReportOf(analyzer, {"/src", "replay", "why", "no processes"});
  CHECK(r.schema == kReportSchema);
  CHECK(r.tree == "/src");
  CHECK(r.backend == "replay");
  CHECK(r.backend_reason == "why");
  CHECK(r.jobs_unavailable == "no processes");
  CHECK(r.findings.size() == analyzer.findings().size());
  CHECK(r.findings.size() == 2);
  CHECK(r.coverage.unreadable_files == 1);
  CHECK_FALSE(r.complete);
  CHECK(r.statistics.modules_seen == analyzer.statistics().modules_seen);
}

}  // namespace modrace
