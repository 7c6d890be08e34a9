// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_FORMAT_TRACE_LANES_H_
#define MODRACE_CLIENT_FORMAT_TRACE_LANES_H_

// Lanes for a timeline: each make's jobs spread over as few lanes as can
// hold them without two jobs of one lane overlapping in time, so a lane is
// one of that make's job slots (`-jN`). Greedy by start time: a job takes
// the lowest lane that ended before it began (docs/trace.md).

#include <cstdint>
#include <vector>

#include "proto/timeline.h"

namespace modrace {

// The lane (0, 1, ...) of each job of `jobs`, index for index. Lanes are
// counted per make_pid: two makes each start at lane 0.
std::vector<uint32_t> AssignLanes(const std::vector<TimelineJob>& jobs);

}  // namespace modrace

#endif  // MODRACE_CLIENT_FORMAT_TRACE_LANES_H_
