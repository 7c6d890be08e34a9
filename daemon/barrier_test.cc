// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/barrier.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "common/test_tree.h"

namespace modrace {

namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

FsEvent MarkerEvent(EventKind kind, const std::string& name) {
  FsEvent e;
  e.kind = kind;
  e.path = name;
  return e;
}

std::string OnlyMarker(const TestTree& tree, int n) {
  return std::string(kBarrierPrefix) + std::to_string(getpid()) + "-" + std::to_string(n);
  (void)tree;
}

}  // namespace

TEST_CASE("markers are told apart from build files") {
  CHECK(IsBarrierMarker(".modrace-barrier-12-3"));
  CHECK_FALSE(IsBarrierMarker("sub/.modrace-barrier-12-3"));
  CHECK_FALSE(IsBarrierMarker(".modrace-barrier-"));
  CHECK_FALSE(IsBarrierMarker("asix.mod"));
}

TEST_CASE("a barrier completes on its marker's close-write and removes the marker") {
  TestTree tree;
  Barriers b(tree.root());
  std::vector<std::string> results;
  std::string error;
  REQUIRE(b.Start(1000, [&](bool ok, const std::string& e) { results.push_back(ok ? "ok" : e); },
                  &error));
  const std::string name = OnlyMarker(tree, 1);
  CHECK(Exists(tree.Abs(name)));
  CHECK(b.pending() == 1);
  b.OnMarkerEvent(MarkerEvent(EventKind::kCreate, name));
  b.OnMarkerEvent(MarkerEvent(EventKind::kOpen, name));
  CHECK(results.empty());
  b.OnMarkerEvent(MarkerEvent(EventKind::kCloseWrite, name));
  CHECK(results == std::vector<std::string>{"ok"});
  CHECK_FALSE(Exists(tree.Abs(name)));
  CHECK(b.pending() == 0);
}

TEST_CASE("with two sources a barrier waits for the marker's close-write from both") {
  TestTree tree;
  Barriers b(tree.root());
  b.set_two_sources(true);
  std::vector<std::string> results;
  std::string error;
  REQUIRE(b.Start(1000, [&](bool ok, const std::string& e) { results.push_back(ok ? "ok" : e); },
                  &error));
  const std::string name = OnlyMarker(tree, 1);
  FsEvent names = MarkerEvent(EventKind::kCloseWrite, name);
  names.names_only = true;
  b.OnMarkerEvent(names);
  b.OnMarkerEvent(names);  // twice from one side is still one side
  CHECK(results.empty());
  b.OnMarkerEvent(MarkerEvent(EventKind::kCloseWrite, name));
  CHECK(results == std::vector<std::string>{"ok"});
  CHECK(b.pending() == 0);
}

TEST_CASE("a rescan completes every pending barrier; deadlines fail them") {
  TestTree tree;
  Barriers b(tree.root());
  int ok = 0, failed = 0;
  auto count = [&](bool good, const std::string&) { good ? ++ok : ++failed; };
  std::string error;
  REQUIRE(b.Start(100, count, &error));
  REQUIRE(b.Start(100, count, &error));
  b.OnRescanDone();
  CHECK(ok == 2);
  REQUIRE(b.Start(100, count, &error));
  REQUIRE(b.Start(500, count, &error));
  b.Expire(200);
  CHECK(failed == 1);
  CHECK(b.pending() == 1);
  b.FailAll("bye");
  CHECK(failed == 2);
}

TEST_CASE("no marker can be made in a missing root: an error, no callback") {
  Barriers b("/nonexistent/modrace-root");
  bool called = false;
  std::string error;
  CHECK_FALSE(b.Start(100, [&](bool, const std::string&) { called = true; }, &error));
  CHECK(error.find("barrier") != std::string::npos);
  CHECK_FALSE(called);
}

}  // namespace modrace
