// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_REPORT_STORE_H_
#define MODRACE_DAEMON_REPORT_STORE_H_

// ReportStore: the daemon's side of the analyzer. Feeds it events, hands
// out findings changed since a revision cursor, and assembles the Report
// (schema, tree, backend, completeness, coverage, statistics, findings).
// The store knows nothing of sockets or files.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/analyzer.h"
#include "proto/finding.h"
#include "proto/fs_event.h"
#include "proto/report.h"

namespace modrace {

class ReportStore {
 public:
  // `tree`: the absolute root; `backend`: "inotify" (or "fanotify").
  ReportStore(std::string tree, std::string backend, std::string backend_reason = "");

  // Analyzes one event. Returns true when some finding changed.
  bool Consume(const FsEvent& event);

  // The cursor: the highest finding revision so far (0: none yet). Stays
  // increasing across Reset().
  uint64_t revision() const { return analyzer_.revision(); }
  // Findings whose revision is above `cursor`, by id.
  std::vector<Finding> FindingsSince(uint64_t cursor) const;
  size_t finding_count() const { return analyzer_.findings().size(); }
  uint64_t events() const { return events_; }

  // The daemon's own figures that go into the report's statistics.
  void set_watched_dirs(uint64_t n) { watched_dirs_ = n; }

  Report MakeReport() const;

  // Forgets findings and coverage (a new build); cursors stay valid.
  void Reset();

  const std::string& tree() const { return tree_; }
  const std::string& backend() const { return backend_; }
  // The source actually running, and why (set once it has started).
  void set_backend(std::string backend, std::string reason) {
    backend_ = std::move(backend);
    backend_reason_ = std::move(reason);
  }

 private:
  Analyzer analyzer_;
  std::string tree_;
  std::string backend_;
  std::string backend_reason_;
  uint64_t events_ = 0;
  uint64_t watched_dirs_ = 0;
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_REPORT_STORE_H_
