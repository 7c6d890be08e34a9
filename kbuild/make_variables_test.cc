// SPDX-License-Identifier: GPL-2.0-only
// Variables that $(foreach) and $(call) bind for a while, and put back.

#include <doctest/doctest.h>

#include "kbuild/make_test_util.h"

namespace modrace {

TEST_CASE("foreach puts its variable back") {
  const char* mk =
      "f := outer\n"
      "loop := $(foreach f,a b,$(f))\n"
      "after := $(f)\n"
      "none := $(foreach g,a,$(g))\n"
      "g_origin := $(origin g)\n"
      "nested := $(foreach v,a b,$(foreach v,x,$(v))$(v))\n"
      "rec = $(f)\n"
      "rec_after := $(foreach rec,z,$(rec)) $(flavor rec) $(rec)\n";
  CHECK(MakeWords(mk, "loop") == "a b");
  CHECK(MakeWords(mk, "after") == "outer");
  CHECK(MakeWords(mk, "g_origin") == "undefined");
  CHECK(MakeWords(mk, "nested") == "xa xb");
  CHECK(MakeWords(mk, "rec_after") == "z recursive outer");
}

TEST_CASE("call binds $(0) to $(9) and puts them back, nested and recursive") {
  const char* mk =
      "pair = [$(0):$(1)|$(2)]\n"
      "nest = $(call pair,$(1))+$(2)\n"
      "nested := $(call nest,p,q)\n"
      "1 := one\n"
      "outside := $(call pair,x) $(1)\n"
      "grow = $(if $(filter xxx,$(1)),$(1),$(call grow,$(1)x))\n"
      "grown := $(call grow,x)\n"
      "forever = $(call forever,$(1))\n"
      "stopped := a$(call forever,1)b\n"
      "eleven := $(call pair,1,2,3,4,5,6,7,8,9,10,11)\n";
  CHECK(MakeWords(mk, "nested") == "[pair:p|]+q");
  CHECK(MakeWords(mk, "outside") == "[pair:x|] one");
  CHECK(MakeWords(mk, "grown") == "xxx");
  CHECK(MakeWords(mk, "stopped") == "ab");
  CHECK(MakeWords(mk, "eleven") == "[pair:1|2]");
}

TEST_CASE("appending to a variable that the right side's $(call) unbinds for a while") {
  // $(call f) unbinds $(1) and then defines it again: the variable being
  // appended to is a new one by then (a use after free under ASan before).
  CHECK(MakeWords("f = y\n1 := x\n1 += $(call f)\n", "1") == "x y");
  CHECK(MakeWords("f = y\n1 = x\n1 += $(call f)\n", "1") == "x y");
}

}  // namespace modrace
