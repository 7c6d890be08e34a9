// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/job_links.h"

#include <algorithm>

namespace modrace {

namespace {

constexpr size_t kJobsPerFile = 8;
constexpr size_t kJobsPerFinding = 16;
constexpr size_t kRecipeInFinding = 160;

bool IsRemoval(EventKind kind) {
  return kind == EventKind::kDelete || kind == EventKind::kMovedFrom;
}

}  // namespace

bool JobLinks::IsWrite(EventKind kind) {
  switch (kind) {
    case EventKind::kModify:
    case EventKind::kCloseWrite:
    case EventKind::kCreate:
    case EventKind::kMovedTo:
    case EventKind::kDelete:
    case EventKind::kMovedFrom:
      return true;
    default:
      return false;
  }
}

const std::vector<uint64_t>* JobLinks::WritersOf(const std::string& path) const {
  auto it = file_jobs_.find(path);
  return it == file_jobs_.end() ? nullptr : &it->second;
}

void JobLinks::OnWrite(const FsEvent& e, const Job& job) {
  std::vector<uint64_t>& writers = file_jobs_[e.path];
  const bool known = std::find(writers.begin(), writers.end(), job.id) != writers.end();
  if (IsRemoval(e.kind) && writers.size() <= 1 && (writers.empty() || known)) {
    // Written by this job alone and removed by it: a temporary file.
    file_jobs_.erase(e.path);
    return;
  }
  if (known) return;
  writers.push_back(job.id);
  if (writers.size() > kJobsPerFile) writers.erase(writers.begin());
  auto links = links_.find(e.path);
  if (links == links_.end()) return;
  for (const auto& [kind, key] : links->second) {
    Finding* f = book_.Find(kind, key);
    if (f != nullptr && AddJob(*f, job)) book_.Touch(*f, e.seq);
  }
}

bool JobLinks::AddJob(Finding& f, const Job& job) {
  for (const JobRef& have : f.jobs) {
    if (have.id == job.id) return false;
  }
  if (f.jobs.size() >= kJobsPerFinding) return false;
  f.jobs.push_back(jobs_.Ref(job, kRecipeInFinding, false));
  for (Writer& w : f.writers) {
    if (w.job == 0 && w.process && w.process->job_pid == job.pid &&
        w.process->job_start_time == job.start_time) {
      w.job = job.id;
    }
  }
  return true;
}

void JobLinks::Link(Finding& f, const std::string& path) {
  auto& links = links_[path];
  const std::pair<FindingKind, std::string> link{
      f.kind, f.kind == FindingKind::kModuleNameCollision ? f.module.value_or(path) : path};
  if (std::find(links.begin(), links.end(), link) == links.end()) links.push_back(link);
  auto it = file_jobs_.find(path);
  if (it == file_jobs_.end()) return;
  for (uint64_t id : it->second) {
    if (const Job* j = jobs_.Get(id)) AddJob(f, *j);
  }
}

}  // namespace modrace
