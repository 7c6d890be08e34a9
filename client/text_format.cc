#include "client/text_format.h"

#include "client/display_text.h"
#include "client/finding_presentation.h"

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

}  // namespace

void RenderText(const Report& report, std::ostream& out) {
  if (report.findings.empty()) {
    out << "modrace: no findings in " << Line(report.tree) << " (" << report.statistics.events
        << " events, " << report.statistics.modules_seen << " modules)\n";
  }
  for (const auto& f : report.findings) {
    out << SeverityName(f.severity) << ": " << FindingKindName(f.kind) << " ("
        << ConfidenceName(f.confidence) << ")\n";
    out << "  " << Line(f.message) << "\n";
    for (const auto& p : f.paths) out << "  path: " << Line(p) << "\n";
    for (const auto& w : f.writers) {
      out << "  writer: ";
      if (w.process) {
        out << "pid " << w.process->pid << " (" << Line(w.process->comm) << ") "
            << Line(w.process->cmdline);
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
      out << "  evidence (seq " << e.seq << "): " << Line(e.what) << "\n";
    }
    out << "  what to do: " << Line(AdviceFor(f)) << "\n\n";
  }
  if (!report.complete) out << "INCOMPLETE: " << IncompleteSummary(report.coverage) << "\n";
  RenderBackend(report, out);
}

}  // namespace modrace
