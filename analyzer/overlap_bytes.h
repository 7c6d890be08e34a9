#ifndef MODRACE_ANALYZER_OVERLAP_BYTES_H_
#define MODRACE_ANALYZER_OVERLAP_BYTES_H_

// What two overlapping writers of one file wrote, as far as the contents
// read after their closes tell, and the severity that follows.
//
// A snapshot is read when the daemon handles a close, not at the close, so
// in an overlap the earlier writer's snapshot may already hold the later
// writer's bytes. Different snapshots prove different bytes (or a torn
// file): an error. Equal snapshots are taken as one content written twice,
// the shape of a module built twice by one kbuild (the same recipe in two
// make jobs): a warning. The case they cannot tell apart, different bytes
// of which the earlier were overwritten before their snapshot, is between
// different modules in kbuild, and those show up on their own as a
// module-name collision (an error). No snapshot (files whose content is
// not read) leaves the bytes unknown: an error.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/finding.h"

namespace modrace {

enum class OverlapBytes { kUnknown, kSame, kDifferent };

OverlapBytes CompareSnapshots(const std::optional<std::string>& earlier,
                              const std::optional<std::string>& later);

// The overlaps seen on one file, and the severity of its finding: an error
// when a certain overlap wrote different bytes, or wrote bytes never judged
// while no overlap was judged the same; a warning otherwise (the same bytes
// twice, or overlaps only likely). An overlap whose bytes are unknown (the
// fanotify side of two sources reads no content) adds nothing to an
// overlap the other side judged.
class OverlapVerdicts {
 public:
  void Add(Confidence confidence, OverlapBytes bytes);
  Severity severity() const;

 private:
  bool different_ = false;
  bool same_ = false;
  bool unknown_certain_ = false;
};

// "; the contents read after both closes were identical (...)" or empty.
std::string OverlapBytesEvidence(OverlapBytes bytes);

// The snapshots read after a file's last few close-writes, by event seq,
// to compare with when a later close proves an overlap.
class CloseSnapshots {
 public:
  void Remember(uint64_t seq, const std::optional<std::string>& content);
  // The snapshot after the close at `seq`, when it is still kept and was read.
  std::optional<std::string> At(uint64_t seq) const;

 private:
  struct Kept {
    uint64_t seq;
    std::string content;
  };
  std::vector<Kept> kept_;  // oldest first
};

}  // namespace modrace

#endif  // MODRACE_ANALYZER_OVERLAP_BYTES_H_
