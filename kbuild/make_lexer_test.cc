// SPDX-License-Identifier: GPL-2.0-only
// Logical lines: continuation, comments, recipes and define ... endef.

#include <doctest/doctest.h>

#include "kbuild/make_test_util.h"

namespace modrace {

TEST_CASE("define bodies are not read as statements, nested define and endif included") {
  const char* mk =
      "ifeq ($(ARCH),x86)\n"
      "define body\n"
      "endif\n"
      "define inner\n"
      "obj-m += inner.o\n"
      "endef\n"
      "obj-m += in-body.o\n"
      "endef\n"
      "obj-m += still-x86.o\n"
      "else\n"
      "obj-m += not-x86.o\n"
      "endif\n"
      "ifeq (a,b)\n"
      "define skipped\n"
      "x\n"
      "endef\n"
      "endif\n"
      "define two :=\n"
      "$(1)-a.o \\\n"
      "  $(1)-b.o\n"
      "endef\n"
      "obj-m += $(if $(skipped),skipped.o) $(call two,t)\n"
      "lines := $(words $(body))\n";
  const KbuildDirectory d = EvaluateKbuildDirectory(
      mk, "d/Makefile", "d", {{"ARCH", "x86"}}, [](std::string_view) { return kMayBeN; }, nullptr);
  std::string paths;
  for (const auto& m : d.modules) paths += (paths.empty() ? "" : " ") + m.path;
  CHECK(paths == "d/still-x86 d/t-a d/t-b");
  CHECK(d.problems.empty());
  CHECK(MakeWords(std::string("ARCH := x86\n") + mk, "lines") == "10");
}

TEST_CASE("an unterminated define and a missing endif end the file quietly or with a problem") {
  CHECK(MakeWords("define open\nobj-m += x.o\n", "obj-m") == "");
  CHECK(MakeWords("x := 1\ndefine open\nx := 2\n", "x") == "1");
  const KbuildDirectory d = EvaluateKbuildDirectory(
      "ifeq (a,a)\nobj-m += a.o\n", "d/Makefile", "d", {}, [](std::string_view) { return kMayBeN; },
      nullptr);
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0] == "d/Makefile: missing endif");
  REQUIRE(d.modules.size() == 1);
}

TEST_CASE("continuation lines join into one, comments end a line, recipes are skipped") {
  CHECK(MakeWords("x := a \\\n   b\\\n\tc\n", "x") == "a b c");
  CHECK(MakeWords("x := a \\\\\ny := b\n", "x") == "a \\\\");
  CHECK(MakeWords("x := a \\# b # c\n", "x") == "a \\# b");
  CHECK(MakeWords("x := a\r\ny := b\\\r\n c\r\n", "y") == "b c");
  CHECK(MakeWords("x := a\nt: dep\n\tx := recipe\nx += b\n", "x") == "a b");
  CHECK(MakeWords("\tx := not-a-recipe\n", "x") == "not-a-recipe");
  CHECK(MakeWords("x := last \\", "x") == "last \\");
  CHECK(MakeWords("x := a \\\n", "x") == "a");
}

}  // namespace modrace
