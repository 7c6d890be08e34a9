// SPDX-License-Identifier: GPL-2.0-only
// QueueReader on a real inotify fd and a real libuv loop: every record
// arrives whole and in kernel order; the kernel queue is emptied while the
// loop does not turn (what a long directory walk or a slow analysis does
// to the loop), so more events than the kernel keeps pass without an
// overflow; the user-space bound holds the thread back without losing an
// event; and Close from inside a chunk's handling stops the handing.

#include "daemon/queue_reader.h"

#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <uv.h>

#include "common/test_tree.h"
#include "daemon/test_loop.h"

namespace modrace {

namespace {

struct Records {
  std::vector<std::string> names;
  uint64_t opens = 0;
  uint64_t closes = 0;
  uint64_t overflows = 0;
  uint64_t chunks = 0;
  uint64_t batches = 0;
};

void Parse(const char* data, size_t n, Records* r) {
  ++r->chunks;
  size_t off = 0;
  while (off + sizeof(struct inotify_event) <= n) {
    struct inotify_event ev;
    memcpy(&ev, data + off, sizeof(ev));
    REQUIRE(off + sizeof(ev) + ev.len <= n);  // whole records only
    if (ev.mask & IN_Q_OVERFLOW) ++r->overflows;
    if (ev.mask & IN_OPEN) ++r->opens;
    if (ev.mask & IN_CLOSE_NOWRITE) ++r->closes;
    if (ev.mask & IN_CREATE) r->names.emplace_back(data + off + sizeof(ev));
    off += sizeof(ev) + ev.len;
  }
  CHECK(off == n);
}

long MaxQueuedEvents() {
  std::ifstream in("/proc/sys/fs/inotify/max_queued_events");
  long v = 16384;
  in >> v;
  return v;
}

int Watch(const TestTree& t) {
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(inotify_add_watch(fd, t.root().c_str(), IN_OPEN | IN_CLOSE_NOWRITE | IN_CREATE) >= 0);
  return fd;
}

// Opens and closes `path` `times` times: two events each, never merged
// (the kernel merges only an event identical to the last one queued).
void ReadTimes(const std::string& path, int times) {
  for (int i = 0; i < times; ++i) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    close(fd);
  }
}

// Bytes the kernel queue of `fd` holds now.
int Unread(int fd) {
  int n = 0;
  REQUIRE(ioctl(fd, FIONREAD, &n) == 0);
  return n;
}

// Waits (bounded) for cond() without turning any loop: a short pause
// between looks, since the thread under test is what changes the answer.
bool WaitFor(const std::function<bool()>& cond, int timeout_ms = 10000) {
  for (int waited = 0; waited < timeout_ms; ++waited) {
    if (cond()) return true;
    const struct timespec ms = {0, 1000000};
    nanosleep(&ms, nullptr);
  }
  return cond();
}

}  // namespace

TEST_CASE("every record arrives whole and in kernel order, then a batch") {
  TestTree t;
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  int fd = Watch(t);
  Records r;
  QueueReader reader(
      &loop, QueueReaderOptions{}, [&](const char* d, size_t n) { Parse(d, n, &r); },
      [&] { ++r.batches; });
  std::string error;
  REQUIRE(reader.Start(fd, &error));
  for (int i = 0; i < 2000; ++i) t.Write("f" + std::to_string(i), "");
  REQUIRE(RunUntil(&loop, [&] { return r.names.size() >= 2000; }));
  for (size_t i = 0; i < r.names.size(); ++i) CHECK(r.names[i] == "f" + std::to_string(i));
  CHECK(r.batches >= 1);
  CHECK(r.batches <= r.chunks);
  reader.Close(&fd);
  CHECK(fd == -1);
  CHECK(DrainAndCloseLoop(&loop));
}

TEST_CASE("the kernel queue is emptied while the loop does not turn: no overflow") {
  TestTree t;
  t.Write("header.h", "");
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  int fd = Watch(t);
  Records r;
  QueueReader reader(&loop, QueueReaderOptions{}, [&](const char* d, size_t n) { Parse(d, n, &r); },
                     nullptr);
  std::string error;
  REQUIRE(reader.Start(fd, &error));
  // Rounds of half the kernel's queue; after each, the kernel queue must
  // empty while this thread (the loop's) does nothing but look.
  const int per_round = static_cast<int>(MaxQueuedEvents() / 4);  // reads: 2 events each
  const int rounds = 6;  // 3x what the kernel keeps, in all
  for (int round = 0; round < rounds; ++round) {
    ReadTimes(t.Abs("header.h"), per_round);
    CHECK_MESSAGE(WaitFor([&] { return Unread(fd) == 0; }), "round " << round);
  }
  CHECK(reader.queued_bytes() > 0);  // waiting for the loop, not lost
  const uint64_t want = uint64_t{static_cast<uint64_t>(per_round)} * rounds;
  REQUIRE(RunUntil(&loop, [&] { return r.closes >= want || r.overflows > 0; }));
  CHECK(r.overflows == 0);
  CHECK(r.opens == want);
  CHECK(r.closes == want);
  reader.Close(&fd);
  CHECK(DrainAndCloseLoop(&loop));
}

TEST_CASE("the user-space bound holds the thread back and loses nothing") {
  TestTree t;
  t.Write("x", "");
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  int fd = Watch(t);
  Records r;
  QueueReaderOptions o;
  o.chunk_bytes = 64 * 1024;
  o.max_queued_bytes = 64 * 1024;
  QueueReader reader(&loop, o, [&](const char* d, size_t n) { Parse(d, n, &r); }, nullptr);
  std::string error;
  REQUIRE(reader.Start(fd, &error));
  // 3000 reads: 6000 records of 32 bytes (a 2-byte name padded to 16),
  // three times the bound, fewer than the kernel keeps.
  ReadTimes(t.Abs("x"), 3000);
  CHECK(WaitFor([&] { return reader.full_waits() > 0; }));
  CHECK(reader.queued_bytes() <= o.max_queued_bytes + o.chunk_bytes);  // the bound, one read over
  CHECK(Unread(fd) > 0);  // the rest stays in the kernel meanwhile
  REQUIRE(RunUntil(&loop, [&] { return r.closes >= 3000 || r.overflows > 0; }));
  CHECK(r.overflows == 0);
  CHECK(r.opens == 3000);
  CHECK(r.closes == 3000);
  reader.Close(&fd);
  CHECK(DrainAndCloseLoop(&loop));
}

TEST_CASE("Close from inside a chunk's handling: no later chunk is handed") {
  TestTree t;
  t.Write("x", "");
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  int fd = Watch(t);
  QueueReaderOptions o;
  o.chunk_bytes = 64 * 1024;
  o.max_queued_bytes = 64 * 1024;
  int handed = 0;
  QueueReader* self = nullptr;
  QueueReader reader(
      &loop, o,
      [&](const char*, size_t) {
        ++handed;
        self->Close(&fd);
      },
      nullptr);
  self = &reader;
  std::string error;
  REQUIRE(reader.Start(fd, &error));
  ReadTimes(t.Abs("x"), 3000);  // several chunks' worth
  REQUIRE(WaitFor([&] { return reader.full_waits() > 0; }));
  REQUIRE(RunUntil(&loop, [&] { return handed > 0; }));
  CHECK(fd == -1);
  CHECK(DrainAndCloseLoop(&loop));  // every later turn: nothing handed
  CHECK(handed == 1);
}

}  // namespace modrace
