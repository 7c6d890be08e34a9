// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/text_format.h"

#include <algorithm>

#include "client/format/cause_groups.h"
#include "client/format/display_text.h"
#include "client/format/finding_presentation.h"

namespace modrace {

namespace {

// One terminal line (display_text.h).
std::string Line(std::string_view bytes) { return DisplayLine(bytes); }

// Which backend watched the build, and so whether writers can be named
// (daemon/backend_reason.h composes the reason). Nothing for audit and
// replay, which watched no build.
void RenderBackend(const Report& report, std::ostream& out) {
  if (report.backend == "fanotify") {
    out << "backend: fanotify beside inotify: writers are named by pid and command line\n";
  } else if (report.backend == "inotify") {
    const std::string& why = report.backend_reason;
    out << "backend: "
        << (why.empty() ? "inotify; inotify does not say which process wrote, so no writer is "
                          "named"
                        : Line(why))
        << "\n";
  }
}

constexpr size_t kRecipeShown = 100;
constexpr size_t kWritersShown = 4;
constexpr size_t kSourcesShown = 160;
constexpr size_t kSameCauseLine = 160;

std::string Cut(const std::string& s, size_t n) {
  return s.size() <= n ? s : s.substr(0, n - 3) + "...";
}

// Writers grouped by job: one line per job (its short name, its make, a
// shortened recipe); writers in no job one line each, the first few.
void RenderJobs(const Finding& f, std::ostream& out) {
  for (const JobRef& j : f.jobs) {
    out << "  " << Line(JobHeading(j));
    const bool unnamed = j.short_name.empty() && j.recipe.empty();
    if (!unnamed) out << "\n    recipe: " << Line(Cut(j.recipe, kRecipeShown));
    out << "\n";
  }
  size_t shown = 0, left = 0;
  for (const auto& w : f.writers) {
    if (w.job != 0) continue;  // its job's line names it
    if (shown == kWritersShown) {
      ++left;
      continue;
    }
    ++shown;
    out << "  writer: ";
    if (w.process) {
      out << "pid " << w.process->pid << " (" << Line(w.process->comm) << ") "
          << Line(Cut(w.process->cmdline, kRecipeShown));
    } else {
      out << "handle opened by seq " << w.open_seq << ", closed at seq " << w.close_seq;
    }
    out << "\n";
  }
  if (left > 0) out << "  ... " << left << " more writers in the JSON report\n";
}

// An evidence line that is one of the finding's sources word for word
// ("Kbuild:8: obj-m += sub/ sub/x.o", as a predicted finding's evidence is).
bool SaysASource(const Finding& f, const Evidence& e) {
  return std::any_of(f.sources.begin(), f.sources.end(), [&](const SourceLine& s) {
    return e.what == s.file + ":" + std::to_string(s.line) + ": " + s.text;
  });
}

// The other findings of a headline's cause, one line each, the first
// kSameCauseShown (docs/architecture.md, Causes).
void RenderSameCause(const CauseGroup& g, std::ostream& out) {
  if (g.others.empty()) return;
  out << "  same cause: " << g.others.size()
      << (g.others.size() == 1 ? " more finding\n" : " more findings\n");
  for (size_t i = 0; i < g.others.size() && i < kSameCauseShown; ++i) {
    out << "    " << Line(Cut(SameCauseLine(*g.others[i]), kSameCauseLine)) << "\n";
  }
  if (g.others.size() > kSameCauseShown) {
    out << "    ... " << (g.others.size() - kSameCauseShown) << " more in the JSON report\n";
  }
}

}  // namespace

void RenderText(const Report& report, std::ostream& out) {
  if (report.findings.empty()) {
    out << "modrace: no findings" << (report.tree.empty() ? "" : " in " + Line(report.tree))
        << " (" << CountsOf(report) << ")\n";
  }
  const std::vector<CauseGroup> groups = GroupByCause(report.findings);
  for (const CauseGroup& g : groups) {
    const Finding& f = *g.headline;
    out << SeverityName(f.severity) << ": " << FindingKindName(f.kind) << " ("
        << ConfidenceName(f.confidence) << ")\n";
    out << "  " << Line(f.message) << "\n";
    for (const auto& p : f.paths) out << "  path: " << Line(p) << "\n";
    if (!f.sources.empty()) {
      out << "  built by: " << Line(Cut(SourcesLine(f.sources), kSourcesShown)) << "\n";
    }
    if (f.prediction) out << "  predicted, " << Line(PredictionLine(f)) << "\n";
    RenderJobs(f, out);
    std::vector<const Evidence*> facts;
    for (const auto& e : f.evidence) {
      if (!SaysASource(f, e)) facts.push_back(&e);  // else "built by:" has said it
    }
    for (size_t i = 0; i < facts.size(); ++i) {
      if (i == 3) {
        out << "  ... " << (facts.size() - 3) << " more facts in the JSON report\n";
        break;
      }
      const Evidence& e = *facts[i];
      out << "  evidence";
      if (ShowsSeq(report, e)) out << " (seq " << e.seq << ")";
      out << ": " << Line(e.what) << "\n";
    }
    RenderSameCause(g, out);
    out << "  what to do: " << Line(AdviceFor(f)) << "\n\n";
  }
  if (groups.size() < report.findings.size()) {
    out << "modrace: " << FindingsOfCauses(report.findings)
        << (report.tree.empty() ? "" : " in " + Line(report.tree)) << "\n";
  }
  if (!report.jobs_unavailable.empty()) {
    out << "jobs: unavailable: " << Line(report.jobs_unavailable) << "\n";
  }
  if (!report.complete) out << "INCOMPLETE: " << IncompleteSummary(report) << "\n";
  RenderBackend(report, out);
}

}  // namespace modrace
