// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/junit_format.h"

#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "client/format/display_text.h"
#include "client/format/finding_presentation.h"
#include "client/format/format_testing.h"

namespace modrace {

namespace {

std::string Junit(const Report& r) {
  std::ostringstream out;
  RenderJunit(r, out);
  return out.str();
}

// The parsed testsuite, after checking the document is well-formed and has
// exactly one testsuite named modrace.
nlohmann::json Suite(const Report& r) {
  const nlohmann::json doc = ParseJunit(Junit(r));
  REQUIRE_MESSAGE(!doc.contains("error"), doc.dump());
  CHECK(doc["root"] == "testsuites");
  REQUIRE(doc["suites"].size() == 1);
  const nlohmann::json& suite = doc["suites"][0];
  CHECK(suite["attrib"]["name"] == "modrace");
  CHECK(suite["attrib"]["tests"] == std::to_string(suite["testcases"].size()));
  size_t failed = 0;
  for (const auto& tc : suite["testcases"]) failed += tc["failures"].empty() ? 0 : 1;
  CHECK(suite["attrib"]["failures"] == std::to_string(failed));
  CHECK(doc["root_attrib"]["tests"] == suite["attrib"]["tests"]);
  return suite;
}

const nlohmann::json* CaseNamed(const nlohmann::json& suite, const std::string& name) {
  for (const auto& tc : suite["testcases"]) {
    if (tc["attrib"]["name"] == name) return &tc;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("XmlEscape escapes markup, and whitespace in attributes") {
  CHECK(XmlEscape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&apos;f");
  CHECK(XmlEscape("a\tb\nc\rd") == "a&#9;b&#10;c&#13;d");
  CHECK(XmlEscape("a\tb\nc\rd", XmlContext::kText) == "a\tb\nc&#13;d");
  CHECK(XmlEscape(std::string("n\0\xff", 3)) == "n\\x00\\xff");
  CHECK(XmlEscape("]]>", XmlContext::kText) == "]]&gt;");
}

TEST_CASE("a clean report is one passing testcase per check") {
  const nlohmann::json suite = Suite(CleanReport());
  CHECK(suite["testcases"].size() == AllKindInfo().size());
  for (const KindInfo& info : AllKindInfo()) {
    const nlohmann::json* tc = CaseNamed(suite, std::string(info.check));
    REQUIRE_MESSAGE(tc != nullptr, info.check);
    CHECK((*tc)["failures"].empty());
    CHECK((*tc)["attrib"]["classname"] == "modrace." + std::string(FindingKindName(info.kind)));
  }
  CHECK(suite["attrib"]["failures"] == "0");
  CHECK(suite["properties"]["tree"] == "/src/linux");
  CHECK(suite["properties"]["complete"] == "true");
}

TEST_CASE("each finding is a failed testcase; checks without findings pass") {
  const Report r = AsixReport();
  const nlohmann::json suite = Suite(r);
  const nlohmann::json* names = CaseNamed(suite, "module names: asix");
  REQUIRE(names != nullptr);
  REQUIRE((*names)["failures"].size() == 1);
  const nlohmann::json& failure = (*names)["failures"][0];
  CHECK(failure["message"] == r.findings[0].message);
  CHECK(failure["type"] == "module_name_collision");
  const std::string body = failure["text"];
  CHECK(body.find("path: drivers/net/usb/asix\n") != std::string::npos);
  CHECK(body.find("path: drivers/net/phy/asix\n") != std::string::npos);
  CHECK(body.find("content: drivers/net/phy/asix.ko\n    \\x00\\x00\\x00") != std::string::npos);
  CHECK(body.find("what to do: rename") != std::string::npos);

  const nlohmann::json* writes = CaseNamed(suite, "concurrent writes: .tmp_versions/asix.mod");
  REQUIRE(writes != nullptr);
  CHECK(std::string((*writes)["failures"][0]["text"]).find("closed at seq 10") !=
        std::string::npos);
  REQUIRE(CaseNamed(suite, "duplicate module paths: x") != nullptr);
  REQUIRE(CaseNamed(suite, "coverage: /src/linux/drivers/a.mod") != nullptr);
  // No torn file and no clobbered record: those checks pass.
  REQUIRE(CaseNamed(suite, "torn files") != nullptr);
  CHECK((*CaseNamed(suite, "torn files"))["failures"].empty());
  REQUIRE(CaseNamed(suite, "clobbered records") != nullptr);
  CHECK(suite["testcases"].size() == 9);  // one per kind, the job and input kinds passing
  CHECK(suite["attrib"]["failures"] == "4");
}

TEST_CASE("an incomplete report without a coverage finding fails the coverage check") {
  Report r = CleanReport();
  r.complete = false;
  r.coverage.overflows = 2;
  const nlohmann::json suite = Suite(r);
  const nlohmann::json* coverage = CaseNamed(suite, "coverage");
  REQUIRE(coverage != nullptr);
  REQUIRE((*coverage)["failures"].size() == 1);
  CHECK(std::string((*coverage)["failures"][0]["message"]).find("2 queue overflows") !=
        std::string::npos);
}

TEST_CASE("hostile bytes stay well-formed XML and read back as DisplayText") {
  const Report r = HostileReport();
  const nlohmann::json suite = Suite(r);
  CHECK(suite["properties"]["tree"] == DisplayText(r.tree));
  const Finding& f = r.findings[0];
  const nlohmann::json* tc = CaseNamed(suite, "module names: " + DisplayText(*f.module));
  REQUIRE(tc != nullptr);
  const nlohmann::json& failure = (*tc)["failures"][0];
  CHECK(failure["message"] == DisplayText(f.message));
  const std::string body = failure["text"];
  for (const auto& p : f.paths) {
    CHECK(body.find("path: " + DisplayText(p) + "\n") != std::string::npos);
  }
  CHECK(body.find("(ma<k>e) make -j8 &\n::warning::x") != std::string::npos);
  CHECK(body.find("content: x\\x00\\x00\\xff]]>") != std::string::npos);
  const nlohmann::json* torn =
      CaseNamed(suite, "torn files: " + DisplayText(r.findings[1].paths[0]));
  REQUIRE(torn != nullptr);
  CHECK((*torn)["failures"][0]["message"] == DisplayText(r.findings[1].message));
}

}  // namespace modrace
