// SPDX-License-Identifier: GPL-2.0-only
#include "proto/gap_cause.h"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "proto/bytes_json.h"
#include "proto/finding.h"
#include "proto/fs_event.h"
#include "tests/schema_check.h"

namespace modrace {

namespace {

std::set<std::string> Names(const nlohmann::json& list) {
  std::set<std::string> out;
  for (const auto& name : list) out.insert(name.get<std::string>());
  return out;
}

nlohmann::json Schema(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

Finding Gap(std::vector<GapCause> causes) {
  Finding f;
  f.id = 1;
  f.revision = 1;
  f.kind = FindingKind::kCoverageGap;
  f.severity = Severity::kWarning;
  f.gap_causes = std::move(causes);
  f.message = "a gap";
  return f;
}

}  // namespace

TEST_CASE("the gap cause registry has one row per cause, in GapCause order") {
  std::set<std::string_view> names;
  for (size_t i = 0; i < kGapCauseCount; ++i) {
    const auto cause = static_cast<GapCause>(i);
    const GapCauseInfo& info = AllGapCauseInfo()[i];
    CAPTURE(info.name);
    CHECK(info.cause == cause);
    CHECK(&InfoOf(cause) == &info);
    CHECK_FALSE(info.advice.empty());
    CHECK(ParseGapCause(GapCauseName(cause)) == cause);
    names.insert(info.name);
  }
  CHECK(names.size() == kGapCauseCount);
  CHECK_FALSE(ParseGapCause("overflow").has_value());
  CHECK_THROWS_AS(InfoOf(GapCause::kCount), std::out_of_range);
}

TEST_CASE("the schemas' cause enums are the registry's names") {
  std::set<std::string> registry;
  for (const GapCauseInfo& info : AllGapCauseInfo()) registry.insert(std::string(info.name));
  const nlohmann::json report = Schema("proto/report.schema.json");
  CHECK(Names(report.at("definitions")
                  .at("finding")
                  .at("properties")
                  .at("gap_causes")
                  .at("items")
                  .at("enum")) == registry);
  const nlohmann::json event = Schema("proto/event.schema.json");
  CHECK(Names(event.at("properties").at("cause").at("enum")) == registry);
}

TEST_CASE("a gap's causes go through JSON and back; a finding without them parses") {
  for (size_t i = 0; i < kGapCauseCount; ++i) {
    const Finding f = Gap({static_cast<GapCause>(i)});
    const nlohmann::json j = f;
    CHECK(j.at("gap_causes") == nlohmann::json::array({std::string(GapCauseName(f.gap_causes[0]))}));
    CHECK(j.get<Finding>().gap_causes == f.gap_causes);
  }
  const nlohmann::json none = Gap({});
  CHECK(none.count("gap_causes") == 0);
  CHECK(none.get<Finding>().gap_causes.empty());
  nlohmann::json bad = Gap({GapCause::kLostEvents});
  bad["gap_causes"] = {"overflow"};
  CHECK_THROWS_WITH_AS(bad.get<Finding>(), doctest::Contains("overflow"), std::runtime_error);
}

TEST_CASE("an event says a gap's cause; a recording without one reads as before") {
  FsEvent e;
  e.seq = 4;
  e.kind = EventKind::kUnwatched;
  e.path = "d";
  e.is_dir = true;
  e.cause = GapCause::kWatchLimit;
  e.detail = "not watched: the inotify watch limit was reached";
  const std::string line = DumpLine(nlohmann::json(e));
  CHECK(SchemaCheck("proto/event.schema.json", line) == "");
  CHECK(nlohmann::json::parse(line).at("cause") == "watch_limit");
  CHECK(nlohmann::json::parse(line).get<FsEvent>().cause == GapCause::kWatchLimit);
  nlohmann::json old = nlohmann::json::parse(line);
  old.erase("cause");
  CHECK_FALSE(old.get<FsEvent>().cause.has_value());
}

}  // namespace modrace
