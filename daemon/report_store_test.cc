// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/report_store.h"

#include <doctest/doctest.h>

#include "proto/bytes_json.h"
#include "proto/version.h"
#include "tests/schema_check.h"

namespace modrace {

namespace {

FsEvent Ev(uint64_t seq, EventKind kind, std::string path, std::string content = "") {
  FsEvent e;
  e.seq = seq;
  e.time_ns = static_cast<int64_t>(seq) * 1000;
  e.kind = kind;
  e.path = std::move(path);
  if (!content.empty()) e.content = std::move(content);
  return e;
}

}  // namespace

TEST_CASE("a clash shows up as a finding newer than the old cursor") {
  ReportStore store("/src/linux", "inotify");
  CHECK(store.revision() == 0);
  CHECK_FALSE(store.Consume(Ev(1, EventKind::kCloseWrite, "drivers/net/phy/asix.mod",
                               "drivers/net/phy/asix.o\n")));
  const uint64_t cursor = store.revision();
  CHECK(store.Consume(Ev(2, EventKind::kCloseWrite, "drivers/net/usb/asix.mod",
                         "drivers/net/usb/asix.o\n")));
  CHECK(store.revision() > cursor);
  std::vector<Finding> fresh = store.FindingsSince(cursor);
  REQUIRE(fresh.size() == 1);
  CHECK(fresh[0].kind == FindingKind::kModuleNameCollision);
  CHECK(store.FindingsSince(store.revision()).empty());
  CHECK(store.events() == 2);
}

TEST_CASE("the report carries schema, tree, backend, coverage and statistics") {
  ReportStore store("/src/linux", "inotify");
  store.set_watched_dirs(42);
  store.Consume(Ev(1, EventKind::kExisting, "a/x.ko"));
  Report r = store.MakeReport();
  CHECK(r.schema == kReportSchema);
  CHECK(r.tree == "/src/linux");
  CHECK(r.backend == "inotify");
  CHECK(r.complete);
  CHECK(r.statistics.watched_dirs == 42);
  CHECK(r.statistics.events == 1);
  CHECK(SchemaCheck("proto/report.schema.json", DumpLine(nlohmann::json(r)) + "\n") == "");

  FsEvent overflow = Ev(2, EventKind::kOverflow, "");
  overflow.detail = "inotify queue overflowed";
  CHECK(store.Consume(overflow));
  r = store.MakeReport();
  CHECK_FALSE(r.complete);
  CHECK(r.coverage.overflows == 1);
  CHECK(SchemaCheck("proto/report.schema.json", DumpLine(nlohmann::json(r)) + "\n") == "");
}

TEST_CASE("reset forgets findings but cursors keep increasing") {
  ReportStore store("/t", "inotify");
  FsEvent u = Ev(1, EventKind::kUnwatched, "deep/dir");
  u.detail = "not watched";
  store.Consume(u);
  const uint64_t before = store.revision();
  CHECK(before > 0);
  CHECK(store.finding_count() == 1);
  store.Reset();
  CHECK(store.finding_count() == 0);
  CHECK(store.MakeReport().complete);
  store.Consume(u);
  CHECK(store.revision() > before);
}

}  // namespace modrace
