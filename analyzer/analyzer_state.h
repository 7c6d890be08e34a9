// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_ANALYZER_STATE_H_
#define MODRACE_ANALYZER_ANALYZER_STATE_H_

// The analyzer's state and rules, shared by its source files (private to
// //analyzer): analyzer.cc routes events and keeps the artifact rules
// (names, records, module lists, gaps); clobbered_record.cc the old
// `.tmp_versions` records; concurrent_writers.cc the writer trackers and
// their findings.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/analyzer.h"
#include "analyzer/artifact_path.h"
#include "analyzer/finding_book.h"
#include "analyzer/job_table.h"
#include "analyzer/mod_record.h"
#include "analyzer/module_index.h"
#include "analyzer/overlap_bytes.h"
#include "analyzer/pid_writer_tracker.h"
#include "analyzer/writer_tracker.h"

namespace modrace {

// "a.ko, b.ko" for paths {"a", "b"} and suffix ".ko".
std::string JoinPaths(const std::vector<std::string>& paths, std::string_view suffix);

struct Analyzer::State {
  explicit State(std::string r) : root(std::move(r)) {}

  std::string root;
  FindingBook book;
  ModuleIndex index;
  // Writer state per file ever opened. Kept after the last close: a later
  // close may still prove an overlap through a merged open. The pid tracker
  // exists only for files whose events named processes (fanotify).
  struct FileWriters {
    WriterTracker anonymous;
    CloseSnapshots anonymous_snapshots;  // to compare bytes in an overlap
    std::unique_ptr<PidWriterTracker> by_pid;
    OverlapVerdicts verdicts;  // every overlap of this file: the severity
    // The pid tracker proved an overlap itself (its finding names both).
    bool names_proven = false;
    // When the anonymous tracker last proved one (0: never), to name the
    // processes fanotify saw writing then (two sources).
    int64_t anonymous_overlap_ns = 0;
    // stale_read.cc: the jobs that read it since its last write (job id,
    // seq of the read).
    std::vector<std::pair<uint64_t, uint64_t>> readers;
    // write_hazard.cc: the jobs that opened, made or close-wrote it, the
    // last few. A job that modifies a file it never opened writes through a
    // descriptor it inherited (a build log): no output of its recipe.
    std::vector<uint64_t> openers;
  };
  std::unordered_map<std::string, FileWriters> writers;
  // The state of `path`, made on first use: one lookup serves the writer
  // and reader rules (docs/architecture.md, Benchmarks).
  FileWriters& FileAt(const std::string& path) { return writers[path]; }
  // Drops every file's state.
  void ForgetFiles() { writers.clear(); }
  // Last module each .tmp_versions file recorded, to see a clobber. Kept
  // across overflows: a clobber across the lost window is still a clobber.
  struct OldRecordSeen {
    std::string module_path;
    std::string content;
    uint64_t seq = 0;
  };
  std::unordered_map<std::string, OldRecordSeen> old_records;
  // Old `.tmp_versions/NAME.mod` records on disk, by canonical NAME: one
  // such file for several modules of one name is a clobber even unseen
  // (clobbered_record.cc).
  std::unordered_map<std::string, std::set<std::string>> record_files;
  // The .ko the last event moved away (OnRemoved), and the seqs of the last
  // two events the artifact rules saw: a .ko moved in right after it is the
  // same module (MovedModulePath).
  struct MovedKo {
    std::string from;
    std::string module_path;
    uint64_t seq = 0;
  };
  std::optional<MovedKo> moved_ko;
  uint64_t last_rule_seq = 0;
  uint64_t previous_rule_seq = 0;
  Coverage coverage;
  Statistics stats;
  // When the watch began (the first event), and the window of lost events:
  // from the first overflow to the end of the rescan after the last one.
  int64_t first_event_ns = 0;
  int64_t lost_from_ns = 0;
  int64_t lost_to_ns = 0;
  // Jobs (write_hazard.cc): the jobs that wrote each file, and the
  // findings to name a file's later writer jobs in.
  JobTable jobs;
  struct FileJobs {
    std::vector<uint64_t> writers;  // job ids, oldest first, the last few
  };
  std::unordered_map<std::string, FileJobs> file_jobs;
  std::unordered_map<std::string, std::vector<std::pair<FindingKind, std::string>>> job_links;
  bool saw_processes = false;

  void Consume(const FsEvent& e);
  void OnWriterEvent(const FsEvent& e);
  void OnPidWriterEvent(const FsEvent& e, FileWriters& w);
  void ReportPidConcurrent(const FsEvent& e, const PidOverlap& o, FileWriters& w);
  void NameAnonymousOverlap(const FsEvent& e, const PidOverlap& o, FileWriters& w);
  void OnArtifact(const FsEvent& e, ArtifactKind kind);
  void OnRemoved(const FsEvent& e);
  std::string MovedModulePath(const FsEvent& e, std::string module_path);
  void OnOldRecord(const FsEvent& e);
  void CheckSharedRecord(const std::string& name, const FsEvent& e);
  // The clobber of `record`'s finding, made or grown at e: the same words
  // whether a rewrite or a scan showed it.
  Finding& UpsertClobber(const std::string& record, const FsEvent& e);
  void OnModulesOrder(const FsEvent& e);
  void CheckCollision(const std::string& name, const FsEvent& e, const std::string& source);
  void ReportTorn(const FsEvent& e, const ContentProblems& problems);
  void ReportConcurrent(const FsEvent& e, const CloseVerdict& v, OverlapBytes bytes,
                        FileWriters& w);
  void ReportDuplicate(const std::string& module_path, const FsEvent& e, Confidence confidence,
                       const std::string& what);
  void ReportGap(const FsEvent& e);
  // The overflow gap's message: how often, and in which window of the watch.
  std::string LostMessage() const;
  void OnJobEvent(const FsEvent& e);
  void CheckHazard(const FsEvent& e, const Job& job, const Job& other);
  void OnJobRead(const FsEvent& e, const Job& job);
  void CheckStale(const FsEvent& e, const Job& writer);
  // Adds `job` to f.jobs (and its id to f's writers of that job); false
  // when already there or f is full.
  bool AddJob(Finding& f, const Job& job);
  // f rests on the writes of `path`: name its writer jobs, now and later.
  void LinkJobs(Finding& f, const std::string& path);
};

}  // namespace modrace

#endif  // MODRACE_ANALYZER_ANALYZER_STATE_H_
