// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/github_format.h"

#include <doctest/doctest.h>

#include <sstream>

#include "client/format/display_text.h"
#include "client/format/finding_presentation.h"
#include "client/format/format_testing.h"
#include "proto/bytes_json.h"

namespace modrace {

namespace {

std::string Github(const Report& r) {
  std::ostringstream out;
  RenderGithub(r, out);
  return out.str();
}

// The runner's reading of the output, after checking every line is UTF-8
// and no plain line could be taken for a command.
nlohmann::json Lines(const Report& r) {
  const std::string text = Github(r);
  CHECK(IsValidUtf8(text));
  const nlohmann::json doc = ParseGithub(text);
  REQUIRE_MESSAGE(!doc.contains("error"), doc.dump());
  return doc["lines"];
}

size_t Commands(const nlohmann::json& lines) {
  size_t n = 0;
  for (const auto& l : lines) n += l.contains("command") ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("GitHub escaping: % CR LF in data; also : and , in properties") {
  CHECK(GitHubEscapeData("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d");
  CHECK(GitHubEscapeProperty("50% a\r\nb: c, d") == "50%25 a%0D%0Ab%3A c%2C d");
  CHECK(GitHubEscapeData("%0A") == "%250A");
  CHECK(GitHubEscapeData(std::string("\0\xff", 2)) == "\\x00\\xff");
}

TEST_CASE("a clean report is one plain summary line") {
  const nlohmann::json lines = Lines(CleanReport());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["plain"] == "modrace: 0 findings in /src/linux (5000 events, 50 modules)");
}

TEST_CASE("one annotation per finding, by severity; build outputs are no file of it") {
  const Report r = AsixReport();
  const nlohmann::json lines = Lines(r);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0]["command"] == "error");
  CHECK(lines[0]["properties"]["title"] == "modrace: Kernel module name collision (certain)");
  const std::string data = lines[0]["data"];
  CHECK(data.rfind(r.findings[0].message + "\n", 0) == 0);
  CHECK(data.find("\n  drivers/net/phy/asix.ko\n") != std::string::npos);
  CHECK(data.find("\nWhat to do: rename one of the modules") != std::string::npos);
  CHECK(lines[1]["command"] == "error");
  CHECK(std::string(lines[1]["data"]).find(".tmp_versions/asix.mod") != std::string::npos);
  CHECK(lines[2]["command"] == "warning");
  CHECK(lines[2]["properties"]["title"] == "modrace: Module path built twice (likely)");
  CHECK(lines[3]["command"] == "notice");
  CHECK(std::string(lines[3]["data"]).find("\n  /src/linux/drivers/a.mod") != std::string::npos);
  // No .ko, .mod or absolute output path is given as the annotation's file.
  for (size_t i = 0; i < 4; ++i) {
    CHECK_MESSAGE(!lines[i]["properties"].contains("file"), lines[i].dump());
    CHECK(!lines[i]["properties"].contains("line"));
  }
  CHECK(lines[4].contains("plain"));
  // The raw text has the documented shape: a plain ::error with a title.
  const std::string text = Github(r);
  CHECK(text.rfind("::error title=modrace%3A Kernel module name collision (certain)::2 modules "
                   "are named asix: ",
                   0) == 0);
}

TEST_CASE("a finding whose evidence quotes the Makefile line that builds it points there") {
  Report r = AsixReport();
  // As the audit's source model writes it.
  r.findings[0].evidence.push_back(
      {0, "drivers/net/phy/Makefile",
       "drivers/net/phy/Makefile:42: obj-$(CONFIG_AX88796B_PHY) += asix.o", std::nullopt});
  r.findings[0].evidence.push_back(
      {0, "drivers/net/usb/Makefile", "drivers/net/usb/Makefile:7: obj-m += asix.o", std::nullopt});
  const nlohmann::json lines = Lines(r);
  CHECK(lines[0]["properties"]["file"] == "/src/linux/drivers/net/phy/Makefile");
  CHECK(lines[0]["properties"]["line"] == "42");
  // The outputs stay in the message.
  CHECK(std::string(lines[0]["data"]).find("\n  drivers/net/usb/asix.ko\n") != std::string::npos);
  // A Makefile named as evidence without a quoted line is no location.
  Report bare = AsixReport();
  bare.findings[0].evidence.push_back({0, "drivers/Makefile", "read", std::nullopt});
  CHECK(!Lines(bare)[0]["properties"].contains("file"));
}

TEST_CASE("a live finding's sources (run) locate it at the line that builds its module") {
  Report r = AsixReport();
  r.findings[0].sources = {{"drivers/net/usb/Makefile", 7, "obj-m += asix.o"}};
  const nlohmann::json lines = Lines(r);
  CHECK(lines[0]["properties"]["file"] == "/src/linux/drivers/net/usb/Makefile");
  CHECK(lines[0]["properties"]["line"] == "7");
}

TEST_CASE("an incomplete report without a coverage finding adds a warning") {
  Report r = CleanReport();
  r.complete = false;
  r.coverage.unwatched_dirs = 3;
  const nlohmann::json lines = Lines(r);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["command"] == "warning");
  CHECK(lines[0]["properties"]["title"] == "modrace: incomplete report");
  CHECK(std::string(lines[0]["data"]).find("3 unwatched") != std::string::npos);
}

TEST_CASE("hostile bytes cannot end a command early or inject another") {
  const Report r = HostileReport();
  const nlohmann::json lines = Lines(r);
  // Three findings, one summary: the "::error::" and "::warning::" inside
  // messages, paths and the tree made no command of their own.
  REQUIRE(lines.size() == 4);
  CHECK(Commands(lines) == 3);
  const Finding& f = r.findings[0];
  CHECK(lines[0]["command"] == "error");
  CHECK(!lines[0]["properties"].contains("file"));
  CHECK(std::string(lines[0]["data"]).rfind(DisplayText(f.message) + "\n", 0) == 0);
  for (const auto& a : FindingArtifacts(f)) {
    CHECK(std::string(lines[0]["data"]).find("\n  " + DisplayText(a) + "\n") != std::string::npos);
  }
  CHECK(lines[1]["command"] == "warning");
  CHECK(!lines[1]["properties"].contains("file"));
  // A hostile Makefile path as a location: escaped, still one command.
  Report located = HostileReport();
  const std::string makefile = std::string("drivers/x,y:\xff\n::error::z/Makefile");
  located.findings[0].evidence.push_back(
      {0, makefile, makefile + ":3: obj-m += y.o", std::nullopt});
  const nlohmann::json with_file = Lines(located);
  REQUIRE(with_file.size() == 4);
  CHECK(Commands(with_file) == 3);
  CHECK(with_file[0]["properties"]["file"] == DisplayText(located.tree + "/" + makefile));
  CHECK(with_file[0]["properties"]["line"] == "3");
  CHECK(lines[2]["command"] == "notice");
  CHECK(!lines[2]["properties"].contains("file"));
  CHECK(std::string(lines[2]["data"]).rfind("%0A%25 already\n", 0) == 0);
  const std::string summary = lines[3]["plain"];
  CHECK(summary.find("\\n::error::x\\xff") != std::string::npos);
}

TEST_CASE("one annotation per cause, at its Kbuild line, the others in its message") {
  const Report r = KbuildTwiceReport();
  const nlohmann::json lines = Lines(r);
  REQUIRE(lines.size() == 2);
  CHECK(Commands(lines) == 1);
  CHECK(lines[0]["command"] == "error");
  CHECK(lines[0]["properties"]["file"] == "/src/kbuild-twice/Kbuild");
  CHECK(lines[0]["properties"]["line"] == "8");
  CHECK(lines[0]["properties"]["title"] ==
        "modrace: One file written by two unordered jobs (certain)");
  const std::string data = lines[0]["data"];
  CHECK(data.rfind("sub/x.o is built twice: ", 0) == 0);
  CHECK(data.find("\nSame cause: 7 more findings\n  write_hazard sub/.x.o.d: ") !=
        std::string::npos);
  CHECK(data.find("\n  duplicate_module_path sub/x: sub/x.ko is built twice") != std::string::npos);
  CHECK(data.find("\nWhat to do: ") != std::string::npos);
  CHECK(lines[1]["plain"] ==
        "modrace: 8 findings of 1 cause in /src/kbuild-twice (5000 events, 1 module)");
}

}  // namespace modrace
