// SPDX-License-Identifier: GPL-2.0-only
// Scenario replays: each tests/scenarios/NAME.jsonl is an event sequence of
// one race (or of a clean build), NAME.expected.json the findings it must
// give: exactly those, no more. See tests/scenarios/README.md.

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "analyzer/analyzer.h"
#include "analyzer/replay.h"
#include "proto/bytes_json.h"
#include "proto/report.h"
#include "tests/schema_check.h"

namespace modrace {

namespace {

const char kDir[] = "tests/scenarios";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Matches(const nlohmann::json& want, const Finding& got) {
  if (want.at("kind").get<std::string>() != FindingKindName(got.kind)) return false;
  if (want.contains("module") && (!got.module || want["module"] != *got.module)) return false;
  if (want.contains("paths") && want["paths"].get<std::vector<std::string>>() != got.paths) {
    return false;
  }
  if (want.contains("confidence") && want["confidence"] != ConfidenceName(got.confidence)) {
    return false;
  }
  if (want.contains("severity") && want["severity"] != SeverityName(got.severity)) return false;
  if (want.contains("named_pids")) {
    std::set<int32_t> pids;
    for (const auto& w : got.writers) {
      if (w.process) pids.insert(w.process->pid);
    }
    if (want["named_pids"].get<std::set<int32_t>>() != pids) return false;
  }
  if (want.contains("job_shorts")) {
    std::set<std::string> shorts;
    for (const auto& j : got.jobs) shorts.insert(j.short_name);
    if (want["job_shorts"].get<std::set<std::string>>() != shorts) return false;
  }
  return true;
}

std::string Describe(const Finding& f) {
  nlohmann::json j = f;
  j.erase("evidence");
  std::set<int32_t> pids;
  for (const auto& w : f.writers) {
    if (w.process) pids.insert(w.process->pid);
  }
  j.erase("writers");
  if (!pids.empty()) j["named_pids"] = pids;
  return DumpLine(j);
}

void RunScenario(const std::string& name) {
  Analyzer analyzer;
  const ReplayResult r = ReplayEvents(ReadFile(std::string(kDir) + "/" + name + ".jsonl"),
                                      &analyzer);
  REQUIRE_MESSAGE(r.ok, r.error);
  const nlohmann::json expected =
      nlohmann::json::parse(ReadFile(std::string(kDir) + "/" + name + ".expected.json"));
  std::vector<bool> used(analyzer.findings().size(), false);
  for (const auto& want : expected.at("findings")) {
    bool found = false;
    for (size_t i = 0; i < analyzer.findings().size() && !found; ++i) {
      if (!used[i] && Matches(want, analyzer.findings()[i])) used[i] = found = true;
    }
    CHECK_MESSAGE(found, "missing finding " << want.dump());
  }
  for (size_t i = 0; i < used.size(); ++i) {
    CHECK_MESSAGE(used[i], "unexpected finding " << Describe(analyzer.findings()[i]));
  }
  CHECK(analyzer.coverage().Complete() == expected.at("complete").get<bool>());
  // Every finding the analyzer makes fits the report schema.
  Report report;
  report.tree = "/scenario";
  report.backend = "replay";
  report.complete = analyzer.coverage().Complete();
  report.coverage = analyzer.coverage();
  report.statistics = analyzer.statistics();
  report.findings = analyzer.findings();
  CHECK(SchemaCheck("proto/report.schema.json", DumpLine(nlohmann::json(report))) == "");
}

}  // namespace

#define SCENARIO_CASE(name) \
  TEST_CASE("scenario " #name) { RunScenario(#name); }

SCENARIO_CASE(rothwell_asix_tmp_versions)
SCENARIO_CASE(sequential_tmp_versions_clobber)
SCENARIO_CASE(kbuild61_same_name_two_dirs)
SCENARIO_CASE(kbuild61_subdir_listed_twice)
SCENARIO_CASE(reader_beside_writer)
SCENARIO_CASE(merged_open_two_writers)
SCENARIO_CASE(overflow_mid_build)
SCENARIO_CASE(clean_build_50_modules)
SCENARIO_CASE(dash_underscore_same_name)
SCENARIO_CASE(reader_spans_writer_close)
SCENARIO_CASE(overflow_forgets_lost_state)
SCENARIO_CASE(torn_record_line1_not_a_claim)
SCENARIO_CASE(cut_line_read_mid_rewrite)
SCENARIO_CASE(fanotify_asix_named_writers)
SCENARIO_CASE(fanotify_same_bytes_twice)
SCENARIO_CASE(fanotify_different_bytes_twice)
SCENARIO_CASE(hybrid_merged_names_after_overlap)
SCENARIO_CASE(hybrid_merged_names_before_overlap)
SCENARIO_CASE(hybrid_both_prove_one_finding)
SCENARIO_CASE(hybrid_names_only_never_alone)
SCENARIO_CASE(hybrid_two_makes_same_recipe)
SCENARIO_CASE(rothwell_from_parent_clean)
SCENARIO_CASE(rothwell_from_parent_asix)
SCENARIO_CASE(kbuild61_intree_from_parent_clean)
SCENARIO_CASE(kbuild61_same_name_from_parent)
SCENARIO_CASE(kbuild61_twice_write_hazard)
SCENARIO_CASE(kbuild61_clean_jobs_no_hazard)

TEST_CASE("every scenario file has a case above and an expectation") {
  const std::set<std::string> listed = {
      "rothwell_asix_tmp_versions", "sequential_tmp_versions_clobber",
      "kbuild61_same_name_two_dirs", "kbuild61_subdir_listed_twice",
      "reader_beside_writer",       "merged_open_two_writers",
      "overflow_mid_build",         "clean_build_50_modules",
      "dash_underscore_same_name",
      "reader_spans_writer_close",
      "overflow_forgets_lost_state",
      "torn_record_line1_not_a_claim",
      "cut_line_read_mid_rewrite",
      "fanotify_asix_named_writers",
      "fanotify_same_bytes_twice",
      "fanotify_different_bytes_twice",
      "hybrid_merged_names_after_overlap",
      "kbuild61_twice_write_hazard",
      "kbuild61_clean_jobs_no_hazard",
      "hybrid_merged_names_before_overlap",
      "hybrid_both_prove_one_finding",
      "hybrid_names_only_never_alone",
      "hybrid_two_makes_same_recipe",
      "rothwell_from_parent_clean",
      "rothwell_from_parent_asix",
      "kbuild61_intree_from_parent_clean",
      "kbuild61_same_name_from_parent"};
  std::set<std::string> on_disk;
  DIR* dir = opendir(kDir);
  REQUIRE(dir != nullptr);
  while (dirent* d = readdir(dir)) {
    const std::string n = d->d_name;
    const std::string suffix = ".jsonl";
    if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0) {
      on_disk.insert(n.substr(0, n.size() - suffix.size()));
    }
  }
  closedir(dir);
  CHECK(on_disk == listed);
}

}  // namespace modrace
