// SPDX-License-Identifier: GPL-2.0-only
// The analyzer routes each event to the rules of the rule table that want
// it (rule.h, rule_table.cc) and keeps what they share (RuleContext): it
// puts a job's events in its job, drops what an overflow made unreliable
// and forgets everything at a reset, for all rules in one place
// (docs/architecture.md, Rules).

#include "analyzer/analyzer.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/artifact_path.h"
#include "analyzer/job_links.h"
#include "analyzer/rule.h"
#include "analyzer/rule_routes.h"
#include "analyzer/rule_table.h"

namespace modrace {

namespace {

bool IsHandleEvent(EventKind kind) {
  return kind == EventKind::kOpen || kind == EventKind::kModify ||
         kind == EventKind::kCloseWrite || kind == EventKind::kCloseNoWrite;
}

// Events that name no file: the sources' reports about the watch.
bool NamesNoFile(EventKind kind) {
  return kind == EventKind::kOverflow || kind == EventKind::kUnwatched ||
         kind == EventKind::kUnreadable || kind == EventKind::kRescanDone;
}

}  // namespace

struct Analyzer::State {
  explicit State(std::string root) : ctx(std::move(root)), rules(MakeRules()), routes(rules) {
    ctx.clash_rules = routes.name_clashes();
  }

  void Consume(const FsEvent& e);
  void OnJob(EventView& v, const Job& job);
  void Route(const std::vector<Rule*>& to, EventView& v) {
    for (Rule* r : to) r->OnEvent(v, ctx);
  }
  void Reset();

  RuleContext ctx;
  std::vector<std::unique_ptr<Rule>> rules;
  RuleRoutes routes;
  uint64_t last_seq = 0;  // of the last event not names_only
};

void Analyzer::State::Consume(const FsEvent& e) {
  ++ctx.stats.events;
  if (ctx.first_event_ns == 0) ctx.first_event_ns = e.time_ns;
  const bool file_event = !e.is_dir && !e.names_only && !NamesNoFile(e.kind);
  EventView v(e, ctx.files, file_event ? ClassifyArtifact(e.path) : ArtifactKind::kOther);
  if (e.process) {
    ctx.saw_processes = true;
    Job* job = ctx.jobs.Observe(*e.process, e.seq, e.time_ns);
    if (job != nullptr && !e.is_dir) OnJob(v, *job);
  }
  if (e.names_only) {
    // fanotify beside inotify: inotify's events drive the artifact rules;
    // these only name the writers and their jobs.
    if (e.process && !e.is_dir && IsHandleEvent(e.kind)) Route(routes.names_only(), v);
    return;
  }
  ctx.previous_seq = last_seq;
  last_seq = e.seq;
  switch (e.kind) {
    case EventKind::kOverflow:
      ++ctx.coverage.overflows;
      // Opens and closes were lost: every handle count is now a guess, and
      // deletions may have been missed (a lost removal would make a false
      // hazard). The daemon's rescan refills the index with kExisting
      // events.
      ctx.files.clear();
      ctx.links.ForgetFiles();
      ctx.index.Clear();
      for (const auto& r : rules) r->OnOverflow(ctx);
      Route(routes.For(e.kind, ArtifactKind::kOther), v);
      return;
    case EventKind::kRescanDone:
      ++ctx.stats.rescans;
      Route(routes.For(e.kind, ArtifactKind::kOther), v);
      return;
    case EventKind::kUnwatched:
    case EventKind::kUnreadable:
      Route(routes.For(e.kind, ArtifactKind::kOther), v);
      return;
    case EventKind::kDelete:
    case EventKind::kMovedFrom:
      if (e.is_dir) {
        ctx.index.WithdrawSourcesUnder(e.path);
        return;
      }
      ctx.index.WithdrawSource(e.path);
      break;
    default:
      break;
  }
  if (e.is_dir) return;
  Route(routes.For(e.kind, v.artifact), v);
}

// The job rules see every event of a job on a file; a write by the job's
// own hands then joins the file's writer jobs (JobLinks), after the rules
// compared it with the writers before.
void Analyzer::State::OnJob(EventView& v, const Job& job) {
  const bool writes = JobLinks::JobWrites(v.event, job, [&v]() -> FileRecord& { return v.file(); });
  for (Rule* r : routes.jobs()) r->OnJob(v, job, writes, ctx);
  if (writes) ctx.links.OnWrite(v.event, job);
}

void Analyzer::State::Reset() {
  ctx.book.Clear();
  ctx.index.Clear();
  ctx.files.clear();
  ctx.jobs.Clear();
  ctx.links.Clear();
  ctx.saw_processes = false;
  ctx.coverage = Coverage{};
  ctx.stats = Statistics{};
  ctx.first_event_ns = 0;
  for (const auto& r : rules) r->Reset();
}

Analyzer::Analyzer(std::string root) : state_(std::make_unique<State>(std::move(root))) {}
Analyzer::~Analyzer() = default;

void Analyzer::Consume(const FsEvent& event) { state_->Consume(event); }

const std::vector<Finding>& Analyzer::findings() const { return state_->ctx.book.findings(); }

uint64_t Analyzer::revision() const { return state_->ctx.book.revision(); }

const Coverage& Analyzer::coverage() const { return state_->ctx.coverage; }

Statistics Analyzer::statistics() const {
  Statistics s = state_->ctx.stats;
  s.files_tracked = state_->ctx.files.size();
  s.modules_seen = state_->ctx.index.module_paths();
  return s;
}

std::vector<std::string> Analyzer::module_paths() const { return state_->ctx.index.AllPaths(); }

std::vector<TimelineJob> Analyzer::timeline(uint64_t* dropped) const {
  return state_->ctx.jobs.Timeline(dropped);
}

std::vector<JobRef> Analyzer::jobs() const {
  std::vector<uint64_t> ids;
  for (const Finding& f : state_->ctx.book.findings()) {
    for (const JobRef& j : f.jobs) ids.push_back(j.id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<JobRef> out;
  for (uint64_t id : ids) {
    if (const Job* j = state_->ctx.jobs.Get(id)) {
      out.push_back(state_->ctx.jobs.Ref(*j, JobTable::kRecipeKept, true));
    }
  }
  return out;
}

bool Analyzer::saw_processes() const { return state_->ctx.saw_processes; }

void Analyzer::Reset() { state_->Reset(); }

}  // namespace modrace
