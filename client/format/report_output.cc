// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/report_output.h"

#include "client/exit_codes.h"
#include "client/format/cause_groups.h"
#include "client/format/diag_format.h"
#include "client/format/github_format.h"
#include "client/format/junit_format.h"
#include "client/format/sarif_format.h"
#include "client/format/text_format.h"
#include "client/format/trace_format.h"
#include "proto/bytes_json.h"

namespace modrace {

const std::vector<std::string>& FormatNames() {
  static const std::vector<std::string> kNames = {"text",   "json", "junit", "sarif",
                                                  "github", "diag", "trace"};
  return kNames;
}

std::optional<OutputFormat> ParseFormat(const std::string& name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "json") return OutputFormat::kJson;
  if (name == "junit") return OutputFormat::kJunit;
  if (name == "sarif") return OutputFormat::kSarif;
  if (name == "github") return OutputFormat::kGithub;
  if (name == "diag") return OutputFormat::kDiag;
  if (name == "trace") return OutputFormat::kTrace;
  return std::nullopt;
}

void AddOutputOptions(CLI::App* sub, OutputOptions* options) {
  sub->add_option("--format", options->format,
                  "Output format: text (default on a terminal), json (default when piped), "
                  "junit, sarif, github, diag (FILE:LINE: error: ..., as gcc prints), trace "
                  "(Chrome Trace Event JSON of the build's jobs and findings, for Perfetto)")
      ->check(CLI::IsMember(FormatNames()));
  sub->add_option("--fail-on", options->fail_on,
                  "Exit 1 when a finding is at or above this severity (default: error)")
      ->check(CLI::IsMember({"error", "warning", "never"}));
}

OutputFormat ResolveFormat(const OutputOptions& options, bool stdout_is_tty) {
  if (auto f = ParseFormat(options.format)) return *f;
  return stdout_is_tty ? OutputFormat::kText : OutputFormat::kJson;
}

void RenderReport(const Report& report, OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kJson:
      out << DumpLine(nlohmann::json(report)) << "\n";
      return;
    case OutputFormat::kJunit:
      RenderJunit(report, out);
      return;
    case OutputFormat::kSarif:
      RenderSarif(report, out);
      return;
    case OutputFormat::kGithub:
      RenderGithub(report, out);
      return;
    case OutputFormat::kTrace:
      RenderTrace(report, out);
      return;
    case OutputFormat::kDiag:
      RenderDiag(report, out);
      return;
    case OutputFormat::kText:
      RenderText(report, out);
      return;
  }
  RenderText(report, out);  // unreachable: every format has a case above
}

int ExitCodeFor(const Report& report, const std::string& fail_on) {
  if (fail_on == "never") return kExitClean;
  const Severity threshold = fail_on == "warning" ? Severity::kWarning : Severity::kError;
  for (const auto& f : report.findings) {
    if (f.severity >= threshold) return kExitFindings;
  }
  return kExitClean;
}

std::string SummarizeFindings(const Report& report) {
  size_t counts[3] = {0, 0, 0};  // by Severity: info, warning, error
  for (const auto& f : report.findings) ++counts[static_cast<int>(f.severity)];
  std::string s;
  const char* names[3][2] = {{"note", "notes"}, {"warning", "warnings"}, {"error", "errors"}};
  for (int sev = 2; sev >= 0; --sev) {
    if (counts[sev] == 0) continue;
    s += (s.empty() ? "" : ", ") + std::to_string(counts[sev]) + " " +
         names[sev][counts[sev] == 1 ? 0 : 1];
  }
  s = s.empty() ? "no findings" : s + " found";
  // docs/architecture.md, Causes.
  const size_t causes = GroupByCause(report.findings).size();
  if (causes < report.findings.size()) {
    s += ", of " + std::to_string(causes) + (causes == 1 ? " cause" : " causes");
  }
  return report.complete ? s : s + " (incomplete report)";
}

}  // namespace modrace
