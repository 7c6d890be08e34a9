// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/writer_tracker.h"

namespace modrace {

void WriterTracker::OnOpen(uint64_t seq) {
  live_.push_back(seq);
  last_open_seq_ = seq;
}

CloseVerdict WriterTracker::OnClose(uint64_t seq, bool wrote) {
  CloseVerdict v;
  uint64_t closer_open;
  Overlap overlap = Overlap::kNone;
  if (live_.empty()) {
    // The open was merged into the last IN_OPEN (or preceded the watch,
    // last_open_seq_ 0): either way it opened no later than that.
    v.merged_open = true;
    closer_open = last_open_seq_;
    if (wrote && last_write_close_seq_ != 0 && closer_open < last_write_close_seq_) {
      overlap = Overlap::kCertain;
    }
  } else {
    closer_open = live_.front();
    if (wrote && last_write_close_seq_ != 0) {
      const bool oldest_before = live_.front() < last_write_close_seq_;
      const bool newest_before = live_.back() < last_write_close_seq_;
      if (newest_before) {
        overlap = Overlap::kCertain;
      } else if (oldest_before) {
        overlap = Overlap::kLikely;
      }
    }
    live_.erase(live_.begin());
  }
  v.closer_open_seq = closer_open;
  if (wrote) {
    v.overlap = overlap;
    if (overlap != Overlap::kNone) {
      v.previous_open_seq = last_writer_open_seq_;
      v.previous_close_seq = last_write_close_seq_;
    }
    last_write_close_seq_ = seq;
    last_writer_open_seq_ = closer_open;
  }
  return v;
}

}  // namespace modrace
