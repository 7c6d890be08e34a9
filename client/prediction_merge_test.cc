// SPDX-License-Identifier: GPL-2.0-only
#include "client/prediction_merge.h"

#include <doctest/doctest.h>

namespace modrace {

namespace {

// examples/kbuild-duplicate and kbuild-twice, as the audit sees them.
ModuleSources Sources() {
  return {{"a/foo", {{"Kbuild", 7, "obj-m += a/foo.o b/foo.o"}}},
          {"b/foo", {{"Kbuild", 7, "obj-m += a/foo.o b/foo.o"}}},
          {"sub/x", {{"Kbuild", 1, "obj-m += sub/ sub/x.o"}, {"sub/Kbuild", 1, "obj-m += x.o"}}},
          {"x", {{"Kbuild", 3, "obj-m += x.o"}}}};
}

std::vector<Finding> Predicted() {
  return PredictClashes({"a/foo.ko", "b/foo.ko", "sub/x.ko", "x.ko"}, Sources(), "K/.config");
}

Finding LiveClash(std::vector<std::string> paths) {
  Finding f;
  f.id = 1;
  f.revision = 2;
  f.kind = FindingKind::kModuleNameCollision;
  f.severity = Severity::kError;
  f.confidence = Confidence::kCertain;
  f.module = "foo";
  f.paths = std::move(paths);
  f.message = "two modules named foo";
  return f;
}

const Finding* Find(const Report& r, FindingKind kind, const std::string& module) {
  for (const Finding& f : r.findings) {
    if (f.kind == kind && f.module == module) return &f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("predicted clashes: module names two paths share, with the lines that build them") {
  const std::vector<Finding> p = Predicted();
  // sub/x and x are both named x: a clash as well.
  REQUIRE(p.size() == 2);
  CHECK(p[0].module == "foo");
  CHECK(p[0].paths == std::vector<std::string>{"a/foo", "b/foo"});
  CHECK(p[0].kind == FindingKind::kModuleNameCollision);
  CHECK(p[0].severity == Severity::kError);
  CHECK(p[0].confidence == Confidence::kLikely);
  REQUIRE(p[0].sources.size() == 1);  // one line builds both
  CHECK(p[0].sources[0].text == "obj-m += a/foo.o b/foo.o");
  CHECK(p[0].message.find("K/.config") != std::string::npos);
  CHECK(p[1].module == "x");
  CHECK(p[1].sources.size() == 3);
  // '-' and '_' are one name.
  CHECK(PredictClashes({"a/my-mod.ko", "b/my_mod.ko"}, {}, "c").size() == 1);
  CHECK(PredictClashes({"a/foo.ko", "b/bar.ko"}, {}, "c").empty());
}

TEST_CASE("a live clash with every predicted path confirms the prediction: one finding, certain") {
  Report live;
  live.findings.push_back(LiveClash({"b/foo", "a/foo"}));
  const Report r = MergePredictions(live, Predicted(), Sources(), {false, "build failed (exit 2)"});
  const Finding* foo = Find(r, FindingKind::kModuleNameCollision, "foo");
  REQUIRE(foo);
  CHECK(foo->id == 1);
  CHECK(foo->confidence == Confidence::kCertain);
  REQUIRE(foo->prediction.has_value());
  CHECK(foo->prediction->confirmed);
  CHECK(foo->prediction->note.find("predicted") != std::string::npos);
  CHECK(foo->sources.size() == 1);
  int foos = 0;
  for (const Finding& f : r.findings) foos += f.module == "foo";
  CHECK(foos == 1);
  // x was not confirmed: kept, likely, after the live findings.
  const Finding* x = Find(r, FindingKind::kModuleNameCollision, "x");
  REQUIRE(x);
  CHECK(x->id == 2);
  CHECK(x->confidence == Confidence::kLikely);
  REQUIRE(x->prediction.has_value());
  CHECK_FALSE(x->prediction->confirmed);
}

TEST_CASE("an unconfirmed prediction says why: a failed build keeps the error, a finished one warns") {
  Report live;
  SUBCASE("the build failed") {
    const Report r = MergePredictions(live, Predicted(), Sources(), {false, "build failed (exit 2)"});
    REQUIRE(r.findings.size() == 2);
    for (const Finding& f : r.findings) {
      CHECK(f.severity == Severity::kError);
      CHECK(f.confidence == Confidence::kLikely);
      REQUIRE(f.prediction.has_value());
      CHECK_FALSE(f.prediction->confirmed);
      CHECK(f.prediction->note.find("build failed (exit 2)") != std::string::npos);
    }
    CHECK(r.findings[0].id == 1);
    CHECK(r.findings[1].id == 2);
  }
  SUBCASE("the build finished without writing both") {
    const Report r = MergePredictions(live, Predicted(), Sources(), {true, "build succeeded"});
    REQUIRE(r.findings.size() == 2);
    CHECK(r.findings[0].severity == Severity::kWarning);
    CHECK(r.findings[0].prediction->note.find("never wrote") != std::string::npos);
  }
  SUBCASE("a live clash of the name with only some of the paths does not confirm it") {
    live.findings.push_back(LiveClash({"a/foo", "c/foo"}));
    const Report r = MergePredictions(live, Predicted(), Sources(), {true, "build succeeded"});
    CHECK(r.findings.size() == 3);
    CHECK_FALSE(r.findings[0].prediction.has_value());
  }
}

TEST_CASE("live findings about a module name the lines that build it") {
  Report live;
  Finding hazard;
  hazard.id = 4;
  hazard.kind = FindingKind::kWriteHazard;
  hazard.module = "x";
  hazard.paths = {"sub/.x.o.cmd"};
  live.findings.push_back(hazard);
  Finding gap;
  gap.id = 5;
  gap.kind = FindingKind::kCoverageGap;
  gap.paths = {"elsewhere"};
  live.findings.push_back(gap);
  Finding record;  // old kbuild: a record named by the module name only
  record.id = 6;
  record.kind = FindingKind::kClobberedFile;
  record.module = "foo";
  record.paths = {".tmp_versions/foo.mod"};
  live.findings.push_back(record);
  const Report r = MergePredictions(live, {}, Sources(), {true, "build succeeded"});
  REQUIRE(r.findings.size() == 3);
  REQUIRE(r.findings[0].sources.size() == 2);
  CHECK(r.findings[0].sources[0].text == "obj-m += sub/ sub/x.o");
  CHECK(r.findings[0].sources[1].file == "sub/Kbuild");
  CHECK(r.findings[1].sources.empty());
  CHECK(r.findings[2].sources.size() == 1);  // a/foo and b/foo: one line
}

TEST_CASE("ModulePathOfFile: the module a build file belongs to") {
  CHECK(ModulePathOfFile("sub/x") == "sub/x");
  CHECK(ModulePathOfFile("sub/x.o") == "sub/x");
  CHECK(ModulePathOfFile("sub/.x.o.cmd") == "sub/x");
  CHECK(ModulePathOfFile("sub/x.mod") == "sub/x");
  CHECK(ModulePathOfFile("x.ko") == "x");
  CHECK(ModulePathOfFile(".x.o.d") == "x");
}

}  // namespace modrace
