// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/modules_order.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("modules.order lines become module paths") {
  const ModulesOrder o =
      ParseModulesOrder("drivers/net/phy/asix.ko\nkernel/drivers/net/usb/asix.ko\n", "",
                        "modules.order");
  CHECK(o.modules == std::vector<std::string>{"drivers/net/phy/asix", "drivers/net/usb/asix"});
  CHECK(o.duplicates.empty());
  CHECK_FALSE(o.problems.Torn());
}

TEST_CASE("a path listed twice is a duplicate, not a second module") {
  const ModulesOrder o = ParseModulesOrder("sub/x.ko\nsub/x.ko\nsub/x.ko\n", "", "modules.order");
  CHECK(o.modules == std::vector<std::string>{"sub/x"});
  CHECK(o.duplicates == std::vector<std::string>{"sub/x"});
}

TEST_CASE("absolute M= paths under the root become relative") {
  const ModulesOrder o = ParseModulesOrder("/build/ext/a/foo.o\n/build/ext/b/foo.o\n", "/build/ext",
                                            "a/modules.order");
  CHECK(o.modules == std::vector<std::string>{"a/foo", "b/foo"});
}

TEST_CASE("garbage lines and NUL holes are problems, not crashes") {
  const ModulesOrder o =
      ParseModulesOrder(std::string("a/x.ko\n\0\0\0\nnot a module\n", 24), "", "modules.order");
  CHECK(o.modules == std::vector<std::string>{"a/x"});
  CHECK(o.problems.Torn());
  CHECK(o.bad_lines.size() == 2);
}

TEST_CASE("lines are relative to the top of the build, wherever the watched root is") {
  // The top file of a tree watched from its parent.
  CHECK(ParseModulesOrder("drivers/net/phy/asix.ko\nfs/fat/vfat.ko\n", "", "linux/modules.order")
            .modules == std::vector<std::string>{"linux/drivers/net/phy/asix", "linux/fs/fat/vfat"});
  // A per-directory file (6.1 and 4.x): the top is above it.
  CHECK(ParseModulesOrder("drivers/net/phy/asix.o\n", "", "linux/drivers/net/phy/modules.order")
            .modules == std::vector<std::string>{"linux/drivers/net/phy/asix"});
  CHECK(ParseModulesOrder("kernel/drivers/net/phy/asix.ko\nkernel/drivers/net/usb/asix.ko\n", "",
                          "linux/drivers/net/modules.order")
            .modules ==
        std::vector<std::string>{"linux/drivers/net/phy/asix", "linux/drivers/net/usb/asix"});
  // Watched from the tree itself, per-directory and top alike.
  CHECK(ParseModulesOrder("drivers/net/phy/asix.o\n", "", "drivers/net/phy/modules.order")
            .modules == std::vector<std::string>{"drivers/net/phy/asix"});
  CHECK(ParseModulesOrder("drivers/net/phy/asix.o\n", "", "modules.order").modules ==
        std::vector<std::string>{"drivers/net/phy/asix"});
  // A directory of the watched tree that is named like a module directory.
  CHECK(ParseModulesOrder("net/x.ko\nfs/y.ko\n", "", "out/net/modules.order").modules ==
        std::vector<std::string>{"out/net/net/x", "out/net/fs/y"});
  // Absolute M= lines ignore the anchor.
  CHECK(ParseModulesOrder("/w/ext/a/foo.o\n", "/w", "ext/a/modules.order").modules ==
        std::vector<std::string>{"ext/a/foo"});
}

TEST_CASE("6.12 lists objects, not .ko files (real lines of linux-source-6.12)") {
  // The top file and fs/nls's, watched from the tree (docs/kbuild.md, A 6.12
  // module build).
  CHECK(ParseModulesOrder("fs/configfs/configfs.o\nfs/nls/nls_base.o\nfs/nls/nls_cp437.o\n", "",
                          "modules.order")
            .modules == std::vector<std::string>{"fs/configfs/configfs", "fs/nls/nls_base",
                                                 "fs/nls/nls_cp437"});
  CHECK(ParseModulesOrder("fs/nls/nls_base.o\nfs/nls/nls_cp437.o\nfs/nls/nls_cp737.o\n", "",
                          "linux-source-6.12/fs/nls/modules.order")
            .modules == std::vector<std::string>{"linux-source-6.12/fs/nls/nls_base",
                                                 "linux-source-6.12/fs/nls/nls_cp437",
                                                 "linux-source-6.12/fs/nls/nls_cp737"});
  // fs/modules.order with `obj-m += nls/nls_utf8.o` beside `nls/`: fs/nls's
  // lines, then the object again.
  const ModulesOrder twice = ParseModulesOrder(
      "fs/nls/nls_base.o\nfs/nls/nls_utf8.o\nfs/nls/nls_utf8.o\n", "", "fs/modules.order");
  CHECK(twice.modules == std::vector<std::string>{"fs/nls/nls_base", "fs/nls/nls_utf8"});
  CHECK(twice.duplicates == std::vector<std::string>{"fs/nls/nls_utf8"});
  CHECK_FALSE(twice.problems.Torn());
}

}  // namespace modrace
