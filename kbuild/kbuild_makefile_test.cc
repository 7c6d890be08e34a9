// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/kbuild_makefile.h"

#include <doctest/doctest.h>

namespace modrace {

namespace {

// A .config as an oracle: listed symbols have one value, the rest are n.
SymbolOracle Config(std::map<std::string, char> values) {
  return [values](std::string_view s) -> unsigned {
    auto it = values.find(std::string(s));
    if (it == values.end()) return kMayBeN;
    return it->second == 'm' ? kMayBeM : it->second == 'y' ? kMayBeY : kMayBeN;
  };
}

// Latent: every listed symbol may take the given set; the rest are n.
SymbolOracle Latent(std::map<std::string, unsigned> sets) {
  return [sets](std::string_view s) -> unsigned {
    auto it = sets.find(std::string(s));
    return it == sets.end() ? kMayBeN : it->second;
  };
}

constexpr unsigned kTristate = kMayBeN | kMayBeM | kMayBeY;
constexpr unsigned kBool = kMayBeN | kMayBeY;

// Joined with blanks so a failing CHECK prints both sides.
std::string Paths(const std::vector<KbuildEntry>& entries) {
  std::string out;
  for (const auto& e : entries) out += (out.empty() ? "" : " ") + e.path;
  return out;
}

std::string V(std::initializer_list<const char*> paths) {
  std::string out;
  for (const char* p : paths) out += (out.empty() ? "" : " ") + std::string(p);
  return out;
}

KbuildDirectory Eval(std::string_view text, SymbolOracle oracle, IncludeReader reader = nullptr,
                     std::string_view dir = "drivers/net") {
  return EvaluateKbuildDirectory(text, std::string(dir) + "/Makefile", dir, {{"ARCH", "x86"}},
                                 std::move(oracle), std::move(reader));
}


}  // namespace

TEST_CASE("obj-$(CONFIG_X) builds a module only when X is m") {
  const char* mk =
      "obj-$(CONFIG_ASIX) += asix.o\n"
      "obj-$(CONFIG_CORE) += core.o\n"
      "obj-m += always.o\n"
      "obj-y += builtin.o\n";
  const auto on = Eval(mk, Config({{"CONFIG_ASIX", 'm'}, {"CONFIG_CORE", 'y'}}));
  CHECK(Paths(on.modules) == V({"drivers/net/asix", "drivers/net/always"}));
  const auto off = Eval(mk, Config({{"CONFIG_CORE", 'm'}}));
  CHECK(Paths(off.modules) == V({"drivers/net/core", "drivers/net/always"}));
  REQUIRE(on.modules.size() == 2);
  CHECK(on.modules[0].origin.file == "drivers/net/Makefile");
  CHECK(on.modules[0].origin.line == 1);
  CHECK(on.modules[0].origin.text == "obj-$(CONFIG_ASIX) += asix.o");
}

TEST_CASE("latent: a tristate may make a module, a bool never does") {
  const char* mk =
      "obj-$(CONFIG_TRI) += tri.o\n"
      "obj-$(CONFIG_BOOL) += boo.o\n"
      "obj-$(CONFIG_UNDEFINED) += nowhere.o\n";
  const auto d =
      Eval(mk, Latent({{"CONFIG_TRI", kTristate}, {"CONFIG_BOOL", kBool}}));
  CHECK(Paths(d.modules) == V({"drivers/net/tri"}));
  CHECK_FALSE(d.modules[0].certain);
}

TEST_CASE("subdirectories in obj-y and obj-m are descended; others are not") {
  const char* mk =
      "obj-y += phy/\n"
      "obj-$(CONFIG_USB) += usb/\n"
      "obj-$(CONFIG_OFF) += off/\n"
      "obj-$(CONFIG_B) += ../common/ ./here/\n";
  const auto d = Eval(mk, Config({{"CONFIG_USB", 'm'}, {"CONFIG_B", 'y'}}));
  CHECK(Paths(d.subdirs) == V({"drivers/net/phy", "drivers/common", "drivers/net/here",
                              "drivers/net/usb"}));
  const auto top = Eval("obj-y += init/ arch/$(ARCH)/\n", Config({}), nullptr, "");
  CHECK(Paths(top.subdirs) == V({"init", "arch/x86"}));
}

TEST_CASE("composite parts are objects of a module, not modules") {
  const char* mk =
      "obj-$(CONFIG_BIG) += big.o\n"
      "big-y := main.o\n"
      "big-$(CONFIG_BIG_EXTRA) += extra.o\n"
      "big-objs += more.o\n"
      "obj-m += sub/part.o\n";
  const auto d = Eval(mk, Latent({{"CONFIG_BIG", kTristate}, {"CONFIG_BIG_EXTRA", kBool}}));
  CHECK(Paths(d.modules) == V({"drivers/net/big", "drivers/net/sub/part"}));
}

TEST_CASE("continuation lines, comments and every assignment flavour") {
  const char* mk =
      "# obj-m += commented.o\n"
      "obj-$(CONFIG_A) += a1.o \\\n"
      "\t\t   a2.o \\\n"
      "   a3.o  # trailing comment\n"
      "mods := m1.o\n"
      "later = $(late)\n"
      "late := m2.o\n"
      "obj-m += $(mods) $(later)\n"
      "mods := changed.o\n"
      "opt ?= m3.o\n"
      "opt ?= never.o\n"
      "obj-m += $(opt)\n"
      "export obj-m += exported.o\n"
      "override obj-m += overridden.o\n"
      "obj-m += $(addprefix pre-,x.o) $(patsubst %.c,%.o,y.c) $(filter-out skip.o,keep.o skip.o)\n"
      "obj-m += $(foreach f,f1 f2,$(f).o) $(if $(CONFIG_A),ifa.o,ifnota.o)\n"
      "define RECIPE\n"
      "obj-m += in-define.o\n"
      "endef\n"
      "$(obj)/gen.h: $(src)/gen.txt\n"
      "\tobj-m += recipe-line.o\n"
      "obj-m += $(obj-y:.o=-subst.o)\n";
  const auto d = Eval(mk, Config({{"CONFIG_A", 'm'}}));
  CHECK(Paths(d.modules) ==
        V({"drivers/net/a1", "drivers/net/a2", "drivers/net/a3", "drivers/net/m1",
          "drivers/net/m2", "drivers/net/m3", "drivers/net/exported", "drivers/net/overridden",
          "drivers/net/pre-x", "drivers/net/y", "drivers/net/keep", "drivers/net/f1",
          "drivers/net/f2", "drivers/net/ifa"}));
}

TEST_CASE("ifeq, ifneq, ifdef and ifndef blocks on config symbols") {
  const char* mk =
      "ifeq ($(CONFIG_X),y)\n"
      "obj-m += x-y.o\n"
      "else ifeq ($(CONFIG_X),m)\n"
      "obj-m += x-m.o\n"
      "else\n"
      "obj-m += x-n.o\n"
      "endif\n"
      "ifneq ($(CONFIG_Y),)\n"
      "obj-m += y-set.o\n"
      "endif\n"
      "ifdef CONFIG_Z\n"
      "  ifndef CONFIG_W\n"
      "obj-m += z-not-w.o\n"
      "  endif\n"
      "endif\n"
      "ifeq \"$(ARCH)\" \"x86\"\n"
      "obj-m += on-x86.o\n"
      "endif\n";
  CHECK(Paths(Eval(mk, Config({{"CONFIG_X", 'm'}})).modules) ==
        V({"drivers/net/x-m", "drivers/net/on-x86"}));
  CHECK(Paths(Eval(mk, Config({{"CONFIG_X", 'y'}, {"CONFIG_Y", 'm'}, {"CONFIG_Z", 'y'}}))
                  .modules) ==
        V({"drivers/net/x-y", "drivers/net/y-set", "drivers/net/z-not-w", "drivers/net/on-x86"}));
  CHECK(Paths(Eval(mk, Config({{"CONFIG_Z", 'y'}, {"CONFIG_W", 'y'}})).modules) ==
        V({"drivers/net/x-n", "drivers/net/on-x86"}));
  // Latent: an undecided condition enters every branch that may be taken.
  const auto latent = Eval(mk, Latent({{"CONFIG_X", kTristate}, {"CONFIG_Z", kBool}}));
  CHECK(Paths(latent.modules) == V({"drivers/net/x-y", "drivers/net/x-m", "drivers/net/x-n",
                                   "drivers/net/z-not-w", "drivers/net/on-x86"}));
  for (const auto& m : latent.modules) {
    CAPTURE(m.path);
    CHECK(m.certain == (m.path == "drivers/net/on-x86"));
  }
}

TEST_CASE("a built-in entry is not also a module") {
  const char* mk = "obj-y += both.o\nobj-m += both.o only.o\n";
  CHECK(Paths(Eval(mk, Config({})).modules) == V({"drivers/net/only"}));
  // When obj-y holds it only for some configs, it may still be a module.
  const char* mk2 = "obj-$(CONFIG_B) += both.o\nobj-m += both.o\n";
  CHECK(Paths(Eval(mk2, Latent({{"CONFIG_B", kBool}})).modules) == V({"drivers/net/both"}));
}

TEST_CASE("include reads through the reader; a missing one is a problem") {
  auto reader = [](std::string_view path) -> std::optional<std::string> {
    if (path == "./drivers/net/common.mk") return std::string("obj-m += included.o\n");
    return std::nullopt;
  };
  const auto d = Eval(
      "include $(srctree)/$(src)/common.mk\n-include optional.mk\ninclude missing.mk\n",
      Config({}), reader);
  CHECK(Paths(d.modules) == V({"drivers/net/included"}));
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0].find("missing.mk") != std::string::npos);
}

TEST_CASE("a Makefile's own CONFIG_ assignment overrides the config") {
  const char* mk = "CONFIG_OOT := m\nobj-$(CONFIG_OOT) += oot.o\n";
  CHECK(Paths(Eval(mk, Config({})).modules) == V({"drivers/net/oot"}));
}

TEST_CASE("shell and wildcard make a condition undecided, not false") {
  const char* mk =
      "ifeq ($(shell uname),Linux)\nobj-m += maybe.o\nendif\n"
      "ifneq ($(wildcard $(src)/x.c),)\nobj-m += wild.o\nendif\n";
  const auto d = Eval(mk, Config({}));
  CHECK(Paths(d.modules) == V({"drivers/net/maybe", "drivers/net/wild"}));
  CHECK_FALSE(d.modules[0].certain);
}

TEST_CASE("NormalizeTreePath") {
  CHECK(NormalizeTreePath("./a/b/../c//d/") == "a/c/d");
  CHECK(NormalizeTreePath("../x") == "../x");
  CHECK(NormalizeTreePath("") == "");
}

}  // namespace modrace
