// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_PROTO_TIMELINE_H_
#define MODRACE_PROTO_TIMELINE_H_

// TimelineJob: one job of the build on its timeline (fanotify): under which
// make it ran and when its first and last file events happened. A report
// holds every job of the build this way, not only the jobs its findings
// name, so `--format trace` can draw the build (docs/trace.md). Times are
// the events' clock (CLOCK_REALTIME at the source), in nanoseconds.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace modrace {

struct TimelineJob {
  uint64_t id = 0;           // the job's id (Report::jobs, Finding::jobs)
  std::string name;          // its short name (kbuild's quiet line, else the command)
  int32_t make_pid = 0;      // the make that ran it
  std::string make;          // how that make was called: "obj=drivers/net", "-C dir"
  int32_t top_make_pid = 0;  // the outermost make of its build
  int64_t first_ns = 0;
  int64_t last_ns = 0;
};

// A report keeps at most this many jobs on its timeline (the first ones);
// Report::timeline_dropped counts the rest. An allmodconfig build runs
// about 60,000 jobs; each costs some 100 bytes of JSON.
inline constexpr size_t kTimelineJobsKept = 200000;

void to_json(nlohmann::json& j, const TimelineJob& t);
void from_json(const nlohmann::json& j, TimelineJob& t);

}  // namespace modrace

#endif  // MODRACE_PROTO_TIMELINE_H_
