// SPDX-License-Identifier: GPL-2.0-only
#include "common/file_kind.h"

#include <unistd.h>

#include <cstdlib>
#include <string>

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("file kinds follow symlinks; RealPath resolves them") {
  char tmpl[] = "/tmp/modrace-file-kind-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const std::string dir = RealPath(tmpl);
  REQUIRE(!dir.empty());
  const std::string file = dir + "/f";
  REQUIRE(system(("echo x > " + file + " && ln -s f " + dir + "/link && ln -s . " + dir +
                  "/self").c_str()) == 0);
  CHECK(IsRegularFile(file));
  CHECK(IsRegularFile(dir + "/link"));
  CHECK_FALSE(IsDirectory(file));
  CHECK(IsDirectory(dir + "/self"));
  CHECK_FALSE(IsRegularFile(dir + "/missing"));
  CHECK(RealPath(dir + "/link") == file);
  CHECK(RealPath(dir + "/self/./f") == file);
  CHECK(RealPath(dir + "/missing") == "");
  REQUIRE(system(("rm -rf " + dir).c_str()) == 0);
}

}  // namespace modrace
