// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/process_table.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <utility>
#include <vector>

namespace modrace {

namespace {

// Reads at most `limit` bytes of a small /proc file in one or a few reads.
bool ReadSmallFile(const std::string& path, size_t limit, std::string* out) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out->clear();
  char buf[4096];
  while (out->size() < limit) {
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      close(fd);
      return false;
    }
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  if (out->size() > limit) out->resize(limit);
  close(fd);
  return true;
}

}  // namespace

bool ParseProcStat(const std::string& text, ProcStat* out) {
  const size_t open = text.find('(');
  const size_t close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  out->comm = text.substr(open + 1, close - open - 1);
  // Fields after the comm, numbered from 3 (state).
  std::vector<std::string_view> fields;
  std::string_view rest(text);
  rest.remove_prefix(close + 1);
  while (!rest.empty() && fields.size() < 20) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    size_t end = rest.find_first_of(" \n");
    if (end == std::string_view::npos) end = rest.size();
    if (end > 0) fields.push_back(rest.substr(0, end));
    rest.remove_prefix(end);
  }
  if (fields.size() < 20) return false;  // field 22 is fields[19]
  out->state = fields[0].empty() ? '?' : fields[0][0];
  char* endp = nullptr;
  const std::string ppid(fields[1]);
  const long p = strtol(ppid.c_str(), &endp, 10);
  if (endp == ppid.c_str() || *endp != 0) return false;
  out->ppid = static_cast<int32_t>(p);
  const std::string start(fields[19]);
  const unsigned long long st = strtoull(start.c_str(), &endp, 10);
  if (endp == start.c_str() || *endp != 0) return false;
  out->start_time = st;
  return true;
}

bool IsMakeComm(const std::string& comm) {
  if (comm == "make" || comm == "gmake") return true;
  return comm.rfind("make-", 0) == 0 || comm.rfind("gmake-", 0) == 0;
}

ProcessTable::ProcessTable(ProcessTableOptions options) : options_(std::move(options)) {
  if (options_.capacity < 2) options_.capacity = 2;
}

bool ProcessTable::ReadStat(int32_t pid, ProcStat* out) {
  ++stat_reads_;
  std::string text;
  if (!ReadSmallFile(options_.proc_root + "/" + std::to_string(pid) + "/stat", 4096, &text)) {
    return false;
  }
  return ParseProcStat(text, out);
}

std::string ProcessTable::ReadCmdline(int32_t pid) {
  std::string text;
  if (!ReadSmallFile(options_.proc_root + "/" + std::to_string(pid) + "/cmdline",
                     options_.cmdline_limit, &text)) {
    return "";
  }
  while (!text.empty() && text.back() == '\0') text.pop_back();
  for (char& c : text) {
    if (c == '\0') c = ' ';
  }
  return text;
}

std::string ProcessTable::ReadCwd(int32_t pid) {
  char buf[4096];
  const std::string link = options_.proc_root + "/" + std::to_string(pid) + "/cwd";
  const ssize_t n = readlink(link.c_str(), buf, sizeof(buf));
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

void ProcessTable::Touch(Entry& e) {
  lru_.splice(lru_.begin(), lru_, e.lru);
}

ProcessTable::Entry& ProcessTable::Insert(int32_t pid, Entry entry) {
  auto it = entries_.find(pid);
  if (it != entries_.end()) {
    entry.lru = it->second.lru;
    it->second = std::move(entry);
    Touch(it->second);
    return it->second;
  }
  while (entries_.size() >= options_.capacity && !lru_.empty()) {
    entries_.erase(lru_.back());
    lru_.pop_back();
    ++evictions_;
  }
  lru_.push_front(pid);
  entry.lru = lru_.begin();
  return entries_.emplace(pid, std::move(entry)).first->second;
}

ProcessRef ProcessTable::Lookup(int32_t pid, int64_t now_ns) {
  return Resolve(pid, now_ns, 0).info;
}

void ProcessTable::Refresh(int32_t pid, int64_t now_ns) { Resolve(pid, now_ns, 0, true); }

void ProcessTable::NoteFork(int32_t parent, int32_t child) {
  if (auto it = entries_.find(child); it != entries_.end()) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
  }
  const uint64_t serial = ++forks_;
  parent_of_[child] = Fork{parent, serial};
  fork_order_.push_back(Fork{child, serial});
  while (fork_order_.size() > 4 * options_.capacity) {
    const Fork oldest = fork_order_.front();
    fork_order_.pop_front();
    auto it = parent_of_.find(oldest.pid);
    if (it != parent_of_.end() && it->second.serial == oldest.serial) parent_of_.erase(it);
  }
}

ProcessTable::Entry& ProcessTable::Resolve(int32_t pid, int64_t now_ns, size_t depth,
                                           bool force) {
  auto it = entries_.find(pid);
  if (!force && it != entries_.end() &&
      now_ns - it->second.checked_ns < options_.revalidate_after_ns) {
    ++hits_;
    Touch(it->second);
    return it->second;
  }
  ProcStat st;
  const bool alive = ReadStat(pid, &st);
  if (it != entries_.end()) {
    Entry& cached = it->second;
    // Gone (keep what we had), or the same process still.
    const bool same = cached.info->start_time != 0 && cached.info->start_time == st.start_time;
    // A zombie has lost its cmdline: never let it overwrite what was read
    // while the process lived.
    if (!alive || (same && st.state == 'Z') ||
        (!force && same && cached.info->comm == st.comm)) {
      cached.checked_ns = now_ns;
      Touch(cached);
      return cached;
    }
    // Reused, exec'd, or first seen as exited and now readable: read afresh.
    if (cached.info->start_time != st.start_time) ++reused_pids_;
  }
  Entry entry;
  ProcessInfo info;
  entry.checked_ns = now_ns;
  info.pid = pid;
  if (alive) {
    info.start_time = st.start_time;
    info.comm = st.comm;
    info.cmdline = ReadCmdline(pid);
    entry.is_make = IsMakeComm(st.comm);
    if (entry.is_make) entry.cwd = ReadCwd(pid);
    Link(entry, info, st.ppid, now_ns, depth);
    if (!entry.in_build) {
      // Outside the build (its parent, or unrelated): named by pid alone.
      info.comm.clear();
      info.cmdline.clear();
    }
  } else if (auto parent = parent_of_.find(pid); parent != parent_of_.end()) {
    // Gone before it was read, but its fork was seen: its parent's child.
    Link(entry, info, parent->second.pid, now_ns, depth);
  } else {
    entry.in_build = options_.build_parent == 0;
    ++unnamed_;
  }
  entry.info = std::make_shared<const ProcessInfo>(std::move(info));
  return Insert(pid, std::move(entry));
}

void ProcessTable::Link(Entry& entry, ProcessInfo& info, int32_t ppid, int64_t now_ns,
                        size_t depth) {
  const int32_t boundary = options_.build_parent;
  const bool build_root = boundary > 0 && ppid == boundary;
  if (build_root || (boundary > 0 && info.pid == boundary) || ppid <= 0 ||
      depth >= options_.max_ancestors) {
    // The chain stops here: at the build's root, or at the top of the tree.
    entry.in_build = build_root || boundary == 0;
    entry.anchored = entry.in_build && (build_root || entry.is_make);
  } else {
    // Copied out before Insert: inserting may evict the parent's entry.
    const Entry& parent = Resolve(ppid, now_ns, depth + 1);
    entry.in_build = parent.in_build;
    entry.anchored = parent.anchored || entry.is_make;
    if (entry.in_build && parent.is_make) {
      info.ancestors.push_back(ppid);
      info.ancestor_cmdlines.push_back(parent.info->cmdline);
      info.job_pid = info.pid;
      info.job_start_time = info.start_time;
      info.make_start_time = parent.info->start_time;
      info.make_dir = parent.cwd;
      info.top_make_pid = parent.info->top_make_pid;
      info.top_make_start_time = parent.info->top_make_start_time;
    } else if (entry.in_build && parent.anchored) {
      info.ancestors.push_back(ppid);
      info.ancestor_cmdlines.push_back(parent.info->cmdline);
      for (size_t i = 0; i < parent.info->ancestors.size() &&
                         info.ancestors.size() < options_.max_ancestors;
           ++i) {
        info.ancestors.push_back(parent.info->ancestors[i]);
        info.ancestor_cmdlines.push_back(
            i < parent.info->ancestor_cmdlines.size() ? parent.info->ancestor_cmdlines[i] : "");
      }
      info.job_pid = parent.info->job_pid;
      info.job_start_time = parent.info->job_start_time;
      info.make_start_time = parent.info->make_start_time;
      info.make_dir = parent.info->make_dir;
      info.top_make_pid = parent.info->top_make_pid;
      info.top_make_start_time = parent.info->top_make_start_time;
    }
  }
  if (entry.is_make) {
    info.job_pid = 0;  // make's own processes are no job
    info.job_start_time = 0;
    if (info.top_make_pid == 0 && entry.in_build) {
      info.top_make_pid = info.pid;
      info.top_make_start_time = info.start_time;
    }
  }
}

}  // namespace modrace
