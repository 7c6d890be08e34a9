// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/watch_table.h"

namespace modrace {

WatchTable::AddResult WatchTable::Add(int wd, const std::string& path, uint64_t dev,
                                      uint64_t ino) {
  AddResult result = AddResult::kNew;
  auto it = by_wd_.find(wd);
  if (it != by_wd_.end()) {
    if (it->second.dev == dev && it->second.ino == ino) {
      result = it->second.path == path ? AddResult::kSame : AddResult::kMoved;
    } else {
      // The kernel freed the old watch and handed its number out again; the
      // old watch's IN_IGNORED is still in the queue.
      result = AddResult::kReused;
      ++expected_ignores_[wd];
    }
    by_path_.erase(it->second.path);
  }
  // Another wd recorded at this path is stale (its directory was replaced).
  auto old = by_path_.find(path);
  if (old != by_path_.end() && old->second != wd) {
    by_wd_.erase(old->second);
    by_path_.erase(old);
  }
  Entry& e = by_wd_[wd];
  e.path = path;
  e.dev = dev;
  e.ino = ino;
  e.seen = true;
  by_path_[path] = wd;
  return result;
}

const std::string* WatchTable::PathOf(int wd) const {
  auto it = by_wd_.find(wd);
  return it == by_wd_.end() ? nullptr : &it->second.path;
}

void WatchTable::Erase(int wd) {
  auto it = by_wd_.find(wd);
  if (it == by_wd_.end()) return;
  auto p = by_path_.find(it->second.path);
  if (p != by_path_.end() && p->second == wd) by_path_.erase(p);
  by_wd_.erase(it);
}

bool WatchTable::Ignored(int wd) {
  auto exp = expected_ignores_.find(wd);
  if (exp != expected_ignores_.end()) {
    if (--exp->second == 0) expected_ignores_.erase(exp);
    return false;
  }
  if (by_wd_.count(wd) == 0) return false;
  Erase(wd);
  return true;
}

void WatchTable::Removed(int wd) {
  Erase(wd);
  ++expected_ignores_[wd];
}

std::vector<int> WatchTable::Under(const std::string& dir) const {
  std::vector<int> out;
  if (dir.empty()) {
    for (const auto& [path, wd] : by_path_) out.push_back(wd);
    return out;
  }
  auto self = by_path_.find(dir);
  if (self != by_path_.end()) out.push_back(self->second);
  const std::string prefix = dir + "/";
  for (auto it = by_path_.lower_bound(prefix);
       it != by_path_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    out.push_back(it->second);
  }
  return out;
}

void WatchTable::BeginSweep() {
  for (auto& [wd, e] : by_wd_) e.seen = false;
}

std::vector<int> WatchTable::EndSweep() {
  std::vector<int> stale;
  for (const auto& [wd, e] : by_wd_) {
    if (!e.seen) stale.push_back(wd);
  }
  return stale;
}

}  // namespace modrace
