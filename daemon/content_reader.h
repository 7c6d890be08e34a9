#ifndef MODRACE_DAEMON_CONTENT_READER_H_
#define MODRACE_DAEMON_CONTENT_READER_H_

// Content snapshots of kbuild artifacts, read the moment a source sees a
// close-write, moved-to or existing file. The bytes may already hold a later
// writer's data: the analyzer treats that as evidence too.

#include <cstddef>
#include <string>

namespace modrace {

// Artifacts larger than this are cut here and flagged content_truncated.
inline constexpr size_t kContentLimit = 1 << 20;

struct ContentSnapshot {
  bool ok = false;         // false: could not open or read (see error)
  bool opened = false;     // the file was opened (inotify saw our open/close)
  std::string bytes;       // at most `limit` bytes
  bool truncated = false;  // the file held more than `limit` bytes
  std::string error;       // "open: No such file or directory", ...
};

// Reads at most `limit` bytes of the regular file at `path` (absolute, or
// relative to `dirfd` when dirfd is not AT_FDCWD). Never follows a symlink
// in the last component and never blocks on a FIFO: anything that is not a
// regular file is an error. Never throws.
ContentSnapshot ReadContent(int dirfd, const std::string& path, size_t limit = kContentLimit);

}  // namespace modrace

#endif  // MODRACE_DAEMON_CONTENT_READER_H_
