// SPDX-License-Identifier: GPL-2.0-only
// write_hazard (docs/architecture.md, Jobs): every event that names a
// process is put in its job (JobTable, by the analyzer); the jobs that
// wrote a file are kept per file (JobLinks), and two that make did not
// order make a
// write_hazard finding, whatever the timing of their writes:
// - jobs of two different makes below one top make (two sub-makes reach
//   one target, as `obj-m += sub/ sub/x.o` does);
// - two jobs of one make that were running at once (make starts a job
//   while another runs only when neither waits for the other); one job
//   after the other may be ordered by a dependency and is no hazard;
// - jobs of two top makes that ran at once (two builds on one tree).
// Only a job that opened the file, made it (create, rename) or closed a
// write handle on it writes it (JobLinks::JobWrites). A modify through a descriptor inherited
// from above the build (`make > build.log`) is no recipe's output and
// never counts: the kernel reports the close of a shared handle once, at
// the last close, which is the process above the build that opened it.
// A file a job wrote and then removed with no other job writing it between
// (a temporary file) is forgotten at its removal. make's own processes are
// no job and never count.
//
// Findings that rest on a file's writes (concurrent writers, torn or
// clobbered records, clashes found in records) name the file's writer
// jobs through JobLinks::Link, also those that arrive after the finding (the
// fanotify stream runs behind inotify's).

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/job_names.h"
#include "analyzer/rule.h"

namespace modrace {

namespace {

std::string MakeName(const Job& j) {
  return "make" + (j.make_call.empty() ? std::string() : " " + j.make_call) + " (pid " +
         std::to_string(j.make_pid) + ")";
}

std::string JobName(const Job& j) {
  return "job " + std::to_string(j.id) + " " + j.Quoted();
}

class WriteHazardRule : public Rule {
 public:
  Wants wants() const override { return JobEventsOnly(); }
  void OnJob(EventView& v, const Job& job, bool writes, RuleContext& ctx) override {
    if (!writes) return;
    const std::vector<uint64_t>* writers = ctx.links.WritersOf(v.event.path);
    if (writers == nullptr) return;
    for (uint64_t other_id : *writers) {
      if (other_id == job.id) continue;
      const Job* other = ctx.jobs.Get(other_id);
      if (other != nullptr) CheckHazard(v.event, job, *other, ctx);
    }
  }
  // Its state is the files' writer jobs (RuleContext::links).
  void Reset() override {}

 private:
  void CheckHazard(const FsEvent& e, const Job& job, const Job& other, RuleContext& ctx);
};

void WriteHazardRule::CheckHazard(const FsEvent& e, const Job& job, const Job& other,
                                  RuleContext& ctx) {
  std::string why;
  if (job.SameMake(other)) {
    if (!JobTable::RanAtOnce(job, other)) return;  // one after the other: maybe ordered
    why = "two jobs of " + MakeName(job) + " running at once";
  } else if (job.SameTopMake(other)) {
    why = "under two makes, " + MakeName(other) + " and " + MakeName(job);
  } else {
    if (!ctx.jobs.TopMakesAtOnce(job, other)) return;  // two builds, one after the other
    why = "under two builds running at once, " + MakeName(other) + " and " + MakeName(job);
  }
  bool created;
  Finding& f = ctx.book.Upsert(FindingKind::kWriteHazard, e.path, e.seq, e.time_ns, &created);
  f.severity = Severity::kError;
  f.confidence = Confidence::kCertain;
  FindingBook::AddPath(f, e.path);
  const bool grew = ctx.links.AddJob(f, other) | ctx.links.AddJob(f, job);
  if (!grew && !created) return;
  FindingBook::AddEvidence(
      f, Evidence{e.seq, e.path,
                  JobName(job) + " wrote it (" + std::string(EventKindName(e.kind)) + ") after " +
                      JobName(other) + ", " + why + ": make did not order them",
                  std::nullopt});
  if (!job.recipe.empty() && job.recipe == other.recipe) {
    f.message = e.path + " is built twice: " + job.Quoted() + " ran " + why;
  } else {
    f.message = "two recipes write " + e.path + ": " + other.Quoted() + " and " + job.Quoted() +
                ", " + why;
  }
  if (f.jobs.size() > 2) f.message += " (" + std::to_string(f.jobs.size()) + " jobs in all)";
  ctx.links.Link(f, e.path);
  ctx.book.Touch(f, e.seq);
}

}  // namespace

std::unique_ptr<Rule> MakeWriteHazardRule() { return std::make_unique<WriteHazardRule>(); }

}  // namespace modrace
