// SPDX-License-Identifier: GPL-2.0-only
#include "common/plural.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("counts read as English") {
  CHECK(Counted(1, "directory", "directories") == "1 directory");
  CHECK(Counted(2, "directory", "directories") == "2 directories");
  CHECK(Counted(0, "artifact", "artifacts") == "0 artifacts");
  CHECK(Times(0) == "never");
  CHECK(Times(1) == "once");
  CHECK(Times(2) == "twice");
  CHECK(Times(3) == "3 times");
}

}  // namespace modrace
