// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/pid_writer_tracker.h"

#include <algorithm>

namespace modrace {

namespace {

// Enough to pair every writer of a -j80 burst on one file, small enough to
// stay cheap per file.
constexpr size_t kClosedKept = 8;
// A process that writes through an inherited fd (`nm ... > f` under sh)
// modifies the file but never closes it itself: its entry would stay. Keep
// the newest few.
constexpr size_t kLiveKept = 16;

bool SameProcess(const ProcessRef& a, int32_t pid, uint64_t start_time) {
  return a->pid == pid && a->start_time == start_time;
}

}  // namespace

PidWriterTracker::Live* PidWriterTracker::Find(int32_t pid, uint64_t start_time) {
  for (auto& l : live_) {
    if (SameProcess(l.process, pid, start_time)) return &l;
  }
  return nullptr;
}

void PidWriterTracker::Touch(uint64_t seq, int64_t time_ns, const ProcessRef& process) {
  if (Live* l = Find(process->pid, process->start_time)) {
    l->time_ns = time_ns;
  } else {
    live_.push_back(Live{process, seq, time_ns});
    if (live_.size() > kLiveKept) live_.erase(live_.begin());
  }
}

void PidWriterTracker::OnOpen(uint64_t seq, int64_t time_ns, const ProcessRef& process) {
  Touch(seq, time_ns, process);
}

void PidWriterTracker::OnModify(uint64_t seq, int64_t time_ns, const ProcessRef& process) {
  Touch(seq, time_ns, process);
}

PidOverlap PidWriterTracker::OnCloseWrite(uint64_t seq, int64_t time_ns,
                                          const ProcessRef& process,
                                          const std::optional<std::string>& content) {
  PidOverlap r;
  Closed mine{process, seq, seq, time_ns, content};
  Live* l = Find(process->pid, process->start_time);
  if (l != nullptr) {
    mine.open_seq = l->first_seq;
    live_.erase(live_.begin() + (l - live_.data()));
  }
  r.closer = process;
  r.closer_open_seq = mine.open_seq;
  // The most recent other writer whose interval reaches into ours.
  for (auto it = closed_.rbegin(); it != closed_.rend(); ++it) {
    if (SameProcess(it->process, process->pid, process->start_time)) continue;
    if (it->close_seq > mine.open_seq) {
      r.overlap = true;
      r.earlier = it->process;
      r.earlier_open_seq = it->open_seq;
      r.earlier_close_seq = it->close_seq;
      r.bytes = CompareSnapshots(it->content, content);
      break;
    }
  }
  closed_.push_back(std::move(mine));
  if (closed_.size() > kClosedKept) closed_.erase(closed_.begin());
  return r;
}

std::vector<NamedWriter> PidWriterTracker::WritersAround(int64_t time_ns,
                                                        int64_t window_ns) const {
  auto near = [&](int64_t t) { return t >= time_ns - window_ns && t <= time_ns + window_ns; };
  std::vector<NamedWriter> out;
  for (const auto& c : closed_) {
    if (near(c.time_ns)) out.push_back(NamedWriter{c.process, c.open_seq, c.close_seq, c.time_ns});
  }
  for (const auto& l : live_) {
    if (near(l.time_ns)) out.push_back(NamedWriter{l.process, l.first_seq, 0, l.time_ns});
  }
  return out;
}

void PidWriterTracker::OnCloseNoWrite(const ProcessInfo& process) {
  Live* l = Find(process.pid, process.start_time);
  if (l != nullptr) live_.erase(live_.begin() + (l - live_.data()));
}

}  // namespace modrace
