// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/job_table.h"

#include <algorithm>

#include "analyzer/job_names.h"

namespace modrace {

namespace {

// The job root's command line: the process itself, or its ancestor of that
// pid.
std::string RecipeOf(const ProcessInfo& p) {
  if (p.pid == p.job_pid) return p.cmdline;
  for (size_t i = 0; i < p.ancestors.size() && i < p.ancestor_cmdlines.size(); ++i) {
    if (p.ancestors[i] == p.job_pid) return p.ancestor_cmdlines[i];
  }
  return std::string();
}

}  // namespace

Job& JobTable::Make(const ProcessInfo& p, uint64_t seq, int64_t time_ns) {
  Job job;
  job.id = next_id_++;
  job.pid = p.job_pid;
  job.start_time = p.job_start_time;
  job.make_pid = p.ancestors.empty() ? 0 : p.ancestors.back();
  job.make_start_time = p.make_start_time;
  job.top_make_pid = p.top_make_pid;
  job.top_make_start_time = p.top_make_start_time;
  if (!p.ancestor_cmdlines.empty() && p.ancestors.size() == p.ancestor_cmdlines.size()) {
    job.make_call = MakeCall(p.ancestor_cmdlines.back());
  }
  job.make_dir = p.make_dir;
  const std::string recipe = RecipeOf(p);
  job.short_name = JobShortName(recipe);
  job.recipe = Shorten(recipe, kRecipeKept);
  job.first_seq = seq;
  job.last_seq = seq;
  job.first_ns = time_ns;
  job.last_ns = time_ns;
  const uint64_t key = Key(p.job_pid, p.job_start_time);
  key_of_id_[job.id] = key;
  return by_key_.insert_or_assign(key, std::move(job)).first->second;
}

Job* JobTable::Observe(const ProcessInfo& p, uint64_t seq, int64_t time_ns) {
  if (p.top_make_pid != 0) {
    Interval& top = top_makes_[Key(p.top_make_pid, p.top_make_start_time)];
    if (top.first == 0) top.first = seq;
    top.last = std::max(top.last, seq);
  }
  if (p.job_pid == 0) return nullptr;
  auto it = by_key_.find(Key(p.job_pid, p.job_start_time));
  Job& job = it != by_key_.end() ? it->second : Make(p, seq, time_ns);
  if (job.recipe.empty() && it != by_key_.end()) {
    const std::string recipe = RecipeOf(p);
    if (!recipe.empty()) {
      job.short_name = JobShortName(recipe);
      job.recipe = Shorten(recipe, kRecipeKept);
    }
  }
  job.last_seq = std::max(job.last_seq, seq);
  job.last_ns = std::max(job.last_ns, time_ns);
  if (job.pids.size() < kPidsKept &&
      std::find(job.pids.begin(), job.pids.end(), p.pid) == job.pids.end()) {
    job.pids.push_back(p.pid);
  }
  return &job;
}

const Job* JobTable::Find(const ProcessInfo& p) const {
  if (p.job_pid == 0) return nullptr;
  auto it = by_key_.find(Key(p.job_pid, p.job_start_time));
  return it == by_key_.end() ? nullptr : &it->second;
}

const Job* JobTable::Get(uint64_t id) const {
  auto k = key_of_id_.find(id);
  if (k == key_of_id_.end()) return nullptr;
  auto it = by_key_.find(k->second);
  return it == by_key_.end() || it->second.id != id ? nullptr : &it->second;
}

bool JobTable::RanAtOnce(const Job& a, const Job& b) {
  return a.first_seq <= b.last_seq && b.first_seq <= a.last_seq;
}

bool JobTable::TopMakesAtOnce(const Job& a, const Job& b) const {
  auto ia = top_makes_.find(Key(a.top_make_pid, a.top_make_start_time));
  auto ib = top_makes_.find(Key(b.top_make_pid, b.top_make_start_time));
  if (ia == top_makes_.end() || ib == top_makes_.end()) return false;
  return ia->second.first <= ib->second.last && ib->second.first <= ia->second.last;
}

JobRef JobTable::Ref(const Job& job, size_t recipe_limit, bool with_dir) const {
  JobRef r;
  r.id = job.id;
  r.short_name = job.short_name;
  r.recipe = Shorten(job.recipe, recipe_limit);
  r.pids = job.pids;
  r.make_pid = job.make_pid;
  r.make = job.make_call;
  if (with_dir) r.make_dir = job.make_dir;
  return r;
}

std::vector<TimelineJob> JobTable::Timeline(uint64_t* dropped) const {
  std::vector<const Job*> all;
  all.reserve(by_key_.size());
  for (const auto& [key, job] : by_key_) all.push_back(&job);
  std::sort(all.begin(), all.end(), [](const Job* a, const Job* b) { return a->id < b->id; });
  *dropped = all.size() > kTimelineJobsKept ? all.size() - kTimelineJobsKept : 0;
  if (all.size() > kTimelineJobsKept) all.resize(kTimelineJobsKept);
  std::vector<TimelineJob> out;
  out.reserve(all.size());
  for (const Job* job : all) {
    TimelineJob t;
    t.id = job->id;
    t.name = job->short_name;
    t.make_pid = job->make_pid;
    t.make = job->make_call;
    t.top_make_pid = job->top_make_pid;
    t.first_ns = job->first_ns;
    t.last_ns = job->last_ns;
    out.push_back(std::move(t));
  }
  return out;
}

void JobTable::Clear() {
  by_key_.clear();
  key_of_id_.clear();
  top_makes_.clear();
}

}  // namespace modrace
