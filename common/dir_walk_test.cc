// SPDX-License-Identifier: GPL-2.0-only
#include "common/dir_walk.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>

#include <doctest/doctest.h>

#include "common/test_tree.h"

namespace modrace {
namespace {

TEST_CASE("WalkTree lists everything below, never through a symlink") {
  TestTree t;
  t.Write("a/b/c.o", "x");
  t.Write("a/d.ko", "y");
  t.Mkdir("outside/deep");
  REQUIRE(symlink(t.Abs("outside").c_str(), t.Abs("a/link").c_str()) == 0);
  std::map<std::string, WalkType> seen;
  const size_t failed = WalkTree(t.root(), "a", [&](const std::string& rel, WalkType type) {
    seen[rel] = type;
  });
  CHECK(failed == 0);
  CHECK(seen == std::map<std::string, WalkType>{{"a/b", WalkType::kDir},
                                                {"a/b/c.o", WalkType::kFile},
                                                {"a/d.ko", WalkType::kFile},
                                                {"a/link", WalkType::kOther}});
}

TEST_CASE("OpenDirNoFollow refuses a symlink; a vanished start is not a failure") {
  TestTree t;
  t.Mkdir("real");
  REQUIRE(symlink(t.Abs("real").c_str(), t.Abs("link").c_str()) == 0);
  CHECK(OpenDirNoFollow(t.Abs("link")) == -1);
  CHECK((errno == ENOTDIR || errno == ELOOP));  // Linux says ENOTDIR
  size_t visits = 0;
  CHECK(WalkTree(t.root(), "link", [&](const std::string&, WalkType) { ++visits; }) == 0);
  CHECK(WalkTree(t.root(), "gone", [&](const std::string&, WalkType) { ++visits; }) == 0);
  CHECK(visits == 0);
}

TEST_CASE("ListDir names one directory's entries and closes its fd") {
  TestTree t;
  t.Write("f", "");
  t.Mkdir("d");
  const int dfd = OpenDirNoFollow(t.root());
  REQUIRE(dfd >= 0);
  std::map<std::string, WalkType> seen;
  CHECK(ListDir(dfd, [&](const char* name, WalkType type) { seen[name] = type; }));
  CHECK(seen == std::map<std::string, WalkType>{{"d", WalkType::kDir}, {"f", WalkType::kFile}});
  CHECK(close(dfd) == -1);  // already closed by ListDir
}

}  // namespace
}  // namespace modrace
