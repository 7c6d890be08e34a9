#include "client/finding_presentation.h"

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
      {FindingKind::kCoverageGap, "coverage", "Coverage gap: report may be incomplete",
       "CoverageGap",
       "The watch missed part of the build (lost events, unwatched directories, unreadable "
       "or oversized files): races there may be missed.",
       "the report may be incomplete: see the coverage line; for lost events raise "
       "fs.inotify.max_queued_events or use the fanotify backend",
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

std::string FindingSubject(const Finding& f) {
  if (f.module && !f.module->empty()) return *f.module;
  if (!f.paths.empty() && !f.paths.front().empty()) return f.paths.front();
  return "finding #" + std::to_string(f.id);
}

std::string IncompleteSummary(const Coverage& c) {
  return "the report may miss races: " + std::to_string(c.overflows) + " queue overflow(s), " +
         std::to_string(c.unwatched_dirs) + " unwatched director(ies), " +
         std::to_string(c.unreadable_files) + " unreadable and " +
         std::to_string(c.oversized_files) + " oversized artifact(s)";
}

}  // namespace modrace
