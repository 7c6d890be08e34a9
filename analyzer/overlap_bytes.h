// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_OVERLAP_BYTES_H_
#define MODRACE_ANALYZER_OVERLAP_BYTES_H_

// Same bytes or different bytes: what two overlapping writers of one file
// wrote, and the severity of the file's concurrent_writers finding.
//
// A snapshot is read when the daemon handles a close, not at the close, so
// in an overlap the earlier writer's snapshot often already holds the
// later writer's bytes: equal snapshots tell nothing (seen in the rothwell
// example, whose two writers write different records and were read equal).
// What does tell:
// - different snapshots: different bytes (or a torn file): an error;
// - both writers named (fanotify) and running the same command line: the
//   same recipe twice (two makes on one tree), taken as the same bytes
//   written twice: a warning;
// - anything else: the bytes are unknown: an error.
// Overlaps only likely (a reader may have been the other handle) are a
// warning.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "proto/finding.h"
#include "proto/fs_event.h"

namespace modrace {

enum class OverlapBytes { kUnknown, kSame, kDifferent };

// kSame here means only "equal snapshots" (see above).
OverlapBytes CompareSnapshots(const std::optional<std::string>& earlier,
                              const std::optional<std::string>& later);

// "; ..." saying what the snapshots showed, or empty when there were none.
std::string OverlapBytesEvidence(OverlapBytes bytes);

// The overlaps seen on one file.
class OverlapVerdicts {
 public:
  void Add(Confidence confidence, OverlapBytes bytes);
  // `named`: the processes the finding names as writers.
  Severity severity(const std::vector<const ProcessInfo*>& named) const;
  // True when severity() rests on the writers' identical command lines.
  bool SameCommand(const std::vector<const ProcessInfo*>& named) const;

 private:
  bool certain_ = false;
  bool different_ = false;
};

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
