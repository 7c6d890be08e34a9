// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_FILE_RECORD_H_
#define MODRACE_ANALYZER_FILE_RECORD_H_

// The one record per file that the rules keep per-file state in
// (docs/architecture.md, Rules): one map, so one lookup per event serves
// every rule (docs/architecture.md, Benchmarks). Each member belongs to
// one rule; a rule that needs per-file state adds its member here.

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/overlap_bytes.h"
#include "analyzer/pid_writer_tracker.h"
#include "analyzer/writer_tracker.h"

namespace modrace {

// concurrent_writers_rule.cc: the file's write handles. Kept after the
// last close: a later close may still prove an overlap through a merged
// open. The pid tracker exists only for files whose events named
// processes (fanotify).
struct WriteHandles {
  WriterTracker anonymous;
  CloseSnapshots anonymous_snapshots;  // to compare bytes in an overlap
  std::unique_ptr<PidWriterTracker> by_pid;
  OverlapVerdicts verdicts;  // every overlap of this file: the severity
  // The pid tracker proved an overlap itself (its finding names both).
  bool names_proven = false;
  // When the anonymous tracker last proved one (0: never), to name the
  // processes fanotify saw writing then (two sources).
  int64_t anonymous_overlap_ns = 0;
};

struct FileRecord {
  WriteHandles handles;
  // stale_read_rule.cc: the jobs that read it since its last write (job
  // id, seq of the read).
  std::vector<std::pair<uint64_t, uint64_t>> readers;
  // The jobs that opened, made or close-wrote it, the last few (kept by
  // the analyzer, analyzer.cc): a job that modifies a file it never opened
  // writes through a descriptor it inherited (a build log), no output of
  // its recipe.
  std::vector<uint64_t> openers;
};

// Every file an event named, by path. Dropped whole at an overflow.
using FileTable = std::unordered_map<std::string, FileRecord>;

}  // namespace modrace

#endif  // MODRACE_ANALYZER_FILE_RECORD_H_
