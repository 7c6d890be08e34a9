// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/fanotify_source.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "common/clock.h"
#include "common/dir_walk.h"
#include "common/strings.h"
#include "common/unique_fd.h"
#include "daemon/source_util.h"

// Newer than some libc headers (fanotify_mark(2)): evictable marks (Linux
// 5.19) and ignore masks that carry their own FAN_ONDIR and
// FAN_EVENT_ON_CHILD (6.0). Older kernels refuse the flags with EINVAL.
#ifndef FAN_MARK_EVICTABLE
#define FAN_MARK_EVICTABLE 0x00000200
#endif
#ifndef FAN_MARK_IGNORE
#define FAN_MARK_IGNORE 0x00000400
#endif

namespace modrace {

namespace {

constexpr uint64_t kFidMask = FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE |
                              FAN_CREATE | FAN_DELETE | FAN_MOVED_FROM | FAN_MOVED_TO |
                              FAN_ONDIR;
constexpr uint64_t kFdMask = FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE;
// On the root's inode alone: the filesystem mark does not ask for these, so
// every such event is the root's.
constexpr uint64_t kRootSelfMask = FAN_DELETE_SELF | FAN_MOVE_SELF | FAN_ONDIR;

// The ignore mark on a directory outside the root: every event the
// filesystem mark asks for, on its entries (FAN_EVENT_ON_CHILD: reads and
// writes of its files, through the parent) and on itself and its
// subdirectories as entries (FAN_ONDIR). FAN_MARK_IGNORE requires
// FAN_MARK_IGNORED_SURV_MODIFY on a directory (EISDIR without it); it also
// keeps a child's FAN_MODIFY from clearing the mask. Evictable: the mark
// does not pin the inode, the kernel drops it when the inode leaves the
// cache, and the next event there comes again and marks it again.
constexpr uint64_t kIgnoreMask = kFidMask | FAN_EVENT_ON_CHILD;  // kFidMask has FAN_ONDIR
constexpr unsigned kIgnoreFlags =
    FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY | FAN_MARK_EVICTABLE | FAN_MARK_ONLYDIR;

// What /proc/self/fd links end with once the file was unlinked.
constexpr std::string_view kDeleted = " (deleted)";

constexpr char kNeedsRoot[] =
    "fanotify needs CAP_SYS_ADMIN: run as root, or use --backend inotify";

// The path an fd was opened at, from /proc/self/fd. Empty when unknown.
std::string FdPath(int fd) {
  char link[64];
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  char buf[PATH_MAX];
  const ssize_t n = readlink(link, buf, sizeof(buf) - 1);
  if (n <= 0) return "";
  return std::string(buf, static_cast<size_t>(n));
}

// The mount id of `path`, or -1 (no file handles there).
int MountIdOf(const char* path) {
  struct {
    struct file_handle fh;
    unsigned char bytes[MAX_HANDLE_SZ];
  } h;
  h.fh.handle_bytes = MAX_HANDLE_SZ;
  int mount_id = -1;
  if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0) != 0) return -1;
  return mount_id;
}

// An fd on the mount of `root` for open_by_handle_at: its parent when that
// is on the same mount, so the fd does not pin the root (a pinned directory
// sends no FAN_DELETE_SELF until the pin goes). A root that is a mount point
// cannot be removed or renamed anyway: then the root itself.
int OpenMountFd(const std::string& root) {
  const size_t slash = root.rfind('/');
  if (slash != std::string::npos && root != "/") {
    const std::string parent = slash == 0 ? "/" : root.substr(0, slash);
    const int root_mount = MountIdOf(root.c_str());
    if (root_mount >= 0 && MountIdOf(parent.c_str()) == root_mount) {
      const int fd = open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd >= 0) return fd;
    }
  }
  return open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

// An O_PATH fd on the directory behind `fh` (a handle from an event), or -1:
// deleted before its event was read (ESTALE), or on another mount.
int OpenHandle(int mount_fd, const struct file_handle* fh) {
  struct {
    struct file_handle fh;
    unsigned char bytes[MAX_HANDLE_SZ];
  } h;
  if (fh->handle_bytes > MAX_HANDLE_SZ) return -1;
  memcpy(&h.fh, fh, sizeof(struct file_handle) + fh->handle_bytes);
  return open_by_handle_at(mount_fd, &h.fh, O_PATH | O_CLOEXEC);
}

std::string HandleKey(const struct file_handle* fh) {
  std::string key(reinterpret_cast<const char*>(&fh->handle_type), sizeof(fh->handle_type));
  key.append(reinterpret_cast<const char*>(fh->f_handle), fh->handle_bytes);
  return key;
}

// An event of `process` on `path`, stamped now.
FsEvent NewEvent(EventKind kind, const std::string& path, const ProcessRef& process) {
  FsEvent e;
  e.time_ns = NowNs();
  e.kind = kind;
  e.path = path;
  e.process = process;
  return e;
}

std::string InitError(const char* what) {
  const int err = errno;
  std::string msg = std::string("fanotify_init(") + what + "): " + strerror(err);
  if (err == EPERM) msg += std::string(" (") + kNeedsRoot + ")";
  if (err == ENOSYS) msg += " (the kernel was built without CONFIG_FANOTIFY)";
  if (err == EINVAL) msg += " (this reporting mode needs a newer kernel)";
  return msg;
}

}  // namespace

// One kernel record, parsed and filtered, before its process is looked up.
struct FanotifySource::RawEvent {
  bool overflow = false;
  bool root_gone = false;  // FAN_DELETE_SELF or FAN_MOVE_SELF of the root
  uint64_t mask = 0;
  int32_t pid = 0;
  bool is_dir = false;
  std::string path;  // relative to the root
  ProcessRef process;
};

FanotifySource::FanotifySource(uv_loop_t* loop, FanotifyOptions options, Sink sink,
                               std::function<void()> on_batch)
    : loop_(loop),
      options_(std::move(options)),
      sink_(std::move(sink)),
      on_batch_(std::move(on_batch)),
      reader_(loop, options_.batch_delay_ms, [this] { ReadEvents(); }),
      processes_(options_.process_table) {
  while (options_.root.size() > 1 && options_.root.back() == '/') options_.root.pop_back();
  buffer_.resize(std::max<size_t>(options_.read_buffer_bytes, 64 * 1024));
}

FanotifySource::~FanotifySource() { Close(); }

bool FanotifySource::Available(std::string* why) {
  const int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY | O_LARGEFILE);
  if (fd < 0) {
    const int err = errno;
    if (err == EPERM) {
      *why = "fanotify needs CAP_SYS_ADMIN (root)";
    } else if (err == ENOSYS) {
      *why = "the kernel was built without fanotify (CONFIG_FANOTIFY)";
    } else {
      *why = std::string("fanotify_init: ") + strerror(err);
    }
    return false;
  }
  close(fd);
  why->clear();
  return true;
}

std::string FanotifySource::Abs(const std::string& rel) const {
  return rel.empty() ? options_.root : options_.root + "/" + rel;
}

bool FanotifySource::RelOf(const std::string& abs, std::string* rel) const {
  return RelativeTo(options_.root, abs, rel);
}

bool FanotifySource::TryFilesystemFid(std::string* error) {
  unsigned flags = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_FID |
                   FAN_REPORT_DFID_NAME;
  if (options_.unlimited_queue) flags |= FAN_UNLIMITED_QUEUE;
  UniqueFd fd(fanotify_init(flags, O_RDONLY | O_LARGEFILE | O_CLOEXEC));
  if (!fd.valid()) {
    *error = InitError("FAN_REPORT_FID|FAN_REPORT_DFID_NAME");
    return false;
  }
  // Handles must resolve back to paths (open_by_handle_at needs
  // CAP_DAC_READ_SEARCH); the root's own handle seeds the cache.
  struct {
    struct file_handle fh;
    unsigned char bytes[MAX_HANDLE_SZ];
  } h;
  h.fh.handle_bytes = MAX_HANDLE_SZ;
  int mount_id = 0;
  if (name_to_handle_at(AT_FDCWD, options_.root.c_str(), &h.fh, &mount_id, 0) != 0) {
    *error = "name_to_handle_at " + options_.root + ": " + strerror(errno) +
             " (the filesystem does not support file handles)";
    return false;
  }
  if (!UniqueFd(open_by_handle_at(mount_fd_.get(), &h.fh, O_PATH | O_CLOEXEC)).valid()) {
    *error = std::string("open_by_handle_at: ") + strerror(errno);
    return false;
  }
  if (fanotify_mark(fd.get(), FAN_MARK_ADD | FAN_MARK_FILESYSTEM, kFidMask, AT_FDCWD,
                    options_.root.c_str()) != 0) {
    const int err = errno;
    *error = "fanotify_mark(FAN_MARK_FILESYSTEM) on " + options_.root + ": " + strerror(err);
    if (err == EXDEV || err == ENODEV || err == EOPNOTSUPP) {
      *error += " (the filesystem does not support file handle events)";
    }
    if (err == EPERM) *error += std::string(" (") + kNeedsRoot + ")";
    return false;
  }
  if (options_.ignore_outside) {
    // Whether the kernel knows FAN_MARK_IGNORE: removing ignore bits from a
    // directory with no mark of ours (the root's parent, or the root before
    // its own mark) fails with ENOENT there, with EINVAL before Linux 6.0.
    ignoring_ = fanotify_mark(fd.get(), FAN_MARK_REMOVE | kIgnoreFlags, kIgnoreMask,
                              mount_fd_.get(), ".") == 0 ||
                errno == ENOENT;
  }
  root_marked_ = fanotify_mark(fd.get(), FAN_MARK_ADD, kRootSelfMask, AT_FDCWD,
                               options_.root.c_str()) == 0;
  const std::string key = HandleKey(&h.fh);
  dirs_[key] = DirEntry{true, ""};
  dir_keys_[""] = key;
  fd_ = fd.Release();  // BatchedPoll closes it (Close)
  return true;
}

bool FanotifySource::TryMountFd(std::string* error) {
  unsigned flags = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK;
  if (options_.unlimited_queue) flags |= FAN_UNLIMITED_QUEUE;
  UniqueFd fd(fanotify_init(flags, O_RDONLY | O_LARGEFILE | O_CLOEXEC));
  if (!fd.valid()) {
    *error = InitError("fd events");
    return false;
  }
  if (fanotify_mark(fd.get(), FAN_MARK_ADD | FAN_MARK_MOUNT, kFdMask, AT_FDCWD,
                    options_.root.c_str()) != 0) {
    const int err = errno;
    *error = "fanotify_mark(FAN_MARK_MOUNT) on " + options_.root + ": " + strerror(err);
    if (err == EPERM) *error += std::string(" (") + kNeedsRoot + ")";
    return false;
  }
  fd_ = fd.Release();  // BatchedPoll closes it (Close)
  return true;
}

bool FanotifySource::Start(std::string* error) {
  self_pid_ = static_cast<int32_t>(getpid());
  struct stat st;
  if (lstat(options_.root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *error = "root " + options_.root + " is not a directory";
    return false;
  }
  mount_fd_.Reset(OpenMountFd(options_.root));
  if (!mount_fd_.valid()) {
    *error = "open " + options_.root + ": " + strerror(errno);
    return false;
  }
  std::string fid_error;
  std::string fd_error;
  if (options_.mode != FanotifyMode::kMountFd && TryFilesystemFid(&fid_error)) {
    mode_ = FanotifyMode::kFilesystemFid;
    mode_reason_ = "fanotify: filesystem mark with file handles and names";
    if (!root_marked_) mode_reason_ += " (the root's own removal is not marked)";
    if (options_.ignore_outside && !ignoring_) {
      mode_reason_ += " (no FAN_MARK_IGNORE before Linux 6.0: events outside the tree are read "
                      "and dropped)";
    }
  } else if (options_.mode != FanotifyMode::kFilesystemFid && TryMountFd(&fd_error)) {
    mode_ = FanotifyMode::kMountFd;
    mode_reason_ = "fanotify: mount mark with file descriptors (no create/delete/move events)";
    if (!fid_error.empty()) mode_reason_ += ", because " + fid_error;
  } else {
    const std::string hint = std::string(" (") + kNeedsRoot + ")";
    if (EndsWith(fid_error, hint) && (fd_error.empty() || EndsWith(fd_error, hint))) {
      // Both modes refused for want of privilege: the reason once, the
      // hint once, on two short lines.
      *error = fid_error.substr(0, fid_error.size() - hint.size()) + "\n" + kNeedsRoot;
      return false;
    }
    *error = fid_error;
    if (!fd_error.empty()) *error += (error->empty() ? "" : "; then ") + fd_error;
    return false;
  }
  if (options_.capture_at_exec) {
    exec_ = std::make_unique<ExecListener>(
        loop_,
        [this](int32_t tgid) {
          if (tgid != self_pid_) processes_.Refresh(tgid, NowNs(CLOCK_MONOTONIC));
        },
        [this](int32_t parent, int32_t child) { processes_.NoteFork(parent, child); });
    std::string exec_error;
    if (!exec_->Start(&exec_error)) {
      exec_.reset();
      mode_reason_ += "; writers named at their first event only (" + exec_error + ")";
    }
  }
  if (!reader_.Start(fd_, error)) return false;
  // Listed after the mark exists: whatever appears later gets an event,
  // whatever was there already is reported here.
  stream_dirs_.insert("");
  ScanInto("", EventKind::kExisting);
  return true;
}

void FanotifySource::Close() {
  if (exec_) exec_->Close();
  reader_.Close(&fd_);
  mount_fd_.Reset();
}

void FanotifySource::ReadEvents() {
  std::vector<RawEvent> batch;
  ReadRounds(fd_, &buffer_, [&](size_t n) {
    ++reads_;
    batch.clear();
    size_t off = 0;
    while (off + sizeof(struct fanotify_event_metadata) <= n) {
      struct fanotify_event_metadata meta;
      memcpy(&meta, buffer_.data() + off, sizeof(meta));
      if (meta.event_len < sizeof(meta) || off + meta.event_len > n) break;
      RawEvent raw;
      if (Parse(buffer_.data() + off, meta.event_len, &raw)) batch.push_back(std::move(raw));
      off += meta.event_len;
    }
    // Name the processes first: a short-lived writer may exit while the
    // batch's content reads run. The forks and execs queued until now come
    // first: a process of the batch that is gone is named by its fork.
    if (exec_) exec_->Drain();
    const int64_t now = NowNs(CLOCK_MONOTONIC);
    for (RawEvent& raw : batch) {
      if (!raw.overflow && !raw.root_gone && raw.pid > 0) {
        raw.process = processes_.Lookup(raw.pid, now);
      }
    }
    for (RawEvent& raw : batch) Deliver(raw);
  });
  // Every overflow of this batch is one gap: one rescan covers them.
  if (rescan_pending_ && fd_ >= 0) {
    rescan_pending_ = false;
    Rescan("after queue overflow");
  }
  if (on_batch_) on_batch_();
}

bool FanotifySource::Parse(const char* data, size_t len, RawEvent* raw) {
  struct fanotify_event_metadata meta;
  memcpy(&meta, data, sizeof(meta));
  const UniqueFd event_fd(meta.fd);  // the file's fd (mount mode), or -1
  if (meta.vers != FANOTIFY_METADATA_VERSION) {
    return false;
  }
  if (meta.mask & FAN_Q_OVERFLOW) {
    raw->overflow = true;
    return true;
  }
  if (meta.mask & (FAN_DELETE_SELF | FAN_MOVE_SELF)) {
    raw->root_gone = true;
    raw->mask = meta.mask;
    return true;
  }
  const bool own = meta.pid == self_pid_;
  if (own && !options_.keep_own_event) {
    ++dropped_own_;
    return false;
  }
  raw->mask = meta.mask;
  raw->pid = meta.pid;
  raw->is_dir = (meta.mask & FAN_ONDIR) != 0;

  if (mode_ == FanotifyMode::kMountFd) {
    if (!event_fd.valid()) return false;
    std::string abs = FdPath(event_fd.get());
    if (abs.size() > kDeleted.size() && EndsWith(abs, kDeleted)) {
      abs.resize(abs.size() - kDeleted.size());  // unlinked while open: its old name
    }
    if (!RelOf(abs, &raw->path) || raw->path.empty()) {
      DroppedOutside(meta.pid);
      return false;
    }
  } else {
    const struct file_handle* dir_fh = nullptr;
    const char* name = nullptr;
    size_t off = meta.metadata_len;
    while (off + sizeof(struct fanotify_event_info_header) <= len) {
      struct fanotify_event_info_header hdr;
      memcpy(&hdr, data + off, sizeof(hdr));
      if (hdr.len < sizeof(hdr) || off + hdr.len > len) break;
      if (hdr.info_type == FAN_EVENT_INFO_TYPE_DFID_NAME ||
          hdr.info_type == FAN_EVENT_INFO_TYPE_DFID) {
        const auto* info = reinterpret_cast<const struct fanotify_event_info_fid*>(data + off);
        dir_fh = reinterpret_cast<const struct file_handle*>(info->handle);
        if (hdr.info_type == FAN_EVENT_INFO_TYPE_DFID_NAME) {
          name = reinterpret_cast<const char*>(dir_fh->f_handle + dir_fh->handle_bytes);
        }
        break;
      }
      off += hdr.len;
    }
    if (dir_fh == nullptr) return false;
    std::string dir;
    if (!ResolveDir(HandleKey(dir_fh), dir_fh, meta.pid, &dir)) return false;
    if (name == nullptr || name[0] == 0 || (name[0] == '.' && name[1] == 0)) {
      return false;  // an event on the directory itself: nothing about writers
    }
    raw->path = Join(dir, name);
    if (raw->is_dir) {
      // Later records of this batch must not resolve through a stale path.
      if (meta.mask & (FAN_DELETE | FAN_MOVED_FROM)) ForgetDirsUnder(raw->path);
      if (meta.mask & FAN_MOVED_TO) {
        // It may have been cached as outside the root: forget every
        // negative answer (they are cheap to rebuild).
        for (auto it = dirs_.begin(); it != dirs_.end();) {
          it = it->second.inside ? std::next(it) : dirs_.erase(it);
        }
        // And marked there, or a directory below it: the kernel would drop
        // their events in the tree. Before the scan that reports their
        // contents (Deliver), so nothing falls between the two.
        UnignoreTree(raw->path);
      }
    }
  }
  if (own && !options_.keep_own_event(raw->path)) {
    ++dropped_own_;
    return false;
  }
  return true;
}

void FanotifySource::DroppedOutside(int32_t pid) {
  ++dropped_outside_;
  if (options_.on_dropped_outside) options_.on_dropped_outside(pid);
}

bool FanotifySource::ResolveDir(const std::string& key, const void* file_handle, int32_t pid,
                                std::string* rel) {
  const auto* fh = static_cast<const struct file_handle*>(file_handle);
  auto it = dirs_.find(key);
  if (it != dirs_.end()) {
    if (!it->second.inside) {
      DroppedOutside(pid);
      // Its second event: marked. Marked, yet here: queued before the
      // mark, or the kernel evicted the mark with the inode: marked again,
      // at most once per read.
      if (ignoring_ && it->second.ignored_in_read != reads_) {
        const UniqueFd dfd(OpenHandle(mount_fd_.get(), fh));
        if (dfd.valid()) IgnoreDir(dfd.get(), &it->second);
      }
      return false;
    }
    *rel = it->second.rel;
    return true;
  }
  const UniqueFd dfd(OpenHandle(mount_fd_.get(), fh));
  // Deleted before we read its event (ESTALE), or on another mount: not
  // cached, not marked.
  if (!dfd.valid()) return false;
  const std::string abs = FdPath(dfd.get());
  if (abs.empty() || EndsWith(abs, kDeleted)) return false;
  if (dirs_.size() >= options_.dir_cache_limit) {
    dirs_.clear();
    dir_keys_.clear();
  }
  DirEntry entry;
  entry.inside = RelOf(abs, &entry.rel);
  if (entry.inside) {
    auto old = dir_keys_.find(entry.rel);
    if (old != dir_keys_.end()) dirs_.erase(old->second);
    dir_keys_[entry.rel] = key;
  }
  const bool inside = entry.inside;
  *rel = entry.rel;
  // Outside: marked at its next event (above), not now. A directory seen
  // once (a tree walk, a temporary directory) would cost a mark, about 3
  // microseconds (bench/source_cpu outside-dirs), and save nothing.
  if (!inside) DroppedOutside(pid);
  dirs_.emplace(key, std::move(entry));
  return inside;
}

void FanotifySource::IgnoreDir(int dfd, DirEntry* entry) {
  entry->ignored_in_read = reads_;
  // "." names the directory itself: fanotify_mark refuses an O_PATH fd alone.
  if (fanotify_mark(fd_, FAN_MARK_ADD | kIgnoreFlags, kIgnoreMask, dfd, ".") == 0) {
    ++ignore_marks_;
    return;
  }
  ++ignore_mark_errors_;
  if (errno == EINVAL) ignoring_ = false;  // not this kernel after all
}

void FanotifySource::UnignoreTree(const std::string& rel) {
  if (ignore_marks_ == 0) return;  // none was ever placed
  const auto unignore = [this](const std::string& path) {
    // ENOENT: it has none. DONT_FOLLOW: never a symlink's target.
    if (fanotify_mark(fd_, FAN_MARK_REMOVE | kIgnoreFlags | FAN_MARK_DONT_FOLLOW, kIgnoreMask,
                      AT_FDCWD, Abs(path).c_str()) == 0) {
      ++ignore_marks_removed_;
    }
  };
  if (!rel.empty()) unignore(rel);  // the root is never marked ignored
  WalkTree(options_.root, rel, [&](const std::string& below, WalkType type) {
    if (type == WalkType::kDir) unignore(below);
  });
}

void FanotifySource::ForgetDirsUnder(const std::string& rel) {
  auto it = dir_keys_.lower_bound(rel);
  while (it != dir_keys_.end() && it->first.compare(0, rel.size(), rel) == 0 &&
         (it->first.size() == rel.size() || it->first[rel.size()] == '/')) {
    dirs_.erase(it->second);
    it = dir_keys_.erase(it);
  }
  // Entries like "rel-x" sort between "rel" and "rel/": skip past them.
  it = dir_keys_.lower_bound(rel + "/");
  while (it != dir_keys_.end() && it->first.compare(0, rel.size() + 1, rel + "/") == 0) {
    dirs_.erase(it->second);
    it = dir_keys_.erase(it);
  }
}

bool FanotifySource::InStream(const std::string& path) const {
  if (mode_ != FanotifyMode::kFilesystemFid) return true;  // no directory events at all
  const size_t slash = path.rfind('/');
  return stream_dirs_.count(slash == std::string::npos ? std::string() : path.substr(0, slash)) >
         0;
}

void FanotifySource::Deliver(RawEvent& raw) {
  if (raw.root_gone) {
    // Everything queued before it has been delivered: it ends the tree.
    if (!root_gone_ && options_.on_root_gone) {
      options_.on_root_gone("the watched root " + options_.root + " " +
                            ((raw.mask & FAN_DELETE_SELF) ? "was removed"
                                                          : "was moved away (renamed)"));
    }
    root_gone_ = true;
    return;
  }
  if (raw.overflow) {
    ++overflows_;
    FsEvent e;
    e.time_ns = NowNs();
    e.kind = EventKind::kOverflow;
    e.detail = "fanotify queue overflowed (fs.fanotify.max_queued_events=" +
               std::to_string(ReadProcLong("/proc/sys/fs/fanotify/max_queued_events")) +
               "): events were lost; rescanning the tree";
    sink_(std::move(e));
    // Lost events may include directory moves: resolve every handle afresh.
    dirs_.clear();
    dir_keys_.clear();
    rescan_pending_ = true;  // once the batch is handled (ReadEvents)
    return;
  }
  if (!InStream(raw.path)) {  // its directory is not in the stream yet
    ++dropped_ahead_;
    return;
  }
  const uint64_t m = raw.mask;
  const ProcessRef& p = raw.process;
  if (m & FAN_CREATE) Emit(EventKind::kCreate, raw.path, raw.is_dir, p);
  if (m & FAN_MOVED_TO) {
    if (raw.is_dir) {
      Emit(EventKind::kMovedTo, raw.path, true, p);
      ScanInto(raw.path, EventKind::kExisting);
    } else {
      EmitWithContent(EventKind::kMovedTo, raw.path, p);
    }
  }
  if (!raw.is_dir) {
    // Directory listings (ours or make's) say nothing about writers.
    const bool whole_read = options_.whole_read_as_close && (m & FAN_CLOSE_NOWRITE) &&
                            !(m & (FAN_MODIFY | FAN_CLOSE_WRITE));
    if ((m & FAN_OPEN) && !whole_read) Emit(EventKind::kOpen, raw.path, false, p);
    if (m & FAN_MODIFY) Emit(EventKind::kModify, raw.path, false, p);
    if (m & FAN_CLOSE_WRITE) EmitWithContent(EventKind::kCloseWrite, raw.path, p);
    if (m & FAN_CLOSE_NOWRITE) Emit(EventKind::kCloseNoWrite, raw.path, false, p);
  }
  if (m & FAN_MOVED_FROM) Emit(EventKind::kMovedFrom, raw.path, raw.is_dir, p);
  if (m & FAN_DELETE) Emit(EventKind::kDelete, raw.path, raw.is_dir, p);
}

void FanotifySource::Emit(EventKind kind, const std::string& path, bool is_dir,
                          const ProcessRef& process) {
  FsEvent e = NewEvent(kind, path, process);
  e.is_dir = is_dir;
  if (is_dir) {
    if (kind == EventKind::kDelete || kind == EventKind::kMovedFrom) {
      stream_dirs_.erase(path);
      const std::string below = path + "/";
      auto it = stream_dirs_.lower_bound(below);
      while (it != stream_dirs_.end() && it->compare(0, below.size(), below) == 0) {
        it = stream_dirs_.erase(it);
      }
    } else {
      stream_dirs_.insert(path);
    }
  }
  sink_(std::move(e));
}

void FanotifySource::EmitWithContent(EventKind kind, const std::string& path,
                                     const ProcessRef& process) {
  // Our own open and close of it carry our pid: they are dropped.
  SendWithContent(NewEvent(kind, path, process), Abs(path), options_.content_limit, options_.wants_content, sink_);
}

void FanotifySource::ScanInto(const std::string& start, EventKind kind) {
  WalkTree(options_.root, start, [&](const std::string& rel, WalkType type) {
    const bool report = !options_.scan_reports || options_.scan_reports(rel);
    if (!report) {
      if (type == WalkType::kDir) stream_dirs_.insert(rel);  // in the stream all the same
    } else if (type == WalkType::kFile) {
      EmitWithContent(kind, rel, nullptr);
    } else {
      Emit(kind, rel, type == WalkType::kDir, nullptr);
    }
  });
}

void FanotifySource::Rescan(const std::string& why) {
  // Lost events may have made or removed directories: the scan says anew
  // which exist. They may also have moved marked directories in.
  stream_dirs_ = {""};
  UnignoreTree("");
  ScanInto("", EventKind::kExisting);
  FsEvent e;
  e.time_ns = NowNs();
  e.kind = EventKind::kRescanDone;
  e.detail = "rescanned the tree " + why;
  sink_(std::move(e));
}

}  // namespace modrace
