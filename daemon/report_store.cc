// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/report_store.h"

#include <utility>

#include "proto/version.h"

namespace modrace {

ReportStore::ReportStore(std::string tree, std::string backend, std::string backend_reason)
    : analyzer_(tree),
      tree_(std::move(tree)),
      backend_(std::move(backend)),
      backend_reason_(std::move(backend_reason)) {}

bool ReportStore::Consume(const FsEvent& event) {
  const uint64_t before = analyzer_.revision();
  analyzer_.Consume(event);
  ++events_;
  return analyzer_.revision() != before;
}

std::vector<Finding> ReportStore::FindingsSince(uint64_t cursor) const {
  std::vector<Finding> out;
  for (const Finding& f : analyzer_.findings()) {
    if (f.revision > cursor) out.push_back(f);
  }
  return out;
}

Report ReportStore::MakeReport() const {
  Report r;
  r.schema = kReportSchema;
  r.tree = tree_;
  r.backend = backend_;
  r.backend_reason = backend_reason_;
  r.coverage = analyzer_.coverage();
  r.complete = r.coverage.Complete();
  r.statistics = analyzer_.statistics();
  r.statistics.watched_dirs = watched_dirs_;
  r.findings = analyzer_.findings();
  r.jobs = analyzer_.jobs();
  r.timeline = analyzer_.timeline(&r.timeline_dropped);
  if (backend_ == "inotify") r.jobs_unavailable = kJobsNeedFanotify;
  return r;
}

void ReportStore::Reset() { analyzer_.Reset(); }

}  // namespace modrace
