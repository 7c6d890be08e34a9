// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/dot_config.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("a .config gives y, m, n, strings and not-set comments") {
  const DotConfig c = DotConfig::Parse(
      "#\n# Automatically generated file; DO NOT EDIT.\n#\n"
      "CONFIG_USB_NET_AX8817X=m\n"
      "CONFIG_NET=y\n"
      "# CONFIG_AX88796B_PHY is not set\n"
      "CONFIG_LOCALVERSION=\"-test\"\n"
      "CONFIG_NR_CPUS=64\r\n"
      "CONFIG_OLD=n\n"
      "garbage line\n");
  CHECK(c.Get("CONFIG_USB_NET_AX8817X") == Tristate::kModule);
  CHECK(c.Get("CONFIG_NET") == Tristate::kYes);
  CHECK(c.Get("CONFIG_AX88796B_PHY") == Tristate::kNo);
  CHECK(c.Mentions("CONFIG_AX88796B_PHY"));
  CHECK_FALSE(c.Mentions("CONFIG_NOT_THERE"));
  CHECK(c.Get("CONFIG_NOT_THERE") == Tristate::kNo);
  CHECK(c.Value("CONFIG_LOCALVERSION") == "\"-test\"");
  CHECK(c.Value("CONFIG_NR_CPUS") == "64");
  CHECK(c.Get("CONFIG_NR_CPUS") == Tristate::kNo);
  CHECK(c.Value("CONFIG_OLD") == "");
  CHECK(c.ignored_lines() == 1);
  CHECK(c.ModuleSymbols() == std::vector<std::string>{"CONFIG_USB_NET_AX8817X"});
}

TEST_CASE("a later assignment wins and empty content is an empty config") {
  CHECK(DotConfig::Parse("").size() == 0);
  const DotConfig c = DotConfig::Parse("CONFIG_A=m\n# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_B=m");
  CHECK(c.Get("CONFIG_A") == Tristate::kNo);
  CHECK(c.Get("CONFIG_B") == Tristate::kModule);
}

}  // namespace modrace
