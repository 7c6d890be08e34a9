// SPDX-License-Identifier: GPL-2.0-only
#include "common/unique_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

namespace modrace {

void UniqueFd::Reset(int fd) {
  // close(2) releases the fd even when it reports EINTR: never retry.
  if (fd_ >= 0 && fd_ != fd) close(fd_);
  fd_ = fd;
}

int OpenPipe(Pipe* pipe, int flags) {
  int fds[2];
  if (pipe2(fds, flags) != 0) return errno;
  pipe->read.Reset(fds[0]);
  pipe->write.Reset(fds[1]);
  return 0;
}

}  // namespace modrace
