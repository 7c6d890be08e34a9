// SPDX-License-Identifier: GPL-2.0-only
#include "common/unique_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <utility>

#include <doctest/doctest.h>

namespace modrace {
namespace {

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1 || errno != EBADF; }

TEST_CASE("UniqueFd closes its fd once, when it goes away") {
  Pipe p;
  REQUIRE(OpenPipe(&p, O_CLOEXEC) == 0);
  const int r = p.read.get();
  const int w = p.write.get();
  CHECK(IsOpen(r));
  CHECK((fcntl(r, F_GETFD) & FD_CLOEXEC) != 0);
  {
    UniqueFd moved = std::move(p.write);
    CHECK(moved.get() == w);
    CHECK_FALSE(p.write.valid());
    CHECK(IsOpen(w));
  }
  CHECK_FALSE(IsOpen(w));
  // The writer is gone: the reader sees end of file.
  char c;
  CHECK(read(r, &c, 1) == 0);
}

TEST_CASE("UniqueFd move assignment closes what it held") {
  Pipe a, b;
  REQUIRE(OpenPipe(&a, O_CLOEXEC) == 0);
  REQUIRE(OpenPipe(&b, O_CLOEXEC) == 0);
  const int old = a.read.get();
  const int kept = b.read.get();
  a.read = std::move(b.read);
  CHECK_FALSE(IsOpen(old));
  CHECK(a.read.get() == kept);
  CHECK(IsOpen(kept));
  a.read = std::move(a.read);  // self-move keeps the fd
  CHECK(IsOpen(kept));
}

TEST_CASE("Release gives the fd up unclosed; Reset closes") {
  Pipe p;
  REQUIRE(OpenPipe(&p, O_CLOEXEC | O_NONBLOCK) == 0);
  CHECK((fcntl(p.read.get(), F_GETFL) & O_NONBLOCK) != 0);
  const int fd = p.read.Release();
  CHECK_FALSE(p.read.valid());
  CHECK(IsOpen(fd));
  p.read.Reset(fd);
  p.read.Reset();
  CHECK_FALSE(IsOpen(fd));
}

TEST_CASE("OpenPipe reports the errno and leaves the pipe as it was") {
  Pipe p;
  CHECK(OpenPipe(&p, -1) == EINVAL);
  CHECK_FALSE(p.read.valid());
  CHECK_FALSE(p.write.valid());
}

}  // namespace
}  // namespace modrace
