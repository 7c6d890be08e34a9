// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/trace_format.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "client/format/display_text.h"
#include "client/format/trace_lanes.h"
#include "proto/bytes_json.h"
#include "proto/version.h"

namespace modrace {

namespace {

// The track of findings that name no job on the timeline.
constexpr int32_t kNoJobPid = 0;

struct Placed {
  const TimelineJob* job = nullptr;
  uint32_t lane = 0;
  double ts = 0;  // its slice as written: a finding's mark is clamped into it
  double dur = 0;
};

double Micros(int64_t ns, int64_t base) { return static_cast<double>(ns - base) / 1000.0; }

}  // namespace

nlohmann::json TraceOf(const Report& report) {
  const std::vector<uint32_t> lanes = AssignLanes(report.timeline);
  std::unordered_map<uint64_t, Placed> by_id;
  int64_t base = std::numeric_limits<int64_t>::max();
  for (const TimelineJob& t : report.timeline) base = std::min(base, t.first_ns);
  for (const Finding& f : report.findings) {
    if (f.first_time_ns > 0) base = std::min(base, f.first_time_ns);
  }
  if (base == std::numeric_limits<int64_t>::max()) base = 0;
  for (size_t i = 0; i < report.timeline.size(); ++i) {
    const TimelineJob& t = report.timeline[i];
    by_id[t.id] = Placed{&t, lanes[i], Micros(t.first_ns, base),
                         Micros(std::max(t.last_ns, t.first_ns), t.first_ns)};
  }
  std::unordered_map<uint64_t, const JobRef*> recipes;
  for (const JobRef& j : report.jobs) recipes[j.id] = &j;

  nlohmann::json events = nlohmann::json::array();
  // Metadata: a name for every make's track and each of its lanes.
  std::map<int32_t, std::pair<std::string, uint32_t>> makes;  // pid -> call, lanes
  for (size_t i = 0; i < report.timeline.size(); ++i) {
    const TimelineJob& t = report.timeline[i];
    auto& [call, count] = makes[t.make_pid];
    if (call.empty()) call = t.make;
    count = std::max(count, lanes[i] + 1);
  }
  for (const auto& [pid, make] : makes) {
    const std::string name = pid == 0 ? std::string("jobs outside any make")
                                      : "make" + (make.first.empty() ? "" : " " + make.first) +
                                            " (pid " + std::to_string(pid) + ")";
    events.push_back({{"ph", "M"},
                      {"name", "process_name"},
                      {"pid", pid},
                      {"tid", 0},
                      {"args", {{"name", DisplayText(name)}}}});
    for (uint32_t l = 0; l < make.second; ++l) {
      events.push_back({{"ph", "M"},
                        {"name", "thread_name"},
                        {"pid", pid},
                        {"tid", l},
                        {"args", {{"name", "slot " + std::to_string(l + 1)}}}});
    }
  }
  for (size_t i = 0; i < report.timeline.size(); ++i) {
    const TimelineJob& t = report.timeline[i];
    const Placed& placed = by_id[t.id];
    nlohmann::json args = {{"job", t.id}};
    if (!t.make.empty()) args["make"] = DisplayText(t.make);
    if (auto r = recipes.find(t.id); r != recipes.end()) {
      args["recipe"] = DisplayText(r->second->recipe);
    }
    events.push_back(
        {{"ph", "X"},
         {"cat", "job"},
         {"name", DisplayText(t.name.empty() ? "job " + std::to_string(t.id) : t.name)},
         {"pid", t.make_pid},
         {"tid", lanes[i]},
         {"ts", placed.ts},
         {"dur", placed.dur},
         {"args", std::move(args)}});
  }
  bool no_job_track = false;
  for (const Finding& f : report.findings) {
    const std::string kind(FindingKindName(f.kind));
    const nlohmann::json args = {{"finding", f.id},
                                 {"severity", std::string(SeverityName(f.severity))},
                                 {"message", DisplayText(f.message)}};
    // Where it shows on each job's lane: its time, clamped into the job's
    // slice as written (so a flow binds to that slice, rounding and all).
    std::vector<std::pair<double, const Placed*>> ends;
    for (const JobRef& j : f.jobs) {
      auto p = by_id.find(j.id);
      if (p == by_id.end()) continue;
      const Placed& placed = p->second;
      const double at =
          std::clamp(Micros(f.first_time_ns, base), placed.ts, placed.ts + placed.dur);
      ends.emplace_back(at, &placed);
    }
    if (ends.empty()) {
      no_job_track = true;
      events.push_back({{"ph", "i"},
                        {"s", "t"},
                        {"cat", "finding"},
                        {"name", kind},
                        {"pid", kNoJobPid},
                        {"tid", 0},
                        {"ts", f.first_time_ns > 0 ? Micros(f.first_time_ns, base) : 0.0},
                        {"args", args}});
      continue;
    }
    for (const auto& [ts, placed] : ends) {
      events.push_back({{"ph", "i"},
                        {"s", "t"},
                        {"cat", "finding"},
                        {"name", kind},
                        {"pid", placed->job->make_pid},
                        {"tid", placed->lane},
                        {"ts", ts},
                        {"args", args}});
    }
    if (ends.size() >= 2) {
      std::sort(ends.begin(), ends.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      const auto& [from_ts, from] = ends.front();
      const auto& [to_ts, to] = ends.back();
      events.push_back({{"ph", "s"},
                        {"cat", "finding"},
                        {"name", kind},
                        {"id", f.id},
                        {"pid", from->job->make_pid},
                        {"tid", from->lane},
                        {"ts", from_ts}});
      events.push_back({{"ph", "f"},
                        {"bp", "e"},
                        {"cat", "finding"},
                        {"name", kind},
                        {"id", f.id},
                        {"pid", to->job->make_pid},
                        {"tid", to->lane},
                        {"ts", to_ts}});
    }
  }
  if (no_job_track && !makes.count(kNoJobPid)) {
    events.push_back({{"ph", "M"},
                      {"name", "process_name"},
                      {"pid", kNoJobPid},
                      {"tid", 0},
                      {"args", {{"name", "findings without jobs"}}}});
  }
  nlohmann::json other = {{"tool", "modrace"},
                          {"version", kModraceVersion},
                          {"backend", report.backend},
                          {"complete", report.complete},
                          {"jobs", report.timeline.size()},
                          {"jobs_dropped", report.timeline_dropped}};
  if (!report.jobs_unavailable.empty()) other["jobs_unavailable"] = report.jobs_unavailable;
  return {{"traceEvents", std::move(events)},
          {"displayTimeUnit", "ms"},
          {"otherData", std::move(other)}};
}

void RenderTrace(const Report& report, std::ostream& out) {
  out << DumpLine(TraceOf(report)) << "\n";
}

}  // namespace modrace
