// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_PROTO_GAP_CAUSE_H_
#define MODRACE_PROTO_GAP_CAUSE_H_

// Why a report may miss something: the causes of a coverage_gap, each with
// its wire name and what to do about it. The maker of a gap (the analyzer,
// the daemon's sources through their events, the audit, `run`) says its
// cause; the formats read it (client/format/finding_presentation.h,
// AdviceFor) and never guess it from words.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace modrace {

enum class GapCause {
  kLostEvents,      // the kernel's event queue overflowed
  kWatchLimit,      // inotify's watch table was full (fs.inotify.max_user_watches)
  kUnwatchable,     // a directory could not be watched for another reason
  kUnreadable,      // an artifact's content could not be read
  kOversized,       // an artifact was larger than the read limit
  kRootGone,        // the watched tree was removed or renamed
  kOutputsOutside,  // the build writes its outputs outside the watched tree (O=)
  kNothingToAudit,  // an audit found no Kbuild, no Makefile and no artifact
  kMissingDirs,     // directories named by obj-* lines have no Kbuild or Makefile
  kNoArch,          // the tree has no arch/SRCARCH/Makefile
  kUnevaluated,     // make constructs the audit could not evaluate
  // Not a cause: how many there are. A new cause goes above, with its row in
  // kGapCauses (proto/gap_cause.cc), which fails to compile without it.
  kCount,
};

inline constexpr size_t kGapCauseCount = static_cast<size_t>(GapCause::kCount);

struct GapCauseInfo {
  GapCause cause;
  std::string_view name;    // the wire name: "lost_events"
  std::string_view advice;  // what to do about a gap of this cause
};

// Every cause, in GapCause order (row i is cause i).
const std::array<GapCauseInfo, kGapCauseCount>& AllGapCauseInfo();
// The row of `cause`; throws std::out_of_range for kCount.
const GapCauseInfo& InfoOf(GapCause cause);

std::string_view GapCauseName(GapCause cause);
std::optional<GapCause> ParseGapCause(std::string_view name);

}  // namespace modrace

#endif  // MODRACE_PROTO_GAP_CAUSE_H_
