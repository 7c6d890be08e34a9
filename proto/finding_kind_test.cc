// SPDX-License-Identifier: GPL-2.0-only
#include "proto/finding_kind.h"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace modrace {

namespace {

// A schema file of proto/, from the runfiles root.
nlohmann::json Schema(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("the registry has one row per kind, in FindingKind order, every field filled") {
  REQUIRE(AllKindInfo().size() == kFindingKindCount);
  std::set<std::string_view> names;
  std::set<std::string_view> rule_names;
  for (size_t i = 0; i < kFindingKindCount; ++i) {
    const auto kind = static_cast<FindingKind>(i);
    const FindingKindInfo& info = AllKindInfo()[i];
    CAPTURE(info.name);
    CHECK(info.kind == kind);
    CHECK(&InfoOf(kind) == &info);
    CHECK_FALSE(info.name.empty());
    CHECK_FALSE(info.check.empty());
    CHECK_FALSE(info.title.empty());
    CHECK_FALSE(info.rule_name.empty());
    CHECK_FALSE(info.summary.empty());
    CHECK_FALSE(info.advice.empty());
    names.insert(info.name);
    rule_names.insert(info.rule_name);
    CHECK(FindingKindName(kind) == info.name);
    CHECK(ParseFindingKind(info.name) == kind);
  }
  CHECK(names.size() == kFindingKindCount);
  CHECK(rule_names.size() == kFindingKindCount);
  CHECK_FALSE(ParseFindingKind("name_clash").has_value());
  CHECK_THROWS_AS(InfoOf(FindingKind::kCount), std::out_of_range);
}

TEST_CASE("report.schema.json's kind enum is the registry's names") {
  const nlohmann::json schema = Schema("proto/report.schema.json");
  std::set<std::string> in_schema;
  for (const auto& name :
       schema.at("definitions").at("finding").at("properties").at("kind").at("enum")) {
    in_schema.insert(name.get<std::string>());
  }
  std::set<std::string> in_registry;
  for (const FindingKindInfo& info : AllKindInfo()) in_registry.insert(std::string(info.name));
  CHECK(in_schema == in_registry);
}

}  // namespace modrace
