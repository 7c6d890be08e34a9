// SPDX-License-Identifier: GPL-2.0-only
#include "common/strings.h"

#include <doctest/doctest.h>

namespace modrace {
namespace {

TEST_CASE("Trim drops blanks at both ends only") {
  CHECK(Trim(" \t\r\n a b \f\v\r\n") == "a b");
  CHECK(Trim("") == "");
  CHECK(Trim(" \t ") == "");
  CHECK(Trim("x") == "x");
}

TEST_CASE("StartsWith and EndsWith") {
  CHECK(StartsWith("CONFIG_FOO", "CONFIG_"));
  CHECK(StartsWith("abc", ""));
  CHECK_FALSE(StartsWith("CON", "CONFIG_"));
  CHECK(EndsWith("foo.ko", ".ko"));
  CHECK(EndsWith("ko", ""));
  CHECK_FALSE(EndsWith("ko", ".ko"));
  CHECK_FALSE(EndsWith("foo.ko.x", ".ko"));
}

}  // namespace
}  // namespace modrace
