// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_JOB_TABLE_H_
#define MODRACE_ANALYZER_JOB_TABLE_H_

// JobTable: the jobs of a build, from the processes events name
// (fanotify; docs/architecture.md, Jobs). A job is the process tree rooted
// at a child of a make (the recipe's shell), keyed by that child's pid and
// start time; make's own processes are no job. Pure.
//
// Contract:
// - Observe(process, seq) is called for every event that names a process.
//   It returns the process's job (made at its first event: id, make, recipe,
//   short name), or null when the process is in no job. A job first seen
//   without its recipe (its shell gone before it was read) takes it from
//   the first later event that carries it. A job's interval
//   runs from the seq of its first event to that of its latest: two jobs
//   whose intervals overlap were running at once (each event happens while
//   its process lives). The same holds for each top make (the outermost
//   make of a build): Observe extends its interval at any event below it.
// - The cost of an event of a known job is one hash lookup and a short scan
//   of its pid list; nothing is allocated.
// - Ids start at 1 and keep increasing across Clear().

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "proto/finding.h"
#include "proto/fs_event.h"
#include "proto/timeline.h"

namespace modrace {

struct Job {
  uint64_t id = 0;
  int32_t pid = 0;  // the recipe's shell
  uint64_t start_time = 0;
  int32_t make_pid = 0;
  uint64_t make_start_time = 0;
  int32_t top_make_pid = 0;
  uint64_t top_make_start_time = 0;
  std::string make_call;  // MakeCall() of the make's command line
  std::string make_dir;
  std::string recipe;     // capped at kRecipeKept bytes
  std::string short_name;
  std::vector<int32_t> pids;  // the first kPidsKept processes seen
  uint64_t first_seq = 0;
  uint64_t last_seq = 0;
  int64_t first_ns = 0;  // the times of those events (the timeline)
  int64_t last_ns = 0;

  // How a message names it: its short name in backquotes, or, when it
  // exited before its command line was read, its pid.
  std::string Quoted() const {
    if (!short_name.empty()) return "`" + short_name + "`";
    return "pid " + std::to_string(pid) + " (exited before its command line was read)";
  }
  bool SameMake(const Job& o) const {
    return make_pid == o.make_pid && make_start_time == o.make_start_time;
  }
  bool SameTopMake(const Job& o) const {
    return top_make_pid == o.top_make_pid && top_make_start_time == o.top_make_start_time;
  }
};

class JobTable {
 public:
  static constexpr size_t kRecipeKept = 512;
  static constexpr size_t kPidsKept = 16;

  Job* Observe(const ProcessInfo& process, uint64_t seq, int64_t time_ns = 0);
  // The job of `process` if it was observed, else null.
  const Job* Find(const ProcessInfo& process) const;
  const Job* Get(uint64_t id) const;

  // Both were running at some moment (their intervals overlap).
  static bool RanAtOnce(const Job& a, const Job& b);
  // The top makes of a and b ran at some moment together.
  bool TopMakesAtOnce(const Job& a, const Job& b) const;

  // The job as a finding names it (recipe cut to recipe_limit bytes; the
  // make's directory only when with_dir).
  JobRef Ref(const Job& job, size_t recipe_limit, bool with_dir) const;

  // Every job, by id, on the build's timeline (at most kTimelineJobsKept;
  // *dropped counts the rest).
  std::vector<TimelineJob> Timeline(uint64_t* dropped) const;

  size_t size() const { return by_key_.size(); }
  void Clear();

 private:
  struct Interval {
    uint64_t first = 0;
    uint64_t last = 0;
  };
  static uint64_t Key(int32_t pid, uint64_t start_time) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(pid)) << 32) ^ start_time;
  }
  Job& Make(const ProcessInfo& p, uint64_t seq, int64_t time_ns);

  std::unordered_map<uint64_t, Job> by_key_;
  std::unordered_map<uint64_t, uint64_t> key_of_id_;
  std::unordered_map<uint64_t, Interval> top_makes_;
  uint64_t next_id_ = 1;
};

}  // namespace modrace

#endif  // MODRACE_ANALYZER_JOB_TABLE_H_
