// SPDX-License-Identifier: GPL-2.0-only
#include "proto/finding_kind.h"

#include <stdexcept>
#include <string>

namespace modrace {

namespace {

constexpr std::array<FindingKindInfo, kFindingKindCount> kFindingKinds = {{
    {FindingKind::kModuleNameCollision, "module_name_collision", "module names",
     "Kernel module name collision", "ModuleNameCollision",
     "Two or more kernel modules in one build have the same name (with '-' and '_' the "
     "same); kbuild keeps one record per name, so the builds overwrite each other's.",
     "rename one of the modules (kbuild's modules-check.sh would stop the build; "
     "before 5.3 they raced on .tmp_versions/NAME.mod)",
     Severity::kError},
    {FindingKind::kConcurrentWriters, "concurrent_writers", "concurrent writes",
     "Concurrent writers of one file", "ConcurrentWriters",
     "Two writers had one build file open for writing at the same time.",
     "give the file one writer; the message says which cause the file points to "
     "(two modules with one name sharing a record, a module path reached twice, "
     "or two makes on one tree)",
     Severity::kError},
    {FindingKind::kClobberedFile, "clobbered_file", "clobbered records", "Module record clobbered",
     "ClobberedFile",
     "A module record (.mod) written for one module was overwritten with another "
     "module's content.",
     "one module's record was overwritten by another's: rename one module", Severity::kError},
    {FindingKind::kTornFile, "torn_file", "torn files", "Torn file", "TornFile",
     "A build file holds content that only interleaved writers produce.",
     "the file holds interleaved writes: the build output cannot be trusted; "
     "fix the race and rebuild clean",
     Severity::kError},
    {FindingKind::kDuplicateModulePath, "duplicate_module_path", "duplicate module paths",
     "Module path built twice", "DuplicateModulePath",
     "One module path is reached twice by the build (listed twice in obj-m, or through a "
     "directory and directly), so two make jobs may build it at once.",
     "list the module once in obj-m", Severity::kWarning},
    {FindingKind::kCoverageGap, "coverage_gap", "coverage",
     "Coverage gap: report may be incomplete", "CoverageGap",
     "The watch missed part of the build (lost events, unwatched directories, unreadable "
     "or oversized files): races there may be missed.",
     "the report may be incomplete; what to do follows the cause: lost events, raise "
     "fs.inotify.max_queued_events; the watch limit, raise fs.inotify.max_user_watches; "
     "unreadable files, run as a user who can read them; a partial tree, audit a whole one",
     Severity::kWarning},
    {FindingKind::kWriteHazard, "write_hazard", "write hazards",
     "One file written by two unordered jobs", "WriteHazard",
     "Two make jobs that make did not order (under two makes, or running at once) wrote "
     "one file: which one wins depends on timing, in every build.",
     "give the file one writer: a target reached twice (`obj-m += sub/ sub/x.o`) is listed "
     "once; two recipes writing one file need distinct outputs or an order",
     Severity::kError},
    {FindingKind::kStaleRead, "stale_read", "stale reads",
     "A file read before another job wrote it", "StaleRead",
     "A make job read a file that a different job of the same build wrote afterwards: the "
     "reader may have used old content.",
     "make the reader depend on the writer (or give the file one writer before any reader)",
     Severity::kWarning},
    {FindingKind::kStaleInput, "stale_input", "stale inputs",
     "An input left by an earlier kernel build", "StaleInput",
     "A file of the kernel directory the build reads but never rebuilds (vmlinux for "
     "modules' BTF, Module.symvers for modpost) belongs to an earlier build of that kernel.",
     "rebuild it in the kernel directory (`make vmlinux`), or build without "
     "CONFIG_DEBUG_INFO_BTF_MODULES",
     Severity::kWarning},
}};

// A kind added to the enum without its row leaves a row value-initialized
// (kind 0, no name): the build stops here.
constexpr bool EveryRowInPlace() {
  for (size_t i = 0; i < kFindingKinds.size(); ++i) {
    if (static_cast<size_t>(kFindingKinds[i].kind) != i || kFindingKinds[i].name.empty()) {
      return false;
    }
  }
  return true;
}
static_assert(EveryRowInPlace(), "kFindingKinds needs one row per FindingKind, in enum order");

}  // namespace

const std::array<FindingKindInfo, kFindingKindCount>& AllKindInfo() { return kFindingKinds; }

const FindingKindInfo& InfoOf(FindingKind kind) {
  return kFindingKinds.at(static_cast<size_t>(kind));
}

std::string_view FindingKindName(FindingKind kind) {
  const size_t i = static_cast<size_t>(kind);
  return i < kFindingKinds.size() ? kFindingKinds[i].name : "unknown";
}

std::optional<FindingKind> ParseFindingKind(std::string_view name) {
  for (const FindingKindInfo& info : kFindingKinds) {
    if (info.name == name) return info.kind;
  }
  return std::nullopt;
}

}  // namespace modrace
