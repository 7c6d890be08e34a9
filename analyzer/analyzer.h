// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_ANALYZER_H_
#define MODRACE_ANALYZER_ANALYZER_H_

// Analyzer: turns a stream of FsEvents into Findings. Pure: no syscalls, no
// clock (time comes in the event), no files. The daemon feeds it live
// events; `modrace replay` and the scenario tests feed it recorded ones and
// must get the same findings; `modrace audit` feeds it a built tree as
// kExisting events with content (docs/architecture.md, Rules).
//
// Contract:
// - Events arrive in seq order. Paths are relative to the watched root.
// - A finding appears as soon as its evidence exists, and grows (new
//   revision) instead of repeating when more evidence arrives.
// - After kOverflow the writer state of every file is unreliable and is
//   dropped; the daemon then sends kExisting events for what is on disk
//   (the rescan) and kRescanDone. Findings already made are never lost.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "proto/finding.h"
#include "proto/fs_event.h"
#include "proto/report.h"

namespace modrace {

class Analyzer {
 public:
  // `root`: the watched root's absolute path, used only to relate absolute
  // paths inside artifacts (an absolute M= modules.order) to the tree.
  explicit Analyzer(std::string root = std::string());
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  void Consume(const FsEvent& event);

  // All findings since the last Reset, in the order they were created.
  // Ids keep increasing across a reset.
  const std::vector<Finding>& findings() const;
  // The highest revision of any finding; 0 when there are none. Findings
  // with revision > cursor are the ones changed since that cursor.
  uint64_t revision() const;
  const Coverage& coverage() const;
  Statistics statistics() const;
  // Every module path the artifacts claim now ("drivers/net/usb/asix"),
  // sorted.
  std::vector<std::string> module_paths() const;
  // Every job a finding names, once, with its whole (capped) recipe and
  // its make's directory, in id order.
  std::vector<JobRef> jobs() const;
  // Every job of the build by id, with its first and last event's time
  // (at most kTimelineJobsKept; *dropped counts the rest).
  std::vector<TimelineJob> timeline(uint64_t* dropped) const;
  // Whether any event named its process (fanotify); without, there are no
  // jobs and no write hazards.
  bool saw_processes() const;

  // Forgets everything: findings, files, modules, coverage. Revisions keep
  // increasing across a reset so cursors held by clients stay valid.
  void Reset();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace modrace

#endif  // MODRACE_ANALYZER_ANALYZER_H_
