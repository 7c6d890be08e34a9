// SPDX-License-Identifier: GPL-2.0-only
// Every make function the evaluator knows, through the public API.

#include <doctest/doctest.h>

#include "kbuild/make_test_util.h"

namespace modrace {

namespace {

struct Case {
  const char* expression;
  const char* words;
};

// Definitions the cases below refer to.
constexpr const char* kDefinitions =
    "rec = $(late)\n"
    "simple := s\n"
    "swap = $(2)-$(1)\n"
    "list := a.c b.c d.h\n";

template <size_t N>
void CheckCases(const Case (&cases)[N]) {
  for (const Case& c : cases) {
    CAPTURE(c.expression);
    CHECK(MakeWords(std::string(kDefinitions) + "out := " + c.expression + "\n", "out") == c.words);
  }
}

}  // namespace

TEST_CASE("text and word functions") {
  const Case cases[] = {
      {"$(addprefix p-,a b)", "p-a p-b"},
      {"$(addsuffix .o,a b)", "a.o b.o"},
      {"$(patsubst %.c,%.o,a.c b.h)", "a.o b.h"},
      {"$(patsubst  %.c , %.o ,a.c)", "a.o"},
      {"$(subst ee,EE,feet free)", "fEEt frEE"},
      {"$(subst ,x,abc)", "abc"},
      {"$(filter %.o a,a.o b.c a)", "a.o a"},
      {"$(filter-out %.o,a.o b.c)", "b.c"},
      {"$(sort b a c a)", "a b c"},
      {"$(strip  a   b )", "a b"},
      {"$(findstring b,abc)-$(findstring z,abc)-", "b--"},
      {"$(words a b c) $(words )", "3 0"},
      {"$(firstword a b c) $(lastword a b c) $(firstword )", "a c"},
      {"$(word 2,a b c) $(word 9,a b) $(word 0,a)", "b"},
      {"$(notdir d/a.c b)", "a.c b"},
      {"$(dir d/a.c b)", "d/ ./"},
      {"$(basename d.x/a.c d.x/b)", "d.x/a d.x/b"},
      {"$(suffix a.c d.x/b)", ".c"},
      {"$(abspath a/b) $(realpath c)", "a/b c"},
      {"$(list:.c=.o)", "a.o b.o d.h"},
      {"$(list:%.c=x/%.s)", "x/a.s x/b.s d.h"},
      {"$(addprefix p-)", ""},
      {"$(no such function)", ""},
  };
  CheckCases(cases);
}

TEST_CASE("control and variable functions") {
  const Case cases[] = {
      {"$(if ,yes,no) $(if x,yes,no) $(if x,yes) $(if ,yes)", "no yes"},
      {"$(if  ,yes,no)", "no"},
      {"$(or ,,b,c) $(or ,)", "b"},
      {"$(and a,b) $(and a,,c)", "b"},
      {"$(foreach w,1 2,<$(w)>)", "<1> <2>"},
      {"$(call swap,1,2)", "2-1"},
      {"$(call simple,1)", "s"},
      {"$(call nowhere,1)", ""},
      {"$(value rec) $(value nope)", "$(late)"},
      {"$(origin rec) $(origin nope)", "file undefined"},
      {"$(flavor rec) $(flavor simple) $(flavor nope)", "recursive simple undefined"},
      {"$(info a)$(warning b)$(error c)", ""},
  };
  CheckCases(cases);
}

TEST_CASE("functions that need a process, the disk or make's parser are unknown") {
  for (const char* fn : {"shell", "wildcard", "eval", "file", "guile"}) {
    CAPTURE(fn);
    const std::string mk = std::string("ifeq ($(") + fn + " x),)\nobj-m += opaque.o\nendif\n" +
                           "ifeq ($(strip x),)\nobj-m += never.o\nendif\n";
    const KbuildDirectory d = EvaluateKbuildDirectory(
        mk, "d/Makefile", "d", {}, [](std::string_view) { return kMayBeN; }, nullptr);
    REQUIRE(d.modules.size() == 1);
    CHECK(d.modules[0].path == "d/opaque");
    CHECK_FALSE(d.modules[0].certain);
  }
}

}  // namespace modrace
