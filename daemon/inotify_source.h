// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_INOTIFY_SOURCE_H_
#define MODRACE_DAEMON_INOTIFY_SOURCE_H_

// InotifySource: the default event source. Watches a tree recursively with
// one non-blocking inotify fd driven by a uv_poll_t, and turns raw events
// into FsEvents (paths relative to the root, seq left 0 for the caller).
//
// Contract (docs/architecture.md, Event model):
// - Start() watches every directory, then emits kExisting for what is
//   already there (what scan_reports(path) holds; null: everything); it
//   returns only when every watch is in place ("ready").
// - A directory created or moved in is watched first and listed second,
//   recursively, emitting kExisting for its contents, so files written
//   before the watch existed are never missed.
// - Symlinks are reported but never followed; only the tree is watched.
// - close-write, moved-to and existing files for which wants_content(path)
//   holds carry their content, read at once and cut at content_limit.
// - The kernel queue is read on a thread of its own (QueueReader), so it is
//   emptied while the loop walks the tree or the analyzer is busy.
// - IN_Q_OVERFLOW: kOverflow for each, then, once the events read with it
//   are handled, one rescan for all of them: every directory is listed and
//   watched again, kExisting for what scan_reports(path) holds, then
//   kRescanDone. Never silent, never fatal.
// - ENOSPC from inotify_add_watch (the watch limit): the directory is still
//   listed, a kUnwatched event names it, fs.inotify.max_user_watches and a
//   value that would suffice, and the source keeps running.
// - The root deleted (IN_DELETE_SELF), moved (IN_MOVE_SELF), unmounted
//   (IN_UNMOUNT) or its watch otherwise dropped (IN_IGNORED): on_root_gone
//   runs once, with why, after every event queued before it was delivered.
//   Only the root's watch asks for the self events. (A directory that some
//   process still holds open or as its cwd is deleted for inotify only when
//   that last reference goes: the caller needs another check for that.)
// - The daemon's own content reads and directory listings make IN_OPEN and
//   IN_CLOSE_NOWRITE events; they are dropped so the stream shows only the
//   build. (If the kernel merged a build's IN_OPEN into ours, that open is
//   lost with it, and the close is then a close without a seen open.)

#include <cstdint>
#include <functional>
#include <memory>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <uv.h>

#include "common/content_reader.h"
#include "daemon/event_source.h"
#include "daemon/queue_reader.h"
#include "daemon/watch_table.h"
#include "proto/fs_event.h"

namespace modrace {

struct InotifyOptions {
  std::string root;  // absolute; the caller resolves symlinks in it
  std::function<bool(std::string_view path)> wants_content;  // null: never
  size_t content_limit = kContentLimit;
  size_t read_buffer_bytes = 256 * 1024;
  // Test hook: stands in for inotify_add_watch (same contract: a wd, or -1
  // with errno set). Null: the real one.
  std::function<int(int fd, const char* path, uint32_t mask)> add_watch;
  // After the fd turns readable, wait this long before reading, so one
  // wakeup and one read() carry hundreds of events instead of one: under a
  // burst that cuts the source's CPU per event about 4x (bench/RESULTS.md),
  // for at most this much added latency. 0: read at once.
  int batch_delay_ms = 1;
  // Called once when the root itself goes away (see above). Null: ignored.
  std::function<void(const std::string& why)> on_root_gone;
  // What a scan (start-up, a new directory, a rescan) reports as
  // kExisting: what the rules read of the tree. Null: everything.
  std::function<bool(std::string_view path)> scan_reports;
  // Events read from the kernel and not yet handled, at most (QueueReader).
  size_t max_unread_bytes = 16 * 1024 * 1024;
};

class InotifySource : public EventSource {
 public:
  using Sink = std::function<void(FsEvent&& event)>;

  // `sink` gets every event; `on_batch` (may be null) runs after each batch
  // of events read from the kernel, so the caller can flush.
  InotifySource(uv_loop_t* loop, InotifyOptions options, Sink sink,
                std::function<void()> on_batch = nullptr);
  ~InotifySource() override;
  InotifySource(const InotifySource&) = delete;
  InotifySource& operator=(const InotifySource&) = delete;

  // Returns false with *error when inotify is unavailable or the root
  // itself cannot be watched (the daemon then exits 3).
  bool Start(std::string* error) override;
  // Stops polling and closes the fd; the loop's handles close on its next
  // run. Idempotent.
  void Close() override;

  // Rescans the tree as after an overflow (kExisting..., kRescanDone).
  void Rescan(const std::string& why) override;

  // Emits kUnwatched again for every directory still unwatched (after the
  // analyzer was reset, the gap is still there).
  void ReemitUnwatched() override;

  const char* backend() const override { return "inotify"; }
  size_t watched_dirs() const override { return table_.size(); }
  uint64_t unwatched_dirs() const override { return unwatched_.size(); }
  uint64_t overflows() const override { return overflows_; }

 private:
  void ReadEvents(const char* data, size_t n);
  // After each turn's events: the rescan overflows asked for, then on_batch.
  void OnBatch();
  void Handle(int wd, uint32_t mask, uint32_t cookie, std::string_view name);
  // Watches `dir` and everything below it, emitting kExisting for what is
  // found (not for `dir` itself) and kUnwatched for what cannot be watched.
  void WatchTree(const std::string& dir);
  void DropWatchesUnder(const std::string& dir);
  void Emit(EventKind kind, const std::string& path, bool is_dir);
  void EmitWithContent(EventKind kind, const std::string& path);
  void EmitUnwatched(const std::vector<std::pair<std::string, std::string>>& dirs);
  bool IsSelfEvent(uint32_t mask, const std::string& path);
  std::string Abs(const std::string& rel) const;
  // `root`: the root's watch, which also asks for its own deletion and move.
  int AddWatch(const std::string& abs, bool root = false);
  void RootGone(const std::string& what);

  uv_loop_t* loop_;
  InotifyOptions options_;
  Sink sink_;
  std::function<void()> on_batch_;
  int fd_ = -1;
  QueueReader reader_;  // calls ReadEvents and OnBatch
  WatchTable table_;
  bool rescan_pending_ = false;  // an overflow was handled, its rescan not yet done
  // Ever reported, with the reason, so rescans don't repeat them.
  std::map<std::string, FsEvent> unwatched_;  // path -> the kUnwatched event that named it
  uint64_t overflows_ = 0;
  int root_wd_ = -1;
  bool root_gone_ = false;  // on_root_gone ran
  // Our own opens of files (content reads), whose IN_OPEN and
  // IN_CLOSE_NOWRITE are still to come: by path, the read generation at
  // which each was made. They can only be in a later read() than that one:
  // the events of the buffer being handled were queued before our open.
  struct SelfRead {
    std::vector<uint64_t> opens;
    std::vector<uint64_t> closes;
  };
  std::unordered_map<std::string, SelfRead> self_reads_;
  uint64_t read_gen_ = 0;  // bumped for every buffer read from the kernel
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_INOTIFY_SOURCE_H_
