#include "analyzer/pid_writer_tracker.h"

#include <doctest/doctest.h>

namespace modrace {

namespace {

ProcessInfo Proc(int32_t pid, uint64_t start = 100) {
  ProcessInfo p;
  p.pid = pid;
  p.start_time = start;
  p.comm = "sh";
  return p;
}

}  // namespace

TEST_CASE("two processes writing one file at once are named") {
  PidWriterTracker t;
  t.OnOpen(1, Proc(10));
  t.OnOpen(2, Proc(20));
  t.OnModify(3, Proc(10));
  t.OnModify(4, Proc(20));
  CHECK_FALSE(t.OnCloseWrite(5, Proc(10), std::string("a\n")).overlap);
  const PidOverlap o = t.OnCloseWrite(6, Proc(20), std::string("b\n"));
  REQUIRE(o.overlap);
  CHECK(o.earlier.pid == 10);
  CHECK(o.closer.pid == 20);
  CHECK(o.earlier_open_seq == 1);
  CHECK(o.closer_open_seq == 2);
  CHECK(o.bytes == OverlapBytes::kDifferent);
}

TEST_CASE("the same bytes written twice at once are told apart from different bytes") {
  PidWriterTracker t;
  t.OnOpen(1, Proc(10));
  t.OnOpen(2, Proc(20));
  t.OnCloseWrite(3, Proc(10), std::string("x\n"));
  const PidOverlap o = t.OnCloseWrite(4, Proc(20), std::string("x\n"));
  REQUIRE(o.overlap);
  CHECK(o.bytes == OverlapBytes::kSame);
}

TEST_CASE("sequential processes and readers are no race") {
  PidWriterTracker t;
  t.OnOpen(1, Proc(10));
  t.OnOpen(2, Proc(30));  // a reader
  CHECK_FALSE(t.OnCloseWrite(3, Proc(10), std::nullopt).overlap);
  t.OnCloseNoWrite(Proc(30));
  t.OnOpen(4, Proc(20));
  CHECK_FALSE(t.OnCloseWrite(5, Proc(20), std::nullopt).overlap);
}

TEST_CASE("a reused pid is another process") {
  PidWriterTracker t;
  t.OnOpen(1, Proc(10, 100));
  t.OnOpen(2, Proc(10, 200));  // pid 10 again, a new process
  t.OnCloseWrite(3, Proc(10, 100), std::nullopt);
  CHECK(t.OnCloseWrite(4, Proc(10, 200), std::nullopt).overlap);
}

}  // namespace modrace
