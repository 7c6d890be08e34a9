// SPDX-License-Identifier: GPL-2.0-only
#include "proto/gap_cause.h"

#include <stdexcept>

namespace modrace {

namespace {

constexpr std::array<GapCauseInfo, kGapCauseCount> kGapCauses = {{
    {GapCause::kLostEvents, "lost_events",
     "raise fs.inotify.max_queued_events (sysctl -w fs.inotify.max_queued_events=1048576) and "
     "build again"},
    {GapCause::kWatchLimit, "watch_limit",
     "raise fs.inotify.max_user_watches to the number the finding gives and build again"},
    {GapCause::kUnwatchable, "unwatchable",
     "run modrace as a user who can read those directories and files, or fix their "
     "permissions"},
    {GapCause::kUnreadable, "unreadable",
     "run modrace as a user who can read those directories and files, or fix their "
     "permissions"},
    {GapCause::kOversized, "oversized",
     "look at what wrote these files: no kbuild record is that large"},
    {GapCause::kRootGone, "root_gone",
     "the watched tree was removed or renamed during the build: watch the tree where it now is"},
    {GapCause::kOutputsOutside, "outputs_outside",
     "watch the build's output directory: modrace run --tree OUTDIR (or a directory holding "
     "the sources and OUTDIR)"},
    {GapCause::kNothingToAudit, "nothing_to_audit",
     "check the path: audit a kernel source tree, an external module's directory or a built "
     "tree"},
    {GapCause::kMissingDirs, "missing_dirs",
     "the tree lacks directories its Makefiles name (a partial checkout?): audit a whole tree"},
    {GapCause::kNoArch, "no_arch",
     "this tree has no arch/ directory for that architecture, so its modules were not looked "
     "at: audit a whole kernel tree, or pass --arch for an architecture the tree has"},
    {GapCause::kUnevaluated, "unevaluated",
     "the evidence names the make constructs the audit could not evaluate: what they add is "
     "not predicted"},
}};

constexpr bool EveryRowInPlace() {
  for (size_t i = 0; i < kGapCauses.size(); ++i) {
    if (static_cast<size_t>(kGapCauses[i].cause) != i || kGapCauses[i].name.empty()) return false;
  }
  return true;
}
static_assert(EveryRowInPlace(), "kGapCauses needs one row per GapCause, in enum order");

}  // namespace

const std::array<GapCauseInfo, kGapCauseCount>& AllGapCauseInfo() { return kGapCauses; }

const GapCauseInfo& InfoOf(GapCause cause) { return kGapCauses.at(static_cast<size_t>(cause)); }

std::string_view GapCauseName(GapCause cause) {
  const size_t i = static_cast<size_t>(cause);
  return i < kGapCauses.size() ? kGapCauses[i].name : "unknown";
}

std::optional<GapCause> ParseGapCause(std::string_view name) {
  for (const GapCauseInfo& info : kGapCauses) {
    if (info.name == name) return info.cause;
  }
  return std::nullopt;
}

}  // namespace modrace
