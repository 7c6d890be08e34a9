// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/analyzer.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <utility>

#include "analyzer/analyzer_state.h"
#include "analyzer/artifact_path.h"
#include "analyzer/modules_order.h"
#include "common/plural.h"

namespace modrace {

namespace {

constexpr size_t kMaxCoverageExamples = 16;

bool IsHandleEvent(EventKind kind) {
  return kind == EventKind::kOpen || kind == EventKind::kModify ||
         kind == EventKind::kCloseWrite || kind == EventKind::kCloseNoWrite;
}

bool CarriesContent(EventKind kind) {
  return kind == EventKind::kCloseWrite || kind == EventKind::kMovedTo ||
         kind == EventKind::kExisting;
}

}  // namespace

std::string JoinPaths(const std::vector<std::string>& paths, std::string_view suffix) {
  std::string out;
  for (const auto& p : paths) {
    if (!out.empty()) out += ", ";
    out += p;
    out += suffix;
  }
  return out;
}

void Analyzer::State::Consume(const FsEvent& e) {
  ++stats.events;
  if (first_event_ns == 0) first_event_ns = e.time_ns;
  if (e.process) {
    saw_processes = true;
    OnJobEvent(e);  // write_hazard.cc
  }
  if (e.names_only) {
    // fanotify beside inotify: inotify's events drive the rules; these only
    // name the writers (concurrent_writers.cc) and their jobs.
    if (e.process && !e.is_dir && IsHandleEvent(e.kind)) OnWriterEvent(e);
    return;
  }
  previous_rule_seq = last_rule_seq;
  last_rule_seq = e.seq;
  switch (e.kind) {
    case EventKind::kOpen:
    case EventKind::kModify:
    case EventKind::kCloseWrite:
    case EventKind::kCloseNoWrite:
      if (!e.is_dir) OnWriterEvent(e);
      break;
    case EventKind::kOverflow:
      ++coverage.overflows;
      if (lost_from_ns == 0) lost_from_ns = e.time_ns;
      lost_to_ns = e.time_ns;
      // Opens and closes were lost: every handle count is now a guess, and
      // deletions may have been missed. The daemon's rescan refills the
      // index with kExisting events.
      ForgetFiles();
      file_jobs.clear();  // a lost removal would make a false hazard
      index.Clear();
      record_files.clear();  // the rescan lists them again
      ReportGap(e);
      return;
    case EventKind::kUnwatched:
      ++coverage.unwatched_dirs;
      if (coverage.unwatched_examples.size() < kMaxCoverageExamples) {
        coverage.unwatched_examples.push_back(e.path);
      }
      ReportGap(e);
      return;
    case EventKind::kUnreadable:
      ++coverage.unreadable_files;
      ReportGap(e);
      return;
    case EventKind::kRescanDone:
      ++stats.rescans;
      if (coverage.overflows > 0) {
        // The window closes when the disk has been read again.
        lost_to_ns = e.time_ns;
        if (Finding* f = book.Find(FindingKind::kCoverageGap, "overflow")) {
          f->message = LostMessage();
          book.Touch(*f, e.seq);
        }
      }
      return;
    case EventKind::kDelete:
    case EventKind::kMovedFrom:
      OnRemoved(e);
      return;
    default:
      break;
  }
  if (e.is_dir) return;
  const ArtifactKind kind = ClassifyArtifact(e.path);
  if (kind != ArtifactKind::kOther) OnArtifact(e, kind);
}

void Analyzer::State::OnArtifact(const FsEvent& e, ArtifactKind kind) {
  const bool has_content = CarriesContent(e.kind) && e.content.has_value();
  if (e.content_truncated && CarriesContent(e.kind)) {
    ++coverage.oversized_files;
    ReportGap(e);
  }
  switch (kind) {
    case ArtifactKind::kKernelObject:
    case ArtifactKind::kNewModRecord: {
      if (e.kind == EventKind::kModify) return;
      std::string module_path = NormalizeModulePath(e.path, root);
      if (module_path.empty()) return;
      if (kind == ArtifactKind::kKernelObject && e.kind == EventKind::kMovedTo) {
        module_path = MovedModulePath(e, std::move(module_path));
      }
      const std::string name = index.Claim(module_path, e.path);
      CheckCollision(name, e, e.path);
      if (kind == ArtifactKind::kNewModRecord && has_content) {
        const NewModRecord r = ParseNewModRecord(*e.content);
        if (r.problems.Torn()) ReportTorn(e, r.problems);
      }
      return;
    }
    case ArtifactKind::kOldModRecord:
      if (has_content) OnOldRecord(e);  // clobbered_record.cc
      return;
    case ArtifactKind::kModulesOrder:
      if (has_content) OnModulesOrder(e);
      return;
    case ArtifactKind::kOther:
      return;
  }
}

void Analyzer::State::OnModulesOrder(const FsEvent& e) {
  const ModulesOrder order = ParseModulesOrder(*e.content, root, e.path);
  if (order.problems.Torn()) ReportTorn(e, order.problems);
  // A rewrite replaces what this file said before.
  index.WithdrawSource(e.path);
  std::vector<std::string> names;
  for (const auto& path : order.modules) names.push_back(index.Claim(path, e.path));
  for (const auto& name : names) CheckCollision(name, e, e.path);
  for (const auto& dup : order.duplicates) {
    ReportDuplicate(dup, e, Confidence::kCertain,
                    e.path + " lists " + dup + ".ko more than once");
  }
}

void Analyzer::State::OnRemoved(const FsEvent& e) {
  if (e.is_dir) {
    index.WithdrawSourcesUnder(e.path);
    return;
  }
  moved_ko.reset();
  if (e.kind == EventKind::kMovedFrom && ClassifyArtifact(e.path) == ArtifactKind::kKernelObject) {
    std::string module_path = NormalizeModulePath(e.path, root);
    if (!module_path.empty()) moved_ko = MovedKo{e.path, std::move(module_path), e.seq};
  }
  index.WithdrawSource(e.path);
  if (ClassifyArtifact(e.path) == ArtifactKind::kOldModRecord) {
    old_records.erase(e.path);
    record_files[ModuleIndex::CanonicalName(e.path)].erase(e.path);
  }
}

// A rename's two halves reach the rules one right after the other (the
// kernel queues IN_MOVED_FROM and IN_MOVED_TO together): a .ko moved in
// with the name of the .ko moved out just before is that module, moved
// (dkms moves each built .ko out of its Kbuild directory).
std::string Analyzer::State::MovedModulePath(const FsEvent& e, std::string module_path) {
  if (!moved_ko || moved_ko->seq != previous_rule_seq) return module_path;
  const auto base = [](const std::string& p) { return p.substr(p.rfind('/') + 1); };
  if (base(moved_ko->from) != base(e.path)) return module_path;
  std::string moved = std::move(moved_ko->module_path);
  moved_ko.reset();
  return moved;
}

void Analyzer::State::CheckCollision(const std::string& name, const FsEvent& e,
                                     const std::string& source) {
  const std::vector<std::string> paths = index.PathsOf(name);
  if (paths.size() < 2) return;
  bool created;
  Finding& f = book.Upsert(FindingKind::kModuleNameCollision, name, e.seq, e.time_ns, &created);
  bool grew = created;
  for (const auto& p : paths) grew = FindingBook::AddPath(f, p) || grew;
  if (!grew) return;
  f.severity = Severity::kError;
  f.confidence = Confidence::kCertain;
  f.module = name;
  std::string what = source + " makes " + std::to_string(paths.size()) + " module paths named " + name;
  std::optional<std::string> content;
  if (e.content && ClassifyArtifact(source) != ArtifactKind::kModulesOrder) {
    content = EvidenceExcerpt(*e.content);
  }
  FindingBook::AddEvidence(f, Evidence{e.seq, source, std::move(what), std::move(content)});
  bool mixed_dash = false;
  for (const auto& p : f.paths) mixed_dash = mixed_dash || std::string(ModuleNameOf(p)) != name;
  std::vector<std::string> sorted = f.paths;  // the same words whatever the order seen
  std::sort(sorted.begin(), sorted.end());
  f.message = std::to_string(f.paths.size()) + " modules are named " + name + ": " +
              JoinPaths(sorted, ".ko") +
              (mixed_dash ? " ('-' and '_' are the same in module names)" : "") +
              "; rename one of them";
  if (ClassifyArtifact(source) != ArtifactKind::kModulesOrder) LinkJobs(f, source);
  // The jobs that wrote each module's record and object, whichever source
  // completed the clash.
  LinkJobs(f, ".tmp_versions/" + name + ".mod");
  for (const auto& p : f.paths) {
    for (const char* suffix : {".mod", ".ko", ".o"}) LinkJobs(f, p + suffix);
  }
  book.Touch(f, e.seq);
  CheckSharedRecord(name, e);  // clobbered_record.cc
}

void Analyzer::State::ReportTorn(const FsEvent& e, const ContentProblems& problems) {
  bool created;
  Finding& f = book.Upsert(FindingKind::kTornFile, e.path, e.seq, e.time_ns, &created);
  f.severity = Severity::kError;
  f.confidence = Confidence::kCertain;
  FindingBook::AddPath(f, e.path);
  std::string notes;
  for (const auto& n : problems.notes) {
    if (!notes.empty()) notes += "; ";
    notes += n;
  }
  FindingBook::AddEvidence(f, Evidence{e.seq, e.path, notes, EvidenceExcerpt(*e.content)});
  f.message = e.path + " holds what only interleaved writers produce: " + notes;
  LinkJobs(f, e.path);
  book.Touch(f, e.seq);
}

void Analyzer::State::ReportDuplicate(const std::string& module_path, const FsEvent& e,
                                      Confidence confidence, const std::string& what) {
  if (module_path.empty()) return;
  bool created;
  Finding& f =
      book.Upsert(FindingKind::kDuplicateModulePath, module_path, e.seq, e.time_ns, &created);
  if (created || confidence == Confidence::kCertain) f.confidence = confidence;
  f.severity = Severity::kWarning;
  f.module = std::string(ModuleNameOf(module_path));
  FindingBook::AddPath(f, module_path);
  if (ClassifyArtifact(e.path) != ArtifactKind::kModulesOrder) LinkJobs(f, e.path);
  for (const auto& ev : f.evidence) {
    if (ev.what == what) return;  // the same fact again adds nothing
  }
  FindingBook::AddEvidence(f, Evidence{e.seq, e.path, what, std::nullopt});
  f.message = module_path + ".ko is built twice (one module path reached two ways, e.g. " +
              "`obj-m += sub/ sub/x.o`); list it once";
  book.Touch(f, e.seq);
}

void Analyzer::State::ReportGap(const FsEvent& e) {
  std::string key;
  std::string what;
  switch (e.kind) {
    case EventKind::kOverflow:
      key = "overflow";
      what = "kernel event queue overflowed: events were lost; the module index was "
             "rebuilt from disk";
      break;
    case EventKind::kUnwatched:
      key = "unwatched";
      what = "directory not watched: " + e.path;
      break;
    case EventKind::kUnreadable:
      key = "unreadable";
      what = "content not readable: " + e.path;
      break;
    default:
      key = "oversized";
      what = "content larger than the read limit, not checked: " + e.path;
      break;
  }
  if (!e.detail.empty()) what += " (" + e.detail + ")";
  bool created;
  Finding& f = book.Upsert(FindingKind::kCoverageGap, key, e.seq, e.time_ns, &created);
  f.severity = Severity::kWarning;
  f.confidence = Confidence::kCertain;
  if (e.kind != EventKind::kOverflow && f.paths.size() < kMaxEvidencePerFinding) {
    FindingBook::AddPath(f, e.path);
  }
  FindingBook::AddEvidence(f, Evidence{e.seq, e.path, what, std::nullopt});
  if (key == "overflow") {
    f.message = LostMessage();
  } else if (key == "unwatched") {
    f.message = Counted(coverage.unwatched_dirs, "directory", "directories") +
                " could not be watched: writes there are not checked" +
                (e.detail.empty() ? "" : " (" + e.detail + ")");
  } else if (key == "unreadable") {
    f.message = Counted(coverage.unreadable_files, "artifact", "artifacts") +
                " could not be read: their content is not checked";
  } else {
    f.message = Counted(coverage.oversized_files, "artifact was", "artifacts were") +
                " larger than the read limit: their content is not checked";
  }
  book.Touch(f, e.seq);
}

std::string Analyzer::State::LostMessage() const {
  std::string window;
  if (first_event_ns > 0 && lost_from_ns >= first_event_ns && lost_to_ns >= lost_from_ns) {
    auto seconds = [&](int64_t ns) {
      char buf[32];
      snprintf(buf, sizeof(buf), "%.1f s", static_cast<double>(ns - first_event_ns) / 1e9);
      return std::string(buf);
    };
    window = " from " + seconds(lost_from_ns) + " to " + seconds(lost_to_ns) +
             " after watching began";
  }
  return "events were lost " + Times(coverage.overflows) + " (kernel queue overflow)" + window +
         ": races in that window may be missed; name clashes were re-checked from disk";
}

Analyzer::Analyzer(std::string root) : state_(std::make_unique<State>(std::move(root))) {}
Analyzer::~Analyzer() = default;

void Analyzer::Consume(const FsEvent& event) { state_->Consume(event); }

const std::vector<Finding>& Analyzer::findings() const { return state_->book.findings(); }

uint64_t Analyzer::revision() const { return state_->book.revision(); }

const Coverage& Analyzer::coverage() const { return state_->coverage; }

Statistics Analyzer::statistics() const {
  Statistics s = state_->stats;
  s.files_tracked = state_->writers.size();
  s.modules_seen = state_->index.module_paths();
  return s;
}

std::vector<std::string> Analyzer::module_paths() const { return state_->index.AllPaths(); }

std::vector<TimelineJob> Analyzer::timeline(uint64_t* dropped) const {
  return state_->jobs.Timeline(dropped);
}

std::vector<JobRef> Analyzer::jobs() const {
  std::vector<uint64_t> ids;
  for (const Finding& f : state_->book.findings()) {
    for (const JobRef& j : f.jobs) ids.push_back(j.id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<JobRef> out;
  for (uint64_t id : ids) {
    if (const Job* j = state_->jobs.Get(id)) {
      out.push_back(state_->jobs.Ref(*j, JobTable::kRecipeKept, true));
    }
  }
  return out;
}

bool Analyzer::saw_processes() const { return state_->saw_processes; }

void Analyzer::Reset() {
  State& s = *state_;
  s.book.Clear();
  s.index.Clear();
  s.ForgetFiles();
  s.old_records.clear();
  s.record_files.clear();
  s.jobs.Clear();
  s.file_jobs.clear();
  s.job_links.clear();
  s.saw_processes = false;
  s.coverage = Coverage{};
  s.stats = Statistics{};
  s.first_event_ns = 0;
  s.lost_from_ns = 0;
  s.lost_to_ns = 0;
}

}  // namespace modrace
