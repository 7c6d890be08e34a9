// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/github_format.h"

#include "common/plural.h"

#include "client/format/cause_groups.h"
#include "client/format/display_text.h"
#include "client/format/finding_presentation.h"

namespace modrace {

namespace {

// GitHub's workflow commands: error, warning, notice.
std::string_view CommandOf(Severity s) {
  return s == Severity::kInfo ? "notice" : SeverityName(s);
}

std::string Escape(std::string_view bytes, bool property) {
  const std::string text = DisplayText(bytes);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// The runner makes an absolute file path inside the workspace relative to
// the repository, so an absolute path still annotates the right file when
// the tree is a subdirectory of the checkout; a relative one could not say
// which subdirectory. With no absolute tree, the path goes as it is.
std::string AnnotationFile(const std::string& artifact, const std::string& tree) {
  if (artifact.empty() || artifact.front() == '/' || tree.empty() || tree.front() != '/') {
    return artifact;
  }
  std::string rel = artifact;
  while (rel.compare(0, 2, "./") == 0) rel = rel.substr(2);
  return tree.back() == '/' ? tree + rel : tree + "/" + rel;
}

}  // namespace

std::string GitHubEscapeData(std::string_view bytes) { return Escape(bytes, false); }
std::string GitHubEscapeProperty(std::string_view bytes) { return Escape(bytes, true); }

void RenderGithub(const Report& report, std::ostream& out) {
  bool gap_reported = false;
  // One annotation per cause: the headline, the others listed in its
  // message (docs/architecture.md, Causes).
  for (const CauseGroup& g : GroupByCause(report.findings)) {
    const Finding& f = *g.headline;
    const FindingKindInfo& info = InfoOf(f.kind);
    gap_reported = gap_reported || f.kind == FindingKind::kCoverageGap;
    std::string message = f.message;
    const auto artifacts = FindingArtifacts(f);
    for (const auto& a : artifacts) message += "\n  " + a;
    if (!g.others.empty()) {
      message += "\nSame cause: " + Counted(g.others.size(), "more finding", "more findings");
      for (size_t i = 0; i < g.others.size() && i < kSameCauseShown; ++i) {
        message += "\n  " + DisplayLine(SameCauseLine(*g.others[i]));
      }
      if (g.others.size() > kSameCauseShown) {
        message += "\n  ... " + std::to_string(g.others.size() - kSameCauseShown) +
                   " more in the JSON report";
      }
    }
    message += "\nWhat to do: " + AdviceFor(f);
    // Only a Kbuild or Makefile line is a file of the pull request; build
    // outputs stay in the message (FindingSourceLines).
    const auto sources = FindingSourceLines(f);
    out << "::" << CommandOf(f.severity) << " ";
    if (!sources.empty()) {
      out << "file=" << GitHubEscapeProperty(AnnotationFile(sources.front().file, report.tree))
          << ",line=" << sources.front().line << ",";
    }
    out << "title="
        << GitHubEscapeProperty("modrace: " + std::string(info.title) + " (" +
                                std::string(ConfidenceName(f.confidence)) + ")")
        << "::" << GitHubEscapeData(message) << "\n";
  }
  if (!report.complete && !gap_reported) {
    out << "::warning title=" << GitHubEscapeProperty("modrace: incomplete report")
        << "::" << GitHubEscapeData(IncompleteSummary(report)) << "\n";
  }
  // One line whatever the bytes (DisplayLine), so a hostile tree name
  // cannot put a command at the start of the next line.
  out << DisplayLine("modrace: " + FindingsOfCauses(report.findings) +
                     (report.tree.empty() ? "" : " in " + report.tree) + " (" + CountsOf(report) +
                     ")")
      << "\n";
}

}  // namespace modrace
