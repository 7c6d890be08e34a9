// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_EVENT_SOURCE_H_
#define MODRACE_DAEMON_EVENT_SOURCE_H_

// EventSource: what the daemon needs of a backend (inotify, fanotify).
// Both turn kernel events into FsEvents on one libuv loop; the daemon
// knows nothing else of them.

#include <cstddef>
#include <cstdint>
#include <string>

namespace modrace {

class EventSource {
 public:
  virtual ~EventSource() = default;

  // Returns only when the tree is fully watched ("ready"); false with
  // *error when the backend cannot run here.
  virtual bool Start(std::string* error) = 0;
  // Stops the source; idempotent.
  virtual void Close() = 0;
  // Rescans the tree as after an overflow (kExisting..., kRescanDone).
  virtual void Rescan(const std::string& why) = 0;
  // Reports every directory still unwatched again (after a reset).
  virtual void ReemitUnwatched() = 0;

  virtual const char* backend() const = 0;  // "inotify", "fanotify"
  virtual size_t watched_dirs() const = 0;  // 0 where marks are not per directory
  virtual uint64_t unwatched_dirs() const = 0;
  virtual uint64_t overflows() const = 0;
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_EVENT_SOURCE_H_
