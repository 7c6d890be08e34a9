// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/finding_presentation.h"

#include "common/plural.h"

namespace modrace {

const std::vector<KindInfo>& AllKindInfo() {
  static const std::vector<KindInfo> kInfo = {
      {FindingKind::kModuleNameCollision, "module names", "Kernel module name collision",
       "ModuleNameCollision",
       "Two or more kernel modules in one build have the same name (with '-' and '_' the "
       "same); kbuild keeps one record per name, so the builds overwrite each other's.",
       "rename one of the modules (kbuild's modules-check.sh would stop the build; "
       "before 5.3 they raced on .tmp_versions/NAME.mod)",
       Severity::kError},
      {FindingKind::kConcurrentWriters, "concurrent writes", "Concurrent writers of one file",
       "ConcurrentWriters", "Two writers had one build file open for writing at the same time.",
       "give the file one writer; the message says which cause the file points to "
       "(two modules with one name sharing a record, a module path reached twice, "
       "or two makes on one tree)",
       Severity::kError},
      {FindingKind::kClobberedFile, "clobbered records", "Module record clobbered", "ClobberedFile",
       "A module record (.mod) written for one module was overwritten with another "
       "module's content.",
       "one module's record was overwritten by another's: rename one module", Severity::kError},
      {FindingKind::kTornFile, "torn files", "Torn file", "TornFile",
       "A build file holds content that only interleaved writers produce.",
       "the file holds interleaved writes: the build output cannot be trusted; "
       "fix the race and rebuild clean",
       Severity::kError},
      {FindingKind::kDuplicateModulePath, "duplicate module paths", "Module path built twice",
       "DuplicateModulePath",
       "One module path is reached twice by the build (listed twice in obj-m, or through a "
       "directory and directly), so two make jobs may build it at once.",
       "list the module once in obj-m", Severity::kWarning},
      {FindingKind::kWriteHazard, "write hazards", "One file written by two unordered jobs",
       "WriteHazard",
       "Two make jobs that make did not order (under two makes, or running at once) wrote "
       "one file: which one wins depends on timing, in every build.",
       "give the file one writer: a target reached twice (`obj-m += sub/ sub/x.o`) is listed "
       "once; two recipes writing one file need distinct outputs or an order",
       Severity::kError},
      {FindingKind::kStaleRead, "stale reads", "A file read before another job wrote it",
       "StaleRead",
       "A make job read a file that a different job of the same build wrote afterwards: the "
       "reader may have used old content.",
       "make the reader depend on the writer (or give the file one writer before any reader)",
       Severity::kWarning},
      {FindingKind::kStaleInput, "stale inputs", "An input left by an earlier kernel build",
       "StaleInput",
       "A file of the kernel directory the build reads but never rebuilds (vmlinux for "
       "modules' BTF, Module.symvers for modpost) belongs to an earlier build of that kernel.",
       "rebuild it in the kernel directory (`make vmlinux`), or build without "
       "CONFIG_DEBUG_INFO_BTF_MODULES",
       Severity::kWarning},
      {FindingKind::kCoverageGap, "coverage", "Coverage gap: report may be incomplete",
       "CoverageGap",
       "The watch missed part of the build (lost events, unwatched directories, unreadable "
       "or oversized files): races there may be missed.",
       "the report may be incomplete; what to do follows the cause: lost events, raise "
       "fs.inotify.max_queued_events; the watch limit, raise fs.inotify.max_user_watches; "
       "unreadable files, run as a user who can read them; a partial tree, audit a whole one",
       Severity::kWarning},
  };
  return kInfo;
}

const KindInfo& InfoOf(FindingKind kind) {
  for (const auto& info : AllKindInfo()) {
    if (info.kind == kind) return info;
  }
  return AllKindInfo().back();  // unreachable while the table lists every kind
}

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

namespace {

// The causes a coverage gap can have, by the words its evidence uses
// (analyzer/analyzer.cc ReportGap, daemon/inotify_source.cc EmitUnwatched,
// daemon/daemon.cc OnRootGone, client/audit.cc), and what to do about each.
struct GapCause {
  std::string_view words;
  std::string_view advice;
};
constexpr GapCause kGapCauses[] = {
    {"queue overflowed",
     "raise fs.inotify.max_queued_events (sysctl -w fs.inotify.max_queued_events=1048576) and "
     "build again"},
    {"watch limit was reached",
     "raise fs.inotify.max_user_watches to the number the finding gives and build again"},
    {"Permission denied",
     "run modrace as a user who can read those directories and files, or fix their "
     "permissions"},
    {"stopped watching",
     "the watched tree was removed or renamed during the build: watch the tree where it now is"},
    {"larger than the read limit",
     "look at what wrote these files: no kbuild record is that large"},
    {"could not read arch/",
     "this tree has no arch/ directory for that architecture, so its modules were not looked "
     "at: audit a whole kernel tree, or pass --arch for an architecture the tree has"},
    {"outside the watched tree",
     "watch the build's output directory: modrace run --tree OUTDIR (or a directory holding "
     "the sources and OUTDIR)"},
    {"nothing to audit",
     "check the path: audit a kernel source tree, an external module's directory or a built "
     "tree"},
    {"have no Kbuild or Makefile",
     "the tree lacks directories its Makefiles name (a partial checkout?): audit a whole tree"},
};

}  // namespace

std::string AdviceFor(const Finding& f) {
  if (f.kind != FindingKind::kCoverageGap) return std::string(InfoOf(f.kind).advice);
  std::string out;
  auto says = [&](std::string_view words) {
    if (f.message.find(words) != std::string::npos) return true;
    for (const auto& e : f.evidence) {
      if (e.what.find(words) != std::string::npos) return true;
    }
    return false;
  };
  for (const GapCause& c : kGapCauses) {
    if (!says(c.words)) continue;
    if (!out.empty()) out += "; ";
    out += c.advice;
  }
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
