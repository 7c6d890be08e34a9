// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/overlap_bytes.h"

namespace modrace {

namespace {

// As many as the writer trackers look back over: a -j80 burst on one file.
constexpr size_t kSnapshotsKept = 8;

}  // namespace

OverlapBytes CompareSnapshots(const std::optional<std::string>& earlier,
                              const std::optional<std::string>& later) {
  if (!earlier || !later) return OverlapBytes::kUnknown;
  return *earlier == *later ? OverlapBytes::kSame : OverlapBytes::kDifferent;
}

std::string OverlapBytesEvidence(OverlapBytes bytes) {
  switch (bytes) {
    case OverlapBytes::kSame:
      return "; the contents read after both closes were identical, which does not tell "
             "whether the bytes were: the later writer's may have replaced the earlier's before "
             "they were read";
    case OverlapBytes::kDifferent:
      return "; the contents read after the two closes differ: different bytes";
    case OverlapBytes::kUnknown:
      break;
  }
  return std::string();
}

void OverlapVerdicts::Add(Confidence confidence, OverlapBytes bytes) {
  if (confidence != Confidence::kCertain) return;  // a guess: a warning at most
  certain_ = true;
  different_ |= bytes == OverlapBytes::kDifferent;
}

bool OverlapVerdicts::SameCommand(const std::vector<const ProcessInfo*>& named) const {
  if (!certain_ || different_ || named.size() < 2) return false;
  for (const ProcessInfo* p : named) {
    if (p->cmdline.empty() || p->cmdline != named.front()->cmdline) return false;
  }
  return true;
}

Severity OverlapVerdicts::severity(const std::vector<const ProcessInfo*>& named) const {
  if (!certain_) return Severity::kWarning;
  return SameCommand(named) ? Severity::kWarning : Severity::kError;
}

void CloseSnapshots::Remember(uint64_t seq, const std::optional<std::string>& content) {
  if (!content) return;
  if (kept_.size() == kSnapshotsKept) kept_.erase(kept_.begin());
  kept_.push_back(Kept{seq, *content});
}

std::optional<std::string> CloseSnapshots::At(uint64_t seq) const {
  for (const auto& k : kept_) {
    if (k.seq == seq) return k.content;
  }
  return std::nullopt;
}

}  // namespace modrace
