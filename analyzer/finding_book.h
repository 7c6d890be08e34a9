// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_FINDING_BOOK_H_
#define MODRACE_ANALYZER_FINDING_BOOK_H_

// FindingBook: the findings of one analysis, one per (kind, key), where the
// key is what the finding is about (a module name, a file path). A finding
// found again grows (paths, writers, evidence) and gets a new revision
// instead of being repeated. Evidence and writers are capped per finding so
// that a pathological build cannot grow memory without bound; the message
// still counts everything.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "proto/finding.h"

namespace modrace {

inline constexpr size_t kMaxEvidencePerFinding = 32;
inline constexpr size_t kMaxWritersPerFinding = 64;
inline constexpr size_t kWriterCmdlineKept = 200;

class FindingBook {
 public:
  // Returns the finding for (kind, key), creating it (with a new id) when
  // absent; *created says which. The caller fills it in, then calls Touch.
  Finding& Upsert(FindingKind kind, const std::string& key, uint64_t seq, int64_t time_ns,
                  bool* created);
  // The finding for (kind, key), or null; never creates one.
  Finding* Find(FindingKind kind, const std::string& key);
  // Marks `f` changed at `seq`: new revision, last_seq.
  void Touch(Finding& f, uint64_t seq);
  // Adds evidence unless the finding already holds the maximum.
  static void AddEvidence(Finding& f, Evidence e);
  // Adds a writer; the same process (pid and start time) again widens the
  // one it has. A writer's process is kept without its chain (its job
  // names the recipe) and with its command line cut.
  static void AddWriter(Finding& f, Writer w);
  // Adds `path` to f.paths unless present.
  static bool AddPath(Finding& f, const std::string& path);

  const std::vector<Finding>& findings() const { return findings_; }
  uint64_t revision() const { return revision_; }
  // Forgets the findings; ids and revisions keep increasing.
  void Clear();

 private:
  std::vector<Finding> findings_;
  std::unordered_map<std::string, size_t> by_key_;  // kind name + '\0' + key
  uint64_t next_id_ = 1;
  uint64_t revision_ = 0;
};

}  // namespace modrace

#endif  // MODRACE_ANALYZER_FINDING_BOOK_H_
