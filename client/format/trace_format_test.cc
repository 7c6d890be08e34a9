// SPDX-License-Identifier: GPL-2.0-only
// --format trace: the Chrome Trace Event format's documented fields (the
// JSON object form: traceEvents with ph, name, pid, tid, ts, dur, args; M
// metadata with args.name; flows s/f with id and bp), checked by a
// validator that a broken trace fails, and the build's picture: lanes per
// make, one slice per job, each finding on its jobs' lanes linked by a flow.

#include "client/format/trace_format.h"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "client/format/format_testing.h"
#include "client/format/report_output.h"
#include "client/format/trace_lanes.h"

namespace modrace {

namespace {

constexpr int64_t kMs = 1000 * 1000;

TimelineJob Job(uint64_t id, int32_t make, const std::string& name, int64_t from_ms,
                int64_t to_ms) {
  TimelineJob t;
  t.id = id;
  t.make_pid = make;
  t.make = "obj=m" + std::to_string(make);
  t.name = name;
  t.first_ns = 1700000000000 * kMs + from_ms * kMs;
  t.last_ns = 1700000000000 * kMs + to_ms * kMs;
  return t;
}

// Two makes building drivers/net/phy and drivers/net/usb at -j2; the two
// asix jobs write .tmp_versions/asix.mod at once.
Report RothwellLike() {
  Report r = CleanReport();
  r.backend = "fanotify";
  r.timeline = {Job(1, 100, "CC drivers/net/phy/phy.o", 0, 40),
                Job(2, 100, "CC drivers/net/phy/asix.o", 10, 60),
                Job(3, 200, "CC drivers/net/usb/asix.o", 20, 70),
                Job(4, 100, "LD drivers/net/phy/asix.ko", 45, 50)};
  JobRef a{2, "CC drivers/net/phy/asix.o", "/bin/sh -c gcc ... phy/asix.c", {12}, 100, "", ""};
  JobRef b{3, "CC drivers/net/usb/asix.o", "/bin/sh -c gcc ... usb/asix.c", {13}, 200, "", ""};
  r.jobs = {a, b};
  Finding w;
  w.id = 7;
  w.revision = 1;
  w.kind = FindingKind::kConcurrentWriters;
  w.message = ".tmp_versions/asix.mod was written by two jobs at once";
  w.paths = {".tmp_versions/asix.mod"};
  w.jobs = {b, a};
  w.first_time_ns = r.timeline[2].first_ns + 30 * kMs;  // at 50 ms: both jobs running
  r.findings.push_back(w);
  return r;
}

}  // namespace

TEST_CASE("AssignLanes: a lane per job slot of each make") {
  const std::vector<TimelineJob> jobs = {Job(1, 100, "a", 0, 40), Job(2, 100, "b", 10, 60),
                                         Job(3, 100, "c", 41, 50), Job(4, 200, "d", 0, 90),
                                         Job(5, 100, "e", 61, 70)};
  CHECK(AssignLanes(jobs) == std::vector<uint32_t>{0, 1, 0, 0, 0});
  // Touching is overlapping: a job starting when another ends takes another lane.
  CHECK(AssignLanes({Job(1, 1, "a", 0, 10), Job(2, 1, "b", 10, 20)}) ==
        std::vector<uint32_t>{0, 1});
}

TEST_CASE("trace: one track per make, a slice per job, the finding on both lanes with a flow") {
  const Report r = RothwellLike();
  const nlohmann::json trace = TraceOf(r);
  const std::vector<std::string> problems = TraceProblems(trace);
  CHECK_MESSAGE(problems.empty(), problems.front());
  std::map<int64_t, std::string> processes;
  std::vector<nlohmann::json> jobs, instants, flows;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] == "M" && e["name"] == "process_name") processes[e["pid"]] = e["args"]["name"];
    if (e["ph"] == "X") jobs.push_back(e);
    if (e["ph"] == "i") instants.push_back(e);
    if (e["ph"] == "s" || e["ph"] == "f") flows.push_back(e);
  }
  CHECK(processes == std::map<int64_t, std::string>{{100, "make obj=m100 (pid 100)"},
                                                    {200, "make obj=m200 (pid 200)"}});
  REQUIRE(jobs.size() == 4);
  CHECK(jobs[1]["name"] == "CC drivers/net/phy/asix.o");
  CHECK(jobs[1]["args"]["recipe"] == "/bin/sh -c gcc ... phy/asix.c");
  CHECK_FALSE(jobs[0]["args"].contains("recipe"));  // no finding names it
  CHECK(jobs[0]["ts"] == 0.0);
  CHECK(jobs[1]["ts"] == 10000.0);  // microseconds
  CHECK(jobs[1]["dur"] == 50000.0);
  CHECK(jobs[1]["tid"] == 1);  // phy.o holds slot 1 of make 100
  REQUIRE(instants.size() == 2);
  CHECK(instants[0]["args"]["message"] == r.findings[0].message);
  CHECK(instants[0]["args"]["finding"] == 7);
  REQUIRE(flows.size() == 2);
  CHECK(flows[0]["id"] == 7);
  CHECK(trace["otherData"]["jobs"] == 4);
}

TEST_CASE("trace: without jobs (inotify), findings on their own track, and the reason said") {
  Report r = AsixReport();
  r.jobs_unavailable = kJobsNeedFanotify;
  const nlohmann::json trace = TraceOf(r);
  CHECK(TraceProblems(trace).empty());
  size_t instants = 0;
  bool named = false;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] == "i") ++instants;
    if (e["ph"] == "M" && e["args"]["name"] == "findings without jobs") named = true;
    CHECK(e["ph"] != "X");
  }
  CHECK(instants == r.findings.size());
  CHECK(named);
  CHECK(trace["otherData"]["jobs_unavailable"] == kJobsNeedFanotify);
}

TEST_CASE("trace: a finding at a job's last event binds to its slice, whatever the rounding") {
  // Seen on real builds: (last - base) / 1000 and (first - base) / 1000 +
  // (last - first) / 1000 differ in the last bit for some times.
  for (int64_t k = 0; k < 2000; ++k) {
    Report r = RothwellLike();
    const int64_t t0 = 1765151234000000000 + k * 7919;
    r.timeline = {Job(2, 100, "a", 0, 0), Job(3, 200, "b", 0, 0)};
    r.timeline[0].first_ns = t0 + 1 + k;
    r.timeline[0].last_ns = t0 + 987654321 + k * 13;
    r.timeline[1].first_ns = t0 + 3;
    r.timeline[1].last_ns = t0 + 123456789 + k * 31;
    r.findings[0].first_time_ns = r.timeline[0].last_ns;
    const std::vector<std::string> problems = TraceProblems(TraceOf(r));
    REQUIRE_MESSAGE(problems.empty(), k << ": " << problems.front());
  }
}

TEST_CASE("trace: the validator fails a broken trace") {
  nlohmann::json trace = TraceOf(RothwellLike());
  for (auto& e : trace["traceEvents"]) {
    if (e["ph"] == "X") e.erase("dur");
  }
  CHECK_FALSE(TraceProblems(trace).empty());
  nlohmann::json moved = TraceOf(RothwellLike());
  for (auto& e : moved["traceEvents"]) {
    if (e["ph"] == "f") e["ts"] = 1e9;  // outside every slice
  }
  CHECK_FALSE(TraceProblems(moved).empty());
}

TEST_CASE("trace: --format trace renders through RenderReport, hostile text survives") {
  std::ostringstream out;
  REQUIRE(ParseFormat("trace").has_value());
  Report r = HostileReport();
  r.timeline = {Job(1, 100, "CC \xff\x1b[31m", 0, 5)};
  r.timeline[0].make = "obj=\xfe";
  RenderReport(r, *ParseFormat("trace"), out);
  const nlohmann::json trace = nlohmann::json::parse(out.str());
  CHECK(TraceProblems(trace).empty());
}

}  // namespace modrace
