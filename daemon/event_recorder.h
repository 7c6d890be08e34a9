// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_EVENT_RECORDER_H_
#define MODRACE_DAEMON_EVENT_RECORDER_H_

// EventRecorder: `--record FILE`, the FsEvent stream as JSON lines
// (DumpLine of each event, each process written once: ProcessRefWriter),
// for `modrace replay`. Lines are buffered and
// written at each Flush() (the daemon flushes after every batch of kernel
// events and before answering a barrier).

#include <string>

#include "proto/fs_event.h"

namespace modrace {

class EventRecorder {
 public:
  EventRecorder() = default;
  ~EventRecorder();
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  // Creates or truncates `path`, never through a symlink (O_NOFOLLOW).
  // Returns false with *error.
  bool Open(const std::string& path, std::string* error);

  void Append(const FsEvent& event);
  // Returns false (once, with *error) when the file cannot be written; the
  // recorder then stops recording rather than stalling the daemon.
  bool Flush(std::string* error);
  void Close();

 private:
  int fd_ = -1;
  std::string buffer_;
  ProcessRefWriter refs_;  // each process written once (proto/fs_event.h)
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_EVENT_RECORDER_H_
