// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_PID_WRITER_TRACKER_H_
#define MODRACE_ANALYZER_PID_WRITER_TRACKER_H_

// PidWriterTracker: overlap of writers on one file when events name their
// process (fanotify). A process's write interval runs from its first open
// or modify of the file to its close-write; two intervals of different
// processes that overlap are concurrent writers, certain, and each side is
// named. A process that only reads (close-nowrite, no modify) is never a
// writer. The contents read after both closes are compared (see
// overlap_bytes.h for what that can tell).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/overlap_bytes.h"
#include "proto/fs_event.h"

namespace modrace {

struct PidOverlap {
  bool overlap = false;
  ProcessRef earlier;  // the writer that closed first (set when overlap)
  uint64_t earlier_open_seq = 0;
  uint64_t earlier_close_seq = 0;
  ProcessRef closer;  // this close's process, overlap or not
  uint64_t closer_open_seq = 0;
  // From the contents read after both closes.
  OverlapBytes bytes = OverlapBytes::kUnknown;
};

// A process that wrote (or is writing) the file.
struct NamedWriter {
  ProcessRef process;
  uint64_t open_seq = 0;
  uint64_t close_seq = 0;  // 0 while it still has the file open
  int64_t time_ns = 0;     // of its latest event
};

class PidWriterTracker {
 public:
  // `process` is never null; the tracker keeps the reference, not a copy.
  void OnOpen(uint64_t seq, int64_t time_ns, const ProcessRef& process);
  void OnModify(uint64_t seq, int64_t time_ns, const ProcessRef& process);
  // `content`: what was read at this close, when read.
  PidOverlap OnCloseWrite(uint64_t seq, int64_t time_ns, const ProcessRef& process,
                          const std::optional<std::string>& content);
  void OnCloseNoWrite(const ProcessInfo& process);

  // The writers, closed or still open, whose latest event came within
  // window_ns of time_ns, oldest first: the candidates for an overlap that
  // another source proved (see Analyzer, two sources). Readers that never
  // wrote are left out once they close; while open they may be writers.
  std::vector<NamedWriter> WritersAround(int64_t time_ns, int64_t window_ns) const;

 private:
  struct Live {
    ProcessRef process;
    uint64_t first_seq = 0;
    int64_t time_ns = 0;
  };
  struct Closed {
    ProcessRef process;
    uint64_t open_seq = 0;
    uint64_t close_seq = 0;
    int64_t time_ns = 0;
    std::optional<std::string> content;
  };
  Live* Find(int32_t pid, uint64_t start_time);
  void Touch(uint64_t seq, int64_t time_ns, const ProcessRef& process);

  // Processes with the file open: a build has one or two at a time.
  std::vector<Live> live_;
  // The last few writers that closed, newest last, to compare intervals.
  std::vector<Closed> closed_;
};

}  // namespace modrace

#endif  // MODRACE_ANALYZER_PID_WRITER_TRACKER_H_
