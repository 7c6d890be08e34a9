// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_FORMAT_TRACE_FORMAT_H_
#define MODRACE_CLIENT_FORMAT_TRACE_FORMAT_H_

// The Chrome Trace Event format (the JSON object form), which Perfetto
// (ui.perfetto.dev) and chrome://tracing open: the build's timeline
// (docs/trace.md). One process track per make (process_name "make CALL
// (pid N)"), one thread lane per job slot of that make (trace_lanes.h),
// each job a complete event ("ph": "X") from its first to its last file
// event, named by its short name, with its id, make and (for the jobs a
// finding names) recipe in args. Each finding is an instant event
// ("ph": "i", thread scope) on the lane of every job it names, with its
// kind, severity and message; its first two jobs are linked by a flow
// ("ph": "s" then "ph": "f" with "bp": "e", id = the finding's id). A
// finding that names no job on the timeline (inotify, an audit) is an
// instant on the track "findings without jobs". Times are microseconds
// from the first job or finding. Text goes through DisplayText.

#include <nlohmann/json.hpp>
#include <ostream>

#include "proto/report.h"

namespace modrace {

// The trace as a JSON value: {"traceEvents": [...], "displayTimeUnit": "ms",
// "otherData": {...}}.
nlohmann::json TraceOf(const Report& report);
void RenderTrace(const Report& report, std::ostream& out);

}  // namespace modrace

#endif  // MODRACE_CLIENT_FORMAT_TRACE_FORMAT_H_
