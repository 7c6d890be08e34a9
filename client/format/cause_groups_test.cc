// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/cause_groups.h"

#include <doctest/doctest.h>

#include "client/format/format_testing.h"

namespace modrace {

TEST_CASE("cause groups: kbuild-twice's eight findings are one headline and seven others") {
  const Report r = KbuildTwiceReport();
  REQUIRE(r.findings.size() == 8);
  const std::vector<CauseGroup> groups = GroupByCause(r.findings);
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].headline->kind == FindingKind::kWriteHazard);
  CHECK(groups[0].headline->paths == std::vector<std::string>{"sub/x.o"});
  REQUIRE(groups[0].others.size() == 7);
  // The others in the report's order.
  for (size_t i = 1; i < groups[0].others.size(); ++i) {
    CHECK(groups[0].others[i - 1]->id < groups[0].others[i]->id);
  }
  CHECK(FindingsOfCauses(r.findings) == "8 findings of 1 cause");
}

TEST_CASE("cause groups: findings without a cause are each their own") {
  const Report r = AsixReport();  // no cause assigned
  const std::vector<CauseGroup> groups = GroupByCause(r.findings);
  REQUIRE(groups.size() == r.findings.size());
  for (size_t i = 0; i < groups.size(); ++i) {
    CHECK(groups[i].headline == &r.findings[i]);
    CHECK(groups[i].others.empty());
  }
  CHECK(FindingsOfCauses(r.findings) == "4 findings");
  CHECK(FindingsOfCauses({}) == "0 findings");
}

TEST_CASE("cause groups: in the order of the headlines; a missing headline, the first") {
  std::vector<Finding> f(5);
  for (size_t i = 0; i < f.size(); ++i) f[i].id = i + 1;
  f[0].cause = 2;
  f[1].cause = 2;
  f[2].cause = 9;  // its headline is not in the list
  f[3].cause = 9;
  f[4].cause = 5;
  const std::vector<CauseGroup> groups = GroupByCause(f);
  REQUIRE(groups.size() == 3);
  CHECK(groups[0].headline->id == 2);
  REQUIRE(groups[0].others.size() == 1);
  CHECK(groups[0].others[0]->id == 1);
  CHECK(groups[1].headline->id == 3);
  REQUIRE(groups[1].others.size() == 1);
  CHECK(groups[1].others[0]->id == 4);
  CHECK(groups[2].headline->id == 5);
  CHECK(FindingsOfCauses(f) == "5 findings of 3 causes");
}

TEST_CASE("a same-cause line: kind, path and message on one line") {
  Finding f;
  f.kind = FindingKind::kConcurrentWriters;
  f.paths = {"sub/x.mod"};
  f.message = "sub/x.mod was written\nby two jobs";
  const std::string line = SameCauseLine(f);
  CHECK(line.rfind("concurrent_writers sub/x.mod: sub/x.mod was written", 0) == 0);
}

}  // namespace modrace
