// SPDX-License-Identifier: GPL-2.0-only
#include "common/write_all.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "common/unique_fd.h"

namespace modrace {

TEST_CASE("WriteAll writes a buffer larger than a pipe holds at once, whole") {
  int fds[2];
  REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);
  REQUIRE(fcntl(write_end.get(), F_SETPIPE_SZ, 4096) >= 0);
  const std::string big(200000, 'x');
  std::string got;
  // The reader drains while the writer's writes come back short.
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    read_end.Reset();
    _exit(WriteAll(write_end.get(), big) ? 0 : 1);
  }
  write_end.Reset();
  char buf[8192];
  ssize_t n;
  while ((n = read(read_end.get(), buf, sizeof buf)) > 0) got.append(buf, static_cast<size_t>(n));
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(got == big);
}

TEST_CASE("WriteAll says why it failed") {
  int fds[2];
  REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);
  CHECK_FALSE(WriteAll(read_end.get(), "x"));  // the read end takes no writes
  CHECK(errno == EBADF);
  CHECK(WriteAll(write_end.get(), ""));
}

}  // namespace modrace
