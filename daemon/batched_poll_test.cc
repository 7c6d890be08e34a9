// SPDX-License-Identifier: GPL-2.0-only
// BatchedPoll on a real pipe and a real libuv loop: every byte written is
// read, in batches, whether the reader drains the fd at once or a little
// at a time (the busy path: it stays on its timer while bytes are queued),
// and a quiet fd goes back to polling, so a later write is read too.

#include "daemon/batched_poll.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <uv.h>

#include "daemon/test_loop.h"

namespace modrace {

namespace {

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    REQUIRE(pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe() {
    if (read_end >= 0) close(read_end);
    if (write_end >= 0) close(write_end);
  }
  void Write(const std::string& s) { REQUIRE(write(write_end, s.data(), s.size()) == ssize_t(s.size())); }
};

// Reads at most `per_call` bytes a call into *got.
struct Reader {
  int* fd;
  size_t per_call;
  std::string* got;
  int* calls;
  void operator()() const {
    ++*calls;
    char buf[64];
    const ssize_t n = read(*fd, buf, per_call < sizeof(buf) ? per_call : sizeof(buf));
    if (n > 0) got->append(buf, size_t(n));
  }
};

void Check(int delay_ms, size_t per_call) {
  CAPTURE(delay_ms);
  CAPTURE(per_call);
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  Pipe p;
  std::string got;
  int calls = 0;
  {
    BatchedPoll poll(&loop, delay_ms, Reader{&p.read_end, per_call, &got, &calls});
    std::string error;
    REQUIRE(poll.Start(p.read_end, &error));
    p.Write("abcdefgh");
    CHECK(RunUntil(&loop, [&] { return got == "abcdefgh"; }));
    // Quiet now: polling again, so a later write is seen.
    const int before = calls;
    p.Write("xyz");
    CHECK(RunUntil(&loop, [&] { return got == "abcdefghxyz"; }));
    CHECK(calls > before);
    poll.Close(&p.read_end);
  }
  CHECK(p.read_end == -1);
  CHECK(DrainAndCloseLoop(&loop));
}

}  // namespace

TEST_CASE("no batching: every byte read, quiet fd polled again") { Check(0, 64); }

TEST_CASE("batched, drained at once: every byte read, quiet fd polled again") { Check(1, 64); }

TEST_CASE("batched, drained a byte at a time: the busy fd is read on the timer until empty") {
  Check(1, 1);
}

}  // namespace modrace

namespace modrace {

TEST_CASE("ReadRounds reads at most kReadsPerCallback buffers, then what is left") {
  Pipe p;
  p.Write(std::string(4 * kReadsPerCallback + 3, 'x'));
  std::vector<char> buffer(4);
  std::vector<size_t> reads;
  const int fd = p.read_end;
  ReadRounds(fd, &buffer, [&](size_t n) { reads.push_back(n); });
  CHECK(reads == std::vector<size_t>(kReadsPerCallback, 4));
  reads.clear();
  ReadRounds(fd, &buffer, [&](size_t n) { reads.push_back(n); });  // then EAGAIN
  CHECK(reads == std::vector<size_t>{3});
}

TEST_CASE("ReadRounds stops once the handler closed the fd") {
  Pipe p;
  p.Write("abcdefgh");
  std::vector<char> buffer(2);
  int fd = p.read_end;
  size_t reads = 0;
  ReadRounds(fd, &buffer, [&](size_t) {
    ++reads;
    fd = -1;  // as a source's Close() does
  });
  CHECK(reads == 1);
}

}  // namespace modrace
