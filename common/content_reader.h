// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_CONTENT_READER_H_
#define MODRACE_DAEMON_CONTENT_READER_H_

// Content snapshots of kbuild artifacts, read the moment a source sees a
// close-write, moved-to or existing file. The bytes may already hold a later
// writer's data: the analyzer treats that as evidence too.

#include <errno.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "proto/fs_event.h"

namespace modrace {

// Artifacts larger than this are cut here and flagged content_truncated.
inline constexpr size_t kContentLimit = 1 << 20;

struct ContentSnapshot {
  bool ok = false;         // false: could not open or read (see error)
  bool opened = false;     // the file was opened (inotify saw our open/close)
  std::string bytes;       // at most `limit` bytes
  bool truncated = false;  // the file held more than `limit` bytes
  int error_number = 0;    // errno of the failure; EINVAL: not a regular file
  std::string error;       // "open: No such file or directory", ...

  // The file was gone (ENOENT) before it could be opened: not a coverage
  // problem, its delete event follows.
  bool gone() const { return error_number == ENOENT; }
};

// Reads at most `limit` bytes of the regular file at `path` (absolute, or
// relative to `dirfd` when dirfd is not AT_FDCWD). Never follows a symlink
// in the last component and never blocks on a FIFO: anything that is not a
// regular file is an error. Never throws.
ContentSnapshot ReadContent(int dirfd, const std::string& path, size_t limit = kContentLimit);

// What both event sources do with a close-write, moved-to or existing
// regular file (docs/architecture.md, Event model): when wants(e.path)
// holds, read the file at `abs` into `e` (cut at `limit`); send `e`; then,
// when the read failed for a reason other than the file being gone, send a
// kUnreadable event naming the path and the error. Returns whether the read
// opened the file (inotify then sees the read's own open and close).
bool SendWithContent(FsEvent&& e, const std::string& abs, size_t limit,
                     const std::function<bool(std::string_view path)>& wants,
                     const std::function<void(FsEvent&& event)>& sink);

}  // namespace modrace

#endif  // MODRACE_DAEMON_CONTENT_READER_H_
