// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/report_output.h"

#include <doctest/doctest.h>

#include <sstream>

#include "client/exit_codes.h"
#include "client/format/format_testing.h"

namespace modrace {

namespace {

Report WithSeverities(std::initializer_list<Severity> severities) {
  Report r = CleanReport();
  uint64_t id = 0;
  for (Severity s : severities) {
    Finding f;
    f.id = ++id;
    f.severity = s;
    f.kind = FindingKind::kConcurrentWriters;
    f.message = "m";
    r.findings.push_back(f);
  }
  return r;
}

std::string Render(const Report& r, OutputFormat format) {
  std::ostringstream out;
  RenderReport(r, format, out);
  return out.str();
}

}  // namespace

TEST_CASE("every format name parses, and nothing else") {
  for (const auto& name : FormatNames()) CHECK(ParseFormat(name).has_value());
  CHECK(FormatNames().size() == 7);
  CHECK(!ParseFormat("xml").has_value());
  CHECK(!ParseFormat("").has_value());
  CHECK(!ParseFormat("JSON").has_value());
}

TEST_CASE("ResolveFormat: the named format wins, else text on a terminal, json when piped") {
  OutputOptions o;
  CHECK(ResolveFormat(o, true) == OutputFormat::kText);
  CHECK(ResolveFormat(o, false) == OutputFormat::kJson);
  o.format = "junit";
  CHECK(ResolveFormat(o, true) == OutputFormat::kJunit);
  CHECK(ResolveFormat(o, false) == OutputFormat::kJunit);
  o.format = "sarif";
  CHECK(ResolveFormat(o, false) == OutputFormat::kSarif);
  o.format = "github";
  CHECK(ResolveFormat(o, true) == OutputFormat::kGithub);
  o.format = "text";
  CHECK(ResolveFormat(o, false) == OutputFormat::kText);
  o.format = "json";
  CHECK(ResolveFormat(o, true) == OutputFormat::kJson);
}

TEST_CASE("ExitCodeFor: 1 when a finding is at or above --fail-on") {
  const Report clean = CleanReport();
  const Report errors = WithSeverities({Severity::kInfo, Severity::kError});
  const Report warnings = WithSeverities({Severity::kWarning, Severity::kInfo});
  const Report infos = WithSeverities({Severity::kInfo});
  CHECK(ExitCodeFor(clean, "error") == kExitClean);
  CHECK(ExitCodeFor(clean, "warning") == kExitClean);
  CHECK(ExitCodeFor(errors, "error") == kExitFindings);
  CHECK(ExitCodeFor(errors, "warning") == kExitFindings);
  CHECK(ExitCodeFor(errors, "never") == kExitClean);
  CHECK(ExitCodeFor(warnings, "error") == kExitClean);
  CHECK(ExitCodeFor(warnings, "warning") == kExitFindings);
  CHECK(ExitCodeFor(infos, "warning") == kExitClean);
  CHECK(ExitCodeFor(infos, "error") == kExitClean);
}

TEST_CASE("SummarizeFindings: the findings half of run's last line") {
  CHECK(SummarizeFindings(WithSeverities({})) == "no findings");
  CHECK(SummarizeFindings(WithSeverities({Severity::kError})) == "1 error found");
  CHECK(SummarizeFindings(WithSeverities({Severity::kError, Severity::kError})) ==
        "2 errors found");
  CHECK(SummarizeFindings(WithSeverities({Severity::kWarning, Severity::kError,
                                          Severity::kWarning, Severity::kInfo})) ==
        "1 error, 2 warnings, 1 note found");
  Report incomplete = WithSeverities({});
  incomplete.complete = false;
  CHECK(SummarizeFindings(incomplete) == "no findings (incomplete report)");
  CHECK(SummarizeFindings(KbuildTwiceReport()) == "7 errors, 1 warning found, of 1 cause");
}

TEST_CASE("RenderReport gives each format its own renderer") {
  const Report r = AsixReport();
  CHECK(Render(r, OutputFormat::kText).find("what to do:") != std::string::npos);
  const Report back = nlohmann::json::parse(Render(r, OutputFormat::kJson)).get<Report>();
  CHECK(back.findings.size() == r.findings.size());
  CHECK(Render(r, OutputFormat::kJunit).rfind("<?xml version=\"1.0\"", 0) == 0);
  CHECK(nlohmann::json::parse(Render(r, OutputFormat::kSarif))["version"] == "2.1.0");
  CHECK(Render(r, OutputFormat::kGithub).rfind("::error title=", 0) == 0);
}

TEST_CASE("--format and --fail-on accept their names and refuse others") {
  auto parse = [](std::vector<std::string> args, OutputOptions* o) {
    CLI::App app;
    AddOutputOptions(&app, o);
    std::reverse(args.begin(), args.end());
    app.parse(args);
  };
  OutputOptions o;
  parse({"--format", "sarif", "--fail-on", "never"}, &o);
  CHECK(o.format == "sarif");
  CHECK(o.fail_on == "never");
  OutputOptions bad;
  CHECK_THROWS_AS(parse({"--format", "xml"}, &bad), CLI::ParseError);
  CHECK_THROWS_AS(parse({"--fail-on", "info"}, &bad), CLI::ParseError);
}

}  // namespace modrace
