// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/inotify_source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <utility>

#include "common/clock.h"
#include "common/dir_walk.h"
#include "daemon/source_util.h"

namespace modrace {

namespace {

constexpr uint32_t kWatchMask = IN_OPEN | IN_MODIFY | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE |
                                IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK;
// The root alone also reports its own end: every directory asking for it
// would cost an event per directory an rm -rf removes.
constexpr uint32_t kRootMask = kWatchMask | IN_DELETE_SELF | IN_MOVE_SELF;

}  // namespace

InotifySource::InotifySource(uv_loop_t* loop, InotifyOptions options, Sink sink,
                             std::function<void()> on_batch)
    : loop_(loop),
      options_(std::move(options)),
      sink_(std::move(sink)),
      on_batch_(std::move(on_batch)),
      reader_(loop,
              QueueReaderOptions{options_.batch_delay_ms, options_.read_buffer_bytes,
                                 options_.max_unread_bytes},
              [this](const char* data, size_t n) { ReadEvents(data, n); },
              [this] { OnBatch(); }) {
  while (options_.root.size() > 1 && options_.root.back() == '/') options_.root.pop_back();
}

InotifySource::~InotifySource() {
  Close();
}

std::string InotifySource::Abs(const std::string& rel) const {
  return rel.empty() ? options_.root : options_.root + "/" + rel;
}

int InotifySource::AddWatch(const std::string& abs, bool root) {
  const uint32_t mask = root ? kRootMask : kWatchMask;
  if (options_.add_watch) return options_.add_watch(fd_, abs.c_str(), mask);
  return inotify_add_watch(fd_, abs.c_str(), mask);
}

void InotifySource::RootGone(const std::string& what) {
  if (root_gone_) return;
  root_gone_ = true;
  if (options_.on_root_gone) {
    options_.on_root_gone("the watched root " + options_.root + " " + what);
  }
}

bool InotifySource::Start(std::string* error) {
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) {
    *error = std::string("inotify_init1: ") + strerror(errno) +
             (errno == EMFILE ? " (fs.inotify.max_user_instances reached)" : "");
    return false;
  }
  struct stat st;
  if (lstat(options_.root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *error = "root " + options_.root + " is not a directory";
    return false;
  }
  const int root_wd = AddWatch(options_.root, true);
  if (root_wd < 0) {
    const int err = errno;
    *error = "cannot watch " + options_.root + ": " + strerror(err);
    if (err == ENOSPC) {
      *error += " (the inotify watch limit, fs.inotify.max_user_watches=" +
                std::to_string(ReadProcLong("/proc/sys/fs/inotify/max_user_watches")) + ")";
    }
    return false;
  }
  table_.Add(root_wd, "", st.st_dev, st.st_ino);
  root_wd_ = root_wd;
  // Reading starts before the listing: listing a directory queues events
  // of its own, and a tree of thousands of directories queues more than the
  // kernel keeps (daemon/queue_reader.h).
  if (!reader_.Start(fd_, error)) return false;
  WatchTree("");
  return true;
}

void InotifySource::Close() { reader_.Close(&fd_); }

void InotifySource::ReadEvents(const char* data, size_t n) {
  ++read_gen_;
  size_t off = 0;
  while (off + sizeof(struct inotify_event) <= n && fd_ >= 0) {
    struct inotify_event ev;
    memcpy(&ev, data + off, sizeof(ev));
    const char* name = data + off + sizeof(ev);
    Handle(ev.wd, ev.mask, ev.cookie, std::string_view(name, strnlen(name, ev.len)));
    off += sizeof(ev) + ev.len;
  }
}

void InotifySource::OnBatch() {
  // Every overflow handled in this turn is one gap: one rescan covers them.
  if (rescan_pending_ && fd_ >= 0) {
    rescan_pending_ = false;
    Rescan("after queue overflow");
  }
  if (on_batch_) on_batch_();
}

void InotifySource::Emit(EventKind kind, const std::string& path, bool is_dir) {
  FsEvent e;
  e.time_ns = NowNs();
  e.kind = kind;
  e.path = path;
  e.is_dir = is_dir;
  sink_(std::move(e));
}

void InotifySource::EmitWithContent(EventKind kind, const std::string& path) {
  FsEvent e;
  e.time_ns = NowNs();
  e.kind = kind;
  e.path = path;
  if (SendWithContent(std::move(e), Abs(path), options_.content_limit, options_.wants_content,
                      sink_)) {
    SelfRead& s = self_reads_[path];
    s.opens.push_back(read_gen_);
    s.closes.push_back(read_gen_);
  }
}

bool InotifySource::IsSelfEvent(uint32_t mask, const std::string& path) {
  if (self_reads_.empty()) return false;
  auto it = self_reads_.find(path);
  if (it == self_reads_.end()) return false;
  std::vector<uint64_t>& gens = (mask & IN_OPEN) ? it->second.opens : it->second.closes;
  // Oldest first; one made while handling this very buffer cannot match.
  if (gens.empty() || gens.front() >= read_gen_) return false;
  gens.erase(gens.begin());
  if (it->second.opens.empty() && it->second.closes.empty()) self_reads_.erase(it);
  return true;
}

void InotifySource::Handle(int wd, uint32_t mask, uint32_t, std::string_view name) {
  if (mask & IN_Q_OVERFLOW) {
    ++overflows_;
    FsEvent e;
    e.time_ns = NowNs();
    e.kind = EventKind::kOverflow;
    const long max_queued = ReadProcLong("/proc/sys/fs/inotify/max_queued_events");
    e.detail = "inotify queue overflowed (fs.inotify.max_queued_events=" +
               std::to_string(max_queued) + "): events were lost; rescanning the tree";
    sink_(std::move(e));
    rescan_pending_ = true;  // once this turn's events are handled (OnBatch)
    return;
  }
  if (wd == root_wd_ && wd >= 0) {
    // Everything queued before these has been delivered: they end the tree.
    if (mask & IN_DELETE_SELF) RootGone("was removed");
    if (mask & IN_MOVE_SELF) RootGone("was moved away (renamed)");
    if (mask & IN_UNMOUNT) RootGone("was unmounted");
  }
  if (mask & IN_IGNORED) {
    if (table_.Ignored(wd) && wd == root_wd_) {
      RootGone("is no longer watched (its watch was dropped)");
    }
    return;
  }
  const std::string* dir = table_.PathOf(wd);
  if (dir == nullptr || name.empty()) return;  // not ours, or the directory itself
  const std::string path = Join(*dir, name);
  const bool is_dir = (mask & IN_ISDIR) != 0;
  if (is_dir && (mask & (IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_MODIFY))) {
    return;  // directory listings (ours or make's) say nothing about writers
  }
  if (mask & IN_CREATE) {
    Emit(EventKind::kCreate, path, is_dir);
    if (is_dir) WatchTree(path);
  }
  if (mask & IN_MOVED_FROM) {
    Emit(EventKind::kMovedFrom, path, is_dir);
    // Its watches would report under a stale path (or from outside the
    // tree); a moved-to rescan watches it again where it lands.
    if (is_dir) DropWatchesUnder(path);
  }
  if (mask & IN_MOVED_TO) {
    if (is_dir) {
      Emit(EventKind::kMovedTo, path, true);
      WatchTree(path);
    } else {
      EmitWithContent(EventKind::kMovedTo, path);
    }
  }
  if (mask & IN_DELETE) Emit(EventKind::kDelete, path, is_dir);
  if ((mask & IN_OPEN) && !IsSelfEvent(IN_OPEN, path)) Emit(EventKind::kOpen, path, false);
  if (mask & IN_MODIFY) Emit(EventKind::kModify, path, false);
  if (mask & IN_CLOSE_WRITE) EmitWithContent(EventKind::kCloseWrite, path);
  if ((mask & IN_CLOSE_NOWRITE) && !IsSelfEvent(IN_CLOSE_NOWRITE, path)) {
    Emit(EventKind::kCloseNoWrite, path, false);
  }
}

void InotifySource::DropWatchesUnder(const std::string& dir) {
  for (int wd : table_.Under(dir)) {
    inotify_rm_watch(fd_, wd);
    table_.Removed(wd);
  }
}

void InotifySource::WatchTree(const std::string& top) {
  std::vector<std::pair<std::string, std::string>> unwatched_now;  // path, reason
  std::vector<std::string> stack{top};
  while (!stack.empty()) {
    const std::string dir = std::move(stack.back());
    stack.pop_back();
    const std::string abs = Abs(dir);
    const int dfd = OpenDirNoFollow(abs);
    if (dfd < 0) {
      const int err = errno;
      if (err == ENOENT || err == ENOTDIR || err == ELOOP) continue;  // gone or a symlink
      if (!unwatched_.count(dir)) unwatched_now.emplace_back(dir, strerror(err));
      continue;
    }
    struct stat st;
    if (fstat(dfd, &st) != 0) {
      close(dfd);
      continue;
    }
    const int wd = AddWatch(abs, dir.empty());
    if (wd >= 0) {
      table_.Add(wd, dir, st.st_dev, st.st_ino);
    } else {
      const int err = errno;
      if (err == ENOENT || err == ENOTDIR) {
        close(dfd);
        continue;
      }
      if (!unwatched_.count(dir)) {
        unwatched_now.emplace_back(dir, err == ENOSPC ? std::string() : strerror(err));
      }
    }
    // Listed after the watch exists: whatever appears later gets an event,
    // whatever was there already is reported here.
    ListDir(dfd, [&](const char* name, WalkType type) {
      std::string rel = Join(dir, name);
      const bool report = !options_.scan_reports || options_.scan_reports(rel);
      if (type == WalkType::kDir) {
        if (report) Emit(EventKind::kExisting, rel, true);
        stack.push_back(std::move(rel));
      } else if (!report) {
        return;
      } else if (type == WalkType::kFile) {
        EmitWithContent(EventKind::kExisting, rel);
      } else {
        Emit(EventKind::kExisting, rel, false);  // symlinks etc.: never followed
      }
    });
  }
  if (!unwatched_now.empty()) EmitUnwatched(unwatched_now);
}

void InotifySource::EmitUnwatched(
    const std::vector<std::pair<std::string, std::string>>& dirs) {
  for (const auto& [path, reason] : dirs) unwatched_[path];
  const long limit = ReadProcLong("/proc/sys/fs/inotify/max_user_watches");
  const uint64_t suffice =
      static_cast<uint64_t>(limit < 0 ? 0 : limit) + unwatched_.size();
  for (const auto& [path, reason] : dirs) {
    FsEvent e;
    e.time_ns = NowNs();
    e.kind = EventKind::kUnwatched;
    e.path = path;
    e.is_dir = true;
    e.cause = reason.empty() ? GapCause::kWatchLimit : GapCause::kUnwatchable;
    if (reason.empty()) {
      e.detail = "not watched: the inotify watch limit was reached "
                 "(fs.inotify.max_user_watches=" + std::to_string(limit) + ", " +
                 std::to_string(unwatched_.size()) +
                 " directories unwatched); raising it to at least " +
                 std::to_string(suffice) + " would suffice: sysctl -w fs.inotify.max_user_watches=" +
                 std::to_string(suffice);
    } else {
      e.detail = "not watched: " + reason;
    }
    unwatched_[path] = e;
    sink_(std::move(e));
  }
}

void InotifySource::ReemitUnwatched() {
  for (const auto& [path, named] : unwatched_) {
    FsEvent e = named;
    e.time_ns = NowNs();
    sink_(std::move(e));
  }
}

void InotifySource::Rescan(const std::string& why) {
  self_reads_.clear();  // their events may have been lost with the rest
  table_.BeginSweep();
  struct stat st;
  const int root_wd = AddWatch(options_.root, true);
  if (root_wd >= 0 && lstat(options_.root.c_str(), &st) == 0) {
    table_.Add(root_wd, "", st.st_dev, st.st_ino);
    root_wd_ = root_wd;
  }
  WatchTree("");
  for (int wd : table_.EndSweep()) {
    inotify_rm_watch(fd_, wd);
    table_.Removed(wd);
  }
  FsEvent e;
  e.time_ns = NowNs();
  e.kind = EventKind::kRescanDone;
  e.detail = "rescanned " + std::to_string(table_.size()) + " watched directories " + why;
  sink_(std::move(e));
}

}  // namespace modrace
