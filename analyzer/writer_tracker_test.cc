// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/writer_tracker.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("two writers whose handles overlap: the second close is certain") {
  WriterTracker t;
  t.OnOpen(1);
  t.OnOpen(2);
  CHECK(t.OnClose(3, true).overlap == Overlap::kNone);
  const CloseVerdict v = t.OnClose(4, true);
  CHECK(v.overlap == Overlap::kCertain);
  CHECK(v.previous_close_seq == 3);
}

TEST_CASE("sequential writers do not overlap") {
  WriterTracker t;
  t.OnOpen(1);
  CHECK(t.OnClose(2, true).overlap == Overlap::kNone);
  t.OnOpen(3);
  CHECK(t.OnClose(4, true).overlap == Overlap::kNone);
  CHECK(t.live() == 0);
}

TEST_CASE("a reader overlapping one writer is not a race") {
  WriterTracker t;
  t.OnOpen(1);  // writer
  t.OnOpen(2);  // reader
  CHECK(t.OnClose(3, false).overlap == Overlap::kNone);
  CHECK(t.OnClose(4, true).overlap == Overlap::kNone);
}

TEST_CASE("a reader spanning a writer's close, then a second sequential writer: no race") {
  WriterTracker t;
  t.OnOpen(1);  // reader R
  t.OnOpen(2);  // writer W1
  CHECK(t.OnClose(3, true).overlap == Overlap::kNone);  // W1 closes
  t.OnOpen(4);                                          // writer W2
  CHECK(t.OnClose(5, false).overlap == Overlap::kNone);  // R closes
  CHECK(t.OnClose(6, true).overlap == Overlap::kNone);   // W2 closes
}

TEST_CASE("two opens merged into one IN_OPEN, then two close-writes: certain") {
  WriterTracker t;
  t.OnOpen(1);  // the kernel merged the second identical IN_OPEN into this one
  CHECK(t.OnClose(2, true).overlap == Overlap::kNone);
  const CloseVerdict v = t.OnClose(3, true);
  CHECK(v.merged_open);
  CHECK(v.overlap == Overlap::kCertain);
}

TEST_CASE("a close whose open preceded the watch proves nothing alone") {
  WriterTracker t;
  const CloseVerdict v = t.OnClose(5, true);
  CHECK(v.merged_open);
  CHECK(v.overlap == Overlap::kNone);
}

TEST_CASE("three overlapping writers with an open between closes") {
  WriterTracker t;
  t.OnOpen(1);  // W1
  t.OnOpen(2);  // W2
  CHECK(t.OnClose(3, true).overlap == Overlap::kNone);    // W1
  t.OnOpen(4);                                            // W3
  CHECK(t.OnClose(5, true).overlap == Overlap::kLikely);  // W2 or W3: ambiguous
  CHECK(t.OnClose(6, true).overlap == Overlap::kCertain);
}

}  // namespace modrace
