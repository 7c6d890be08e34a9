// SPDX-License-Identifier: GPL-2.0-only
// The job rules of the analyzer (docs/architecture.md, Jobs): every event
// that names a process is put in its job (JobTable); the jobs that wrote a
// file are kept per file, and two that make did not order make a
// write_hazard finding, whatever the timing of their writes:
// - jobs of two different makes below one top make (two sub-makes reach
//   one target, as `obj-m += sub/ sub/x.o` does);
// - two jobs of one make that were running at once (make starts a job
//   while another runs only when neither waits for the other); one job
//   after the other may be ordered by a dependency and is no hazard;
// - jobs of two top makes that ran at once (two builds on one tree).
// Only a job that opened the file, made it (create, rename) or closed a
// write handle on it writes it. A modify through a descriptor inherited
// from above the build (`make > build.log`) is no recipe's output and
// never counts: the kernel reports the close of a shared handle once, at
// the last close, which is the process above the build that opened it.
// A file a job wrote and then removed with no other job writing it between
// (a temporary file) is forgotten at its removal. make's own processes are
// no job and never count.
//
// Findings that rest on a file's writes (concurrent writers, torn or
// clobbered records, clashes found in records) name the file's writer
// jobs through LinkJobs, also those that arrive after the finding (the
// fanotify stream runs behind inotify's).

#include <algorithm>
#include <string>
#include <utility>

#include "analyzer/analyzer_state.h"
#include "analyzer/job_names.h"

namespace modrace {

namespace {

constexpr size_t kJobsPerFile = 8;
constexpr size_t kJobsPerFinding = 16;
constexpr size_t kRecipeInFinding = 160;
constexpr size_t kOpenersPerFile = 4;

bool IsWrite(EventKind kind) {
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

bool IsRemoval(EventKind kind) {
  return kind == EventKind::kDelete || kind == EventKind::kMovedFrom;
}

std::string MakeName(const Job& j) {
  return "make" + (j.make_call.empty() ? std::string() : " " + j.make_call) + " (pid " +
         std::to_string(j.make_pid) + ")";
}

std::string JobName(const Job& j) { return "job " + std::to_string(j.id) + " " + j.Quoted(); }

}  // namespace

void Analyzer::State::OnJobEvent(const FsEvent& e) {
  Job* job = jobs.Observe(*e.process, e.seq, e.time_ns);
  if (job == nullptr || e.is_dir) return;
  if (e.kind == EventKind::kCloseNoWrite) {
    OnJobRead(e, *job);  // stale_read.cc
    return;
  }
  if (e.kind == EventKind::kOpen || e.kind == EventKind::kCreate || e.kind == EventKind::kMovedTo ||
      e.kind == EventKind::kCloseWrite) {
    std::vector<uint64_t>& openers = FileAt(e.path).openers;
    if (std::find(openers.begin(), openers.end(), job->id) == openers.end()) {
      if (openers.size() >= kOpenersPerFile) openers.erase(openers.begin());
      openers.push_back(job->id);
    }
  }
  if (!IsWrite(e.kind)) return;
  if (e.kind == EventKind::kModify) {
    const std::vector<uint64_t>& openers = FileAt(e.path).openers;
    if (std::find(openers.begin(), openers.end(), job->id) == openers.end()) return;  // inherited
  }
  CheckStale(e, *job);
  FileJobs& fj = file_jobs[e.path];
  const bool known = std::find(fj.writers.begin(), fj.writers.end(), job->id) != fj.writers.end();
  for (uint64_t other_id : fj.writers) {
    if (other_id == job->id) continue;
    const Job* other = jobs.Get(other_id);
    if (other != nullptr) CheckHazard(e, *job, *other);
  }
  if (IsRemoval(e.kind) && fj.writers.size() <= 1 && (fj.writers.empty() || known)) {
    // Written by this job alone and removed by it: a temporary file.
    file_jobs.erase(e.path);
    return;
  }
  if (!known) {
    fj.writers.push_back(job->id);
    if (fj.writers.size() > kJobsPerFile) fj.writers.erase(fj.writers.begin());
    auto links = job_links.find(e.path);
    if (links != job_links.end()) {
      for (const auto& [kind, key] : links->second) {
        Finding* f = book.Find(kind, key);
        if (f != nullptr && AddJob(*f, *job)) book.Touch(*f, e.seq);
      }
    }
  }
}

bool Analyzer::State::AddJob(Finding& f, const Job& job) {
  for (const JobRef& have : f.jobs) {
    if (have.id == job.id) return false;
  }
  if (f.jobs.size() >= kJobsPerFinding) return false;
  f.jobs.push_back(jobs.Ref(job, kRecipeInFinding, false));
  for (Writer& w : f.writers) {
    if (w.job == 0 && w.process && w.process->job_pid == job.pid &&
        w.process->job_start_time == job.start_time) {
      w.job = job.id;
    }
  }
  return true;
}

void Analyzer::State::LinkJobs(Finding& f, const std::string& path) {
  auto& links = job_links[path];
  const std::pair<FindingKind, std::string> link{f.kind, f.kind == FindingKind::kModuleNameCollision
                                                              ? f.module.value_or(path)
                                                              : path};
  if (std::find(links.begin(), links.end(), link) == links.end()) links.push_back(link);
  auto it = file_jobs.find(path);
  if (it == file_jobs.end()) return;
  for (uint64_t id : it->second.writers) {
    if (const Job* j = jobs.Get(id)) AddJob(f, *j);
  }
}

void Analyzer::State::CheckHazard(const FsEvent& e, const Job& job, const Job& other) {
  std::string why;
  if (job.SameMake(other)) {
    if (!JobTable::RanAtOnce(job, other)) return;  // one after the other: maybe ordered
    why = "two jobs of " + MakeName(job) + " running at once";
  } else if (job.SameTopMake(other)) {
    why = "under two makes, " + MakeName(other) + " and " + MakeName(job);
  } else {
    if (!jobs.TopMakesAtOnce(job, other)) return;  // two builds, one after the other
    why = "under two builds running at once, " + MakeName(other) + " and " + MakeName(job);
  }
  bool created;
  Finding& f = book.Upsert(FindingKind::kWriteHazard, e.path, e.seq, e.time_ns, &created);
  f.severity = Severity::kError;
  f.confidence = Confidence::kCertain;
  FindingBook::AddPath(f, e.path);
  const bool grew = AddJob(f, other) | AddJob(f, job);
  if (!grew && !created) return;
  FindingBook::AddEvidence(
      f, Evidence{e.seq, e.path,
                  JobName(job) + " wrote it (" + std::string(EventKindName(e.kind)) +
                      ") after " + JobName(other) + ", " + why + ": make did not order them",
                  std::nullopt});
  if (!job.recipe.empty() && job.recipe == other.recipe) {
    f.message = e.path + " is built twice: " + job.Quoted() + " ran " + why;
  } else {
    f.message =
        "two recipes write " + e.path + ": " + other.Quoted() + " and " + job.Quoted() + ", " + why;
  }
  if (f.jobs.size() > 2) f.message += " (" + std::to_string(f.jobs.size()) + " jobs in all)";
  LinkJobs(f, e.path);
  book.Touch(f, e.seq);
}

}  // namespace modrace
