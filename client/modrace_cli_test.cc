// SPDX-License-Identifier: GPL-2.0-only
// The real //client:modrace binary on a recorded race: every --format, the
// exit codes a pipeline relies on, and `replay --help`. Runs from the
// runfiles root, where the binary is client/modrace.

#include <doctest/doctest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>
#include <string>

#include "client/exit_codes.h"
#include "client/format/format_testing.h"
#include "proto/report.h"

namespace modrace {

namespace {

const char kScenario[] = "tests/scenarios/rothwell_asix_tmp_versions.jsonl";

struct Run {
  int status = -1;  // exit code, or -1 when it did not exit normally
  std::string out;  // stdout, with stderr too when `merge_stderr`
};

// Runs client/modrace with `args` (already shell-quoted where needed).
Run Modrace(const std::string& args, bool merge_stderr = false) {
  const std::string cmd =
      "client/modrace " + args + (merge_stderr ? " 2>&1" : " 2>/dev/null") + " </dev/null";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  if (WIFEXITED(status)) r.status = WEXITSTATUS(status);
  return r;
}

std::string Replay(const std::string& format) {
  return std::string("replay ") + kScenario + " --format " + format;
}

}  // namespace

TEST_CASE("replay renders the asix race in every format, exit 1 for findings") {
  SUBCASE("json") {
    const Run r = Modrace(Replay("json"));
    CHECK(r.status == kExitFindings);
    const Report report = nlohmann::json::parse(r.out).get<Report>();
    CHECK(report.backend == "replay");
    CHECK(report.findings.size() == 4);
    // A recording does not name its tree; without --root the report names
    // none (the current directory is not the tree).
    CHECK(report.tree == "");
    const Run rooted = Modrace(Replay("json") + " --root /src/linux");
    CHECK(nlohmann::json::parse(rooted.out).get<Report>().tree == "/src/linux");
  }
  SUBCASE("text") {
    const Run r = Modrace(Replay("text"));
    CHECK(r.status == kExitFindings);
    CHECK(r.out.find("module_name_collision") != std::string::npos);
    CHECK(r.out.find("what to do:") != std::string::npos);
  }
  SUBCASE("junit") {
    const Run r = Modrace(Replay("junit"));
    CHECK(r.status == kExitFindings);
    const nlohmann::json doc = ParseJunit(r.out);
    REQUIRE_MESSAGE(!doc.contains("error"), doc.dump());
    REQUIRE(doc["suites"].size() == 1);
    CHECK(doc["suites"][0]["attrib"]["name"] == "modrace");
    CHECK(doc["suites"][0]["attrib"]["failures"] == "4");
    bool asix = false;
    for (const auto& tc : doc["suites"][0]["testcases"]) {
      asix = asix || tc["attrib"]["name"] == "module names: asix";
    }
    CHECK(asix);
  }
  SUBCASE("sarif") {
    const Run r = Modrace(Replay("sarif"));
    CHECK(r.status == kExitFindings);
    const std::string problem = CheckSarif(r.out);
    CHECK_MESSAGE(problem.empty(), problem);
    const nlohmann::json log = nlohmann::json::parse(r.out);
    const nlohmann::json& results = log["runs"][0]["results"];
    // One cause (docs/architecture.md, Causes): the clash, with the writes
    // on .tmp_versions/asix.mod as its related findings.
    REQUIRE(results.size() == 1);
    CHECK(results[0]["properties"]["same_cause"].size() == 3);
    const nlohmann::json* collision = nullptr;
    for (const auto& result : results) {
      if (result["ruleId"] == "module_name_collision") collision = &result;
    }
    REQUIRE(collision != nullptr);
    CHECK((*collision)["level"] == "error");
    CHECK((*collision)["properties"]["module"] == "asix");
    // A live finding knows no Makefile line: it is located at its build
    // outputs (GitHub code scanning rejects a result without a location).
    for (const auto& result : results) CHECK(!result["locations"].empty());
    CHECK((*collision)["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
          "drivers/net/usb/asix.ko");
    CHECK(std::string((*collision)["message"]["text"]).find("drivers/net/usb/asix.ko") !=
          std::string::npos);
    CHECK((*collision)["properties"]["files"][0] == "drivers/net/usb/asix.ko");
  }
  SUBCASE("github") {
    const Run r = Modrace(Replay("github"));
    CHECK(r.status == kExitFindings);
    const nlohmann::json doc = ParseGithub(r.out);
    REQUIRE_MESSAGE(!doc.contains("error"), doc.dump());
    const nlohmann::json& lines = doc["lines"];
    // One annotation for the one cause, and the summary line.
    REQUIRE(lines.size() == 2);
    CHECK(std::string(lines[0]["data"]).find("\nSame cause: 3 more findings\n") !=
          std::string::npos);
    CHECK(lines[1]["plain"] == "modrace: 4 findings of 1 cause (10 events, 2 modules)");
    bool asix = false;
    for (int i = 0; i < 1; ++i) {
      CHECK(lines[i]["command"] == "error");
      // No build output as the annotation's file; the message names it.
      CHECK(!lines[i]["properties"].contains("file"));
      asix = asix || std::string(lines[i]["data"]).find("drivers/net/usb/asix.ko") !=
                         std::string::npos;
    }
    CHECK(asix);
  }
}

TEST_CASE("--fail-on never exits 0 in every format; --root names the tree") {
  for (const char* format : {"text", "json", "junit", "sarif", "github"}) {
    CAPTURE(format);
    const Run r = Modrace(Replay(format) + " --fail-on never");
    CHECK(r.status == kExitClean);
    CHECK(!r.out.empty());
  }
  const Run sarif = Modrace(Replay("sarif") + " --root /src/linux");
  CHECK(sarif.status == kExitFindings);
  CHECK(nlohmann::json::parse(sarif.out)["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"] ==
        "file:///src/linux/");
}

TEST_CASE("bad input and bad usage exit 2 with a hint") {
  const Run missing = Modrace("replay /nonexistent/events.jsonl --format junit", true);
  CHECK(missing.status == kExitUsage);
  CHECK(missing.out.find("cannot read /nonexistent/events.jsonl: No such file or directory") !=
        std::string::npos);

  // A report given to replay is named as one.
  const Run report = Modrace("replay client/format/testdata/github_parse.py", true);
  CHECK(report.status == kExitUsage);
  CHECK(report.out.find("json.exception") == std::string::npos);
  CHECK(report.out.find("is not a recording of events") != std::string::npos);
  const Run saved = Modrace(Replay("json") + " > \"$TEST_TMPDIR/replay-report.json\"; "
                            "client/modrace replay \"$TEST_TMPDIR/replay-report.json\"", true);
  CHECK(saved.status == kExitUsage);
  CHECK_MESSAGE(saved.out.find("replay-report.json is a report, not a recording of events") !=
                    std::string::npos,
                saved.out);
  CHECK(saved.out.find("'modrace report --from ") != std::string::npos);
  // And a recording given to report --from.
  const Run recording = Modrace(std::string("report --from ") + kScenario, true);
  CHECK(recording.status == kExitUsage);
  CHECK(recording.out.find("is a recording of events") != std::string::npos);
  CHECK(recording.out.find("use 'modrace replay") != std::string::npos);

  // A directory and an empty file are no recordings; /dev/zero is no report.
  const Run dir = Modrace("replay client", true);
  CHECK(dir.status == kExitUsage);
  CHECK_MESSAGE(dir.out.find("client: it is a directory") != std::string::npos, dir.out);
  const Run empty = Modrace("--version >/dev/null; : > \"$TEST_TMPDIR/empty.jsonl\"; client/modrace replay "
                            "\"$TEST_TMPDIR/empty.jsonl\"", true);
  CHECK(empty.status == kExitUsage);
  CHECK_MESSAGE(empty.out.find("empty.jsonl is empty: no events") != std::string::npos,
                empty.out);
  const Run zero = Modrace("report --from /dev/zero", true);
  CHECK(zero.status == kExitUsage);
  CHECK_MESSAGE(zero.out.find("not a regular file") != std::string::npos, zero.out);

  const Run bad_format = Modrace(Replay("xml"), true);
  CHECK(bad_format.status == kExitUsage);
  CHECK(bad_format.out.find("--help") != std::string::npos);

  const Run bad_fail_on = Modrace(Replay("json") + " --fail-on sometimes", true);
  CHECK(bad_fail_on.status == kExitUsage);

  const Run bad_flag = Modrace(std::string("replay ") + kScenario + " --no-such-flag", true);
  CHECK(bad_flag.status == kExitUsage);

  const Run no_file = Modrace("replay", true);
  CHECK(no_file.status == kExitUsage);

  const Run unknown = Modrace("no-such-command", true);
  CHECK(unknown.status == kExitUsage);
}

TEST_CASE("a bad line in the middle: the good prefix's report, marked incomplete") {
  const std::string file = "\"$TEST_TMPDIR/torn.jsonl\"";
  const Run r = Modrace(std::string("--version >/dev/null; { head -n 5 ") + kScenario +
                            "; echo '{not json'; tail -n 1 " + kScenario + "; } > " + file +
                            "; client/modrace replay " + file + " --format json --fail-on never");
  CHECK(r.status == kExitClean);
  const Report report = nlohmann::json::parse(r.out).get<Report>();
  CHECK_FALSE(report.complete);
  CHECK(report.statistics.events == 5);
  const Run err = Modrace(std::string("--version >/dev/null; client/modrace replay ") + file +
                              " --format json --fail-on never 2>\"$TEST_TMPDIR/err\" >/dev/null; "
                              "cat \"$TEST_TMPDIR/err\"");
  CHECK_MESSAGE(err.out.find("torn.jsonl: line 6: ") != std::string::npos, err.out);
  CHECK(err.out.find("incomplete") != std::string::npos);
}

TEST_CASE("replay --help answers") {
  const Run help = Modrace("replay --help");
  CHECK(help.status == kExitClean);
  CHECK(help.out.find("FILE") != std::string::npos);
  CHECK(help.out.find("--format") != std::string::npos);
  CHECK(help.out.find("--fail-on") != std::string::npos);
  CHECK(help.out.find("junit") != std::string::npos);
}

}  // namespace modrace
