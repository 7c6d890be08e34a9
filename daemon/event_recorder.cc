// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/event_recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/write_all.h"
#include "proto/bytes_json.h"

namespace modrace {

EventRecorder::~EventRecorder() { Close(); }

bool EventRecorder::Open(const std::string& path, std::string* error) {
  // O_NOFOLLOW: a root daemon told to record at a path where someone left a
  // symlink must not truncate the file it points to.
  fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
             0644);
  if (fd_ < 0) {
    if (errno == ELOOP) {
      *error = "record file " + path + " is a symlink; refusing to follow it (give the real path)";
    } else {
      *error = "cannot open record file " + path + ": " + strerror(errno);
    }
    return false;
  }
  return true;
}

void EventRecorder::Append(const FsEvent& event) {
  if (fd_ < 0) return;
  nlohmann::json j = EventJson(event, false);
  if (event.process) refs_.Put(j, *event.process);
  buffer_ += DumpLine(j);
  buffer_ += '\n';
}

bool EventRecorder::Flush(std::string* error) {
  if (fd_ < 0) {
    buffer_.clear();
    return true;
  }
  if (!WriteAll(fd_, buffer_)) {
    *error = std::string("record file write failed, recording stopped: ") + strerror(errno);
    buffer_.clear();
    close(fd_);
    fd_ = -1;
    return false;
  }
  buffer_.clear();
  return true;
}

void EventRecorder::Close() {
  if (fd_ < 0) return;
  std::string ignored;
  Flush(&ignored);
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

}  // namespace modrace
