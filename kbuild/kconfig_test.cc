// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/kconfig.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("Kconfig entries give bool and tristate types; help text is skipped") {
  const KconfigFile f = ParseKconfig(
      "# SPDX\n"
      "menu \"USB\"\n"
      "config USB_NET_AX8817X\n"
      "\ttristate \"ASIX AX88xxx\"\n"
      "\tdepends on USB_USBNET\n"
      "\thelp\n"
      "\t  This option adds support for ASIX based adapters.\n"
      "\n"
      "\t  bool words inside help text are not types\n"
      "config AX_DEBUG\n"
      "\tbool \"Debug\"\n"
      "menuconfig NET_VENDOR_ASIX\n"
      "\tdef_bool y\n"
      "config AX_NAME\n"
      "\tstring\n"
      "config AX_COUNT\n"
      "\tint \"count\"\n"
      "config AX_TYPELESS\n"
      "\tdefault y\n"
      "endmenu\n"
      "source \"drivers/net/phy/Kconfig\"\n"
      "osource \"arch/$(SRCARCH)/Kconfig.ext\"\n"
      "rsource \"Kconfig.sub\"\n");
  REQUIRE(f.symbols.size() == 6);
  CHECK(f.symbols[0].name == "CONFIG_USB_NET_AX8817X");
  CHECK(f.symbols[0].type == SymbolType::kTristate);
  CHECK(f.symbols[1].name == "CONFIG_AX_DEBUG");
  CHECK(f.symbols[1].type == SymbolType::kBool);
  CHECK(f.symbols[2].type == SymbolType::kBool);
  CHECK(f.symbols[3].type == SymbolType::kString);
  CHECK(f.symbols[4].type == SymbolType::kInt);
  CHECK(f.symbols[5].type == SymbolType::kUnknown);
  REQUIRE(f.sources.size() == 3);
  CHECK(f.sources[0].path == "drivers/net/phy/Kconfig");
  CHECK_FALSE(f.sources[0].optional);
  CHECK(f.sources[1].optional);
  CHECK(f.sources[2].relative);
  CHECK(ExpandKconfigPath(f.sources[1].path, {{"SRCARCH", "x86"}}) ==
        std::optional<std::string>("arch/x86/Kconfig.ext"));
  CHECK_FALSE(ExpandKconfigPath(f.sources[1].path, {}).has_value());
}

TEST_CASE("members of a bool choice cannot be modules; of a tristate choice they can") {
  const KconfigFile f = ParseKconfig(
      "choice\n"
      "\tprompt \"Pick one\"\n"
      "config PICK_A\n"
      "\ttristate \"A\"\n"
      "config PICK_B\n"
      "\tbool \"B\"\n"
      "endchoice\n"
      "choice\n"
      "\ttristate \"Pick modules\"\n"
      "config MOD_A\n"
      "\ttristate \"A\"\n"
      "endchoice\n"
      "config AFTER\n"
      "\ttristate \"after\"\n");
  REQUIRE(f.symbols.size() == 4);
  // The first member gives the choice its type: tristate here.
  CHECK(f.symbols[0].type == SymbolType::kTristate);
  CHECK(f.symbols[1].type == SymbolType::kBool);
  CHECK(f.symbols[2].type == SymbolType::kTristate);
  CHECK(f.symbols[3].type == SymbolType::kTristate);

  const KconfigFile g = ParseKconfig(
      "choice\n\tprompt \"x\"\n\tdefault Q_A\nconfig Q_B\n\tbool \"B\"\nconfig Q_A\n"
      "\ttristate \"A\"\nendchoice\n");
  REQUIRE(g.symbols.size() == 2);
  CHECK(g.symbols[1].type == SymbolType::kBool);
}

TEST_CASE("a symbol typed in one file and extended in another keeps its type") {
  KconfigSymbols all;
  all.Add(ParseKconfig("config FOO\n\tdefault m if BAR\n"));
  all.Add(ParseKconfig("config FOO\n\ttristate \"foo\"\nconfig BAZ\n\tbool\n"));
  all.Add(ParseKconfig("config BAZ\n\ttristate\n"));
  CHECK(all.TypeOf("CONFIG_FOO") == SymbolType::kTristate);
  CHECK(all.TypeOf("CONFIG_BAZ") == SymbolType::kTristate);
  CHECK(all.TypeOf("CONFIG_NONE") == SymbolType::kUnknown);
  CHECK(all.Defines("CONFIG_FOO"));
  CHECK(SymbolTypeName(SymbolType::kBool) == "bool");
}

TEST_CASE("a symbol that depends on one the tree never defines cannot be enabled") {
  KconfigSymbols syms;
  syms.Add(ParseKconfig(
      "config ADI\n\ttristate \"SPARC Privileged ADI driver\"\n\tdepends on SPARC64\n"
      "config EITHER\n\ttristate \"e\"\n\tdepends on SPARC64 || COMPILE_TEST\n"
      "config NOT\n\ttristate \"n\"\n\tdepends on !SPARC64\n"
      "config BOTH\n\ttristate \"b\"\n\tdepends on PCI && (X86 && m) # a comment\n"
      "config MISSING_PCI\n\ttristate \"p\"\n\tdepends on X86\n\tdepends on PCI && NO_SUCH\n"
      "config TWICE\n\ttristate \"t\"\n\tdepends on SPARC64\n"));
  syms.Add(ParseKconfig(
      "config X86\n\tdef_bool y\nconfig PCI\n\tbool \"pci\"\n"
      "config TWICE\n\ttristate\n"));
  CHECK(syms.Unreachable("CONFIG_ADI"));
  CHECK(syms.Unreachable("CONFIG_MISSING_PCI"));
  CHECK_FALSE(syms.Unreachable("CONFIG_EITHER"));
  CHECK_FALSE(syms.Unreachable("CONFIG_NOT"));
  CHECK_FALSE(syms.Unreachable("CONFIG_BOTH"));
  CHECK_FALSE(syms.Unreachable("CONFIG_TWICE"));  // its other entry needs nothing
  CHECK_FALSE(syms.Unreachable("CONFIG_NEVER_DEFINED"));
  CHECK(syms.TypeOf("CONFIG_ADI") == SymbolType::kTristate);
  // With sparc's Kconfig read, ADI may be built.
  syms.Add(ParseKconfig("config SPARC64\n\tdef_bool y\n"));
  CHECK_FALSE(syms.Unreachable("CONFIG_ADI"));
}

}  // namespace modrace
