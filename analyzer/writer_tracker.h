// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_WRITER_TRACKER_H_
#define MODRACE_ANALYZER_WRITER_TRACKER_H_

// WriterTracker: decides, from inotify's anonymous open/close events on one
// file, whether two write handles were open at once.
//
// inotify says neither who opened a file nor whether for writing; only the
// close says (IN_CLOSE_WRITE / IN_CLOSE_NOWRITE). So the tracker keeps the
// open times of the live handles as an anonymous multiset and reasons at
// each close-write about the previous write-close at t1:
// - every live handle opened before t1: the closer was open at t1, when the
//   previous writer was still open -> overlap, certain;
// - some before t1, some after: the closer is one of them -> likely;
// - all opened after t1: no overlap with the previous writer.
// A close with no live handle means the kernel merged this handle's open
// into the previous identical IN_OPEN (no other event queued between), so
// it opened at the last open's time: more closes than opens is proof.
// A close always retires the earliest live handle: that keeps the
// remaining handles as young as possible, so errors only ever lower
// confidence, never invent an overlap (a reader overlapping one writer is
// not a race).
// The kernel merges two back-to-back identical IN_CLOSE_WRITEs as well:
// then an overlap shows as two opens and one close, the proof is lost, and
// one handle looks open until a later close retires it; meanwhile a later
// sequential writer can only be called `likely`, never `certain`. fanotify
// (pids) and the content checks (NUL holes) catch what this loses.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace modrace {

enum class Overlap { kNone, kLikely, kCertain };

struct CloseVerdict {
  Overlap overlap = Overlap::kNone;
  uint64_t closer_open_seq = 0;    // our best guess at the closer's open
  bool merged_open = false;        // no open was seen for this close
  uint64_t previous_open_seq = 0;  // the previous writer, when overlapping
  uint64_t previous_close_seq = 0;
};

class WriterTracker {
 public:
  void OnOpen(uint64_t seq);
  CloseVerdict OnClose(uint64_t seq, bool wrote);
  // Handles currently open as far as the events tell.
  size_t live() const { return live_.size(); }

 private:
  // Open seqs of live handles, ascending. Build artifacts have one or two
  // handles at a time, so this stays tiny and keeps its capacity.
  std::vector<uint64_t> live_;
  uint64_t last_open_seq_ = 0;
  uint64_t last_write_close_seq_ = 0;  // 0: no writer closed yet
  uint64_t last_writer_open_seq_ = 0;
};

}  // namespace modrace

#endif  // MODRACE_ANALYZER_WRITER_TRACKER_H_
