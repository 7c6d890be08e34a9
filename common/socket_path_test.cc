// SPDX-License-Identifier: GPL-2.0-only
#include "common/socket_path.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include "common/test_tree.h"

namespace modrace {

TEST_CASE("the socket dir follows XDG_RUNTIME_DIR, else /tmp/modrace-UID") {
  const char* saved = getenv("XDG_RUNTIME_DIR");
  const std::string keep = saved ? saved : "";
  setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
  CHECK(SocketDir() == "/run/user/1000/modrace");
  setenv("XDG_RUNTIME_DIR", "relative", 1);
  CHECK(SocketDir() == "/tmp/modrace-" + std::to_string(getuid()));
  unsetenv("XDG_RUNTIME_DIR");
  CHECK(SocketDir() == "/tmp/modrace-" + std::to_string(getuid()));
  if (saved) setenv("XDG_RUNTIME_DIR", keep.c_str(), 1);
}

TEST_CASE("every spelling of a tree gives one socket path") {
  TestTree tree;
  tree.Mkdir("sub");
  std::string a, b, c, error;
  REQUIRE(SocketPathForTree(tree.root(), &a, &error));
  REQUIRE(SocketPathForTree(tree.root() + "/sub/..", &b, &error));
  REQUIRE(symlink(tree.root().c_str(), tree.Abs("sub/link").c_str()) == 0);
  REQUIRE(SocketPathForTree(tree.Abs("sub/link"), &c, &error));
  CHECK(a == b);
  CHECK(a == c);
  CHECK(a.size() > 5);
  CHECK(a.substr(a.size() - 5) == ".sock");
  std::string other;
  REQUIRE(SocketPathForTree(tree.Abs("sub"), &other, &error));
  CHECK(other != a);
  CHECK_FALSE(SocketPathForTree(tree.Abs("missing"), &other, &error));
  CHECK(error.find("missing") != std::string::npos);
}

TEST_CASE("the private dir is created 0700, fixed when open, refused when a symlink") {
  TestTree tree;
  std::string error;
  const std::string dir = tree.Abs("sockets");
  REQUIRE(EnsurePrivateDir(dir, &error));
  struct stat st;
  REQUIRE(stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  chmod(dir.c_str(), 0755);
  REQUIRE(EnsurePrivateDir(dir, &error));
  REQUIRE(stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(symlink(dir.c_str(), tree.Abs("trap").c_str()) == 0);
  CHECK_FALSE(EnsurePrivateDir(tree.Abs("trap"), &error));
  CHECK(SocketPathFits("/tmp/modrace-0/1.2-3.sock"));
  CHECK_FALSE(SocketPathFits(std::string(200, 'x')));
}

}  // namespace modrace
