// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_WATCH_TABLE_H_
#define MODRACE_DAEMON_WATCH_TABLE_H_

// WatchTable: which directory (relative to the root, "" for the root) each
// inotify watch descriptor stands for. Pure bookkeeping, no syscalls; the
// inotify source calls it around inotify_add_watch/rm_watch and IN_IGNORED.
//
// The subtle part is IN_IGNORED versus wd reuse. The kernel frees a watch
// (directory deleted, or our rm_watch) before we read its IN_IGNORED, so a
// later inotify_add_watch may return the same number for another directory.
// The table tells the cases apart by the directory's (dev, ino): the same
// wd for a different inode means the old watch is gone and its IN_IGNORED is
// still queued, and that IN_IGNORED must not remove the new mapping.

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace modrace {

class WatchTable {
 public:
  enum class AddResult {
    kNew,     // a wd not in the table
    kSame,    // the same wd, path and inode again (a rescan)
    kMoved,   // the same wd and inode under a new path: the path is updated
    kReused,  // the wd of a watch the kernel already freed: replaced
  };

  // Records that inotify_add_watch returned `wd` for directory `path`
  // whose identity is (dev, ino). Marks the entry seen for a sweep.
  AddResult Add(int wd, const std::string& path, uint64_t dev, uint64_t ino);

  // The directory of `wd`, or nullptr when the wd is not (or no longer) ours.
  const std::string* PathOf(int wd) const;

  // IN_IGNORED arrived for `wd`. Returns true when it removed a mapping
  // (false when it was the expected echo of a removal or reuse).
  bool Ignored(int wd);

  // We called inotify_rm_watch(wd) ourselves: drops the mapping now and
  // expects one IN_IGNORED for it later.
  void Removed(int wd);

  // The wds of `dir` and every directory below it ("" means all).
  std::vector<int> Under(const std::string& dir) const;

  // A rescan: BeginSweep() marks every entry unseen, Add() marks entries
  // seen, EndSweep() returns the wds never seen again (stale: the caller
  // removes them with rm_watch and Removed()).
  void BeginSweep();
  std::vector<int> EndSweep();

  size_t size() const { return by_wd_.size(); }

 private:
  struct Entry {
    std::string path;
    uint64_t dev = 0;
    uint64_t ino = 0;
    bool seen = true;
  };
  void Erase(int wd);

  std::unordered_map<int, Entry> by_wd_;
  std::map<std::string, int> by_path_;  // sorted: a subtree is one range
  std::unordered_map<int, int> expected_ignores_;
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_WATCH_TABLE_H_
