// SPDX-License-Identifier: GPL-2.0-only
// AssignCauses: findings that share a cause, and the headline of each.

#include "analyzer/finding_causes.h"

#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace modrace {

namespace {

Finding Make(uint64_t id, FindingKind kind, Severity severity, std::vector<std::string> paths,
             std::vector<uint64_t> jobs = {}) {
  Finding f;
  f.id = id;
  f.revision = 1;
  f.kind = kind;
  f.severity = severity;
  f.paths = std::move(paths);
  for (uint64_t j : jobs) {
    JobRef r;
    r.id = j;
    f.jobs.push_back(r);
  }
  f.first_seq = id * 10;
  f.last_seq = id * 10;
  return f;
}

const Finding& ById(const std::vector<Finding>& findings, uint64_t id) {
  for (const Finding& f : findings) {
    if (f.id == id) return f;
  }
  FAIL("no finding " << id);
  return findings.front();
}

size_t CauseCount(const std::vector<Finding>& findings) {
  std::vector<uint64_t> causes;
  for (const Finding& f : findings) causes.push_back(f.cause);
  std::sort(causes.begin(), causes.end());
  return static_cast<size_t>(std::unique(causes.begin(), causes.end()) - causes.begin());
}

// What `obj-m += sub/ sub/x.o` gives under fanotify (examples/kbuild-twice):
// a write_hazard per file the two makes both write, concurrent_writers where
// two writes overlapped, and the path listed twice in modules.order. The
// hidden files' hazards come first, as the compile writes `.x.o.d` early.
std::vector<Finding> KbuildTwice() {
  const FindingKind h = FindingKind::kWriteHazard;
  const Severity e = Severity::kError;
  std::vector<Finding> f = {
      Make(1, h, e, {"sub/.x.o.d"}, {3, 4}),
      Make(2, h, e, {"sub/x.o"}, {4, 3}),
      Make(3, h, e, {"sub/.x.o.cmd"}, {3, 4}),
      Make(4, h, e, {"sub/x.mod"}, {5, 6}),
      Make(5, h, e, {"sub/.x.mod.cmd"}, {5, 6}),
      Make(6, FindingKind::kConcurrentWriters, e, {"sub/x.o"}),
      Make(7, FindingKind::kConcurrentWriters, e, {"sub/x.mod"}),
      Make(8, FindingKind::kDuplicateModulePath, Severity::kWarning, {"sub/x"}),
  };
  f[7].module = "x";
  return f;
}

}  // namespace

TEST_CASE("TargetStem: the files of one kbuild target share a stem") {
  for (const char* p : {"sub/x.o", "sub/.x.o.cmd", "sub/.x.o.d", "sub/x.mod", "sub/.x.mod.cmd",
                        "sub/x.mod.c", "sub/x.mod.o", "sub/.x.mod.o.cmd", "sub/x.ko",
                        "sub/.x.ko.cmd", "sub/x.usyms", "sub/x", "sub/x.o.tmp"}) {
    CAPTURE(p);
    CHECK(TargetStem(p) == "sub/x");
  }
  CHECK(TargetStem("modules.order") == "modules.order");
  CHECK(TargetStem("sub/modules.order") == "sub/modules.order");
  CHECK(TargetStem("Module.symvers") == "Module.symvers");
  CHECK(TargetStem("x.c") == "x.c");  // a source is no output of the target
  CHECK(TargetStem("a/y.o") != TargetStem("b/y.o"));
  CHECK(TargetStem("sub/foo.tab.o") == "sub/foo.tab");
}

TEST_CASE("kbuild-twice: eight findings, one cause, headed by the .o's write_hazard") {
  std::vector<Finding> f = KbuildTwice();
  AssignCauses(f);
  CHECK(CauseCount(f) == 1);
  // The highest severity first (the duplicate is a warning), then
  // write_hazard before concurrent_writers, then x.o before its hidden files.
  for (const Finding& x : f) CHECK(x.cause == 2);
}

TEST_CASE("the same order whatever the order of the findings") {
  std::vector<Finding> f = KbuildTwice();
  std::reverse(f.begin(), f.end());
  AssignCauses(f);
  for (const Finding& x : f) CHECK(x.cause == 2);
  std::rotate(f.begin(), f.begin() + 3, f.end());
  AssignCauses(f);
  for (const Finding& x : f) CHECK(x.cause == 2);
}

TEST_CASE("at one severity, the duplicate module path heads the cause") {
  std::vector<Finding> f = KbuildTwice();
  for (Finding& x : f) x.severity = Severity::kWarning;
  AssignCauses(f);
  for (const Finding& x : f) CHECK(x.cause == 8);
}

TEST_CASE("under inotify: no jobs, the paths alone join the findings") {
  std::vector<Finding> f = {
      Make(1, FindingKind::kConcurrentWriters, Severity::kError, {"sub/.x.o.cmd"}),
      Make(2, FindingKind::kConcurrentWriters, Severity::kError, {"sub/x.mod"}),
      Make(3, FindingKind::kDuplicateModulePath, Severity::kWarning, {"sub/x"}),
  };
  AssignCauses(f);
  CHECK(CauseCount(f) == 1);
  // The concurrent_writers on a .ko/.o-less stem: x.mod before the hidden file.
  CHECK(ById(f, 3).cause == 2);
}

TEST_CASE("two unrelated clashes are two causes") {
  std::vector<Finding> f = {
      Make(1, FindingKind::kWriteHazard, Severity::kError, {"a/y.o"}, {1, 2}),
      Make(2, FindingKind::kWriteHazard, Severity::kError, {"b/z.o"}, {7, 8}),
      Make(3, FindingKind::kWriteHazard, Severity::kError, {"a/.y.o.cmd"}, {1, 2}),
      Make(4, FindingKind::kConcurrentWriters, Severity::kError, {"b/.z.o.d"}),
  };
  AssignCauses(f);
  CHECK(CauseCount(f) == 2);
  CHECK(ById(f, 1).cause == 1);
  CHECK(ById(f, 3).cause == 1);
  CHECK(ById(f, 2).cause == 2);
  CHECK(ById(f, 4).cause == 2);
}

TEST_CASE("two files written by the same two jobs: one cause") {
  std::vector<Finding> f = {
      Make(1, FindingKind::kWriteHazard, Severity::kError, {"log/a.txt"}, {1, 2}),
      Make(2, FindingKind::kWriteHazard, Severity::kError, {"log/b.txt"}, {2, 1}),
      Make(3, FindingKind::kWriteHazard, Severity::kError, {"log/c.txt"}, {1, 3}),
  };
  AssignCauses(f);
  CHECK(ById(f, 1).cause == 1);
  CHECK(ById(f, 2).cause == 1);
  CHECK(ById(f, 3).cause == 3);  // job 1 with another job: another cause
}

TEST_CASE("one name clash seen through .tmp_versions: one cause, the collision first") {
  std::vector<Finding> f = {
      Make(1, FindingKind::kConcurrentWriters, Severity::kError, {".tmp_versions/asix.mod"}),
      Make(2, FindingKind::kTornFile, Severity::kError, {".tmp_versions/asix.mod"}),
      Make(3, FindingKind::kModuleNameCollision, Severity::kError,
           {"drivers/net/usb/asix", "drivers/net/phy/asix"}),
      Make(4, FindingKind::kClobberedFile, Severity::kError, {"x/.tmp_versions/asix.mod"}),
  };
  f[2].module = "asix";
  AssignCauses(f);
  CHECK(CauseCount(f) == 1);
  for (const Finding& x : f) CHECK(x.cause == 3);
}

TEST_CASE("a clash of names and a path built twice are two causes") {
  std::vector<Finding> f = {
      Make(1, FindingKind::kModuleNameCollision, Severity::kError, {"a/x", "b/x"}),
      Make(2, FindingKind::kDuplicateModulePath, Severity::kWarning, {"a/x"}),
  };
  f[0].module = "x";
  f[1].module = "x";
  AssignCauses(f);
  CHECK(ById(f, 1).cause == 1);
  CHECK(ById(f, 2).cause == 2);
}

TEST_CASE("module names: '-' and '_' are one name") {
  std::vector<Finding> f = {
      Make(1, FindingKind::kModuleNameCollision, Severity::kError, {"a/foo-bar", "b/foo_bar"}),
      Make(2, FindingKind::kTornFile, Severity::kError, {".tmp_versions/foo_bar.mod"}),
  };
  f[0].module = "foo-bar";
  AssignCauses(f);
  CHECK(ById(f, 2).cause == 1);
}

TEST_CASE("a coverage gap is a cause of its own") {
  std::vector<Finding> f = {
      Make(1, FindingKind::kCoverageGap, Severity::kWarning, {"sub"}),
      Make(2, FindingKind::kCoverageGap, Severity::kWarning, {"sub"}),
      Make(3, FindingKind::kConcurrentWriters, Severity::kError, {"sub/x.o"}),
  };
  AssignCauses(f);
  CHECK(ById(f, 1).cause == 1);
  CHECK(ById(f, 2).cause == 2);
  CHECK(ById(f, 3).cause == 3);
  std::vector<Finding> alone = {Make(5, FindingKind::kCoverageGap, Severity::kInfo, {})};
  AssignCauses(alone);
  CHECK(alone[0].cause == 5);
}

TEST_CASE("assigned again after a finding joins: the causes follow") {
  std::vector<Finding> f = {
      Make(1, FindingKind::kWriteHazard, Severity::kWarning, {"sub/.x.o.cmd"}, {1, 2}),
  };
  AssignCauses(f);
  CHECK(f[0].cause == 1);
  f.push_back(Make(2, FindingKind::kDuplicateModulePath, Severity::kWarning, {"sub/x"}));
  AssignCauses(f);
  CHECK(f[0].cause == 2);
  CHECK(f[1].cause == 2);
}

}  // namespace modrace
