// SPDX-License-Identifier: GPL-2.0-only
#include "client/output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/write_all.h"

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
  const bool whole = ftruncate(fd_, 0) == 0 && lseek(fd_, 0, SEEK_SET) == 0 && WriteAll(fd_, text);
  if (whole && close(fd_) == 0) {
    fd_ = -1;
    return true;
  }
  *error = "cannot write " + path_ + ": " + strerror(errno);
  return false;
}

}  // namespace modrace
