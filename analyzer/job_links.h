// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_JOB_LINKS_H_
#define MODRACE_ANALYZER_JOB_LINKS_H_

// JobLinks: the jobs that wrote each file, and the findings that rest on
// a file's writes (docs/architecture.md, Jobs). A finding linked to a file
// names its writer jobs, also those that write it after the finding (the
// fanotify stream runs behind inotify's).

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/file_record.h"
#include "analyzer/finding_book.h"
#include "analyzer/job_table.h"
#include "proto/finding.h"
#include "proto/fs_event.h"

namespace modrace {

class JobLinks {
 public:
  JobLinks(FindingBook& book, const JobTable& jobs) : book_(book), jobs_(jobs) {}

  // Whether `e` is a write of the file by `job` with a handle of its own,
  // and remembers the jobs that opened, made or close-wrote it in
  // `file.openers`. A job that modifies a file it never opened writes
  // through a descriptor it inherited (`make > build.log`): no output of
  // its recipe. `file` is called only when the record is needed.
  template <typename FileFn>
  static bool JobWrites(const FsEvent& e, const Job& job, FileFn file);

  // The writer jobs of `path` (ids, oldest first, the last few); null
  // when none is known.
  const std::vector<uint64_t>* WritersOf(const std::string& path) const;
  // `job` wrote `path` at e: keep it among the file's writers and name it
  // in the findings linked to the file. A file this job alone wrote and
  // now removes (a temporary file) is forgotten.
  void OnWrite(const FsEvent& e, const Job& job);
  // Adds `job` to f.jobs (and its id to f's writers of that job); false
  // when already there or f is full.
  bool AddJob(Finding& f, const Job& job);
  // f rests on the writes of `path`: name its writer jobs, now and later.
  void Link(Finding& f, const std::string& path);

  // Drops the files' writers (an overflow: a lost removal would make a
  // false hazard); the links stay.
  void ForgetFiles() { file_jobs_.clear(); }
  void Clear() {
    file_jobs_.clear();
    links_.clear();
  }

 private:
  static constexpr size_t kOpenersPerFile = 4;
  static bool IsWrite(EventKind kind);
  static bool IsOpener(EventKind kind) {
    return kind == EventKind::kOpen || kind == EventKind::kCreate || kind == EventKind::kMovedTo ||
           kind == EventKind::kCloseWrite;
  }

  FindingBook& book_;
  const JobTable& jobs_;
  std::unordered_map<std::string, std::vector<uint64_t>> file_jobs_;
  std::unordered_map<std::string, std::vector<std::pair<FindingKind, std::string>>> links_;
};

template <typename FileFn>
bool JobLinks::JobWrites(const FsEvent& e, const Job& job, FileFn file) {
  if (IsOpener(e.kind)) {
    std::vector<uint64_t>& openers = file().openers;
    if (std::find(openers.begin(), openers.end(), job.id) == openers.end()) {
      if (openers.size() >= kOpenersPerFile) openers.erase(openers.begin());
      openers.push_back(job.id);
    }
  }
  if (!IsWrite(e.kind)) return false;
  if (e.kind != EventKind::kModify) return true;
  const std::vector<uint64_t>& openers = file().openers;
  return std::find(openers.begin(), openers.end(), job.id) != openers.end();  // else inherited
}

}  // namespace modrace

#endif  // MODRACE_ANALYZER_JOB_LINKS_H_
