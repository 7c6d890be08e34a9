#include "client/text_format.h"

namespace modrace {

namespace {

const char* Advice(FindingKind kind) {
  switch (kind) {
    case FindingKind::kModuleNameCollision:
      return "rename one of the modules (kbuild's modules-check.sh would stop the build; "
             "before 5.3 they raced on .tmp_versions/NAME.mod)";
    case FindingKind::kConcurrentWriters:
      return "two make jobs built one target: look for a path reachable twice "
             "(obj-m += sub/ sub/x.o) or two makes on one tree";
    case FindingKind::kClobberedFile:
      return "one module's record was overwritten by another's: rename one module";
    case FindingKind::kTornFile:
      return "the file holds interleaved writes: the build output cannot be trusted; "
             "fix the race and rebuild clean";
    case FindingKind::kDuplicateModulePath:
      return "list the module once in obj-m";
    case FindingKind::kCoverageGap:
      return "the report may be incomplete: see the coverage line below";
  }
  return "";
}

}  // namespace

void RenderText(const Report& report, std::ostream& out) {
  if (report.findings.empty()) {
    out << "modrace: no findings in " << report.tree << " (" << report.statistics.events
        << " events, " << report.statistics.modules_seen << " modules)\n";
  }
  for (const auto& f : report.findings) {
    out << SeverityName(f.severity) << ": " << FindingKindName(f.kind) << " ("
        << ConfidenceName(f.confidence) << ")\n";
    out << "  " << f.message << "\n";
    for (const auto& p : f.paths) out << "  path: " << p << "\n";
    for (const auto& w : f.writers) {
      out << "  writer: ";
      if (w.process) {
        out << "pid " << w.process->pid << " (" << w.process->comm << ") " << w.process->cmdline;
      } else {
        out << "handle opened by seq " << w.open_seq << ", closed at seq " << w.close_seq;
      }
      out << "\n";
    }
    size_t shown = 0;
    for (const auto& e : f.evidence) {
      if (++shown > 3) {
        out << "  ... " << (f.evidence.size() - 3) << " more facts in the JSON report\n";
        break;
      }
      out << "  evidence (seq " << e.seq << "): " << e.what << "\n";
    }
    out << "  what to do: " << Advice(f.kind) << "\n\n";
  }
  if (!report.complete) {
    const Coverage& c = report.coverage;
    out << "INCOMPLETE: this report may miss races: " << c.overflows << " queue overflow(s), "
        << c.unwatched_dirs << " unwatched director(ies), " << c.unreadable_files
        << " unreadable and " << c.oversized_files << " oversized artifact(s)\n";
  }
}

}  // namespace modrace
