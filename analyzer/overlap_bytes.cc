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

void OverlapVerdicts::Add(Confidence confidence, OverlapBytes bytes) {
  if (confidence != Confidence::kCertain) return;  // a guess: a warning at most
  switch (bytes) {
    case OverlapBytes::kDifferent:
      different_ = true;
      break;
    case OverlapBytes::kSame:
      same_ = true;
      break;
    case OverlapBytes::kUnknown:
      unknown_certain_ = true;
      break;
  }
}

Severity OverlapVerdicts::severity() const {
  return different_ || (unknown_certain_ && !same_) ? Severity::kError : Severity::kWarning;
}

std::string OverlapBytesEvidence(OverlapBytes bytes) {
  switch (bytes) {
    case OverlapBytes::kSame:
      return "; the contents read after both closes were identical: the same bytes written "
             "twice (a warning; different bytes would also show as a module-name collision)";
    case OverlapBytes::kDifferent:
      return "; the contents read after the two closes differ: different bytes (an error)";
    case OverlapBytes::kUnknown:
      break;
  }
  return std::string();
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
