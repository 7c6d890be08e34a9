// SPDX-License-Identifier: GPL-2.0-only
#include "client/output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

namespace modrace {

OutputFile::~OutputFile() {
  if (fd_ >= 0) close(fd_);
  if (created_ && !written_) unlink(path_.c_str());
}

bool OutputFile::Open(const std::string& path, std::string* error) {
  path_ = path;
  fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  created_ = fd_ >= 0;
  if (fd_ < 0 && errno == EEXIST) fd_ = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd_ < 0) *error = "cannot write " + path + ": " + strerror(errno);
  return fd_ >= 0;
}

bool OutputFile::Write(const std::string& text, std::string* error) {
  written_ = true;
  size_t done = 0;
  if (ftruncate(fd_, 0) != 0) done = text.size() + 1;
  while (done < text.size()) {
    const ssize_t n = pwrite(fd_, text.data() + done, text.size() - done, done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  if (done == text.size() && close(fd_) == 0) {
    fd_ = -1;
    return true;
  }
  *error = "cannot write " + path_ + ": " + strerror(errno);
  return false;
}

}  // namespace modrace
