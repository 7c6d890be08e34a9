// SPDX-License-Identifier: GPL-2.0-only
#include "client/build_outputs.h"

#include <doctest/doctest.h>

#include "common/file_kind.h"
#include "common/test_tree.h"

namespace modrace {

TEST_CASE("O= outside the tree is found; inside it, M= builds and no O= are not") {
  TestTree t;
  t.Mkdir("src");
  t.Mkdir("out");
  const std::string src = t.Abs("src");
  const std::string out = RealPath(t.Abs("out"));
  CHECK(OutputsOutsideTree(src, {"make", "-j2", "O=" + t.Abs("out")}, "") == out);
  // Not made yet: resolved through the nearest existing parent.
  CHECK(OutputsOutsideTree(src, {"make", "O=" + t.Abs("out/new/deeper")}, "") ==
        out + "/new/deeper");
  // Relative to the directory make runs in.
  CHECK(OutputsOutsideTree(src, {"make", "-C", src, "O=../out"}, "") == out);
  CHECK(OutputsOutsideTree(src, {"/usr/bin/make", "--directory=" + src, "O=../out"}, "") == out);
  // KBUILD_OUTPUT from the environment, unless O= says otherwise.
  CHECK(OutputsOutsideTree(src, {"make", "-j2"}, t.Abs("out")) == out);
  CHECK(OutputsOutsideTree(src, {"make", "O=" + src + "/build"}, t.Abs("out")) == "");
  // Outputs in the tree, or none named.
  CHECK(OutputsOutsideTree(src, {"make", "-C", src, "O=build"}, "") == "");
  CHECK(OutputsOutsideTree(src, {"make", "O=" + src}, "") == "");
  CHECK(OutputsOutsideTree(src, {"make", "-j2"}, "") == "");
  // src2 is beside src, not inside it.
  t.Mkdir("src2");
  CHECK(OutputsOutsideTree(src, {"make", "O=" + t.Abs("src2")}, "") == RealPath(t.Abs("src2")));
  // An external module's outputs stay in M=; O= is the kernel's own.
  CHECK(OutputsOutsideTree(src, {"make", "-C", out, "M=" + src, "O=" + out}, "") == "");
  // Not make: nothing is read.
  CHECK(OutputsOutsideTree(src, {"sh", "-c", "make O=" + out}, "") == "");
}

TEST_CASE("the note marks the report incomplete with a coverage_gap that says what to do") {
  Report r;
  Finding other;
  other.id = 4;
  r.findings.push_back(other);
  NoteOutputsOutside("/tmp/out", &r);
  CHECK_FALSE(r.complete);
  CHECK_FALSE(r.coverage.Complete());
  REQUIRE(r.findings.size() == 2);
  const Finding& f = r.findings.back();
  CHECK(f.id == 5);
  CHECK(f.kind == FindingKind::kCoverageGap);
  CHECK(f.severity == Severity::kWarning);
  CHECK(f.gap_causes == std::vector<GapCause>{GapCause::kOutputsOutside});
  CHECK(f.message.find("/tmp/out") != std::string::npos);
  CHECK(f.message.find("--tree /tmp/out") != std::string::npos);
}

}  // namespace modrace
