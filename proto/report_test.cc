// SPDX-License-Identifier: GPL-2.0-only
#include "proto/report.h"

#include <doctest/doctest.h>

#include "proto/bytes_json.h"
#include "proto/version.h"
#include "tests/schema_check.h"

namespace modrace {

namespace {

Report SampleReport() {
  Report r;
  r.schema = kReportSchema;
  r.tree = "/src/linux";
  r.backend = "inotify";
  r.complete = false;
  r.coverage.overflows = 1;
  r.statistics.events = 1234;
  Finding f;
  f.id = 1;
  f.revision = 3;
  f.kind = FindingKind::kModuleNameCollision;
  f.severity = Severity::kError;
  f.confidence = Confidence::kCertain;
  f.module = "asix";
  f.paths = {"drivers/net/phy/asix", "drivers/net/usb/asix"};
  f.evidence.push_back({12, ".tmp_versions/asix.mod", "line 1 names drivers/net/phy/asix.ko",
                        std::string("drivers/net/phy/asix.ko\n\0\0", 26)});
  f.writers.push_back({10, 12, std::nullopt});
  f.message = "two modules named asix";
  f.first_seq = 12;
  f.last_seq = 20;
  r.findings.push_back(f);
  return r;
}

}  // namespace

TEST_CASE("a report round-trips through JSON and fits the report schema") {
  const Report r = SampleReport();
  const std::string line = DumpLine(nlohmann::json(r));
  CHECK(SchemaCheck("proto/report.schema.json", line) == "");
  const Report back = nlohmann::json::parse(line).get<Report>();
  CHECK(back.tree == r.tree);
  CHECK_FALSE(back.complete);
  CHECK(back.coverage.overflows == 1);
  REQUIRE(back.findings.size() == 1);
  CHECK(back.findings[0].kind == FindingKind::kModuleNameCollision);
  CHECK(back.findings[0].paths == r.findings[0].paths);
  CHECK(back.findings[0].evidence[0].content == r.findings[0].evidence[0].content);
}

TEST_CASE("a finding's sources and prediction round-trip and fit the schema") {
  Report r = SampleReport();
  r.findings[0].sources = {{"Kbuild", 8, "obj-m += sub/ sub/x.o"}, {"sub/Kbuild", 1, "obj-m += x.o"}};
  r.findings[0].prediction = Prediction{true, "predicted from .config before the build"};
  const std::string line = DumpLine(nlohmann::json(r));
  CHECK(SchemaCheck("proto/report.schema.json", line) == "");
  const nlohmann::json j = nlohmann::json::parse(line);
  CHECK(j["findings"][0]["prediction"]["state"] == "confirmed");
  CHECK(j["findings"][0]["sources"][0]["line"] == 8);
  const Report back = j.get<Report>();
  REQUIRE(back.findings[0].sources.size() == 2);
  CHECK(back.findings[0].sources[1].file == "sub/Kbuild");
  CHECK(back.findings[0].sources[1].text == "obj-m += x.o");
  REQUIRE(back.findings[0].prediction.has_value());
  CHECK(back.findings[0].prediction->confirmed);
  // Findings without them carry neither key.
  const nlohmann::json plain = SampleReport();
  CHECK_FALSE(plain["findings"][0].contains("sources"));
  CHECK_FALSE(plain["findings"][0].contains("prediction"));
  nlohmann::json bad = j;
  bad["findings"][0]["prediction"]["state"] = "maybe";
  CHECK(SchemaCheck("proto/report.schema.json", DumpLine(bad)) != "");
}

TEST_CASE("a finding's cause round-trips; a report without causes reads as unassigned") {
  Report r = SampleReport();
  r.findings[0].cause = 1;
  const std::string line = DumpLine(nlohmann::json(r));
  CHECK(SchemaCheck("proto/report.schema.json", line) == "");
  const nlohmann::json j = nlohmann::json::parse(line);
  CHECK(j["findings"][0]["cause"] == 1);
  CHECK(j.get<Report>().findings[0].cause == 1);
  const nlohmann::json old = SampleReport();
  CHECK_FALSE(old["findings"][0].contains("cause"));
  CHECK(old.get<Report>().findings[0].cause == 0);
  nlohmann::json bad = j;
  bad["findings"][0]["cause"] = 0;
  CHECK(SchemaCheck("proto/report.schema.json", DumpLine(bad)) != "");
}

TEST_CASE("the report schema rejects a collision without its module") {
  Report r = SampleReport();
  nlohmann::json j = r;
  j["findings"][0].erase("module");
  CHECK(SchemaCheck("proto/report.schema.json", DumpLine(j)) != "");
  j = r;
  j["findings"][0]["kind"] = "name_clash";
  CHECK(SchemaCheck("proto/report.schema.json", DumpLine(j)) != "");
}

TEST_CASE("a report of another schema is refused with a clear message") {
  nlohmann::json j = SampleReport();
  j["schema"] = "modrace.report/9";
  CHECK_THROWS_WITH_AS(j.get<Report>(), doctest::Contains("modrace.report/9"),
                       std::runtime_error);
}

TEST_CASE("a finding of every kind goes through JSON and back, valid against the schema") {
  for (size_t k = 0; k < kFindingKindCount; ++k) {
    const auto kind = static_cast<FindingKind>(k);
    CAPTURE(FindingKindName(kind));
    Report r = SampleReport();
    r.findings[0].kind = kind;
    const std::string line = DumpLine(nlohmann::json(r));
    CHECK(SchemaCheck("proto/report.schema.json", line) == "");
    const Report back = nlohmann::json::parse(line).get<Report>();
    REQUIRE(back.findings.size() == 1);
    CHECK(back.findings[0].kind == kind);
    CHECK(nlohmann::json(back) == nlohmann::json(r));
  }
}

TEST_CASE("every severity and confidence name parses back") {
  CHECK(ParseSeverity("warning") == Severity::kWarning);
  CHECK(ParseConfidence("likely") == Confidence::kLikely);
  CHECK_FALSE(ParseSeverity("fatal").has_value());
}

TEST_CASE("coverage is complete only when nothing was missed") {
  Coverage c;
  CHECK(c.Complete());
  c.unreadable_files = 1;
  CHECK_FALSE(c.Complete());
  // Outputs written outside the tree (O=) were never seen.
  Coverage outside;
  outside.outputs_outside = "/tmp/out";
  CHECK_FALSE(outside.Complete());
  Report r = SampleReport();
  r.coverage = outside;
  const std::string line = DumpLine(nlohmann::json(r));
  CHECK(SchemaCheck("proto/report.schema.json", line) == "");
  CHECK(nlohmann::json::parse(line).get<Report>().coverage.outputs_outside == "/tmp/out");
  CHECK(nlohmann::json(SampleReport())["coverage"].count("outputs_outside") == 0);
}

}  // namespace modrace

namespace modrace {

TEST_CASE("an evidence excerpt keeps the first 512 bytes, NULs and all") {
  CHECK(EvidenceExcerpt("a.ko\n") == "a.ko\n");
  const std::string big = std::string("x\0y", 3) + std::string(600, 'z');
  const std::string cut = EvidenceExcerpt(big);
  CHECK(cut.size() == kEvidenceExcerptBytes);
  CHECK(cut == big.substr(0, 512));
  CHECK(EvidenceExcerpt(std::string(512, 'q')).size() == 512);
}

}  // namespace modrace
