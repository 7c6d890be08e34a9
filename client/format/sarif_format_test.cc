// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/sarif_format.h"

#include <doctest/doctest.h>

#include <sstream>

#include "client/format/display_text.h"
#include "client/format/finding_presentation.h"
#include "client/format/format_testing.h"

namespace modrace {

namespace {

// The rendered text, checked against the schema subset, parsed again.
nlohmann::json Sarif(const Report& r) {
  std::ostringstream out;
  RenderSarif(r, out);
  const std::string problem = CheckSarif(out.str());
  CHECK_MESSAGE(problem.empty(), problem);
  return nlohmann::json::parse(out.str());
}

bool IsUriPathChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '/' || c == '%';
}

// Every artifact URI is made of unreserved characters, '/' and %XX.
void CheckUris(const nlohmann::json& run) {
  for (const auto& result : run["results"]) {
    for (const auto& loc : result["locations"]) {
      std::string uri = loc["physicalLocation"]["artifactLocation"]["uri"];
      if (uri.rfind("file://", 0) == 0) uri = uri.substr(7);
      for (size_t i = 0; i < uri.size(); ++i) {
        CHECK_MESSAGE(IsUriPathChar(uri[i]), uri);
        if (uri[i] == '%') {
          REQUIRE(i + 2 < uri.size());
          CHECK(isxdigit(static_cast<unsigned char>(uri[i + 1])));
          CHECK(isxdigit(static_cast<unsigned char>(uri[i + 2])));
        }
      }
    }
  }
}

}  // namespace

TEST_CASE(
    "PercentEncodePath keeps unreserved characters and '/', encodes "
    "every other byte") {
  CHECK(PercentEncodePath("drivers/net/phy/asix.ko") == "drivers/net/phy/asix.ko");
  CHECK(PercentEncodePath("a b%c:d#e?f") == "a%20b%25c%3Ad%23e%3Ff");
  CHECK(PercentEncodePath(std::string("\0\xff\n", 3)) == "%00%FF%0A");
  CHECK(PercentEncodePath("caf\xc3\xa9") == "caf%C3%A9");
}

TEST_CASE("a clean run still lists the tool and one rule per check") {
  const nlohmann::json log = Sarif(CleanReport());
  CHECK(log["$schema"] == kSarifSchemaUri);
  CHECK(log["version"] == "2.1.0");
  REQUIRE(log["runs"].size() == 1);
  const nlohmann::json& run = log["runs"][0];
  const nlohmann::json& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "modrace");
  CHECK(driver["version"].is_string());
  REQUIRE(driver["rules"].size() == AllKindInfo().size());
  for (size_t i = 0; i < AllKindInfo().size(); ++i) {
    const nlohmann::json& rule = driver["rules"][i];
    CHECK(rule["id"] == FindingKindName(AllKindInfo()[i].kind));
    CHECK(!std::string(rule["shortDescription"]["text"]).empty());
    CHECK(!std::string(rule["help"]["text"]).empty());
  }
  CHECK(run["results"].empty());
  CHECK(run["originalUriBaseIds"]["SRCROOT"]["uri"] == "file:///src/linux/");
  CHECK(run["invocations"][0]["executionSuccessful"] == true);
  CHECK(!run["invocations"][0].contains("toolExecutionNotifications"));
}

TEST_CASE(
    "each finding is a result with rule, level, message, locations and "
    "properties") {
  const Report r = AsixReport();
  const nlohmann::json log = Sarif(r);
  const nlohmann::json& run = log["runs"][0];
  REQUIRE(run["results"].size() == r.findings.size());
  const nlohmann::json& rules = run["tool"]["driver"]["rules"];
  for (const auto& result : run["results"]) {
    CHECK(rules[result["ruleIndex"].get<size_t>()]["id"] == result["ruleId"]);
  }

  const nlohmann::json& collision = run["results"][0];
  CHECK(collision["ruleId"] == "module_name_collision");
  CHECK(collision["level"] == "error");
  CHECK(collision["message"]["text"] == r.findings[0].message);  // it names both .ko files
  // No Makefile line is known: the build outputs are the locations (GitHub
  // code scanning rejects a result without one), relative to the tree.
  const nlohmann::json& outputs = collision["locations"];
  REQUIRE(outputs.size() == 2);
  CHECK(outputs[0]["physicalLocation"]["artifactLocation"]["uri"] == "drivers/net/usb/asix.ko");
  CHECK(outputs[0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "SRCROOT");
  CHECK(!outputs[0]["physicalLocation"].contains("region"));
  CHECK(outputs[1]["physicalLocation"]["artifactLocation"]["uri"] == "drivers/net/phy/asix.ko");
  CHECK(collision["properties"]["files"] ==
        nlohmann::json::array({"drivers/net/usb/asix.ko", "drivers/net/phy/asix.ko"}));
  CHECK(collision["properties"]["confidence"] == "certain");
  CHECK(collision["properties"]["module"] == "asix");
  CHECK(collision["partialFingerprints"]["modraceFinding/v1"].get<std::string>().size() == 16);

  REQUIRE(run["results"][1]["locations"].size() == 1);
  CHECK(run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        ".tmp_versions/asix.mod");
  CHECK(std::string(run["results"][1]["message"]["text"]).find(".tmp_versions/asix.mod") !=
        std::string::npos);
  CHECK(run["results"][2]["level"] == "warning");
  CHECK(run["results"][2]["properties"]["confidence"] == "likely");
  // Info becomes a note; an output path the message does not name is added
  // to it on its own line.
  CHECK(run["results"][3]["level"] == "note");
  REQUIRE(run["results"][3]["locations"].size() == 1);
  CHECK(run["results"][3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "drivers/a.mod");
  CHECK(run["results"][3]["message"]["text"] ==
        r.findings[3].message + "\n  /src/linux/drivers/a.mod");
  // The report is incomplete: the invocation says so.
  const nlohmann::json& notes = run["invocations"][0]["toolExecutionNotifications"];
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["level"] == "warning");
  CheckUris(run);
}

TEST_CASE("fingerprints are stable across runs and differ between problems") {
  const nlohmann::json a = Sarif(AsixReport())["runs"][0]["results"];
  const nlohmann::json b = Sarif(AsixReport())["runs"][0]["results"];
  CHECK(a[0]["partialFingerprints"] == b[0]["partialFingerprints"]);
  CHECK(a[0]["partialFingerprints"] != a[1]["partialFingerprints"]);
}

TEST_CASE("hostile bytes give valid SARIF with exact percent-encoded URIs") {
  const Report r = HostileReport();
  const nlohmann::json log = Sarif(r);
  const nlohmann::json& run = log["runs"][0];
  const std::string root = run["originalUriBaseIds"]["SRCROOT"]["uri"];
  CHECK(root == "file://" + PercentEncodePath(r.tree) + "/");
  const nlohmann::json& collision = run["results"][0];
  CHECK(collision["message"]["text"] == DisplayText(MessageWithArtifacts(r.findings[0])));
  CHECK(collision["properties"]["module"] == DisplayText(*r.findings[0].module));
  REQUIRE(collision["locations"].size() == 4);
  const nlohmann::json& second = collision["locations"][1]["physicalLocation"]["artifactLocation"];
  CHECK(second["uri"] == "drivers/x/%FF%FE%EF%BF%BE.ko");
  CHECK(second["uriBaseId"] == "SRCROOT");
  CHECK(collision["locations"][2]["physicalLocation"]["artifactLocation"]["uri"] == "rel/y.ko");
  // A path outside the tree keeps its absolute file:// URI.
  const nlohmann::json& outside = collision["locations"][3]["physicalLocation"]["artifactLocation"];
  CHECK(outside["uri"] == "file:///elsewhere/abs%20z.ko");
  CHECK(!outside.contains("uriBaseId"));
  REQUIRE(collision["properties"]["files"].size() == 4);
  CHECK(collision["properties"]["files"][1] == DisplayText(r.findings[0].paths[1] + ".ko"));
  // A finding that points at no file (an overflow gap) is located at the tree.
  REQUIRE(run["results"][2]["locations"].size() == 1);
  const nlohmann::json& tree = run["results"][2]["locations"][0]["physicalLocation"];
  CHECK(tree["artifactLocation"]["uri"] == ".");
  CHECK(tree["artifactLocation"]["uriBaseId"] == "SRCROOT");
  CheckUris(run);
  // A hostile Makefile line as a location: an exact percent-encoded URI.
  Report located = HostileReport();
  const std::string makefile = std::string("drivers/x y\xff/Makefile");
  located.findings[0].evidence.push_back(
      {0, makefile, makefile + ":9: obj-m += y.o", std::nullopt});
  const nlohmann::json with_file = Sarif(located)["runs"][0];
  const nlohmann::json& loc = with_file["results"][0]["locations"];
  REQUIRE(loc.size() == 1);
  CHECK(loc[0]["physicalLocation"]["artifactLocation"]["uri"] == "drivers/x%20y%FF/Makefile");
  CHECK(loc[0]["physicalLocation"]["region"]["startLine"] == 9);
  CheckUris(with_file);
}

TEST_CASE(
    "a finding whose evidence quotes its Makefile line is located there, "
    "by line") {
  Report r = AsixReport();
  r.findings[0].evidence.push_back(
      {0, "drivers/net/phy/Makefile",
       "drivers/net/phy/Makefile:42: obj-$(CONFIG_AX88796B_PHY) += asix.o", std::nullopt});
  r.findings[0].evidence.push_back({0, "/src/linux/drivers/net/usb/Kbuild",
                                    "/src/linux/drivers/net/usb/Kbuild:7: obj-m += asix.o",
                                    std::nullopt});
  const nlohmann::json run = Sarif(r)["runs"][0];
  const nlohmann::json& locations = run["results"][0]["locations"];
  REQUIRE(locations.size() == 2);
  CHECK(locations[0]["physicalLocation"]["artifactLocation"]["uri"] == "drivers/net/phy/Makefile");
  CHECK(locations[0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "SRCROOT");
  CHECK(locations[0]["physicalLocation"]["region"]["startLine"] == 42);
  // An absolute path inside the tree becomes relative to it.
  CHECK(locations[1]["physicalLocation"]["artifactLocation"]["uri"] == "drivers/net/usb/Kbuild");
  CHECK(locations[1]["physicalLocation"]["region"]["startLine"] == 7);
}

TEST_CASE("a tree that is not an absolute path leaves SRCROOT to the viewer") {
  Report r = AsixReport();
  r.tree = "tests/scenarios/rothwell_asix_tmp_versions.jsonl";
  const nlohmann::json run = Sarif(r)["runs"][0];
  CHECK(!run["originalUriBaseIds"]["SRCROOT"].contains("uri"));
  // Every result still has a location: its outputs, relative to the tree.
  for (const auto& result : run["results"]) CHECK(!result["locations"].empty());
  CHECK(run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        ".tmp_versions/asix.mod");
}

TEST_CASE("a known Makefile line is the location, not the build outputs") {
  Report r = AsixReport();
  r.findings[0].evidence.push_back(
      {0, "drivers/net/phy/Makefile",
       "drivers/net/phy/Makefile:42: obj-$(CONFIG_AX88796B_PHY) += asix.o", std::nullopt});
  const nlohmann::json locations = Sarif(r)["runs"][0]["results"][0]["locations"];
  REQUIRE(locations.size() == 1);
  CHECK(locations[0]["physicalLocation"]["artifactLocation"]["uri"] == "drivers/net/phy/Makefile");
}

TEST_CASE("one result per cause: the others as related locations and same_cause") {
  const Report r = KbuildTwiceReport();
  const nlohmann::json doc = Sarif(r);
  const nlohmann::json& results = doc["runs"][0]["results"];
  REQUIRE(results.size() == 1);
  const nlohmann::json& result = results[0];
  CHECK(result["ruleId"] == "write_hazard");
  CHECK(result["level"] == "error");
  CHECK(result["properties"]["finding_id"] == 2);
  CHECK(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Kbuild");
  CHECK(result["locations"][0]["physicalLocation"]["region"]["startLine"] == 8);
  const std::string text = result["message"]["text"];
  CHECK(text.find("\nSame cause: 7 more findings") != std::string::npos);
  const nlohmann::json& same = result["properties"]["same_cause"];
  REQUIRE(same.size() == 7);
  CHECK(same[0]["finding_id"] == 1);
  CHECK(same[0]["kind"] == "write_hazard");
  CHECK(same[6]["kind"] == "duplicate_module_path");
  CHECK(same[6]["severity"] == "warning");
  const nlohmann::json& related = result["relatedLocations"];
  REQUIRE(related.size() == 7);
  CHECK(related[0]["id"] == 1);
  CHECK(related[0]["physicalLocation"]["artifactLocation"]["uri"] == "sub/.x.o.d");
  CHECK(related[0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "SRCROOT");
  CHECK(std::string(related[0]["message"]["text"]).rfind("write_hazard sub/.x.o.d: ", 0) == 0);
  CHECK(related[6]["physicalLocation"]["artifactLocation"]["uri"] == "sub/x.ko");
  // A report whose findings are each their own cause has no such keys.
  const nlohmann::json asix = Sarif(AsixReport());  // the loop's range lives in it
  for (const auto& res : asix["runs"][0]["results"]) {
    CHECK_FALSE(res.contains("relatedLocations"));
    CHECK_FALSE(res["properties"].contains("same_cause"));
  }
}

}  // namespace modrace
