// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/diag_format.h"

#include <string>
#include <vector>

#include "client/format/cause_groups.h"
#include "client/format/display_text.h"
#include "client/format/finding_presentation.h"

namespace modrace {

namespace {

// Evidence lines shown per finding; the JSON report has them all.
constexpr size_t kEvidenceShown = 3;

std::string_view SeverityWord(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      break;
  }
  return "note";
}

// `path` relative to the tree when it lies inside it.
std::string InTree(const std::string& path, const std::string& tree) {
  if (tree.empty() || tree.front() != '/') return path;
  const std::string root = tree.back() == '/' ? tree : tree + "/";
  return path.compare(0, root.size(), root) == 0 ? path.substr(root.size()) : path;
}

// Where a finding's lines go: "Kbuild:7", "drivers/net/usb/asix.ko", or
// "modrace" for a finding about no file.
std::string PlaceOf(const Finding& f, const std::vector<SourceLine>& sources,
                    const std::string& tree) {
  if (!sources.empty()) {
    return InTree(sources.front().file, tree) + ":" + std::to_string(sources.front().line);
  }
  for (const std::string& a : FindingArtifacts(f)) {
    if (!a.empty()) return InTree(a, tree);
  }
  return "modrace";
}

void Line(std::ostream& out, const std::string& place, std::string_view word,
          const std::string& text) {
  out << DisplayLine(place) << ": " << word << ": " << DisplayLine(text) << "\n";
}

// A cause's headline as an error (or warning), its evidence and the other
// findings of its cause as notes (docs/architecture.md, Causes): the
// lines a build-log reader counts are one per cause.
void RenderFinding(const Report& report, const CauseGroup& g, std::ostream& out) {
  const Finding& f = *g.headline;
  // `sources` keeps each line's text; the evidence's quotes have none.
  const std::vector<SourceLine> sources = f.sources.empty() ? FindingSourceLines(f) : f.sources;
  const std::string place = PlaceOf(f, sources, report.tree);
  Line(out, place, SeverityWord(f.severity),
       f.message + " [modrace-" + std::string(FindingKindName(f.kind)) + "]");
  for (size_t i = 1; i < sources.size(); ++i) {
    const SourceLine& s = sources[i];
    Line(out, InTree(s.file, report.tree) + ":" + std::to_string(s.line), "note",
         "also built by" + (s.text.empty() ? std::string() : ": " + s.text));
  }
  for (const JobRef& j : f.jobs) Line(out, place, "note", JobHeading(j));
  size_t shown = 0;
  for (const Evidence& e : f.evidence) {
    if (++shown > kEvidenceShown) {
      Line(out, place, "note",
           std::to_string(f.evidence.size() - kEvidenceShown) + " more facts in the JSON report");
      break;
    }
    Line(out, place, "note", e.what);
  }
  for (size_t i = 0; i < g.others.size() && i < kSameCauseShown; ++i) {
    Line(out, place, "note", "same cause: " + SameCauseLine(*g.others[i]));
  }
  if (g.others.size() > kSameCauseShown) {
    Line(out, place, "note",
         std::to_string(g.others.size() - kSameCauseShown) +
             " more findings of this cause in the JSON report");
  }
  Line(out, place, "note", "what to do: " + AdviceFor(f));
}

}  // namespace

void RenderDiag(const Report& report, std::ostream& out) {
  bool gap_reported = false;
  for (const CauseGroup& g : GroupByCause(report.findings)) {
    gap_reported = gap_reported || g.headline->kind == FindingKind::kCoverageGap;
    RenderFinding(report, g, out);
  }
  if (!report.complete && !gap_reported) {
    Line(out, "modrace", "warning", "incomplete report: " + IncompleteSummary(report));
  }
}

}  // namespace modrace
