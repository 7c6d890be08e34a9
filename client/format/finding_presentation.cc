// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/finding_presentation.h"

#include "common/plural.h"

namespace modrace {

bool PathsAreModulePaths(FindingKind kind) {
  return kind == FindingKind::kModuleNameCollision || kind == FindingKind::kDuplicateModulePath;
}

std::vector<std::string> FindingArtifacts(const Finding& f) {
  std::vector<std::string> out;
  out.reserve(f.paths.size());
  const bool modules = PathsAreModulePaths(f.kind);
  for (const auto& p : f.paths) {
    if (p.empty()) continue;
    out.push_back(modules ? p + ".ko" : p);
  }
  return out;
}

namespace {

bool IsKbuildFile(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (std::string_view name : {"Kbuild", "Makefile"}) {
    if (base == name) return true;
    if (base.size() > name.size() && base.compare(0, name.size(), name) == 0 &&
        base[name.size()] == '.') {
      return true;  // Makefile.lib, Kbuild.include
    }
  }
  return false;
}

// The line number of "FILE:LINE: text" when `what` starts with `file`.
int QuotedLine(std::string_view what, std::string_view file) {
  if (file.empty() || what.size() <= file.size() + 2 || what.compare(0, file.size(), file) != 0 ||
      what[file.size()] != ':') {
    return 0;
  }
  int line = 0;
  size_t i = file.size() + 1;
  for (; i < what.size() && what[i] >= '0' && what[i] <= '9' && line < 10000000; ++i) {
    line = line * 10 + (what[i] - '0');
  }
  return i < what.size() && what[i] == ':' ? line : 0;
}

}  // namespace

std::vector<SourceLine> FindingSourceLines(const Finding& f) {
  std::vector<SourceLine> out;
  for (const auto& s : f.sources) out.push_back({s.file, s.line, ""});
  for (const auto& e : f.evidence) {
    if (!IsKbuildFile(e.path)) continue;
    const int line = QuotedLine(e.what, e.path);
    if (line <= 0) continue;
    bool seen = false;
    for (const auto& s : out) seen = seen || (s.file == e.path && s.line == line);
    if (!seen) out.push_back({e.path, line, ""});
  }
  return out;
}

std::string SourcesLine(const std::vector<SourceLine>& sources) {
  std::string out;
  for (const SourceLine& s : sources) {
    if (!out.empty()) out += "; ";
    out += s.file + ":" + std::to_string(s.line) + ": " + s.text;
  }
  return out;
}

std::string PredictionLine(const Finding& f) {
  if (!f.prediction) return "";
  return (f.prediction->confirmed ? "confirmed: " : "not confirmed: ") + f.prediction->note;
}

std::string MessageWithArtifacts(const Finding& f) {
  std::string out = f.message;
  for (const auto& a : FindingArtifacts(f)) {
    if (f.message.find(a) == std::string::npos) out += "\n  " + a;
  }
  return out;
}

std::string FindingSubject(const Finding& f) {
  if (f.module && !f.module->empty()) return *f.module;
  if (!f.paths.empty() && !f.paths.front().empty()) return f.paths.front();
  return "finding #" + std::to_string(f.id);
}

std::string CountsOf(const Report& report) {
  return Counted(report.statistics.events, "event", "events") + ", " +
         Counted(report.statistics.modules_seen, "module", "modules");
}

bool ShowsSeq(const Report& report, const Evidence& e) {
  return e.seq != 0 && report.backend != "audit";
}

std::string IncompleteSummary(const Report& report) {
  const Coverage& c = report.coverage;
  std::vector<std::string> parts;
  if (c.overflows) parts.push_back(Counted(c.overflows, "queue overflow", "queue overflows"));
  if (c.unwatched_dirs) {
    // An audit reads directories; it watches none.
    parts.push_back(report.backend == "audit"
                        ? Counted(c.unwatched_dirs, "unreadable directory", "unreadable directories")
                        : Counted(c.unwatched_dirs, "unwatched directory", "unwatched directories"));
  }
  if (c.unreadable_files) {
    parts.push_back(Counted(c.unreadable_files, "unreadable artifact", "unreadable artifacts"));
  }
  if (c.oversized_files) {
    parts.push_back(Counted(c.oversized_files, "oversized artifact", "oversized artifacts"));
  }
  if (!c.outputs_outside.empty()) {
    parts.push_back("the build's outputs outside the watched tree (" + c.outputs_outside + ")");
  }
  if (!c.stopped_by.empty()) {
    parts.push_back("the build stopped before its end by " + c.stopped_by + " sent to modrace");
  }
  std::string out = report.backend == "audit" ? "the audit may miss clashes: "
                                              : "the report may miss races: ";
  if (parts.empty()) {
    return out + (report.backend == "audit" ? "see its coverage_gap finding"
                                            : "the watch did not cover the whole build");
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

std::string AdviceFor(const Finding& f) {
  if (f.kind != FindingKind::kCoverageGap) return std::string(InfoOf(f.kind).advice);
  std::string out;
  for (GapCause c : f.gap_causes) {
    const std::string_view advice = InfoOf(c).advice;
    if (out.find(advice) != std::string::npos) continue;  // two causes, one remedy
    if (!out.empty()) out += "; ";
    out += advice;
  }
  // A report written before gaps carried their cause.
  return out.empty() ? "see the evidence for what was missed, and build again" : out;
}

std::string JobHeading(const JobRef& j) {
  std::string s = "job " + std::to_string(j.id) + ": ";
  // Its processes exited before /proc could name them.
  if (j.short_name.empty() && j.recipe.empty()) {
    s += "pid " + std::to_string(j.pids.empty() ? 0 : j.pids.front()) +
         ", exited before its command line was read";
  } else {
    s += j.short_name;
  }
  if (j.make_pid != 0) {
    s += " (make" + (j.make.empty() ? "" : " " + j.make) + ", pid " + std::to_string(j.make_pid) +
         ")";
  }
  return s;
}

}  // namespace modrace
