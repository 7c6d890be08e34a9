// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_PROTO_FINDING_KIND_H_
#define MODRACE_PROTO_FINDING_KIND_H_

// The finding kinds and their registry: one row a kind, with everything a
// kind is known by (its wire name, its default severity, and the words every
// output format uses for it). A new kind is one enumerator and one row here;
// report.schema.json's `kind` enum is held equal to the registry by
// proto/finding_kind_test.cc.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace modrace {

enum class FindingKind {
  kModuleNameCollision,
  kConcurrentWriters,
  kClobberedFile,
  kTornFile,
  kDuplicateModulePath,
  kCoverageGap,
  kWriteHazard,  // one file written by two jobs make did not order
  kStaleRead,    // a job read a file another job of the build wrote later
  kStaleInput,   // an input from outside the build (vmlinux) left by an earlier build
  // Not a kind: how many there are. A new kind goes above, with its row in
  // kFindingKinds (proto/finding_kind.cc), which fails to compile without it.
  kCount,
};

inline constexpr size_t kFindingKindCount = static_cast<size_t>(FindingKind::kCount);

enum class Severity { kInfo, kWarning, kError };

struct FindingKindInfo {
  FindingKind kind;
  std::string_view name;       // the wire name: "module_name_collision"
  std::string_view check;      // the check, as a person names it: "module names"
  std::string_view title;      // a finding's headline: "Kernel module name collision"
  std::string_view rule_name;  // CamelCase, SARIF's rule name: "ModuleNameCollision"
  std::string_view summary;    // one sentence: what the check detects
  std::string_view advice;     // what to do about a finding of this kind
  Severity default_severity;   // what the analyzer usually assigns
};

// Every kind, in FindingKind order (row i is kind i): the checks every report
// ran, clean or not. SARIF's rule index of a kind is its position here.
const std::array<FindingKindInfo, kFindingKindCount>& AllKindInfo();
// The row of `kind`; throws std::out_of_range for kCount.
const FindingKindInfo& InfoOf(FindingKind kind);

std::string_view FindingKindName(FindingKind kind);
std::optional<FindingKind> ParseFindingKind(std::string_view name);

}  // namespace modrace

#endif  // MODRACE_PROTO_FINDING_KIND_H_
