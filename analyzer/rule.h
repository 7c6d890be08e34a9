// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_RULE_H_
#define MODRACE_ANALYZER_RULE_H_

// Rule: one rule of the analyzer (docs/architecture.md, Rules). A rule owns
// its state and says which events it wants (Wants); the analyzer routes
// each event to the rules that want it, in the order of the rule table
// (rule_table.cc), and handles overflow and reset for all of them in one
// place (analyzer.cc). What rules share is in the RuleContext the analyzer
// passes them: the findings, the module index, the jobs and the files
// their writes name, the per-file records, coverage and statistics.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/artifact_path.h"
#include "analyzer/file_record.h"
#include "analyzer/finding_book.h"
#include "analyzer/job_links.h"
#include "analyzer/job_table.h"
#include "analyzer/module_index.h"
#include "proto/finding.h"
#include "proto/fs_event.h"
#include "proto/report.h"

namespace modrace {

class Rule;

// What the analyzer keeps for all rules (rules read and grow it; the
// analyzer clears it at an overflow and a reset, analyzer.cc).
struct RuleContext {
  explicit RuleContext(std::string r) : root(std::move(r)) {}

  // The watched root's absolute path (Analyzer's constructor).
  std::string root;
  FindingBook book;
  // The module paths the artifacts claim. Cleared at an overflow: the
  // rescan claims them again.
  ModuleIndex index;
  JobTable jobs;
  // The jobs that wrote each file, and the findings that name them.
  JobLinks links{book, jobs};
  // The per-file records (file_record.h). Cleared at an overflow.
  FileTable files;
  Coverage coverage;
  Statistics stats;
  // The time of the first event (the watch began), and the seq of the
  // event before this one (names_only events aside).
  int64_t first_event_ns = 0;
  uint64_t previous_seq = 0;
  bool saw_processes = false;
  // The rules that want name clashes, in table order (NotifyNameClash).
  std::vector<Rule*> clash_rules;
};

// One event as the rules see it: the event, what artifact its path is,
// and its file's record, looked up once for all rules on first use.
class EventView {
 public:
  EventView(const FsEvent& e, FileTable& files, ArtifactKind artifact)
      : event(e), artifact(artifact), files_(files) {}

  const FsEvent& event;
  // ClassifyArtifact(event.path), worked out once for all rules; kOther
  // for events of no file (kOverflow, kRescanDone, ...), of a directory,
  // and for names_only events.
  const ArtifactKind artifact;

  // The file's record, made on first use.
  FileRecord& file() {
    if (file_ == nullptr) file_ = &files_[event.path];
    return *file_;
  }
  // The event carries the file's content (close-write, moved in, scanned)
  // and it was read.
  bool has_content() const { return CarriesContent(event.kind) && event.content.has_value(); }
  static bool CarriesContent(EventKind kind) {
    return kind == EventKind::kCloseWrite || kind == EventKind::kMovedTo ||
           kind == EventKind::kExisting;
  }

 private:
  FileTable& files_;
  FileRecord* file_ = nullptr;
};

constexpr uint32_t Bit(EventKind kind) { return 1u << static_cast<unsigned>(kind); }
constexpr uint32_t Bit(ArtifactKind kind) { return 1u << static_cast<unsigned>(kind); }

// Which events a rule is given. Events on directories go to no rule
// (the analyzer keeps the index of a removed directory itself).
struct Wants {
  // OnEvent: the events of these kinds (not names_only), of files or of
  // none (kOverflow, kUnwatched, kUnreadable, kRescanDone).
  uint32_t events = 0;
  // OnEvent: every event (not names_only) on a file of these artifact
  // kinds, whatever its kind, removals too.
  uint32_t artifacts = 0;
  // OnEvent: fanotify's names_only events of open, modify and close on a
  // file, which only name processes beside inotify's.
  bool names_only = false;
  // OnJob: every event of a job on a file, before any OnEvent.
  bool jobs = false;
  // OnNameClash.
  bool name_clashes = false;
};

// The wants of a rule that sees only jobs' events (OnJob).
inline Wants JobEventsOnly() {
  Wants w;
  w.jobs = true;
  return w;
}

class Rule {
 public:
  virtual ~Rule() = default;
  virtual Wants wants() const = 0;
  virtual void OnEvent(EventView& /*v*/, RuleContext& /*ctx*/) {}
  // An event of `job` on a file; `writes`: the job wrote the file with a
  // handle of its own (JobLinks::JobWrites). The file's writer jobs in
  // ctx.links do not hold it yet.
  virtual void OnJob(EventView& /*v*/, const Job& /*job*/, bool /*writes*/, RuleContext& /*ctx*/) {}
  // A module_name_collision finding of `name` grew at `e`.
  virtual void OnNameClash(const std::string& /*name*/, const FsEvent& /*e*/,
                           RuleContext& /*ctx*/) {}
  // Events were lost: drop what cannot be trusted. The analyzer has
  // already dropped the per-file records, the module index and the files'
  // writer jobs.
  virtual void OnOverflow(RuleContext& /*ctx*/) {}
  // Forget everything (Analyzer::Reset).
  virtual void Reset() = 0;
};

// Tells the rules that want it that the clash of `name` grew.
inline void NotifyNameClash(RuleContext& ctx, const std::string& name, const FsEvent& e) {
  for (Rule* r : ctx.clash_rules) r->OnNameClash(name, e, ctx);
}

}  // namespace modrace

#endif  // MODRACE_ANALYZER_RULE_H_
