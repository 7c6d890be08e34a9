#include "analyzer/modules_order.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("modules.order lines become module paths") {
  const ModulesOrder o =
      ParseModulesOrder("drivers/net/phy/asix.ko\nkernel/drivers/net/usb/asix.ko\n", "");
  CHECK(o.modules == std::vector<std::string>{"drivers/net/phy/asix", "drivers/net/usb/asix"});
  CHECK(o.duplicates.empty());
  CHECK_FALSE(o.problems.Torn());
}

TEST_CASE("a path listed twice is a duplicate, not a second module") {
  const ModulesOrder o = ParseModulesOrder("sub/x.ko\nsub/x.ko\nsub/x.ko\n", "");
  CHECK(o.modules == std::vector<std::string>{"sub/x"});
  CHECK(o.duplicates == std::vector<std::string>{"sub/x"});
}

TEST_CASE("absolute M= paths under the root become relative") {
  const ModulesOrder o = ParseModulesOrder("/build/ext/a/foo.o\n/build/ext/b/foo.o\n", "/build/ext");
  CHECK(o.modules == std::vector<std::string>{"a/foo", "b/foo"});
}

TEST_CASE("garbage lines and NUL holes are problems, not crashes") {
  const ModulesOrder o =
      ParseModulesOrder(std::string("a/x.ko\n\0\0\0\nnot a module\n", 24), "");
  CHECK(o.modules == std::vector<std::string>{"a/x"});
  CHECK(o.problems.Torn());
  CHECK(o.bad_lines.size() == 2);
}

}  // namespace modrace
