// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/watch_table.h"

#include <algorithm>

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("watches map both ways and subtrees are one range") {
  WatchTable t;
  CHECK(t.Add(1, "", 1, 100) == WatchTable::AddResult::kNew);
  CHECK(t.Add(2, "a", 1, 101) == WatchTable::AddResult::kNew);
  CHECK(t.Add(3, "a/b", 1, 102) == WatchTable::AddResult::kNew);
  CHECK(t.Add(4, "ab", 1, 103) == WatchTable::AddResult::kNew);
  REQUIRE(t.PathOf(3) != nullptr);
  CHECK(*t.PathOf(3) == "a/b");
  CHECK(t.PathOf(9) == nullptr);
  std::vector<int> under = t.Under("a");
  std::sort(under.begin(), under.end());
  CHECK(under == std::vector<int>{2, 3});  // not "ab"
  CHECK(t.Under("").size() == 4);
  CHECK(t.Add(2, "a", 1, 101) == WatchTable::AddResult::kSame);
  CHECK(t.size() == 4);
}

TEST_CASE("a deleted directory's IN_IGNORED removes its watch") {
  WatchTable t;
  t.Add(1, "", 1, 100);
  t.Add(2, "gone", 1, 101);
  CHECK(t.Ignored(2));
  CHECK(t.PathOf(2) == nullptr);
  CHECK(t.Under("gone").empty());
  CHECK_FALSE(t.Ignored(2));  // a second one is harmless
}

TEST_CASE("our own rm_watch expects one IN_IGNORED") {
  WatchTable t;
  t.Add(5, "moved-away", 1, 101);
  t.Removed(5);
  CHECK(t.PathOf(5) == nullptr);
  // Same number handed out again before the IN_IGNORED was read.
  CHECK(t.Add(5, "fresh", 1, 202) == WatchTable::AddResult::kNew);
  CHECK_FALSE(t.Ignored(5));  // the echo of the removal
  REQUIRE(t.PathOf(5) != nullptr);
  CHECK(*t.PathOf(5) == "fresh");
  CHECK(t.Ignored(5));  // now a real one
}

TEST_CASE("wd reuse after the kernel freed a watch keeps the new mapping") {
  WatchTable t;
  t.Add(7, "old", 1, 300);
  // "old" was deleted; before its IN_IGNORED is read, wd 7 comes back for a
  // different inode.
  CHECK(t.Add(7, "new", 1, 301) == WatchTable::AddResult::kReused);
  CHECK_FALSE(t.Ignored(7));
  REQUIRE(t.PathOf(7) != nullptr);
  CHECK(*t.PathOf(7) == "new");
  CHECK(t.Under("old").empty());
}

TEST_CASE("the same inode under a new path is a move") {
  WatchTable t;
  t.Add(3, "x", 1, 400);
  CHECK(t.Add(3, "y", 1, 400) == WatchTable::AddResult::kMoved);
  CHECK(*t.PathOf(3) == "y");
  CHECK(t.Under("x").empty());
}

TEST_CASE("a sweep finds watches whose directories a rescan did not meet") {
  WatchTable t;
  t.Add(1, "", 1, 1);
  t.Add(2, "kept", 1, 2);
  t.Add(3, "vanished", 1, 3);
  t.BeginSweep();
  t.Add(1, "", 1, 1);
  t.Add(2, "kept", 1, 2);
  CHECK(t.EndSweep() == std::vector<int>{3});
}

TEST_CASE("a replaced directory at one path drops the stale wd") {
  WatchTable t;
  t.Add(1, "d", 1, 10);
  t.Add(2, "d", 1, 11);  // rm -r d; mkdir d, IN_IGNORED for 1 not read yet
  CHECK(t.PathOf(1) == nullptr);
  CHECK(*t.PathOf(2) == "d");
  CHECK_FALSE(t.Ignored(1));  // unknown by now: nothing to remove
  CHECK(*t.PathOf(2) == "d");
}

}  // namespace modrace
