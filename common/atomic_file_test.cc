// SPDX-License-Identifier: GPL-2.0-only
#include "common/atomic_file.h"

#include <dirent.h>

#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "common/test_tree.h"

namespace modrace {

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int Entries(const std::string& dir) {
  int n = 0;
  DIR* d = opendir(dir.c_str());
  while (struct dirent* de = readdir(d)) n += de->d_name[0] != '.';
  closedir(d);
  return n;
}

}  // namespace

TEST_CASE("the file is replaced whole and no temporary is left") {
  TestTree tree;
  std::string error;
  REQUIRE(WriteFileAtomically(tree.Abs("report.json"), "{\"a\":1}\n", &error));
  CHECK(Slurp(tree.Abs("report.json")) == "{\"a\":1}\n");
  REQUIRE(WriteFileAtomically(tree.Abs("report.json"), "{\"b\":2}\n", &error));
  CHECK(Slurp(tree.Abs("report.json")) == "{\"b\":2}\n");
  CHECK(Entries(tree.root()) == 1);
}

TEST_CASE("a missing directory is an error, not a crash") {
  std::string error;
  CHECK_FALSE(WriteFileAtomically("/nonexistent/dir/report.json", "x", &error));
  CHECK(error.find("/nonexistent/dir/report.json") != std::string::npos);
}

}  // namespace modrace
