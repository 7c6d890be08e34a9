// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/pid_writer_tracker.h"

#include <doctest/doctest.h>

namespace modrace {

namespace {

ProcessRef Proc(int32_t pid, uint64_t start = 100) {
  ProcessInfo p;
  p.pid = pid;
  p.start_time = start;
  p.comm = "sh";
  return std::make_shared<const ProcessInfo>(p);
}

// Events a millisecond apart, by seq.
int64_t Ms(uint64_t seq) { return static_cast<int64_t>(seq) * 1000000; }

}  // namespace

TEST_CASE("two processes writing one file at once are named") {
  PidWriterTracker t;
  t.OnOpen(1, Ms(1), Proc(10));
  t.OnOpen(2, Ms(2), Proc(20));
  t.OnModify(3, Ms(3), Proc(10));
  t.OnModify(4, Ms(4), Proc(20));
  CHECK_FALSE(t.OnCloseWrite(5, Ms(5), Proc(10), std::string("a\n")).overlap);
  const PidOverlap o = t.OnCloseWrite(6, Ms(6), Proc(20), std::string("b\n"));
  REQUIRE(o.overlap);
  CHECK(o.earlier->pid == 10);
  CHECK(o.closer->pid == 20);
  CHECK(o.earlier_open_seq == 1);
  CHECK(o.closer_open_seq == 2);
  CHECK(o.bytes == OverlapBytes::kDifferent);
}

TEST_CASE("the same bytes written twice at once are told apart from different bytes") {
  PidWriterTracker t;
  t.OnOpen(1, Ms(1), Proc(10));
  t.OnOpen(2, Ms(2), Proc(20));
  t.OnCloseWrite(3, Ms(3), Proc(10), std::string("x\n"));
  const PidOverlap o = t.OnCloseWrite(4, Ms(4), Proc(20), std::string("x\n"));
  REQUIRE(o.overlap);
  CHECK(o.bytes == OverlapBytes::kSame);
}

TEST_CASE("sequential processes and readers are no race") {
  PidWriterTracker t;
  t.OnOpen(1, Ms(1), Proc(10));
  t.OnOpen(2, Ms(2), Proc(30));  // a reader
  CHECK_FALSE(t.OnCloseWrite(3, Ms(3), Proc(10), std::nullopt).overlap);
  t.OnCloseNoWrite(*Proc(30));
  t.OnOpen(4, Ms(4), Proc(20));
  CHECK_FALSE(t.OnCloseWrite(5, Ms(5), Proc(20), std::nullopt).overlap);
}

TEST_CASE("a reused pid is another process") {
  PidWriterTracker t;
  t.OnOpen(1, Ms(1), Proc(10, 100));
  t.OnOpen(2, Ms(2), Proc(10, 200));  // pid 10 again, a new process
  t.OnCloseWrite(3, Ms(3), Proc(10, 100), std::nullopt);
  CHECK(t.OnCloseWrite(4, Ms(4), Proc(10, 200), std::nullopt).overlap);
}

TEST_CASE("the writers around a time: closed and open ones, not readers, not old ones") {
  PidWriterTracker t;
  t.OnOpen(1, Ms(1), Proc(5));
  t.OnCloseWrite(2, Ms(2), Proc(5), std::nullopt);  // long before
  t.OnOpen(5000, Ms(5000), Proc(10));
  t.OnCloseWrite(5001, Ms(5001), Proc(10), std::nullopt);
  t.OnOpen(5002, Ms(5002), Proc(30));  // a reader
  t.OnCloseNoWrite(*Proc(30));
  t.OnOpen(5003, Ms(5003), Proc(20));  // still open
  const auto w = t.WritersAround(Ms(5002), Ms(100));
  REQUIRE(w.size() == 2);
  CHECK(w[0].process->pid == 10);
  CHECK(w[0].open_seq == 5000);
  CHECK(w[0].close_seq == 5001);
  CHECK(w[1].process->pid == 20);
  CHECK(w[1].close_seq == 0);
  CHECK(t.WritersAround(Ms(2), Ms(100)).size() == 1);
}

TEST_CASE("writers through an inherited fd never close: only the newest few are kept") {
  PidWriterTracker t;
  for (int32_t pid = 1; pid <= 100; ++pid) t.OnModify(pid, Ms(pid), Proc(pid));
  const auto w = t.WritersAround(Ms(100), Ms(1000));
  CHECK(w.size() == 16);
  CHECK(w.back().process->pid == 100);
}

}  // namespace modrace
