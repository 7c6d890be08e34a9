// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_FANOTIFY_SOURCE_H_
#define MODRACE_DAEMON_FANOTIFY_SOURCE_H_

// FanotifySource: the event source that names the writers (root only).
// Same shape as InotifySource: one non-blocking fanotify fd driven by a
// uv_poll_t, FsEvents with paths relative to the root, seq left 0 for the
// caller, and every event of a process carries its ProcessInfo.
//
// Contract (docs/architecture.md, Event model):
// - Reporting mode, best first, falling back step by step as fatrace does:
//   1. kFilesystemFid: FAN_REPORT_FID|FAN_REPORT_DFID_NAME with a
//      FAN_MARK_FILESYSTEM mark on the root's filesystem: open, modify,
//      close-write, close-nowrite, create, delete, moved-from, moved-to.
//      Directory handles are resolved with open_by_handle_at on the root's
//      mount and cached (handle -> path, or "outside the root"); the cache
//      is invalidated on directory delete/move and cleared on overflow.
//   2. kMountFd: plain fd events on a FAN_MARK_MOUNT mark, the path from
//      /proc/self/fd: open, modify, close-write, close-nowrite only (the
//      kernel reports no names in this mode).
//   3. Neither works: Start() fails with a message (EPERM names
//      CAP_SYS_ADMIN and root).
// - A filesystem mark sees the whole filesystem: events outside the root
//   are dropped before anything else is done for them (one hash lookup of
//   the directory handle once it is cached), and never cost a /proc read.
// - Ignore marks (kFilesystemFid, Linux 6.0+, unless
//   options.ignore_outside is off): a directory whose handle resolved to
//   outside the root gets, at its second event, an evictable
//   FAN_MARK_IGNORE inode mark for every event asked for, on its entries
//   and on itself (FAN_EVENT_ON_CHILD | FAN_ONDIR,
//   FAN_MARK_IGNORED_SURV_MODIFY as the kernel requires on a directory):
//   the kernel then drops the rest of its events, so a compiler's reads of
//   /usr/include or a loader's of /usr/lib cost two events per directory,
//   not one per read (not at the first: a directory seen once would cost a
//   mark and save nothing). Only directories are marked, never files, and
//   only once resolved (a handle that no longer opens, ESTALE, is not
//   marked). The kernel forgets an evictable mark with the inode; the next
//   event there marks it again (at most once per read of the fd, since
//   events queued before a mark still come).
//   Kernels without FAN_MARK_IGNORE (EINVAL, probed at Start) and kMountFd
//   mode (no directory handles; kernels before 5.1 have neither flag) drop
//   in user space only, as before. (5.19 has evictable marks but only the
//   legacy FAN_MARK_IGNORED_MASK, whose reach over a directory's entries
//   changed in 6.0: not used.)
//   - The root's ancestors are outside and get marked too: their marks drop
//     events on their entries, the root among them (its opening, its
//     rename or removal seen from its parent), all dropped here anyway;
//     the root's own FAN_DELETE_SELF and FAN_MOVE_SELF come from its own
//     inode mark, never through its parent, and are unaffected.
//   - A directory moved into the tree keeps its inode, and so its mark and
//     those below it: on its FAN_MOVED_TO (in Parse, before the scan that
//     lists it) the marks on it and every directory below it are removed;
//     a rescan removes those on the whole tree (lost events may have moved
//     one in). Events in such a directory between the rename and the read
//     of its FAN_MOVED_TO are dropped by the kernel; the scan reports what
//     they left as kExisting, without their writers.
// - The daemon's own events (pid == getpid(): content reads, report files)
//   are dropped, except for paths where options.keep_own_event holds (the
//   barrier's marker files, docs/architecture.md, Flush barrier).
// - The process behind each event is read from /proc at its first event
//   (ProcessTable), before the rest of the batch is handled. Because a
//   short-lived writer is often a zombie (comm, no cmdline) by the time its
//   first event is read, every exec on the machine is also read as it
//   happens (ExecListener, the process connector; root), so the cmdline is
//   cached before the program reaches its first open. Without the
//   connector, names come from the first event alone. A process gone
//   before either is named by its pid alone (or by comm, as a zombie).
// - Start() emits kExisting for everything already in the tree once the
//   mark is in place; close-write, moved-to and existing files for which
//   wants_content(path) holds carry their content.
// - A directory moved into the tree: its contents are emitted as kExisting
//   (as inotify does), since none of them was ever reported.
// - Paths never run ahead of the stream (kFilesystemFid): a directory
//   handle resolves to where the directory is *now*, which after a rename
//   the daemon has not read yet is a name the stream does not have yet
//   (the same file would then appear under its old name, from a scan, and
//   its new one: a false clash). The source keeps the directories its own
//   stream says exist; an event in any other directory is dropped (counted
//   in dropped_ahead()). Its directory's own create or move comes later in the
//   queue, and the scan that follows it reports the file's content.
// - FAN_Q_OVERFLOW: kOverflow for each, then, once the batch read with it
//   is handled, one rescan for all of them (kExisting..., kRescanDone).
//   Never silent, never fatal.
// - A scan (start-up, a directory moved in, a rescan) emits kExisting for
//   what scan_reports(path) holds (null: everything); the directories it
//   finds join the stream either way.
// - The kernel merges a queued event into an earlier unread one of the same
//   pid and file (masks OR-ed). A merged mask is emitted in the order
//   create, moved-to, open, modify, close-write, close-nowrite, moved-from,
//   delete. Two pids are never merged, so overlap between writers stays
//   visible as long as the daemon keeps up with the queue. With
//   whole_read_as_close, a record of a whole read (open and close-nowrite,
//   nothing written) is emitted as its close-nowrite alone: the open adds
//   nothing a reader's close does not say.
// - The root deleted or moved: in kFilesystemFid mode an inode mark on the
//   root alone asks for FAN_DELETE_SELF and FAN_MOVE_SELF, and
//   on_root_gone runs once, with why, after every event queued before it
//   was delivered. kMountFd mode has no such events: the caller checks the
//   root itself. The source keeps no fd on the root (the fd for
//   open_by_handle_at is on its parent, same mount): a held directory is
//   deleted for fanotify only when the last reference to it goes.

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <uv.h>

#include "common/unique_fd.h"
#include "daemon/batched_poll.h"
#include "common/content_reader.h"
#include "daemon/event_source.h"
#include "daemon/exec_listener.h"
#include "daemon/process_table.h"
#include "proto/fs_event.h"

namespace modrace {

enum class FanotifyMode {
  kBest,           // try kFilesystemFid, then kMountFd
  kFilesystemFid,  // only this (tests)
  kMountFd,        // only this (tests; kernels before 5.1)
};

struct FanotifyOptions {
  std::string root;  // absolute; the caller resolves symlinks in it
  std::function<bool(std::string_view path)> wants_content;  // null: never
  size_t content_limit = kContentLimit;
  size_t read_buffer_bytes = 256 * 1024;
  FanotifyMode mode = FanotifyMode::kBest;
  // FAN_UNLIMITED_QUEUE: no overflow, at the price of kernel memory while
  // the daemon falls behind. Off: the kernel's bound
  // (fs.fanotify.max_queued_events) and overflow handling.
  bool unlimited_queue = false;
  // What a scan reports as kExisting (see above). Null: everything.
  std::function<bool(std::string_view path)> scan_reports;
  // A whole read's record as one kCloseNoWrite (see above).
  bool whole_read_as_close = false;
  // The daemon's own events for these paths are kept (barrier markers).
  std::function<bool(std::string_view path)> keep_own_event;
  size_t dir_cache_limit = 1 << 16;  // handles cached; cleared when full
  // Ignore marks on directories outside the root (see above). Off: every
  // event outside the root is read and dropped here (for measuring).
  bool ignore_outside = true;
  // Called with the pid behind each event dropped as outside the root
  // (tests, measurement). Null: not called.
  std::function<void(int32_t pid)> on_dropped_outside;
  // As InotifyOptions::batch_delay_ms: wait this long after the fd turns
  // readable before reading. Longer unread events merge more (see above),
  // which the daemon's inotify source beside it makes harmless to
  // detection. 0: read at once.
  int batch_delay_ms = 1;
  // Read each process's cmdline at exec time (see above). Off: at its
  // first file event only.
  bool capture_at_exec = true;
  ProcessTableOptions process_table;
  // Called once when the root itself goes away (see above). Null: ignored.
  std::function<void(const std::string& why)> on_root_gone;
};

class FanotifySource : public EventSource {
 public:
  using Sink = std::function<void(FsEvent&& event)>;

  // `sink` gets every event; `on_batch` (may be null) runs after each batch
  // of events read from the kernel, so the caller can flush.
  FanotifySource(uv_loop_t* loop, FanotifyOptions options, Sink sink,
                 std::function<void()> on_batch = nullptr);
  ~FanotifySource() override;
  FanotifySource(const FanotifySource&) = delete;
  FanotifySource& operator=(const FanotifySource&) = delete;

  // Whether this process may use fanotify at all (for `--backend auto`).
  // False with *why ("fanotify needs CAP_SYS_ADMIN ...", "the kernel has no
  // fanotify ...") otherwise. A true answer can still end in a Start()
  // failure (e.g. a filesystem that supports neither mode).
  static bool Available(std::string* why);

  // Returns false with *error when no mode works on the root (the daemon
  // then exits 3). Returns once the mark is in place and the tree was
  // listed ("ready").
  bool Start(std::string* error) override;
  // Stops polling and closes the fds; the loop's handles close on its next
  // run. Idempotent.
  void Close() override;

  // Rescans the tree as after an overflow (kExisting..., kRescanDone).
  void Rescan(const std::string& why) override;
  // Parity with InotifySource: fanotify leaves no directory unwatched.
  void ReemitUnwatched() override {}

  // The mode Start() settled on, and why (which steps failed before it).
  FanotifyMode mode() const { return mode_; }
  const std::string& mode_reason() const { return mode_reason_; }
  const char* backend() const override { return "fanotify"; }
  // A filesystem or mount mark: there are no per-directory watches.
  size_t watched_dirs() const override { return 0; }
  uint64_t overflows() const override { return overflows_; }
  uint64_t unwatched_dirs() const override { return 0; }
  uint64_t dropped_outside() const { return dropped_outside_; }
  // Whether directories outside the root get ignore marks (kFilesystemFid
  // on a kernel with FAN_MARK_IGNORE and options.ignore_outside), how many
  // were placed (again after an eviction: counted again), how many failed,
  // and how many a directory moved in or a rescan removed.
  bool ignoring_outside() const { return ignoring_; }
  uint64_t ignore_marks() const { return ignore_marks_; }
  uint64_t ignore_mark_errors() const { return ignore_mark_errors_; }
  uint64_t ignore_marks_removed() const { return ignore_marks_removed_; }
  uint64_t dropped_own() const { return dropped_own_; }
  // Events in a directory the stream does not have yet (kFilesystemFid).
  uint64_t dropped_ahead() const { return dropped_ahead_; }
  const ProcessTable& processes() const { return processes_; }
  // Execs seen by the exec listener (0 when it is not running).
  uint64_t execs_seen() const { return exec_ ? exec_->execs() : 0; }

 private:
  struct RawEvent;
  bool TryFilesystemFid(std::string* error);
  bool TryMountFd(std::string* error);
  void ReadEvents();
  // Parses one kernel record into *raw; false when it is to be dropped.
  bool Parse(const char* data, size_t len, RawEvent* raw);
  void Deliver(RawEvent& raw);
  // Directory handle -> path relative to the root; false: outside the root
  // (an event of `pid` dropped) or unresolvable.
  bool ResolveDir(const std::string& key, const void* file_handle, int32_t pid, std::string* rel);
  void DroppedOutside(int32_t pid);
  bool RelOf(const std::string& abs, std::string* rel) const;
  void ForgetDirsUnder(const std::string& rel);
  struct DirEntry;
  // Puts the ignore mark on the outside directory `dfd` (any fd on it, O_PATH too).
  void IgnoreDir(int dfd, DirEntry* entry);
  // Removes ignore marks from root/rel and every directory below it.
  void UnignoreTree(const std::string& rel);
  void ScanInto(const std::string& start, EventKind kind);
  void Emit(EventKind kind, const std::string& path, bool is_dir, const ProcessRef& process);
  // Whether the stream so far has the directory `path`'s event lies in.
  bool InStream(const std::string& path) const;
  void EmitWithContent(EventKind kind, const std::string& path, const ProcessRef& process);
  std::string Abs(const std::string& rel) const;

  uv_loop_t* loop_;
  FanotifyOptions options_;
  Sink sink_;
  std::function<void()> on_batch_;
  int fd_ = -1;
  UniqueFd mount_fd_;  // on the root's mount, for open_by_handle_at (see above)
  BatchedPoll reader_;  // calls ReadEvents
  FanotifyMode mode_ = FanotifyMode::kBest;
  std::string mode_reason_;
  int32_t self_pid_ = 0;
  std::vector<char> buffer_;
  ProcessTable processes_;
  std::unique_ptr<ExecListener> exec_;
  struct DirEntry {
    bool inside = false;
    std::string rel;
    uint64_t ignored_in_read = 0;  // reads_ when its ignore mark was placed (outside only)
  };
  std::unordered_map<std::string, DirEntry> dirs_;  // handle key -> where
  std::map<std::string, std::string> dir_keys_;     // rel -> handle key (inside only)
  uint64_t overflows_ = 0;
  uint64_t dropped_outside_ = 0;
  uint64_t dropped_own_ = 0;
  uint64_t dropped_ahead_ = 0;
  bool ignoring_ = false;
  uint64_t reads_ = 0;  // reads of the fanotify fd so far
  uint64_t ignore_marks_ = 0;
  uint64_t ignore_mark_errors_ = 0;
  uint64_t ignore_marks_removed_ = 0;
  // Directories that exist as far as the emitted stream says ("" is the
  // root): added by create, moved-to and existing, removed with everything
  // below them by delete and moved-from. Sorted: a subtree is one range.
  std::set<std::string> stream_dirs_;
  bool root_marked_ = false;  // the root's FAN_DELETE_SELF|FAN_MOVE_SELF mark
  bool root_gone_ = false;    // on_root_gone ran
  bool rescan_pending_ = false;  // an overflow was delivered, its rescan not yet made
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_FANOTIFY_SOURCE_H_
