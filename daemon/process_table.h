// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_PROCESS_TABLE_H_
#define MODRACE_DAEMON_PROCESS_TABLE_H_

// ProcessTable: who a pid is, read from /proc at the first event of that pid
// and cached, so a short-lived writer (`sh -c '{ ...; } > x.mod'`) is still
// named after it exited (docs/architecture.md, fanotify beside inotify).
//
// Contract:
// - Lookup(pid) reads /proc/PID/stat (comm, ppid, start time: field 22) and
//   /proc/PID/cmdline (NULs as spaces) the first time it sees a pid, and the
//   parent chain via PPid, each ancestor itself a cached entry. Later
//   lookups of the same pid are answered from the cache without touching
//   /proc.
// - The chain a ProcessInfo carries stops at the build, never above it
//   (reports are CI artifacts: a runner's command line must not leak):
//   at the nearest `make` ancestor (included); with build_parent set (the
//   `modrace run` client's pid), at the child of build_parent (the command
//   it started) at the latest. A process with neither above it carries no
//   ancestors; with build_parent set, a process outside the build (not
//   below build_parent, or build_parent itself) carries its pid and start
//   time alone.
// - Jobs: a process below a make belongs to the job rooted at that make's
//   child (job_pid); a make itself is no job. make_dir is the nearest
//   make's working directory; top_make the outermost make of the build.
// - Entries are keyed by (pid, start_time): once an entry is older than
//   revalidate_after_ns, the next lookup re-reads /proc/PID/stat (one small
//   read) and replaces the entry when the start time differs, so a reused
//   pid never inherits another process's name. (pid_max is often 32768; a
//   busy build wraps it in seconds, not in milliseconds.) A changed comm
//   with the same start time is an exec: the entry is read afresh too.
// - Refresh(pid) is for an exec seen as it happens (ExecListener): the
//   entry is read again at once, the cache window notwithstanding.
// - A process that already exited keeps what the cache had. With nothing
//   cached, a fork seen for it (NoteFork, from ExecListener) links it to
//   its parent: it joins the parent's job (or, a make's child, is a job of
//   its own), its own comm and cmdline unknown. With neither, the answer
//   carries the pid alone and counts in unnamed(). A zombie still has its
//   comm but no cmdline.
// - The cache holds at most `capacity` entries; the least recently used go
//   first.

#include <cstdint>
#include <deque>
#include <list>
#include <string>
#include <unordered_map>

#include "proto/fs_event.h"

namespace modrace {

struct ProcessTableOptions {
  std::string proc_root = "/proc";  // tests point this at a fake tree
  size_t capacity = 8192;
  int64_t revalidate_after_ns = 250 * 1000 * 1000;
  size_t max_ancestors = 32;
  size_t cmdline_limit = 64 * 1024;  // kbuild recipes can be long; cut here
  // The `modrace run` client's pid: the build is what it started (see
  // above). 0: a standing daemon, the chain stops at the nearest make.
  int32_t build_parent = 0;
};

// The fields of /proc/PID/stat the table needs.
struct ProcStat {
  std::string comm;
  int32_t ppid = 0;
  uint64_t start_time = 0;  // clock ticks since boot (field 22)
  char state = '?';
};

// Parses the text of /proc/PID/stat. comm may hold spaces and parentheses:
// it runs from the first '(' to the last ')'. Returns false on bad input.
bool ParseProcStat(const std::string& text, ProcStat* out);

// "make", "gmake" and versioned spellings ("make-4.3") count as make.
bool IsMakeComm(const std::string& comm);

class ProcessTable {
 public:
  explicit ProcessTable(ProcessTableOptions options = {});

  // The process behind an event of `pid` seen at `now_ns` (any monotonic or
  // realtime clock, used only to age entries). Never null. The record is
  // shared, not copied: events hold it after the entry is replaced.
  ProcessRef Lookup(int32_t pid, int64_t now_ns);
  // `pid` has just exec'd: replaces its entry with what /proc shows now
  // (unless it is already gone, which keeps the old entry).
  void Refresh(int32_t pid, int64_t now_ns);
  // `parent` has just forked `child` (a new process: whatever the cache
  // holds of that pid is an earlier process's, and is dropped). Kept for
  // the last 4 x capacity forks; costs no /proc read.
  void NoteFork(int32_t parent, int32_t child);

  size_t size() const { return entries_.size(); }
  // Counters: /proc/PID/stat reads, lookups answered from the cache alone,
  // entries evicted, entries replaced because their pid was reused.
  uint64_t stat_reads() const { return stat_reads_; }
  uint64_t hits() const { return hits_; }
  uint64_t evictions() const { return evictions_; }
  uint64_t reused_pids() const { return reused_pids_; }
  // Processes named by pid alone: gone before their first lookup, with no
  // fork seen (docs/architecture.md, fanotify beside inotify).
  uint64_t unnamed() const { return unnamed_; }
  size_t forks_kept() const { return parent_of_.size(); }

 private:
  struct Entry {
    // Never changed once inserted (a new process gets a new entry), so
    // events share it.
    ProcessRef info;
    int64_t checked_ns = 0;
    bool is_make = false;
    bool in_build = true;   // below build_parent (always, without one)
    bool anchored = false;  // a make or the build's root is at or above it
    std::string cwd;        // a make's working directory
    std::list<int32_t>::iterator lru;
  };
  Entry& Resolve(int32_t pid, int64_t now_ns, size_t depth, bool force = false);
  // Fills info's chain and job, and entry's flags, from its parent's
  // entry (see above).
  void Link(Entry& entry, ProcessInfo& info, int32_t ppid, int64_t now_ns, size_t depth);
  bool ReadStat(int32_t pid, ProcStat* out);
  std::string ReadCmdline(int32_t pid);
  std::string ReadCwd(int32_t pid);
  Entry& Insert(int32_t pid, Entry entry);
  void Touch(Entry& e);

  ProcessTableOptions options_;
  std::unordered_map<int32_t, Entry> entries_;
  std::list<int32_t> lru_;  // most recently used first
  // NoteFork: child -> {parent, serial}; the children, oldest first, with
  // the serial of their fork (a pid forked again has a newer one).
  struct Fork {
    int32_t pid = 0;
    uint64_t serial = 0;
  };
  std::unordered_map<int32_t, Fork> parent_of_;
  std::deque<Fork> fork_order_;
  uint64_t forks_ = 0;
  uint64_t stat_reads_ = 0;
  uint64_t hits_ = 0;
  uint64_t evictions_ = 0;
  uint64_t reused_pids_ = 0;
  uint64_t unnamed_ = 0;
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_PROCESS_TABLE_H_
