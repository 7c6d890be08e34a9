// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/module_index.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("two paths claiming one name are both listed") {
  ModuleIndex idx;
  CHECK(idx.Claim("drivers/net/phy/asix", "drivers/net/phy/asix.ko") == "asix");
  idx.Claim("drivers/net/usb/asix", "drivers/net/usb/asix.mod");
  CHECK(idx.PathsOf("asix").size() == 2);
  CHECK(idx.module_paths() == 2);
}

TEST_CASE("one path with several sources is one module") {
  ModuleIndex idx;
  idx.Claim("a/foo", "a/foo.mod");
  idx.Claim("a/foo", "a/foo.ko");
  idx.Claim("a/foo", "modules.order");
  CHECK(idx.PathsOf("foo").size() == 1);
  idx.WithdrawSource("a/foo.ko");
  CHECK(idx.PathsOf("foo").size() == 1);
  idx.WithdrawSource("a/foo.mod");
  idx.WithdrawSource("modules.order");
  CHECK(idx.PathsOf("foo").empty());
}

TEST_CASE("'-' and '_' name the same module") {
  ModuleIndex idx;
  CHECK(idx.Claim("a/foo-bar", "a/foo-bar.ko") == "foo_bar");
  idx.Claim("b/foo_bar", "b/foo_bar.ko");
  CHECK(idx.PathsOf("foo_bar").size() == 2);
}

TEST_CASE("removing a directory withdraws the claims of the sources under it") {
  ModuleIndex idx;
  idx.Claim("a/foo", "a/foo.ko");
  idx.Claim("ab/foo", "ab/foo.ko");
  idx.WithdrawSourcesUnder("a");
  CHECK(idx.PathsOf("foo") == std::vector<std::string>{"ab/foo"});
}

}  // namespace modrace
