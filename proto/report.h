// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_PROTO_REPORT_H_
#define MODRACE_PROTO_REPORT_H_

// Report: everything one watch (or one audit or replay) found, with what
// it could not check. Schema `modrace.report/1` (proto/report.schema.json).

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "proto/finding.h"
#include "proto/timeline.h"

namespace modrace {

// What the report may have missed. Any non-zero count makes it incomplete.
struct Coverage {
  uint64_t overflows = 0;            // kernel queue overflows (events lost)
  uint64_t unwatched_dirs = 0;       // directories that could not be watched
  std::vector<std::string> unwatched_examples;  // the first few of them
  uint64_t unreadable_files = 0;     // artifacts whose content could not be read
  uint64_t oversized_files = 0;      // artifacts larger than the read limit
  // `run`, `repro`: the build's output directory (kbuild's O=) when it lies
  // outside the watched tree (client/build_outputs.h); "" otherwise.
  std::string outputs_outside;
  // `run`, `repro`: the signal ("SIGTERM") sent to modrace that stopped the
  // build before its end (a CI runner cancelling the job); "" otherwise.
  std::string stopped_by;

  bool Complete() const {
    return overflows == 0 && unwatched_dirs == 0 && unreadable_files == 0 &&
           oversized_files == 0 && outputs_outside.empty() && stopped_by.empty();
  }
};

struct Statistics {
  uint64_t events = 0;           // events analyzed
  uint64_t files_tracked = 0;    // files with writer state
  uint64_t modules_seen = 0;     // distinct module paths
  uint64_t merged_opens = 0;     // closes with no open seen (kernel merged the opens)
  uint64_t watched_dirs = 0;     // filled in by the daemon
  uint64_t rescans = 0;
};

// Report::jobs_unavailable under the inotify backend.
inline constexpr char kJobsNeedFanotify[] =
    "the inotify backend does not say which process made an event: jobs and write hazards "
    "need the fanotify backend (root)";

struct Report {
  std::string schema;   // kReportSchema
  std::string tree;     // absolute path of the watched or audited root
  std::string backend;  // "inotify", "fanotify", "audit", "replay"
  std::string backend_reason;  // why this backend (auto picks), may be empty
  bool complete = true;
  Coverage coverage;
  Statistics statistics;
  std::vector<Finding> findings;
  // Every job a finding refers to, once, with its whole recipe (fanotify).
  std::vector<JobRef> jobs;
  // Why there are no jobs and no write hazards (inotify: no process
  // identity); empty when jobs were available.
  std::string jobs_unavailable;
  // Every job of the build, by id, with its first and last event's time
  // (fanotify; at most kTimelineJobsKept, timeline_dropped the rest).
  std::vector<TimelineJob> timeline;
  uint64_t timeline_dropped = 0;
};

void to_json(nlohmann::json& j, const Coverage& c);
void from_json(const nlohmann::json& j, Coverage& c);
void to_json(nlohmann::json& j, const Statistics& s);
void from_json(const nlohmann::json& j, Statistics& s);
void to_json(nlohmann::json& j, const Report& r);
void from_json(const nlohmann::json& j, Report& r);

}  // namespace modrace

#endif  // MODRACE_PROTO_REPORT_H_
